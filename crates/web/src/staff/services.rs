//! Services and their rules, for service managers: the open-access window after discharge
//! and the missed-appointment rule, each set per service (page and API).

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::AppError;
use jointly_domain::ServiceId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::render::{PageContext, Text, render_page};

struct ServiceRow {
    id: String,
    name: String,
    /// (field, current value, label id, hint id) for each rule.
    fields: Vec<(&'static str, u32, &'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "staff/services.html")]
struct ServicesPage {
    page: PageContext,
    form: FormState,
    rows: Vec<ServiceRow>,
    /// The service whose form has problems.
    failed: String,
    notice: Option<Text>,
}

async fn services_page(
    ctx: &Ctx,
    form: FormState,
    failed: String,
    notice: Option<Text>,
) -> Result<ServicesPage, WebError> {
    let services = ctx.app().services_for_manager(ctx.principal()).await?;
    Ok(ServicesPage {
        page: PageContext::new(ctx, "services-title"),
        rows: services
            .iter()
            .map(|s| ServiceRow {
                id: s.id.to_string(),
                name: s.name.clone(),
                fields: vec![
                    (
                        "open_access_days",
                        s.rules.open_access_days,
                        "field-open-access-days",
                        "field-open-access-days-hint",
                    ),
                    (
                        "discharge_after_missed",
                        s.rules.discharge_after_missed,
                        "field-discharge-after-missed",
                        "field-discharge-after-missed-hint",
                    ),
                ],
            })
            .collect(),
        form,
        failed,
        notice,
    })
}

/// Whether the page follows a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

impl SavedQuery {
    /// Whether the page is shown after a save.
    pub(crate) fn is_saved(&self) -> bool {
        self.saved.is_some()
    }
}

/// `GET /staff/services`
pub(crate) async fn list(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let notice = query
        .saved
        .map(|_| PageContext::new(&ctx, "services-title").t("services-saved"));
    Ok(render_page(
        &services_page(&ctx, FormState::default(), String::new(), notice).await?,
    ))
}

/// The rules, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RulesForm {
    open_access_days: String,
    discharge_after_missed: String,
}

fn service_id(raw: &str) -> Result<ServiceId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `POST /staff/services/{id}/rules`
pub(crate) async fn save(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<RulesForm>,
) -> Result<Response, WebError> {
    let service = service_id(&id)?;
    match ctx
        .app()
        .set_service_rules(
            ctx.principal(),
            service,
            &form.open_access_days,
            &form.discharge_after_missed,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/staff/services?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = services_page(&ctx, FormState::default(), id.clone(), None).await?;
            page.form = FormState::with_values([
                ("open_access_days", form.open_access_days),
                ("discharge_after_missed", form.discharge_after_missed),
            ])
            .with_errors(&errors, &page.page);
            page.form.link_problems(|field| format!("{field}-{id}"));
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// The rules over the API.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceRulesBody {
    /// Days after discharge in which a patient may book again directly, without a new
    /// referral: 0 (none) to 730.
    #[schema(value_type = u32, required = true)]
    open_access_days: Option<u32>,
    /// Missed appointments (without warning) after which the referral is discharged: 0
    /// (never) to 10.
    #[schema(value_type = u32, required = true)]
    discharge_after_missed: Option<u32>,
}

/// Sets a service's rules: its open-access window and its missed-appointment rule.
#[utoipa::path(put, path = "/api/v1/services/{id}/rules", tag = "services",
    params(("id" = String, Path, description = "The service's id")),
    request_body = ServiceRulesBody,
    responses(
        (status = 200, description = "The rules as they now stand", body = ServiceRulesBody),
        (status = 422, description = "A rule is missing or too high: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_put(
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ServiceRulesBody>,
) -> Result<Response, WebError> {
    let text = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let rules = ctx
        .app()
        .set_service_rules(
            ctx.principal(),
            service_id(&id)?,
            &text(body.open_access_days),
            &text(body.discharge_after_missed),
        )
        .await?;
    Ok(json(
        StatusCode::OK,
        &ServiceRulesBody {
            open_access_days: Some(rules.open_access_days),
            discharge_after_missed: Some(rules.discharge_after_missed),
        },
    ))
}
