//! Keeping people on a waiting list informed: who is due a "still waiting" update or a
//! "do you still need this?" question, their answers, and where nobody answered.

use jiff::{SignedDuration, Timestamp};
use jointly_domain::referral::{Priority, Referral};
use jointly_domain::slot::AppointmentKind;
use jointly_domain::{ReferralId, ServiceId};

use crate::referrals::{referral_columns, referral_from_row};
use crate::row::micros;
use crate::{Store, StoreError, Tx, read, write};

fn days(n: u32) -> i64 {
    SignedDuration::from_hours(24 * i64::from(n)).as_micros() as i64
}

/// Priority as a rank, most urgent first, as SQL compares it.
fn rank(priority: Option<Priority>) -> i64 {
    match priority {
        Some(Priority::Urgent) => 0,
        Some(Priority::Soon) => 1,
        Some(Priority::Routine) | None => 2,
    }
}

impl Store {
    /// How many people waiting for the same service will be offered an appointment before
    /// `referral`: everyone more urgent, and everyone as urgent who has waited longer (the
    /// waiting list's own order: received, then id).
    pub async fn waiting_position(&self, referral: &Referral) -> Result<i64, StoreError> {
        let Some(service) = referral.service_id else {
            return Ok(0);
        };
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM referral WHERE service_id = $1 AND status = 'waiting' \
                 AND id <> $4 AND ((CASE priority WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END) < $2 \
                 OR ((CASE priority WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END) = $2 \
                 AND (received_at < $3 OR (received_at = $3 AND id < $4))))",
            )
            .bind(service.as_uuid())
            .bind(rank(referral.priority))
            .bind(micros(referral.received_at))
            .bind(referral.id.as_uuid())
            .fetch_one(pool)
            .await?)
        })
    }

    /// Free slots in `service` for `kind` starting in `[from, to)`: the capacity coming.
    pub async fn count_free_slots_between(
        &self,
        service: ServiceId,
        kind: AppointmentKind,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM slot WHERE service_id = $1 AND status = 'free' \
                 AND starts_at >= $2 AND starts_at < $3 AND (kind = 'any' OR kind = $4)",
            )
            .bind(service.as_uuid())
            .bind(micros(from))
            .bind(micros(to))
            .bind(kind.as_str())
            .fetch_one(pool)
            .await?)
        })
    }

    /// Referrals waiting to book whose last update (or acceptance) was `every` days or more
    /// before `now`: due a "still waiting" update. At most `limit`, longest first.
    pub async fn wait_updates_due(
        &self,
        now: Timestamp,
        every: u32,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        self.referrals_before(
            concat!(
                "SELECT ",
                referral_columns!(),
                " FROM referral r \
                 LEFT JOIN waiting_contact w ON w.referral_id = r.id \
                 WHERE r.status = 'waiting' \
                 AND COALESCE(w.last_update_at, r.triaged_at, r.received_at) <= $1 \
                 ORDER BY r.received_at, r.id LIMIT $2"
            ),
            micros(now) - days(every),
            limit,
        )
        .await
    }

    /// Referrals waiting to book for `after` days or more that have not been asked "do you
    /// still need this?", or answered yes `after` days or more ago. At most `limit`.
    pub async fn validations_due(
        &self,
        now: Timestamp,
        after: u32,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        self.referrals_before(
            concat!(
                "SELECT ", referral_columns!(), " FROM referral r \
                 LEFT JOIN waiting_contact w ON w.referral_id = r.id \
                 WHERE r.status = 'waiting' AND r.received_at <= $1 \
                 AND (w.validation_sent_at IS NULL \
                      OR (w.validation_answered_at IS NOT NULL AND w.validation_answered_at <= $1)) \
                 ORDER BY r.received_at, r.id LIMIT $2"
            ),
            micros(now) - days(after),
            limit,
        )
        .await
    }

    /// Referrals still waiting whose "do you still need this?" has gone unanswered for
    /// `within` days and nobody has been asked to call yet. At most `limit`.
    pub async fn validations_unanswered(
        &self,
        now: Timestamp,
        within: u32,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        self.referrals_before(
            concat!(
                "SELECT ",
                referral_columns!(),
                " FROM referral r \
                 JOIN waiting_contact w ON w.referral_id = r.id \
                 WHERE r.status = 'waiting' AND w.validation_sent_at <= $1 \
                 AND w.validation_answered_at IS NULL AND w.no_reply_task_at IS NULL \
                 ORDER BY w.validation_sent_at, r.id LIMIT $2"
            ),
            micros(now) - days(within),
            limit,
        )
        .await
    }

    /// The referrals `sql` selects (its `$1` a cutoff instant, `$2` a limit).
    async fn referrals_before(
        &self,
        sql: &'static str,
        cutoff: i64,
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(sql)
                .bind(cutoff)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(referral_from_row).collect()
        })
    }

    /// Whether `referral` has been asked "do you still need this?" and not yet answered.
    pub async fn validation_open(&self, referral: ReferralId) -> Result<bool, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM waiting_contact WHERE referral_id = $1 \
                 AND validation_sent_at IS NOT NULL AND validation_answered_at IS NULL",
            )
            .bind(referral.as_uuid())
            .fetch_one(pool)
            .await? > 0)
        })
    }
}

/// Which moment of the waiting contact to record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitingContact {
    /// A "still waiting" update was queued.
    UpdateSent,
    /// "Do you still need this?" was queued.
    ValidationSent,
    /// The person answered (yes, still needed; or no).
    Answered(bool),
    /// Nobody answered; a coordinator has a task to call.
    NoReplyTask,
}

impl Tx {
    /// Records a moment of keeping `referral`'s person informed.
    pub async fn record_waiting_contact(
        &mut self,
        referral: ReferralId,
        contact: WaitingContact,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // A new question clears the last answer and any call that followed no answer.
        let sql = match contact {
            WaitingContact::UpdateSent => {
                "INSERT INTO waiting_contact (referral_id, last_update_at) VALUES ($1, $2) \
                 ON CONFLICT (referral_id) DO UPDATE SET last_update_at = $2"
            }
            WaitingContact::ValidationSent => {
                "INSERT INTO waiting_contact (referral_id, validation_sent_at) VALUES ($1, $2) \
                 ON CONFLICT (referral_id) DO UPDATE SET validation_sent_at = $2, \
                 validation_answered_at = NULL, still_needed = NULL, no_reply_task_at = NULL"
            }
            WaitingContact::Answered(true) => {
                "INSERT INTO waiting_contact (referral_id, validation_answered_at, still_needed) \
                 VALUES ($1, $2, TRUE) ON CONFLICT (referral_id) DO UPDATE SET \
                 validation_answered_at = $2, still_needed = TRUE"
            }
            WaitingContact::Answered(false) => {
                "INSERT INTO waiting_contact (referral_id, validation_answered_at, still_needed) \
                 VALUES ($1, $2, FALSE) ON CONFLICT (referral_id) DO UPDATE SET \
                 validation_answered_at = $2, still_needed = FALSE"
            }
            WaitingContact::NoReplyTask => {
                "INSERT INTO waiting_contact (referral_id, no_reply_task_at) VALUES ($1, $2) \
                 ON CONFLICT (referral_id) DO UPDATE SET no_reply_task_at = $2"
            }
        };
        write!(self, conn => {
            sqlx::query(sql)
                .bind(referral.as_uuid())
                .bind(micros(at))
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }
}
