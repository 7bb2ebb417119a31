-- Outcome measures: requests that a person answer them, and their scored answers.
CREATE TABLE measure_request (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    measure TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    by_id BLOB NOT NULL REFERENCES staff_user (id),
    created_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE INDEX measure_request_patient ON measure_request (patient_id, created_at);

CREATE TABLE measure_response (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    measure TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    request_id BLOB REFERENCES measure_request (id),
    answers TEXT NOT NULL,
    score INTEGER NOT NULL,
    by_kind TEXT NOT NULL,
    by_id BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX measure_response_patient ON measure_response (patient_id, created_at);
