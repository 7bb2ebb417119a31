//! Outcome measures for the demo's finished care: each person discharged after care answered
//! the pain measure when triaged and again at discharge, so the outcomes dashboard has change
//! to show. Most got better; some stayed the same or got worse, as in real services.

use std::collections::HashMap;

use jointly_domain::conversation::Author;
use jointly_domain::measure::{Asked, MeasureResponse, Measures, Timepoint, score};
use jointly_domain::referral::ReferralStatus;
use jointly_domain::{MeasureResponseId, PatientId};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::history::History;
use super::seeded_uuid;

/// Two pain scores (0 to 10, lower is better) for every referral discharged after care,
/// except those of the scripted people, whose stories have their own.
pub fn generate(
    history: &History,
    scripted: &[PatientId],
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<MeasureResponse>> {
    let measures = Measures::parse(include_str!("../../../../content/measures/measures.toml"))
        .map_err(|e| anyhow::anyhow!(e))?;
    let pain = measures
        .get("pain")
        .ok_or_else(|| anyhow::anyhow!("no pain measure"))?;
    let mut responses = Vec::new();
    for referral in &history.referrals {
        let (Some(triaged), Some(discharged)) = (referral.triaged_at, referral.discharged_at)
        else {
            continue;
        };
        if referral.status != ReferralStatus::Discharged
            || referral.attended == 0
            || scripted.contains(&referral.patient_id)
        {
            continue;
        }
        let start: i64 = rng.random_range(4..=9);
        let change: i64 = match rng.random_range(0..100) {
            0..=64 => rng.random_range(2..=5),
            65..=84 => rng.random_range(0..=1),
            _ => -rng.random_range(1..=2),
        };
        let end = (start - change).clamp(0, 10);
        for (timepoint, value, at) in [
            (Timepoint::Start, start, triaged),
            (Timepoint::Discharge, end, discharged),
        ] {
            let asked = Asked {
                patient_id: referral.patient_id,
                timepoint,
                request_id: None,
            };
            let answers = HashMap::from([("average".to_owned(), value.to_string())]);
            responses.push(
                score(
                    pain,
                    asked,
                    &answers,
                    Author::Patient(referral.patient_id),
                    MeasureResponseId::from_uuid(seeded_uuid(rng)),
                    at,
                )
                .map_err(|e| anyhow::anyhow!("demo outcome measure: {e}"))?,
            );
        }
    }
    Ok(responses)
}
