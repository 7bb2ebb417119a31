//! `ServiceRequest` (UK Core): a referral. Incoming, it carries the person (a reference to a
//! Patient the system may see, or a contained Patient), the answers to the intake questions as
//! a contained `QuestionnaireResponse`, and the referrer as a contained `Practitioner`; it goes
//! through the same front door as every other referral. Outgoing, it tells where the referral
//! is, who it is for and the service it went to.

use std::collections::BTreeMap;

use jointly_domain::intake::Referrer;
use jointly_domain::referral::{Referral, ReferralSource, ReferralStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{
    Annotation, CodeableConcept, Coding, ContactPoint, Extension, HumanName, Identifier, Meta,
    Narrative, Reference, ServiceRequestType,
};
use crate::outcome::{Issue, IssueType, OperationOutcome};
use crate::patient::Patient;
use crate::{Versioned, instant, profile, system};

/// UK Core's source-of-referral extension.
pub const SOURCE_OF_SERVICE_REQUEST: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-SourceOfServiceRequest";

/// SNOMED CT "Referred by general practitioner".
const REFERRED_BY_GP: &str = "108161000000109";
/// SNOMED CT "Self-referral to service".
const SELF_REFERRAL: &str = "310434002";
/// SNOMED CT "Patient referral".
pub(crate) const PATIENT_REFERRAL: &str = "3457005";

/// Jointly's code system for referrer roles (the roles the referral form offers).
pub fn referrer_role_system() -> String {
    format!("{}/referrer-role", system::JOINTLY)
}

/// A `ServiceRequest` resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceRequest {
    /// Always `ServiceRequest`.
    pub resource_type: ServiceRequestType,
    /// Logical id (absent on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Version and profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// Narrative, accepted and not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// The answers and the referrer, on create.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Value>,
    /// Source of referral.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The reference the patient quotes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `active`, `completed`, `revoked`, …
    pub status: String,
    /// Always `order`.
    pub intent: String,
    /// A referral.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// `routine`, `urgent`, `asap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// What is asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeableConcept>,
    /// Who it is for.
    pub subject: Reference,
    /// The referral it follows on from (outgoing onward referrals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// When it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authored_on: Option<String>,
    /// Who asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Reference>,
    /// The service it went to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    /// Why, in the referrer's words, accepted and kept with the answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason_code: Vec<CodeableConcept>,
    /// The answers to the intake questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting_info: Vec<Reference>,
    /// Where the problem is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body_site: Vec<CodeableConcept>,
    /// The problem in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
}

/// Who a new referral is for.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A Patient already known, by id.
    Known(String),
    /// A person in a contained Patient.
    Contained(Box<Patient>),
}

/// The referring professional from a contained Practitioner.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferrerDetails {
    /// Name.
    pub name: String,
    /// Role code (the referral form's).
    pub role: String,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
}

/// A referral as sent, ready for the front door's checks.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingReferral {
    /// Who it is for.
    pub subject: Subject,
    /// The answers, as text per question (`yes`/`no`, codes, numbers, words).
    pub answers: BTreeMap<String, String>,
    /// Who referred.
    pub referrer: ReferrerDetails,
}

/// A contained Practitioner: only what a referrer needs.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContainedPractitioner {
    #[serde(rename = "resourceType")]
    _resource_type: crate::model::PractitionerType,
    #[serde(rename = "id")]
    _id: String,
    #[serde(default, rename = "identifier")]
    _identifier: Vec<Identifier>,
    #[serde(default)]
    name: Vec<HumanName>,
    #[serde(default)]
    telecom: Vec<ContactPoint>,
    #[serde(default)]
    qualification: Vec<Qualification>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Qualification {
    code: CodeableConcept,
}

fn issue(code: IssueType, at: &str, message: impl Into<String>) -> Issue {
    OperationOutcome::at(code, at, message)
}

/// The text of one answer, as the front door reads answers.
fn answer_text(answer: &Value) -> Option<String> {
    let object = answer.as_object()?;
    object.iter().find_map(|(key, value)| match key.as_str() {
        "valueString" | "valueDate" => value.as_str().map(str::to_owned),
        "valueBoolean" => value
            .as_bool()
            .map(|b| if b { "yes" } else { "no" }.to_owned()),
        "valueInteger" | "valueDecimal" => value.as_number().map(|n| n.to_string()),
        "valueCoding" => value.get("code")?.as_str().map(str::to_owned),
        _ => None,
    })
}

/// Every answered item of a QuestionnaireResponse (nested groups flattened).
fn collect_answers(
    items: &[Value],
    path: &str,
    answers: &mut BTreeMap<String, String>,
    issues: &mut Vec<Issue>,
) {
    for (i, item) in items.iter().enumerate() {
        let here = format!("{path}.item[{i}]");
        let Some(link_id) = item.get("linkId").and_then(Value::as_str) else {
            issues.push(issue(
                IssueType::Required,
                &here,
                "each item needs its linkId",
            ));
            continue;
        };
        if let Some(answer) = item
            .get("answer")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            match answer_text(answer) {
                Some(text) => {
                    answers.insert(link_id.to_owned(), text);
                }
                None => issues.push(issue(
                    IssueType::Value,
                    &format!("{here}.answer[0]"),
                    format!(
                        "the answer to `{link_id}` must be valueString, valueBoolean, valueInteger, valueDecimal, valueDate or valueCoding with a code"
                    ),
                )),
            }
        }
        if let Some(children) = item.get("item").and_then(Value::as_array) {
            collect_answers(children, &here, answers, issues);
        }
    }
}

impl ServiceRequest {
    /// The referral this request makes, or every problem with it.
    pub fn incoming(&self) -> Result<IncomingReferral, OperationOutcome> {
        let mut issues = Vec::new();
        if self.status != "active" {
            issues.push(issue(
                IssueType::Value,
                "ServiceRequest.status",
                format!("a new referral is `active`, not `{}`", self.status),
            ));
        }
        if self.intent != "order" {
            issues.push(issue(
                IssueType::Value,
                "ServiceRequest.intent",
                format!("a referral's intent is `order`, not `{}`", self.intent),
            ));
        }
        if !self.based_on.is_empty() {
            issues.push(issue(
                IssueType::NotSupported,
                "ServiceRequest.basedOn",
                "a referral into this service stands on its own: leave out basedOn".to_owned(),
            ));
        }
        let contained: BTreeMap<&str, (usize, &Value)> = self
            .contained
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.get("id")?.as_str()?, (i, r))))
            .collect();
        let local = |reference: &Reference| -> Option<(usize, &Value)> {
            let id = reference.reference.as_deref()?.strip_prefix('#')?;
            contained.get(id).copied()
        };

        let subject = if let Some(id) = self.subject.id_of("Patient") {
            Some(Subject::Known(id.to_owned()))
        } else if let Some((i, resource)) = local(&self.subject) {
            match serde_json::from_value::<Patient>(resource.clone()) {
                Ok(patient) => Some(Subject::Contained(Box::new(patient))),
                Err(error) => {
                    issues.push(issue(
                        IssueType::Structure,
                        &format!("ServiceRequest.contained[{i}]"),
                        format!("the contained Patient: {error}"),
                    ));
                    None
                }
            }
        } else {
            issues.push(issue(
                IssueType::Required,
                "ServiceRequest.subject",
                "name the patient as `Patient/{id}`, or as `#id` of a contained Patient",
            ));
            None
        };

        let mut answers = BTreeMap::new();
        let questionnaire_response =
            self.supporting_info
                .iter()
                .filter_map(&local)
                .find(|(_, r)| {
                    r.get("resourceType").and_then(Value::as_str) == Some("QuestionnaireResponse")
                });
        match questionnaire_response {
            Some((i, response)) => {
                let items = response
                    .get("item")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                collect_answers(
                    items,
                    &format!("ServiceRequest.contained[{i}]"),
                    &mut answers,
                    &mut issues,
                );
            }
            None => issues.push(issue(
                IssueType::Required,
                "ServiceRequest.supportingInfo",
                "include the answers to the intake questions (GET /fhir/Questionnaire) as a contained QuestionnaireResponse referenced from supportingInfo",
            )),
        }
        if let Some(note) = self.note.first()
            && !answers.contains_key("description")
        {
            answers.insert("description".into(), note.text.clone());
        }

        let mut referrer = ReferrerDetails::default();
        match self.requester.as_ref().and_then(local) {
            Some((i, resource)) => {
                match serde_json::from_value::<ContainedPractitioner>(resource.clone()) {
                    Ok(practitioner) => {
                        let name = practitioner.name.first();
                        referrer.name = name
                            .and_then(|n| n.text.clone())
                            .or_else(|| {
                                name.map(|n| {
                                    n.prefix
                                        .iter()
                                        .chain(&n.given)
                                        .chain(&n.family)
                                        .cloned()
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })
                            })
                            .unwrap_or_default();
                        let contact = |kind: &str| {
                            practitioner
                                .telecom
                                .iter()
                                .find(|t| t.system.as_deref() == Some(kind))
                                .and_then(|t| t.value.clone())
                                .unwrap_or_default()
                        };
                        referrer.phone = contact("phone");
                        referrer.email = contact("email");
                        referrer.role = practitioner
                            .qualification
                            .iter()
                            .find_map(|q| q.code.code_in(&referrer_role_system()))
                            .map(str::to_owned)
                            .unwrap_or_default();
                    }
                    Err(error) => issues.push(issue(
                        IssueType::Structure,
                        &format!("ServiceRequest.contained[{i}]"),
                        format!("the contained Practitioner: {error}"),
                    )),
                }
            }
            None => issues.push(issue(
                IssueType::Required,
                "ServiceRequest.requester",
                "name the referring professional as `#id` of a contained Practitioner (name, telecom, and their role in qualification.code)",
            )),
        }
        if referrer.role.is_empty() {
            let from_gp = Extension::find(&self.extension, SOURCE_OF_SERVICE_REQUEST)
                .and_then(Extension::code)
                == Some(REFERRED_BY_GP);
            referrer.role = if from_gp {
                "general_practitioner"
            } else {
                "other"
            }
            .into();
        }
        match (subject, issues.is_empty()) {
            (Some(subject), true) => Ok(IncomingReferral {
                subject,
                answers,
                referrer,
            }),
            _ => Err(OperationOutcome::of(issues)),
        }
    }
}

/// `ServiceRequest.status` for a referral's status.
pub fn referral_status(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::AwaitingTriage | ReferralStatus::Waiting | ReferralStatus::Booked => {
            "active"
        }
        ReferralStatus::AdviceGiven | ReferralStatus::Discharged => "completed",
        ReferralStatus::Withdrawn => "revoked",
    }
}

/// The referral statuses a `ServiceRequest.status` search value covers.
pub fn statuses_for(code: &str) -> Option<&'static [ReferralStatus]> {
    match code {
        "active" => Some(&[
            ReferralStatus::AwaitingTriage,
            ReferralStatus::Waiting,
            ReferralStatus::Booked,
        ]),
        "completed" => Some(&[ReferralStatus::AdviceGiven, ReferralStatus::Discharged]),
        "revoked" => Some(&[ReferralStatus::Withdrawn]),
        _ => None,
    }
}

/// The service a referral went to, by name.
#[derive(Clone, Copy, Debug)]
pub struct Performer<'a> {
    /// The service's id.
    pub id: jointly_domain::ServiceId,
    /// Its name.
    pub name: &'a str,
}

/// The resource for `referral`.
pub fn service_request(
    referral: &Referral,
    performer: Option<Performer<'_>>,
    referring_ods: Option<&str>,
    version: Versioned,
) -> ServiceRequest {
    let record = referral.record();
    let mut extension = Vec::new();
    let source = match (&record.source, &record.referrer) {
        (ReferralSource::SelfReferral, None) => Some((SELF_REFERRAL, "Self-referral to service")),
        (_, Some(Referrer::Professional { professional, .. }))
            if professional.role.as_str() == "general_practitioner" =>
        {
            Some((REFERRED_BY_GP, "Referred by general practitioner"))
        }
        _ => None,
    };
    if let Some((code, display)) = source {
        extension.push(Extension::coded(
            SOURCE_OF_SERVICE_REQUEST,
            Coding::new(system::SNOMED, code, display),
        ));
    }
    let requester = match &record.referrer {
        Some(Referrer::Professional { professional, .. }) => Some(Reference {
            type_: Some("Organization".into()),
            identifier: referring_ods.map(|ods| Identifier::new(system::ODS_ORGANISATION, ods)),
            display: Some(professional.name.as_str().to_owned()),
            ..Reference::default()
        }),
        _ => Some(Reference::to("Patient", record.patient_id)),
    };
    ServiceRequest {
        id: Some(record.id.to_string()),
        meta: Some(version.meta(profile::SERVICE_REQUEST)),
        extension,
        identifier: vec![Identifier::new(
            system::REFERRAL_REFERENCE,
            record.reference.as_str(),
        )],
        status: referral_status(record.status).to_owned(),
        intent: "order".into(),
        category: vec![CodeableConcept::of(Coding::new(
            system::SNOMED,
            PATIENT_REFERRAL,
            "Patient referral",
        ))],
        priority: record
            .priority
            .map(|p| crate::onward::request_priority(p).to_owned()),
        code: Some(CodeableConcept::text(
            "Community musculoskeletal assessment and treatment",
        )),
        subject: Reference::to("Patient", record.patient_id),
        authored_on: Some(instant(record.received_at)),
        requester,
        performer: performer
            .map(|p| Reference::to_named("HealthcareService", p.id, p.name))
            .into_iter()
            .collect(),
        body_site: vec![CodeableConcept::of(Coding::new(
            &format!("{}/problem-area", system::JOINTLY),
            record.problem_area.as_str(),
            "",
        ))],
        note: record
            .description
            .iter()
            .map(|d| Annotation {
                text: d.as_str().to_owned(),
                ..Annotation::default()
            })
            .collect(),
        ..ServiceRequest::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(extra: Value) -> ServiceRequest {
        let mut json = serde_json::json!({
            "resourceType": "ServiceRequest",
            "status": "active",
            "intent": "order",
            "subject": {"reference": "Patient/0193b6a4-0000-7000-8000-000000000001"},
            "requester": {"reference": "#gp"},
            "supportingInfo": [{"reference": "#answers"}],
            "contained": [
                {"resourceType": "Practitioner", "id": "gp", "name": [{"prefix": ["Dr"], "given": ["Mei"], "family": "Chen"}],
                 "telecom": [{"system": "email", "value": "mei.chen@nhs.example"}]},
                {"resourceType": "QuestionnaireResponse", "id": "answers", "status": "completed",
                 "item": [{"linkId": "problem", "item": [
                    {"linkId": "area", "answer": [{"valueCoding": {"code": "knee"}}]},
                    {"linkId": "pain_score", "answer": [{"valueInteger": 5}]},
                    {"linkId": "night_pain", "answer": [{"valueBoolean": false}]}
                 ]}]}
            ],
            "extension": [{"url": SOURCE_OF_SERVICE_REQUEST, "valueCodeableConcept": {"coding": [{"system": system::SNOMED, "code": REFERRED_BY_GP}]}}]
        });
        if let (Some(target), Some(extra)) = (json.as_object_mut(), extra.as_object()) {
            target.extend(extra.clone());
        }
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn an_incoming_referral_reads_its_answers_and_referrer() {
        let incoming = request(serde_json::json!({})).incoming().unwrap();
        assert!(matches!(incoming.subject, Subject::Known(_)));
        assert_eq!(incoming.answers["area"], "knee");
        assert_eq!(incoming.answers["pain_score"], "5");
        assert_eq!(incoming.answers["night_pain"], "no");
        assert_eq!(incoming.referrer.name, "Dr Mei Chen");
        assert_eq!(incoming.referrer.email, "mei.chen@nhs.example");
        assert_eq!(
            incoming.referrer.role, "general_practitioner",
            "from the source of referral"
        );
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = request(serde_json::json!({
            "status": "draft",
            "subject": {"display": "someone"},
            "supportingInfo": [],
            "requester": {"reference": "#nobody"}
        }));
        let outcome = bad.incoming().unwrap_err();
        let places: Vec<&str> = outcome
            .issue
            .iter()
            .map(|i| i.expression[0].as_str())
            .collect();
        assert_eq!(
            places,
            [
                "ServiceRequest.status",
                "ServiceRequest.subject",
                "ServiceRequest.supportingInfo",
                "ServiceRequest.requester"
            ]
        );
    }
}
