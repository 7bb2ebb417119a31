-- Group classes and education sessions: places, a waiting list, a register.
CREATE TABLE class_session (
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    service_id BLOB NOT NULL REFERENCES service (id),
    location_id BLOB NOT NULL REFERENCES location (id),
    clinician_id BLOB NOT NULL REFERENCES clinician (id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    places INTEGER NOT NULL,
    booked INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (booked >= 0 AND booked <= places)
);
CREATE INDEX class_session_upcoming ON class_session (service_id, starts_at);
CREATE TABLE class_place (
    id BLOB PRIMARY KEY NOT NULL,
    class_id BLOB NOT NULL REFERENCES class_session (id),
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    status TEXT NOT NULL,
    requested_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX class_place_one_live ON class_place (class_id, patient_id)
    WHERE status IN ('booked', 'waiting');
CREATE INDEX class_place_class ON class_place (class_id, status, requested_at);
CREATE INDEX class_place_patient ON class_place (patient_id);
