-- Foundation: reference data, patients, referrals, slots, appointments, staff, sessions,
-- sign-in codes, domain events, the outbox and the audit trail.
-- Instants are BIGINT microseconds since the Unix epoch (UTC); calendar dates are ISO-8601 TEXT.

-- Facts about this installation, for example that it holds the generated demo region.
CREATE TABLE setting (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE service (
    id UUID PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE location (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    town TEXT NOT NULL,
    postcode TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    step_free BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE clinician (
    id UUID PRIMARY KEY NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    role TEXT NOT NULL,
    service_id UUID NOT NULL REFERENCES service (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE patient (
    id UUID PRIMARY KEY NOT NULL,
    nhs_number TEXT,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    sex TEXT NOT NULL,
    ethnicity TEXT,
    postcode TEXT NOT NULL,
    address_line1 TEXT,
    address_line2 TEXT,
    town TEXT,
    phone TEXT,
    email TEXT,
    preferred_language TEXT NOT NULL,
    preferred_contact TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX patient_nhs_number ON patient (nhs_number);
CREATE INDEX patient_email ON patient (lower(email));
CREATE INDEX patient_phone ON patient (phone);

CREATE TABLE staff_user (
    id UUID PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_sign_ins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    active BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE staff_service (
    staff_id UUID NOT NULL REFERENCES staff_user (id),
    service_id UUID NOT NULL REFERENCES service (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (staff_id, service_id)
);

CREATE TABLE referral (
    id UUID PRIMARY KEY NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    patient_id UUID NOT NULL REFERENCES patient (id),
    source TEXT NOT NULL,
    problem_area TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    service_id UUID REFERENCES service (id),
    priority TEXT,
    received_at BIGINT NOT NULL,
    triaged_at BIGINT,
    triaged_by UUID REFERENCES staff_user (id),
    triage_note TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referral_queue ON referral (status, received_at);
CREATE INDEX referral_patient ON referral (patient_id);
CREATE INDEX referral_waiting ON referral (service_id, status, priority, received_at);

CREATE TABLE slot (
    id UUID PRIMARY KEY NOT NULL,
    service_id UUID NOT NULL REFERENCES service (id),
    location_id UUID NOT NULL REFERENCES location (id),
    clinician_id UUID NOT NULL REFERENCES clinician (id),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    modality TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX slot_search ON slot (service_id, status, starts_at, id);
CREATE INDEX slot_clinic ON slot (starts_at);

CREATE TABLE appointment (
    id UUID PRIMARY KEY NOT NULL,
    slot_id UUID NOT NULL REFERENCES slot (id),
    referral_id UUID NOT NULL REFERENCES referral (id),
    patient_id UUID NOT NULL REFERENCES patient (id),
    status TEXT NOT NULL,
    booked_at BIGINT NOT NULL,
    booked_by_kind TEXT NOT NULL,
    booked_by_id UUID,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- The last line of defence against a double booking: one live appointment per slot.
CREATE UNIQUE INDEX appointment_one_per_slot ON appointment (slot_id) WHERE status = 'booked';
CREATE INDEX appointment_patient ON appointment (patient_id);
CREATE INDEX appointment_referral ON appointment (referral_id);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id UUID NOT NULL,
    role TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX session_subject ON session (subject_id);

CREATE TABLE sign_in_code (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    code_hash TEXT NOT NULL,
    channel TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sign_in_code_patient ON sign_in_code (patient_id, created_at);

CREATE TABLE domain_event (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    patient_id UUID,
    referral_id UUID,
    payload TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX domain_event_patient ON domain_event (patient_id, seq);

CREATE TABLE outbox (
    id UUID PRIMARY KEY NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient_kind TEXT NOT NULL,
    recipient_id UUID NOT NULL,
    patient_id UUID REFERENCES patient (id),
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    last_error TEXT,
    provider_reference TEXT,
    sent_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_recent ON outbox (created_at);

CREATE TABLE audit_event (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id UUID,
    actor_role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id UUID,
    patient_id UUID,
    route TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_patient ON audit_event (patient_id, seq);
CREATE INDEX audit_actor ON audit_event (actor_id, seq);

-- The audit trail is append-only: no one, not even Jointly itself, may rewrite it.
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
