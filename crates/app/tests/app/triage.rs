//! Clinician triage: the queue, overriding with a reason, advice and guidance, questions and
//! replies, and the MDT flag.

use jointly_app::{AdviceForm, AppError, IntakeRoute, OrganisationForm, Principal, TriageForm};
use jointly_domain::access::Role;
use jointly_domain::intake::ProfessionalAnswers;
use jointly_domain::message::{MessageTemplate, Recipient};
use jointly_domain::pathway::Route;
use jointly_domain::referral::{ProblemArea, ReferralStatus};
use jointly_store::NoteKind;
use jointly_store::testing::{on_each_backend, seed_clinic};

use crate::{add_staff, answers, app, refer, sign_in_patient, staff};

#[tokio::test]
async fn the_queue_filters_by_suggested_service_and_area() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        refer(&app, &answers("knee@example.com")).await.unwrap();
        let mut foot = answers("foot@example.com");
        foot.person.given_name = "Fatima".into();
        foot.person.family_name = "Begum".into();
        foot.answers.insert("area".into(), "ankle_foot".into());
        refer(&app, &foot).await.unwrap();
        assert_eq!(
            app.triage_queue(&triage, None, None).await.unwrap().len(),
            2
        );
        let podiatry = app
            .triage_queue(&triage, Some(Route::Podiatry), None)
            .await
            .unwrap();
        assert_eq!(podiatry.len(), 1);
        assert_eq!(podiatry[0].referral.problem_area, ProblemArea::AnkleFoot);
        let knees = app
            .triage_queue(&triage, None, Some(ProblemArea::Knee))
            .await
            .unwrap();
        assert_eq!(knees.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn overriding_the_digital_triage_needs_a_reason_and_is_recorded() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = seed_clinic(&store).await;
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let sooner = TriageForm {
            service: clinic.service.id.to_string(),
            priority: "soon".into(),
            note: String::new(),
            version: "0".into(),
        };
        let err = app
            .accept_referral(&triage, receipt.referral_id, &sooner)
            .await
            .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e)
            if e.for_field("note").map(|f| f.problem) == Some("reason-required")));
        let with_reason = TriageForm {
            note: "Lives alone; falls risk".into(),
            ..sooner
        };
        app.accept_referral(&triage, receipt.referral_id, &with_reason)
            .await
            .unwrap();
        let view = app
            .referral_for_staff(&triage, receipt.referral_id)
            .await
            .unwrap();
        let decision = view.referral.decision.clone().unwrap();
        assert!(decision.overridden);
        assert_eq!(decision.reason.unwrap().as_str(), "Lives alone; falls risk");
        assert!(view.history.len() >= 2, "received and accepted");
    })
    .await;
}

#[tokio::test]
async fn advice_and_guidance_goes_back_to_the_professional_instead_of_an_appointment() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        add_staff(&store, "admin@jointly.example", Role::Administrator, vec![]).await;
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let admin = staff(&app, "admin@jointly.example").await;
        let practice = app
            .register_organisation(
                &admin,
                &OrganisationForm {
                    ods_code: "Y01234".into(),
                    name: "Marsh Lane Surgery".into(),
                    kind: "general_practice".into(),
                    contact_email: "referrals@marsh-lane.example".into(),
                },
            )
            .await
            .unwrap();
        let again = app
            .register_organisation(
                &admin,
                &OrganisationForm {
                    ods_code: "Y01234".into(),
                    name: "Copy".into(),
                    kind: "pharmacy".into(),
                    contact_email: "x@example.com".into(),
                },
            )
            .await;
        assert!(matches!(&again, Err(AppError::Invalid(e))
            if e.for_field("ods_code").map(|f| f.problem) == Some("taken")));

        let mut intake = answers("gp@example.com");
        intake.professional = Some(ProfessionalAnswers {
            ods_code: "Y01234".into(),
            referrer_name: "Dr Ada Obi".into(),
            referrer_role: "general_practitioner".into(),
            referrer_phone: String::new(),
            referrer_email: "ada@marsh-lane.example".into(),
        });
        let receipt = app
            .submit_intake(
                &Principal::Anonymous,
                IntakeRoute::ProfessionalForm,
                &intake,
            )
            .await
            .unwrap();
        let self_referral = refer(&app, &{
            let mut other = answers("self@example.com");
            other.person.given_name = "Sam".into();
            other.person.family_name = "Lee".into();
            other
        })
        .await
        .unwrap();
        let triage = staff(&app, "triage@jointly.example").await;
        let advice = AdviceForm {
            advice: "Try a knee support and the exercises; refer again if no better in 6 weeks."
                .into(),
            to_referrer: "yes".into(),
            reason: String::new(),
            version: "0".into(),
        };
        let err = app
            .give_advice(&triage, self_referral.referral_id, &advice)
            .await
            .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.errors()[0].field == "to_referrer"));
        let err = app
            .give_advice(&triage, receipt.referral_id, &advice)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, AppError::Invalid(e)
            if e.for_field("reason").map(|f| f.problem) == Some("reason-required")),
            "physiotherapy was suggested: closing it needs a reason"
        );
        let advice = AdviceForm {
            reason: "Mild symptoms; GP can manage".into(),
            ..advice
        };
        app.give_advice(&triage, receipt.referral_id, &advice)
            .await
            .unwrap();
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::AdviceGiven);
        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(
            outbox
                .iter()
                .any(|e| e.template == MessageTemplate::AdviceAndGuidance
                    && e.recipient == Recipient::Organisation(practice.id))
        );
        assert!(
            outbox
                .iter()
                .any(|e| e.template == MessageTemplate::AdviceGiven
                    && e.recipient == Recipient::Patient(referral.patient_id))
        );
    })
    .await;
}

#[tokio::test]
async fn a_clinician_asks_a_question_and_the_person_replies_in_the_portal() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let me = sign_in_patient(&app, &store, "amelia@example.com").await;
        assert!(matches!(
            app.reply_to_question(&me, receipt.referral_id, "Hello").await,
            Err(AppError::Invalid(e)) if e.errors()[0].problem == "no-question"
        ));
        assert!(matches!(
            app.ask_patient(&triage, receipt.referral_id, "  ", "0")
                .await,
            Err(AppError::Invalid(_))
        ));
        app.ask_patient(
            &triage,
            receipt.referral_id,
            "Does your knee lock or give way?",
            "0",
        )
        .await
        .unwrap();
        assert!(matches!(
            app.ask_patient(&triage, receipt.referral_id, "Again?", "0")
                .await,
            Err(AppError::Conflict("referral_changed"))
        ));
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert!(referral.awaiting_reply);
        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(
            outbox
                .iter()
                .any(|e| e.template == MessageTemplate::QuestionFromClinician)
        );

        let overview = app.portal_overview(&me).await.unwrap();
        assert_eq!(overview.referrals[0].notes[0].kind, NoteKind::Question);
        app.reply_to_question(&me, receipt.referral_id, "It gives way on stairs")
            .await
            .unwrap();
        let view = app
            .referral_for_staff(&triage, receipt.referral_id)
            .await
            .unwrap();
        assert!(!view.referral.awaiting_reply);
        assert_eq!(view.notes[1].kind, NoteKind::Reply);
        assert_eq!(view.notes[1].body.as_str(), "It gives way on stairs");

        app.request_mdt(
            &triage,
            receipt.referral_id,
            &view.referral.version.to_string(),
        )
        .await
        .unwrap();
        assert!(
            store
                .find_referral(receipt.referral_id)
                .await
                .unwrap()
                .unwrap()
                .mdt
        );
        let other = sign_in_patient(&app, &store, "amelia@example.com").await;
        let _ = other;
        add_staff(&store, "coord@jointly.example", Role::Coordinator, vec![]).await;
        let coordinator = staff(&app, "coord@jointly.example").await;
        assert!(matches!(
            app.request_mdt(&coordinator, receipt.referral_id, "3")
                .await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}
