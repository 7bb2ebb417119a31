//! Education and signposting on the web: the help pages, resource packs and the community
//! directory work for anyone in every language, and unknown filters are named; clinicians
//! signpost from a form that names each problem, and the person sees it in their passport;
//! discharge summaries from the referral, with the same checks.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::choice::accept;
use crate::harness::TestApp;

#[tokio::test]
async fn help_pages_packs_and_the_directory_are_for_everyone() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut visitor = app.client();
        let index = visitor.get("/help").await;
        assert_eq!(index.status, StatusCode::OK, "{}", index.body);
        assert!(index.body.contains("href=\"/help/low-back-pain\""));
        assert!(index.body.contains("href=\"/help/while-you-wait\""));
        let page = visitor.get("/help/low-back-pain").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Go to A&amp;E or call 999 if"));
        assert!(
            page.body.contains("Knee rolls"),
            "its exercises, step by step"
        );
        assert_eq!(
            visitor.get("/help/no-such-page").await.status,
            StatusCode::NOT_FOUND
        );
        for print in ["", "?print=large"] {
            let pack = visitor
                .get(&format!("/help/knee-pain/pack.pdf{print}"))
                .await;
            assert_eq!(pack.status, StatusCode::OK);
            assert_eq!(pack.headers["content-type"], "application/pdf");
            assert!(pack.body.starts_with("%PDF"));
        }
        assert_eq!(
            visitor
                .get("/help/knee-pain/pack.pdf?print=huge")
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let all = visitor.get("/help/directory").await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(all.body.contains("Bedford Health Walks"));
        let evenings = visitor.get("/help/directory?evenings=yes").await;
        assert!(evenings.body.contains("Strength and Balance Luton"));
        assert!(
            !evenings.body.contains("Bedford Health Walks"),
            "daytime only"
        );
        let luton = visitor.get("/help/directory?area=luton").await;
        assert!(
            luton.body.contains("Talking Therapies"),
            "region-wide services serve Luton"
        );
        assert!(!luton.body.contains("Healthy Weight MK"));
        let bad = visitor
            .get("/help/directory?category=yoga&area=paris")
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#category\"") && bad.body.contains("href=\"#area\""));
        let service = visitor.get("/help/directory/bedford-health-walks").await;
        assert_eq!(service.status, StatusCode::OK);
        assert!(service.body.contains("Saturday") && service.body.contains("tel:01632960101"));

        // In Polish and Urdu, from the content's own translations.
        let polish = visitor
            .get_with("/help/knee-pain", ("accept-language", "pl"))
            .await;
        assert!(polish.body.contains("Ból kolana"), "{}", polish.body);
        let urdu = visitor
            .get_with("/help/directory/working-well", ("accept-language", "ur"))
            .await;
        assert!(urdu.body.contains("dir=\"rtl\""));
        assert!(urdu.body.contains("بینیفٹس"));

        let api = visitor
            .api("GET", "/api/v1/directory?weekends=yes", None)
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let found = api.json();
        assert!(!found.as_array().unwrap().is_empty());
        assert!(
            found
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["weekends"] == true)
        );
        let bad = visitor
            .api("GET", "/api/v1/directory?area=paris", None)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("area"));
        // A misspelt filter is named, not ignored (which would answer every service).
        let unknown = visitor
            .api("GET", "/api/v1/directory?weekend=yes", None)
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
        let problem = unknown.json();
        assert_eq!(problem["code"], "unknown_parameter");
        assert!(
            problem["detail"].as_str().unwrap().contains("`weekend`"),
            "{problem}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_clinician_signposts_and_the_person_sees_it_in_their_passport() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut amy, referral) = app.patient("amy.signpost@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let patient = app.patient_of(&referral).await;
        let path = format!("/staff/patients/{patient}/signpost");
        let page = triage.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Page: Knee pain (about their problem)"));

        let blank = triage.post_form(&path, &page.csrf(), &[]).await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(blank.body.contains("href=\"#resource\"") && blank.body.contains("href=\"#action\""));
        let page_referral = triage
            .post_form(
                &path,
                &page.csrf(),
                &[("resource", "topic:knee-pain"), ("action", "referred")],
            )
            .await;
        assert_eq!(page_referral.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page_referral.body.contains("You can only refer to a service"));
        let saved = triage
            .post_form(
                &path,
                &page.csrf(),
                &[
                    ("resource", "service:luton-strength-and-balance"),
                    ("action", "referred"),
                    ("note", "Tuesday evenings suit you."),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let after = triage.get(saved.location().unwrap()).await;
        assert!(after.body.contains("Saved to their passport."));

        let mine = amy.get("/portal/passport").await;
        assert!(mine.body.contains("Referred to a community service"));
        assert!(mine.body.contains("href=\"/help/directory/luton-strength-and-balance\""));
        assert!(mine.body.contains("Tuesday evenings suit you."));

        let listed = triage.api("GET", &format!("/api/v1/patients/{patient}/signposts"), None).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.json().as_array().unwrap().len(), 1);
        let bad = triage
            .api(
                "POST",
                &format!("/api/v1/patients/{patient}/signposts"),
                Some(serde_json::json!({"resource": "service:nowhere", "action": "signposted"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let unknown = triage
            .api(
                "POST",
                &format!("/api/v1/patients/{patient}/signposts"),
                Some(serde_json::json!({"resource": "topic:knee-pain", "action": "signposted", "urgent": true})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        assert_eq!(elsewhere.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut desk = app.staff(Role::Coordinator).await;
        assert_eq!(desk.get(&path).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_discharge_summary_is_written_from_the_referral_once() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.discharge@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let mut physio = app.staff(Role::Clinician).await;
        let path = format!("/staff/referrals/{referral}/discharge");
        let page = physio.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Discharge and send the summary"));

        let blank = physio
            .post_form(&path, &page.csrf(), &[("summary", ""), ("version", "1")])
            .await;
        assert_eq!(
            blank.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            blank.body
        );
        assert!(
            blank.body.contains("href=\"#summary\"")
                && blank.body.contains("href=\"#gp_practice\"")
        );
        let stale = physio
            .post_form(
                &path,
                &page.csrf(),
                &[
                    ("summary", "Done."),
                    ("gp_practice", "none"),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let written = physio
            .post_form(
                &path,
                &page.csrf(),
                &[
                    ("summary", "Your knee is stronger; keep walking daily."),
                    ("gp_practice", "none"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
        let after = physio.get(written.location().unwrap()).await;
        assert!(
            after
                .body
                .contains("Your knee is stronger; keep walking daily.")
        );
        assert!(!after.body.contains("name=\"summary\""), "written once");
        let mine = amy.get("/portal/passport").await;
        assert!(mine.body.contains("Discharge summary"));
        assert!(mine.body.contains("Your knee is stronger"));
        let api = physio
            .api(
                "GET",
                &format!("/api/v1/referrals/{referral}/discharge-summary"),
                None,
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.json()["status"], "discharged");
        assert_eq!(api.json()["can_write"], false);
        let again = physio
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/discharge-summary"),
                Some(serde_json::json!({"summary": "Again", "gp_practice": "none", "version": 2})),
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );

        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        assert_eq!(elsewhere.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut desk = app.staff(Role::Coordinator).await;
        assert_eq!(desk.get(&path).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn waiting_times_and_locations_are_live_and_public() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (_, referral) = app.patient("wait.public@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let mut visitor = app.client();
        let page = visitor.get("/waiting-times").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&app.clinic.service.name));
        assert!(page.body.contains("1 person is waiting."), "{}", page.body);
        assert!(
            page.body.contains(&app.clinic.location.name),
            "the first free appointments"
        );
        let api = visitor.api("GET", "/api/v1/waiting-times", None).await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        let service = &api.json()[0];
        assert_eq!(service["waiting_now"], 1);
        assert_eq!(service["first_appointments"][0]["free_next_12_weeks"], 6);
        assert!(
            !api.body.contains("wait.public"),
            "counts only, never a person"
        );
        let places = visitor.get("/locations").await;
        assert_eq!(places.status, StatusCode::OK);
        assert!(places.body.contains(&app.clinic.location.name));
    })
    .await;
}

#[tokio::test]
async fn the_pathway_diagram_is_drawn_from_the_pathway_file_with_words_alongside() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut visitor = app.client();
        let page = visitor.get("/pathway").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body.contains("role=\"img\"")
                && page.body.contains("<desc id=\"pathway-svg-desc\">")
        );
        // Every service the shipped pathway's rules route to is drawn and listed.
        for service in [
            "Rheumatology",
            "Podiatry",
            "Pain management",
            "Physiotherapy",
        ] {
            assert!(
                page.body.matches(service).count() >= 2,
                "{service} in the drawing and the list"
            );
        }
        assert!(
            page.body.contains("go to A&#38;E or call 999 now"),
            "{}",
            page.body
        );
        let urdu = visitor
            .get_with("/pathway", ("accept-language", "ur"))
            .await;
        assert!(urdu.body.contains("ایمرجنسی"));
    })
    .await;
}
