//! The skeleton journey through the use cases, on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod communication;
mod dashboards;
mod discharge;
mod front_door;
mod journey;
mod passport;
mod rebooking;
mod sign_in;
mod triage;

use std::sync::Arc;

use std::collections::BTreeMap;

use jointly_app::{App, AppSettings, Content, Intake, Principal, SignInRequest, hash_password};
use jointly_domain::access::Role;
use jointly_domain::intake::{DateParts, PersonAnswers};
use jointly_domain::message::MessageTemplate;
use jointly_domain::{FixedClock, PatientId, ServiceId, StaffUserId};
use jointly_notify::{Renderer, TeamDetails};
use jointly_store::testing::now;
use jointly_store::{StaffUser, Store};

pub(crate) fn app(store: &Store) -> (App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(now()));
    let renderer = Arc::new(
        Renderer::new(TeamDetails {
            name: "Jointly MSK".into(),
            phone: "0300 123 4567".into(),
            public_url: "http://localhost".into(),
        })
        .unwrap(),
    );
    let settings = AppSettings {
        demo: true,
        ..AppSettings::default()
    };
    (
        App::new(
            store.clone(),
            clock.clone(),
            renderer,
            Arc::new(Content::embedded().unwrap()),
            settings,
        ),
        clock,
    )
}

/// Six to twelve weeks of knee pain, no red flags: physiotherapy, routine.
pub(crate) fn knee_answers() -> BTreeMap<String, String> {
    [
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
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// Amelia Khan, born 12 April 1968, reachable by email.
pub(crate) fn person(email: &str) -> PersonAnswers {
    PersonAnswers {
        given_name: "Amelia".into(),
        family_name: "Khan".into(),
        date_of_birth: DateParts::from_iso("1968-04-12"),
        sex: "female".into(),
        email: email.into(),
        postcode: "LU1 3JU".into(),
        preferred_contact: "email".into(),
        ..PersonAnswers::default()
    }
}

/// A self-referral for knee pain from Amelia Khan at `email`.
pub(crate) fn answers(email: &str) -> Intake {
    Intake {
        person: person(email),
        answers: knee_answers(),
        ..Intake::default()
    }
}

/// Submits `intake` online as an anonymous visitor.
pub(crate) async fn refer(
    app: &App,
    intake: &Intake,
) -> Result<jointly_app::IntakeReceipt, jointly_app::AppError> {
    app.submit_intake(
        &Principal::Anonymous,
        jointly_app::IntakeRoute::Online,
        intake,
    )
    .await
}

pub(crate) fn sign_in_request(email: &str) -> SignInRequest {
    SignInRequest {
        contact: email.into(),
        date_of_birth: DateParts::from_iso("1968-04-12"),
    }
}

pub(crate) async fn add_staff(
    store: &Store,
    email: &str,
    role: Role,
    services: Vec<ServiceId>,
) -> StaffUserId {
    let user = StaffUser {
        id: StaffUserId::new(),
        email: email.into(),
        display_name: format!("Test {}", role.as_str()),
        role,
        password_hash: hash_password("a long enough password").unwrap(),
        failed_sign_ins: 0,
        locked_until: None,
        active: true,
        on_duty: false,
        services,
    };
    let mut tx = store.begin().await.unwrap();
    tx.insert_staff(&user, now()).await.unwrap();
    tx.commit().await.unwrap();
    user.id
}

pub(crate) async fn staff(app: &App, email: &str) -> Principal {
    let session = app
        .staff_sign_in(email, "a long enough password")
        .await
        .unwrap();
    app.principal_for(&session.token).await.unwrap()
}

/// The newest sign-in code queued for a patient, read from the outbox as the demo page shows it.
pub(crate) async fn latest_code(store: &Store, patient: PatientId) -> String {
    store
        .outbox_for_patient(patient)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.template == MessageTemplate::SignInCode)
        .and_then(|e| e.data.code)
        .expect("a code was queued")
}

/// A routine triage decision into `service`, for a referral not yet changed (version 0).
pub(crate) fn routine(service: ServiceId) -> jointly_app::TriageForm {
    jointly_app::TriageForm {
        service: service.to_string(),
        priority: "routine".into(),
        note: String::new(),
        version: "0".into(),
    }
}

/// Signs in the patient who referred with `email` (born 12 April 1968), as they would: a code
/// is sent, read from the outbox, and typed in.
pub(crate) async fn sign_in_patient(app: &App, store: &Store, email: &str) -> Principal {
    app.request_sign_in_code(&sign_in_request(email))
        .await
        .unwrap();
    let address = jointly_domain::contact::EmailAddress::parse(email).unwrap();
    let born = jiff::civil::date(1968, 4, 12);
    let patient = store
        .find_patients_by_contact(Some(&address), None, born)
        .await
        .unwrap()[0]
        .id;
    let code = latest_code(store, patient).await;
    let session = app
        .sign_in_with_code(&sign_in_request(email), &code)
        .await
        .unwrap();
    app.principal_for(&session.token).await.unwrap()
}
