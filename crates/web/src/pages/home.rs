//! The home page: what the service is, how to refer, and when to get urgent help instead.

use askama::Template;
use axum::response::Response;

use crate::context::Ctx;
use crate::render::{PageContext, render_page};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
}

/// `GET /`
pub(crate) async fn show(ctx: Ctx) -> Response {
    render_page(&HomePage {
        page: PageContext::new(&ctx, "home-title"),
    })
}
