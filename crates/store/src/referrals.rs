//! Referrals, the triage queue and a patient's own list.

use jiff::Timestamp;
use jiff::civil::Date;
use jointly_domain::intake::Referrer;
use jointly_domain::pathway::{Route, Urgency};
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::referral::{
    FreeText, Priority, ProblemArea, Referral, ReferralRecord, ReferralReference, ReferralSource,
    ReferralStatus,
};
use jointly_domain::{OrganisationId, PatientId, ReferralId, ServiceId, StaffUserId};

use crate::json::{opt_json, read_json};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "r.id, r.reference, r.patient_id, r.source, r.problem_area, r.description, r.status, \
         r.service_id, r.priority, r.received_at, r.triaged_at, r.triaged_by, r.triage_note, \
         r.version, r.questionnaire_response, r.digital_triage, r.urgency, r.referrer, \
         r.assisted_by, r.possible_duplicate_of, r.mdt, r.awaiting_reply, r.decision, r.attended, \
         r.missed, r.discharged_at, r.open_access_until"
    };
}

pub(crate) use columns as referral_columns;

/// Urgency as stored: a rank, so the triage queue sorts by it.
pub(crate) fn urgency_rank(urgency: Urgency) -> i64 {
    match urgency {
        Urgency::Emergency => 0,
        Urgency::Urgent => 1,
        Urgency::Soon => 2,
        Urgency::Routine => 3,
    }
}

pub(crate) fn urgency_from_rank(rank: i64) -> Result<Urgency, StoreError> {
    match rank {
        0 => Ok(Urgency::Emergency),
        1 => Ok(Urgency::Urgent),
        2 => Ok(Urgency::Soon),
        3 => Ok(Urgency::Routine),
        _ => Err(StoreError::Corrupt { column: "urgency" }),
    }
}

pub(crate) fn referral_from_row(row: &impl DbRow) -> Result<Referral, StoreError> {
    Ok(Referral::restore(ReferralRecord {
        id: ReferralId::from_uuid(row.uuid("id")?),
        reference: row.parsed("reference", ReferralReference::parse)?,
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        source: row.parsed("source", ReferralSource::parse)?,
        problem_area: row.parsed("problem_area", ProblemArea::parse)?,
        description: row.opt_parsed("description", FreeText::parse)?,
        status: row.parsed("status", ReferralStatus::parse)?,
        service_id: row.opt_uuid("service_id")?.map(ServiceId::from_uuid),
        priority: row.opt_parsed("priority", Priority::parse)?,
        received_at: row.instant("received_at")?,
        triaged_at: row.opt_instant("triaged_at")?,
        triaged_by: row.opt_uuid("triaged_by")?.map(StaffUserId::from_uuid),
        triage_note: row.opt_parsed("triage_note", FreeText::parse)?,
        answers: read_json(row, "questionnaire_response")?,
        digital_triage: read_json(row, "digital_triage")?,
        urgency: urgency_from_rank(row.int("urgency")?)?,
        referrer: read_json(row, "referrer")?,
        assisted_by: row.opt_uuid("assisted_by")?.map(StaffUserId::from_uuid),
        possible_duplicate_of: row
            .opt_uuid("possible_duplicate_of")?
            .map(ReferralId::from_uuid),
        mdt: row.boolean("mdt")?,
        awaiting_reply: row.boolean("awaiting_reply")?,
        decision: read_json(row, "decision")?,
        attended: row.count("attended")?,
        missed: row.count("missed")?,
        discharged_at: row.opt_instant("discharged_at")?,
        open_access_until: row.opt_instant("open_access_until")?,
        version: row.int("version")?,
    }))
}

/// A referral waiting in the triage queue, with just enough about the patient to triage it.
#[derive(Clone, Debug)]
pub struct TriageQueueItem {
    /// The referral.
    pub referral: Referral,
    /// The patient's name.
    pub patient_name: PersonName,
    /// The patient's date of birth.
    pub date_of_birth: Date,
}

/// One of a patient's referrals, with the name of the service it was routed to.
#[derive(Clone, Debug)]
pub struct PatientReferralView {
    /// The referral.
    pub referral: Referral,
    /// The service's name, once triaged.
    pub service_name: Option<String>,
}

/// What the triage queue shows: optionally only one suggested route or one body area.
#[derive(Clone, Debug, Default)]
pub struct QueueFilter {
    /// Only referrals the digital triage routed here.
    pub route: Option<Route>,
    /// Only referrals about this area.
    pub area: Option<ProblemArea>,
}

fn referrer_organisation(referral: &Referral) -> Option<uuid::Uuid> {
    match &referral.referrer {
        Some(Referrer::Professional { organisation, .. }) => Some(organisation.as_uuid()),
        _ => None,
    }
}

impl Store {
    /// The referral with `id`.
    pub async fn find_referral(&self, id: ReferralId) -> Result<Option<Referral>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referral r WHERE r.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(referral_from_row).transpose()
        })
    }

    /// Referrals an organisation made, newest first, in any of `statuses` (every status when
    /// empty), at most `limit`.
    pub async fn referrals_by_organisation(
        &self,
        organisation: OrganisationId,
        statuses: &[ReferralStatus],
        limit: u32,
    ) -> Result<Vec<Referral>, StoreError> {
        // Up to three statuses, padded by repeating one, so the query stays static.
        let all = statuses.is_empty();
        let code = |i: usize| {
            statuses
                .get(i)
                .or(statuses.first())
                .map_or("", |s| s.as_str())
        };
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM referral r WHERE r.organisation_id = $1 \
                 AND ($2 OR r.status IN ($3, $4, $5)) ORDER BY r.received_at DESC, r.id LIMIT $6"
            );
            let rows = sqlx::query(sql)
                .bind(organisation.as_uuid())
                .bind(all)
                .bind(code(0))
                .bind(code(1))
                .bind(code(2))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(referral_from_row).collect()
        })
    }

    /// Referrals awaiting triage, most urgent first, then longest waiting.
    pub async fn triage_queue(
        &self,
        filter: &QueueFilter,
        limit: u32,
    ) -> Result<Vec<TriageQueueItem>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), ", p.given_name, p.family_name, p.date_of_birth \
                 FROM referral r JOIN patient p ON p.id = r.patient_id \
                 WHERE r.status = 'awaiting_triage' \
                 AND ($1 IS NULL OR r.suggested_route = $1) AND ($2 IS NULL OR r.problem_area = $2) \
                 ORDER BY r.urgency, r.received_at, r.id LIMIT $3"
            );
            let rows = sqlx::query(sql)
                .bind(filter.route.map(Route::as_str))
                .bind(filter.area.map(ProblemArea::as_str))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(TriageQueueItem {
                        referral: referral_from_row(row)?,
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                        date_of_birth: row.date("date_of_birth")?,
                    })
                })
                .collect()
        })
    }

    /// Referrals listed for the multidisciplinary team meeting, most urgent first, then
    /// longest waiting.
    pub async fn mdt_list(&self, limit: u32) -> Result<Vec<TriageQueueItem>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), ", p.given_name, p.family_name, p.date_of_birth \
                 FROM referral r JOIN patient p ON p.id = r.patient_id \
                 WHERE r.mdt = $1 ORDER BY r.urgency, r.received_at, r.id LIMIT $2"
            );
            let rows = sqlx::query(sql)
                .bind(true)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(TriageQueueItem {
                        referral: referral_from_row(row)?,
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                        date_of_birth: row.date("date_of_birth")?,
                    })
                })
                .collect()
        })
    }

    /// Number of referrals awaiting triage.
    pub async fn triage_queue_length(&self) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM referral WHERE status = 'awaiting_triage'",
            )
            .fetch_one(pool)
            .await?)
        })
    }

    /// A patient's referrals, newest first.
    pub async fn referrals_for_patient(
        &self,
        patient_id: PatientId,
    ) -> Result<Vec<PatientReferralView>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), ", s.name AS service_name \
                 FROM referral r LEFT JOIN service s ON s.id = r.service_id \
                 WHERE r.patient_id = $1 ORDER BY r.received_at DESC"
            );
            let rows = sqlx::query(sql).bind(patient_id.as_uuid()).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    Ok(PatientReferralView {
                        referral: referral_from_row(row)?,
                        service_name: row.opt_text("service_name")?,
                    })
                })
                .collect()
        })
    }

    /// The patient's open referral (awaiting triage, waiting or booked) for `area`, if any.
    pub async fn open_referral_for(
        &self,
        patient: PatientId,
        area: ProblemArea,
    ) -> Result<Option<Referral>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", columns!(), " FROM referral r WHERE r.patient_id = $1 AND r.problem_area = $2 \
                 AND r.status IN ('awaiting_triage', 'waiting', 'booked') ORDER BY r.received_at LIMIT 1"
            );
            let row = sqlx::query(sql).bind(patient.as_uuid()).bind(area.as_str()).fetch_optional(pool).await?;
            row.as_ref().map(referral_from_row).transpose()
        })
    }

    /// How many referrals wait in `service` at `priority` or more urgently: the people ahead of
    /// someone joining it now.
    pub async fn waiting_ahead(
        &self,
        service: ServiceId,
        priority: Priority,
    ) -> Result<i64, StoreError> {
        let sql = match priority {
            Priority::Urgent => {
                "SELECT COUNT(*) FROM referral WHERE service_id = $1 AND status = 'waiting' AND priority = 'urgent'"
            }
            Priority::Soon => {
                "SELECT COUNT(*) FROM referral WHERE service_id = $1 AND status = 'waiting' AND priority IN ('urgent', 'soon')"
            }
            Priority::Routine => {
                "SELECT COUNT(*) FROM referral WHERE service_id = $1 AND status = 'waiting'"
            }
        };
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(sql).bind(service.as_uuid()).fetch_one(pool).await?)
        })
    }
}

impl Tx {
    /// Records a newly received referral.
    pub async fn insert_referral(
        &mut self,
        referral: &Referral,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let answers = opt_json(referral.answers.as_ref(), "questionnaire_response")?;
        let triage = opt_json(referral.digital_triage.as_ref(), "digital_triage")?;
        let referrer = opt_json(referral.referrer.as_ref(), "referrer")?;
        let decision = opt_json(referral.decision.as_ref(), "decision")?;
        let route = referral
            .digital_triage
            .as_ref()
            .and_then(|t| t.route())
            .map(Route::as_str);
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO referral (id, reference, patient_id, source, problem_area, description, \
                 status, service_id, priority, received_at, triaged_at, triaged_by, triage_note, \
                 version, questionnaire_response, digital_triage, urgency, suggested_route, referrer, \
                 organisation_id, assisted_by, possible_duplicate_of, mdt, awaiting_reply, decision, \
                 attended, missed, discharged_at, open_access_until, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                 $18, $19, $20, $21, $22, $23, $24, $25, $27, $28, $29, $30, $26, $26)",
            )
            .bind(referral.id.as_uuid())
            .bind(referral.reference.as_str())
            .bind(referral.patient_id.as_uuid())
            .bind(referral.source.as_str())
            .bind(referral.problem_area.as_str())
            .bind(referral.description.as_ref().map(FreeText::as_str))
            .bind(referral.status.as_str())
            .bind(referral.service_id.map(|s| s.as_uuid()))
            .bind(referral.priority.map(Priority::as_str))
            .bind(micros(referral.received_at))
            .bind(referral.triaged_at.map(micros))
            .bind(referral.triaged_by.map(|s| s.as_uuid()))
            .bind(referral.triage_note.as_ref().map(FreeText::as_str))
            .bind(referral.version)
            .bind(answers)
            .bind(triage)
            .bind(urgency_rank(referral.urgency))
            .bind(route)
            .bind(referrer)
            .bind(referrer_organisation(referral))
            .bind(referral.assisted_by.map(|s| s.as_uuid()))
            .bind(referral.possible_duplicate_of.map(|r| r.as_uuid()))
            .bind(referral.mdt)
            .bind(referral.awaiting_reply)
            .bind(decision)
            .bind(micros(now))
            .bind(i64::from(referral.attended))
            .bind(i64::from(referral.missed))
            .bind(referral.discharged_at.map(micros))
            .bind(referral.open_access_until.map(micros))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Saves a referral's new state, if nobody else changed it since it was read (its version
    /// still matches); otherwise nothing is written and the result is a conflict.
    pub async fn update_referral(
        &mut self,
        referral: &Referral,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let answers = opt_json(referral.answers.as_ref(), "questionnaire_response")?;
        let triage = opt_json(referral.digital_triage.as_ref(), "digital_triage")?;
        let decision = opt_json(referral.decision.as_ref(), "decision")?;
        let route = referral
            .digital_triage
            .as_ref()
            .and_then(|t| t.route())
            .map(Route::as_str);
        let result = write!(self, conn => {
            sqlx::query(
                "UPDATE referral SET status = $2, service_id = $3, priority = $4, triaged_at = $5, \
                 triaged_by = $6, triage_note = $7, questionnaire_response = $8, digital_triage = $9, \
                 urgency = $10, suggested_route = $11, mdt = $12, awaiting_reply = $13, decision = $14, \
                 attended = $17, missed = $18, discharged_at = $19, open_access_until = $20, \
                 version = version + 1, updated_at = $15 WHERE id = $1 AND version = $16",
            )
            .bind(referral.id.as_uuid())
            .bind(referral.status.as_str())
            .bind(referral.service_id.map(|s| s.as_uuid()))
            .bind(referral.priority.map(Priority::as_str))
            .bind(referral.triaged_at.map(micros))
            .bind(referral.triaged_by.map(|s| s.as_uuid()))
            .bind(referral.triage_note.as_ref().map(FreeText::as_str))
            .bind(answers)
            .bind(triage)
            .bind(urgency_rank(referral.urgency))
            .bind(route)
            .bind(referral.mdt)
            .bind(referral.awaiting_reply)
            .bind(decision)
            .bind(micros(now))
            .bind(referral.version)
            .bind(i64::from(referral.attended))
            .bind(i64::from(referral.missed))
            .bind(referral.discharged_at.map(micros))
            .bind(referral.open_access_until.map(micros))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if result == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("referral_changed"))
        }
    }

    /// The referral with `id`, read inside this transaction.
    pub async fn find_referral(&mut self, id: ReferralId) -> Result<Option<Referral>, StoreError> {
        write!(self, conn => {
            let sql = concat!("SELECT ", columns!(), " FROM referral r WHERE r.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(&mut *conn).await?;
            row.as_ref().map(referral_from_row).transpose()
        })
    }
}
