-- Secure messaging between a patient and their care team: conversations, their messages,
-- attachments kept in the database, and what each side has read.
CREATE TABLE conversation (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    subject TEXT NOT NULL,
    assigned_to UUID REFERENCES staff_user (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    patient_read_at BIGINT,
    staff_read_at BIGINT
);
CREATE INDEX conversation_patient ON conversation (patient_id, updated_at);
CREATE INDEX conversation_assigned ON conversation (assigned_to, updated_at);

CREATE TABLE conversation_message (
    id UUID PRIMARY KEY NOT NULL,
    conversation_id UUID NOT NULL REFERENCES conversation (id),
    author_kind TEXT NOT NULL,
    author_id UUID NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX conversation_message_thread ON conversation_message (conversation_id, created_at);

CREATE TABLE conversation_attachment (
    id UUID PRIMARY KEY NOT NULL,
    message_id UUID NOT NULL UNIQUE REFERENCES conversation_message (id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL
);
