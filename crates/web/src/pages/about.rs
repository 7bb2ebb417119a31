//! The public pages about the service: our services and the conditions we treat, with how to
//! refer yourself (`/services`); questions and answers (`/faq`); and posters with a QR code to
//! self-referral for GP surgeries, pharmacies and community spaces, in every language
//! (`/posters`, `/posters/{language}` as PDF).

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use jointly_app::AppError;
use jointly_i18n::Locale;
use jointly_notify::{PrintBlock, PrintDocument};

use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::content_language;
use crate::pages::passport::print::pdf_response;
use crate::render::{PageContext, Text, render_page};

/// A service as listed.
struct ServiceCard {
    name: String,
    about: Text,
}

/// A condition page as linked.
struct ConditionLink {
    href: String,
    title: String,
    translated: bool,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    page: PageContext,
    services: Vec<ServiceCard>,
    conditions: Vec<ConditionLink>,
}

/// `GET /services`
pub(crate) async fn services(ctx: Ctx) -> Result<Response, WebError> {
    let page = PageContext::new(&ctx, "our-services-title");
    let services = ctx
        .app()
        .our_services()
        .await?
        .into_iter()
        .map(|s| ServiceCard {
            about: page.t(&format!("services-about-{}", s.kind.as_str())),
            name: s.name,
        })
        .collect();
    let language = content_language(page.locale);
    let conditions = ctx
        .app()
        .education()
        .topics
        .iter()
        .filter(|t| t.kind == jointly_domain::education::TopicKind::Condition)
        .map(|t| {
            let (text, translated) = t.text(language);
            ConditionLink {
                href: format!("/help/{}", t.id),
                title: text.title.clone(),
                translated,
            }
        })
        .collect();
    Ok(render_page(&ServicesPage {
        page,
        services,
        conditions,
    }))
}

/// The questions, in the order asked.
const QUESTIONS: [&str; 9] = [
    "refer", "wait", "cancel", "expect", "worse", "needs", "contact", "feedback", "data",
];

#[derive(Template)]
#[template(path = "faq.html")]
struct FaqPage {
    page: PageContext,
    /// (question, answer).
    answers: Vec<(Text, Text)>,
}

/// `GET /faq`
pub(crate) async fn faq(ctx: Ctx) -> Response {
    let page = PageContext::new(&ctx, "faq-title");
    let answers = QUESTIONS
        .iter()
        .map(|q| {
            (
                page.t(&format!("faq-q-{q}")),
                page.t1(&format!("faq-a-{q}"), "phone", &page.service_phone),
            )
        })
        .collect();
    render_page(&FaqPage { page, answers })
}

/// A poster as listed: its language and address.
struct PosterLink {
    href: String,
    /// The language's own name for itself.
    language: &'static str,
    code: &'static str,
    dir: &'static str,
}

#[derive(Template)]
#[template(path = "posters.html")]
struct PostersPage {
    page: PageContext,
    posters: Vec<PosterLink>,
}

/// `GET /posters`
pub(crate) async fn posters(ctx: Ctx) -> Response {
    let page = PageContext::new(&ctx, "posters-title");
    let posters = Locale::ALL
        .into_iter()
        .map(|locale| PosterLink {
            href: format!("/posters/{}", locale.code()),
            language: locale.endonym(),
            code: locale.language(),
            dir: locale.direction(),
        })
        .collect();
    render_page(&PostersPage { page, posters })
}

/// `GET /posters/{language}`: the A4 poster in that language as PDF, with a QR code to the
/// self-referral form.
pub(crate) async fn poster(ctx: Ctx, Path(code): Path<String>) -> Result<Response, WebError> {
    let locale = Locale::parse(&code).ok_or(AppError::NotFound)?;
    let page = PageContext::build(
        &ctx.state,
        locale,
        &ctx.request.principal,
        String::new(),
        ctx.request.path.clone(),
        "posters-title",
    );
    let address = format!(
        "{}/refer",
        ctx.state.config.public_url.trim_end_matches('/')
    );
    let blocks = vec![
        PrintBlock::Title(page.plain("poster-heading")),
        PrintBlock::Heading(page.plain1("poster-subheading", "service", &page.service_name)),
        PrintBlock::Text(page.plain("poster-no-gp")),
        PrintBlock::Text(page.plain("poster-online")),
        PrintBlock::Qr(address),
        PrintBlock::Text(page.plain1("poster-phone", "phone", &page.service_phone)),
        PrintBlock::Text(page.plain("poster-needs")),
        PrintBlock::Text(page.plain("poster-emergency")),
    ];
    let document = PrintDocument {
        locale,
        point_size: 18,
        letterhead: (page.service_name.clone(), page.service_phone.clone()),
        blocks,
    };
    pdf_response(&document, &format!("poster-{}.pdf", locale.code()))
}
