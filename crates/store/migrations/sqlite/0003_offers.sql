-- The cancellation list: a freed slot offered to people waiting for the same service.
CREATE TABLE slot_offer (
    id BLOB PRIMARY KEY NOT NULL,
    slot_id BLOB NOT NULL REFERENCES slot (id),
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    status TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX slot_offer_slot ON slot_offer (slot_id, status);
CREATE INDEX slot_offer_patient ON slot_offer (patient_id, status);
