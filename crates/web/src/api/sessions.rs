//! API sessions: sign-in codes for patients, passwords for staff, bearer tokens back.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jointly_app::{AppError, NewSession, SignInRequest};
use jointly_domain::intake::DateParts;
use serde::{Deserialize, Serialize};

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::middleware::Limit;

/// A patient's details, and their code when signing in.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PatientSignIn {
    contact: String,
    date_of_birth: String,
    code: String,
}

impl PatientSignIn {
    fn request(&self) -> SignInRequest {
        SignInRequest {
            contact: self.contact.clone(),
            date_of_birth: DateParts::from_iso(&self.date_of_birth),
        }
    }
}

/// A member of staff's credentials.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct StaffSignIn {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct Token {
    token: String,
    token_type: &'static str,
    role: &'static str,
    expires_at: String,
}

#[derive(Serialize)]
struct Accepted {
    message: &'static str,
}

fn token(session: NewSession) -> Response {
    json(
        StatusCode::CREATED,
        &Token {
            token: session.token,
            token_type: "Bearer",
            role: session.role.as_str(),
            expires_at: session.expires_at.to_string(),
        },
    )
}

/// `POST /api/v1/sessions/code`: sends a code if the details match; the answer is the same
/// either way.
pub(crate) async fn request_code(
    ctx: Ctx,
    ApiJson(body): ApiJson<PatientSignIn>,
) -> Result<Response, WebError> {
    if !ctx
        .state
        .limiter
        .allow(ctx.request.client, Limit::CodeRequest)
    {
        return Err(AppError::TooManyAttempts.into());
    }
    ctx.app().request_sign_in_code(&body.request()).await?;
    Ok(json(
        StatusCode::ACCEPTED,
        &Accepted {
            message: "If the details match a patient, a code has been sent.",
        },
    ))
}

/// `POST /api/v1/sessions/patient`
pub(crate) async fn patient(
    ctx: Ctx,
    ApiJson(body): ApiJson<PatientSignIn>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    Ok(token(
        ctx.app()
            .sign_in_with_code(&body.request(), &body.code)
            .await?,
    ))
}

/// `POST /api/v1/sessions/staff`
pub(crate) async fn staff(
    ctx: Ctx,
    ApiJson(body): ApiJson<StaffSignIn>,
) -> Result<Response, WebError> {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return Err(AppError::TooManyAttempts.into());
    }
    Ok(token(
        ctx.app().staff_sign_in(&body.email, &body.password).await?,
    ))
}

/// `DELETE /api/v1/sessions/current`
pub(crate) async fn end(ctx: Ctx) -> Result<Response, WebError> {
    if ctx.principal().session().is_none() {
        return Err(AppError::NotSignedIn.into());
    }
    ctx.app().sign_out(ctx.principal()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
