use super::helpers::{default_placeholders, is_placeholder, ready_and_not_exempt, ready_subject};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Item types whose value is self-evident (a bug restores value already promised).
    pub exempt_types: Vec<String>,
    /// Texts that count as an empty section.
    pub placeholders: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { exempt_types: vec!["bug".into()], placeholders: default_placeholders(), include_final: false }
    }
}

#[doc = include_str!("../../rules/value-hypothesis.md")]
pub(crate) struct ValueHypothesis;

impl Rule for ValueHypothesis {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "value-hypothesis",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a ready item must state the value it is expected to bring, as a testable hypothesis",
        doc: include_str!("../../rules/value-hypothesis.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !ready_and_not_exempt(item, cx, &options.exempt_types, options.include_final) {
            return;
        }
        let names = cx.config.section_names("value_hypothesis");
        let heading = names.first().map_or("Value hypothesis", String::as_str);
        match item.body.section(names) {
            None => out.push(
                item.front_matter_span(),
                format!("{} has no value hypothesis", ready_subject(item, cx)),
                format!(
                    "add a `## {heading}` section: \"We believe <outcome> for <whom>; we will know when <signal>\""
                ),
            ),
            Some(section) if is_placeholder(&section.text, &options.placeholders) => out.push(
                section.heading.clone(),
                format!("the `{}` section is empty or a placeholder", section.title),
                "state the expected outcome and how you will know it happened",
            ),
            Some(_) => {}
        }
    }
}
