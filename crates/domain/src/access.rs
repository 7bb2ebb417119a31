//! Who may do what: roles, the permissions each grants, and the relationship rules that a role
//! alone does not satisfy. Default deny: anything not granted here is refused.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::ServiceId;
use crate::referral::ReferralRecord;

/// A role a person signs in with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A patient (or carer acting for them) using the portal.
    Patient,
    /// A professional who refers into the service (GP, pharmacist, A&E, ...).
    Referrer,
    /// A clinician who triages incoming referrals.
    TriageClinician,
    /// A treating clinician.
    Clinician,
    /// Booking staff and care coordinators; the patient's key contact.
    Coordinator,
    /// Runs the service: capacity, waits, dashboards.
    ServiceManager,
    /// Manages users and configuration; no access to patient records.
    Administrator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Self::Patient,
        Self::Referrer,
        Self::TriageClinician,
        Self::Clinician,
        Self::Coordinator,
        Self::ServiceManager,
        Self::Administrator,
    ];

    /// Staff roles (everyone but patients).
    pub const STAFF: [Role; 6] = [
        Self::Referrer,
        Self::TriageClinician,
        Self::Clinician,
        Self::Coordinator,
        Self::ServiceManager,
        Self::Administrator,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::Referrer => "referrer",
            Self::TriageClinician => "triage_clinician",
            Self::Clinician => "clinician",
            Self::Coordinator => "coordinator",
            Self::ServiceManager => "service_manager",
            Self::Administrator => "administrator",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input)
            .ok_or(Invalid("choose"))
    }

    /// True when this role may exercise `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission as P;
        use Role as R;
        match permission {
            P::UsePortal => self == R::Patient,
            P::UseStaffWorkspace => self != R::Patient,
            P::TriageReferrals => self == R::TriageClinician,
            P::ViewReferral => {
                matches!(self, R::TriageClinician | R::Clinician | R::Coordinator)
            }
            P::ViewClinicList => {
                matches!(self, R::Clinician | R::Coordinator | R::ServiceManager)
            }
            P::ViewOutbox => self == R::Coordinator,
            P::TakePhoneReferral | P::WorkTasks => {
                matches!(self, R::TriageClinician | R::Coordinator)
            }
            P::ManageOrganisations => self == R::Administrator,
            P::BookForPatient => self == R::Coordinator,
            P::RunClinic => matches!(self, R::Clinician | R::Coordinator),
            P::WriteClinicalNotes => self == R::Clinician,
            P::DecideAboutSurgery | P::RecordMdtOutcomes | P::Signpost | P::ReferOnward => {
                matches!(self, R::TriageClinician | R::Clinician)
            }
            P::ManageRotas => matches!(self, R::Coordinator | R::ServiceManager),
            P::ManageServices => self == R::ServiceManager,
            P::ReviewFeedback => matches!(self, R::Coordinator | R::ServiceManager),
            P::ViewDashboards => self == R::ServiceManager,
            P::ViewWaitingList => matches!(
                self,
                R::TriageClinician | R::Coordinator | R::ServiceManager
            ),
        }
    }
}

/// Something a role may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See one's own referrals, offered slots and appointments, and book.
    UsePortal,
    /// Enter the staff workspace at all.
    UseStaffWorkspace,
    /// Work the triage queue and record triage decisions.
    TriageReferrals,
    /// Open a patient's referral (subject to a legitimate relationship).
    ViewReferral,
    /// See who is booked into clinics.
    ViewClinicList,
    /// See the messages queued and sent to patients.
    ViewOutbox,
    /// Take a referral by phone, answering the questions with the person.
    TakePhoneReferral,
    /// See and complete tasks: emergency reviews, same-day call backs, possible duplicates.
    WorkTasks,
    /// Register referring organisations and issue their API keys.
    ManageOrganisations,
    /// See the waiting lists: how many wait, in which bands, and who has waited longest.
    ViewWaitingList,
    /// Search and book an appointment for a patient, for example on the phone.
    BookForPatient,
    /// Run a clinic: check patients in, record who attended and who did not, tell later
    /// patients the clinic is running late.
    RunClinic,
    /// Write clinical notes and treatment plans for appointments in one's own services.
    WriteClinicalNotes,
    /// Record the shared decision about surgery and the pre-surgery fitness checklist of a
    /// referral one may see.
    DecideAboutSurgery,
    /// See the multidisciplinary team list and record each discussion's outcome.
    RecordMdtOutcomes,
    /// Signpost or refer a person one may see to community services and information.
    Signpost,
    /// Refer a person one may see on to another organisation (a hospital specialty, a pain
    /// clinic), their communication needs going with the referral.
    ReferOnward,
    /// Read feedback and tag its themes, enter feedback given on paper or by phone, answer
    /// concerns, keep "you said, we did" and make the FFT return (customer care).
    ReviewFeedback,
    /// See the population-health dashboards (counts by group, never a person), set the
    /// inequality alert threshold and export the SitRep wait bands.
    ViewDashboards,
    /// Keep the rotas: recurring sessions, leave and closures.
    ManageRotas,
    /// Set each service's rules: open access after discharge, missed appointments.
    ManageServices,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 21] = [
        Self::UsePortal,
        Self::UseStaffWorkspace,
        Self::TriageReferrals,
        Self::ViewReferral,
        Self::ViewClinicList,
        Self::ViewOutbox,
        Self::TakePhoneReferral,
        Self::WorkTasks,
        Self::ManageOrganisations,
        Self::ViewWaitingList,
        Self::BookForPatient,
        Self::RunClinic,
        Self::WriteClinicalNotes,
        Self::DecideAboutSurgery,
        Self::RecordMdtOutcomes,
        Self::Signpost,
        Self::ReferOnward,
        Self::ReviewFeedback,
        Self::ViewDashboards,
        Self::ManageRotas,
        Self::ManageServices,
    ];
}

/// A member of staff's reach: their role and the services they work in.
#[derive(Clone, Copy, Debug)]
pub struct StaffScope<'a> {
    /// Their role.
    pub role: Role,
    /// The services they work in.
    pub services: &'a [ServiceId],
}

/// The relationship rule for opening a referral: triage clinicians see the whole front door;
/// clinicians and coordinators see referrals routed to their own services; no one else does.
pub fn may_view_referral(scope: StaffScope<'_>, referral: &ReferralRecord) -> bool {
    scope.role.can(Permission::ViewReferral)
        && match scope.role {
            Role::TriageClinician => true,
            Role::Clinician | Role::Coordinator => referral
                .service_id
                .is_some_and(|service| scope.services.contains(&service)),
            _ => false,
        }
}

/// The relationship rule for running a clinic: clinicians and coordinators, in their own
/// services only.
pub fn may_run_clinic(scope: StaffScope<'_>, service: ServiceId) -> bool {
    scope.role.can(Permission::RunClinic) && scope.services.contains(&service)
}

/// The relationship rule for rotas: service managers keep every service's; coordinators
/// their own services'.
pub fn may_manage_rota(scope: StaffScope<'_>, service: ServiceId) -> bool {
    scope.role.can(Permission::ManageRotas)
        && (scope.role == Role::ServiceManager || scope.services.contains(&service))
}

/// The relationship rule for a clinic list: service managers see every clinic; clinicians and
/// coordinators see the clinics of their own services.
pub fn may_view_clinic(scope: StaffScope<'_>, service: ServiceId) -> bool {
    scope.role.can(Permission::ViewClinicList)
        && (scope.role == Role::ServiceManager || scope.services.contains(&service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_never_see_patient_records() {
        for p in [
            Permission::ViewReferral,
            Permission::ViewClinicList,
            Permission::ViewOutbox,
        ] {
            assert!(!Role::Administrator.can(p));
        }
    }

    #[test]
    fn patients_only_use_the_portal() {
        for p in Permission::ALL {
            assert_eq!(Role::Patient.can(p), p == Permission::UsePortal);
        }
    }

    #[test]
    fn relationships_limit_what_a_role_allows() {
        use crate::event::Actor;
        use crate::ids::{PatientId, ReferralId};
        use crate::referral::{
            FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference,
            ReferralSource, TriageDecision,
        };
        let mine = ServiceId::new();
        let other = [ServiceId::new()];
        let mine_only = [mine];
        let (mut referral, _) = Referral::receive(
            NewReferral::basic(
                PatientId::new(),
                ReferralSource::SelfReferral,
                ProblemArea::Hip,
                FreeText::parse("hip").unwrap(),
            ),
            ReferralId::new(),
            ReferralReference::from_random(5),
            Actor::System,
            jiff::Timestamp::UNIX_EPOCH,
        );
        fn scope(role: Role, services: &[ServiceId]) -> StaffScope<'_> {
            StaffScope { role, services }
        }
        assert!(may_view_referral(
            scope(Role::TriageClinician, &[]),
            &referral
        ));
        assert!(
            !may_view_referral(scope(Role::Clinician, &mine_only), &referral),
            "not routed yet"
        );
        let decision = TriageDecision {
            service_id: mine,
            service_kind: crate::service::ServiceKind::Physiotherapy,
            priority: Priority::Routine,
            note: None,
            ready_for_surgery: None,
        };
        referral
            .accept(decision, Actor::System, jiff::Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(may_view_referral(
            scope(Role::Clinician, &mine_only),
            &referral
        ));
        assert!(may_view_referral(
            scope(Role::Coordinator, &mine_only),
            &referral
        ));
        assert!(!may_view_referral(
            scope(Role::Clinician, &other),
            &referral
        ));
        for role in [
            Role::ServiceManager,
            Role::Administrator,
            Role::Referrer,
            Role::Patient,
        ] {
            assert!(
                !may_view_referral(scope(role, &mine_only), &referral),
                "{role:?}"
            );
        }
        assert!(may_view_clinic(scope(Role::ServiceManager, &[]), mine));
        assert!(may_view_clinic(scope(Role::Clinician, &mine_only), mine));
        assert!(!may_view_clinic(scope(Role::Clinician, &[]), mine));
        assert!(!may_view_clinic(
            scope(Role::TriageClinician, &mine_only),
            mine
        ));
    }

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }
}
