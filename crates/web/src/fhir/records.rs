//! `/fhir/Flag`, `/fhir/Communication` and `/fhir/Task`: a person's communication needs, the
//! messages sent to them and their referrals' progress, for a system that may see them.

use axum::extract::{OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::{AppError, Found, Page, SystemReferral};
use jointly_domain::{MessageId, PatientId, ReferralId};
use jointly_fhir::Versioned;
use jointly_fhir::communication::{Delivery, SentMessage, communication};
use jointly_fhir::flag::{Flag, flags, parse_id as parse_flag_id};
use jointly_fhir::outcome::{IssueType, OperationOutcome};
use jointly_fhir::search::Query;
use jointly_fhir::task::{statuses_for, task};
use jointly_store::{OutboxEntry, OutboxStatus};

use crate::context::Ctx;
use crate::error::WebError;
use crate::fhir::{app_error, invalid, one_page, paged, parse_id, query, resource};

fn place(field: &str) -> String {
    field.to_owned()
}

/// The person a search is about; these searches need one.
fn required_patient(q: &Query, resource: &str) -> Result<PatientId, WebError> {
    q.reference("patient", "Patient")
        .map_err(invalid)?
        .map(PatientId::from_uuid)
        .ok_or_else(|| {
            invalid(OperationOutcome::error(
                IssueType::Required,
                format!("search {resource} for one person: give `patient=Patient/{{id}}`"),
            ))
        })
}

/// A person's flags, for a system that may see them.
async fn person_flags(ctx: &Ctx, patient: PatientId) -> Result<Vec<Flag>, WebError> {
    let profile = ctx
        .app()
        .system_communication_needs(ctx.principal(), patient)
        .await
        .map_err(|e| app_error(e, place))?;
    Ok(flags(patient, &profile.needs, profile.reviewed_at))
}

/// `GET /fhir/Flag/{id}` (`{patient id}-{snomed code}`, `-interpreter` or `-details`).
pub(crate) async fn read_flag(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let (patient, _) = parse_flag_id(&id).ok_or(WebError::from(AppError::NotFound))?;
    let found = person_flags(&ctx, PatientId::from_uuid(patient))
        .await?
        .into_iter()
        .find(|f| f.id == id)
        .ok_or(WebError::from(AppError::NotFound))?;
    Ok(resource(StatusCode::OK, &found, None, None))
}

/// `GET /fhir/Flag?patient=Patient/{id}`: every recorded need, one flag each.
pub(crate) async fn search_flags(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Flag", query(&uri), &["patient", "_offset"]).map_err(invalid)?;
    let patient = required_patient(&q, "Flag")?;
    let page = (q.offset().map_err(invalid)?, q.count().map_err(invalid)?);
    let found = person_flags(&ctx, patient)
        .await?
        .into_iter()
        .map(|f| (format!("Flag/{}", f.id), f))
        .collect();
    Ok(paged(&ctx.state, &uri, page, found))
}

fn sent_message(entry: &OutboxEntry, patient: PatientId, to_carer: bool) -> SentMessage {
    SentMessage {
        id: entry.id,
        patient,
        template: entry.template,
        channel: entry.channel,
        to_carer,
        delivery: match entry.status {
            OutboxStatus::Pending => Delivery::Queued,
            OutboxStatus::Sent => Delivery::Sent,
            OutboxStatus::Dead => Delivery::Undeliverable,
            OutboxStatus::AwaitingCall => Delivery::AwaitingCall,
        },
        queued_at: entry.created_at,
        sent_at: entry.sent_at,
    }
}

fn communication_of(entry: &OutboxEntry) -> Option<jointly_fhir::communication::Communication> {
    use jointly_domain::message::Recipient;
    let (patient, to_carer) = match entry.recipient {
        Recipient::Patient(id) => (id, false),
        Recipient::Carer(id) => (id, true),
        Recipient::Staff(_) | Recipient::Organisation(_) => return None,
    };
    jointly_fhir::communication::is_shared(entry.template)
        .then(|| communication(&sent_message(entry, patient, to_carer)))
}

/// `GET /fhir/Communication/{id}`.
pub(crate) async fn read_communication(
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = MessageId::from_uuid(parse_id(&id)?);
    let entry = ctx
        .app()
        .system_message(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    let found = communication_of(&entry).ok_or(WebError::from(AppError::NotFound))?;
    Ok(resource(StatusCode::OK, &found, None, None))
}

/// `GET /fhir/Communication?patient=Patient/{id}`: newest first.
pub(crate) async fn search_communications(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse("Communication", query(&uri), &["patient", "_offset"]).map_err(invalid)?;
    let patient = required_patient(&q, "Communication")?;
    let page = (q.offset().map_err(invalid)?, q.count().map_err(invalid)?);
    let entries = ctx
        .app()
        .system_messages(ctx.principal(), patient)
        .await
        .map_err(|e| app_error(e, place))?;
    let found = entries
        .iter()
        .filter_map(communication_of)
        .map(|c| (format!("Communication/{}", c.id), c))
        .collect();
    Ok(paged(&ctx.state, &uri, page, found))
}

fn task_of(found: &SystemReferral) -> jointly_fhir::task::Task {
    let record = found.referral.record();
    let changed = record
        .discharged_at
        .or(record.triaged_at)
        .unwrap_or(record.received_at);
    let owner = record.service_id.zip(found.service_name.as_deref());
    task(
        &found.referral,
        owner,
        Versioned::new(record.version, Some(changed)),
        changed,
    )
}

/// `GET /fhir/Task/{id}` (the id of the referral whose progress it is).
pub(crate) async fn read_task(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = ReferralId::from_uuid(parse_id(&id)?);
    let found = ctx
        .app()
        .system_referral_task(ctx.principal(), id)
        .await
        .map_err(|e| app_error(e, place))?;
    let version = Versioned::new(found.referral.record().version, None);
    Ok(resource(
        StatusCode::OK,
        &task_of(&found),
        Some(version.etag()),
        None,
    ))
}

/// `GET /fhir/Task?focus=ServiceRequest/{id}`, `?patient=Patient/{id}&status=…`, or without
/// either the tasks of referrals this system's organisation made.
pub(crate) async fn search_tasks(
    ctx: Ctx,
    OriginalUri(uri): OriginalUri,
) -> Result<Response, WebError> {
    let q = Query::parse(
        "Task",
        query(&uri),
        &["focus", "patient", "status", "_offset"],
    )
    .map_err(invalid)?;
    let focus = q.reference("focus", "ServiceRequest").map_err(invalid)?;
    let patient = q.reference("patient", "Patient").map_err(invalid)?;
    let statuses = match q
        .token("status", "http://hl7.org/fhir/task-status")
        .map_err(invalid)?
    {
        None => Vec::new(),
        Some(code) => statuses_for(code).ok_or_else(|| {
            invalid(OperationOutcome::error(
                IssueType::Value,
                format!(
                    "status is received, accepted, in-progress, completed or cancelled, not `{code}`"
                ),
            ))
        })?,
    };
    let page = Page {
        offset: q.offset().map_err(invalid)?,
        count: q.count().map_err(invalid)?,
    };
    let found = match focus {
        Some(referral) => {
            let one = match ctx
                .app()
                .system_referral_task(ctx.principal(), ReferralId::from_uuid(referral))
                .await
            {
                Ok(found) => Some(found),
                // A search names no match rather than saying whether the referral exists.
                Err(AppError::NotFound) => None,
                Err(other) => return Err(app_error(other, place)),
            };
            let items = one
                .into_iter()
                .filter(|f| {
                    patient.is_none_or(|p| f.referral.patient_id.as_uuid() == p)
                        && (statuses.is_empty() || statuses.contains(&f.referral.status))
                })
                .skip(page.offset)
                .collect();
            Found { items, more: false }
        }
        None => ctx
            .app()
            .system_referral_tasks(
                ctx.principal(),
                (patient.map(PatientId::from_uuid), &statuses),
                page,
            )
            .await
            .map_err(|e| app_error(e, place))?,
    };
    let entries = found
        .items
        .iter()
        .map(|f| (format!("Task/{}", f.referral.id), task_of(f)))
        .collect();
    Ok(one_page(&ctx.state, &uri, page, found.more, entries))
}
