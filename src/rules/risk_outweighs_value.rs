use super::helpers::{highest_level, left_alone_as_finished};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

#[doc = include_str!("../../rules/risk-outweighs-value.md")]
pub(crate) struct RiskOutweighsValue;

impl Rule for RiskOutweighsValue {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "risk-outweighs-value",
        category: Category::Readiness,
        default_severity: Severity::Warning,
        summary: "a high-risk, low-value item should be reconsidered or split",
        doc: include_str!("../../rules/risk-outweighs-value.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let config = cx.config;
        if left_alone_as_finished(item, cx, options.include_final) {
            return;
        }
        let (Some(risk), Some(value)) = (item.field(config.field("risk")), cx.value(item, "value")) else { return };
        let high = highest_level(config);
        let low = config.levels.first().map_or("low", String::as_str);
        let (risk_text, value_text) = (risk.value.to_text(), value.to_text());
        if risk_text.trim().eq_ignore_ascii_case(high) && value_text.trim().eq_ignore_ascii_case(low) {
            out.push(
                risk.value_span.clone(),
                format!("risk is {high} but value is {low}"),
                "reconsider the item, or split off a slice that keeps most of the value with less risk",
            );
        }
    }
}
