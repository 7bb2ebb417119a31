//! Pages: layout, languages, headers, cookies, and what never reaches the logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::harness::TestApp;

#[tokio::test]
async fn every_page_has_language_direction_skip_link_and_landmarks() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut client = app.client();
        for path in ["/", "/refer", "/sign-in", "/staff/sign-in", "/no-such-page"] {
            let page = client.get(path).await;
            let body = &page.body;
            assert!(
                body.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"),
                "{path}"
            );
            assert!(
                body.contains("href=\"#main-content\"")
                    && body.contains("<main")
                    && body.contains("role=\"banner\"")
                    && body.contains("role=\"contentinfo\""),
                "{path}"
            );
            assert!(
                body.contains("<title>") && !body.contains("<title> –"),
                "{path} has a title"
            );
        }
        let page = client
            .get_with("/", ("accept-language", "ur-PK,ur;q=0.9"))
            .await;
        assert!(page.body.contains("<html lang=\"ur\" dir=\"rtl\">"));
        assert!(page.body.contains("پٹھوں"), "Urdu text is shown");
        assert!(
            !page.body.contains("Physiotherapists and specialists"),
            "the home page is all in Urdu"
        );

        let switch = client.get("/language?set=pl&back=/refer").await;
        assert_eq!(switch.status, StatusCode::SEE_OTHER);
        assert_eq!(switch.location(), Some("/refer"));
        let page = client.get("/refer").await;
        assert!(page.body.contains("<html lang=\"pl\" dir=\"ltr\">"));
        let offsite = client
            .get("/language?set=ur&back=https://evil.example")
            .await;
        assert_eq!(offsite.location(), Some("/"));
    })
    .await;
}

#[tokio::test]
async fn security_headers_and_cookie_flags() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut client = app.client();
        let page = client.get("/refer").await;
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("cache-control", "no-store"),
            ("referrer-policy", "same-origin"),
        ] {
            assert_eq!(page.headers[name], value, "{name}");
        }
        assert!(
            page.headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        let cookie = page.headers["set-cookie"].to_str().unwrap();
        assert!(
            cookie.starts_with("__Host-jointly_csrf=")
                && cookie.contains("HttpOnly")
                && cookie.contains("Secure")
                && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );

        let mut staff_page = app.client();
        let token = staff_page.get("/staff/sign-in").await.csrf();
        let signed_in = staff_page
            .post_form(
                "/staff/sign-in",
                &token,
                &[("email", "nobody@jointly.example"), ("password", "x")],
            )
            .await;
        assert_eq!(signed_in.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            signed_in
                .body
                .contains("The email address or password is not right")
        );
        assert!(
            !signed_in
                .body
                .contains("name=\"password\" type=\"password\" value=\"x\""),
            "passwords are never shown back"
        );
    })
    .await;
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_patient_data_reaches_the_logs() {
    // A global subscriber: a thread-local one misses events whose call sites other tests,
    // running in parallel, already registered. Everything any test logs lands here, and none
    // of it may carry personal data.
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("only this test installs a subscriber");
    tracing::callsite::rebuild_interest_cache();
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut client = app.client();
        let token = client.get("/refer").await.csrf();
        client
            .post_form(
                "/refer",
                &token,
                &[
                    ("given_name", "Zebedee"),
                    ("family_name", "Quillfeather"),
                    ("date_of_birth_day", "1"),
                    ("date_of_birth_month", "2"),
                    ("date_of_birth_year", "1961"),
                    ("sex", "male"),
                    ("nhs_number", "943 476 5919"),
                    ("postcode", "MK9 3HQ"),
                    ("email", "zeb.q@example.com"),
                    ("preferred_contact", "email"),
                    ("problem_area", "hip"),
                    ("description", "Secret hip story"),
                ],
            )
            .await;
        let (mut patient, referral) = app.patient("zeb.q@example.com").await;
        patient.get("/portal").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        triage.get(&format!("/staff/referrals/{referral}")).await;
        triage.get("/staff/triage").await;
    })
    .await;
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("request"), "requests are logged");
    for secret in [
        "Zebedee",
        "Quillfeather",
        "9434765919",
        "943 476 5919",
        "MK9 3HQ",
        "zeb.q@example.com",
        "Secret hip story",
        "Amelia",
        // The birth date as it would leak; "1961" alone turns up in request timings
        // (`ms=12.1961…`) under load.
        "1961-02-01",
        "1 February 1961",
    ] {
        assert!(!logs.contains(secret), "{secret} appeared in the logs");
    }
}
