//! The triage pathway: a versioned file the service edits, checked completely at load, that
//! turns a set of answers into a digital triage decision — red flags first, then a score-based
//! risk level, then routing rules — recording which answers and rules produced it.
//!
//! Red flags are structural, not a convention: a [`DigitalTriage`] with a red flag can only be
//! an emergency or urgent; the routed (soon or routine) outcome needs a proof that red-flag
//! screening found nothing, which only the screening can give. Stored decisions are checked
//! again when they are read back.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::questionnaire::{Answers, ItemType, Questionnaire, score};
use crate::referral::Priority;
use crate::rules::{self, Expr, Fact, Value};
use crate::service::ServiceKind;

/// The conditions red flags screen for (NICE CKS and national pathways; see standards §7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedFlagCondition {
    /// Cauda equina syndrome.
    CaudaEquina,
    /// Suspected cancer or metastatic spinal cord compression.
    CancerOrCordCompression,
    /// Spinal or joint infection.
    Infection,
    /// Fracture.
    Fracture,
    /// Inflammatory arthritis.
    InflammatoryArthritis,
    /// Progressive neurology.
    ProgressiveNeurology,
}

impl RedFlagCondition {
    /// Every condition; a pathway must screen for each.
    pub const ALL: [RedFlagCondition; 6] = [
        Self::CaudaEquina,
        Self::CancerOrCordCompression,
        Self::Infection,
        Self::Fracture,
        Self::InflammatoryArthritis,
        Self::ProgressiveNeurology,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaudaEquina => "cauda_equina",
            Self::CancerOrCordCompression => "cancer_or_cord_compression",
            Self::Infection => "infection",
            Self::Fracture => "fracture",
            Self::InflammatoryArthritis => "inflammatory_arthritis",
            Self::ProgressiveNeurology => "progressive_neurology",
        }
    }

    fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == input)
    }
}

/// How fast a red flag needs action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// Go to A&E now or call 999; an emergency task alerts the on-duty triage clinician.
    Emergency,
    /// A clinician calls back the same day.
    Urgent,
}

impl Escalation {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Urgent => "urgent",
        }
    }
}

/// Where a referral should go next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Advice and self-care, with a way back in.
    SelfManagement,
    /// Community physiotherapy.
    Physiotherapy,
    /// A first contact practitioner.
    FirstContactPractitioner,
    /// The specialist MSK (interface) service.
    SpecialistMsk,
    /// Pain management.
    Pain,
    /// Orthopaedics (through shared decision-making).
    Orthopaedics,
    /// Rheumatology.
    Rheumatology,
    /// Podiatry.
    Podiatry,
    /// A group class (back, knee, education).
    GroupClass,
    /// Social prescribing.
    SocialPrescribing,
    /// Weight management.
    WeightManagement,
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 11] = [
        Self::SelfManagement,
        Self::Physiotherapy,
        Self::FirstContactPractitioner,
        Self::SpecialistMsk,
        Self::Pain,
        Self::Orthopaedics,
        Self::Rheumatology,
        Self::Podiatry,
        Self::GroupClass,
        Self::SocialPrescribing,
        Self::WeightManagement,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SelfManagement => "self_management",
            Self::Physiotherapy => "physiotherapy",
            Self::FirstContactPractitioner => "first_contact_practitioner",
            Self::SpecialistMsk => "specialist_msk",
            Self::Pain => "pain",
            Self::Orthopaedics => "orthopaedics",
            Self::Rheumatology => "rheumatology",
            Self::Podiatry => "podiatry",
            Self::GroupClass => "group_class",
            Self::SocialPrescribing => "social_prescribing",
            Self::WeightManagement => "weight_management",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == input)
    }

    /// The kind of clinical service that takes this route, if a service does.
    pub fn service_kind(self) -> Option<ServiceKind> {
        match self {
            Self::Physiotherapy | Self::FirstContactPractitioner | Self::GroupClass => {
                Some(ServiceKind::Physiotherapy)
            }
            Self::SpecialistMsk => Some(ServiceKind::SpecialistMsk),
            Self::Pain => Some(ServiceKind::Pain),
            Self::Orthopaedics => Some(ServiceKind::Orthopaedics),
            Self::Rheumatology => Some(ServiceKind::Rheumatology),
            Self::Podiatry => Some(ServiceKind::Podiatry),
            Self::SelfManagement | Self::SocialPrescribing | Self::WeightManagement => None,
        }
    }
}

/// How soon, across red flags and priorities, for ordering the triage queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// A red flag needing emergency care.
    Emergency,
    /// A red flag needing a same-day call, or an urgent priority.
    Urgent,
    /// Sooner than routine.
    Soon,
    /// In turn.
    Routine,
}

impl Urgency {
    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Urgent => "urgent",
            Self::Soon => "soon",
            Self::Routine => "routine",
        }
    }

    /// Parses a stable code.
    pub fn parse(input: &str) -> Option<Self> {
        [Self::Emergency, Self::Urgent, Self::Soon, Self::Routine]
            .into_iter()
            .find(|u| u.as_str() == input)
    }
}

/// A red flag that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlagHit {
    /// The rule's id.
    pub id: String,
    /// What it screens for.
    pub condition: RedFlagCondition,
    /// How fast.
    pub escalation: Escalation,
    /// The rule's explanation, for the clinician.
    pub explain: String,
}

/// A score and its band.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreResult {
    /// The score's id.
    pub id: String,
    /// Its value.
    pub value: i64,
    /// Its band (for example `low`).
    pub band: String,
}

/// What the digital triage decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disposition {
    /// Emergency care now.
    Emergency,
    /// A same-day call back, then `route`.
    Urgent {
        /// Where the referral should go after the call.
        route: Route,
    },
    /// No red flags: `route` with `priority`.
    Routed {
        /// Where it should go.
        route: Route,
        /// How soon.
        priority: Priority,
    },
}

/// Proof that red-flag screening found nothing. Only [`Pathway::screen`] makes one.
#[derive(Debug)]
pub struct NoRedFlags(());

/// A digital triage decision and everything that produced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TriageRecord", into = "TriageRecord")]
pub struct DigitalTriage {
    pathway_version: String,
    disposition: Disposition,
    red_flags: Vec<RedFlagHit>,
    scores: Vec<ScoreResult>,
    rule: Option<String>,
    explanation: Vec<String>,
    answers_used: Vec<String>,
}

/// The stored form of a [`DigitalTriage`], checked when read back.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageRecord {
    /// Pathway version.
    pub pathway_version: String,
    /// Decision.
    pub disposition: Disposition,
    /// Red flags that fired.
    pub red_flags: Vec<RedFlagHit>,
    /// Scores.
    pub scores: Vec<ScoreResult>,
    /// The routing rule that decided, when no red flag did.
    pub rule: Option<String>,
    /// Why, rule by rule, for the clinician.
    pub explanation: Vec<String>,
    /// The questions whose answers the deciding rules read (`age` for the date of birth).
    #[serde(default)]
    pub answers_used: Vec<String>,
}

impl TryFrom<TriageRecord> for DigitalTriage {
    type Error = String;
    fn try_from(r: TriageRecord) -> Result<Self, Self::Error> {
        let worst = r.red_flags.iter().map(|f| f.escalation).min();
        let consistent = matches!(
            (&r.disposition, worst),
            (Disposition::Routed { .. }, None)
                | (Disposition::Emergency, Some(Escalation::Emergency))
                | (Disposition::Urgent { .. }, Some(Escalation::Urgent))
        );
        if !consistent {
            return Err(
                "a triage decision must match its red flags: red flags are never routed routinely"
                    .into(),
            );
        }
        Ok(Self {
            pathway_version: r.pathway_version,
            disposition: r.disposition,
            red_flags: r.red_flags,
            scores: r.scores,
            rule: r.rule,
            explanation: r.explanation,
            answers_used: r.answers_used,
        })
    }
}

impl From<DigitalTriage> for TriageRecord {
    fn from(t: DigitalTriage) -> Self {
        Self {
            pathway_version: t.pathway_version,
            disposition: t.disposition,
            red_flags: t.red_flags,
            scores: t.scores,
            rule: t.rule,
            explanation: t.explanation,
            answers_used: t.answers_used,
        }
    }
}

impl DigitalTriage {
    /// The decision.
    pub fn disposition(&self) -> &Disposition {
        &self.disposition
    }

    /// Red flags that fired, most urgent first.
    pub fn red_flags(&self) -> &[RedFlagHit] {
        &self.red_flags
    }

    /// Scores worked out.
    pub fn scores(&self) -> &[ScoreResult] {
        &self.scores
    }

    /// The routing rule that decided, when no red flag did.
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    /// Why, rule by rule.
    pub fn explanation(&self) -> &[String] {
        &self.explanation
    }

    /// The questions whose answers the deciding rules read, in questionnaire order: what the
    /// clinician sees highlighted and the person is told the decision rests on.
    pub fn answers_used(&self) -> &[String] {
        &self.answers_used
    }

    /// The pathway version that decided.
    pub fn pathway_version(&self) -> &str {
        &self.pathway_version
    }

    /// The suggested route (none for an emergency).
    pub fn route(&self) -> Option<Route> {
        match self.disposition {
            Disposition::Emergency => None,
            Disposition::Urgent { route } | Disposition::Routed { route, .. } => Some(route),
        }
    }

    /// How soon, for the queue.
    pub fn urgency(&self) -> Urgency {
        match self.disposition {
            Disposition::Emergency => Urgency::Emergency,
            Disposition::Urgent { .. }
            | Disposition::Routed {
                priority: Priority::Urgent,
                ..
            } => Urgency::Urgent,
            Disposition::Routed {
                priority: Priority::Soon,
                ..
            } => Urgency::Soon,
            Disposition::Routed {
                priority: Priority::Routine,
                ..
            } => Urgency::Routine,
        }
    }

    /// The waiting-list priority the decision implies.
    pub fn priority(&self) -> Priority {
        match self.disposition {
            Disposition::Emergency | Disposition::Urgent { .. } => Priority::Urgent,
            Disposition::Routed { priority, .. } => priority,
        }
    }
}

/// A red-flag rule.
#[derive(Clone, Debug)]
pub struct RedFlagRule {
    /// Identifier.
    pub id: String,
    /// What it screens for.
    pub condition: RedFlagCondition,
    /// How fast.
    pub escalation: Escalation,
    /// When it fires.
    pub when: Expr,
    /// Where the referral goes after an urgent call back.
    pub route: Route,
    /// Why, for the clinician.
    pub explain: String,
}

/// A routing rule; the first that holds decides.
#[derive(Clone, Debug)]
pub struct RoutingRule {
    /// Identifier.
    pub id: String,
    /// When it applies.
    pub when: Expr,
    /// Where.
    pub route: Route,
    /// How soon.
    pub priority: Priority,
    /// Why, for the clinician.
    pub explain: String,
}

/// A score: the sum of some answers' scores, cut into bands.
#[derive(Clone, Debug)]
pub struct ScoreRule {
    /// Identifier; rules use `<id>` (the number) and `<id>_band`.
    pub id: String,
    /// The items summed.
    pub items: Vec<String>,
    /// Bands in order: a name and the highest value in it (the last has none).
    pub bands: Vec<(String, Option<i64>)>,
}

/// A loaded, checked pathway.
#[derive(Clone, Debug)]
pub struct Pathway {
    /// Name.
    pub name: String,
    /// Version; every decision records it.
    pub version: String,
    /// The questionnaire it reads (url and version).
    pub questionnaire: (String, String),
    /// Scores.
    pub scores: Vec<ScoreRule>,
    /// Red flags.
    pub red_flags: Vec<RedFlagRule>,
    /// Routing rules, in order.
    pub rules: Vec<RoutingRule>,
    /// Where referrals go when no rule applies.
    pub default: (Route, Priority, String),
}

/// Why a pathway file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathwayError {
    /// The line (1-based).
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for PathwayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for PathwayError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPathway {
    pathway: RawHeader,
    #[serde(default)]
    score: Vec<RawScore>,
    #[serde(default)]
    red_flag: Vec<RawRedFlag>,
    #[serde(default)]
    rule: Vec<RawRule>,
    default: RawDefault,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    version: Spanned<String>,
    questionnaire: Spanned<String>,
    questionnaire_version: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScore {
    id: Spanned<String>,
    items: Spanned<Vec<String>>,
    bands: Spanned<Vec<RawBand>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    name: String,
    max: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRedFlag {
    id: Spanned<String>,
    condition: Spanned<String>,
    level: Spanned<String>,
    when: Spanned<String>,
    route: Spanned<String>,
    explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    when: Spanned<String>,
    route: Spanned<String>,
    priority: Spanned<String>,
    explain: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefault {
    route: Spanned<String>,
    priority: Spanned<String>,
    explain: String,
}

/// The variables a condition may use besides the questions: the person's age.
const BUILT_IN: [&str; 1] = ["age"];

struct Checker<'a> {
    source: &'a str,
    questionnaire: &'a Questionnaire,
    scores: Vec<ScoreRule>,
}

impl Checker<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.source
            .get(..span.start)
            .map_or(1, |before| before.matches('\n').count() + 1)
    }

    fn error<T>(
        &self,
        span: std::ops::Range<usize>,
        problem: impl Into<String>,
    ) -> Result<T, PathwayError> {
        Err(PathwayError {
            line: self.line(span),
            problem: problem.into(),
        })
    }

    fn route(&self, raw: &Spanned<String>) -> Result<Route, PathwayError> {
        Route::parse(raw.get_ref()).map_or_else(
            || {
                let known: Vec<&str> = Route::ALL.iter().map(|r| r.as_str()).collect();
                self.error(
                    raw.span(),
                    format!(
                        "unknown route `{}`; use one of {}",
                        raw.get_ref(),
                        known.join(", ")
                    ),
                )
            },
            Ok,
        )
    }

    fn priority(&self, raw: &Spanned<String>) -> Result<Priority, PathwayError> {
        Priority::parse(raw.get_ref()).or_else(|_| {
            self.error(
                raw.span(),
                format!(
                    "unknown priority `{}`; use urgent, soon or routine",
                    raw.get_ref()
                ),
            )
        })
    }

    /// Reads a condition and checks every name and value in it against the questionnaire.
    fn condition(&self, raw: &Spanned<String>) -> Result<Expr, PathwayError> {
        let expr = rules::parse(raw.get_ref())
            .or_else(|e| self.error(raw.span(), format!("condition `{}`: {e}", raw.get_ref())))?;
        for (name, values) in expr.uses() {
            let allowed: Option<Vec<String>> = if BUILT_IN.contains(&name)
                || self.scores.iter().any(|s| s.id == name)
            {
                None
            } else if let Some(score) = self
                .scores
                .iter()
                .find(|s| format!("{}_band", s.id) == name)
            {
                Some(score.bands.iter().map(|(b, _)| b.clone()).collect())
            } else if let Some(item) = self.questionnaire.questions().find(|i| i.link_id == name) {
                match item.kind {
                    ItemType::Boolean => Some(vec!["yes".into(), "no".into()]),
                    ItemType::Choice => Some(item.options.iter().map(|o| o.code.clone()).collect()),
                    ItemType::Integer => None,
                    _ => {
                        return self.error(
                            raw.span(),
                            format!("`{name}` is a free-text question; rules cannot test it"),
                        );
                    }
                }
            } else {
                return self.error(
                    raw.span(),
                    format!(
                        "`{name}` is not a question in {} version {}, a score, or age",
                        self.questionnaire.url, self.questionnaire.version
                    ),
                );
            };
            for value in values {
                match (&allowed, value) {
                    (Some(codes), Value::Code(code)) if !codes.contains(code) => {
                        return self.error(
                            raw.span(),
                            format!(
                                "`{name}` has no answer `{code}`; it can be {}",
                                codes.join(", ")
                            ),
                        );
                    }
                    (Some(_), Value::Number(n)) => {
                        return self.error(raw.span(), format!("`{name}` is compared with the number {n}, but its answers are codes"));
                    }
                    (None, Value::Code(code)) => {
                        return self.error(
                            raw.span(),
                            format!("`{name}` is a number, but is compared with `{code}`"),
                        );
                    }
                    _ => {}
                }
            }
            if values_empty_and_not_yes_no(&allowed) && expr_is_bare(&expr, name) {
                return self.error(raw.span(), format!("`{name}` on its own means \"answered yes\", but it is not a yes-or-no question"));
            }
        }
        Ok(expr)
    }
}

fn values_empty_and_not_yes_no(allowed: &Option<Vec<String>>) -> bool {
    allowed
        .as_ref()
        .is_none_or(|codes| codes != &["yes".to_owned(), "no".to_owned()])
}

fn expr_is_bare(expr: &Expr, name: &str) -> bool {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => parts.iter().any(|p| expr_is_bare(p, name)),
        Expr::Not(inner) => expr_is_bare(inner, name),
        Expr::Yes(n) => n == name,
        Expr::Compare(..) | Expr::In(..) => false,
    }
}

impl Pathway {
    /// Where the pathway sends people, in the order its rules first name them, the default
    /// last: what its diagram shows after triage.
    pub fn destinations(&self) -> Vec<Route> {
        let mut routes: Vec<Route> = Vec::new();
        for route in self
            .rules
            .iter()
            .map(|r| r.route)
            .chain(std::iter::once(self.default.0))
        {
            if !routes.contains(&route) {
                routes.push(route);
            }
        }
        routes
    }

    /// How many red flags send people to emergency care, and how many to a same-day call.
    pub fn red_flag_counts(&self) -> (usize, usize) {
        let emergency = self
            .red_flags
            .iter()
            .filter(|f| f.escalation == Escalation::Emergency)
            .count();
        (emergency, self.red_flags.len() - emergency)
    }

    /// Loads a pathway file written for `questionnaire`, refusing it with the line and the
    /// problem if anything is wrong.
    pub fn parse(source: &str, questionnaire: &Questionnaire) -> Result<Self, PathwayError> {
        let raw: RawPathway = toml::from_str(source).map_err(|e| PathwayError {
            line: e
                .span()
                .and_then(|s| source.get(..s.start))
                .map_or(1, |b| b.matches('\n').count() + 1),
            problem: e.message().to_owned(),
        })?;
        let mut checker = Checker {
            source,
            questionnaire,
            scores: Vec::new(),
        };
        let header = raw.pathway;
        if header.questionnaire.get_ref() != &questionnaire.url
            || header.questionnaire_version.get_ref() != &questionnaire.version
        {
            return checker.error(header.questionnaire.span(), format!(
                "this pathway reads {} version {}, but the questionnaire loaded is {} version {}",
                header.questionnaire.get_ref(), header.questionnaire_version.get_ref(), questionnaire.url, questionnaire.version
            ));
        }
        if header.version.get_ref().trim().is_empty() {
            return checker.error(header.version.span(), "the pathway needs a version");
        }
        for raw_score in raw.score {
            let id = raw_score.id.get_ref().clone();
            if checker.scores.iter().any(|s| s.id == id)
                || questionnaire.questions().any(|q| q.link_id == id)
                || BUILT_IN.contains(&id.as_str())
            {
                return checker.error(
                    raw_score.id.span(),
                    format!("score `{id}` clashes with another name"),
                );
            }
            for item in raw_score.items.get_ref() {
                let scored = questionnaire.item(item).is_some_and(|i| {
                    i.kind == ItemType::Integer
                        || i.kind == ItemType::Boolean
                        || i.options.iter().any(|o| o.score.is_some())
                });
                if !scored {
                    return checker.error(
                        raw_score.items.span(),
                        format!("score `{id}` adds `{item}`, which is not a scored question"),
                    );
                }
            }
            let bands: Vec<(String, Option<i64>)> = raw_score
                .bands
                .get_ref()
                .iter()
                .map(|b| (b.name.clone(), b.max))
                .collect();
            let ordered = bands.windows(2).all(|w| {
                matches!((w[0].1, w[1].1), (Some(a), Some(b)) if a < b)
                    || (w[0].1.is_some() && w[1].1.is_none())
            });
            if bands.is_empty() || bands.last().is_some_and(|(_, max)| max.is_some()) || !ordered {
                return checker.error(raw_score.bands.span(), format!(
                    "score `{id}` needs bands with rising `max` values and a last band without one"
                ));
            }
            checker.scores.push(ScoreRule {
                id,
                items: raw_score.items.into_inner(),
                bands,
            });
        }
        let mut ids = HashSet::new();
        let mut red_flags = Vec::new();
        for flag in raw.red_flag {
            if !ids.insert(flag.id.get_ref().clone()) {
                return checker.error(
                    flag.id.span(),
                    format!("rule id `{}` is used twice", flag.id.get_ref()),
                );
            }
            let condition = RedFlagCondition::parse(flag.condition.get_ref()).map_or_else(
                || {
                    let known: Vec<&str> =
                        RedFlagCondition::ALL.iter().map(|c| c.as_str()).collect();
                    checker.error(
                        flag.condition.span(),
                        format!(
                            "unknown condition `{}`; use one of {}",
                            flag.condition.get_ref(),
                            known.join(", ")
                        ),
                    )
                },
                Ok,
            )?;
            let escalation = match flag.level.get_ref().as_str() {
                "emergency" => Escalation::Emergency,
                "urgent" => Escalation::Urgent,
                other => {
                    return checker.error(
                        flag.level.span(),
                        format!("red flag level `{other}` must be emergency or urgent"),
                    );
                }
            };
            red_flags.push(RedFlagRule {
                id: flag.id.into_inner(),
                condition,
                escalation,
                when: checker.condition(&flag.when)?,
                route: checker.route(&flag.route)?,
                explain: flag.explain,
            });
        }
        for condition in RedFlagCondition::ALL {
            if !red_flags.iter().any(|f| f.condition == condition) {
                return checker.error(
                    0..0,
                    format!(
                        "no red flag screens for {}; every pathway must screen for all six",
                        condition.as_str()
                    ),
                );
            }
        }
        let mut routing = Vec::new();
        for rule in raw.rule {
            if !ids.insert(rule.id.get_ref().clone()) {
                return checker.error(
                    rule.id.span(),
                    format!("rule id `{}` is used twice", rule.id.get_ref()),
                );
            }
            routing.push(RoutingRule {
                id: rule.id.into_inner(),
                when: checker.condition(&rule.when)?,
                route: checker.route(&rule.route)?,
                priority: checker.priority(&rule.priority)?,
                explain: rule.explain,
            });
        }
        let default = (
            checker.route(&raw.default.route)?,
            checker.priority(&raw.default.priority)?,
            raw.default.explain,
        );
        Ok(Self {
            name: header.name,
            version: header.version.into_inner(),
            questionnaire: (questionnaire.url.clone(), questionnaire.version.clone()),
            scores: checker.scores,
            red_flags,
            rules: routing,
            default,
        })
    }

    fn facts(
        &self,
        questionnaire: &Questionnaire,
        answers: &Answers,
        age: i64,
    ) -> (Vec<ScoreResult>, impl Fn(&str) -> Option<Fact>) {
        let scores: Vec<ScoreResult> = self
            .scores
            .iter()
            .map(|s| {
                let value = score(questionnaire, answers, &s.items);
                let band = s
                    .bands
                    .iter()
                    .find(|(_, max)| max.is_none_or(|max| value <= max))
                    .map_or_else(String::new, |(name, _)| name.clone());
                ScoreResult {
                    id: s.id.clone(),
                    value,
                    band,
                }
            })
            .collect();
        let answers = answers.clone();
        let known = scores.clone();
        let facts = move |name: &str| -> Option<Fact> {
            if name == "age" {
                return Some(Fact::Number(age));
            }
            if let Some(s) = known.iter().find(|s| s.id == name) {
                return Some(Fact::Number(s.value));
            }
            if let Some(s) = known.iter().find(|s| format!("{}_band", s.id) == name) {
                return Some(Fact::Code(s.band.clone()));
            }
            answers.get(name).map(|a| match a {
                crate::questionnaire::Answer::ValueInteger(n) => Fact::Number(*n),
                other => Fact::Code(other.as_code()),
            })
        };
        (scores, facts)
    }

    /// Screens for red flags. Either every red flag that fired, most urgent first, or proof
    /// that none did.
    pub fn screen(
        &self,
        facts: &impl Fn(&str) -> Option<Fact>,
    ) -> Result<NoRedFlags, Vec<RedFlagHit>> {
        let mut hits: Vec<RedFlagHit> = self
            .red_flags
            .iter()
            .filter(|flag| flag.when.holds(facts))
            .map(|flag| RedFlagHit {
                id: flag.id.clone(),
                condition: flag.condition,
                escalation: flag.escalation,
                explain: flag.explain.clone(),
            })
            .collect();
        hits.sort_by_key(|hit| hit.escalation);
        if hits.is_empty() {
            Ok(NoRedFlags(()))
        } else {
            Err(hits)
        }
    }

    /// The digital triage decision for a set of answers from a person aged `age`.
    pub fn triage(
        &self,
        questionnaire: &Questionnaire,
        answers: &Answers,
        age: i64,
    ) -> DigitalTriage {
        let (scores, facts) = self.facts(questionnaire, answers, age);
        let routed = || {
            self.rules
                .iter()
                .find(|rule| rule.when.holds(&facts))
                .map_or(
                    (self.default.0, self.default.1, None, self.default.2.clone()),
                    |rule| {
                        (
                            rule.route,
                            rule.priority,
                            Some(rule.id.clone()),
                            rule.explain.clone(),
                        )
                    },
                )
        };
        let (disposition, red_flags, rule, explanation) = match self.screen(&facts) {
            Ok(_clear) => {
                let (route, priority, rule, explain) = routed();
                (
                    Disposition::Routed { route, priority },
                    Vec::new(),
                    rule,
                    vec![explain],
                )
            }
            Err(hits) => {
                let explanation = hits.iter().map(|h| h.explain.clone()).collect();
                let disposition = match hits.first().map(|h| h.escalation) {
                    Some(Escalation::Emergency) => Disposition::Emergency,
                    _ => {
                        let route = self
                            .red_flags
                            .iter()
                            .find(|f| hits.first().is_some_and(|h| h.id == f.id))
                            .map_or(Route::SpecialistMsk, |f| f.route);
                        Disposition::Urgent { route }
                    }
                };
                (disposition, hits, None, explanation)
            }
        };
        let conditions: Vec<&Expr> = if red_flags.is_empty() {
            self.rules
                .iter()
                .filter(|r| rule.as_deref() == Some(r.id.as_str()))
                .map(|r| &r.when)
                .collect()
        } else {
            self.red_flags
                .iter()
                .filter(|f| red_flags.iter().any(|hit| hit.id == f.id))
                .map(|f| &f.when)
                .collect()
        };
        let answers_used = self.questions_read(questionnaire, &conditions);
        DigitalTriage {
            pathway_version: self.version.clone(),
            disposition,
            red_flags,
            scores,
            rule,
            explanation,
            answers_used,
        }
    }

    /// The questions `conditions` read, directly or through a score, in questionnaire order;
    /// `age` first when they read it.
    fn questions_read(&self, questionnaire: &Questionnaire, conditions: &[&Expr]) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (name, _) in conditions.iter().flat_map(|c| c.uses()) {
            let score = self
                .scores
                .iter()
                .find(|s| s.id == name || format!("{}_band", s.id) == name);
            match score {
                Some(score) => names.extend(score.items.iter().cloned()),
                None => names.push(name.to_owned()),
            }
        }
        let mut ordered: Vec<String> = names
            .iter()
            .filter(|n| *n == "age")
            .take(1)
            .cloned()
            .collect();
        ordered.extend(
            questionnaire
                .questions()
                .map(|q| q.link_id.clone())
                .filter(|id| names.contains(id)),
        );
        ordered
    }
}
