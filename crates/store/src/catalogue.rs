//! Reference data: services, locations and clinicians.

use jiff::Timestamp;
use jointly_domain::clinician::{ClinicalRole, Clinician};
use jointly_domain::contact::Postcode;
use jointly_domain::location::Location;
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::service::{Service, ServiceKind, ServiceRules};
use jointly_domain::{ClinicianId, LocationId, ServiceId};

use crate::json::{read_json, to_json};
use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

fn service_from_row(row: &impl DbRow) -> Result<Service, StoreError> {
    Ok(Service {
        id: ServiceId::from_uuid(row.uuid("id")?),
        code: row.text("code")?,
        name: row.text("name")?,
        kind: row.parsed("kind", ServiceKind::parse)?,
        rules: ServiceRules::new(
            row.count("open_access_days")?,
            row.count("discharge_after_missed")?,
        )
        .map_err(|_| StoreError::Corrupt {
            column: "open_access_days",
        })?,
    })
}

fn location_from_row(row: &impl DbRow) -> Result<Location, StoreError> {
    Ok(Location {
        id: LocationId::from_uuid(row.uuid("id")?),
        name: row.text("name")?,
        address: row.text("address")?,
        town: row.text("town")?,
        postcode: row.parsed("postcode", Postcode::parse)?,
        latitude: row.float("latitude")?,
        longitude: row.float("longitude")?,
        step_free: row.boolean("step_free")?,
        details: read_json(row, "details")?.unwrap_or_default(),
    })
}

fn clinician_from_row(row: &impl DbRow) -> Result<Clinician, StoreError> {
    Ok(Clinician {
        id: ClinicianId::from_uuid(row.uuid("id")?),
        name: PersonName {
            given: row.parsed("given_name", NamePart::parse)?,
            family: row.parsed("family_name", NamePart::parse)?,
        },
        role: row.parsed("role", ClinicalRole::parse)?,
        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
        skills: read_json(row, "skills")?.unwrap_or_default(),
    })
}

impl Store {
    /// Every service, by name.
    pub async fn list_services(&self) -> Result<Vec<Service>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query("SELECT id, code, name, kind, open_access_days, discharge_after_missed FROM service ORDER BY name")
                .fetch_all(pool)
                .await?;
            rows.iter().map(service_from_row).collect()
        })
    }

    /// The service with `id`.
    pub async fn find_service(&self, id: ServiceId) -> Result<Option<Service>, StoreError> {
        read!(self, pool => {
            let row = sqlx::query("SELECT id, code, name, kind, open_access_days, discharge_after_missed FROM service WHERE id = $1")
                .bind(id.as_uuid())
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(service_from_row).transpose()
        })
    }

    /// Every location, by name.
    pub async fn list_locations(&self) -> Result<Vec<Location>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, name, address, town, postcode, latitude, longitude, step_free, details \
                 FROM location ORDER BY name",
            )
            .fetch_all(pool)
            .await?;
            rows.iter().map(location_from_row).collect()
        })
    }

    /// Every clinician, by family name.
    pub async fn list_clinicians(&self) -> Result<Vec<Clinician>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, given_name, family_name, role, service_id, skills FROM clinician \
                 ORDER BY family_name, given_name",
            )
            .fetch_all(pool)
            .await?;
            rows.iter().map(clinician_from_row).collect()
        })
    }
}

impl Tx {
    /// Saves a service's rules.
    pub async fn update_service_rules(
        &mut self,
        service: ServiceId,
        rules: ServiceRules,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let updated = write!(self, conn => {
            sqlx::query(
                "UPDATE service SET open_access_days = $2, discharge_after_missed = $3, \
                 updated_at = $4 WHERE id = $1",
            )
            .bind(service.as_uuid())
            .bind(i64::from(rules.open_access_days))
            .bind(i64::from(rules.discharge_after_missed))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if updated == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Records a service.
    pub async fn insert_service(
        &mut self,
        service: &Service,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO service (id, code, name, kind, open_access_days, discharge_after_missed, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(service.id.as_uuid())
            .bind(&service.code)
            .bind(&service.name)
            .bind(service.kind.as_str())
            .bind(i64::from(service.rules.open_access_days))
            .bind(i64::from(service.rules.discharge_after_missed))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a location.
    pub async fn insert_location(
        &mut self,
        location: &Location,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let details = to_json(&location.details, "details")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO location (id, name, address, town, postcode, latitude, longitude, \
                 step_free, details, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9, $9)",
            )
            .bind(location.id.as_uuid())
            .bind(&location.name)
            .bind(&location.address)
            .bind(&location.town)
            .bind(location.postcode.as_str())
            .bind(location.latitude)
            .bind(location.longitude)
            .bind(location.step_free)
            .bind(micros(now))
            .bind(&details)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a clinician.
    pub async fn insert_clinician(
        &mut self,
        clinician: &Clinician,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let skills = to_json(&clinician.skills, "skills")?;
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO clinician (id, given_name, family_name, role, service_id, skills, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $7, $6, $6)",
            )
            .bind(clinician.id.as_uuid())
            .bind(clinician.name.given.as_str())
            .bind(clinician.name.family.as_str())
            .bind(clinician.role.as_str())
            .bind(clinician.service_id.as_uuid())
            .bind(micros(now))
            .bind(&skills)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }
}
