//! The JSON API's OpenAPI document: it describes every JSON route of the route table and no
//! other, with the access the guard enforces; a validator we did not write accepts it; and the
//! answers real requests get match the schemas it declares, refusals included.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::Backend;
use jointly_store::testing::TestDatabase;
use jointly_web::{Access, Surface, route_table};
use serde_json::{Value, json};

use crate::harness::{Client, TestApp};
use crate::input::good_referral;
use crate::validators::check_openapi;

/// Answers seen, to be checked against the document: method, path template, status, content
/// type and body.
#[derive(Default)]
struct Seen(Vec<Value>);

impl Seen {
    /// Calls `path` (the template `template` filled in) and records the answer.
    async fn call(
        &mut self,
        client: &mut Client,
        method: &str,
        template: &str,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let response = client.api(method, path, body).await;
        assert!(
            response.status.as_u16() < 500,
            "{method} {path}: {}",
            response.body
        );
        let content_type = response
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = if response.body.is_empty() {
            Value::Null
        } else {
            response.json()
        };
        self.0.push(json!({
            "method": method, "path": template, "status": response.status.as_u16(),
            "content_type": content_type, "body": body,
        }));
        body
    }
}

#[tokio::test]
async fn the_document_describes_every_json_route_as_the_guard_enforces_it() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let app = TestApp::new(db.store.clone()).await;
    let response = app.client().get("/api/openapi.json").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.headers["content-type"], "application/json");
    let document = response.json();
    db.remove().await;

    let tags: BTreeSet<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut described = 0;
    let mut ids = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            described += 1;
            let route = route_table()
                .into_iter()
                .find(|r| r.path == path && r.method.eq_ignore_ascii_case(method))
                .unwrap_or_else(|| panic!("{method} {path} is described but not served"));
            assert_eq!(route.surface, Surface::Api, "{path}");
            let summary = operation["summary"].as_str().unwrap_or("");
            assert!(
                !summary.is_empty() && !summary.starts_with('`'),
                "{method} {path} says what it does: {summary:?}"
            );
            let tag = operation["tags"][0].as_str().unwrap();
            assert!(tags.contains(tag), "{method} {path}: tag {tag}");
            assert!(ids.insert(operation["operationId"].as_str().unwrap().to_owned()));
            let scheme = operation["security"][0]
                .as_object()
                .and_then(|s| s.keys().next().cloned());
            let expected = match route.access {
                Access::Public => None,
                Access::Patient | Access::Staff(_) => Some("session"),
                Access::Organisation => Some("organisation_key"),
                Access::Provider => Some("provider_token"),
                Access::System => panic!("{path}: systems use FHIR"),
            };
            assert_eq!(scheme.as_deref(), expected, "{method} {path}");
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{method} {path} says what success looks like"
            );
            if expected.is_some() {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
            if matches!(route.access, Access::Staff(_)) {
                let who = operation["description"].as_str().unwrap();
                assert!(who.contains("Staff whose role may"), "{method} {path}");
            }
        }
    }
    let served = route_table()
        .into_iter()
        .filter(|r| r.surface == Surface::Api)
        .count();
    assert_eq!(described, served, "every JSON route is described, once");

    if let Err(report) = check_openapi(&document, &[]) {
        panic!("the OpenAPI validator refused the document:\n{report}");
    }
}

#[tokio::test]
async fn real_answers_match_the_schemas_the_document_declares() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let app = TestApp::new(db.store.clone()).await;
    let mut seen = Seen::default();
    let mut visitor = app.client();
    let document = seen
        .call(
            &mut visitor,
            "GET",
            "/api/openapi.json",
            "/api/openapi.json",
            None,
        )
        .await;
    for path in [
        "/api/v1/directory",
        "/api/v1/waiting-times",
        "/api/v1/you-said-we-did",
    ] {
        seen.call(&mut visitor, "GET", path, path, None).await;
    }
    let referrals = "/api/v1/referrals";
    seen.call(
        &mut visitor,
        "POST",
        referrals,
        referrals,
        Some(json!({"person": {}})),
    )
    .await;
    seen.call(
        &mut visitor,
        "POST",
        referrals,
        referrals,
        Some(good_referral()),
    )
    .await;
    seen.call(
        &mut visitor,
        "GET",
        "/api/v1/me/referrals",
        "/api/v1/me/referrals",
        None,
    )
    .await;

    let (mut patient, referral) = app.patient("ruth@example.com").await;
    let mut triage = app.staff(Role::TriageClinician).await;
    seen.call(
        &mut triage,
        "GET",
        "/api/v1/triage/referrals",
        "/api/v1/triage/referrals",
        None,
    )
    .await;
    let one = format!("/api/v1/referrals/{referral}");
    seen.call(&mut triage, "GET", "/api/v1/referrals/{id}", &one, None)
        .await;
    let accept = json!({"service_id": app.clinic.service.id.to_string(), "priority": "routine", "version": 0});
    seen.call(
        &mut triage,
        "POST",
        "/api/v1/referrals/{id}/accept",
        &format!("{one}/accept"),
        Some(accept.clone()),
    )
    .await;
    seen.call(
        &mut triage,
        "POST",
        "/api/v1/referrals/{id}/accept",
        &format!("{one}/accept"),
        Some(accept),
    )
    .await;

    for path in [
        "/api/v1/me/referrals",
        "/api/v1/me/passport",
        "/api/v1/me/communication",
        "/api/v1/me/inbox",
        "/api/v1/me/measures",
        "/api/v1/me/exercises",
        "/api/v1/me/classes",
        "/api/v1/me/offer-preferences",
        "/api/v1/me/conversations",
    ] {
        seen.call(&mut patient, "GET", path, path, None).await;
    }
    let slots = seen
        .call(
            &mut patient,
            "GET",
            "/api/v1/me/referrals/{id}/slots",
            &format!("/api/v1/me/referrals/{referral}/slots"),
            None,
        )
        .await;
    let slot = slots[0]["id"].as_str().unwrap().to_owned();
    let book = json!({"referral_id": referral, "slot_id": slot});
    seen.call(
        &mut patient,
        "POST",
        "/api/v1/me/appointments",
        "/api/v1/me/appointments",
        Some(book.clone()),
    )
    .await;
    seen.call(
        &mut patient,
        "POST",
        "/api/v1/me/appointments",
        "/api/v1/me/appointments",
        Some(book),
    )
    .await;

    let mut coordinator = app.staff(Role::Coordinator).await;
    for path in [
        "/api/v1/rotas",
        "/api/v1/calls",
        "/api/v1/outbox/undeliverable",
        "/api/v1/waiting-lists",
        "/api/v1/feedback",
        "/api/v1/conversations",
    ] {
        seen.call(&mut coordinator, "GET", path, path, None).await;
    }
    seen.call(
        &mut coordinator,
        "GET",
        "/api/v1/clinics/{date}",
        "/api/v1/clinics/2026-11-30",
        None,
    )
    .await;
    seen.call(
        &mut coordinator,
        "GET",
        "/api/v1/clinics/{date}",
        "/api/v1/clinics/someday",
        None,
    )
    .await;
    db.remove().await;

    let statuses: BTreeSet<u64> = seen
        .0
        .iter()
        .map(|s| s["status"].as_u64().unwrap())
        .collect();
    for status in [200, 201, 401, 409, 422] {
        assert!(
            statuses.contains(&status),
            "the journey saw a {status}: {statuses:?}"
        );
    }
    if let Err(report) = check_openapi(&document, &seen.0) {
        panic!("answers differ from the document:\n{report}");
    }

    // The check would catch a document that said otherwise.
    let mut lying = document.clone();
    lying["components"]["schemas"]["Problem"]["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("remedy"));
    let report = check_openapi(&lying, &seen.0).expect_err("no answer has a remedy");
    assert!(
        report.contains("'remedy' is a required property"),
        "{report}"
    );
}
