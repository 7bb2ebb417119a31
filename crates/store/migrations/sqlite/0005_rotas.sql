-- Capacity as data: rota sessions, the days they do not run, the slots they make; locations'
-- access and travel details; clinicians' skills; new and follow-up slots.
CREATE TABLE rota_session (
    id BLOB PRIMARY KEY NOT NULL,
    clinician_id BLOB NOT NULL REFERENCES clinician (id),
    service_id BLOB NOT NULL REFERENCES service (id),
    location_id BLOB NOT NULL REFERENCES location (id),
    weekday TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    modality TEXT NOT NULL,
    kind TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    on_bank_holidays BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX rota_session_clinician ON rota_session (clinician_id);
CREATE TABLE rota_exception (
    id BLOB PRIMARY KEY NOT NULL,
    clinician_id BLOB REFERENCES clinician (id),
    location_id BLOB REFERENCES location (id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
ALTER TABLE slot ADD COLUMN kind TEXT NOT NULL DEFAULT 'any';
ALTER TABLE slot ADD COLUMN rota_session_id BLOB REFERENCES rota_session (id);
CREATE UNIQUE INDEX slot_made_once ON slot (rota_session_id, starts_at)
    WHERE rota_session_id IS NOT NULL;
ALTER TABLE location ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE clinician ADD COLUMN skills TEXT NOT NULL DEFAULT '[]';
