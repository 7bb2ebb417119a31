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
    decile BIGINT NOT NULL CHECK (decile BETWEEN 1 AND 10)
);

-- One row per referral, with the groups its person falls in when it was made. Group columns
-- hold codes, '' when not known.
CREATE TABLE referral_fact (
    referral_id UUID PRIMARY KEY NOT NULL,
    service_id UUID,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT NOT NULL,
    overridden BOOLEAN NOT NULL,
    received_at BIGINT NOT NULL,
    first_seen_at BIGINT,
    waiting BOOLEAN NOT NULL,
    attended BIGINT NOT NULL,
    missed BIGINT NOT NULL,
    fft_answers BIGINT NOT NULL,
    fft_positive BIGINT NOT NULL,
    outcome_measured BIGINT NOT NULL,
    outcome_improved BIGINT NOT NULL,
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
