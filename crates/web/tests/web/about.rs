//! The public pages about the service: our services and the conditions we treat, questions
//! and answers, and posters with a QR code to self-referral in every language.

use axum::http::StatusCode;
use jointly_store::testing::on_each_backend;

use crate::harness::TestApp;

#[tokio::test]
async fn anyone_reads_about_the_service_and_prints_a_poster_in_their_language() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut visitor = app.client();
        let services = visitor.get("/services").await;
        assert_eq!(services.status, StatusCode::OK);
        for words in [
            "How to refer yourself",
            "Community Physiotherapy",
            "Assessment, advice and exercise",
            "href=\"/help/knee-pain\"",
            "href=\"/refer\"",
            "href=\"/posters\"",
        ] {
            assert!(services.body.contains(words), "{words}");
        }
        let faq = visitor.get("/faq").await;
        assert_eq!(faq.status, StatusCode::OK);
        assert!(
            faq.body
                .contains("How do I cancel or change my appointment?")
        );
        assert_eq!(faq.body.matches("<details").count(), 9);
        let polish = visitor.get_with("/faq", ("accept-language", "pl")).await;
        assert!(polish.body.contains("Jak odwołać lub zmienić wizytę?"));
        let urdu = visitor
            .get_with("/services", ("accept-language", "ur"))
            .await;
        assert!(urdu.body.contains("dir=\"rtl\""));
        assert!(urdu.body.contains("خود کو کیسے ریفر کریں"));

        let posters = visitor.get("/posters").await;
        assert_eq!(posters.status, StatusCode::OK);
        for language in ["en", "en-x-easyread", "pl", "ur"] {
            assert!(
                posters
                    .body
                    .contains(&format!("href=\"/posters/{language}\"")),
                "{language}"
            );
            let poster = visitor.get(&format!("/posters/{language}")).await;
            assert_eq!(poster.status, StatusCode::OK, "{language}");
            assert_eq!(poster.headers["content-type"], "application/pdf");
        }
        assert_eq!(
            visitor.get("/posters/klingon").await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
