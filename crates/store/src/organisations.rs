//! Organisations registered to refer, and their API keys (only a hash is kept).

use jiff::Timestamp;
use jointly_domain::OrganisationId;
use jointly_domain::contact::EmailAddress;
use jointly_domain::intake::{OdsCode, OrganisationKind, ReferringOrganisation};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! columns {
    () => {
        "id, ods_code, name, kind, contact_email, active"
    };
}

fn organisation_from_row(row: &impl DbRow) -> Result<ReferringOrganisation, StoreError> {
    Ok(ReferringOrganisation {
        id: OrganisationId::from_uuid(row.uuid("id")?),
        ods_code: row.parsed("ods_code", OdsCode::parse)?,
        name: row.text("name")?,
        kind: row.parsed("kind", OrganisationKind::parse)?,
        contact_email: row.parsed("contact_email", EmailAddress::parse)?,
        active: row.boolean("active")?,
    })
}

impl Store {
    /// The organisation with this ODS code.
    pub async fn find_organisation_by_ods(
        &self,
        ods: &OdsCode,
    ) -> Result<Option<ReferringOrganisation>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referring_organisation WHERE ods_code = $1");
            let row = sqlx::query(sql).bind(ods.as_str()).fetch_optional(pool).await?;
            row.as_ref().map(organisation_from_row).transpose()
        })
    }

    /// The organisation with `id`.
    pub async fn find_organisation(
        &self,
        id: OrganisationId,
    ) -> Result<Option<ReferringOrganisation>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referring_organisation WHERE id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(organisation_from_row).transpose()
        })
    }

    /// The active organisation whose API key hashes to `key_hash`.
    pub async fn find_organisation_by_key(
        &self,
        key_hash: &str,
    ) -> Result<Option<ReferringOrganisation>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referring_organisation WHERE api_key_hash = $1 AND active = TRUE");
            let row = sqlx::query(sql).bind(key_hash).fetch_optional(pool).await?;
            row.as_ref().map(organisation_from_row).transpose()
        })
    }

    /// Every organisation, by name.
    pub async fn list_organisations(&self) -> Result<Vec<ReferringOrganisation>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", columns!(), " FROM referring_organisation ORDER BY name");
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            rows.iter().map(organisation_from_row).collect()
        })
    }
}

impl Tx {
    /// Registers an organisation.
    pub async fn insert_organisation(
        &mut self,
        organisation: &ReferringOrganisation,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO referring_organisation (id, ods_code, name, kind, contact_email, \
                 api_key_hash, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)",
            )
            .bind(organisation.id.as_uuid())
            .bind(organisation.ods_code.as_str())
            .bind(&organisation.name)
            .bind(organisation.kind.as_str())
            .bind(organisation.contact_email.as_str())
            .bind(organisation.active)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Replaces an organisation's API key (the old key stops working at once).
    pub async fn set_organisation_key(
        &mut self,
        id: OrganisationId,
        key_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let changed = write!(self, conn => {
            sqlx::query("UPDATE referring_organisation SET api_key_hash = $2, updated_at = $3 WHERE id = $1")
                .bind(id.as_uuid())
                .bind(key_hash)
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        if changed == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }
}
