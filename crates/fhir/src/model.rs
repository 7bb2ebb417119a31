//! The FHIR R4 data types the resources here use, shaped exactly as R4 JSON. Incoming
//! resources refuse elements this server does not understand (naming them) rather than drop
//! them silently; extensions are kept whole, since any system may add its own.

use serde::{Deserialize, Serialize};

/// `Resource.meta`: the version (for ETag and If-Match), when it last changed, and the UK Core
/// profile the resource claims.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Meta {
    /// Version, changed on every update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// When it last changed (instant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// Profiles it conforms to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
    /// Security labels and tags, accepted and ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Coding>,
}

/// An extension: a URL and one value, or nested extensions. Values other than those named
/// here are kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// What it means.
    pub url: String,
    /// Nested extensions (complex extensions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// A coded value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// A single coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_coding: Option<Coding>,
    /// A code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    /// A yes or no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    /// Words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    /// A reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_reference: Option<Reference>,
    /// Any other value\[x\], kept as sent.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

impl Extension {
    /// An extension with a CodeableConcept value of one coding.
    pub fn coded(url: &str, coding: Coding) -> Self {
        Self {
            url: url.to_owned(),
            value_codeable_concept: Some(CodeableConcept::of(coding)),
            ..Self::default()
        }
    }

    /// The first extension with `url`.
    pub fn find<'a>(extensions: &'a [Extension], url: &str) -> Option<&'a Extension> {
        extensions.iter().find(|e| e.url == url)
    }

    /// The first code of its value, whichever coded form it takes.
    pub fn code(&self) -> Option<&str> {
        self.value_code
            .as_deref()
            .or_else(|| self.value_coding.as_ref().and_then(|c| c.code.as_deref()))
            .or_else(|| {
                self.value_codeable_concept
                    .as_ref()
                    .and_then(|c| c.coding.first())
                    .and_then(|c| c.code.as_deref())
            })
    }
}

/// `Coding`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coding {
    /// Code system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Code system version, accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// How it reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Whether a user chose it, accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_selected: Option<bool>,
}

impl Coding {
    /// A coding with its display.
    pub fn new(system: &str, code: &str, display: &str) -> Self {
        Self {
            system: Some(system.to_owned()),
            code: Some(code.to_owned()),
            display: Some(display.to_owned()).filter(|d| !d.is_empty()),
            ..Self::default()
        }
    }
}

/// `CodeableConcept`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeableConcept {
    /// Codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// Words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    /// A concept of one coding.
    pub fn of(coding: Coding) -> Self {
        Self {
            coding: vec![coding],
            text: None,
        }
    }

    /// A concept in words only.
    pub fn text(text: &str) -> Self {
        Self {
            coding: Vec::new(),
            text: Some(text.to_owned()),
        }
    }

    /// The code from `system`, if any.
    pub fn code_in(&self, system: &str) -> Option<&str> {
        self.coding
            .iter()
            .find(|c| c.system.as_deref() == Some(system))
            .and_then(|c| c.code.as_deref())
    }
}

/// `Identifier`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identifier {
    /// Extensions (for example the NHS number's verification status).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `usual`, `official`, …
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "use")]
    pub use_: Option<String>,
    /// The namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Identifier {
    /// An identifier in `system`.
    pub fn new(system: &str, value: &str) -> Self {
        Self {
            system: Some(system.to_owned()),
            value: Some(value.to_owned()),
            ..Self::default()
        }
    }
}

/// `Reference`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reference {
    /// `Type/id` or `#contained`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The type referred to.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    /// A business identifier instead of (or as well as) a literal reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// How it reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Reference {
    /// A literal reference `Type/id`.
    pub fn to(resource_type: &str, id: impl std::fmt::Display) -> Self {
        Self {
            reference: Some(format!("{resource_type}/{id}")),
            ..Self::default()
        }
    }

    /// The same, with words.
    pub fn to_named(resource_type: &str, id: impl std::fmt::Display, display: &str) -> Self {
        Self {
            display: Some(display.to_owned()),
            ..Self::to(resource_type, id)
        }
    }

    /// The id when this is a literal reference to `resource_type` (relative, or absolute
    /// ending in `Type/id`).
    pub fn id_of(&self, resource_type: &str) -> Option<&str> {
        let reference = self.reference.as_deref()?;
        let (kind, id) = reference.rsplit_once('/')?;
        let kind = kind.rsplit('/').next()?;
        (kind == resource_type && !id.is_empty()).then_some(id)
    }
}

/// `HumanName`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HumanName {
    /// `official`, `usual`, …
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "use")]
    pub use_: Option<String>,
    /// The whole name as words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Given names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<String>,
    /// Titles before the name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix: Vec<String>,
}

/// `ContactPoint`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactPoint {
    /// `phone`, `email`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The number or address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `home`, `work`, `mobile`, …
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "use")]
    pub use_: Option<String>,
    /// Preference order, accepted and ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
}

/// `Address`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    /// `home`, `work`, …
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "use")]
    pub use_: Option<String>,
    /// `postal`, `physical`, `both`.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    /// The whole address as words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Street lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line: Vec<String>,
    /// Town or city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// County.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// `Period`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Period {
    /// From.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Until.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// `Annotation` (a note).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Annotation {
    /// Who wrote it, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_string: Option<String>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The note.
    pub text: String,
}

/// `Narrative`: the human-readable summary; accepted on input and ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// `generated`, `extensions`, `additional`, `empty`.
    pub status: String,
    /// XHTML.
    pub div: String,
}

/// Declares a resource-type marker: serialises as the type's name and accepts nothing else,
/// so `{"resourceType": "Slot"}` sent as a Patient is named as the problem.
macro_rules! resource_type {
    ($($marker:ident => $name:literal),* $(,)?) => {$(
        #[doc = concat!("The `resourceType` of a ", $name, ".")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $marker;

        impl $marker {
            /// The type's name.
            pub const NAME: &'static str = $name;
        }

        impl Serialize for $marker {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($name)
            }
        }

        impl<'de> Deserialize<'de> for $marker {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let found = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                if found == $name {
                    Ok($marker)
                } else {
                    Err(serde::de::Error::custom(format!(
                        "resourceType is `{found}`, expected `{}`", $name
                    )))
                }
            }
        }
    )*};
}

resource_type! {
    PatientType => "Patient",
    SlotType => "Slot",
    ScheduleType => "Schedule",
    AppointmentType => "Appointment",
    ServiceRequestType => "ServiceRequest",
    CarePlanType => "CarePlan",
    PractitionerType => "Practitioner",
    OperationOutcomeType => "OperationOutcome",
    BundleType => "Bundle",
    FlagType => "Flag",
    CommunicationType => "Communication",
    HealthcareServiceType => "HealthcareService",
    LocationType => "Location",
    TaskType => "Task",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_give_their_id_only_for_their_own_type() {
        let r = Reference::to("Patient", "abc");
        assert_eq!(r.id_of("Patient"), Some("abc"));
        assert_eq!(r.id_of("Slot"), None);
        let absolute = Reference {
            reference: Some("https://example.org/fhir/Slot/42".into()),
            ..Reference::default()
        };
        assert_eq!(absolute.id_of("Slot"), Some("42"));
        let contained = Reference {
            reference: Some("#p1".into()),
            ..Reference::default()
        };
        assert_eq!(contained.id_of("Patient"), None);
    }

    #[test]
    fn a_resource_type_marker_names_the_wrong_type() {
        let error = serde_json::from_str::<PatientType>("\"Slot\"").unwrap_err();
        assert!(
            error.to_string().contains("`Slot`, expected `Patient`"),
            "{error}"
        );
        assert_eq!(serde_json::to_string(&PatientType).unwrap(), "\"Patient\"");
    }

    #[test]
    fn unknown_elements_are_named() {
        let error =
            serde_json::from_str::<HumanName>(r#"{"family":"X","middle":"Y"}"#).unwrap_err();
        assert!(
            error.to_string().contains("unknown field `middle`"),
            "{error}"
        );
    }

    #[test]
    fn extensions_keep_values_they_do_not_name() {
        let json = r#"{"url":"u","valueInteger":3}"#;
        let extension: Extension = serde_json::from_str(json).unwrap();
        assert_eq!(extension.other["valueInteger"], 3);
        assert_eq!(serde_json::to_string(&extension).unwrap(), json);
    }
}
