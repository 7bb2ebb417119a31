//! Signpostings: the community services and information a clinician pointed a person to, or
//! referred them to, for their passport.

use jointly_domain::directory::{Resource, SignpostAction, Signposting};
use jointly_domain::{PatientId, SignpostingId, StaffUserId};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

fn signposting_from_row(row: &impl DbRow) -> Result<Signposting, StoreError> {
    let code = row.text("resource_code")?;
    let resource = match row.text("resource_kind")?.as_str() {
        "topic" => Resource::Topic(code),
        "service" => Resource::Service(code),
        _ => {
            return Err(StoreError::Corrupt {
                column: "resource_kind",
            });
        }
    };
    Ok(Signposting {
        id: SignpostingId::from_uuid(row.uuid("id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        resource,
        action: row.parsed("action", SignpostAction::parse)?,
        note: row.opt_text("note")?,
        by: StaffUserId::from_uuid(row.uuid("by_id")?),
        at: row.instant("created_at")?,
    })
}

impl Store {
    /// A person's signpostings, oldest first.
    pub async fn signpostings(&self, patient: PatientId) -> Result<Vec<Signposting>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, patient_id, resource_kind, resource_code, action, note, by_id, \
                 created_at FROM signposting WHERE patient_id = $1 ORDER BY created_at, id",
            )
            .bind(patient.as_uuid())
            .fetch_all(pool)
            .await?;
            rows.iter().map(signposting_from_row).collect()
        })
    }
}

impl Tx {
    /// Records a signposting.
    pub async fn insert_signposting(
        &mut self,
        signposting: &Signposting,
    ) -> Result<(), StoreError> {
        let (kind, code) = match &signposting.resource {
            Resource::Topic(code) => ("topic", code),
            Resource::Service(code) => ("service", code),
        };
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO signposting (id, patient_id, resource_kind, resource_code, action, \
                 note, by_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(signposting.id.as_uuid())
            .bind(signposting.patient_id.as_uuid())
            .bind(kind)
            .bind(code)
            .bind(signposting.action.as_str())
            .bind(signposting.note.as_deref())
            .bind(signposting.by.as_uuid())
            .bind(micros(signposting.at))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
