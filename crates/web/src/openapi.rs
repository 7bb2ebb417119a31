//! The JSON API's OpenAPI document. Each JSON route is entered in the route table through its
//! handler's own description (`#[utoipa::path]` beside the handler, `ToSchema` on the types it
//! takes and gives), so the document is built from the code that serves the requests: a JSON
//! route cannot be served undescribed. Who may call each route comes from the same table, so
//! the document's security and its refusals cannot disagree with the guard.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use jointly_domain::access::{Permission, Role};
use serde::Serialize;
use utoipa::openapi::path::{Operation, Paths};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Schema,
};
use utoipa::{PartialSchema, ToSchema};

use crate::routes::{Access, RouteInfo};

/// One route's description, as its handler declares it (what `utoipa_axum::routes!` yields
/// beside the handler itself).
pub(crate) struct Described {
    /// The schemas of the types the route takes and gives.
    pub(crate) schemas: Vec<(String, RefOr<Schema>)>,
    /// The route's path and operation.
    pub(crate) paths: Paths,
}

/// The groups operations are listed under, with what each is for. Every operation names one.
pub(crate) const TAGS: [(&str, &str); 14] = [
    (
        "sessions",
        "Signing in and out: bearer tokens for patients and staff.",
    ),
    (
        "referrals",
        "The front door: referrals from the person, by phone or from a professional's system.",
    ),
    (
        "triage",
        "The triage queue, a referral's detail and accepting it into a service.",
    ),
    (
        "booking",
        "A patient's referrals, the slots offered to them, booking, changing and cancelling.",
    ),
    (
        "clinics",
        "Clinic lists, outcomes, running late, classes and rotas.",
    ),
    (
        "passport",
        "The passport that follows the person: about me, goals, notes and treatment plans.",
    ),
    (
        "communication",
        "Communication needs, the inbox, call tasks and the message outbox.",
    ),
    (
        "conversations",
        "Secure conversations between a patient and their care team.",
    ),
    (
        "self-management",
        "Outcome measures and exercise programmes.",
    ),
    (
        "clinical",
        "Multidisciplinary team outcomes, surgery decisions, signposting, onward referrals and discharge.",
    ),
    ("waiting", "Waiting lists and published waiting times."),
    (
        "feedback",
        "Feedback, concerns and what changed because of them.",
    ),
    (
        "services",
        "The service directory and each service's rules.",
    ),
    ("documentation", "This description of the API."),
];

/// The problem document (RFC 9457) every refusal carries.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)] // Describes what `error::render_errors` writes; never built here.
pub(crate) struct Problem {
    /// `/problems/{code}`.
    #[serde(rename = "type")]
    kind: String,
    /// What went wrong, in the caller's language.
    title: String,
    /// The HTTP status.
    status: u16,
    /// A stable code to act on, for example `invalid_input` or `slot_taken`.
    code: String,
    /// More about what went wrong, when there is more.
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// Each field that is wrong, when the request named several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField>,
}

/// One wrong field in a request.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ProblemField {
    /// The field, as named in the request.
    field: String,
    /// A stable code for what is wrong with it, for example `required` or `too_long`.
    code: String,
    /// What is wrong, in the caller's language.
    message: String,
}

/// How each operation's description says who may call it.
pub(crate) const WHO_MAY_CALL: &str = "**Who may call:**";

/// The media type of every refusal.
const PROBLEM_JSON: &str = "application/problem+json";

const SESSION: &str = "session";
const ORGANISATION_KEY: &str = "organisation_key";
const PROVIDER_TOKEN: &str = "provider_token";

/// Builds the document from the described routes of the route table, with the names of any
/// schemas that two different types share (a test keeps that list empty: the document can
/// hold only one of them).
pub(crate) fn document(routes: Vec<(RouteInfo, Described)>) -> (OpenApi, Vec<String>) {
    let mut paths = Paths::new();
    let mut schemas = BTreeMap::from([
        (Problem::name().into_owned(), Problem::schema()),
        (ProblemField::name().into_owned(), ProblemField::schema()),
    ]);
    let mut clashes = Vec::new();
    for (info, mut described) in routes {
        for item in described.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                complete(operation, &info);
            }
        }
        paths.merge(described.paths);
        for (name, schema) in described.schemas {
            match schemas.get(&name) {
                Some(known) if *known != schema => clashes.push(name),
                Some(_) => {}
                None => {
                    schemas.insert(name, schema);
                }
            }
        }
    }
    let document = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Jointly JSON API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The same use cases as Jointly's pages, for programs. Send JSON with \
                     `Content-Type: application/json`; unknown fields are refused. Every \
                     refusal is a problem document (RFC 9457) with a stable `code`. Dates are \
                     `YYYY-MM-DD`, times RFC 3339. Connected clinical systems use the FHIR R4 \
                     API under `/fhir` instead (its CapabilityStatement is `/fhir/metadata`).",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(
            ComponentsBuilder::new()
                .schemas_from_iter(schemas)
                .security_scheme(
                    SESSION,
                    bearer("A session token from `POST /api/v1/sessions/patient` or `POST /api/v1/sessions/staff`."),
                )
                .security_scheme(
                    ORGANISATION_KEY,
                    bearer("A referring organisation's API key, issued by an administrator."),
                )
                .security_scheme(
                    PROVIDER_TOKEN,
                    bearer("The token agreed with the message provider for its delivery receipts."),
                )
                .build(),
        ))
        .tags(Some(TAGS.iter().map(|(name, description)| {
            TagBuilder::new()
                .name(*name)
                .description(Some(*description))
                .build()
        })))
        .build();
    (document, clashes)
}

fn bearer(description: &str) -> SecurityScheme {
    SecurityScheme::Http(
        HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(description))
            .build(),
    )
}

/// Adds what the route table knows: who may call, and the refusals every such route can give.
fn complete(operation: &mut Operation, info: &RouteInfo) {
    operation.operation_id = Some(operation_id(info));
    let (scheme, who) = match info.access {
        Access::Public => (None, "Anyone; no token needed.".to_owned()),
        Access::Patient => (
            Some(SESSION),
            "A signed-in patient, for their own records.".to_owned(),
        ),
        Access::Staff(permission) => (Some(SESSION), staff(permission)),
        Access::Organisation => (
            Some(ORGANISATION_KEY),
            "A registered referring organisation's system.".to_owned(),
        ),
        Access::Provider => (
            Some(PROVIDER_TOKEN),
            "The message provider, with the agreed token.".to_owned(),
        ),
        Access::System => (None, "A connected system.".to_owned()),
    };
    operation.description = Some(match operation.description.take() {
        Some(description) if !description.is_empty() => {
            format!("{description}\n\n{WHO_MAY_CALL} {who}")
        }
        _ => format!("{WHO_MAY_CALL} {who}"),
    });
    if let Some(scheme) = scheme {
        operation.security = Some(vec![SecurityRequirement::new(scheme, Vec::<String>::new())]);
    }
    // Handlers name their own refusals' body `Problem`; like every refusal, it is sent as a
    // problem document.
    for (status, response) in &mut operation.responses.responses {
        if let RefOr::T(response) = response
            && !status.starts_with('2')
            && let Some(content) = response.content.shift_remove("application/json")
        {
            response.content.insert(PROBLEM_JSON.to_owned(), content);
        }
    }
    let mut refusals = vec![(
        StatusCode::BAD_REQUEST,
        "The request is malformed: the problem names what is wrong",
    )];
    if operation.request_body.is_some() {
        refusals.extend([
            (StatusCode::PAYLOAD_TOO_LARGE, "The body is too large"),
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "The body is not `application/json`",
            ),
        ]);
    }
    if scheme.is_some() {
        refusals.push((StatusCode::UNAUTHORIZED, "No token, or it has expired"));
    }
    if matches!(info.access, Access::Staff(_) | Access::Patient) {
        refusals.push((StatusCode::FORBIDDEN, "The caller's role may not do this"));
    }
    if info.path.contains('{') {
        refusals.push((
            StatusCode::NOT_FOUND,
            "Nothing with that id that the caller may see",
        ));
    }
    for (status, description) in refusals {
        let key = status.as_str().to_owned();
        operation.responses.responses.entry(key).or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        PROBLEM_JSON,
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(Problem::name())))
                            .build(),
                    )
                    .build(),
            )
        });
    }
}

fn staff(permission: Permission) -> String {
    let roles: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|role| role.can(permission))
        .map(Role::as_str)
        .collect();
    format!(
        "Staff whose role may `{permission:?}` ({}), for people they have a relationship with.",
        roles.join(", ")
    )
}

/// A stable id for an operation: its method and path, for example `post_api_v1_referrals`.
fn operation_id(info: &RouteInfo) -> String {
    let mut id = info.method.to_ascii_lowercase();
    for part in info.path.trim_start_matches("/api/").split('/') {
        let part = part.trim_start_matches('{').trim_end_matches('}');
        id.push('_');
        id.extend(
            part.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        );
    }
    id
}

/// The document, built once from the route table.
pub(crate) fn json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let (document, _) = document(crate::routes::described());
        serde_json::to_string_pretty(&document).unwrap_or_default()
    })
}

/// Serves the OpenAPI document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "documentation",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json")))]
pub(crate) async fn serve() -> Response {
    (StatusCode::OK, [(CONTENT_TYPE, "application/json")], json()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schema_name_belongs_to_one_type() {
        let (_, clashes) = document(crate::routes::described());
        assert!(
            clashes.is_empty(),
            "types share these schema names (rename one, or `#[schema(as = ...)]`): {clashes:?}"
        );
    }

    #[test]
    fn operation_ids_name_method_and_path() {
        let info = RouteInfo {
            method: "POST",
            path: "/api/v1/me/appointments/{id}/cancel",
            access: Access::Patient,
            surface: crate::routes::Surface::Api,
        };
        assert_eq!(operation_id(&info), "post_v1_me_appointments_id_cancel");
    }
}
