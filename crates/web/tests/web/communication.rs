//! Communication needs through the API and the staff page, the portal inbox, and delivery
//! receipts from the provider (its own token, never a session). On both backends.

use axum::http::StatusCode;
use jointly_domain::MessageId;
use jointly_domain::access::Role;
use jointly_domain::contact::ContactChannel;
use jointly_domain::message::MessageTemplate;
use jointly_store::testing::{now, on_each_backend};
use jointly_store::{OutboxStatus, PortalMessage};
use serde_json::json;

use crate::harness::{RECEIPT_TOKEN, TestApp};

#[tokio::test]
async fn needs_are_recorded_flagged_and_checked() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.needs@example.com").await;

        let bad = amy
            .api(
                "PUT",
                "/api/v1/me/communication",
                Some(json!({"needs": ["telepathy"], "quiet_from": "25:00", "quiet_until": "07:00"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let fields: Vec<String> = bad.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(fields, ["needs", "quiet_from"]);
        let unknown = amy
            .api("PUT", "/api/v1/me/communication", Some(json!({"wings": true})))
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let unchanged = amy.api("GET", "/api/v1/me/communication", None).await;
        assert_eq!(unchanged.json()["needs"], json!([]));

        let saved = amy
            .api(
                "PUT",
                "/api/v1/me/communication",
                Some(json!({"needs": ["easy_read", "large_print_20"], "channels": ["letter", "email"],
                            "quiet_from": "21:00", "quiet_until": "08:00"})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let body = saved.json();
        assert_eq!(body["needs"][0]["snomed"], "796161000000101");
        assert_eq!(body["letter_format"], "large_print");
        assert_eq!(body["point_size"], 20);

        // Staff with a relationship record a BSL interpreter; the referral page flags it.
        let mut triage = app.staff(Role::TriageClinician).await;
        let path = format!("/api/v1/referrals/{referral}/communication");
        let recorded = triage
            .api("PUT", &path, Some(json!({"needs": ["bsl_interpreter"], "digitally_excluded": "yes"})))
            .await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
        assert_eq!(recorded.json()["interpreter"], "bsl_interpreter");
        let page = triage.get(&format!("/staff/referrals/{referral}")).await;
        for words in [
            "Communication needs",
            "British Sign Language interpreter needed",
            "Book a double appointment (interpreter)",
            "No internet: letters and phone calls only",
        ] {
            assert!(page.body.contains(words), "{words}");
        }
        let mut stranger = app.staff_in(Role::Clinician, vec![]).await;
        let refused = stranger
            .api("PUT", &path, Some(json!({"needs": ["easy_read"]})))
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let missing = triage
            .api("PUT", "/api/v1/referrals/not-an-id/communication", Some(json!({})))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn the_inbox_counts_unread_messages() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.inbox@example.com").await;
        let patient = store
            .find_referral(referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let id = MessageId::new();
        let mut tx = store.begin().await.unwrap();
        let message = PortalMessage {
            id,
            template: MessageTemplate::ReferralReceived,
            subject: "We have your referral".into(),
            body: "Thank you.".into(),
            created_at: now(),
            read_at: None,
        };
        tx.record_portal_message(patient, &message).await.unwrap();
        tx.record_portal_message(patient, &message).await.unwrap();
        tx.commit().await.unwrap();
        let inbox = amy.api("GET", "/api/v1/me/inbox", None).await.json();
        assert_eq!(inbox["unread"], 1);
        assert_eq!(inbox["messages"].as_array().unwrap().len(), 1);
        let read = amy
            .api("POST", &format!("/api/v1/me/inbox/{id}/read"), None)
            .await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(
            amy.api("GET", "/api/v1/me/inbox", None).await.json()["unread"],
            0
        );
        let (mut ben, _) = app.patient("ben.inbox@example.com").await;
        let not_theirs = ben
            .api("POST", &format!("/api/v1/me/inbox/{id}/read"), None)
            .await;
        assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn receipts_need_the_providers_token_and_a_refusal_moves_the_message_on() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (_, referral) = app.patient("amy.receipt@example.com").await;
        let patient = store
            .find_referral(referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let sent = store.outbox_for_patient(patient).await.unwrap()[0].clone();
        let mut tx = store.begin().await.unwrap();
        tx.mark_message_sent(sent.id, ContactChannel::Email, "notify-abc", now())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut provider = app.client();
        let receipt = json!({"id": "notify-abc", "reference": sent.id.to_string(),
                             "to": "amy.receipt@example.com", "status": "permanent-failure",
                             "notification_type": "email"});
        let anonymous = provider
            .api("POST", "/api/v1/notify/receipts", Some(receipt.clone()))
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        // A staff session is not the provider's token.
        let mut staff = app.staff(Role::ServiceManager).await;
        let with_session = staff
            .api("POST", "/api/v1/notify/receipts", Some(receipt.clone()))
            .await;
        assert_eq!(with_session.status, StatusCode::UNAUTHORIZED);
        provider.bearer = Some(RECEIPT_TOKEN.into());
        let nonsense = provider
            .api(
                "POST",
                "/api/v1/notify/receipts",
                Some(json!({"id": "notify-abc", "status": "lost-in-post"})),
            )
            .await;
        assert_eq!(
            nonsense.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            nonsense.body
        );
        let malformed = provider
            .api(
                "POST",
                "/api/v1/notify/receipts",
                Some(json!({"status": "delivered"})),
            )
            .await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            store.find_message(sent.id).await.unwrap().unwrap().status,
            OutboxStatus::Sent,
            "bad receipts change nothing"
        );
        let unknown = provider
            .api(
                "POST",
                "/api/v1/notify/receipts",
                Some(json!({"id": "nobody", "status": "delivered"})),
            )
            .await;
        assert_eq!(unknown.json()["result"], "unknown_reference");
        let refused = provider
            .api("POST", "/api/v1/notify/receipts", Some(receipt))
            .await;
        assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
        assert_eq!(refused.json()["result"], "trying_next_channel");
        let message = store.find_message(sent.id).await.unwrap().unwrap();
        assert_eq!(message.status, OutboxStatus::Pending);
        assert_eq!(message.failed_channels, [ContactChannel::Email]);
        assert_eq!(
            message.delivery_status.as_deref(),
            Some("permanent-failure")
        );
    })
    .await;
}

#[tokio::test]
async fn the_pages_ask_about_a_carer_not_of_one() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.pages@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        for (client, path) in [
            (&mut amy, "/portal/communication".to_owned()),
            (
                &mut triage,
                format!("/staff/referrals/{referral}/communication"),
            ),
        ] {
            let page = client.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert!(
                page.body
                    .contains("The carer&#x27;s or proxy&#x27;s full name")
                    || page.body.contains("The carer's or proxy's full name"),
                "{path}: {}",
                page.body
            );
            assert!(
                page.body
                    .contains("Has the patient agreed that we may contact them?")
            );
            assert!(!page.body.contains("Your full name"), "{path}");
            assert!(
                !page.body.contains("Do they know about this referral"),
                "{path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_portal_can_come_first_and_staff_see_it() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.portal@example.com").await;
        let form = amy.get("/portal/communication").await;
        assert!(form.body.contains("value=\"portal\""));

        // Only as the first choice, and not with no internet: named, nothing saved.
        let refused = amy
            .post_form(
                "/portal/communication",
                &form.csrf(),
                &[("channel_1", "email"), ("channel_2", "portal")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("Choose the portal first, or not at all")
        );
        let offline = amy
            .api(
                "PUT",
                "/api/v1/me/communication",
                Some(json!({"channels": ["portal", "letter"], "digitally_excluded": "yes"})),
            )
            .await;
        assert_eq!(offline.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unchanged = amy.api("GET", "/api/v1/me/communication", None).await;
        assert_eq!(unchanged.json()["preferences"]["portal_first"], false);

        let saved = amy
            .post_form(
                "/portal/communication",
                &form.csrf(),
                &[("channel_1", "portal"), ("channel_2", "email")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let profile = amy.api("GET", "/api/v1/me/communication", None).await;
        assert_eq!(profile.json()["preferences"]["portal_first"], true);
        assert_eq!(profile.json()["preferences"]["order"], json!(["email"]));
        let again = amy.get("/portal/communication").await;
        assert!(
            again.body.contains("<option value=\"portal\" selected"),
            "shown as chosen"
        );

        let mut triage = app.staff(Role::TriageClinician).await;
        let page = triage.get(&format!("/staff/referrals/{referral}")).await;
        assert!(page.body.contains("Portal first"));
    })
    .await;
}
