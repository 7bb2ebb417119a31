-- Secure messaging between a patient and their care team: conversations, their messages,
-- attachments kept in the database, and what each side has read.
CREATE TABLE conversation (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    subject TEXT NOT NULL,
    assigned_to BLOB REFERENCES staff_user (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    patient_read_at INTEGER,
    staff_read_at INTEGER
);
CREATE INDEX conversation_patient ON conversation (patient_id, updated_at);
CREATE INDEX conversation_assigned ON conversation (assigned_to, updated_at);

CREATE TABLE conversation_message (
    id BLOB PRIMARY KEY NOT NULL,
    conversation_id BLOB NOT NULL REFERENCES conversation (id),
    author_kind TEXT NOT NULL,
    author_id BLOB NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX conversation_message_thread ON conversation_message (conversation_id, created_at);

CREATE TABLE conversation_attachment (
    id BLOB PRIMARY KEY NOT NULL,
    message_id BLOB NOT NULL UNIQUE REFERENCES conversation_message (id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
