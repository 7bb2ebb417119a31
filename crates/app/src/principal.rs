//! Who is asking: nobody, a patient, or a member of staff, as established by their session.

use jointly_domain::access::{Permission, Role, StaffScope};
use jointly_domain::event::Actor;
use jointly_domain::scope::{ScopeAccess, ScopedResource, Scopes};
use jointly_domain::{OrganisationId, PatientId, ServiceId, StaffUserId};
use jointly_store::AuditRecord;

use crate::AppError;

/// A signed-in session as the web sees it.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// SHA-256 of the session token.
    pub token_hash: String,
    /// The token forms must carry.
    pub csrf_token: String,
}

/// The person behind a request.
#[derive(Clone, Debug)]
pub enum Principal {
    /// Not signed in.
    Anonymous,
    /// A patient signed in to the portal.
    Patient {
        /// Who.
        id: PatientId,
        /// Their session.
        session: SignedIn,
    },
    /// A member of staff.
    Staff {
        /// Who.
        id: StaffUserId,
        /// Name shown in the workspace.
        name: String,
        /// Their role.
        role: Role,
        /// The services they work in.
        services: Vec<ServiceId>,
        /// Their session.
        session: SignedIn,
    },
    /// A referring organisation's system, identified by its API key.
    Organisation {
        /// Which organisation.
        id: OrganisationId,
    },
    /// An organisation's system using the FHIR API with an access token: it may do what its
    /// scopes allow, for the people it registered or referred.
    System {
        /// Which organisation.
        organisation: OrganisationId,
        /// What the token allows.
        scopes: Scopes,
    },
    /// A patient acting on one appointment through the signed link in their message; they
    /// may confirm or cancel it and nothing else.
    AppointmentLink {
        /// Whose appointment.
        patient: PatientId,
    },
}

impl Principal {
    /// Their role, if signed in.
    pub fn role(&self) -> Option<Role> {
        match self {
            Self::Anonymous => None,
            Self::Patient { .. } => Some(Role::Patient),
            Self::Staff { role, .. } => Some(*role),
            Self::Organisation { .. } | Self::System { .. } => Some(Role::Referrer),
            Self::AppointmentLink { .. } => Some(Role::Patient),
        }
    }

    /// Their session, if signed in.
    pub fn session(&self) -> Option<&SignedIn> {
        match self {
            Self::Anonymous
            | Self::Organisation { .. }
            | Self::System { .. }
            | Self::AppointmentLink { .. } => None,
            Self::Patient { session, .. } | Self::Staff { session, .. } => Some(session),
        }
    }

    /// The actor recorded in events and audit.
    pub fn actor(&self) -> Actor {
        match self {
            Self::Anonymous => Actor::System,
            Self::Patient { id, .. } => Actor::Patient(*id),
            Self::Staff { id, .. } => Actor::Staff(*id),
            Self::Organisation { id } => Actor::Organisation(*id),
            Self::System { organisation, .. } => Actor::Organisation(*organisation),
            Self::AppointmentLink { patient } => Actor::Patient(*patient),
        }
    }

    /// True when their role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.role().is_some_and(|role| role.can(permission))
    }

    /// Fails unless signed in with a role that grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        match self.role() {
            None => Err(AppError::NotSignedIn),
            Some(role) if role.can(permission) => Ok(()),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    /// The signed-in patient, or an error for anyone else.
    pub fn patient(&self) -> Result<PatientId, AppError> {
        self.require(Permission::UsePortal)?;
        match self {
            Self::Patient { id, .. } => Ok(*id),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The organisation of a connected system whose token allows `access` to `resource`;
    /// "forbidden" when the scope is missing, "not signed in" for anyone but a system.
    pub fn system_scope(
        &self,
        resource: ScopedResource,
        access: ScopeAccess,
    ) -> Result<OrganisationId, AppError> {
        match self {
            Self::System {
                organisation,
                scopes,
            } if scopes.allows(resource, access) => Ok(*organisation),
            Self::System { .. } => Err(AppError::Forbidden),
            _ => Err(AppError::NotSignedIn),
        }
    }

    /// The member of staff, if that is who this is.
    pub fn staff_id(&self) -> Option<StaffUserId> {
        match self {
            Self::Staff { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The staff member's reach, after checking `permission`.
    pub fn staff_scope(&self, permission: Permission) -> Result<StaffScope<'_>, AppError> {
        self.require(permission)?;
        match self {
            Self::Staff { role, services, .. } => Ok(StaffScope {
                role: *role,
                services,
            }),
            _ => Err(AppError::Forbidden),
        }
    }

    /// An audit entry for something this principal did to one patient's record.
    pub(crate) fn audit(
        &self,
        at: jiff::Timestamp,
        action: jointly_store::AuditAction,
        route: &'static str,
        outcome: jointly_store::AuditOutcome,
        target: Audited,
    ) -> AuditRecord {
        AuditRecord {
            at,
            actor: self.actor(),
            role: self.role(),
            action,
            entity: target.entity,
            entity_id: Some(target.id),
            patient_id: Some(target.patient),
            route,
            outcome,
        }
    }
}

/// The record an audit entry is about.
pub(crate) struct Audited {
    /// Kind of record.
    pub(crate) entity: &'static str,
    /// Its id.
    pub(crate) id: uuid::Uuid,
    /// Whose record it is.
    pub(crate) patient: PatientId,
}
