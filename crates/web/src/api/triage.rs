//! Triage through the API: the queue, a referral, and accepting it.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::TriageForm;
use jointly_domain::pathway::Route;
use jointly_domain::referral::ProblemArea;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::referral_id;

#[derive(Serialize)]
struct PatientSummary {
    id: String,
    given_name: String,
    family_name: String,
    date_of_birth: String,
}

#[derive(Serialize)]
struct QueueItem {
    id: String,
    reference: String,
    received_at: String,
    source: &'static str,
    problem_area: &'static str,
    urgency: &'static str,
    suggested_route: Option<&'static str>,
    patient: PatientSummary,
}

/// The queue's filters: `?route=physiotherapy&area=knee`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct QueueQuery {
    route: Option<String>,
    area: Option<String>,
}

/// `GET /api/v1/triage/referrals`
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
    let items: Vec<QueueItem> = queue
        .iter()
        .map(|item| {
            let r = &item.referral;
            QueueItem {
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
                patient: PatientSummary {
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

#[derive(Serialize)]
struct ReferralDetail {
    id: String,
    reference: String,
    status: &'static str,
    version: i64,
    received_at: String,
    problem_area: &'static str,
    description: Option<String>,
    urgency: &'static str,
    answers: Option<jointly_domain::questionnaire::QuestionnaireResponse>,
    digital_triage: Option<jointly_domain::pathway::DigitalTriage>,
    service_id: Option<String>,
    service: Option<String>,
    priority: Option<&'static str>,
    patient: PatientSummary,
}

/// `GET /api/v1/referrals/{id}`
pub(crate) async fn referral(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral_id(&id)?)
        .await?;
    let r = &view.referral;
    Ok(json(
        StatusCode::OK,
        &ReferralDetail {
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
            patient: PatientSummary {
                id: view.patient.id.to_string(),
                given_name: view.patient.name.given.to_string(),
                family_name: view.patient.name.family.to_string(),
                date_of_birth: view.patient.date_of_birth.to_string(),
            },
        },
    ))
}

/// A triage decision.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AcceptRequest {
    service_id: String,
    priority: String,
    note: String,
    /// The version read with `GET /api/v1/referrals/{id}`; a stale one is refused with 409.
    version: Option<i64>,
}

#[derive(Serialize)]
struct Accepted {
    id: String,
    status: &'static str,
    service_id: Option<String>,
    priority: Option<&'static str>,
}

/// `POST /api/v1/referrals/{id}/accept`
pub(crate) async fn accept(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AcceptRequest>,
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
        &Accepted {
            id: referral.id.to_string(),
            status: referral.status.as_str(),
            service_id: referral.service_id.map(|s| s.to_string()),
            priority: referral.priority.map(|p| p.as_str()),
        },
    ))
}
