//! Any other FHIR R4 server as a target, given by its base URL: the same kind of fixture made
//! through its own API before the measurements (a Schedule, its Slots, people with a
//! ServiceRequest and a CarePlan each), untimed.

use std::collections::VecDeque;
use std::sync::Mutex;

use anyhow::{Context as _, anyhow, bail};
use jiff::{SignedDuration, Timestamp, ToSpan};
use jointly_domain::{Clock, SystemClock, local_date, london};
use serde_json::{Value, json};

use crate::fhir::scenario::{Bookable, Fixture, person};

/// People in the pool that reads and searches pick from.
const READERS: usize = 200;

/// Entries per setup transaction.
const BATCH: usize = 100;

/// Slots a day: every five minutes from 07:00 to 19:00.
const SLOTS_PER_DAY: usize = 144;

async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: &Value,
) -> anyhow::Result<Value> {
    let response = client
        .post(format!("{base}/{path}"))
        .header("content-type", "application/fhir+json")
        .header("accept", "application/fhir+json")
        .body(body.to_string())
        .send()
        .await
        .with_context(|| format!("POST {base}/{path}"))?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("POST {path}: {status}: {}", &text[..text.len().min(300)]);
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Creates `resources` in transactions of [`BATCH`] and returns their ids, in order.
async fn create_all(
    client: &reqwest::Client,
    base: &str,
    resources: Vec<Value>,
) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::with_capacity(resources.len());
    for chunk in resources.chunks(BATCH) {
        let entries: Vec<Value> = chunk
            .iter()
            .map(
                |r| json!({"resource": r, "request": {"method": "POST", "url": r["resourceType"]}}),
            )
            .collect();
        let answer = post(
            client,
            base,
            "",
            &json!({"resourceType": "Bundle", "type": "transaction", "entry": entries}),
        )
        .await?;
        for entry in answer["entry"].as_array().into_iter().flatten() {
            let id = entry["resource"]["id"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| {
                    let location = entry["response"]["location"].as_str()?;
                    let mut parts = location
                        .split('/')
                        .skip_while(|p| !p.chars().next().is_some_and(char::is_uppercase));
                    parts.next()?;
                    parts.next().map(str::to_owned)
                });
            ids.push(id.ok_or_else(|| anyhow!("a created resource without an id: {entry}"))?);
        }
    }
    if ids.len() != resources.len() {
        bail!(
            "asked for {} resources, got {} ids",
            resources.len(),
            ids.len()
        );
    }
    Ok(ids)
}

fn instant(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Makes the fixture on the server at `base` for `bookings` bookings.
pub(crate) async fn seed(base: &str, bookings: usize) -> anyhow::Result<Fixture> {
    let client = reqwest::Client::new();
    let schedule = post(
        &client,
        base,
        "Schedule",
        &json!({"resourceType": "Schedule", "active": true, "actor": [{"display": "Bench clinician"}]}),
    )
    .await?["id"]
        .as_str()
        .ok_or_else(|| anyhow!("the Schedule came back without an id"))?
        .to_owned();

    let first_day = local_date(SystemClock.now() + SignedDuration::from_hours(24 * 7));
    let wanted = bookings + 1 + READERS;
    let days = wanted.div_ceil(SLOTS_PER_DAY);
    let mut times = Vec::with_capacity(days * SLOTS_PER_DAY);
    for d in 0..days {
        let day = first_day.checked_add(i32::try_from(d)?.days())?;
        let midnight = day.to_zoned(london())?.timestamp();
        for s in 0..SLOTS_PER_DAY {
            let start = midnight + SignedDuration::from_mins(i64::try_from(7 * 60 + s * 5)?);
            times.push((start, start + SignedDuration::from_mins(5)));
        }
    }
    let slots: Vec<Value> = times
        .iter()
        .map(|(start, end)| {
            json!({"resourceType": "Slot", "schedule": {"reference": format!("Schedule/{schedule}")},
                   "status": "free", "start": instant(*start), "end": instant(*end)})
        })
        .collect();
    eprintln!("peer: creating {} slots", slots.len());
    let slot_ids = create_all(&client, base, slots).await?;

    let people = READERS + 32;
    let patients = create_all(&client, base, (0..people).map(|_| person(None)).collect()).await?;
    let requests = create_all(
        &client,
        base,
        patients
            .iter()
            .map(|p| {
                json!({"resourceType": "ServiceRequest", "status": "active", "intent": "order",
                       "subject": {"reference": format!("Patient/{p}")}})
            })
            .collect(),
    )
    .await?;
    let care_plans = create_all(
        &client,
        base,
        patients[..READERS]
            .iter()
            .map(|p| {
                json!({"resourceType": "CarePlan", "status": "active", "intent": "plan",
                       "subject": {"reference": format!("Patient/{p}")}})
            })
            .collect(),
    )
    .await?;

    let bookable_at = |i: usize, who: usize| Bookable {
        slot: slot_ids[i].clone(),
        start: instant(times[i].0),
        end: instant(times[i].1),
        patient: patients[who].clone(),
        referral: requests[who].clone(),
    };
    let race = (0..32).map(|n| bookable_at(0, READERS + n)).collect();
    let bookable: VecDeque<Bookable> = (1 + READERS..slot_ids.len())
        .map(|i| bookable_at(i, i % READERS))
        .collect();
    Ok(Fixture {
        patients: patients[..READERS].to_vec(),
        care_plans,
        schedule,
        days: (0..days.min(30))
            .filter_map(|d| first_day.checked_add(i32::try_from(d).ok()?.days()).ok())
            .collect(),
        bookable: Mutex::new(bookable),
        race,
        questionnaire: "https://jointly.example/fhir/Questionnaire/msk-self-referral".into(),
    })
}
