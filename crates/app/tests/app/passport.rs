//! The passport: the person and their clinicians write in it; the care team alone reads the
//! clinical notes; anyone without a relationship is refused and audited; a change made from an
//! old version is refused.

use jointly_app::{AppError, ClinicOutcome, TimelineItem};
use jointly_domain::access::Role;
use jointly_domain::passport::{AboutAnswers, ClinicalNoteAnswers, EntryKind, GoalStatus};
use jointly_store::testing::{on_each_backend, seed_clinic, seed_slots};

use crate::{add_staff, answers, app, refer, routine, sign_in_patient, staff};

#[tokio::test]
async fn the_person_and_their_clinicians_share_one_passport() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 1).await;
        let service = vec![clinic.service.id];
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        add_staff(
            &store,
            "physio@jointly.example",
            Role::Clinician,
            service.clone(),
        )
        .await;
        add_staff(&store, "desk@jointly.example", Role::Coordinator, service).await;
        add_staff(&store, "elsewhere@jointly.example", Role::Clinician, vec![]).await;
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(&triage, receipt.referral_id, &routine(clinic.service.id))
            .await
            .unwrap();
        let me = sign_in_patient(&app, &store, "amelia@example.com").await;
        let physio = staff(&app, "physio@jointly.example").await;
        let desk = staff(&app, "desk@jointly.example").await;
        let elsewhere = staff(&app, "elsewhere@jointly.example").await;
        let patient = app.own_passport(&me).await.unwrap().patient.id;

        // What matters, from the version each saw: the second writer of version 0 is refused.
        let about = AboutAnswers {
            what_matters: "Walking my dog every morning".into(),
            work: "Nurse on night shifts".into(),
            version: "0".into(),
            ..AboutAnswers::default()
        };
        app.change_passport_about(&me, patient, &about)
            .await
            .unwrap();
        assert!(matches!(
            app.change_passport_about(&physio, patient, &about).await,
            Err(AppError::Conflict("passport_changed"))
        ));
        let bad = AboutAnswers {
            mood: "x".repeat(1_001),
            version: "1".into(),
            ..AboutAnswers::default()
        };
        assert!(matches!(
            app.change_passport_about(&physio, patient, &bad).await,
            Err(AppError::Invalid(e)) if e.errors()[0].field == "mood"
        ));

        // Goals: set by her, marked achieved by her physiotherapist.
        let goal = app
            .add_goal(&me, patient, "Walk to the park and back")
            .await
            .unwrap();
        assert!(matches!(
            app.set_goal_status(&physio, goal.id, "nearly").await,
            Err(AppError::Invalid(_))
        ));
        let done = app
            .set_goal_status(&physio, goal.id, "achieved")
            .await
            .unwrap();
        assert_eq!(done.status, GoalStatus::Achieved);
        app.add_own_note(&me, "The exercises hurt less this week.")
            .await
            .unwrap();

        // Notes and plans come after she is seen, from a clinician in the service.
        let booked = app
            .book_slot_for_patient(&desk, receipt.referral_id, slots[0].id)
            .await
            .unwrap();
        let id = booked.appointment.id;
        let plan = "Keep doing the squats twice a day. We will see you again in four weeks.";
        assert!(matches!(
            app.write_treatment_plan(&physio, id, plan).await,
            Err(AppError::Conflict("not_seen"))
        ));
        clock.advance(jiff::SignedDuration::from_hours(24));
        app.record_clinic_outcome(&desk, id, ClinicOutcome::CheckedIn)
            .await
            .unwrap();
        assert!(
            matches!(
                app.write_treatment_plan(&desk, id, plan).await,
                Err(AppError::Forbidden)
            ),
            "coordinators do not write clinical notes"
        );
        assert!(matches!(
            app.write_treatment_plan(&elsewhere, id, plan).await,
            Err(AppError::NotFound)
        ));
        app.write_treatment_plan(&physio, id, plan).await.unwrap();
        let missing = ClinicalNoteAnswers {
            subjective: "Knee aches after shifts".into(),
            ..ClinicalNoteAnswers::default()
        };
        assert!(matches!(
            app.write_clinical_note(&physio, id, &missing).await,
            Err(AppError::Invalid(e)) if e.errors().len() == 2
        ));
        let note = ClinicalNoteAnswers {
            assessment: "Patellofemoral pain".into(),
            plan: "Progress loading; review in 4 weeks".into(),
            ..missing
        };
        app.write_clinical_note(&physio, id, &note).await.unwrap();

        // She reads her plan and her note, not the clinical note; the care team reads all.
        let hers = app.own_passport(&me).await.unwrap();
        assert_eq!(
            hers.about.what_matters.as_deref(),
            Some("Walking my dog every morning")
        );
        assert_eq!(hers.goals.len(), 1);
        assert_eq!(hers.key_contact.as_deref(), Some("Test triage_clinician"));
        assert!(!hers.care_team);
        let plans: Vec<_> = hers
            .timeline
            .iter()
            .filter_map(|item| match item {
                TimelineItem::Entry(e) if matches!(e.kind, EntryKind::TreatmentPlan(_)) => {
                    Some(e.body.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(plans, [plan]);
        assert!(
            !hers
                .timeline
                .iter()
                .any(|i| matches!(i, TimelineItem::ClinicalNote(_)))
        );
        assert!(
            hers.timeline.windows(2).all(|w| w[0].at() <= w[1].at()),
            "in time order"
        );
        let theirs = app.passport(&physio, patient).await.unwrap();
        assert!(theirs.care_team);
        assert!(
            theirs
                .timeline
                .iter()
                .any(|i| matches!(i, TimelineItem::ClinicalNote(_)))
        );
        assert!(
            theirs
                .timeline
                .iter()
                .any(|i| matches!(i, TimelineItem::Accepted(..)))
        );

        // Nobody else: not a clinician elsewhere, not another patient. Refusals are audited.
        assert!(matches!(
            app.passport(&elsewhere, patient).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            app.add_goal(&elsewhere, patient, "Anything").await,
            Err(AppError::NotFound)
        ));
        let stranger = jointly_app::Intake {
            person: jointly_domain::intake::PersonAnswers {
                given_name: "Bea".into(),
                family_name: "Stranger".into(),
                ..crate::person("other@example.com")
            },
            ..answers("other@example.com")
        };
        refer(&app, &stranger).await.unwrap();
        let other = sign_in_patient(&app, &store, "other@example.com").await;
        assert!(matches!(
            app.passport(&other, patient).await,
            Err(AppError::NotFound)
        ));
        let trail = store.audit_for_patient(patient).await.unwrap();
        assert!(
            trail
                .iter()
                .any(|a| a.route == "passport.view" && a.outcome == "allowed")
        );
        assert!(
            trail
                .iter()
                .any(|a| a.route == "passport.view" && a.outcome == "denied")
        );
        assert!(trail.iter().any(|a| a.route == "passport.plan"));
    })
    .await;
}
