//! Feedback for everyone: the Friends and Family Test with a free-text follow-up and a story
//! (`/feedback`, any time; `/feedback/{token}` from the link in a message, once), concerns for
//! customer care (`/concerns`), and the published "you said, we did" (`/you-said-we-did`).
//! The same over the API.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::AppError;
use jointly_domain::ValidationErrors;
use jointly_domain::feedback::{
    ConcernAnswers, FeedbackAnswers, FftAnswer, ImprovementStatus, Moment,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{ApiJson, json};
use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::Choice;
use crate::render::{PageContext, Text, render_page};

/// Whether the page follows a saved answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    page: PageContext,
    form: FormState,
    /// Where the form posts.
    action: String,
    /// What the link asks about, or nothing for the open form (which asks).
    about: Option<Text>,
    moments: Vec<Choice>,
    answers: Vec<Choice>,
    publish: Vec<Choice>,
    /// Thanks, after an answer (or when the link was answered already).
    thanks: Option<Text>,
}

pub(crate) fn fft_choices(page: &PageContext) -> Vec<Choice> {
    FftAnswer::ALL
        .iter()
        .map(|a| Choice::new(a.as_str(), page.t(&format!("fft-{}", a.as_str()))))
        .collect()
}

pub(crate) fn moment_choices(page: &PageContext) -> Vec<Choice> {
    Moment::ALL
        .iter()
        .map(|m| {
            Choice::new(
                m.as_str(),
                page.t(&format!("feedback-moment-{}", m.as_str())),
            )
        })
        .collect()
}

fn feedback_page(ctx: &Ctx, action: String, about: Option<Text>, form: FormState) -> FeedbackPage {
    let page = PageContext::new(ctx, "feedback-title");
    FeedbackPage {
        moments: moment_choices(&page),
        answers: fft_choices(&page),
        publish: vec![
            Choice::new("yes", page.t("feedback-publish-yes")),
            Choice::new("no", page.t("feedback-publish-no")),
        ],
        form,
        action,
        about,
        thanks: None,
        page,
    }
}

/// The FFT answers as a form sends them (staff's form adds how it was given).
pub(crate) fn answers_of(sent: &HashMap<String, String>) -> FeedbackAnswers {
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    FeedbackAnswers {
        answer: field("answer"),
        comment: field("comment"),
        story: field("story"),
        publish: field("publish"),
        mode: field("mode"),
    }
}

fn refused(
    mut page: FeedbackPage,
    sent: HashMap<String, String>,
    errors: &ValidationErrors,
) -> Response {
    page.form = FormState::from_map(sent).with_errors(errors, &page.page);
    page.page.title_with_errors();
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// `GET /feedback`
pub(crate) async fn open(ctx: Ctx, Query(query): Query<DoneQuery>) -> Response {
    let mut page = feedback_page(&ctx, "/feedback".into(), None, FormState::default());
    if query.done.is_some() {
        page.thanks = Some(page.page.t("feedback-thanks"));
    }
    render_page(&page)
}

/// `POST /feedback`
pub(crate) async fn give(
    ctx: Ctx,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let moment = sent.get("moment").cloned().unwrap_or_default();
    match ctx
        .app()
        .give_feedback(ctx.principal(), &answers_of(&sent), &moment)
        .await
    {
        Ok(_) => Ok(Redirect::to("/feedback?done=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = feedback_page(&ctx, "/feedback".into(), None, FormState::default());
            Ok(refused(page, sent, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

async fn linked_page(ctx: &Ctx, token: &str, form: FormState) -> Result<FeedbackPage, WebError> {
    let link = ctx.app().feedback_link(token).await?;
    let page = PageContext::new(ctx, "feedback-title");
    let moment = page.t(&format!("feedback-moment-{}", link.moment.as_str()));
    let about = match &link.service_name {
        Some(service) => page.t2(
            "feedback-about-service",
            "service",
            service,
            "moment",
            moment.as_str(),
        ),
        None => page.t1("feedback-about", "moment", moment.as_str()),
    };
    let mut shown = feedback_page(ctx, format!("/feedback/{token}"), Some(about), form);
    if link.answered {
        shown.thanks = Some(shown.page.t("feedback-thanks"));
    }
    Ok(shown)
}

/// `GET /feedback/{token}`
pub(crate) async fn linked(ctx: Ctx, Path(token): Path<String>) -> Result<Response, WebError> {
    Ok(render_page(
        &linked_page(&ctx, &token, FormState::default()).await?,
    ))
}

/// `POST /feedback/{token}`
pub(crate) async fn give_linked(
    ctx: Ctx,
    Path(token): Path<String>,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    match ctx
        .app()
        .give_feedback_by_link(&token, &answers_of(&sent))
        .await
    {
        // The page now says thank you (the link is answered).
        Ok(_) | Err(AppError::Conflict("feedback_given")) => {
            Ok(Redirect::to(&format!("/feedback/{token}")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = linked_page(&ctx, &token, FormState::default()).await?;
            Ok(refused(page, sent, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

/// Feedback over the API: the Friends and Family Test answer, with an optional follow-up and
/// story.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedbackBody {
    /// "Overall, how was your experience of our service?": `very_good`, `good`, `neither`,
    /// `poor`, `very_poor` or `dont_know`.
    answer: String,
    /// Where in the journey: `after_triage`, `after_appointment`, `at_discharge` or
    /// `any_time` (the default).
    #[serde(default)]
    moment: String,
    /// What was good, or could be better (up to 2,000 characters).
    #[serde(default)]
    comment: String,
    /// A story in their own words (up to 5,000 characters).
    #[serde(default)]
    story: String,
    /// Whether the story may be published without their name; needed with a story.
    #[serde(default)]
    publish: Option<bool>,
}

/// The feedback, saved.
#[derive(Serialize, ToSchema)]
struct FeedbackSaved {
    /// The feedback's id.
    id: String,
}

/// Gives feedback: the Friends and Family Test answer, with an optional comment and story.
///
/// Anyone may give it; a signed-in patient's feedback is linked to their latest referral,
/// anyone else's is anonymous.
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback",
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "The feedback was saved", body = FeedbackSaved),
        (status = 422, description = "An answer is missing or not allowed: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_give(
    ctx: Ctx,
    ApiJson(body): ApiJson<FeedbackBody>,
) -> Result<Response, WebError> {
    let answers = FeedbackAnswers {
        answer: body.answer,
        comment: body.comment,
        story: body.story,
        publish: body
            .publish
            .map_or("", |p| if p { "yes" } else { "no" })
            .to_owned(),
        mode: String::new(),
    };
    let moment = if body.moment.is_empty() {
        "any_time".to_owned()
    } else {
        body.moment
    };
    let feedback = ctx
        .app()
        .give_feedback(ctx.principal(), &answers, &moment)
        .await?;
    Ok(json(
        StatusCode::CREATED,
        &FeedbackSaved {
            id: feedback.id.to_string(),
        },
    ))
}

#[derive(Template)]
#[template(path = "concerns.html")]
struct ConcernPage {
    page: PageContext,
    form: FormState,
    thanks: Option<Text>,
}

/// `GET /concerns`
pub(crate) async fn concern_form(ctx: Ctx, Query(query): Query<DoneQuery>) -> Response {
    let page = PageContext::new(&ctx, "concern-title");
    let thanks = query.done.map(|_| page.t("concern-thanks"));
    render_page(&ConcernPage {
        page,
        form: FormState::default(),
        thanks,
    })
}

fn concern_answers(sent: &HashMap<String, String>) -> ConcernAnswers {
    let field = |name: &str| sent.get(name).cloned().unwrap_or_default();
    ConcernAnswers {
        name: field("name"),
        contact: field("contact"),
        concern: field("concern"),
    }
}

/// `POST /concerns`
pub(crate) async fn raise(
    ctx: Ctx,
    VerifiedForm(sent): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    match ctx
        .app()
        .raise_concern(ctx.principal(), &concern_answers(&sent))
        .await
    {
        Ok(_) => Ok(Redirect::to("/concerns?done=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = PageContext::new(&ctx, "concern-title");
            let form = FormState::from_map(sent).with_errors(&errors, &page);
            page.title_with_errors();
            let mut response = render_page(&ConcernPage {
                page,
                form,
                thanks: None,
            });
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// The concern, received, with its deadlines in working days.
#[derive(Serialize, ToSchema)]
struct ConcernRaised {
    /// The concern's id.
    id: String,
    /// Customer care acknowledges it by this day, `YYYY-MM-DD`.
    acknowledge_by: String,
    /// Customer care responds in full by this day, `YYYY-MM-DD`.
    respond_by: String,
}

/// Raises a concern with customer care.
///
/// The answer gives the days by which it will be acknowledged and responded to in full,
/// counted in working days.
#[utoipa::path(post, path = "/api/v1/concerns", tag = "feedback",
    request_body = ConcernAnswers,
    responses(
        (status = 201, description = "The concern was received", body = ConcernRaised),
        (status = 422, description = "A field is missing or too long: the problem names each field", body = crate::openapi::Problem)))]
pub(crate) async fn api_raise(
    ctx: Ctx,
    ApiJson(body): ApiJson<ConcernAnswers>,
) -> Result<Response, WebError> {
    let concern = ctx.app().raise_concern(ctx.principal(), &body).await?;
    Ok(json(
        StatusCode::CREATED,
        &ConcernRaised {
            id: concern.id.to_string(),
            acknowledge_by: concern.acknowledge_by.to_string(),
            respond_by: concern.respond_by.to_string(),
        },
    ))
}

/// An improvement as the public sees it.
struct ImprovementRow {
    theme: Text,
    you_said: String,
    we_did: String,
    status: Text,
}

#[derive(Template)]
#[template(path = "you_said.html")]
struct YouSaidPage {
    page: PageContext,
    done: Vec<ImprovementRow>,
    under_way: Vec<ImprovementRow>,
    stories: Vec<String>,
}

/// `GET /you-said-we-did`
pub(crate) async fn you_said(ctx: Ctx) -> Result<Response, WebError> {
    let (improvements, stories) = ctx.app().you_said_we_did().await?;
    let page = PageContext::new(&ctx, "you-said-title");
    let rows = |done: bool| -> Vec<ImprovementRow> {
        improvements
            .iter()
            .filter(|i| (i.status == ImprovementStatus::Done) == done)
            .map(|i| ImprovementRow {
                theme: page.t(&format!("theme-{}", i.theme.as_str())),
                you_said: i.you_said.clone(),
                we_did: i.we_did.clone(),
                status: page.t(&format!("improvement-status-{}", i.status.as_str())),
            })
            .collect()
    };
    let shown = YouSaidPage {
        done: rows(true),
        under_way: rows(false),
        stories: stories
            .into_iter()
            .filter_map(|f| f.story.map(|s| s.text))
            .collect(),
        page,
    };
    Ok(render_page(&shown))
}

/// An action taken because of feedback: "you said, we did".
#[derive(Serialize, ToSchema)]
struct PublishedImprovement<'a> {
    /// The theme of the feedback behind it: `waiting`, `communication`, `booking`, `staff`,
    /// `treatment`, `access`, `information`, `digital` or `other`.
    theme: &'static str,
    /// What people told us, in a sentence.
    you_said: &'a str,
    /// What we are doing or did.
    we_did: &'a str,
    /// Where it stands: `planned`, `in_progress` or `done`.
    status: &'static str,
    /// When it should be done by, `YYYY-MM-DD`, when set.
    due: Option<String>,
}

/// Lists the published "you said, we did": what changed because of feedback.
#[utoipa::path(get, path = "/api/v1/you-said-we-did", tag = "feedback",
    responses((status = 200, description = "The published improvements", body = [PublishedImprovement<'static>])))]
pub(crate) async fn api_you_said(ctx: Ctx) -> Result<Response, WebError> {
    let (improvements, _) = ctx.app().you_said_we_did().await?;
    let out: Vec<_> = improvements
        .iter()
        .map(|i| PublishedImprovement {
            theme: i.theme.as_str(),
            you_said: &i.you_said,
            we_did: &i.we_did,
            status: i.status.as_str(),
            due: i.due.map(|d| d.to_string()),
        })
        .collect();
    Ok(json(StatusCode::OK, &out))
}
