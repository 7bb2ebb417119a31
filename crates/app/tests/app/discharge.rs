//! Discharge with a summary, and signposting: the summary discharges the referral with its
//! open-access window, goes in the passport, to the person by letter (she has no internet) and
//! to her GP practice by email, in one transaction; bad input changes nothing; a second summary,
//! a clinician elsewhere and a coordinator are refused. Signposting goes in the passport.

use std::sync::Arc;

use jointly_app::{AppError, ClinicOutcome, DischargeForm, OrganisationForm, TimelineItem};
use jointly_domain::access::Role;
use jointly_domain::contact::ContactChannel;
use jointly_domain::directory::{Resource, SignpostAction, SignpostAnswers};
use jointly_domain::message::{MessageTemplate, Recipient};
use jointly_domain::passport::EntryKind;
use jointly_domain::referral::ReferralStatus;
use jointly_notify::{
    DeliveryWorker, FileChannel, PrintChannel, Renderer, RoutedChannel, TeamDetails, WorkerSettings,
};
use jointly_store::OutboxStatus;
use jointly_store::testing::{on_each_backend, seed_clinic, seed_slots};

use crate::{add_staff, answers, app, person, refer, routine, staff};

/// Wiktor, who reads Polish and has no internet: letters to his address.
fn wiktor() -> jointly_app::Intake {
    jointly_app::Intake {
        person: jointly_domain::intake::PersonAnswers {
            given_name: "Wiktor".into(),
            family_name: "Nowak".into(),
            email: String::new(),
            preferred_language: "pl".into(),
            preferred_contact: "letter".into(),
            address_line1: "4 Castle Road".into(),
            town: "Bedford".into(),
            postcode: "MK40 3PD".into(),
            ..person("")
        },
        ..answers("")
    }
}

#[tokio::test]
async fn a_discharge_summary_reaches_the_person_by_letter_and_their_gp_by_email() {
    on_each_backend(|store| async move {
        let (app, clock) = app(&store);
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 1).await;
        let service = vec![clinic.service.id];
        add_staff(&store, "triage@jointly.example", Role::TriageClinician, vec![]).await;
        add_staff(&store, "physio@jointly.example", Role::Clinician, service.clone()).await;
        add_staff(&store, "desk@jointly.example", Role::Coordinator, service).await;
        add_staff(&store, "elsewhere@jointly.example", Role::Clinician, vec![]).await;
        add_staff(&store, "admin@jointly.example", Role::Administrator, vec![]).await;
        let admin = staff(&app, "admin@jointly.example").await;
        let practice = app
            .register_organisation(
                &admin,
                &OrganisationForm {
                    ods_code: "y01234".into(),
                    name: "Marsh Lane Surgery".into(),
                    kind: "general_practice".into(),
                    contact_email: "referrals@marsh-lane.example".into(),
                },
            )
            .await
            .unwrap()
            .id;
        let receipt = refer(&app, &wiktor()).await.unwrap();
        let referral = receipt.referral_id;
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(&triage, referral, &routine(clinic.service.id))
            .await
            .unwrap();
        let physio = staff(&app, "physio@jointly.example").await;
        let desk = staff(&app, "desk@jointly.example").await;
        let elsewhere = staff(&app, "elsewhere@jointly.example").await;

        // Seen once, with a follow-up: the plan goes to him by letter.
        let booked = app
            .book_slot_for_patient(&desk, referral, slots[0].id)
            .await
            .unwrap();
        clock.advance(jiff::SignedDuration::from_hours(24));
        let appointment = booked.appointment.id;
        app.record_clinic_outcome(&desk, appointment, ClinicOutcome::CheckedIn)
            .await
            .unwrap();
        let plan = "Walk every day and do the knee exercises twice a day.";
        app.write_treatment_plan(&physio, appointment, plan)
            .await
            .unwrap();
        app.record_clinic_outcome(&desk, appointment, ClinicOutcome::AttendedFollowUp)
            .await
            .unwrap();

        let view = app.discharge_view(&physio, referral).await.unwrap();
        assert!(view.discharges() && view.can_write());
        assert_eq!(view.practices.len(), 1);
        let version = view.referral.version.to_string();
        let blank = DischargeForm {
            summary: " ".into(),
            gp_practice: String::new(),
            measures: "yes".into(),
            version: version.clone(),
        };
        let Err(AppError::Invalid(errors)) =
            app.write_discharge_summary(&physio, referral, &blank).await
        else {
            panic!("a blank summary is refused");
        };
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field.as_ref()).collect();
        assert_eq!(fields, ["summary", "gp_practice"], "in the order of the form");
        let unchanged = store.find_referral(referral).await.unwrap().unwrap();
        assert_eq!(unchanged.status, ReferralStatus::Waiting, "nothing changed");
        for refused in [&elsewhere, &desk] {
            assert!(matches!(
                app.write_discharge_summary(refused, referral, &blank).await,
                Err(AppError::NotFound | AppError::Forbidden)
            ));
        }

        let summary = "Your knee is much stronger. Keep walking every day.";
        let form = DischargeForm {
            summary: summary.into(),
            gp_practice: practice.to_string(),
            measures: "yes".into(),
            version: version.clone(),
        };
        app.write_discharge_summary(&physio, referral, &form)
            .await
            .unwrap();
        let discharged = store.find_referral(referral).await.unwrap().unwrap();
        assert_eq!(discharged.status, ReferralStatus::Discharged);
        assert!(discharged.open_access_until.is_some(), "the window opens");
        let Err(AppError::Invalid(errors)) = app
            .write_discharge_summary(
                &physio,
                referral,
                &DischargeForm {
                    version: discharged.version.to_string(),
                    ..form.clone()
                },
            )
            .await
        else {
            panic!("one summary per referral");
        };
        assert_eq!(errors.errors()[0].problem, "already-written");

        let patient = discharged.patient_id;
        let queued = store.outbox_for_patient(patient).await.unwrap();
        let of = |template| queued.iter().filter(|m| m.template == template).count();
        assert_eq!(of(MessageTemplate::TreatmentPlan), 1);
        assert_eq!(of(MessageTemplate::DischargeSummary), 1);
        assert_eq!(of(MessageTemplate::MeasuresDue), 1);
        assert_eq!(of(MessageTemplate::Discharged), 0, "the summary says it instead");
        assert_eq!(
            of(MessageTemplate::FeedbackRequest),
            3,
            "asked after triage, after the appointment and at discharge"
        );
        let gp = queued
            .iter()
            .find(|m| m.template == MessageTemplate::DischargeSummaryToGp)
            .expect("the GP practice is sent a copy");
        assert_eq!(gp.recipient, Recipient::Organisation(practice));

        // He reads it in his passport (and on paper).
        let me = app.passport(&physio, patient).await.unwrap();
        assert!(me.timeline.iter().any(|i| matches!(
            i,
            TimelineItem::Entry(e) if e.kind == EntryKind::DischargeSummary(referral) && e.body == summary
        )));

        // Delivered: letters in Polish with the words in them; the practice by email.
        let folder =
            std::env::temp_dir().join(format!("jointly-discharge-{}", uuid::Uuid::new_v4().simple()));
        let electronic = Arc::new(FileChannel::new(folder.join("electronic")).unwrap());
        let worker = DeliveryWorker::new(
            store.clone(),
            Arc::new(
                Renderer::new(TeamDetails {
                    name: "Jointly MSK".into(),
                    phone: "0300 123 4567".into(),
                    public_url: "http://localhost".into(),
                })
                .unwrap(),
            ),
            Arc::new(RoutedChannel {
                text: electronic.clone(),
                email: electronic,
                post: Arc::new(PrintChannel::new(folder.join("print")).unwrap()),
            }),
            clock.clone(),
            WorkerSettings::default(),
        );
        worker.run_once().await.unwrap();
        let sent = store.outbox_for_patient(patient).await.unwrap();
        for template in [
            MessageTemplate::TreatmentPlan,
            MessageTemplate::DischargeSummary,
            MessageTemplate::DischargeSummaryToGp,
        ] {
            let message = sent.iter().find(|m| m.template == template).unwrap();
            assert_eq!(message.status, OutboxStatus::Sent, "{template:?}");
            let expected = if template == MessageTemplate::DischargeSummaryToGp {
                ContactChannel::Email
            } else {
                ContactChannel::Letter
            };
            assert_eq!(message.channel, expected, "{template:?}");
        }
        let inbox = store.portal_messages(patient, 20).await.unwrap();
        assert!(inbox.iter().any(|m| m.body.contains(summary) && m.body.contains("Oto podsumowanie")));
        assert!(inbox.iter().any(|m| m.body.contains(plan)));
        let emailed: Vec<String> = std::fs::read_dir(folder.join("electronic"))
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .collect();
        assert!(
            emailed
                .iter()
                .any(|e| e.contains("referrals@marsh-lane.example") && e.contains(summary)),
            "{emailed:?}"
        );
        let _ = std::fs::remove_dir_all(folder);
    })
    .await;
}

#[tokio::test]
async fn signposting_goes_in_the_passport_and_only_for_the_care_team() {
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
        add_staff(
            &store,
            "desk@jointly.example",
            Role::Coordinator,
            vec![clinic.service.id],
        )
        .await;
        add_staff(&store, "elsewhere@jointly.example", Role::Clinician, vec![]).await;
        let receipt = refer(&app, &answers("sign.post@example.com"))
            .await
            .unwrap();
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(&triage, receipt.referral_id, &routine(clinic.service.id))
            .await
            .unwrap();
        let patient = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap()
            .patient_id;

        let view = app.signpostings(&triage, patient).await.unwrap();
        assert_eq!(
            view.suggested_topics,
            ["knee-pain"],
            "pages about her knee first"
        );
        let to_page = SignpostAnswers {
            resource: "topic:knee-pain".into(),
            action: "referred".into(),
            note: String::new(),
        };
        assert!(matches!(
            app.signpost(&triage, patient, &to_page).await,
            Err(AppError::Invalid(e)) if e.errors()[0].problem == "not-a-service"
        ));
        assert!(
            app.signpostings(&triage, patient)
                .await
                .unwrap()
                .signpostings
                .is_empty()
        );
        let to_service = SignpostAnswers {
            resource: "service:luton-strength-and-balance".into(),
            action: "referred".into(),
            note: "Tuesday evenings suit her shifts.".into(),
        };
        for refused in [
            &elsewhere_of(&app).await,
            &staff(&app, "desk@jointly.example").await,
        ] {
            assert!(matches!(
                app.signpost(refused, patient, &to_service).await,
                Err(AppError::NotFound | AppError::Forbidden)
            ));
        }
        app.signpost(&triage, patient, &to_service).await.unwrap();
        let passport = app.passport(&triage, patient).await.unwrap();
        let signposted: Vec<_> = passport
            .timeline
            .iter()
            .filter_map(|i| match i {
                TimelineItem::Signposted(s) => Some(s),
                _ => None,
            })
            .collect();
        assert_eq!(signposted.len(), 1);
        assert_eq!(
            signposted[0].resource,
            Resource::Service("luton-strength-and-balance".into())
        );
        assert_eq!(signposted[0].action, SignpostAction::Referred);
        let trail = store.audit_for_patient(patient).await.unwrap();
        assert!(trail.iter().any(|a| a.route == "passport.signpost"));
        assert!(trail.iter().any(|a| a.route == "signposting.view"));
    })
    .await;
}

async fn elsewhere_of(app: &jointly_app::App) -> jointly_app::Principal {
    staff(app, "elsewhere@jointly.example").await
}
