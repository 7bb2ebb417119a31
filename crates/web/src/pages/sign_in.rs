//! Patient sign-in with a one-time code, and signing out (patients and staff).

use askama::Template;
use axum::http::StatusCode;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use jointly_app::{AppError, NewSession, SignInRequest};
use jointly_domain::intake::DateParts;
use serde::Deserialize;

use crate::context::Ctx;
use crate::cookies::Jar;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::middleware::Limit;
use crate::render::{PageContext, render_page};

/// The sign-in form (and the code form, which carries the same details).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SignInForm {
    contact: String,
    date_of_birth_day: String,
    date_of_birth_month: String,
    date_of_birth_year: String,
    code: String,
}

impl SignInForm {
    fn request(&self) -> SignInRequest {
        SignInRequest {
            contact: self.contact.clone(),
            date_of_birth: DateParts {
                day: self.date_of_birth_day.clone(),
                month: self.date_of_birth_month.clone(),
                year: self.date_of_birth_year.clone(),
            },
        }
    }

    fn values(&self) -> FormState {
        FormState::with_values([
            ("contact", self.contact.clone()),
            ("date_of_birth_day", self.date_of_birth_day.clone()),
            ("date_of_birth_month", self.date_of_birth_month.clone()),
            ("date_of_birth_year", self.date_of_birth_year.clone()),
        ])
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    page: PageContext,
    form: FormState,
}

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    page: PageContext,
    form: FormState,
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

fn titled_with_errors(mut page: PageContext) -> PageContext {
    page.title_with_errors();
    page
}

/// `GET /sign-in`
pub(crate) async fn form(ctx: Ctx) -> Response {
    render_page(&SignInPage {
        page: PageContext::new(&ctx, "sign-in-title"),
        form: FormState::default(),
    })
}

/// `POST /sign-in`: sends a code if the details match, and asks for it either way.
pub(crate) async fn request_code(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<SignInForm>,
) -> Result<Response, WebError> {
    if !ctx
        .state
        .limiter
        .allow(ctx.request.client, Limit::CodeRequest)
    {
        return Err(AppError::TooManyAttempts.into());
    }
    match ctx.app().request_sign_in_code(&form.request()).await {
        Ok(()) => Ok(render_page(&CodePage {
            page: PageContext::new(&ctx, "code-title"),
            form: form.values(),
        })),
        Err(AppError::Invalid(errors)) => {
            let page = titled_with_errors(PageContext::new(&ctx, "sign-in-title"));
            let form = form.values().with_errors(&errors, &page);
            Ok(with_status(
                render_page(&SignInPage { page, form }),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /sign-in/code`: signs in with the code and goes to the portal.
pub(crate) async fn verify(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<SignInForm>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    let result = ctx
        .app()
        .sign_in_with_code(&form.request(), &form.code)
        .await;
    let problem = match result {
        Ok(session) => {
            return Ok(start_session(&ctx, &session, "/portal"));
        }
        Err(AppError::Invalid(errors)) => Err(errors),
        Err(AppError::SignInFailed) => Ok("code-wrong"),
        Err(AppError::TooManyAttempts) => Ok("code-too-many"),
        Err(other) => return Err(other.into()),
    };
    let page = titled_with_errors(PageContext::new(&ctx, "code-title"));
    let state = form.values();
    let state = match problem {
        Err(errors) => state.with_errors(&errors, &page),
        Ok(message) => state.with_problem("code", page.t(message)),
    };
    Ok(with_status(
        render_page(&CodePage { page, form: state }),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// Sets the session cookie for a session just started and goes to `to`.
pub(crate) fn start_session(ctx: &Ctx, session: &NewSession, to: &str) -> Response {
    let seconds = ctx.app().settings().session_idle.as_secs();
    let cookie = Jar::Session.set(
        &session.token,
        Some(seconds),
        ctx.state.config.secure_cookies,
    );
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, to.to_owned()), (SET_COOKIE, cookie)],
    )
        .into_response()
}

/// `POST /sign-out`: ends the session, whoever's it is, and clears the cookie.
pub(crate) async fn sign_out(
    ctx: Ctx,
    VerifiedForm(_): VerifiedForm<SignOutForm>,
) -> Result<Response, WebError> {
    let was_staff = matches!(ctx.principal(), jointly_app::Principal::Staff { .. });
    ctx.app().sign_out(ctx.principal()).await?;
    let cookie = Jar::Session.clear(ctx.state.config.secure_cookies);
    let to = if was_staff { "/staff/sign-in" } else { "/" };
    Ok((
        StatusCode::SEE_OTHER,
        [(LOCATION, to.to_owned()), (SET_COOKIE, cookie)],
    )
        .into_response())
}

/// The sign-out form carries only its token.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SignOutForm {}
