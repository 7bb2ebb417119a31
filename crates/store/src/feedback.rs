//! Feedback and what is done with it: Friends and Family Test answers with comments and
//! stories (themes as a comma list of codes), the monthly counts for the FFT return, concerns
//! (changed only from the version read), and improvements ("you said, we did").

use jiff::Timestamp;
use jointly_domain::feedback::{
    Concern, ConcernStatus, Feedback, FftAnswer, Improvement, ImprovementStatus, Mode, Moment,
    Story, Theme,
};
use jointly_domain::{
    ConcernId, FeedbackId, ImprovementId, PatientId, ReferralId, ServiceId, StaffUserId,
};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// The columns of feedback, as a literal so queries stay static.
macro_rules! feedback_columns {
    () => {
        "SELECT id, patient_id, referral_id, service_id, moment, answer, comment, story, \
         publish, mode, themes, created_at FROM feedback "
    };
}

macro_rules! concern_columns {
    () => {
        "SELECT id, patient_id, name, contact, body, received_at, acknowledge_by, respond_by, \
         status, response, handled_by, version FROM concern "
    };
}

macro_rules! improvement_columns {
    () => {
        "SELECT id, theme, you_said, we_did, owner, status, due, published, updated_at \
         FROM improvement "
    };
}

fn themes_text(themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn feedback_from_row(row: &impl DbRow) -> Result<Feedback, StoreError> {
    let themes = row
        .text("themes")?
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| Theme::parse(c).map_err(|_| StoreError::Corrupt { column: "themes" }))
        .collect::<Result<_, _>>()?;
    let publish = row.boolean("publish")?;
    Ok(Feedback {
        id: FeedbackId::from_uuid(row.uuid("id")?),
        patient_id: row.opt_uuid("patient_id")?.map(PatientId::from_uuid),
        referral_id: row.opt_uuid("referral_id")?.map(ReferralId::from_uuid),
        service_id: row.opt_uuid("service_id")?.map(ServiceId::from_uuid),
        moment: row.parsed("moment", Moment::parse)?,
        answer: row.parsed("answer", FftAnswer::parse)?,
        comment: row.opt_text("comment")?,
        story: row.opt_text("story")?.map(|text| Story { text, publish }),
        mode: row.parsed("mode", Mode::parse)?,
        at: row.instant("created_at")?,
        themes,
    })
}

fn concern_from_row(row: &impl DbRow) -> Result<Concern, StoreError> {
    Ok(Concern {
        id: ConcernId::from_uuid(row.uuid("id")?),
        patient_id: row.opt_uuid("patient_id")?.map(PatientId::from_uuid),
        name: row.text("name")?,
        contact: row.text("contact")?,
        text: row.text("body")?,
        received_at: row.instant("received_at")?,
        acknowledge_by: row.date("acknowledge_by")?,
        respond_by: row.date("respond_by")?,
        status: row.parsed("status", ConcernStatus::parse)?,
        response: row.opt_text("response")?,
        handled_by: row.opt_uuid("handled_by")?.map(StaffUserId::from_uuid),
        version: row.count("version")?,
    })
}

fn improvement_from_row(row: &impl DbRow) -> Result<Improvement, StoreError> {
    Ok(Improvement {
        id: ImprovementId::from_uuid(row.uuid("id")?),
        theme: row.parsed("theme", Theme::parse)?,
        you_said: row.text("you_said")?,
        we_did: row.text("we_did")?,
        owner: row.text("owner")?,
        status: row.parsed("status", ImprovementStatus::parse)?,
        due: row
            .opt_text("due")?
            .map(|d| d.parse().map_err(|_| StoreError::Corrupt { column: "due" }))
            .transpose()?,
        published: row.boolean("published")?,
        updated_at: row.instant("updated_at")?,
    })
}

/// One group of the FFT counts: the service (none for feedback about no service), the answer,
/// how it came, and how many.
pub type FftGroup = (Option<ServiceId>, FftAnswer, Mode, u64);

impl Store {
    /// Feedback given in `[from, to)`, newest first, at most `limit`.
    pub async fn feedback_between(
        &self,
        from: Timestamp,
        to: Timestamp,
        limit: u32,
    ) -> Result<Vec<Feedback>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                feedback_columns!(),
                "WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at DESC, id LIMIT $3"
            ))
            .bind(micros(from))
            .bind(micros(to))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(feedback_from_row).collect()
        })
    }

    /// One piece of feedback.
    pub async fn find_feedback(&self, id: FeedbackId) -> Result<Option<Feedback>, StoreError> {
        read!(self, pool => {
            sqlx::query(concat!(feedback_columns!(), "WHERE id = $1"))
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(feedback_from_row)
                .transpose()
        })
    }

    /// True when the link asking about `referral` at `moment` has been answered.
    pub async fn link_feedback_given(
        &self,
        referral: ReferralId,
        moment: Moment,
    ) -> Result<bool, StoreError> {
        read!(self, pool => {
            let found = sqlx::query(
                "SELECT id FROM feedback WHERE referral_id = $1 AND moment = $2 \
                 AND mode = 'message_link'",
            )
            .bind(referral.as_uuid())
            .bind(moment.as_str())
            .fetch_optional(pool)
            .await?;
            Ok(found.is_some())
        })
    }

    /// Stories people agreed to publish, newest first.
    pub async fn published_stories(&self, limit: u32) -> Result<Vec<Feedback>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                feedback_columns!(),
                "WHERE story IS NOT NULL AND publish = $1 ORDER BY created_at DESC, id LIMIT $2"
            ))
            .bind(true)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(feedback_from_row).collect()
        })
    }

    /// FFT answers in `[from, to)`, counted by service, answer and mode.
    pub async fn fft_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<FftGroup>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT service_id, answer, mode, COUNT(*) AS n FROM feedback \
                 WHERE created_at >= $1 AND created_at < $2 GROUP BY service_id, answer, mode",
            )
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok((
                        row.opt_uuid("service_id")?.map(ServiceId::from_uuid),
                        row.parsed("answer", FftAnswer::parse)?,
                        row.parsed("mode", Mode::parse)?,
                        u64::try_from(row.int("n")?).map_err(|_| StoreError::Corrupt { column: "n" })?,
                    ))
                })
                .collect()
        })
    }

    /// Concerns, those still open first (soonest deadline first), then answered ones newest
    /// first, at most `limit`.
    pub async fn concerns(&self, limit: u32) -> Result<Vec<Concern>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                concern_columns!(),
                "ORDER BY CASE WHEN status = 'responded' THEN 1 ELSE 0 END, \
                 CASE WHEN status = 'responded' THEN 0 ELSE received_at END, \
                 received_at DESC LIMIT $1"
            ))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(concern_from_row).collect()
        })
    }

    /// One concern.
    pub async fn find_concern(&self, id: ConcernId) -> Result<Option<Concern>, StoreError> {
        read!(self, pool => {
            sqlx::query(concat!(concern_columns!(), "WHERE id = $1"))
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(concern_from_row)
                .transpose()
        })
    }

    /// Every improvement (or only the published ones), most recently changed first.
    pub async fn improvements(&self, published_only: bool) -> Result<Vec<Improvement>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(concat!(
                improvement_columns!(),
                "WHERE published = $1 OR $2 ORDER BY updated_at DESC, id"
            ))
            .bind(true)
            .bind(!published_only)
            .fetch_all(pool)
            .await?;
            rows.iter().map(improvement_from_row).collect()
        })
    }

    /// One improvement.
    pub async fn find_improvement(
        &self,
        id: ImprovementId,
    ) -> Result<Option<Improvement>, StoreError> {
        read!(self, pool => {
            sqlx::query(concat!(improvement_columns!(), "WHERE id = $1"))
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?
                .as_ref()
                .map(improvement_from_row)
                .transpose()
        })
    }
}

impl Tx {
    /// Records feedback. A second answer from the same message link (referral and moment) is
    /// a conflict.
    pub async fn insert_feedback(&mut self, feedback: &Feedback) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO feedback (id, patient_id, referral_id, service_id, moment, answer, \
                 comment, story, publish, mode, themes, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(feedback.id.as_uuid())
            .bind(feedback.patient_id.map(|id| id.as_uuid()))
            .bind(feedback.referral_id.map(|id| id.as_uuid()))
            .bind(feedback.service_id.map(|id| id.as_uuid()))
            .bind(feedback.moment.as_str())
            .bind(feedback.answer.as_str())
            .bind(feedback.comment.as_deref())
            .bind(feedback.story.as_ref().map(|s| s.text.as_str()))
            .bind(feedback.story.as_ref().is_some_and(|s| s.publish))
            .bind(feedback.mode.as_str())
            .bind(themes_text(&feedback.themes))
            .bind(micros(feedback.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Replaces the themes feedback is tagged with.
    pub async fn set_feedback_themes(
        &mut self,
        id: FeedbackId,
        themes: &[Theme],
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            let done = sqlx::query("UPDATE feedback SET themes = $2 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(themes_text(themes))
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        });
        Ok(())
    }

    /// Records a concern.
    pub async fn insert_concern(&mut self, concern: &Concern) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO concern (id, patient_id, name, contact, body, received_at, \
                 acknowledge_by, respond_by, status, response, handled_by, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(concern.id.as_uuid())
            .bind(concern.patient_id.map(|id| id.as_uuid()))
            .bind(&concern.name)
            .bind(&concern.contact)
            .bind(&concern.text)
            .bind(micros(concern.received_at))
            .bind(concern.acknowledge_by.to_string())
            .bind(concern.respond_by.to_string())
            .bind(concern.status.as_str())
            .bind(concern.response.as_deref())
            .bind(concern.handled_by.map(|id| id.as_uuid()))
            .bind(i64::from(concern.version))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Saves a concern changed from version `concern.version - 1`; if someone changed it
    /// meanwhile, a conflict.
    pub async fn update_concern(&mut self, concern: &Concern) -> Result<(), StoreError> {
        write!(self, conn => {
            let done = sqlx::query(
                "UPDATE concern SET status = $2, response = $3, handled_by = $4, version = $5 \
                 WHERE id = $1 AND version = $6",
            )
            .bind(concern.id.as_uuid())
            .bind(concern.status.as_str())
            .bind(concern.response.as_deref())
            .bind(concern.handled_by.map(|id| id.as_uuid()))
            .bind(i64::from(concern.version))
            .bind(i64::from(concern.version) - 1)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("concern_changed"));
            }
        });
        Ok(())
    }

    /// Records or replaces an improvement.
    pub async fn save_improvement(&mut self, improvement: &Improvement) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO improvement (id, theme, you_said, we_did, owner, status, due, \
                 published, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (id) DO UPDATE SET theme = excluded.theme, \
                 you_said = excluded.you_said, we_did = excluded.we_did, owner = excluded.owner, \
                 status = excluded.status, due = excluded.due, published = excluded.published, \
                 updated_at = excluded.updated_at",
            )
            .bind(improvement.id.as_uuid())
            .bind(improvement.theme.as_str())
            .bind(&improvement.you_said)
            .bind(&improvement.we_did)
            .bind(&improvement.owner)
            .bind(improvement.status.as_str())
            .bind(improvement.due.map(|d| d.to_string()))
            .bind(improvement.published)
            .bind(micros(improvement.updated_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
