//! The passport's records round trip on both backends; a change made from an old version is
//! refused and changes nothing.

use jointly_domain::access::Role;
use jointly_domain::appointment::book;
use jointly_domain::conversation::Author;
use jointly_domain::event::Actor;
use jointly_domain::passport::{
    About, AboutAnswers, ClinicalNoteAnswers, EntryKind, GoalStatus, change_about,
    new_clinical_note, new_entry, new_goal,
};
use jointly_domain::{AppointmentId, ClinicalNoteId, GoalId, PassportEntryId};
use jointly_store::StoreError;
use jointly_store::testing::{
    now, on_each_backend, seed_clinic, seed_slots, seed_staff, seed_waiting_referral,
};

#[tokio::test]
async fn the_passport_round_trips_and_is_changed_only_from_the_version_read() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 1).await;
        let (patient, mut referral) = seed_waiting_referral(&store, clinic.service.id).await;
        let physio = seed_staff(&store, Role::Clinician, false).await;
        let me = Author::Patient(patient.id);

        assert_eq!(
            store.passport_about(patient.id).await.unwrap(),
            About::default()
        );
        let answers = AboutAnswers {
            what_matters: "Getting back to five-a-side".into(),
            sleep: "Wakes at night with the pain".into(),
            version: "0".into(),
            ..AboutAnswers::default()
        };
        let first = change_about(&About::default(), &answers, me, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.save_passport_about(patient.id, &first).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.passport_about(patient.id).await.unwrap(), first);

        // Two people change version 1 at once: the second is refused, the first kept.
        let answers = AboutAnswers {
            mood: "Low since stopping football".into(),
            version: "1".into(),
            ..answers
        };
        let staff = Author::Staff(physio.id);
        let second = change_about(&first, &answers, staff, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.save_passport_about(patient.id, &second).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.save_passport_about(patient.id, &second).await,
            Err(StoreError::Conflict("passport_changed"))
        ));
        drop(tx);
        // A second first version also loses.
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.save_passport_about(patient.id, &first).await,
            Err(StoreError::Conflict("passport_changed"))
        ));
        drop(tx);
        assert_eq!(store.passport_about(patient.id).await.unwrap(), second);

        let mut goal = new_goal(patient.id, "Play a full match", me, GoalId::new(), now()).unwrap();
        let note = new_entry(
            patient.id,
            EntryKind::PatientNote,
            "Exercises easier this week",
            me,
            PassportEntryId::new(),
            now(),
        )
        .unwrap();
        let (appointment, _) = book(
            &slots[0],
            &mut referral,
            AppointmentId::new(),
            Actor::System,
            now(),
        )
        .unwrap();
        let plan = new_entry(
            patient.id,
            EntryKind::TreatmentPlan(appointment.id),
            "Squats twice a day; we will see you in four weeks.",
            staff,
            PassportEntryId::new(),
            now() + jiff::SignedDuration::from_mins(1),
        )
        .unwrap();
        let clinical = new_clinical_note(
            patient.id,
            appointment.id,
            &ClinicalNoteAnswers {
                subjective: "Pain on stairs".into(),
                assessment: "Patellofemoral pain".into(),
                plan: "Strengthening".into(),
                ..ClinicalNoteAnswers::default()
            },
            physio.id,
            ClinicalNoteId::new(),
            now(),
        )
        .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.take_free_slot(slots[0].id, now()).await.unwrap();
        tx.insert_appointments(std::slice::from_ref(&appointment), now())
            .await
            .unwrap();
        tx.insert_goal(&goal).await.unwrap();
        tx.insert_passport_entry(&note).await.unwrap();
        tx.insert_passport_entry(&plan).await.unwrap();
        tx.insert_clinical_note(&clinical).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.passport_goals(patient.id).await.unwrap(),
            [goal.clone()]
        );
        assert_eq!(
            store.passport_entries(patient.id).await.unwrap(),
            [note, plan]
        );
        assert_eq!(store.clinical_notes(patient.id).await.unwrap(), [clinical]);

        goal.status = GoalStatus::Achieved;
        goal.updated_at = now() + jiff::SignedDuration::from_hours(24);
        let mut tx = store.begin().await.unwrap();
        tx.update_goal_status(&goal).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.find_goal(goal.id).await.unwrap(), Some(goal));
    })
    .await;
}

#[tokio::test]
async fn a_referral_has_one_discharge_summary_and_signpostings_round_trip() {
    use jointly_domain::SignpostingId;
    use jointly_domain::directory::{Resource, SignpostAction, Signposting};

    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let (patient, referral) = seed_waiting_referral(&store, clinic.service.id).await;
        let physio = seed_staff(&store, Role::Clinician, false).await;
        let summary = |words: &str| {
            jointly_domain::passport::new_discharge_summary(
                &referral,
                false,
                words,
                physio.id,
                PassportEntryId::new(),
                now(),
            )
            .unwrap()
        };
        let first = summary("Stronger; keep walking.");
        let mut tx = store.begin().await.unwrap();
        tx.insert_passport_entry(&first).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.find_passport_entry(first.id).await.unwrap(),
            Some(first.clone())
        );
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.insert_passport_entry(&summary("A second one")).await,
            Err(StoreError::Conflict(_))
        ));
        drop(tx);
        assert_eq!(store.passport_entries(patient.id).await.unwrap(), [first]);

        let signposting = Signposting {
            id: SignpostingId::new(),
            patient_id: patient.id,
            resource: Resource::Service("working-well".into()),
            action: SignpostAction::Referred,
            note: Some("Ask about changes at work.".into()),
            by: physio.id,
            at: now(),
        };
        let page = Signposting {
            id: SignpostingId::new(),
            resource: Resource::Topic("knee-pain".into()),
            action: SignpostAction::Signposted,
            note: None,
            at: now() + jiff::SignedDuration::from_mins(1),
            ..signposting.clone()
        };
        let mut tx = store.begin().await.unwrap();
        tx.insert_signposting(&signposting).await.unwrap();
        tx.insert_signposting(&page).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.signpostings(patient.id).await.unwrap(),
            [signposting, page]
        );
    })
    .await;
}
