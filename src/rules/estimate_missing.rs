use super::helpers::{ready_and_not_exempt, ready_subject};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Item types that need no estimate.
    pub exempt_types: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { exempt_types: vec!["epic".into()], include_final: false }
    }
}

#[doc = include_str!("../../rules/estimate-missing.md")]
pub(crate) struct EstimateMissing;

impl Rule for EstimateMissing {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "estimate-missing",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a ready item must be sized",
        doc: include_str!("../../rules/estimate-missing.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !ready_and_not_exempt(item, cx, &options.exempt_types, options.include_final) {
            return;
        }
        let key = cx.config.field("size");
        if item.value(key).is_none() {
            out.push(
                item.front_matter_span(),
                format!("{} has no `{key}`", ready_subject(item, cx)),
                format!("estimate the item in refinement and add `{key}: …` (points or a t-shirt size)"),
            );
        }
    }
}
