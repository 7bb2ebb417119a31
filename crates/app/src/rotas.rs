//! Rotas: the recurring sessions that make slots over a rolling horizon, and leave, training
//! and closures that stop them (blocking free slots and raising a task to rebook anyone
//! already booked).

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jointly_domain::access::{Permission, may_manage_rota};
use jointly_domain::clinician::Clinician;
use jointly_domain::location::Location;
use jointly_domain::rota::{
    ExceptionReason, HORIZON_DAYS, RotaException, RotaSession, generate_slots, parse_weekday,
};
use jointly_domain::slot::{AppointmentKind, Modality};
use jointly_domain::task::{Task, TaskKind};
use jointly_domain::{
    ClinicianId, Invalid, LocationId, RotaExceptionId, RotaSessionId, SlotId, ValidationErrors,
    local_date, london,
};
use jointly_store::{AuditAction, AuditOutcome, AuditRecord};

use crate::principal::Principal;
use crate::{App, AppError};

/// The rotas a member of staff keeps, with what they need to add to them.
#[derive(Clone, Debug)]
pub struct RotaOverview {
    /// Sessions, by clinician then day and start.
    pub sessions: Vec<RotaSession>,
    /// Leave, training and closures from today on.
    pub exceptions: Vec<RotaException>,
    /// The clinicians whose rotas they keep.
    pub clinicians: Vec<Clinician>,
    /// Every location.
    pub locations: Vec<Location>,
    /// The next bank holidays.
    pub bank_holidays: Vec<Date>,
}

/// A rota session as entered on the form or sent to the API.
#[derive(Clone, Debug, Default)]
pub struct SessionForm {
    /// Clinician id.
    pub clinician: String,
    /// Location id.
    pub location: String,
    /// `monday` … `sunday`.
    pub weekday: String,
    /// `HH:MM`.
    pub starts: String,
    /// `HH:MM`.
    pub ends: String,
    /// Modality code.
    pub modality: String,
    /// `new`, `follow_up` or `any`.
    pub kind: String,
    /// Minutes per appointment.
    pub minutes: String,
    /// First day, `YYYY-MM-DD` (today when empty).
    pub valid_from: String,
    /// Last day, optional.
    pub valid_until: String,
    /// `yes` to run on bank holidays.
    pub on_bank_holidays: String,
}

/// Leave, training or a closure as entered.
#[derive(Clone, Debug, Default)]
pub struct ExceptionForm {
    /// Clinician id (for leave and training).
    pub clinician: String,
    /// Location id (for a closure).
    pub location: String,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// `leave`, `training` or `closure`.
    pub reason: String,
}

/// What adding an exception did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionOutcome {
    /// Free slots blocked.
    pub blocked: u64,
    /// Booked appointments that need rebooking (a task raised for each).
    pub to_rebook: usize,
}

fn trimmed(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

fn date_field(errors: &mut ValidationErrors, field: &'static str, value: &str) -> Option<Date> {
    let value = trimmed(value)?;
    match value.parse() {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, Invalid("not-a-date"));
            None
        }
    }
}

fn required<T>(
    errors: &mut ValidationErrors,
    field: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Option<T> {
    match trimmed(value).map(parse) {
        None => {
            errors.add(field, Invalid("missing"));
            None
        }
        Some(Err(problem)) => {
            errors.add(field, problem);
            None
        }
        Some(Ok(value)) => Some(value),
    }
}

fn time_of_day(value: &str) -> Result<Time, Invalid> {
    value.parse().map_err(|_| Invalid("not-a-time"))
}

impl App {
    /// The rotas `by` keeps: their services' clinicians (every service's for a service
    /// manager), sessions, coming leave and closures, and bank holidays.
    pub async fn rota_overview(&self, by: &Principal) -> Result<RotaOverview, AppError> {
        let scope = by.staff_scope(Permission::ManageRotas)?;
        let clinicians: Vec<Clinician> = self
            .store
            .list_clinicians()
            .await?
            .into_iter()
            .filter(|c| may_manage_rota(scope, c.service_id))
            .collect();
        let mine = |id: ClinicianId| clinicians.iter().any(|c| c.id == id);
        let mut sessions: Vec<RotaSession> = self
            .store
            .rota_sessions()
            .await?
            .into_iter()
            .filter(|s| mine(s.clinician_id))
            .collect();
        sessions.sort_by_key(|s| (s.clinician_id, s.weekday.to_monday_zero_offset(), s.starts));
        let today = local_date(self.clock.now());
        let exceptions = self
            .store
            .rota_exceptions(today)
            .await?
            .into_iter()
            .filter(|e| e.clinician_id.is_none_or(mine))
            .collect();
        Ok(RotaOverview {
            sessions,
            exceptions,
            locations: self.store.list_locations().await?,
            bank_holidays: self.content.bank_holidays.from(today).take(8).collect(),
            clinicians,
        })
    }

    /// Adds a recurring session to a clinician's rota and makes its slots over the horizon at
    /// once. Every problem with the form is named by field; nothing is stored unless all is well.
    pub async fn add_rota_session(
        &self,
        by: &Principal,
        form: &SessionForm,
    ) -> Result<RotaSession, AppError> {
        let scope = by.staff_scope(Permission::ManageRotas)?;
        let today = local_date(self.clock.now());
        let mut errors = ValidationErrors::new();
        let clinician = self
            .clinician_field(&mut errors, "clinician", &form.clinician)
            .await?;
        let location = self
            .location_field(&mut errors, "location", &form.location)
            .await?;
        let weekday = required(&mut errors, "weekday", &form.weekday, parse_weekday);
        let starts = required(&mut errors, "starts", &form.starts, time_of_day);
        let ends = required(&mut errors, "ends", &form.ends, time_of_day);
        let modality = required(&mut errors, "modality", &form.modality, Modality::parse);
        let kind = required(
            &mut errors,
            "appointment_kind",
            &form.kind,
            AppointmentKind::parse,
        );
        let minutes = required(&mut errors, "length", &form.minutes, |m| {
            m.parse::<u32>().map_err(|_| Invalid("not-a-number"))
        });
        let valid_from = date_field(&mut errors, "starts_on", &form.valid_from).unwrap_or(today);
        let valid_until = date_field(&mut errors, "ends_on", &form.valid_until);
        if valid_from < today {
            errors.add("starts_on", Invalid("in-the-past"));
        }
        let (
            Some(clinician),
            Some(location_id),
            Some(weekday),
            Some(starts),
            Some(ends),
            Some(modality),
            Some(kind),
            Some(minutes),
        ) = (
            clinician, location, weekday, starts, ends, modality, kind, minutes,
        )
        else {
            return Err(AppError::Invalid(errors));
        };
        if !may_manage_rota(scope, clinician.service_id) {
            return Err(AppError::Forbidden);
        }
        let session = RotaSession {
            id: RotaSessionId::new(),
            clinician_id: clinician.id,
            service_id: clinician.service_id,
            location_id,
            weekday,
            starts,
            ends,
            modality,
            kind,
            minutes,
            valid_from,
            valid_until,
            on_bank_holidays: form.on_bank_holidays == "yes",
        };
        if let Err(more) = session.validate() {
            errors.extend(more);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.clock.now();
        let exceptions = self.store.rota_exceptions(today).await?;
        let slots = generate_slots(
            std::slice::from_ref(&session),
            &exceptions,
            &self.content.bank_holidays,
            valid_from,
            horizon_end(today),
            SlotId::new,
        );
        let mut tx = self.store.begin().await?;
        tx.insert_rota_sessions(std::slice::from_ref(&session), now)
            .await?;
        tx.insert_generated_slots(&slots, now).await?;
        tx.insert_audit(&[rota_audit(by, now, "rota.session", session.id.as_uuid())])
            .await?;
        tx.commit().await?;
        tracing::info!(session_id = %session.id, slots = slots.len(), "rota session added");
        Ok(session)
    }

    /// Records leave or training for a clinician (coordinators, their own services; managers),
    /// or a closure of a location (service managers): free slots on those days are blocked at
    /// once, and each patient already booked gets a task for a
    /// coordinator to offer another time.
    pub async fn add_rota_exception(
        &self,
        by: &Principal,
        form: &ExceptionForm,
    ) -> Result<ExceptionOutcome, AppError> {
        let scope = by.staff_scope(Permission::ManageRotas)?;
        let today = local_date(self.clock.now());
        let mut errors = ValidationErrors::new();
        let reason = required(
            &mut errors,
            "exception_reason",
            &form.reason,
            ExceptionReason::parse,
        );
        let from = date_field(&mut errors, "first_day", &form.from);
        let to = date_field(&mut errors, "last_day", &form.to);
        if trimmed(&form.from).is_none() {
            errors.add("first_day", Invalid("missing"));
        }
        let to = to.or(from);
        if let (Some(from), Some(to)) = (from, to) {
            if from < today {
                errors.add("first_day", Invalid("in-the-past"));
            }
            if to < from {
                errors.add("last_day", Invalid("before-start"));
            }
        }
        let (clinician, location) = match reason {
            Some(ExceptionReason::Closure) => (
                None,
                self.location_field(&mut errors, "closure_location", &form.location)
                    .await?,
            ),
            _ => (
                self.clinician_field(&mut errors, "leave_clinician", &form.clinician)
                    .await?,
                None,
            ),
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (Some(reason), Some(from), Some(to)) = (reason, from, to) else {
            return Err(AppError::Invalid(errors));
        };
        if let Some(clinician) = &clinician
            && !may_manage_rota(scope, clinician.service_id)
        {
            return Err(AppError::Forbidden);
        }
        // A closure stops every service's sessions there, so only a service manager decides it.
        if location.is_some() && scope.role != jointly_domain::access::Role::ServiceManager {
            return Err(AppError::Forbidden);
        }
        let exception = RotaException {
            id: RotaExceptionId::new(),
            clinician_id: clinician.as_ref().map(|c| c.id),
            location_id: location,
            from,
            to,
            reason,
        };
        let start = start_of(from)?;
        let end = start_of(
            to.tomorrow()
                .map_err(|e| AppError::Internal(e.to_string()))?,
        )?;
        let now = self.clock.now();
        let booked = self
            .store
            .booked_between(exception.clinician_id, exception.location_id, start, end)
            .await?;
        let (tasks, events): (Vec<Task>, Vec<_>) = booked
            .iter()
            .map(|a| {
                Task::raise(
                    TaskKind::RebookAppointment,
                    a.referral_id,
                    a.patient_id,
                    now,
                )
            })
            .unzip();
        let mut tx = self.store.begin().await?;
        tx.insert_rota_exception(&exception, now).await?;
        let blocked = tx
            .block_free_slots(
                exception.clinician_id,
                exception.location_id,
                start,
                end,
                now,
            )
            .await?;
        tx.insert_tasks(&tasks, now).await?;
        tx.append_events(&events, now).await?;
        tx.insert_audit(&[rota_audit(
            by,
            now,
            "rota.exception",
            exception.id.as_uuid(),
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(blocked, to_rebook = booked.len(), "rota exception added");
        Ok(ExceptionOutcome {
            blocked,
            to_rebook: booked.len(),
        })
    }

    /// Makes every rota's slots from tomorrow up to the horizon ([`HORIZON_DAYS`] ahead),
    /// skipping those already made: run daily (and safe to run from several instances). Returns how many
    /// slots were added.
    pub async fn extend_rota_slots(&self) -> Result<u64, AppError> {
        let today = local_date(self.clock.now());
        // From tomorrow: today's clinics are already running (and cannot be booked online).
        let first = today
            .tomorrow()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let sessions = self.store.rota_sessions().await?;
        let exceptions = self.store.rota_exceptions(today).await?;
        let slots = generate_slots(
            &sessions,
            &exceptions,
            &self.content.bank_holidays,
            first,
            horizon_end(today),
            SlotId::new,
        );
        let mut tx = self.store.begin().await?;
        let added = tx.insert_generated_slots(&slots, self.clock.now()).await?;
        tx.commit().await?;
        if added > 0 {
            tracing::info!(added, "rota slots made");
        }
        Ok(added)
    }

    async fn clinician_field(
        &self,
        errors: &mut ValidationErrors,
        field: &'static str,
        value: &str,
    ) -> Result<Option<Clinician>, AppError> {
        let Some(id) = required(errors, field, value, |v| {
            v.parse::<ClinicianId>().map_err(|_| Invalid("choose"))
        }) else {
            return Ok(None);
        };
        let found = self
            .store
            .list_clinicians()
            .await?
            .into_iter()
            .find(|c| c.id == id);
        if found.is_none() {
            errors.add(field, Invalid("choose"));
        }
        Ok(found)
    }

    async fn location_field(
        &self,
        errors: &mut ValidationErrors,
        field: &'static str,
        value: &str,
    ) -> Result<Option<LocationId>, AppError> {
        let Some(id) = required(errors, field, value, |v| {
            v.parse::<LocationId>().map_err(|_| Invalid("choose"))
        }) else {
            return Ok(None);
        };
        let known = self
            .store
            .list_locations()
            .await?
            .iter()
            .any(|l| l.id == id);
        if !known {
            errors.add(field, Invalid("choose"));
        }
        Ok(known.then_some(id))
    }
}

/// The last day slots are made for, from `today`.
fn horizon_end(today: Date) -> Date {
    today
        .checked_add(jiff::Span::new().days(HORIZON_DAYS))
        .unwrap_or(today)
}

/// Midnight at the start of `date` in London.
fn start_of(date: Date) -> Result<Timestamp, AppError> {
    date.to_zoned(london())
        .map(|z| z.timestamp())
        .map_err(|e| AppError::Internal(e.to_string()))
}

fn rota_audit(by: &Principal, at: Timestamp, route: &'static str, id: uuid::Uuid) -> AuditRecord {
    AuditRecord {
        at,
        actor: by.actor(),
        role: by.role(),
        action: AuditAction::Create,
        entity: "rota",
        entity_id: Some(id),
        patient_id: None,
        route,
        outcome: AuditOutcome::Allowed,
    }
}
