//! The skeleton journey, as one virtual client makes it over and over: refer, be accepted,
//! sign in with a code, see the offered slots, book one. Every HTTP request is timed; reading
//! the sign-in code from the store (where a real patient would read their email) is not.

use std::ops::ControlFlow::{self, Break, Continue};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use jointly_domain::ReferralId;
use jointly_domain::message::MessageTemplate;
use jointly_store::Store;
use reqwest::{RequestBuilder, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::level::Gate;
use crate::report::{Recorder, Step};
use crate::setup::Target;

/// Requests in one journey that ends in a booking, at the least.
pub(crate) const REQUESTS_PER_BOOKING: u64 = 6;

/// The patient's date of birth, given again when signing in.
const DATE_OF_BIRTH: &str = "1968-04-12";

/// Longest a single request may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Failure messages quote at most this much of a response body.
const BODY_QUOTE: usize = 300;

/// What every virtual client of a level shares.
pub(crate) struct Context {
    base: String,
    store: Store,
    service_id: String,
    staff_token: String,
    patients: Arc<AtomicU64>,
}

impl Context {
    /// The journey's view of a running target.
    pub(crate) fn new(target: &Target) -> Self {
        Self {
            base: target.base.clone(),
            store: target.store.clone(),
            service_id: target.service_id.to_string(),
            staff_token: target.staff_token.clone(),
            patients: target.patients.clone(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// An answer with the status the step expected.
struct Reply {
    body: Value,
    measured: bool,
    /// A booking refused with 409 `slot_taken`.
    conflict: bool,
}

#[derive(Deserialize)]
struct OfferedSlot {
    id: String,
}

/// One simulated person at a time: a task with its own HTTP connection pool.
pub(crate) struct VirtualClient {
    index: usize,
    http: reqwest::Client,
    context: Arc<Context>,
    gate: Arc<Gate>,
    record: Recorder,
}

impl VirtualClient {
    /// Client number `index` of a level.
    pub(crate) fn new(
        index: usize,
        context: Arc<Context>,
        gate: Arc<Gate>,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(2)
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        Ok(Self {
            index,
            http,
            context,
            gate,
            record: Recorder::default(),
        })
    }

    /// Makes journeys until the gate closes, then hands back what was measured.
    pub(crate) async fn run(mut self) -> Recorder {
        while self.journey().await.is_continue() {}
        self.record
    }

    /// One journey. A failed step is recorded and ends the journey early; `Break` means the
    /// level is over.
    async fn journey(&mut self) -> ControlFlow<()> {
        let n = self.context.patients.fetch_add(1, Ordering::Relaxed);
        let email = format!("bench-{n}@example.com");

        let refer = self
            .http
            .post(self.context.url("/api/v1/referrals"))
            .json(&referral(n, &email));
        let Some(reply) = self.call(Step::Refer, refer, StatusCode::CREATED).await? else {
            return Continue(());
        };
        let Some(referral_id) = self.text(Step::Refer, &reply, "referral_id") else {
            return Continue(());
        };

        let accept = self
            .http
            .post(
                self.context
                    .url(&format!("/api/v1/referrals/{referral_id}/accept")),
            )
            .bearer_auth(&self.context.staff_token)
            .json(&json!({
                "service_id": self.context.service_id,
                "priority": "routine",
                "version": 0,
            }));
        if self
            .call(Step::Accept, accept, StatusCode::OK)
            .await?
            .is_none()
        {
            return Continue(());
        }

        let details = json!({ "contact": email, "date_of_birth": DATE_OF_BIRTH });
        let request_code = self
            .http
            .post(self.context.url("/api/v1/sessions/code"))
            .json(&details);
        let Some(reply) = self
            .call(Step::SignIn, request_code, StatusCode::ACCEPTED)
            .await?
        else {
            return Continue(());
        };
        let code = match sign_in_code(&self.context.store, &referral_id).await {
            Ok(code) => code,
            Err(error) => {
                self.record
                    .error(Step::SignIn, reply.measured, format!("{error:#}"));
                return Continue(());
            }
        };
        let sign_in = self
            .http
            .post(self.context.url("/api/v1/sessions/patient"))
            .json(&json!({ "contact": email, "date_of_birth": DATE_OF_BIRTH, "code": code }));
        let Some(reply) = self
            .call(Step::SignIn, sign_in, StatusCode::CREATED)
            .await?
        else {
            return Continue(());
        };
        let Some(token) = self.text(Step::SignIn, &reply, "token") else {
            return Continue(());
        };

        // The patient's own search: any time of day, nearest first, which reads every match.
        let search = self
            .http
            .get(self.context.url(&format!(
                "/api/v1/me/referrals/{referral_id}/slot-search?order=nearest&time=morning,afternoon,evening,weekend"
            )))
            .bearer_auth(&token);
        if self
            .call(Step::Search, search, StatusCode::OK)
            .await?
            .is_none()
        {
            return Continue(());
        }
        self.book(&referral_id, &token).await
    }

    /// Books one of the offered slots, moving on to the next when another client took it
    /// first and fetching the offer again when all of them have gone. Losing races is not a
    /// failure, so this keeps trying until it books or the gate closes.
    async fn book(&mut self, referral_id: &str, token: &str) -> ControlFlow<()> {
        loop {
            let offer = self
                .http
                .get(
                    self.context
                        .url(&format!("/api/v1/me/referrals/{referral_id}/slots")),
                )
                .bearer_auth(token);
            let Some(reply) = self.call(Step::Slots, offer, StatusCode::OK).await? else {
                return Continue(());
            };
            let slots: Vec<OfferedSlot> = match serde_json::from_value(reply.body) {
                Ok(slots) => slots,
                Err(error) => {
                    let message = format!("offered slots unreadable: {error}");
                    self.record.error(Step::Slots, reply.measured, message);
                    return Continue(());
                }
            };
            if slots.is_empty() {
                let message = "no free slots offered".to_owned();
                self.record.error(Step::Slots, reply.measured, message);
                return Continue(());
            }
            // Clients start at different places in the same list, as people would.
            for k in 0..slots.len() {
                let slot = &slots[(self.index + k) % slots.len()];
                let book = self
                    .http
                    .post(self.context.url("/api/v1/me/appointments"))
                    .bearer_auth(token)
                    .json(&json!({ "referral_id": referral_id, "slot_id": slot.id }));
                match self.call(Step::Book, book, StatusCode::CREATED).await? {
                    Some(reply) if reply.conflict => {}
                    Some(_) | None => return Continue(()),
                }
            }
        }
    }

    /// Sends one request if the gate admits it, and times it until the whole answer is read.
    /// `Break` when the level is over; `None` when the request failed (recorded here).
    async fn call(
        &mut self,
        step: Step,
        request: RequestBuilder,
        expected: StatusCode,
    ) -> ControlFlow<(), Option<Reply>> {
        let Some(measured) = self.gate.admit().await else {
            return Break(());
        };
        let started = Instant::now();
        let answer = match request.send().await {
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|body| (status, body))
            }
            Err(error) => Err(error),
        };
        let took = started.elapsed();
        let (status, bytes) = match answer {
            Ok(answer) => answer,
            Err(error) => {
                self.record
                    .error(step, measured, format!("request failed: {error}"));
                return Continue(None);
            }
        };
        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let conflict =
            step == Step::Book && status == StatusCode::CONFLICT && body["code"] == "slot_taken";
        if measured {
            let timed_as = if conflict { Step::SlotTaken } else { step };
            self.record.latency(timed_as, took);
            if step == Step::Book && status == expected {
                self.record.booked();
            }
        }
        if status == expected || conflict {
            return Continue(Some(Reply {
                body,
                measured,
                conflict,
            }));
        }
        let text = String::from_utf8_lossy(&bytes);
        let quoted: String = text.chars().take(BODY_QUOTE).collect();
        self.record.error(
            step,
            measured,
            format!("{status} (expected {expected}): {quoted}"),
        );
        Continue(None)
    }

    /// A string field of an answer, or a recorded failure.
    fn text(&mut self, step: Step, reply: &Reply, field: &str) -> Option<String> {
        let value = reply.body[field].as_str().map(str::to_owned);
        if value.is_none() {
            let message = format!("answer has no {field}: {}", reply.body);
            self.record.error(step, reply.measured, message);
        }
        value
    }
}

/// A family name unique to virtual patient `n` (letters only, as names are), so each is a
/// different person and none joins another's referral.
fn family_name(mut n: u64) -> String {
    let mut name = String::from("Bench");
    loop {
        name.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return name;
        }
    }
}

/// A valid self-referral for knee pain with no red flags, from someone who prefers email.
fn referral(n: u64, email: &str) -> Value {
    json!({
        "person": {
            "given_name": "Amelia",
            "family_name": family_name(n),
            "date_of_birth": DATE_OF_BIRTH,
            "sex": "female",
            "postcode": "LU1 3JU",
            "email": email,
            "preferred_contact": "email",
        },
        "answers": {
            "area": "knee", "side": "left", "duration": "six_to_twelve_weeks", "injury": "no",
            "leg_weakness": "no", "walking_changed": false, "weakness_worse": "none",
            "cancer_history": false, "weight_loss": false, "night_pain": false, "fever": false,
            "immunity": false, "bone_thinning": false, "weight_bearing": "yes",
            "hot_swollen_joint": false, "many_joints": false, "morning_stiffness": false,
            "pain_score": 5, "function": "a_little", "sleep": "a_little", "work": "a_little",
            "mood": "not_at_all", "worry": "a_little", "confidence": "fairly",
            "description": "My knee hurts on stairs",
        },
    })
}

/// The sign-in code just sent to the patient who made `referral_id`, read from the outbox.
async fn sign_in_code(store: &Store, referral_id: &str) -> anyhow::Result<String> {
    let id: ReferralId = referral_id
        .parse()
        .map_err(|e| anyhow::anyhow!("referral id {referral_id:?}: {e}"))?;
    let referral = store
        .find_referral(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("referral {referral_id} not in the store"))?;
    store
        .outbox_for_patient(referral.patient_id)
        .await?
        .into_iter()
        .filter(|entry| entry.template == MessageTemplate::SignInCode)
        .find_map(|entry| entry.data.code)
        .ok_or_else(|| anyhow::anyhow!("no sign-in code in the outbox for {referral_id}"))
}
