-- Keeping people on the waiting list informed: "still waiting" updates and "do you still need
-- this?" (validation), with the answer or the call that follows no answer.
CREATE TABLE waiting_contact (
    referral_id UUID PRIMARY KEY NOT NULL REFERENCES referral (id),
    last_update_at BIGINT,
    validation_sent_at BIGINT,
    validation_answered_at BIGINT,
    still_needed BOOLEAN,
    no_reply_task_at BIGINT
);
