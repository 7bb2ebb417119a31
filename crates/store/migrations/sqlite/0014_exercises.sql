-- Exercise programmes built by clinicians (the latest of a person is current) and the
-- sessions the person logs against them.
CREATE TABLE exercise_programme (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    items TEXT NOT NULL,
    by_id BLOB NOT NULL REFERENCES staff_user (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX exercise_programme_patient ON exercise_programme (patient_id, created_at);

CREATE TABLE exercise_log (
    id BLOB PRIMARY KEY NOT NULL,
    programme_id BLOB NOT NULL REFERENCES exercise_programme (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    logged_on TEXT NOT NULL,
    done TEXT NOT NULL,
    pain INTEGER NOT NULL,
    difficulty TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX exercise_log_programme ON exercise_log (programme_id, logged_on);
