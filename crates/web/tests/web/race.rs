//! Many people racing for one slot over real HTTP connections: exactly one gets it.

use std::net::SocketAddr;

use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;
use serde_json::json;

use crate::harness::TestApp;

const RACERS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_clients_racing_for_one_slot_make_one_booking() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut triage = app.staff(Role::TriageClinician).await;
        let mut racers = Vec::new();
        for n in 0..RACERS {
            let (client, referral) = app.patient(&format!("racer{n}@example.com")).await;
            let accept = json!({"service_id": app.clinic.service.id.to_string(), "priority": "routine", "version": 0});
            let accepted = triage.api("POST", &format!("/api/v1/referrals/{referral}/accept"), Some(accept)).await;
            assert_eq!(accepted.status, axum::http::StatusCode::OK);
            racers.push((client.bearer.clone().unwrap(), referral));
        }
        let slot = store.free_slots(app.clinic.service.id, jointly_store::testing::now(), 1).await.unwrap()[0].slot.id.to_string();

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(listener, app.router.clone().into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
        let tasks: Vec<_> = racers
            .into_iter()
            .map(|(token, referral)| {
                let (start, slot) = (start.clone(), slot.clone());
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    start.wait().await;
                    let response = client
                        .post(format!("http://{address}/api/v1/me/appointments"))
                        .bearer_auth(token)
                        .json(&json!({"referral_id": referral, "slot_id": slot}))
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    let body: serde_json::Value = response.json().await.unwrap();
                    (status, body)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        server.abort();
        let won = outcomes.iter().filter(|(s, _)| *s == 201).count();
        let lost = outcomes.iter().filter(|(s, b)| *s == 409 && b["code"] == "slot_taken").count();
        assert_eq!((won, lost), (1, RACERS - 1), "{outcomes:?}");
        let day = store.clinic_list(jointly_store::testing::now(), jointly_store::testing::now() + jiff::SignedDuration::from_hours(24 * 30)).await.unwrap();
        assert_eq!(day.len(), 1);
    })
    .await;
}
