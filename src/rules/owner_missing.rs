use super::helpers::left_alone_as_finished;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Statuses in which an item must have an owner.
    pub statuses: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { statuses: vec!["in-progress".into()], include_final: false }
    }
}

#[doc = include_str!("../../rules/owner-missing.md")]
pub(crate) struct OwnerMissing;

impl Rule for OwnerMissing {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "owner-missing",
        category: Category::Readiness,
        default_severity: Severity::Warning,
        summary: "work in progress must have an owner",
        doc: include_str!("../../rules/owner-missing.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if left_alone_as_finished(item, cx, options.include_final) {
            return;
        }
        let Some(status) = item.field(cx.config.field("status")) else { return };
        let text = status.value.to_text();
        if !options.statuses.iter().any(|s| s.eq_ignore_ascii_case(text.trim())) {
            return;
        }
        let key = cx.config.field("owner");
        if item.value(key).is_none() {
            out.push(
                status.value_span.clone(),
                format!("item is {} but has no `{key}`", text.trim()),
                format!("add `{key}: …` with the person who drives the item to done"),
            );
        }
    }
}
