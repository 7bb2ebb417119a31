//! Secure messaging through the API, on both backends: a patient writes to their care team
//! (the conversation goes to their key contact), with a PDF kept in the store; the team sees
//! it unread, reads and replies; the patient is told by their channel without the words; open
//! pages hear of new messages as an event stream; nobody else sees any of it; bad input is
//! named and stores nothing.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http_body_util::BodyExt;
use jointly_domain::access::Role;
use jointly_domain::message::MessageTemplate;
use jointly_store::testing::on_each_backend;
use serde_json::json;
use tower::ServiceExt;

use crate::choice::accept;
use crate::harness::TestApp;

const PDF: &[u8] = b"%PDF-1.7\n% a scan of my knee\n%%EOF\n";

#[tokio::test]
async fn a_patient_and_their_care_team_write_to_each_other_and_nobody_else_reads_it() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        // The triage clinician who accepts the referral becomes the key contact.
        let (mut amy, referral) = app.patient("amy.talk@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;

        // Bad input is named and stores nothing.
        for (body, field) in [
            (json!({"subject": " ", "body": "My knee"}), "subject"),
            (json!({"subject": "Knee", "body": ""}), "body"),
            (
                json!({"subject": "Knee", "body": "Scan", "attachment": {"file_name": "scan.pdf", "content_base64": "%%%"}}),
                "attachment",
            ),
            (
                json!({"subject": "Knee", "body": "Scan", "attachment": {"file_name": "run.exe", "content_base64": STANDARD.encode(b"MZ\x90")}}),
                "attachment",
            ),
        ] {
            let bad = amy.api("POST", "/api/v1/me/conversations", Some(body)).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
            assert!(bad.body.contains(field), "{field}: {}", bad.body);
        }
        let unknown = amy
            .api("POST", "/api/v1/me/conversations", Some(json!({"subject": "x", "body": "y", "cc": "all"})))
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
        assert!(unknown.body.contains("cc"), "{}", unknown.body);
        let none = amy.api("GET", "/api/v1/me/conversations", None).await;
        assert_eq!(none.json(), json!([]));

        let started = amy
            .api(
                "POST",
                "/api/v1/me/conversations",
                Some(json!({
                    "subject": "My exercises",
                    "body": "The knee exercises hurt after two days. Should I stop?",
                    "attachment": {"file_name": "C:\\scans\\knee.pdf", "content_base64": STANDARD.encode(PDF)},
                })),
            )
            .await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let conversation = started.json();
        let id = conversation["id"].as_str().unwrap().to_owned();
        let key_contact = conversation["assigned_to"].as_str().unwrap().to_owned();
        let attachment = conversation["messages"][0]["attachment"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(conversation["messages"][0]["attachment"]["file_name"], "knee.pdf");

        // The key contact's list shows it unread; reading it clears that. (Each step is a
        // minute after the last, as between people.)
        let minute = jiff::SignedDuration::from_mins(1);
        app.clock.advance(minute);
        let list = triage.api("GET", "/api/v1/conversations", None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.json()[0]["id"], id.as_str());
        assert_eq!(list.json()[0]["unread"], 1);
        let read = triage.api("GET", &format!("/api/v1/conversations/{id}"), None).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.json()["messages"][0]["from"], "patient");
        let list = triage.api("GET", "/api/v1/conversations", None).await;
        assert_eq!(list.json()[0]["unread"], 0);

        // The patient's open page listens for new messages.
        let mut listen = Request::get(format!("/api/v1/me/conversations/{id}/events"))
            .header("host", "localhost")
            .header("authorization", format!("Bearer {}", amy.bearer.clone().unwrap()))
            .body(Body::empty())
            .unwrap();
        listen.headers_mut().insert("accept", "text/event-stream".parse().unwrap());
        let stream = app.router.clone().oneshot(listen).await.unwrap();
        assert_eq!(stream.status(), StatusCode::OK);
        assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut body = stream.into_body();

        app.clock.advance(minute);
        let replied = triage
            .api(
                "POST",
                &format!("/api/v1/conversations/{id}/messages"),
                Some(json!({"body": "Keep going but halve the repetitions; we will review on Monday."})),
            )
            .await;
        assert_eq!(replied.status, StatusCode::CREATED, "{}", replied.body);
        let frame = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("an event within 5 s")
            .unwrap()
            .unwrap();
        let event = String::from_utf8_lossy(frame.data_ref().unwrap()).into_owned();
        assert!(event.contains("event: message") && event.contains(&id), "{event}");
        // A server shutting down ends the stream, so the open page cannot hold it up.
        app.app.close_streams();
        let end = tokio::time::timeout(Duration::from_secs(5), body.frame())
            .await
            .expect("the stream ends within 5 s");
        assert!(end.is_none(), "the stream ended");

        // The patient is told there is a message, by their channel, never what it says.
        let mine = amy.api("GET", "/api/v1/me/conversations", None).await;
        assert_eq!(mine.json()[0]["unread"], 1);
        let patient = store
            .find_conversation(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let told: Vec<_> = store
            .outbox_for_patient(patient)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.template == MessageTemplate::CareTeamMessage)
            .collect();
        assert_eq!(told.len(), 1);
        assert!(!format!("{:?}", told[0].data).contains("halve"));
        let thread = amy.api("GET", &format!("/api/v1/me/conversations/{id}"), None).await;
        assert_eq!(thread.json()["messages"][1]["from"], "care_team");
        assert_eq!(thread.json()["messages"][1]["author"], "Test User");
        let mine = amy.api("GET", "/api/v1/me/conversations", None).await;
        assert_eq!(mine.json()[0]["unread"], 0);

        // The attachment comes back as a file, byte for byte.
        let file = amy
            .api("GET", &format!("/api/v1/me/conversations/{id}/attachments/{attachment}"), None)
            .await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "application/pdf");
        assert!(file.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(file.body.as_bytes(), PDF);

        // Handing it on: to someone who is not staff is named; to a member of staff works.
        let bad = triage
            .api("PUT", &format!("/api/v1/conversations/{id}/assignee"), Some(json!({"staff_id": patient.to_string()})))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert_eq!(bad.json()["errors"][0]["field"], "staff_id", "the field sent is named");
        let again = triage
            .api("PUT", &format!("/api/v1/conversations/{id}/assignee"), Some(json!({"staff_id": key_contact})))
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);

        // Nobody else: another patient, staff of another service, or no one signed in.
        let (mut ben, _) = app.patient("ben.other@example.com").await;
        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        for (patient_side, path) in [
            (true, format!("/api/v1/me/conversations/{id}")),
            (true, format!("/api/v1/me/conversations/{id}/attachments/{attachment}")),
            (false, format!("/api/v1/conversations/{id}")),
            (false, format!("/api/v1/conversations/{id}/events")),
        ] {
            let client = if patient_side { &mut ben } else { &mut elsewhere };
            let refused = client.api("GET", &path, None).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}: {}", refused.body);
        }
        let others = elsewhere.api("GET", "/api/v1/conversations", None).await;
        assert_eq!(others.json(), json!([]));
        let audit = store.audit_for_patient(patient).await.unwrap();
        assert!(audit.iter().any(|a| a.route == "conversation.read" && a.outcome == "denied"));
        let anonymous = app.client().api("GET", &format!("/api/v1/me/conversations/{id}"), None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn the_portal_and_the_workspace_show_the_same_conversation() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.pages@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;

        let list = amy.get("/portal/conversations").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("There are no conversations yet."));
        let form = amy.get("/portal/conversations/new").await;
        assert!(form.body.contains("call 999"), "{}", form.body);
        let empty = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &[("subject", ""), ("body", "")],
                None,
            )
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            empty.body
        );
        assert!(empty.body.contains("There is a problem"));
        assert!(empty.body.contains("href=\"#subject\"") && empty.body.contains("href=\"#body\""));
        assert!(
            amy.get("/portal/conversations")
                .await
                .body
                .contains("no conversations")
        );

        let sent = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &[
                    ("subject", "Swelling"),
                    ("body", "My knee is swollen <b>today</b>."),
                ],
                None,
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let path = sent.location().unwrap().to_owned();
        let id = path.trim_start_matches("/portal/conversations/").to_owned();
        let thread = amy.get(&path).await;
        assert!(
            thread.body.contains("My knee is swollen "),
            "{}",
            thread.body
        );
        assert!(
            !thread.body.contains("<b>today</b>"),
            "the words are escaped"
        );
        assert!(thread.body.contains(&format!(
            "data-events=\"/portal/conversations/{id}/events\""
        )));

        app.clock.advance(jiff::SignedDuration::from_mins(1));
        let inbox = triage.get("/staff/conversations").await;
        assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
        assert!(
            inbox.body.contains("Swelling") && inbox.body.contains("1 unread"),
            "{}",
            inbox.body
        );
        let open = triage.get(&format!("/staff/conversations/{id}")).await;
        assert_eq!(open.status, StatusCode::OK, "{}", open.body);
        let empty = triage
            .post_upload(
                &format!("/staff/conversations/{id}"),
                &open.csrf(),
                &[("body", " ")],
                None,
            )
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            empty.body
        );
        let replied = triage
            .post_upload(
                &format!("/staff/conversations/{id}"),
                &open.csrf(),
                &[("body", "Rest it and use ice; call us if it gets worse.")],
                None,
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);

        let list = amy.get("/portal/conversations").await;
        assert!(list.body.contains("1 unread"), "{}", list.body);
        let thread = amy.get(&path).await;
        assert!(thread.body.contains("Rest it and use ice"));
        assert!(
            amy.get("/portal/conversations")
                .await
                .body
                .contains("Swelling")
        );
        assert!(
            !amy.get("/portal/conversations")
                .await
                .body
                .contains("1 unread")
        );

        // Someone else's conversation is not found, in either workspace.
        let (mut ben, _) = app.patient("ben.pages@example.com").await;
        assert_eq!(ben.get(&path).await.status, StatusCode::NOT_FOUND);
        let mut elsewhere = app.staff_in(Role::Clinician, vec![]).await;
        let refused = elsewhere.get(&format!("/staff/conversations/{id}")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn files_are_attached_from_the_pages_and_bad_ones_are_named() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut amy, referral) = app.patient("amy.files@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let form = amy.get("/portal/conversations/new").await;
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert!(form.body.contains("type=\"file\""));
        let fields = [("subject", "Photo of my knee"), ("body", "Here it is.")];

        // Not a picture or a PDF, too big, or sent without the form's token: nothing stored.
        let wrong = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &fields,
                Some(("notes.txt", b"just some text")),
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
        assert!(
            wrong.body.contains("href=\"#attachment\""),
            "{}",
            wrong.body
        );
        assert!(wrong.body.contains("The file must be a PDF, JPEG or PNG"));
        assert!(
            wrong.body.contains("Here it is."),
            "what was written is kept"
        );
        let mut big = PNG.to_vec();
        big.resize(5 * 1024 * 1024 + 1, 0);
        let too_big = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &fields,
                Some(("knee.png", &big)),
            )
            .await;
        assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_big.body.contains("The file must be 5 MB or smaller"));
        big.resize(8 * 1024 * 1024, 0);
        let far_too_big = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &fields,
                Some(("knee.png", &big)),
            )
            .await;
        assert_eq!(far_too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
        let forged = amy
            .post_upload(
                "/portal/conversations/new",
                "not-the-token",
                &fields,
                Some(("knee.png", PNG)),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let garbled = Request::post("/portal/conversations/new")
            .header("cookie", amy.cookie_header())
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("content-type", "multipart/form-data; boundary=x")
            .body(Body::from("this is not a multipart body"))
            .unwrap();
        let garbled = amy.send(garbled).await;
        assert_eq!(garbled.status, StatusCode::BAD_REQUEST, "{}", garbled.body);
        assert!(
            amy.get("/portal/conversations")
                .await
                .body
                .contains("no conversations")
        );

        let sent = amy
            .post_upload(
                "/portal/conversations/new",
                &form.csrf(),
                &fields,
                Some(("knee.png", PNG)),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let path = sent.location().unwrap().to_owned();
        let thread = amy.get(&path).await;
        assert!(
            thread.body.contains("Attachment: knee.png"),
            "{}",
            thread.body
        );
        let href = thread
            .body
            .split("href=\"")
            .find(|rest| rest.contains("/attachments/"))
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let file = amy.get(&href).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers["content-type"], "image/png");

        // The care team replies with a letter.
        let id = path.trim_start_matches("/portal/conversations/");
        let open = triage.get(&format!("/staff/conversations/{id}")).await;
        let replied = triage
            .post_upload(
                &format!("/staff/conversations/{id}"),
                &open.csrf(),
                &[("body", "Your exercise sheet is attached.")],
                Some(("exercises.pdf", PDF)),
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
        assert!(
            amy.get(&path)
                .await
                .body
                .contains("Attachment: exercises.pdf")
        );
    })
    .await;
}

/// The smallest start of a PNG: its signature and header chunk.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";
