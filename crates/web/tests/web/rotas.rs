//! Rotas as data: sessions make slots at once (new or follow-up, evenings and weekends),
//! leave blocks free slots and puts booked patients on the task list, bad forms are named
//! field by field and store nothing, and only coordinators and managers keep rotas.

use axum::http::StatusCode;
use jiff::SignedDuration;
use jointly_domain::access::Role;
use jointly_domain::local_date;
use jointly_domain::task::TaskKind;
use jointly_store::testing::{now, on_each_backend, seed_clinic};

use crate::choice::{book_first, ready_to_book};
use crate::harness::TestApp;

#[tokio::test]
async fn a_session_makes_slots_and_leave_withdraws_them() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let clinician = app.clinic.clinician.id.to_string();
        let location = app.clinic.location.id.to_string();
        let mut coordinator = app.staff(Role::Coordinator).await;
        let page = coordinator.get("/staff/rotas").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Christmas") || page.body.contains("25 December"),
            "bank holidays are listed"
        );
        let before = store.count_free_slots(now()).await.unwrap();

        let bad = coordinator
            .post_form(
                "/staff/rotas/sessions",
                &page.csrf(),
                &[
                    ("clinician", "someone"),
                    ("location", &location),
                    ("weekday", "caturday"),
                    ("starts", "19:00"),
                    ("ends", "17:30"),
                    ("modality", "face_to_face"),
                    ("appointment_kind", "new"),
                    ("length", "5"),
                    ("starts_on", "2020-01-01"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["clinician", "weekday", "starts_on"] {
            assert!(
                bad.body.contains(&format!("href=\"#{field}\"")),
                "{field}: {}",
                bad.body
            );
        }
        let still_bad = coordinator
            .post_form(
                "/staff/rotas/sessions",
                &page.csrf(),
                &[
                    ("clinician", &clinician),
                    ("location", &location),
                    ("weekday", "saturday"),
                    ("starts", "19:00"),
                    ("ends", "17:30"),
                    ("modality", "face_to_face"),
                    ("appointment_kind", "new"),
                    ("length", "5"),
                ],
            )
            .await;
        assert_eq!(still_bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["ends", "length"] {
            assert!(
                still_bad.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }
        assert_eq!(
            store.count_free_slots(now()).await.unwrap(),
            before,
            "nothing stored"
        );

        // A follow-up clinic on Saturday mornings, 4 x 30 minutes, for twelve weeks.
        let added = coordinator
            .post_form(
                "/staff/rotas/sessions",
                &page.csrf(),
                &[
                    ("clinician", &clinician),
                    ("location", &location),
                    ("weekday", "saturday"),
                    ("starts", "09:00"),
                    ("ends", "11:00"),
                    ("modality", "face_to_face"),
                    ("appointment_kind", "follow_up"),
                    ("length", "30"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let made = store.count_free_slots(now()).await.unwrap() - before;
        assert!((44..=52).contains(&made), "about 12 Saturdays x 4: {made}");
        assert_eq!(app.app.extend_rota_slots().await.unwrap(), 0, "made once");
        let shown = coordinator.get("/staff/rotas?added=session").await;
        assert!(shown.body.contains("Session added") && shown.body.contains("Follow-ups"));

        // A new patient is not offered follow-up slots.
        let (mut patient, id) = ready_to_book(&app, "rota.new@example.com").await;
        // (The sample clinic's own slots end after six days; the Saturday clinic runs on.)
        let later = local_date(now() + SignedDuration::from_hours(24 * 8));
        let choose = patient
            .get(&format!("/portal/referrals/{id}/choose?from={later}"))
            .await;
        assert_eq!(choose.status, StatusCode::OK, "{}", choose.body);
        assert!(choose.body.contains("No times match"), "{}", choose.body);

        // Leave over the first booked day: the patient's appointment needs rebooking, the
        // clinician's free slots those days are withdrawn.
        let (_, _appointment) = book_first(&mut patient, &id).await;
        let first_day = local_date(now() + SignedDuration::from_hours(24)).to_string();
        let last_day = local_date(now() + SignedDuration::from_hours(24 * 10)).to_string();
        let page = coordinator.get("/staff/rotas").await;
        let leave = coordinator
            .post_form(
                "/staff/rotas/exceptions",
                &page.csrf(),
                &[
                    ("exception_reason", "leave"),
                    ("leave_clinician", &clinician),
                    ("first_day", &first_day),
                    ("last_day", &last_day),
                ],
            )
            .await;
        assert_eq!(leave.status, StatusCode::SEE_OTHER, "{}", leave.body);
        let location_header = leave.location().unwrap().to_owned();
        assert!(location_header.contains("rebook=1"), "{location_header}");
        let tasks = store.open_tasks(100).await.unwrap();
        assert!(
            tasks
                .iter()
                .any(|t| t.task.kind == TaskKind::RebookAppointment)
        );
        let free_soon = store
            .free_slots(app.clinic.service.id, now(), 100)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.slot.start < now() + SignedDuration::from_hours(24 * 11))
            .count();
        assert_eq!(free_soon, 0, "withdrawn");

        let bad_leave = coordinator
            .post_form(
                "/staff/rotas/exceptions",
                &page.csrf(),
                &[
                    ("exception_reason", "leave"),
                    ("first_day", &last_day),
                    ("last_day", &first_day),
                ],
            )
            .await;
        assert_eq!(bad_leave.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["leave_clinician", "last_day"] {
            assert!(
                bad_leave.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn only_coordinators_and_managers_keep_rotas_of_their_services() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut clinician = app.staff(Role::Clinician).await;
        assert_eq!(
            clinician.get("/staff/rotas").await.status,
            StatusCode::FORBIDDEN
        );
        let other = seed_clinic(&store).await;
        let mut elsewhere = app
            .staff_in(Role::Coordinator, vec![other.service.id])
            .await;
        let page = elsewhere.get("/staff/rotas").await;
        assert!(
            !page.body.contains(&app.clinic.clinician.id.to_string()),
            "not their service"
        );
        let refused = elsewhere
            .post_form(
                "/staff/rotas/sessions",
                &page.csrf(),
                &[
                    ("clinician", &app.clinic.clinician.id.to_string()),
                    ("location", &app.clinic.location.id.to_string()),
                    ("weekday", "monday"),
                    ("starts", "09:00"),
                    ("ends", "12:00"),
                    ("modality", "face_to_face"),
                    ("appointment_kind", "new"),
                    ("length", "30"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut coordinator = app.staff(Role::Coordinator).await;
        let closure = coordinator
            .api(
                "POST",
                "/api/v1/rota-exceptions",
                Some(serde_json::json!({
                    "exception_reason": "closure", "closure_location": app.clinic.location.id,
                    "first_day": "2026-12-03"})),
            )
            .await;
        assert_eq!(
            closure.status,
            StatusCode::FORBIDDEN,
            "closures are for service managers"
        );
        let mut manager = app.staff(Role::ServiceManager).await;
        assert_eq!(manager.get("/staff/rotas").await.status, StatusCode::OK);

        // The same over the API: problems named by field, then an evening session made.
        let bad = manager
            .api(
                "POST",
                "/api/v1/rota-sessions",
                Some(
                    serde_json::json!({"clinician": app.clinic.clinician.id, "weekday": "someday"}),
                ),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("weekday") && bad.body.contains("location"),
            "{}",
            bad.body
        );
        let made = manager
            .api(
                "POST",
                "/api/v1/rota-sessions",
                Some(serde_json::json!({
                    "clinician": app.clinic.clinician.id, "location": app.clinic.location.id,
                    "weekday": "thursday", "starts": "17:30", "ends": "20:00",
                    "modality": "video", "appointment_kind": "any", "length": 30})),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        let rotas = manager.api("GET", "/api/v1/rotas", None).await;
        assert_eq!(rotas.json()["sessions"][0]["starts"], "17:30");
        let closed = manager
            .api(
                "POST",
                "/api/v1/rota-exceptions",
                Some(serde_json::json!({
                    "exception_reason": "closure", "closure_location": app.clinic.location.id,
                    "first_day": "2026-12-03"})),
            )
            .await;
        assert_eq!(closed.status, StatusCode::CREATED, "{}", closed.body);
        assert!(closed.json()["slots_withdrawn"].as_u64().unwrap() >= 1);
    })
    .await;
}
