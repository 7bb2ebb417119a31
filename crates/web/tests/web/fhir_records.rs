//! The FHIR resources a referrer reads beyond its referral: the person's communication needs
//! as reasonable-adjustment Flags, the messages sent to them, the referral's progress as a
//! Task, and the service directory — each only with its scope, a person's only to a system
//! entitled to them, bad searches named in an OperationOutcome.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;
use serde_json::{Value, json};

use crate::choice::accept;
use crate::fhir::{
    GP_SCOPES, connected_organisation, fhir, organisation_id, referral_for, system_client,
};
use crate::harness::{Client, TestApp};
use crate::validators::assert_valid_r4;

const RECORD_SCOPES: &str = "system/Flag.read system/Communication.read system/Task.read system/HealthcareService.read system/Location.read system/Practitioner.read";

async fn get(client: &mut Client, path: &str) -> (StatusCode, Value) {
    let response = fhir(client, "GET", path, None, None).await;
    let json = if response.body.is_empty() {
        Value::Null
    } else {
        response.json()
    };
    (response.status, json)
}

fn resources(bundle: &Value) -> Vec<Value> {
    assert_eq!(bundle["type"], "searchset", "{bundle}");
    bundle["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["resource"].clone())
        .collect()
}

#[tokio::test]
async fn a_referrer_reads_needs_messages_progress_and_the_directory() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let scopes = format!("{GP_SCOPES} {RECORD_SCOPES}");
        let key = connected_organisation(&app, "Y05555", &scopes).await;
        let mut gp = system_client(&app, "Y05555", &key, &scopes).await;
        let other_key = connected_organisation(&app, "Y06666", &scopes).await;
        let mut other = system_client(&app, "Y06666", &other_key, &scopes).await;
        let mut seen = Vec::new();

        let (_, questionnaire) = get(&mut gp, "/fhir/Questionnaire/msk-self-referral").await;
        let referred = fhir(
            &mut gp,
            "POST",
            "/fhir/ServiceRequest",
            Some(referral_for(&questionnaire, "Nowak", "9434765870")),
            None,
        )
        .await;
        assert_eq!(referred.status, StatusCode::CREATED, "{}", referred.body);
        let request = referred.json();
        let referral = request["id"].as_str().unwrap().to_owned();
        let patient = request["subject"]["reference"]
            .as_str()
            .unwrap()
            .trim_start_matches("Patient/")
            .to_owned();

        // Staff record the person's communication needs.
        let mut triage = app.staff(Role::TriageClinician).await;
        let recorded = triage
            .api(
                "PUT",
                &format!("/api/v1/referrals/{referral}/communication"),
                Some(json!({
                    "needs": ["bsl_interpreter", "large_print_24"],
                    "interpreter_language": "pl",
                    "communication_details": "Prefers mornings"
                })),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);

        // Flags: one per need, in the national reasonable-adjustment shape.
        let (status, bundle) = get(&mut gp, &format!("/fhir/Flag?patient=Patient/{patient}")).await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        let flags = resources(&bundle);
        assert_eq!(flags.len(), 4, "{bundle}");
        let codes: Vec<&str> = flags
            .iter()
            .filter_map(|f| f["code"]["coding"][0]["code"].as_str())
            .collect();
        assert!(codes.contains(&"pl"), "{codes:?}");
        for flag in &flags {
            assert_eq!(flag["category"][0]["coding"][0]["code"], "NRAF");
            assert_eq!(flag["subject"]["reference"], format!("Patient/{patient}"));
        }
        // Page by page through the `next` links, nothing missed or repeated.
        let (paged, _) = every_page(
            &mut gp,
            &format!("/fhir/Flag?patient=Patient/{patient}&_count=1"),
        )
        .await;
        assert_eq!(paged, flags);
        let one = flags[0]["id"].as_str().unwrap();
        let (status, read) = get(&mut gp, &format!("/fhir/Flag/{one}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(read, flags[0]);
        seen.push(bundle);

        // Messages sent to the person: their referral was acknowledged.
        let (status, bundle) = get(
            &mut gp,
            &format!("/fhir/Communication?patient=Patient/{patient}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        let messages = resources(&bundle);
        assert!(
            messages
                .iter()
                .any(|m| m["topic"]["coding"][0]["code"] == "referral_received"),
            "{bundle}"
        );
        let first = messages[0]["id"].as_str().unwrap();
        let (status, read) = get(&mut gp, &format!("/fhir/Communication/{first}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(read, messages[0]);
        seen.push(bundle);

        // The referral's progress: received, then accepted once triaged.
        let (status, bundle) = get(
            &mut gp,
            &format!("/fhir/Task?focus=ServiceRequest/{referral}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        assert_eq!(resources(&bundle)[0]["status"], "received");
        accept(&app, &mut triage, &referral, "routine").await;
        let task = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/Task/{referral}"),
            None,
            None,
        )
        .await;
        assert_eq!(task.status, StatusCode::OK);
        assert!(task.headers.contains_key("etag"));
        let task = task.json();
        assert_eq!(task["status"], "accepted");
        assert_eq!(
            task["focus"]["reference"],
            format!("ServiceRequest/{referral}")
        );
        assert_eq!(task["owner"]["display"], app.clinic.service.name.as_str());
        let (_, accepted) = get(
            &mut gp,
            &format!("/fhir/Task?patient=Patient/{patient}&status=accepted"),
        )
        .await;
        assert_eq!(resources(&accepted).len(), 1);
        let (_, none) = get(
            &mut gp,
            &format!("/fhir/Task?patient=Patient/{patient}&status=completed"),
        )
        .await;
        assert!(resources(&none).is_empty());
        let (_, made) = get(&mut gp, "/fhir/Task").await;
        assert_eq!(resources(&made).len(), 1, "the tasks of referrals it made");
        seen.extend([task, accepted]);

        // The directory.
        let (status, services) = get(&mut gp, "/fhir/HealthcareService").await;
        assert_eq!(status, StatusCode::OK);
        let service = resources(&services)
            .into_iter()
            .find(|s| s["name"] == app.clinic.service.name.as_str())
            .expect("the clinic's service");
        let (_, by_code) = get(
            &mut gp,
            &format!(
                "/fhir/HealthcareService?service-type={}",
                app.clinic.service.code
            ),
        )
        .await;
        assert_eq!(resources(&by_code), vec![service.clone()]);
        let (status, read) = get(
            &mut gp,
            &format!(
                "/fhir/HealthcareService/{}",
                service["id"].as_str().unwrap()
            ),
        )
        .await;
        assert_eq!((status, read), (StatusCode::OK, service));
        let (_, sites) = get(&mut gp, "/fhir/Location").await;
        let site = resources(&sites)[0].clone();
        let postcode = site["address"]["postalCode"].as_str().unwrap().to_owned();
        let outward = postcode.split(' ').next().unwrap().to_lowercase();
        let (_, near) = get(
            &mut gp,
            &format!("/fhir/Location?address-postalcode={outward}"),
        )
        .await;
        assert!(resources(&near).contains(&site), "{near}");
        let (_, nowhere) = get(&mut gp, "/fhir/Location?address-postalcode=ZZ9").await;
        assert!(resources(&nowhere).is_empty());
        let (_, clinicians) = get(&mut gp, "/fhir/Practitioner?_count=1").await;
        let clinician = resources(&clinicians)[0].clone();

        let (status, read) = get(
            &mut gp,
            &format!("/fhir/Practitioner/{}", clinician["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!((status, read), (StatusCode::OK, clinician));
        seen.extend([services, sites, clinicians]);
        assert_valid_r4(&seen);

        // Another organisation's system sees none of the person's record.
        for path in [
            format!("/fhir/Flag?patient=Patient/{patient}"),
            format!("/fhir/Flag/{one}"),
            format!("/fhir/Communication?patient=Patient/{patient}"),
            format!("/fhir/Communication/{first}"),
            format!("/fhir/Task/{referral}"),
        ] {
            let (status, outcome) = get(&mut other, &path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(outcome["resourceType"], "OperationOutcome");
        }
        let (status, bundle) = get(
            &mut other,
            &format!("/fhir/Task?focus=ServiceRequest/{referral}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(resources(&bundle).is_empty(), "no match, not a leak");

        // Without the scope, refused whoever the person is.
        let mut narrow = system_client(&app, "Y05555", &key, GP_SCOPES).await;
        for path in [
            format!("/fhir/Flag?patient=Patient/{patient}"),
            format!("/fhir/Communication?patient=Patient/{patient}"),
            format!("/fhir/Task/{referral}"),
            "/fhir/HealthcareService".to_owned(),
            "/fhir/Location".to_owned(),
            "/fhir/Practitioner".to_owned(),
        ] {
            let (status, outcome) = get(&mut narrow, &path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(outcome["issue"][0]["code"], "forbidden");
        }
    })
    .await;
}

#[tokio::test]
async fn bad_searches_and_ids_are_named_and_answered_with_an_outcome() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y07777", RECORD_SCOPES).await;
        let mut gp = system_client(&app, "Y07777", &key, RECORD_SCOPES).await;
        for (path, status, words) in [
            (
                "/fhir/Flag",
                StatusCode::BAD_REQUEST,
                "give `patient=Patient/{id}`",
            ),
            (
                "/fhir/Communication",
                StatusCode::BAD_REQUEST,
                "give `patient=Patient/{id}`",
            ),
            (
                "/fhir/Flag?patient=Patient/42",
                StatusCode::BAD_REQUEST,
                "not one of ours",
            ),
            (
                "/fhir/Flag?subject=x",
                StatusCode::BAD_REQUEST,
                "not a search parameter",
            ),
            (
                "/fhir/Task?status=draft",
                StatusCode::BAD_REQUEST,
                "not `draft`",
            ),
            (
                "/fhir/Task?focus=Patient/1",
                StatusCode::BAD_REQUEST,
                "ServiceRequest",
            ),
            (
                "/fhir/Location?near=1",
                StatusCode::BAD_REQUEST,
                "not a search parameter",
            ),
            (
                "/fhir/Practitioner?_count=0",
                StatusCode::BAD_REQUEST,
                "_count",
            ),
            (
                "/fhir/Flag/not-a-flag",
                StatusCode::NOT_FOUND,
                "no such resource",
            ),
            ("/fhir/Task/7", StatusCode::NOT_FOUND, "no such resource"),
            (
                "/fhir/Location/7",
                StatusCode::NOT_FOUND,
                "no such resource",
            ),
            (
                "/fhir/Practitioner/8d0c6d1e-58a4-4c35-9b6b-7b0d1d9e7c11",
                StatusCode::NOT_FOUND,
                "no such resource",
            ),
        ] {
            let (found, outcome) = get(&mut gp, path).await;
            assert_eq!(found, status, "{path}: {outcome}");
            assert_eq!(outcome["resourceType"], "OperationOutcome", "{path}");
            assert!(outcome.to_string().contains(words), "{path}: {outcome}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_clinician_refers_on_and_the_receiver_reads_it_with_the_needs() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y08888", GP_SCOPES).await;
        let mut gp = system_client(&app, "Y08888", &key, GP_SCOPES).await;
        let hospital_scopes = "system/ServiceRequest.read system/Patient.read system/Flag.read";
        let hospital_key = connected_organisation(&app, "RC9", hospital_scopes).await;
        let mut hospital = system_client(&app, "RC9", &hospital_key, hospital_scopes).await;

        let (_, questionnaire) = get(&mut gp, "/fhir/Questionnaire/msk-self-referral").await;
        let referred = fhir(
            &mut gp,
            "POST",
            "/fhir/ServiceRequest",
            Some(referral_for(&questionnaire, "Kowalski", "9434765919")),
            None,
        )
        .await;
        assert_eq!(referred.status, StatusCode::CREATED, "{}", referred.body);
        let referral = referred.json()["id"].as_str().unwrap().to_owned();
        let patient = referred.json()["subject"]["reference"]
            .as_str()
            .unwrap()
            .trim_start_matches("Patient/")
            .to_owned();
        let (status, _) = get(&mut hospital, &format!("/fhir/Patient/{patient}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not theirs before the referral");

        let mut triage = app.staff(Role::TriageClinician).await;
        let recorded = triage
            .api(
                "PUT",
                &format!("/api/v1/referrals/{referral}/communication"),
                Some(json!({"needs": ["easy_read"]})),
            )
            .await;
        assert_eq!(recorded.status, StatusCode::OK, "{}", recorded.body);
        accept(&app, &mut triage, &referral, "routine").await;

        // The form names every problem and changes nothing.
        let page_path = format!("/staff/referrals/{referral}/onward");
        let page = triage.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Requires information in Easyread"), "the needs that go");
        let token = page.csrf();
        let refused = triage
            .post_form(&page_path, &token, &[("receiver_ods", "R!"), ("priority", "someday")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for anchor in ["receiver_ods", "receiver", "request", "reason", "priority"] {
            assert!(
                refused.body.contains(&format!("href=\"#{anchor}\"")),
                "{anchor} named in the error summary"
            );
        }
        let listed = triage.api("GET", &format!("/api/v1/referrals/{referral}/onward"), None).await;
        assert_eq!(listed.json(), json!([]), "nothing saved");

        let sent = triage
            .post_form(
                &page_path,
                &token,
                &[
                    ("receiver_ods", "rc9"),
                    ("receiver", "Bedfordshire Hospitals"),
                    ("request", "Orthopaedic opinion: knee replacement"),
                    ("reason", "Severe osteoarthritis; physiotherapy and injections tried."),
                    ("priority", "soon"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = triage.get(&format!("{page_path}?saved=1")).await;
        assert!(page.body.contains("Referred on."));
        assert!(page.body.contains("Bedfordshire Hospitals (RC9)"));

        // The receiving hospital's system finds it, with the needs contained, and may now see
        // the person.
        let (status, bundle) = get(&mut hospital, "/fhir/ServiceRequest").await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        let requests = resources(&bundle);
        assert_eq!(requests.len(), 1, "{bundle}");
        let onward = &requests[0];
        assert_eq!(onward["performer"][0]["identifier"]["value"], "RC9");
        assert_eq!(onward["basedOn"][0]["reference"], format!("ServiceRequest/{referral}"));
        assert_eq!(onward["priority"], "asap");
        assert_eq!(onward["requester"]["display"], app.clinic.service.name.as_str());
        assert_eq!(onward["contained"][0]["resourceType"], "Flag");
        assert_eq!(onward["contained"][0]["code"]["coding"][0]["code"], "796161000000101");
        assert_eq!(onward["supportingInfo"][0]["reference"], "#need-1");
        let id = onward["id"].as_str().unwrap();
        let (status, read) = get(&mut hospital, &format!("/fhir/ServiceRequest/{id}")).await;
        assert_eq!((status, &read), (StatusCode::OK, onward));
        let (status, person) = get(&mut hospital, &format!("/fhir/Patient/{patient}")).await;
        assert_eq!(status, StatusCode::OK);
        let (_, flags) = get(&mut hospital, &format!("/fhir/Flag?patient=Patient/{patient}")).await;
        assert_eq!(resources(&flags).len(), 1);
        // The referring GP sees both the referral it made and the one made onward.
        let (_, theirs) = get(
            &mut gp,
            &format!("/fhir/ServiceRequest?patient=Patient/{patient}"),
        )
        .await;
        assert_eq!(resources(&theirs).len(), 2, "{theirs}");
        let (_, revoked) = get(
            &mut gp,
            &format!("/fhir/ServiceRequest?patient=Patient/{patient}&status=revoked"),
        )
        .await;
        assert!(resources(&revoked).is_empty());
        assert_valid_r4(&[bundle, read, person, flags]);

        // Only clinicians with the permission and a relationship refer on.
        let mut coordinator = app.staff(Role::Coordinator).await;
        let body = json!({"receiver_ods": "RC9", "receiver": "H", "request": "R", "reason": "Why", "priority": "routine"});
        let path = format!("/api/v1/referrals/{referral}/onward");
        let forbidden = coordinator.api("POST", &path, Some(body.clone())).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        let mut stranger = app.staff_in(Role::Clinician, vec![]).await;
        let hidden = stranger.api("POST", &path, Some(body.clone())).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        let unknown = triage
            .api("POST", &path, Some(json!({"receiver_ods": "RC9", "wings": 2})))
            .await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);
        let made = triage.api("POST", &path, Some(body)).await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        assert_eq!(made.json()["receiver_ods"], "RC9");
        let listed = triage.api("GET", &path, None).await;
        assert_eq!(listed.json().as_array().unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn scopes_withdrawn_by_the_administrator_leave_tokens_already_issued_at_once() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let scopes = "system/Location.read system/Practitioner.read";
        let key = connected_organisation(&app, "Y04444", scopes).await;
        let mut system = system_client(&app, "Y04444", &key, scopes).await;
        assert_eq!(get(&mut system, "/fhir/Location").await.0, StatusCode::OK);

        let mut admin = app.staff(Role::Administrator).await;
        let token = admin.get("/staff/organisations").await.csrf();
        let id = organisation_id(&mut admin, "Y04444").await;
        let narrowed = admin
            .post_form(
                "/staff/organisations/scopes",
                &token,
                &[
                    ("organisation", &id),
                    ("scopes", "system/Practitioner.read"),
                ],
            )
            .await;
        assert_eq!(narrowed.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&mut system, "/fhir/Location").await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            get(&mut system, "/fhir/Practitioner").await.0,
            StatusCode::OK
        );

        let withdrawn = admin
            .post_form(
                "/staff/organisations/scopes",
                &token,
                &[("organisation", &id), ("scopes", "")],
            )
            .await;
        assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
        let (status, outcome) = get(&mut system, "/fhir/Practitioner").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{outcome}");
        assert_eq!(outcome["issue"][0]["code"], "login");
    })
    .await;
}

/// Every resource of a search, following its `next` links from `first`; how many pages.
async fn every_page(client: &mut Client, first: &str) -> (Vec<Value>, usize) {
    let mut found = Vec::new();
    let mut pages = 0;
    let mut next = Some(first.to_owned());
    while let Some(url) = next.take() {
        let (status, page) = get(client, url.trim_start_matches("http://localhost")).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        found.extend(resources(&page));
        next = page["link"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["relation"] == "next")
            .and_then(|l| l["url"].as_str())
            .map(str::to_owned);
    }
    (found, pages)
}

#[tokio::test]
async fn searches_by_organisation_page_through_every_referral_and_audit_what_they_show() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let scopes = format!("{GP_SCOPES} {RECORD_SCOPES}");
        let key = connected_organisation(&app, "Y07777", &scopes).await;
        let mut gp = system_client(&app, "Y07777", &key, &scopes).await;
        let (_, questionnaire) = get(&mut gp, "/fhir/Questionnaire/msk-self-referral").await;
        let mut made = Vec::new();
        for (family, nhs) in [
            ("Abbott", "9434765005"),
            ("Baker", "9434765013"),
            ("Cole", "9434765021"),
        ] {
            let referred = fhir(
                &mut gp,
                "POST",
                "/fhir/ServiceRequest",
                Some(referral_for(&questionnaire, family, nhs)),
                None,
            )
            .await;
            assert_eq!(referred.status, StatusCode::CREATED, "{}", referred.body);
            made.push(referred.json());
        }

        let (requests, pages) = every_page(&mut gp, "/fhir/ServiceRequest?_count=2").await;
        assert_eq!(pages, 2, "three referrals, two a page");
        let mut ids: Vec<&str> = requests.iter().map(|r| r["id"].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut expected: Vec<&str> = made.iter().map(|r| r["id"].as_str().unwrap()).collect();
        expected.sort_unstable();
        assert_eq!(ids, expected, "each referral once, none missed");

        let (tasks, pages) = every_page(&mut gp, "/fhir/Task?_count=1&status=received").await;
        assert_eq!((tasks.len(), pages), (3, 3));
        let (none, _) = every_page(&mut gp, "/fhir/Task?_count=2&_offset=3").await;
        assert!(none.is_empty());
        let (diaries, _) = every_page(&mut gp, "/fhir/Schedule").await;
        let (one_by_one, pages) = every_page(&mut gp, "/fhir/Schedule?_count=1").await;
        assert_eq!(one_by_one, diaries);
        assert_eq!(pages, diaries.len());

        // Each person's referral was audited once for the ServiceRequest search that showed
        // it, not again for being read ahead to see whether more followed.
        for request in &made {
            let patient = request["subject"]["reference"]
                .as_str()
                .unwrap()
                .trim_start_matches("Patient/");
            let audit = store
                .audit_for_patient(jointly_domain::PatientId::from_uuid(
                    patient.parse().unwrap(),
                ))
                .await
                .unwrap();
            let shown = audit
                .iter()
                .filter(|a| a.route == "fhir.service_request.search")
                .count();
            assert_eq!(shown, 1, "{audit:?}");
        }
    })
    .await;
}
