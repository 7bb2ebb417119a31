//! The gate to orthopaedics: triage cannot route a referral there until a decision
//! conversation records that the person chose surgery and the fitness checklist is met or
//! overridden with a reason; a person who does not want surgery is routed to the care they
//! chose. Refused attempts change nothing; anyone without a relationship gets 404.

use axum::http::StatusCode;
use jointly_domain::ServiceId;
use jointly_domain::access::Role;
use jointly_domain::service::{Service, ServiceKind, ServiceRules};
use jointly_domain::surgery::FitnessItem;
use jointly_store::testing::{now, on_each_backend};

use crate::harness::{Client, TestApp};

async fn orthopaedics(app: &TestApp) -> Service {
    let service = Service {
        id: ServiceId::new(),
        code: "ORTHO-T".into(),
        name: "Orthopaedics".into(),
        kind: ServiceKind::Orthopaedics,
        rules: ServiceRules::default(),
    };
    let mut tx = app.store.begin().await.unwrap();
    tx.insert_service(&service, now()).await.unwrap();
    tx.commit().await.unwrap();
    service
}

/// Tries to accept the referral into `service`; returns the response.
async fn accept_into(
    triage: &mut Client,
    referral: &str,
    service: ServiceId,
) -> crate::harness::Response {
    let page = triage.get(&format!("/staff/referrals/{referral}")).await;
    triage
        .post_form(
            &format!("/staff/referrals/{referral}/accept"),
            &page.csrf(),
            &[
                ("service", &service.to_string()),
                ("priority", "routine"),
                ("version", "0"),
                (
                    "note",
                    "Severe knee osteoarthritis; conservative care exhausted",
                ),
            ],
        )
        .await
}

fn fitness(statuses: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = FitnessItem::ALL
        .iter()
        .map(|i| (i.as_str().to_owned(), "met".to_owned()))
        .collect();
    for (name, value) in statuses {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
}

#[tokio::test]
async fn orthopaedics_only_for_a_chosen_surgery_with_fitness_met_or_overridden() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let ortho = orthopaedics(&app).await;
        let (_, referral) = app.patient("sam.surgery@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        let surgery = format!("/staff/referrals/{referral}/surgery");
        let still_waiting = |store: jointly_store::Store, referral: String| async move {
            let r = store
                .find_referral(referral.parse().unwrap())
                .await
                .unwrap()
                .unwrap();
            assert_eq!((r.version, r.service_id), (0, None), "nothing changed");
        };

        let page = triage.get(&format!("/staff/referrals/{referral}")).await;
        assert!(page.body.contains(&format!("href=\"{surgery}\"")));
        assert!(
            page.body
                .contains("Orthopaedics needs a recorded decision conversation first")
        );
        let refused = accept_into(&mut triage, &referral, ortho.id).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.body.contains("href=\"#service\""));
        still_waiting(store.clone(), referral.clone()).await;

        // An empty decision names every problem, each linked to its field.
        let form = triage.get(&surgery).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let empty = triage
            .post_form(&format!("{surgery}/decision"), &form.csrf(), &[])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        for anchor in ["#option_surgery", "#what_matters", "#choice"] {
            assert!(
                empty.body.contains(&format!("href=\"{anchor}\"")),
                "{anchor}: {}",
                empty.body
            );
        }

        // The person does not want surgery: they go to physiotherapy, never orthopaedics.
        let declined = triage
            .post_form(
                &format!("{surgery}/decision"),
                &form.csrf(),
                &[
                    ("option_surgery", "yes"),
                    ("option_physiotherapy", "yes"),
                    (
                        "what_matters",
                        "Walking the dog; frightened of an operation",
                    ),
                    ("choice", "not_surgery"),
                    ("preferred", "physiotherapy"),
                ],
            )
            .await;
        assert_eq!(declined.status, StatusCode::SEE_OTHER, "{}", declined.body);
        let saved = triage.get(declined.location().unwrap()).await;
        assert!(
            saved
                .body
                .contains("They do not want surgery; they chose Physiotherapy and exercise")
        );
        let routed = triage.get(&format!("/staff/referrals/{referral}")).await;
        let physio = format!("value=\"{}\" checked", app.clinic.service.id);
        assert!(
            routed.body.contains(&physio),
            "physiotherapy is preselected"
        );
        let refused = accept_into(&mut triage, &referral, ortho.id).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("The person does not want surgery"));

        // They change their mind after time to think; fitness must be checked.
        let chose = triage
            .post_form(
                &format!("{surgery}/decision"),
                &form.csrf(),
                &[
                    ("option_surgery", "yes"),
                    ("option_injection", "yes"),
                    (
                        "what_matters",
                        "Walking the dog; the injection did not last",
                    ),
                    ("choice", "surgery"),
                ],
            )
            .await;
        assert_eq!(chose.status, StatusCode::SEE_OTHER);
        let refused = accept_into(&mut triage, &referral, ortho.id).await;
        assert!(
            refused
                .body
                .contains("Orthopaedics needs the fitness checklist first")
        );

        let smoking: Vec<(String, String)> = fitness(&[
            ("smoking", "not_met"),
            ("smoking_note", "10 a day; stop-smoking service offered"),
        ]);
        let pairs: Vec<(&str, &str)> = smoking
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let recorded = triage
            .post_form(&format!("{surgery}/fitness"), &form.csrf(), &pairs)
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let refused = accept_into(&mut triage, &referral, ortho.id).await;
        assert!(refused.body.contains("Some fitness items are not met"));
        still_waiting(store.clone(), referral.clone()).await;

        // A checklist missing items and carrying an unknown field changes nothing.
        let bad = triage
            .post_form(
                &format!("{surgery}/fitness"),
                &form.csrf(),
                &[("weight", "met"), ("shoe_size", "9")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#smoking\""), "{}", bad.body);
        let api = triage
            .api(
                "GET",
                &format!("/api/v1/referrals/{referral}/surgery"),
                None,
            )
            .await;
        assert_eq!(api.json()["not_ready"], "surgery-checklist-incomplete");

        // The surgeon accepts the risk, with a reason: now orthopaedics may be chosen.
        let mut overridden = smoking.clone();
        overridden.push((
            "override_reason".into(),
            "Urgent: risk discussed and accepted".into(),
        ));
        let pairs: Vec<(&str, &str)> = overridden
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let recorded = triage
            .post_form(&format!("{surgery}/fitness"), &form.csrf(), &pairs)
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER);
        let accepted = accept_into(&mut triage, &referral, ortho.id).await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        let stored = store
            .find_referral(referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.service_id, Some(ortho.id));
        let api = triage
            .api(
                "GET",
                &format!("/api/v1/referrals/{referral}/surgery"),
                None,
            )
            .await;
        let body = api.json();
        assert_eq!(
            (body["ready"].as_bool(), body["overridden"].as_bool()),
            (Some(true), Some(true))
        );
        assert_eq!(body["decision"]["choice"], "surgery");
    })
    .await;
}

#[tokio::test]
async fn only_clinicians_with_a_relationship_record_decisions() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (_, referral) = app.patient("ola.surgery@example.com").await;
        // A clinician in a service the referral is not in (it awaits triage).
        let mut elsewhere = app.staff(Role::Clinician).await;
        let surgery = format!("/staff/referrals/{referral}/surgery");
        assert_eq!(elsewhere.get(&surgery).await.status, StatusCode::NOT_FOUND);
        let decision = serde_json::json!({
            "options": ["surgery", "physiotherapy"],
            "what_matters": "Gardening",
            "choice": "surgery",
        });
        let refused = elsewhere
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/surgery/decision"),
                Some(decision.clone()),
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let mut desk = app.staff(Role::Coordinator).await;
        let refused = desk
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/surgery/decision"),
                Some(decision.clone()),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            store
                .surgery_decisions(referral.parse().unwrap())
                .await
                .unwrap()
                .is_empty()
        );

        let mut triage = app.staff(Role::TriageClinician).await;
        let bad = triage
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/surgery/decision"),
                Some(serde_json::json!({"options": ["surgery"], "choice": "maybe"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let unknown = triage
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/surgery/decision"),
                Some(serde_json::json!({"options": [], "colour": "blue"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
        let made = triage
            .api(
                "POST",
                &format!("/api/v1/referrals/{referral}/surgery/decision"),
                Some(decision),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        assert_eq!(made.json()["not_ready"], "surgery-no-checklist");
        let unknown_item = triage
            .api(
                "PUT",
                &format!("/api/v1/referrals/{referral}/surgery/fitness"),
                Some(serde_json::json!({"weight": "met", "shoe_size": "9"})),
            )
            .await;
        assert_eq!(unknown_item.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown_item.body.contains("shoe_size"),
            "{}",
            unknown_item.body
        );
    })
    .await;
}
