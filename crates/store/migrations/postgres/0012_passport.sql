-- The patient passport: what matters and the rest of the person's life (one row per patient,
-- changed only from the version seen), their goals, timeline entries (their own notes and
-- treatment plans), and clinical notes of appointments for the care team.
CREATE TABLE passport_about (
    patient_id UUID PRIMARY KEY NOT NULL REFERENCES patient (id),
    what_matters TEXT,
    work TEXT,
    mood TEXT,
    sleep TEXT,
    social TEXT,
    version BIGINT NOT NULL,
    updated_by_kind TEXT NOT NULL,
    updated_by_id UUID NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE passport_goal (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    set_by_kind TEXT NOT NULL,
    set_by_id UUID NOT NULL,
    set_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX passport_goal_patient ON passport_goal (patient_id, set_at);

CREATE TABLE passport_entry (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    kind TEXT NOT NULL,
    appointment_id UUID REFERENCES appointment (id),
    author_kind TEXT NOT NULL,
    author_id UUID NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX passport_entry_patient ON passport_entry (patient_id, created_at);

CREATE TABLE clinical_note (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patient (id),
    appointment_id UUID NOT NULL REFERENCES appointment (id),
    author_id UUID NOT NULL REFERENCES staff_user (id),
    subjective TEXT,
    objective TEXT,
    assessment TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX clinical_note_patient ON clinical_note (patient_id, created_at);
