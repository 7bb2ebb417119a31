//! Moving a booked appointment: by the patient and by staff, one "changed" message, the old
//! time to the cancellation list, refusals that change nothing.

use jointly_app::{AppError, Intake};
use jointly_domain::ReferralId;
use jointly_domain::access::Role;
use jointly_domain::appointment::AppointmentStatus;
use jointly_domain::choice::SearchAnswers;
use jointly_domain::intake::PersonAnswers;
use jointly_domain::message::MessageTemplate;
use jointly_domain::referral::ReferralStatus;
use jointly_domain::slot::SlotStatus;
use jointly_store::Store;
use jointly_store::testing::{on_each_backend, seed_clinic, seed_slots};

use crate::{add_staff, answers, app, person, refer, routine, sign_in_patient, staff};

/// Refers the person at `email` (named `given`) and accepts them into `service`.
async fn accepted(
    app: &jointly_app::App,
    email: &str,
    given: &str,
    service: jointly_domain::ServiceId,
) -> ReferralId {
    let intake = Intake {
        person: PersonAnswers {
            given_name: given.into(),
            ..person(email)
        },
        ..answers(email)
    };
    let receipt = refer(app, &intake).await.unwrap();
    let triage = staff(app, "triage@jointly.example").await;
    app.accept_referral(&triage, receipt.referral_id, &routine(service))
        .await
        .unwrap();
    receipt.referral_id
}

async fn templates(store: &Store, referral: ReferralId) -> Vec<MessageTemplate> {
    let patient = store
        .find_referral(referral)
        .await
        .unwrap()
        .unwrap()
        .patient_id;
    store
        .outbox_for_patient(patient)
        .await
        .unwrap()
        .iter()
        .map(|m| m.template)
        .collect()
}

#[tokio::test]
async fn a_patient_moves_their_appointment_and_the_old_time_is_offered_to_someone_waiting() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 3).await;
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let amelia = accepted(&app, "amelia@example.com", "Amelia", clinic.service.id).await;
        let waiting = accepted(&app, "tomasz@example.com", "Tomasz", clinic.service.id).await;
        let me = sign_in_patient(&app, &store, "amelia@example.com").await;
        let booked = app.book_slot(&me, amelia, slots[1].id).await.unwrap();
        clock.advance(jiff::SignedDuration::from_mins(5));

        // The search shows the times it could move to, not the one it has.
        let found = app
            .search_to_change(&me, booked.appointment.id, &SearchAnswers::default())
            .await
            .unwrap();
        assert_eq!(found.current.slot.id, slots[1].id);
        let offered: Vec<_> = found
            .result
            .unwrap()
            .choices
            .iter()
            .map(|c| c.view.slot.id)
            .collect();
        assert_eq!(offered, [slots[0].id, slots[2].id]);

        let moved = app
            .change_appointment(&me, booked.appointment.id, slots[2].id)
            .await
            .unwrap();
        assert_eq!(moved.slot.slot.id, slots[2].id);
        let (old, old_slot) = store
            .find_appointment(booked.appointment.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(old.status, AppointmentStatus::Cancelled);
        assert_eq!(old_slot.slot.status, SlotStatus::Free);
        let referral = store.find_referral(amelia).await.unwrap().unwrap();
        assert_eq!(referral.status, ReferralStatus::Booked, "still booked");

        // One message: changed, naming both appointments; not "cancelled" and "booked".
        let sent = store.outbox_for_patient(referral.patient_id).await.unwrap();
        let changed: Vec<_> = sent
            .iter()
            .filter(|m| m.template == MessageTemplate::AppointmentChanged)
            .collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].data.appointment_id, Some(moved.appointment.id));
        assert_eq!(
            changed[0].data.previous_appointment_id,
            Some(booked.appointment.id)
        );
        assert!(
            !templates(&store, amelia)
                .await
                .contains(&MessageTemplate::AppointmentCancelled)
        );
        // The time she gave up is offered to the person waiting.
        assert!(
            templates(&store, waiting)
                .await
                .contains(&MessageTemplate::SlotOffered)
        );
        let trail = store.audit_for_patient(referral.patient_id).await.unwrap();
        assert!(trail.iter().any(|a| a.route == "appointment.change"));
        assert!(trail.iter().any(|a| a.route == "portal.change_search"));

        // The old appointment is gone: it cannot be moved again; the new one can.
        assert!(matches!(
            app.change_appointment(&me, booked.appointment.id, slots[0].id)
                .await,
            Err(AppError::Conflict(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn refused_changes_change_nothing() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 3).await;
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        add_staff(
            &store,
            "bookings@jointly.example",
            Role::Coordinator,
            vec![clinic.service.id],
        )
        .await;
        add_staff(
            &store,
            "elsewhere@jointly.example",
            Role::Coordinator,
            vec![],
        )
        .await;
        let amelia = accepted(&app, "amelia@example.com", "Amelia", clinic.service.id).await;
        let tomasz = accepted(&app, "tomasz@example.com", "Tomasz", clinic.service.id).await;
        let bookings = staff(&app, "bookings@jointly.example").await;
        let hers = app
            .book_slot_for_patient(&bookings, amelia, slots[0].id)
            .await
            .unwrap();
        let his = app
            .book_slot_for_patient(&bookings, tomasz, slots[1].id)
            .await
            .unwrap();
        let before = templates(&store, amelia).await;

        // Into a time someone else has.
        assert!(matches!(
            app.change_appointment(&bookings, hers.appointment.id, slots[1].id)
                .await,
            Err(AppError::Conflict("slot_taken"))
        ));
        // Not a slot at all.
        assert!(matches!(
            app.change_appointment(
                &bookings,
                hers.appointment.id,
                jointly_domain::SlotId::new()
            )
            .await,
            Err(AppError::NotFound)
        ));
        // Someone else's appointment, by a patient; or by staff outside the service.
        let me = crate::sign_in_patient(&app, &store, "amelia@example.com").await;
        assert!(matches!(
            app.change_appointment(&me, his.appointment.id, slots[2].id)
                .await,
            Err(AppError::NotFound)
        ));
        let elsewhere = staff(&app, "elsewhere@jointly.example").await;
        assert!(matches!(
            app.change_appointment(&elsewhere, hers.appointment.id, slots[2].id)
                .await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.search_to_change(&elsewhere, hers.appointment.id, &SearchAnswers::default())
                .await,
            Err(AppError::NotFound)
        ));
        // A search the form got wrong is named by field.
        let bad = SearchAnswers {
            from: "the 31st of never".into(),
            ..SearchAnswers::default()
        };
        let found = app
            .search_to_change(&me, hers.appointment.id, &bad)
            .await
            .unwrap();
        assert_eq!(
            found.current.slot.id, slots[0].id,
            "still shows her appointment"
        );
        assert!(matches!(found.result, Err(e) if e.errors()[0].field == "from"));
        for (slot, status) in [
            (&slots[0], SlotStatus::Booked),
            (&slots[1], SlotStatus::Booked),
            (&slots[2], SlotStatus::Free),
        ] {
            assert_eq!(
                store.slot_view(slot.id).await.unwrap().unwrap().slot.status,
                status
            );
        }
        assert_eq!(
            store
                .find_appointment(hers.appointment.id)
                .await
                .unwrap()
                .unwrap()
                .0
                .status,
            AppointmentStatus::Booked
        );
        let after = templates(&store, amelia).await;
        assert_eq!(
            after
                .iter()
                .filter(|t| **t != MessageTemplate::SignInCode)
                .count(),
            before.len(),
            "no message for a refused change"
        );

        // Staff in the service move it for her, as when she phones.
        let moved = app
            .change_appointment(&bookings, hers.appointment.id, slots[2].id)
            .await
            .unwrap();
        assert_eq!(moved.appointment.slot_id, slots[2].id);
        let trail = store
            .audit_for_patient(moved.appointment.patient_id)
            .await
            .unwrap();
        assert!(trail.iter().any(|a| a.route == "appointment.change_for"));
        assert!(
            trail
                .iter()
                .any(|a| a.route == "booking.search" && a.outcome == "denied")
        );
    })
    .await;
}
