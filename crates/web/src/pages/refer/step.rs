//! One step of the online referral, and "check your answers" before sending.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{ABOUT_FIELDS, AppError, CARER_FIELDS, Draft, DraftData, Step, StepSaved};
use jointly_domain::ValidationErrors;
use jointly_domain::questionnaire::{answers_before, is_enabled};
use serde::Deserialize;

use crate::context::Ctx;
use crate::cookies::Jar;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::refer::receipt::receipt_cookie;
use crate::pages::refer::{current_draft, see_other};
use crate::pages::{PersonChoices, label};
use crate::questions::{StepView, answer_words, question_label, step_view, with_question_errors};
use crate::render::{PageContext, Text, render_page};

/// The address of a step.
pub(crate) fn step_href(step: &Step) -> String {
    match step {
        Step::Check => "/refer/check".to_owned(),
        other => format!("/refer/step/{}", other.slug()),
    }
}

/// Everything saved in a draft, as form values.
fn draft_values(data: &DraftData) -> BTreeMap<String, String> {
    let mut values = data.intake.answers.clone();
    let p = &data.intake.person;
    let person = [
        ("given_name", &p.given_name),
        ("family_name", &p.family_name),
        ("date_of_birth_day", &p.date_of_birth.day),
        ("date_of_birth_month", &p.date_of_birth.month),
        ("date_of_birth_year", &p.date_of_birth.year),
        ("nhs_number", &p.nhs_number),
        ("sex", &p.sex),
        ("ethnicity", &p.ethnicity),
        ("preferred_language", &p.preferred_language),
        ("phone", &p.phone),
        ("email", &p.email),
        ("address_line1", &p.address_line1),
        ("address_line2", &p.address_line2),
        ("town", &p.town),
        ("postcode", &p.postcode),
        ("preferred_contact", &p.preferred_contact),
    ];
    values.extend(person.iter().map(|(k, v)| ((*k).to_owned(), (*v).clone())));
    if let Some(c) = &data.intake.carer {
        let carer = [
            ("carer_name", &c.carer_name),
            ("carer_relationship", &c.carer_relationship),
            ("carer_phone", &c.carer_phone),
            ("carer_email", &c.carer_email),
            ("carer_consent", &c.carer_consent),
        ];
        values.extend(carer.iter().map(|(k, v)| ((*k).to_owned(), (*v).clone())));
    }
    if let Some(other) = data.for_someone_else {
        values.insert(
            "for_someone_else".into(),
            if other { "yes" } else { "no" }.into(),
        );
    }
    values
}

#[derive(Template)]
#[template(path = "refer/step.html")]
struct StepPage {
    page: PageContext,
    form: FormState,
    slug: String,
    kind: &'static str,
    heading: Text,
    number: usize,
    total: usize,
    back: String,
    questions: Option<StepView>,
    choices: PersonChoices,
    returning: bool,
}

fn step_page(
    ctx: &Ctx,
    draft: &Draft,
    step: &Step,
    form: FormState,
    errors: Option<&ValidationErrors>,
    returning: bool,
) -> StepPage {
    let mut page = PageContext::new(ctx, "refer-title");
    let questionnaire = &ctx.app().content().questionnaire;
    let (kind, heading, questions) = match step {
        Step::Questions(id) => {
            let earlier = answers_before(questionnaire, &draft.data.intake.answers, Some(id));
            let view = questionnaire
                .step(id)
                .map(|s| step_view(&page, s, Some(&earlier)));
            let heading = view.as_ref().map(|v| v.title.clone()).unwrap_or_default();
            ("questions", heading, view)
        }
        other => {
            let slug = other.slug();
            (
                match other {
                    Step::Who => "who",
                    Step::Carer => "carer",
                    Step::About => "about",
                    _ => "contact",
                },
                page.t(&step_heading(slug, draft.data.for_someone_else)),
                None,
            )
        }
    };
    page.title = format!("{} – {}", heading.as_str(), page.title);
    let form = match errors {
        Some(errors) => {
            page.title_with_errors();
            with_question_errors(form, errors, &page, questionnaire)
        }
        None => form,
    };
    let position = draft.steps.iter().position(|s| s == step).unwrap_or(0);
    let back = match position.checked_sub(1).and_then(|i| draft.steps.get(i)) {
        Some(previous) if !returning => step_href(previous),
        _ if returning => "/refer/check".to_owned(),
        _ => "/refer".to_owned(),
    };
    StepPage {
        choices: PersonChoices::new(&page),
        form,
        slug: step.slug().to_owned(),
        kind,
        heading,
        number: position + 1,
        total: draft.steps.len(),
        back,
        questions,
        returning,
        page,
    }
}

/// `?return=check` when changing an answer from "check your answers".
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StepQuery {
    #[serde(default, rename = "return")]
    back_to: String,
}

/// `GET /refer/step/{slug}`
pub(crate) async fn show(
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Query(query): Query<StepQuery>,
) -> Result<Response, WebError> {
    let Some((_, draft)) = current_draft(&ctx, &headers).await? else {
        return Ok(Redirect::to("/refer").into_response());
    };
    let step = draft.step(&slug).ok_or(AppError::NotFound)?;
    if step == Step::Check {
        return Ok(Redirect::to("/refer/check").into_response());
    }
    if !draft.may_show(&step) {
        return Ok(Redirect::to(&step_href(&draft.next_step())).into_response());
    }
    let form = FormState::from_map(draft_values(&draft.data));
    let returning = query.back_to == "check";
    Ok(render_page(&step_page(
        &ctx, &draft, &step, form, None, returning,
    )))
}

/// `POST /refer/step/{slug}`
pub(crate) async fn save(
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
    VerifiedForm(form): VerifiedForm<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let secure = ctx.state.config.secure_cookies;
    let Some((token, draft)) = current_draft(&ctx, &headers).await? else {
        return Ok(Redirect::to("/refer").into_response());
    };
    let returning = form.get("return").is_some_and(|r| r == "check");
    let later = form.get("action").is_some_and(|a| a == "save");
    match ctx
        .app()
        .save_referral_step(ctx.principal(), &token, &slug, &form)
        .await
    {
        Ok(StepSaved::Next(next)) => {
            let to = if later {
                "/refer/save".to_owned()
            } else if returning && next == Step::Check {
                "/refer/check".to_owned()
            } else {
                step_href(&next)
            };
            Ok(Redirect::to(&to).into_response())
        }
        Ok(StepSaved::Sent(receipt)) => Ok(see_other(
            "/refer/submitted",
            &[receipt_cookie(&ctx, &receipt)?, Jar::Draft.clear(secure)],
        )),
        Err(AppError::Invalid(errors)) => {
            let step = draft.step(&slug).ok_or(AppError::NotFound)?;
            let mut values = draft_values(&draft.data);
            values.extend(form);
            let page = step_page(
                &ctx,
                &draft,
                &step,
                FormState::from_map(values),
                Some(&errors),
                returning,
            );
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(AppError::Conflict("earlier_step")) => {
            Ok(Redirect::to(&step_href(&draft.next_step())).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// One answer on "check your answers".
pub(crate) struct SummaryRow {
    pub(crate) key: Text,
    pub(crate) value: Text,
    pub(crate) change: String,
}

/// A section of "check your answers".
pub(crate) struct SummarySection {
    pub(crate) heading: Text,
    pub(crate) rows: Vec<SummaryRow>,
}

fn person_rows(page: &PageContext, data: &DraftData) -> Vec<SummarySection> {
    let p = &data.intake.person;
    let not_given = || page.t("not-given");
    let text = |v: &str| {
        if v.trim().is_empty() {
            not_given()
        } else {
            Text::plain(v.trim())
        }
    };
    let coded = |prefix: &str, v: &str| {
        if v.trim().is_empty() {
            not_given()
        } else {
            label(page, prefix, v.trim())
        }
    };
    let row = |key: &str, value: Text, slug: &str, field: &str| SummaryRow {
        key: page.t(key),
        value,
        change: format!("/refer/step/{slug}?return=check#{field}"),
    };
    let mut sections = vec![SummarySection {
        heading: page.t("refer-step-who"),
        rows: vec![row(
            "check-for-someone-else",
            page.t(if data.for_someone_else == Some(true) {
                "answer-yes"
            } else {
                "answer-no"
            }),
            "who",
            "for_someone_else",
        )],
    }];
    if let Some(c) = &data.intake.carer {
        sections.push(SummarySection {
            heading: page.t("refer-step-carer"),
            rows: vec![
                row(
                    "field-carer-name",
                    text(&c.carer_name),
                    "carer",
                    "carer_name",
                ),
                row(
                    "field-carer-relationship",
                    coded("relationship", &c.carer_relationship),
                    "carer",
                    "carer_relationship",
                ),
                row(
                    "field-carer-phone",
                    text(&c.carer_phone),
                    "carer",
                    "carer_phone",
                ),
                row(
                    "field-carer-email",
                    text(&c.carer_email),
                    "carer",
                    "carer_email",
                ),
            ],
        });
    }
    let born = &p.date_of_birth;
    sections.push(SummarySection {
        heading: page.t(&step_heading("about", data.for_someone_else)),
        rows: vec![
            row(
                "label-name",
                Text::plain(format!("{} {}", p.given_name.trim(), p.family_name.trim())),
                "about",
                "given_name",
            ),
            row(
                "label-date-of-birth",
                Text::plain(format!("{} / {} / {}", born.day, born.month, born.year)),
                "about",
                "date_of_birth-day",
            ),
            row(
                "label-nhs-number",
                text(&p.nhs_number),
                "about",
                "nhs_number",
            ),
            row("label-sex", coded("sex", &p.sex), "about", "sex"),
            row(
                "label-ethnicity",
                coded("ethnicity", &p.ethnicity),
                "about",
                "ethnicity",
            ),
        ],
    });
    sections.push(SummarySection {
        heading: page.t(&step_heading("contact", data.for_someone_else)),
        rows: vec![
            row("label-postcode", text(&p.postcode), "contact", "postcode"),
            row("label-phone", text(&p.phone), "contact", "phone"),
            row("label-email", text(&p.email), "contact", "email"),
            row(
                "label-address",
                text(
                    &[
                        p.address_line1.trim(),
                        p.address_line2.trim(),
                        p.town.trim(),
                    ]
                    .iter()
                    .filter(|l| !l.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
                ),
                "contact",
                "address_line1",
            ),
            row(
                "label-preferred-contact",
                coded("contact", &p.preferred_contact),
                "contact",
                "preferred_contact",
            ),
            row(
                "label-language",
                coded(
                    "language",
                    if p.preferred_language.is_empty() {
                        "en"
                    } else {
                        &p.preferred_language
                    },
                ),
                "contact",
                "preferred_language",
            ),
        ],
    });
    sections
}

#[derive(Template)]
#[template(path = "refer/check.html")]
struct CheckPage {
    page: PageContext,
    form: FormState,
    sections: Vec<SummarySection>,
}

fn check_page(ctx: &Ctx, draft: &Draft, errors: Option<&ValidationErrors>) -> CheckPage {
    let mut page = PageContext::new(ctx, "check-title");
    let questionnaire = &ctx.app().content().questionnaire;
    let mut sections = person_rows(&page, &draft.data);
    let answers = &draft.data.intake.answers;
    let known = answers_before(questionnaire, answers, None);
    for step in &questionnaire.steps {
        let rows = step
            .items
            .iter()
            .filter(|i| is_enabled(i, &known))
            .map(|item| SummaryRow {
                key: question_label(&page, item),
                value: answers
                    .get(&item.link_id)
                    .map_or_else(|| page.t("not-given"), |v| answer_words(&page, item, v)),
                change: format!("/refer/step/{}?return=check#{}", step.link_id, item.link_id),
            })
            .collect();
        sections.push(SummarySection {
            heading: page.t_or(&format!("qs-{}", step.link_id), &step.text),
            rows,
        });
    }
    let mut form = FormState::default();
    if let Some(errors) = errors {
        page.title_with_errors();
        form = with_question_errors(form, errors, &page, questionnaire);
        // Each problem links to the step where it can be put right.
        form.link_problems(|field| {
            let slug = questionnaire
                .steps
                .iter()
                .find(|s| s.items.iter().any(|i| i.link_id == field))
                .map(|s| s.link_id.clone())
                .unwrap_or_else(|| {
                    if ABOUT_FIELDS.contains(&field) {
                        "about".into()
                    } else if CARER_FIELDS.contains(&field) {
                        "carer".into()
                    } else {
                        "contact".into()
                    }
                });
            format!("/refer/step/{slug}?return=check#{field}")
        });
    }
    CheckPage {
        page,
        form,
        sections,
    }
}

/// `GET /refer/check`
pub(crate) async fn check(ctx: Ctx, headers: HeaderMap) -> Result<Response, WebError> {
    let Some((_, draft)) = current_draft(&ctx, &headers).await? else {
        return Ok(Redirect::to("/refer").into_response());
    };
    if draft.next_step() != Step::Check {
        return Ok(Redirect::to(&step_href(&draft.next_step())).into_response());
    }
    Ok(render_page(&check_page(&ctx, &draft, None)))
}

/// `POST /refer/send`
pub(crate) async fn send(
    ctx: Ctx,
    headers: HeaderMap,
    VerifiedForm(_): VerifiedForm<super::Empty>,
) -> Result<Response, WebError> {
    let secure = ctx.state.config.secure_cookies;
    let Some((token, draft)) = current_draft(&ctx, &headers).await? else {
        return Ok(Redirect::to("/refer").into_response());
    };
    match ctx.app().send_referral(ctx.principal(), &token).await {
        Ok(receipt) => Ok(see_other(
            "/refer/submitted",
            &[receipt_cookie(&ctx, &receipt)?, Jar::Draft.clear(secure)],
        )),
        Err(AppError::Invalid(errors)) => {
            let mut response = render_page(&check_page(&ctx, &draft, Some(&errors)));
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(AppError::Conflict("earlier_step")) => {
            Ok(Redirect::to(&step_href(&draft.next_step())).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The heading of the step `slug`: "about you" when the person refers themselves.
fn step_heading(slug: &str, for_someone_else: Option<bool>) -> String {
    match (slug, for_someone_else) {
        ("about" | "contact", Some(false)) => format!("refer-step-{slug}-self"),
        _ => format!("refer-step-{slug}"),
    }
}
