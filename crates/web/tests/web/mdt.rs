//! The MDT: a referral marked for discussion is listed; the outcome goes in the person's
//! passport and takes it off the list; a blank outcome is named and changes nothing.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;

use crate::harness::TestApp;

#[tokio::test]
async fn an_mdt_outcome_goes_in_the_passport_and_off_the_list() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut mo, referral) = app.patient("mo.mdt@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        let page = triage.get(&format!("/staff/referrals/{referral}")).await;
        let marked = triage
            .post_form(
                &format!("/staff/referrals/{referral}/mdt"),
                &page.csrf(),
                &[("version", "0")],
            )
            .await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER, "{}", marked.body);
        let list = triage.get("/staff/mdt").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(
            list.body
                .contains(&format!("/staff/referrals/{referral}#mdt-outcome"))
        );

        let page = triage.get(&format!("/staff/referrals/{referral}")).await;
        assert!(page.body.contains("Record the MDT outcome"));
        let path = format!("/staff/referrals/{referral}/mdt-outcome");
        let blank = triage
            .post_form(
                &path,
                &page.csrf(),
                &[("mdt_outcome", " "), ("version", "1")],
            )
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            blank.body.contains("href=\"#mdt_outcome\""),
            "{}",
            blank.body
        );
        let recorded = triage
            .post_form(
                &path,
                &page.csrf(),
                &[
                    (
                        "mdt_outcome",
                        "Agreed: an injection first, then review in 8 weeks.",
                    ),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let after = triage.get(recorded.location().unwrap()).await;
        assert!(
            after
                .body
                .contains("The outcome is in the person&#x27;s passport.")
                || after
                    .body
                    .contains("The outcome is in the person's passport.")
        );
        assert!(
            !after
                .body
                .contains(&format!("/staff/referrals/{referral}#mdt-outcome"))
        );
        let passport = mo.get("/portal/passport").await;
        assert!(
            passport
                .body
                .contains("Team discussion (multidisciplinary team)")
        );
        assert!(passport.body.contains("an injection first"));

        let again = triage
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/mdt-outcome"),
                Some(serde_json::json!({"mdt_outcome": "Again", "version": 2})),
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let mut desk = app.staff(Role::Coordinator).await;
        assert_eq!(desk.get("/staff/mdt").await.status, StatusCode::FORBIDDEN);
    })
    .await;
}
