//! The staff home page: the areas this person's role opens.

use askama::Template;
use axum::response::Response;
use jointly_domain::access::Permission;

use crate::context::Ctx;
use crate::error::WebError;
use crate::render::{PageContext, Text, render_page};

struct Area {
    href: &'static str,
    title: Text,
    description: Text,
}

#[derive(Template)]
#[template(path = "staff/home.html")]
struct StaffHome {
    page: PageContext,
    areas: Vec<Area>,
}

/// `GET /staff`
pub(crate) async fn show(ctx: Ctx) -> Result<Response, WebError> {
    let mut page = PageContext::new(&ctx, "staff-home-title");
    crate::staff::emergency_alert(&ctx, &mut page).await?;
    let principal = ctx.principal();
    let areas = [
        (Permission::TriageReferrals, "/staff/triage", "triage"),
        (Permission::WorkTasks, "/staff/tasks", "tasks"),
        (Permission::WorkTasks, "/staff/calls", "calls"),
        (Permission::TakePhoneReferral, "/staff/refer", "phone"),
        (Permission::ViewClinicList, "/staff/clinics", "clinics"),
        (Permission::ViewOutbox, "/staff/outbox", "outbox"),
        (
            Permission::ViewOutbox,
            "/staff/undeliverable",
            "undeliverable",
        ),
        (
            Permission::ManageOrganisations,
            "/staff/organisations",
            "organisations",
        ),
    ]
    .into_iter()
    .filter(|(permission, ..)| principal.can(*permission))
    .map(|(_, href, key)| Area {
        href,
        title: page.t(&format!("staff-area-{key}")),
        description: page.t(&format!("staff-area-{key}-description")),
    })
    .collect();
    Ok(render_page(&StaffHome { page, areas }))
}
