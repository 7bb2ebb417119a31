//! The safety suite: the shipped questionnaire and pathway load; every clinical vignette gets
//! the outcome a clinician expects; no answer set with a red flag is ever routine; and broken
//! files are refused with the line and the problem.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use jointly_domain::pathway::{Disposition, Pathway, Route, TriageRecord, Urgency};
use jointly_domain::questionnaire::{
    Answers, ItemType, Questionnaire, answer_step, answers_before, answers_from_text,
    answers_given, is_enabled,
};
use proptest::prelude::*;
use serde::Deserialize;

const QUESTIONNAIRE: &str = include_str!("../../../content/questionnaires/msk-self-referral.json");
const PATHWAY: &str = include_str!("../../../content/pathways/msk-pathway.toml");
const VIGNETTES: &str = include_str!("../../../content/pathways/vignettes.toml");

fn loaded() -> (Questionnaire, Pathway) {
    let questionnaire =
        Questionnaire::parse(QUESTIONNAIRE).expect("the shipped questionnaire loads");
    let pathway = Pathway::parse(PATHWAY, &questionnaire).expect("the shipped pathway loads");
    (questionnaire, pathway)
}

#[derive(Deserialize)]
struct Suite {
    baseline: BTreeMap<String, String>,
    vignette: Vec<Vignette>,
}

#[derive(Deserialize)]
struct Vignette {
    name: String,
    age: i64,
    answers: BTreeMap<String, String>,
    expect: String,
    route: Option<String>,
    #[serde(default)]
    flags: Vec<String>,
}

#[test]
fn every_vignette_gets_the_expected_outcome_and_every_rule_is_covered() {
    let (questionnaire, pathway) = loaded();
    let suite: Suite = toml::from_str(VIGNETTES).unwrap();
    assert!(
        suite.vignette.len() >= 40,
        "the safety suite needs at least 40 vignettes"
    );
    let mut failures = Vec::new();
    let mut fired_flags = BTreeSet::new();
    let mut fired_rules = BTreeSet::new();
    for v in &suite.vignette {
        let mut raw = suite.baseline.clone();
        raw.extend(v.answers.clone());
        let answers = match answers_from_text(&questionnaire, &raw) {
            Ok(answers) => answers,
            Err(errors) => {
                failures.push(format!(
                    "{}: answers do not fit the questionnaire: {errors:?}",
                    v.name
                ));
                continue;
            }
        };
        let decision = pathway.triage(&questionnaire, &answers, v.age);
        fired_flags.extend(decision.red_flags().iter().map(|f| f.id.clone()));
        fired_rules.extend(decision.rule().map(str::to_owned));
        let expected = Urgency::parse(&v.expect)
            .unwrap_or_else(|| panic!("{}: expect `{}`", v.name, v.expect));
        if decision.urgency() != expected {
            failures.push(format!(
                "{}: expected {}, got {} ({:?})",
                v.name,
                v.expect,
                decision.urgency().as_str(),
                decision.explanation()
            ));
        }
        if let Some(route) = &v.route {
            let got = decision.route().map(Route::as_str);
            if got != Some(route.as_str()) {
                failures.push(format!("{}: expected route {route}, got {got:?}", v.name));
            }
        }
        for flag in &v.flags {
            if !decision.red_flags().iter().any(|f| &f.id == flag) {
                failures.push(format!("{}: red flag {flag} did not fire", v.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "vignettes failed:\n{}",
        failures.join("\n")
    );
    let unfired: Vec<&str> = pathway
        .red_flags
        .iter()
        .map(|f| f.id.as_str())
        .filter(|id| !fired_flags.contains(*id))
        .collect();
    assert!(
        unfired.is_empty(),
        "red flags no vignette exercises: {unfired:?}"
    );
    let unrouted: Vec<&str> = pathway
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !fired_rules.contains(*id))
        .collect();
    assert!(
        unrouted.is_empty(),
        "routing rules no vignette exercises: {unrouted:?}"
    );
}

/// Answers that must always escalate, written here independently of the pathway file: if the
/// file ever loses one of these, the property below fails.
fn definite_red_flag(answers: &Answers, age: i64) -> Option<String> {
    let yes = |id: &str| answers.get(id).map(|a| a.as_code()) == Some("yes".into());
    let is = |id: &str, code: &str| answers.get(id).map(|a| a.as_code()) == Some(code.into());
    let spinal = is("area", "back") || is("area", "neck");
    let checks: [(&str, bool); 14] = [
        ("saddle numbness", yes("saddle_numbness")),
        ("bladder or bowel change", yes("bladder_bowel")),
        ("sexual dysfunction", yes("sexual_function")),
        ("symptoms in both legs", is("leg_symptoms", "both_legs")),
        (
            "leg weakness",
            is("leg_weakness", "one") || is("leg_weakness", "both"),
        ),
        ("worsening weakness", is("weakness_worse", "yes")),
        ("unsteady walking", yes("walking_changed")),
        ("clumsy hands", yes("hands_clumsy")),
        (
            "past cancer with spinal pain",
            yes("cancer_history") && spinal,
        ),
        ("fever", yes("fever")),
        ("major trauma", is("injury", "major")),
        ("cannot bear weight", is("weight_bearing", "no")),
        (
            "hot swollen joint or several swollen joints",
            yes("hot_swollen_joint") || yes("many_joints"),
        ),
        ("night pain at 50 or over", yes("night_pain") && age >= 50),
    ];
    checks
        .iter()
        .find(|(_, hit)| *hit)
        .map(|(name, _)| (*name).to_owned())
}

/// Any valid set of answers to the questionnaire: every item answered with one of its options
/// (or a number in range), then hidden items dropped as the form would.
fn any_answers() -> impl Strategy<Value = (BTreeMap<String, String>, i64)> {
    let (questionnaire, _) = loaded();
    let items: Vec<(String, Vec<String>)> = questionnaire
        .questions()
        .filter(|i| i.required)
        .map(|item| {
            let values = match item.kind {
                ItemType::Boolean => vec!["yes".into(), "no".into()],
                ItemType::Choice => item.options.iter().map(|o| o.code.clone()).collect(),
                ItemType::Integer => (item.min.unwrap_or(0)..=item.max.unwrap_or(10))
                    .map(|n| n.to_string())
                    .collect(),
                _ => vec!["words".into()],
            };
            (item.link_id.clone(), values)
        })
        .collect();
    let choices: Vec<_> = items
        .iter()
        .map(|(_, values)| proptest::sample::select(values.clone()))
        .collect();
    let ids: Vec<String> = items.iter().map(|(id, _)| id.clone()).collect();
    (choices, 16i64..100)
        .prop_map(move |(values, age)| (ids.iter().cloned().zip(values).collect(), age))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_answer_set_with_a_red_flag_is_ever_routine((raw, age) in any_answers()) {
        let (questionnaire, pathway) = loaded();
        let answers = answers_from_text(&questionnaire, &raw).unwrap();
        let decision = pathway.triage(&questionnaire, &answers, age);
        if let Some(flag) = definite_red_flag(&answers, age) {
            prop_assert!(
                matches!(decision.urgency(), Urgency::Emergency | Urgency::Urgent),
                "{flag} gave {:?}", decision.disposition()
            );
        }
        if !decision.red_flags().is_empty() {
            let routed = matches!(decision.disposition(), Disposition::Routed { .. });
            prop_assert!(!routed, "red flags were routed");
        }
        // Whatever was decided survives being stored and read back.
        let stored = serde_json::to_string(&decision).unwrap();
        prop_assert_eq!(serde_json::from_str::<jointly_domain::pathway::DigitalTriage>(&stored).unwrap(), decision);
    }
}

#[test]
fn hidden_questions_are_dropped_and_never_trigger_anything() {
    let (questionnaire, pathway) = loaded();
    let suite: Suite = toml::from_str(VIGNETTES).unwrap();
    let mut raw = suite.baseline.clone();
    raw.insert("saddle_numbness".into(), "yes".into()); // asked only about backs, hips and widespread pain
    let answers = answers_from_text(&questionnaire, &raw).unwrap();
    assert!(!answers.contains_key("saddle_numbness"));
    let item = questionnaire.item("saddle_numbness").unwrap();
    assert!(!is_enabled(item, &answers));
    assert_eq!(
        pathway.triage(&questionnaire, &answers, 40).urgency(),
        Urgency::Routine
    );
}

#[test]
fn every_decision_names_the_answers_it_rests_on() {
    let (questionnaire, pathway) = loaded();
    let suite: Suite = toml::from_str(VIGNETTES).unwrap();
    let mut raw = suite.baseline.clone();
    raw.insert("area".into(), "back".into());
    raw.insert("night_pain".into(), "yes".into());
    for item in [
        "saddle_numbness",
        "bladder_bowel",
        "sexual_function",
        "upper_back_pain",
    ] {
        raw.insert(item.into(), "no".into());
    }
    raw.insert("leg_symptoms".into(), "no".into());
    raw.insert("leg_weakness".into(), "no".into());
    let answers = answers_from_text(&questionnaire, &raw).unwrap();
    let flagged = pathway.triage(&questionnaire, &answers, 60);
    assert_eq!(
        flagged.answers_used(),
        ["age", "cancer_history", "night_pain"]
    );

    let mut raw = suite.baseline.clone();
    raw.insert("pain_score".into(), "9".into());
    let severe = answers_from_text(&questionnaire, &raw).unwrap();
    let routed = pathway.triage(&questionnaire, &severe, 40);
    assert_eq!(routed.rule(), Some("high-impact"));
    assert_eq!(
        routed.answers_used(),
        [
            "pain_score",
            "function",
            "sleep",
            "work",
            "mood",
            "worry",
            "confidence"
        ]
    );
}

#[test]
fn a_stored_decision_that_routes_a_red_flag_is_refused() {
    let (questionnaire, pathway) = loaded();
    let suite: Suite = toml::from_str(VIGNETTES).unwrap();
    let mut raw = suite.baseline.clone();
    raw.insert("fever".into(), "yes".into());
    let answers = answers_from_text(&questionnaire, &raw).unwrap();
    let decision = pathway.triage(&questionnaire, &answers, 40);
    let mut record: TriageRecord = decision.into();
    record.disposition = Disposition::Routed {
        route: Route::Physiotherapy,
        priority: jointly_domain::referral::Priority::Routine,
    };
    let tampered = serde_json::to_string(&record).unwrap();
    assert!(serde_json::from_str::<jointly_domain::pathway::DigitalTriage>(&tampered).is_err());
}

#[test]
fn answers_are_checked_item_by_item() {
    let (questionnaire, _) = loaded();
    let suite: Suite = toml::from_str(VIGNETTES).unwrap();
    let mut raw = suite.baseline.clone();
    raw.insert("pain_score".into(), "11".into());
    raw.insert("area".into(), "elbowish".into());
    raw.insert("fever".into(), "maybe".into());
    raw.remove("description");
    raw.insert("favourite_colour".into(), "blue".into());
    let errors = answers_from_text(&questionnaire, &raw).unwrap_err();
    let found: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.link_id.as_str(), e.problem))
        .collect();
    assert_eq!(
        found,
        vec![
            ("area", "choose"),
            ("fever", "choose"),
            ("pain_score", "too-high"),
            ("description", "missing"),
            ("favourite_colour", "unknown")
        ]
    );
}

#[test]
fn an_unfinished_step_is_screened_with_what_was_given() {
    let (questionnaire, pathway) = loaded();
    let mut raw: BTreeMap<String, String> = [
        ("area", "back"),
        ("side", "not_applicable"),
        ("duration", "under_2_weeks"),
        ("injury", "no"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let earlier = answers_before(&questionnaire, &raw, Some("safety"));
    assert_eq!(
        earlier.len(),
        4,
        "the problem step decides what safety asks"
    );
    raw.insert("saddle_numbness".into(), "yes".into());
    raw.insert("fever".into(), "perhaps".into());
    let safety = questionnaire.step("safety").unwrap();
    let errors = answer_step(safety, &raw, &earlier).unwrap_err();
    assert!(
        errors.iter().any(|e| e.link_id == "bladder_bowel"),
        "questions that apply to a back are required: {errors:?}"
    );
    assert!(
        !errors.iter().any(|e| e.link_id == "weight_bearing"),
        "questions for legs and feet are not"
    );
    let given = answers_given(safety, &raw, &earlier);
    assert_eq!(given.keys().collect::<Vec<_>>(), vec!["saddle_numbness"]);
    let mut known = earlier.clone();
    known.extend(given);
    let decision = pathway.triage(&questionnaire, &known, 40);
    assert!(matches!(decision.disposition(), Disposition::Emergency));
}

fn pathway_error(edit: impl Fn(&str) -> String) -> String {
    let (questionnaire, _) = loaded();
    let edited = edit(PATHWAY);
    assert_ne!(edited, PATHWAY, "the edit changed nothing");
    Pathway::parse(&edited, &questionnaire)
        .unwrap_err()
        .to_string()
}

fn line_of(text: &str, needle: &str) -> usize {
    PATHWAY
        .find(needle)
        .map(|i| PATHWAY[..i].matches('\n').count() + 1)
        .unwrap_or_else(|| panic!("{text}: {needle} not found"))
}

#[test]
fn a_broken_pathway_is_refused_with_the_line_and_the_problem() {
    let when = "when = \"saddle_numbness\"";
    let line = line_of("saddle", when);
    assert_eq!(
        pathway_error(|p| p.replacen(when, "when = \"saddle_numbnes\"", 1)),
        format!(
            "line {line}: `saddle_numbnes` is not a question in https://jointly.example/fhir/Questionnaire/msk-self-referral version 1, a score, or age"
        )
    );
    assert_eq!(
        pathway_error(|p| p.replacen(when, "when = \"saddle_numbness and\"", 1)),
        format!(
            "line {line}: condition `saddle_numbness and`: column 20: the condition ends too soon"
        )
    );
    let leg = "when = \"leg_weakness = both\"";
    assert!(
        pathway_error(|p| p.replacen(leg, "when = \"leg_weakness = three\"", 1))
            .contains("`leg_weakness` has no answer `three`; it can be no, one, both")
    );
    assert!(
        pathway_error(|p| p.replacen("level = \"emergency\"", "level = \"soonish\"", 1))
            .contains("red flag level `soonish` must be emergency or urgent")
    );
    assert!(
        pathway_error(|p| p.replacen("route = \"podiatry\"", "route = \"chiropody\"", 1))
            .contains("unknown route `chiropody`")
    );
    assert!(
        pathway_error(|p| p.replacen("priority = \"soon\"", "priority = \"asap\"", 1))
            .contains("unknown priority `asap`")
    );
    assert!(
        pathway_error(|p| p.replacen("id = \"foot\"", "id = \"widespread\"", 1))
            .contains("rule id `widespread` is used twice")
    );
    assert!(
        pathway_error(|p| p.replace("condition = \"fracture\"", "condition = \"infection\""))
            .contains("no red flag screens for fracture")
    );
    assert!(
        pathway_error(|p| p.replacen(
            "questionnaire_version = \"1\"",
            "questionnaire_version = \"2\"",
            1
        ))
        .contains("but the questionnaire loaded is")
    );
    assert!(
        pathway_error(|p| p.replacen("[[rule]]", "[[rules]]", 1)).contains("unknown field `rules`")
    );
    assert!(
        pathway_error(|p| p.replacen(
            "when = \"impact_band = high or pain_score",
            "when = \"description or pain_score",
            1
        ))
        .contains("`description` is a free-text question")
    );
    assert!(
        pathway_error(|p| p.replacen("(night_pain or age >= 50", "(night_pain or age >= fifty", 1))
            .contains("`age` is a number, but is compared with `fifty`")
    );
    let toml_error = pathway_error(|p| p.replacen("[pathway]", "[pathway", 1));
    assert!(toml_error.starts_with("line 14:"), "{toml_error}");
}

/// `q` with the first `from` after `marker` replaced by `to`.
fn after(q: &str, marker: &str, from: &str, to: &str) -> String {
    let at = q.find(marker).unwrap();
    format!("{}{}", &q[..at], q[at..].replacen(from, to, 1))
}

#[test]
fn a_broken_questionnaire_is_refused_with_the_line_and_the_problem() {
    let error = |edit: &dyn Fn(&str) -> String| {
        Questionnaire::parse(&edit(QUESTIONNAIRE))
            .unwrap_err()
            .to_string()
    };
    assert!(
        error(&|q| q.replacen("\"type\": \"boolean\"", "\"type\": \"yesno\"", 1))
            .contains("has unknown type `yesno`")
    );
    assert!(
        error(&|q| q.replacen("\"linkId\": \"fever\"", "\"linkId\": \"injury\"", 1))
            .contains("linkId `injury` is used twice")
    );
    assert!(
        error(&|q| after(
            q,
            "\"linkId\": \"weight_bearing\"",
            "\"question\": \"area\"",
            "\"question\": \"fever\""
        ))
        .contains("conditions may only use answers from earlier steps")
    );
    assert!(
        error(&|q| after(
            q,
            "\"linkId\": \"weight_bearing\"",
            "\"question\": \"area\"",
            "\"question\": \"mood\""
        ))
        .contains("which is not a question in an earlier step")
    );
    assert!(
        error(&|q| q.replacen("\"code\": \"hip\"", "\"code\": \"neck\"", 1))
            .contains("has option `neck` twice")
    );
    assert!(
        error(&|q| q.replacen(
            "\"resourceType\": \"Questionnaire\"",
            "\"resourceType\": \"Patient\"",
            1
        ))
        .contains("not Questionnaire")
    );
    let syntax = error(&|q| q.replacen("\"required\": true", "\"required\": tru", 1));
    assert!(syntax.starts_with("line "), "{syntax}");
    let unknown = error(&|q| {
        after(
            q,
            "\"answerCoding\"",
            "\"code\": \"back\"",
            "\"code\": \"lumbar\"",
        )
    });
    assert!(
        unknown.contains("does not match that question's type or options")
            && unknown.starts_with("line "),
        "{unknown}"
    );
}
