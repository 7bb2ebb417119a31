//! Every route, its access rule and its surface, in one table. The router is built from the
//! table, and every entry is wrapped in the guard, so no route can exist without a rule; the
//! authorisation tests walk the same table.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post, put};
use jointly_domain::access::Permission;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use utoipa_axum::router::UtoipaMethodRouter;
use utoipa_axum::routes;

use crate::openapi::Described;
use crate::{AppState, api, error, fhir, guard, middleware, openapi, pages, staff};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in patient.
    Patient,
    /// Staff whose role grants the permission.
    Staff(Permission),
    /// A referring organisation's system, by its API key.
    Organisation,
    /// The message provider calling back (delivery receipts); the handler checks its own
    /// bearer token, which is not a session.
    Provider,
    /// A connected system with a FHIR access token; the app checks its scopes and which
    /// people it may see.
    System,
}

/// Whether a route serves people (HTML, cookie sessions, form tokens) or programs (JSON,
/// bearer tokens).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// Pages.
    Html,
    /// The JSON API.
    Api,
    /// The FHIR API (`application/fhir+json`, system access tokens, OperationOutcome errors).
    Fhir,
}

/// A route's description.
#[derive(Clone, Copy, Debug)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: &'static str,
    /// Path template, with `{id}`-style parameters.
    pub path: &'static str,
    /// Who may use it.
    pub access: Access,
    /// Pages or API.
    pub surface: Surface,
}

/// Largest request body accepted (forms and JSON are small).
const BODY_LIMIT: usize = 64 * 1024;

/// Largest message with an attachment: the largest file, in base64, and its words.
const MESSAGE_BODY_LIMIT: usize =
    jointly_domain::conversation::ATTACHMENT_MAX_BYTES / 3 * 4 + 64 * 1024;

/// Longest any request may take before it is abandoned with an error.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// One entry of the table: the route, its handler, and for a JSON route the handler's own
/// description for the OpenAPI document.
type Entry = (RouteInfo, MethodRouter<AppState>, Option<Described>);

/// A JSON route, entered through its handler's description (`routes!(handler)`), so it cannot
/// be served without one.
fn json(
    method: &'static str,
    path: &'static str,
    access: Access,
    (schemas, paths, handler): UtoipaMethodRouter<AppState>,
) -> Entry {
    let info = RouteInfo {
        method,
        path,
        access,
        surface: Surface::Api,
    };
    (info, handler, Some(Described { schemas, paths }))
}

/// The same route taking a larger body (messages with an attachment).
fn large_body((info, handler, described): Entry) -> Entry {
    (
        info,
        handler.layer(DefaultBodyLimit::max(MESSAGE_BODY_LIMIT)),
        described,
    )
}

// One line per route reads as the access table it is.
#[rustfmt::skip]
fn table() -> Vec<Entry> {
    use Access::{Organisation, Patient, Provider, Public, Staff, System};
    use pages::refer::{receipt, resume, step};
    use Surface::{Fhir, Html};
    let r = |method, path, access, surface, handler| (RouteInfo { method, path, access, surface }, handler, None);
    vec![
        r("GET", "/", Public, Html, get(pages::home::show)),
        r("GET", "/refer", Public, Html, get(pages::refer::start)),
        r("GET", "/help", Public, Html, get(pages::help::index)),
        r("GET", "/help/directory", Public, Html, get(pages::help::directory)),
        r("GET", "/help/directory/{service}", Public, Html, get(pages::help::service)),
        r("GET", "/help/{topic}", Public, Html, get(pages::help::topic)),
        r("GET", "/help/{topic}/pack.pdf", Public, Html, get(pages::help::pack)),
        json("GET", "/api/v1/directory", Public, routes!(pages::help::api_directory)),
        r("GET", "/waiting-times", Public, Html, get(pages::waiting_times::page)),
        json("GET", "/api/v1/waiting-times", Public, routes!(pages::waiting_times::api)),
        r("GET", "/locations", Public, Html, get(pages::waiting_times::locations)),
        r("GET", "/pathway", Public, Html, get(pages::waiting_times::pathway)),
        r("GET", "/services", Public, Html, get(pages::about::services)),
        r("GET", "/faq", Public, Html, get(pages::about::faq)),
        r("GET", "/posters", Public, Html, get(pages::about::posters)),
        r("GET", "/posters/{language}", Public, Html, get(pages::about::poster)),
        r("GET", "/feedback", Public, Html, get(pages::feedback::open)),
        r("POST", "/feedback", Public, Html, post(pages::feedback::give)),
        r("GET", "/feedback/{token}", Public, Html, get(pages::feedback::linked)),
        r("POST", "/feedback/{token}", Public, Html, post(pages::feedback::give_linked)),
        r("GET", "/concerns", Public, Html, get(pages::feedback::concern_form)),
        r("POST", "/concerns", Public, Html, post(pages::feedback::raise)),
        r("GET", "/you-said-we-did", Public, Html, get(pages::feedback::you_said)),
        json("POST", "/api/v1/feedback", Public, routes!(pages::feedback::api_give)),
        json("POST", "/api/v1/concerns", Public, routes!(pages::feedback::api_raise)),
        json("GET", "/api/v1/you-said-we-did", Public, routes!(pages::feedback::api_you_said)),
        r("GET", "/staff/feedback", Staff(Permission::ReviewFeedback), Html, get(staff::feedback::review)),
        r("POST", "/staff/feedback", Staff(Permission::ReviewFeedback), Html, post(staff::feedback::enter)),
        r("POST", "/staff/feedback/{id}/themes", Staff(Permission::ReviewFeedback), Html, post(staff::feedback::tag)),
        r("GET", "/staff/feedback/fft.csv", Staff(Permission::ReviewFeedback), Html, get(staff::feedback::fft_csv)),
        r("GET", "/staff/concerns", Staff(Permission::ReviewFeedback), Html, get(staff::feedback::concerns)),
        r("POST", "/staff/concerns/{id}", Staff(Permission::ReviewFeedback), Html, post(staff::feedback::act)),
        r("GET", "/staff/improvements", Staff(Permission::ReviewFeedback), Html, get(staff::feedback::improvements)),
        r("POST", "/staff/improvements", Staff(Permission::ReviewFeedback), Html, post(staff::feedback::add)),
        r("POST", "/staff/improvements/{id}", Staff(Permission::ReviewFeedback), Html, post(staff::feedback::change)),
        json("GET", "/api/v1/feedback", Staff(Permission::ReviewFeedback), routes!(staff::feedback::api_review)),
        r("GET", "/staff/dashboards", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::index)),
        r("POST", "/staff/dashboards/refresh", Staff(Permission::ViewDashboards), Html, post(staff::dashboards::refresh)),
        r("POST", "/staff/dashboards/threshold", Staff(Permission::ViewDashboards), Html, post(staff::dashboards::threshold)),
        r("GET", "/staff/dashboards/sitrep.csv", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::sitrep)),
        r("GET", "/staff/dashboards/clinics", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::capacity)),
        r("GET", "/staff/dashboards/clinics/csv", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::capacity_csv)),
        r("GET", "/staff/dashboards/{dashboard}", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::show)),
        r("GET", "/staff/dashboards/{dashboard}/csv", Staff(Permission::ViewDashboards), Html, get(staff::dashboards::csv)),
        r("POST", "/refer/start", Public, Html, post(pages::refer::begin)),
        r("GET", "/a/{token}", Public, Html, get(pages::appointment_link::show)),
        r("GET", "/a/{token}/cancel", Public, Html, get(pages::appointment_link::confirm_cancel)),
        r("POST", "/a/{token}/confirm", Public, Html, post(pages::appointment_link::confirm)),
        r("POST", "/a/{token}/cancel", Public, Html, post(pages::appointment_link::cancel)),
        r("GET", "/refer/step/{slug}", Public, Html, get(step::show)),
        r("POST", "/refer/step/{slug}", Public, Html, post(step::save)),
        r("GET", "/refer/check", Public, Html, get(step::check)),
        r("POST", "/refer/send", Public, Html, post(step::send)),
        r("GET", "/refer/save", Public, Html, get(resume::save)),
        r("GET", "/refer/resume", Public, Html, get(resume::form)),
        r("POST", "/refer/resume", Public, Html, post(resume::with_code)),
        r("GET", "/refer/resume/{token}", Public, Html, get(resume::link)),
        r("POST", "/refer/resume/{token}", Public, Html, post(resume::link_with_birth_date)),
        r("GET", "/refer/submitted", Public, Html, get(receipt::show)),
        r("GET", "/refer/professional", Public, Html, get(pages::professional::form)),
        r("POST", "/refer/professional", Public, Html, post(pages::professional::submit)),
        r("GET", "/sign-in", Public, Html, get(pages::sign_in::form)),
        r("POST", "/sign-in", Public, Html, post(pages::sign_in::request_code)),
        r("POST", "/sign-in/code", Public, Html, post(pages::sign_in::verify)),
        r("POST", "/sign-out", Public, Html, post(pages::sign_in::sign_out)),
        r("GET", "/language", Public, Html, get(pages::language::set)),
        r("GET", "/portal", Patient, Html, get(pages::portal::overview)),
        r("POST", "/portal/referrals/{id}/book", Patient, Html, post(pages::portal::book)),
        r("GET", "/portal/referrals/{id}/choose", Patient, Html, get(pages::choose::search)),
        r("GET", "/portal/appointments/{id}/cancel", Patient, Html, get(pages::choose::confirm_cancel)),
        r("GET", "/portal/appointments/{id}/calendar.ics", Patient, Html, get(pages::portal::calendar)),
        r("GET", "/portal/offers/{id}", Patient, Html, get(pages::choose::offer)),
        r("POST", "/portal/offers/{id}/accept", Patient, Html, post(pages::choose::accept_offer)),
        r("POST", "/portal/appointments/{id}/cancel", Patient, Html, post(pages::choose::cancel)),
        r("GET", "/portal/appointments/{id}/change", Patient, Html, get(pages::choose::change_search)),
        r("POST", "/portal/appointments/{id}/change", Patient, Html, post(pages::choose::change)),
        r("POST", "/portal/referrals/{id}/reply", Patient, Html, post(pages::portal::reply)),
        r("GET", "/portal/referrals/{id}/still-needed", Patient, Html, get(pages::still_needed::form)),
        r("GET", "/portal/classes", Patient, Html, get(pages::classes::list)),
        r("GET", "/portal/offer-preferences", Patient, Html, get(pages::offer_preferences::form)),
        r("POST", "/portal/offer-preferences", Patient, Html, post(pages::offer_preferences::save)),
        r("POST", "/portal/classes/{id}/join", Patient, Html, post(pages::classes::join)),
        r("POST", "/portal/class-places/{id}/leave", Patient, Html, post(pages::classes::leave)),
        r("POST", "/portal/referrals/{id}/still-needed", Patient, Html, post(pages::still_needed::answer)),
        r("GET", "/portal/appointments/{id}", Patient, Html, get(pages::portal::appointment)),
        r("GET", "/portal/measures", Patient, Html, get(pages::measures::own)),
        r("GET", "/portal/measures/{code}", Patient, Html, get(pages::measures::own_form)),
        r("POST", "/portal/measures/{code}", Patient, Html, post(pages::measures::own_answer)),
        r("GET", "/staff/patients/{id}/measures", Staff(Permission::ViewReferral), Html, get(pages::measures::staff)),
        r("POST", "/staff/patients/{id}/measures", Staff(Permission::WriteClinicalNotes), Html, post(pages::measures::request)),
        r("GET", "/staff/patients/{id}/measures/{code}", Staff(Permission::ViewReferral), Html, get(pages::measures::staff_form)),
        r("POST", "/staff/patients/{id}/measures/{code}", Staff(Permission::WriteClinicalNotes), Html, post(pages::measures::staff_answer)),
        json("GET", "/api/v1/me/measures", Patient, routes!(pages::measures::api_own)),
        json("POST", "/api/v1/me/measures/{code}", Patient, routes!(pages::measures::api_own_answer)),
        json("GET", "/api/v1/patients/{id}/measures", Staff(Permission::ViewReferral), routes!(pages::measures::api_staff)),
        json("POST", "/api/v1/patients/{id}/measures/requests", Staff(Permission::WriteClinicalNotes), routes!(pages::measures::api_request)),
        json("POST", "/api/v1/patients/{id}/measures/{code}", Staff(Permission::WriteClinicalNotes), routes!(pages::measures::api_staff_answer)),
        r("GET", "/portal/exercises", Patient, Html, get(pages::exercises::own)),
        r("POST", "/portal/exercises/log", Patient, Html, post(pages::exercises::log)),
        r("GET", "/staff/patients/{id}/exercises", Staff(Permission::ViewReferral), Html, get(pages::exercises::staff)),
        r("POST", "/staff/patients/{id}/exercises", Staff(Permission::WriteClinicalNotes), Html, post(pages::exercises::build)),
        json("GET", "/api/v1/me/exercises", Patient, routes!(pages::exercises::api_own)),
        json("POST", "/api/v1/me/exercises/log", Patient, routes!(pages::exercises::api_log)),
        json("GET", "/api/v1/patients/{id}/exercises", Staff(Permission::ViewReferral), routes!(pages::exercises::api_staff)),
        json("PUT", "/api/v1/patients/{id}/exercises", Staff(Permission::WriteClinicalNotes), routes!(pages::exercises::api_build)),
        r("GET", "/portal/passport", Patient, Html, get(pages::passport::own)),
        r("GET", "/portal/passport.pdf", Patient, Html, get(pages::passport::print::own)),
        r("POST", "/portal/passport/about", Patient, Html, post(pages::passport::own_about)),
        r("POST", "/portal/passport/goals", Patient, Html, post(pages::passport::own_goal)),
        r("POST", "/portal/passport/goals/{id}", Patient, Html, post(pages::passport::own_goal_status)),
        r("POST", "/portal/passport/notes", Patient, Html, post(pages::passport::own_note)),
        r("GET", "/staff/patients/{id}/passport", Staff(Permission::ViewReferral), Html, get(pages::passport::for_staff)),
        r("GET", "/staff/patients/{id}/passport.pdf", Staff(Permission::ViewReferral), Html, get(pages::passport::print::for_staff)),
        r("POST", "/staff/patients/{id}/passport/about", Staff(Permission::ViewReferral), Html, post(pages::passport::staff_about)),
        r("POST", "/staff/patients/{id}/passport/goals", Staff(Permission::ViewReferral), Html, post(pages::passport::staff_goal)),
        r("POST", "/staff/patients/{id}/passport/goals/{goal}", Staff(Permission::ViewReferral), Html, post(pages::passport::staff_goal_status)),
        r("POST", "/staff/patients/{id}/passport/appointments/{appointment}/plan", Staff(Permission::WriteClinicalNotes), Html, post(pages::passport::write_plan)),
        r("POST", "/staff/patients/{id}/passport/appointments/{appointment}/clinical-note", Staff(Permission::WriteClinicalNotes), Html, post(pages::passport::write_clinical_note)),
        r("GET", "/portal/conversations", Patient, Html, get(pages::conversations::portal_list)),
        r("GET", "/portal/conversations/new", Patient, Html, get(pages::conversations::new_form)),
        r("POST", "/portal/conversations/new", Patient, Html, post(pages::conversations::start).layer(DefaultBodyLimit::max(MESSAGE_BODY_LIMIT))),
        r("GET", "/portal/conversations/{id}", Patient, Html, get(pages::conversations::portal_show)),
        r("POST", "/portal/conversations/{id}", Patient, Html, post(pages::conversations::portal_reply).layer(DefaultBodyLimit::max(MESSAGE_BODY_LIMIT))),
        r("GET", "/portal/conversations/{id}/attachments/{attachment}", Patient, Html, get(api::conversations::attachment)),
        r("GET", "/portal/conversations/{id}/events", Patient, Html, get(api::conversations::events)),
        r("GET", "/staff/conversations", Staff(Permission::ViewReferral), Html, get(pages::conversations::staff_list)),
        r("GET", "/staff/conversations/{id}", Staff(Permission::ViewReferral), Html, get(pages::conversations::staff_show)),
        r("POST", "/staff/conversations/{id}", Staff(Permission::ViewReferral), Html, post(pages::conversations::staff_reply).layer(DefaultBodyLimit::max(MESSAGE_BODY_LIMIT))),
        r("POST", "/staff/conversations/{id}/take", Staff(Permission::ViewReferral), Html, post(pages::conversations::take)),
        r("GET", "/staff/conversations/{id}/attachments/{attachment}", Staff(Permission::ViewReferral), Html, get(api::conversations::attachment)),
        r("GET", "/staff/conversations/{id}/events", Staff(Permission::ViewReferral), Html, get(api::conversations::events)),
        r("GET", "/portal/communication", Patient, Html, get(pages::communication::form)),
        r("POST", "/portal/communication", Patient, Html, post(pages::communication::save)),
        r("GET", "/portal/messages", Patient, Html, get(pages::communication::inbox)),
        r("GET", "/portal/messages/{id}", Patient, Html, get(pages::communication::message)),
        r("GET", "/staff/referrals/{id}/communication", Staff(Permission::ViewReferral), Html, get(pages::communication::staff_form)),
        r("POST", "/staff/referrals/{id}/communication", Staff(Permission::ViewReferral), Html, post(pages::communication::staff_save)),
        r("GET", "/staff/sign-in", Public, Html, get(staff::sign_in::form)),
        r("POST", "/staff/sign-in", Public, Html, post(staff::sign_in::submit)),
        r("GET", "/staff", Staff(Permission::UseStaffWorkspace), Html, get(staff::home::show)),
        r("GET", "/staff/triage", Staff(Permission::TriageReferrals), Html, get(staff::triage::queue)),
        r("POST", "/staff/duty", Staff(Permission::TriageReferrals), Html, post(staff::triage::duty)),
        r("GET", "/staff/referrals/{id}", Staff(Permission::ViewReferral), Html, get(staff::referral::show)),
        r("POST", "/staff/referrals/{id}/accept", Staff(Permission::TriageReferrals), Html, post(staff::referral::accept)),
        r("POST", "/staff/referrals/{id}/advice", Staff(Permission::TriageReferrals), Html, post(staff::referral::advice)),
        r("POST", "/staff/referrals/{id}/question", Staff(Permission::TriageReferrals), Html, post(staff::referral::question)),
        r("POST", "/staff/referrals/{id}/mdt", Staff(Permission::TriageReferrals), Html, post(staff::referral::mdt)),
        r("POST", "/staff/referrals/{id}/mdt-outcome", Staff(Permission::RecordMdtOutcomes), Html, post(staff::referral::mdt_outcome)),
        r("GET", "/staff/mdt", Staff(Permission::RecordMdtOutcomes), Html, get(staff::mdt::list)),
        r("GET", "/staff/referrals/{id}/onward", Staff(Permission::ReferOnward), Html, get(staff::onward::show)),
        r("POST", "/staff/referrals/{id}/onward", Staff(Permission::ReferOnward), Html, post(staff::onward::record)),
        json("GET", "/api/v1/referrals/{id}/onward", Staff(Permission::ReferOnward), routes!(staff::onward::api_list)),
        json("POST", "/api/v1/referrals/{id}/onward", Staff(Permission::ReferOnward), routes!(staff::onward::api_record)),
        r("GET", "/staff/patients/{id}/signpost", Staff(Permission::Signpost), Html, get(staff::signpost::show)),
        r("POST", "/staff/patients/{id}/signpost", Staff(Permission::Signpost), Html, post(staff::signpost::record)),
        json("GET", "/api/v1/patients/{id}/signposts", Staff(Permission::Signpost), routes!(staff::signpost::api_list)),
        json("POST", "/api/v1/patients/{id}/signposts", Staff(Permission::Signpost), routes!(staff::signpost::api_record)),
        r("GET", "/staff/referrals/{id}/discharge", Staff(Permission::WriteClinicalNotes), Html, get(staff::discharge::show)),
        r("POST", "/staff/referrals/{id}/discharge", Staff(Permission::WriteClinicalNotes), Html, post(staff::discharge::write)),
        json("GET", "/api/v1/referrals/{id}/discharge-summary", Staff(Permission::WriteClinicalNotes), routes!(staff::discharge::api_show)),
        json("POST", "/api/v1/referrals/{id}/discharge-summary", Staff(Permission::WriteClinicalNotes), routes!(staff::discharge::api_write)),
        r("GET", "/staff/referrals/{id}/surgery", Staff(Permission::ViewReferral), Html, get(staff::surgery::show)),
        r("POST", "/staff/referrals/{id}/surgery/decision", Staff(Permission::DecideAboutSurgery), Html, post(staff::surgery::decide)),
        r("POST", "/staff/referrals/{id}/surgery/fitness", Staff(Permission::DecideAboutSurgery), Html, post(staff::surgery::fitness)),
        r("GET", "/staff/referrals/{id}/book", Staff(Permission::BookForPatient), Html, get(pages::choose::staff_search)),
        r("POST", "/staff/referrals/{id}/book", Staff(Permission::BookForPatient), Html, post(pages::choose::staff_book)),
        r("GET", "/staff/tasks", Staff(Permission::WorkTasks), Html, get(staff::tasks::list)),
        r("POST", "/staff/tasks/{id}/complete", Staff(Permission::WorkTasks), Html, post(staff::tasks::complete)),
        r("GET", "/staff/refer", Staff(Permission::TakePhoneReferral), Html, get(staff::phone::form)),
        r("POST", "/staff/refer", Staff(Permission::TakePhoneReferral), Html, post(staff::phone::submit)),
        r("GET", "/staff/organisations", Staff(Permission::ManageOrganisations), Html, get(staff::organisations::list)),
        r("POST", "/staff/organisations", Staff(Permission::ManageOrganisations), Html, post(staff::organisations::register)),
        r("POST", "/staff/organisations/scopes", Staff(Permission::ManageOrganisations), Html, post(staff::organisations::set_scopes)),
        r("POST", "/staff/organisations/{id}/key", Staff(Permission::ManageOrganisations), Html, post(staff::organisations::issue_key)),
        r("GET", "/staff/clinics", Staff(Permission::ViewClinicList), Html, get(staff::clinics::day)),
        r("POST", "/staff/appointments/{id}/outcome", Staff(Permission::RunClinic), Html, post(staff::clinics::outcome)),
        r("POST", "/staff/appointments/{id}/cancel", Staff(Permission::BookForPatient), Html, post(staff::referral::cancel_appointment)),
        r("GET", "/staff/appointments/{id}/change", Staff(Permission::BookForPatient), Html, get(pages::choose::staff_change_search)),
        r("POST", "/staff/appointments/{id}/change", Staff(Permission::BookForPatient), Html, post(pages::choose::staff_change)),
        r("POST", "/staff/clinics/running-late", Staff(Permission::RunClinic), Html, post(staff::clinics::running_late)),
        r("GET", "/staff/waiting", Staff(Permission::ViewWaitingList), Html, get(staff::waiting::show)),
        r("GET", "/staff/rotas", Staff(Permission::ManageRotas), Html, get(staff::rotas::show)),
        r("GET", "/staff/services", Staff(Permission::ManageServices), Html, get(staff::services::list)),
        r("POST", "/staff/services/{id}/rules", Staff(Permission::ManageServices), Html, post(staff::services::save)),
        r("GET", "/staff/classes", Staff(Permission::ViewClinicList), Html, get(staff::classes::list)),
        r("POST", "/staff/classes", Staff(Permission::ManageRotas), Html, post(staff::classes::create)),
        r("GET", "/staff/classes/{id}", Staff(Permission::ViewClinicList), Html, get(staff::classes::register)),
        r("POST", "/staff/class-places/{id}/attendance", Staff(Permission::RunClinic), Html, post(staff::classes::attendance)),
        r("POST", "/staff/rotas/sessions", Staff(Permission::ManageRotas), Html, post(staff::rotas::add_session)),
        r("POST", "/staff/rotas/exceptions", Staff(Permission::ManageRotas), Html, post(staff::rotas::add_exception)),
        json("GET", "/api/v1/waiting-lists", Staff(Permission::ViewWaitingList), routes!(staff::waiting::api)),
        r("GET", "/staff/outbox", Staff(Permission::ViewOutbox), Html, get(staff::outbox::list)),
        r("GET", "/staff/undeliverable", Staff(Permission::ViewOutbox), Html, get(staff::calls::undeliverable)),
        r("POST", "/staff/outbox/{id}/resend", Staff(Permission::ViewOutbox), Html, post(staff::calls::resend)),
        r("GET", "/staff/calls", Staff(Permission::WorkTasks), Html, get(staff::calls::list)),
        r("POST", "/staff/calls/{id}", Staff(Permission::WorkTasks), Html, post(staff::calls::record)),
        r("GET", "/healthz", Public, Html, get(pages::health::live)),
        r("GET", "/readyz", Public, Html, get(pages::health::ready)),
        r("GET", "/static/jointly.css", Public, Html, get(pages::assets::stylesheet)),
        r("GET", "/static/favicon.svg", Public, Html, get(pages::assets::favicon)),
        r("GET", "/static/jointly.js", Public, Html, get(pages::assets::script)),
        json("POST", "/api/v1/referrals", Public, routes!(api::referrals::create)),
        json("POST", "/api/v1/professional-referrals", Organisation, routes!(api::referrals::create_professional)),
        json("POST", "/api/v1/phone-referrals", Staff(Permission::TakePhoneReferral), routes!(api::referrals::create_by_phone)),
        json("GET", "/api/openapi.json", Public, routes!(openapi::serve)),
        r("GET", "/api/docs", Public, Html, get(pages::api_docs::show)),
        json("POST", "/api/v1/sessions/code", Public, routes!(api::sessions::request_code)),
        json("POST", "/api/v1/sessions/patient", Public, routes!(api::sessions::patient)),
        json("POST", "/api/v1/sessions/staff", Public, routes!(api::sessions::staff)),
        json("DELETE", "/api/v1/sessions/current", Public, routes!(api::sessions::end)),
        json("GET", "/api/v1/triage/referrals", Staff(Permission::TriageReferrals), routes!(api::triage::queue)),
        json("GET", "/api/v1/referrals/{id}", Staff(Permission::ViewReferral), routes!(api::triage::referral)),
        json("POST", "/api/v1/referrals/{id}/accept", Staff(Permission::TriageReferrals), routes!(api::triage::accept)),
        json("GET", "/api/v1/mdt", Staff(Permission::RecordMdtOutcomes), routes!(staff::mdt::api_list)),
        json("POST", "/api/v1/referrals/{id}/mdt-outcome", Staff(Permission::RecordMdtOutcomes), routes!(staff::mdt::api_outcome)),
        json("GET", "/api/v1/referrals/{id}/surgery", Staff(Permission::ViewReferral), routes!(staff::surgery::api_show)),
        json("POST", "/api/v1/referrals/{id}/surgery/decision", Staff(Permission::DecideAboutSurgery), routes!(staff::surgery::api_decide)),
        json("PUT", "/api/v1/referrals/{id}/surgery/fitness", Staff(Permission::DecideAboutSurgery), routes!(staff::surgery::api_fitness)),
        json("GET", "/api/v1/me/referrals", Patient, routes!(api::portal::referrals)),
        json("GET", "/api/v1/me/referrals/{id}/slots", Patient, routes!(api::portal::slots)),
        json("POST", "/api/v1/me/appointments", Patient, routes!(api::portal::book)),
        json("GET", "/api/v1/me/referrals/{id}/slot-search", Patient, routes!(api::portal::search)),
        json("POST", "/api/v1/me/appointments/{id}/cancel", Patient, routes!(api::portal::cancel)),
        json("GET", "/api/v1/me/appointments/{id}/slot-search", Patient, routes!(api::portal::change_search)),
        json("POST", "/api/v1/me/appointments/{id}/change", Patient, routes!(api::portal::change_own)),
        json("POST", "/api/v1/me/referrals/{id}/still-needed", Patient, routes!(pages::still_needed::api)),
        json("GET", "/api/v1/me/classes", Patient, routes!(pages::classes::api_list)),
        json("GET", "/api/v1/me/offer-preferences", Patient, routes!(pages::offer_preferences::api_get)),
        json("PUT", "/api/v1/me/offer-preferences", Patient, routes!(pages::offer_preferences::api_put)),
        json("POST", "/api/v1/me/classes/{id}/join", Patient, routes!(pages::classes::api_join)),
        json("POST", "/api/v1/me/class-places/{id}/leave", Patient, routes!(pages::classes::api_leave)),
        json("POST", "/api/v1/class-places/{id}/attendance", Staff(Permission::RunClinic), routes!(staff::classes::api_attendance)),
        json("GET", "/api/v1/clinics/{date}", Staff(Permission::ViewClinicList), routes!(api::clinics::day)),
        json("POST", "/api/v1/appointments/{id}/outcome", Staff(Permission::RunClinic), routes!(api::clinics::outcome)),
        json("POST", "/api/v1/appointments/{id}/cancel", Staff(Permission::BookForPatient), routes!(api::clinics::cancel)),
        json("POST", "/api/v1/appointments/{id}/change", Staff(Permission::BookForPatient), routes!(api::portal::change_for_staff)),
        json("POST", "/api/v1/clinics/running-late", Staff(Permission::RunClinic), routes!(api::clinics::running_late)),
        json("GET", "/api/v1/rotas", Staff(Permission::ManageRotas), routes!(api::rotas::show)),
        json("GET", "/api/v1/me/passport", Patient, routes!(api::passport::own)),
        json("PUT", "/api/v1/me/passport/about", Patient, routes!(api::passport::own_about)),
        json("POST", "/api/v1/me/passport/goals", Patient, routes!(api::passport::own_goal)),
        json("POST", "/api/v1/me/passport/notes", Patient, routes!(api::passport::own_note)),
        json("PUT", "/api/v1/me/passport/goals/{id}/status", Patient, routes!(api::passport::own_goal_status)),
        json("GET", "/api/v1/patients/{id}/passport", Staff(Permission::ViewReferral), routes!(api::passport::for_staff)),
        json("PUT", "/api/v1/patients/{id}/passport/about", Staff(Permission::ViewReferral), routes!(api::passport::staff_about)),
        json("POST", "/api/v1/patients/{id}/passport/goals", Staff(Permission::ViewReferral), routes!(api::passport::staff_goal)),
        json("PUT", "/api/v1/passport/goals/{id}/status", Staff(Permission::ViewReferral), routes!(api::passport::staff_goal_status)),
        json("POST", "/api/v1/appointments/{id}/treatment-plan", Staff(Permission::WriteClinicalNotes), routes!(api::passport::treatment_plan)),
        json("POST", "/api/v1/appointments/{id}/clinical-note", Staff(Permission::WriteClinicalNotes), routes!(api::passport::clinical_note)),
        json("GET", "/api/v1/me/communication", Patient, routes!(api::communication::own)),
        json("PUT", "/api/v1/me/communication", Patient, routes!(api::communication::set_own)),
        json("GET", "/api/v1/me/inbox", Patient, routes!(api::communication::inbox)),
        json("POST", "/api/v1/me/inbox/{id}/read", Patient, routes!(api::communication::read)),
        json("PUT", "/api/v1/referrals/{id}/communication", Staff(Permission::ViewReferral), routes!(api::communication::set_for_referral)),
        json("GET", "/api/v1/me/conversations", Patient, routes!(api::conversations::list_own)),
        large_body(json("POST", "/api/v1/me/conversations", Patient, routes!(api::conversations::start))),
        json("GET", "/api/v1/me/conversations/{id}", Patient, routes!(api::conversations::show_own)),
        large_body(json("POST", "/api/v1/me/conversations/{id}/messages", Patient, routes!(api::conversations::reply_own))),
        json("GET", "/api/v1/me/conversations/{id}/attachments/{attachment}", Patient, routes!(api::conversations::attachment_own)),
        json("GET", "/api/v1/me/conversations/{id}/events", Patient, routes!(api::conversations::events_own)),
        json("GET", "/api/v1/conversations", Staff(Permission::ViewReferral), routes!(api::conversations::list_for_staff)),
        json("GET", "/api/v1/conversations/{id}", Staff(Permission::ViewReferral), routes!(api::conversations::show_for_staff)),
        large_body(json("POST", "/api/v1/conversations/{id}/messages", Staff(Permission::ViewReferral), routes!(api::conversations::reply_for_staff))),
        json("PUT", "/api/v1/conversations/{id}/assignee", Staff(Permission::ViewReferral), routes!(api::conversations::assign)),
        json("GET", "/api/v1/conversations/{id}/attachments/{attachment}", Staff(Permission::ViewReferral), routes!(api::conversations::attachment_for_staff)),
        json("GET", "/api/v1/conversations/{id}/events", Staff(Permission::ViewReferral), routes!(api::conversations::events_for_staff)),
        json("GET", "/api/v1/calls", Staff(Permission::WorkTasks), routes!(api::communication::calls)),
        json("POST", "/api/v1/calls/{id}", Staff(Permission::WorkTasks), routes!(api::communication::record_call)),
        json("GET", "/api/v1/outbox/undeliverable", Staff(Permission::ViewOutbox), routes!(api::communication::undeliverable)),
        json("POST", "/api/v1/outbox/{id}/resend", Staff(Permission::ViewOutbox), routes!(api::communication::resend)),
        json("POST", "/api/v1/notify/receipts", Provider, routes!(api::communication::receipt)),
        json("PUT", "/api/v1/services/{id}/rules", Staff(Permission::ManageServices), routes!(staff::services::api_put)),
        json("POST", "/api/v1/rota-sessions", Staff(Permission::ManageRotas), routes!(api::rotas::add_session)),
        json("POST", "/api/v1/rota-exceptions", Staff(Permission::ManageRotas), routes!(api::rotas::add_exception)),
        r("GET", "/fhir/metadata", Public, Fhir, get(fhir::metadata::capability)),
        r("POST", "/fhir/token", Public, Fhir, post(fhir::metadata::token)),
        r("GET", "/fhir/Questionnaire/{id}", Public, Fhir, get(fhir::metadata::questionnaire)),
        r("POST", "/fhir", System, Fhir, post(fhir::transaction::transaction)),
        r("GET", "/fhir/Patient", System, Fhir, get(fhir::patient::search)),
        r("POST", "/fhir/Patient", System, Fhir, post(fhir::patient::create)),
        r("GET", "/fhir/Patient/{id}", System, Fhir, get(fhir::patient::read)),
        r("PUT", "/fhir/Patient/{id}", System, Fhir, put(fhir::patient::update)),
        r("GET", "/fhir/Schedule", System, Fhir, get(fhir::scheduling::search_schedules)),
        r("GET", "/fhir/Schedule/{id}", System, Fhir, get(fhir::scheduling::read_schedule)),
        r("GET", "/fhir/Slot", System, Fhir, get(fhir::scheduling::search_slots)),
        r("GET", "/fhir/Slot/{id}", System, Fhir, get(fhir::scheduling::read_slot)),
        r("GET", "/fhir/Appointment", System, Fhir, get(fhir::scheduling::search_appointments)),
        r("POST", "/fhir/Appointment", System, Fhir, post(fhir::scheduling::create_appointment)),
        r("GET", "/fhir/Appointment/{id}", System, Fhir, get(fhir::scheduling::read_appointment)),
        r("GET", "/fhir/ServiceRequest", System, Fhir, get(fhir::referral::search)),
        r("POST", "/fhir/ServiceRequest", System, Fhir, post(fhir::referral::create)),
        r("GET", "/fhir/ServiceRequest/{id}", System, Fhir, get(fhir::referral::read)),
        r("PUT", "/fhir/ServiceRequest/{id}", System, Fhir, put(fhir::referral::update)),
        r("GET", "/fhir/CarePlan/{id}", System, Fhir, get(fhir::care_plan::read)),
        r("GET", "/fhir/Task", System, Fhir, get(fhir::records::search_tasks)),
        r("GET", "/fhir/Task/{id}", System, Fhir, get(fhir::records::read_task)),
        r("GET", "/fhir/Flag", System, Fhir, get(fhir::records::search_flags)),
        r("GET", "/fhir/Flag/{id}", System, Fhir, get(fhir::records::read_flag)),
        r("GET", "/fhir/Communication", System, Fhir, get(fhir::records::search_communications)),
        r("GET", "/fhir/Communication/{id}", System, Fhir, get(fhir::records::read_communication)),
        r("GET", "/fhir/HealthcareService", System, Fhir, get(fhir::directory::search_services)),
        r("GET", "/fhir/HealthcareService/{id}", System, Fhir, get(fhir::directory::read_service)),
        r("GET", "/fhir/Location", System, Fhir, get(fhir::directory::search_locations)),
        r("GET", "/fhir/Location/{id}", System, Fhir, get(fhir::directory::read_location)),
        r("GET", "/fhir/Practitioner", System, Fhir, get(fhir::directory::search_practitioners)),
        r("GET", "/fhir/Practitioner/{id}", System, Fhir, get(fhir::directory::read_practitioner)),
    ]
}

/// Every route with its rule, for documentation and the authorisation tests.
pub fn route_table() -> Vec<RouteInfo> {
    table().into_iter().map(|(info, _, _)| info).collect()
}

/// The JSON routes with their handlers' descriptions, for the OpenAPI document.
pub(crate) fn described() -> Vec<(RouteInfo, Described)> {
    table()
        .into_iter()
        .filter_map(|(info, _, described)| Some((info, described?)))
        .collect()
}

/// The whole web application.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (info, handler, _) in table() {
        let guarded = handler.route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), info),
            guard::guard,
        ));
        router = router.route(info.path, guarded);
    }
    router
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("a handler panicked");
            axum::response::IntoResponse::into_response(error::WebError::internal("panic"))
        }))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_errors,
        ))
        .layer(axum::middleware::from_fn(middleware::log_requests))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .with_state(state)
}
