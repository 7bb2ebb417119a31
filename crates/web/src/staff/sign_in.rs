//! Staff sign-in with email and password.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::AppError;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::middleware::Limit;
use crate::pages::sign_in::start_session;
use crate::render::{PageContext, render_page};

/// The staff sign-in form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct StaffSignInForm {
    email: String,
    password: String,
}

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct StaffSignInPage {
    page: PageContext,
    form: FormState,
}

/// `GET /staff/sign-in`
pub(crate) async fn form(ctx: Ctx) -> Response {
    render_page(&StaffSignInPage {
        page: PageContext::new(&ctx, "staff-sign-in-title"),
        form: FormState::default(),
    })
}

/// `POST /staff/sign-in`
pub(crate) async fn submit(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<StaffSignInForm>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    let mut page = PageContext::new(&ctx, "staff-sign-in-title");
    // The password is never shown back.
    let values = FormState::with_values([("email", form.email.clone())]);
    let state = match ctx.app().staff_sign_in(&form.email, &form.password).await {
        Ok(session) => {
            return Ok(start_session(&ctx, &session, "/staff"));
        }
        Err(AppError::Invalid(errors)) => values.with_errors(&errors, &page),
        Err(AppError::SignInFailed) => values.with_problem("email", page.t("staff-sign-in-wrong")),
        Err(AppError::TooManyAttempts) => {
            values.with_problem("email", page.t("staff-sign-in-locked"))
        }
        Err(other) => return Err(other.into()),
    };
    page.title_with_errors();
    let mut response = render_page(&StaffSignInPage { page, form: state });
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
