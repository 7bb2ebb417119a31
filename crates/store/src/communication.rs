//! Communication profiles (needs and contact preferences) and the portal inbox: a copy of every
//! message sent to a patient, readable when they sign in.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::communication::CommunicationProfile;
use jointly_domain::message::MessageTemplate;
use jointly_domain::{MessageId, PatientId};

use crate::json::to_json;
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// A message in a patient's portal inbox.
#[derive(Clone, Debug)]
pub struct PortalMessage {
    /// The outbox message it copies.
    pub id: MessageId,
    /// Which template.
    pub template: MessageTemplate,
    /// Subject line.
    pub subject: String,
    /// The text, as sent.
    pub body: String,
    /// When it arrived.
    pub created_at: Timestamp,
    /// When the patient opened it.
    pub read_at: Option<Timestamp>,
}

impl Tx {
    /// Records a person's communication needs and preferences, replacing what was there.
    pub async fn set_communication_profile(
        &mut self,
        patient: PatientId,
        profile: &CommunicationProfile,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let data = to_json(profile, "data")?;
        let needs = profile
            .needs
            .needs
            .iter()
            .map(|n| n.key())
            .collect::<Vec<_>>()
            .join(" ");
        let interpreter = profile.needs.interpreter().map(|i| i.code());
        let review_due = profile.review_due().map(|d| d.to_string());
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO communication_profile (patient_id, data, needs, interpreter, \
                 digitally_excluded, review_due, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (patient_id) DO UPDATE SET data = $2, needs = $3, interpreter = $4, \
                 digitally_excluded = $5, review_due = $6, updated_at = $7",
            )
            .bind(patient.as_uuid())
            .bind(&data)
            .bind(&needs)
            .bind(&interpreter)
            .bind(profile.preferences.digitally_excluded)
            .bind(&review_due)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Puts off the next review of a person's needs until `until` (a task to review them has
    /// just been raised), so the review is asked for once.
    pub async fn postpone_communication_review(
        &mut self,
        patient: PatientId,
        until: Date,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "UPDATE communication_profile SET review_due = $2, updated_at = $3 \
                 WHERE patient_id = $1",
            )
            .bind(patient.as_uuid())
            .bind(until.to_string())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Keeps a copy of a message in the patient's portal inbox. Copying the same message again
    /// changes nothing, so a retried delivery never shows twice.
    pub async fn record_portal_message(
        &mut self,
        patient: PatientId,
        message: &PortalMessage,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO portal_message (id, patient_id, template, subject, body, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(message.id.as_uuid())
            .bind(patient.as_uuid())
            .bind(message.template.as_str())
            .bind(&message.subject)
            .bind(&message.body)
            .bind(micros(message.created_at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Marks a patient's inbox message as read (only their own).
    pub async fn mark_portal_message_read(
        &mut self,
        patient: PatientId,
        id: MessageId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let done = write!(self, conn => {
            sqlx::query(
                "UPDATE portal_message SET read_at = COALESCE(read_at, $3) \
                 WHERE id = $1 AND patient_id = $2",
            )
            .bind(id.as_uuid())
            .bind(patient.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }
}

fn portal_message_from(row: &impl DbRow) -> Result<PortalMessage, StoreError> {
    Ok(PortalMessage {
        id: MessageId::from_uuid(row.uuid("id")?),
        template: row.parsed("template", MessageTemplate::parse)?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        created_at: row.instant("created_at")?,
        read_at: row.opt_instant("read_at")?,
    })
}

impl Store {
    /// A person's communication profile; an empty one when nothing is recorded yet.
    pub async fn communication_profile(
        &self,
        patient: PatientId,
    ) -> Result<CommunicationProfile, StoreError> {
        Ok(self
            .communication_profiles_for(&[patient])
            .await?
            .remove(&patient)
            .unwrap_or_default())
    }

    /// Communication profiles of several people at once (for flags on lists). People with
    /// nothing recorded are left out.
    pub async fn communication_profiles_for(
        &self,
        patients: &[PatientId],
    ) -> Result<HashMap<PatientId, CommunicationProfile>, StoreError> {
        self.json_by_patient("communication_profile", patients)
            .await
    }

    /// People whose recorded needs are due a review on or before `today`, oldest first.
    pub async fn communication_reviews_due(
        &self,
        today: Date,
        limit: u32,
    ) -> Result<Vec<PatientId>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT patient_id FROM communication_profile WHERE review_due <= $1 \
                 ORDER BY review_due, patient_id LIMIT $2",
            )
            .bind(today.to_string())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| Ok(PatientId::from_uuid(row.uuid("patient_id")?)))
                .collect()
        })
    }

    /// People recorded as having no internet access, for the staff list to call.
    pub async fn digitally_excluded_patients(
        &self,
        limit: u32,
    ) -> Result<Vec<PatientId>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT patient_id FROM communication_profile WHERE digitally_excluded = $1 \
                 ORDER BY updated_at DESC, patient_id LIMIT $2",
            )
            .bind(true)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| Ok(PatientId::from_uuid(row.uuid("patient_id")?)))
                .collect()
        })
    }

    /// A patient's inbox, newest first.
    pub async fn portal_messages(
        &self,
        patient: PatientId,
        limit: u32,
    ) -> Result<Vec<PortalMessage>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, template, subject, body, created_at, read_at FROM portal_message \
                 WHERE patient_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(patient.as_uuid())
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(portal_message_from).collect()
        })
    }

    /// How many inbox messages a patient has not opened.
    pub async fn unread_portal_messages(&self, patient: PatientId) -> Result<u32, StoreError> {
        read!(self, pool => {
            let row = sqlx::query(
                "SELECT COUNT(*) AS unread FROM portal_message \
                 WHERE patient_id = $1 AND read_at IS NULL",
            )
            .bind(patient.as_uuid())
            .fetch_one(pool)
            .await?;
            row.count("unread")
        })
    }
}
