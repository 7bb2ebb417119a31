//! The population reporting table: rebuilt from the live tables with each person's groups,
//! and counted by any cut.

use jiff::SignedDuration;
use jiff::civil::date;
use jointly_domain::contact::Postcode;
use jointly_domain::patient::EthnicCategory;
use jointly_domain::population::{AGE_BANDS, Cut, ImdDecile, LsoaCode, age_band};
use jointly_store::testing::{
    now, on_each_backend, sample_patient, seed_clinic, seed_waiting_referral_for,
};
use jointly_store::{FactFilter, Tally, WaitCount};

fn lsoa(code: &str) -> LsoaCode {
    LsoaCode::parse(code).unwrap()
}

#[tokio::test]
async fn the_reporting_table_carries_each_persons_groups() {
    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let service = clinic.service.id;
        // Three people on the list: one in a deprived LSOA, one whose postcode is not in the
        // lookup, one turning 18 on the day of referral.
        let mut first = sample_patient();
        first.ethnicity = Some(EthnicCategory::parse("J").unwrap());
        let (first, _) = seed_waiting_referral_for(&store, service, first).await;
        // She answered pain (lower is better: 8 then 3, better), the goal measure (higher is
        // better: 6 then 4, worse) and function once (not counted).
        let answer = |measure: &str, score, hours| jointly_domain::measure::MeasureResponse {
            id: jointly_domain::MeasureResponseId::new(),
            patient_id: first.id,
            measure: measure.into(),
            timepoint: jointly_domain::measure::Timepoint::Start,
            request_id: None,
            answers: std::collections::BTreeMap::new(),
            score,
            entered_by: jointly_domain::conversation::Author::Patient(first.id),
            at: now() + SignedDuration::from_hours(hours),
        };
        let mut tx = store.begin().await.unwrap();
        for response in [
            answer("pain", 8, 1),
            answer("pain", 3, 30),
            answer("goal", 6, 1),
            answer("goal", 4, 30),
            answer("function", 20, 1),
        ] {
            tx.insert_measure_response(&response).await.unwrap();
        }
        tx.commit().await.unwrap();
        let mut unknown = sample_patient();
        unknown.postcode = Postcode::parse("MK40 2NT").unwrap();
        seed_waiting_referral_for(&store, service, unknown).await;
        let mut young = sample_patient();
        young.date_of_birth = date(2008, 11, 23);
        young.postcode = Postcode::parse("LU2 9AA").unwrap();
        seed_waiting_referral_for(&store, service, young).await;

        let mut tx = store.begin().await.unwrap();
        tx.put_postcode_lsoas(&[
            ("LU1 3JU".into(), lsoa("E01000001")),
            ("LU2 9AA".into(), lsoa("E01000002")),
        ])
        .await
        .unwrap();
        // Imported again with a new LSOA: the later mapping wins.
        tx.put_postcode_lsoas(&[("LU2 9AA".into(), lsoa("E01000003"))])
            .await
            .unwrap();
        tx.put_lsoa_deciles(
            "IoD2019",
            &[
                (lsoa("E01000001"), ImdDecile::parse("2").unwrap()),
                (lsoa("E01000003"), ImdDecile::parse("9").unwrap()),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let summary = store.lookup_summary().await.unwrap();
        assert_eq!((summary.postcodes, summary.lsoas), (2, 2));
        assert_eq!(summary.versions, ["IoD2019"]);

        assert_eq!(store.population_refreshed_at().await.unwrap(), None);
        assert_eq!(store.refresh_population(now(), &["goal"]).await.unwrap(), 3);
        // Rebuilding replaces rather than adds.
        assert_eq!(store.refresh_population(now(), &["goal"]).await.unwrap(), 3);
        assert_eq!(store.population_refreshed_at().await.unwrap(), Some(now()));

        let later = now() + SignedDuration::from_hours(24 * 30);
        let mut waits = store
            .waiting_now(Cut::Deprivation, Some(service), later)
            .await
            .unwrap();
        waits.sort_by(|a, b| a.group.cmp(&b.group));
        let expect = |group: &str, people| WaitCount {
            group: group.into(),
            days: 30,
            people,
        };
        assert_eq!(waits, [expect("", 1), expect("2", 1), expect("9", 1)]);
        let ages = store.waiting_now(Cut::AgeBand, None, later).await.unwrap();
        let mut bands: Vec<_> = ages.iter().map(|w| (w.group.as_str(), w.people)).collect();
        bands.sort_unstable();
        assert_eq!(bands, [("18-34", 1), ("50-64", 2)]);
        let areas = store.waiting_now(Cut::Area, None, later).await.unwrap();
        assert!(areas.iter().any(|w| w.group == "LU1"));
        assert!(areas.iter().any(|w| w.group == "MK40"));
        let ethnicity = store
            .waiting_now(Cut::Ethnicity, None, later)
            .await
            .unwrap();
        assert!(ethnicity.iter().any(|w| w.group == "J" && w.people == 1));
        let needs = store
            .waiting_now(Cut::CommunicationNeed, None, later)
            .await
            .unwrap();
        assert_eq!(needs.iter().map(|w| w.people).sum::<u64>(), 3);

        let filter = FactFilter {
            service: None,
            from: now() - SignedDuration::from_hours(24),
            to: now() + SignedDuration::from_hours(24),
        };
        let routes = store.referrals_by_route(Cut::Sex, filter).await.unwrap();
        assert_eq!(
            routes,
            [Tally {
                group: "female".into(),
                key: "self".into(),
                count: 3,
                of: 0
            }]
        );
        let outcomes = store.triage_outcomes(Cut::Sex, filter).await.unwrap();
        assert_eq!(outcomes[0].key, "physiotherapy");
        assert_eq!(outcomes[0].count, 3);
        let outcomes = store.outcome_change(Cut::Ethnicity, filter).await.unwrap();
        let asian = outcomes.iter().find(|t| t.group == "J").unwrap();
        assert_eq!(
            (asian.count, asian.of),
            (1, 2),
            "pain got better, the goal worse"
        );
        let attendance = store.attendance(Cut::Sex, filter).await.unwrap();
        assert_eq!((attendance[0].count, attendance[0].of), (0, 0));
        // Outside the period, nothing.
        let before = FactFilter {
            to: filter.from,
            from: filter.from - SignedDuration::from_hours(24),
            ..filter
        };
        assert!(
            store
                .referrals_by_route(Cut::Sex, before)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .waited_to_be_seen(Cut::Sex, filter)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

#[test]
fn the_reporting_tables_age_bands_are_the_domains() {
    // The refresh writes the bands in SQL; they must be the domain's, edge for edge.
    let edges: Vec<(u32, &str)> = AGE_BANDS
        .iter()
        .flat_map(|(code, from, to)| {
            let mut edges = vec![(*from, *code)];
            edges.extend(to.map(|to| (to, *code)));
            edges
        })
        .collect();
    for (age, code) in edges {
        assert_eq!(age_band(age), code);
    }
    let sql = include_str!("../../src/population.rs");
    for (code, from, _) in AGE_BANDS.iter().skip(1) {
        assert!(
            sql.contains(&format!("WHEN f.years < {from} THEN")),
            "the refresh has no edge at {from} for {code}"
        );
    }
}

#[tokio::test]
async fn clinic_use_counts_slots_used_and_cancellations_booked_again() {
    use jointly_domain::AppointmentId;
    use jointly_domain::appointment::{Appointment, AppointmentStatus};
    use jointly_domain::event::Actor;
    use jointly_store::testing::{seed_slots, seed_waiting_referral};

    on_each_backend(|store| async move {
        let clinic = seed_clinic(&store).await;
        let slots = seed_slots(&store, &clinic, 4).await;
        let (patient, referral) = seed_waiting_referral(&store, clinic.service.id).await;
        let appointment = |slot: usize, status, booked_at| Appointment {
            id: AppointmentId::new(),
            slot_id: slots[slot].id,
            referral_id: referral.id,
            patient_id: patient.id,
            status,
            booked_at,
            booked_by: Actor::Patient(patient.id),
            interpreter: None,
            extra_slot_id: None,
            confirmed_at: None,
        };
        // Slot 0 kept; slot 1 cancelled the day before, then booked by someone else; slot 2
        // cancelled and left empty; slot 3 never booked.
        let mut tx = store.begin().await.unwrap();
        tx.insert_appointments(
            &[
                appointment(0, AppointmentStatus::Attended, now()),
                appointment(1, AppointmentStatus::Cancelled, now()),
                appointment(2, AppointmentStatus::Cancelled, now()),
            ],
            now(),
        )
        .await
        .unwrap();
        let later = now() + SignedDuration::from_hours(2);
        tx.insert_appointments(&[appointment(1, AppointmentStatus::Booked, later)], later)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let until = now() + SignedDuration::from_hours(24 * 30);
        let lines = store.clinic_use(None, now(), until).await.unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line.service_id, Some(clinic.service.id));
        assert_eq!(line.location_id, Some(clinic.location.id));
        assert_eq!((line.slots, line.blocked, line.used), (4, 0, 2));
        assert_eq!((line.cancelled, line.refilled), (2, 1));
        // Cancellations are counted in the period they were made.
        let after = now() + SignedDuration::from_hours(1);
        let later_lines = store.clinic_use(None, after, until).await.unwrap();
        assert_eq!((later_lines[0].slots, later_lines[0].cancelled), (4, 0));
        // Another service's clinics are not counted.
        let other = jointly_domain::ServiceId::new();
        assert!(
            store
                .clinic_use(Some(other), now(), until)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}
