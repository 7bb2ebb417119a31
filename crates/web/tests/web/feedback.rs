//! Feedback that changes things, on the web: anyone gives Friends and Family Test feedback
//! with a story; customer care tags its themes, enters paper answers, downloads the FFT return,
//! answers concerns by their deadlines and publishes "you said, we did"; a link in a message
//! is answered once. Bad input is named and changes nothing.

use axum::http::StatusCode;
use jointly_domain::Clock;
use jointly_domain::access::Role;
use jointly_domain::feedback::Moment;
use jointly_store::testing::on_each_backend;

use crate::choice::accept;
use crate::harness::{TestApp, link_key};

#[tokio::test]
async fn feedback_reaches_customer_care_who_tag_it_report_it_and_say_what_they_did() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut visitor = app.client();
        let page = visitor.get("/feedback").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            page.body
                .contains("Overall, how was your experience of our service?")
        );
        let blank = visitor
            .post_form("/feedback", &page.csrf(), &[("story", "It was fine")])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["moment", "answer", "publish"] {
            assert!(
                blank.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }
        let given = visitor
            .post_form(
                "/feedback",
                &page.csrf(),
                &[
                    ("moment", "after_appointment"),
                    ("answer", "good"),
                    ("comment", "Kind staff, but the car park was full."),
                    ("story", "I can walk my dog again."),
                    ("publish", "yes"),
                ],
            )
            .await;
        assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
        assert!(
            visitor
                .get(given.location().unwrap())
                .await
                .body
                .contains("We read every answer.")
        );

        let mut care = app.staff(Role::Coordinator).await;
        let review = care.get("/staff/feedback").await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.body);
        assert!(
            review
                .body
                .contains("Kind staff, but the car park was full.")
        );
        let listed = care.api("GET", "/api/v1/feedback", None).await;
        let id = listed.json()[0]["id"].as_str().unwrap().to_owned();
        let tagged = care
            .post_form(
                &format!("/staff/feedback/{id}/themes"),
                &review.csrf(),
                &[("theme_staff", "yes"), ("theme_access", "yes")],
            )
            .await;
        assert_eq!(tagged.status, StatusCode::SEE_OTHER, "{}", tagged.body);
        let listed = care.api("GET", "/api/v1/feedback", None).await;
        assert_eq!(
            listed.json()[0]["themes"],
            serde_json::json!(["staff", "access"])
        );
        let bad_month = care.api("GET", "/api/v1/feedback?month=soon", None).await;
        assert_eq!(
            bad_month.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad_month.body
        );
        let misspelt = care.api("GET", "/api/v1/feedback?mnth=2026-11", None).await;
        assert_eq!(
            misspelt.status,
            StatusCode::BAD_REQUEST,
            "{}",
            misspelt.body
        );
        assert_eq!(misspelt.json()["code"], "unknown_parameter");

        let paper = care
            .post_form(
                "/staff/feedback",
                &review.csrf(),
                &[("moment", "at_discharge"), ("answer", "poor")],
            )
            .await;
        assert_eq!(paper.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(paper.body.contains("href=\"#mode\""));
        let paper = care
            .post_form(
                "/staff/feedback",
                &review.csrf(),
                &[
                    ("mode", "paper"),
                    ("about_service", &app.clinic.service.id.to_string()),
                    ("moment", "at_discharge"),
                    ("answer", "poor"),
                    ("comment", "Waited too long."),
                ],
            )
            .await;
        assert_eq!(paper.status, StatusCode::SEE_OTHER, "{}", paper.body);

        let month = jointly_domain::local_date(app.clock.now())
            .strftime("%Y-%m")
            .to_string();
        let csv = care
            .get(&format!("/staff/feedback/fft.csv?month={month}"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(lines[0].starts_with("period,organisation_code,service_code"));
        assert_eq!(
            lines.len(),
            3,
            "a row for the service and one for feedback about none: {}",
            csv.body
        );
        assert!(
            csv.body.contains(",0,1,0,0,0,0,1,100,0,0,1,0,0"),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains(",0,0,0,1,0,0,1,0,100,0,0,1,0"),
            "{}",
            csv.body
        );

        let improvements = care.get("/staff/improvements").await;
        let blank = care
            .post_form("/staff/improvements", &improvements.csrf(), &[])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["theme", "you_said", "we_did", "owner", "improvement_status"] {
            assert!(
                blank.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }
        let added = care
            .post_form(
                "/staff/improvements",
                &improvements.csrf(),
                &[
                    ("theme", "access"),
                    ("you_said", "The car park is full in the mornings."),
                    ("we_did", "Twenty more spaces reserved for patients."),
                    ("owner", "Estates manager"),
                    ("improvement_status", "done"),
                    ("published", "yes"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let public = visitor.get("/you-said-we-did").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public
                .body
                .contains("Twenty more spaces reserved for patients.")
        );
        assert!(
            public.body.contains("I can walk my dog again."),
            "the published story"
        );
        let api = visitor.api("GET", "/api/v1/you-said-we-did", None).await;
        assert_eq!(api.json()[0]["status"], "done");

        let mut physio = app.staff(Role::Clinician).await;
        assert_eq!(
            physio.get("/staff/feedback").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            physio.get("/staff/concerns").await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

#[tokio::test]
async fn a_concern_is_acknowledged_and_answered_from_the_version_read() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut visitor = app.client();
        let form = visitor.get("/concerns").await;
        assert!(form.body.contains("within 3 working days"));
        let blank = visitor.post_form("/concerns", &form.csrf(), &[]).await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["name", "contact", "concern"] {
            assert!(
                blank.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }
        let raised = visitor
            .post_form(
                "/concerns",
                &form.csrf(),
                &[
                    ("name", "Ann Jones"),
                    ("contact", "ann@example.com"),
                    ("concern", "Nobody called me back about my referral."),
                ],
            )
            .await;
        assert_eq!(raised.status, StatusCode::SEE_OTHER, "{}", raised.body);

        let mut care = app.staff(Role::ServiceManager).await;
        let list = care.get("/staff/concerns").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("Nobody called me back"));
        let start = list.body.find("action=\"/staff/concerns/").unwrap() + 24;
        let id = list.body[start..].split('"').next().unwrap().to_owned();
        let path = format!("/staff/concerns/{id}");
        let acknowledged = care
            .post_form(
                &path,
                &list.csrf(),
                &[("concern_status", "acknowledged"), ("version", "0")],
            )
            .await;
        assert_eq!(
            acknowledged.status,
            StatusCode::SEE_OTHER,
            "{}",
            acknowledged.body
        );
        let empty = care
            .post_form(
                &path,
                &list.csrf(),
                &[("concern_status", "responded"), ("version", "1")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty.body.contains(&format!("href=\"#response-{id}\"")),
            "{}",
            empty.body
        );
        let stale = care
            .post_form(
                &path,
                &list.csrf(),
                &[
                    ("concern_status", "responded"),
                    ("response", "Sorry."),
                    ("version", "0"),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let answered = care
            .post_form(
                &path,
                &list.csrf(),
                &[
                    ("concern_status", "responded"),
                    ("response", "We have called you and booked you in."),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        let after = care.get("/staff/concerns?saved=1").await;
        assert!(after.body.contains("We have called you and booked you in."));
        let api = visitor
            .api(
                "POST",
                "/api/v1/concerns",
                Some(serde_json::json!({"name": "Bo", "contact": "", "concern": "x"})),
            )
            .await;
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    })
    .await;
}

#[tokio::test]
async fn a_feedback_link_is_answered_once_about_its_referral() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let (_, referral) = app.patient("fay.feedback@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let token = link_key().feedback_token(referral.parse().unwrap(), Moment::AtDischarge);
        let mut fay = app.client();
        let path = format!("/feedback/{token}");
        let page = fay.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("The end of your care"));
        assert!(
            !page.body.contains("What is your feedback about?"),
            "the link says already"
        );
        let answered = fay
            .post_form(
                &path,
                &page.csrf(),
                &[("answer", "very_good"), ("comment", "Thank you")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        let again = fay.get(&path).await;
        assert!(again.body.contains("We read every answer."));
        assert!(!again.body.contains("name=\"answer\""), "answered once");
        let twice = fay
            .post_form(&path, &page.csrf(), &[("answer", "poor")])
            .await;
        assert_eq!(twice.status, StatusCode::SEE_OTHER);
        let mut care = app.staff(Role::Coordinator).await;
        let listed = care.api("GET", "/api/v1/feedback", None).await;
        let all = listed.json();
        assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
        assert_eq!(all[0]["mode"], "message_link");
        assert_eq!(all[0]["answer"], "very_good");
        assert_eq!(
            fay.get("/feedback/not-a-real-link").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
