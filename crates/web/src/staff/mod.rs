//! The staff workspace.

pub(crate) mod calls;
pub(crate) mod classes;
pub(crate) mod clinics;
pub(crate) mod dashboards;
pub(crate) mod discharge;
pub(crate) mod feedback;
pub(crate) mod home;
pub(crate) mod mdt;
pub(crate) mod onward;
pub(crate) mod organisations;
pub(crate) mod outbox;
pub(crate) mod phone;
pub(crate) mod referral;
pub(crate) mod rotas;
pub(crate) mod services;
pub(crate) mod sign_in;
pub(crate) mod signpost;
pub(crate) mod surgery;
pub(crate) mod tasks;
pub(crate) mod triage;
pub(crate) mod waiting;

use jointly_domain::access::Permission;

use crate::context::Ctx;
use crate::error::WebError;
use crate::render::PageContext;

/// Shows how many emergencies wait for review, to staff who act on them, until none do.
pub(crate) async fn emergency_alert(ctx: &Ctx, page: &mut PageContext) -> Result<(), WebError> {
    if !ctx.principal().can(Permission::WorkTasks) {
        return Ok(());
    }
    let open = ctx.app().open_emergencies(ctx.principal()).await?;
    if open > 0 {
        page.alert = Some(page.count("alert-emergencies", usize::try_from(open).unwrap_or(0)));
    }
    Ok(())
}
