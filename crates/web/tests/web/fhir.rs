//! The FHIR API as another organisation's system uses it: sign in with client credentials,
//! read the questions, refer a person, find a slot in a clinician's diary, book it with a
//! transaction, read the care plan; and everything a system must not do, refused with an
//! OperationOutcome that says why.

use std::net::SocketAddr;

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_store::testing::on_each_backend;
use serde_json::{Value, json};

use crate::choice::accept;
use crate::harness::{Client, Response, TestApp, knee_answers};
use crate::validators::assert_valid_r4;

/// Every scope a referring GP practice's system needs.
pub(crate) const GP_SCOPES: &str = "system/Patient.read system/Patient.write system/ServiceRequest.read system/ServiceRequest.write system/Schedule.read system/Slot.read system/Slot.write system/Appointment.read system/Appointment.write system/CarePlan.read";

/// Registers an organisation with `ods`, issues its key and grants it `scopes`; returns the key.
pub(crate) async fn connected_organisation(app: &TestApp, ods: &str, scopes: &str) -> String {
    let mut admin = app.staff(Role::Administrator).await;
    let token = admin.get("/staff/organisations").await.csrf();
    let registered = admin
        .post_form(
            "/staff/organisations",
            &token,
            &[
                ("ods_code", ods),
                ("name", &format!("Practice {ods}")),
                ("kind", "general_practice"),
                ("contact_email", "practice@nhs.example"),
            ],
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.body
    );
    let id = organisation_id(&mut admin, ods).await;
    let issued = admin
        .post_form(&format!("/staff/organisations/{id}/key"), &token, &[])
        .await;
    let key = issued
        .body
        .split("jly_")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|rest| format!("jly_{rest}"))
        .expect("the key shown once");
    let bad = admin
        .post_form(
            "/staff/organisations/scopes",
            &token,
            &[("organisation", &id), ("scopes", "system/Everything.read")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("href=\"#scopes\""),
        "the error names the field"
    );
    let granted = admin
        .post_form(
            "/staff/organisations/scopes",
            &token,
            &[("organisation", &id), ("scopes", scopes)],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    key
}

/// The id of the organisation registered with `ods`, as the administrator's page lists it.
pub(crate) async fn organisation_id(admin: &mut Client, ods: &str) -> String {
    let page = admin.get("/staff/organisations").await;
    page.body
        .split("/staff/organisations/")
        .filter_map(|rest| rest.split_once("/key").map(|(id, _)| id))
        .find(|id| {
            page.body
                .contains(&format!("<option value=\"{id}\">Practice {ods}"))
        })
        .unwrap_or_else(|| panic!("the organisation's row in {}", page.body))
        .to_owned()
}

/// A client holding an access token for `ods` with `key`.
pub(crate) async fn system_client(app: &TestApp, ods: &str, key: &str, scope: &str) -> Client {
    let mut client = app.client();
    let body = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", ods),
        ("client_secret", key),
        ("scope", scope),
    ])
    .unwrap();
    let issued = client.post_raw("/fhir/token", &body, &[]).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let token = issued.json()["access_token"].as_str().unwrap().to_owned();
    client.bearer = Some(token);
    client
}

/// A QuestionnaireResponse answering `questionnaire` with `answers`, each value typed as the
/// question asks (as a client reading the Questionnaire would).
pub(crate) fn questionnaire_response(questionnaire: &Value, answers: &[(&str, &str)]) -> Value {
    fn items(list: &Value, answers: &[(&str, &str)], out: &mut Vec<Value>) {
        for item in list.as_array().into_iter().flatten() {
            let link = item["linkId"].as_str().unwrap_or_default();
            if let Some((_, text)) = answers.iter().find(|(id, _)| *id == link) {
                let value = match item["type"].as_str() {
                    Some("boolean") => json!({"valueBoolean": *text == "yes"}),
                    Some("integer") => json!({"valueInteger": text.parse::<i64>().unwrap()}),
                    Some("choice") => json!({"valueCoding": {"code": text}}),
                    _ => json!({"valueString": text}),
                };
                out.push(json!({"linkId": link, "answer": [value]}));
            }
            items(&item["item"], answers, out);
        }
    }
    let mut answered = Vec::new();
    items(&questionnaire["item"], answers, &mut answered);
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": "answers",
        "questionnaire": questionnaire["url"],
        "status": "completed",
        "item": answered
    })
}

/// A referral for a new person (family name `family`, NHS number `nhs`) with knee pain.
pub(crate) fn referral_for(questionnaire: &Value, family: &str, nhs: &str) -> Value {
    json!({
        "resourceType": "ServiceRequest",
        "meta": {"profile": ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"]},
        "contained": [
            {
                "resourceType": "Patient", "id": "person",
                "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs}],
                "name": [{"use": "official", "family": family, "given": ["Omar"]}],
                "gender": "male", "birthDate": "1959-02-01",
                "telecom": [{"system": "phone", "value": "07700 900111", "use": "mobile"}],
                "address": [{"use": "home", "line": ["2 Mill Lane"], "city": "Luton", "postalCode": "LU2 7BB"}]
            },
            {
                "resourceType": "Practitioner", "id": "gp",
                "name": [{"prefix": ["Dr"], "given": ["Mei"], "family": "Chen"}],
                "telecom": [{"system": "email", "value": "mei.chen@nhs.example"}],
                "qualification": [{"code": {"coding": [{"system": "https://jointly.example/CodeSystem/referrer-role", "code": "general_practitioner"}]}}]
            },
            questionnaire_response(questionnaire, &knee_answers())
        ],
        "status": "active",
        "intent": "order",
        "subject": {"reference": "#person"},
        "requester": {"reference": "#gp"},
        "supportingInfo": [{"reference": "#answers"}]
    })
}

/// Sends a FHIR request with the client's token.
pub(crate) async fn fhir(
    client: &mut Client,
    method: &str,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> Response {
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost");
    if let Some(token) = &client.bearer {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(version) = if_match {
        request = request.header("if-match", version);
    }
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/fhir+json");
            axum::body::Body::from(json.to_string())
        }
        None => axum::body::Body::empty(),
    };
    client.send(request.body(body).unwrap()).await
}

fn outcome_places(response: &Response) -> Vec<String> {
    let json = response.json();
    assert_eq!(json["resourceType"], "OperationOutcome", "{json}");
    json["issue"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["expression"].as_array().cloned().unwrap_or_default())
        .filter_map(|e| e.as_str().map(str::to_owned))
        .collect()
}

/// The booking transaction for `slot`, `patient`'s `referral`.
pub(crate) fn booking(slot: &Value, patient: &str, referral: &str) -> Value {
    let mut busy = slot.clone();
    busy["status"] = json!("busy");
    let id = slot["id"].as_str().unwrap();
    json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": format!("Slot/{id}"), "resource": busy, "request": {"method": "PUT", "url": format!("Slot/{id}")}},
            {"fullUrl": "urn:uuid:6a1b5f0e-4a55-4c39-9d7c-2f0c6f4f1a01",
             "resource": {
                "resourceType": "Appointment", "status": "booked",
                "slot": [{"reference": format!("Slot/{id}")}],
                "basedOn": [{"reference": format!("ServiceRequest/{referral}")}],
                "participant": [{"actor": {"reference": format!("Patient/{patient}")}, "status": "accepted"}]
             },
             "request": {"method": "POST", "url": "Appointment"}}
        ]
    })
}

#[tokio::test]
async fn a_system_refers_finds_a_slot_books_it_and_reads_the_care_plan() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y01234", GP_SCOPES).await;
        let mut gp = system_client(&app, "Y01234", &key, GP_SCOPES).await;

        let metadata = fhir(&mut app.client(), "GET", "/fhir/metadata", None, None).await;
        assert_eq!(metadata.status, StatusCode::OK);
        assert_eq!(metadata.headers["content-type"], "application/fhir+json");
        assert_eq!(metadata.json()["fhirVersion"], "4.0.1");
        let mut seen = vec![metadata.json()];

        let questionnaire = fhir(
            &mut gp,
            "GET",
            "/fhir/Questionnaire/msk-self-referral",
            None,
            None,
        )
        .await;
        assert_eq!(questionnaire.status, StatusCode::OK);
        let questionnaire = questionnaire.json();
        seen.push(questionnaire.clone());

        // Refer: through the front door into the triage queue.
        let referred = fhir(
            &mut gp,
            "POST",
            "/fhir/ServiceRequest",
            Some(referral_for(&questionnaire, "Farouk", "9434765919")),
            None,
        )
        .await;
        assert_eq!(referred.status, StatusCode::CREATED, "{}", referred.body);
        let request = referred.json();
        seen.push(request.clone());
        let referral = request["id"].as_str().unwrap().to_owned();
        assert_eq!(request["status"], "active");
        assert!(
            request["identifier"][0]["value"]
                .as_str()
                .unwrap()
                .starts_with("JNT-")
        );
        assert_eq!(request["requester"]["identifier"]["value"], "Y01234");
        let patient = request["subject"]["reference"]
            .as_str()
            .unwrap()
            .trim_start_matches("Patient/")
            .to_owned();
        assert!(
            referred.headers["location"]
                .to_str()
                .unwrap()
                .ends_with(&format!("/fhir/ServiceRequest/{referral}"))
        );
        let queue = store
            .triage_queue(&jointly_store::QueueFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(queue.len(), 1, "in the triage queue");

        let mine = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/ServiceRequest?patient=Patient/{patient}&status=active"),
            None,
            None,
        )
        .await;
        assert_eq!(
            mine.json()["entry"].as_array().unwrap().len(),
            1,
            "{}",
            mine.body
        );

        // Triage accepts it into the clinic's service.
        let mut triage = app.staff(Role::TriageClinician).await;
        accept(&app, &mut triage, &referral, "routine").await;
        let read = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/ServiceRequest/{referral}"),
            None,
            None,
        )
        .await;
        assert_eq!(
            read.json()["performer"][0]["display"],
            app.clinic.service.name.as_str()
        );

        // Find a free slot in a clinician's diary.
        let schedules = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/Schedule?service-type={}", app.clinic.service.code),
            None,
            None,
        )
        .await;
        assert_eq!(schedules.status, StatusCode::OK, "{}", schedules.body);
        let schedule = schedules.json()["entry"][0]["resource"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let slots = fhir(
            &mut gp,
            "GET",
            &format!(
                "/fhir/Slot?schedule=Schedule/{schedule}&status=free&start=ge2026-11-01&_count=2"
            ),
            None,
            None,
        )
        .await;
        assert_eq!(slots.status, StatusCode::OK, "{}", slots.body);
        let slots = slots.json();
        seen.push(slots.clone());
        let entries = slots["entry"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert!(
            slots["link"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["relation"] == "next"),
            "a full page links on"
        );
        // The first slot may be too soon to book; the second is not.
        let slot = entries[1]["resource"].clone();
        assert_eq!(slot["status"], "free");

        // Book it: Slot busy + Appointment, all or nothing.
        let booked = fhir(
            &mut gp,
            "POST",
            "/fhir",
            Some(booking(&slot, &patient, &referral)),
            None,
        )
        .await;
        assert_eq!(booked.status, StatusCode::OK, "{}", booked.body);
        let answer = booked.json();
        seen.push(answer.clone());
        assert_eq!(answer["type"], "transaction-response");
        assert_eq!(answer["entry"][0]["response"]["status"], "200 OK");
        assert_eq!(answer["entry"][1]["response"]["status"], "201 Created");
        let appointment = answer["entry"][1]["resource"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(answer["entry"][1]["resource"]["status"], "booked");

        let again = fhir(
            &mut gp,
            "POST",
            "/fhir",
            Some(booking(&slot, &patient, &referral)),
            None,
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let slot_now = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/Slot/{}", slot["id"].as_str().unwrap()),
            None,
            None,
        )
        .await;
        assert_eq!(slot_now.json()["status"], "busy");
        seen.extend([again.json(), slot_now.json()]);
        let theirs = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/Appointment?patient=Patient/{patient}"),
            None,
            None,
        )
        .await;
        assert_eq!(
            theirs.json()["entry"][0]["resource"]["id"],
            appointment.as_str()
        );

        // The care plan: the passport's summary, with the appointment and the referral.
        let plan = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/CarePlan/{patient}"),
            None,
            None,
        )
        .await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        let plan = plan.json();
        seen.push(plan.clone());
        assert_eq!(plan["status"], "active");
        assert_eq!(plan["subject"]["reference"], format!("Patient/{patient}"));
        assert_eq!(
            plan["activity"][0]["reference"]["reference"],
            format!("Appointment/{appointment}")
        );
        assert_eq!(
            plan["basedOn"][0]["reference"],
            format!("ServiceRequest/{referral}")
        );

        // Every read of the person's record was audited against this organisation.
        let audit = store
            .audit_for_patient(jointly_domain::PatientId::from_uuid(
                patient.parse().unwrap(),
            ))
            .await
            .unwrap();
        for route in [
            "fhir.service_request.read",
            "fhir.care_plan.read",
            "fhir.appointment.search",
        ] {
            assert!(
                audit.iter().any(|a| a.route == route),
                "{route} audited: {audit:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_person_is_seen_only_by_systems_entitled_and_updates_need_the_current_version() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y01234", GP_SCOPES).await;
        let mut gp = system_client(&app, "Y01234", &key, GP_SCOPES).await;
        let other_key = connected_organisation(&app, "Y05678", GP_SCOPES).await;
        let mut other = system_client(&app, "Y05678", &other_key, GP_SCOPES).await;
        let reader_key = connected_organisation(&app, "Y09999", "system/Patient.read").await;
        let mut reader = system_client(&app, "Y09999", &reader_key, "system/Patient.read").await;

        let person = json!({
            "resourceType": "Patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765870"}],
            "name": [{"family": "Nowak", "given": ["Ewa"]}],
            "gender": "female", "birthDate": "1970-05-20",
            "telecom": [{"system": "email", "value": "ewa@example.com"}],
            "address": [{"postalCode": "MK40 1AA"}]
        });
        let created = fhir(&mut gp, "POST", "/fhir/Patient", Some(person.clone()), None).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.headers["etag"], "W/\"1\"");
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let twice = fhir(&mut gp, "POST", "/fhir/Patient", Some(person), None).await;
        assert_eq!(
            twice.status,
            StatusCode::CONFLICT,
            "one record per NHS number"
        );

        let found = fhir(
            &mut gp,
            "GET",
            "/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765870",
            None,
            None,
        )
        .await;
        assert_eq!(found.json()["entry"][0]["resource"]["id"], id.as_str());

        // Another practice, and a system without a relationship: nothing to see.
        let hidden = fhir(
            &mut other,
            "GET",
            &format!("/fhir/Patient/{id}"),
            None,
            None,
        )
        .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.json()["issue"][0]["code"], "not-found");
        let searched = fhir(
            &mut other,
            "GET",
            "/fhir/Patient?identifier=9434765870",
            None,
            None,
        )
        .await;
        assert!(searched.json()["entry"].is_null(), "{}", searched.body);
        let denied = store
            .audit_for_patient(jointly_domain::PatientId::from_uuid(id.parse().unwrap()))
            .await
            .unwrap();
        assert!(
            denied
                .iter()
                .any(|a| a.route == "fhir.patient.read" && a.outcome == "denied")
        );
        let unscoped = fhir(
            &mut reader,
            "POST",
            "/fhir/Patient",
            Some(json!({"resourceType": "Patient"})),
            None,
        )
        .await;
        assert_eq!(unscoped.status, StatusCode::FORBIDDEN);
        assert_eq!(unscoped.json()["issue"][0]["code"], "forbidden");

        // Updates: only from the version read.
        let read = fhir(&mut gp, "GET", &format!("/fhir/Patient/{id}"), None, None).await;
        let mut changed = read.json();
        changed["telecom"] = json!([{"system": "email", "value": "ewa.nowak@example.com"}]);
        let without = fhir(
            &mut gp,
            "PUT",
            &format!("/fhir/Patient/{id}"),
            Some(changed.clone()),
            None,
        )
        .await;
        assert_eq!(without.status, StatusCode::PRECONDITION_REQUIRED);
        let updated = fhir(
            &mut gp,
            "PUT",
            &format!("/fhir/Patient/{id}"),
            Some(changed.clone()),
            Some("W/\"1\""),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.headers["etag"], "W/\"2\"");
        assert_eq!(
            updated.json()["telecom"][0]["value"],
            "ewa.nowak@example.com"
        );
        let stale = fhir(
            &mut gp,
            "PUT",
            &format!("/fhir/Patient/{id}"),
            Some(changed),
            Some("W/\"1\""),
        )
        .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.json()["issue"][0]["code"], "conflict");
        assert_valid_r4(&[
            created.json(),
            found.json(),
            hidden.json(),
            searched.json(),
            unscoped.json(),
            updated.json(),
            stale.json(),
            without.json(),
        ]);
    })
    .await;
}

#[tokio::test]
async fn bad_requests_are_named_in_an_operation_outcome_and_change_nothing() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y01234", GP_SCOPES).await;

        // Signing in.
        let mut anyone = app.client();
        let wrong = anyone.post_raw("/fhir/token", "grant_type=client_credentials&client_id=Y01234&client_secret=jly_wrong", &[]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.json()["error"], "invalid_client");
        let grant = anyone.post_raw("/fhir/token", "grant_type=password&client_id=Y01234", &[]).await;
        assert_eq!(grant.json()["error"], "unsupported_grant_type");
        let scope = anyone.post_raw("/fhir/token", &format!("grant_type=client_credentials&client_id=Y01234&client_secret={key}&scope=openid"), &[]).await;
        assert_eq!(scope.json()["error"], "invalid_scope");
        let no_token = fhir(&mut anyone, "GET", "/fhir/Patient?identifier=1", None, None).await;
        assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
        assert_eq!(no_token.json()["issue"][0]["code"], "login");
        anyone.bearer = Some(key.clone());
        let api_key = fhir(&mut anyone, "GET", "/fhir/Patient?identifier=1", None, None).await;
        assert_eq!(api_key.status, StatusCode::UNAUTHORIZED, "an API key is not an access token");

        let mut gp = system_client(&app, "Y01234", &key, GP_SCOPES).await;
        let questionnaire = fhir(&mut gp, "GET", "/fhir/Questionnaire/msk-self-referral", None, None).await.json();

        // Broken JSON, the wrong resource, an element we do not take.
        let request = axum::http::Request::post("/fhir/Patient")
            .header("host", "localhost")
            .header("content-type", "application/fhir+json")
            .header("authorization", format!("Bearer {}", gp.bearer.clone().unwrap()))
            .body(axum::body::Body::from("{not json"))
            .unwrap();
        let broken = gp.send(request).await;
        assert_eq!(broken.status, StatusCode::BAD_REQUEST);
        assert_eq!(broken.json()["issue"][0]["code"], "structure");
        let wrong_type = fhir(&mut gp, "POST", "/fhir/Patient", Some(json!({"resourceType": "Slot"})), None).await;
        assert!(wrong_type.json()["issue"][0]["diagnostics"].as_str().unwrap().contains("expected `Patient`"));
        let unknown = fhir(&mut gp, "POST", "/fhir/Patient", Some(json!({"resourceType": "Patient", "maritalStatus": {"text": "M"}})), None).await;
        assert!(unknown.json()["issue"][0]["diagnostics"].as_str().unwrap().contains("maritalStatus"));

        // A person with problems in several places: each named where it is.
        let bad_person = fhir(&mut gp, "POST", "/fhir/Patient", Some(json!({
            "resourceType": "Patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "1234567890"}],
            "name": [{"given": ["Ann"]}], "gender": "female", "birthDate": "2999-01-01",
            "address": [{"postalCode": "nowhere"}]
        })), None).await;
        assert_eq!(bad_person.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_person.body);
        let places = outcome_places(&bad_person);
        for place in ["Patient.name[0].family", "Patient.birthDate", "Patient.address[0].postalCode"] {
            assert!(places.iter().any(|p| p == place), "{place} in {places:?}");
        }
        assert!(places.iter().any(|p| p.contains("nhs-number")), "{places:?}");

        // A referral whose answers are wrong: the question is named.
        let mut bad_referral = referral_for(&questionnaire, "Farouk", "9434765919");
        bad_referral["contained"][2]["item"] = json!([{"linkId": "pain_score", "answer": [{"valueInteger": 42}]}]);
        let refused = fhir(&mut gp, "POST", "/fhir/ServiceRequest", Some(bad_referral), None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        assert!(outcome_places(&refused).iter().any(|p| p.contains("linkId='pain_score'")), "{}", refused.body);
        let incomplete = fhir(&mut gp, "POST", "/fhir/ServiceRequest", Some(json!({
            "resourceType": "ServiceRequest", "status": "draft", "intent": "plan", "subject": {"display": "x"}
        })), None).await;
        assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
        assert_eq!(outcome_places(&incomplete).len(), 5, "{}", incomplete.body);

        // Searches: unknown parameters, bad dates, a missing diary.
        let unknown_param = fhir(&mut gp, "GET", "/fhir/Slot?colour=red", None, None).await;
        assert_eq!(unknown_param.status, StatusCode::BAD_REQUEST);
        assert_eq!(unknown_param.json()["issue"][0]["code"], "not-supported");
        let bad_date = fhir(&mut gp, "GET", &format!("/fhir/Slot?schedule=Schedule/{}&start=soon", uuid::Uuid::new_v4()), None, None).await;
        assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);
        let no_diary = fhir(&mut gp, "GET", "/fhir/Slot?status=free", None, None).await;
        assert_eq!(no_diary.json()["issue"][0]["code"], "required");

        // Transactions other than a booking, and resources we do not serve.
        let batch = fhir(&mut gp, "POST", "/fhir", Some(json!({"resourceType": "Bundle", "type": "batch"})), None).await;
        assert_eq!(batch.status, StatusCode::BAD_REQUEST);
        let delete = fhir(&mut gp, "POST", "/fhir", Some(json!({"resourceType": "Bundle", "type": "transaction", "entry": [
            {"request": {"method": "DELETE", "url": "Patient/1"}, "resource": {"resourceType": "Patient"}}
        ]})), None).await;
        assert_eq!(outcome_places(&delete), ["Bundle.entry[0].request"]);
        let observation = fhir(&mut gp, "GET", "/fhir/Observation/1", None, None).await;
        assert_eq!(observation.status, StatusCode::NOT_FOUND);
        assert_eq!(observation.json()["resourceType"], "OperationOutcome");

        assert!(store.triage_queue(&jointly_store::QueueFilter::default(), 10).await.unwrap().is_empty(), "nothing stored");
        assert_valid_r4(&[no_token.json(), broken.json(), unknown.json(), bad_person.json(), refused.json(), incomplete.json(), unknown_param.json(), bad_date.json(), no_diary.json(), batch.json(), delete.json(), observation.json()]);
    })
    .await;
}

#[tokio::test]
async fn a_referrer_revokes_a_referral_only_from_the_version_it_read() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y01234", GP_SCOPES).await;
        let mut gp = system_client(&app, "Y01234", &key, GP_SCOPES).await;
        let questionnaire = fhir(
            &mut gp,
            "GET",
            "/fhir/Questionnaire/msk-self-referral",
            None,
            None,
        )
        .await
        .json();
        let referred = fhir(
            &mut gp,
            "POST",
            "/fhir/ServiceRequest",
            Some(referral_for(&questionnaire, "Farouk", "9434765919")),
            None,
        )
        .await;
        let id = referred.json()["id"].as_str().unwrap().to_owned();
        let etag = referred.headers["etag"].to_str().unwrap().to_owned();
        let mut revoked = referred.json();
        revoked["status"] = json!("revoked");
        let path = format!("/fhir/ServiceRequest/{id}");

        let other = fhir(&mut gp, "PUT", &path, Some(referred.json()), Some(&etag)).await;
        assert_eq!(
            other.status,
            StatusCode::BAD_REQUEST,
            "only revoking is a referrer's to do"
        );
        assert_eq!(outcome_places(&other), ["ServiceRequest.status"]);
        let without = fhir(&mut gp, "PUT", &path, Some(revoked.clone()), None).await;
        assert_eq!(without.status, StatusCode::PRECONDITION_REQUIRED);
        let stale = fhir(
            &mut gp,
            "PUT",
            &path,
            Some(revoked.clone()),
            Some("W/\"99\""),
        )
        .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(
            fhir(&mut gp, "GET", &path, None, None).await.json()["status"],
            "active",
            "nothing changed"
        );

        let done = fhir(&mut gp, "PUT", &path, Some(revoked), Some(&etag)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.json()["status"], "revoked");
        assert_ne!(
            done.headers["etag"].to_str().unwrap(),
            etag,
            "a new version"
        );
        let referral = store
            .find_referral(jointly_domain::ReferralId::from_uuid(id.parse().unwrap()))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            referral.status,
            jointly_domain::referral::ReferralStatus::Withdrawn
        );
        assert_valid_r4(&[done.json(), stale.json(), without.json(), other.json()]);
    })
    .await;
}

const RACERS: usize = 32;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_systems_racing_for_one_slot_make_one_booking() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = connected_organisation(&app, "Y01234", GP_SCOPES).await;
        let mut gp = system_client(&app, "Y01234", &key, GP_SCOPES).await;
        let questionnaire = fhir(
            &mut gp,
            "GET",
            "/fhir/Questionnaire/msk-self-referral",
            None,
            None,
        )
        .await
        .json();
        let mut triage = app.staff(Role::TriageClinician).await;
        let mut racers = Vec::new();
        for n in 0..RACERS {
            let n = u8::try_from(n).unwrap();
            let family = format!(
                "Racer{}{}",
                char::from(b'a' + n / 26),
                char::from(b'a' + n % 26)
            );
            let mut referral = referral_for(&questionnaire, &family, "");
            referral["contained"][0]["identifier"] = json!([]);
            let referred = fhir(
                &mut gp,
                "POST",
                "/fhir/ServiceRequest",
                Some(referral),
                None,
            )
            .await;
            assert_eq!(referred.status, StatusCode::CREATED, "{}", referred.body);
            let request = referred.json();
            let id = request["id"].as_str().unwrap().to_owned();
            accept(&app, &mut triage, &id, "routine").await;
            let patient = request["subject"]["reference"]
                .as_str()
                .unwrap()
                .trim_start_matches("Patient/")
                .to_owned();
            racers.push((patient, id));
        }
        let free = store
            .free_slots(
                app.clinic.service.id,
                jointly_store::testing::now() + jiff::SignedDuration::from_hours(48),
                1,
            )
            .await
            .unwrap();
        let slot = fhir(
            &mut gp,
            "GET",
            &format!("/fhir/Slot/{}", free[0].slot.id),
            None,
            None,
        )
        .await
        .json();

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = app.router.clone();
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let token = gp.bearer.clone().unwrap();
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
        let tasks: Vec<_> = racers
            .into_iter()
            .map(|(patient, referral)| {
                let (start, body, token) = (
                    start.clone(),
                    booking(&slot, &patient, &referral),
                    token.clone(),
                );
                tokio::spawn(async move {
                    let client = reqwest::Client::new();
                    start.wait().await;
                    let response = client
                        .post(format!("http://{address}/fhir"))
                        .bearer_auth(token)
                        .header("content-type", "application/fhir+json")
                        .body(body.to_string())
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    let body: Value = response.json().await.unwrap();
                    (status, body)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        server.abort();
        let won = outcomes.iter().filter(|(s, _)| *s == 200).count();
        let lost = outcomes
            .iter()
            .filter(|(s, b)| *s == 409 && b["issue"][0]["code"] == "conflict")
            .count();
        assert_eq!((won, lost), (1, RACERS - 1), "{outcomes:?}");
        let day = store
            .clinic_list(
                jointly_store::testing::now(),
                jointly_store::testing::now() + jiff::SignedDuration::from_hours(24 * 30),
            )
            .await
            .unwrap();
        assert_eq!(day.len(), 1, "one appointment");
    })
    .await;
}
