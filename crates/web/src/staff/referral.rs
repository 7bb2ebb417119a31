//! A referral opened by staff: the answers, the digital triage and why, the person's
//! communication needs and history on one screen, and the triage actions — accept (a reason
//! when overriding), advice (or advice and guidance to a professional), a question for the
//! person, and the MDT flag.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AdviceForm, AppError, StaffReferralView, TriageForm};
use jointly_domain::access::Permission;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::event::{Actor, DomainEvent};
use jointly_domain::intake::Referrer;
use jointly_domain::patient::age_on;
use jointly_domain::questionnaire::is_enabled;
use jointly_domain::referral::{Priority, ReferralStatus};
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, label, referral_id, referral_status_colour};
use crate::questions::{answer_words, question_label};
use crate::render::{PageContext, Text, render_page};
use crate::staff::triage::urgency_colour;

struct AnswerRow {
    question: Text,
    answer: Text,
    used: bool,
}

struct AnswerSection {
    heading: Text,
    rows: Vec<AnswerRow>,
}

struct NoteRow {
    kind: Text,
    body: String,
    at: Timestamp,
}

struct HistoryRow {
    what: Text,
    at: Timestamp,
}

struct FlagRow {
    condition: Text,
    level: Text,
    explain: String,
}

#[derive(Template)]
#[template(path = "staff/referral.html")]
struct ReferralPage {
    page: PageContext,
    form: FormState,
    id: String,
    reference: String,
    patient_name: String,
    /// For the link to the patient's passport.
    patient_id: String,
    status: Text,
    status_colour: &'static str,
    urgency: Text,
    urgency_colour: &'static str,
    flags: Vec<Text>,
    red_flags: Vec<FlagRow>,
    suggestion: Option<Text>,
    explanation: Vec<String>,
    rule: String,
    scores: Vec<(String, i64, String)>,
    pathway_version: String,
    needs: Vec<(Text, Text)>,
    /// The person's communication needs, shown as a flag at the top (staff read English).
    communication: Vec<String>,
    messages: Vec<crate::staff::outbox::HistoryRow>,
    patient_rows: Vec<(Text, Text)>,
    referral_rows: Vec<(Text, Text)>,
    description: Option<String>,
    answers: Vec<AnswerSection>,
    /// The answers the digital triage used, as (question, answer).
    key_answers: Vec<(Text, Text)>,
    notes: Vec<NoteRow>,
    tasks: Vec<(Text, Text, Timestamp)>,
    history: Vec<HistoryRow>,
    others: Vec<(String, Text, Text)>,
    can_triage: bool,
    can_advise_referrer: bool,
    /// Waiting to book, and the viewer books for patients.
    can_book: bool,
    appointments: Vec<StaffAppointmentRow>,
    version: i64,
    services: Vec<Choice>,
    priorities: Vec<Choice>,
    /// Listed for the MDT, and the reader records outcomes.
    mdt_listed: bool,
    can_record_mdt: bool,
    /// A clinician may write the discharge summary (care under way or finished).
    can_discharge: bool,
    /// The reader may refer the person on to another organisation.
    can_refer_onward: bool,
    /// Whether orthopaedics may be chosen, and why not.
    surgery_ready: bool,
    surgery_gate: Text,
}

fn event_words(page: &PageContext, event: &DomainEvent) -> Text {
    let who = match event.actor() {
        Actor::Patient(_) => page.t("actor-patient"),
        Actor::Staff(_) => page.t("actor-staff"),
        Actor::Organisation(_) => page.t("actor-organisation"),
        Actor::System => page.t("actor-system"),
    };
    page.t1(&format!("event-{}", event.kind()), "who", who.as_str())
}

fn referral_page(ctx: &Ctx, view: &StaffReferralView, form: FormState) -> ReferralPage {
    let page = PageContext::new(ctx, "referral-title");
    let (r, p) = (&view.referral, &view.patient);
    let content = ctx.app().content();
    let now = ctx.app().clock().now();
    let today = jointly_domain::local_date(now);
    let not_given = page.t("not-given");
    let or_not_given = |value: Option<String>| value.map_or_else(|| not_given.clone(), Text::plain);
    let digital = r.digital_triage.as_ref();
    let used: Vec<String> = digital
        .map(|d| d.answers_used().to_vec())
        .unwrap_or_default();

    let mut flags = Vec::new();
    if r.possible_duplicate_of.is_some() {
        flags.push(page.t("flag-possible-duplicate"));
    }
    if r.mdt {
        flags.push(page.t("flag-mdt"));
    }
    if r.awaiting_reply {
        flags.push(page.t("flag-awaiting-reply"));
    }
    if let Some(decision) = &r.decision
        && decision.overridden
    {
        flags.push(page.t("flag-overridden"));
    }

    let answers = r.answers.as_ref().map(|a| a.answers()).unwrap_or_default();
    let sections = content
        .questionnaire
        .steps
        .iter()
        .map(|step| AnswerSection {
            heading: page.t_or(&format!("qs-{}", step.link_id), &step.text),
            rows: step
                .items
                .iter()
                .filter(|i| is_enabled(i, &answers))
                .filter_map(|item| {
                    let answer = answers.get(&item.link_id)?;
                    Some(AnswerRow {
                        question: question_label(&page, item),
                        answer: answer_words(&page, item, &answer.as_code()),
                        used: used.contains(&item.link_id),
                    })
                })
                .collect(),
        })
        .filter(|s: &AnswerSection| !s.rows.is_empty())
        .collect::<Vec<_>>();
    // The answers the suggestion rests on, first, so the decision needs no scrolling.
    let key_answers = sections
        .iter()
        .flat_map(|s| s.rows.iter().filter(|r| r.used))
        .map(|r| (r.question.clone(), r.answer.clone()))
        .collect();

    let mut needs = vec![
        (
            page.t("label-language"),
            label(&page, "language", p.preferred_language.code()),
        ),
        (
            page.t("label-preferred-contact"),
            label(&page, "contact", p.preferred_contact.as_str()),
        ),
    ];
    if let Some(words) = answers.get("communication") {
        needs.push((page.t("label-communication"), Text::plain(words.as_code())));
    }
    match &r.referrer {
        Some(Referrer::Carer { carer }) => needs.push((
            page.t("label-carer"),
            Text::plain(format!(
                "{} ({}){}",
                carer.name.as_str(),
                label(&page, "relationship", carer.relationship.as_str()).as_str(),
                carer
                    .phone
                    .as_ref()
                    .map(|ph| format!(", {ph}"))
                    .unwrap_or_default()
            )),
        )),
        Some(Referrer::Professional { professional, .. }) => needs.push((
            page.t("label-referrer"),
            Text::plain(format!(
                "{}, {} – {}{}",
                professional.name.as_str(),
                label(&page, "professional-role", professional.role.as_str()).as_str(),
                view.organisation
                    .as_ref()
                    .map(|o| format!("{} ({})", o.name, o.ods_code.as_str()))
                    .unwrap_or_default(),
                format_args!(", {}", professional.email)
            )),
        )),
        None => {}
    }

    let patient_rows = vec![
        (
            page.t("label-date-of-birth"),
            Text::plain(format!(
                "{} ({})",
                page.date(&p.date_of_birth),
                page.plain1(
                    "age-years",
                    "age",
                    age_on(p.date_of_birth, today).to_string()
                )
            )),
        ),
        (
            page.t("label-nhs-number"),
            or_not_given(p.nhs_number.map(|n| n.to_string())),
        ),
        (page.t("label-sex"), label(&page, "sex", p.sex.as_str())),
        (
            page.t("label-postcode"),
            Text::plain(p.postcode.to_string()),
        ),
        (
            page.t("label-phone"),
            or_not_given(p.phone.as_ref().map(ToString::to_string)),
        ),
        (
            page.t("label-email"),
            or_not_given(p.email.as_ref().map(ToString::to_string)),
        ),
    ];
    let mut referral_rows = vec![
        (
            page.t("label-received"),
            Text::plain(format!(
                "{}, {}",
                page.long_date(&r.received_at),
                page.time(&r.received_at)
            )),
        ),
        (
            page.t("label-source"),
            label(&page, "source", r.source.as_str()),
        ),
        (
            page.t("label-problem"),
            label(&page, "problem-area", r.problem_area.as_str()),
        ),
    ];
    if r.assisted_by.is_some() {
        referral_rows.push((page.t("label-assisted"), page.t("answer-yes")));
    }
    if let Some(service) = &view.service_name {
        referral_rows.push((page.t("label-service"), Text::plain(service.clone())));
    }
    if let Some(priority) = r.priority {
        referral_rows.push((
            page.t("label-priority"),
            label(&page, "priority", priority.as_str()),
        ));
    }
    if let Some(note) = &r.triage_note {
        referral_rows.push((page.t("label-triage-note"), Text::plain(note.as_str())));
    }

    let (suggested_kind, suggested_priority) = match digital {
        Some(d) => (
            d.route().and_then(|route| route.service_kind()),
            Some(d.priority()),
        ),
        None => (None, None),
    };
    let services = view
        .services
        .iter()
        .map(|s| {
            let mut name = s.name.clone();
            if Some(s.kind) == suggested_kind {
                name = page.plain1("suggested-option", "option", &name);
            }
            Choice::new(s.id.to_string(), Text::plain(name))
        })
        .collect();
    let priorities = Priority::ALL
        .iter()
        .map(|p| Choice::new(p.as_str(), label(&page, "priority", p.as_str())))
        .collect();
    let mut form = form;
    if form.value("priority").is_empty()
        && let Some(priority) = suggested_priority
    {
        form.set("priority", priority.as_str());
    }
    // A person who chose not to have surgery is routed to the care they chose instead.
    let chosen_kind = view
        .surgery
        .decision()
        .and_then(|d| d.preferred)
        .and_then(|care| care.service_kind());
    if form.value("service").is_empty()
        && let Some(service) = view
            .services
            .iter()
            .find(|s| Some(s.kind) == chosen_kind.or(suggested_kind))
    {
        form.set("service", &service.id.to_string());
    }

    let (surgery_ready, surgery_gate) = crate::staff::surgery::gate_words(&page, &view.surgery);
    ReferralPage {
        mdt_listed: r.mdt,
        can_record_mdt: ctx
            .principal()
            .can(jointly_domain::access::Permission::RecordMdtOutcomes),
        can_refer_onward: r.status != ReferralStatus::Withdrawn
            && ctx
                .principal()
                .can(jointly_domain::access::Permission::ReferOnward),
        can_discharge: r.service_id.is_some()
            && matches!(
                r.status,
                ReferralStatus::Waiting | ReferralStatus::Discharged
            )
            && ctx
                .principal()
                .can(jointly_domain::access::Permission::WriteClinicalNotes),
        surgery_ready,
        surgery_gate,
        id: r.id.to_string(),
        reference: r.reference.to_string(),
        patient_name: p.name.to_string(),
        patient_id: p.id.to_string(),
        status: label(&page, "referral-status", r.status.as_str()),
        status_colour: referral_status_colour(r.status),
        urgency: label(&page, "urgency", r.urgency.as_str()),
        urgency_colour: urgency_colour(r.urgency),
        flags,
        red_flags: digital
            .map(|d| {
                d.red_flags()
                    .iter()
                    .map(|f| FlagRow {
                        condition: label(&page, "red-flag-condition", f.condition.as_str()),
                        level: label(&page, "escalation", f.escalation.as_str()),
                        explain: f.explain.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        suggestion: digital.map(|d| match d.route() {
            Some(route) => page.t2(
                "suggestion-routed",
                "route",
                label(&page, "route", route.as_str()).as_str(),
                "priority",
                label(&page, "priority", d.priority().as_str()).as_str(),
            ),
            None => page.t("suggestion-emergency"),
        }),
        explanation: digital
            .map(|d| d.explanation().to_vec())
            .unwrap_or_default(),
        rule: digital
            .and_then(|d| d.rule())
            .map_or_else(String::new, str::to_owned),
        scores: digital
            .map(|d| {
                d.scores()
                    .iter()
                    .map(|s| (s.id.clone(), s.value, s.band.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        pathway_version: digital
            .map(|d| d.pathway_version().to_owned())
            .unwrap_or_default(),
        needs,
        communication: communication_flags(&view.communication),
        messages: crate::staff::outbox::history_rows(&page, &view.messages),
        patient_rows,
        referral_rows,
        description: r.description.as_ref().map(|d| d.as_str().to_owned()),
        answers: sections,
        key_answers,
        notes: view
            .notes
            .iter()
            .map(|n| NoteRow {
                kind: label(&page, "note-kind", n.kind.as_str()),
                body: n.body.as_str().to_owned(),
                at: n.created_at,
            })
            .collect(),
        tasks: view
            .tasks
            .iter()
            .map(|t| {
                (
                    label(&page, "task-kind", t.kind.as_str()),
                    label(&page, "task-status", t.status.as_str()),
                    t.due_at,
                )
            })
            .collect(),
        history: view
            .history
            .iter()
            .map(|e| HistoryRow {
                what: event_words(&page, e),
                at: e.at(),
            })
            .collect(),
        others: view
            .other_referrals
            .iter()
            .map(|o| {
                (
                    o.referral.reference.to_string(),
                    label(&page, "problem-area", o.referral.problem_area.as_str()),
                    label(&page, "referral-status", o.referral.status.as_str()),
                )
            })
            .collect(),
        can_triage: r.status == ReferralStatus::AwaitingTriage
            && ctx.principal().can(Permission::TriageReferrals),
        can_advise_referrer: matches!(r.referrer, Some(Referrer::Professional { .. })),
        can_book: (r.status == ReferralStatus::Waiting || r.open_access_at(now))
            && ctx.principal().can(Permission::BookForPatient),
        appointments: view
            .appointments
            .iter()
            .map(|(a, slot)| StaffAppointmentRow {
                id: a.id.to_string(),
                start: slot.slot.start,
                place: format!("{}, {}", slot.location_name, slot.location_town),
                modality: label(&page, "modality", slot.slot.modality.as_str()),
                status: label(&page, "appointment-status", a.status.as_str()),
                colour: crate::staff::clinics::status_colour(a.status),
                can_cancel: a.status == AppointmentStatus::Booked
                    && slot.slot.start > now
                    && ctx.principal().can(Permission::BookForPatient),
            })
            .collect(),
        version: r.version,
        services,
        priorities,
        form,
        page,
    }
}

/// An appointment of the referral, as staff see it.
struct StaffAppointmentRow {
    id: String,
    start: Timestamp,
    place: String,
    modality: Text,
    status: Text,
    colour: &'static str,
    can_cancel: bool,
}

/// `POST /staff/appointments/{id}/cancel`: cancels on the patient's behalf (for example when
/// they phone); the slot goes to the cancellation list and the patient is told.
pub(crate) async fn cancel_appointment(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<crate::pages::refer::Empty>,
) -> Result<Response, WebError> {
    let appointment: jointly_domain::AppointmentId =
        id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let referral = ctx
        .app()
        .cancel_appointment_for_patient(ctx.principal(), appointment)
        .await?;
    Ok(Redirect::to(&format!("/staff/referrals/{referral}#appointments")).into_response())
}

/// `GET /staff/referrals/{id}`
pub(crate) async fn show(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral_id(&id)?)
        .await?;
    Ok(render_page(&referral_page(
        &ctx,
        &view,
        FormState::default(),
    )))
}

/// Every triage action's fields (each form posts its own).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ActionForm {
    service: String,
    priority: String,
    note: String,
    advice: String,
    to_referrer: String,
    reason: String,
    question: String,
    mdt_outcome: String,
    version: String,
}

impl ActionForm {
    fn values(self) -> FormState {
        FormState::with_values([
            ("service", self.service),
            ("priority", self.priority),
            ("note", self.note),
            ("advice", self.advice),
            ("to_referrer", self.to_referrer),
            ("reason", self.reason),
            ("question", self.question),
            ("mdt_outcome", self.mdt_outcome),
        ])
    }
}

/// After an action: back to the queue, or the page again with what went wrong.
async fn after(
    ctx: &Ctx,
    id: jointly_domain::ReferralId,
    result: Result<(), AppError>,
    form: ActionForm,
    first_field: &str,
) -> Result<Response, WebError> {
    let problem = match result {
        Ok(()) => return Ok(Redirect::to("/staff/triage").into_response()),
        Err(AppError::Invalid(errors)) => Ok(errors),
        Err(AppError::Conflict(_)) => Err(()),
        Err(other) => return Err(other.into()),
    };
    let view = ctx.app().referral_for_staff(ctx.principal(), id).await?;
    let mut page = referral_page(ctx, &view, FormState::default());
    let values = form.values();
    let (state, status) = match problem {
        Ok(errors) => (
            values.with_errors(&errors, &page.page),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(()) => (
            values.with_problem(first_field, page.page.t("referral-changed")),
            StatusCode::CONFLICT,
        ),
    };
    page.form = state;
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /staff/referrals/{id}/accept`
pub(crate) async fn accept(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let decision = TriageForm {
        service: form.service.clone(),
        priority: form.priority.clone(),
        note: form.note.clone(),
        version: form.version.clone(),
    };
    let result = ctx
        .app()
        .accept_referral(ctx.principal(), id, &decision)
        .await
        .map(|_| ());
    after(&ctx, id, result, form, "service").await
}

/// `POST /staff/referrals/{id}/advice`
pub(crate) async fn advice(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let advice = AdviceForm {
        advice: form.advice.clone(),
        to_referrer: form.to_referrer.clone(),
        reason: form.reason.clone(),
        version: form.version.clone(),
    };
    let result = ctx
        .app()
        .give_advice(ctx.principal(), id, &advice)
        .await
        .map(|_| ());
    after(&ctx, id, result, form, "advice").await
}

/// `POST /staff/referrals/{id}/question`
pub(crate) async fn question(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let result = ctx
        .app()
        .ask_patient(ctx.principal(), id, &form.question, &form.version)
        .await
        .map(|_| ());
    after(&ctx, id, result, form, "question").await
}

/// `POST /staff/referrals/{id}/mdt`
pub(crate) async fn mdt(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let result = ctx
        .app()
        .request_mdt(ctx.principal(), id, &form.version)
        .await
        .map(|_| ());
    after(&ctx, id, result, form, "mdt").await
}

/// `POST /staff/referrals/{id}/mdt-outcome`: what the MDT decided; back to the MDT list.
pub(crate) async fn mdt_outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<ActionForm>,
) -> Result<Response, WebError> {
    let id = referral_id(&id)?;
    let result = ctx
        .app()
        .record_mdt_outcome(ctx.principal(), id, &form.mdt_outcome, &form.version)
        .await;
    match result {
        Ok(_) => Ok(Redirect::to("/staff/mdt?saved=1").into_response()),
        Err(error) => after(&ctx, id, Err(error), form, "mdt_outcome").await,
    }
}

/// What staff must know to communicate with the person, in a few words each: coded needs,
/// an interpreter, the print letters need, digital exclusion, a carer, quiet hours.
pub(crate) fn communication_flags(
    profile: &jointly_domain::communication::CommunicationProfile,
) -> Vec<String> {
    use jointly_domain::communication::Interpreter;
    let needs = &profile.needs;
    let preferences = &profile.preferences;
    let mut flags: Vec<String> = needs.needs.iter().map(|n| n.display().to_owned()).collect();
    if let Some(Interpreter::Spoken(language)) = needs.interpreter() {
        flags.push(format!("Interpreter needed: {}", language.code()));
    }
    if needs.needs_longer_appointment() {
        flags.push("Book a double appointment (interpreter)".to_owned());
    }
    if preferences.digitally_excluded {
        flags.push("No internet: letters and phone calls only".to_owned());
    }
    if preferences.portal_first {
        flags.push("Portal first: texts and emails only say there is something new".to_owned());
    }
    if let Some(carer) = &preferences.carer {
        let how = if needs.via_carer() {
            "contact through"
        } else if preferences.copy_carer {
            "copies to"
        } else {
            "carer"
        };
        flags.push(format!("{how}: {}", carer.name.as_str()));
    }
    if let Some(quiet) = preferences.quiet_hours {
        flags.push(format!(
            "No texts or calls {} to {}",
            quiet.from.strftime("%H:%M"),
            quiet.until.strftime("%H:%M")
        ));
    }
    if let Some(details) = &needs.details {
        flags.push(details.clone());
    }
    flags
}
