//! Shared decision-making and the pre-surgery fitness checklist of a referral, for clinicians
//! (`/staff/referrals/{id}/surgery`, and the same over the API): the gate to orthopaedics
//! shown open or shut, and why.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, StaffReferralView, SurgeryReadiness};
use jointly_domain::access::Permission;
use jointly_domain::surgery::{
    CareOption, DecisionAnswers, DecisionConversation, FitnessItem, FitnessStatus, SurgeryChoice,
};
use jointly_domain::{ReferralId, ValidationErrors};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, Tick, referral_id};
use crate::render::{PageContext, Text, render_page};
use crate::staff::services::SavedQuery;

/// The decision that stands, as shown.
struct LatestDecision {
    at: Timestamp,
    by: String,
    options: String,
    what_matters: String,
    choice: Text,
}

/// One fitness item: its status radios and note field.
struct FitnessRow {
    name: &'static str,
    note: String,
    note_label: Text,
    label: Text,
    hint: Text,
    /// The status and note as recorded, for readers who may not change them.
    shown: String,
}

#[derive(Template)]
#[template(path = "staff/surgery.html")]
struct SurgeryPage {
    page: PageContext,
    form: FormState,
    id: String,
    reference: String,
    patient_name: String,
    ready: bool,
    gate: Text,
    latest: Option<LatestDecision>,
    earlier: usize,
    can_write: bool,
    options: Vec<Tick>,
    choices: Vec<Choice>,
    alternatives: Vec<Choice>,
    statuses: Vec<Choice>,
    fitness: Vec<FitnessRow>,
    checklist_recorded: Option<Text>,
    notice: Option<Text>,
}

/// What the gate says: open (and whether by override), or why it is shut.
pub(crate) fn gate_words(page: &PageContext, surgery: &SurgeryReadiness) -> (bool, Text) {
    match surgery.gate {
        Ok(ready) if ready.overridden() => (true, page.t("surgery-gate-overridden")),
        Ok(_) => (true, page.t("surgery-gate-open")),
        Err(not_ready) => (
            false,
            page.t(&format!("error-service-{}", not_ready.as_str())),
        ),
    }
}

fn staff_name(surgery: &SurgeryReadiness, id: jointly_domain::StaffUserId) -> String {
    surgery.staff_names.get(&id).cloned().unwrap_or_default()
}

fn option_label(page: &PageContext, option: CareOption) -> Text {
    page.t(&format!("care-option-{}", option.as_str()))
}

fn surgery_page(ctx: &Ctx, view: &StaffReferralView, mut form: FormState) -> SurgeryPage {
    let page = PageContext::new(ctx, "surgery-title");
    let surgery = &view.surgery;
    let (ready, gate) = gate_words(&page, surgery);
    let fresh = form.problems().is_empty();
    if let (true, Some(checklist)) = (fresh, &surgery.checklist) {
        for check in &checklist.checks {
            form.set(check.item.as_str(), check.status.as_str());
            form.set(
                &format!("{}_note", check.item.as_str()),
                check.note.as_deref().unwrap_or(""),
            );
        }
        form.set(
            "override_reason",
            checklist.override_reason.as_deref().unwrap_or(""),
        );
    }
    let latest = surgery
        .decision()
        .map(|d: &DecisionConversation| LatestDecision {
            at: d.at,
            by: staff_name(surgery, d.by),
            options: d
                .options
                .iter()
                .map(|o| option_label(&page, *o).to_string())
                .collect::<Vec<_>>()
                .join(", "),
            what_matters: d.what_matters.clone(),
            choice: match d.preferred {
                Some(preferred) => page.t1(
                    "surgery-chose-instead",
                    "option",
                    option_label(&page, preferred).to_string(),
                ),
                None => page.t(&format!("surgery-choice-{}", d.choice.as_str())),
            },
        });
    let options = CareOption::ALL
        .into_iter()
        .map(|o| {
            let name = format!("option_{}", o.as_str());
            Tick {
                checked: form.is(&name, "yes"),
                name,
                label: option_label(&page, o),
            }
        })
        .collect();
    let fitness = FitnessItem::ALL
        .into_iter()
        .map(|item| {
            let recorded = surgery
                .checklist
                .as_ref()
                .and_then(|c| c.checks.iter().find(|check| check.item == item));
            let shown = recorded.map_or_else(
                || page.t("surgery-status-not_checked").to_string(),
                |check| {
                    let status = page.t(&format!("surgery-status-{}", check.status.as_str()));
                    match &check.note {
                        Some(note) => format!("{status}: {note}"),
                        None => status.to_string(),
                    }
                },
            );
            FitnessRow {
                name: item.as_str(),
                note: format!("{}_note", item.as_str()),
                note_label: page.t1(
                    "surgery-fitness-note",
                    "item",
                    page.t(&format!("fitness-{}", item.as_str())).to_string(),
                ),
                label: page.t(&format!("fitness-{}", item.as_str())),
                hint: page.t(&format!("fitness-{}-hint", item.as_str())),
                shown,
            }
        })
        .collect();
    let checklist_recorded = surgery.checklist.as_ref().map(|c| {
        page.t2(
            "surgery-fitness-recorded",
            "when",
            format!("{}, {}", page.long_date(&c.at), page.time(&c.at)),
            "by",
            staff_name(surgery, c.by),
        )
    });
    SurgeryPage {
        id: view.referral.id.to_string(),
        reference: view.referral.reference.to_string(),
        patient_name: view.patient.name.to_string(),
        ready,
        gate,
        earlier: surgery.decisions.len().saturating_sub(1),
        latest,
        can_write: ctx.principal().can(Permission::DecideAboutSurgery),
        options,
        choices: SurgeryChoice::ALL
            .into_iter()
            .map(|c| {
                Choice::new(
                    c.as_str(),
                    page.t(&format!("surgery-choice-{}", c.as_str())),
                )
            })
            .collect(),
        alternatives: CareOption::ALL
            .into_iter()
            .filter(|o| *o != CareOption::Surgery)
            .map(|o| Choice::new(o.as_str(), option_label(&page, o)))
            .collect(),
        statuses: FitnessStatus::ALL
            .into_iter()
            .map(|s| {
                Choice::new(
                    s.as_str(),
                    page.t(&format!("surgery-status-{}", s.as_str())),
                )
            })
            .collect(),
        fitness,
        checklist_recorded,
        notice: None,
        form,
        page,
    }
}

/// `GET /staff/referrals/{id}/surgery`
pub(crate) async fn show(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral_id(&id)?)
        .await?;
    let mut page = surgery_page(&ctx, &view, FormState::default());
    if query.is_saved() {
        page.notice = Some(page.page.t("surgery-saved"));
    }
    Ok(render_page(&page))
}

/// The page again with what was sent and what is wrong with it (422).
async fn refused(
    ctx: &Ctx,
    id: ReferralId,
    errors: &ValidationErrors,
    sent: HashMap<String, String>,
) -> Result<Response, WebError> {
    let view = ctx.app().referral_for_staff(ctx.principal(), id).await?;
    let page = PageContext::new(ctx, "surgery-title");
    let mut form = FormState::from_map(sent).with_errors(errors, &page);
    form.link_problems(|field| match field {
        "options" => "option_surgery".to_owned(),
        other => other.to_owned(),
    });
    let mut page = surgery_page(ctx, &view, form);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// The decision conversation as the form sends it: a tick per option discussed.
fn decision_answers(form: &HashMap<String, String>) -> DecisionAnswers {
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    DecisionAnswers {
        options: CareOption::ALL
            .into_iter()
            .filter(|o| {
                form.get(&format!("option_{}", o.as_str()))
                    .map(String::as_str)
                    == Some("yes")
            })
            .map(|o| o.as_str().to_owned())
            .collect(),
        what_matters: field("what_matters"),
        choice: field("choice"),
        preferred: field("preferred"),
    }
}

/// `POST /staff/referrals/{id}/surgery/decision`
pub(crate) async fn decide(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let answers = decision_answers(&form);
    match ctx
        .app()
        .record_surgery_decision(ctx.principal(), id, &answers)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/staff/referrals/{id}/surgery?saved=1")).into_response())
        }
        Err(AppError::Invalid(errors)) => refused(&ctx, id, &errors, form).await,
        Err(other) => Err(other.into()),
    }
}

/// `POST /staff/referrals/{id}/surgery/fitness`
pub(crate) async fn fitness(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(mut form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    form.remove("_csrf");
    match ctx
        .app()
        .record_fitness_checklist(ctx.principal(), id, &form)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/referrals/{id}/surgery?saved=1#fitness")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => refused(&ctx, id, &errors, form).await,
        Err(other) => Err(other.into()),
    }
}

/// The gate and what it rests on, over the API.
#[derive(Serialize, ToSchema)]
struct SurgeryReadinessOut {
    /// Whether the gate to orthopaedics is open.
    ready: bool,
    /// Whether it is open because a clinician overrode an incomplete checklist.
    overridden: bool,
    /// Why the gate is shut (absent when it is open): `surgery-no-decision`,
    /// `surgery-declined`, `surgery-undecided`, `surgery-no-checklist` or
    /// `surgery-checklist-incomplete`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    not_ready: Option<&'static str>,
    /// The decision conversation that stands (the latest), once one is recorded.
    decision: Option<SurgeryDecisionOut>,
    /// The fitness checklist, once recorded.
    checklist: Option<FitnessChecklistOut>,
}

/// A decision conversation about surgery.
#[derive(Serialize, ToSchema)]
struct SurgeryDecisionOut {
    /// Codes of the options discussed: `surgery`, `physiotherapy`, `injection`,
    /// `pain_management`, `weight_management`, `watchful_waiting`.
    options: Vec<&'static str>,
    /// What matters to the person, in their words.
    what_matters: String,
    /// Their choice: `surgery`, `not_surgery` or `undecided`.
    choice: &'static str,
    /// The non-surgical care they chose (an option code), when they chose `not_surgery`.
    preferred: Option<&'static str>,
    /// The id of the clinician who had the conversation.
    by: String,
    /// When (RFC 3339).
    at: String,
}

/// The pre-surgery fitness checklist.
#[derive(Serialize, ToSchema)]
struct FitnessChecklistOut {
    /// Every item, in the checklist's order.
    checks: Vec<jointly_domain::surgery::FitnessCheck>,
    /// Why surgery may go ahead although some items are not met, when a clinician decided so.
    override_reason: Option<String>,
    /// The id of the clinician who recorded it.
    by: String,
    /// When (RFC 3339).
    at: String,
}

fn readiness_out(surgery: &SurgeryReadiness) -> SurgeryReadinessOut {
    SurgeryReadinessOut {
        ready: surgery.gate.is_ok(),
        overridden: surgery.gate.is_ok_and(|r| r.overridden()),
        not_ready: surgery.gate.err().map(|n| n.as_str()),
        decision: surgery.decision().map(|d| SurgeryDecisionOut {
            options: d.options.iter().map(|o| o.as_str()).collect(),
            what_matters: d.what_matters.clone(),
            choice: d.choice.as_str(),
            preferred: d.preferred.map(CareOption::as_str),
            by: d.by.to_string(),
            at: d.at.to_string(),
        }),
        checklist: surgery.checklist.as_ref().map(|c| FitnessChecklistOut {
            checks: c.checks.clone(),
            override_reason: c.override_reason.clone(),
            by: c.by.to_string(),
            at: c.at.to_string(),
        }),
    }
}

/// Shows whether a referral may go to orthopaedics, and the decision and checklist it rests on.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/surgery", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    responses((status = 200, description = "The gate to orthopaedics and what it rests on", body = SurgeryReadinessOut)))]
pub(crate) async fn api_show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral_id(&id)?)
        .await?;
    Ok(json(StatusCode::OK, &readiness_out(&view.surgery)))
}

/// Records a shared decision-making conversation about surgery.
///
/// The latest conversation stands; the answer is the gate as it now stands.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/surgery/decision", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = DecisionAnswers,
    responses(
        (status = 201, description = "Recorded; the gate as it now stands", body = SurgeryReadinessOut),
        (status = 422, description = "Surgery and another option were not both discussed, an option or choice is unknown, what matters is missing or too long, or the non-surgical care chosen is missing or invalid: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_decide(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(answers): ApiJson<DecisionAnswers>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    ctx.app()
        .record_surgery_decision(ctx.principal(), id, &answers)
        .await?;
    let view = ctx.app().referral_for_staff(ctx.principal(), id).await?;
    Ok(json(StatusCode::CREATED, &readiness_out(&view.surgery)))
}

/// Records the pre-surgery fitness checklist.
///
/// The body is flat: for each item (`weight`, `smoking`, `blood_sugar`, `blood_pressure`,
/// `anaemia`, `dental`, `mobility`), `<item>` is its status (`met`, `not_met` or
/// `not_checked`, required) and `<item>_note` an optional note (the reading, or what is being
/// done about it); `override_reason` (optional) says why surgery may go ahead although some
/// items are not met. Any other key is refused.
#[utoipa::path(put, path = "/api/v1/referrals/{id}/surgery/fitness", tag = "clinical",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = HashMap<String, String>,
    responses(
        (status = 200, description = "Recorded; the gate as it now stands", body = SurgeryReadinessOut),
        (status = 422, description = "An item has no status or an unknown one, a note or the reason is too long, or a key is unknown: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_fitness(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(answers): ApiJson<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    ctx.app()
        .record_fitness_checklist(ctx.principal(), id, &answers)
        .await?;
    let view = ctx.app().referral_for_staff(ctx.principal(), id).await?;
    Ok(json(StatusCode::OK, &readiness_out(&view.surgery)))
}
