//! Signposting and referral to community services and information
//! (`/staff/patients/{id}/signpost`): clinicians and triage clinicians with a relationship
//! choose a page or a service (pages about the person's problems first), say whether they
//! signposted or referred, and it goes in the person's passport. The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::{AppError, SignpostView};
use jointly_domain::directory::{Resource, SignpostAction, SignpostAnswers};
use jointly_domain::{PatientId, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::help::resource_link;
use crate::pages::{Choice, content_language};
use crate::render::{PageContext, Text, render_page};
use crate::staff::services::SavedQuery;

/// A signposting as shown.
struct SignpostRow {
    at: Timestamp,
    action: Text,
    href: String,
    name: String,
    note: String,
}

#[derive(Template)]
#[template(path = "staff/signpost.html")]
struct SignpostPage {
    page: PageContext,
    form: FormState,
    patient_id: String,
    name: String,
    resources: Vec<Choice>,
    actions: Vec<Choice>,
    rows: Vec<SignpostRow>,
    notice: Option<Text>,
}

fn patient_id(raw: &str) -> Result<PatientId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

fn signpost_page(ctx: &Ctx, view: &SignpostView, form: FormState) -> SignpostPage {
    let page = PageContext::new(ctx, "signpost-title");
    let language = content_language(page.locale);
    let app = ctx.app();
    let mut resources = vec![Choice::new("", page.t("signpost-choose"))];
    // Pages about the person's problems first, then the rest, then every service.
    let topics = app.education().topics.iter();
    let (suggested, others): (Vec<_>, Vec<_>) =
        topics.partition(|t| view.suggested_topics.contains(&t.id));
    for (topic, hint) in suggested
        .into_iter()
        .map(|t| (t, true))
        .chain(others.into_iter().map(|t| (t, false)))
    {
        let title = &topic.text(language).0.title;
        let key = if hint {
            "signpost-topic-suggested"
        } else {
            "signpost-topic"
        };
        resources.push(Choice::new(
            Resource::Topic(topic.id.clone()).code(),
            page.t1(key, "title", title),
        ));
    }
    for service in &app.directory().services {
        resources.push(Choice::new(
            Resource::Service(service.id.clone()).code(),
            page.t2(
                "signpost-service",
                "name",
                &service.name,
                "category",
                page.t(&format!("directory-category-{}", service.category.as_str()))
                    .to_string(),
            ),
        ));
    }
    let rows = view
        .signpostings
        .iter()
        .rev()
        .map(|s| {
            let (href, name) = resource_link(ctx, &page, &s.resource);
            SignpostRow {
                at: s.at,
                action: page.t(&format!("signpost-did-{}", s.action.as_str())),
                href,
                name,
                note: s.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    SignpostPage {
        form,
        patient_id: view.patient.id.to_string(),
        name: view.patient.name.to_string(),
        resources,
        actions: SignpostAction::ALL
            .into_iter()
            .map(|a| {
                Choice::new(
                    a.as_str(),
                    page.t(&format!("signpost-action-{}", a.as_str())),
                )
            })
            .collect(),
        rows,
        notice: None,
        page,
    }
}

/// `GET /staff/patients/{id}/signpost`
pub(crate) async fn show(
    ctx: Ctx,
    Path(raw): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .signpostings(ctx.principal(), patient_id(&raw)?)
        .await?;
    let mut page = signpost_page(&ctx, &view, FormState::default());
    if query.is_saved() {
        page.notice = Some(page.page.t("signpost-saved"));
    }
    Ok(render_page(&page))
}

fn answers(form: &HashMap<String, String>) -> SignpostAnswers {
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    SignpostAnswers {
        resource: field("resource"),
        action: field("action"),
        note: field("note"),
    }
}

/// `POST /staff/patients/{id}/signpost`
pub(crate) async fn record(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(form): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let patient = patient_id(&raw)?;
    match ctx
        .app()
        .signpost(ctx.principal(), patient, &answers(&form))
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/patients/{patient}/signpost?saved=1")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => refused(&ctx, patient, &errors, form).await,
        Err(other) => Err(other.into()),
    }
}

async fn refused(
    ctx: &Ctx,
    patient: PatientId,
    errors: &ValidationErrors,
    sent: HashMap<String, String>,
) -> Result<Response, WebError> {
    let view = ctx.app().signpostings(ctx.principal(), patient).await?;
    let page = PageContext::new(ctx, "signpost-title");
    let form = FormState::from_map(sent).with_errors(errors, &page);
    let mut page = signpost_page(ctx, &view, form);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// A signposting: the page or service the person was pointed or referred to.
#[derive(Serialize, ToSchema)]
struct SignpostOut {
    id: String,
    /// `topic:<code>` for an education page or `service:<code>` for a community service.
    resource: String,
    /// `signposted` (told about it) or `referred` (referred to the service).
    action: &'static str,
    /// Why, or what was agreed.
    note: Option<String>,
    /// The id of the member of staff who signposted.
    by: String,
    /// When (RFC 3339).
    at: String,
}

fn out(s: &jointly_domain::directory::Signposting) -> SignpostOut {
    SignpostOut {
        id: s.id.to_string(),
        resource: s.resource.code(),
        action: s.action.as_str(),
        note: s.note.clone(),
        by: s.by.to_string(),
        at: s.at.to_string(),
    }
}

/// Lists the pages and services a person has been signposted or referred to.
///
/// Oldest first.
#[utoipa::path(get, path = "/api/v1/patients/{id}/signposts", tag = "clinical",
    params(("id" = String, Path, description = "The patient's id")),
    responses((status = 200, description = "The person's signpostings", body = [SignpostOut])))]
pub(crate) async fn api_list(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .signpostings(ctx.principal(), patient_id(&raw)?)
        .await?;
    let list: Vec<_> = view.signpostings.iter().map(out).collect();
    Ok(json(StatusCode::OK, &list))
}

/// A signposting over the API.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignpostBody {
    /// `topic:<code>` for an education page or `service:<code>` for a community service in
    /// the directory.
    resource: String,
    /// `signposted` or `referred` (only a service can be referred to).
    action: String,
    /// Why, or what was agreed (optional, at most 1,000 characters).
    #[serde(default)]
    note: String,
}

/// Signposts or refers a person to an education page or a community service.
///
/// It goes in the person's passport.
#[utoipa::path(post, path = "/api/v1/patients/{id}/signposts", tag = "clinical",
    params(("id" = String, Path, description = "The patient's id")),
    request_body = SignpostBody,
    responses(
        (status = 201, description = "Signposted", body = SignpostOut),
        (status = 422, description = "The page or service is unknown, the action is not `signposted` or `referred` (a page can only be signposted), or the note is too long: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_record(
    ctx: Ctx,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SignpostBody>,
) -> Result<Response, WebError> {
    let answers = SignpostAnswers {
        resource: body.resource,
        action: body.action,
        note: body.note,
    };
    let signposting = ctx
        .app()
        .signpost(ctx.principal(), patient_id(&raw)?, &answers)
        .await?;
    Ok(json(StatusCode::CREATED, &out(&signposting)))
}
