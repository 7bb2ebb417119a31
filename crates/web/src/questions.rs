//! The questionnaire on a page: each item as a form field, in the page's language (`q-<id>`,
//! `q-<id>-hint` and `qa-<id>-<code>` in the catalogues, else the questionnaire's own English),
//! with the branching that shows or hides it.

use jointly_domain::ValidationErrors;
use jointly_domain::questionnaire::{Answers, Item, ItemType, Operator, Questionnaire, is_enabled};

use crate::form::FormState;
use crate::pages::Choice;
use crate::render::{PageContext, Text};

/// How a question is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Widget {
    /// One of several options.
    Radios,
    /// Yes or no, side by side.
    YesNo,
    /// A whole number.
    Number,
    /// One line.
    Line,
    /// Several lines.
    Paragraph,
}

/// One question, ready for the form macros.
pub(crate) struct QuestionView {
    /// The field name (the question's id).
    pub(crate) name: String,
    /// How it is asked.
    pub(crate) widget: Widget,
    /// The question.
    pub(crate) label: Text,
    /// Help under the question (may be empty).
    pub(crate) hint: Text,
    /// Options, for radios and yes/no.
    pub(crate) choices: Vec<Choice>,
    /// The `enableWhen` conditions, as JSON for the script that hides questions that do not
    /// apply (empty when always shown).
    pub(crate) conditions: String,
    /// True when any condition is enough.
    pub(crate) any: bool,
}

impl QuestionView {
    /// True for radios and yes/no.
    pub(crate) fn is_choice(&self) -> bool {
        matches!(self.widget, Widget::Radios | Widget::YesNo)
    }

    /// True for yes/no.
    pub(crate) fn is_inline(&self) -> bool {
        self.widget == Widget::YesNo
    }

    /// True for a number.
    pub(crate) fn is_number(&self) -> bool {
        self.widget == Widget::Number
    }

    /// True for one line of text.
    pub(crate) fn is_line(&self) -> bool {
        self.widget == Widget::Line
    }
}

/// One step of questions.
pub(crate) struct StepView {
    /// The step's id.
    pub(crate) id: String,
    /// Its heading.
    pub(crate) title: Text,
    /// Its questions.
    pub(crate) questions: Vec<QuestionView>,
}

fn operator(op: Operator) -> &'static str {
    match op {
        Operator::Exists => "exists",
        Operator::Equal => "=",
        Operator::NotEqual => "!=",
        Operator::Greater => ">",
        Operator::Less => "<",
        Operator::GreaterOrEqual => ">=",
        Operator::LessOrEqual => "<=",
    }
}

fn conditions(item: &Item) -> String {
    if item.enable_when.is_empty() {
        return String::new();
    }
    let list: Vec<serde_json::Value> = item
        .enable_when
        .iter()
        .map(|c| {
            serde_json::json!({
                "q": c.question,
                "op": operator(c.operator),
                "v": c.answer.as_code(),
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}

/// The question `item` in words.
pub(crate) fn question_label(page: &PageContext, item: &Item) -> Text {
    page.t_or(&format!("q-{}", item.link_id), &item.text)
}

fn question(page: &PageContext, item: &Item) -> QuestionView {
    let widget = match item.kind {
        ItemType::Boolean => Widget::YesNo,
        ItemType::Choice => Widget::Radios,
        ItemType::Integer => Widget::Number,
        ItemType::Text => Widget::Paragraph,
        _ => Widget::Line,
    };
    let hint_id = format!("q-{}-hint", item.link_id);
    let hint = if page.has(&hint_id) {
        page.t(&hint_id)
    } else {
        Text::default()
    };
    let choices = match item.kind {
        ItemType::Boolean => vec![
            Choice::new("yes", page.t("answer-yes")),
            Choice::new("no", page.t("answer-no")),
        ],
        ItemType::Choice => item
            .options
            .iter()
            .map(|o| {
                Choice::new(
                    o.code.clone(),
                    page.t_or(&format!("qa-{}-{}", item.link_id, o.code), &o.display),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    QuestionView {
        name: item.link_id.clone(),
        widget,
        label: question_label(page, item),
        hint,
        choices,
        conditions: conditions(item),
        any: item.enable_any,
    }
}

/// A step's questions. With `earlier` answers, questions that do not apply are left out (the
/// step-by-step form decides on the server); without, every question comes with its
/// conditions, for one long form where a script hides what does not apply.
pub(crate) fn step_view(page: &PageContext, step: &Item, earlier: Option<&Answers>) -> StepView {
    StepView {
        id: step.link_id.clone(),
        title: page.t_or(&format!("qs-{}", step.link_id), &step.text),
        questions: step
            .items
            .iter()
            .filter(|i| !matches!(i.kind, ItemType::Display | ItemType::Group))
            .filter(|i| earlier.is_none_or(|answers| is_enabled(i, answers)))
            .map(|i| question(page, i))
            .collect(),
    }
}

/// Every step, for one long form.
pub(crate) fn all_steps(page: &PageContext, questionnaire: &Questionnaire) -> Vec<StepView> {
    questionnaire
        .steps
        .iter()
        .map(|s| step_view(page, s, None))
        .collect()
}

/// Adds `errors` to `form`, naming questions by their words.
pub(crate) fn with_question_errors(
    form: FormState,
    errors: &ValidationErrors,
    page: &PageContext,
    questionnaire: &Questionnaire,
) -> FormState {
    form.with_errors_named(errors, page, |field| {
        questionnaire
            .item(field)
            .map(|item| question_label(page, item).as_str().to_owned())
    })
}

/// An answer in words, for "check your answers" and the staff view.
pub(crate) fn answer_words(page: &PageContext, item: &Item, code: &str) -> Text {
    match item.kind {
        ItemType::Boolean => page.t(if code == "yes" {
            "answer-yes"
        } else {
            "answer-no"
        }),
        ItemType::Choice => item.options.iter().find(|o| o.code == code).map_or_else(
            || Text::plain(code),
            |o| page.t_or(&format!("qa-{}-{}", item.link_id, o.code), &o.display),
        ),
        _ => Text::plain(code),
    }
}
