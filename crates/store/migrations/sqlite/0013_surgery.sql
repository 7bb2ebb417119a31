-- Shared decision-making and surgical readiness: every decision conversation about surgery is
-- kept (the latest stands), and one fitness checklist per referral, replaced when re-recorded.
CREATE TABLE surgery_decision (
    id BLOB PRIMARY KEY NOT NULL,
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    options TEXT NOT NULL,
    what_matters TEXT NOT NULL,
    choice TEXT NOT NULL,
    preferred TEXT,
    by_id BLOB NOT NULL REFERENCES staff_user (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX surgery_decision_referral ON surgery_decision (referral_id, created_at);
CREATE INDEX surgery_decision_patient ON surgery_decision (patient_id, created_at);

CREATE TABLE fitness_checklist (
    referral_id BLOB PRIMARY KEY NOT NULL REFERENCES referral (id),
    checks TEXT NOT NULL,
    override_reason TEXT,
    by_id BLOB NOT NULL REFERENCES staff_user (id),
    recorded_at INTEGER NOT NULL
);
