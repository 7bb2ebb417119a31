//! The front door: every route in, red flags, duplicates, drafts and bad input.

use std::collections::BTreeMap;

use jointly_app::{
    AppError, Content, Intake, IntakeRoute, OrganisationForm, Principal, Step, StepSaved,
};
use jointly_domain::access::Role;
use jointly_domain::intake::{CarerAnswers, DateParts, ProfessionalAnswers, Referrer};
use jointly_domain::message::{MessageTemplate, Recipient};
use jointly_domain::pathway::{Disposition, Route, Urgency};
use jointly_domain::referral::{Priority, ReferralSource, ReferralStatus};
use jointly_domain::task::TaskKind;
use jointly_store::testing::on_each_backend;
use jointly_store::{NoteKind, Store};

use crate::{add_staff, answers, app, knee_answers, refer, staff};

fn templates(outbox: &[jointly_store::OutboxEntry]) -> Vec<MessageTemplate> {
    let mut found: Vec<_> = outbox.iter().map(|e| e.template).collect();
    found.sort_by_key(|t| t.as_str());
    found
}

/// Back pain with numbness in the saddle area: cauda equina, an emergency.
fn saddle_numbness(email: &str) -> Intake {
    let mut intake = answers(email);
    for (k, v) in [
        ("area", "back"),
        ("side", "not_applicable"),
        ("saddle_numbness", "yes"),
        ("bladder_bowel", "no"),
        ("sexual_function", "no"),
        ("leg_symptoms", "one_leg"),
        ("upper_back_pain", "no"),
    ] {
        intake.answers.insert(k.into(), v.into());
    }
    intake.answers.remove("weight_bearing");
    intake
}

#[tokio::test]
async fn a_self_referral_is_triaged_at_once_and_the_person_told_what_happens_next() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let receipt = refer(&app, &answers("amelia@example.com")).await.unwrap();
        assert!(matches!(
            receipt.triage.disposition(),
            Disposition::Routed {
                route: Route::Physiotherapy,
                priority: Priority::Routine
            }
        ));
        assert!(!receipt.joined_existing);
        assert_eq!(receipt.wait, None, "no history yet, so no promise");
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.source, ReferralSource::SelfReferral);
        assert_eq!(referral.answers.as_ref().unwrap().status, "completed");
        assert_eq!(
            referral.description.as_ref().unwrap().as_str(),
            "My knee hurts on stairs"
        );
        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert_eq!(templates(&outbox), [MessageTemplate::ReferralReceived]);
        let trail = store.audit_for_patient(referral.patient_id).await.unwrap();
        assert!(
            trail
                .iter()
                .any(|a| a.route == "referral.self" && a.action == "create")
        );
    })
    .await;
}

#[tokio::test]
async fn an_emergency_red_flag_raises_a_task_tells_the_person_and_alerts_who_is_on_duty() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        add_staff(&store, "off@jointly.example", Role::TriageClinician, vec![]).await;
        add_staff(
            &store,
            "duty@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let duty = staff(&app, "duty@jointly.example").await;
        app.set_on_duty(&duty, true).await.unwrap();
        assert!(app.is_on_duty(&duty).await.unwrap());

        let mut routine = answers("routine@example.com");
        routine.person.given_name = "Grace".into();
        routine.person.family_name = "Obi".into();
        refer(&app, &routine).await.unwrap();
        let receipt = refer(&app, &saddle_numbness("urgent@example.com"))
            .await
            .unwrap();
        assert_eq!(receipt.triage.disposition(), &Disposition::Emergency);
        assert_eq!(receipt.triage.red_flags()[0].id, "ces-saddle-numbness");
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.urgency, Urgency::Emergency);

        let queue = app.triage_queue(&duty, None, None).await.unwrap();
        assert_eq!(queue[0].referral.id, referral.id, "emergencies come first");
        let tasks = app.open_tasks(&duty).await.unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].task.kind, TaskKind::EmergencyReview);
        assert_eq!(app.open_emergencies(&duty).await.unwrap(), 1);

        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert_eq!(
            templates(&outbox),
            [
                MessageTemplate::EmergencyAdvice,
                MessageTemplate::EmergencyAlert,
                MessageTemplate::ReferralReceived
            ]
        );
        let Principal::Staff { id: on_duty, .. } = duty else {
            panic!("staff")
        };
        let alert = outbox
            .iter()
            .find(|e| e.template == MessageTemplate::EmergencyAlert)
            .unwrap();
        assert_eq!(
            alert.recipient,
            Recipient::Staff(on_duty),
            "only who is on duty"
        );
    })
    .await;
}

#[tokio::test]
async fn an_urgent_red_flag_means_a_call_back_today() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let mut feverish = answers("fever@example.com");
        feverish.answers.insert("fever".into(), "yes".into());
        let receipt = refer(&app, &feverish).await.unwrap();
        assert!(matches!(
            receipt.triage.disposition(),
            Disposition::Urgent { .. }
        ));
        let tasks = store.tasks_for_referral(receipt.referral_id).await.unwrap();
        assert_eq!(tasks[0].kind, TaskKind::SameDayCallBack);
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(templates(&outbox).contains(&MessageTemplate::CallBackToday));
    })
    .await;
}

#[tokio::test]
async fn a_carer_refers_for_someone_with_their_agreement() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let mut intake = answers("amelia@example.com");
        intake.carer = Some(CarerAnswers {
            carer_name: "Yusuf Khan".into(),
            carer_relationship: "family".into(),
            carer_phone: "07700 900456".into(),
            carer_email: String::new(),
            carer_consent: String::new(),
        });
        let err = refer(&app, &intake).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.errors()[0].field == "carer_consent"));
        intake.carer.as_mut().unwrap().carer_consent = "yes".into();
        let receipt = refer(&app, &intake).await.unwrap();
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(
            &referral.referrer,
            Some(Referrer::Carer { carer }) if carer.name.as_str() == "Yusuf Khan"
        ));
    })
    .await;
}

#[tokio::test]
async fn staff_take_referrals_by_phone_recorded_as_assisted() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let coordinator =
            add_staff(&store, "coord@jointly.example", Role::Coordinator, vec![]).await;
        add_staff(&store, "physio@jointly.example", Role::Clinician, vec![]).await;
        let intake = answers("phone@example.com");
        let anonymous = app
            .submit_intake(&Principal::Anonymous, IntakeRoute::Phone, &intake)
            .await;
        assert!(matches!(anonymous, Err(AppError::NotSignedIn)));
        let physio = staff(&app, "physio@jointly.example").await;
        let clinician = app
            .submit_intake(&physio, IntakeRoute::Phone, &intake)
            .await;
        assert!(matches!(clinician, Err(AppError::Forbidden)));

        let by = staff(&app, "coord@jointly.example").await;
        let receipt = app
            .submit_intake(&by, IntakeRoute::Phone, &intake)
            .await
            .unwrap();
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.source, ReferralSource::Phone);
        assert_eq!(referral.assisted_by, Some(coordinator));

        // Staff on the phone can confirm who they are talking to, so new details are kept.
        app.submit_intake(&by, IntakeRoute::Phone, &answers("phone.new@example.com"))
            .await
            .unwrap();
        let patient = store
            .find_patient(referral.patient_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(patient.email.unwrap().as_str(), "phone.new@example.com");
    })
    .await;
}

async fn register_practice(app: &jointly_app::App, store: &Store) -> Principal {
    add_staff(store, "admin@jointly.example", Role::Administrator, vec![]).await;
    let admin = staff(app, "admin@jointly.example").await;
    app.register_organisation(
        &admin,
        &OrganisationForm {
            ods_code: "y01234".into(),
            name: "Marsh Lane Surgery".into(),
            kind: "general_practice".into(),
            contact_email: "referrals@marsh-lane.example".into(),
        },
    )
    .await
    .unwrap();
    admin
}

fn professional(ods: &str) -> ProfessionalAnswers {
    ProfessionalAnswers {
        ods_code: ods.into(),
        referrer_name: "Dr Ada Obi".into(),
        referrer_role: "general_practitioner".into(),
        referrer_phone: String::new(),
        referrer_email: "ada.obi@marsh-lane.example".into(),
    }
}

#[tokio::test]
async fn professionals_refer_from_a_registered_organisation_and_are_acknowledged() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let admin = register_practice(&app, &store).await;
        let mut intake = answers("gp-patient@example.com");
        intake.professional = Some(professional("Z99999"));
        let err = app
            .submit_intake(
                &Principal::Anonymous,
                IntakeRoute::ProfessionalForm,
                &intake,
            )
            .await
            .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e)
            if e.for_field("ods_code").map(|f| f.problem) == Some("not-registered")));
        assert_eq!(store.triage_queue_length().await.unwrap(), 0);

        intake.professional = Some(professional("Y01234"));
        let receipt = app
            .submit_intake(
                &Principal::Anonymous,
                IntakeRoute::ProfessionalForm,
                &intake,
            )
            .await
            .unwrap();
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.source, ReferralSource::Professional);
        let organisation = app.organisations(&admin).await.unwrap().remove(0);
        let outbox = store.outbox_for_patient(referral.patient_id).await.unwrap();
        assert!(
            outbox
                .iter()
                .any(|e| e.template == MessageTemplate::ReferralAcknowledged
                    && e.recipient == Recipient::Organisation(organisation.id))
        );
    })
    .await;
}

#[tokio::test]
async fn an_organisations_system_refers_with_its_own_key() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let admin = register_practice(&app, &store).await;
        let organisation = app.organisations(&admin).await.unwrap().remove(0);
        assert!(matches!(
            app.organisation_for_key("jly_nothing").await,
            Err(AppError::NotSignedIn)
        ));
        let first = app.issue_api_key(&admin, organisation.id).await.unwrap();
        let second = app.issue_api_key(&admin, organisation.id).await.unwrap();
        assert!(second.key.starts_with("jly_"));
        assert!(
            matches!(
                app.organisation_for_key(&first.key).await,
                Err(AppError::NotSignedIn)
            ),
            "a new key replaces the old"
        );
        let (principal, found) = app.organisation_for_key(&second.key).await.unwrap();
        assert_eq!(found.id, organisation.id);

        let mut intake = answers("api-patient@example.com");
        intake.professional = Some(professional("A81001"));
        let err = app
            .submit_intake(
                &principal,
                IntakeRoute::ProfessionalApi(found.clone()),
                &intake,
            )
            .await
            .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e)
            if e.for_field("ods_code").map(|f| f.problem) == Some("not-yours")));
        intake.professional = Some(professional(""));
        let receipt = app
            .submit_intake(&principal, IntakeRoute::ProfessionalApi(found), &intake)
            .await
            .unwrap();
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        let trail = store.audit_for_patient(referral.patient_id).await.unwrap();
        assert!(
            trail
                .iter()
                .any(|a| a.route == "referral.api" && a.actor_kind == "organisation")
        );

        let clinician = add_staff(&store, "c@jointly.example", Role::Clinician, vec![]).await;
        let _ = clinician;
        let physio = staff(&app, "c@jointly.example").await;
        assert!(matches!(
            app.organisations(&physio).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            app.issue_api_key(&physio, organisation.id).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn the_same_person_and_problem_joins_the_open_referral_and_only_ever_gets_more_urgent() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let first = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let mut again = answers("amelia.new@example.com");
        again
            .answers
            .insert("description".into(), "Now it clicks too".into());
        let second = refer(&app, &again).await.unwrap();
        assert!(second.joined_existing);
        assert_eq!(second.referral_id, first.referral_id);
        assert_eq!(second.status, ReferralStatus::AwaitingTriage);
        assert_eq!(
            store.triage_queue_length().await.unwrap(),
            1,
            "never two episodes"
        );
        let notes = store.notes_for_referral(first.referral_id).await.unwrap();
        assert_eq!(notes[0].kind, NoteKind::Resubmission);
        assert_eq!(notes[0].body.as_str(), "Now it clicks too");
        let referral = store
            .find_referral(first.referral_id)
            .await
            .unwrap()
            .unwrap();
        let patient = store
            .find_patient(referral.patient_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            patient.email.unwrap().as_str(),
            "amelia@example.com",
            "a self-referral never changes where a known person's messages and codes go"
        );
        assert!(
            notes.iter().any(|n| n.kind == NoteKind::ContactCheck
                && n.body.as_str().contains("email: amelia.new@example.com")),
            "the new details are kept for staff to confirm"
        );
        let tasks = store.open_tasks(10).await.unwrap();
        assert!(
            tasks
                .iter()
                .any(|t| t.task.kind == TaskKind::CheckContactDetails)
        );

        let mut worse = answers("amelia.new@example.com");
        worse.answers.insert("fever".into(), "yes".into());
        refer(&app, &worse).await.unwrap();
        assert_eq!(
            store
                .find_referral(first.referral_id)
                .await
                .unwrap()
                .unwrap()
                .urgency,
            Urgency::Urgent
        );
        refer(&app, &answers("amelia.new@example.com"))
            .await
            .unwrap();
        assert_eq!(
            store
                .find_referral(first.referral_id)
                .await
                .unwrap()
                .unwrap()
                .urgency,
            Urgency::Urgent,
            "calmer answers never lower the urgency"
        );

        // A different problem is a different episode.
        let mut hip = answers("amelia.new@example.com");
        hip.answers.insert("area".into(), "hip".into());
        for item in ["saddle_numbness", "bladder_bowel", "sexual_function"] {
            hip.answers.insert(item.into(), "no".into());
        }
        hip.answers.insert("leg_symptoms".into(), "no".into());
        assert!(!refer(&app, &hip).await.unwrap().joined_existing);
        assert_eq!(store.triage_queue_length().await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn perhaps_the_same_person_is_flagged_for_staff_to_decide() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let first = refer(&app, &answers("amelia@example.com")).await.unwrap();
        let mut maybe = answers("millie@example.com");
        maybe.person.given_name = "Millie".into();
        let second = refer(&app, &maybe).await.unwrap();
        assert!(!second.joined_existing);
        let flagged = store
            .find_referral(second.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(flagged.possible_duplicate_of, Some(first.referral_id));

        add_staff(&store, "coord@jointly.example", Role::Coordinator, vec![]).await;
        let coordinator = staff(&app, "coord@jointly.example").await;
        let tasks = app.open_tasks(&coordinator).await.unwrap();
        assert_eq!(tasks[0].task.kind, TaskKind::PossibleDuplicate);
        let err = app
            .complete_task(&coordinator, tasks[0].task.id, "Checked with the GP", "")
            .await
            .unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.errors()[0].field == "duplicate"));
        app.complete_task(
            &coordinator,
            tasks[0].task.id,
            "Same person, nickname",
            "same",
        )
        .await
        .unwrap();
        assert_eq!(
            store
                .find_referral(second.referral_id)
                .await
                .unwrap()
                .unwrap()
                .status,
            ReferralStatus::Withdrawn
        );
        let notes = store.notes_for_referral(first.referral_id).await.unwrap();
        assert_eq!(notes.len(), 1);
        assert!(matches!(
            app.complete_task(&coordinator, tasks[0].task.id, "again", "same")
                .await,
            Err(AppError::Conflict("task_done"))
        ));
        assert!(app.open_tasks(&coordinator).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn bad_answers_are_named_one_by_one_and_change_nothing() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let mut bad = answers("amelia@example.com");
        bad.answers.insert("pain_score".into(), "11".into());
        bad.answers.insert("duration".into(), "forever".into());
        bad.answers.insert("favourite_colour".into(), "blue".into());
        bad.answers.remove("function");
        bad.person.date_of_birth = DateParts::from_iso("2090-01-01");
        let AppError::Invalid(errors) = refer(&app, &bad).await.unwrap_err() else {
            panic!("expected invalid input")
        };
        let mut found: Vec<_> = errors
            .errors()
            .iter()
            .map(|e| format!("{}:{}", e.field, e.problem))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                "date_of_birth:future",
                "duration:choose",
                "favourite_colour:unknown",
                "function:missing",
                "pain_score:too-high"
            ]
        );
        assert_eq!(store.triage_queue_length().await.unwrap(), 0);
        assert!(store.recent_outbox(10).await.unwrap().is_empty());
    })
    .await;
}

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The about and contact steps for Amelia Khan.
const ABOUT: [(&str, &str); 5] = [
    ("given_name", "Amelia"),
    ("family_name", "Khan"),
    ("date_of_birth_day", "12"),
    ("date_of_birth_month", "4"),
    ("date_of_birth_year", "1968"),
];

fn about() -> BTreeMap<String, String> {
    let mut f = form(&ABOUT);
    f.insert("sex".into(), "female".into());
    f
}

fn contact() -> BTreeMap<String, String> {
    form(&[
        ("postcode", "LU1 3JU"),
        ("email", "draft@example.com"),
        ("preferred_contact", "email"),
    ])
}

/// The answers of one questionnaire step, from the knee answers.
fn step_answers(
    app: &jointly_app::App,
    step: &str,
    all: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let items: Vec<String> = app
        .content()
        .questionnaire
        .step(step)
        .unwrap()
        .items
        .iter()
        .map(|i| i.link_id.clone())
        .collect();
    all.iter()
        .filter(|(k, _)| items.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[tokio::test]
async fn an_online_referral_is_saved_step_by_step_and_resumed_by_code_and_birth_date() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let anyone = Principal::Anonymous;
        let ticket = app.start_referral().await.unwrap();
        assert_eq!(ticket.code.len(), 8);
        let save = |slug: &'static str, f: BTreeMap<String, String>| {
            let app = app.clone();
            let token = ticket.token.clone();
            let anyone = anyone.clone();
            async move { app.save_referral_step(&anyone, &token, slug, &f).await }
        };
        // Steps cannot be skipped.
        assert!(matches!(
            save("safety", BTreeMap::new()).await,
            Err(AppError::Conflict("earlier_step"))
        ));
        let err = save("who", BTreeMap::new()).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.errors()[0].field == "for_someone_else"));
        assert!(matches!(
            save("who", form(&[("for_someone_else", "no")]))
                .await
                .unwrap(),
            StepSaved::Next(Step::About)
        ));
        // Only this step's problems are reported.
        let AppError::Invalid(errors) = save("about", form(&ABOUT)).await.unwrap_err() else {
            panic!("invalid")
        };
        assert_eq!(errors.errors().len(), 1);
        assert_eq!(errors.errors()[0].field, "sex");
        save("about", about()).await.unwrap();

        // Come back later: the code and date of birth open it again, on a new link.
        let wrong = DateParts::from_iso("1970-01-01");
        assert!(matches!(
            app.resume_referral(&ticket.code, &wrong).await,
            Err(AppError::SignInFailed)
        ));
        let typed = format!("{}-{}", &ticket.code[..4], ticket.code[4..].to_lowercase());
        let token = app
            .resume_referral(&typed, &DateParts::from_iso("1968-04-12"))
            .await
            .unwrap();
        assert!(matches!(
            app.referral_draft(&ticket.token).await,
            Err(AppError::NotFound)
        ));
        let draft = app.referral_draft(&token).await.unwrap();
        assert_eq!(draft.next_step(), Step::Contact);
        assert_eq!(draft.data.intake.person.given_name, "Amelia");

        let all = knee_answers();
        let steps = [
            ("contact", contact()),
            ("problem", step_answers(&app, "problem", &all)),
            ("safety", step_answers(&app, "safety", &all)),
            ("impact", step_answers(&app, "impact", &all)),
            ("more", step_answers(&app, "more", &all)),
        ];
        for (slug, f) in steps {
            let saved = app
                .save_referral_step(&anyone, &token, slug, &f)
                .await
                .unwrap();
            assert!(matches!(saved, StepSaved::Next(_)), "{slug}");
        }
        assert_eq!(
            app.referral_draft(&token).await.unwrap().next_step(),
            Step::Check
        );
        let receipt = app.send_referral(&anyone, &token).await.unwrap();
        assert_eq!(receipt.area, jointly_domain::referral::ProblemArea::Knee);
        assert!(matches!(
            app.send_referral(&anyone, &token).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(store.triage_queue_length().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_red_flag_sends_the_online_referral_at_once() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let anyone = Principal::Anonymous;
        let ticket = app.start_referral().await.unwrap();
        let token = ticket.token.clone();
        let emergency = saddle_numbness("x@example.com").answers;
        for (slug, f) in [
            ("who", form(&[("for_someone_else", "no")])),
            ("about", about()),
            ("contact", contact()),
            ("problem", step_answers(&app, "problem", &emergency)),
        ] {
            app.save_referral_step(&anyone, &token, slug, &f)
                .await
                .unwrap();
        }
        let saved = app
            .save_referral_step(
                &anyone,
                &token,
                "safety",
                &step_answers(&app, "safety", &emergency),
            )
            .await
            .unwrap();
        let StepSaved::Sent(receipt) = saved else {
            panic!("sent at once")
        };
        assert_eq!(receipt.triage.disposition(), &Disposition::Emergency);
        let referral = store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.answers.as_ref().unwrap().status, "in-progress");
        assert_eq!(referral.description, None);
        assert!(matches!(
            app.referral_draft(&token).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[test]
fn a_broken_pathway_is_refused_naming_the_file_and_line() {
    let questionnaire = include_str!("../../../../content/questionnaires/msk-self-referral.json");
    let pathway = include_str!("../../../../content/pathways/msk-pathway.toml")
        .replace("level = \"emergency\"", "level = \"whenever\"");
    let err = Content::parse(questionnaire, &pathway, ("q.json", "pathway.toml")).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("pathway.toml: line "), "{message}");
    assert!(message.contains("whenever"), "{message}");
    let err = Content::parse("{", &pathway, ("q.json", "pathway.toml")).unwrap_err();
    assert!(err.to_string().starts_with("q.json: "), "{err}");
    assert!(Content::embedded().is_ok());
}

#[tokio::test]
async fn answers_joining_a_referral_already_accepted_say_where_it_stands() {
    on_each_backend(|store| async move {
        let (app, _) = app(&store);
        let clinic = jointly_store::testing::seed_clinic(&store).await;
        let first = refer(&app, &answers("amelia@example.com")).await.unwrap();
        assert_eq!(first.status, ReferralStatus::AwaitingTriage);
        add_staff(
            &store,
            "triage@jointly.example",
            Role::TriageClinician,
            vec![],
        )
        .await;
        let triage = staff(&app, "triage@jointly.example").await;
        app.accept_referral(
            &triage,
            first.referral_id,
            &crate::routine(clinic.service.id),
        )
        .await
        .unwrap();

        let again = refer(&app, &answers("amelia@example.com")).await.unwrap();
        assert!(again.joined_existing);
        assert_eq!(again.referral_id, first.referral_id);
        assert_eq!(again.status, ReferralStatus::Waiting, "not back to triage");
    })
    .await;
}
