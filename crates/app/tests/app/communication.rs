//! Communication that follows the person: someone who reads Urdu, needs large print and a
//! British Sign Language interpreter, and has no internet gets every message of the journey
//! as a large-print Urdu letter, whatever channel the message was first queued for.

use std::sync::Arc;

use jointly_app::{AppError, Intake};
use jointly_domain::access::Role;
use jointly_domain::communication::{CommunicationAnswers, Interpreter, Need};
use jointly_domain::intake::{DateParts, PersonAnswers};
use jointly_domain::message::MessageTemplate;
use jointly_notify::{
    DeliveryWorker, FileChannel, PrintChannel, Renderer, RoutedChannel, TeamDetails, WorkerSettings,
};
use jointly_store::OutboxStatus;
use jointly_store::testing::{on_each_backend, seed_clinic, seed_slots};

use crate::{add_staff, app, knee_answers, refer, routine, staff};

fn amina() -> Intake {
    Intake {
        person: PersonAnswers {
            given_name: "Amina".into(),
            family_name: "Hussain".into(),
            date_of_birth: DateParts::from_iso("1949-07-02"),
            sex: "female".into(),
            preferred_language: "ur".into(),
            phone: "01582 400400".into(),
            address_line1: "12 Dunstable Road".into(),
            town: "Luton".into(),
            postcode: "LU1 1EA".into(),
            // She asked for calls; her recorded needs (large print, no internet) add letters first.
            preferred_contact: "telephone".into(),
            ..PersonAnswers::default()
        },
        answers: {
            let mut answers = knee_answers();
            answers.insert(
                "communication".into(),
                "I am deaf and use BSL. Please write to me in large print.".into(),
            );
            answers
        },
        ..Intake::default()
    }
}

#[tokio::test]
async fn urdu_large_print_bsl_and_no_internet_get_every_message_as_a_large_print_urdu_letter() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 2).await;
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        add_staff(
            &store,
            "coordinator@jointly.example",
            Role::Coordinator,
            vec![clinic.service.id],
        )
        .await;
        add_staff(&store, "elsewhere@jointly.example", Role::Clinician, vec![]).await;

        let receipt = refer(&app, &amina()).await.unwrap();
        // At intake: she reads Urdu and told us in her own words what helps; both are recorded,
        // and staff are asked to code her needs.
        let first = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        let noted = store.communication_profile(first.patient_id).await.unwrap();
        assert_eq!(
            noted.needs.interpreter_language,
            jointly_domain::patient::Language::parse("ur").ok()
        );
        assert_eq!(
            noted.needs.details.as_deref(),
            Some("I am deaf and use BSL. Please write to me in large print.")
        );
        let tasks = store.tasks_for_referral(receipt.referral_id).await.unwrap();
        assert!(
            tasks
                .iter()
                .any(|t| t.kind == jointly_domain::task::TaskKind::CommunicationNeeds)
        );
        let triage = staff(&app, "triage@jointly.example").await;
        let needs = CommunicationAnswers {
            needs: vec!["large_print_24".into(), "bsl_interpreter".into()],
            digitally_excluded: "yes".into(),
            communication_details: "Her daughter helps with forms.".into(),
            ..CommunicationAnswers::default()
        };
        // Bad input is named and changes nothing.
        let bad = CommunicationAnswers {
            needs: vec!["semaphore".into()],
            ..needs.clone()
        };
        assert!(matches!(
            app.set_communication_for_referral(&triage, receipt.referral_id, &bad).await,
            Err(AppError::Invalid(e)) if e.errors()[0].field == "needs"
        ));
        let patient = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        assert_eq!(
            store.communication_profile(patient).await.unwrap(),
            noted,
            "a refused change changes nothing"
        );
        // Only staff with a relationship to the referral may record them.
        let elsewhere = staff(&app, "elsewhere@jointly.example").await;
        assert!(matches!(
            app.set_communication_for_referral(&elsewhere, receipt.referral_id, &needs)
                .await,
            Err(AppError::NotFound)
        ));
        app.set_communication_for_referral(&triage, receipt.referral_id, &needs)
            .await
            .unwrap();
        let view = app
            .referral_for_staff(&triage, receipt.referral_id)
            .await
            .unwrap();
        assert_eq!(
            view.communication.needs.needs,
            [Need::LargePrint24, Need::BslInterpreter]
        );
        assert_eq!(
            view.communication.needs.interpreter(),
            Some(Interpreter::Professional(Need::BslInterpreter))
        );

        app.accept_referral(&triage, receipt.referral_id, &routine(clinic.service.id))
            .await
            .unwrap();
        // The times straight after both slots are free, so her appointment can run double.
        let following = |slot: &jointly_domain::slot::Slot| jointly_domain::slot::Slot {
            id: jointly_domain::SlotId::new(),
            start: slot.end,
            end: slot.end + jiff::SignedDuration::from_mins(30),
            ..slot.clone()
        };
        let (after, later_after) = (following(&slots[0]), following(&slots[1]));
        let mut tx = store.begin().await.unwrap();
        tx.insert_slots(
            &[after.clone(), later_after.clone()],
            jointly_store::testing::now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let coordinator = staff(&app, "coordinator@jointly.example").await;
        let booked = app
            .book_slot_for_patient(&coordinator, receipt.referral_id, slots[0].id)
            .await
            .unwrap();
        assert_eq!(
            booked.appointment.interpreter,
            Some(Interpreter::Professional(Need::BslInterpreter))
        );
        assert_eq!(booked.appointment.extra_slot_id, Some(after.id));
        assert_eq!(
            store
                .slot_view(after.id)
                .await
                .unwrap()
                .unwrap()
                .slot
                .status,
            jointly_domain::slot::SlotStatus::Blocked
        );
        let list = store.clinic_list(slots[0].start, after.end).await.unwrap();
        assert_eq!(
            list[0].end, after.end,
            "the clinic list shows the double appointment"
        );
        assert_eq!(
            list[0].interpreter,
            Some(Interpreter::Professional(Need::BslInterpreter))
        );

        // She phones to move it a day later: the double time moves with it.
        clock.advance(jiff::SignedDuration::from_mins(5));
        let booked = app
            .change_appointment(&coordinator, booked.appointment.id, slots[1].id)
            .await
            .unwrap();
        assert_eq!(
            booked.appointment.interpreter,
            Some(Interpreter::Professional(Need::BslInterpreter))
        );
        assert_eq!(booked.appointment.extra_slot_id, Some(later_after.id));
        let status = async |slot: jointly_domain::SlotId| {
            store.slot_view(slot).await.unwrap().unwrap().slot.status
        };
        assert_eq!(
            status(after.id).await,
            jointly_domain::slot::SlotStatus::Free
        );
        assert_eq!(
            status(later_after.id).await,
            jointly_domain::slot::SlotStatus::Blocked
        );

        let folder =
            std::env::temp_dir().join(format!("jointly-comms-{}", uuid::Uuid::new_v4().simple()));
        let electronic = Arc::new(FileChannel::new(folder.join("electronic")).unwrap());
        let channel = Arc::new(RoutedChannel {
            text: electronic.clone(),
            email: electronic,
            post: Arc::new(PrintChannel::new(folder.join("print")).unwrap()),
        });
        let renderer = Arc::new(
            Renderer::new(TeamDetails {
                name: "Jointly MSK".into(),
                phone: "0300 123 4567".into(),
                public_url: "http://localhost".into(),
            })
            .unwrap(),
        );
        let worker = DeliveryWorker::new(
            store.clone(),
            renderer,
            channel,
            clock.clone(),
            WorkerSettings::default(),
        );
        let outcome = worker.run_once().await.unwrap();
        let messages = store.outbox_for_patient(patient).await.unwrap();
        let templates: Vec<_> = messages.iter().map(|m| m.template).collect();
        for expected in [
            MessageTemplate::ReferralReceived,
            MessageTemplate::ReferralAccepted,
            MessageTemplate::AppointmentBooked,
            MessageTemplate::AppointmentChanged,
        ] {
            assert!(
                templates.contains(&expected),
                "{expected:?} in {templates:?}"
            );
        }
        assert_eq!(outcome.delivered, messages.len(), "{outcome:?}");
        for message in &messages {
            assert_eq!(message.status, OutboxStatus::Sent, "{:?}", message.template);
            assert_eq!(
                message.channel,
                jointly_domain::contact::ContactChannel::Letter,
                "{:?}",
                message.template
            );
            let job: serde_json::Value = serde_json::from_slice(
                &std::fs::read(folder.join("print").join(format!("{}.json", message.id))).unwrap(),
            )
            .unwrap();
            assert_eq!(job["language"], "ur");
            assert_eq!(job["format"], "large_print");
            assert_eq!(job["point_size"], 24);
            assert!(
                folder
                    .join("print")
                    .join(format!("{}.pdf", message.id))
                    .exists()
            );
        }
        assert!(
            !folder.join("electronic").read_dir().unwrap().any(|_| true),
            "nothing by text or email"
        );
        // Every message is in her portal inbox too, in Urdu, for the day she does go online.
        let inbox = store.portal_messages(patient, 10).await.unwrap();
        assert_eq!(inbox.len(), messages.len());
        assert!(inbox.iter().all(|m| {
            m.body.contains("0300 123 4567")
                && m.body
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
        }));
        // Cancelling gives the extra time back too.
        app.cancel_appointment_for_patient(&coordinator, booked.appointment.id)
            .await
            .unwrap();
        assert_eq!(
            status(later_after.id).await,
            jointly_domain::slot::SlotStatus::Free
        );
        // A year on, staff are asked once to check her needs are still right.
        assert_eq!(app.raise_communication_reviews().await.unwrap(), 0);
        clock.advance(jiff::SignedDuration::from_hours(24 * 366));
        assert_eq!(app.raise_communication_reviews().await.unwrap(), 1);
        assert_eq!(
            app.raise_communication_reviews().await.unwrap(),
            0,
            "asked once"
        );
        std::fs::remove_dir_all(folder).unwrap();
    })
    .await;
}
