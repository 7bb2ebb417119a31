//! What a person wants from the cancellation list: whether to be offered earlier appointments
//! at all, and which (how, when, how far from home). In the portal and the patient API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::{AppError, OfferPreferencesForm};
use jointly_domain::choice::{DISTANCES_KM, TimeOfDay};
use jointly_domain::offer::OfferPreferences;
use jointly_domain::slot::Modality;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, Tick, label};
use crate::render::{PageContext, Text, render_page};

const TIMES: [TimeOfDay; 4] = [
    TimeOfDay::Morning,
    TimeOfDay::Afternoon,
    TimeOfDay::Evening,
    TimeOfDay::Weekend,
];

#[derive(Template)]
#[template(path = "portal/offer_preferences.html")]
struct PreferencesPage {
    page: PageContext,
    form: FormState,
    answers: Vec<Choice>,
    modalities: Vec<Tick>,
    times: Vec<Tick>,
    distances: Vec<Choice>,
    notice: Option<Text>,
}

fn preferences_page(
    ctx: &Ctx,
    current: &OfferPreferences,
    form: FormState,
    notice: Option<Text>,
) -> PreferencesPage {
    let page = PageContext::new(ctx, "offer-preferences-title");
    let mut form = form;
    if form.value("earlier_offers").is_empty() {
        form.set(
            "earlier_offers",
            if current.earlier_offers { "yes" } else { "no" },
        );
        form.set(
            "max_km",
            &current.max_km.map(|k| k.to_string()).unwrap_or_default(),
        );
    }
    let answers = vec![
        Choice::new("yes", page.t("offer-preferences-yes")),
        Choice::new("no", page.t("offer-preferences-no")),
    ];
    let modalities = Modality::ALL
        .iter()
        .map(|m| Tick {
            name: format!("modality_{}", m.as_str()),
            label: label(&page, "modality", m.as_str()),
            checked: current.modalities.contains(m),
        })
        .collect();
    let times = TIMES
        .iter()
        .map(|t| Tick {
            name: format!("time_{}", t.as_str()),
            label: label(&page, "time-of-day", t.as_str()),
            checked: current.times.contains(t),
        })
        .collect();
    let mut distances = vec![Choice::new("", page.t("choose-within-any"))];
    distances.extend(DISTANCES_KM.iter().map(|km| {
        Choice::new(
            km.to_string(),
            page.t1("choose-within-km", "km", km.to_string()),
        )
    }));
    PreferencesPage {
        page,
        form,
        answers,
        modalities,
        times,
        distances,
        notice,
    }
}

/// Whether the page follows a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

/// `GET /portal/offer-preferences`
pub(crate) async fn form(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let current = ctx.app().offer_preferences(ctx.principal()).await?;
    let notice = query
        .saved
        .map(|_| PageContext::new(&ctx, "offer-preferences-title").t("offer-preferences-saved"));
    Ok(render_page(&preferences_page(
        &ctx,
        &current,
        FormState::default(),
        notice,
    )))
}

fn from_fields(fields: &HashMap<String, String>) -> OfferPreferencesForm {
    let ticked = |prefix: &str| -> Vec<String> {
        let mut codes: Vec<String> = fields
            .iter()
            .filter(|(k, v)| k.starts_with(prefix) && v.as_str() == "yes")
            .map(|(k, _)| k.trim_start_matches(prefix).to_owned())
            .collect();
        codes.sort();
        codes
    };
    OfferPreferencesForm {
        earlier_offers: fields.get("earlier_offers").cloned().unwrap_or_default(),
        modalities: ticked("modality_"),
        times: ticked("time_"),
        max_km: fields.get("max_km").cloned().unwrap_or_default(),
    }
}

/// `POST /portal/offer-preferences`
pub(crate) async fn save(
    ctx: Ctx,
    VerifiedForm(fields): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let form = from_fields(&fields);
    match ctx
        .app()
        .set_offer_preferences(ctx.principal(), &form)
        .await
    {
        Ok(_) => Ok(Redirect::to("/portal/offer-preferences?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = ctx.app().offer_preferences(ctx.principal()).await?;
            let mut page = preferences_page(&ctx, &current, FormState::default(), None);
            page.form = FormState::with_values([
                ("earlier_offers", form.earlier_offers),
                ("max_km", form.max_km),
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

/// What a person wants from the cancellation list; the same fields to send and in the answer.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OfferPreferencesBody {
    /// Whether to be offered earlier appointments when they come free (required when
    /// saving).
    earlier_offers: Option<bool>,
    /// Only these ways of being seen, empty for any: `face_to_face`, `phone`, `video` or
    /// `group`.
    modalities: Vec<String>,
    /// Only at these times, empty for any: `morning` (starting before noon), `afternoon`
    /// (noon to before 5pm), `evening` (5pm or later) or `weekend`.
    times: Vec<String>,
    /// In person, only this far from home, in kilometres (1 to 200); null for any distance.
    max_km: Option<u32>,
}

fn body_of(p: &OfferPreferences) -> OfferPreferencesBody {
    OfferPreferencesBody {
        earlier_offers: Some(p.earlier_offers),
        modalities: p.modalities.iter().map(|m| m.as_str().to_owned()).collect(),
        times: p.times.iter().map(|t| t.as_str().to_owned()).collect(),
        max_km: p.max_km,
    }
}

/// Shows what the signed-in patient wants from the cancellation list.
///
/// Until they say otherwise, every earlier appointment is offered.
#[utoipa::path(get, path = "/api/v1/me/offer-preferences", tag = "booking",
    responses((status = 200, description = "Their preferences", body = OfferPreferencesBody)))]
pub(crate) async fn api_get(ctx: Ctx) -> Result<Response, WebError> {
    let current = ctx.app().offer_preferences(ctx.principal()).await?;
    Ok(json(StatusCode::OK, &body_of(&current)))
}

/// Sets what the signed-in patient wants from the cancellation list.
///
/// Whether to be offered earlier appointments at all, and which (how, when, how far from
/// home). Nothing changes unless every field is right.
#[utoipa::path(put, path = "/api/v1/me/offer-preferences", tag = "booking",
    request_body = OfferPreferencesBody,
    responses(
        (status = 200, description = "Saved; their preferences now", body = OfferPreferencesBody),
        (status = 422, description = "A field is missing or not allowed: the problem names each", body = crate::openapi::Problem)))]
pub(crate) async fn api_put(
    ctx: Ctx,
    ApiJson(body): ApiJson<OfferPreferencesBody>,
) -> Result<Response, WebError> {
    let form = OfferPreferencesForm {
        earlier_offers: match body.earlier_offers {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        modalities: body.modalities,
        times: body.times,
        max_km: body.max_km.map(|k| k.to_string()).unwrap_or_default(),
    };
    let saved = ctx
        .app()
        .set_offer_preferences(ctx.principal(), &form)
        .await?;
    Ok(json(StatusCode::OK, &body_of(&saved)))
}
