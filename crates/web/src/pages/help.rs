//! Education and signposting for everyone, signed in or not: condition pages, self-help while
//! waiting and pain management (each printable as a resource pack), and the directory of
//! community services with its filters. Nothing here is personal, so nothing is audited.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jointly_app::AppError;
use jointly_domain::DomainError;
use jointly_domain::directory::{Category, CommunityService, DirectoryQuery, Resource};
use jointly_domain::education::{Topic, TopicKind, TopicText};
use jointly_notify::{PrintBlock, PrintDocument};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::ApiQuery;
use crate::context::Ctx;
use crate::error::WebError;
use crate::form::FormState;
use crate::pages::exercises::{Words, words};
use crate::pages::passport::print::pdf_response;
use crate::pages::{Choice, Tick, content_language};
use crate::render::{PageContext, Text, render_page};

/// Body text size of a large-print resource pack, in points.
const LARGE_PRINT: u8 = 18;

/// A page or service as a link: where it is and its name in the page's language.
pub(crate) fn resource_link(
    ctx: &Ctx,
    page: &PageContext,
    resource: &Resource,
) -> (String, String) {
    let app = ctx.app();
    match resource {
        Resource::Topic(code) => (
            format!("/help/{code}"),
            app.education().topic(code).map_or_else(
                || code.clone(),
                |t| t.text(content_language(page.locale)).0.title.clone(),
            ),
        ),
        Resource::Service(code) => (
            format!("/help/directory/{code}"),
            app.directory()
                .service(code)
                .map_or_else(|| code.clone(), |s| s.name.clone()),
        ),
    }
}

/// A topic in a list: its address, title and summary.
struct TopicLink {
    href: String,
    title: String,
    summary: String,
    translated: bool,
}

fn topic_link(topic: &Topic, language: &str) -> TopicLink {
    let (text, translated) = topic.text(language);
    TopicLink {
        href: format!("/help/{}", topic.id),
        title: text.title.clone(),
        summary: text.summary.clone(),
        translated,
    }
}

#[derive(Template)]
#[template(path = "help/index.html")]
struct HelpPage {
    page: PageContext,
    /// (heading, topics) for each kind of page.
    groups: Vec<(Text, Vec<TopicLink>)>,
}

/// `GET /help`
pub(crate) async fn index(ctx: Ctx) -> Response {
    let page = PageContext::new(&ctx, "help-title");
    let language = content_language(page.locale);
    let groups = TopicKind::ALL
        .into_iter()
        .map(|kind| {
            let topics = ctx
                .app()
                .education()
                .topics
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| topic_link(t, language))
                .collect();
            (page.t(&format!("help-kind-{}", kind.as_str())), topics)
        })
        .collect();
    render_page(&HelpPage { page, groups })
}

#[derive(Template)]
#[template(path = "help/topic.html")]
struct TopicPage {
    page: PageContext,
    id: String,
    text: TopicText,
    translated: bool,
    exercises: Vec<Words>,
}

fn find_topic<'a>(ctx: &'a Ctx, id: &str) -> Result<&'a Topic, WebError> {
    ctx.app()
        .education()
        .topic(id)
        .ok_or(WebError::from(AppError::NotFound))
}

fn topic_page(ctx: &Ctx, topic: &Topic) -> TopicPage {
    let mut page = PageContext::new(ctx, "help-title");
    let (text, translated) = topic.text(content_language(page.locale));
    page.title = text.title.clone();
    let library = ctx.app().exercise_library();
    let exercises = topic
        .exercises
        .iter()
        .filter_map(|code| library.exercise(code))
        .map(|exercise| words(exercise, &page))
        .collect();
    TopicPage {
        id: topic.id.clone(),
        text: text.clone(),
        translated,
        exercises,
        page,
    }
}

/// `GET /help/{topic}`
pub(crate) async fn topic(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let topic = find_topic(&ctx, &id)?;
    Ok(render_page(&topic_page(&ctx, topic)))
}

/// The print size of a resource pack.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PackQuery {
    print: String,
}

/// `GET /help/{topic}/pack.pdf`: the page as a resource pack to download or print, with its
/// exercises step by step; `?print=large` sets it in large print.
pub(crate) async fn pack(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<PackQuery>,
) -> Result<Response, WebError> {
    let point_size = match query.print.as_str() {
        "" | "standard" => 12,
        "large" => LARGE_PRINT,
        _ => return Err(AppError::NotFound.into()),
    };
    let topic = find_topic(&ctx, &id)?;
    let shown = topic_page(&ctx, topic);
    let p = &shown.page;
    let mut blocks = vec![
        PrintBlock::Title(shown.text.title.clone()),
        PrintBlock::Text(shown.text.summary.clone()),
    ];
    if !shown.text.urgent.is_empty() {
        blocks.push(PrintBlock::Heading(p.plain("help-urgent-heading")));
        blocks.extend(
            shown
                .text
                .urgent
                .iter()
                .map(|u| PrintBlock::Text(format!("• {u}"))),
        );
        blocks.push(PrintBlock::Text(p.plain("help-urgent-111")));
    }
    for section in &shown.text.sections {
        blocks.push(PrintBlock::Heading(section.heading.clone()));
        blocks.extend(section.paragraphs.iter().cloned().map(PrintBlock::Text));
    }
    if !shown.exercises.is_empty() {
        blocks.push(PrintBlock::Heading(p.plain("help-exercises-heading")));
        for exercise in &shown.exercises {
            let steps: Vec<String> = exercise
                .steps
                .iter()
                .enumerate()
                .map(|(i, step)| format!("{}. {step}", i + 1))
                .collect();
            blocks.push(PrintBlock::Field(exercise.name.clone(), steps.join(" ")));
        }
    }
    blocks.push(PrintBlock::Text(p.plain1(
        "help-pack-more",
        "phone",
        &p.service_phone,
    )));
    let document = PrintDocument {
        locale: p.locale,
        point_size,
        letterhead: (p.service_name.clone(), p.service_phone.clone()),
        blocks,
    };
    pdf_response(&document, &format!("{id}.pdf"))
}

/// A service in the directory's results.
struct ServiceCard {
    id: String,
    name: String,
    category: Text,
    areas: String,
    description: String,
    translated: bool,
    /// Tags: refer yourself, free, evenings, weekends.
    tags: Vec<Text>,
}

fn area_names(ctx: &Ctx, page: &PageContext, service: &CommunityService) -> String {
    service
        .areas
        .iter()
        .map(|code| {
            ctx.app()
                .directory()
                .area(code)
                .map_or_else(|| page.plain("directory-anywhere"), |a| a.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn tags(page: &PageContext, service: &CommunityService) -> Vec<Text> {
    [
        (service.self_referral, "directory-tag-self-referral"),
        (service.free, "directory-tag-free"),
        (service.evenings(), "directory-tag-evenings"),
        (service.weekends(), "directory-tag-weekends"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| page.t(key))
    .collect()
}

#[derive(Template)]
#[template(path = "help/directory.html")]
struct DirectoryPage {
    page: PageContext,
    form: FormState,
    categories: Vec<Choice>,
    areas: Vec<Choice>,
    times: Vec<Tick>,
    services: Vec<ServiceCard>,
    /// "3 services found", or "Every service" before any filter.
    results: Text,
}

/// `GET /help/directory`: every service, or those matching the filters. An unknown filter is
/// named (422), never shown as "nothing found".
pub(crate) async fn directory(
    ctx: Ctx,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, WebError> {
    let mut page = PageContext::new(&ctx, "directory-title");
    let directory = ctx.app().directory();
    let language = content_language(page.locale);
    let mut form = FormState::with_values([
        ("category", query.category.trim().to_owned()),
        ("area", query.area.trim().to_owned()),
    ]);
    let ticked = |flag: &Option<String>| flag.as_deref().is_some_and(|v| !v.is_empty());
    let times = [
        ("evenings", &query.evenings, "directory-filter-evenings"),
        ("weekends", &query.weekends, "directory-filter-weekends"),
        (
            "self_referral",
            &query.self_referral,
            "directory-filter-self-referral",
        ),
    ]
    .into_iter()
    .map(|(name, flag, key)| Tick {
        name: name.to_owned(),
        label: page.t(key),
        checked: ticked(flag),
    })
    .collect();
    let (found, status) = match directory.search(&query) {
        Ok(found) => (found, StatusCode::OK),
        Err(DomainError::Invalid(errors)) => {
            form = form.with_errors(&errors, &page);
            page.title_with_errors();
            (Vec::new(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => return Err(AppError::from(other).into()),
    };
    let services: Vec<ServiceCard> = found
        .into_iter()
        .map(|service| {
            let (text, translated) = service.text(language);
            ServiceCard {
                id: service.id.clone(),
                name: service.name.clone(),
                category: page.t(&format!("directory-category-{}", service.category.as_str())),
                areas: area_names(&ctx, &page, service),
                description: text.description.clone(),
                translated,
                tags: tags(&page, service),
            }
        })
        .collect();
    let mut categories = vec![Choice::new("", page.t("directory-any-category"))];
    categories.extend(Category::ALL.into_iter().map(|c| {
        Choice::new(
            c.as_str(),
            page.t(&format!("directory-category-{}", c.as_str())),
        )
    }));
    let mut areas = vec![Choice::new("", page.t("directory-any-area"))];
    areas.extend(
        directory
            .areas
            .iter()
            .map(|a| Choice::new(a.id.clone(), Text::plain(a.name.clone()))),
    );
    let searched = !query.category.trim().is_empty()
        || !query.area.trim().is_empty()
        || ticked(&query.evenings)
        || ticked(&query.weekends)
        || ticked(&query.self_referral);
    let results = if searched {
        page.t_args(
            "directory-found",
            &[("count", jointly_i18n::Arg::Num(services.len() as f64))],
        )
    } else {
        page.t("directory-all")
    };
    let mut response = render_page(&DirectoryPage {
        page,
        form,
        categories,
        areas,
        times,
        services,
        results,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// One opening as shown.
struct OpeningRow {
    day: Text,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "help/service.html")]
struct ServicePage {
    page: PageContext,
    service: CommunityService,
    category: Text,
    areas: String,
    description: String,
    eligibility: String,
    how_to_access: String,
    translated: bool,
    tags: Vec<Text>,
    languages: Vec<Text>,
    access: Vec<Text>,
    opening: Vec<OpeningRow>,
    /// The phone number as a `tel:` address.
    phone_digits: String,
}

/// `GET /help/directory/{service}`
pub(crate) async fn service(ctx: Ctx, Path(id): Path<String>) -> Result<Response, WebError> {
    let service = ctx
        .app()
        .directory()
        .service(&id)
        .ok_or(WebError::from(AppError::NotFound))?
        .clone();
    let mut page = PageContext::new(&ctx, "directory-title");
    page.title = service.name.clone();
    let (text, translated) = service.text(content_language(page.locale));
    let opening = service
        .opening
        .iter()
        .map(|o| OpeningRow {
            day: page.t(&format!(
                "directory-day-{}",
                jointly_domain::rota::weekday_code(o.day)
            )),
            from: page.clock_time(o.from),
            to: page.clock_time(o.to),
        })
        .collect();
    let shown = ServicePage {
        category: page.t(&format!("directory-category-{}", service.category.as_str())),
        areas: area_names(&ctx, &page, &service),
        description: text.description.clone(),
        eligibility: text.eligibility.clone(),
        how_to_access: text.how_to_access.clone(),
        translated,
        tags: tags(&page, &service),
        languages: service
            .languages
            .iter()
            .map(|code| page.t(&format!("language-{code}")))
            .collect(),
        access: service
            .access
            .iter()
            .map(|a| page.t(&format!("directory-access-{}", a.as_str())))
            .collect(),
        opening,
        phone_digits: service
            .phone
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        service,
        page,
    };
    Ok(render_page(&shown))
}

/// When a service is open on one day of the week.
#[derive(serde::Serialize, ToSchema)]
struct DirectoryOpening {
    /// The day: `monday` … `sunday`.
    day: &'static str,
    /// Opens, `HH:MM` (24-hour, local time).
    from: String,
    /// Closes, `HH:MM` (24-hour, local time).
    to: String,
}

/// A service in the community directory, with its words in English.
#[derive(serde::Serialize, ToSchema)]
struct DirectoryService<'a> {
    /// The service's stable code.
    id: &'a str,
    name: &'a str,
    /// Who runs it.
    organisation: &'a str,
    /// What it offers: `exercise_groups`, `weight_management`, `mental_health`,
    /// `peer_support`, `expert_patients`, `social_prescribing`, `stop_smoking` or
    /// `work_support`.
    category: &'static str,
    /// The areas it serves (area codes), or `anywhere`.
    areas: &'a [String],
    /// True when people can refer themselves.
    self_referral: bool,
    /// True when it costs nothing.
    free: bool,
    /// True when it is open after 6pm on some day.
    evenings: bool,
    /// True when it is open on Saturday or Sunday.
    weekends: bool,
    phone: Option<&'a str>,
    /// An `https://` address.
    website: Option<&'a str>,
    email: Option<&'a str>,
    /// Where it meets, when it has a place.
    address: Option<&'a str>,
    /// Languages it works in besides English (language codes).
    languages: &'a [String],
    /// What makes it easier to use: `step_free`, `hearing_loop`, `bsl`, `interpreters`,
    /// `from_home`, `accessible_information`, `accessible_toilet` or `parking`.
    access: Vec<&'static str>,
    /// When it is open.
    opening: Vec<DirectoryOpening>,
    /// What it offers.
    description: &'a str,
    /// Who can use it.
    eligibility: &'a str,
    /// How to get in: referral, self-referral, drop in.
    how_to_access: &'a str,
}

/// Lists the services in the community directory, filtered as asked.
///
/// Every service, or those matching the filters; an unknown category or area is a 422
/// problem naming it, never an empty list.
#[utoipa::path(get, path = "/api/v1/directory", tag = "services",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "The matching services, in the directory's order", body = [DirectoryService<'static>]),
        (status = 422, description = "An unknown category or area: the problem names the filter", body = crate::openapi::Problem)))]
pub(crate) async fn api_directory(
    ctx: Ctx,
    ApiQuery(query): ApiQuery<DirectoryQuery>,
) -> Result<Response, WebError> {
    let found = ctx
        .app()
        .directory()
        .search(&query)
        .map_err(AppError::from)?;
    let out: Vec<_> = found
        .into_iter()
        .map(|s| DirectoryService {
            id: &s.id,
            name: &s.name,
            organisation: &s.organisation,
            category: s.category.as_str(),
            areas: &s.areas,
            self_referral: s.self_referral,
            free: s.free,
            evenings: s.evenings(),
            weekends: s.weekends(),
            phone: s.phone.as_deref(),
            website: s.website.as_deref(),
            email: s.email.as_deref(),
            address: s.address.as_deref(),
            languages: &s.languages,
            access: s.access.iter().map(|a| a.as_str()).collect(),
            opening: s
                .opening
                .iter()
                .map(|o| DirectoryOpening {
                    day: jointly_domain::rota::weekday_code(o.day),
                    from: o.from.strftime("%H:%M").to_string(),
                    to: o.to.strftime("%H:%M").to_string(),
                })
                .collect(),
            description: &s.en.description,
            eligibility: &s.en.eligibility,
            how_to_access: &s.en.how_to_access,
        })
        .collect();
    Ok(crate::api::json(StatusCode::OK, &out))
}
