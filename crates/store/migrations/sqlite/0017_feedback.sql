-- Feedback (Friends and Family Test answers, comments, stories with consent), the themes staff
-- tag it with, concerns for customer care, and the improvements made ("you said, we did").
CREATE TABLE feedback (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB REFERENCES patient (id),
    referral_id BLOB REFERENCES referral (id),
    service_id BLOB REFERENCES service (id),
    moment TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    story TEXT,
    publish INTEGER NOT NULL,
    mode TEXT NOT NULL,
    themes TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX feedback_patient ON feedback (patient_id);
-- One answer per referral and moment from a message link, so a link used twice counts once.
CREATE UNIQUE INDEX feedback_once ON feedback (referral_id, moment) WHERE mode = 'message_link';

CREATE TABLE concern (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB REFERENCES patient (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    acknowledge_by TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    status TEXT NOT NULL,
    response TEXT,
    handled_by BLOB REFERENCES staff_user (id),
    version INTEGER NOT NULL
);
CREATE INDEX concern_open ON concern (status, respond_by);

CREATE TABLE improvement (
    id BLOB PRIMARY KEY NOT NULL,
    theme TEXT NOT NULL,
    you_said TEXT NOT NULL,
    we_did TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    due TEXT,
    published INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
