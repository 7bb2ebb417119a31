//! The clinic day and after: arrivals, seen or missed under the service's rule, follow-ups,
//! discharge with open access, running-late notices, reminders, and staff cancelling on a
//! patient's behalf. Every case on both backends.

use axum::http::StatusCode;
use jiff::SignedDuration;
use jointly_domain::access::Role;
use jointly_domain::event::DomainEvent;
use jointly_domain::message::MessageTemplate;
use jointly_domain::referral::{Referral, ReferralStatus};
use jointly_domain::slot::{Modality, Slot, SlotStatus};
use jointly_domain::{PatientId, SlotId};
use jointly_store::testing::{now, on_each_backend, seed_clinic};

use crate::choice::{book_first, ready_to_book};
use crate::harness::{Client, TestApp};

async fn referral(app: &TestApp, id: &str) -> Referral {
    app.store
        .find_referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
}

async fn messages(app: &TestApp, patient: PatientId, template: MessageTemplate) -> usize {
    app.store
        .outbox_for_patient(patient)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.template == template)
        .count()
}

/// Records `outcome` for `appointment` from the clinic list, as the buttons post it.
async fn record(staff: &mut Client, appointment: &str, outcome: &str) -> crate::harness::Response {
    let list = staff.get("/staff/clinics").await;
    staff
        .post_form(
            &format!("/staff/appointments/{appointment}/outcome"),
            &list.csrf(),
            &[("outcome", outcome), ("date", ""), ("clinician", "")],
        )
        .await
}

/// Posts a running-late notice from the clinic page.
async fn late(
    staff: &mut Client,
    token: &str,
    clinician: &str,
    minutes: &str,
) -> crate::harness::Response {
    staff
        .post_form(
            "/staff/clinics/running-late",
            token,
            &[("clinician", clinician), ("minutes", minutes)],
        )
        .await
}

/// A free slot for the sample clinic's clinician starting `hours` after the test's start.
async fn add_slot(app: &TestApp, hours: i64) -> SlotId {
    let start = now() + SignedDuration::from_hours(hours);
    let slot = Slot {
        id: SlotId::new(),
        service_id: app.clinic.service.id,
        location_id: app.clinic.location.id,
        clinician_id: app.clinic.clinician.id,
        start,
        end: start + SignedDuration::from_mins(30),
        modality: Modality::FaceToFace,
        status: SlotStatus::Free,
        kind: jointly_domain::slot::AppointmentKind::Any,
    };
    let mut tx = app.store.begin().await.unwrap();
    tx.insert_slots(std::slice::from_ref(&slot), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    slot.id
}

/// Books `slot` for the referral through the portal form.
async fn book(patient: &mut Client, referral: &str, slot: SlotId) -> String {
    let page = patient.get("/portal").await;
    let booked = patient
        .post_form(
            &format!("/portal/referrals/{referral}/book"),
            &page.csrf(),
            &[("slot_id", &slot.to_string())],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    booked
        .location()
        .unwrap()
        .trim_start_matches("/portal/appointments/")
        .trim_end_matches("?booked=1")
        .to_owned()
}

#[tokio::test]
async fn arrived_seen_follow_up_then_discharged_with_open_access() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut patient, id) = ready_to_book(&app, "clinic.day@example.com").await;
        let (_, first) = book_first(&mut patient, &id).await;
        let patient_id = referral(&app, &id).await.patient_id;

        // The day before, nobody can be checked in yet.
        let mut clinician = app.staff(Role::Clinician).await;
        let early = record(&mut clinician, &first, "checked_in").await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);

        // The morning of the appointment (the sample slots start at the test's time of day).
        app.clock
            .advance(SignedDuration::from_hours(24) - SignedDuration::from_mins(20));
        let mut clinician = app.staff(Role::Clinician).await;
        let list = clinician.get("/staff/clinics").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Amelia Khan") && list.body.contains(">Arrived</button>"));
        assert!(
            !list.body.contains("Did not attend</button>"),
            "not before it starts"
        );

        let mut manager = app.staff(Role::ServiceManager).await;
        assert!(
            !manager
                .get("/staff/clinics")
                .await
                .body
                .contains("</button>\n      </form>")
        );
        let refused = record(&mut manager, &first, "checked_in").await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "managers see, clinics record"
        );

        let arrived = record(&mut clinician, &first, "checked_in").await;
        assert_eq!(arrived.status, StatusCode::SEE_OTHER, "{}", arrived.body);
        assert!(arrived.location().unwrap().contains("recorded=checked_in"));
        let shown = clinician.get(arrived.location().unwrap()).await;
        assert!(shown.body.contains("Checked in."));
        let missed = record(&mut clinician, &first, "did_not_attend").await;
        assert_eq!(
            missed.status,
            StatusCode::CONFLICT,
            "someone who arrived attended"
        );
        let unknown = record(&mut clinician, &first, "maybe").await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

        let seen = record(&mut clinician, &first, "attended_follow_up").await;
        assert_eq!(seen.status, StatusCode::SEE_OTHER, "{}", seen.body);
        let after = referral(&app, &id).await;
        assert_eq!(
            after.status,
            ReferralStatus::Waiting,
            "waiting for the follow-up"
        );
        assert_eq!(after.attended, 1);
        assert_eq!(
            messages(&app, patient_id, MessageTemplate::FollowUpNeeded).await,
            1
        );

        // The follow-up, booked by the patient, then care is complete.
        let mut patient = app.sign_in("clinic.day@example.com", patient_id).await;
        let (_, second) = book_first(&mut patient, &id).await;
        app.clock.advance(SignedDuration::from_hours(24));
        let mut clinician = app.staff(Role::Clinician).await;
        let done = record(&mut clinician, &second, "attended_discharge").await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let discharged = referral(&app, &id).await;
        assert_eq!(discharged.status, ReferralStatus::Discharged);
        let until = discharged.open_access_until.expect("an open-access window");
        assert_eq!(
            until,
            app.app.clock().now() + SignedDuration::from_hours(24 * 182)
        );
        assert_eq!(
            messages(&app, patient_id, MessageTemplate::Discharged).await,
            1
        );

        // Within the window the patient books straight back in, without a new referral.
        let mut patient = app.sign_in("clinic.day@example.com", patient_id).await;
        let portal = patient.get("/portal").await;
        assert!(
            portal.body.contains("book straight back in"),
            "{}",
            portal.body
        );
        let (_, third) = book_first(&mut patient, &id).await;
        let reopened = referral(&app, &id).await;
        assert_eq!(reopened.status, ReferralStatus::Booked);
        assert_eq!(reopened.open_access_until, None, "used");
        let history = app.store.events_for_referral(reopened.id).await.unwrap();
        assert!(
            history
                .iter()
                .any(|e| matches!(e, DomainEvent::OpenAccessUsed { .. }))
        );
        assert!(!third.is_empty());
    })
    .await;
}

#[tokio::test]
async fn missed_appointments_follow_the_services_rule_over_the_api() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut patient, id) = ready_to_book(&app, "missed@example.com").await;
        let patient_id = referral(&app, &id).await.patient_id;
        let (_, first) = book_first(&mut patient, &id).await;
        let outcome = format!("/api/v1/appointments/{first}/outcome");

        let mut clinician = app.staff(Role::Clinician).await;
        let too_soon = clinician
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "did_not_attend"})),
            )
            .await;
        assert_eq!(
            too_soon.status,
            StatusCode::CONFLICT,
            "not before it starts"
        );
        let bad = clinician
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "late"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("outcome"), "{}", bad.body);
        let extra = clinician
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "did_not_attend", "why": 1})),
            )
            .await;
        assert_eq!(extra.status, StatusCode::BAD_REQUEST, "{}", extra.body);
        assert!(extra.body.contains("unknown field `why`"));

        app.clock.advance(SignedDuration::from_hours(25));
        let mut clinician = app.staff(Role::Clinician).await;
        let missed = clinician
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "did_not_attend"})),
            )
            .await;
        assert_eq!(missed.status, StatusCode::OK, "{}", missed.body);
        assert_eq!(missed.json()["status"], "did_not_attend");
        let after = referral(&app, &id).await;
        assert_eq!(after.status, ReferralStatus::Waiting, "asked to book again");
        assert_eq!(
            messages(&app, patient_id, MessageTemplate::AppointmentMissed).await,
            1
        );
        let twice = clinician
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "did_not_attend"})),
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);

        let mut patient = app.sign_in("missed@example.com", patient_id).await;
        let (_, second) = book_first(&mut patient, &id).await;
        app.clock.advance(SignedDuration::from_hours(25));
        let mut clinician = app.staff(Role::Clinician).await;
        let again = clinician
            .api(
                "POST",
                &format!("/api/v1/appointments/{second}/outcome"),
                Some(serde_json::json!({"outcome": "did_not_attend"})),
            )
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let closed = referral(&app, &id).await;
        assert_eq!(
            closed.status,
            ReferralStatus::Discharged,
            "the second miss discharges"
        );
        assert_eq!(closed.missed, 2);
        assert_eq!(
            closed.open_access_until, None,
            "no open access after missed appointments"
        );
        assert_eq!(
            messages(&app, patient_id, MessageTemplate::DischargedAfterMissed).await,
            1
        );

        let mut elsewhere = app
            .staff_in(
                Role::Clinician,
                vec![seed_clinic(&app.store).await.service.id],
            )
            .await;
        let forbidden = elsewhere
            .api(
                "POST",
                &outcome,
                Some(serde_json::json!({"outcome": "checked_in"})),
            )
            .await;
        assert_eq!(
            forbidden.status,
            StatusCode::FORBIDDEN,
            "another service's clinic"
        );
    })
    .await;
}

#[tokio::test]
async fn running_late_tells_only_the_patients_still_to_be_seen() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut amy, amy_referral) = ready_to_book(&app, "amy.late@example.com").await;
        let (_, amy_appointment) = book_first(&mut amy, &amy_referral).await;
        let later = add_slot(&app, 26).await;
        let (mut ben, ben_referral) = ready_to_book(&app, "ben.late@example.com").await;
        book(&mut ben, &ben_referral, later).await;
        let amy_id = referral(&app, &amy_referral).await.patient_id;
        let ben_id = referral(&app, &ben_referral).await.patient_id;

        app.clock
            .advance(SignedDuration::from_hours(24) - SignedDuration::from_mins(30));
        let mut clinician = app.staff(Role::Clinician).await;
        record(&mut clinician, &amy_appointment, "checked_in").await;
        let chosen = format!("/staff/clinics?clinician={}", app.clinic.clinician.id);
        let list = clinician.get(&chosen).await;
        assert!(list.body.contains("Running late?"), "{}", list.body);
        let token = list.csrf();
        let clinician_id = app.clinic.clinician.id.to_string();
        for (minutes, field_error) in [
            ("soon", "Enter the minutes as a number"),
            ("2", "at least 5"),
            ("", "Enter how many"),
        ] {
            let refused = late(&mut clinician, &token, &clinician_id, minutes).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{minutes}"
            );
            assert!(
                refused.body.contains("href=\"#minutes\""),
                "{}",
                refused.body
            );
            assert!(
                refused.body.contains(field_error),
                "{minutes}: {}",
                refused.body
            );
        }
        assert_eq!(
            messages(&app, ben_id, MessageTemplate::RunningLate).await,
            0
        );

        let told = late(&mut clinician, &token, &clinician_id, "25").await;
        assert_eq!(told.status, StatusCode::SEE_OTHER, "{}", told.body);
        assert!(told.location().unwrap().ends_with("told=1"));
        assert_eq!(
            messages(&app, ben_id, MessageTemplate::RunningLate).await,
            1
        );
        assert_eq!(
            messages(&app, amy_id, MessageTemplate::RunningLate).await,
            0,
            "already here"
        );

        let api = clinician
            .api(
                "POST",
                "/api/v1/clinics/running-late",
                Some(serde_json::json!({"clinician_id": app.clinic.clinician.id, "minutes": 300})),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.clock.advance(SignedDuration::from_mins(15));
        let api = clinician
            .api(
                "POST",
                "/api/v1/clinics/running-late",
                Some(serde_json::json!({"clinician_id": app.clinic.clinician.id, "minutes": 40})),
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.json()["patients_told"], 1);
        assert_eq!(
            messages(&app, ben_id, MessageTemplate::RunningLate).await,
            2,
            "a second notice"
        );
    })
    .await;
}

#[tokio::test]
async fn reminders_go_a_week_and_a_day_before_once_each() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let far = add_slot(&app, 24 * 10).await;
        let (mut patient, id) = ready_to_book(&app, "remind@example.com").await;
        book(&mut patient, &id, far).await;
        let patient_id = referral(&app, &id).await.patient_id;
        let reminders = || messages(&app, patient_id, MessageTemplate::AppointmentReminder);
        let days = [7, 1];

        assert_eq!(
            app.app.queue_reminders(&days).await.unwrap(),
            0,
            "ten days ahead"
        );
        app.clock.advance(SignedDuration::from_hours(24 * 3 + 1));
        assert_eq!(
            app.app.queue_reminders(&days).await.unwrap(),
            1,
            "the week-ahead one"
        );
        assert_eq!(app.app.queue_reminders(&days).await.unwrap(), 0, "once");
        assert_eq!(reminders().await, 1);
        app.clock.advance(SignedDuration::from_hours(24 * 6));
        assert_eq!(
            app.app.queue_reminders(&days).await.unwrap(),
            1,
            "the day-before one"
        );
        assert_eq!(app.app.queue_reminders(&days).await.unwrap(), 0);
        assert_eq!(reminders().await, 2);

        // Booked two days ahead: no week-ahead reminder, only the day-before one.
        let (mut late, late_id) = ready_to_book(&app, "booked.late@example.com").await;
        let soon = add_slot(&app, 24 * 9 + 48).await;
        book(&mut late, &late_id, soon).await;
        let late_patient = referral(&app, &late_id).await.patient_id;
        app.clock.advance(SignedDuration::from_hours(25));
        assert_eq!(app.app.queue_reminders(&days).await.unwrap(), 1);
        assert_eq!(
            messages(&app, late_patient, MessageTemplate::AppointmentReminder).await,
            1
        );
        assert_eq!(app.app.queue_reminders(&days).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn staff_cancel_on_a_patients_behalf_in_their_own_service_only() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (mut patient, id) = ready_to_book(&app, "phoned@example.com").await;
        let (slot, appointment) = book_first(&mut patient, &id).await;
        let patient_id = referral(&app, &id).await.patient_id;

        let mut elsewhere = app
            .staff_in(
                Role::Coordinator,
                vec![seed_clinic(&app.store).await.service.id],
            )
            .await;
        let refused = elsewhere
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/cancel"),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "not their service");
        let mut clinician = app.staff(Role::Clinician).await;
        let refused = clinician
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/cancel"),
                None,
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "coordinators book and cancel"
        );

        let mut coordinator = app.staff(Role::Coordinator).await;
        let page = coordinator.get(&format!("/staff/referrals/{id}")).await;
        assert!(
            page.body.contains("Cancel for the patient"),
            "{}",
            page.body
        );
        let cancelled = coordinator
            .post_form(
                &format!("/staff/appointments/{appointment}/cancel"),
                &page.csrf(),
                &[],
            )
            .await;
        assert_eq!(
            cancelled.status,
            StatusCode::SEE_OTHER,
            "{}",
            cancelled.body
        );
        assert_eq!(referral(&app, &id).await.status, ReferralStatus::Waiting);
        let freed = app
            .store
            .find_slot(slot.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(freed.status, SlotStatus::Free);
        assert_eq!(
            messages(&app, patient_id, MessageTemplate::AppointmentCancelled).await,
            1
        );
        let twice = coordinator
            .api(
                "POST",
                &format!("/api/v1/appointments/{appointment}/cancel"),
                None,
            )
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn service_managers_set_each_services_rules() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let service = app.clinic.service.id;
        let mut coordinator = app.staff(Role::Coordinator).await;
        assert_eq!(
            coordinator.get("/staff/services").await.status,
            StatusCode::FORBIDDEN
        );
        let mut manager = app.staff(Role::ServiceManager).await;
        let page = manager.get("/staff/services").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("value=\"182\""), "the default window");
        let bad = manager
            .post_form(
                &format!("/staff/services/{service}/rules"),
                &page.csrf(),
                &[
                    ("open_access_days", "forever"),
                    ("discharge_after_missed", "99"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains(&format!("href=\"#open_access_days-{service}\""))
        );
        assert!(
            bad.body
                .contains(&format!("href=\"#discharge_after_missed-{service}\""))
        );
        assert_eq!(
            store
                .find_service(service)
                .await
                .unwrap()
                .unwrap()
                .rules
                .open_access_days,
            182
        );
        let saved = manager
            .post_form(
                &format!("/staff/services/{service}/rules"),
                &page.csrf(),
                &[("open_access_days", "90"), ("discharge_after_missed", "1")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let rules = store.find_service(service).await.unwrap().unwrap().rules;
        assert_eq!(
            (rules.open_access_days, rules.discharge_after_missed),
            (90, 1)
        );
        let api = manager
            .api(
                "PUT",
                &format!("/api/v1/services/{service}/rules"),
                Some(serde_json::json!({"open_access_days": 365, "discharge_after_missed": 2})),
            )
            .await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.body);
        assert_eq!(api.json()["open_access_days"], 365);
    })
    .await;
}
