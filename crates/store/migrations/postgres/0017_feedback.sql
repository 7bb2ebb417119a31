-- Feedback (Friends and Family Test answers, comments, stories with consent), the themes staff
-- tag it with, concerns for customer care, and the improvements made ("you said, we did").
CREATE TABLE feedback (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID REFERENCES patient (id),
    referral_id UUID REFERENCES referral (id),
    service_id UUID REFERENCES service (id),
    moment TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    story TEXT,
    publish BOOLEAN NOT NULL,
    mode TEXT NOT NULL,
    themes TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at);
CREATE INDEX feedback_patient ON feedback (patient_id);
-- One answer per referral and moment from a message link, so a link used twice counts once.
CREATE UNIQUE INDEX feedback_once ON feedback (referral_id, moment) WHERE mode = 'message_link';

CREATE TABLE concern (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID REFERENCES patient (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    acknowledge_by TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    status TEXT NOT NULL,
    response TEXT,
    handled_by UUID REFERENCES staff_user (id),
    version BIGINT NOT NULL
);
CREATE INDEX concern_open ON concern (status, respond_by);

CREATE TABLE improvement (
    id UUID PRIMARY KEY NOT NULL,
    theme TEXT NOT NULL,
    you_said TEXT NOT NULL,
    we_did TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    due TEXT,
    published BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL
);
