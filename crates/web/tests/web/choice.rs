//! Real choice in the portal: searching by days, how, when and distance; bad searches named
//! field by field; cancelling frees the slot and the person chooses again.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::slot::SlotStatus;
use jointly_store::testing::on_each_backend;

use crate::harness::{Client, TestApp};

/// A patient (at LU1, about 29 km from the sample clinic in Bedford) whose referral a triage
/// clinician has accepted into the sample clinic's service.
pub(crate) async fn ready_to_book(app: &TestApp, email: &str) -> (Client, String) {
    ready_to_book_with(app, email, "routine").await
}

/// As [`ready_to_book`], accepted with `priority`.
async fn ready_to_book_with(app: &TestApp, email: &str, priority: &str) -> (Client, String) {
    let (patient, id) = app.patient(email).await;
    let mut triage = app.staff(Role::TriageClinician).await;
    accept(app, &mut triage, &id, priority).await;
    (patient, id)
}

/// `triage` accepts referral `id` into the sample clinic's service with `priority`, and so
/// becomes the patient's key contact.
pub(crate) async fn accept(app: &TestApp, triage: &mut Client, id: &str, priority: &str) {
    let page = triage.get(&format!("/staff/referrals/{id}")).await;
    let accepted = triage
        .post_form(
            &format!("/staff/referrals/{id}/accept"),
            &page.csrf(),
            &[
                ("service", &app.clinic.service.id.to_string()),
                ("priority", priority),
                ("version", "0"),
                ("note", "Knee: physiotherapy"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
}

fn offered(body: &str) -> usize {
    body.matches("name=\"slot_id\"").count()
}

#[tokio::test]
async fn a_search_finds_what_suits_and_names_every_problem() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut patient, id) = ready_to_book(&app, "search@example.com").await;
        let choose = format!("/portal/referrals/{id}/choose");

        let all = patient.get(&choose).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        assert!(
            offered(&all.body) >= 4,
            "the sample clinic's days are offered"
        );
        assert!(
            all.body.contains("about 29."),
            "distance from home is shown"
        );

        let near = patient.get(&format!("{choose}?within=10")).await;
        assert_eq!(
            offered(&near.body),
            0,
            "Bedford is not within 10 km of Luton"
        );
        assert!(near.body.contains("No times match"));

        let from_work = patient
            .get(&format!(
                "{choose}?near=other&postcode=mk40+2nt&within=5&order=nearest"
            ))
            .await;
        assert!(
            offered(&from_work.body) >= 4,
            "within 5 km of work in Bedford"
        );

        let video_only = patient.get(&format!("{choose}?modality_video=yes")).await;
        assert_eq!(
            offered(&video_only.body),
            0,
            "the sample clinic is face to face"
        );

        let bad = patient
            .get(&format!(
                "{choose}?from=2020-01-01&to=soon&within=7&near=other&postcode=ZZ9+9ZZ"
            ))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["from", "to", "within", "postcode"] {
            assert!(
                bad.body.contains(&format!("href=\"#{field}\"")),
                "{field}: {}",
                bad.body
            );
        }
        assert_eq!(offered(&bad.body), 0);

        let (mut stranger, _) = app.patient("stranger@example.com").await;
        assert_eq!(stranger.get(&choose).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn cancelling_frees_the_slot_and_the_person_chooses_again() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut patient, id) = ready_to_book(&app, "cancel@example.com").await;
        let choose = format!("/portal/referrals/{id}/choose");
        let (slot, appointment) = book_first(&mut patient, &id).await;
        let shown = patient
            .get(&format!("/portal/appointments/{appointment}"))
            .await;
        assert!(
            shown
                .body
                .contains(&format!("/portal/appointments/{appointment}/cancel"))
        );
        assert!(shown.body.contains("What to expect") && shown.body.contains("Step-free access"));
        assert!(
            shown.body.contains("Getting there")
                && shown.body.contains("Free car park with 40 spaces")
                && shown.body.contains("hearing loop"),
            "parking, transport and access from the location's details"
        );
        let calendar = patient
            .get(&format!("/portal/appointments/{appointment}/calendar.ics"))
            .await;
        assert_eq!(calendar.status, StatusCode::OK);
        assert_eq!(
            calendar.headers["content-type"],
            "text/calendar; charset=utf-8"
        );
        assert!(calendar.body.contains("BEGIN:VEVENT\r\n"));
        assert!(
            calendar
                .body
                .contains(&format!("UID:{appointment}@jointly"))
        );
        let (mut stranger, _) = app.patient("calendar.stranger@example.com").await;
        assert_eq!(
            stranger
                .get(&format!("/portal/appointments/{appointment}/calendar.ics"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        let (mut stranger, _) = app.patient("other@example.com").await;
        let token = stranger.get("/portal").await.csrf();
        let refused = stranger
            .post_form(
                &format!("/portal/appointments/{appointment}/cancel"),
                &token,
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "only your own");

        let confirm = patient
            .get(&format!("/portal/appointments/{appointment}/cancel"))
            .await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.body.contains("Cancel this appointment?"));
        let cancelled = patient
            .post_form(
                &format!("/portal/appointments/{appointment}/cancel"),
                &confirm.csrf(),
                &[],
            )
            .await;
        assert_eq!(
            cancelled.location(),
            Some(format!("{choose}?cancelled=1").as_str())
        );
        let slot_now = store
            .find_slot(slot.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(slot_now.status, SlotStatus::Free, "free for someone else");
        let referral = store
            .find_referral(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::Waiting);
        let messages = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(
            messages
                .iter()
                .any(|m| m.template == MessageTemplate::AppointmentCancelled)
        );
        let again = patient.get(&format!("{choose}?cancelled=1")).await;
        assert!(again.body.contains("Your appointment is cancelled"));
        assert!(
            again.body.contains(&format!("value=\"{slot}\"")),
            "the freed time can be chosen again"
        );
        let twice = patient
            .post_form(
                &format!("/portal/appointments/{appointment}/cancel"),
                &confirm.csrf(),
                &[],
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "once only");
        let past = patient
            .get(&format!("/portal/appointments/{appointment}"))
            .await;
        assert!(!past.body.contains("/cancel\""), "nothing left to cancel");
    })
    .await;
}

#[tokio::test]
async fn the_api_searches_books_and_cancels() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut patient, id) = ready_to_book(&app, "api.choice@example.com").await;
        let search = format!("/api/v1/me/referrals/{id}/slot-search");
        let found = patient
            .api(
                "GET",
                &format!("{search}?modality=face_to_face&order=nearest"),
                None,
            )
            .await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let choices = found.json();
        let first = &choices.as_array().unwrap()[0];
        assert!(first["distance_km"].as_f64().unwrap() > 20.0);
        assert_eq!(first["modality"], "face_to_face");

        let bad = patient
            .api("GET", &format!("{search}?within=7&time=midnight"), None)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = patient
            .api("GET", &format!("{search}?colour=blue"), None)
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        assert_eq!(unknown.json()["code"], "invalid_query");

        let booked = patient
            .api(
                "POST",
                "/api/v1/me/appointments",
                Some(serde_json::json!({"referral_id": id, "slot_id": first["id"]})),
            )
            .await;
        assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
        let appointment = booked.json()["appointment_id"].as_str().unwrap().to_owned();
        let cancel = format!("/api/v1/me/appointments/{appointment}/cancel");
        let cancelled = patient.api("POST", &cancel, None).await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
        assert_eq!(cancelled.json()["status"], "waiting");
        assert_eq!(
            patient.api("POST", &cancel, None).await.status,
            StatusCode::CONFLICT
        );
    })
    .await;
}

/// Books the first slot found for the referral; returns the slot and appointment ids.
pub(crate) async fn book_first(patient: &mut Client, id: &str) -> (String, String) {
    let page = patient.get(&format!("/portal/referrals/{id}/choose")).await;
    let slot = first_slot(&page.body);
    let booked = patient
        .post_form(
            &format!("/portal/referrals/{id}/book"),
            &page.csrf(),
            &[("slot_id", &slot)],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let appointment = booked
        .location()
        .unwrap()
        .trim_start_matches("/portal/appointments/")
        .trim_end_matches("?booked=1")
        .to_owned();
    (slot, appointment)
}

#[tokio::test]
async fn a_freed_slot_goes_to_the_first_waiting_person_who_takes_it() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, amy_referral) = ready_to_book(&app, "amy.list@example.com").await;
        let (mut ben, ben_referral) =
            ready_to_book_with(&app, "ben.list@example.com", "urgent").await;
        let (mut cat, cat_referral) = ready_to_book(&app, "cat.list@example.com").await;
        let (slot, appointment) = book_first(&mut amy, &amy_referral).await;
        let confirm = amy
            .get(&format!("/portal/appointments/{appointment}/cancel"))
            .await;
        amy.post_form(
            &format!("/portal/appointments/{appointment}/cancel"),
            &confirm.csrf(),
            &[],
        )
        .await;

        let offers = store.offers_for_slot(slot.parse().unwrap()).await.unwrap();
        assert_eq!(
            offers.len(),
            2,
            "offered to both people waiting, not to Amy"
        );
        let patient_of = |referral: &str| {
            let store = store.clone();
            let referral = referral.to_owned();
            async move {
                store
                    .find_referral(referral.parse().unwrap())
                    .await
                    .unwrap()
                    .unwrap()
                    .patient_id
            }
        };
        let ben_id = patient_of(&ben_referral).await;
        let cat_id = patient_of(&cat_referral).await;
        assert_eq!(offers[0].patient_id, ben_id, "the urgent referral first");
        for person in [ben_id, cat_id] {
            let sent = store.outbox_for_patient(person).await.unwrap();
            assert!(
                sent.iter()
                    .any(|m| m.template == MessageTemplate::SlotOffered)
            );
        }
        let bens_portal = ben.get("/portal").await;
        assert!(bens_portal.body.contains("An earlier appointment is free"));

        // Cat answers first and gets it; Ben is told it has gone.
        let cats_offer = offers.iter().find(|o| o.patient_id == cat_id).unwrap().id;
        let page = cat.get(&format!("/portal/offers/{cats_offer}")).await;
        assert!(page.body.contains("Take this appointment"));
        let taken = cat
            .post_form(
                &format!("/portal/offers/{cats_offer}/accept"),
                &page.csrf(),
                &[],
            )
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        let cats = store
            .find_referral(cat_referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cats.status, ReferralStatus::Booked);
        assert_eq!(
            store
                .find_slot(slot.parse().unwrap())
                .await
                .unwrap()
                .unwrap()
                .status,
            SlotStatus::Booked
        );
        let bens_offer = offers.iter().find(|o| o.patient_id == ben_id).unwrap().id;
        let gone = ben.get(&format!("/portal/offers/{bens_offer}")).await;
        assert!(gone.body.contains("This appointment has gone"));
        let late = ben
            .post_form(
                &format!("/portal/offers/{bens_offer}/accept"),
                &gone.csrf(),
                &[],
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        let told = store.outbox_for_patient(ben_id).await.unwrap();
        assert!(told.iter().any(|m| m.template == MessageTemplate::SlotGone));
        let bens = store
            .find_referral(ben_referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(bens.status, ReferralStatus::Waiting, "Ben keeps his place");
        assert_eq!(
            store
                .offer_refills(jointly_store::testing::now())
                .await
                .unwrap(),
            (1, 1),
            "one slot offered, one refilled"
        );
        let (mut stranger, _) = app.patient("list.stranger@example.com").await;
        assert_eq!(
            stranger
                .get(&format!("/portal/offers/{bens_offer}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_books_on_the_patients_behalf() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (_, id) = ready_to_book(&app, "phone.booking@example.com").await;
        let book = format!("/staff/referrals/{id}/book");
        let mut physio = app.staff(Role::Clinician).await;
        assert_eq!(physio.get(&book).await.status, StatusCode::FORBIDDEN);

        let mut coordinator = app.staff(Role::Coordinator).await;
        let referral_page = coordinator.get(&format!("/staff/referrals/{id}")).await;
        assert!(referral_page.body.contains(&format!("href=\"{book}\"")));
        let page = coordinator.get(&format!("{book}?order=nearest")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&format!("action=\"{book}\"")));
        let slot = first_slot(&page.body);
        let booked = coordinator
            .post_form(&book, &page.csrf(), &[("slot_id", &slot)])
            .await;
        assert_eq!(
            booked.location(),
            Some(format!("/staff/referrals/{id}?booked=1").as_str()),
            "{}",
            booked.body
        );
        let referral = store
            .find_referral(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::Booked);
        let told = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(
            told.iter()
                .any(|m| m.template == MessageTemplate::AppointmentBooked)
        );
        let trail = store.audit_for_patient(referral.patient_id).await.unwrap();
        assert!(
            trail
                .iter()
                .any(|a| a.route == "appointment.book_for" && a.actor_kind == "staff")
        );
        let again = coordinator
            .post_form(&book, &page.csrf(), &[("slot_id", &slot)])
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "booked once only");
    })
    .await;
}

/// The first slot offered on a search page.
fn first_slot(body: &str) -> String {
    body.split("name=\"slot_id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn preferences_decide_who_is_offered_a_freed_slot() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, amy_referral) = ready_to_book(&app, "amy.prefs@example.com").await;
        let (mut ben, _) = ready_to_book(&app, "ben.prefs@example.com").await;
        let (mut cat, _) = ready_to_book(&app, "cat.prefs@example.com").await;
        let (_, dan_referral) = ready_to_book(&app, "dan.prefs@example.com").await;

        let page = ben.get("/portal/offer-preferences").await;
        assert_eq!(page.status, StatusCode::OK);
        let bad = ben
            .post_form(
                "/portal/offer-preferences",
                &page.csrf(),
                &[("earlier_offers", "maybe"), ("max_km", "far")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("href=\"#earlier_offers\"") && bad.body.contains("href=\"#max_km\"")
        );
        let saved = ben
            .post_form(
                "/portal/offer-preferences",
                &page.csrf(),
                &[("earlier_offers", "no")],
            )
            .await;
        assert_eq!(saved.location(), Some("/portal/offer-preferences?saved=1"));
        // Cat lives in Luton and will travel 5 km; the clinic is in Bedford.
        let near = cat
            .api(
                "PUT",
                "/api/v1/me/offer-preferences",
                Some(
                    serde_json::json!({"earlier_offers": true, "max_km": 5, "times": ["morning"]}),
                ),
            )
            .await;
        assert_eq!(near.status, StatusCode::OK, "{}", near.body);
        assert_eq!(near.json()["max_km"], 5);
        let unknown = cat
            .api(
                "PUT",
                "/api/v1/me/offer-preferences",
                Some(serde_json::json!({"earlier_offers": true, "times": ["midnight"]})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

        let (slot, appointment) = book_first(&mut amy, &amy_referral).await;
        let confirm = amy
            .get(&format!("/portal/appointments/{appointment}/cancel"))
            .await;
        amy.post_form(
            &format!("/portal/appointments/{appointment}/cancel"),
            &confirm.csrf(),
            &[],
        )
        .await;
        let offers = store.offers_for_slot(slot.parse().unwrap()).await.unwrap();
        let dan = store
            .find_referral(dan_referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            offers.len(),
            1,
            "Ben said no, and the clinic is too far for Cat"
        );
        assert_eq!(offers[0].referral_id, dan.id);
    })
    .await;
}
