-- Signposting and referral to community services and information, recorded for the passport;
-- and discharge summaries, passport entries about one referral (one each).
CREATE TABLE signposting (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    resource_kind TEXT NOT NULL,
    resource_code TEXT NOT NULL,
    action TEXT NOT NULL,
    note TEXT,
    by_id UUID NOT NULL REFERENCES staff_user (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX signposting_patient ON signposting (patient_id, created_at);

ALTER TABLE passport_entry ADD COLUMN referral_id UUID REFERENCES referral (id);
CREATE UNIQUE INDEX passport_entry_discharge_summary ON passport_entry (referral_id)
    WHERE kind = 'discharge_summary';
