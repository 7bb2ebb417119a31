//! Referring organisations, for administrators: register one with its ODS code, and issue
//! the API key its systems refer with (shown once).

use askama::Template;
use axum::extract::Path;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, OrganisationForm};
use jointly_domain::OrganisationId;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, PersonChoices, label};
use crate::render::{PageContext, Text, render_page};

struct OrganisationRow {
    id: String,
    ods_code: String,
    name: String,
    kind: Text,
    contact_email: String,
    /// The FHIR scopes its systems are granted, or empty.
    scopes: String,
}

#[derive(Template)]
#[template(path = "staff/organisations.html")]
struct OrganisationsPage {
    page: PageContext,
    form: FormState,
    kinds: PersonChoices,
    rows: Vec<OrganisationRow>,
    /// The organisations to grant FHIR scopes to.
    choices: Vec<Choice>,
    /// The scopes there are, for the hint.
    all_scopes: String,
    /// A key just issued: (organisation name, key).
    issued: Option<(String, String)>,
}

async fn organisations_page(
    ctx: &Ctx,
    form: FormState,
    issued: Option<(String, String)>,
) -> Result<OrganisationsPage, WebError> {
    let organisations = ctx.app().organisations(ctx.principal()).await?;
    let page = PageContext::new(ctx, "organisations-title");
    let mut rows = Vec::with_capacity(organisations.len());
    for o in &organisations {
        rows.push(OrganisationRow {
            id: o.id.to_string(),
            ods_code: o.ods_code.as_str().to_owned(),
            name: o.name.clone(),
            kind: label(&page, "organisation-kind", o.kind.as_str()),
            contact_email: o.contact_email.to_string(),
            scopes: ctx
                .app()
                .system_scopes(ctx.principal(), o.id)
                .await?
                .to_string(),
        });
    }
    let choices = organisations
        .iter()
        .map(|o| {
            Choice::new(
                o.id.to_string(),
                Text::plain(format!("{} ({})", o.name, o.ods_code.as_str())),
            )
        })
        .collect();
    Ok(OrganisationsPage {
        kinds: PersonChoices::new(&page),
        page,
        form,
        rows,
        choices,
        all_scopes: jointly_fhir::capability::scopes().join(" "),
        issued,
    })
}

/// `GET /staff/organisations`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    Ok(render_page(
        &organisations_page(&ctx, FormState::default(), None).await?,
    ))
}

/// The registration form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RegisterForm {
    ods_code: String,
    name: String,
    kind: String,
    contact_email: String,
}

/// `POST /staff/organisations`
pub(crate) async fn register(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<RegisterForm>,
) -> Result<Response, WebError> {
    let submitted = OrganisationForm {
        ods_code: form.ods_code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
        contact_email: form.contact_email.clone(),
    };
    match ctx
        .app()
        .register_organisation(ctx.principal(), &submitted)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/organisations").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = organisations_page(&ctx, FormState::default(), None).await?;
            page.form = FormState::with_values([
                ("ods_code", form.ods_code),
                ("name", form.name),
                ("kind", form.kind),
                ("contact_email", form.contact_email),
            ])
            .with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /staff/organisations/{id}/key`: the new key, shown on this response only.
pub(crate) async fn issue_key(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(_): VerifiedForm<crate::pages::refer::Empty>,
) -> Result<Response, WebError> {
    let id: OrganisationId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    let issued = ctx.app().issue_api_key(ctx.principal(), id).await?;
    let page = organisations_page(
        &ctx,
        FormState::default(),
        Some((issued.organisation.name.clone(), issued.key.clone())),
    )
    .await?;
    let mut response = render_page(&page);
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The FHIR access form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ScopesForm {
    organisation: String,
    scopes: String,
}

/// `POST /staff/organisations/scopes`: what an organisation's systems may do through FHIR.
pub(crate) async fn set_scopes(
    ctx: Ctx,
    VerifiedForm(form): VerifiedForm<ScopesForm>,
) -> Result<Response, WebError> {
    let id: OrganisationId = form
        .organisation
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    match ctx
        .app()
        .set_system_scopes(ctx.principal(), id, &form.scopes)
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/organisations").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = organisations_page(&ctx, FormState::default(), None).await?;
            page.form = FormState::with_values([
                ("organisation", form.organisation),
                ("scopes", form.scopes),
            ])
            .with_errors(&errors, &page.page);
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
