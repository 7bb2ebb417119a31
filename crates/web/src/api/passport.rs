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
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;

/// A person's passport: what matters to them, their goals and their journey across every
/// service.
#[derive(Serialize, ToSchema)]
struct PassportOut<'a> {
    /// Whose passport.
    patient_id: String,
    /// The name of their key contact (who took their latest referral on), when known.
    key_contact: Option<&'a str>,
    /// How many times the about-the-person part has changed; send it back as `version` when
    /// changing it.
    version: u32,
    /// What matters to them, in their words.
    what_matters: Option<&'a str>,
    /// Work, caring or study, and what the problem stops them doing there.
    work: Option<&'a str>,
    /// Mood and worries.
    mood: Option<&'a str>,
    /// Sleep.
    sleep: Option<&'a str>,
    /// Family, friends, activities and support.
    social: Option<&'a str>,
    /// Their goals.
    goals: Vec<GoalOut<'a>>,
    /// The journey across every service, oldest first.
    timeline: Vec<MomentOut<'a>>,
}

/// Something the person wants to be able to do again.
#[derive(Serialize, ToSchema)]
struct GoalOut<'a> {
    id: String,
    /// The goal, in the person's words.
    text: &'a str,
    /// Where it stands: `working`, `achieved` or `stopped`.
    status: &'static str,
    /// When it was set (RFC 3339).
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
#[derive(Serialize, ToSchema)]
struct MomentOut<'a> {
    /// What happened: `referred`, `accepted`, `discharged`, `appointment`, `patient_note`,
    /// `treatment_plan`, `mdt_outcome`, `discharge_summary`, `clinical_note`, `signposting` or
    /// `surgery_decision`.
    kind: &'static str,
    /// When (RFC 3339).
    at: String,
    /// The referral it is about (`referred`, `accepted`, `discharged`, `discharge_summary`,
    /// `surgery_decision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    referral_id: Option<String>,
    /// The appointment it is about (`appointment`, `treatment_plan`, `clinical_note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    appointment_id: Option<String>,
    /// The service's name (`accepted`, `discharged`, `appointment`).
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<&'a str>,
    /// A code that depends on the kind: the problem area for `referred` (for example `knee`),
    /// the appointment's status for `appointment` (`booked`, `checked_in`, `cancelled`,
    /// `attended`, `did_not_attend`), `signposted` or `referred` for `signposting`, and the
    /// choice for `surgery_decision` (`surgery`, `not_surgery`, `undecided`).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// The words: a note, plan, outcome or summary, a signposting's note, or what matters in
    /// a surgery decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    /// Who wrote it: `patient`, or the member of staff's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    /// The structured note (`clinical_note`; only in the care team's view).
    #[serde(skip_serializing_if = "Option::is_none")]
    clinical_note: Option<ClinicalOut<'a>>,
    /// What a signposting points to: `topic:<code>` or `service:<code>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<String>,
}

/// A clinical note for the care team.
#[derive(Serialize, ToSchema)]
struct ClinicalOut<'a> {
    /// What the person reports.
    subjective: Option<&'a str>,
    /// What the clinician found.
    objective: Option<&'a str>,
    /// The clinician's assessment.
    assessment: &'a str,
    /// The plan.
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

/// What was written, and when.
#[derive(Serialize, ToSchema)]
struct Created {
    /// When it was written (RFC 3339).
    at: String,
    /// Its id.
    id: String,
}

/// 201 naming what was written and when.
fn created(id: &str, at: jiff::Timestamp) -> Response {
    json(
        StatusCode::CREATED,
        &Created {
            at: at.to_string(),
            id: id.to_owned(),
        },
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

/// Reads the signed-in patient's own passport.
///
/// The care team's clinical notes are not in the person's own view.
#[utoipa::path(get, path = "/api/v1/me/passport", tag = "passport",
    responses((status = 200, description = "The passport", body = PassportOut<'_>)))]
pub(crate) async fn own(ctx: Ctx) -> Result<Response, WebError> {
    show(ctx, None).await
}

/// Reads a patient's passport, with the care team's clinical notes.
///
/// Only for staff with a relationship to the person (one of their referrals is in the
/// caller's reach); the read is audited.
#[utoipa::path(get, path = "/api/v1/patients/{id}/passport", tag = "passport",
    params(("id" = String, Path, description = "The patient's id")),
    responses((status = 200, description = "The passport", body = PassportOut<'_>)))]
pub(crate) async fn for_staff(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    show(ctx, Some(&raw)).await
}

/// The about-the-person part, as JSON (`version` is the number read). Each answer is up to
/// 1,000 characters; a blank answer clears it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AboutIn {
    /// What matters to them, in their words.
    what_matters: String,
    /// Work, caring or study, and what the problem stops them doing there.
    work: String,
    /// Mood and worries.
    mood: String,
    /// Sleep.
    sleep: String,
    /// Family, friends, activities and support.
    social: String,
    /// The passport's `version` when it was read; required. A change made since is refused
    /// with 409 `passport_changed`.
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

/// Changes what matters to the signed-in patient and the rest of their life.
///
/// The change must name the `version` read; if someone changed the passport since, it is
/// refused with 409 `passport_changed`, so nobody overwrites a change they have not seen.
#[utoipa::path(put, path = "/api/v1/me/passport/about", tag = "passport",
    request_body = AboutIn,
    responses(
        (status = 200, description = "Changed: the passport", body = PassportOut<'_>),
        (status = 409, description = "`passport_changed`: someone changed it since `version` was read", body = crate::openapi::Problem),
        (status = 422, description = "An answer is too long, or `version` is missing", body = crate::openapi::Problem)))]
pub(crate) async fn own_about(
    ctx: Ctx,
    ApiJson(body): ApiJson<AboutIn>,
) -> Result<Response, WebError> {
    put_about(ctx, None, body).await
}

/// Changes what matters to a patient and the rest of their life, with them.
///
/// The change must name the `version` read; if someone changed the passport since, it is
/// refused with 409 `passport_changed`, so nobody overwrites a change they have not seen.
#[utoipa::path(put, path = "/api/v1/patients/{id}/passport/about", tag = "passport",
    params(("id" = String, Path, description = "The patient's id")),
    request_body = AboutIn,
    responses(
        (status = 200, description = "Changed: the passport", body = PassportOut<'_>),
        (status = 409, description = "`passport_changed`: someone changed it since `version` was read", body = crate::openapi::Problem),
        (status = 422, description = "An answer is too long, or `version` is missing", body = crate::openapi::Problem)))]
pub(crate) async fn staff_about(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AboutIn>,
) -> Result<Response, WebError> {
    put_about(ctx, Some(&raw), body).await
}

/// A goal, a note or a treatment plan.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct TextIn {
    /// The words (required): a goal up to 300 characters, a note or treatment plan up to
    /// 5,000.
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

/// Adds a goal to the signed-in patient's passport.
#[utoipa::path(post, path = "/api/v1/me/passport/goals", tag = "passport",
    request_body = TextIn,
    responses(
        (status = 201, description = "Added: the goal, `working` towards it", body = GoalOut<'_>),
        (status = 422, description = "The goal is missing or too long", body = crate::openapi::Problem)))]
pub(crate) async fn own_goal(
    ctx: Ctx,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    post_goal(ctx, None, body).await
}

/// Adds a goal to a patient's passport, set with them.
#[utoipa::path(post, path = "/api/v1/patients/{id}/passport/goals", tag = "passport",
    params(("id" = String, Path, description = "The patient's id")),
    request_body = TextIn,
    responses(
        (status = 201, description = "Added: the goal, `working` towards it", body = GoalOut<'_>),
        (status = 422, description = "The goal is missing or too long", body = crate::openapi::Problem)))]
pub(crate) async fn staff_goal(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    post_goal(ctx, Some(&raw), body).await
}

/// A goal's new status.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct StatusIn {
    /// `working`, `achieved` or `stopped`.
    status: String,
}

/// Records where one of the signed-in patient's goals stands.
#[utoipa::path(put, path = "/api/v1/me/passport/goals/{id}/status", tag = "passport",
    params(("id" = String, Path, description = "The goal's id")),
    request_body = StatusIn,
    responses(
        (status = 200, description = "Recorded: the goal", body = GoalOut<'_>),
        (status = 422, description = "`status` is not `working`, `achieved` or `stopped`", body = crate::openapi::Problem)))]
pub(crate) async fn own_goal_status(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<StatusIn>,
) -> Result<Response, WebError> {
    goal_status(ctx, path, body).await
}

/// Records where one of a patient's goals stands, with them.
#[utoipa::path(put, path = "/api/v1/passport/goals/{id}/status", tag = "passport",
    params(("id" = String, Path, description = "The goal's id")),
    request_body = StatusIn,
    responses(
        (status = 200, description = "Recorded: the goal", body = GoalOut<'_>),
        (status = 422, description = "`status` is not `working`, `achieved` or `stopped`", body = crate::openapi::Problem)))]
pub(crate) async fn staff_goal_status(
    ctx: Ctx,
    path: Path<String>,
    body: ApiJson<StatusIn>,
) -> Result<Response, WebError> {
    goal_status(ctx, path, body).await
}

/// Sets a goal's status, for the person (`own_goal_status`) or staff with a relationship
/// (`staff_goal_status`).
async fn goal_status(
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

/// Adds the signed-in patient's own note to their passport.
///
/// For example how the exercises went, or a question for next time.
#[utoipa::path(post, path = "/api/v1/me/passport/notes", tag = "passport",
    request_body = TextIn,
    responses(
        (status = 201, description = "Added: the note's id and time", body = Created),
        (status = 422, description = "The note is missing or too long", body = crate::openapi::Problem)))]
pub(crate) async fn own_note(
    ctx: Ctx,
    ApiJson(body): ApiJson<TextIn>,
) -> Result<Response, WebError> {
    let entry = ctx.app().add_own_note(ctx.principal(), &body.text).await?;
    Ok(created(&entry.id.to_string(), entry.at))
}

/// Writes the plain-language treatment plan after an appointment.
///
/// For a clinician in the appointment's service, once the person has arrived or been seen
/// (otherwise 409 `not_seen`). The plan goes in the person's passport and is sent to them
/// through their own channel.
#[utoipa::path(post, path = "/api/v1/appointments/{id}/treatment-plan", tag = "passport",
    params(("id" = String, Path, description = "The appointment's id")),
    request_body = TextIn,
    responses(
        (status = 201, description = "Written: the plan's id and time", body = Created),
        (status = 409, description = "`not_seen`: the person has not arrived or been seen", body = crate::openapi::Problem),
        (status = 422, description = "The plan is missing or too long", body = crate::openapi::Problem)))]
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

/// Records a structured clinical note of an appointment, for the care team.
///
/// For a clinician in the appointment's service, once the person has arrived or been seen
/// (otherwise 409 `not_seen`).
#[utoipa::path(post, path = "/api/v1/appointments/{id}/clinical-note", tag = "passport",
    params(("id" = String, Path, description = "The appointment's id")),
    request_body = ClinicalNoteAnswers,
    responses(
        (status = 201, description = "Recorded: the note's id and time", body = Created),
        (status = 409, description = "`not_seen`: the person has not arrived or been seen", body = crate::openapi::Problem),
        (status = 422, description = "The assessment or plan is missing, or a part is too long", body = crate::openapi::Problem)))]
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
