//! `/fhir/ServiceRequest`: referrals in (through the front door, into the triage queue) and
//! their progress out; revoking one when the person no longer needs it.

use axum::extract::{OriginalUri, Path};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jointly_app::{AppError, FoundServiceRequest, Page, SystemOnwardReferral, SystemReferral};
use jointly_domain::intake::ProfessionalAnswers;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::{OnwardReferralId, PatientId, ReferralId};
use jointly_fhir::Versioned;
use jointly_fhir::onward::onward_service_request;
use jointly_fhir::outcome::{IssueType, OperationOutcome};
use jointly_fhir::referral::{Performer, ServiceRequest, Subject, service_request, statuses_for};
use jointly_fhir::search::Query;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{
    FhirBody, app_error, base, if_match, invalid, one_page, parse_id, query, resource,
};

/// Where a front-door problem sits in an incoming ServiceRequest.
fn place(field: &str) -> String {
    match field {
        "referrer_name" | "referrer_role" | "referrer_phone" | "referrer_email" | "ods_code" => {
            "ServiceRequest.requester".to_owned()
        }
        "given_name" | "family_name" | "date_of_birth" | "nhs_number" | "sex" | "ethnicity"
        | "preferred_language" | "phone" | "email" | "address_line1" | "town" | "postcode"
        | "preferred_contact" => format!(
            "ServiceRequest.subject.resolve().{}",
            jointly_fhir::patient::expression(field).trim_start_matches("Patient.")
        ),
        question => format!(
            "ServiceRequest.supportingInfo.resolve().item.descendants().where(linkId='{question}')"
        ),
    }
}

fn versioned(found: &SystemReferral) -> Versioned {
    let record = found.referral.record();
    Versioned::new(
        record.version,
        Some(record.triaged_at.unwrap_or(record.received_at)),
    )
}

fn to_resource(found: &SystemReferral) -> ServiceRequest {
    let performer = match (found.referral.service_id, found.service_name.as_deref()) {
        (Some(id), Some(name)) => Some(Performer { id, name }),
        _ => None,
    };
    service_request(
        &found.referral,
        performer,
        found.referring_ods.as_deref(),
        versioned(found),
    )
}

fn respond(ctx: &Ctx, status: StatusCode, found: &SystemReferral) -> Response {
    let location = (status == StatusCode::CREATED)
        .then(|| format!("{}/ServiceRequest/{}", base(&ctx.state), found.referral.id));
    resource(
        status,
        &to_resource(found),
        Some(versioned(found).etag()),
        location,
    )
}

/// An onward referral from this service, as an outgoing ServiceRequest.
fn onward_resource(found: &SystemOnwardReferral) -> ServiceRequest {
    onward_service_request(&found.onward, &found.sender, &found.communication.needs)
}

/// `GET /fhir/ServiceRequest/{id}`: a referral into this service, or one it made onward.
pub(crate) async fn read(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let uuid = parse_id(&id)?;
    match ctx
        .app()
        .system_referral(ctx.principal(), ReferralId::from_uuid(uuid))
        .await
    {
        Ok(found) => return Ok(respond(&ctx, StatusCode::OK, &found)),
        Err(AppError::NotFound) => {}
        Err(other) => return Err(app_error(other, place)),
    }
    let onward = ctx
        .app()
        .system_onward_referral(ctx.principal(), OnwardReferralId::from_uuid(uuid))
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(resource(
        StatusCode::OK,
        &onward_resource(&onward),
        Some(Versioned::new(1, None).etag()),
        None,
    ))
}

/// `GET /fhir/ServiceRequest?patient=Patient/{id}&status=active`: a person's referrals (into
/// this service and onward from it), or without `patient` those this system's organisation
/// made and those referred on to it.
pub(crate) async fn search(ctx: Ctx, OriginalUri(uri): OriginalUri) -> Result<Response, WebError> {
    let q = Query::parse(
        "ServiceRequest",
        query(&uri),
        &["patient", "status", "_offset"],
    )
    .map_err(invalid)?;
    let patient = q.reference("patient", "Patient").map_err(invalid)?;
    let statuses = match q
        .token("status", "http://hl7.org/fhir/request-status")
        .map_err(invalid)?
    {
        None => &[][..],
        Some(code) => statuses_for(code).ok_or_else(|| {
            invalid(OperationOutcome::error(
                IssueType::Value,
                format!("status is active, completed or revoked, not `{code}`"),
            ))
        })?,
    };
    let page = Page {
        offset: q.offset().map_err(invalid)?,
        count: q.count().map_err(invalid)?,
    };
    // Onward referrals are active from the moment they are made.
    let with_onward = statuses.is_empty() || statuses.contains(&ReferralStatus::Waiting);
    let found = ctx
        .app()
        .system_service_requests(
            ctx.principal(),
            (patient.map(PatientId::from_uuid), statuses, with_onward),
            page,
        )
        .await
        .map_err(|e| app_error(e, place))?;
    let entries = found
        .items
        .iter()
        .map(|found| match found {
            FoundServiceRequest::Referral(f) => {
                (format!("ServiceRequest/{}", f.referral.id), to_resource(f))
            }
            FoundServiceRequest::Onward(o) => (
                format!("ServiceRequest/{}", o.onward.id),
                onward_resource(o),
            ),
        })
        .collect();
    Ok(one_page(&ctx.state, &uri, page, found.more, entries))
}

/// `POST /fhir/ServiceRequest`: a referral, through the front door into the triage queue.
pub(crate) async fn create(
    ctx: Ctx,
    FhirBody(body): FhirBody<ServiceRequest>,
) -> Result<Response, WebError> {
    let incoming = body.incoming().map_err(invalid)?;
    let patient = match &incoming.subject {
        Subject::Known(id) => Ok(PatientId::from_uuid(parse_id(id)?)),
        Subject::Contained(patient) => Err(patient.answers()),
    };
    let referrer = ProfessionalAnswers {
        ods_code: String::new(),
        referrer_name: incoming.referrer.name.clone(),
        referrer_role: incoming.referrer.role.clone(),
        referrer_phone: incoming.referrer.phone.clone(),
        referrer_email: incoming.referrer.email.clone(),
    };
    let receipt = ctx
        .app()
        .system_refer(ctx.principal(), patient, incoming.answers, referrer)
        .await
        .map_err(|e| app_error(e, place))?;
    let found = ctx
        .app()
        .system_referral(ctx.principal(), receipt.referral_id)
        .await
        .map_err(|e| app_error(e, place))?;
    let status = if receipt.joined_existing {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(respond(&ctx, status, &found))
}

/// `PUT /fhir/ServiceRequest/{id}` with If-Match: the one change a referrer may make is to
/// revoke it (the person no longer needs it).
pub(crate) async fn update(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    FhirBody(body): FhirBody<ServiceRequest>,
) -> Result<Response, WebError> {
    let uuid = parse_id(&id)?;
    if body.id.as_deref() != Some(id.as_str()) {
        return Err(invalid(OperationOutcome::of(vec![OperationOutcome::at(
            IssueType::Invalid,
            "ServiceRequest.id",
            "the resource's id must match the id in the URL",
        )])));
    }
    if body.status != "revoked" {
        return Err(invalid(OperationOutcome::of(vec![OperationOutcome::at(
            IssueType::BusinessRule,
            "ServiceRequest.status",
            "a referrer may only revoke a referral (status `revoked`); triage and care change the rest",
        )])));
    }
    let version = if_match(&headers, "ServiceRequest")?;
    let found = ctx
        .app()
        .system_withdraw_referral(ctx.principal(), ReferralId::from_uuid(uuid), version)
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(respond(&ctx, StatusCode::OK, &found))
}
