-- What each person wants from the cancellation list.
CREATE TABLE offer_preference (
    patient_id UUID PRIMARY KEY NOT NULL REFERENCES patient (id),
    data TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
