//! What a connected system (another organisation's software) may do through the FHIR API:
//! scopes in the SMART style, `system/{Resource}.read` or `.write` (`*` for every resource;
//! SMART v2 letters `c r u d s` are read as write or read). An organisation is granted scopes
//! by an administrator; a token carries those it asked for and was granted.

use std::fmt;

use crate::error::Invalid;

/// The kinds of record a scope covers (the FHIR resources served).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopedResource {
    /// People.
    Patient,
    /// Referrals.
    ServiceRequest,
    /// Clinicians' diaries.
    Schedule,
    /// Appointment times.
    Slot,
    /// Appointments.
    Appointment,
    /// The care passport's summary.
    CarePlan,
    /// The intake questions.
    Questionnaire,
    /// Communication needs, as reasonable-adjustment flags.
    Flag,
    /// Messages sent to a person.
    Communication,
    /// The services offered.
    HealthcareService,
    /// Clinic sites.
    Location,
    /// Clinicians.
    Practitioner,
    /// A referral's progress, as the task of fulfilling it.
    Task,
}

impl ScopedResource {
    /// Every resource, in scope-bit order.
    pub const ALL: [ScopedResource; 13] = [
        Self::Patient,
        Self::ServiceRequest,
        Self::Schedule,
        Self::Slot,
        Self::Appointment,
        Self::CarePlan,
        Self::Questionnaire,
        Self::Flag,
        Self::Communication,
        Self::HealthcareService,
        Self::Location,
        Self::Practitioner,
        Self::Task,
    ];

    /// The FHIR resource type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "Patient",
            Self::ServiceRequest => "ServiceRequest",
            Self::Schedule => "Schedule",
            Self::Slot => "Slot",
            Self::Appointment => "Appointment",
            Self::CarePlan => "CarePlan",
            Self::Questionnaire => "Questionnaire",
            Self::Flag => "Flag",
            Self::Communication => "Communication",
            Self::HealthcareService => "HealthcareService",
            Self::Location => "Location",
            Self::Practitioner => "Practitioner",
            Self::Task => "Task",
        }
    }

    fn index(self) -> u32 {
        Self::ALL
            .iter()
            .position(|r| *r == self)
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(0)
    }
}

/// Reading or changing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeAccess {
    /// Read and search.
    Read,
    /// Create and update.
    Write,
}

/// A set of scopes.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes(u32);

impl Scopes {
    /// No scopes.
    pub const NONE: Scopes = Scopes(0);

    // Reads take the low sixteen bits and writes the high sixteen, so at most sixteen kinds.
    const _FITS: () = assert!(ScopedResource::ALL.len() <= 16);

    fn bit(resource: ScopedResource, access: ScopeAccess) -> u32 {
        let offset = match access {
            ScopeAccess::Read => 0,
            ScopeAccess::Write => 16,
        };
        1 << (resource.index() + offset)
    }

    /// A set from its stored bits (unknown bits dropped).
    pub fn from_bits(bits: u32) -> Self {
        let known = ScopedResource::ALL
            .iter()
            .flat_map(|r| [ScopeAccess::Read, ScopeAccess::Write].map(|a| Self::bit(*r, a)))
            .fold(0, |acc, b| acc | b);
        Self(bits & known)
    }

    /// The stored bits.
    pub fn bits(self) -> u32 {
        self.0
    }

    /// Parses scopes separated by spaces; an unknown one is an error naming it. `openid`
    /// and other non-system scopes are not ours to grant and are refused too.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let mut bits = 0;
        for scope in input.split_whitespace() {
            let rest = scope.strip_prefix("system/").ok_or(Invalid("scope"))?;
            let (resource, access) = rest.split_once('.').ok_or(Invalid("scope"))?;
            let (read, write) = match access {
                "read" => (true, false),
                "write" => (false, true),
                "*" => (true, true),
                letters
                    if !letters.is_empty()
                        && letters.chars().all(|c| "cruds".contains(c))
                        && is_in_order(letters) =>
                {
                    (
                        letters.contains(['r', 's']),
                        letters.contains(['c', 'u', 'd']),
                    )
                }
                _ => return Err(Invalid("scope")),
            };
            let resources: Vec<ScopedResource> = if resource == "*" {
                ScopedResource::ALL.to_vec()
            } else {
                vec![
                    ScopedResource::ALL
                        .into_iter()
                        .find(|r| r.as_str() == resource)
                        .ok_or(Invalid("scope"))?,
                ]
            };
            for r in resources {
                if read {
                    bits |= Self::bit(r, ScopeAccess::Read);
                }
                if write {
                    bits |= Self::bit(r, ScopeAccess::Write);
                }
            }
        }
        Ok(Self(bits))
    }

    /// Whether the set allows `access` to `resource`.
    pub fn allows(self, resource: ScopedResource, access: ScopeAccess) -> bool {
        self.0 & Self::bit(resource, access) != 0
    }

    /// Those in both sets.
    pub fn intersect(self, other: Scopes) -> Scopes {
        Scopes(self.0 & other.0)
    }

    /// True when there are none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

fn is_in_order(letters: &str) -> bool {
    let order = "cruds";
    let positions: Vec<usize> = letters.chars().filter_map(|c| order.find(c)).collect();
    positions.windows(2).all(|w| w[0] < w[1])
}

impl fmt::Display for Scopes {
    /// Each scope, `system/{Resource}.read` or `.write`, separated by spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for resource in ScopedResource::ALL {
            for (access, word) in [(ScopeAccess::Read, "read"), (ScopeAccess::Write, "write")] {
                if self.allows(resource, access) {
                    if !first {
                        f.write_str(" ")?;
                    }
                    first = false;
                    write!(f, "system/{}.{word}", resource.as_str())?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scopes({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_in_both_smart_styles() {
        let scopes =
            Scopes::parse("system/Patient.read system/Slot.rs system/Appointment.cu").unwrap();
        assert!(scopes.allows(ScopedResource::Patient, ScopeAccess::Read));
        assert!(!scopes.allows(ScopedResource::Patient, ScopeAccess::Write));
        assert!(scopes.allows(ScopedResource::Slot, ScopeAccess::Read));
        assert!(scopes.allows(ScopedResource::Appointment, ScopeAccess::Write));
        assert!(!scopes.allows(ScopedResource::Appointment, ScopeAccess::Read));
        assert_eq!(
            scopes.to_string(),
            "system/Patient.read system/Slot.read system/Appointment.write"
        );
        assert_eq!(Scopes::parse(&scopes.to_string()), Ok(scopes));
        assert_eq!(Scopes::from_bits(scopes.bits()), scopes);
    }

    #[test]
    fn wildcards_and_intersections() {
        let all = Scopes::parse("system/*.*").unwrap();
        for r in ScopedResource::ALL {
            assert!(all.allows(r, ScopeAccess::Read) && all.allows(r, ScopeAccess::Write));
        }
        let reads = Scopes::parse("system/*.read").unwrap();
        let asked = Scopes::parse("system/Patient.write system/Slot.read").unwrap();
        assert_eq!(
            reads.intersect(asked),
            Scopes::parse("system/Slot.read").unwrap()
        );
        assert!(Scopes::parse("").unwrap().is_empty());
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "openid",
            "patient/Patient.read",
            "system/Observation.read",
            "system/Patient",
            "system/Patient.rc",
            "system/Patient.x",
        ] {
            assert_eq!(Scopes::parse(bad), Err(Invalid("scope")), "{bad}");
        }
    }
}
