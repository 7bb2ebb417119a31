-- The front door: referring organisations and their API keys, intake answers and the digital
-- triage on each referral, saved drafts, tasks for staff, notes between clinicians and
-- patients, and who is on duty for emergency alerts.

CREATE TABLE referring_organisation (
    id BLOB PRIMARY KEY NOT NULL,
    ods_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    api_key_hash TEXT UNIQUE,
    active INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE referral ADD COLUMN questionnaire_response TEXT;
ALTER TABLE referral ADD COLUMN digital_triage TEXT;
-- 0 emergency, 1 urgent, 2 soon, 3 routine: the triage queue's first sort.
ALTER TABLE referral ADD COLUMN urgency INTEGER NOT NULL DEFAULT 3;
ALTER TABLE referral ADD COLUMN suggested_route TEXT;
ALTER TABLE referral ADD COLUMN referrer TEXT;
ALTER TABLE referral ADD COLUMN organisation_id BLOB REFERENCES referring_organisation (id);
ALTER TABLE referral ADD COLUMN assisted_by BLOB REFERENCES staff_user (id);
ALTER TABLE referral ADD COLUMN possible_duplicate_of BLOB REFERENCES referral (id);
ALTER TABLE referral ADD COLUMN mdt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN awaiting_reply INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN decision TEXT;
CREATE INDEX referral_triage_order ON referral (status, urgency, received_at);
CREATE INDEX referral_patient_area ON referral (patient_id, problem_area, status);
CREATE INDEX patient_birth_family ON patient (date_of_birth, lower(family_name));

CREATE TABLE referral_draft (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    code_hash TEXT NOT NULL UNIQUE,
    route TEXT NOT NULL,
    data TEXT NOT NULL,
    submitted_at INTEGER,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE task (
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    urgency INTEGER NOT NULL,
    status TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    completed_at INTEGER,
    completed_by BLOB REFERENCES staff_user (id),
    outcome TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX task_open ON task (status, urgency, due_at);
CREATE INDEX task_referral ON task (referral_id);

CREATE TABLE referral_note (
    id BLOB PRIMARY KEY NOT NULL,
    referral_id BLOB NOT NULL REFERENCES referral (id),
    patient_id BLOB NOT NULL REFERENCES patient (id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    author_kind TEXT NOT NULL,
    author_id BLOB,
    created_at INTEGER NOT NULL
);
CREATE INDEX referral_note_referral ON referral_note (referral_id, created_at);

ALTER TABLE staff_user ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 0;
