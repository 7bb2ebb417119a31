//! Group classes: put on by a coordinator, joined by patients with a referral open in the
//! service (a place, or the waiting list when full), a freed place going to the first person
//! waiting, and the register kept by the clinician. On both backends.

use axum::http::StatusCode;
use jiff::SignedDuration;
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_domain::{PatientId, local_date};
use jointly_store::testing::{now, on_each_backend};

use crate::choice::ready_to_book;
use crate::harness::TestApp;

async fn messages(app: &TestApp, patient: PatientId, template: MessageTemplate) -> usize {
    app.store
        .outbox_for_patient(patient)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.template == template)
        .count()
}

#[tokio::test]
async fn places_a_waiting_list_and_the_register() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut coordinator = app.staff(Role::Coordinator).await;
        let page = coordinator.get("/staff/classes").await;
        assert_eq!(page.status, StatusCode::OK);
        let tomorrow = local_date(now() + SignedDuration::from_hours(24)).to_string();
        let bad = coordinator
            .post_form(
                "/staff/classes",
                &page.csrf(),
                &[
                    ("class_kind", "yoga"),
                    ("places", "1"),
                    ("class_starts", "late"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in [
            "class_kind",
            "leader",
            "class_location",
            "class_date",
            "class_starts",
            "class_length",
            "places",
        ] {
            assert!(bad.body.contains(&format!("href=\"#{field}\"")), "{field}");
        }
        let made = coordinator
            .post_form(
                "/staff/classes",
                &page.csrf(),
                &[
                    ("class_kind", "knee_class"),
                    ("leader", &app.clinic.clinician.id.to_string()),
                    ("class_location", &app.clinic.location.id.to_string()),
                    ("class_date", &tomorrow),
                    ("class_starts", "18:00"),
                    ("class_length", "60"),
                    ("places", "2"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let register = made.location().unwrap().to_owned();
        let class_id = register.trim_start_matches("/staff/classes/").to_owned();

        let mut people = Vec::new();
        for email in [
            "ann.class@example.com",
            "bob.class@example.com",
            "cy.class@example.com",
        ] {
            let (client, referral) = ready_to_book(&app, email).await;
            let patient = store
                .find_referral(referral.parse().unwrap())
                .await
                .unwrap()
                .unwrap()
                .patient_id;
            people.push((client, patient));
        }
        let list = people[0].0.get("/portal/classes").await;
        assert!(
            list.body.contains("Knee class") && list.body.contains("2 places left"),
            "{}",
            list.body
        );
        for (i, (client, _)) in people.iter_mut().enumerate() {
            let page = client.get("/portal/classes").await;
            let joined = client
                .post_form(
                    &format!("/portal/classes/{class_id}/join"),
                    &page.csrf(),
                    &[],
                )
                .await;
            let expected = if i < 2 { "done=booked" } else { "done=waiting" };
            assert!(
                joined.location().unwrap().ends_with(expected),
                "{i}: {:?}",
                joined.location()
            );
        }
        assert_eq!(
            messages(&app, people[2].1, MessageTemplate::ClassWaiting).await,
            1
        );
        let twice = people[0]
            .0
            .api("POST", &format!("/api/v1/me/classes/{class_id}/join"), None)
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "one place each");

        // Ann gives up her place: Cy moves up from the waiting list and is told.
        let mine = people[0].0.api("GET", "/api/v1/me/classes", None).await;
        let place = mine.json()[0]["my_place"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let left = people[0]
            .0
            .api(
                "POST",
                &format!("/api/v1/me/class-places/{place}/leave"),
                None,
            )
            .await;
        assert_eq!(left.status, StatusCode::OK, "{}", left.body);
        assert_eq!(
            messages(&app, people[2].1, MessageTemplate::ClassBooked).await,
            1
        );
        let cy = people[2].0.api("GET", "/api/v1/me/classes", None).await;
        assert_eq!(cy.json()[0]["my_place"]["status"], "booked");
        assert_eq!(cy.json()[0]["free_places"], 0);

        // The register, from the start of the class.
        let mut clinician = app.staff(Role::Clinician).await;
        let before = clinician.get(&register).await;
        assert!(
            before.body.contains("2 of 2 places taken"),
            "{}",
            before.body
        );
        assert!(
            !before.body.contains("Came</button>"),
            "not before it starts"
        );
        app.clock.advance(SignedDuration::from_hours(24 * 2));
        let mut clinician = app.staff(Role::Clinician).await;
        let open = clinician.get(&register).await;
        let bob_place = open
            .body
            .split("/staff/class-places/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_owned();
        let marked = clinician
            .post_form(
                &format!("/staff/class-places/{bob_place}/attendance"),
                &open.csrf(),
                &[("attended", "yes")],
            )
            .await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
        let bad = clinician
            .api(
                "POST",
                &format!("/api/v1/class-places/{bob_place}/attendance"),
                Some(serde_json::json!({})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let after = clinician.get(&register).await;
        assert!(after.body.contains(">Came<"), "{}", after.body);
        let mut manager = app.staff(Role::ServiceManager).await;
        let refused = manager
            .api(
                "POST",
                &format!("/api/v1/class-places/{bob_place}/attendance"),
                Some(serde_json::json!({"attended": false})),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "managers see, leaders mark"
        );
    })
    .await;
}
