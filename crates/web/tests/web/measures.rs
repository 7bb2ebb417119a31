//! Outcome measures: a clinician asks the person to answer (they are told through their
//! channel), the person answers in the portal (bad answers named, nothing saved), staff enter
//! answers given by phone, and both see the change over time; others are refused.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_store::testing::on_each_backend;

use crate::choice::accept;
use crate::harness::TestApp;

#[tokio::test]
async fn measures_are_asked_for_answered_and_charted() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut lee, referral) = app.patient("lee.measures@example.com").await;
        let patient = app.patient_of(&referral).await;
        let mut physio = app.staff(Role::Clinician).await;
        let path = format!("/staff/patients/{patient}/measures");
        assert_eq!(
            physio.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "no relationship yet"
        );
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;

        let page = physio.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let empty = physio
            .post_form(&path, &page.csrf(), &[("timepoint", "start")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.body.contains("href=\"#measure_pain\""),
            "{}",
            empty.body
        );
        let sent = physio
            .post_form(
                &path,
                &page.csrf(),
                &[
                    ("measure_function", "yes"),
                    ("measure_goal", "yes"),
                    ("timepoint", "start"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let told = store
            .outbox_for_patient(patient)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.template == MessageTemplate::MeasuresDue)
            .count();
        assert_eq!(told, 1, "told once, however many questionnaires");

        let mine = lee.get("/portal/measures").await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        assert!(mine.body.contains("Your care team asked you to answer"));
        assert!(mine.body.contains("href=\"/portal/measures/function\""));
        let form = lee.get("/portal/measures/function").await;
        assert!(
            form.body
                .contains("0 means Not at all. 10 means Completely.")
        );
        let bad = lee
            .post_form(
                "/portal/measures/function",
                &form.csrf(),
                &[("daily", "12"), ("work", "3")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#daily\"") && bad.body.contains("href=\"#sleep\""));
        assert!(
            bad.body.contains(
                "Answer the question: Over the last week, how much has it disturbed your sleep?"
            ) || bad
                .body
                .contains("Answer the question: How much has it disturbed your sleep?")
        );
        assert!(
            store.measure_responses(patient).await.unwrap().is_empty(),
            "nothing saved"
        );
        let answered = lee
            .post_form(
                "/portal/measures/function",
                &form.csrf(),
                &[("daily", "7"), ("work", "8"), ("sleep", "6")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        let after = lee.get(answered.location().unwrap()).await;
        assert!(after.body.contains("Saved. Thank you"));
        assert!(
            after
                .body
                .contains("Latest score 21 out of 30 (lower is better).")
        );
        assert!(
            !after.body.contains(">Everyday life</a>") && after.body.contains(">Your goal</a>"),
            "only the goal is still due"
        );

        // Later the physiotherapist enters answers given by phone, at discharge.
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 42));
        let mut physio = app.staff(Role::Clinician).await;
        let phone_form = physio.get(&format!("{path}/function")).await;
        assert_eq!(phone_form.status, StatusCode::OK, "{}", phone_form.body);
        let entered = physio
            .post_form(
                &format!("{path}/function"),
                &phone_form.csrf(),
                &[
                    ("daily", "2"),
                    ("work", "3"),
                    ("sleep", "1"),
                    ("timepoint", "discharge"),
                ],
            )
            .await;
        assert_eq!(entered.status, StatusCode::SEE_OTHER, "{}", entered.body);
        let theirs = physio.get(&path).await;
        assert!(
            theirs.body.contains("Better by 15 since the first time."),
            "{}",
            theirs.body
        );
        let api = physio
            .api("GET", &format!("/api/v1/patients/{patient}/measures"), None)
            .await;
        let body = api.json();
        assert_eq!(body["responses"][1]["timepoint"], "discharge");
        assert_eq!(body["responses"][1]["score"], 6);
        assert_eq!(
            body["due"].as_array().unwrap().len(),
            1,
            "the goal is still due"
        );
        let unknown = physio
            .api(
                "POST",
                &format!("/api/v1/patients/{patient}/measures/requests"),
                Some(serde_json::json!({"measures": ["happiness"], "timepoint": "start"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut desk = app.staff(Role::Coordinator).await;
        let refused = desk
            .api(
                "POST",
                &format!("/api/v1/patients/{patient}/measures/function"),
                Some(serde_json::json!({"daily": "1", "work": "1", "sleep": "1"})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut lee = app.sign_in("lee.measures@example.com", patient).await;
        assert_eq!(
            lee.get("/portal/measures/no-such-measure").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
