//! Bad input gets a clear 4xx naming what is wrong, and changes nothing.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;
use serde_json::json;

use crate::harness::{TestApp, knee_answers};

pub(crate) fn good_referral() -> serde_json::Value {
    let mut answers: serde_json::Map<String, serde_json::Value> = knee_answers()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    answers.insert("area".into(), json!("shoulder"));
    answers.insert("hands_clumsy".into(), json!(false));
    answers.insert("pain_score".into(), json!(6));
    answers.remove("weight_bearing");
    answers.remove("leg_weakness");
    json!({
        "person": {
            "given_name": "Ola", "family_name": "Nowak", "date_of_birth": "1980-02-29", "sex": "female",
            "postcode": "MK9 3HQ", "phone": "07700 900321", "preferred_contact": "sms",
            "preferred_language": "pl"
        },
        "answers": answers,
    })
}

#[tokio::test]
async fn the_api_names_every_problem_and_stores_nothing() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut client = app.client();

        let mut bad = good_referral();
        bad["person"]["date_of_birth"] = json!("2099-01-01");
        bad["person"]["nhs_number"] = json!("943 476 5918");
        bad["person"]["preferred_contact"] = json!("pigeon");
        bad["answers"]["pain_score"] = json!(11);
        bad["answers"]["favourite_colour"] = json!("blue");
        let response = client.api("POST", "/api/v1/referrals", Some(bad)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.headers["content-type"], "application/problem+json");
        let problem = response.json();
        assert_eq!(problem["code"], "invalid_input");
        let fields: Vec<_> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("date_of_birth", "future"),
                ("nhs_number", "check-digit"),
                ("preferred_contact", "choose"),
                ("pain_score", "too-high"),
                ("favourite_colour", "unknown"),
            ]
        );
        assert!(
            problem["errors"][3]["message"]
                .as_str()
                .unwrap()
                .starts_with("The number is too high for: pain_score")
        );
        assert!(
            problem["errors"][1]["message"]
                .as_str()
                .unwrap()
                .contains("NHS number")
        );

        let response = client
            .api(
                "POST",
                "/api/v1/referrals",
                Some(json!({"person": {"given_nme": "typo"}})),
            )
            .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        assert_eq!(response.json()["code"], "malformed_json");
        assert!(
            response.json()["detail"]
                .as_str()
                .unwrap()
                .contains("given_nme")
        );

        let request = axum::http::Request::post("/api/v1/referrals")
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{not json"))
            .unwrap();
        assert_eq!(client.send(request).await.status, StatusCode::BAD_REQUEST);
        let request = axum::http::Request::post("/api/v1/referrals")
            .header("content-type", "text/plain")
            .body(axum::body::Body::from(good_referral().to_string()))
            .unwrap();
        assert_eq!(
            client.send(request).await.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        let huge = json!({"answers": {"description": "x".repeat(100_000)}});
        assert_eq!(
            client
                .api("POST", "/api/v1/referrals", Some(huge))
                .await
                .status,
            StatusCode::PAYLOAD_TOO_LARGE
        );

        assert_eq!(
            store.triage_queue_length().await.unwrap(),
            0,
            "nothing was stored"
        );
        assert!(store.recent_outbox(10).await.unwrap().is_empty());

        let created = client
            .api("POST", "/api/v1/referrals", Some(good_referral()))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert!(
            created.json()["reference"]
                .as_str()
                .unwrap()
                .starts_with("JNT-")
        );
        assert_eq!(store.triage_queue_length().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn forms_show_an_error_summary_that_links_to_each_field() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut client = app.client();
        let token = client.get("/refer").await.csrf();
        let started = client.post_form("/refer/start", &token, &[]).await;
        assert_eq!(started.location(), Some("/refer/step/who"));
        let next = client
            .post_form("/refer/step/who", &token, &[("for_someone_else", "no")])
            .await;
        assert_eq!(next.location(), Some("/refer/step/about"));
        let response = client
            .post_form(
                "/refer/step/about",
                &token,
                &[
                    ("given_name", "<b>Ann</b>"),
                    ("date_of_birth_day", "31"),
                    ("date_of_birth_month", "2"),
                    ("date_of_birth_year", "1990"),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = &response.body;
        assert!(
            body.contains("<title>Error: "),
            "the title says there is an error"
        );
        assert!(body.contains("class=\"nhsuk-error-summary\"") && body.contains("role=\"alert\""));
        for (anchor, text) in [
            ("given_name", "First name must not include"),
            ("family_name", "Enter your last name"),
            ("date_of_birth-day", "Date of birth must be a real date"),
            ("sex", "Select your sex"),
        ] {
            assert!(
                body.contains(&format!("<a href=\"#{anchor}\">{text}")),
                "summary links to {anchor}"
            );
            let id = anchor.trim_end_matches("-day");
            assert!(
                body.contains(&format!("id=\"{id}-error\"")),
                "message beside {id}"
            );
        }
        assert!(
            !body.contains("Enter your postcode"),
            "only this step's problems"
        );
        assert!(
            body.contains("value=\"&#60;b&#62;Ann&#60;/b&#62;\"")
                || body.contains("value=\"&lt;b&gt;Ann&lt;/b&gt;\""),
            "what was typed is kept, escaped"
        );

        // A questionnaire step names each question in words.
        client
            .post_form(
                "/refer/step/about",
                &token,
                &[
                    ("given_name", "Ann"),
                    ("family_name", "Lee"),
                    ("date_of_birth_day", "1"),
                    ("date_of_birth_month", "2"),
                    ("date_of_birth_year", "1990"),
                    ("sex", "female"),
                ],
            )
            .await;
        client
            .post_form(
                "/refer/step/contact",
                &token,
                &[
                    ("postcode", "LU1 3JU"),
                    ("email", "ann@example.com"),
                    ("preferred_contact", "email"),
                ],
            )
            .await;
        let response = client
            .post_form("/refer/step/problem", &token, &[("area", "knee")])
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response
                .body
                .contains("<a href=\"#side\">Answer the question: Which side?</a>"),
            "{}",
            response.body
        );
        assert!(
            !response.body.contains(">error-") && !response.body.contains("> error-"),
            "every message is translated"
        );
        assert_eq!(store.triage_queue_length().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn malformed_ids_and_dates_are_not_found_or_named() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut staff = app.staff(Role::TriageClinician).await;
        assert_eq!(
            staff.get("/staff/referrals/not-a-uuid").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            staff
                .api("GET", "/api/v1/referrals/1234", None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let mut clinician = app.staff(Role::Clinician).await;
        let response = clinician
            .api("GET", "/api/v1/clinics/2026-02-30", None)
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.json()["errors"][0]["field"], "date");
        assert_eq!(
            clinician.get("/staff/clinics?date=yesterday").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let accept = json!({"service_id": "nope", "priority": "asap", "version": "x"});
        let response = staff
            .api(
                "POST",
                &format!("/api/v1/referrals/{}/accept", uuid::Uuid::new_v4()),
                Some(accept),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "version must be a number: {}",
            response.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_referral_can_carry_coded_communication_needs_and_bad_ones_refuse_it_whole() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut client = app.client();
        let mut bad = good_referral();
        bad["communication"] = json!({"needs": ["bsl_interpreter", "smoke_signals"]});
        let refused = client.api("POST", "/api/v1/referrals", Some(bad)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.json()["errors"][0]["field"], "needs");
        let mut triage = app.staff(Role::TriageClinician).await;
        let queue = triage.api("GET", "/api/v1/triage/referrals", None).await;
        assert_eq!(
            queue.json().as_array().map(Vec::len),
            Some(0),
            "nothing was stored"
        );

        let mut good = good_referral();
        good["communication"] = json!({"needs": ["bsl_interpreter"], "digitally_excluded": "yes"});
        let created = client.api("POST", "/api/v1/referrals", Some(good)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let referral: jointly_domain::ReferralId = created.json()["referral_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let patient = store
            .find_referral(referral)
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let profile = store.communication_profile(patient).await.unwrap();
        assert!(profile.needs.needs_longer_appointment());
        assert!(profile.preferences.digitally_excluded);
    })
    .await;
}
