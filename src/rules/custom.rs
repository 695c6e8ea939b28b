//! Rules declared in the config (`custom_rules:`), without Rust: a condition (`when`) and one
//! requirement (`require`), checked like built-in rules and suppressed the same way.

use super::helpers::{default_placeholders, is_placeholder, size_points};
use super::{Context, Findings, Severity};
use crate::item::front_matter::Value;
use crate::item::Item;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A custom rule as written in the config.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Kebab-case, and not the name of a built-in rule.
    pub name: String,
    /// The finding's message, e.g. `ready items need a team tag`.
    pub message: String,
    /// What to do about it.
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default = "default_severity")]
    #[schemars(schema_with = "crate::config::schema::severity")]
    pub severity: String,
    /// When the rule applies; every condition given must hold.
    #[serde(default)]
    pub when: When,
    /// What the item must have: one of `field` (with `matches` or `max`), `section`, `tasks_at_least`.
    pub require: Require,
}

fn default_severity() -> String {
    "warning".to_owned()
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct When {
    /// Only items at or after this status.
    pub status_at_least: Option<String>,
    /// Canonical field name → a value it must equal, a list it must be in, or `{ matches: regex }`.
    #[serde(default)]
    pub fields: BTreeMap<String, Condition>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Condition {
    OneOf(Vec<String>),
    Matches { matches: String },
    Equals(String),
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Require {
    /// A canonical field that must be set.
    pub field: Option<String>,
    /// A regular expression the field's value must match.
    pub matches: Option<String>,
    /// The largest number the field may hold (sizes count in points).
    pub max: Option<f64>,
    /// A canonical section name or a heading the item must have.
    pub section: Option<String>,
    /// The least number of task-list items.
    pub tasks_at_least: Option<usize>,
}

/// A validated custom rule, ready to run.
#[derive(Debug)]
pub struct CustomRule {
    pub name: String,
    pub message: String,
    pub help: Option<String>,
    pub severity: Severity,
    status_at_least: Option<String>,
    fields: Vec<(String, Matcher)>,
    requirement: Requirement,
}

#[derive(Debug)]
enum Matcher {
    OneOf(Vec<String>),
    Matches(regex::Regex),
}

#[derive(Debug)]
enum Requirement {
    Field { name: String, matches: Option<regex::Regex>, max: Option<f64> },
    Section(String),
    TasksAtLeast(usize),
}

/// Why a custom rule is invalid, and which key of it to point at.
pub struct Invalid {
    pub key: &'static str,
    pub message: String,
}

impl CustomRule {
    pub fn compile(spec: Spec) -> Result<CustomRule, Invalid> {
        let invalid = |key, message: String| Invalid { key, message };
        let kebab = spec
            .name
            .split('-')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        if !kebab {
            return Err(invalid("name", format!("custom rule name `{}` is not kebab-case", spec.name)));
        }
        if super::find(&spec.name).is_some() {
            return Err(invalid("name", format!("custom rule `{}` has the name of a built-in rule", spec.name)));
        }
        let severity = Severity::parse(&spec.severity).ok_or_else(|| {
            invalid("severity", format!("invalid severity `{}`; use {}", spec.severity, Severity::NAMES))
        })?;
        let regex = |pattern: &str, key| {
            regex::Regex::new(pattern).map_err(|e| invalid(key, format!("invalid regular expression `{pattern}`: {e}")))
        };
        let mut fields = Vec::new();
        for (field, condition) in spec.when.fields {
            let matcher = match condition {
                Condition::Equals(value) => Matcher::OneOf(vec![value]),
                Condition::OneOf(values) => Matcher::OneOf(values),
                Condition::Matches { matches } => Matcher::Matches(regex(&matches, "when")?),
            };
            fields.push((field, matcher));
        }
        let Require { field, matches, max, section, tasks_at_least } = spec.require;
        let kinds =
            usize::from(field.is_some()) + usize::from(section.is_some()) + usize::from(tasks_at_least.is_some());
        if kinds != 1 {
            return Err(invalid(
                "require",
                "`require` needs exactly one of `field`, `section` or `tasks_at_least`".into(),
            ));
        }
        if field.is_none() && (matches.is_some() || max.is_some()) {
            return Err(invalid("require", "`matches` and `max` go with `field`".into()));
        }
        let requirement = match (field, section, tasks_at_least) {
            (Some(name), _, _) => {
                Requirement::Field { name, matches: matches.map(|m| regex(&m, "require")).transpose()?, max }
            }
            (_, Some(section), _) => Requirement::Section(section),
            (_, _, Some(n)) => Requirement::TasksAtLeast(n),
            (None, None, None) => return Err(invalid("require", "`require` is empty".into())),
        };
        Ok(CustomRule {
            name: spec.name,
            message: spec.message,
            help: spec.help,
            severity,
            status_at_least: spec.when.status_at_least,
            fields,
            requirement,
        })
    }

    /// A one-line description for `backlint rules`.
    pub fn summary(&self) -> String {
        self.message.clone()
    }

    /// What `backlint explain` prints for a custom rule.
    pub fn describe(&self) -> String {
        let mut when = Vec::new();
        if let Some(status) = &self.status_at_least {
            when.push(format!("status is `{status}` or later"));
        }
        for (field, matcher) in &self.fields {
            when.push(match matcher {
                Matcher::OneOf(values) => format!("`{field}` is one of: {}", values.join(", ")),
                Matcher::Matches(pattern) => format!("`{field}` matches `{}`", pattern.as_str()),
            });
        }
        let when =
            if when.is_empty() { "every item".to_owned() } else { format!("items where {}", when.join(" and ")) };
        let require = match &self.requirement {
            Requirement::Field { name, matches, max } => {
                let mut text = format!("field `{name}` is present");
                if let Some(pattern) = matches {
                    text.push_str(&format!(" and matches `{}`", pattern.as_str()));
                }
                if let Some(max) = max {
                    text.push_str(&format!(" and is at most {max}"));
                }
                text
            }
            Requirement::Section(section) => format!("section `## {section}` is present and not empty"),
            Requirement::TasksAtLeast(n) => format!("at least {n} task-list items"),
        };
        format!(
            "# {}\n\nA custom rule from the configuration (severity `{}`).\n\n## What it does\nFor {when}, requires that {require}; otherwise reports: {}\n",
            self.name, self.severity, self.message
        )
    }

    pub fn check(&self, item: &Item, cx: &Context, out: &mut Findings) {
        if item.problem.is_some() || !self.applies(item, cx) {
            return;
        }
        let config = cx.config;
        let push = |out: &mut Findings, span, help: String| {
            out.push(span, self.message.clone(), self.help.clone().unwrap_or(help));
        };
        match &self.requirement {
            Requirement::Field { name, matches, max } => {
                let key = config.field(name);
                let Some(field) = item.field(key).filter(|f| !f.value.is_blank()) else {
                    push(out, item.front_matter_span(), format!("add `{key}: …` to the front matter"));
                    return;
                };
                if let Some(pattern) = matches {
                    let texts = match &field.value {
                        Value::List(values) => values.iter().map(Value::to_text).collect(),
                        value => vec![value.to_text()],
                    };
                    if !texts.iter().all(|t| pattern.is_match(t)) {
                        push(out, field.value_span.clone(), format!("make `{key}` match `{}`", pattern.as_str()));
                    }
                }
                if let Some(max) = max {
                    let number = if name == "size" { size_points(&field.value, config) } else { number(&field.value) };
                    if number.is_none_or(|n| n > *max) {
                        push(out, field.value_span.clone(), format!("keep `{key}` at or below {max}"));
                    }
                }
            }
            Requirement::Section(section) => {
                let names = [section.clone()];
                let present =
                    item.body.section(&names).is_some_and(|s| !is_placeholder(&s.text, &default_placeholders()));
                if !present {
                    push(out, item.front_matter_span(), format!("add a `## {section}` section"));
                }
            }
            Requirement::TasksAtLeast(n) => {
                if item.body.tasks.len() < *n {
                    push(out, item.front_matter_span(), format!("add at least {n} task-list items (`- [ ] …`)"));
                }
            }
        }
    }

    fn applies(&self, item: &Item, cx: &Context) -> bool {
        if let Some(status) = &self.status_at_least {
            let (Some(rank), Some(wanted)) = (cx.status_rank(item), cx.config.status_rank(status)) else {
                return false;
            };
            if rank < wanted {
                return false;
            }
        }
        self.fields.iter().all(|(name, matcher)| {
            let text = cx.value(item, name).map(Value::to_text).unwrap_or_default();
            match matcher {
                Matcher::OneOf(values) => values.iter().any(|v| v.eq_ignore_ascii_case(text.trim())),
                Matcher::Matches(pattern) => pattern.is_match(&text),
            }
        })
    }
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
