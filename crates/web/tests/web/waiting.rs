//! The waiting lists: bands per service and priority, the longest waiting by name (audited),
//! for the roles that manage waits only.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::choice::ready_to_book;
use crate::harness::TestApp;

#[tokio::test]
async fn staff_see_who_waits_in_which_band() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (_, first) = ready_to_book(&app, "wait.one@example.com").await;
        ready_to_book(&app, "wait.two@example.com").await;

        let mut physio = app.staff(Role::Clinician).await;
        assert_eq!(
            physio.get("/staff/waiting").await.status,
            StatusCode::FORBIDDEN
        );

        let mut coordinator = app.staff(Role::Coordinator).await;
        let page = coordinator.get("/staff/waiting").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("0–1 weeks") && page.body.contains("52+ weeks"));
        assert!(page.body.contains(&app.clinic.service.name));
        assert!(page.body.contains(&format!("/staff/referrals/{first}")));

        let lines = coordinator.api("GET", "/api/v1/waiting-lists", None).await;
        assert_eq!(lines.status, StatusCode::OK, "{}", lines.body);
        let lines = lines.json();
        assert_eq!(lines[0]["total"], 2);
        assert_eq!(lines[0]["priority"], "routine");
        assert_eq!(lines[0]["bands"][0]["weeks"], "0–1");
        assert_eq!(lines[0]["bands"][0]["count"], 2);

        let referral = store
            .find_referral(first.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        let trail = store.audit_for_patient(referral.patient_id).await.unwrap();
        assert!(
            trail.iter().any(|a| a.route == "waiting.list"),
            "naming them is audited"
        );
    })
    .await;
}
