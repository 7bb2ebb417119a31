//! Population-health dashboards: the deprivation lookup imported from files in the official
//! layout, waits cut by deprivation with the gap between the most and least deprived fifths
//! and its alert, the SitRep wait bands, and who may see them. Bad queries, thresholds and
//! files are named and change nothing.

use jiff::SignedDuration;
use jointly_app::{AppError, Dashboard, DashboardQuery, ImportError, sitrep_csv};
use jointly_domain::access::Role;
use jointly_domain::contact::Postcode;
use jointly_domain::population::Cut;
use jointly_store::testing::{
    now, on_each_backend, sample_patient, seed_clinic, seed_waiting_referral_at,
};

use crate::{add_staff, app, staff};

const POSTCODES: &str = "pcd7,pcd8,pcds,dointr,doterm,usertype,oa21cd,lsoa21cd,msoa21cd\n\
    LU1 3JU,LU1  3JU,LU1 3JU,200001,,0,E00000001,E01000001,E02000001\n\
    MK402NT,MK40 2NT,MK40 2NT,200001,,0,E00000002,E01000002,E02000002\n";
const DEPRIVATION: &str = "LSOA code (2021),LSOA name (2021),\
    Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n\
    E01000001,Luton 001A,1\nE01000002,Bedford 001A,10\n";

fn waits(cut: Option<&str>) -> DashboardQuery {
    DashboardQuery::parse("waits", cut, None, None).unwrap()
}

#[tokio::test]
async fn waits_cut_by_deprivation_show_the_gap_and_raise_the_alert() {
    on_each_backend(|store| async move {
        let (app, _clock) = app(&store);
        let clinic = seed_clinic(&store).await;
        // Twenty-five people from the most deprived area have waited twenty weeks; twenty-five
        // from the least deprived, two.
        for (postcode, weeks) in [("LU1 3JU", 20), ("MK40 2NT", 2)] {
            for _ in 0..25 {
                let mut person = sample_patient();
                person.postcode = Postcode::parse(postcode).unwrap();
                let at = now() - SignedDuration::from_hours(24 * 7 * weeks);
                seed_waiting_referral_at(&store, clinic.service.id, person, at).await;
            }
        }
        add_staff(
            &store,
            "manager@jointly.example",
            Role::ServiceManager,
            vec![],
        )
        .await;
        add_staff(&store, "desk@jointly.example", Role::Coordinator, vec![]).await;
        let manager = staff(&app, "manager@jointly.example").await;
        let desk = staff(&app, "desk@jointly.example").await;

        // A broken file is refused whole: the lookup stays empty.
        let broken = DEPRIVATION.replace(",10\n", ",eleven\n");
        let refused = app
            .import_deprivation(POSTCODES.as_bytes(), broken.as_bytes(), None)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ImportError::BadValue { line: 3, .. }),
            "{refused}"
        );
        assert_eq!(app.deprivation_lookup(&manager).await.unwrap().postcodes, 0);

        let imported = app
            .import_deprivation(POSTCODES.as_bytes(), DEPRIVATION.as_bytes(), None)
            .await
            .unwrap();
        assert_eq!((imported.postcodes, imported.lsoas), (2, 2));
        assert_eq!(
            (imported.version.as_str(), imported.referrals),
            ("IoD2025", 50)
        );

        let view = app.dashboard(&manager, waits(None)).await.unwrap();
        assert_eq!(view.query.cut, Cut::Deprivation);
        assert_eq!(view.refreshed_at, Some(now()));
        let groups: Vec<_> = view
            .groups
            .iter()
            .map(|g| (g.group.as_str(), g.count))
            .collect();
        assert_eq!(groups, [("1", 25), ("10", 25)]);
        let most = view.groups[0].waiting.clone().unwrap();
        assert_eq!((most.median, most.p90), (Some(140), Some(140)));
        assert_eq!(most.bands[5], 25, "20 weeks is in the 18 to 52 week band");
        assert_eq!(view.total.waiting.clone().unwrap().people, 50);
        let gap = view.gap.clone().unwrap();
        assert_eq!((gap.counts.0.hits, gap.counts.1.hits), (25, 0));
        assert!((gap.difference.estimate - 1.0).abs() < 1e-9);
        assert!(gap.alert);
        // The rebuild worked out every gap: the waits by deprivation pass the threshold.
        let alerts = app.inequality_alerts(&manager).await.unwrap();
        assert!(
            alerts
                .iter()
                .any(|a| a.dashboard == Dashboard::Waits && a.cut == Cut::Deprivation),
            "{alerts:?}"
        );
        assert!(alerts.iter().all(|a| a.gap.alert));
        let csv = view.to_csv();
        assert!(
            csv.starts_with("cut,group,count,over_18_weeks_percent,"),
            "{csv}"
        );
        assert!(csv.contains("\ndeprivation,1,25,100.0,"), "{csv}");
        assert!(csv.contains("\ndeprivation,all,50,50.0,"), "{csv}");

        // The threshold: a number of points from 0.5 to 50; anything else is named.
        for bad in ["", "lots", "0", "75"] {
            let Err(AppError::Invalid(errors)) = app.set_inequality_threshold(&manager, bad).await
            else {
                panic!("{bad:?} accepted");
            };
            assert_eq!(errors.errors()[0].field.to_string(), "threshold");
        }
        assert_eq!(app.inequality_threshold().await.unwrap(), 5.0);
        app.set_inequality_threshold(&manager, "40").await.unwrap();
        let view = app.dashboard(&manager, waits(Some("sex"))).await.unwrap();
        assert_eq!(view.threshold, 40.0);
        assert!(view.gap.is_none(), "everyone is female: nothing to compare");

        let lines = app.sitrep(&manager).await.unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].waits.bands, [0, 25, 0, 0, 0, 25, 0, 0]);
        let csv = sitrep_csv("RXX", "2026-11-23", &lines);
        assert!(
            csv.contains("2026-11-23,RXX,Community Physiotherapy,50,0,25,0,0,0,25,0,0,11.0\n"),
            "{csv}"
        );

        // Counts by group are for service managers only.
        assert!(matches!(
            app.dashboard(&desk, waits(None)).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(app.sitrep(&desk).await, Err(AppError::Forbidden)));
        assert!(matches!(
            app.inequality_alerts(&desk).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            app.refresh_dashboards(&desk).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[test]
fn a_dashboard_query_names_every_wrong_parameter() {
    let Err(AppError::Invalid(errors)) =
        DashboardQuery::parse("waits", Some("shoe size"), Some("nowhere"), Some("7"))
    else {
        panic!("accepted");
    };
    let mut fields: Vec<String> = errors
        .errors()
        .iter()
        .map(|e| e.field.to_string())
        .collect();
    fields.sort();
    assert_eq!(fields, ["cut", "for_service", "months"]);
    assert!(matches!(
        DashboardQuery::parse("horoscope", None, None, None),
        Err(AppError::NotFound)
    ));
    let query = DashboardQuery::parse("attendance", Some("age"), Some(""), Some("3")).unwrap();
    assert_eq!(
        (query.dashboard, query.cut, query.months),
        (Dashboard::Attendance, Cut::AgeBand, 3)
    );
}
