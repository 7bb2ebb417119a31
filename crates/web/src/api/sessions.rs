//! API sessions: sign-in codes for patients, passwords for staff, bearer tokens back.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jointly_app::{AppError, NewSession, SignInRequest};
use jointly_domain::intake::DateParts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::error::WebError;
use crate::middleware::Limit;

/// A patient's details, and their code when signing in.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PatientSignIn {
    /// The mobile number or email address the service holds for them.
    contact: String,
    /// Their date of birth, `YYYY-MM-DD`.
    date_of_birth: String,
    /// The code sent to them (only when signing in, not when asking for a code).
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
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct StaffSignIn {
    /// Their work email address.
    email: String,
    /// Their password.
    password: String,
}

/// A session: send the token as `Authorization: Bearer {token}`.
#[derive(Serialize, ToSchema)]
struct Token {
    token: String,
    /// Always `Bearer`.
    token_type: &'static str,
    /// `patient`, or the member of staff's role.
    role: &'static str,
    /// When the session ends (RFC 3339).
    expires_at: String,
}

/// The same answer whether or not the details matched anyone.
#[derive(Serialize, ToSchema)]
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

/// Asks for a sign-in code.
///
/// Sends a code to the patient's contact if the details match; the answer is the same either
/// way, so it does not tell whether someone is known.
#[utoipa::path(post, path = "/api/v1/sessions/code", tag = "sessions",
    request_body = PatientSignIn,
    responses((status = 202, description = "A code was sent if the details matched", body = Accepted)))]
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

/// Signs a patient in with the code sent to them.
#[utoipa::path(post, path = "/api/v1/sessions/patient", tag = "sessions",
    request_body = PatientSignIn,
    responses((status = 201, description = "Signed in", body = Token)))]
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

/// Signs a member of staff in with their password.
#[utoipa::path(post, path = "/api/v1/sessions/staff", tag = "sessions",
    request_body = StaffSignIn,
    responses((status = 201, description = "Signed in", body = Token)))]
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

/// Signs out: the token stops working at once.
#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "sessions",
    responses((status = 204, description = "Signed out")))]
pub(crate) async fn end(ctx: Ctx) -> Result<Response, WebError> {
    if ctx.principal().session().is_none() {
        return Err(AppError::NotSignedIn.into());
    }
    ctx.app().sign_out(ctx.principal()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
