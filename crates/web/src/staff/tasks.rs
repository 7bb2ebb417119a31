//! Tasks: emergency reviews, same-day call backs and possible duplicates, most urgent first,
//! each completed with what was done.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jointly_app::AppError;
use jointly_domain::TaskId;
use jointly_domain::task::TaskKind;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::label;
use crate::render::{PageContext, Text, render_page};

struct TaskRow {
    id: String,
    referral_id: String,
    kind: Text,
    colour: &'static str,
    reference: String,
    name: String,
    phone: String,
    due: Timestamp,
    overdue: bool,
    duplicate: bool,
}

#[derive(Template)]
#[template(path = "staff/tasks.html")]
struct TasksPage {
    page: PageContext,
    form: FormState,
    failed_task: String,
    rows: Vec<TaskRow>,
}

async fn tasks_page(
    ctx: &Ctx,
    form: FormState,
    failed_task: String,
) -> Result<TasksPage, WebError> {
    let tasks = ctx.app().open_tasks(ctx.principal()).await?;
    let mut page = PageContext::new(ctx, "tasks-title");
    crate::staff::emergency_alert(ctx, &mut page).await?;
    let now = ctx.app().clock().now();
    let rows = tasks
        .iter()
        .map(|t| TaskRow {
            id: t.task.id.to_string(),
            referral_id: t.task.referral_id.to_string(),
            kind: label(&page, "task-kind", t.task.kind.as_str()),
            colour: match t.task.kind {
                TaskKind::EmergencyReview => "red",
                TaskKind::SameDayCallBack => "orange",
                TaskKind::PossibleDuplicate => "blue",
                TaskKind::CheckContactDetails => "grey",
                TaskKind::RebookAppointment | TaskKind::ConfirmStillNeeded => "yellow",
                TaskKind::CommunicationNeeds => "purple",
            },
            reference: t.reference.to_string(),
            name: t.patient_name.to_string(),
            phone: t.phone.clone().unwrap_or_default(),
            due: t.task.due_at,
            overdue: t.task.is_overdue(now),
            duplicate: t.task.kind == TaskKind::PossibleDuplicate,
        })
        .collect();
    Ok(TasksPage {
        page,
        form,
        failed_task,
        rows,
    })
}

/// `GET /staff/tasks`
pub(crate) async fn list(ctx: Ctx) -> Result<Response, WebError> {
    Ok(render_page(
        &tasks_page(&ctx, FormState::default(), String::new()).await?,
    ))
}

/// Completing a task, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CompleteForm {
    outcome: String,
    duplicate: String,
}

/// `POST /staff/tasks/{id}/complete`
pub(crate) async fn complete(
    ctx: Ctx,
    Path(id): Path<String>,
    VerifiedForm(form): VerifiedForm<CompleteForm>,
) -> Result<Response, WebError> {
    let task: TaskId = id.parse().map_err(|_| WebError::from(AppError::NotFound))?;
    match ctx
        .app()
        .complete_task(ctx.principal(), task, &form.outcome, &form.duplicate)
        .await
    {
        Ok(()) => Ok(Redirect::to("/staff/tasks").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = tasks_page(&ctx, FormState::default(), id.clone()).await?;
            let values =
                FormState::with_values([("outcome", form.outcome), ("duplicate", form.duplicate)]);
            page.form = values.with_errors(&errors, &page.page);
            page.form.link_problems(|field| format!("{field}-{id}"));
            page.page.title_with_errors();
            let mut response = render_page(&page);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
