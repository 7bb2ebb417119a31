//! Triage through the API: the queue, a referral, and accepting it.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::TriageForm;
use jointly_domain::pathway::Route;
use jointly_domain::referral::ProblemArea;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::referral_id;

/// Who a referral is for.
#[derive(Serialize, ToSchema)]
struct TriagePatient {
    /// The patient's id.
    id: String,
    given_name: String,
    family_name: String,
    /// `YYYY-MM-DD`.
    date_of_birth: String,
}

/// A referral waiting for triage.
#[derive(Serialize, ToSchema)]
struct TriageQueueItem {
    /// The referral's id.
    id: String,
    /// The reference the person quotes, for example `JNT-4K7P2QX-9`.
    reference: String,
    /// When it was received (RFC 3339).
    received_at: String,
    /// How it reached the service: `self`, `phone` or `professional`.
    source: &'static str,
    /// Where the problem is: `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`,
    /// `knee`, `ankle_foot` or `widespread`.
    problem_area: &'static str,
    /// `emergency`, `urgent`, `soon` or `routine`.
    urgency: &'static str,
    /// The digital triage's route, none for an emergency: `self_management`,
    /// `physiotherapy`, `first_contact_practitioner`, `specialist_msk`, `pain`,
    /// `orthopaedics`, `rheumatology`, `podiatry`, `group_class`, `social_prescribing` or
    /// `weight_management`.
    suggested_route: Option<&'static str>,
    patient: TriagePatient,
}

/// The queue's filters: `?route=physiotherapy&area=knee`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct QueueQuery {
    /// Only referrals the digital triage suggested for this route: `self_management`,
    /// `physiotherapy`, `first_contact_practitioner`, `specialist_msk`, `pain`,
    /// `orthopaedics`, `rheumatology`, `podiatry`, `group_class`, `social_prescribing` or
    /// `weight_management`.
    route: Option<String>,
    /// Only referrals for this area: `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`,
    /// `knee`, `ankle_foot` or `widespread`.
    area: Option<String>,
}

/// Lists the referrals waiting for triage.
///
/// Most urgent first, then longest waiting; at most 200. Every patient listed is audited.
#[utoipa::path(get, path = "/api/v1/triage/referrals", tag = "triage",
    params(QueueQuery),
    responses((status = 200, description = "The referrals waiting for triage", body = Vec<TriageQueueItem>)))]
pub(crate) async fn queue(ctx: Ctx, Query(query): Query<QueueQuery>) -> Result<Response, WebError> {
    let route = match query.route.as_deref() {
        None | Some("") => None,
        Some(code) => Some(Route::parse(code).ok_or_else(|| {
            WebError::bad_request("invalid_filter", format!("unknown route `{code}`"))
        })?),
    };
    let area = match query.area.as_deref() {
        None | Some("") => None,
        Some(code) => Some(ProblemArea::parse(code).map_err(|_| {
            WebError::bad_request("invalid_filter", format!("unknown area `{code}`"))
        })?),
    };
    let queue = ctx.app().triage_queue(ctx.principal(), route, area).await?;
    let items: Vec<TriageQueueItem> = queue
        .iter()
        .map(|item| {
            let r = &item.referral;
            TriageQueueItem {
                id: r.id.to_string(),
                reference: r.reference.to_string(),
                received_at: r.received_at.to_string(),
                source: r.source.as_str(),
                problem_area: r.problem_area.as_str(),
                urgency: r.urgency.as_str(),
                suggested_route: r
                    .digital_triage
                    .as_ref()
                    .and_then(|t| t.route())
                    .map(|r| r.as_str()),
                patient: TriagePatient {
                    id: r.patient_id.to_string(),
                    given_name: item.patient_name.given.to_string(),
                    family_name: item.patient_name.family.to_string(),
                    date_of_birth: item.date_of_birth.to_string(),
                },
            }
        })
        .collect();
    Ok(json(StatusCode::OK, &items))
}

/// A referral, as triage sees it.
#[derive(Serialize, ToSchema)]
struct TriageReferral {
    id: String,
    /// The reference the person quotes, for example `JNT-4K7P2QX-9`.
    reference: String,
    /// `awaiting_triage`, `waiting`, `booked`, `advice_given`, `withdrawn` or `discharged`.
    status: &'static str,
    /// Send it back when accepting, so a change made meanwhile is not overwritten.
    version: i64,
    /// When it was received (RFC 3339).
    received_at: String,
    /// Where the problem is: `neck`, `shoulder`, `elbow`, `wrist_hand`, `back`, `hip`,
    /// `knee`, `ankle_foot` or `widespread`.
    problem_area: &'static str,
    /// The person's own words about the problem, if they gave any.
    description: Option<String>,
    /// `emergency`, `urgent`, `soon` or `routine`.
    urgency: &'static str,
    /// The answers, as a FHIR `QuestionnaireResponse`.
    answers: Option<jointly_domain::questionnaire::QuestionnaireResponse>,
    /// What the digital triage decided, and why.
    #[schema(value_type = Option<jointly_domain::pathway::TriageRecord>)]
    digital_triage: Option<jointly_domain::pathway::DigitalTriage>,
    /// The service it was accepted into, once accepted.
    service_id: Option<String>,
    /// That service's name.
    service: Option<String>,
    /// Once accepted: `urgent`, `soon` or `routine`.
    priority: Option<&'static str>,
    patient: TriagePatient,
}

/// Reads a referral: the answers, the digital triage and the patient.
///
/// For staff with a relationship to it (triage clinicians see every referral; clinicians and
/// coordinators those in their own services); anyone else gets 404. The read is audited.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "triage",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The referral", body = TriageReferral)))]
pub(crate) async fn referral(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral_id(&id)?)
        .await?;
    let r = &view.referral;
    Ok(json(
        StatusCode::OK,
        &TriageReferral {
            id: r.id.to_string(),
            reference: r.reference.to_string(),
            status: r.status.as_str(),
            version: r.version,
            received_at: r.received_at.to_string(),
            problem_area: r.problem_area.as_str(),
            description: r.description.as_ref().map(|d| d.as_str().to_owned()),
            urgency: r.urgency.as_str(),
            answers: r.answers.clone(),
            digital_triage: r.digital_triage.clone(),
            service_id: r.service_id.map(|s| s.to_string()),
            service: view.service_name.clone(),
            priority: r.priority.map(|p| p.as_str()),
            patient: TriagePatient {
                id: view.patient.id.to_string(),
                given_name: view.patient.name.given.to_string(),
                family_name: view.patient.name.family.to_string(),
                date_of_birth: view.patient.date_of_birth.to_string(),
            },
        },
    ))
}

/// A triage decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AcceptReferral {
    /// The id of the service to accept it into.
    service_id: String,
    /// `urgent`, `soon` or `routine`.
    priority: String,
    /// Why, up to 2,000 characters; needed when the service or priority differs from the
    /// digital triage's.
    note: String,
    /// The version read with `GET /api/v1/referrals/{id}`; a stale one is refused with 409.
    version: Option<i64>,
}

/// The referral, accepted.
#[derive(Serialize, ToSchema)]
struct ReferralAccepted {
    id: String,
    /// `waiting`: on the service's waiting list.
    status: &'static str,
    service_id: Option<String>,
    /// `urgent`, `soon` or `routine`.
    priority: Option<&'static str>,
}

/// Accepts a referral into a service with a priority.
///
/// The referral goes on the service's waiting list and the person is told. Choosing
/// differently from the digital triage needs a `note`.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/accept", tag = "triage",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AcceptReferral,
    responses(
        (status = 200, description = "Accepted: the referral's new state", body = ReferralAccepted),
        (status = 409, description = "`referral_changed`: someone changed it since `version` was read; or `invalid_transition`: it is no longer awaiting triage", body = crate::openapi::Problem),
        (status = 422, description = "The service, priority, note or `version` needs fixing (a `note` is needed to differ from the digital triage; orthopaedics needs the person ready for surgery)", body = crate::openapi::Problem)))]
pub(crate) async fn accept(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AcceptReferral>,
) -> Result<Response, WebError> {
    let form = TriageForm {
        service: body.service_id,
        priority: body.priority,
        note: body.note,
        version: body.version.map(|v| v.to_string()).unwrap_or_default(),
    };
    let referral = ctx
        .app()
        .accept_referral(ctx.principal(), referral_id(&id)?, &form)
        .await?;
    Ok(json(
        StatusCode::OK,
        &ReferralAccepted {
            id: referral.id.to_string(),
            status: referral.status.as_str(),
            service_id: referral.service_id.map(|s| s.to_string()),
            priority: referral.priority.map(|p| p.as_str()),
        },
    ))
}
