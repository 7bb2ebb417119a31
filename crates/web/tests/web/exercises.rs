//! Exercise programmes: a clinician with a relationship builds one (from a template, with
//! every bad dose named); the person follows it, logs sessions (bad ones refused, nothing
//! saved) and both see adherence and pain; others are refused.

use axum::http::StatusCode;
use jointly_domain::Clock;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::choice::accept;
use crate::harness::TestApp;

#[tokio::test]
async fn a_programme_is_built_followed_logged_and_charted() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut kim, referral) = app.patient("kim.exercises@example.com").await;
        let patient = app.patient_of(&referral).await;
        let page = kim.get("/portal/exercises").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("will set exercises for you here"));
        let none = kim
            .api(
                "POST",
                "/api/v1/me/exercises/log",
                Some(serde_json::json!({"on": "2026-01-01", "pain": "3", "difficulty": "right"})),
            )
            .await;
        assert_eq!(none.status, StatusCode::CONFLICT, "no programme yet");

        // A clinician in another service (the referral awaits triage) may not see or set it.
        let mut physio = app.staff(Role::Clinician).await;
        let path = format!("/staff/patients/{patient}/exercises");
        assert_eq!(physio.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;

        let form = physio.get(&format!("{path}?template=knee")).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains(
            "id=\"sit-to-stand\" name=\"sit-to-stand\" type=\"checkbox\" value=\"yes\" checked"
        ));
        let bad = physio
            .post_form(
                &path,
                &form.csrf(),
                &[
                    ("clam", "yes"),
                    ("clam_sets", "0"),
                    ("clam_reps", "ten"),
                    ("clam_per_week", "3"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains("Choose a number within the range for: Sets of Clam"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("Enter a number for: Repetitions of Clam"));
        assert_eq!(
            store.current_programme(patient).await.unwrap(),
            None,
            "nothing saved"
        );
        let saved = physio
            .post_form(
                &path,
                &form.csrf(),
                &[
                    ("sit-to-stand", "yes"),
                    ("sit-to-stand_sets", "2"),
                    ("sit-to-stand_reps", "8"),
                    ("sit-to-stand_per_week", "5"),
                    ("sit-to-stand_progression", "Add a set when easy"),
                    ("quad-set", "yes"),
                    ("quad-set_sets", "3"),
                    ("quad-set_reps", "10"),
                    ("quad-set_per_week", "7"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        // The person sees it in their language, with its variants, and logs a session.
        let mine = kim.get("/portal/exercises").await;
        assert!(
            mine.body.contains("Sit to stand") && mine.body.contains("2 sets of 8, 5 times a week")
        );
        assert!(mine.body.contains("If this is too hard") && mine.body.contains("Step up"));
        let today = jointly_domain::local_date(app.clock.now()).to_string();
        let refused = kim
            .post_form(
                "/portal/exercises/log",
                &mine.csrf(),
                &[("on", "2030-01-01"), ("pain", "12"), ("done_clam", "yes")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for anchor in ["#on", "#pain", "#difficulty"] {
            assert!(
                refused.body.contains(&format!("href=\"{anchor}\"")),
                "{anchor}"
            );
        }
        let logged = kim
            .post_form(
                "/portal/exercises/log",
                &mine.csrf(),
                &[
                    ("on", &today),
                    ("done_sit-to-stand", "yes"),
                    ("done_quad-set", "yes"),
                    ("pain", "4"),
                    ("difficulty", "right"),
                    ("note", "Stairs easier"),
                ],
            )
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
        let charts = kim.get(logged.location().unwrap()).await;
        assert!(charts.body.contains("Saved. Your clinician will see it."));
        assert!(charts.body.contains("<svg class=\"jointly-chart__svg\""));
        assert!(
            charts
                .body
                .contains("This week you have done 16% of the exercises set.")
        );

        // The clinician sees the same adherence and the note; the API agrees.
        let theirs = physio
            .api(
                "GET",
                &format!("/api/v1/patients/{patient}/exercises"),
                None,
            )
            .await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        let body = theirs.json();
        assert_eq!(body["adherence"][0]["done"], 2);
        assert_eq!(body["adherence"][0]["expected"], 12);
        assert_eq!(body["sessions"][0]["note"], "Stairs easier");
        let page = physio.get(&path).await;
        assert!(page.body.contains("Stairs easier"));
        let unknown = physio
            .api(
                "PUT",
                &format!("/api/v1/patients/{patient}/exercises"),
                Some(serde_json::json!({"juggling": "yes"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Coordinators read but do not prescribe.
        let mut desk = app.staff(Role::Coordinator).await;
        let refused = desk
            .api(
                "PUT",
                &format!("/api/v1/patients/{patient}/exercises"),
                Some(serde_json::json!({})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}
