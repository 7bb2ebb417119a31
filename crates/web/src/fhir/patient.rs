//! `/fhir/Patient`: read, search by NHS number, create (register) and update (contact details,
//! with If-Match).

use axum::extract::{OriginalUri, Path};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jointly_domain::PatientId;
use jointly_fhir::Versioned;
use jointly_fhir::patient::{Patient, expression, patient};
use jointly_fhir::search::Query;
use jointly_store::VersionedPatient;

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{
    FhirBody, app_error, base, if_match, invalid, parse_id, query, resource, self_url,
};

fn place(field: &str) -> String {
    expression(field).to_owned()
}

fn versioned(found: &VersionedPatient) -> Versioned {
    Versioned::new(found.version, Some(found.updated_at))
}

fn respond(ctx: &Ctx, status: StatusCode, found: &VersionedPatient) -> Response {
    let version = versioned(found);
    let location = (status == StatusCode::CREATED).then(|| {
        format!(
            "{}/Patient/{}/_history/{}",
            base(&ctx.state),
            found.patient.id,
            found.version
        )
    });
    resource(
        status,
        &patient(&found.patient, version),
        Some(version.etag()),
        location,
    )
}

/// `GET /fhir/Patient/{id}`.
pub(crate) async fn read(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = PatientId::from_uuid(parse_id(&id)?);
    let found = ctx
        .app()
        .system_patient(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(respond(&ctx, StatusCode::OK, &found))
}

/// `GET /fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|…`.
pub(crate) async fn search(ctx: Ctx, OriginalUri(uri): OriginalUri) -> Result<Response, WebError> {
    let q = Query::parse("Patient", query(&uri), &["identifier"]).map_err(invalid)?;
    let number = q
        .token("identifier", jointly_fhir::system::NHS_NUMBER)
        .map_err(invalid)?;
    let found = match number {
        Some(number) => ctx
            .app()
            .system_patient_by_nhs_number(ctx.principal(), number)
            .await
            .map_err(|e| app_error(e, place))?,
        None => {
            return Err(invalid(jointly_fhir::OperationOutcome::error(
                jointly_fhir::IssueType::Required,
                "search for a person by NHS number: identifier=https://fhir.nhs.uk/Id/nhs-number|{number}",
            )));
        }
    };
    let base = base(&ctx.state);
    let entries = found
        .iter()
        .map(|f| {
            (
                format!("Patient/{}", f.patient.id),
                patient(&f.patient, versioned(f)),
            )
        })
        .collect();
    let bundle = jointly_fhir::bundle::searchset(&base, self_url(&ctx.state, &uri), None, entries);
    Ok(resource(StatusCode::OK, &bundle, None, None))
}

/// `POST /fhir/Patient`: registers a person this system may then see.
pub(crate) async fn create(
    ctx: Ctx,
    FhirBody(body): FhirBody<Patient>,
) -> Result<Response, WebError> {
    let found = ctx
        .app()
        .system_register_patient(ctx.principal(), &body.answers())
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(respond(&ctx, StatusCode::CREATED, &found))
}

/// `PUT /fhir/Patient/{id}` with If-Match: changes contact details and preferences.
pub(crate) async fn update(
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    FhirBody(body): FhirBody<Patient>,
) -> Result<Response, WebError> {
    let uuid = parse_id(&id)?;
    if body.id.as_deref() != Some(id.as_str()) {
        return Err(invalid(jointly_fhir::OperationOutcome::of(vec![
            jointly_fhir::OperationOutcome::at(
                jointly_fhir::IssueType::Invalid,
                "Patient.id",
                "the resource's id must match the id in the URL",
            ),
        ])));
    }
    let version = if_match(&headers, "Patient")?;
    let found = ctx
        .app()
        .system_update_patient(
            ctx.principal(),
            PatientId::from_uuid(uuid),
            &body.answers(),
            version,
        )
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(respond(&ctx, StatusCode::OK, &found))
}
