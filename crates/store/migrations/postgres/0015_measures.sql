-- Outcome measures: requests that a person answer them, and their scored answers.
CREATE TABLE measure_request (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    measure TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    by_id UUID NOT NULL REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX measure_request_patient ON measure_request (patient_id, created_at);

CREATE TABLE measure_response (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    measure TEXT NOT NULL,
    timepoint TEXT NOT NULL,
    request_id UUID REFERENCES measure_request (id),
    answers TEXT NOT NULL,
    score BIGINT NOT NULL,
    by_kind TEXT NOT NULL,
    by_id UUID NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX measure_response_patient ON measure_response (patient_id, created_at);
