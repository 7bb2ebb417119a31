//! `Flag`: a person's communication needs in the shape of the National Reasonable Adjustment
//! Flag (NHS England's RA-Flag): one flag per need, categorised `NRAF` plus the adjustment
//! category, coded in SNOMED CT; an interpreter's language and the free-text note as flags of
//! their own. Ids are `{patient id}-{snomed code}`, `{patient id}-interpreter` and
//! `{patient id}-details`, so each flag is found again from the person's record.

use jiff::Timestamp;
use jointly_domain::PatientId;
use jointly_domain::communication::{CommunicationNeeds, Need, NeedCategory};
use serde::Serialize;

use crate::model::{CodeableConcept, Coding, FlagType, Meta, Reference};
use crate::{instant, profile, system};

/// NHS England's patient flag categories (`NRAF`: the national reasonable adjustments flag).
pub const PATIENT_FLAG_CATEGORY: &str =
    "https://fhir.nhs.uk/England/CodeSystem/PatientFlagCategory";

/// NHS England's reasonable adjustment categories (`001` … `011`).
pub const ADJUSTMENT_CATEGORY: &str =
    "https://fhir.nhs.uk/England/CodeSystem/RA-AdjustmentCategory";

/// A `Flag` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// Always `Flag`.
    pub resource_type: FlagType,
    /// `{patient id}-{what}`.
    pub id: String,
    /// Profile and when the needs were last recorded or checked.
    pub meta: Meta,
    /// `active`.
    pub status: &'static str,
    /// `NRAF` and the adjustment category.
    pub category: Vec<CodeableConcept>,
    /// The need.
    pub code: CodeableConcept,
    /// The person.
    pub subject: Reference,
}

/// The part of a flag's id after the person's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagPart {
    /// A coded need.
    Need(Need),
    /// A spoken-language interpreter.
    Interpreter,
    /// The free-text note.
    Details,
}

impl FlagPart {
    fn suffix(self) -> String {
        match self {
            Self::Need(need) => need.snomed().to_owned(),
            Self::Interpreter => "interpreter".to_owned(),
            Self::Details => "details".to_owned(),
        }
    }
}

/// The person and part a flag id names, if it names one.
pub fn parse_id(id: &str) -> Option<(uuid::Uuid, FlagPart)> {
    let (patient, suffix) = (id.get(..36)?, id.get(36..)?.strip_prefix('-')?);
    let patient = uuid::Uuid::parse_str(patient).ok()?;
    let part = match suffix {
        "interpreter" => FlagPart::Interpreter,
        "details" => FlagPart::Details,
        code => FlagPart::Need(Need::ALL.into_iter().find(|n| n.snomed() == code)?),
    };
    Some((patient, part))
}

fn adjustment_category(category: NeedCategory) -> Coding {
    let (code, display) = match category {
        NeedCategory::CommunicationSupport => ("001", "Communication support"),
        NeedCategory::CommunicationProfessional => ("002", "Requires communication professional"),
        NeedCategory::ContactMethod => ("003", "Requires specific contact method"),
        NeedCategory::InformationFormat => ("004", "Requires specific information format"),
    };
    Coding::new(ADJUSTMENT_CATEGORY, code, display)
}

fn flag(
    patient: PatientId,
    reviewed_at: Option<Timestamp>,
    part: FlagPart,
    category: Coding,
    code: CodeableConcept,
) -> Flag {
    Flag {
        resource_type: FlagType,
        id: format!("{patient}-{}", part.suffix()),
        meta: Meta {
            last_updated: reviewed_at.map(instant),
            profile: vec![profile::FLAG.to_owned()],
            ..Meta::default()
        },
        status: "active",
        category: vec![
            CodeableConcept::of(Coding::new(
                PATIENT_FLAG_CATEGORY,
                "NRAF",
                "National Reasonable Adjustments Flag",
            )),
            CodeableConcept::of(category),
        ],
        code,
        subject: Reference::to("Patient", patient),
    }
}

/// Every flag for `patient`'s recorded needs, checked or recorded at `reviewed_at`.
pub fn flags(
    patient: PatientId,
    needs: &CommunicationNeeds,
    reviewed_at: Option<Timestamp>,
) -> Vec<Flag> {
    let mut all: Vec<Flag> = needs
        .needs
        .iter()
        .map(|need| {
            flag(
                patient,
                reviewed_at,
                FlagPart::Need(*need),
                adjustment_category(need.category()),
                CodeableConcept::of(Coding::new(system::SNOMED, need.snomed(), need.display())),
            )
        })
        .collect();
    if let Some(language) = needs.interpreter_language {
        all.push(flag(
            patient,
            reviewed_at,
            FlagPart::Interpreter,
            Coding::new(ADJUSTMENT_CATEGORY, "006", "Community Language Support"),
            CodeableConcept {
                coding: vec![Coding::new(system::LANGUAGE, language.code(), "")],
                text: Some("Requires a spoken-language interpreter".to_owned()),
            },
        ));
    }
    if let Some(details) = &needs.details {
        all.push(flag(
            patient,
            reviewed_at,
            FlagPart::Details,
            Coding::new(
                ADJUSTMENT_CATEGORY,
                "005",
                "Additional communication needs and support",
            ),
            CodeableConcept::text(details),
        ));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use jointly_domain::patient::Language;

    fn needs() -> CommunicationNeeds {
        CommunicationNeeds {
            needs: vec![Need::BslInterpreter, Need::LargePrint24],
            interpreter_language: Some(Language::parse("ur").unwrap()),
            details: Some("Bring a magnifier".into()),
        }
    }

    #[test]
    fn each_need_is_a_flag_in_its_adjustment_category() {
        let patient = PatientId::new();
        let found = flags(patient, &needs(), None);
        assert_eq!(found.len(), 4);
        let bsl = &found[0];
        assert_eq!(
            bsl.code.code_in(system::SNOMED),
            Some(Need::BslInterpreter.snomed())
        );
        assert_eq!(bsl.category[0].code_in(PATIENT_FLAG_CATEGORY), Some("NRAF"));
        assert_eq!(bsl.category[1].code_in(ADJUSTMENT_CATEGORY), Some("002"));
        assert_eq!(
            found[1].category[1].code_in(ADJUSTMENT_CATEGORY),
            Some("004")
        );
        assert_eq!(
            found[2].category[1].code_in(ADJUSTMENT_CATEGORY),
            Some("006")
        );
        assert_eq!(found[3].code.text.as_deref(), Some("Bring a magnifier"));
        assert_eq!(
            bsl.subject.id_of("Patient"),
            Some(patient.to_string().as_str())
        );
    }

    #[test]
    fn flag_ids_name_their_person_and_need_and_nothing_else() {
        let patient = PatientId::new();
        for found in flags(patient, &needs(), None) {
            assert!(found.id.len() <= 64, "{}", found.id);
            let (who, _) = parse_id(&found.id).unwrap();
            assert_eq!(who, patient.as_uuid());
        }
        let base = patient.to_string();
        assert_eq!(
            parse_id(&format!("{base}-interpreter")).map(|(_, p)| p),
            Some(FlagPart::Interpreter)
        );
        for bad in [
            format!("{base}-123"),
            format!("{base}interpreter"),
            format!("{base}-"),
            "x".into(),
            String::new(),
        ] {
            assert_eq!(parse_id(&bad), None, "{bad}");
        }
    }
}
