//! People on the waiting list are kept informed: their place and estimated wait in the portal,
//! "still waiting" updates, "do you still need this?" answered in the portal or the API (or a
//! call when nobody answers). On both backends.

use axum::http::StatusCode;
use jiff::SignedDuration;
use jointly_domain::SlotId;
use jointly_domain::message::MessageTemplate;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::slot::{AppointmentKind, Modality, Slot, SlotStatus};
use jointly_domain::task::TaskKind;
use jointly_domain::waiting::WaitingPolicy;
use jointly_store::testing::{now, on_each_backend};

use crate::choice::ready_to_book;
use crate::harness::TestApp;

#[tokio::test]
async fn updates_estimates_and_do_you_still_need_this() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, amy_ref) = ready_to_book(&app, "amy.wait@example.com").await;
        let (mut ben, ben_ref) = ready_to_book(&app, "ben.wait@example.com").await;
        let (_, cat_ref) = ready_to_book(&app, "cat.wait@example.com").await;
        let patient = |id: &str| {
            let store = store.clone();
            let id = id.to_owned();
            async move {
                store
                    .find_referral(id.parse().unwrap())
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let amy_portal = amy.get("/portal").await;
        assert!(
            amy_portal.body.contains("You are next on the list"),
            "{}",
            amy_portal.body
        );
        assert!(
            amy_portal
                .body
                .contains("We expect to offer you an appointment in about")
        );
        let ben_portal = ben.get("/portal").await;
        assert!(
            ben_portal.body.contains("One person is ahead of you"),
            "{}",
            ben_portal.body
        );

        // Capacity a month on, so there is something to estimate from then.
        let later: Vec<_> = (30..40)
            .map(|day| {
                let start = now() + SignedDuration::from_hours(24 * day);
                Slot {
                    id: SlotId::new(),
                    service_id: app.clinic.service.id,
                    location_id: app.clinic.location.id,
                    clinician_id: app.clinic.clinician.id,
                    start,
                    end: start + SignedDuration::from_mins(30),
                    modality: Modality::FaceToFace,
                    status: SlotStatus::Free,
                    kind: AppointmentKind::Any,
                }
            })
            .collect();
        let mut tx = store.begin().await.unwrap();
        tx.insert_slots(&later, now()).await.unwrap();
        tx.commit().await.unwrap();
        let policy = WaitingPolicy::default();
        let run = || app.app.keep_waiting_informed(policy);
        assert_eq!(run().await.unwrap().updates, 0, "just accepted");
        app.clock.advance(SignedDuration::from_hours(24 * 29));
        assert_eq!(run().await.unwrap().updates, 3);
        assert_eq!(run().await.unwrap().updates, 0, "once a month");
        let amy_id = patient(&amy_ref).await.patient_id;
        let updates: Vec<_> = store
            .outbox_for_patient(amy_id)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.template == MessageTemplate::WaitUpdate)
            .collect();
        assert_eq!(updates.len(), 1);
        assert!(updates[0].data.wait_weeks.is_some(), "with the estimate");

        app.clock.advance(SignedDuration::from_hours(24 * 56));
        let asked = run().await.unwrap();
        assert_eq!(asked.questions, 3, "{asked:?}");
        assert_eq!(run().await.unwrap().questions, 0);

        let mut amy = app.sign_in("amy.wait@example.com", amy_id).await;
        let portal = amy.get("/portal").await;
        assert!(
            portal
                .body
                .contains(&format!("/portal/referrals/{amy_ref}/still-needed"))
        );
        let form = amy
            .get(&format!("/portal/referrals/{amy_ref}/still-needed"))
            .await;
        assert_eq!(form.status, StatusCode::OK);
        let empty = amy
            .post_form(
                &format!("/portal/referrals/{amy_ref}/still-needed"),
                &form.csrf(),
                &[],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("href=\"#still_needed\""));
        let yes = amy
            .post_form(
                &format!("/portal/referrals/{amy_ref}/still-needed"),
                &form.csrf(),
                &[("still_needed", "yes")],
            )
            .await;
        assert_eq!(yes.location(), Some("/portal?still_needed=yes"));
        assert_eq!(patient(&amy_ref).await.status, ReferralStatus::Waiting);
        let portal = amy.get("/portal?still_needed=yes").await;
        assert!(portal.body.contains("You keep your place"));
        assert!(!portal.body.contains("/still-needed\""), "answered");

        let ben_id = patient(&ben_ref).await.patient_id;
        let mut ben = app.sign_in("ben.wait@example.com", ben_id).await;
        let path = format!("/api/v1/me/referrals/{ben_ref}/still-needed");
        let missing = ben.api("POST", &path, Some(serde_json::json!({}))).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        let no = ben
            .api(
                "POST",
                &path,
                Some(serde_json::json!({"still_needed": false})),
            )
            .await;
        assert_eq!(no.status, StatusCode::OK, "{}", no.body);
        assert_eq!(no.json()["status"], "withdrawn");
        let again = ben
            .api(
                "POST",
                &path,
                Some(serde_json::json!({"still_needed": true})),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "no longer waiting");
        let stranger = amy
            .api(
                "POST",
                &path,
                Some(serde_json::json!({"still_needed": false})),
            )
            .await;
        assert_eq!(stranger.status, StatusCode::NOT_FOUND, "only your own");

        // Cat did not answer: after two weeks a coordinator is asked to call, once.
        app.clock.advance(SignedDuration::from_hours(24 * 15));
        assert_eq!(run().await.unwrap().calls, 1);
        assert_eq!(run().await.unwrap().calls, 0);
        let cat = patient(&cat_ref).await;
        let tasks = store.open_tasks(50).await.unwrap();
        assert!(
            tasks.iter().any(
                |t| t.task.kind == TaskKind::ConfirmStillNeeded && t.task.referral_id == cat.id
            )
        );
        assert_eq!(
            cat.status,
            ReferralStatus::Waiting,
            "nothing changes without an answer"
        );
    })
    .await;
}
