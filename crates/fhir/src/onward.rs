//! Outgoing `ServiceRequest`: an onward referral from this service to another organisation.
//! It names the receiver by ODS code, what is asked and why, follows on from the referral it
//! came from (`basedOn`), and carries the person's communication needs as contained
//! reasonable-adjustment Flags (`supportingInfo`), so the receiver can meet them at once.

use jointly_domain::communication::CommunicationNeeds;
use jointly_domain::onward::OnwardReferral;
use jointly_domain::referral::Priority;

use crate::flag::flags;
use crate::model::{CodeableConcept, Coding, Identifier, Reference};
use crate::referral::{PATIENT_REFERRAL, ServiceRequest};
use crate::{Versioned, instant, profile, system};

/// `ServiceRequest.priority` for a priority.
pub fn request_priority(priority: Priority) -> &'static str {
    match priority {
        Priority::Urgent => "urgent",
        Priority::Soon => "asap",
        Priority::Routine => "routine",
    }
}

/// The resource for `onward`, sent by the service named `sender`, with the person's `needs`.
pub fn onward_service_request(
    onward: &OnwardReferral,
    sender: &str,
    needs: &CommunicationNeeds,
) -> ServiceRequest {
    // Contained resources carry no version or date of their own (FHIR's rule dom-4).
    let contained: Vec<(String, serde_json::Value)> = flags(onward.patient_id, needs, None)
        .into_iter()
        .enumerate()
        .filter_map(|(i, mut flag)| {
            let local = format!("need-{}", i + 1);
            flag.id.clone_from(&local);
            serde_json::to_value(flag).ok().map(|v| (local, v))
        })
        .collect();
    ServiceRequest {
        id: Some(onward.id.to_string()),
        meta: Some(Versioned::new(1, Some(onward.at)).meta(profile::SERVICE_REQUEST)),
        supporting_info: contained
            .iter()
            .map(|(local, _)| Reference {
                reference: Some(format!("#{local}")),
                ..Reference::default()
            })
            .collect(),
        contained: contained.into_iter().map(|(_, v)| v).collect(),
        identifier: vec![Identifier::new(
            &format!("{}/onward-referral", system::JOINTLY),
            &onward.id.to_string(),
        )],
        status: "active".into(),
        intent: "order".into(),
        category: vec![CodeableConcept::of(Coding::new(
            system::SNOMED,
            PATIENT_REFERRAL,
            "Patient referral",
        ))],
        priority: Some(request_priority(onward.priority).to_owned()),
        code: Some(CodeableConcept::text(&onward.request)),
        subject: Reference::to("Patient", onward.patient_id),
        based_on: vec![Reference::to("ServiceRequest", onward.referral_id)],
        authored_on: Some(instant(onward.at)),
        requester: Some(Reference {
            type_: Some("Organization".into()),
            display: Some(sender.to_owned()),
            ..Reference::default()
        }),
        performer: vec![Reference {
            type_: Some("Organization".into()),
            identifier: Some(Identifier::new(
                system::ODS_ORGANISATION,
                onward.ods_code.as_str(),
            )),
            display: Some(onward.organisation.clone()),
            ..Reference::default()
        }],
        reason_code: vec![CodeableConcept::text(onward.reason.as_str())],
        ..ServiceRequest::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use jointly_domain::communication::Need;
    use jointly_domain::intake::OdsCode;
    use jointly_domain::referral::FreeText;
    use jointly_domain::{OnwardReferralId, PatientId, ReferralId, StaffUserId};

    #[test]
    fn the_needs_travel_as_contained_flags() {
        let onward = OnwardReferral {
            id: OnwardReferralId::new(),
            referral_id: ReferralId::new(),
            patient_id: PatientId::new(),
            ods_code: OdsCode::parse("RC9").unwrap(),
            organisation: "Bedfordshire Hospitals".into(),
            request: "Orthopaedic opinion".into(),
            reason: FreeText::parse("Knee osteoarthritis").unwrap(),
            priority: Priority::Soon,
            by: StaffUserId::new(),
            at: Timestamp::UNIX_EPOCH,
        };
        let needs = CommunicationNeeds {
            needs: vec![Need::BslInterpreter],
            ..CommunicationNeeds::default()
        };
        let request = onward_service_request(&onward, "MSK physiotherapy", &needs);
        assert_eq!(request.contained.len(), 1);
        assert_eq!(request.contained[0]["id"], "need-1");
        assert!(request.contained[0]["meta"].get("lastUpdated").is_none());
        assert_eq!(
            request.supporting_info[0].reference.as_deref(),
            Some("#need-1")
        );
        assert_eq!(request.priority.as_deref(), Some("asap"));
        assert_eq!(
            request.based_on[0].id_of("ServiceRequest"),
            Some(onward.referral_id.to_string().as_str())
        );
        assert_eq!(
            request.performer[0]
                .identifier
                .as_ref()
                .and_then(|i| i.value.as_deref()),
            Some("RC9")
        );
    }
}
