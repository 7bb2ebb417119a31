//! How we contact you: the form for communication needs and preferences (the person's own in
//! the portal, or staff recording them for the person a referral is about), and the portal
//! inbox of messages sent.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jointly_app::AppError;
use jointly_domain::communication::{
    CommunicationAnswers, CommunicationProfile, Need, NeedCategory, PORTAL,
};
use jointly_domain::contact::ContactChannel;
use jointly_domain::intake::CarerAnswers;
use jointly_domain::patient::Language;
use jointly_domain::{MessageId, ReferralId};
use jointly_store::PortalMessage;
use serde::Deserialize;

use crate::context::Ctx;
use crate::csrf::VerifiedForm;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::{Choice, PersonChoices, Tick, label};
use crate::render::{PageContext, Text, render_page};

/// The ticks of one category of needs.
struct NeedGroup {
    /// Field name for the group's hint and error (`needs` for the first).
    name: &'static str,
    legend: Text,
    ticks: Vec<Tick>,
}

#[derive(Template)]
#[template(path = "portal/communication.html")]
struct CommunicationPage {
    page: PageContext,
    form: FormState,
    groups: Vec<NeedGroup>,
    languages: Vec<Choice>,
    channels: Vec<Choice>,
    choices: PersonChoices,
    no_internet: Vec<Tick>,
    copy_carer: Vec<Tick>,
    notice: Option<Text>,
    action: String,
    back: String,
}

fn communication_page(
    ctx: &Ctx,
    current: &CommunicationProfile,
    mut form: FormState,
    notice: Option<Text>,
    (action, back): (String, String),
) -> CommunicationPage {
    let page = PageContext::new(ctx, "communication-title");
    let fresh = form.problems().is_empty();
    let ticked = |need: Need| {
        if fresh {
            current.needs.has(need)
        } else {
            form.value(&format!("need_{}", need.key())) == "yes"
        }
    };
    let groups = NeedCategory::ALL
        .into_iter()
        .enumerate()
        .map(|(i, category)| NeedGroup {
            name: [
                "needs",
                "needs_format",
                "needs_professional",
                "needs_support",
            ][i],
            legend: page.t(&format!("communication-category-{}", category.as_str())),
            ticks: category
                .needs()
                .map(|need| Tick {
                    name: format!("need_{}", need.key()),
                    label: page.t(&format!("need-{}", need.key())),
                    checked: ticked(need),
                })
                .collect(),
        })
        .collect();
    if fresh {
        let preferences = &current.preferences;
        // The portal, when it comes first, is the first of the three choices.
        let order: Vec<&str> = preferences
            .portal_first
            .then_some(PORTAL)
            .into_iter()
            .chain(preferences.order.iter().map(|c| c.as_str()))
            .collect();
        for (i, field) in ["channel_1", "channel_2", "channel_3"]
            .into_iter()
            .enumerate()
        {
            form.set(field, order.get(i).copied().unwrap_or(""));
        }
        form.set(
            "interpreter_language",
            current.needs.interpreter_language.map_or("", |l| l.code()),
        );
        form.set(
            "communication_details",
            current.needs.details.as_deref().unwrap_or(""),
        );
        if let Some(quiet) = preferences.quiet_hours {
            form.set("quiet_from", &quiet.from.strftime("%H:%M").to_string());
            form.set("quiet_until", &quiet.until.strftime("%H:%M").to_string());
        }
        if let Some(carer) = &preferences.carer {
            form.set("carer_name", carer.name.as_str());
            form.set("carer_relationship", carer.relationship.as_str());
            form.set(
                "carer_phone",
                &carer
                    .phone
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
            form.set(
                "carer_email",
                &carer
                    .email
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
            form.set("carer_consent", "yes");
        }
        form.set(
            "digitally_excluded",
            if preferences.digitally_excluded {
                "yes"
            } else {
                ""
            },
        );
        form.set(
            "copy_carer",
            if preferences.copy_carer { "yes" } else { "" },
        );
    }
    let mut languages = vec![Choice::new("", page.t("communication-interpreter-none"))];
    languages.extend(
        Language::KNOWN
            .iter()
            .filter(|code| **code != "en")
            .map(|code| Choice::new(*code, label(&page, "language", code))),
    );
    let mut channels = vec![
        Choice::new("", page.t("communication-channel-none")),
        Choice::new(PORTAL, page.t("communication-channel-portal")),
    ];
    channels.extend(
        ContactChannel::ALL
            .iter()
            .map(|c| Choice::new(c.as_str(), label(&page, "contact", c.as_str()))),
    );
    let tick = |name: &str, label: Text| {
        vec![Tick {
            name: name.to_owned(),
            checked: form.value(name) == "yes",
            label,
        }]
    };
    let no_internet = tick("digitally_excluded", page.t("communication-no-internet"));
    let copy_carer = tick("copy_carer", page.t("communication-copy-carer"));
    CommunicationPage {
        choices: PersonChoices::about_a_carer(&page),
        page,
        form,
        groups,
        languages,
        channels,
        no_internet,
        copy_carer,
        notice,
        action,
        back,
    }
}

/// The form's fields as the domain's answers.
fn answers_from(fields: &HashMap<String, String>) -> CommunicationAnswers {
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let mut needs: Vec<String> = fields
        .iter()
        .filter(|(k, v)| k.starts_with("need_") && v.as_str() == "yes")
        .map(|(k, _)| k.trim_start_matches("need_").to_owned())
        .collect();
    needs.sort();
    let carer = CarerAnswers {
        carer_name: field("carer_name"),
        carer_relationship: field("carer_relationship"),
        carer_phone: field("carer_phone"),
        carer_email: field("carer_email"),
        carer_consent: field("carer_consent"),
    };
    CommunicationAnswers {
        needs,
        interpreter_language: field("interpreter_language"),
        communication_details: field("communication_details"),
        channels: ["channel_1", "channel_2", "channel_3"]
            .into_iter()
            .map(field)
            .filter(|c| !c.is_empty())
            .collect(),
        quiet_from: field("quiet_from"),
        quiet_until: field("quiet_until"),
        digitally_excluded: field("digitally_excluded"),
        carer: Some(carer),
        copy_carer: field("copy_carer"),
    }
}

/// Re-shows the form with what was entered and every problem named.
fn refused(
    ctx: &Ctx,
    current: &CommunicationProfile,
    fields: HashMap<String, String>,
    errors: &jointly_domain::ValidationErrors,
    links: (String, String),
) -> Response {
    let values = fields.into_iter().filter(|(k, _)| k != "_csrf");
    let mut page = communication_page(ctx, current, FormState::default(), None, links);
    page.form = FormState::from_map(values).with_errors(errors, &page.page);
    page.page.title_with_errors();
    // Ticks show what was entered, not what was saved.
    for group in &mut page.groups {
        for tick in &mut group.ticks {
            tick.checked = page.form.value(&tick.name) == "yes";
        }
    }
    let mut response = render_page(&page);
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

/// Whether the page follows a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

fn portal_links() -> (String, String) {
    ("/portal/communication".into(), "/portal".into())
}

/// `GET /portal/communication`
pub(crate) async fn form(ctx: Ctx, Query(query): Query<SavedQuery>) -> Result<Response, WebError> {
    let current = ctx.app().own_communication(ctx.principal()).await?;
    let notice = query
        .saved
        .map(|_| PageContext::new(&ctx, "communication-title").t("communication-saved"));
    Ok(render_page(&communication_page(
        &ctx,
        &current,
        FormState::default(),
        notice,
        portal_links(),
    )))
}

/// `POST /portal/communication`
pub(crate) async fn save(
    ctx: Ctx,
    VerifiedForm(fields): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let answers = answers_from(&fields);
    match ctx
        .app()
        .set_own_communication(ctx.principal(), &answers)
        .await
    {
        Ok(_) => Ok(Redirect::to("/portal/communication?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = ctx.app().own_communication(ctx.principal()).await?;
            Ok(refused(&ctx, &current, fields, &errors, portal_links()))
        }
        Err(other) => Err(other.into()),
    }
}

fn staff_links(referral: ReferralId) -> (String, String) {
    (
        format!("/staff/referrals/{referral}/communication"),
        format!("/staff/referrals/{referral}"),
    )
}

fn referral_id(raw: &str) -> Result<ReferralId, WebError> {
    raw.parse().map_err(|_| WebError::from(AppError::NotFound))
}

/// `GET /staff/referrals/{id}/communication`: staff record the person's needs.
pub(crate) async fn staff_form(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let referral = referral_id(&raw)?;
    let view = ctx
        .app()
        .referral_for_staff(ctx.principal(), referral)
        .await?;
    Ok(render_page(&communication_page(
        &ctx,
        &view.communication,
        FormState::default(),
        None,
        staff_links(referral),
    )))
}

/// `POST /staff/referrals/{id}/communication`
pub(crate) async fn staff_save(
    ctx: Ctx,
    Path(raw): Path<String>,
    VerifiedForm(fields): VerifiedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let referral = referral_id(&raw)?;
    let answers = answers_from(&fields);
    match ctx
        .app()
        .set_communication_for_referral(ctx.principal(), referral, &answers)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/staff/referrals/{referral}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = ctx
                .app()
                .referral_for_staff(ctx.principal(), referral)
                .await?;
            Ok(refused(
                &ctx,
                &view.communication,
                fields,
                &errors,
                staff_links(referral),
            ))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "portal/messages.html")]
struct MessagesPage {
    page: PageContext,
    messages: Vec<PortalMessage>,
}

#[derive(Template)]
#[template(path = "portal/message.html")]
struct MessagePage {
    page: PageContext,
    message: PortalMessage,
}

/// `GET /portal/messages`: the inbox.
pub(crate) async fn inbox(ctx: Ctx) -> Result<Response, WebError> {
    let inbox = ctx.app().inbox(ctx.principal()).await?;
    Ok(render_page(&MessagesPage {
        page: PageContext::new(&ctx, "messages-title"),
        messages: inbox.messages,
    }))
}

/// `GET /portal/messages/{id}`: one message, which counts as read once opened.
pub(crate) async fn message(ctx: Ctx, Path(raw): Path<String>) -> Result<Response, WebError> {
    let id: MessageId = raw
        .parse()
        .map_err(|_| WebError::from(AppError::NotFound))?;
    ctx.app().read_inbox_message(ctx.principal(), id).await?;
    let message = ctx
        .app()
        .inbox(ctx.principal())
        .await?
        .messages
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(render_page(&MessagePage {
        page: PageContext::new(&ctx, "messages-title"),
        message,
    }))
}
