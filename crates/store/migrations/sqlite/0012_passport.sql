-- The patient passport: what matters and the rest of the person's life (one row per patient,
-- changed only from the version seen), their goals, timeline entries (their own notes and
-- treatment plans), and clinical notes of appointments for the care team.
CREATE TABLE passport_about (
    patient_id BLOB PRIMARY KEY NOT NULL REFERENCES patient (id),
    what_matters TEXT,
    work TEXT,
    mood TEXT,
    sleep TEXT,
    social TEXT,
    version INTEGER NOT NULL,
    updated_by_kind TEXT NOT NULL,
    updated_by_id BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE passport_goal (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    set_by_kind TEXT NOT NULL,
    set_by_id BLOB NOT NULL,
    set_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX passport_goal_patient ON passport_goal (patient_id, set_at);

CREATE TABLE passport_entry (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    kind TEXT NOT NULL,
    appointment_id BLOB REFERENCES appointment (id),
    author_kind TEXT NOT NULL,
    author_id BLOB NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX passport_entry_patient ON passport_entry (patient_id, created_at);

CREATE TABLE clinical_note (
    id BLOB PRIMARY KEY NOT NULL,
    patient_id BLOB NOT NULL REFERENCES patient (id),
    appointment_id BLOB NOT NULL REFERENCES appointment (id),
    author_id BLOB NOT NULL REFERENCES staff_user (id),
    subjective TEXT,
    objective TEXT,
    assessment TEXT NOT NULL,
    plan TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX clinical_note_patient ON clinical_note (patient_id, created_at);
