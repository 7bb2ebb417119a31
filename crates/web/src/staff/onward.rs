//! Onward referral (`/staff/referrals/{id}/onward`): a clinician or triage clinician with a
//! relationship to a referral refers the person on to another organisation by its ODS code,
//! says what is asked, why and how soon, and sees the communication needs that go with it.
//! The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, StaffReferralView};
use jointly_domain::onward::{OnwardAnswers, OnwardReferral};
use jointly_domain::referral::Priority;
use jointly_domain::{ReferralId, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::Choice;
use crate::render::{PageContext, Text, render_page};
use crate::staff::referral::communication_flags;
use crate::staff::services::SavedQuery;

/// An onward referral as listed.
struct OnwardRow {
    at: Timestamp,
    receiver: String,
    request: String,
    priority: Text,
}

#[derive(Template)]
#[template(path = "staff/onward.html")]
struct OnwardPage {
    page: PageContext,
    form: FormState,
    id: String,
    reference: String,
    patient_name: String,
    communication: Vec<String>,
    priorities: Vec<Choice>,
    rows: Vec<OnwardRow>,
    notice: Option<Text>,
}

fn referral_id(raw: &str) -> Result<ReferralId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn onward_page(
    ctx: &Ctx,
    view: &StaffReferralView,
    onward: &[OnwardReferral],
    form: FormState,
) -> OnwardPage {
    let page = PageContext::new(ctx, "onward-title");
    let rows = onward
        .iter()
        .rev()
        .map(|o| OnwardRow {
            at: o.at,
            receiver: format!("{} ({})", o.organisation, o.ods_code.as_str()),
            request: o.request.clone(),
            priority: page.t(&format!("priority-{}", o.priority.as_str())),
        })
        .collect();
    OnwardPage {
        form,
        id: view.referral.id.to_string(),
        reference: view.referral.reference.as_str().to_owned(),
        patient_name: view.patient.name.to_string(),
        communication: communication_flags(&view.communication),
        priorities: Priority::ALL
            .into_iter()
            .map(|p| Choice::new(p.as_str(), page.t(&format!("priority-{}", p.as_str()))))
            .collect(),
        rows,
        notice: None,
        page,
    }
}

/// `GET /staff/referrals/{id}/onward`
pub(crate) async fn show(
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let (view, onward) = ctx
        .app()
        .onward_referrals(ctx.principal(), referral_id(&raw)?)
        .await?;
    let mut page = onward_page(&ctx, &view, &onward, FormState::default());
    if query.is_saved() {
        page.notice = Some(page.page.t("onward-saved"));
    }
    Ok(render_page(&page))
}

fn answers(form: &HashMap<String, String>) -> OnwardAnswers {
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    OnwardAnswers {
        receiver_ods: field("receiver_ods"),
        receiver: field("receiver"),
        request: field("request"),
        reason: field("reason"),
        priority: field("priority"),
    }
}

/// `POST /staff/referrals/{id}/onward`
pub(crate) async fn record(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = referral_id(&raw)?;
    match ctx
        .app()
        .refer_onward(ctx.principal(), id, &answers(&form))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/staff/referrals/{id}/onward?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => refused(&ctx, id, &errors, form).await,
        Err(other) => Err(other.into()),
    }
}

async fn refused(
    ctx: &Ctx,
    id: ReferralId,
    errors: &ValidationErrors,
    sent: HashMap<String, String>,
) -> Result<Response, WebError> {
    let (view, onward) = ctx.app().onward_referrals(ctx.principal(), id).await?;
    let page = PageContext::new(ctx, "onward-title");
    let form = FormState::from_map(sent).with_errors(errors, &page);
    let mut page = onward_page(ctx, &view, &onward, form);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// An onward referral: who the person was referred on to, what was asked, why and how soon.
#[derive(Serialize, ToSchema)]
struct OnwardOut {
    id: String,
    /// The id of the referral it was made from.
    referral: String,
    /// The receiving organisation's ODS code, in capitals.
    receiver_ods: String,
    /// The receiving organisation's name.
    receiver: String,
    /// What is asked for.
    request: String,
    /// Why, in the clinician's words.
    reason: String,
    /// How soon: `urgent`, `soon` or `routine`.
    priority: &'static str,
    /// The id of the member of staff who referred on.
    by: String,
    /// When (RFC 3339).
    at: String,
}

fn out(o: &OnwardReferral) -> OnwardOut {
    OnwardOut {
        id: o.id.to_string(),
        referral: o.referral_id.to_string(),
        receiver_ods: o.ods_code.as_str().to_owned(),
        receiver: o.organisation.clone(),
        request: o.request.clone(),
        reason: o.reason.as_str().to_owned(),
        priority: o.priority.as_str(),
        by: o.by.to_string(),
        at: o.at.to_string(),
    }
}

/// Lists the onward referrals made from a referral.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/onward", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The onward referrals made from the referral", body = [OnwardOut])))]
pub(crate) async fn api_list(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let (_, onward) = ctx
        .app()
        .onward_referrals(ctx.principal(), referral_id(&raw)?)
        .await?;
    let list: Vec<_> = onward.iter().map(out).collect();
    Ok(json(StatusCode::OK, &list))
}

/// Refers the person on to another organisation.
///
/// Names the receiving organisation by its ODS code, what is asked for, why and how soon. When
/// that organisation is connected, its system may then see the person through the FHIR API.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/onward", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = OnwardAnswers,
    responses(
        (status = 201, description = "Referred on", body = OnwardOut),
        (status = 409, description = "The referral was withdrawn, so the person cannot be referred on (`invalid_transition`)", body = crate::openapi::Problem),
        (status = 422, description = "An answer is missing or invalid: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_record(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<OnwardAnswers>,
) -> Result<Response, WebError> {
    let onward = ctx
        .app()
        .refer_onward(ctx.principal(), referral_id(&raw)?, &body)
        .await?;
    Ok(json(StatusCode::CREATED, &out(&onward)))
}
