-- Clinic day and after: arrivals, attendance, missed appointments, discharge with open access,
-- and reminders.
ALTER TABLE referral ADD COLUMN attended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN missed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral ADD COLUMN discharged_at INTEGER;
ALTER TABLE referral ADD COLUMN open_access_until INTEGER;
ALTER TABLE service ADD COLUMN open_access_days INTEGER NOT NULL DEFAULT 182;
ALTER TABLE service ADD COLUMN discharge_after_missed INTEGER NOT NULL DEFAULT 2;
ALTER TABLE appointment ADD COLUMN checked_in_at INTEGER;
ALTER TABLE appointment ADD COLUMN reminded_days INTEGER;
DROP INDEX appointment_one_per_slot;
CREATE UNIQUE INDEX appointment_one_per_slot ON appointment (slot_id)
    WHERE status IN ('booked', 'checked_in');
