//! The front door over HTTP: save and resume, red flags, carers, the professional form and API
//! with keys, phone referral, triage actions, tasks and the languages of the referral pages.

use axum::http::StatusCode;
use jointly_domain::access::Role;
use jointly_domain::referral::{ReferralSource, ReferralStatus};
use jointly_i18n::Locale;
use jointly_store::QueueFilter;
use jointly_store::testing::{on_each_backend, seed_staff};
use jointly_web::load_catalog;
use serde_json::json;

use crate::harness::{Client, TestApp, knee_answers, refer_online, refer_online_as};

const PERSON: [(&str, &str); 9] = [
    ("given_name", "Nadia"),
    ("family_name", "Rahman"),
    ("date_of_birth_day", "3"),
    ("date_of_birth_month", "9"),
    ("date_of_birth_year", "1975"),
    ("sex", "female"),
    ("postcode", "LU1 3JU"),
    ("phone", "07700 900982"),
    ("preferred_contact", "sms"),
];

fn between<'a>(body: &'a str, start: &str, end: &str) -> Option<&'a str> {
    body.split(start)
        .nth(1)
        .and_then(|rest| rest.split(end).next())
}

/// Knee answers with `changes` applied.
fn answers_with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut answers = knee_answers();
    answers.retain(|(k, _)| !changes.iter().any(|(c, _)| c == k));
    answers.extend_from_slice(changes);
    answers
}

async fn queue_names(app: &TestApp) -> Vec<String> {
    app.store
        .triage_queue(&QueueFilter::default(), 100)
        .await
        .unwrap()
        .iter()
        .map(|i| i.patient_name.to_string())
        .collect()
}

#[tokio::test]
async fn a_draft_is_saved_and_resumed_with_its_code_or_its_link() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut browser = app.client();
        let token = browser.get("/refer").await.csrf();
        browser.post_form("/refer/start", &token, &[]).await;
        browser
            .post_form("/refer/step/who", &token, &[("for_someone_else", "no")])
            .await;
        let saved = browser
            .post_form(
                "/refer/step/about",
                &token,
                &[&PERSON[..6], &[("action", "save")]].concat(),
            )
            .await;
        assert_eq!(saved.location(), Some("/refer/save"), "{}", saved.body);
        let page = browser.get("/refer/save").await;
        assert_eq!(page.status, StatusCode::OK);
        let code = between(&page.body, "jointly-code\" lang=\"en\" dir=\"ltr\">", "<")
            .unwrap()
            .to_owned();
        let link = between(&page.body, "jointly-break\" dir=\"ltr\"><a href=\"", "\"")
            .unwrap()
            .trim_start_matches("http://localhost")
            .to_owned();
        assert_eq!(code.len(), 9, "a code like ABCD-2345: {code}");
        assert!(link.starts_with("/refer/resume/"), "{link}");

        let birth = |d: &'static str| {
            [
                ("date_of_birth_day", d),
                ("date_of_birth_month", "9"),
                ("date_of_birth_year", "1975"),
            ]
        };
        // Another browser: the link asks only for the date of birth, and works once (a new
        // link is set each time a draft is opened).
        let mut third = app.client();
        let form = third.get(&link).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(!form.body.contains("name=\"code\""));
        let opened = third.post_form(&link, &form.csrf(), &birth("3")).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        assert!(
            opened
                .location()
                .is_some_and(|l| l.starts_with("/refer/step/"))
        );
        assert_eq!(app.client().get(&link).await.status, StatusCode::NOT_FOUND);

        // A third browser: the code with the wrong date of birth opens nothing.
        let mut later = app.client();
        let token = later.get("/refer/resume").await.csrf();
        let wrong = later
            .post_form(
                "/refer/resume",
                &token,
                &[&[("code", code.as_str())][..], &birth("4")].concat(),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("nhsuk-error-summary"));
        assert!(!later.cookies.contains_key("__Host-jointly_draft"));
        // Lower case and without the dash still works: people type codes as they can.
        let typed = code.replace('-', " ").to_lowercase();
        let right = later
            .post_form(
                "/refer/resume",
                &token,
                &[&[("code", typed.as_str())][..], &birth("3")].concat(),
            )
            .await;
        assert_eq!(
            right.location(),
            Some("/refer/step/contact"),
            "{}",
            right.body
        );
        let contact = later.get("/refer/step/contact").await;
        assert_eq!(contact.status, StatusCode::OK);
        assert!(contact.body.contains("How to contact you"));
    })
    .await;
}

#[tokio::test]
async fn a_red_flag_sends_at_once_shows_999_and_alerts_the_clinician_on_duty() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        seed_staff(&store, Role::TriageClinician, true).await;
        let mut person = app.client();
        let answers = answers_with(&[
            ("area", "back"),
            ("side", "not_applicable"),
            ("saddle_numbness", "yes"),
            ("bladder_bowel", "no"),
            ("sexual_function", "no"),
            ("leg_symptoms", "no"),
            ("upper_back_pain", "no"),
        ]);
        let sent = refer_online(&mut person, &PERSON, &answers).await;
        assert_eq!(sent.location(), Some("/refer/submitted"));
        let page = person.get("/refer/submitted").await;
        assert!(
            page.body.contains("Go to A&amp;E now or call 999"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("Most people wait between"),
            "no waiting time for an emergency"
        );
        assert_eq!(store.open_emergencies().await.unwrap(), 1);

        let mut triage = app.staff(Role::TriageClinician).await;
        let home = triage.get("/staff").await;
        assert!(
            home.body.contains("jointly-alert"),
            "the alert is on every staff page"
        );
        let tasks = triage.get("/staff/tasks").await;
        assert!(tasks.body.contains("Nadia Rahman"));
        let task = between(&tasks.body, "action=\"/staff/tasks/", "/complete")
            .unwrap()
            .to_owned();
        let token = tasks.csrf();
        let empty = triage
            .post_form(&format!("/staff/tasks/{task}/complete"), &token, &[])
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "say what was done"
        );
        assert_eq!(store.open_emergencies().await.unwrap(), 1);
        let done = triage
            .post_form(
                &format!("/staff/tasks/{task}/complete"),
                &token,
                &[("outcome", "Phoned: on her way to A&E")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(store.open_emergencies().await.unwrap(), 0);
        assert!(!triage.get("/staff").await.body.contains("jointly-alert"));
    })
    .await;
}

#[tokio::test]
async fn a_carer_refers_with_the_persons_agreement_only() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let mut carer = app.client();
        let token = carer.get("/refer").await.csrf();
        carer.post_form("/refer/start", &token, &[]).await;
        carer
            .post_form("/refer/step/who", &token, &[("for_someone_else", "yes")])
            .await;
        let no_consent = carer
            .post_form(
                "/refer/step/carer",
                &token,
                &[
                    ("carer_name", "Sam Okafor"),
                    ("carer_relationship", "family"),
                ],
            )
            .await;
        assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_consent.body.contains("href=\"#carer_consent\""));
        assert!(
            no_consent.body.contains("href=\"#carer_phone\""),
            "a way to reach the carer"
        );

        let details = [
            ("carer_name", "Sam Okafor"),
            ("carer_relationship", "family"),
            ("carer_phone", "07700 900123"),
            ("carer_consent", "yes"),
        ];
        let mut carer = app.client();
        let sent = refer_online_as(&mut carer, Some(&details), &PERSON, &knee_answers()).await;
        assert_eq!(sent.location(), Some("/refer/submitted"));
        let queue = app
            .store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        let id = queue[0].referral.id;
        let mut triage = app.staff(Role::TriageClinician).await;
        let page = triage.get(&format!("/staff/referrals/{id}")).await;
        assert!(page.body.contains("Nadia Rahman") && page.body.contains("Sam Okafor"));
    })
    .await;
}

/// Registers a GP practice through the administrator's page and issues its API key.
async fn register_practice(app: &TestApp) -> String {
    let mut admin = app.staff(Role::Administrator).await;
    let page = admin.get("/staff/organisations").await;
    assert_eq!(page.status, StatusCode::OK);
    let token = page.csrf();
    let bad = admin
        .post_form(
            "/staff/organisations",
            &token,
            &[
                ("ods_code", "not a code!"),
                ("name", ""),
                ("kind", "castle"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["ods_code", "name", "kind", "contact_email"] {
        assert!(bad.body.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    let registered = admin
        .post_form(
            "/staff/organisations",
            &token,
            &[
                ("ods_code", "Y01234"),
                ("name", "Marsh Lane Surgery"),
                ("kind", "general_practice"),
                ("contact_email", "marsh.lane@nhs.example"),
            ],
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.body
    );
    let list = admin.get("/staff/organisations").await;
    assert!(list.body.contains("Marsh Lane Surgery"));
    let id = between(&list.body, "action=\"/staff/organisations/", "/key")
        .unwrap()
        .to_owned();
    let issued = admin
        .post_form(&format!("/staff/organisations/{id}/key"), &list.csrf(), &[])
        .await;
    assert_eq!(issued.status, StatusCode::OK);
    between(
        &issued.body,
        "jointly-code jointly-break\" dir=\"ltr\">",
        "<",
    )
    .unwrap()
    .to_owned()
}

#[tokio::test]
async fn a_professional_refers_by_form_with_a_registered_ods_code() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut coordinator = app.staff(Role::Coordinator).await;
        assert_eq!(
            coordinator.get("/staff/organisations").await.status,
            StatusCode::FORBIDDEN,
            "only administrators register organisations"
        );
        register_practice(&app).await;

        let mut gp = app.client();
        let token = gp.get("/refer/professional").await.csrf();
        let referrer = [
            ("referrer_name", "Dr Mei Chen"),
            ("referrer_role", "general_practitioner"),
            ("referrer_email", "mei.chen@nhs.example"),
        ];
        let fields = |ods: &'static str| {
            let mut all = vec![("ods_code", ods)];
            all.extend_from_slice(&referrer);
            all.extend_from_slice(&PERSON);
            all.extend(knee_answers());
            all
        };
        let unknown = gp
            .post_form("/refer/professional", &token, &fields("X99999"))
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("href=\"#ods_code\""));
        assert!(queue_names(&app).await.is_empty(), "nothing stored");

        let sent = gp
            .post_form("/refer/professional", &token, &fields("y01234"))
            .await;
        assert_eq!(sent.location(), Some("/refer/submitted"), "{}", sent.body);
        let queue = store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].referral.source, ReferralSource::Professional);
    })
    .await;
}

#[tokio::test]
async fn the_professional_api_needs_the_organisations_own_key() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let key = register_practice(&app).await;
        assert!(key.starts_with("jly_"), "{key}");
        let body = json!({
            "person": {
                "given_name": "Omar", "family_name": "Farouk", "date_of_birth": "1959-02-01",
                "sex": "male", "postcode": "LU2 7BB", "phone": "07700 900111",
                "preferred_contact": "sms"
            },
            "referrer": {"name": "Dr Mei Chen", "role": "general_practitioner", "email": "mei.chen@nhs.example"},
            "answers": {
                "area": "knee", "side": "left", "duration": "six_to_twelve_weeks", "injury": "no",
                "leg_weakness": "no", "walking_changed": false, "weakness_worse": "none",
                "cancer_history": false, "weight_loss": false, "night_pain": false, "fever": false,
                "immunity": false, "bone_thinning": false, "weight_bearing": "yes",
                "hot_swollen_joint": false, "many_joints": false, "morning_stiffness": false,
                "pain_score": 5, "function": "a_little", "sleep": "a_little", "work": "a_little",
                "mood": "not_at_all", "worry": "a_little", "confidence": "fairly",
                "description": "Knee pain on stairs for two months"
            }
        });
        let mut system = app.client();
        let anonymous = system
            .api("POST", "/api/v1/professional-referrals", Some(body.clone()))
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        system.bearer = Some("jly_not-the-key".into());
        let wrong = system
            .api("POST", "/api/v1/professional-referrals", Some(body.clone()))
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(queue_names(&app).await.is_empty());

        system.bearer = Some(key);
        let mut bad = body.clone();
        bad["answers"]["pain_score"] = json!(42);
        bad["ods_code"] = json!("A12345");
        let refused = system
            .api("POST", "/api/v1/professional-referrals", Some(bad))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
        let problem = refused.json();
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&"pain_score"), "{problem}");
        assert!(fields.contains(&"ods_code"), "not this key's organisation: {problem}");
        assert!(queue_names(&app).await.is_empty(), "nothing stored");

        let created = system
            .api("POST", "/api/v1/professional-referrals", Some(body))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let receipt = created.json();
        assert_eq!(receipt["triage"]["outcome"], "routed");
        assert!(receipt["reference"].as_str().unwrap().starts_with("JNT-"));
        assert_eq!(queue_names(&app).await, vec!["Omar Farouk".to_owned()]);
    })
    .await;
}

#[tokio::test]
async fn a_phone_referral_is_taken_by_staff_and_recorded_as_assisted() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut clinician = app.staff(Role::Clinician).await;
        assert_eq!(
            clinician.get("/staff/refer").await.status,
            StatusCode::FORBIDDEN
        );
        let mut coordinator = app.staff(Role::Coordinator).await;
        let page = coordinator.get("/staff/refer").await;
        assert_eq!(page.status, StatusCode::OK);
        let mut fields = vec![("for_someone_else", "no")];
        fields.extend_from_slice(&PERSON);
        fields.extend(knee_answers());
        let sent = coordinator
            .post_form("/staff/refer", &page.csrf(), &fields)
            .await;
        assert_eq!(sent.location(), Some("/refer/submitted"), "{}", sent.body);
        let read_out = coordinator.get("/refer/submitted").await;
        assert!(read_out.body.contains("Read this page to the caller"));
        let queue = store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(queue[0].referral.source, ReferralSource::Phone);
        assert!(
            queue[0].referral.assisted_by.is_some(),
            "recorded as assisted"
        );

        // And through the API, with the same rule on who may.
        let body = json!({
            "person": {
                "given_name": "Kwame", "family_name": "Mensah", "date_of_birth": "1958-01-30",
                "sex": "male", "postcode": "LU3 2CC", "phone": "07700 900654",
                "preferred_contact": "telephone"
            },
            "answers": knee_answers().into_iter().collect::<std::collections::BTreeMap<_, _>>()
        });
        let refused = clinician
            .api("POST", "/api/v1/phone-referrals", Some(body.clone()))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let created = coordinator
            .api("POST", "/api/v1/phone-referrals", Some(body))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let queue = store
            .triage_queue(&QueueFilter::default(), 10)
            .await
            .unwrap();
        let kwame = queue
            .iter()
            .find(|i| i.patient_name.to_string() == "Kwame Mensah")
            .unwrap();
        assert_eq!(kwame.referral.source, ReferralSource::Phone);
        assert!(kwame.referral.assisted_by.is_some());
    })
    .await;
}

#[tokio::test]
async fn triage_asks_a_question_the_patient_answers_then_gives_advice() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let (mut patient, id) = app.patient("amelia.q@example.com").await;
        let mut triage = app.staff(Role::TriageClinician).await;
        let page = triage.get(&format!("/staff/referrals/{id}")).await;
        let token = page.csrf();
        let version = |body: &str| {
            between(body, "name=\"version\" value=\"", "\"")
                .unwrap()
                .to_owned()
        };
        let empty = triage
            .post_form(
                &format!("/staff/referrals/{id}/question"),
                &token,
                &[("version", &version(&page.body)), ("question", "  ")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let asked = triage
            .post_form(
                &format!("/staff/referrals/{id}/question"),
                &token,
                &[
                    ("version", &version(&page.body)),
                    ("question", "Does the knee lock or give way?"),
                ],
            )
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);

        let portal = patient.get("/portal").await;
        assert!(portal.body.contains("Does the knee lock or give way?"));
        let replied = patient
            .post_form(
                &format!("/portal/referrals/{id}/reply"),
                &portal.csrf(),
                &[("reply", "It gives way on stairs, it never locks.")],
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);

        let page = triage.get(&format!("/staff/referrals/{id}")).await;
        assert!(
            page.body
                .contains("It gives way on stairs, it never locks.")
        );
        let advised = triage
            .post_form(
                &format!("/staff/referrals/{id}/advice"),
                &page.csrf(),
                &[
                    ("version", &version(&page.body)),
                    (
                        "advice",
                        "Strengthening exercises; self-refer again if no better.",
                    ),
                    ("reason", "Mild, improving, and managing well."),
                ],
            )
            .await;
        assert_eq!(advised.status, StatusCode::SEE_OTHER, "{}", advised.body);
        let referral = store
            .find_referral(id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(referral.status, ReferralStatus::AdviceGiven);
    })
    .await;
}

#[tokio::test]
async fn the_referral_pages_speak_each_language() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store).await;
        let catalog = load_catalog().unwrap();
        for (code, locale, dir) in [
            ("pl", Locale::Polish, "ltr"),
            ("ur", Locale::Urdu, "rtl"),
            ("en-x-easyread", Locale::EasyRead, "ltr"),
        ] {
            let mut browser: Client = app.client();
            browser
                .get(&format!("/language?set={code}&back=/refer"))
                .await;
            let start = browser.get("/refer").await;
            assert!(
                start
                    .body
                    .contains(&format!("<html lang=\"{code}\" dir=\"{dir}\">")),
                "{code}"
            );
            browser.post_form("/refer/start", &start.csrf(), &[]).await;
            browser
                .post_form(
                    "/refer/step/who",
                    &start.csrf(),
                    &[("for_someone_else", "no")],
                )
                .await;
            let about = browser.get("/refer/step/about").await;
            let heading = catalog.message(locale, "refer-step-about-self", &[]);
            assert!(about.body.contains(&heading), "{code}: {heading}");
            let missing = browser
                .post_form("/refer/step/about", &start.csrf(), &[])
                .await;
            let problem = catalog.message(locale, "error-given_name-missing", &[]);
            assert!(missing.body.contains(&problem), "{code}: {problem}");
        }
    })
    .await;
}

/// Posts the online steps up to the safety questions for a back problem; returns the token.
async fn up_to_safety(client: &mut Client) -> String {
    let token = client.get("/refer").await.csrf();
    client.post_form("/refer/start", &token, &[]).await;
    client
        .post_form("/refer/step/who", &token, &[("for_someone_else", "no")])
        .await;
    for step in ["about", "contact", "problem"] {
        let fields: Vec<(&str, &str)> = if step == "problem" {
            answers_with(&[("area", "back"), ("side", "not_applicable")])
        } else {
            PERSON.to_vec()
        };
        let saved = client
            .post_form(&format!("/refer/step/{step}"), &token, &fields)
            .await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{step}: {}",
            saved.body
        );
    }
    token
}

#[tokio::test]
async fn the_safety_step_asks_what_applies_and_a_red_flag_never_waits() {
    on_each_backend(|store| async move {
        let app = TestApp::new(store.clone()).await;
        let mut person = app.client();
        let token = up_to_safety(&mut person).await;
        let page = person.get("/refer/step/safety").await;
        assert!(
            page.body.contains("name=\"saddle_numbness\""),
            "asked for a back"
        );
        assert!(
            !page.body.contains("name=\"weight_bearing\""),
            "not for a back"
        );
        let empty = person.post_form("/refer/step/safety", &token, &[]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["saddle_numbness", "bladder_bowel", "upper_back_pain"] {
            assert!(
                empty.body.contains(&format!("href=\"#{field}\"")),
                "{field}"
            );
        }

        // Numbness around the bottom, and nothing else answered yet: the advice and the
        // alert do not wait for the other answers.
        let flagged = person
            .post_form("/refer/step/safety", &token, &[("saddle_numbness", "yes")])
            .await;
        assert_eq!(
            flagged.location(),
            Some("/refer/submitted"),
            "{}",
            flagged.body
        );
        let advice = person.get("/refer/submitted").await;
        assert!(advice.body.contains("Go to A&amp;E now or call 999"));
        assert_eq!(store.open_emergencies().await.unwrap(), 1);
    })
    .await;
}
