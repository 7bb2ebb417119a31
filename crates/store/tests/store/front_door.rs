//! The front door's storage: the triage queue's order and filters, answers and digital triage
//! kept with the referral, drafts, tasks, notes, referring organisations and who is on duty.

use jiff::SignedDuration;
use jointly_domain::access::Role;
use jointly_domain::contact::EmailAddress;
use jointly_domain::event::Actor;
use jointly_domain::intake::{
    OdsCode, OrganisationKind, Professional, ProfessionalRole, Referrer, ReferringOrganisation,
};
use jointly_domain::pathway::{
    DigitalTriage, Disposition, Escalation, RedFlagCondition, RedFlagHit, Route, TriageRecord,
    Urgency,
};
use jointly_domain::questionnaire::{Answer, QuestionnaireResponse, ResponseItem};
use jointly_domain::referral::{
    FreeText, NewReferral, Priority, ProblemArea, Referral, ReferralReference, ReferralSource,
};
use jointly_domain::task::{Task, TaskKind, TaskStatus};
use jointly_domain::{DraftId, NoteId, OrganisationId, PatientId, ReferralId, StaffUserId};
use jointly_store::testing::{now, on_each_backend, sample_patient, seed_staff};
use jointly_store::{DraftRecord, Note, NoteKind, QueueFilter, Store, StoreError};

fn triage(disposition: Disposition, flags: Vec<RedFlagHit>) -> DigitalTriage {
    TriageRecord {
        pathway_version: "test".into(),
        disposition,
        red_flags: flags,
        scores: vec![],
        rule: Some("knee-default".into()),
        explanation: vec!["Knee pain without red flags".into()],
        answers_used: vec!["area".into()],
    }
    .try_into()
    .unwrap()
}

fn cauda_equina() -> RedFlagHit {
    RedFlagHit {
        id: "ces-saddle".into(),
        condition: RedFlagCondition::CaudaEquina,
        escalation: Escalation::Emergency,
        explain: "Saddle numbness".into(),
    }
}

fn answers() -> QuestionnaireResponse {
    QuestionnaireResponse {
        resource_type: "QuestionnaireResponse".into(),
        questionnaire: "https://example.org/q|1".into(),
        status: "completed".into(),
        item: vec![ResponseItem {
            link_id: "pain_score".into(),
            answer: vec![Answer::ValueInteger(6)],
        }],
    }
}

fn referral(
    patient: PatientId,
    area: ProblemArea,
    digital: DigitalTriage,
    minutes: i64,
) -> Referral {
    let mut new = NewReferral::basic(
        patient,
        ReferralSource::SelfReferral,
        area,
        FreeText::parse("Pain").unwrap(),
    );
    new.answers = Some(answers());
    new.digital_triage = Some(digital);
    Referral::receive(
        new,
        ReferralId::new(),
        ReferralReference::from_random(u64::from(uuid::Uuid::new_v4().as_fields().0)),
        Actor::Patient(patient),
        now() + SignedDuration::from_mins(minutes),
    )
    .0
}

fn routed(route: Route, priority: Priority) -> DigitalTriage {
    triage(Disposition::Routed { route, priority }, vec![])
}

async fn save(store: &Store, referrals: &[&Referral]) {
    let mut tx = store.begin().await.unwrap();
    for referral in referrals {
        tx.insert_referral(referral, now()).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn save_patient(store: &Store) -> PatientId {
    let patient = sample_patient();
    let mut tx = store.begin().await.unwrap();
    tx.insert_patient(&patient, now()).await.unwrap();
    tx.commit().await.unwrap();
    patient.id
}

#[tokio::test]
async fn the_queue_puts_the_most_urgent_first_then_the_longest_waiting() {
    on_each_backend(|store| async move {
        let patient = save_patient(&store).await;
        let routine_old = referral(
            patient,
            ProblemArea::Knee,
            routed(Route::Physiotherapy, Priority::Routine),
            0,
        );
        let routine_new = referral(
            patient,
            ProblemArea::Knee,
            routed(Route::Physiotherapy, Priority::Routine),
            30,
        );
        let soon = referral(
            patient,
            ProblemArea::Hip,
            routed(Route::SpecialistMsk, Priority::Soon),
            20,
        );
        let emergency = referral(
            patient,
            ProblemArea::Back,
            triage(Disposition::Emergency, vec![cauda_equina()]),
            40,
        );
        save(&store, &[&routine_new, &emergency, &routine_old, &soon]).await;

        let queue = store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        let ids: Vec<_> = queue.iter().map(|i| i.referral.id).collect();
        assert_eq!(
            ids,
            vec![emergency.id, soon.id, routine_old.id, routine_new.id]
        );
        assert_eq!(queue[0].referral.urgency, Urgency::Emergency);
        // What was stored comes back whole.
        let stored = store.find_referral(emergency.id).await.unwrap().unwrap();
        assert_eq!(stored, emergency);

        let physio = QueueFilter {
            route: Some(Route::Physiotherapy),
            area: None,
        };
        let ids: Vec<_> = store
            .triage_queue(&physio, 10)
            .await
            .unwrap()
            .iter()
            .map(|i| i.referral.id)
            .collect();
        assert_eq!(ids, vec![routine_old.id, routine_new.id]);
        let hips = QueueFilter {
            route: None,
            area: Some(ProblemArea::Hip),
        };
        let queue = store.triage_queue(&hips, 10).await.unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].referral.id, soon.id);
    })
    .await;
}

#[tokio::test]
async fn an_open_referral_for_the_same_area_is_found_and_a_closed_one_is_not() {
    on_each_backend(|store| async move {
        let patient = save_patient(&store).await;
        let knee = referral(
            patient,
            ProblemArea::Knee,
            routed(Route::Physiotherapy, Priority::Routine),
            0,
        );
        save(&store, &[&knee]).await;
        let found = store
            .open_referral_for(patient, ProblemArea::Knee)
            .await
            .unwrap();
        assert_eq!(found.map(|r| r.id), Some(knee.id));
        assert!(
            store
                .open_referral_for(patient, ProblemArea::Back)
                .await
                .unwrap()
                .is_none()
        );

        let mut closed = store.find_referral(knee.id).await.unwrap().unwrap();
        closed.withdraw(Actor::System, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.update_referral(&closed, now()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(
            store
                .open_referral_for(patient, ProblemArea::Knee)
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test]
async fn a_professional_referrer_is_kept_with_the_referral() {
    on_each_backend(|store| async move {
        let patient = save_patient(&store).await;
        let organisation = organisation("Y01234");
        let mut tx = store.begin().await.unwrap();
        tx.insert_organisation(&organisation, now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut new = NewReferral::basic(
            patient,
            ReferralSource::Professional,
            ProblemArea::Shoulder,
            FreeText::parse("Frozen shoulder").unwrap(),
        );
        new.referrer = Some(Referrer::Professional {
            organisation: organisation.id,
            professional: Professional {
                name: FreeText::parse("Dr Ada Obi").unwrap(),
                role: ProfessionalRole::GeneralPractitioner,
                phone: None,
                email: EmailAddress::parse("ada.obi@marsh-lane.example").unwrap(),
            },
        });
        let (referral, _) = Referral::receive(
            new,
            ReferralId::new(),
            ReferralReference::from_random(77),
            Actor::System,
            now(),
        );
        save(&store, &[&referral]).await;
        assert_eq!(
            store.find_referral(referral.id).await.unwrap().unwrap(),
            referral
        );
    })
    .await;
}

fn organisation(ods: &str) -> ReferringOrganisation {
    ReferringOrganisation {
        id: OrganisationId::new(),
        ods_code: OdsCode::parse(ods).unwrap(),
        name: "Marsh Lane Surgery".into(),
        kind: OrganisationKind::GeneralPractice,
        contact_email: EmailAddress::parse("referrals@marsh-lane.example").unwrap(),
        active: true,
    }
}

#[tokio::test]
async fn organisations_are_unique_by_code_and_found_by_their_key() {
    on_each_backend(|store| async move {
        let practice = organisation("Y01234");
        let mut tx = store.begin().await.unwrap();
        tx.insert_organisation(&practice, now()).await.unwrap();
        tx.set_organisation_key(practice.id, "hash-1", now())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let err = tx
            .insert_organisation(&organisation("Y01234"), now())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict("ods_code_taken")),
            "{err:?}"
        );
        drop(tx);

        assert_eq!(
            store
                .find_organisation_by_ods(&practice.ods_code)
                .await
                .unwrap(),
            Some(practice.clone())
        );
        assert_eq!(
            store.find_organisation_by_key("hash-1").await.unwrap(),
            Some(practice.clone())
        );
        // A new key replaces the old one at once.
        let mut tx = store.begin().await.unwrap();
        tx.set_organisation_key(practice.id, "hash-2", now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            store
                .find_organisation_by_key("hash-1")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(store.list_organisations().await.unwrap(), vec![practice]);
    })
    .await;
}

fn draft() -> DraftRecord {
    DraftRecord {
        id: DraftId::new(),
        token_hash: format!("token-{}", uuid::Uuid::new_v4()),
        code_hash: format!("code-{}", uuid::Uuid::new_v4()),
        route: "self".into(),
        data: r#"{"step":"about"}"#.into(),
        submitted_at: None,
        expires_at: now() + SignedDuration::from_hours(24 * 30),
    }
}

#[tokio::test]
async fn a_draft_is_found_by_link_or_code_until_submitted_or_expired() {
    on_each_backend(|store| async move {
        let saved = draft();
        store.insert_draft(&saved, now()).await.unwrap();
        assert_eq!(
            store
                .find_draft_by_token(&saved.token_hash, now())
                .await
                .unwrap(),
            Some(saved.clone())
        );
        store
            .update_draft(saved.id, r#"{"step":"safety"}"#, saved.expires_at, now())
            .await
            .unwrap();
        let found = store
            .find_draft_by_code(&saved.code_hash, now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.data, r#"{"step":"safety"}"#);
        assert!(
            store
                .find_draft_by_code(&saved.code_hash, saved.expires_at)
                .await
                .unwrap()
                .is_none(),
            "an expired draft is gone"
        );

        store
            .replace_draft_secrets(saved.id, "token-new", Some("code-new"), now())
            .await
            .unwrap();
        assert!(
            store
                .find_draft_by_token(&saved.token_hash, now())
                .await
                .unwrap()
                .is_none(),
            "the old link stops working"
        );
        assert!(
            store
                .find_draft_by_code("code-new", now())
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .find_draft_by_token("token-new", now())
                .await
                .unwrap()
                .is_some()
        );
        let mut tx = store.begin().await.unwrap();
        tx.submit_draft(saved.id, now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.submit_draft(saved.id, now()).await,
            Err(StoreError::Conflict("draft_submitted"))
        ));
        drop(tx);
        assert!(
            store
                .find_draft_by_token(&saved.token_hash, now())
                .await
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            store
                .update_draft(saved.id, "{}", saved.expires_at, now())
                .await,
            Err(StoreError::Conflict("draft_submitted"))
        ));

        let other = draft();
        store.insert_draft(&other, now()).await.unwrap();
        assert_eq!(store.purge_drafts(now()).await.unwrap(), 1);
        assert_eq!(store.purge_drafts(other.expires_at).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn tasks_list_the_most_urgent_first_and_complete_once() {
    on_each_backend(|store| async move {
        let patient = save_patient(&store).await;
        let case = referral(
            patient,
            ProblemArea::Back,
            triage(Disposition::Emergency, vec![cauda_equina()]),
            0,
        );
        save(&store, &[&case]).await;
        let (callback, _) = Task::raise(TaskKind::SameDayCallBack, case.id, patient, now());
        let (emergency, _) = Task::raise(
            TaskKind::EmergencyReview,
            case.id,
            patient,
            now() + SignedDuration::from_mins(5),
        );
        let mut tx = store.begin().await.unwrap();
        tx.insert_tasks(&[callback.clone(), emergency.clone()], now())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let open = store.open_tasks(10).await.unwrap();
        let kinds: Vec<_> = open.iter().map(|t| t.task.kind).collect();
        assert_eq!(
            kinds,
            vec![TaskKind::EmergencyReview, TaskKind::SameDayCallBack]
        );
        assert_eq!(open[0].reference, case.reference);
        assert_eq!(store.open_emergencies().await.unwrap(), 1);

        let by = seed_staff(&store, Role::TriageClinician, false).await.id;
        let mut done = emergency.clone();
        done.complete(by, FreeText::parse("Sent to A&E").unwrap(), now())
            .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.complete_task(&done, now()).await.unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(
            tx.complete_task(&done, now()).await,
            Err(StoreError::Conflict("task_done"))
        ));
        drop(tx);
        assert_eq!(store.open_emergencies().await.unwrap(), 0);
        let stored = store.find_task(emergency.id).await.unwrap().unwrap();
        assert_eq!(stored.status, TaskStatus::Done);
        assert_eq!(stored.outcome.unwrap().as_str(), "Sent to A&E");
        assert_eq!(store.tasks_for_referral(case.id).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn notes_keep_who_wrote_them_in_order() {
    on_each_backend(|store| async move {
        let patient = save_patient(&store).await;
        let case = referral(
            patient,
            ProblemArea::Knee,
            routed(Route::Physiotherapy, Priority::Routine),
            0,
        );
        save(&store, &[&case]).await;
        let question = Note {
            id: NoteId::new(),
            referral_id: case.id,
            patient_id: patient,
            kind: NoteKind::Question,
            body: FreeText::parse("Does the knee lock?").unwrap(),
            author: Actor::Staff(StaffUserId::new()),
            created_at: now(),
        };
        let reply = Note {
            id: NoteId::new(),
            kind: NoteKind::Reply,
            body: FreeText::parse("Sometimes, on stairs").unwrap(),
            author: Actor::Patient(patient),
            created_at: now() + SignedDuration::from_mins(1),
            ..question.clone()
        };
        let mut tx = store.begin().await.unwrap();
        tx.insert_note(&reply).await.unwrap();
        tx.insert_note(&question).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.notes_for_referral(case.id).await.unwrap(),
            vec![question.clone(), reply]
        );
        assert_eq!(store.find_note(question.id).await.unwrap(), Some(question));
    })
    .await;
}

#[tokio::test]
async fn only_active_triage_clinicians_on_duty_are_alerted() {
    on_each_backend(|store| async move {
        let on = seed_staff(&store, Role::TriageClinician, true).await;
        let off = seed_staff(&store, Role::TriageClinician, false).await;
        seed_staff(&store, Role::Clinician, true).await;
        assert_eq!(store.on_duty_triage().await.unwrap(), vec![on.id]);
        store.set_on_duty(off.id, true, now()).await.unwrap();
        store.set_on_duty(on.id, false, now()).await.unwrap();
        assert_eq!(store.on_duty_triage().await.unwrap(), vec![off.id]);
        assert!(store.find_staff(off.id).await.unwrap().unwrap().on_duty);
    })
    .await;
}
