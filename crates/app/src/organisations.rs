//! Referring organisations: registered by an administrator with their ODS code, each with
//! its own API key for sending referrals from its systems. Only a hash of a key is kept; the
//! key is shown once, when issued.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jointly_domain::access::Permission;
use jointly_domain::contact::EmailAddress;
use jointly_domain::intake::{OdsCode, OrganisationKind, ReferringOrganisation};
use jointly_domain::{Invalid, OrganisationId, ValidationErrors};
use jointly_store::{AuditAction, AuditOutcome, AuditRecord};

use crate::auth::token_hash;
use crate::principal::Principal;
use crate::{App, AppError};

/// Every API key starts with this, so a leaked key is recognisable in a scan.
const KEY_PREFIX: &str = "jly_";

/// An organisation as submitted on the registration form.
#[derive(Clone, Debug, Default)]
pub struct OrganisationForm {
    /// ODS code.
    pub ods_code: String,
    /// Name.
    pub name: String,
    /// Kind (code).
    pub kind: String,
    /// Contact email for acknowledgements and advice.
    pub contact_email: String,
}

/// A newly issued API key: shown once, never stored.
#[derive(Clone)]
pub struct IssuedKey {
    /// The organisation.
    pub organisation: ReferringOrganisation,
    /// The key.
    pub key: String,
}

impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey")
            .field("organisation", &self.organisation.id)
            .finish_non_exhaustive()
    }
}

/// The stored form of an API key (its SHA-256), for loading keys issued elsewhere (the demo).
pub fn hash_api_key(key: &str) -> String {
    token_hash(key.trim())
}

fn admin_audit(
    by: &Principal,
    at: jiff::Timestamp,
    action: AuditAction,
    route: &'static str,
    id: OrganisationId,
) -> AuditRecord {
    AuditRecord {
        at,
        actor: by.actor(),
        role: by.role(),
        action,
        entity: "organisation",
        entity_id: Some(id.as_uuid()),
        patient_id: None,
        route,
        outcome: AuditOutcome::Allowed,
    }
}

impl App {
    /// Every registered organisation, by name.
    pub async fn organisations(
        &self,
        by: &Principal,
    ) -> Result<Vec<ReferringOrganisation>, AppError> {
        by.require(Permission::ManageOrganisations)?;
        Ok(self.store.list_organisations().await?)
    }

    /// Registers an organisation that may refer.
    pub async fn register_organisation(
        &self,
        by: &Principal,
        form: &OrganisationForm,
    ) -> Result<ReferringOrganisation, AppError> {
        by.require(Permission::ManageOrganisations)?;
        let mut errors = ValidationErrors::new();
        let ods_code = errors.check("ods_code", OdsCode::parse(&form.ods_code));
        let name = form.name.trim();
        if name.is_empty() {
            errors.add("name", Invalid("missing"));
        } else if name.chars().count() > 200 {
            errors.add("name", Invalid("too-long"));
        }
        let kind = errors.check("kind", OrganisationKind::parse(form.kind.trim()));
        let contact_email = errors.check("contact_email", EmailAddress::parse(&form.contact_email));
        let (Some(ods_code), Some(kind), Some(contact_email), true) =
            (ods_code, kind, contact_email, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let organisation = ReferringOrganisation {
            id: OrganisationId::new(),
            ods_code,
            name: name.to_owned(),
            kind,
            contact_email,
            active: true,
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.insert_organisation(&organisation, now)
            .await
            .map_err(|e| match e {
                jointly_store::StoreError::Conflict("ods_code_taken") => {
                    let mut errors = ValidationErrors::new();
                    errors.add("ods_code", Invalid("taken"));
                    AppError::Invalid(errors)
                }
                other => other.into(),
            })?;
        tx.insert_audit(&[admin_audit(
            by,
            now,
            AuditAction::Create,
            "organisation.register",
            organisation.id,
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(organisation_id = %organisation.id, "referring organisation registered");
        Ok(organisation)
    }

    /// Issues a new API key for an organisation; any earlier key stops working at once.
    pub async fn issue_api_key(
        &self,
        by: &Principal,
        id: OrganisationId,
    ) -> Result<IssuedKey, AppError> {
        by.require(Permission::ManageOrganisations)?;
        let organisation = self
            .store
            .find_organisation(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        tx.set_organisation_key(id, &token_hash(&key), now).await?;
        tx.insert_audit(&[admin_audit(
            by,
            now,
            AuditAction::Update,
            "organisation.key",
            id,
        )])
        .await?;
        tx.commit().await?;
        tracing::info!(organisation_id = %id, "API key issued");
        Ok(IssuedKey { organisation, key })
    }

    /// The organisation behind an API principal.
    pub async fn referring_organisation(
        &self,
        by: &Principal,
    ) -> Result<ReferringOrganisation, AppError> {
        let Principal::Organisation { id } = by else {
            return Err(AppError::NotSignedIn);
        };
        self.store
            .find_organisation(*id)
            .await?
            .filter(|o| o.active)
            .ok_or(AppError::NotSignedIn)
    }

    /// The organisation an API key belongs to; "not signed in" for anything else.
    pub async fn organisation_for_key(
        &self,
        key: &str,
    ) -> Result<(Principal, ReferringOrganisation), AppError> {
        let key = key.trim();
        if !key.starts_with(KEY_PREFIX) {
            return Err(AppError::NotSignedIn);
        }
        let organisation = self
            .store
            .find_organisation_by_key(&hash_api_key(key))
            .await?
            .ok_or(AppError::NotSignedIn)?;
        Ok((
            Principal::Organisation {
                id: organisation.id,
            },
            organisation,
        ))
    }
}
