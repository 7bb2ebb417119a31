//! Decision conversations and fitness checklists round trip on both backends; the latest
//! decision is last, and a checklist recorded again replaces the one before.

use std::collections::HashMap;

use jointly_domain::SurgeryDecisionId;
use jointly_domain::access::Role;
use jointly_domain::surgery::{
    CareOption, DecisionAnswers, FitnessItem, FitnessStatus, SurgeryChoice, record_checklist,
    record_decision,
};
use jointly_store::testing::{
    now, on_each_backend, seed_clinic, seed_staff, seed_waiting_referral,
};

#[tokio::test]
async fn decisions_and_checklists_round_trip() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let (patient, referral) = seed_waiting_referral(&store, clinic.service.id).await;
        let surgeon = seed_staff(&store, Role::Clinician, false).await;
        assert!(
            store
                .surgery_decisions(referral.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.fitness_checklist(referral.id).await.unwrap(), None);

        let first = record_decision(
            referral.id,
            patient.id,
            &DecisionAnswers {
                options: vec!["surgery".into(), "injection".into()],
                what_matters: "Sleeping through the night".into(),
                choice: "undecided".into(),
                preferred: String::new(),
            },
            surgeon.id,
            SurgeryDecisionId::new(),
            now(),
        )
        .unwrap();
        let second = record_decision(
            referral.id,
            patient.id,
            &DecisionAnswers {
                options: vec!["surgery".into(), "physiotherapy".into()],
                what_matters: "Sleeping through the night".into(),
                choice: "not_surgery".into(),
                preferred: "physiotherapy".into(),
            },
            surgeon.id,
            SurgeryDecisionId::new(),
            now() + jiff::SignedDuration::from_mins(5),
        )
        .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.insert_surgery_decision(&first).await.unwrap();
        tx.insert_surgery_decision(&second).await.unwrap();
        tx.commit().await.unwrap();
        let kept = store.surgery_decisions(referral.id).await.unwrap();
        assert_eq!(kept, [first.clone(), second.clone()]);
        assert_eq!(kept[1].choice, SurgeryChoice::NotSurgery);
        assert_eq!(kept[1].preferred, Some(CareOption::Physiotherapy));
        assert_eq!(
            store
                .surgery_decisions_for_patient(patient.id)
                .await
                .unwrap(),
            kept
        );

        let mut answers: HashMap<String, String> = FitnessItem::ALL
            .iter()
            .map(|i| (i.as_str().to_owned(), "met".to_owned()))
            .collect();
        answers.insert("weight".into(), "not_met".into());
        answers.insert("weight_note".into(), "BMI 41".into());
        let checklist = record_checklist(referral.id, &answers, surgeon.id, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.save_fitness_checklist(&checklist).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.fitness_checklist(referral.id).await.unwrap().as_ref(),
            Some(&checklist)
        );
        answers.insert("override_reason".into(), "Surgeon accepts the risk".into());
        let again = record_checklist(referral.id, &answers, surgeon.id, now()).unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.save_fitness_checklist(&again).await.unwrap();
        tx.commit().await.unwrap();
        let stored = store.fitness_checklist(referral.id).await.unwrap().unwrap();
        assert_eq!(stored, again);
        assert_eq!(stored.checks[0].status, FitnessStatus::NotMet);
    })
    .await;
}
