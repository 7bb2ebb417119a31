//! JSON columns: documents stored as text (answers, decisions, message data), read back
//! through their domain types so a bad document is reported as corrupt, not half-read.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::row::DbRow;

/// The document as text for storage.
pub(crate) fn to_json<T: Serialize>(value: &T, column: &'static str) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|_| StoreError::Corrupt { column })
}

/// An optional document as text.
pub(crate) fn opt_json<T: Serialize>(
    value: Option<&T>,
    column: &'static str,
) -> Result<Option<String>, StoreError> {
    value.map(|v| to_json(v, column)).transpose()
}

/// Reads an optional document column.
pub(crate) fn read_json<T: DeserializeOwned>(
    row: &impl DbRow,
    column: &'static str,
) -> Result<Option<T>, StoreError> {
    row.opt_text(column)?
        .map(|text| serde_json::from_str(&text).map_err(|_| StoreError::Corrupt { column }))
        .transpose()
}

impl crate::Store {
    /// The JSON `data` kept per patient in `table` (one of ours, keyed by `patient_id`) for
    /// each of `patients`, in chunks the databases accept; patients with nothing recorded are
    /// left out.
    pub(crate) async fn json_by_patient<T: DeserializeOwned + Default>(
        &self,
        table: &'static str,
        patients: &[jointly_domain::PatientId],
    ) -> Result<std::collections::HashMap<jointly_domain::PatientId, T>, StoreError> {
        let mut found = std::collections::HashMap::new();
        for chunk in patients.chunks(500) {
            let rows: Vec<(jointly_domain::PatientId, T)> = crate::read!(self, pool => {
                let mut query = sqlx::QueryBuilder::new(format!(
                    "SELECT patient_id, data FROM {table} WHERE patient_id IN ("
                ));
                let mut list = query.separated(", ");
                for patient in chunk {
                    list.push_bind(patient.as_uuid());
                }
                query.push(")");
                let rows = query.build().fetch_all(pool).await?;
                rows.iter()
                    .map(|row| {
                        Ok((
                            jointly_domain::PatientId::from_uuid(row.uuid("patient_id")?),
                            read_json(row, "data")?.unwrap_or_default(),
                        ))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            })?;
            found.extend(rows);
        }
        Ok(found)
    }
}
