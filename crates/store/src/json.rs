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
