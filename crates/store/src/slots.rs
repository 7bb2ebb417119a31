//! Slots and appointments: the booking side of the journey.

use jiff::Timestamp;
use jointly_domain::appointment::{Appointment, AppointmentStatus};
use jointly_domain::clinician::ClinicalRole;
use jointly_domain::communication::Interpreter;
use jointly_domain::event::Actor;
use jointly_domain::location::LocationDetails;
use jointly_domain::rota::GeneratedSlot;
use jointly_domain::slot::{AppointmentKind, Modality, Slot, SlotStatus};
use jointly_domain::{
    AppointmentId, ClinicianId, LocationId, OrganisationId, PatientId, ReferralId, ServiceId,
    SlotId, StaffUserId,
};

use crate::row::{DbRow, micros};
use crate::{Store, StoreError, Tx, read, write};

/// Rows per multi-row insert; well inside both backends' limits on bound parameters.
const INSERT_CHUNK: usize = 500;

macro_rules! slot_columns {
    () => {
        "sl.id, sl.service_id, sl.location_id, sl.clinician_id, sl.starts_at, sl.ends_at, \
         sl.modality, sl.status, sl.kind"
    };
}
pub(crate) use slot_columns;

macro_rules! view_joins {
    () => {
        " FROM slot sl JOIN location l ON l.id = sl.location_id \
          JOIN clinician c ON c.id = sl.clinician_id JOIN service s ON s.id = sl.service_id"
    };
}

pub(crate) fn slot_from_row(row: &impl DbRow) -> Result<Slot, StoreError> {
    Ok(Slot {
        id: SlotId::from_uuid(row.uuid("id")?),
        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
        location_id: LocationId::from_uuid(row.uuid("location_id")?),
        clinician_id: ClinicianId::from_uuid(row.uuid("clinician_id")?),
        start: row.instant("starts_at")?,
        end: row.instant("ends_at")?,
        modality: row.parsed("modality", Modality::parse)?,
        status: row.parsed("status", SlotStatus::parse)?,
        kind: row.parsed("kind", AppointmentKind::parse)?,
    })
}

/// The first free new-patient slot of a service at a place, by one kind of appointment.
#[derive(Clone, Debug)]
pub struct FirstFree {
    /// The service.
    pub service_id: ServiceId,
    /// The place.
    pub location_id: LocationId,
    /// Face to face, phone, video or group.
    pub modality: Modality,
    /// When the first one starts.
    pub first: Timestamp,
    /// How many are free in the window asked about.
    pub free: u32,
}

/// A slot as offered to a patient: when, where, how and with whom (by role).
#[derive(Clone, Debug)]
pub struct SlotView {
    /// The slot.
    pub slot: Slot,
    /// Location name.
    pub location_name: String,
    /// Location town.
    pub location_town: String,
    /// Street address of the location.
    pub location_address: String,
    /// Where the location is: latitude and longitude.
    pub location_point: (f64, f64),
    /// Whether the location has step-free access.
    pub location_step_free: bool,
    /// Hearing loop, parking, transport and opening hours.
    pub location_details: LocationDetails,
    /// The clinician's role.
    pub clinician_role: ClinicalRole,
    /// The service.
    pub service_name: String,
}

fn slot_view_from_row(row: &impl DbRow) -> Result<SlotView, StoreError> {
    Ok(SlotView {
        slot: slot_from_row(row)?,
        location_name: row.text("location_name")?,
        location_town: row.text("location_town")?,
        location_address: row.text("location_address")?,
        location_point: (
            row.float("location_latitude")?,
            row.float("location_longitude")?,
        ),
        location_step_free: row.boolean("location_step_free")?,
        location_details: crate::json::read_json(row, "location_details")?.unwrap_or_default(),
        clinician_role: row.parsed("clinician_role", ClinicalRole::parse)?,
        service_name: row.text("service_name")?,
    })
}

fn appointment_from_row(row: &impl DbRow) -> Result<Appointment, StoreError> {
    let by_id = row.opt_uuid("booked_by_id")?;
    let booked_by = match (row.text("booked_by_kind")?.as_str(), by_id) {
        ("patient", Some(id)) => Actor::Patient(PatientId::from_uuid(id)),
        ("staff", Some(id)) => Actor::Staff(StaffUserId::from_uuid(id)),
        ("organisation", Some(id)) => Actor::Organisation(OrganisationId::from_uuid(id)),
        ("system", None) => Actor::System,
        _ => {
            return Err(StoreError::Corrupt {
                column: "booked_by_kind",
            });
        }
    };
    Ok(Appointment {
        id: AppointmentId::from_uuid(row.uuid("appointment_id")?),
        slot_id: SlotId::from_uuid(row.uuid("slot_id")?),
        referral_id: ReferralId::from_uuid(row.uuid("referral_id")?),
        patient_id: PatientId::from_uuid(row.uuid("patient_id")?),
        status: row.parsed("appointment_status", AppointmentStatus::parse)?,
        booked_at: row.instant("booked_at")?,
        booked_by,
        interpreter: row.opt_parsed("interpreter", Interpreter::parse)?,
        extra_slot_id: row.opt_uuid("extra_slot_id")?.map(SlotId::from_uuid),
        confirmed_at: row.opt_instant("confirmed_at")?,
    })
}

/// Storage form of an actor: (kind, id).
pub(crate) fn actor_parts(actor: Actor) -> (&'static str, Option<uuid::Uuid>) {
    match actor {
        Actor::Patient(id) => ("patient", Some(id.as_uuid())),
        Actor::Staff(id) => ("staff", Some(id.as_uuid())),
        Actor::Organisation(id) => ("organisation", Some(id.as_uuid())),
        Actor::System => ("system", None),
    }
}

macro_rules! appointment_columns {
    () => {
        ", a.id AS appointment_id, a.slot_id, a.referral_id, a.patient_id, \
         a.status AS appointment_status, a.booked_at, a.booked_by_kind, a.booked_by_id, \
         a.interpreter, a.extra_slot_id, a.confirmed_at"
    };
}

macro_rules! view_columns {
    () => {
        ", l.name AS location_name, l.town AS location_town, l.address AS location_address, \
         l.latitude AS location_latitude, l.longitude AS location_longitude, \
         l.step_free AS location_step_free, l.details AS location_details, c.role AS clinician_role, s.name AS service_name"
    };
}

impl Store {
    /// The slot with `id`.
    pub async fn find_slot(&self, id: SlotId) -> Result<Option<Slot>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", slot_columns!(), " FROM slot sl WHERE sl.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(slot_from_row).transpose()
        })
    }

    /// The slot with `id`, with its place and service.
    pub async fn slot_view(&self, id: SlotId) -> Result<Option<SlotView>, StoreError> {
        read!(self, pool => {
            let sql = concat!("SELECT ", slot_columns!(), view_columns!(), view_joins!(), " WHERE sl.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref().map(slot_view_from_row).transpose()
        })
    }

    /// Free slots in `service` starting at or after `from`, earliest first (by start, then id).
    pub async fn free_slots(
        &self,
        service: ServiceId,
        from: Timestamp,
        limit: u32,
    ) -> Result<Vec<SlotView>, StoreError> {
        self.free_slots_after(service, AppointmentKind::Any, from, None, limit)
            .await
    }

    /// The next page of [`Store::free_slots`]: those after `after` in the same order, for
    /// `kind` of appointment (`Any` for every slot).
    pub async fn free_slots_after(
        &self,
        service: ServiceId,
        kind: AppointmentKind,
        from: Timestamp,
        after: Option<&Slot>,
        limit: u32,
    ) -> Result<Vec<SlotView>, StoreError> {
        self.free_slots_between(service, kind, from, Timestamp::MAX, after, limit)
            .await
    }

    /// Free slots in `service` for `kind` of appointment (slots for either kind always match;
    /// `Any` matches every slot) starting from `from` and before `until`, after `after`,
    /// earliest first (by start, then id): one index range per page.
    pub async fn free_slots_between(
        &self,
        service: ServiceId,
        kind: AppointmentKind,
        from: Timestamp,
        until: Timestamp,
        after: Option<&Slot>,
        limit: u32,
    ) -> Result<Vec<SlotView>, StoreError> {
        // Keyset paging: (start, id) after the last row seen, so each page is an index range.
        let (after_start, after_id) = after.map_or((micros(from) - 1, uuid::Uuid::max()), |s| {
            (micros(s.start), s.id.as_uuid())
        });
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", slot_columns!(), view_columns!(), view_joins!(),
                " WHERE sl.service_id = $1 AND sl.status = 'free' AND sl.starts_at >= $2 \
                 AND (sl.starts_at > $3 OR (sl.starts_at = $3 AND sl.id > $4)) \
                 AND sl.starts_at < $5 AND (sl.kind = 'any' OR $7 = 'any' OR sl.kind = $7) \
                 ORDER BY sl.starts_at, sl.id LIMIT $6"
            );
            let rows = sqlx::query(sql)
                .bind(service.as_uuid())
                .bind(micros(from))
                .bind(after_start)
                .bind(after_id)
                .bind(micros(until))
                .bind(i64::from(limit))
                .bind(kind.as_str())
                .fetch_all(pool)
                .await?;
            rows.iter().map(slot_view_from_row).collect()
        })
    }

    /// A patient's appointments with their slots, soonest first.
    pub async fn appointments_for_patient(
        &self,
        patient: PatientId,
    ) -> Result<Vec<(Appointment, SlotView)>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", slot_columns!(), view_columns!(), appointment_columns!(),
                view_joins!(),
                " JOIN appointment a ON a.slot_id = sl.id WHERE a.patient_id = $1 \
                 ORDER BY sl.starts_at"
            );
            let rows = sqlx::query(sql).bind(patient.as_uuid()).fetch_all(pool).await?;
            rows.iter()
                .map(|row| Ok((appointment_from_row(row)?, slot_view_from_row(row)?)))
                .collect()
        })
    }

    /// The appointment `id` with its slot.
    pub async fn find_appointment(
        &self,
        id: AppointmentId,
    ) -> Result<Option<(Appointment, SlotView)>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT ", slot_columns!(), view_columns!(), appointment_columns!(),
                view_joins!(),
                " JOIN appointment a ON a.slot_id = sl.id WHERE a.id = $1"
            );
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(pool).await?;
            row.as_ref()
                .map(|row| Ok((appointment_from_row(row)?, slot_view_from_row(row)?)))
                .transpose()
        })
    }

    /// Booked appointments due the reminder `days` before them at `now`: starting within
    /// `days` days, booked before that point (a later booking had its confirmation), and not
    /// yet sent this reminder or a nearer one. At most `limit`, soonest first.
    pub async fn appointments_due_reminder(
        &self,
        days: u32,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Appointment>, StoreError> {
        let lead = i64::from(days) * 24 * 3_600_000_000;
        read!(self, pool => {
            let sql = concat!(
                "SELECT sl.starts_at", appointment_columns!(),
                " FROM slot sl JOIN appointment a ON a.slot_id = sl.id \
                 WHERE sl.starts_at > $1 AND sl.starts_at <= $1 + $2 AND a.status = 'booked' \
                 AND a.booked_at <= sl.starts_at - $2 \
                 AND (a.reminded_days IS NULL OR a.reminded_days > $3) \
                 ORDER BY sl.starts_at LIMIT $4"
            );
            let rows = sqlx::query(sql)
                .bind(micros(now))
                .bind(lead)
                .bind(i64::from(days))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(appointment_from_row).collect()
        })
    }

    /// Appointments still booked (the patient has not arrived) starting in `[from, to)`, with
    /// `clinician` and at `location` when given: the people a running-late notice is for, or
    /// whose appointments a clinician's leave or a closure falls on.
    pub async fn booked_between(
        &self,
        clinician: Option<ClinicianId>,
        location: Option<LocationId>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Appointment>, StoreError> {
        read!(self, pool => {
            let sql = concat!(
                "SELECT sl.starts_at", appointment_columns!(),
                " FROM slot sl JOIN appointment a ON a.slot_id = sl.id \
                 WHERE ($1 IS NULL OR sl.clinician_id = $1) AND ($4 IS NULL OR sl.location_id = $4) \
                 AND sl.starts_at >= $2 AND sl.starts_at < $3 \
                 AND a.status = 'booked' ORDER BY sl.starts_at"
            );
            let rows = sqlx::query(sql)
                .bind(clinician.map(|c| c.as_uuid()))
                .bind(micros(from))
                .bind(micros(to))
                .bind(location.map(|l| l.as_uuid()))
                .fetch_all(pool)
                .await?;
            rows.iter().map(appointment_from_row).collect()
        })
    }

    /// For each service, place and kind of appointment (face to face, phone, video, group):
    /// the first free slot a new patient can book from `from`, and how many are free in the
    /// next `until`. For the public waiting times.
    pub async fn first_free_new_slots(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<FirstFree>, StoreError> {
        read!(self, pool => {
            let rows = sqlx::query(
                "SELECT service_id, location_id, modality, MIN(starts_at) AS first, \
                 COUNT(*) AS free FROM slot WHERE status = 'free' AND kind IN ('new', 'any') \
                 AND starts_at >= $1 AND starts_at < $2 \
                 GROUP BY service_id, location_id, modality",
            )
            .bind(micros(from))
            .bind(micros(until))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(FirstFree {
                        service_id: ServiceId::from_uuid(row.uuid("service_id")?),
                        location_id: LocationId::from_uuid(row.uuid("location_id")?),
                        modality: row.parsed("modality", Modality::parse)?,
                        first: row.instant("first")?,
                        free: row.count("free")?,
                    })
                })
                .collect()
        })
    }

    /// Appointments booked in `service` since `since`: the service's recent throughput, for
    /// estimating waits.
    pub async fn appointments_booked_since(
        &self,
        service: ServiceId,
        since: Timestamp,
    ) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM appointment a JOIN slot sl ON sl.id = a.slot_id \
                 WHERE sl.service_id = $1 AND a.booked_at >= $2",
            )
            .bind(service.as_uuid())
            .bind(micros(since))
            .fetch_one(pool)
            .await?)
        })
    }

    /// Number of free slots from `from` onwards, across all services.
    pub async fn count_free_slots(&self, from: Timestamp) -> Result<i64, StoreError> {
        read!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM slot WHERE status = 'free' AND starts_at >= $1",
            )
            .bind(micros(from))
            .fetch_one(pool)
            .await?)
        })
    }
}

impl Tx {
    /// Records slots, many rows per statement.
    pub async fn insert_slots(&mut self, slots: &[Slot], now: Timestamp) -> Result<(), StoreError> {
        for chunk in slots.chunks(INSERT_CHUNK) {
            write!(self, conn => {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO slot (id, service_id, location_id, clinician_id, starts_at, \
                     ends_at, modality, status, kind, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, slot| {
                    row.push_bind(slot.id.as_uuid())
                        .push_bind(slot.service_id.as_uuid())
                        .push_bind(slot.location_id.as_uuid())
                        .push_bind(slot.clinician_id.as_uuid())
                        .push_bind(micros(slot.start))
                        .push_bind(micros(slot.end))
                        .push_bind(slot.modality.as_str())
                        .push_bind(slot.status.as_str())
                        .push_bind(slot.kind.as_str())
                        .push_bind(micros(now))
                        .push_bind(micros(now));
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    /// Records slots made from rota sessions. A (session, start) already made is skipped, so
    /// making the same days again (or from two instances at once) adds nothing twice. Returns
    /// how many were added.
    pub async fn insert_generated_slots(
        &mut self,
        slots: &[GeneratedSlot],
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        let mut added = 0;
        for chunk in slots.chunks(INSERT_CHUNK) {
            added += write!(self, conn => {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO slot (id, service_id, location_id, clinician_id, starts_at, \
                     ends_at, modality, status, kind, rota_session_id, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, generated| {
                    let slot = &generated.slot;
                    row.push_bind(slot.id.as_uuid())
                        .push_bind(slot.service_id.as_uuid())
                        .push_bind(slot.location_id.as_uuid())
                        .push_bind(slot.clinician_id.as_uuid())
                        .push_bind(micros(slot.start))
                        .push_bind(micros(slot.end))
                        .push_bind(slot.modality.as_str())
                        .push_bind(slot.status.as_str())
                        .push_bind(slot.kind.as_str())
                        .push_bind(generated.session.as_uuid())
                        .push_bind(micros(now))
                        .push_bind(micros(now));
                });
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(&mut *conn).await?.rows_affected()
            });
        }
        Ok(added)
    }

    /// Blocks the free slots a rota exception covers (one clinician's, or every clinician's at
    /// a location) from `from` to before `until`, so nobody can book them. Returns how many.
    pub async fn block_free_slots(
        &mut self,
        clinician: Option<ClinicianId>,
        location: Option<LocationId>,
        from: Timestamp,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        Ok(write!(self, conn => {
            sqlx::query(
                "UPDATE slot SET status = 'blocked', updated_at = $5 WHERE status = 'free' \
                 AND starts_at >= $3 AND starts_at < $4 \
                 AND ($1 IS NULL OR clinician_id = $1) AND ($2 IS NULL OR location_id = $2)",
            )
            .bind(clinician.map(|c| c.as_uuid()))
            .bind(location.map(|l| l.as_uuid()))
            .bind(micros(from))
            .bind(micros(until))
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }))
    }

    /// Frees a booked slot again after its appointment was cancelled.
    pub async fn release_slot(&mut self, slot: SlotId, now: Timestamp) -> Result<(), StoreError> {
        let released = write!(self, conn => {
            sqlx::query(
                "UPDATE slot SET status = 'free', updated_at = $2 WHERE id = $1 AND status = 'booked'",
            )
            .bind(slot.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if released == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("slot_not_booked"))
        }
    }

    /// Marks a booked appointment cancelled. Only one cancellation of it can succeed.
    pub async fn cancel_appointment(
        &mut self,
        appointment: AppointmentId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.move_appointment(
            appointment,
            AppointmentStatus::Booked,
            AppointmentStatus::Cancelled,
            now,
        )
        .await
    }

    /// Records that the patient confirmed a booked appointment.
    pub async fn confirm_appointment(
        &mut self,
        appointment: AppointmentId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            let done = sqlx::query(
                "UPDATE appointment SET confirmed_at = $2, updated_at = $2 \
                 WHERE id = $1 AND status = 'booked'",
            )
            .bind(appointment.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("appointment_changed"));
            }
        });
        Ok(())
    }

    /// Moves an appointment from status `from` to `to` (recording when a patient checked in),
    /// if it is still in `from`: of two people recording the same appointment at once, one
    /// succeeds and the other gets a conflict.
    pub async fn move_appointment(
        &mut self,
        appointment: AppointmentId,
        from: AppointmentStatus,
        to: AppointmentStatus,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let checked_in = (to == AppointmentStatus::CheckedIn).then(|| micros(now));
        let moved = write!(self, conn => {
            sqlx::query(
                "UPDATE appointment SET status = $3, checked_in_at = COALESCE($4, checked_in_at), \
                 updated_at = $5 WHERE id = $1 AND status = $2",
            )
            .bind(appointment.as_uuid())
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(checked_in)
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if moved == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("appointment_changed"))
        }
    }

    /// Notes that the reminder `days` before `appointment` has been queued.
    pub async fn mark_reminded(
        &mut self,
        appointment: AppointmentId,
        days: u32,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query("UPDATE appointment SET reminded_days = $2, updated_at = $3 WHERE id = $1")
                .bind(appointment.as_uuid())
                .bind(i64::from(days))
                .bind(micros(now))
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Holds the free slot straight after `slot` (same clinician and place, starting as it
    /// ends) so an appointment can run double length. Returns it, or `None` when that time is
    /// not free; a held slot is blocked, so no one else can book it.
    pub async fn hold_following_slot(
        &mut self,
        slot: &Slot,
        now: Timestamp,
    ) -> Result<Option<SlotId>, StoreError> {
        write!(self, conn => {
            let row = sqlx::query(
                "UPDATE slot SET status = 'blocked', updated_at = $4 WHERE id = (SELECT id FROM slot \
                 WHERE clinician_id = $1 AND location_id = $2 AND starts_at = $3 AND status = 'free' \
                 LIMIT 1) AND status = 'free' RETURNING id",
            )
            .bind(slot.clinician_id.as_uuid())
            .bind(slot.location_id.as_uuid())
            .bind(micros(slot.end))
            .bind(micros(now))
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|r| r.uuid("id").map(SlotId::from_uuid)).transpose()
        })
    }

    /// Frees the extra time held for an appointment, when it is cancelled.
    pub async fn release_held_slot(
        &mut self,
        slot: SlotId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        write!(self, conn => {
            sqlx::query(
                "UPDATE slot SET status = 'free', updated_at = $2 WHERE id = $1 AND status = 'blocked'",
            )
            .bind(slot.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Marks a free slot booked. Exactly one of any number of concurrent callers succeeds; the
    /// others get `Conflict("slot_taken")` and change nothing.
    pub async fn take_free_slot(&mut self, slot: SlotId, now: Timestamp) -> Result<(), StoreError> {
        let taken = write!(self, conn => {
            sqlx::query(
                "UPDATE slot SET status = 'booked', updated_at = $2 WHERE id = $1 AND status = 'free'",
            )
            .bind(slot.as_uuid())
            .bind(micros(now))
            .execute(&mut *conn)
            .await?
            .rows_affected()
        });
        if taken == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("slot_taken"))
        }
    }

    /// The slot with `id`, read inside this transaction.
    pub async fn find_slot(&mut self, id: SlotId) -> Result<Option<Slot>, StoreError> {
        write!(self, conn => {
            let sql = concat!("SELECT ", slot_columns!(), " FROM slot sl WHERE sl.id = $1");
            let row = sqlx::query(sql).bind(id.as_uuid()).fetch_optional(&mut *conn).await?;
            row.as_ref().map(slot_from_row).transpose()
        })
    }

    /// Records appointments, many rows per statement.
    pub async fn insert_appointments(
        &mut self,
        appointments: &[Appointment],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        for chunk in appointments.chunks(INSERT_CHUNK) {
            write!(self, conn => {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO appointment (id, slot_id, referral_id, patient_id, status, booked_at, \
                     booked_by_kind, booked_by_id, interpreter, extra_slot_id, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, a| {
                    let (kind, by) = actor_parts(a.booked_by);
                    row.push_bind(a.id.as_uuid())
                        .push_bind(a.slot_id.as_uuid())
                        .push_bind(a.referral_id.as_uuid())
                        .push_bind(a.patient_id.as_uuid())
                        .push_bind(a.status.as_str())
                        .push_bind(micros(a.booked_at))
                        .push_bind(kind)
                        .push_bind(by)
                        .push_bind(a.interpreter.map(|i| i.code()))
                        .push_bind(a.extra_slot_id.map(|s| s.as_uuid()))
                        .push_bind(micros(now))
                        .push_bind(micros(now));
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }
}
