//! Programmes and logged sessions round trip on both backends; the latest programme is the
//! current one.

use std::collections::HashMap;

use jointly_domain::access::Role;
use jointly_domain::exercise::{Difficulty, Library, new_log, new_programme};
use jointly_domain::{ExerciseLogId, ProgrammeId};
use jointly_store::testing::{
    now, on_each_backend, seed_clinic, seed_staff, seed_waiting_referral,
};

const LIBRARY: &str = include_str!("../../../../content/exercises/library.toml");

fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn programmes_and_logs_round_trip() {
    on_each_backend(|store| async move {
        let library = Library::parse(LIBRARY).unwrap();
        let clinic = seed_clinic(&store).await;
        let (patient, _) = seed_waiting_referral(&store, clinic.service.id).await;
        let physio = seed_staff(&store, Role::Clinician, false).await;
        assert_eq!(store.current_programme(patient.id).await.unwrap(), None);
        let make = |code: &str, at| {
            new_programme(
                &library,
                patient.id,
                &fields(&[
                    (code, "yes"),
                    (&format!("{code}_sets"), "3"),
                    (&format!("{code}_reps"), "10"),
                    (&format!("{code}_per_week"), "5"),
                ]),
                physio.id,
                ProgrammeId::new(),
                at,
            )
            .unwrap()
        };
        let first = make("clam", now());
        let second = make("bridge", now() + jiff::SignedDuration::from_hours(1));
        let mut tx = store.begin().await.unwrap();
        tx.insert_programme(&first).await.unwrap();
        tx.insert_programme(&second).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.current_programme(patient.id).await.unwrap().as_ref(),
            Some(&second)
        );
        let today = jointly_domain::local_date(now()).to_string();
        let log = new_log(
            &second,
            &fields(&[
                ("on", &today),
                ("done_bridge", "yes"),
                ("pain", "6"),
                ("difficulty", "too_hard"),
                ("note", "Sore afterwards"),
            ]),
            ExerciseLogId::new(),
            now() + jiff::SignedDuration::from_hours(2),
        )
        .unwrap();
        let mut tx = store.begin().await.unwrap();
        tx.insert_exercise_log(&log).await.unwrap();
        tx.commit().await.unwrap();
        let logs = store.exercise_logs(second.id).await.unwrap();
        assert_eq!(logs, [log]);
        assert_eq!((logs[0].pain, logs[0].difficulty), (6, Difficulty::TooHard));
        assert!(store.exercise_logs(first.id).await.unwrap().is_empty());
    })
    .await;
}
