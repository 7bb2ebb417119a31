//! Links in messages that act without signing in: "confirm or cancel" names one appointment;
//! a feedback link names a referral and the point in the journey it asks about. Each token is
//! signed with the service's own key (for its purpose alone) so it cannot be guessed or
//! altered, and is the same in every message about the same thing.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::feedback::Moment;
use crate::ids::{AppointmentId, OrganisationId, ReferralId};
use crate::scope::Scopes;

fn moment_byte(moment: Moment) -> u8 {
    match moment {
        Moment::AfterTriage => 1,
        Moment::AfterAppointment => 2,
        Moment::AtDischarge => 3,
        Moment::AnyTime => 4,
    }
}

/// Bytes of the signature kept in a token: 128 bits.
const SIGNATURE_BYTES: usize = 16;

/// An access token's signed part: organisation (16), scopes (4), expiry in seconds (8).
const ACCESS_TOKEN_BODY: usize = 28;

/// Every system access token starts with this.
pub const ACCESS_TOKEN_PREFIX: &str = "jst_";

/// The service's key for signing links (random, kept in the store, never shown).
#[derive(Clone)]
pub struct LinkKey([u8; 32]);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(secret)")
    }
}

impl LinkKey {
    /// A key from its bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    fn mac(&self, id: Uuid) -> Hmac<Sha256> {
        self.mac_for(b"jointly:appointment-link:", id.as_bytes())
    }

    /// A MAC over `bytes`, kept apart from every other use of the key by `purpose`.
    fn mac_for(&self, purpose: &[u8], bytes: &[u8]) -> Hmac<Sha256> {
        // A 32-byte key always suits HMAC-SHA256; the fallback is never taken.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose);
        mac.update(bytes);
        mac
    }

    /// The token of a feedback link: a referral and the point in the journey it asks about.
    pub fn feedback_token(&self, referral: ReferralId, moment: Moment) -> String {
        let mut bytes = Vec::with_capacity(17 + SIGNATURE_BYTES);
        bytes.extend_from_slice(referral.as_uuid().as_bytes());
        bytes.push(moment_byte(moment));
        let signature = self
            .mac_for(b"jointly:feedback-link:", &bytes)
            .finalize()
            .into_bytes();
        bytes.extend_from_slice(&signature[..SIGNATURE_BYTES]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The referral and moment a feedback token names, if this key signed it.
    pub fn verify_feedback(&self, token: &str) -> Option<(ReferralId, Moment)> {
        let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        if bytes.len() != 17 + SIGNATURE_BYTES {
            return None;
        }
        let (named, signature) = bytes.split_at(17);
        self.mac_for(b"jointly:feedback-link:", named)
            .verify_truncated_left(signature)
            .ok()?;
        let moment = Moment::ALL
            .iter()
            .copied()
            .find(|m| moment_byte(*m) == named[16])?;
        Some((
            ReferralId::from_uuid(Uuid::from_slice(&named[..16]).ok()?),
            moment,
        ))
    }

    /// An access token for a connected system: its organisation, the scopes granted and when
    /// it stops working (to the second), signed. `jst_` marks it in logs and scans.
    pub fn access_token(
        &self,
        organisation: OrganisationId,
        scopes: Scopes,
        expires: jiff::Timestamp,
    ) -> String {
        let mut bytes = Vec::with_capacity(ACCESS_TOKEN_BODY + SIGNATURE_BYTES);
        bytes.extend_from_slice(organisation.as_uuid().as_bytes());
        bytes.extend_from_slice(&scopes.bits().to_be_bytes());
        bytes.extend_from_slice(&expires.as_second().to_be_bytes());
        let signature = self
            .mac_for(b"jointly:system-access:", &bytes)
            .finalize()
            .into_bytes();
        bytes.extend_from_slice(&signature[..SIGNATURE_BYTES]);
        format!("{ACCESS_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The organisation and scopes of an access token this key signed, unless it has expired
    /// by `now`.
    pub fn verify_access_token(
        &self,
        token: &str,
        now: jiff::Timestamp,
    ) -> Option<(OrganisationId, Scopes)> {
        let encoded = token.strip_prefix(ACCESS_TOKEN_PREFIX)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded.as_bytes()).ok()?;
        if bytes.len() != ACCESS_TOKEN_BODY + SIGNATURE_BYTES {
            return None;
        }
        let (body, signature) = bytes.split_at(ACCESS_TOKEN_BODY);
        self.mac_for(b"jointly:system-access:", body)
            .verify_truncated_left(signature)
            .ok()?;
        let organisation = OrganisationId::from_uuid(Uuid::from_slice(&body[..16]).ok()?);
        let scopes = Scopes::from_bits(u32::from_be_bytes(body[16..20].try_into().ok()?));
        let expires = i64::from_be_bytes(body[20..28].try_into().ok()?);
        (now.as_second() < expires).then_some((organisation, scopes))
    }

    /// The token for `appointment`: 43 URL-safe characters.
    pub fn token(&self, appointment: AppointmentId) -> String {
        let id = appointment.as_uuid();
        let signature = self.mac(id).finalize().into_bytes();
        let mut bytes = Vec::with_capacity(16 + SIGNATURE_BYTES);
        bytes.extend_from_slice(id.as_bytes());
        bytes.extend_from_slice(&signature[..SIGNATURE_BYTES]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The appointment a token names, if this key signed it.
    pub fn verify(&self, token: &str) -> Option<AppointmentId> {
        let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        if bytes.len() != 16 + SIGNATURE_BYTES {
            return None;
        }
        let (id, signature) = bytes.split_at(16);
        let id = Uuid::from_slice(id).ok()?;
        // Compared in constant time.
        self.mac(id).verify_truncated_left(signature).ok()?;
        Some(AppointmentId::from_uuid(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_token_carries_its_organisation_and_scopes_until_it_expires() {
        let key = LinkKey::new([3; 32]);
        let organisation = OrganisationId::new();
        let scopes = Scopes::parse("system/Patient.read system/Slot.read").unwrap();
        let now: jiff::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
        let token = key.access_token(
            organisation,
            scopes,
            now + jiff::SignedDuration::from_hours(1),
        );
        assert!(token.starts_with("jst_"));
        assert_eq!(
            key.verify_access_token(&token, now),
            Some((organisation, scopes))
        );
        assert_eq!(
            key.verify_access_token(&token, now + jiff::SignedDuration::from_hours(1)),
            None,
            "expired"
        );
        assert_eq!(LinkKey::new([4; 32]).verify_access_token(&token, now), None);
        let mut altered = token.clone().into_bytes();
        altered[30] = if altered[30] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            key.verify_access_token(&String::from_utf8(altered).unwrap(), now),
            None,
            "scopes or organisation altered"
        );
    }

    #[test]
    fn a_token_names_its_appointment_and_nothing_else_passes() {
        let key = LinkKey::new([7; 32]);
        let appointment = AppointmentId::new();
        let token = key.token(appointment);
        assert_eq!(token.len(), 43);
        assert_eq!(
            key.token(appointment),
            token,
            "the same link in every message"
        );
        assert_eq!(key.verify(&token), Some(appointment));

        assert_eq!(LinkKey::new([8; 32]).verify(&token), None, "another key");
        let mut altered = token.clone().into_bytes();
        altered[42] = if altered[42] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.verify(&String::from_utf8(altered).unwrap()), None);
        let other = key.token(AppointmentId::new());
        let spliced = format!("{}{}", &other[..21], &token[21..]);
        assert_eq!(
            key.verify(&spliced),
            None,
            "one appointment's id with another's signature"
        );
        for junk in ["", "abc", "!!!!", &token[..42], &format!("{token}A")] {
            assert_eq!(key.verify(junk), None, "{junk}");
        }
    }

    #[test]
    fn a_feedback_token_names_its_referral_and_moment_and_is_no_appointment_link() {
        let key = LinkKey::new([7; 32]);
        let referral = ReferralId::new();
        let token = key.feedback_token(referral, Moment::AtDischarge);
        assert_eq!(
            key.verify_feedback(&token),
            Some((referral, Moment::AtDischarge))
        );
        assert_ne!(
            token,
            key.feedback_token(referral, Moment::AfterAppointment)
        );
        assert_eq!(key.verify(&token), None, "not an appointment link");
        let appointment = key.token(AppointmentId::from_uuid(referral.as_uuid()));
        assert_eq!(key.verify_feedback(&appointment), None);
        assert_eq!(LinkKey::new([8; 32]).verify_feedback(&token), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[16] = 2;
        assert_eq!(
            key.verify_feedback(&URL_SAFE_NO_PAD.encode(bytes)),
            None,
            "moment altered"
        );
    }
}
