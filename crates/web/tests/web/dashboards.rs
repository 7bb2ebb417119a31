//! The population-health dashboards on the web: a service manager sees each dashboard cut by
//! any group, downloads it and the SitRep return as CSV, works the figures out again and sets
//! the alert threshold; a wrong parameter or threshold is named (422) and changes nothing;
//! other staff are refused.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_domain::population::Cut;
use jointly_store::testing::on_each_backend;

use crate::harness::TestApp;

#[tokio::test]
async fn a_service_manager_reads_every_dashboard_by_every_group() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        app.patient("cut@example.com").await;
        let mut manager = app.staff(Role::ServiceManager).await;
        let index = manager.get("/staff/dashboards").await;
        assert_eq!(index.status, StatusCode::OK, "{}", index.body);
        assert!(
            index
                .body
                .contains("The figures have not been worked out yet.")
        );
        let refreshed = manager
            .post_form("/staff/dashboards/refresh", &index.csrf(), &[])
            .await;
        assert_eq!(refreshed.location(), Some("/staff/dashboards?refreshed=1"));
        let index = manager.get("/staff/dashboards?refreshed=1").await;
        assert!(
            index.body.contains("Figures worked out on"),
            "{}",
            index.body
        );
        assert!(
            index
                .body
                .contains("No deprivation lookup has been imported")
        );

        for dashboard in [
            "referrals",
            "triage",
            "waits",
            "attendance",
            "outcomes",
            "feedback",
        ] {
            for cut in Cut::ALL {
                let path = format!(
                    "/staff/dashboards/{dashboard}?cut={}&months=24",
                    cut.as_str()
                );
                let page = manager.get(&path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
                assert!(page.body.contains("Everyone"), "{path}");
            }
        }
        // The referral made above counts, as a self-referral, among those not known by
        // deprivation.
        let referrals = manager.get("/staff/dashboards/referrals").await;
        assert!(
            referrals.body.contains("Self-referral"),
            "{}",
            referrals.body
        );
        assert!(referrals.body.contains("Not known"));
        let csv = manager.get("/staff/dashboards/referrals/csv?cut=sex").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        assert!(
            csv.body.starts_with("cut,group,count,self,"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("\nsex,all,1,1,"), "{}", csv.body);
        let sitrep = manager.get("/staff/dashboards/sitrep.csv").await;
        assert_eq!(sitrep.status, StatusCode::OK);
        assert!(
            sitrep
                .body
                .starts_with("census_date,organisation_code,service,RES001c_total_waiting")
        );

        // Wrong parameters are named, on the page and in the download.
        let wrong = manager
            .get("/staff/dashboards/waits?cut=shoe-size&months=7&for_service=nowhere")
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Choose how to group people from the list",
            "Choose a period from the list",
            "Choose a service from the list",
        ] {
            assert!(wrong.body.contains(message), "{message}");
        }
        assert!(wrong.body.contains("href=\"#cut\""));
        let wrong_csv = manager
            .get("/staff/dashboards/waits/csv?cut=shoe-size")
            .await;
        assert_eq!(wrong_csv.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            manager.get("/staff/dashboards/horoscope").await.status,
            StatusCode::NOT_FOUND
        );

        // Clinic use, by service and place.
        let clinics = manager.get("/staff/dashboards/clinics?months=3").await;
        assert_eq!(clinics.status, StatusCode::OK, "{}", clinics.body);
        assert!(clinics.body.contains("Cancelled ahead of time"));
        let wrong = manager.get("/staff/dashboards/clinics?months=5").await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Choose a period from the list"));
        let csv = manager.get("/staff/dashboards/clinics/csv").await;
        assert!(
            csv.body
                .starts_with("service,place,slots,blocked,available,used,utilisation_percent"),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains("\nEveryone,,") || csv.body.contains("\nall,all,"),
            "{}",
            csv.body
        );

        // The threshold.
        let bad = manager
            .post_form(
                "/staff/dashboards/threshold",
                &index.csrf(),
                &[("threshold", "lots")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains("Enter a number of percentage points from 0.5 to 50")
        );
        assert_eq!(app.app.inequality_threshold().await.unwrap(), 5.0);
        let saved = manager
            .post_form(
                "/staff/dashboards/threshold",
                &index.csrf(),
                &[("threshold", "7.5")],
            )
            .await;
        assert_eq!(saved.location(), Some("/staff/dashboards?saved=1"));
        assert!(
            manager
                .get("/staff/dashboards?saved=1")
                .await
                .body
                .contains("value=\"7.5\"")
        );

        // Counts by group are for service managers.
        for role in [Role::Coordinator, Role::Clinician, Role::TriageClinician] {
            let mut other = app.staff(role).await;
            for path in [
                "/staff/dashboards",
                "/staff/dashboards/waits",
                "/staff/dashboards/sitrep.csv",
            ] {
                assert_eq!(
                    other.get(path).await.status,
                    StatusCode::FORBIDDEN,
                    "{role:?} {path}"
                );
            }
        }
    })
    .await;
}
