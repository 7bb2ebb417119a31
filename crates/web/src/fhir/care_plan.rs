//! `/fhir/CarePlan/{id}`: the care passport's summary, for a system that may see the person
//! (the id is the person's Patient id: one passport each).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::TimelineItem;
use jointly_domain::PatientId;
use jointly_fhir::Versioned;
use jointly_fhir::care_plan::{CarePlanParts, care_plan};

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{app_error, parse_id, resource};

/// `GET /fhir/CarePlan/{id}`.
pub(crate) async fn read(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let patient = PatientId::from_uuid(parse_id(&id)?);
    let view = ctx
        .app()
        .passport(ctx.principal(), patient)
        .await
        .map_err(|e| app_error(e, |f| format!("CarePlan.{f}")))?;
    let holistic = &view.about.holistic;
    let labelled = [
        ("Work", &holistic.work),
        ("Mood", &holistic.mood),
        ("Sleep", &holistic.sleep),
        ("Social life", &holistic.social),
    ];
    let version = Versioned::new(
        i64::from(view.about.version) + 1,
        view.about.updated.as_ref().map(|(_, at)| *at),
    );
    let parts = CarePlanParts {
        patient,
        version,
        what_matters: view.about.what_matters.as_deref(),
        holistic: labelled
            .iter()
            .filter_map(|(label, text)| text.as_deref().map(|t| (*label, t)))
            .collect(),
        goals: &view.goals,
        referrals: view
            .referrals
            .iter()
            .map(|r| {
                (
                    r.referral.id,
                    r.referral.received_at,
                    r.referral.status.is_open(),
                )
            })
            .collect(),
        appointments: view
            .timeline
            .iter()
            .filter_map(|item| match item {
                TimelineItem::Appointment(a, _) => Some((a.id, a.status)),
                _ => None,
            })
            .collect(),
        key_contact: view.key_contact.as_deref(),
    };
    Ok(resource(
        StatusCode::OK,
        &care_plan(&parts),
        Some(version.etag()),
        None,
    ))
}
