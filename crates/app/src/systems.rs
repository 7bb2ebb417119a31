//! Connected systems: other organisations' software using the FHIR API. A system signs in with
//! client credentials (its organisation's ODS code and API key) and gets a short-lived token
//! carrying the scopes it asked for and was granted. Every use case here checks the scope, and
//! for a person's record the relationship — the system registered or referred them — and
//! audits each read and each refusal.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use jointly_domain::access::Permission;
use jointly_domain::appointment::Appointment;
use jointly_domain::intake::{OdsCode, PersonAnswers, ProfessionalAnswers, parse_person};
use jointly_domain::link::{ACCESS_TOKEN_PREFIX, LinkKey};
use jointly_domain::referral::Referral;
use jointly_domain::scope::{ScopeAccess, ScopedResource, Scopes};
use jointly_domain::slot::{Slot, SlotStatus};
use jointly_domain::{
    AppointmentId, ClinicianId, Invalid, OrganisationId, PatientId, ReferralId, SlotId,
    ValidationErrors, local_date,
};
use jointly_store::{AuditAction, AuditOutcome, AuditRecord, SlotView, VersionedPatient};
use tokio::sync::OnceCell;

use crate::intake::{Intake, IntakeReceipt, IntakeRoute};
use crate::principal::{Audited, Principal};
use crate::{App, AppError, BookingConfirmation};

/// How long an access token works.
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_secs(3600);

/// Slots a schedule's search reads at most per page.
const MAX_SLOTS: u32 = 100;

/// A token just issued.
#[derive(Clone)]
pub struct SystemToken {
    /// The bearer token.
    pub access_token: String,
    /// The scopes it carries.
    pub scopes: Scopes,
    /// Seconds it lasts.
    pub expires_in: i64,
}

impl std::fmt::Debug for SystemToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemToken")
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Why a token was refused, in OAuth 2.0's words (RFC 6749 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenRefusal {
    /// Unknown client, wrong secret, or an inactive organisation.
    InvalidClient,
    /// A scope asked for is not one of ours, or none asked for is granted.
    InvalidScope,
}

/// The key that signs access tokens: random the first time, then kept in the store.
pub(crate) type TokenKey = Arc<OnceCell<LinkKey>>;

/// A clinician's diary as a connected system sees it.
#[derive(Clone, Debug)]
pub struct Diary {
    /// The clinician.
    pub clinician: jointly_domain::clinician::Clinician,
    /// Their service.
    pub service: jointly_domain::service::Service,
}

/// A referral as a connected system sees it.
#[derive(Clone, Debug)]
pub struct SystemReferral {
    /// The referral.
    pub referral: Referral,
    /// The service it went to, by name.
    pub service_name: Option<String>,
    /// The ODS code of the organisation that referred, if one did.
    pub referring_ods: Option<String>,
}

impl App {
    async fn token_key(&self) -> Result<&LinkKey, AppError> {
        self.token_key
            .get_or_try_init(|| async {
                let mut candidate = [0u8; 32];
                getrandom::fill(&mut candidate)
                    .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
                let stored = self
                    .store
                    .service_key("system_access_tokens", &candidate, self.clock.now())
                    .await?;
                let bytes: [u8; 32] = stored.try_into().map_err(|_| {
                    AppError::Internal("the stored access-token key is not 32 bytes".into())
                })?;
                Ok(LinkKey::new(bytes))
            })
            .await
    }

    /// Issues an access token for the organisation `client_id` (its ODS code) whose API key
    /// is `client_secret`, carrying the scopes asked for (all granted ones when none asked).
    pub async fn system_token(
        &self,
        client_id: &str,
        client_secret: &str,
        requested: Option<&str>,
    ) -> Result<SystemToken, TokenRefusal> {
        let (_, organisation) = self
            .organisation_for_key(client_secret)
            .await
            .map_err(|_| TokenRefusal::InvalidClient)?;
        let named = OdsCode::parse(client_id).map_err(|_| TokenRefusal::InvalidClient)?;
        if organisation.ods_code != named {
            return Err(TokenRefusal::InvalidClient);
        }
        let granted = self
            .store
            .organisation_scopes(organisation.id)
            .await
            .map_err(|_| TokenRefusal::InvalidClient)?;
        let scopes = match requested.map(str::trim).filter(|s| !s.is_empty()) {
            None => granted,
            Some(asked) => Scopes::parse(asked)
                .map_err(|_| TokenRefusal::InvalidScope)?
                .intersect(granted),
        };
        if scopes.is_empty() {
            return Err(TokenRefusal::InvalidScope);
        }
        let now = self.clock.now();
        let key = self
            .token_key()
            .await
            .map_err(|_| TokenRefusal::InvalidClient)?;
        tracing::info!(organisation_id = %organisation.id, scopes = %scopes, "system access token issued");
        Ok(SystemToken {
            access_token: key.access_token(organisation.id, scopes, now + TOKEN_LIFETIME),
            scopes,
            expires_in: TOKEN_LIFETIME.as_secs(),
        })
    }

    /// The principal behind an access token; "not signed in" for a token this service did
    /// not sign, one that has expired, or one whose organisation has since been deactivated
    /// or lost every scope it carries. Scopes withdrawn since the token was issued are gone
    /// at once: the token keeps only those still granted.
    pub async fn principal_for_system_token(&self, token: &str) -> Result<Principal, AppError> {
        if !token.starts_with(ACCESS_TOKEN_PREFIX) {
            return Err(AppError::NotSignedIn);
        }
        let (organisation, carried) = self
            .token_key()
            .await?
            .verify_access_token(token, self.clock.now())
            .ok_or(AppError::NotSignedIn)?;
        let scopes = carried.intersect(self.store.organisation_scopes(organisation).await?);
        if scopes.is_empty() {
            return Err(AppError::NotSignedIn);
        }
        Ok(Principal::System {
            organisation,
            scopes,
        })
    }

    /// Grants an organisation's system the scopes in `text` (space separated; empty for none).
    pub async fn set_system_scopes(
        &self,
        by: &Principal,
        organisation: OrganisationId,
        text: &str,
    ) -> Result<Scopes, AppError> {
        by.require(Permission::ManageOrganisations)?;
        let scopes = Scopes::parse(text).map_err(|problem| {
            let mut errors = ValidationErrors::new();
            errors.add("scopes", problem);
            AppError::Invalid(errors)
        })?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_organisation_scopes(organisation, scopes, now)
            .await
            .map_err(|e| match e {
                jointly_store::StoreError::NotFound => AppError::NotFound,
                other => other.into(),
            })?;
        tx.insert_audit(&[AuditRecord {
            at: now,
            actor: by.actor(),
            role: by.role(),
            action: AuditAction::Update,
            entity: "organisation",
            entity_id: Some(organisation.as_uuid()),
            patient_id: None,
            route: "organisation.scopes",
            outcome: AuditOutcome::Allowed,
        }])
        .await?;
        tx.commit().await?;
        Ok(scopes)
    }

    /// The scopes an organisation's system is granted.
    pub async fn system_scopes(
        &self,
        by: &Principal,
        organisation: OrganisationId,
    ) -> Result<Scopes, AppError> {
        by.require(Permission::ManageOrganisations)?;
        Ok(self.store.organisation_scopes(organisation).await?)
    }

    /// Checks `by` may use `resource` as `access` for `patient`'s record, auditing the
    /// outcome of a read; anything not theirs is "not found" (audited as denied).
    pub(crate) async fn system_may_see(
        &self,
        by: &Principal,
        resource: ScopedResource,
        access: ScopeAccess,
        patient: PatientId,
        target: (&'static str, uuid::Uuid, &'static str),
    ) -> Result<OrganisationId, AppError> {
        let organisation = by.system_scope(resource, access)?;
        let allowed = self
            .store
            .organisation_may_see(organisation, patient)
            .await?;
        let (entity, id, route) = target;
        let outcome = if allowed {
            AuditOutcome::Allowed
        } else {
            AuditOutcome::Denied
        };
        // Writes are audited with the change itself; reads and every refusal are audited here.
        if access == ScopeAccess::Read || !allowed {
            self.store
                .record_audit(&[by.audit(
                    self.clock.now(),
                    AuditAction::Read,
                    route,
                    outcome,
                    Audited {
                        entity,
                        id,
                        patient,
                    },
                )])
                .await?;
        }
        if allowed {
            Ok(organisation)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A person's record, for a system that may see them.
    pub async fn system_patient(
        &self,
        by: &Principal,
        id: PatientId,
    ) -> Result<VersionedPatient, AppError> {
        by.system_scope(ScopedResource::Patient, ScopeAccess::Read)?;
        let found = self
            .store
            .find_patient_versioned(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            ScopedResource::Patient,
            ScopeAccess::Read,
            id,
            ("patient", id.as_uuid(), "fhir.patient.read"),
        )
        .await?;
        Ok(found)
    }

    /// The person with this NHS number, if the system may see them (otherwise nothing, as if
    /// unknown).
    pub async fn system_patient_by_nhs_number(
        &self,
        by: &Principal,
        nhs_number: &str,
    ) -> Result<Option<VersionedPatient>, AppError> {
        by.system_scope(ScopedResource::Patient, ScopeAccess::Read)?;
        let Ok(number) = jointly_domain::nhs_number::NhsNumber::parse(nhs_number) else {
            return Ok(None);
        };
        let Some(patient) = self.store.find_patient_by_nhs_number(&number).await? else {
            return Ok(None);
        };
        match self.system_patient(by, patient.id).await {
            Ok(found) => Ok(Some(found)),
            Err(AppError::NotFound) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Registers a person from a system (which may then see them). An NHS number already on
    /// record is refused: the person is referred by NHS number instead, so nobody gains sight
    /// of a record by guessing its number.
    pub async fn system_register_patient(
        &self,
        by: &Principal,
        answers: &PersonAnswers,
    ) -> Result<VersionedPatient, AppError> {
        let organisation = by.system_scope(ScopedResource::Patient, ScopeAccess::Write)?;
        let now = self.clock.now();
        let patient = parse_person(answers, PatientId::new(), local_date(now))?;
        if let Some(number) = &patient.nhs_number
            && self
                .store
                .find_patient_by_nhs_number(number)
                .await?
                .is_some()
        {
            return Err(AppError::Conflict("nhs_number_known"));
        }
        let mut tx = self.store.begin().await?;
        tx.insert_patient(&patient, now).await?;
        tx.link_organisation_patient(organisation, patient.id, now)
            .await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Create,
            "fhir.patient.create",
            AuditOutcome::Allowed,
            Audited {
                entity: "patient",
                id: patient.id.as_uuid(),
                patient: patient.id,
            },
        )])
        .await?;
        tx.commit().await?;
        Ok(VersionedPatient {
            patient,
            version: 1,
            updated_at: now,
        })
    }

    /// Changes a person's contact details and preferences from a system that may see them,
    /// only from the version it read (`version`); name, date of birth and sex stay as they
    /// are (they come from the NHS Spine, not from one system).
    pub async fn system_update_patient(
        &self,
        by: &Principal,
        id: PatientId,
        answers: &PersonAnswers,
        version: i64,
    ) -> Result<VersionedPatient, AppError> {
        by.system_scope(ScopedResource::Patient, ScopeAccess::Write)?;
        self.system_may_see(
            by,
            ScopedResource::Patient,
            ScopeAccess::Write,
            id,
            ("patient", id.as_uuid(), "fhir.patient.update"),
        )
        .await?;
        let current = self
            .store
            .find_patient_versioned(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let mut changed = parse_person(answers, id, local_date(now))?;
        if changed.nhs_number.is_some() && changed.nhs_number != current.patient.nhs_number {
            if current.patient.nhs_number.is_some() {
                let mut errors = ValidationErrors::new();
                errors.add("nhs_number", Invalid("changed"));
                return Err(AppError::Invalid(errors));
            }
            if let Some(number) = &changed.nhs_number
                && self
                    .store
                    .find_patient_by_nhs_number(number)
                    .await?
                    .is_some()
            {
                return Err(AppError::Conflict("nhs_number_known"));
            }
        }
        changed.name = current.patient.name.clone();
        changed.date_of_birth = current.patient.date_of_birth;
        changed.sex = current.patient.sex;
        let mut tx = self.store.begin().await?;
        if !tx.update_patient_at_version(&changed, version, now).await? {
            return Err(AppError::Conflict("version_changed"));
        }
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "fhir.patient.update",
            AuditOutcome::Allowed,
            Audited {
                entity: "patient",
                id: id.as_uuid(),
                patient: id,
            },
        )])
        .await?;
        tx.commit().await?;
        self.store
            .find_patient_versioned(id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Every clinician's diary (in the service with `service_code`, if given).
    pub async fn system_diaries(
        &self,
        by: &Principal,
        service_code: Option<&str>,
    ) -> Result<Vec<Diary>, AppError> {
        by.system_scope(ScopedResource::Schedule, ScopeAccess::Read)?;
        let services = self.store.list_services().await?;
        let clinicians = self.store.list_clinicians().await?;
        Ok(clinicians
            .into_iter()
            .filter_map(|clinician| {
                let service = services
                    .iter()
                    .find(|s| s.id == clinician.service_id)?
                    .clone();
                service_code
                    .is_none_or(|code| code.eq_ignore_ascii_case(&service.code))
                    .then_some(Diary { clinician, service })
            })
            .collect())
    }

    /// One clinician's diary.
    pub async fn system_diary(&self, by: &Principal, id: ClinicianId) -> Result<Diary, AppError> {
        self.system_diaries(by, None)
            .await?
            .into_iter()
            .find(|d| d.clinician.id == id)
            .ok_or(AppError::NotFound)
    }

    /// Slots in one clinician's diary: with `status` if given, starting in `[from, until)`,
    /// after `after` (keyset paging), at most `limit`.
    pub async fn system_slots(
        &self,
        by: &Principal,
        clinician: ClinicianId,
        status: Option<SlotStatus>,
        (from, until): (Timestamp, Timestamp),
        after: Option<(Timestamp, SlotId)>,
        limit: u32,
    ) -> Result<Vec<Slot>, AppError> {
        by.system_scope(ScopedResource::Slot, ScopeAccess::Read)?;
        Ok(self
            .store
            .slots_in_schedule(clinician, status, from, until, after, limit.min(MAX_SLOTS))
            .await?)
    }

    /// One slot.
    pub async fn system_slot(&self, by: &Principal, id: SlotId) -> Result<Slot, AppError> {
        by.system_scope(ScopedResource::Slot, ScopeAccess::Read)?;
        self.store.find_slot(id).await?.ok_or(AppError::NotFound)
    }

    /// Books `slot` for `patient`'s `referral` from a system that may see them: the same
    /// booking as everywhere else, so a slot is taken once whoever asks at the same moment.
    pub async fn system_book(
        &self,
        by: &Principal,
        slot: SlotId,
        patient: PatientId,
        referral: ReferralId,
    ) -> Result<BookingConfirmation, AppError> {
        by.system_scope(ScopedResource::Slot, ScopeAccess::Write)?;
        by.system_scope(ScopedResource::Appointment, ScopeAccess::Write)?;
        self.system_may_see(
            by,
            ScopedResource::Appointment,
            ScopeAccess::Write,
            patient,
            ("referral", referral.as_uuid(), "fhir.appointment.create"),
        )
        .await?;
        let referral = self
            .store
            .find_referral(referral)
            .await?
            .filter(|r| r.patient_id == patient)
            .ok_or(AppError::NotFound)?;
        self.book_referral_slot(by, referral, slot, "fhir.appointment.create", None)
            .await
    }

    /// One appointment with its slot, for a system that may see the person.
    pub async fn system_appointment(
        &self,
        by: &Principal,
        id: AppointmentId,
    ) -> Result<(Appointment, SlotView), AppError> {
        by.system_scope(ScopedResource::Appointment, ScopeAccess::Read)?;
        let found = self
            .store
            .find_appointment(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            ScopedResource::Appointment,
            ScopeAccess::Read,
            found.0.patient_id,
            ("appointment", id.as_uuid(), "fhir.appointment.read"),
        )
        .await?;
        Ok(found)
    }

    /// A person's appointments (starting in `[from, until)`), for a system that may see them.
    pub async fn system_appointments(
        &self,
        by: &Principal,
        patient: PatientId,
        (from, until): (Timestamp, Timestamp),
    ) -> Result<Vec<(Appointment, SlotView)>, AppError> {
        self.system_may_see(
            by,
            ScopedResource::Appointment,
            ScopeAccess::Read,
            patient,
            ("patient", patient.as_uuid(), "fhir.appointment.search"),
        )
        .await?;
        Ok(self
            .store
            .appointments_for_patient(patient)
            .await?
            .into_iter()
            .filter(|(_, slot)| slot.slot.start >= from && slot.slot.start < until)
            .collect())
    }

    /// Refers a person from a system, through the same front door as every other referral.
    /// A person named by id must be one the system may see; otherwise their details come with
    /// the referral and the front door finds or records them.
    pub async fn system_refer(
        &self,
        by: &Principal,
        patient: Result<PatientId, PersonAnswers>,
        answers: std::collections::BTreeMap<String, String>,
        referrer: ProfessionalAnswers,
    ) -> Result<IntakeReceipt, AppError> {
        let organisation_id =
            by.system_scope(ScopedResource::ServiceRequest, ScopeAccess::Write)?;
        let organisation = self
            .store
            .find_organisation(organisation_id)
            .await?
            .filter(|o| o.active)
            .ok_or(AppError::NotSignedIn)?;
        let person = match patient {
            Ok(id) => {
                self.system_may_see(
                    by,
                    ScopedResource::ServiceRequest,
                    ScopeAccess::Write,
                    id,
                    ("patient", id.as_uuid(), "fhir.service_request.create"),
                )
                .await?;
                let found = self
                    .store
                    .find_patient(id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                person_answers(&found)
            }
            Err(answers) => answers,
        };
        let intake = Intake {
            person,
            carer: None,
            professional: Some(ProfessionalAnswers {
                ods_code: organisation.ods_code.as_str().to_owned(),
                ..referrer
            }),
            answers,
            communication: None,
        };
        self.submit_intake(by, IntakeRoute::ProfessionalApi(organisation), &intake)
            .await
    }

    pub(crate) async fn system_referral_view(
        &self,
        referral: Referral,
    ) -> Result<SystemReferral, AppError> {
        let service_name = match referral.service_id {
            Some(id) => self.store.find_service(id).await?.map(|s| s.name),
            None => None,
        };
        let referring_ods = match self.store.referral_organisation(referral.id).await? {
            Some(id) => self
                .store
                .find_organisation(id)
                .await?
                .map(|o| o.ods_code.as_str().to_owned()),
            None => None,
        };
        Ok(SystemReferral {
            referral,
            service_name,
            referring_ods,
        })
    }

    /// One referral, for a system that may see the person.
    pub async fn system_referral(
        &self,
        by: &Principal,
        id: ReferralId,
    ) -> Result<SystemReferral, AppError> {
        self.referral_as(
            by,
            id,
            ScopedResource::ServiceRequest,
            "fhir.service_request.read",
        )
        .await
    }

    /// One referral read as `resource` (its ServiceRequest, or the Task of fulfilling it),
    /// audited under `route`.
    pub(crate) async fn referral_as(
        &self,
        by: &Principal,
        id: ReferralId,
        resource: ScopedResource,
        route: &'static str,
    ) -> Result<SystemReferral, AppError> {
        by.system_scope(resource, ScopeAccess::Read)?;
        let referral = self
            .store
            .find_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            resource,
            ScopeAccess::Read,
            referral.patient_id,
            ("referral", id.as_uuid(), route),
        )
        .await?;
        self.system_referral_view(referral).await
    }

    /// Withdraws a referral from a system that may see the person (the person no longer
    /// needs it), only from the version it read.
    pub async fn system_withdraw_referral(
        &self,
        by: &Principal,
        id: ReferralId,
        version: i64,
    ) -> Result<SystemReferral, AppError> {
        by.system_scope(ScopedResource::ServiceRequest, ScopeAccess::Write)?;
        let mut referral = self
            .store
            .find_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_may_see(
            by,
            ScopedResource::ServiceRequest,
            ScopeAccess::Write,
            referral.patient_id,
            ("referral", id.as_uuid(), "fhir.service_request.update"),
        )
        .await?;
        if referral.version != version {
            return Err(AppError::Conflict("version_changed"));
        }
        let now = self.clock.now();
        let events = referral.withdraw(by.actor(), now)?;
        let mut tx = self.store.begin().await?;
        tx.update_referral(&referral, now).await?;
        tx.append_events(&events, now).await?;
        tx.insert_audit(&[by.audit(
            now,
            AuditAction::Update,
            "fhir.service_request.update",
            AuditOutcome::Allowed,
            Audited {
                entity: "referral",
                id: id.as_uuid(),
                patient: referral.patient_id,
            },
        )])
        .await?;
        tx.commit().await?;
        let stored = self
            .store
            .find_referral(id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.system_referral_view(stored).await
    }
}

/// A stored person's details as a form would give them.
fn person_answers(patient: &jointly_domain::patient::Patient) -> PersonAnswers {
    PersonAnswers {
        given_name: patient.name.given.as_str().to_owned(),
        family_name: patient.name.family.as_str().to_owned(),
        date_of_birth: jointly_domain::intake::DateParts::from_iso(
            &patient.date_of_birth.to_string(),
        ),
        nhs_number: patient
            .nhs_number
            .map(|n| n.as_digits())
            .unwrap_or_default(),
        sex: patient.sex.as_str().to_owned(),
        ethnicity: patient
            .ethnicity
            .map(|e| e.code().to_string())
            .unwrap_or_default(),
        preferred_language: patient.preferred_language.code().to_owned(),
        phone: patient
            .phone
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        email: patient
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        address_line1: patient
            .address
            .as_ref()
            .map(|a| a.line1.clone())
            .unwrap_or_default(),
        address_line2: patient
            .address
            .as_ref()
            .and_then(|a| a.line2.clone())
            .unwrap_or_default(),
        town: patient
            .address
            .as_ref()
            .map(|a| a.town.clone())
            .unwrap_or_default(),
        postcode: patient.postcode.as_str().to_owned(),
        preferred_contact: patient.preferred_contact.as_str().to_owned(),
    }
}
