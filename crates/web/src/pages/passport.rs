//! The passport pages: the person's own at `/portal/passport`, and the care team's at
//! `/staff/patients/{id}/passport` with the clinical notes and, for appointments a clinician
//! has seen, the treatment plan and clinical note forms. One template serves both.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, PassportView, TimelineItem};
use jointly_domain::access::Permission;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::conversation::Author;
use jointly_domain::passport::{AboutAnswers, ClinicalNoteAnswers, EntryKind, GoalStatus};
use jointly_domain::{PatientId, ValidationErrors};
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::help::resource_link;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};

pub(crate) mod print;

/// A goal as shown, with the statuses it can move to.
struct GoalRow {
    id: String,
    text: String,
    status: Text,
    colour: &'static str,
    moves: Vec<(&'static str, Text)>,
}

/// A moment in the timeline as shown.
struct Moment {
    at: Timestamp,
    title: Text,
    detail: String,
    /// Who wrote it, for entries and notes.
    by: String,
    /// A clinical note's four parts (label, text).
    parts: Vec<(Text, String)>,
    /// A page or service it points to: (address, name).
    link: Option<(String, String)>,
}

/// The latest appointment the reading clinician has seen the person at, to write about.
struct SeenAppointment {
    id: String,
    start: Timestamp,
}

#[derive(Template)]
#[template(path = "passport.html")]
struct PassportPage {
    page: PageContext,
    form: FormState,
    /// Where the forms post: `/portal/passport` or `/staff/patients/{id}/passport`.
    base: String,
    staff: bool,
    patient_id: String,
    name: String,
    key_contact: String,
    problems: Vec<String>,
    needs: Vec<String>,
    version: u32,
    goals: Vec<GoalRow>,
    timeline: Vec<Moment>,
    /// The appointment to write the treatment plan and clinical note of (clinicians only).
    write_about: Option<SeenAppointment>,
    /// Whether the reader may signpost the person.
    can_signpost: bool,
    /// Said after a change was saved.
    notice: Option<Text>,
}

fn patient_id(raw: &str) -> Result<PatientId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn passport_page(ctx: &Ctx, view: &PassportView, form: FormState) -> PassportPage {
    let page = PageContext::new(ctx, "passport-title");
    let staff = view.care_team;
    let base = if staff {
        format!("/staff/patients/{}/passport", view.patient.id)
    } else {
        "/portal/passport".to_owned()
    };
    let about = &view.about;
    let mut form = form;
    if form.problems().is_empty() {
        let holistic = &about.holistic;
        for (field, value) in [
            ("what_matters", &about.what_matters),
            ("work", &holistic.work),
            ("mood", &holistic.mood),
            ("sleep", &holistic.sleep),
            ("social", &holistic.social),
        ] {
            form.set(field, value.as_deref().unwrap_or(""));
        }
    }
    let name_of = |author: Author| match author {
        Author::Patient(_) => view.patient.name.to_string(),
        Author::Staff(id) => view.staff_names.get(&id).cloned().unwrap_or_default(),
    };
    let goals = view
        .goals
        .iter()
        .map(|g| GoalRow {
            id: g.id.to_string(),
            text: g.text.clone(),
            status: page.t(&format!("goal-status-{}", g.status.as_str())),
            colour: match g.status {
                GoalStatus::Working => "blue",
                GoalStatus::Achieved => "green",
                GoalStatus::Stopped => "grey",
            },
            moves: GoalStatus::ALL
                .into_iter()
                .filter(|s| *s != g.status)
                .map(|s| (s.as_str(), page.t(&format!("goal-move-{}", s.as_str()))))
                .collect(),
        })
        .collect();
    let writer = view.care_team && ctx.principal().can(Permission::WriteClinicalNotes);
    let write_about = view
        .timeline
        .iter()
        .rev()
        .find_map(|item| match item {
            TimelineItem::Appointment(a, slot)
                if matches!(
                    a.status,
                    AppointmentStatus::CheckedIn | AppointmentStatus::Attended
                ) =>
            {
                Some(SeenAppointment {
                    id: a.id.to_string(),
                    start: slot.slot.start,
                })
            }
            _ => None,
        })
        .filter(|_| writer);
    let timeline = view
        .timeline
        .iter()
        .rev()
        .map(|item| moment(ctx, &page, item, &name_of))
        .collect();
    let problems = view
        .referrals
        .iter()
        .map(|r| {
            let area = label(&page, "problem-area", r.referral.problem_area.as_str());
            match &r.service_name {
                Some(service) => format!("{area} ({service})"),
                None => area.to_string(),
            }
        })
        .collect();
    let needs = view
        .communication
        .needs
        .needs
        .iter()
        .map(|n| page.t(&format!("need-{}", n.key())).to_string())
        .collect();
    PassportPage {
        form,
        base,
        staff,
        patient_id: view.patient.id.to_string(),
        name: view.patient.name.to_string(),
        key_contact: view.key_contact.clone().unwrap_or_default(),
        problems,
        needs,
        version: about.version,
        goals,
        timeline,
        write_about,
        can_signpost: staff && ctx.principal().can(Permission::Signpost),
        notice: None,
        page,
    }
}

fn moment(
    ctx: &Ctx,
    page: &PageContext,
    item: &TimelineItem,
    name_of: &impl Fn(Author) -> String,
) -> Moment {
    let blank = |at, title| Moment {
        at,
        title,
        detail: String::new(),
        by: String::new(),
        parts: Vec::new(),
        link: None,
    };
    match item {
        TimelineItem::Referred(r) => Moment {
            detail: label(page, "problem-area", r.referral.problem_area.as_str()).to_string(),
            ..blank(item.at(), page.t("passport-referred"))
        },
        TimelineItem::Accepted(r, at) => Moment {
            detail: r.service_name.clone().unwrap_or_default(),
            ..blank(*at, page.t("passport-accepted"))
        },
        TimelineItem::Discharged(r, at) => Moment {
            detail: r.service_name.clone().unwrap_or_default(),
            ..blank(*at, page.t("passport-discharged"))
        },
        TimelineItem::Appointment(a, slot) => Moment {
            detail: format!(
                "{} · {}, {} · {}",
                label(page, "appointment-status", a.status.as_str()),
                slot.location_name,
                slot.location_town,
                slot.service_name
            ),
            ..blank(item.at(), page.t("passport-appointment"))
        },
        TimelineItem::Entry(e) => Moment {
            detail: e.body.clone(),
            by: name_of(e.author),
            ..blank(
                e.at,
                match e.kind {
                    EntryKind::PatientNote => page.t("passport-note"),
                    EntryKind::TreatmentPlan(_) => page.t("passport-plan"),
                    EntryKind::MdtOutcome => page.t("passport-mdt"),
                    EntryKind::DischargeSummary(_) => page.t("passport-discharge-summary"),
                },
            )
        },
        TimelineItem::ClinicalNote(n) => Moment {
            by: name_of(Author::Staff(n.author)),
            parts: [
                ("passport-subjective", n.subjective.clone()),
                ("passport-objective", n.objective.clone()),
                ("passport-assessment", Some(n.assessment.clone())),
                ("passport-clinical-plan", Some(n.plan.clone())),
            ]
            .into_iter()
            .filter_map(|(key, text)| text.map(|t| (page.t(key), t)))
            .collect(),
            ..blank(n.at, page.t("passport-clinical-note"))
        },
        TimelineItem::Signposted(sp) => Moment {
            detail: sp.note.clone().unwrap_or_default(),
            by: name_of(Author::Staff(sp.by)),
            link: Some(resource_link(ctx, page, &sp.resource)),
            ..blank(
                sp.at,
                page.t(&format!("passport-signpost-{}", sp.action.as_str())),
            )
        },
        TimelineItem::SurgeryDecision(d) => Moment {
            detail: page
                .t(&format!("passport-surgery-choice-{}", d.choice.as_str()))
                .to_string(),
            by: name_of(Author::Staff(d.by)),
            parts: vec![(
                page.t("passport-surgery-what-matters"),
                d.what_matters.clone(),
            )],
            ..blank(d.at, page.t("passport-surgery-decision"))
        },
    }
}

/// The page again with what was entered and every problem named, as 422.
fn refused(
    ctx: &Ctx,
    view: &PassportView,
    values: HashMap<String, String>,
    errors: &ValidationErrors,
) -> Response {
    let mut page = passport_page(ctx, view, FormState::default());
    // The other forms keep what the passport says now; the one sent keeps what was entered.
    let mut form = std::mem::take(&mut page.form);
    for (field, value) in &values {
        form.set(field, value);
    }
    page.form = form.with_errors(errors, &page.page);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn view_for(ctx: &Ctx, patient: Option<PatientId>) -> Result<PassportView, WebError> {
    Ok(match patient {
        Some(patient) => ctx.app().passport(ctx.principal(), patient).await?,
        None => ctx.app().own_passport(ctx.principal()).await?,
    })
}

/// Whether the page follows a saved change.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

fn shown(ctx: &Ctx, view: &PassportView, query: &SavedQuery) -> Response {
    let mut page = passport_page(ctx, view, FormState::default());
    page.notice = query.saved.as_ref().map(|_| page.page.t("passport-saved"));
    render_page(&page)
}

/// `GET /portal/passport`
pub(crate) async fn own(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let view = view_for(&ctx, None).await?;
    Ok(shown(&ctx, &view, &query))
}

/// `GET /staff/patients/{id}/passport`
pub(crate) async fn for_staff(
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let view = view_for(&ctx, Some(patient_id(&raw)?)).await?;
    Ok(shown(&ctx, &view, &query))
}

/// Which passport a posted form is for: the person's own, or the one in the path.
fn target(ctx: &Ctx, raw: Option<&str>) -> Result<(PatientId, String), WebError> {
    match raw {
        Some(raw) => {
            let patient = patient_id(raw)?;
            Ok((patient, format!("/staff/patients/{patient}/passport")))
        }
        None => Ok((ctx.principal().patient()?, "/portal/passport".to_owned())),
    }
}

/// Applies a posted passport form: on success back to the page at `anchor`; named problems
/// show the page again; a change someone else made meanwhile shows the latest with a notice.
async fn apply<T>(
    ctx: Ctx,
    raw: Option<&str>,
    values: HashMap<String, String>,
    anchor: &str,
    change: impl AsyncFnOnce(&Ctx, PatientId) -> Result<T, AppError>,
) -> Result<Response, WebError> {
    let (patient, base) = target(&ctx, raw)?;
    match change(&ctx, patient).await {
        Ok(_) => Ok(Redirect::to(&format!("{base}?saved=1#{anchor}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = view_for(&ctx, raw.map(|_| patient)).await?;
            // A treatment plan's text is the entry's body: shown at its own field.
            let mut named = ValidationErrors::new();
            for e in errors.errors() {
                let field = match (anchor, e.field.as_ref()) {
                    ("plan", "body") => "treatment_plan".to_owned(),
                    (_, other) => other.to_owned(),
                };
                named.add_named(field, jointly_domain::Invalid(e.problem));
            }
            Ok(refused(&ctx, &view, values, &named))
        }
        Err(AppError::Conflict("passport_changed")) => {
            let view = view_for(&ctx, raw.map(|_| patient)).await?;
            let mut errors = ValidationErrors::new();
            errors.add("what_matters", jointly_domain::Invalid("changed"));
            let mut response = refused(&ctx, &view, HashMap::new(), &errors);
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// The about-the-person form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AboutForm {
    what_matters: String,
    work: String,
    mood: String,
    sleep: String,
    social: String,
    version: String,
}

impl AboutForm {
    fn values(&self) -> HashMap<String, String> {
        [
            ("what_matters", &self.what_matters),
            ("work", &self.work),
            ("mood", &self.mood),
            ("sleep", &self.sleep),
            ("social", &self.social),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }

    fn answers(self) -> AboutAnswers {
        AboutAnswers {
            what_matters: self.what_matters,
            work: self.work,
            mood: self.mood,
            sleep: self.sleep,
            social: self.social,
            version: self.version,
        }
    }
}

async fn save_about(ctx: Ctx, raw: Option<&str>, form: AboutForm) -> Result<Response, WebError> {
    let values = form.values();
    let answers = form.answers();
    apply(ctx, raw, values, "about", async |ctx: &Ctx, patient| {
        ctx.app()
            .change_passport_about(ctx.principal(), patient, &answers)
            .await
    })
    .await
}

/// `POST /portal/passport/about`
pub(crate) async fn own_about(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<AboutForm>,
) -> Result<Response, WebError> {
    save_about(ctx, None, form).await
}

/// `POST /staff/patients/{id}/passport/about`
pub(crate) async fn staff_about(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(form): VerifiedForm<AboutForm>,
) -> Result<Response, WebError> {
    save_about(ctx, Some(&raw), form).await
}

/// A new goal, or a note.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TextForm {
    goal: String,
    body: String,
}

async fn save_goal(ctx: Ctx, raw: Option<&str>, form: TextForm) -> Result<Response, WebError> {
    let values = HashMap::from([("goal".to_owned(), form.goal.clone())]);
    apply(ctx, raw, values, "goals", async |ctx: &Ctx, patient| {
        ctx.app()
            .add_goal(ctx.principal(), patient, &form.goal)
            .await
    })
    .await
}

/// `POST /portal/passport/goals`
pub(crate) async fn own_goal(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<TextForm>,
) -> Result<Response, WebError> {
    save_goal(ctx, None, form).await
}

/// `POST /staff/patients/{id}/passport/goals`
pub(crate) async fn staff_goal(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(form): VerifiedForm<TextForm>,
) -> Result<Response, WebError> {
    save_goal(ctx, Some(&raw), form).await
}

/// Where a goal moves to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct GoalStatusForm {
    status: String,
}

async fn move_goal(
    ctx: Ctx,
    raw: Option<&str>,
    goal: &str,
    form: GoalStatusForm,
) -> Result<Response, WebError> {
    let id = goal
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    let values = HashMap::new();
    apply(ctx, raw, values, "goals", async |ctx: &Ctx, _| {
        ctx.app()
            .set_goal_status(ctx.principal(), id, &form.status)
            .await
    })
    .await
}

/// `POST /portal/passport/goals/{id}`: the goal's new status.
pub(crate) async fn own_goal_status(
    ctx: Ctx,
    Path(goal): Path<String>,
    VerifiedForm(form): VerifiedForm<GoalStatusForm>,
) -> Result<Response, WebError> {
    move_goal(ctx, None, &goal, form).await
}

/// `POST /staff/patients/{id}/passport/goals/{goal}`: the goal's new status.
pub(crate) async fn staff_goal_status(
    ctx: Ctx,
    Path((raw, goal)): Path<(String, String)>,
    VerifiedForm(form): VerifiedForm<GoalStatusForm>,
) -> Result<Response, WebError> {
    move_goal(ctx, Some(&raw), &goal, form).await
}

/// `POST /portal/passport/notes`: the person's own note.
pub(crate) async fn own_note(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<TextForm>,
) -> Result<Response, WebError> {
    let values = HashMap::from([("body".to_owned(), form.body.clone())]);
    apply(ctx, None, values, "timeline", async |ctx: &Ctx, _| {
        ctx.app().add_own_note(ctx.principal(), &form.body).await
    })
    .await
}

/// The treatment plan form of an appointment.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PlanForm {
    /// The plain-language treatment plan.
    treatment_plan: String,
}

/// The clinical note form of an appointment.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ClinicalNoteForm {
    subjective: String,
    objective: String,
    assessment: String,
    plan: String,
}

fn appointment_id(raw: &str) -> Result<jointly_domain::AppointmentId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `POST /staff/patients/{id}/passport/appointments/{appointment}/plan`: a clinician writes
/// the plain-language treatment plan of an appointment they have seen.
pub(crate) async fn write_plan(
    ctx: Ctx,
    Path((raw, appointment)): Path<(String, String)>,
    VerifiedForm(form): VerifiedForm<PlanForm>,
) -> Result<Response, WebError> {
    let id = appointment_id(&appointment)?;
    let values = HashMap::from([("treatment_plan".to_owned(), form.treatment_plan.clone())]);
    apply(ctx, Some(&raw), values, "plan", async |ctx: &Ctx, _| {
        ctx.app()
            .write_treatment_plan(ctx.principal(), id, &form.treatment_plan)
            .await
    })
    .await
}

/// `POST /staff/patients/{id}/passport/appointments/{appointment}/clinical-note`: a clinician
/// records the structured note of an appointment they have seen.
pub(crate) async fn write_clinical_note(
    ctx: Ctx,
    Path((raw, appointment)): Path<(String, String)>,
    VerifiedForm(form): VerifiedForm<ClinicalNoteForm>,
) -> Result<Response, WebError> {
    let id = appointment_id(&appointment)?;
    let values: HashMap<String, String> = [
        ("subjective", &form.subjective),
        ("objective", &form.objective),
        ("assessment", &form.assessment),
        ("plan", &form.plan),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let answers = ClinicalNoteAnswers {
        subjective: form.subjective,
        objective: form.objective,
        assessment: form.assessment,
        plan: form.plan,
    };
    apply(ctx, Some(&raw), values, "note", async |ctx: &Ctx, _| {
        ctx.app()
            .write_clinical_note(ctx.principal(), id, &answers)
            .await
    })
    .await
}
