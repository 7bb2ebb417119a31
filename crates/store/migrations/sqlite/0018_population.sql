-- Population health: the postcode → LSOA → deprivation lookup (imported from the official
-- files) and the reporting table the dashboards read, rebuilt from the live tables by a job so
-- a dashboard never joins a million referrals to a million people while someone waits.
CREATE TABLE postcode_lsoa (
    postcode TEXT PRIMARY KEY NOT NULL,
    lsoa_code TEXT NOT NULL
);

CREATE TABLE lsoa_deprivation (
    lsoa_code TEXT PRIMARY KEY NOT NULL,
    imd_version TEXT NOT NULL,
    decile INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10)
);

-- One row per referral, with the groups its person falls in when it was made. Group columns
-- hold codes, '' when not known.
CREATE TABLE referral_fact (
    referral_id BLOB PRIMARY KEY NOT NULL,
    service_id BLOB,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    overridden INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    first_seen_at INTEGER,
    waiting INTEGER NOT NULL,
    attended INTEGER NOT NULL,
    missed INTEGER NOT NULL,
    fft_answers INTEGER NOT NULL,
    fft_positive INTEGER NOT NULL,
    outcome_measured INTEGER NOT NULL,
    outcome_improved INTEGER NOT NULL,
    deprivation TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    age TEXT NOT NULL,
    sex TEXT NOT NULL,
    language TEXT NOT NULL,
    communication_need TEXT NOT NULL,
    digital_exclusion TEXT NOT NULL,
    area TEXT NOT NULL
);
CREATE INDEX referral_fact_received ON referral_fact (received_at);
CREATE INDEX referral_fact_seen ON referral_fact (first_seen_at);

-- Clinic use: whether a slot has (or had) an appointment, for utilisation and refill.
CREATE INDEX appointment_slot ON appointment (slot_id, status);
