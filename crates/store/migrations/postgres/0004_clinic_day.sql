-- Clinic day and after: arrivals, attendance, missed appointments, discharge with open access,
-- and reminders.
ALTER TABLE referral ADD COLUMN attended BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN missed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN discharged_at BIGINT;
ALTER TABLE referral ADD COLUMN open_access_until BIGINT;
ALTER TABLE service ADD COLUMN open_access_days BIGINT NOT NULL DEFAULT 182;
ALTER TABLE service ADD COLUMN discharge_after_missed BIGINT NOT NULL DEFAULT 2;
ALTER TABLE appointment ADD COLUMN checked_in_at BIGINT;
ALTER TABLE appointment ADD COLUMN reminded_days BIGINT;
DROP INDEX appointment_one_per_slot;
CREATE UNIQUE INDEX appointment_one_per_slot ON appointment (slot_id)
    WHERE status IN ('booked', 'checked_in');
