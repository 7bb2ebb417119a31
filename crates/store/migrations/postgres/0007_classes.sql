-- Group classes and education sessions: places, a waiting list, a register.
CREATE TABLE class_session (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    service_id UUID NOT NULL REFERENCES service (id),
    location_id UUID NOT NULL REFERENCES location (id),
    clinician_id UUID NOT NULL REFERENCES clinician (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    places BIGINT NOT NULL,
    booked BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (booked >= 0 AND booked <= places)
);
CREATE INDEX class_session_upcoming ON class_session (service_id, starts_at);
CREATE TABLE class_place (
    id UUID PRIMARY KEY NOT NULL,
    class_id UUID NOT NULL REFERENCES class_session (id),
    referral_id UUID NOT NULL REFERENCES referral (id),
    patient_id UUID NOT NULL REFERENCES patient (id),
    status TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX class_place_one_live ON class_place (class_id, patient_id)
    WHERE status IN ('booked', 'waiting');
CREATE INDEX class_place_class ON class_place (class_id, status, requested_at);
CREATE INDEX class_place_patient ON class_place (patient_id);
