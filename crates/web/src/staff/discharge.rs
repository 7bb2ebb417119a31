//! Discharge with a summary (`/staff/referrals/{id}/discharge`): a clinician in the referral's
//! service writes the summary the person and their GP practice receive, choosing the practice
//! and whether to ask for outcome measures at discharge. While care is open it discharges the
//! referral with the service's open-access window. The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, DischargeForm, DischargeView};
use jointly_domain::{ReferralId, ValidationErrors};
use jointly_i18n::Arg;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, Tick, label, referral_id};
use crate::render::{PageContext, Text, render_page};
use crate::staff::services::SavedQuery;

#[derive(Template)]
#[template(path = "staff/discharge.html")]
struct DischargePage {
    page: PageContext,
    form: FormState,
    id: String,
    reference: String,
    patient_id: String,
    patient_name: String,
    service: String,
    status: Text,
    /// What writing the summary will do, or why it cannot be written.
    lead: Text,
    summary: Option<(String, String)>,
    can_write: bool,
    submit: Text,
    practices: Vec<Choice>,
    measures: Vec<Tick>,
    version: i64,
    notice: Option<Text>,
}

fn discharge_page(ctx: &Ctx, view: &DischargeView, mut form: FormState) -> DischargePage {
    let page = PageContext::new(ctx, "discharge-title");
    if form.problems().is_empty() {
        let practice = view
            .referring_practice
            .map_or_else(String::new, |id| id.to_string());
        form.set("gp_practice", &practice);
        form.set("measures", "yes");
    }
    let mut practices = vec![Choice::new("", page.t("discharge-gp-choose"))];
    practices.extend(view.practices.iter().map(|p| {
        Choice::new(
            p.id.to_string(),
            Text::plain(format!("{} ({})", p.name, p.ods_code.as_str())),
        )
    }));
    practices.push(Choice::new("none", page.t("discharge-gp-none")));
    let lead = if view.summary.is_some() {
        page.t("discharge-lead-written")
    } else if view.discharges() {
        page.t_args(
            "discharge-lead-open",
            &[("days", Arg::Num(f64::from(view.open_access_days)))],
        )
    } else if view.can_write() {
        page.t("discharge-lead-discharged")
    } else {
        page.t("discharge-lead-not-yet")
    };
    let submit = if view.discharges() {
        page.t("discharge-submit-discharge")
    } else {
        page.t("discharge-submit-summary")
    };
    let measures = vec![Tick {
        name: "measures".to_owned(),
        label: page.t("discharge-measures"),
        checked: form.is("measures", "yes"),
    }];
    DischargePage {
        id: view.referral.id.to_string(),
        reference: view.referral.reference.to_string(),
        patient_id: view.patient.id.to_string(),
        patient_name: view.patient.name.to_string(),
        service: view.service_name.clone(),
        status: label(&page, "referral-status", view.referral.status.as_str()),
        lead,
        summary: view.summary.as_ref().map(|e| {
            (
                format!("{}, {}", page.long_date(&e.at), page.time(&e.at)),
                e.body.clone(),
            )
        }),
        can_write: view.can_write(),
        submit,
        practices,
        measures,
        version: view.referral.version,
        notice: None,
        form,
        page,
    }
}

/// `GET /staff/referrals/{id}/discharge`
pub(crate) async fn show(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .discharge_view(ctx.principal(), referral_id(&id)?)
        .await?;
    let mut page = discharge_page(&ctx, &view, FormState::default());
    if query.is_saved() {
        page.notice = Some(page.page.t("discharge-saved"));
    }
    Ok(render_page(&page))
}

fn form_of(sent: &HashMap<String, String>) -> DischargeForm {
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    DischargeForm {
        summary: field("summary"),
        gp_practice: field("gp_practice"),
        measures: field("measures"),
        version: field("version"),
    }
}

/// `POST /staff/referrals/{id}/discharge`
pub(crate) async fn write(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let result = ctx
        .app()
        .write_discharge_summary(ctx.principal(), id, &form_of(&sent))
        .await;
    let (problem, status) = match result {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("/staff/referrals/{id}/discharge?saved=1")).into_response(),
            );
        }
        Err(AppError::Invalid(errors)) => (Ok(errors), StatusCode::UNPROCESSABLE_ENTITY),
        Err(AppError::Conflict(_)) => (Err(()), StatusCode::CONFLICT),
        Err(other) => return Err(other.into()),
    };
    refused(&ctx, id, problem, sent, status).await
}

async fn refused(
    ctx: &Ctx,
    id: ReferralId,
    problem: Result<ValidationErrors, ()>,
    mut sent: HashMap<String, String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let view = ctx.app().discharge_view(ctx.principal(), id).await?;
    let page = PageContext::new(ctx, "discharge-title");
    // Unticked boxes are not sent; keep them unticked when the form comes back.
    sent.entry("measures".to_owned()).or_default();
    let form = FormState::from_map(sent);
    let form = match problem {
        Ok(errors) => form.with_errors(&errors, &page),
        Err(()) => form.with_problem("summary", page.t("referral-changed")),
    };
    let mut page = discharge_page(ctx, &view, form);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = status;
    Ok(response)
}

/// A GP practice a copy of the summary can go to.
#[derive(Serialize, ToSchema)]
struct GpPracticeOut {
    /// The practice's organisation id (what `gp_practice` takes).
    id: String,
    name: String,
    /// The practice's ODS code.
    ods_code: String,
}

/// A discharge summary as written.
#[derive(Serialize, ToSchema)]
struct DischargeSummaryOut {
    /// The id of the summary's entry in the person's passport.
    entry_id: String,
    /// What was done, how the person is, and what to do now.
    text: String,
    /// When it was written (RFC 3339).
    at: String,
}

/// A referral's discharge: its summary once written, and what writing one would do.
#[derive(Serialize, ToSchema)]
struct DischargeOut {
    referral_id: String,
    /// The referral's status: `awaiting_triage`, `waiting`, `booked`, `advice_given`,
    /// `withdrawn` or `discharged`.
    status: &'static str,
    /// The referral's version: send it back when writing the summary.
    version: i64,
    /// Whether a summary can be written now (none yet, and the referral is `waiting` or
    /// `discharged`).
    can_write: bool,
    /// Whether writing the summary also discharges the referral (care is still open).
    discharges: bool,
    /// Days after discharge in which the person may book again without a new referral.
    open_access_days: u32,
    /// The summary, once written.
    summary: Option<DischargeSummaryOut>,
    /// The GP practices a copy can go to.
    gp_practices: Vec<GpPracticeOut>,
    /// The id of the GP practice that referred, when one of `gp_practices` did: the usual
    /// choice.
    referring_practice: Option<String>,
}

/// Shows a referral's discharge summary, or what writing one would do.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/discharge-summary", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The referral's discharge", body = DischargeOut)))]
pub(crate) async fn api_show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .discharge_view(ctx.principal(), referral_id(&id)?)
        .await?;
    Ok(json(
        StatusCode::OK,
        &DischargeOut {
            referral_id: view.referral.id.to_string(),
            status: view.referral.status.as_str(),
            version: view.referral.version,
            can_write: view.can_write(),
            discharges: view.discharges(),
            open_access_days: view.open_access_days,
            summary: view.summary.as_ref().map(|e| DischargeSummaryOut {
                entry_id: e.id.to_string(),
                text: e.body.clone(),
                at: e.at.to_string(),
            }),
            gp_practices: view
                .practices
                .iter()
                .map(|p| GpPracticeOut {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    ods_code: p.ods_code.as_str().to_owned(),
                })
                .collect(),
            referring_practice: view.referring_practice.map(|id| id.to_string()),
        },
    ))
}

/// A discharge summary over the API: `gp_practice` is an organisation id or `none`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DischargeBody {
    /// What was done, how the person is, and what to do now, in plain language (at most
    /// 5,000 characters).
    summary: String,
    /// The id of one of the `gp_practices` to send a copy to, or `none`.
    gp_practice: String,
    /// Whether to ask the person for their outcome measures at discharge (default false).
    #[serde(default)]
    ask_for_measures: bool,
    /// The referral's `version` as read.
    version: i64,
}

/// Writes a referral's discharge summary (once).
///
/// The summary goes in the person's passport, to them through their own channel and to the
/// chosen GP practice. While care is open it also discharges the referral, with the service's
/// open-access window.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/discharge-summary", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = DischargeBody,
    responses(
        (status = 201, description = "Written", body = DischargeSummaryOut),
        (status = 409, description = "The referral changed since `version` was read (`referral_changed`)", body = crate::openapi::Problem),
        (status = 422, description = "The summary is missing or too long, already written or the referral cannot be discharged, or the GP practice is not one of those offered: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_write(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DischargeBody>,
) -> Result<Response, WebError> {
    let form = DischargeForm {
        summary: body.summary,
        gp_practice: body.gp_practice,
        measures: if body.ask_for_measures { "yes" } else { "" }.to_owned(),
        version: body.version.to_string(),
    };
    let entry = ctx
        .app()
        .write_discharge_summary(ctx.principal(), referral_id(&id)?, &form)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &DischargeSummaryOut {
            entry_id: entry.id.to_string(),
            text: entry.body,
            at: entry.at.to_string(),
        },
    ))
}
