//! Coming back to a saved referral: "save and come back later" shows a new link and code;
//! either opens the draft again, with the date of birth once one was given.

use askama::Template;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::AppError;
use jointly_domain::intake::DateParts;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::middleware::Limit;
use crate::pages::refer::step::step_href;
use crate::pages::refer::{current_draft, draft_cookie, see_other};
use crate::render::{PageContext, render_page};

#[derive(Template)]
#[template(path = "refer/saved.html")]
struct SavedPage {
    page: PageContext,
    code: String,
    link: String,
    expires: Timestamp,
    carry_on: String,
}

/// `GET /refer/save`: a new link and code for the draft in this browser, shown once.
pub(crate) async fn save(ctx: Ctx, headers: HeaderMap) -> Result<Response, WebError> {
    let Some((token, draft)) = current_draft(&ctx, &headers).await? else {
        return Ok(Redirect::to("/refer").into_response());
    };
    let ticket = ctx.app().save_for_later(&token).await?;
    let code = format!("{}-{}", &ticket.code[..4], &ticket.code[4..]);
    let link = format!(
        "{}/refer/resume/{}",
        ctx.state.config.public_url, ticket.token
    );
    let page = SavedPage {
        page: PageContext::new(&ctx, "saved-title"),
        code,
        link,
        expires: draft.expires_at,
        carry_on: step_href(&draft.next_step()),
    };
    let mut response = render_page(&page);
    if let Ok(cookie) = draft_cookie(&ctx, &ticket.token).parse() {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, cookie);
    }
    // The page shows secrets: never keep it in a cache.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "refer/resume.html")]
struct ResumePage {
    page: PageContext,
    form: FormState,
    /// Posting to a link (date of birth only) rather than with a code.
    action: String,
    with_code: bool,
}

fn resume_page(ctx: &Ctx, action: String, with_code: bool, form: FormState) -> ResumePage {
    ResumePage {
        page: PageContext::new(ctx, "resume-title"),
        form,
        action,
        with_code,
    }
}

/// `GET /refer/resume`
pub(crate) async fn form(ctx: Ctx) -> Response {
    render_page(&resume_page(
        &ctx,
        "/refer/resume".into(),
        true,
        FormState::default(),
    ))
}

/// The resume form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResumeForm {
    code: String,
    date_of_birth_day: String,
    date_of_birth_month: String,
    date_of_birth_year: String,
}

impl ResumeForm {
    fn born(&self) -> DateParts {
        DateParts {
            day: self.date_of_birth_day.clone(),
            month: self.date_of_birth_month.clone(),
            year: self.date_of_birth_year.clone(),
        }
    }

    fn values(&self) -> FormState {
        FormState::with_values([
            ("code", self.code.clone()),
            ("date_of_birth_day", self.date_of_birth_day.clone()),
            ("date_of_birth_month", self.date_of_birth_month.clone()),
            ("date_of_birth_year", self.date_of_birth_year.clone()),
        ])
    }
}

async fn opened(
    ctx: &Ctx,
    result: Result<String, AppError>,
    action: String,
    with_code: bool,
    form: &ResumeForm,
) -> Result<Response, WebError> {
    match result {
        Ok(token) => {
            let draft = ctx.app().referral_draft(&token).await?;
            Ok(see_other(
                &step_href(&draft.next_step()),
                &[draft_cookie(ctx, &token)],
            ))
        }
        Err(AppError::SignInFailed | AppError::Invalid(_)) => {
            let mut page = resume_page(ctx, action, with_code, FormState::default());
            page.form = form.values().with_problem(
                if with_code {
                    "code"
                } else {
                    "date_of_birth-day"
                },
                page.page.t("resume-wrong"),
            );
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /refer/resume`
pub(crate) async fn with_code(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<ResumeForm>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    let result = ctx.app().resume_referral(&form.code, &form.born()).await;
    opened(&ctx, result, "/refer/resume".into(), true, &form).await
}

/// `GET /refer/resume/{token}`: the saved link. With no date of birth to check it opens at
/// once; otherwise it asks for it.
pub(crate) async fn link(
    ctx: Ctx,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let action = format!("/refer/resume/{token}");
    match ctx.app().referral_draft(&token).await {
        Ok(draft) if ctx.app().birth_date_matches(&draft, &DateParts::default()) => {
            let result = ctx
                .app()
                .resume_by_link(&token, &DateParts::default())
                .await;
            opened(&ctx, result, action, false, &ResumeForm::default()).await
        }
        Ok(_) => Ok(render_page(&resume_page(
            &ctx,
            action,
            false,
            FormState::default(),
        ))),
        Err(AppError::NotFound) => {
            // An old link: perhaps this browser already carries on with the draft.
            match current_draft(&ctx, &headers).await? {
                Some((_, draft)) => {
                    Ok(Redirect::to(&step_href(&draft.next_step())).into_response())
                }
                None => Err(AppError::NotFound.into()),
            }
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /refer/resume/{token}`
pub(crate) async fn link_with_birth_date(
    ctx: Ctx,
    Path(token): Path<String>,
    VerifiedForm(form): VerifiedForm<ResumeForm>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    let result = ctx.app().resume_by_link(&token, &form.born()).await;
    opened(&ctx, result, format!("/refer/resume/{token}"), false, &form).await
}
