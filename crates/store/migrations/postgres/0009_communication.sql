-- Communication needs and contact preferences (Accessible Information Standard), the portal
-- inbox, channel fallback and delivery receipts on the outbox, and interpreters on appointments.
CREATE TABLE communication_profile (
    patient_id UUID PRIMARY KEY NOT NULL REFERENCES patient (id),
    data TEXT NOT NULL,
    needs TEXT NOT NULL,
    interpreter TEXT,
    digitally_excluded BOOLEAN NOT NULL,
    review_due TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX communication_review_due ON communication_profile (review_due);

ALTER TABLE outbox ADD COLUMN failed_channels TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN delivery_status TEXT;
ALTER TABLE outbox ADD COLUMN delivered_at BIGINT;
CREATE INDEX outbox_provider_reference ON outbox (provider_reference);
CREATE INDEX outbox_patient ON outbox (patient_id, created_at);

CREATE TABLE portal_message (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    template TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX portal_message_patient ON portal_message (patient_id, created_at);

ALTER TABLE appointment ADD COLUMN interpreter TEXT;
ALTER TABLE appointment ADD COLUMN extra_slot_id UUID REFERENCES slot (id);
