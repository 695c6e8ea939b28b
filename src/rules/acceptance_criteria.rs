use super::helpers::{ready_and_not_exempt, ready_subject, tasks_in_section};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// How many task-list criteria a ready item needs.
    pub min: usize,
    /// Item types that are not checked.
    pub exempt_types: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { min: 1, exempt_types: vec!["epic".into(), "spike".into()], include_final: false }
    }
}

#[doc = include_str!("../../rules/acceptance-criteria.md")]
pub(crate) struct AcceptanceCriteria;

impl Rule for AcceptanceCriteria {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "acceptance-criteria",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a ready item must say, as a task list, how the team will know it is done",
        doc: include_str!("../../rules/acceptance-criteria.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !ready_and_not_exempt(item, cx, &options.exempt_types, options.include_final) {
            return;
        }
        let names = cx.config.section_names("acceptance_criteria");
        let heading = names.first().map_or("Acceptance criteria", String::as_str);
        let found = tasks_in_section(item, cx, "acceptance_criteria").len();
        if found >= options.min {
            return;
        }
        let (span, message) = match item.body.section(names) {
            None => (item.front_matter_span(), format!("{} has no acceptance criteria", ready_subject(item, cx))),
            Some(section) if found == 0 => {
                (section.heading.clone(), format!("`{}` has no task-list criteria", section.title))
            }
            Some(section) => (
                section.heading.clone(),
                format!("`{}` has {found} task-list criteria, fewer than {}", section.title, options.min),
            ),
        };
        out.push(span, message, format!("list testable criteria under `## {heading}` as `- [ ] …` items"));
    }
}
