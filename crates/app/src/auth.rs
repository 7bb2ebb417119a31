//! Signing in and out: one-time codes for patients, passwords for staff, and sessions. Only
//! hashes of tokens and codes are stored; every sign-in is audited.

use std::fmt;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use jointly_domain::access::Role;
use jointly_domain::contact::{ContactChannel, EmailAddress, PhoneNumber};
use jointly_domain::intake::DateParts;
use jointly_domain::message::{MessageData, MessagePlan, MessageTemplate};
use jointly_domain::patient::{Patient, parse_date_of_birth};
use jointly_domain::{Invalid, MessageId, ValidationErrors};
use jointly_store::{
    AuditAction, AuditOutcome, AuditRecord, SessionRecord, SessionSubject, SignInCode, StaffUser,
};
use sha2::{Digest, Sha256};

use crate::principal::{Principal, SignedIn};
use crate::{App, AppError};

/// A session just started: the token goes into the cookie (or the API client) and nowhere else.
#[derive(Clone)]
pub struct NewSession {
    /// The secret session token.
    pub token: String,
    /// The token forms must carry.
    pub csrf_token: String,
    /// The role it acts in.
    pub role: Role,
    /// When it ends unless used.
    pub expires_at: Timestamp,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// A patient asking to sign in: their email or mobile number, and their date of birth.
#[derive(Clone, Debug, Default)]
pub struct SignInRequest {
    /// Email address or UK mobile number.
    pub contact: String,
    /// Date of birth.
    pub date_of_birth: DateParts,
}

enum Contact {
    Email(EmailAddress),
    Mobile(PhoneNumber),
}

/// Sessions are only refreshed in storage once a minute, so a busy page does not write on
/// every request.
const TOUCH_INTERVAL: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes)
}

fn new_token() -> Result<String, AppError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// SHA-256 of a session token, hex: what the store keeps.
pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn code_hash(id: MessageId, code: &str) -> String {
    hex(&Sha256::digest(format!("{id}:{code}").as_bytes()))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A six-digit code, uniformly random.
fn new_code() -> Result<String, AppError> {
    loop {
        let value = u32::from_le_bytes(random_bytes::<4>()?);
        // Reject the top sliver so every code is equally likely.
        if value < 4_294_000_000 {
            return Ok(format!("{:06}", value % 1_000_000));
        }
    }
}

/// Hashes a password with Argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("hash: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to verify against when there is no such account, so "no account" takes as long as
/// "wrong password" and response times do not reveal who has an account.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for timing").unwrap_or_default())
}

fn parse_sign_in(
    request: &SignInRequest,
    today: jiff::civil::Date,
) -> Result<(Contact, jiff::civil::Date), AppError> {
    let mut errors = ValidationErrors::new();
    let contact = errors.check(
        "contact",
        if request.contact.trim().is_empty() {
            Err(Invalid("missing"))
        } else if request.contact.contains('@') {
            EmailAddress::parse(&request.contact).map(Contact::Email)
        } else {
            PhoneNumber::parse(&request.contact).and_then(|phone| {
                if phone.is_mobile() {
                    Ok(Contact::Mobile(phone))
                } else {
                    Err(Invalid("not-mobile"))
                }
            })
        },
    );
    let dob = &request.date_of_birth;
    let date_of_birth = errors.check(
        "date_of_birth",
        parse_date_of_birth(&dob.year, &dob.month, &dob.day, today),
    );
    match (contact, date_of_birth) {
        (Some(contact), Some(date_of_birth)) if errors.is_empty() => Ok((contact, date_of_birth)),
        _ => Err(AppError::Invalid(errors)),
    }
}

impl App {
    fn today(&self) -> jiff::civil::Date {
        jointly_domain::local_date(self.clock.now())
    }

    async fn matching_patients(
        &self,
        request: &SignInRequest,
    ) -> Result<(Contact, Vec<Patient>), AppError> {
        let (contact, date_of_birth) = parse_sign_in(request, self.today())?;
        let patients = match &contact {
            Contact::Email(email) => {
                self.store
                    .find_patients_by_contact(Some(email), None, date_of_birth)
                    .await?
            }
            Contact::Mobile(phone) => {
                self.store
                    .find_patients_by_contact(None, Some(phone), date_of_birth)
                    .await?
            }
        };
        Ok((contact, patients))
    }

    /// Sends a one-time code to whoever matches the details. The answer is the same whether
    /// or not anyone matched, so the form cannot be used to find out who is a patient.
    pub async fn request_sign_in_code(&self, request: &SignInRequest) -> Result<(), AppError> {
        let (contact, patients) = self.matching_patients(request).await?;
        let channel = match contact {
            Contact::Email(_) => ContactChannel::Email,
            Contact::Mobile(_) => ContactChannel::Sms,
        };
        let now = self.clock.now();
        for patient in patients {
            let since = now.saturating_sub(self.settings.code_window).unwrap_or(now);
            if self
                .store
                .count_sign_in_codes_since(patient.id, since)
                .await?
                >= self.settings.codes_per_window
            {
                tracing::info!(patient_id = %patient.id, "sign-in code not sent: limit reached");
                continue;
            }
            let id = MessageId::new();
            let code = new_code()?;
            let record = SignInCode {
                id,
                patient_id: patient.id,
                code_hash: code_hash(id, &code),
                channel,
                attempts: 0,
                expires_at: now
                    .saturating_add(self.settings.code_lifetime)
                    .unwrap_or(now),
                used_at: None,
                created_at: now,
            };
            let plan = MessagePlan {
                template: MessageTemplate::SignInCode,
                recipient: jointly_domain::message::Recipient::Patient(patient.id),
                about: Some(patient.id),
                channel,
                data: MessageData {
                    code: Some(code),
                    ..MessageData::default()
                },
                idempotency_key: format!("sign_in_code:{id}"),
            };
            let mut tx = self.store.begin().await?;
            tx.insert_sign_in_code(&record).await?;
            tx.enqueue(&[plan], now).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Signs a patient in with the code they were sent.
    pub async fn sign_in_with_code(
        &self,
        request: &SignInRequest,
        code: &str,
    ) -> Result<NewSession, AppError> {
        let code = code.trim().replace(' ', "");
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            let mut errors = ValidationErrors::new();
            errors.add(
                "code",
                Invalid(if code.is_empty() { "missing" } else { "format" }),
            );
            return Err(AppError::Invalid(errors));
        }
        let (_, patients) = self.matching_patients(request).await?;
        let now = self.clock.now();
        let mut exhausted = false;
        for patient in patients {
            let Some(issued) = self.store.latest_sign_in_code(patient.id, now).await? else {
                continue;
            };
            if issued.attempts >= self.settings.code_attempts {
                exhausted = true;
                continue;
            }
            if !constant_time_eq(&issued.code_hash, &code_hash(issued.id, &code)) {
                self.store
                    .record_sign_in_code_attempt(issued.id, now)
                    .await?;
                continue;
            }
            let session =
                self.session_record(SessionSubject::Patient(patient.id), Role::Patient, now)?;
            let mut tx = self.store.begin().await?;
            tx.use_sign_in_code(issued.id, now)
                .await
                .map_err(|_| AppError::SignInFailed)?;
            tx.insert_session(&session.1, now).await?;
            tx.insert_audit(&[sign_in_audit(
                now,
                jointly_domain::event::Actor::Patient(patient.id),
                Role::Patient,
            )])
            .await?;
            tx.commit().await?;
            return Ok(session.0);
        }
        Err(if exhausted {
            AppError::TooManyAttempts
        } else {
            AppError::SignInFailed
        })
    }

    /// Signs a member of staff in with their email and password. Repeated failures lock the
    /// account for a while.
    pub async fn staff_sign_in(&self, email: &str, password: &str) -> Result<NewSession, AppError> {
        let mut errors = ValidationErrors::new();
        if email.trim().is_empty() {
            errors.add("email", Invalid("missing"));
        }
        if password.is_empty() {
            errors.add("password", Invalid("missing"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = self.clock.now();
        let user = self
            .store
            .find_staff_by_email(email)
            .await?
            .filter(|u| u.active);
        let Some(user) = user else {
            verify_password(decoy_hash(), password);
            return Err(AppError::SignInFailed);
        };
        if user.locked_until.is_some_and(|until| until > now) {
            return Err(AppError::TooManyAttempts);
        }
        if !verify_password(&user.password_hash, password) {
            let lock = (user.failed_sign_ins + 1 >= self.settings.staff_failures_before_lockout)
                .then(|| now.saturating_add(self.settings.lockout).unwrap_or(now));
            self.store.record_failed_sign_in(user.id, lock, now).await?;
            return Err(AppError::SignInFailed);
        }
        self.store.record_successful_sign_in(user.id, now).await?;
        self.start_staff_session(&user, now).await
    }

    async fn start_staff_session(
        &self,
        user: &StaffUser,
        now: Timestamp,
    ) -> Result<NewSession, AppError> {
        let (session, record) =
            self.session_record(SessionSubject::Staff(user.id), user.role, now)?;
        let mut tx = self.store.begin().await?;
        tx.insert_session(&record, now).await?;
        tx.insert_audit(&[sign_in_audit(
            now,
            jointly_domain::event::Actor::Staff(user.id),
            user.role,
        )])
        .await?;
        tx.commit().await?;
        Ok(session)
    }

    fn session_record(
        &self,
        subject: SessionSubject,
        role: Role,
        now: Timestamp,
    ) -> Result<(NewSession, SessionRecord), AppError> {
        let token = new_token()?;
        let csrf_token = new_token()?;
        let expires_at = now
            .saturating_add(self.settings.session_idle)
            .unwrap_or(now);
        let record = SessionRecord {
            token_hash: token_hash(&token),
            subject,
            role,
            csrf_token: csrf_token.clone(),
            last_seen_at: now,
            expires_at,
        };
        Ok((
            NewSession {
                token,
                csrf_token,
                role,
                expires_at,
            },
            record,
        ))
    }

    /// Who holds this session token: anonymous when it is unknown or expired. Using a session
    /// keeps it alive.
    pub async fn principal_for(&self, token: &str) -> Result<Principal, AppError> {
        let now = self.clock.now();
        let hash = token_hash(token);
        let Some(session) = self.store.find_session(&hash, now).await? else {
            return Ok(Principal::Anonymous);
        };
        if now.duration_since(session.last_seen_at) >= TOUCH_INTERVAL {
            let expires_at = now
                .saturating_add(self.settings.session_idle)
                .unwrap_or(now);
            self.store.touch_session(&hash, now, expires_at).await?;
        }
        let signed_in = SignedIn {
            token_hash: hash,
            csrf_token: session.csrf_token,
        };
        Ok(match session.subject {
            SessionSubject::Patient(id) => Principal::Patient {
                id,
                session: signed_in,
            },
            SessionSubject::Staff(id) => {
                match self.store.find_staff(id).await?.filter(|u| u.active) {
                    Some(user) => Principal::Staff {
                        id,
                        name: user.display_name,
                        role: user.role,
                        services: user.services,
                        session: signed_in,
                    },
                    None => Principal::Anonymous,
                }
            }
        })
    }

    /// Ends the principal's session.
    pub async fn sign_out(&self, principal: &Principal) -> Result<(), AppError> {
        if let Some(session) = principal.session() {
            self.store.delete_session(&session.token_hash).await?;
        }
        Ok(())
    }
}

fn sign_in_audit(at: Timestamp, actor: jointly_domain::event::Actor, role: Role) -> AuditRecord {
    AuditRecord {
        at,
        actor,
        role: Some(role),
        action: AuditAction::SignIn,
        entity: "session",
        entity_id: None,
        patient_id: match actor {
            jointly_domain::event::Actor::Patient(id) => Some(id),
            _ => None,
        },
        route: "session.sign_in",
        outcome: AuditOutcome::Allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_tokens_are_long() {
        for _ in 0..100 {
            let code = new_code().unwrap();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
        assert_eq!(new_token().unwrap().len(), 43);
        assert_ne!(new_token().unwrap(), new_token().unwrap());
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse battery staple"));
        assert!(!verify_password(&hash, "Correct horse battery staple"));
        assert!(!verify_password("not a hash", "anything"));
    }

    #[test]
    fn comparison_is_exact() {
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "abcd"));
    }
}
