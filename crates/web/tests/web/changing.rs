//! Changing the time of a booked appointment: the portal pages, staff on a patient's behalf,
//! and the JSON API; refusals change nothing.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_domain::slot::SlotStatus;
use jointly_store::testing::on_each_backend;

use crate::choice::{book_first, ready_to_book};
use crate::harness::TestApp;

/// The slot ids offered on a search page, in order.
fn slots_on(body: &str) -> Vec<String> {
    body.split("name=\"slot_id\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_patient_moves_their_appointment_in_the_portal() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut patient, id) = ready_to_book(&app, "change@example.com").await;
        let (slot, appointment) = book_first(&mut patient, &id).await;
        let change = format!("/portal/appointments/{appointment}/change");
        let shown = patient
            .get(&format!("/portal/appointments/{appointment}"))
            .await;
        assert!(shown.body.contains(&format!("href=\"{change}\"")));

        let page = patient.get(&change).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Your appointment now"));
        assert!(page.body.contains("Move to this time"));
        let choices = slots_on(&page.body);
        assert!(!choices.is_empty());
        assert!(!choices.contains(&slot), "not the time it already has");

        // A bad search is named, with the appointment still shown.
        let bad = patient.get(&format!("{change}?from=2020-01-01")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#from\""));
        assert!(bad.body.contains("Your appointment now"));

        // Nobody else's.
        let (mut stranger, _) = app.patient("change.stranger@example.com").await;
        assert_eq!(stranger.get(&change).await.status, StatusCode::NOT_FOUND);
        let token = stranger.get("/portal").await.csrf();
        let refused = stranger
            .post_form(&change, &token, &[("slot_id", &choices[0])])
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);

        // A time someone else took meanwhile: said so, nothing changes.
        let (mut other, other_referral) = ready_to_book(&app, "change.other@example.com").await;
        let other_page = other
            .get(&format!("/portal/referrals/{other_referral}/choose"))
            .await;
        let taken = other
            .post_form(
                &format!("/portal/referrals/{other_referral}/book"),
                &other_page.csrf(),
                &[("slot_id", &choices[0])],
            )
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER);
        let gone = patient
            .post_form(&change, &page.csrf(), &[("slot_id", &choices[0])])
            .await;
        assert_eq!(gone.status, StatusCode::CONFLICT);
        assert!(gone.body.contains("someone else has just booked that time"));
        assert!(gone.body.contains("Your appointment now"));

        let moved = patient
            .post_form(&change, &page.csrf(), &[("slot_id", &choices[1])])
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let to = moved.location().unwrap().to_owned();
        assert!(to.ends_with("?changed=1"), "{to}");
        let now = patient.get(&to).await;
        assert!(now.body.contains("Appointment changed"));
        let old_slot = store
            .find_slot(slot.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(old_slot.status, SlotStatus::Free);
        let patient_id = store
            .find_referral(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let sent: Vec<_> = store
            .outbox_for_patient(patient_id)
            .await
            .unwrap()
            .iter()
            .map(|m| m.template)
            .collect();
        assert_eq!(
            sent.iter()
                .filter(|t| **t == MessageTemplate::AppointmentChanged)
                .count(),
            1
        );
        // The old appointment cannot be moved again.
        assert_eq!(patient.get(&change).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn staff_move_an_appointment_for_the_patient_and_the_api_does_the_same() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut patient, id) = ready_to_book(&app, "change.api@example.com").await;
        let (_, appointment) = book_first(&mut patient, &id).await;

        // The patient's API: search, then move; bad input is named and changes nothing.
        let search = format!("/api/v1/me/appointments/{appointment}/slot-search");
        let found = patient.api("GET", &search, None).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let ids: Vec<String> = found
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(ids.len() >= 3);
        let bad = patient
            .api("GET", &format!("{search}?time=midnight"), None)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let change = format!("/api/v1/me/appointments/{appointment}/change");
        let unknown = patient
            .api(
                "POST",
                &change,
                Some(serde_json::json!({"slot_id": ids[0], "when": "soon"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let nonsense = patient
            .api(
                "POST",
                &change,
                Some(serde_json::json!({"slot_id": "tuesday"})),
            )
            .await;
        assert_eq!(nonsense.status, StatusCode::NOT_FOUND);
        let moved = patient
            .api(
                "POST",
                &change,
                Some(serde_json::json!({"slot_id": ids[0]})),
            )
            .await;
        assert_eq!(moved.status, StatusCode::CREATED, "{}", moved.body);
        let appointment = moved.json()["appointment_id"].as_str().unwrap().to_owned();
        assert_eq!(moved.json()["slot"]["id"], ids[0]);

        // Staff outside the service cannot; a coordinator in it can, from the referral page.
        let mut elsewhere = app.staff_in(Role::Coordinator, vec![]).await;
        assert_eq!(
            elsewhere
                .get(&format!("/staff/appointments/{appointment}/change"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let refused = elsewhere
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/change"),
                Some(serde_json::json!({"slot_id": ids[1]})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let mut clinician = app.staff(Role::Clinician).await;
        assert_eq!(
            clinician
                .get(&format!("/staff/appointments/{appointment}/change"))
                .await
                .status,
            StatusCode::FORBIDDEN,
            "clinicians do not book"
        );

        let mut coordinator = app.staff(Role::Coordinator).await;
        let referral = coordinator.get(&format!("/staff/referrals/{id}")).await;
        let link = format!("/staff/appointments/{appointment}/change");
        assert!(referral.body.contains(&format!("href=\"{link}\"")));
        let page = coordinator.get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains(&format!("href=\"/staff/referrals/{id}\""))
        );
        let choice = slots_on(&page.body)
            .into_iter()
            .find(|s| *s == ids[1])
            .expect("the other times are offered");
        let done = coordinator
            .post_form(&link, &page.csrf(), &[("slot_id", &choice)])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(
            done.location(),
            Some(format!("/staff/referrals/{id}?changed=1#appointments").as_str())
        );
        let by_api = coordinator
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/change"),
                Some(serde_json::json!({"slot_id": ids[2]})),
            )
            .await;
        assert_eq!(
            by_api.status,
            StatusCode::CONFLICT,
            "that appointment was already moved: {}",
            by_api.body
        );
    })
    .await;
}
