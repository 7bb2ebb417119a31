//! Every route, walked with no session and with every role: each is allowed exactly where its
//! rule says, and refused the right way everywhere else.

use axum::http::StatusCode;
use jointly_domain::access::{Permission, Role};
use jointly_store::testing::on_each_backend;
use jointly_web::{Access, Surface, route_table};

use crate::harness::{Client, TestApp};

/// Who is asking in the walk: nobody, or a role.
fn principals() -> Vec<Option<Role>> {
    std::iter::once(None)
        .chain(Role::ALL.into_iter().map(Some))
        .collect()
}

fn allowed(access: Access, who: Option<Role>) -> bool {
    match (access, who) {
        (Access::Public, _) => true,
        (Access::Patient, Some(Role::Patient)) => true,
        (Access::Staff(permission), Some(role)) => role.can(permission),
        _ => false,
    }
}

fn concrete(path: &str, referral: &str) -> String {
    path.replace("{id}", referral)
        .replace("{date}", "2026-11-24")
        .replace("{slug}", "who")
        .replace("{token}", "not-a-saved-link")
        .replace("{topic}", "knee-pain")
        .replace("{service}", "working-well")
        .replace("{dashboard}", "waits")
        .replace("{language}", "pl")
}

async fn client_for(app: &TestApp, who: Option<Role>, n: usize) -> (Client, String) {
    match who {
        None => (app.client(), uuid::Uuid::new_v4().to_string()),
        Some(Role::Patient) => app.patient(&format!("walker{n}@example.com")).await,
        Some(role) => (app.staff(role).await, uuid::Uuid::new_v4().to_string()),
    }
}

#[tokio::test]
async fn every_route_with_every_role() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut checked = 0;
        for (n, who) in principals().into_iter().enumerate() {
            let (mut client, referral) = client_for(&app, who, n).await;
            // A page gives the form token this principal's forms must carry.
            let token = client.get("/refer").await.csrf();
            // Signing out ends the walker's session, so those routes go last.
            let mut routes = route_table();
            routes.sort_by_key(|r| r.path == "/sign-out" || r.path == "/api/v1/sessions/current");
            for route in routes {
                let path = concrete(route.path, &referral);
                let response = match (route.surface, route.method) {
                    (Surface::Html, "GET") => client.get(&path).await,
                    (Surface::Html, "POST") => client.post_form(&path, &token, &[]).await,
                    (Surface::Api | Surface::Fhir, method) => {
                        let body = matches!(method, "POST" | "PUT").then(|| serde_json::json!({}));
                        client.api(method, &path, body).await
                    }
                    (surface, method) => panic!("no walker for {surface:?} {method}"),
                };
                let status = response.status;
                let what = format!(
                    "{} {} as {:?} on {}",
                    route.method,
                    route.path,
                    who,
                    app.store.backend().as_str()
                );
                if allowed(route.access, who) {
                    assert!(
                        status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
                            || path.starts_with("/api/v1/sessions"),
                        "{what}: allowed but got {status}: {}",
                        &response.body[..response.body.len().min(300)]
                    );
                    assert!(!status.is_server_error(), "{what}: {status}");
                } else {
                    let refused = match (route.surface, route.method, who) {
                        // Only an organisation's API key opens these; a session is not one.
                        // Only the provider's callback token opens this one.
                        // Only a connected system's access token opens the FHIR API.
                        _ if matches!(
                            route.access,
                            Access::Organisation | Access::Provider | Access::System
                        ) =>
                        {
                            status == StatusCode::UNAUTHORIZED
                        }
                        // People who are not signed in are sent to the right sign-in page.
                        (Surface::Html, "GET", None) => {
                            status == StatusCode::SEE_OTHER
                                && response
                                    .location()
                                    .is_some_and(|l| l == "/sign-in" || l == "/staff/sign-in")
                        }
                        (_, _, None) => status == StatusCode::UNAUTHORIZED,
                        _ => status == StatusCode::FORBIDDEN,
                    };
                    assert!(refused, "{what}: should be refused but got {status}");
                }
                checked += 1;
            }
        }
        assert_eq!(checked, route_table().len() * principals().len());
    })
    .await;
}

#[test]
fn the_table_keeps_the_promises_that_matter() {
    // Independent of the table's own rules: the routes that expose patient records.
    for route in route_table() {
        let exposes_records = route.path.starts_with("/staff/referrals")
            || route.path.starts_with("/staff/outbox")
            || route.path.starts_with("/staff/clinics")
            || route.path.starts_with("/staff/triage")
            || route.path.starts_with("/api/v1/referrals/")
            || route.path.starts_with("/api/v1/triage")
            || route.path.starts_with("/api/v1/clinics");
        if exposes_records {
            let Access::Staff(permission) = route.access else {
                panic!("{} must be staff-only", route.path)
            };
            assert!(
                !Role::Administrator.can(permission),
                "{}: administrators must not read records",
                route.path
            );
            assert!(!Role::Patient.can(permission));
            assert!(!Role::Referrer.can(permission));
        }
        if route.path.starts_with("/portal") || route.path.starts_with("/api/v1/me") {
            assert_eq!(route.access, Access::Patient, "{}", route.path);
        }
        if route.method != "GET" && route.surface == Surface::Html {
            assert!(route.path != "/" && !route.path.starts_with("/static"));
        }
    }
    assert!(
        route_table()
            .iter()
            .any(|r| r.access == Access::Staff(Permission::TriageReferrals))
    );
}

#[tokio::test]
async fn a_patient_reaches_only_their_own_records() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut alice, alice_referral) = app.patient("alice@example.com").await;
        let (mut bob, _) = app.patient("bob@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        let accept = serde_json::json!({"service_id": app.clinic.service.id.to_string(), "priority": "routine", "version": 0});
        assert_eq!(triage.api("POST", &format!("/api/v1/referrals/{alice_referral}/accept"), Some(accept)).await.status, StatusCode::OK);

        let slots = alice.api("GET", &format!("/api/v1/me/referrals/{alice_referral}/slots"), None).await;
        assert_eq!(slots.status, StatusCode::OK);
        let slot = slots.json()[0]["id"].as_str().unwrap().to_owned();
        assert_eq!(bob.api("GET", &format!("/api/v1/me/referrals/{alice_referral}/slots"), None).await.status, StatusCode::NOT_FOUND);
        let steal = serde_json::json!({"referral_id": alice_referral, "slot_id": slot});
        assert_eq!(bob.api("POST", "/api/v1/me/appointments", Some(steal.clone())).await.status, StatusCode::NOT_FOUND);
        let bobs = bob.api("GET", "/api/v1/me/referrals", None).await.json();
        assert!(bobs.as_array().unwrap().iter().all(|r| r["id"] != alice_referral.as_str()));
        let token = bob.get("/portal").await.csrf();
        let page = bob.post_form(&format!("/portal/referrals/{alice_referral}/book"), &token, &[("slot_id", &slot)]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(alice.api("POST", "/api/v1/me/appointments", Some(steal)).await.status, StatusCode::CREATED);
    })
    .await;
}

#[tokio::test]
async fn forged_forms_are_refused() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut staff = app.staff(Role::TriageClinician).await;
        let token = staff.get("/staff").await.csrf();
        let forms: Vec<_> = route_table()
            .into_iter()
            .filter(|r| r.surface == Surface::Html && r.method == "POST")
            .collect();
        assert!(forms.len() >= 6);
        for route in forms {
            let path = concrete(route.path, &uuid::Uuid::new_v4().to_string());
            let missing = staff
                .post_raw(&path, "", &[("origin", "http://localhost")])
                .await;
            assert_eq!(
                missing.status,
                StatusCode::FORBIDDEN,
                "{path} without a token"
            );
            let wrong = staff
                .post_raw(
                    &path,
                    "_csrf=not-the-token",
                    &[("origin", "http://localhost")],
                )
                .await;
            assert_eq!(
                wrong.status,
                StatusCode::FORBIDDEN,
                "{path} with a wrong token"
            );
            let body = format!("_csrf={token}");
            let elsewhere = staff
                .post_raw(&path, &body, &[("origin", "https://evil.example")])
                .await;
            assert_eq!(
                elsewhere.status,
                StatusCode::FORBIDDEN,
                "{path} from another site"
            );
            let cross = staff
                .post_raw(&path, &body, &[("sec-fetch-site", "cross-site")])
                .await;
            assert_eq!(cross.status, StatusCode::FORBIDDEN, "{path} cross-site");
        }
    })
    .await;
}
