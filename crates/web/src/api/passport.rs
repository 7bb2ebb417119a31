//! The passport through the JSON API: the person's own (`/api/v1/me/passport`) and, for staff
//! with a relationship, any patient's (`/api/v1/patients/{id}/passport`); what matters (from
//! the version read), goals, the person's notes, and for clinicians the treatment plan and
//! clinical note of an appointment they have seen.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{AppError, PassportView, TimelineItem};
use jointly_domain::conversation::Author;
use jointly_domain::passport::{AboutAnswers, ClinicalNoteAnswers, EntryKind, Goal};
use jointly_domain::{AppointmentId, GoalId, PatientId};
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

#[derive(Serialize)]
struct PassportOut<'a> {
    patient_id: String,
    key_contact: Option<&'a str>,
    version: u32,
    what_matters: Option<&'a str>,
    work: Option<&'a str>,
    mood: Option<&'a str>,
    sleep: Option<&'a str>,
    social: Option<&'a str>,
    goals: Vec<GoalOut<'a>>,
    timeline: Vec<MomentOut<'a>>,
}

#[derive(Serialize)]
struct GoalOut<'a> {
    id: String,
    text: &'a str,
    status: &'static str,
    set_at: String,
}

fn goal_out(goal: &Goal) -> GoalOut<'_> {
    GoalOut {
        id: goal.id.to_string(),
        text: &goal.text,
        status: goal.status.as_str(),
        set_at: goal.set_at.to_string(),
    }
}

/// One moment of the journey: its kind, time, and what it carries.
#[derive(Serialize)]
struct MomentOut<'a> {
    kind: &'static str,
    at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    referral_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    appointment_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    clinical_note: Option<ClinicalOut<'a>>,
    /// What a signposting points to: `topic:<code>` or `service:<code>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<String>,
}

#[derive(Serialize)]
struct ClinicalOut<'a> {
    subjective: Option<&'a str>,
    objective: Option<&'a str>,
    assessment: &'a str,
    plan: &'a str,
}

fn passport_out(view: &PassportView) -> PassportOut<'_> {
    let author = |a: Author| match a {
        Author::Patient(_) => Some("patient"),
        Author::Staff(id) => view.staff_names.get(&id).map(String::as_str),
    };
    let blank = |kind, at: jiff::Timestamp| MomentOut {
        kind,
        at: at.to_string(),
        referral_id: None,
        appointment_id: None,
        service: None,
        status: None,
        text: None,
        author: None,
        clinical_note: None,
        resource: None,
    };
    let timeline = view
        .timeline
        .iter()
        .map(|item| match item {
            TimelineItem::Referred(r) => MomentOut {
                referral_id: Some(r.referral.id.to_string()),
                status: Some(r.referral.problem_area.as_str()),
                ..blank("referred", item.at())
            },
            TimelineItem::Accepted(r, at) | TimelineItem::Discharged(r, at) => MomentOut {
                referral_id: Some(r.referral.id.to_string()),
                service: r.service_name.as_deref(),
                ..blank(
                    if matches!(item, TimelineItem::Accepted(..)) {
                        "accepted"
                    } else {
                        "discharged"
                    },
                    *at,
                )
            },
            TimelineItem::Appointment(a, slot) => MomentOut {
                appointment_id: Some(a.id.to_string()),
                service: Some(&slot.service_name),
                status: Some(a.status.as_str()),
                ..blank("appointment", item.at())
            },
            TimelineItem::Entry(e) => MomentOut {
                appointment_id: match e.kind {
                    EntryKind::TreatmentPlan(id) => Some(id.to_string()),
                    _ => None,
                },
                referral_id: match e.kind {
                    EntryKind::DischargeSummary(id) => Some(id.to_string()),
                    _ => None,
                },
                text: Some(&e.body),
                author: author(e.author),
                ..blank(e.kind.as_str(), e.at)
            },
            TimelineItem::ClinicalNote(n) => MomentOut {
                appointment_id: Some(n.appointment_id.to_string()),
                author: author(Author::Staff(n.author)),
                clinical_note: Some(ClinicalOut {
                    subjective: n.subjective.as_deref(),
                    objective: n.objective.as_deref(),
                    assessment: &n.assessment,
                    plan: &n.plan,
                }),
                ..blank("clinical_note", n.at)
            },
            TimelineItem::Signposted(sp) => MomentOut {
                status: Some(sp.action.as_str()),
                text: sp.note.as_deref(),
                author: author(Author::Staff(sp.by)),
                resource: Some(sp.resource.code()),
                ..blank("signposting", sp.at)
            },
            TimelineItem::SurgeryDecision(d) => MomentOut {
                referral_id: Some(d.referral_id.to_string()),
                status: Some(d.choice.as_str()),
                text: Some(&d.what_matters),
                author: author(Author::Staff(d.by)),
                ..blank("surgery_decision", d.at)
            },
        })
        .collect();
    let about = &view.about;
    PassportOut {
        patient_id: view.patient.id.to_string(),
        key_contact: view.key_contact.as_deref(),
        version: about.version,
        what_matters: about.what_matters.as_deref(),
        work: about.holistic.work.as_deref(),
        mood: about.holistic.mood.as_deref(),
        sleep: about.holistic.sleep.as_deref(),
        social: about.holistic.social.as_deref(),
        goals: view.goals.iter().map(goal_out).collect(),
        timeline,
    }
}

/// 201 naming what was written and when.
fn created(id: &str, at: jiff::Timestamp) -> Response {
    json(
        StatusCode::CREATED,
        &serde_json::json!({"id": id, "at": at.to_string()}),
    )
}

fn id<T: std::str::FromStr>(raw: &str) -> Result<T, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// Whose passport: the caller's own (`None`), or the patient in the path.
fn patient_of(ctx: &Ctx, raw: Option<&str>) -> Result<PatientId, WebError> {
    match raw {
        Some(raw) => id(raw),
        None => Ok(ctx.principal().patient()?),
    }
}

async fn show(ctx: Ctx, raw: Option<&str>) -> Result<Response, WebError> {
    let patient = patient_of(&ctx, raw)?;
    let view = ctx.app().passport(ctx.principal(), patient).await?;
    Ok(json(StatusCode::OK, &passport_out(&view)))
}

/// `GET /api/v1/me/passport`
pub(crate) async fn own(ctx: Ctx) -> Result<Response, WebError> {
    show(ctx, None).await
}

/// `GET /api/v1/patients/{id}/passport`
pub(crate) async fn for_staff(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    show(ctx, Some(&raw)).await
}

/// The about-the-person part, as JSON (`version` is the number read).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AboutIn {
    what_matters: String,
    work: String,
    mood: String,
    sleep: String,
    social: String,
    version: Option<u32>,
}

async fn put_about(ctx: Ctx, raw: Option<&str>, body: AboutIn) -> Result<Response, WebError> {
    let patient = patient_of(&ctx, raw)?;
    let answers = AboutAnswers {
        what_matters: body.what_matters,
        work: body.work,
        mood: body.mood,
        sleep: body.sleep,
        social: body.social,
        version: body.version.map(|v| v.to_string()).unwrap_or_default(),
    };
    ctx.app()
        .change_passport_about(ctx.principal(), patient, &answers)
        .await?;
    show(ctx, raw).await
}

/// `PUT /api/v1/me/passport/about`: 200 with the passport; 409 `passport_changed` when
/// `version` is not the latest.
pub(crate) async fn own_about(
    ctx: Ctx,
    ApiJson(body): ApiJson<AboutIn>,
) -> Result<Response, WebError> {
    put_about(ctx, None, body).await
}

/// `PUT /api/v1/patients/{id}/passport/about`
pub(crate) async fn staff_about(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AboutIn>,
) -> Result<Response, WebError> {
    put_about(ctx, Some(&raw), body).await
}

/// A goal or a note.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TextIn {
    text: String,
}

async fn post_goal(ctx: Ctx, raw: Option<&str>, body: TextIn) -> Result<Response, WebError> {
    let patient = patient_of(&ctx, raw)?;
    let goal = ctx
        .app()
        .add_goal(ctx.principal(), patient, &body.text)
        .await?;
    Ok(json(StatusCode::CREATED, &goal_out(&goal)))
}

/// `POST /api/v1/me/passport/goals` (`{"text": "…"}`): 201 with the goal.
pub(crate) async fn own_goal(
    ctx: Ctx,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    post_goal(ctx, None, body).await
}

/// `POST /api/v1/patients/{id}/passport/goals`
pub(crate) async fn staff_goal(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    post_goal(ctx, Some(&raw), body).await
}

/// A goal's new status.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct StatusIn {
    status: String,
}

/// `PUT /api/v1/me/passport/goals/{id}/status` (`{"status": "achieved"}`) for the person, and
/// `PUT /api/v1/passport/goals/{id}/status` for staff with a relationship.
pub(crate) async fn goal_status(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StatusIn>,
) -> Result<Response, WebError> {
    let goal_id: GoalId = id(&raw)?;
    let goal = ctx
        .app()
        .set_goal_status(ctx.principal(), goal_id, &body.status)
        .await?;
    Ok(json(StatusCode::OK, &goal_out(&goal)))
}

/// `POST /api/v1/me/passport/notes` (`{"text": "…"}`): the person's own note, 201.
pub(crate) async fn own_note(
    ctx: Ctx,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    let entry = ctx.app().add_own_note(ctx.principal(), &body.text).await?;
    Ok(created(&entry.id.to_string(), entry.at))
}

/// `POST /api/v1/appointments/{id}/treatment-plan` (`{"text": "…"}`): 201; a clinician in the
/// appointment's service, once the person is seen (otherwise 409 `not_seen`).
pub(crate) async fn treatment_plan(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    let appointment: AppointmentId = id(&raw)?;
    let entry = ctx
        .app()
        .write_treatment_plan(ctx.principal(), appointment, &body.text)
        .await?;
    Ok(created(&entry.id.to_string(), entry.at))
}

/// `POST /api/v1/appointments/{id}/clinical-note` (`subjective`, `objective`, `assessment`,
/// `plan`): 201.
pub(crate) async fn clinical_note(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ClinicalNoteAnswers>,
) -> Result<Response, WebError> {
    let appointment: AppointmentId = id(&raw)?;
    let note = ctx
        .app()
        .write_clinical_note(ctx.principal(), appointment, &body)
        .await?;
    Ok(created(&note.id.to_string(), note.at))
}
