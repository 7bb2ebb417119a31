//! `/fhir/HealthcareService`, `/fhir/Location` and `/fhir/Practitioner`: the service
//! directory, read and searched by connected systems holding the matching read scope.

use axum::extract::{OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::AppError;
use jointly_fhir::directory::{healthcare_service, location, practitioner};
use jointly_fhir::search::Query;
use serde::Serialize;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{app_error, invalid, paged, parse_id, query, resource};

fn place(field: &str) -> String {
    field.to_owned()
}

/// The page size: `_count` if given, otherwise the most a page holds (a community service
/// has fewer services, sites or clinicians than that; more go on by the `next` link).
fn page_size(q: &Query) -> Result<usize, WebError> {
    match q.one("_count").map_err(invalid)? {
        Some(_) => q.count().map_err(invalid),
        None => Ok(jointly_fhir::search::MAX_COUNT),
    }
}

/// A search's page of `found`, each as `{kind}/{id}`.
fn searchset<R: Serialize>(
    ctx: &Ctx,
    uri: &axum::http::Uri,
    q: &Query,
    kind: &str,
    found: Vec<(String, R)>,
) -> Result<Response, WebError> {
    let page = (q.offset().map_err(invalid)?, page_size(q)?);
    let found = found
        .into_iter()
        .map(|(id, r)| (format!("{kind}/{id}"), r))
        .collect();
    Ok(paged(&ctx.state, uri, page, found))
}

/// The one with `id`, or not found.
fn one<R: Serialize>(found: Vec<(String, R)>, id: &str) -> Result<Response, WebError> {
    let wanted = parse_id(id)?.to_string();
    let (_, r) = found
        .into_iter()
        .find(|(id, _)| *id == wanted)
        .ok_or(WebError::from(AppError::NotFound))?;
    Ok(resource(StatusCode::OK, &r, None, None))
}

async fn services(
    ctx: &Ctx,
) -> Result<Vec<(String, jointly_fhir::directory::HealthcareService)>, WebError> {
    let found = ctx
        .app()
        .system_services(ctx.principal())
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(found
        .iter()
        .map(|s| (s.id.to_string(), healthcare_service(s)))
        .collect())
}

/// `GET /fhir/HealthcareService/{id}`.
pub(crate) async fn read_service(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    one(services(&ctx).await?, &id)
}

/// `GET /fhir/HealthcareService?service-type=…`.
pub(crate) async fn search_services(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse(
        "HealthcareService",
        query(&uri),
        &["service-type", "_offset"],
    )
    .map_err(invalid)?;
    let code = q
        .token(
            "service-type",
            &format!("{}/service", jointly_fhir::system::JOINTLY),
        )
        .map_err(invalid)?;
    let found = services(&ctx)
        .await?
        .into_iter()
        .filter(|(_, s)| {
            code.is_none_or(|code| {
                s.type_.iter().flat_map(|t| &t.coding).any(|c| {
                    c.code
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(code))
                })
            })
        })
        .collect();
    searchset(&ctx, &uri, &q, "HealthcareService", found)
}

async fn locations(
    ctx: &Ctx,
) -> Result<Vec<(String, jointly_fhir::directory::Location)>, WebError> {
    let found = ctx
        .app()
        .system_locations(ctx.principal())
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(found
        .iter()
        .map(|l| (l.id.to_string(), location(l)))
        .collect())
}

/// `GET /fhir/Location/{id}`.
pub(crate) async fn read_location(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    one(locations(&ctx).await?, &id)
}

/// `GET /fhir/Location?address-postalcode=…` (the postcode or its start, spaces ignored).
pub(crate) async fn search_locations(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Location", query(&uri), &["address-postalcode", "_offset"])
        .map_err(invalid)?;
    let squash = |s: &str| s.replace(' ', "").to_ascii_uppercase();
    let postcode = q.one("address-postalcode").map_err(invalid)?.map(squash);
    let found = locations(&ctx)
        .await?
        .into_iter()
        .filter(|(_, l)| {
            postcode.as_deref().is_none_or(|wanted| {
                l.address
                    .postal_code
                    .as_deref()
                    .is_some_and(|p| squash(p).starts_with(wanted))
            })
        })
        .collect();
    searchset(&ctx, &uri, &q, "Location", found)
}

async fn practitioners(
    ctx: &Ctx,
) -> Result<Vec<(String, jointly_fhir::directory::Practitioner)>, WebError> {
    let found = ctx
        .app()
        .system_clinicians(ctx.principal())
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(found
        .iter()
        .map(|c| (c.id.to_string(), practitioner(c)))
        .collect())
}

/// `GET /fhir/Practitioner/{id}`.
pub(crate) async fn read_practitioner(
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    one(practitioners(&ctx).await?, &id)
}

/// `GET /fhir/Practitioner`.
pub(crate) async fn search_practitioners(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Practitioner", query(&uri), &["_offset"]).map_err(invalid)?;
    searchset(&ctx, &uri, &q, "Practitioner", practitioners(&ctx).await?)
}
