//! What anyone may ask without a token: the CapabilityStatement, the intake Questionnaire,
//! and the token endpoint itself (OAuth 2.0 client credentials, RFC 6749 §4.4).

use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::response::{IntoResponse, Response};
use jointly_app::TokenRefusal;
use serde::Deserialize;
use serde_json::json;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{base, resource};
use crate::middleware::Limit;

/// `GET /fhir/metadata`.
pub(crate) async fn capability(ctx: Ctx) -> Response {
    let date = jointly_domain::local_date(ctx.app().clock().now()).to_string();
    resource(
        StatusCode::OK,
        &jointly_fhir::capability::statement(&base(&ctx.state), env!("CARGO_PKG_VERSION"), &date),
        None,
        None,
    )
}

/// `GET /fhir/Questionnaire/{id}`: the intake questions, exactly as the front door asks them.
pub(crate) async fn questionnaire(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let content = ctx.app().content();
    let url = &content.questionnaire.url;
    if url.rsplit('/').next() != Some(id.as_str()) {
        return Err(jointly_app::AppError::NotFound.into());
    }
    let mut json = (*content.questionnaire_resource).clone();
    if let Some(object) = json.as_object_mut() {
        object.insert("id".into(), id.into());
        object.insert(
            "meta".into(),
            json!({"profile": [jointly_fhir::profile::QUESTIONNAIRE]}),
        );
    }
    Ok(resource(StatusCode::OK, &json, None, None))
}

/// The token request's form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TokenRequest {
    grant_type: String,
    client_id: String,
    client_secret: String,
    scope: Option<String>,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "no-store"),
            (PRAGMA, "no-cache"),
        ],
        json!({"error": error, "error_description": description}).to_string(),
    )
        .into_response()
}

/// `POST /fhir/token`: an access token for a connected system.
pub(crate) async fn token(
    ctx: Ctx,
    form: Result<Form<TokenRequest>, axum::extract::rejection::FormRejection>,
) -> Response {
    if !ctx.state.limiter.allow(ctx.request.client, Limit::SignIn) {
        return oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "slow_down",
            "too many token requests from this address; wait a minute",
        );
    }
    let Ok(Form(form)) = form else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send grant_type, client_id and client_secret as application/x-www-form-urlencoded",
        );
    };
    if form.grant_type != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only grant_type=client_credentials is supported",
        );
    }
    match ctx
        .app()
        .system_token(&form.client_id, &form.client_secret, form.scope.as_deref())
        .await
    {
        Ok(token) => (
            StatusCode::OK,
            [
                (CONTENT_TYPE, "application/json"),
                (CACHE_CONTROL, "no-store"),
                (PRAGMA, "no-cache"),
            ],
            json!({
                "access_token": token.access_token,
                "token_type": "bearer",
                "expires_in": token.expires_in,
                "scope": token.scopes.to_string(),
            })
            .to_string(),
        )
            .into_response(),
        Err(TokenRefusal::InvalidClient) => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_id must be the organisation's ODS code and client_secret its current API key",
        ),
        Err(TokenRefusal::InvalidScope) => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "ask for scopes such as system/Patient.read that this organisation has been granted",
        ),
    }
}
