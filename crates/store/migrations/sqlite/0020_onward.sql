-- Onward referrals: a clinician refers a person on to another organisation, named by its ODS
-- code; the receiving organisation's system reads them through the FHIR API.

CREATE TABLE onward_referral (
    id BLOB PRIMARY KEY NOT NULL,
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    ods_code TEXT NOT NULL,
    organisation TEXT NOT NULL,
    request TEXT NOT NULL,
    reason TEXT NOT NULL,
    priority TEXT NOT NULL,
    by_id BLOB NOT NULL REFERENCES staff_user (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX onward_referral_referral ON onward_referral (referral_id, created_at);
CREATE INDEX onward_referral_patient ON onward_referral (patient_id, created_at);
CREATE INDEX onward_referral_destination ON onward_referral (ods_code, created_at);
