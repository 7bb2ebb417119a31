//! Group classes and education sessions: coordinators put them on, patients with a referral
//! open in the service join (or join the class's waiting list when it is full) and leave (the
//! first person waiting moves up and is told), and the class leader keeps the register.

use jiff::{SignedDuration, Timestamp};
use jointly_domain::access::{Permission, may_manage_rota, may_run_clinic, may_view_clinic};
use jointly_domain::class::{Class, ClassKind, ClassPlace, PlaceStatus, next_place_status};
use jointly_domain::message::{MessageTemplate, class_message};
use jointly_domain::{
    ClassId, ClassPlaceId, ClinicianId, Invalid, LocationId, ValidationErrors, london,
};
use jointly_store::{AuditAction, AuditOutcome, ClassView, RegisterEntry};

use crate::principal::{Audited, Principal};
use crate::{App, AppError};

/// A class as a patient sees it, with their own place if they have one.
#[derive(Clone, Debug)]
pub struct ClassOffer {
    /// The class.
    pub class: ClassView,
    /// Their place (or place in the queue), if live.
    pub place: Option<ClassPlace>,
}

/// A class as entered by staff.
#[derive(Clone, Debug, Default)]
pub struct ClassForm {
    /// Kind code.
    pub kind: String,
    /// The leader's clinician id.
    pub clinician: String,
    /// Location id.
    pub location: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub starts: String,
    /// Minutes.
    pub minutes: String,
    /// Places.
    pub places: String,
}

fn missing_or<T>(
    errors: &mut ValidationErrors,
    field: &'static str,
    value: &str,
    parse: impl FnOnce(&str) -> Result<T, Invalid>,
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, Invalid("missing"));
        return None;
    }
    errors.check(field, parse(value))
}

impl App {
    /// Upcoming classes the signed-in patient may join (those of services where they have an
    /// open referral), with their places.
    pub async fn classes_for_patient(&self, by: &Principal) -> Result<Vec<ClassOffer>, AppError> {
        let patient_id = by.patient()?;
        let now = self.clock.now();
        let services: Vec<_> = self
            .store
            .referrals_for_patient(patient_id)
            .await?
            .iter()
            .filter(|v| v.referral.status.is_open() || v.referral.open_access_at(now))
            .filter_map(|v| v.referral.service_id)
            .collect();
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let places = self.store.class_places_for_patient(patient_id).await?;
        let classes = self.store.upcoming_classes(&services, now).await?;
        self.store
            .record_audit(&[by.audit(
                now,
                AuditAction::Read,
                "portal.classes",
                AuditOutcome::Allowed,
                Audited {
                    entity: "patient",
                    id: patient_id.as_uuid(),
                    patient: patient_id,
                },
            )])
            .await?;
        Ok(classes
            .into_iter()
            .map(|class| {
                let place = places
                    .iter()
                    .find(|p| p.class_id == class.class.id && p.status.is_live())
                    .cloned();
                ClassOffer { class, place }
            })
            .collect())
    }

    /// The signed-in patient joins a class: a place if one is free, otherwise the class's
    /// waiting list. Told by their own channel either way.
    pub async fn join_class(
        &self,
        by: &Principal,
        class_id: ClassId,
    ) -> Result<ClassPlace, AppError> {
        let patient_id = by.patient()?;
        let now = self.clock.now();
        let class = self
            .store
            .find_class(class_id)
            .await?
            .ok_or(AppError::NotFound)?
            .class;
        let referral = self
            .store
            .referrals_for_patient(patient_id)
            .await?
            .into_iter()
            .map(|v| v.referral)
            .find(|r| {
                r.service_id == Some(class.service_id)
                    && (r.status.is_open() || r.open_access_at(now))
            })
            .ok_or(AppError::NotFound)?;
        if class.start <= now {
            return Err(AppError::Conflict("class_started"));
        }
        let patient = self
            .store
            .find_patient(patient_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        let status = if tx.take_class_place(class.id, now).await? {
            PlaceStatus::Booked
        } else {
            PlaceStatus::Waiting
        };
        let place = ClassPlace {
            id: ClassPlaceId::new(),
            class_id: class.id,
            referral_id: referral.id,
            patient_id,
            status,
            requested_at: now,
        };
        tx.insert_class_place(&place, now).await?;
        let template = match status {
            PlaceStatus::Booked => MessageTemplate::ClassBooked,
            _ => MessageTemplate::ClassWaiting,
        };
        tx.enqueue(&[class_message(&patient, &place, template, now)], now)
            .await?;
        tx.insert_audit(&[place_audit(by, now, "class.join", &place)])
            .await?;
        tx.commit().await?;
        tracing::info!(class_id = %class.id, status = status.as_str(), "class joined");
        Ok(place)
    }

    /// The signed-in patient gives up their place (or leaves the waiting list) before the
    /// class; a freed place goes to the first person waiting, who is told.
    pub async fn leave_class(
        &self,
        by: &Principal,
        place_id: ClassPlaceId,
    ) -> Result<(), AppError> {
        let patient_id = by.patient()?;
        let place = self
            .store
            .find_class_place(place_id)
            .await?
            .filter(|p| p.patient_id == patient_id)
            .ok_or(AppError::NotFound)?;
        let class = self
            .store
            .find_class(place.class_id)
            .await?
            .ok_or(AppError::NotFound)?
            .class;
        let now = self.clock.now();
        let next = next_place_status(place.status, PlaceStatus::Cancelled, class.start, now)
            .map_err(|_| AppError::Conflict("place_changed"))?;
        let mut tx = self.store.begin().await?;
        tx.move_class_place(place.id, place.status, next, now)
            .await?;
        if place.status == PlaceStatus::Booked {
            if let Some(waiting) = tx.first_waiting_place(class.id).await? {
                tx.move_class_place(waiting.id, PlaceStatus::Waiting, PlaceStatus::Booked, now)
                    .await?;
                if let Some(patient) = self.store.find_patient(waiting.patient_id).await? {
                    let promoted = ClassPlace {
                        status: PlaceStatus::Booked,
                        ..waiting
                    };
                    tx.enqueue(
                        &[class_message(
                            &patient,
                            &promoted,
                            MessageTemplate::ClassBooked,
                            now,
                        )],
                        now,
                    )
                    .await?;
                }
            } else {
                tx.release_class_place(class.id, now).await?;
            }
        }
        tx.insert_audit(&[place_audit(by, now, "class.leave", &place)])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts on a class, for coordinators and managers of its service.
    pub async fn create_class(&self, by: &Principal, form: &ClassForm) -> Result<Class, AppError> {
        let scope = by.staff_scope(Permission::ManageRotas)?;
        let now = self.clock.now();
        let mut errors = ValidationErrors::new();
        let kind = missing_or(&mut errors, "class_kind", &form.kind, ClassKind::parse);
        let clinician_id = missing_or(&mut errors, "leader", &form.clinician, |v| {
            v.parse::<ClinicianId>().map_err(|_| Invalid("choose"))
        });
        let location_id = missing_or(&mut errors, "class_location", &form.location, |v| {
            v.parse::<LocationId>().map_err(|_| Invalid("choose"))
        });
        let date = missing_or(&mut errors, "class_date", &form.date, |v| {
            v.parse::<jiff::civil::Date>()
                .map_err(|_| Invalid("not-a-date"))
        });
        let starts = missing_or(&mut errors, "class_starts", &form.starts, |v| {
            v.parse::<jiff::civil::Time>()
                .map_err(|_| Invalid("not-a-time"))
        });
        let minutes = missing_or(&mut errors, "class_length", &form.minutes, |v| {
            v.parse::<u32>()
                .map_err(|_| Invalid("not-a-number"))
                .and_then(|m| {
                    if (15..=240).contains(&m) {
                        Ok(m)
                    } else {
                        Err(Invalid("out-of-range"))
                    }
                })
        });
        let places = missing_or(&mut errors, "places", &form.places, |v| {
            match v.parse::<u32>() {
                Err(_) => Err(Invalid("not-a-number")),
                Ok(n) if n < 2 => Err(Invalid("too-low")),
                Ok(n) if n > jointly_domain::class::MAX_PLACES => Err(Invalid("too-high")),
                Ok(n) => Ok(n),
            }
        });
        let clinician = match clinician_id {
            Some(id) => {
                let found = self
                    .store
                    .list_clinicians()
                    .await?
                    .into_iter()
                    .find(|c| c.id == id);
                if found.is_none() {
                    errors.add("leader", Invalid("choose"));
                }
                found
            }
            None => None,
        };
        if let Some(id) = location_id
            && !self
                .store
                .list_locations()
                .await?
                .iter()
                .any(|l| l.id == id)
        {
            errors.add("class_location", Invalid("choose"));
        }
        let (
            Some(kind),
            Some(clinician),
            Some(location_id),
            Some(date),
            Some(starts),
            Some(minutes),
            Some(places),
        ) = (kind, clinician, location_id, date, starts, minutes, places)
        else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if !may_manage_rota(scope, clinician.service_id) {
            return Err(AppError::Forbidden);
        }
        let start = date
            .to_datetime(starts)
            .to_zoned(london())
            .map(|z| z.timestamp())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let class = Class {
            id: ClassId::new(),
            kind,
            service_id: clinician.service_id,
            location_id,
            clinician_id: clinician.id,
            start,
            end: start + SignedDuration::from_mins(i64::from(minutes)),
            places,
            booked: 0,
        };
        class.validate(now).map_err(AppError::Invalid)?;
        let mut tx = self.store.begin().await?;
        tx.insert_class(&class, now).await?;
        tx.commit().await?;
        tracing::info!(class_id = %class.id, "class put on");
        Ok(class)
    }

    /// Upcoming classes in the services `by` sees clinics of.
    pub async fn classes_for_staff(&self, by: &Principal) -> Result<Vec<ClassView>, AppError> {
        let scope = by.staff_scope(Permission::ViewClinicList)?;
        let now = self.clock.now();
        let from = now
            .checked_sub(SignedDuration::from_hours(24))
            .unwrap_or(now);
        Ok(self
            .store
            .upcoming_classes(&[], from)
            .await?
            .into_iter()
            .filter(|c| may_view_clinic(scope, c.class.service_id))
            .collect())
    }

    /// A class and its register, for staff who see its service's clinics; every person listed
    /// is audited.
    pub async fn class_register(
        &self,
        by: &Principal,
        class_id: ClassId,
    ) -> Result<(ClassView, Vec<RegisterEntry>), AppError> {
        let scope = by.staff_scope(Permission::ViewClinicList)?;
        let class = self
            .store
            .find_class(class_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !may_view_clinic(scope, class.class.service_id) {
            return Err(AppError::NotFound);
        }
        let register = self.store.class_register(class_id).await?;
        let now = self.clock.now();
        let audit: Vec<_> = register
            .iter()
            .map(|e| place_audit(by, now, "class.register", &e.place))
            .map(|mut a| {
                a.action = AuditAction::Read;
                a
            })
            .collect();
        self.store.record_audit(&audit).await?;
        Ok((class, register))
    }

    /// Marks someone with a place as come or not come, from the class's start.
    pub async fn record_class_attendance(
        &self,
        by: &Principal,
        place_id: ClassPlaceId,
        attended: bool,
    ) -> Result<ClassPlace, AppError> {
        let scope = by.staff_scope(Permission::RunClinic)?;
        let place = self
            .store
            .find_class_place(place_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let class = self
            .store
            .find_class(place.class_id)
            .await?
            .ok_or(AppError::NotFound)?
            .class;
        if !may_run_clinic(scope, class.service_id) {
            return Err(AppError::Forbidden);
        }
        let now = self.clock.now();
        let wanted = if attended {
            PlaceStatus::Attended
        } else {
            PlaceStatus::DidNotAttend
        };
        let next = next_place_status(place.status, wanted, class.start, now)
            .map_err(|_| AppError::Conflict("place_changed"))?;
        let mut tx = self.store.begin().await?;
        tx.move_class_place(place.id, place.status, next, now)
            .await?;
        tx.insert_audit(&[place_audit(by, now, "class.attendance", &place)])
            .await?;
        tx.commit().await?;
        Ok(ClassPlace {
            status: next,
            ..place
        })
    }
}

fn place_audit(
    by: &Principal,
    at: Timestamp,
    route: &'static str,
    place: &ClassPlace,
) -> jointly_store::AuditRecord {
    by.audit(
        at,
        AuditAction::Update,
        route,
        AuditOutcome::Allowed,
        Audited {
            entity: "class_place",
            id: place.id.as_uuid(),
            patient: place.patient_id,
        },
    )
}
