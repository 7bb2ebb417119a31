//! "Do you still need this?": the patient's answer to the waiting-list question, in the portal
//! and over the API. Yes keeps their place; no takes them off the list.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::AppError;
use jointly_domain::{Invalid, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, referral_id};
use crate::render::{PageContext, render_page};

#[derive(Template)]
#[template(path = "portal/still_needed.html")]
struct StillNeededPage {
    page: PageContext,
    form: FormState,
    id: String,
    choices: Vec<Choice>,
}

fn still_needed_page(ctx: &Ctx, id: String, form: FormState) -> StillNeededPage {
    let page = PageContext::new(ctx, "still-needed-title");
    let choices = vec![
        Choice::new("yes", page.t("still-needed-yes")),
        Choice::new("no", page.t("still-needed-no")),
    ];
    StillNeededPage {
        page,
        form,
        id,
        choices,
    }
}

/// `GET /portal/referrals/{id}/still-needed`
pub(crate) async fn form(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    ctx.app().require_portal(ctx.principal())?;
    referral_id(&id)?;
    Ok(render_page(&still_needed_page(
        &ctx,
        id,
        FormState::default(),
    )))
}

/// The answer, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AnswerForm {
    still_needed: String,
}

/// `POST /portal/referrals/{id}/still-needed`
pub(crate) async fn answer(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<AnswerForm>,
) -> Result<Response, WebError> {
    let referral = referral_id(&id)?;
    let answer = match form.still_needed.as_str() {
        "yes" => true,
        "no" => false,
        other => {
            let mut errors = ValidationErrors::new();
            errors.add(
                "still_needed",
                Invalid(if other.is_empty() {
                    "missing"
                } else {
                    "choose"
                }),
            );
            let mut page = still_needed_page(&ctx, id, FormState::default());
            page.form = FormState::default().with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    ctx.app()
        .answer_still_needed(ctx.principal(), referral, answer)
        .await?;
    let outcome = if answer { "yes" } else { "no" };
    Ok(Redirect::to(&format!("/portal?still_needed={outcome}")).into_response())
}

/// The answer over the API.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StillNeededAnswer {
    /// `true` to keep their place on the waiting list, `false` to come off it. Required.
    still_needed: Option<bool>,
}

/// The referral after the answer.
#[derive(Serialize, ToSchema)]
struct StillNeededRecorded {
    referral_id: String,
    /// `waiting` (still needed) or `withdrawn` (no longer needed).
    status: &'static str,
}

/// Answers "do you still need this?" for one of the signed-in patient's referrals.
///
/// `{"still_needed": true}` keeps their place on the waiting list; `false` takes them off it
/// (the referral is withdrawn), so someone else is seen sooner.
#[utoipa::path(post, path = "/api/v1/me/referrals/{id}/still-needed", tag = "waiting",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = StillNeededAnswer,
    responses(
        (status = 200, description = "Recorded: the referral's status", body = StillNeededRecorded),
        (status = 409, description = "`not_waiting`: the referral is not on the waiting list", body = crate::openapi::Problem),
        (status = 422, description = "`still_needed` is missing", body = crate::openapi::Problem)))]
pub(crate) async fn api(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StillNeededAnswer>,
) -> Result<Response, WebError> {
    let referral = referral_id(&id)?;
    let answer = body.still_needed.ok_or_else(|| {
        let mut errors = ValidationErrors::new();
        errors.add("still_needed", Invalid("missing"));
        WebError::from(AppError::Invalid(errors))
    })?;
    let referral = ctx
        .app()
        .answer_still_needed(ctx.principal(), referral, answer)
        .await?;
    Ok(json(
        StatusCode::OK,
        &StillNeededRecorded {
            referral_id: referral.id.to_string(),
            status: referral.status.as_str(),
        },
    ))
}
