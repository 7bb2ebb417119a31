//! The passport pages: the person and their clinicians write in it; a change made from an old
//! version says so; the care team's clinical notes stay with the care team; anyone without a
//! relationship gets 404.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::choice::{accept, book_first};
use crate::harness::TestApp;

#[tokio::test]
async fn the_person_and_their_physiotherapist_write_in_one_passport() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.passport@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let patient = app.patient_of(&referral).await;

        let page = amy.get("/portal/passport").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("What matters to you"));
        assert!(
            amy.get("/portal")
                .await
                .body
                .contains("href=\"/portal/passport\"")
        );
        let saved = amy
            .post_form(
                "/portal/passport/about",
                &page.csrf(),
                &[("what_matters", "Cycling to work again"), ("version", "0")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let after = amy.get(saved.location().unwrap()).await;
        assert!(after.body.contains("Cycling to work again"));
        assert!(
            after
                .body
                .contains("Saved. Everyone caring for you will see it.")
        );
        let stale = amy
            .post_form(
                "/portal/passport/about",
                &page.csrf(),
                &[("what_matters", "Something else"), ("version", "0")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(
            stale
                .body
                .contains("Someone changed this while you were writing")
        );
        assert!(
            stale.body.contains("Cycling to work again"),
            "shows what it says now"
        );

        let empty = amy
            .post_form("/portal/passport/goals", &page.csrf(), &[("goal", " ")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("href=\"#goal\""), "{}", empty.body);
        assert!(
            empty.body.contains("Cycling to work again"),
            "the other forms still show what the passport says"
        );
        let goal = amy
            .post_form(
                "/portal/passport/goals",
                &page.csrf(),
                &[("goal", "Cycle 5 miles")],
            )
            .await;
        assert_eq!(goal.status, StatusCode::SEE_OTHER);
        let note = amy
            .post_form(
                "/portal/passport/notes",
                &page.csrf(),
                &[("body", "Stairs are easier")],
            )
            .await;
        assert_eq!(note.status, StatusCode::SEE_OTHER);
        let mine = amy.get("/portal/passport").await;
        assert!(mine.body.contains("Cycle 5 miles") && mine.body.contains("Stairs are easier"));

        // Seen in clinic, the physiotherapist writes the plan and a clinical note.
        let (_, appointment) = book_first(&mut amy, &referral).await;
        app.clock.advance(jiff::SignedDuration::from_hours(24));
        let mut desk = app.staff(Role::Coordinator).await;
        let arrived = desk
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/outcome"),
                Some(serde_json::json!({"outcome": "checked_in"})),
            )
            .await;
        assert_eq!(arrived.status, StatusCode::OK, "{}", arrived.body);
        let mut physio = app.staff(Role::Clinician).await;
        let passport = format!("/staff/patients/{patient}/passport");
        let theirs = physio.get(&passport).await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        assert!(theirs.body.contains("Cycling to work again"));
        assert!(theirs.body.contains("Treatment plan for the patient"));
        let plan_path = format!("{passport}/appointments/{appointment}/plan");
        let blank = physio
            .post_form(&plan_path, &theirs.csrf(), &[("treatment_plan", "")])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            blank.body.contains("href=\"#treatment_plan\""),
            "{}",
            blank.body
        );
        let plan = physio
            .post_form(
                &plan_path,
                &theirs.csrf(),
                &[(
                    "treatment_plan",
                    "Cycle on the flat for two weeks, then build up.",
                )],
            )
            .await;
        assert_eq!(plan.status, StatusCode::SEE_OTHER, "{}", plan.body);
        let note_path = format!("{passport}/appointments/{appointment}/clinical-note");
        let missing = physio
            .post_form(&note_path, &theirs.csrf(), &[("subjective", "Better")])
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("href=\"#assessment\""));
        let written = physio
            .post_form(
                &note_path,
                &theirs.csrf(),
                &[
                    ("assessment", "Improving patellar tendinopathy"),
                    ("plan", "Load progression"),
                ],
            )
            .await;
        assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
        assert!(
            physio
                .get(&passport)
                .await
                .body
                .contains("Improving patellar tendinopathy")
        );
        // A day on, she signs in again to read it.
        let mut amy = app.sign_in("amy.passport@example.com", patient).await;
        let mine = amy.get("/portal/passport").await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(mine.body.contains("Cycle on the flat for two weeks"));
        assert!(
            !mine.body.contains("Improving patellar tendinopathy"),
            "clinical notes stay with the care team"
        );

        // No relationship, no passport; coordinators do not write clinical notes.
        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        assert_eq!(elsewhere.get(&passport).await.status, StatusCode::NOT_FOUND);
        let token = desk.get("/staff").await.csrf();
        let refused = desk
            .post_form(&plan_path, &token, &[("treatment_plan", "Rest")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let (mut ben, _) = app.patient("ben.passport@example.com").await;
        assert_eq!(ben.get(&passport).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn the_api_reads_and_writes_the_same_passport() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.passport.api@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;

        let mine = amy.api("GET", "/api/v1/me/passport", None).await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
        let patient = mine.json()["patient_id"].as_str().unwrap().to_owned();
        assert_eq!(mine.json()["version"], 0);
        let about = serde_json::json!({"what_matters": "Gardening", "version": 0});
        let saved = amy
            .api("PUT", "/api/v1/me/passport/about", Some(about.clone()))
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.json()["what_matters"], "Gardening");
        assert_eq!(saved.json()["version"], 1);
        let stale = amy
            .api("PUT", "/api/v1/me/passport/about", Some(about))
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.json()["code"], "passport_changed");
        let unknown = amy
            .api(
                "PUT",
                "/api/v1/me/passport/about",
                Some(serde_json::json!({"hobbies": "yes"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let goal = amy
            .api(
                "POST",
                "/api/v1/me/passport/goals",
                Some(serde_json::json!({"text": "Kneel to weed"})),
            )
            .await;
        assert_eq!(goal.status, StatusCode::CREATED, "{}", goal.body);
        let goal_id = goal.json()["id"].as_str().unwrap().to_owned();
        let empty = amy
            .api(
                "POST",
                "/api/v1/me/passport/goals",
                Some(serde_json::json!({"text": ""})),
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

        let mut physio = app.staff(Role::Clinician).await;
        let theirs = physio
            .api("GET", &format!("/api/v1/patients/{patient}/passport"), None)
            .await;
        assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
        assert_eq!(theirs.json()["goals"][0]["text"], "Kneel to weed");
        let achieved = physio
            .api(
                "PUT",
                &format!("/api/v1/passport/goals/{goal_id}/status"),
                Some(serde_json::json!({"status": "achieved"})),
            )
            .await;
        assert_eq!(achieved.status, StatusCode::OK, "{}", achieved.body);
        assert_eq!(achieved.json()["status"], "achieved");
        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        assert_eq!(
            elsewhere
                .api("GET", &format!("/api/v1/patients/{patient}/passport"), None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Not seen yet: no treatment plan.
        let (_, appointment) = book_first(&mut amy, &referral).await;
        let early = physio
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/treatment-plan"),
                Some(serde_json::json!({"text": "Rest"})),
            )
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        assert_eq!(early.json()["code"], "not_seen");
    })
    .await;
}

#[tokio::test]
async fn the_passport_prints_as_a_pdf_for_the_person_and_their_care_team_only() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.print@example.com").await;
        let patient = app.patient_of(&referral).await;
        let page = amy.get("/portal/passport").await;
        assert!(page.body.contains("href=\"/portal/passport.pdf\""));
        let printed = amy.get("/portal/passport.pdf").await;
        assert_eq!(printed.status, StatusCode::OK);
        assert!(printed.body.starts_with("%PDF-"), "a PDF");
        let mut physio = app.staff(Role::Clinician).await;
        let path = format!("/staff/patients/{patient}/passport.pdf");
        assert_eq!(physio.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let theirs = physio.get(&path).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(theirs.body.starts_with("%PDF-"));
        let reads = store
            .audit_for_patient(patient)
            .await
            .unwrap()
            .iter()
            .filter(|a| a.route == "passport.view")
            .count();
        assert!(
            reads >= 3,
            "every read is audited, including the refused one"
        );
    })
    .await;
}
