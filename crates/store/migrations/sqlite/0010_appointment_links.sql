-- Confirm or cancel from a message: the service's signing keys, and when a patient confirmed.
CREATE TABLE service_key (
    name TEXT PRIMARY KEY NOT NULL,
    key BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
ALTER TABLE appointment ADD COLUMN confirmed_at INTEGER;
CREATE INDEX outbox_recipient_sent ON outbox (recipient_kind, recipient_id, sent_at);
