//! Confirm or cancel from the link in a message, without signing in: the booking confirmation
//! carries the link; it opens only the appointment it names; "I am coming" is recorded once and
//! shown on the clinic list; cancelling asks first, frees the slot and keeps the person
//! waiting; forged, altered or stale use changes nothing and is never a server error.

use axum::http::StatusCode;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::MessageTemplate;
use jointly_domain::slot::SlotStatus;
use jointly_domain::{AppointmentId, Clock};
use jointly_notify::{Renderer, load_context};
use jointly_store::testing::on_each_backend;

use crate::choice::{book_first, ready_to_book};
use crate::harness::{TestApp, link_key, team};

#[tokio::test]
async fn the_link_in_a_booking_confirms_or_cancels_that_appointment_only() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut patient, referral) = ready_to_book(&app, "link@example.com").await;
        let (slot, appointment) = book_first(&mut patient, &referral).await;
        let appointment = AppointmentId::from_uuid(appointment.parse().unwrap());
        let token = link_key().token(appointment);
        let link = format!("/a/{token}");

        // The booking confirmation carries the link, in the email and the portal inbox.
        let (booked, _) = store.find_appointment(appointment).await.unwrap().unwrap();
        let outbox = store.outbox_for_patient(booked.patient_id).await.unwrap();
        let entry = outbox
            .iter()
            .find(|e| e.template == MessageTemplate::AppointmentBooked)
            .unwrap();
        let renderer = Renderer::new(team()).unwrap().with_links(link_key());
        let context = load_context(&store, entry, app.clock.now()).await.unwrap();
        let email = renderer
            .render(entry, &context, ContactChannel::Email)
            .unwrap();
        assert!(email.body.contains(&link), "{}", email.body);
        assert!(email.inbox.unwrap().1.contains(&link));

        // Anyone with the link sees when and where, and nothing about the person's care.
        let mut stranger = app.client();
        let page = stranger.get(&link).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("I am coming"), "{}", page.body);
        assert!(
            page.body.contains(&app.clinic.location.name),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Knee: physiotherapy"));

        // Forged and altered links open nothing.
        let other = link_key().token(AppointmentId::new());
        let wrong_key = jointly_domain::link::LinkKey::new([1; 32]).token(appointment);
        let mut altered = token.clone();
        altered.replace_range(40..41, if &token[40..41] == "A" { "B" } else { "A" });
        for bad in [other, wrong_key, altered, "nonsense".into(), String::new()] {
            let response = stranger.get(&format!("/a/{bad}")).await;
            assert!(
                matches!(
                    response.status,
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                ),
                "{bad}: {}",
                response.status
            );
        }

        // A form posted from another site is refused and changes nothing.
        let forged = stranger
            .post_form(&format!("{link}/confirm"), "not-the-token", &[])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
        let (unchanged, _) = store.find_appointment(appointment).await.unwrap().unwrap();
        assert_eq!(unchanged.confirmed_at, None);

        // "I am coming", twice: recorded once, shown to the clinic.
        for _ in 0..2 {
            let confirmed = stranger
                .post_form(&format!("{link}/confirm"), &page.csrf(), &[])
                .await;
            assert_eq!(
                confirmed.status,
                StatusCode::SEE_OTHER,
                "{}",
                confirmed.body
            );
            assert_eq!(
                confirmed.location(),
                Some(format!("{link}?done=confirmed").as_str())
            );
        }
        let (confirmed, _) = store.find_appointment(appointment).await.unwrap().unwrap();
        let first_confirmation = confirmed.confirmed_at.unwrap();
        let after = stranger.get(&format!("{link}?done=confirmed")).await;
        assert!(
            after.body.contains("Thank you for telling us"),
            "{}",
            after.body
        );
        assert!(!after.body.contains("I am coming</button>"));
        let clinic = app
            .store
            .clinic_list(
                app.clock.now(),
                app.clock.now() + jiff::SignedDuration::from_hours(24 * 60),
            )
            .await
            .unwrap();
        assert!(
            clinic
                .iter()
                .any(|row| row.appointment_id == appointment && row.confirmed)
        );
        let audit = store.audit_for_patient(confirmed.patient_id).await.unwrap();
        assert!(audit.iter().any(|a| a.route == "appointment.link"));
        assert_eq!(
            audit
                .iter()
                .filter(|a| a.route == "appointment.link.confirm")
                .count(),
            1
        );
        assert_eq!(confirmed.confirmed_at, Some(first_confirmation));

        // Cancelling asks first, then frees the slot; the person stays on the waiting list.
        let sure = stranger.get(&format!("{link}/cancel")).await;
        assert_eq!(sure.status, StatusCode::OK, "{}", sure.body);
        assert!(sure.body.contains("Yes, cancel it"), "{}", sure.body);
        let cancelled = stranger
            .post_form(&format!("{link}/cancel"), &sure.csrf(), &[])
            .await;
        assert_eq!(
            cancelled.status,
            StatusCode::SEE_OTHER,
            "{}",
            cancelled.body
        );
        let (gone, view) = store.find_appointment(appointment).await.unwrap().unwrap();
        assert_eq!(gone.status, AppointmentStatus::Cancelled);
        assert_eq!(
            view.slot.status,
            SlotStatus::Free,
            "slot {slot} is free again"
        );
        let shown = stranger.get(&format!("{link}?done=cancelled")).await;
        assert!(
            shown.body.contains("Your appointment is cancelled"),
            "{}",
            shown.body
        );
        assert!(!shown.body.contains("I am coming</button>"));

        // A cancelled appointment can be neither confirmed nor cancelled again.
        for action in ["confirm", "cancel"] {
            let late = stranger
                .post_form(&format!("{link}/{action}"), &sure.csrf(), &[])
                .await;
            assert!(
                late.status.is_client_error(),
                "{action} after cancelling: {} {}",
                late.status,
                late.body
            );
        }
        let cancellations = store
            .outbox_for_patient(gone.patient_id)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.template == MessageTemplate::AppointmentCancelled)
            .count();
        assert_eq!(cancellations, 1, "told once");
    })
    .await;
}
