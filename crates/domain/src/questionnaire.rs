//! Questionnaires as data, shaped like FHIR R4 `Questionnaire`: groups (one per step), items
//! with types, `enableWhen` branching, required answers and coded options with scores. Answers
//! are kept shaped like `QuestionnaireResponse`. A questionnaire file is checked completely when
//! it is loaded, and every answer is checked against it, item by item.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::Invalid;

/// FHIR's extension for an answer option's score.
const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
/// FHIR's extensions for an integer item's bounds.
const MIN_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/minValue";
const MAX_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/maxValue";

/// Longest free-text answer accepted when an item sets no `maxLength`.
const DEFAULT_MAX_LENGTH: usize = 2000;

/// The kind of answer an item takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemType {
    /// A group of items: one step of the form.
    Group,
    /// Information only; no answer.
    Display,
    /// Yes or no.
    Boolean,
    /// One of a list of coded options.
    Choice,
    /// A whole number.
    Integer,
    /// One line of text.
    String,
    /// Several lines of text.
    Text,
    /// A calendar date.
    Date,
}

impl ItemType {
    fn parse(input: &str) -> Option<Self> {
        Some(match input {
            "group" => Self::Group,
            "display" => Self::Display,
            "boolean" => Self::Boolean,
            "choice" => Self::Choice,
            "integer" => Self::Integer,
            "string" => Self::String,
            "text" => Self::Text,
            "date" => Self::Date,
            _ => return None,
        })
    }
}

/// One answer to one item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QuestionnaireAnswer))]
#[serde(rename_all = "camelCase")]
pub enum Answer {
    /// `valueBoolean`.
    ValueBoolean(bool),
    /// `valueCoding` (the code).
    ValueCoding(String),
    /// `valueInteger`.
    ValueInteger(i64),
    /// `valueString`.
    ValueString(String),
    /// `valueDate`, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    ValueDate(Date),
}

impl Answer {
    /// The answer as a code or number for rules: `yes`/`no`, the option code, or the number.
    pub fn as_code(&self) -> String {
        match self {
            Self::ValueBoolean(true) => "yes".into(),
            Self::ValueBoolean(false) => "no".into(),
            Self::ValueCoding(code) => code.clone(),
            Self::ValueInteger(n) => n.to_string(),
            Self::ValueString(s) => s.clone(),
            Self::ValueDate(d) => d.to_string(),
        }
    }
}

/// A comparison in `enableWhen`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// The question has (or has not) been answered.
    Exists,
    /// `=`.
    Equal,
    /// `!=`.
    NotEqual,
    /// `>`.
    Greater,
    /// `<`.
    Less,
    /// `>=`.
    GreaterOrEqual,
    /// `<=`.
    LessOrEqual,
}

/// A condition under which an item is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnableWhen {
    /// The item whose answer decides.
    pub question: String,
    /// How it is compared.
    pub operator: Operator,
    /// What it is compared with (for `Exists`: `ValueBoolean(true)` if it must be answered).
    pub answer: Answer,
}

/// A coded answer option.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerOption {
    /// The code, stable across versions and translations.
    pub code: String,
    /// English display text.
    pub display: String,
    /// Score, when the option counts towards one.
    pub score: Option<i64>,
}

/// One item of a questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Identifier, unique in the questionnaire (`[a-z0-9_]+`).
    pub link_id: String,
    /// Kind of answer.
    pub kind: ItemType,
    /// English text (translations are looked up by link id).
    pub text: String,
    /// Must be answered when shown.
    pub required: bool,
    /// Shown only when these hold.
    pub enable_when: Vec<EnableWhen>,
    /// True: any condition suffices; false: all must hold.
    pub enable_any: bool,
    /// Options, for choice items.
    pub options: Vec<AnswerOption>,
    /// Children, for groups.
    pub items: Vec<Item>,
    /// Bounds, for integer items.
    pub min: Option<i64>,
    /// Upper bound, for integer items.
    pub max: Option<i64>,
    /// Longest text answer.
    pub max_length: usize,
}

/// A loaded, checked questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Questionnaire {
    /// Canonical URL.
    pub url: String,
    /// Version; answers record which version they answered.
    pub version: String,
    /// Title.
    pub title: String,
    /// Top-level groups, one per step.
    pub steps: Vec<Item>,
}

/// Why a questionnaire file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionnaireError {
    /// The line in the file (1-based), when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for QuestionnaireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for QuestionnaireError {}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawQuestionnaire {
    resource_type: String,
    url: String,
    version: String,
    status: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawItem {
    link_id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    enable_when: Vec<RawEnableWhen>,
    #[serde(default)]
    enable_behavior: Option<String>,
    #[serde(default)]
    answer_option: Vec<RawOption>,
    #[serde(default)]
    item: Vec<RawItem>,
    #[serde(default)]
    max_length: Option<usize>,
    #[serde(default)]
    extension: Vec<RawExtension>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEnableWhen {
    question: String,
    operator: String,
    answer_boolean: Option<bool>,
    answer_coding: Option<RawCoding>,
    answer_integer: Option<i64>,
    answer_string: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOption {
    value_coding: RawCoding,
    #[serde(default)]
    extension: Vec<RawExtension>,
}

#[derive(Deserialize)]
struct RawCoding {
    code: String,
    #[serde(default)]
    display: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExtension {
    url: String,
    value_decimal: Option<f64>,
    value_integer: Option<i64>,
}

fn extension_integer(extensions: &[RawExtension], url: &str) -> Option<i64> {
    extensions.iter().find(|e| e.url == url).and_then(|e| {
        e.value_integer.or_else(|| {
            e.value_decimal
                .filter(|d| d.fract() == 0.0)
                .map(|d| d as i64)
        })
    })
}

fn valid_link_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The line on which `needle` first appears in `text`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|i| text[..i].matches('\n').count() + 1)
}

struct Loader<'a> {
    source: &'a str,
    /// Items of earlier steps: the only ones a condition may depend on, so each step's page can
    /// show exactly its enabled items without any script.
    seen: Vec<Item>,
    /// Items of the step being read, which join `seen` when the step ends.
    this_step: Vec<Item>,
    ids: HashSet<String>,
}

impl Loader<'_> {
    fn error(&self, link_id: &str, problem: String) -> QuestionnaireError {
        QuestionnaireError {
            line: line_of(self.source, &format!("\"linkId\": \"{link_id}\"")),
            problem,
        }
    }

    fn item(&mut self, raw: RawItem, top_level: bool) -> Result<Item, QuestionnaireError> {
        let id = raw.link_id.clone();
        if !valid_link_id(&id) {
            return Err(self.error(
                &id,
                format!("linkId `{id}` must be 1-64 lower-case letters, digits or _"),
            ));
        }
        if !self.ids.insert(id.clone()) {
            return Err(self.error(&id, format!("linkId `{id}` is used twice")));
        }
        let kind = ItemType::parse(&raw.kind).ok_or_else(|| {
            self.error(&id, format!("item `{id}` has unknown type `{}`", raw.kind))
        })?;
        if top_level != (kind == ItemType::Group) {
            let problem = if top_level {
                format!("top-level item `{id}` must be a group (each group is one step)")
            } else {
                format!("item `{id}` is a group inside a group; steps are one level deep")
            };
            return Err(self.error(&id, problem));
        }
        if raw.text.trim().is_empty() {
            return Err(self.error(&id, format!("item `{id}` has no text")));
        }
        let mut options = Vec::new();
        for option in raw.answer_option {
            if !valid_link_id(&option.value_coding.code) {
                return Err(self.error(&id, format!("item `{id}` has an option code `{}` that is not lower-case letters, digits or _", option.value_coding.code)));
            }
            if options
                .iter()
                .any(|o: &AnswerOption| o.code == option.value_coding.code)
            {
                return Err(self.error(
                    &id,
                    format!(
                        "item `{id}` has option `{}` twice",
                        option.value_coding.code
                    ),
                ));
            }
            options.push(AnswerOption {
                code: option.value_coding.code,
                display: option.value_coding.display,
                score: extension_integer(&option.extension, ORDINAL_VALUE),
            });
        }
        match (kind, options.len()) {
            (ItemType::Choice, n) if n < 2 => {
                return Err(self.error(
                    &id,
                    format!("choice item `{id}` needs at least two answerOption entries"),
                ));
            }
            (ItemType::Choice, _) | (_, 0) => {}
            _ => {
                return Err(self.error(
                    &id,
                    format!("item `{id}` has answerOption but is not a choice"),
                ));
            }
        }
        let enable_any = match raw.enable_behavior.as_deref() {
            None | Some("all") => false,
            Some("any") => true,
            Some(other) => {
                return Err(self.error(
                    &id,
                    format!("item `{id}` has enableBehavior `{other}`; use all or any"),
                ));
            }
        };
        let mut enable_when = Vec::new();
        for condition in raw.enable_when {
            enable_when.push(self.condition(&id, condition)?);
        }
        let min = extension_integer(&raw.extension, MIN_VALUE);
        let max = extension_integer(&raw.extension, MAX_VALUE);
        if (min.is_some() || max.is_some()) && kind != ItemType::Integer {
            return Err(self.error(
                &id,
                format!("item `{id}` has minValue/maxValue but is not an integer"),
            ));
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            return Err(self.error(&id, format!("item `{id}` has minValue above maxValue")));
        }
        let item = Item {
            link_id: id.clone(),
            kind,
            text: raw.text,
            required: raw.required,
            enable_when,
            enable_any,
            options,
            items: Vec::new(),
            min,
            max,
            max_length: raw.max_length.unwrap_or(DEFAULT_MAX_LENGTH),
        };
        let mut children = Vec::new();
        if kind == ItemType::Group {
            if raw.item.is_empty() {
                return Err(self.error(&id, format!("group `{id}` has no items")));
            }
            for child in raw.item {
                let child = self.item(child, false)?;
                self.this_step.push(child.clone());
                children.push(child);
            }
            let finished = std::mem::take(&mut self.this_step);
            self.seen.extend(finished);
        } else if !raw.item.is_empty() {
            return Err(self.error(
                &id,
                format!("item `{id}` has child items but is not a group"),
            ));
        }
        Ok(Item {
            items: children,
            ..item
        })
    }

    fn condition(&self, id: &str, raw: RawEnableWhen) -> Result<EnableWhen, QuestionnaireError> {
        let Some(question) = self.seen.iter().find(|i| i.link_id == raw.question) else {
            let problem = if self.this_step.iter().any(|i| i.link_id == raw.question) {
                format!(
                    "item `{id}` depends on `{}` in the same step; conditions may only use answers from earlier steps",
                    raw.question
                )
            } else {
                format!(
                    "item `{id}` depends on `{}`, which is not a question in an earlier step",
                    raw.question
                )
            };
            return Err(self.error(id, problem));
        };
        let operator = match raw.operator.as_str() {
            "exists" => Operator::Exists,
            "=" => Operator::Equal,
            "!=" => Operator::NotEqual,
            ">" => Operator::Greater,
            "<" => Operator::Less,
            ">=" => Operator::GreaterOrEqual,
            "<=" => Operator::LessOrEqual,
            other => {
                return Err(self.error(id, format!("item `{id}` uses unknown operator `{other}`")));
            }
        };
        let answer = match (
            raw.answer_boolean,
            raw.answer_coding,
            raw.answer_integer,
            raw.answer_string,
        ) {
            (Some(b), None, None, None) => Answer::ValueBoolean(b),
            (None, Some(c), None, None) => Answer::ValueCoding(c.code),
            (None, None, Some(n), None) => Answer::ValueInteger(n),
            (None, None, None, Some(s)) => Answer::ValueString(s),
            _ => {
                return Err(self.error(
                    id,
                    format!("item `{id}`: each enableWhen needs exactly one answer[x]"),
                ));
            }
        };
        let fits = match (operator, question.kind, &answer) {
            (Operator::Exists, _, Answer::ValueBoolean(_)) => true,
            (Operator::Equal | Operator::NotEqual, ItemType::Boolean, Answer::ValueBoolean(_)) => {
                true
            }
            (Operator::Equal | Operator::NotEqual, ItemType::Choice, Answer::ValueCoding(code)) => {
                question.options.iter().any(|o| &o.code == code)
            }
            (_, ItemType::Integer, Answer::ValueInteger(_)) => true,
            (
                Operator::Equal | Operator::NotEqual,
                ItemType::String | ItemType::Text,
                Answer::ValueString(_),
            ) => true,
            _ => false,
        };
        if !fits {
            return Err(self.error(id, format!(
                "item `{id}`: its enableWhen on `{}` does not match that question's type or options", raw.question
            )));
        }
        Ok(EnableWhen {
            question: raw.question,
            operator,
            answer,
        })
    }
}

impl Questionnaire {
    /// Loads a questionnaire from FHIR-shaped JSON, refusing it with the line and the problem
    /// if anything is wrong.
    pub fn parse(json: &str) -> Result<Self, QuestionnaireError> {
        let raw: RawQuestionnaire = serde_json::from_str(json).map_err(|e| QuestionnaireError {
            line: Some(e.line()),
            problem: e.to_string(),
        })?;
        let whole = |problem: String| QuestionnaireError {
            line: None,
            problem,
        };
        if raw.resource_type != "Questionnaire" {
            return Err(whole(format!(
                "resourceType is `{}`, not Questionnaire",
                raw.resource_type
            )));
        }
        if raw.url.trim().is_empty() || raw.version.trim().is_empty() {
            return Err(whole("url and version are required".into()));
        }
        if raw.status != "active" && raw.status != "draft" {
            return Err(whole(format!(
                "status `{}` must be active or draft",
                raw.status
            )));
        }
        if raw.item.is_empty() {
            return Err(whole("the questionnaire has no items".into()));
        }
        let mut loader = Loader {
            source: json,
            seen: Vec::new(),
            this_step: Vec::new(),
            ids: HashSet::new(),
        };
        let mut steps = Vec::new();
        for item in raw.item {
            steps.push(loader.item(item, true)?);
        }
        Ok(Self {
            url: raw.url,
            version: raw.version,
            title: raw.title,
            steps,
        })
    }

    /// Every answerable item, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Item> {
        self.steps
            .iter()
            .flat_map(|step| step.items.iter())
            .filter(|i| i.kind != ItemType::Display)
    }

    /// The item with `link_id`.
    pub fn item(&self, link_id: &str) -> Option<&Item> {
        self.steps
            .iter()
            .flat_map(|s| std::iter::once(s).chain(s.items.iter()))
            .find(|i| i.link_id == link_id)
    }

    /// The step (top-level group) with `link_id`.
    pub fn step(&self, link_id: &str) -> Option<&Item> {
        self.steps.iter().find(|s| s.link_id == link_id)
    }
}

/// The answers given so far, keyed by item.
pub type Answers = BTreeMap<String, Answer>;

/// True when `item` should be shown given `answers`.
pub fn is_enabled(item: &Item, answers: &Answers) -> bool {
    if item.enable_when.is_empty() {
        return true;
    }
    let holds = |condition: &EnableWhen| {
        let given = answers.get(&condition.question);
        match (condition.operator, given) {
            (Operator::Exists, given) => {
                given.is_some() == (condition.answer == Answer::ValueBoolean(true))
            }
            (_, None) => false,
            (Operator::Equal, Some(a)) => *a == condition.answer,
            (Operator::NotEqual, Some(a)) => *a != condition.answer,
            (op, Some(Answer::ValueInteger(a))) => match condition.answer {
                Answer::ValueInteger(b) => match op {
                    Operator::Greater => *a > b,
                    Operator::Less => *a < b,
                    Operator::GreaterOrEqual => *a >= b,
                    Operator::LessOrEqual => *a <= b,
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        }
    };
    if item.enable_any {
        item.enable_when.iter().any(holds)
    } else {
        item.enable_when.iter().all(holds)
    }
}

/// A problem with one answer: the item and a stable problem code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemError {
    /// The item.
    pub link_id: String,
    /// `missing`, `choose`, `not-a-number`, `too-low`, `too-high`, `too-long`, `not-a-date` or
    /// `characters`.
    pub problem: &'static str,
}

fn parse_answer(item: &Item, raw: &str) -> Result<Option<Answer>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return if item.required {
            Err(Invalid("missing"))
        } else {
            Ok(None)
        };
    }
    let answer = match item.kind {
        ItemType::Boolean => match raw {
            "yes" | "true" => Answer::ValueBoolean(true),
            "no" | "false" => Answer::ValueBoolean(false),
            _ => return Err(Invalid("choose")),
        },
        ItemType::Choice => {
            if !item.options.iter().any(|o| o.code == raw) {
                return Err(Invalid("choose"));
            }
            Answer::ValueCoding(raw.to_owned())
        }
        ItemType::Integer => {
            let n: i64 = raw.parse().map_err(|_| Invalid("not-a-number"))?;
            if item.min.is_some_and(|min| n < min) {
                return Err(Invalid("too-low"));
            }
            if item.max.is_some_and(|max| n > max) {
                return Err(Invalid("too-high"));
            }
            Answer::ValueInteger(n)
        }
        ItemType::String | ItemType::Text => {
            if raw.chars().count() > item.max_length {
                return Err(Invalid("too-long"));
            }
            if raw
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                return Err(Invalid("characters"));
            }
            Answer::ValueString(raw.to_owned())
        }
        ItemType::Date => Answer::ValueDate(raw.parse().map_err(|_| Invalid("not-a-date"))?),
        ItemType::Group | ItemType::Display => return Ok(None),
    };
    Ok(Some(answer))
}

/// Checks the answers to one step, given as text per item (as a form posts them), against the
/// questionnaire. Items hidden by `enableWhen` (given `earlier` answers and this step's own)
/// are ignored and their answers dropped. Returns the step's answers, or every problem found.
pub fn answer_step(
    step: &Item,
    raw: &BTreeMap<String, String>,
    earlier: &Answers,
) -> Result<Answers, Vec<ItemError>> {
    let (answers, errors) = read_step(step, raw, earlier);
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The answers on a step that are given and valid, leaving out what is missing or wrong: for
/// screening a step the person has not finished, because a red flag must not wait for the
/// other answers.
pub fn answers_given(step: &Item, raw: &BTreeMap<String, String>, earlier: &Answers) -> Answers {
    read_step(step, raw, earlier).0
}

/// The answers to the steps before `step` (to every step when `None`), taking each step only
/// when it is complete and valid: what decides which later questions apply.
pub fn answers_before(
    questionnaire: &Questionnaire,
    raw: &BTreeMap<String, String>,
    step: Option<&str>,
) -> Answers {
    let mut known = Answers::new();
    for s in questionnaire
        .steps
        .iter()
        .take_while(|s| step.is_none_or(|id| s.link_id != id))
    {
        if let Ok(found) = answer_step(s, raw, &known) {
            known.extend(found);
        }
    }
    known
}

/// Reads one step: the valid answers to the items that apply, and the problems with the rest.
fn read_step(
    step: &Item,
    raw: &BTreeMap<String, String>,
    earlier: &Answers,
) -> (Answers, Vec<ItemError>) {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for item in step.items.iter().filter(|i| i.kind != ItemType::Display) {
        let mut known = earlier.clone();
        known.extend(answers.clone());
        if !is_enabled(item, &known) {
            continue;
        }
        match parse_answer(item, raw.get(&item.link_id).map_or("", String::as_str)) {
            Ok(Some(answer)) => {
                answers.insert(item.link_id.clone(), answer);
            }
            Ok(None) => {}
            Err(Invalid(problem)) => errors.push(ItemError {
                link_id: item.link_id.clone(),
                problem,
            }),
        }
    }
    (answers, errors)
}

/// Checks a complete set of answers given as text per item (as an API or a phone form sends
/// them): every enabled required item answered, every answer of the right kind, answers to
/// hidden items dropped, unknown items refused.
pub fn answers_from_text(
    questionnaire: &Questionnaire,
    raw: &BTreeMap<String, String>,
) -> Result<Answers, Vec<ItemError>> {
    let mut all = Answers::new();
    let mut errors = Vec::new();
    for step in &questionnaire.steps {
        match answer_step(step, raw, &all) {
            Ok(step_answers) => all.extend(step_answers),
            Err(step_errors) => errors.extend(step_errors),
        }
    }
    for link_id in raw.keys() {
        if questionnaire
            .questions()
            .all(|item| &item.link_id != link_id)
        {
            errors.push(ItemError {
                link_id: link_id.clone(),
                problem: "unknown",
            });
        }
    }
    if errors.is_empty() {
        Ok(all)
    } else {
        Err(errors)
    }
}

/// Checks stored answers again against the questionnaire (for example before a saved draft
/// becomes a referral).
pub fn check_answers(
    questionnaire: &Questionnaire,
    answers: &Answers,
) -> Result<Answers, Vec<ItemError>> {
    let raw: BTreeMap<String, String> = answers
        .iter()
        .map(|(k, v)| (k.clone(), v.as_code()))
        .collect();
    answers_from_text(questionnaire, &raw)
}

/// The sum of the scores of the options chosen for `items`.
pub fn score(questionnaire: &Questionnaire, answers: &Answers, items: &[String]) -> i64 {
    items
        .iter()
        .filter_map(|id| {
            let item = questionnaire.item(id)?;
            match answers.get(id)? {
                Answer::ValueCoding(code) => item.options.iter().find(|o| &o.code == code)?.score,
                Answer::ValueInteger(n) => Some(*n),
                Answer::ValueBoolean(b) => Some(i64::from(*b)),
                _ => None,
            }
        })
        .sum()
}

/// Answers in the shape of a FHIR `QuestionnaireResponse`, for storage and exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QuestionnaireResponse {
    /// Always `QuestionnaireResponse`.
    pub resource_type: String,
    /// `url|version` of the questionnaire answered.
    pub questionnaire: String,
    /// `completed` or `in-progress`.
    pub status: String,
    /// One entry per answered item.
    pub item: Vec<ResponseItem>,
}

/// One answered item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ResponseItem {
    /// The item.
    pub link_id: String,
    /// Its answer.
    pub answer: Vec<Answer>,
}

impl QuestionnaireResponse {
    /// A completed response to `questionnaire`.
    pub fn completed(questionnaire: &Questionnaire, answers: &Answers) -> Self {
        Self {
            resource_type: "QuestionnaireResponse".into(),
            questionnaire: format!("{}|{}", questionnaire.url, questionnaire.version),
            status: "completed".into(),
            item: answers
                .iter()
                .map(|(link_id, answer)| ResponseItem {
                    link_id: link_id.clone(),
                    answer: vec![answer.clone()],
                })
                .collect(),
        }
    }

    /// The answers, keyed by item.
    pub fn answers(&self) -> Answers {
        self.item
            .iter()
            .filter_map(|i| Some((i.link_id.clone(), i.answer.first()?.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
      "resourceType": "Questionnaire", "url": "https://example.org/q", "version": "1", "status": "active",
      "item": [
        {"linkId": "first", "type": "group", "text": "First", "item": [
          {"linkId": "pain", "type": "integer", "text": "Pain", "required": true,
           "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                         {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10}]},
          {"linkId": "note", "type": "string", "text": "Note", "maxLength": 5}
        ]},
        {"linkId": "second", "type": "group", "text": "Second", "item": [
          {"linkId": "severe", "type": "boolean", "text": "Severe?", "required": true,
           "enableWhen": [{"question": "pain", "operator": ">=", "answerInteger": 7}]},
          {"linkId": "noted", "type": "boolean", "text": "Noted?", "required": true,
           "enableWhen": [{"question": "note", "operator": "exists", "answerBoolean": true}]}
        ]}
      ]}"#;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn integer_conditions_and_exists_branch_the_form() {
        let q = Questionnaire::parse(SMALL).unwrap();
        let low = answers_from_text(&q, &raw(&[("pain", "3")])).unwrap();
        assert_eq!(
            low.len(),
            1,
            "nothing more is asked about mild pain without a note"
        );
        let errors = answers_from_text(&q, &raw(&[("pain", "8"), ("note", "ow")])).unwrap_err();
        let missing: Vec<&str> = errors.iter().map(|e| e.link_id.as_str()).collect();
        assert_eq!(missing, vec!["severe", "noted"]);
        let full = answers_from_text(
            &q,
            &raw(&[
                ("pain", "8"),
                ("note", "ow"),
                ("severe", "yes"),
                ("noted", "no"),
            ]),
        )
        .unwrap();
        assert_eq!(full.get("severe"), Some(&Answer::ValueBoolean(true)));
    }

    #[test]
    fn answers_are_checked_against_their_item() {
        let q = Questionnaire::parse(SMALL).unwrap();
        let problems = |pairs: &[(&str, &str)]| -> Vec<&'static str> {
            answers_from_text(&q, &raw(pairs))
                .unwrap_err()
                .into_iter()
                .map(|e| e.problem)
                .collect()
        };
        assert_eq!(problems(&[]), vec!["missing"]);
        assert_eq!(problems(&[("pain", "-1")]), vec!["too-low"]);
        assert_eq!(problems(&[("pain", "ten")]), vec!["not-a-number"]);
        assert_eq!(
            problems(&[("pain", "1"), ("note", "too long")]),
            vec!["too-long"]
        );
    }

    #[test]
    fn responses_round_trip_in_fhir_shape() {
        let q = Questionnaire::parse(SMALL).unwrap();
        let answers = answers_from_text(&q, &raw(&[("pain", "9"), ("severe", "no")])).unwrap();
        let response = QuestionnaireResponse::completed(&q, &answers);
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["resourceType"], "QuestionnaireResponse");
        assert_eq!(json["questionnaire"], "https://example.org/q|1");
        assert_eq!(json["item"][0]["linkId"], "pain");
        assert_eq!(json["item"][0]["answer"][0]["valueInteger"], 9);
        assert_eq!(response.answers(), answers);
    }
}
