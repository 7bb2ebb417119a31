//! Exercise programmes: the person's own at `/portal/exercises` (each exercise with its steps,
//! cautions and variants, a form to log a session, adherence and pain charts; it prints as
//! their sheet), and the care team's at `/staff/patients/{id}/exercises`, where clinicians
//! build the programme from the library or a condition template. The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, ExerciseView};
use jointly_domain::ValidationErrors;
use jointly_domain::access::Permission;
use jointly_domain::exercise::{Difficulty, Exercise, ExerciseText, Library};
use jointly_i18n::Arg;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::chart::{self, Chart, Point};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, Tick, content_language, label};
use crate::render::{PageContext, Text, render_page};

/// An exercise's words as shown: translated, or English marked as English.
pub(crate) struct Words {
    pub(crate) name: String,
    pub(crate) steps: Vec<String>,
    pub(crate) cautions: String,
    pub(crate) translated: bool,
}

/// "2 sets of 8, 5 times a week", in the page's language.
pub(crate) fn dose_words(page: &PageContext, dose: &jointly_domain::exercise::Dose) -> Text {
    page.t_args(
        "exercises-dose",
        &[
            ("sets", Arg::Num(f64::from(dose.sets))),
            ("reps", Arg::Num(f64::from(dose.reps))),
            ("times", Arg::Num(f64::from(dose.per_week))),
        ],
    )
}

pub(crate) fn words(exercise: &Exercise, page: &PageContext) -> Words {
    let (text, translated): (&ExerciseText, bool) = exercise.text(content_language(page.locale));
    Words {
        name: text.name.clone(),
        steps: text.steps.clone(),
        cautions: text.cautions.clone(),
        translated,
    }
}

/// One exercise of the programme as shown.
struct ExerciseCard {
    name: String,
    dose: Text,
    steps: Vec<String>,
    cautions: String,
    progression: String,
    video: String,
    image: String,
    translated: bool,
    /// "If this is too hard" and "When this is easy", with the exercise to change to.
    variants: Vec<(Text, Words)>,
}

/// A logged session as shown.
struct SessionRow {
    day: String,
    done: String,
    pain: String,
    difficulty: Text,
    note: String,
}

/// One library exercise in the clinician's programme form.
struct LibraryRow {
    code: String,
    name: String,
    areas: String,
    /// (field, label) for sets, repetitions and times a week.
    fields: Vec<(String, Text)>,
    progression: String,
}

#[derive(Template)]
#[template(path = "exercises.html")]
struct ExercisesPage {
    page: PageContext,
    form: FormState,
    staff: bool,
    patient_id: String,
    name: String,
    set_by: Text,
    exercises: Vec<ExerciseCard>,
    done: Vec<Tick>,
    pains: Vec<Choice>,
    difficulties: Vec<Choice>,
    adherence: Option<Chart>,
    pain: Option<Chart>,
    sessions: Vec<SessionRow>,
    can_build: bool,
    templates: Vec<Choice>,
    library: Vec<LibraryRow>,
    notice: Option<Text>,
}

/// A video or picture address (the library checks each is `https://`).
fn media(reference: Option<&String>) -> String {
    reference.cloned().unwrap_or_default()
}

fn exercises_page(
    ctx: &Ctx,
    view: &ExerciseView,
    mut form: FormState,
    template: Option<&str>,
) -> ExercisesPage {
    let page = PageContext::new(ctx, "exercises-title");
    let library = ctx.app().exercise_library();
    let staff = view.care_team;
    let items = view
        .programme
        .as_ref()
        .map(|p| p.items.as_slice())
        .unwrap_or_default();
    let exercises: Vec<ExerciseCard> = items
        .iter()
        .filter_map(|dose| {
            let exercise = library.exercise(&dose.exercise)?;
            let text = words(exercise, &page);
            let variants = [
                ("exercises-easier", &exercise.easier),
                ("exercises-harder", &exercise.harder),
            ]
            .into_iter()
            .filter_map(|(heading, code)| {
                let other = library.exercise(code.as_deref()?)?;
                Some((page.t(heading), words(other, &page)))
            })
            .collect();
            Some(ExerciseCard {
                dose: dose_words(&page, dose),
                progression: dose.progression.clone().unwrap_or_default(),
                video: media(exercise.video.as_ref()),
                image: media(exercise.image.as_ref()),
                name: text.name,
                steps: text.steps,
                cautions: text.cautions,
                translated: text.translated,
                variants,
            })
        })
        .collect();
    let set_by = match (&view.programme, &view.built_by) {
        (Some(p), Some(by)) => page.t2(
            "exercises-set-by",
            "by",
            by.as_str(),
            "when",
            page.long_date(&p.at),
        ),
        _ => Text::plain(String::new()),
    };
    let today = jointly_domain::local_date(ctx.app().clock().now()).to_string();
    if form.value("on").is_empty() {
        form.set("on", &today);
    }
    let done = items
        .iter()
        .filter_map(|dose| {
            let exercise = library.exercise(&dose.exercise)?;
            let name = format!("done_{}", dose.exercise);
            Some(Tick {
                checked: form.is(&name, "yes"),
                name,
                label: Text::plain(words(exercise, &page).name),
            })
        })
        .collect();
    let adherence = (!view.adherence.is_empty()).then(|| {
        // The axis names weeks by number; the table gives the date each began.
        let points = view
            .adherence
            .iter()
            .enumerate()
            .map(|(i, week)| Point {
                label: page.plain1("exercises-week", "week", (i + 1).to_string()),
                value: f64::from(week.percent()),
                shown: page.plain2(
                    "exercises-week-done",
                    "percent",
                    week.percent().to_string(),
                    "from",
                    page.date(&week.week_of),
                ),
            })
            .collect();
        let latest = view.adherence.last().map_or(0, |w| w.percent());
        chart::bars(
            "adherence".to_owned(),
            page.t("exercises-adherence-title"),
            page.t_args(
                "exercises-adherence-summary",
                &[("percent", Arg::Num(f64::from(latest)))],
            ),
            (
                page.t("exercises-col-week"),
                page.t("exercises-col-adherence"),
            ),
            points,
            100.0,
            25.0,
        )
    });
    let pain = (!view.logs.is_empty()).then(|| {
        let points = view
            .logs
            .iter()
            .map(|log| Point {
                label: page.date(&log.on),
                value: f64::from(log.pain),
                shown: log.pain.to_string(),
            })
            .collect();
        let first = view.logs.first().map_or(0, |l| l.pain);
        let last = view.logs.last().map_or(0, |l| l.pain);
        chart::line(
            "pain".to_owned(),
            page.t("exercises-pain-title"),
            page.t_args(
                "exercises-pain-summary",
                &[
                    ("first", Arg::Num(f64::from(first))),
                    ("last", Arg::Num(f64::from(last))),
                ],
            ),
            (page.t("exercises-col-day"), page.t("exercises-col-pain")),
            points,
            10.0,
            2.0,
        )
    });
    let sessions = view
        .logs
        .iter()
        .rev()
        .take(20)
        .map(|log| SessionRow {
            day: page.date(&log.on),
            done: log
                .done
                .iter()
                .filter_map(|code| library.exercise(code).map(|e| words(e, &page).name))
                .collect::<Vec<_>>()
                .join(", "),
            pain: log.pain.to_string(),
            difficulty: page.t(&format!("difficulty-{}", log.difficulty.as_str())),
            note: log.note.clone().unwrap_or_default(),
        })
        .collect();
    let can_build = staff && ctx.principal().can(Permission::WriteClinicalNotes);
    if can_build && form.problems().is_empty() {
        prefill(&mut form, library, view, template);
    }
    ExercisesPage {
        staff,
        patient_id: view.patient.id.to_string(),
        name: view.patient.name.to_string(),
        set_by,
        exercises,
        done,
        pains: (0..=10)
            .map(|n| Choice::new(n.to_string(), Text::plain(n.to_string())))
            .collect(),
        difficulties: Difficulty::ALL
            .into_iter()
            .map(|d| Choice::new(d.as_str(), page.t(&format!("difficulty-{}", d.as_str()))))
            .collect(),
        adherence,
        pain,
        sessions,
        can_build,
        templates: std::iter::once(Choice::new("", page.t("exercises-template-none")))
            .chain(
                library
                    .templates
                    .iter()
                    .map(|t| Choice::new(t.id.clone(), Text::plain(t.name.clone()))),
            )
            .collect(),
        library: library_rows(&page, library),
        notice: None,
        form,
        page,
    }
}

/// The clinician's form starts from the chosen template, or else the current programme.
fn prefill(form: &mut FormState, library: &Library, view: &ExerciseView, template: Option<&str>) {
    let doses = match template.and_then(|t| library.template(t)) {
        Some(chosen) => {
            form.set("template", &chosen.id);
            chosen.items.as_slice()
        }
        None => view
            .programme
            .as_ref()
            .map(|p| p.items.as_slice())
            .unwrap_or_default(),
    };
    for dose in doses {
        let code = &dose.exercise;
        form.set(code, "yes");
        form.set(&format!("{code}_sets"), &dose.sets.to_string());
        form.set(&format!("{code}_reps"), &dose.reps.to_string());
        form.set(&format!("{code}_per_week"), &dose.per_week.to_string());
        form.set(
            &format!("{code}_progression"),
            dose.progression.as_deref().unwrap_or(""),
        );
    }
}

fn library_rows(page: &PageContext, library: &Library) -> Vec<LibraryRow> {
    library
        .exercises
        .iter()
        .map(|exercise| {
            let code = exercise.id.clone();
            let name = exercise.en.name.clone();
            let fields = [
                ("sets", "exercises-field-sets"),
                ("reps", "exercises-field-reps"),
                ("per_week", "exercises-field-per-week"),
            ]
            .into_iter()
            .map(|(part, id)| {
                (
                    format!("{code}_{part}"),
                    page.t1(id, "exercise", name.as_str()),
                )
            })
            .collect();
            LibraryRow {
                areas: exercise
                    .areas
                    .iter()
                    .map(|area| label(page, "problem", area).to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                progression: format!("{code}_progression"),
                fields,
                name,
                code,
            }
        })
        .collect()
}

fn patient_id(raw: &str) -> Result<jointly_domain::PatientId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// After a save, and which template to start the clinician's form from.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ExercisesQuery {
    saved: Option<String>,
    template: Option<String>,
}

fn with_notice(mut page: ExercisesPage, query: &ExercisesQuery) -> ExercisesPage {
    if query.saved.is_some() {
        let id = if page.staff {
            "exercises-programme-saved"
        } else {
            "exercises-log-saved"
        };
        page.notice = Some(page.page.t(id));
    }
    page
}

/// `GET /portal/exercises`
pub(crate) async fn own(
    ctx: Ctx,
    Query(query): Query<ExercisesQuery>,
) -> Result<Response, WebError> {
    let view = ctx.app().own_exercises(ctx.principal()).await?;
    let page = exercises_page(&ctx, &view, FormState::default(), None);
    Ok(render_page(&with_notice(page, &query)))
}

/// `GET /staff/patients/{id}/exercises`
pub(crate) async fn staff(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<ExercisesQuery>,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .exercises(ctx.principal(), patient_id(&id)?)
        .await?;
    let page = exercises_page(&ctx, &view, FormState::default(), query.template.as_deref());
    Ok(render_page(&with_notice(page, &query)))
}

/// The page again with what was sent and what is wrong (422).
fn refused(
    ctx: &Ctx,
    view: &ExerciseView,
    errors: &ValidationErrors,
    sent: HashMap<String, String>,
) -> Response {
    let page = PageContext::new(ctx, "exercises-title");
    let library = ctx.app().exercise_library();
    // A dose field's problem names the exercise: "Sets of Clam is out of range".
    let form = FormState::from_map(sent).with_errors_named(errors, &page, |field| {
        let (code, part) = field.rsplit_once('_')?;
        let (code, id) = match part {
            "sets" => (code, "exercises-field-sets"),
            "reps" => (code, "exercises-field-reps"),
            "week" => (code.strip_suffix("_per")?, "exercises-field-per-week"),
            _ => return None,
        };
        let name = &library.exercise(code)?.en.name;
        Some(page.plain1(id, "exercise", name))
    });
    let mut page = exercises_page(ctx, view, form, None);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// `POST /portal/exercises/log`
pub(crate) async fn log(
    ctx: Ctx,
    VerifiedForm(mut form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    form.remove("_csrf");
    match ctx.app().log_exercises(ctx.principal(), &form).await {
        Ok(_) => Ok(Redirect::to("/portal/exercises?saved=1#progress").into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = ctx.app().own_exercises(ctx.principal()).await?;
            Ok(refused(&ctx, &view, &errors, form))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /staff/patients/{id}/exercises`
pub(crate) async fn build(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(mut form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = patient_id(&id)?;
    form.remove("_csrf");
    form.remove("template");
    match ctx
        .app()
        .set_programme(ctx.principal(), patient, &form)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/patients/{patient}/exercises?saved=1")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let view = ctx.app().exercises(ctx.principal(), patient).await?;
            Ok(refused(&ctx, &view, &errors, form))
        }
        Err(other) => Err(other.into()),
    }
}

/// A person's exercise programme, the sessions they logged and their adherence.
#[derive(Serialize, ToSchema)]
struct PatientExercises<'a> {
    /// The current programme; null when none has been set.
    programme: Option<ExerciseProgramme<'a>>,
    /// Sessions logged against the current programme, earliest day first.
    sessions: Vec<ExerciseSession<'a>>,
    /// Adherence week by week, from the week the programme started to this week (the last 12
    /// at most).
    adherence: Vec<ExerciseWeek>,
}

/// An exercise programme: each exercise with its dose.
#[derive(Serialize, ToSchema)]
struct ExerciseProgramme<'a> {
    /// The programme's id.
    id: String,
    /// When it was set (RFC 3339).
    set_at: String,
    /// Its exercises and doses.
    items: &'a [jointly_domain::exercise::Dose],
}

/// A logged exercise session.
#[derive(Serialize, ToSchema)]
struct ExerciseSession<'a> {
    /// The day of the session, `YYYY-MM-DD`.
    on: String,
    /// The codes of the exercises done.
    done: &'a [String],
    /// Pain during or after, 0 (none) to 10 (worst imaginable).
    pain: u8,
    /// How hard it felt: `too_easy`, `right` or `too_hard`.
    difficulty: &'static str,
    /// Anything they told the clinician.
    note: Option<&'a str>,
}

/// One week of a programme: sessions prescribed and done.
#[derive(Serialize, ToSchema)]
struct ExerciseWeek {
    /// The Monday the week starts, `YYYY-MM-DD`.
    week_of: String,
    /// Exercise sessions prescribed that week.
    expected: u32,
    /// Exercise sessions done (each exercise counted up to its times a week).
    done: u32,
    /// Done as a whole percentage of prescribed.
    percent: u32,
}

fn exercises_out(view: &ExerciseView) -> PatientExercises<'_> {
    PatientExercises {
        programme: view.programme.as_ref().map(|p| ExerciseProgramme {
            id: p.id.to_string(),
            set_at: p.at.to_string(),
            items: &p.items,
        }),
        sessions: view
            .logs
            .iter()
            .map(|l| ExerciseSession {
                on: l.on.to_string(),
                done: &l.done,
                pain: l.pain,
                difficulty: l.difficulty.as_str(),
                note: l.note.as_deref(),
            })
            .collect(),
        adherence: view
            .adherence
            .iter()
            .map(|w| ExerciseWeek {
                week_of: w.week_of.to_string(),
                expected: w.expected,
                done: w.done,
                percent: w.percent(),
            })
            .collect(),
    }
}

/// Shows the signed-in patient's exercise programme, their logged sessions and adherence.
#[utoipa::path(get, path = "/api/v1/me/exercises", tag = "self-management",
    responses((status = 200, description = "Their programme, sessions and adherence", body = PatientExercises<'static>)))]
pub(crate) async fn api_own(ctx: Ctx) -> Result<Response, WebError> {
    let view = ctx.app().own_exercises(ctx.principal()).await?;
    Ok(json(StatusCode::OK, &exercises_out(&view)))
}

/// Logs a session of the signed-in patient's exercise programme.
///
/// The body's keys: `on`, the day (`YYYY-MM-DD`, from the programme's start to today);
/// `done_<code>` = `yes` for each exercise of the programme done; `pain`, 0 (none) to 10
/// (worst imaginable); `difficulty`, `too_easy`, `right` or `too_hard`; and an optional
/// `note` (up to 2,000 characters). Returns their programme, sessions and adherence as they
/// now stand.
#[utoipa::path(post, path = "/api/v1/me/exercises/log", tag = "self-management",
    request_body = HashMap<String, String>,
    responses(
        (status = 201, description = "The session was logged; their programme, sessions and adherence now", body = PatientExercises<'static>),
        (status = 409, description = "They have no programme to log against (`no_programme`)", body = crate::openapi::Problem),
        (status = 422, description = "A field is missing, out of range or unknown: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_log(
    ctx: Ctx,
    ApiJson(answers): ApiJson<HashMap<String, String>>,
) -> Result<Response, WebError> {
    ctx.app().log_exercises(ctx.principal(), &answers).await?;
    let view = ctx.app().own_exercises(ctx.principal()).await?;
    Ok(json(StatusCode::CREATED, &exercises_out(&view)))
}

/// Shows a patient's exercise programme, logged sessions and adherence to their care team.
///
/// Reading them is audited.
#[utoipa::path(get, path = "/api/v1/patients/{id}/exercises", tag = "self-management",
    params(("id" = String, Path, description = "The patient's id")),
    responses((status = 200, description = "The patient's programme, sessions and adherence", body = PatientExercises<'static>)))]
pub(crate) async fn api_staff(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .exercises(ctx.principal(), patient_id(&id)?)
        .await?;
    Ok(json(StatusCode::OK, &exercises_out(&view)))
}

/// Sets a patient's exercise programme, replacing the current one.
///
/// The body's keys, for each exercise from the library to include: `<code>` = `yes`, with
/// `<code>_sets` (1–10), `<code>_reps` (1–50), `<code>_per_week` (1–14) and an optional
/// `<code>_progression` (how to progress it, up to 500 characters). At least one exercise.
/// Sessions logged against the old programme stay with it. Returns the patient's programme,
/// sessions and adherence as they now stand.
#[utoipa::path(put, path = "/api/v1/patients/{id}/exercises", tag = "self-management",
    params(("id" = String, Path, description = "The patient's id")),
    request_body = HashMap<String, String>,
    responses(
        (status = 200, description = "The programme was set; the patient's programme, sessions and adherence now", body = PatientExercises<'static>),
        (status = 422, description = "No exercise, a dose out of range, or an unknown field: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_build(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(answers): ApiJson<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = patient_id(&id)?;
    ctx.app()
        .set_programme(ctx.principal(), patient, &answers)
        .await?;
    let view = ctx.app().exercises(ctx.principal(), patient).await?;
    Ok(json(StatusCode::OK, &exercises_out(&view)))
}
