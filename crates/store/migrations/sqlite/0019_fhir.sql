-- The FHIR API: the scopes each organisation's system is granted, the people a system
-- registered (it may see them, as it may see those it referred), a version on each person's
-- record for ETag and If-Match, and the indexes FHIR searches use.

ALTER TABLE referring_organisation ADD COLUMN fhir_scopes BIGINT NOT NULL DEFAULT 0;

CREATE TABLE organisation_patient (
    organisation_id BLOB NOT NULL REFERENCES referring_organisation (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, patient_id)
);

ALTER TABLE patient ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- Slot search by schedule (one clinician's diary), status and start.
CREATE INDEX slot_schedule ON slot (clinician_id, status, starts_at, id);
-- Whether an organisation referred a person; its referrals by status.
CREATE INDEX referral_organisation ON referral (organisation_id, patient_id, status);
