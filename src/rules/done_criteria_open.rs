use super::helpers::{is_one_of, tasks_in_section};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The statuses in which every criterion must be checked; `None`: the final statuses.
    pub statuses: Option<Vec<String>>,
}

#[doc = include_str!("../../rules/done-criteria-open.md")]
pub(crate) struct DoneCriteriaOpen;

impl Rule for DoneCriteriaOpen {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "done-criteria-open",
        category: Category::Flow,
        default_severity: Severity::Error,
        summary: "a done item must have every acceptance criterion checked",
        doc: include_str!("../../rules/done-criteria-open.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(status) = cx.value(item, "status").map(|v| v.to_text()) else { return };
        let status = status.trim();
        let done = match &options.statuses {
            Some(statuses) => is_one_of(status, statuses),
            None => cx.config.is_final_status(status),
        };
        if !done {
            return;
        }
        let criteria = tasks_in_section(item, cx, "acceptance_criteria");
        let open = criteria.iter().filter(|task| !task.checked).count();
        for task in criteria.iter().filter(|task| !task.checked) {
            out.push(
                task.span.clone(),
                format!("item is {status} but this acceptance criterion is not checked ({open} of {} open)", criteria.len()),
                "check the criterion if it is met; otherwise move the item back, or split the open work into a new item",
            );
        }
    }
}
