//! Page rendering: the shared page context every template gets (language, direction, title,
//! navigation, form token, translation helpers) and the one place templates become responses.

use std::fmt::{self, Write as _};
use std::sync::Arc;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use jointly_app::Principal;
use jointly_domain::access::Permission;
use jointly_i18n::{Arg, Catalog, Locale};

use crate::AppState;
use crate::context::Ctx;

/// Text for a page. When it is in a different language from the page (a message not yet
/// translated, shown in English), it is marked with its own `lang` and `dir`, so screen readers
/// pronounce it properly and punctuation sits right (WCAG 3.1.2, language of parts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text {
    text: String,
    /// The language, when it differs from the page's.
    foreign: Option<(&'static str, &'static str)>,
}

impl Text {
    /// Text in the page's own language (or data, such as a name).
    pub(crate) fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            foreign: None,
        }
    }

    /// True when there is nothing to show.
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The words, without markup.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Text {
    /// Escaped HTML, wrapped in a span naming its language when that differs from the page's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((lang, dir)) = self.foreign {
            write!(f, "<span lang=\"{lang}\" dir=\"{dir}\">")?;
        }
        for c in self.text.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#x27;")?,
                other => f.write_char(other)?,
            }
        }
        if self.foreign.is_some() {
            f.write_str("</span>")?;
        }
        Ok(())
    }
}

// Text escapes itself (above), so the template engine must not escape it again.
impl askama::filters::HtmlSafe for Text {}

/// Message `id` in `locale`, marked as English when it has not been translated yet.
fn text_for(catalog: &Catalog, locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> Text {
    let foreign = (locale.language() != Locale::English.language()
        && !catalog.is_translated(locale, id))
    .then(|| (Locale::English.code(), Locale::English.direction()));
    Text {
        text: catalog.message(locale, id, args),
        foreign,
    }
}

/// A link in the header.
pub(crate) struct NavLink {
    pub(crate) href: &'static str,
    pub(crate) label: Text,
    pub(crate) current: bool,
}

/// A link in the language switcher.
pub(crate) struct LanguageLink {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) href: String,
    pub(crate) current: bool,
}

/// What every page's layout needs.
pub(crate) struct PageContext {
    catalog: Arc<Catalog>,
    pub(crate) locale: Locale,
    pub(crate) title: String,
    pub(crate) csrf: String,
    pub(crate) path: String,
    pub(crate) nav: Vec<NavLink>,
    /// "Signed in as ..." text, when signed in.
    pub(crate) signed_in_as: Option<String>,
    /// Where the sign-out form posts, when signed in.
    pub(crate) staff: bool,
    pub(crate) service_name: String,
    pub(crate) service_phone: String,
    pub(crate) demo: bool,
    /// An alert shown above the page's content (open emergencies, for staff who act on them).
    pub(crate) alert: Option<Text>,
}

impl PageContext {
    /// The layout for a page titled by message `title_id`.
    pub(crate) fn new(ctx: &Ctx, title_id: &str) -> Self {
        Self::build(
            &ctx.state,
            ctx.request.locale,
            &ctx.request.principal,
            ctx.request.csrf.clone(),
            ctx.request.path.clone(),
            title_id,
        )
    }

    pub(crate) fn build(
        state: &AppState,
        locale: Locale,
        principal: &Principal,
        csrf: String,
        path: String,
        title_id: &str,
    ) -> Self {
        let catalog = state.catalog.clone();
        let t = |id: &str| catalog.message(locale, id, &[]);
        let mut nav = Vec::new();
        let mut link = |href: &'static str, id: &str| {
            let current =
                path == href || (href != "/" && href != "/staff" && path.starts_with(href));
            nav.push(NavLink {
                href,
                label: text_for(&catalog, locale, id, &[]),
                current,
            });
        };
        let (signed_in_as, staff) = match principal {
            Principal::Anonymous
            | Principal::Organisation { .. }
            | Principal::System { .. }
            | Principal::AppointmentLink { .. } => {
                link("/refer", "nav-refer");
                link("/help", "nav-help");
                link("/sign-in", "nav-sign-in");
                link("/staff/sign-in", "nav-staff");
                (None, false)
            }
            Principal::Patient { .. } => {
                link("/portal", "nav-portal");
                link("/help", "nav-help");
                (Some(t("nav-signed-in-patient")), false)
            }
            Principal::Staff { name, role, .. } => {
                link("/staff", "nav-staff-home");
                if role.can(Permission::TriageReferrals) {
                    link("/staff/triage", "nav-triage");
                }
                if role.can(Permission::WorkTasks) {
                    link("/staff/tasks", "nav-tasks");
                }
                if role.can(Permission::ViewReferral) {
                    link("/staff/conversations", "nav-conversations");
                }
                if role.can(Permission::RecordMdtOutcomes) {
                    link("/staff/mdt", "nav-mdt");
                }
                if role.can(Permission::Signpost) {
                    link("/help/directory", "nav-directory");
                }
                if role.can(Permission::ReviewFeedback) {
                    link("/staff/feedback", "nav-feedback");
                }
                if role.can(Permission::TakePhoneReferral) {
                    link("/staff/refer", "nav-phone-referral");
                }
                if role.can(Permission::ManageOrganisations) {
                    link("/staff/organisations", "nav-organisations");
                }
                if role.can(Permission::ViewWaitingList) {
                    link("/staff/waiting", "nav-waiting");
                }
                if role.can(Permission::ViewClinicList) {
                    link("/staff/clinics", "nav-clinics");
                }
                if role.can(Permission::ViewClinicList) {
                    link("/staff/classes", "nav-classes");
                }
                if role.can(Permission::ManageRotas) {
                    link("/staff/rotas", "nav-rotas");
                }
                if role.can(Permission::ManageServices) {
                    link("/staff/services", "nav-services");
                }
                if role.can(Permission::ViewDashboards) {
                    link("/staff/dashboards", "nav-dashboards");
                }
                if role.can(Permission::ViewOutbox) {
                    link("/staff/outbox", "nav-outbox");
                }
                let role_name = t(&format!("role-{}", role.as_str()));
                let who = catalog.message(
                    locale,
                    "nav-signed-in-staff",
                    &[("name", Arg::Str(name)), ("role", Arg::Str(&role_name))],
                );
                (Some(who), true)
            }
        };
        let title = t(title_id);
        Self {
            catalog: catalog.clone(),
            locale,
            title,
            csrf,
            path,
            nav,
            signed_in_as,
            staff,
            service_name: state.config.service_name.clone(),
            service_phone: state.config.service_phone.clone(),
            demo: state.config.demo,
            alert: None,
        }
    }

    fn text(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Text {
        text_for(&self.catalog, self.locale, id, args)
    }

    /// A translated message, for page content.
    pub(crate) fn t(&self, id: &str) -> Text {
        self.text(id, &[])
    }

    /// Message `id` if any catalogue has it, otherwise `english` (text from a content file the
    /// service edited, not yet in the catalogues), marked as English where that differs.
    pub(crate) fn t_or(&self, id: &str, english: &str) -> Text {
        if self.catalog.has(id) {
            return self.t(id);
        }
        let foreign = (self.locale.language() != Locale::English.language())
            .then(|| (Locale::English.code(), Locale::English.direction()));
        Text {
            text: english.to_owned(),
            foreign,
        }
    }

    /// A translated message with one value, for page content.
    pub(crate) fn t1(&self, id: &str, name: &str, value: impl AsRef<str>) -> Text {
        self.text(id, &[(name, Arg::Str(value.as_ref()))])
    }

    /// A translated message with two values, for page content.
    pub(crate) fn t2(
        &self,
        id: &str,
        name: &str,
        value: impl AsRef<str>,
        name2: &str,
        value2: impl AsRef<str>,
    ) -> Text {
        self.text(
            id,
            &[
                (name, Arg::Str(value.as_ref())),
                (name2, Arg::Str(value2.as_ref())),
            ],
        )
    }

    /// A translated message with any values, for page content.
    pub(crate) fn t_args(&self, id: &str, args: &[(&str, Arg<'_>)]) -> Text {
        self.text(id, args)
    }

    /// A translated message with a count (plural rules apply), for page content.
    pub(crate) fn count(&self, id: &str, count: usize) -> Text {
        self.text(id, &[("count", Arg::Num(count as f64))])
    }

    /// True when message `id` exists.
    pub(crate) fn has(&self, id: &str) -> bool {
        self.catalog.has(id)
    }

    /// A translated message as plain words, for attributes and titles, where markup cannot go.
    pub(crate) fn plain(&self, id: &str) -> String {
        self.catalog.message(self.locale, id, &[])
    }

    /// A translated message with one value, as plain words.
    pub(crate) fn plain1(&self, id: &str, name: &str, value: impl AsRef<str>) -> String {
        self.catalog
            .message(self.locale, id, &[(name, Arg::Str(value.as_ref()))])
    }

    /// A translated message with any values, as plain words.
    pub(crate) fn plain_args(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.catalog.message(self.locale, id, args)
    }

    /// A translated message with two values, as plain words.
    pub(crate) fn plain2(
        &self,
        id: &str,
        name: &str,
        value: impl AsRef<str>,
        name2: &str,
        value2: impl AsRef<str>,
    ) -> String {
        self.catalog.message(
            self.locale,
            id,
            &[
                (name, Arg::Str(value.as_ref())),
                (name2, Arg::Str(value2.as_ref())),
            ],
        )
    }

    /// Marks the page title as showing errors.
    pub(crate) fn title_with_errors(&mut self) {
        self.title = self.plain1("title-with-errors", "title", &self.title);
    }

    /// The `lang` attribute.
    pub(crate) fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// The `dir` attribute.
    pub(crate) fn dir(&self) -> &'static str {
        self.locale.direction()
    }

    /// The language switcher's links, each returning to this page.
    pub(crate) fn languages(&self) -> Vec<LanguageLink> {
        Locale::ALL
            .into_iter()
            .map(|l| LanguageLink {
                code: l.code(),
                name: l.endonym(),
                href: format!("/language?set={}&back={}", l.code(), encode(&self.path)),
                current: l == self.locale,
            })
            .collect()
    }

    /// A date such as "Monday 30 November 2026" (London time).
    pub(crate) fn long_date(&self, at: &Timestamp) -> String {
        self.catalog
            .long_date(self.locale, jointly_domain::local_date(*at))
    }

    /// A calendar date such as "12 April 1968".
    pub(crate) fn date(&self, date: &Date) -> String {
        self.catalog.medium_date(self.locale, *date)
    }

    /// A time of day such as "6:30pm", as written on a timetable.
    pub(crate) fn clock_time(&self, time: jiff::civil::Time) -> String {
        self.catalog.time(self.locale, time)
    }

    /// A time such as "9:30am" (London time).
    pub(crate) fn time(&self, at: &Timestamp) -> String {
        self.catalog
            .time(self.locale, jointly_domain::local(*at).time())
    }
}

fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Renders a template into a page. A template that fails to render is our bug: it is logged
/// and the person sees a plain error, never the cause.
pub(crate) fn render_page<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong. Please try again later.",
            )
                .into_response()
        }
    }
}

/// The error page.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    pub(crate) page: PageContext,
    pub(crate) code: &'static str,
    pub(crate) detail: Option<String>,
}

impl ErrorPage {
    pub(crate) fn new(
        state: &AppState,
        locale: Locale,
        code: &'static str,
        title: String,
        detail: Option<String>,
    ) -> Self {
        let mut page = PageContext::build(
            state,
            locale,
            &Principal::Anonymous,
            String::new(),
            "/".into(),
            "problem-bad_request",
        );
        page.title = title;
        Self { page, code, detail }
    }

    fn advice(&self) -> Text {
        let id = format!("problem-{}-advice", self.code);
        if self.page.has(&id) {
            self.page.t(&id)
        } else {
            self.page.t("problem-advice")
        }
    }
}
