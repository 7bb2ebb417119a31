//! A test harness: the real router over a fresh database, and a client that keeps cookies
//! and form tokens like a browser.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use jointly_app::{
    App, AppSettings, Content, Intake, IntakeRoute, Principal, SignInRequest, hash_password,
};
use jointly_domain::access::Role;
use jointly_domain::intake::{DateParts, PersonAnswers};
use jointly_domain::message::MessageTemplate;
use jointly_domain::{FixedClock, ServiceId, StaffUserId};
use jointly_notify::{Renderer, TeamDetails};
use jointly_store::testing::{SampleClinic, now, seed_clinic, seed_slots};
use jointly_store::{StaffUser, Store};
use jointly_web::{AppState, WebConfig, load_catalog, router};
use tower::ServiceExt;

pub(crate) const PASSWORD: &str = "a long enough password";

pub(crate) struct TestApp {
    pub(crate) router: Router,
    pub(crate) app: App,
    pub(crate) store: Store,
    pub(crate) clinic: SampleClinic,
    pub(crate) clock: Arc<FixedClock>,
}

/// The token the message provider sends with delivery receipts in tests.
pub(crate) const RECEIPT_TOKEN: &str = "receipt-token-for-tests";

pub(crate) fn team() -> TeamDetails {
    TeamDetails {
        name: "Jointly MSK".into(),
        phone: "0300 123 4567".into(),
        public_url: "http://localhost".into(),
    }
}

impl TestApp {
    pub(crate) async fn new(store: Store) -> Self {
        let clock = Arc::new(FixedClock::new(now()));
        let renderer = Arc::new(Renderer::new(team()).unwrap().with_links(link_key()));
        let app = App::new(
            store.clone(),
            clock.clone(),
            renderer,
            Arc::new(Content::embedded().unwrap()),
            AppSettings {
                demo: true,
                receipt_token: Some(RECEIPT_TOKEN.into()),
                ..AppSettings::default()
            },
        );
        let state = AppState::new(
            app.clone(),
            Arc::new(load_catalog().unwrap()),
            WebConfig {
                public_url: "http://localhost".into(),
                secure_cookies: true,
                service_name: "Jointly MSK".into(),
                service_phone: "0300 123 4567".into(),
                demo: true,
            },
        );
        let clinic = seed_clinic(&store).await;
        seed_slots(&store, &clinic, 6).await;
        Self {
            router: router(state),
            app,
            store,
            clinic,
            clock,
        }
    }

    pub(crate) fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    /// A staff account with `role` in the sample clinic's service, and a client signed in as it.
    pub(crate) async fn staff(&self, role: Role) -> Client {
        self.staff_in(role, vec![self.clinic.service.id]).await
    }

    /// A staff account with `role` in `services`, and a client signed in as it.
    pub(crate) async fn staff_in(&self, role: Role, services: Vec<ServiceId>) -> Client {
        let email = format!("{}-{}@jointly.example", role.as_str(), StaffUserId::new());
        let user = StaffUser {
            id: StaffUserId::new(),
            email: email.clone(),
            display_name: "Test User".into(),
            role,
            password_hash: hash_password(PASSWORD).unwrap(),
            failed_sign_ins: 0,
            locked_until: None,
            active: true,
            on_duty: false,
            services,
        };
        let mut tx = self.store.begin().await.unwrap();
        tx.insert_staff(&user, now()).await.unwrap();
        tx.commit().await.unwrap();
        let session = self.app.staff_sign_in(&email, PASSWORD).await.unwrap();
        let mut client = self.client();
        client
            .cookies
            .insert("__Host-jointly_session".into(), session.token.clone());
        client.bearer = Some(session.token);
        client
    }

    /// Refers a patient (who prefers email) and signs them in; returns the client and their
    /// referral id.
    pub(crate) async fn patient(&self, email: &str) -> (Client, String) {
        let receipt = self
            .app
            .submit_intake(&Principal::Anonymous, IntakeRoute::Online, &answers(email))
            .await
            .unwrap();
        let patient = self
            .store
            .find_referral(receipt.referral_id)
            .await
            .unwrap()
            .unwrap()
            .patient_id;
        let client = self.sign_in(email, patient).await;
        (client, receipt.referral_id.to_string())
    }

    /// The patient whose referral `referral` is.
    pub(crate) async fn patient_of(&self, referral: &str) -> jointly_domain::PatientId {
        self.store
            .find_referral(referral.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .patient_id
    }

    /// Signs in the patient `patient` (born 12 April 1968, reached at `email`) with a code, as
    /// they would; for example again after their last session expired.
    pub(crate) async fn sign_in(&self, email: &str, patient: jointly_domain::PatientId) -> Client {
        let request = SignInRequest {
            contact: email.into(),
            date_of_birth: DateParts::from_iso("1968-04-12"),
        };
        self.app.request_sign_in_code(&request).await.unwrap();
        let code = self
            .store
            .outbox_for_patient(patient)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.template == MessageTemplate::SignInCode)
            .and_then(|e| e.data.code)
            .unwrap();
        let session = self.app.sign_in_with_code(&request, &code).await.unwrap();
        let mut client = self.client();
        client
            .cookies
            .insert("__Host-jointly_session".into(), session.token.clone());
        client.bearer = Some(session.token);
        client
    }
}

/// Six to twelve weeks of knee pain, no red flags: physiotherapy, routine.
pub(crate) fn knee_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("area", "knee"),
        ("side", "left"),
        ("duration", "six_to_twelve_weeks"),
        ("injury", "no"),
        ("leg_weakness", "no"),
        ("walking_changed", "no"),
        ("weakness_worse", "none"),
        ("cancer_history", "no"),
        ("weight_loss", "no"),
        ("night_pain", "no"),
        ("fever", "no"),
        ("immunity", "no"),
        ("bone_thinning", "no"),
        ("weight_bearing", "yes"),
        ("hot_swollen_joint", "no"),
        ("many_joints", "no"),
        ("morning_stiffness", "no"),
        ("pain_score", "5"),
        ("function", "a_little"),
        ("sleep", "a_little"),
        ("work", "a_little"),
        ("mood", "not_at_all"),
        ("worry", "a_little"),
        ("confidence", "fairly"),
        ("description", "My knee hurts on stairs"),
    ]
}

/// A self-referral for knee pain. Each email is a different person (the family name comes
/// from it), so referrals never join each other.
pub(crate) fn answers(email: &str) -> Intake {
    let family: String = email
        .chars()
        .take_while(|c| *c != '@')
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' => Some(c),
            '0'..='9' => Some(char::from(b'a' + c as u8 - b'0')),
            _ => None,
        })
        .collect();
    Intake {
        person: PersonAnswers {
            given_name: "Amelia".into(),
            family_name: format!("Khan{family}"),
            date_of_birth: DateParts::from_iso("1968-04-12"),
            sex: "female".into(),
            email: email.into(),
            postcode: "LU1 3JU".into(),
            preferred_contact: "email".into(),
            ..PersonAnswers::default()
        },
        answers: knee_answers()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        ..Intake::default()
    }
}

/// Refers online through every step as a browser would: `person` for the about and contact
/// steps, `answers` posted to every questionnaire step (each keeps its own). Returns the last
/// response: the redirect to the confirmation.
pub(crate) async fn refer_online(
    client: &mut Client,
    person: &[(&str, &str)],
    answers: &[(&str, &str)],
) -> Response {
    refer_online_as(client, None, person, answers).await
}

/// As [`refer_online`], by a carer with these details when `carer` is given.
pub(crate) async fn refer_online_as(
    client: &mut Client,
    carer: Option<&[(&str, &str)]>,
    person: &[(&str, &str)],
    answers: &[(&str, &str)],
) -> Response {
    let token = client.get("/refer").await.csrf();
    let started = client.post_form("/refer/start", &token, &[]).await;
    assert_eq!(started.location(), Some("/refer/step/who"));
    let mut last = client
        .post_form(
            "/refer/step/who",
            &token,
            &[(
                "for_someone_else",
                if carer.is_some() { "yes" } else { "no" },
            )],
        )
        .await;
    if let Some(carer) = carer {
        assert_eq!(last.location(), Some("/refer/step/carer"));
        last = client.post_form("/refer/step/carer", &token, carer).await;
        assert_eq!(last.location(), Some("/refer/step/about"), "{}", last.body);
    }
    for step in ["about", "contact", "problem", "safety", "impact", "more"] {
        let fields = if matches!(step, "about" | "contact") {
            person
        } else {
            answers
        };
        last = client
            .post_form(&format!("/refer/step/{step}"), &token, fields)
            .await;
        assert_eq!(last.status, StatusCode::SEE_OTHER, "{step}: {}", last.body);
        if last.location() == Some("/refer/submitted") {
            return last;
        }
    }
    assert_eq!(last.location(), Some("/refer/check"));
    let check = client.get("/refer/check").await;
    assert_eq!(check.status, StatusCode::OK);
    client.post_form("/refer/send", &token, &[]).await
}

/// The reference on a confirmation page.
pub(crate) fn reference_on(page: &str) -> String {
    page.split("jointly-code\" dir=\"ltr\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a reference")
        .to_owned()
}

pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: String,
}

impl Response {
    pub(crate) fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    /// The form token in the page.
    pub(crate) fn csrf(&self) -> String {
        let start = self
            .body
            .find("name=\"_csrf\" value=\"")
            .expect("page has a form")
            + 20;
        self.body[start..].split('"').next().unwrap().to_owned()
    }
}

pub(crate) struct Client {
    router: Router,
    pub(crate) cookies: HashMap<String, String>,
    pub(crate) bearer: Option<String>,
}

impl Client {
    pub(crate) async fn send(&mut self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for cookie in headers.get_all("set-cookie") {
            let text = cookie.to_str().unwrap();
            let (pair, _) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub(crate) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn get(&mut self, path: &str) -> Response {
        let request = Request::get(path)
            .header("cookie", self.cookie_header())
            .header("host", "localhost")
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    pub(crate) async fn get_with(&mut self, path: &str, header: (&str, &str)) -> Response {
        let request = Request::get(path)
            .header("cookie", self.cookie_header())
            .header("host", "localhost")
            .header(header.0, header.1)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Posts a form as the browser would from our own page, with its token.
    pub(crate) async fn post_form(
        &mut self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let mut pairs: Vec<(&str, &str)> = vec![("_csrf", token)];
        pairs.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let request = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with a file input (`multipart/form-data`) as the browser would from our
    /// own page, with its token; `file` is the chosen file's name and content, or none chosen.
    pub(crate) async fn post_upload(
        &mut self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Response {
        const BOUNDARY: &str = "jointly-test-boundary-7d1f";
        let mut body = Vec::new();
        let mut part = |headers: String, content: &[u8]| {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n{headers}\r\n\r\n").as_bytes());
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        for (name, value) in std::iter::once(&("_csrf", token)).chain(fields) {
            part(
                format!("Content-Disposition: form-data; name=\"{name}\""),
                value.as_bytes(),
            );
        }
        // A file input with nothing chosen still sends an empty part without a name.
        let (file_name, content) = file.unwrap_or(("", b""));
        part(
            format!(
                "Content-Disposition: form-data; name=\"attachment\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream"
            ),
            content,
        );
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form with arbitrary headers (for forged-request tests).
    pub(crate) async fn post_raw(
        &mut self,
        path: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = Request::post(path)
            .header("cookie", self.cookie_header())
            .header("host", "localhost")
            .header("content-type", "application/x-www-form-urlencoded");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    /// Calls the JSON API with this client's bearer token, if any.
    pub(crate) async fn api(
        &mut self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Response {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost");
        if let Some(token) = &self.bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(request.body(body).unwrap()).await
    }
}

/// The key the harness signs appointment links with.
pub(crate) fn link_key() -> jointly_domain::link::LinkKey {
    jointly_domain::link::LinkKey::new([42; 32])
}
