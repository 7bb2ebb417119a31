//! The passport as a printable PDF, for people without the internet and for the care team to
//! post or hand over: what the page shows (with the care team's notes only in their copy), the
//! current exercise programme, in the person's language and print size. Reading it is audited
//! like the page.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jointly_app::{ExerciseView, PassportView};
use jointly_notify::{PrintBlock, PrintDocument, document_pdf};

use super::{PassportPage, passport_page, patient_id};
use crate::context::Ctx;
use crate::error::WebError;
use crate::form::FormState;

/// The blocks of the printed passport, from the page it mirrors.
fn blocks(page: &PassportPage, exercises: &ExerciseView, ctx: &Ctx) -> Vec<PrintBlock> {
    let p = &page.page;
    let (about, timeline) = if page.staff {
        (
            "passport-about-heading-staff",
            "passport-timeline-heading-staff",
        )
    } else {
        ("passport-about-heading", "passport-timeline-heading")
    };
    let mut out = vec![
        PrintBlock::Title(p.plain1("passport-pdf-title", "name", &page.name)),
        PrintBlock::Text(p.plain1(
            "passport-pdf-printed",
            "date",
            p.long_date(&ctx.app().clock().now()),
        )),
        PrintBlock::Field(
            p.plain("passport-key-contact"),
            if page.key_contact.is_empty() {
                p.plain("passport-key-contact-none")
            } else {
                page.key_contact.clone()
            },
        ),
        PrintBlock::Field(p.plain("passport-problems"), page.problems.join("; ")),
        PrintBlock::Field(
            p.plain("passport-needs"),
            if page.needs.is_empty() {
                p.plain("passport-needs-none")
            } else {
                page.needs.join("; ")
            },
        ),
        PrintBlock::Heading(p.plain(about)),
    ];
    for (field, label) in [
        ("what_matters", "passport-what-matters"),
        ("work", "passport-work"),
        ("mood", "passport-mood"),
        ("sleep", "passport-sleep"),
        ("social", "passport-social"),
    ] {
        let said = page.form.value(field);
        if !said.is_empty() {
            out.push(PrintBlock::Field(p.plain(label), said.to_owned()));
        }
    }
    out.push(PrintBlock::Heading(p.plain("passport-goals-heading")));
    if page.goals.is_empty() {
        out.push(PrintBlock::Text(p.plain("passport-goals-none")));
    }
    for goal in &page.goals {
        out.push(PrintBlock::Text(format!("{} — {}", goal.text, goal.status)));
    }
    if let Some(programme) = &exercises.programme {
        let library = ctx.app().exercise_library();
        out.push(PrintBlock::Heading(p.plain("exercises-heading")));
        for dose in &programme.items {
            let Some(exercise) = library.exercise(&dose.exercise) else {
                continue;
            };
            let words = super::super::exercises::words(exercise, p);
            let amount = super::super::exercises::dose_words(p, dose);
            out.push(PrintBlock::Field(
                format!("{} ({amount})", words.name),
                words.steps.join(" "),
            ));
        }
    }
    out.push(PrintBlock::Heading(p.plain(timeline)));
    // Oldest first on paper, as a story.
    for moment in page.timeline.iter().rev() {
        let mut when = format!("{}, {}", p.long_date(&moment.at), p.time(&moment.at));
        if !moment.by.is_empty() {
            when = format!("{when} · {}", moment.by);
        }
        let detail = match &moment.link {
            Some((_, name)) if moment.detail.is_empty() => name.clone(),
            Some((_, name)) => format!("{name}: {}", moment.detail),
            None => moment.detail.clone(),
        };
        out.push(PrintBlock::Field(
            format!("{} — {when}", moment.title),
            detail,
        ));
        for (label, text) in &moment.parts {
            out.push(PrintBlock::Field(label.to_string(), text.clone()));
        }
    }
    out
}

async fn pdf(ctx: Ctx, view: PassportView) -> Result<Response, WebError> {
    let exercises = ctx
        .app()
        .exercises(ctx.principal(), view.patient.id)
        .await?;
    let page = passport_page(&ctx, &view, FormState::default());
    let document = PrintDocument {
        locale: page.page.locale,
        point_size: view.communication.needs.letter_format().point_size(),
        letterhead: (
            page.page.service_name.clone(),
            page.page.service_phone.clone(),
        ),
        blocks: blocks(&page, &exercises, &ctx),
    };
    pdf_response(&document, "passport.pdf")
}

/// A printable document as a PDF response, never cached (it may be about a person).
pub(crate) fn pdf_response(document: &PrintDocument, filename: &str) -> Result<Response, WebError> {
    let printed = document_pdf(document)
        .map_err(|e| WebError::from(jointly_app::AppError::Internal(e.to_string())))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        printed.bytes,
    )
        .into_response())
}

/// `GET /portal/passport.pdf`
pub(crate) async fn own(ctx: Ctx) -> Result<Response, WebError> {
    let view = ctx.app().own_passport(ctx.principal()).await?;
    pdf(ctx, view).await
}

/// `GET /staff/patients/{id}/passport.pdf`
pub(crate) async fn for_staff(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ctx
        .app()
        .passport(ctx.principal(), patient_id(&id)?)
        .await?;
    pdf(ctx, view).await
}
