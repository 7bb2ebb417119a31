//! Group classes: sessions with places, people's places and the class waiting list.

use jiff::Timestamp;
use jointly_domain::class::{Class, ClassKind, ClassPlace, PlaceStatus};
use jointly_domain::patient::{NamePart, PersonName};
use jointly_domain::{
    ClassId, ClassPlaceId, ClinicianId, LocationId, PatientId, ReferralId, ServiceId,
};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

macro_rules! class_columns {
    () => {
        "c.id, c.kind, c.service_id, c.location_id, c.clinician_id, c.starts_at, c.ends_at, \
         c.places, c.booked, l.name AS location_name, l.town AS location_town, \
         l.address AS location_address, cl.given_name AS leader_given, \
         cl.family_name AS leader_family \
         FROM class_session c JOIN location l ON l.id = c.location_id \
         JOIN clinician cl ON cl.id = c.clinician_id"
    };
}

macro_rules! place_columns {
    () => {
        "p.id, p.class_id, p.referral_id, p.patient_id, p.status, p.requested_at"
    };
}

/// A class with where it is and who leads it.
#[derive(Clone, Debug)]
pub struct ClassView {
    /// The class.
    pub class: Class,
    /// Location name.
    pub location_name: String,
    /// Street address and town.
    pub location_address: String,
    /// Who leads it.
    pub leader: PersonName,
}

/// A place on a class register, with the person's name.
#[derive(Clone, Debug)]
pub struct RegisterEntry {
    /// The place.
    pub place: ClassPlace,
    /// The person's name.
    pub patient_name: PersonName,
}

fn class_from_row(row: &impl DbRow) -> Result<ClassView, StoreError> {
    Ok(ClassView {
        class: Class {
            id: ClassId::from_uuid(row.uuid("id")?),
            kind: row.parsed("kind", ClassKind::parse)?,
            service_id: ServiceId::from_uuid(row.uuid("service_id")?),
            location_id: LocationId::from_uuid(row.uuid("location_id")?),
            clinician_id: ClinicianId::from_uuid(row.uuid("clinician_id")?),
            start: row.instant("starts_at")?,
            end: row.instant("ends_at")?,
            places: row.count("places")?,
            booked: row.count("booked")?,
        },
        location_name: row.text("location_name")?,
        location_address: format!(
            "{}, {}",
            row.text("location_address")?,
            row.text("location_town")?
        ),
        leader: PersonName {
            given: row.parsed("leader_given", NamePart::parse)?,
            family: row.parsed("leader_family", NamePart::parse)?,
        },
    })
}

fn place_from_row(row: &impl DbRow) -> Result<ClassPlace, StoreError> {
    Ok(ClassPlace {
        id: ClassPlaceId::from_uuid(row.uuid("id")?),
        class_id: ClassId::from_uuid(row.uuid("class_id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        status: row.parsed("status", PlaceStatus::parse)?,
        requested_at: row.instant("requested_at")?,
    })
}

impl Store {
    /// Classes starting from `from`, soonest first, in `services` (every service if empty).
    pub async fn upcoming_classes(
        &self,
        services: &[ServiceId],
        from: Timestamp,
    ) -> Result<Vec<ClassView>, StoreError> {
        let all: Vec<ClassView> = read!(self, pool => {
            let sql = concat!("SELECT ", class_columns!(), " WHERE c.starts_at >= $1 ORDER BY c.starts_at, c.id LIMIT 500");
            let rows = sqlx::query(sql).bind(micros(from)).fetch_all(pool).await?;
            rows.iter().map(class_from_row).collect::<Result<Vec<_>, StoreError>>()
        })?;
        Ok(all
            .into_iter()
            .filter(|c| services.is_empty() || services.contains(&c.class.service_id))
            .collect())
    }

    /// The class with `id`.
    pub async fn find_class(&self, id: ClassId) -> Result<Option<ClassView>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", class_columns!(), " WHERE c.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(class_from_row).transpose()
        })
    }

    /// A class's places and waiting list, in the order they asked.
    pub async fn class_register(&self, class: ClassId) -> Result<Vec<RegisterEntry>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", place_columns!(), ", pt.given_name, pt.family_name FROM class_place p \
                 JOIN patient pt ON pt.id = p.patient_id WHERE p.class_id = $1 \
                 ORDER BY p.requested_at, p.id"
            );
            let rows = sqlx::query(sql).bind(class.as_uuid()).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    Ok(RegisterEntry {
                        place: place_from_row(row)?,
                        patient_name: PersonName {
                            given: row.parsed("given_name", NamePart::parse)?,
                            family: row.parsed("family_name", NamePart::parse)?,
                        },
                    })
                })
                .collect()
        })
    }

    /// A person's places in classes, newest first.
    pub async fn class_places_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<ClassPlace>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", place_columns!(), " FROM class_place p WHERE p.patient_id = $1 \
                 ORDER BY p.requested_at DESC, p.id"
            );
            let rows = sqlx::query(sql).bind(patient.as_uuid()).fetch_all(pool).await?;
            rows.iter().map(place_from_row).collect()
        })
    }

    /// The place with `id`.
    pub async fn find_class_place(
        &self,
        id: ClassPlaceId,
    ) -> Result<Option<ClassPlace>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", place_columns!(), " FROM class_place p WHERE p.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(place_from_row).transpose()
        })
    }
}

impl Tx {
    /// Records a class.
    pub async fn insert_class(&mut self, class: &Class, now: Timestamp) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO class_session (id, kind, service_id, location_id, clinician_id, \
                 starts_at, ends_at, places, booked, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .bind(class.id.as_uuid())
            .bind(class.kind.as_str())
            .bind(class.service_id.as_uuid())
            .bind(class.location_id.as_uuid())
            .bind(class.clinician_id.as_uuid())
            .bind(micros(class.start))
            .bind(micros(class.end))
            .bind(i64::from(class.places))
            .bind(i64::from(class.booked))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Takes one of a class's places if any is free: of any number of people asking at once,
    /// only as many as there are places get one. Returns whether this caller did.
    pub async fn take_class_place(
        &mut self,
        class: ClassId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let taken = write!(self, conn => {
            sqlx::query(
                "UPDATE class_session SET booked = booked + 1, updated_at = $2 \
                 WHERE id = $1 AND booked < places",
            )
            .bind(class.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        Ok(taken == 1)
    }

    /// Gives back one of a class's places.
    pub async fn release_class_place(
        &mut self,
        class: ClassId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "UPDATE class_session SET booked = booked - 1, updated_at = $2 \
                 WHERE id = $1 AND booked > 0",
            )
            .bind(class.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Records a place (or place in the queue). A second live place for the same person in
    /// the same class is refused as a conflict.
    pub async fn insert_class_place(
        &mut self,
        place: &ClassPlace,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "INSERT INTO class_place (id, class_id, referral_id, patient_id, status, \
                 requested_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(place.id.as_uuid())
            .bind(place.class_id.as_uuid())
            .bind(place.referral_id.as_uuid())
            .bind(place.patient_id.as_uuid())
            .bind(place.status.as_str())
            .bind(micros(place.requested_at))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Moves a place from `from` to `to` if it is still in `from`.
    pub async fn move_class_place(
        &mut self,
        place: ClassPlaceId,
        from: PlaceStatus,
        to: PlaceStatus,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let moved = write!(self, conn => {
            sqlx::query("UPDATE class_place SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
                .bind(place.as_uuid())
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(micros(now))
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        if moved == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("place_changed"))
        }
    }

    /// The first person on a class's waiting list, read inside this transaction.
    pub async fn first_waiting_place(
        &mut self,
        class: ClassId,
    ) -> Result<Option<ClassPlace>, StoreError> {
        write!(self, conn => {
            let sql = concat!(
                "SELECT ", place_columns!(), " FROM class_place p WHERE p.class_id = $1 \
                 AND p.status = 'waiting' ORDER BY p.requested_at, p.id LIMIT 1"
            );
            let row = sqlx::query(sql).bind(class.as_uuid()).fetch_optional(&mut *conn).await?;
            row.as_ref().map(place_from_row).transpose()
        })
    }
}
