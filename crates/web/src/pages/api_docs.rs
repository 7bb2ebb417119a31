//! The JSON API's reference for people (`/api/docs`): every operation of the OpenAPI document,
//! grouped as the document groups them, with who may call it, its parameters, body and
//! answers, and every schema with its fields. Built from the same document as
//! `/api/openapi.json`, so the two cannot differ. The words that come from the code (summaries,
//! field descriptions) are English and marked so; the page's own words are translated.

use std::sync::OnceLock;

use askama::Template;
use axum::response::Response;
use jointly_domain::access::Role;
use serde_json::Value;

use crate::context::Ctx;
use crate::error::WebError;
use crate::openapi;
use crate::render::{PageContext, Text, render_page};
use crate::routes::Access;

/// A run of words, in code type or not (from `backticks` in the code's descriptions).
struct Span {
    text: String,
    code: bool,
}

/// Words written in the code, split where they mark code.
fn spans(text: &str) -> Vec<Span> {
    text.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| Span {
            text: part.to_owned(),
            code: i % 2 == 1,
        })
        .collect()
}

/// A type as shown: its words, and a link to its schema when it has one.
struct TypeView {
    text: String,
    href: Option<String>,
}

/// How a schema (a JSON value of the document) reads, for example `list of Slot`.
fn type_of(schema: &Value) -> TypeView {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return TypeView {
            text: name.to_owned(),
            href: Some(format!("#schema-{name}")),
        };
    }
    if let Some(items) = schema.get("items") {
        let inner = type_of(items);
        return TypeView {
            text: format!("[{}]", inner.text),
            href: inner.href,
        };
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let views: Vec<TypeView> = options.iter().map(type_of).collect();
            let href = views.iter().find_map(|v| v.href.clone());
            let text: Vec<String> = views.into_iter().map(|v| v.text).collect();
            return TypeView {
                text: text.join(" | "),
                href,
            };
        }
    }
    let mut text = match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".to_owned(),
    };
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        text = values.join(" | ");
    }
    if text == "object"
        && let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object())
    {
        text = format!("{{ string: {} }}", type_of(extra).text);
    }
    TypeView { text, href: None }
}

/// A parameter of an operation.
struct ParameterView {
    name: String,
    place: String,
    kind: TypeView,
    description: Vec<Span>,
}

/// An answer an operation may give.
struct ResponseView {
    status: String,
    description: Vec<Span>,
    body: Option<TypeView>,
}

/// One operation.
struct OperationView {
    anchor: String,
    method: String,
    path: String,
    summary: Vec<Span>,
    description: Vec<Vec<Span>>,
    access: Access,
    parameters: Vec<ParameterView>,
    body: Option<TypeView>,
    responses: Vec<ResponseView>,
}

/// The operations under one tag.
struct GroupView {
    name: String,
    description: String,
    operations: Vec<OperationView>,
}

/// A field of a schema.
struct FieldView {
    name: String,
    kind: TypeView,
    required: bool,
    description: Vec<Span>,
}

/// A schema.
struct SchemaView {
    name: String,
    description: Vec<Span>,
    fields: Vec<FieldView>,
    /// For a schema that is not an object: what it is.
    kind: Option<TypeView>,
}

/// Everything on the page that does not depend on who reads it.
struct Reference {
    groups: Vec<GroupView>,
    schemas: Vec<SchemaView>,
}

fn description(value: &Value) -> Vec<Span> {
    spans(value.as_str().unwrap_or_default())
}

/// The first media type's schema of a request body or response.
fn body_of(value: &Value) -> Option<TypeView> {
    let content = value.get("content")?.as_object()?;
    let (_, media) = content.iter().next()?;
    Some(media.get("schema").map_or(
        TypeView {
            text: "string".to_owned(),
            href: None,
        },
        type_of,
    ))
}

fn operation_view(info: &crate::routes::RouteInfo, operation: &Value) -> OperationView {
    let parameters = operation["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| ParameterView {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    place: p["in"].as_str().unwrap_or_default().to_owned(),
                    kind: type_of(&p["schema"]),
                    description: description(&p["description"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let responses = operation["responses"]
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(status, response)| ResponseView {
                    status: status.clone(),
                    description: description(&response["description"]),
                    body: body_of(response),
                })
                .collect()
        })
        .unwrap_or_default();
    let text = operation["description"].as_str().unwrap_or_default();
    OperationView {
        anchor: operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        method: info.method.to_owned(),
        path: info.path.to_owned(),
        summary: description(&operation["summary"]),
        // The document adds who may call to each description; the page says it in words of
        // the reader's language instead.
        description: text
            .split("\n\n")
            .filter(|p| !p.is_empty() && !p.starts_with(openapi::WHO_MAY_CALL))
            .map(spans)
            .collect(),
        access: info.access,
        parameters,
        body: operation.get("requestBody").and_then(body_of),
        responses,
    }
}

fn schema_view(name: &str, schema: &Value) -> SchemaView {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let fields: Vec<FieldView> = schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .map(|(field, property)| FieldView {
                    name: field.clone(),
                    kind: type_of(property),
                    required: required.contains(&field.as_str()),
                    description: description(&property["description"]),
                })
                .collect()
        })
        .unwrap_or_default();
    SchemaView {
        name: name.to_owned(),
        description: description(&schema["description"]),
        kind: fields.is_empty().then(|| type_of(schema)),
        fields,
    }
}

fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        let document: Value = serde_json::from_str(openapi::json()).unwrap_or_default();
        let routes = crate::routes::route_table();
        let groups = openapi::TAGS
            .iter()
            .map(|(tag, about)| {
                let mut operations = Vec::new();
                for info in &routes {
                    let operation = &document["paths"][info.path][info.method.to_ascii_lowercase()];
                    if operation["tags"][0] == *tag {
                        operations.push(operation_view(info, operation));
                    }
                }
                GroupView {
                    name: (*tag).to_owned(),
                    description: (*about).to_owned(),
                    operations,
                }
            })
            .collect();
        let schemas = document["components"]["schemas"]
            .as_object()
            .map(|all| all.iter().map(|(n, s)| schema_view(n, s)).collect())
            .unwrap_or_default();
        Reference { groups, schemas }
    })
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    page: PageContext,
    reference: &'static Reference,
    /// Marks words written in English in the code, on pages in another language.
    english: &'static str,
}

impl ApiDocsPage {
    /// Who may call an operation, in the reader's language.
    fn who(&self, access: &Access) -> Text {
        match access {
            Access::Public => self.page.t("api-docs-who-anyone"),
            Access::Patient => self.page.t("api-docs-who-patient"),
            Access::Staff(permission) => {
                let roles: Vec<String> = Role::ALL
                    .into_iter()
                    .filter(|role| role.can(*permission))
                    .map(|role| self.page.plain(&format!("role-{}", role.as_str())))
                    .collect();
                self.page
                    .t1("api-docs-who-staff", "roles", roles.join(", "))
            }
            Access::Organisation => self.page.t("api-docs-who-organisation"),
            Access::Provider => self.page.t("api-docs-who-provider"),
            Access::System => self.page.t("api-docs-who-system"),
        }
    }
}

/// `GET /api/docs`
pub(crate) async fn show(ctx: Ctx) -> Result<Response, WebError> {
    let page = PageContext::new(&ctx, "api-docs-title");
    let english = if page.lang() == "en" {
        ""
    } else {
        " lang=\"en\" dir=\"ltr\""
    };
    Ok(render_page(&ApiDocsPage {
        page,
        reference: reference(),
        english,
    }))
}
