//! The `CapabilityStatement` at `/fhir/metadata`: every resource served, what may be done with
//! it, its search parameters and the scopes a system needs. The table here is also what the
//! search handlers accept, so the statement cannot drift from the server.

use serde_json::{Value, json};

use crate::{FHIR_VERSION, MEDIA_TYPE, profile};

/// A search parameter: name, type, meaning.
pub type SearchParam = (&'static str, &'static str, &'static str);

/// What the server does with one resource type.
#[derive(Clone, Copy, Debug)]
pub struct ResourceCapability {
    /// The type.
    pub name: &'static str,
    /// Its UK Core profile.
    pub profile: &'static str,
    /// Interactions: `read`, `search-type`, `create`, `update`.
    pub interactions: &'static [&'static str],
    /// Search parameters.
    pub search: &'static [SearchParam],
    /// What it is, here.
    pub documentation: &'static str,
}

/// Every resource served.
pub const RESOURCES: &[ResourceCapability] = &[
    ResourceCapability {
        name: "Patient",
        profile: profile::PATIENT,
        interactions: &["read", "search-type", "create", "update"],
        search: &[(
            "identifier",
            "token",
            "NHS number (https://fhir.nhs.uk/Id/nhs-number|…)",
        )],
        documentation: "People this system may see: those it registered or referred. Update (If-Match required) changes contact details and preferences.",
    },
    ResourceCapability {
        name: "ServiceRequest",
        profile: profile::SERVICE_REQUEST,
        interactions: &["read", "search-type", "create", "update"],
        search: &[
            ("patient", "reference", "The person referred"),
            ("status", "token", "active, completed or revoked"),
        ],
        documentation: "Referrals. Create sends a referral through the front door into the triage queue (answers as a contained QuestionnaireResponse, referrer as a contained Practitioner). Update (If-Match required) can only revoke: the person no longer needs it. Onward referrals this service makes to another organisation are ServiceRequests too: basedOn the referral here, performer the receiver by ODS code, the person's communication needs as contained Flags in supportingInfo. Search without patient returns the referrals this organisation made and those referred on to it.",
    },
    ResourceCapability {
        name: "Schedule",
        profile: profile::SCHEDULE,
        interactions: &["read", "search-type"],
        search: &[("service-type", "token", "The service's code")],
        documentation: "One clinician's diary in their service.",
    },
    ResourceCapability {
        name: "Slot",
        profile: profile::SLOT,
        interactions: &["read", "search-type"],
        search: &[
            ("schedule", "reference", "The diary (Schedule/{id})"),
            ("status", "token", "free, busy or busy-unavailable"),
            ("start", "date", "When it starts (ge, gt, le, lt, eq)"),
        ],
        documentation: "Appointment times. Book one with a transaction Bundle: PUT the Slot as busy and POST the Appointment.",
    },
    ResourceCapability {
        name: "Appointment",
        profile: profile::APPOINTMENT,
        interactions: &["read", "search-type", "create"],
        search: &[
            ("patient", "reference", "The person"),
            ("date", "date", "When it starts (ge, gt, le, lt, eq)"),
        ],
        documentation: "Booked appointments; a slot is booked at most once whatever happens at the same moment.",
    },
    ResourceCapability {
        name: "Questionnaire",
        profile: profile::QUESTIONNAIRE,
        interactions: &["read"],
        search: &[],
        documentation: "The intake questions (id: msk-self-referral). A referral answers them in a QuestionnaireResponse contained in its ServiceRequest.",
    },
    ResourceCapability {
        name: "Task",
        profile: profile::TASK,
        interactions: &["read", "search-type"],
        search: &[
            ("focus", "reference", "The referral (ServiceRequest/{id})"),
            ("patient", "reference", "The person"),
            (
                "status",
                "token",
                "received, accepted, in-progress, completed or cancelled",
            ),
        ],
        documentation: "A referral's progress: one task per referral (the same id as its ServiceRequest), received while it waits for triage, accepted onto a waiting list, in progress once booked, then completed or cancelled.",
    },
    ResourceCapability {
        name: "Flag",
        profile: profile::FLAG,
        interactions: &["read", "search-type"],
        search: &[("patient", "reference", "The person (required)")],
        documentation: "Communication needs (Accessible Information Standard) in the shape of the National Reasonable Adjustment Flag: category NRAF and the adjustment category, code in SNOMED CT; an interpreter's language and a free-text note as flags of their own.",
    },
    ResourceCapability {
        name: "Communication",
        profile: profile::COMMUNICATION,
        interactions: &["read", "search-type"],
        search: &[("patient", "reference", "The person (required)")],
        documentation: "Messages sent to a person or their carer about their care: which message, by which channel, when, and whether it was delivered. The words are not shared.",
    },
    ResourceCapability {
        name: "HealthcareService",
        profile: profile::HEALTHCARE_SERVICE,
        interactions: &["read", "search-type"],
        search: &[("service-type", "token", "The service's code")],
        documentation: "The services that accept referrals; their codes are the service types of Slots and Schedules.",
    },
    ResourceCapability {
        name: "Location",
        profile: profile::LOCATION,
        interactions: &["read", "search-type"],
        search: &[("address-postalcode", "string", "Postcode, or its start")],
        documentation: "Clinic sites: address, position, opening hours, and access (step-free, hearing loop, Blue Badge parking, travel).",
    },
    ResourceCapability {
        name: "Practitioner",
        profile: profile::PRACTITIONER,
        interactions: &["read", "search-type"],
        search: &[],
        documentation: "Clinicians; each one's diary is the Schedule with the same id.",
    },
    ResourceCapability {
        name: "CarePlan",
        profile: profile::CARE_PLAN,
        interactions: &["read"],
        search: &[],
        documentation: "The care passport's summary (id: the person's Patient id): what matters, goals, referrals and appointments. Clinical notes are never shared here.",
    },
];

/// The system-level scopes a client may hold (`system/{Type}.read` and `.write`, or `*`).
pub fn scopes() -> Vec<String> {
    let mut all: Vec<String> = RESOURCES
        .iter()
        .flat_map(|r| {
            [
                format!("system/{}.read", r.name),
                format!("system/{}.write", r.name),
            ]
        })
        .collect();
    all.extend(["system/*.read".into(), "system/*.write".into()]);
    all
}

/// The statement, for a server whose FHIR base is `base`.
pub fn statement(base: &str, software_version: &str, date: &str) -> Value {
    let resources: Vec<Value> = RESOURCES
        .iter()
        .map(|r| {
            json!({
                "type": r.name,
                "profile": format!("http://hl7.org/fhir/StructureDefinition/{}", r.name),
                "supportedProfile": [r.profile],
                "documentation": r.documentation,
                "interaction": r.interactions.iter().map(|code| json!({"code": code})).collect::<Vec<_>>(),
                "versioning": "versioned-update",
                "readHistory": false,
                "updateCreate": false,
                "conditionalCreate": false,
                "conditionalUpdate": false,
                "conditionalDelete": "not-supported",
                "searchParam": r.search.iter().map(|(name, kind, doc)| json!({
                    "name": name, "type": kind, "documentation": doc
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "Jointly",
        "kind": "instance",
        "software": {"name": "Jointly", "version": software_version},
        "implementation": {"description": "Jointly community MSK service", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": [MEDIA_TYPE, "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Systems sign in with OAuth 2.0 client credentials at /fhir/token (client_id: the organisation's ODS code; client_secret: its API key) and send the bearer token. Every read of a person's record is audited; a system sees only people it registered or referred. Errors are OperationOutcome resources.",
            "security": {
                "cors": false,
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "OAuth", "display": "OAuth"
                }]}],
                "extension": [{
                    "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    "extension": [{"url": "token", "valueUri": format!("{base}/token")}]
                }]
            },
            "resource": resources,
            "interaction": [{"code": "transaction", "documentation": "Booking: PUT Slot (status busy) and POST Appointment, all or nothing."}]
        }]
    })
}
