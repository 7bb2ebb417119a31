//! One long form for referrals made on someone's behalf: a professional's web form and staff
//! taking a referral by phone. The same questions as the online steps, on one page; a script
//! hides the questions that do not apply, and without it the server ignores their answers.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{AppError, Intake, IntakeRoute, carer_from_form, person_from_form};
use jointly_domain::intake::ProfessionalAnswers;

use crate::context::Ctx;
use crate::error::WebError;
use crate::form::FormState;
use crate::middleware::Limit;
use crate::pages::PersonChoices;
use crate::pages::refer::receipt::receipt_cookie;
use crate::pages::refer::see_other;
use crate::questions::{StepView, all_steps, with_question_errors};
use crate::render::{PageContext, render_page};

/// Which long form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LongForm {
    /// A professional refers, with their organisation code.
    Professional,
    /// Staff answer with the person on the phone.
    Phone,
}

impl LongForm {
    fn action(self) -> &'static str {
        match self {
            Self::Professional => "/refer/professional",
            Self::Phone => "/staff/refer",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Professional => "professional-title",
            Self::Phone => "phone-title",
        }
    }
}

#[derive(Template)]
#[template(path = "refer/long_form.html")]
struct LongFormPage {
    page: PageContext,
    form: FormState,
    professional: bool,
    action: &'static str,
    choices: PersonChoices,
    steps: Vec<StepView>,
}

fn long_form_page(ctx: &Ctx, kind: LongForm, form: FormState) -> LongFormPage {
    let page = PageContext::new(ctx, kind.title());
    LongFormPage {
        choices: PersonChoices::new(&page),
        steps: all_steps(&page, &ctx.app().content().questionnaire),
        professional: kind == LongForm::Professional,
        action: kind.action(),
        form,
        page,
    }
}

/// The form, empty.
pub(crate) fn show(ctx: &Ctx, kind: LongForm) -> Response {
    let form = FormState::with_values([(
        "preferred_language",
        ctx.request.locale.language().to_owned(),
    )]);
    render_page(&long_form_page(ctx, kind, form))
}

fn value(form: &BTreeMap<String, String>, field: &str) -> String {
    form.get(field).cloned().unwrap_or_default()
}

/// The referral a long form describes.
fn intake_from(ctx: &Ctx, kind: LongForm, form: &BTreeMap<String, String>) -> Intake {
    let questionnaire = &ctx.app().content().questionnaire;
    let answers = form
        .iter()
        .filter(|(k, v)| questionnaire.item(k).is_some() && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let carer = (kind == LongForm::Phone && value(form, "for_someone_else") == "yes")
        .then(|| carer_from_form(form));
    let professional = (kind == LongForm::Professional).then(|| ProfessionalAnswers {
        ods_code: value(form, "ods_code"),
        referrer_name: value(form, "referrer_name"),
        referrer_role: value(form, "referrer_role"),
        referrer_phone: value(form, "referrer_phone"),
        referrer_email: value(form, "referrer_email"),
    });
    Intake {
        person: person_from_form(form),
        carer,
        professional,
        answers,
        // The questionnaire asks about communication in the person's words; staff code it.
        communication: None,
    }
}

/// Sends the referral a long form describes, or shows the form again with every problem.
pub(crate) async fn submit(
    ctx: &Ctx,
    kind: LongForm,
    form: BTreeMap<String, String>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::Referral) {
        return Err(AppError::TooManyAttempts.into());
    }
    let route = match kind {
        LongForm::Professional => IntakeRoute::ProfessionalForm,
        LongForm::Phone => IntakeRoute::Phone,
    };
    let intake = intake_from(ctx, kind, &form);
    match ctx
        .app()
        .submit_intake(ctx.principal(), route, &intake)
        .await
    {
        Ok(receipt) => Ok(see_other(
            "/refer/submitted",
            &[receipt_cookie(ctx, &receipt)?],
        )),
        Err(AppError::Invalid(errors)) => {
            let mut page = long_form_page(ctx, kind, FormState::default());
            page.form = with_question_errors(
                FormState::from_map(form),
                &errors,
                &page.page,
                &ctx.app().content().questionnaire,
            );
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
