use super::helpers::{format_number, ready_and_not_exempt, size_points};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::front_matter::Value;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The largest size, in points, that fits in one sprint.
    pub max: f64,
    /// Item types that are containers for smaller items, not sprint work.
    pub exempt_types: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { max: 8.0, exempt_types: vec!["epic".into()], include_final: false }
    }
}

#[doc = include_str!("../../rules/size-limit.md")]
pub(crate) struct SizeLimit;

impl Rule for SizeLimit {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "size-limit",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a ready item must be small enough to finish in one sprint",
        doc: include_str!("../../rules/size-limit.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !ready_and_not_exempt(item, cx, &options.exempt_types, options.include_final) {
            return;
        }
        let Some(field) = item.field(cx.config.field("size")) else { return };
        let Some(points) = size_points(&field.value, cx.config) else { return };
        if points <= options.max {
            return;
        }
        let size = match &field.value {
            Value::String(s) if s.trim().parse::<f64>().is_err() => {
                format!("{} ({} points)", s.trim(), format_number(points))
            }
            _ => format_number(points),
        };
        out.push(
            field.value_span.clone(),
            format!("size {size} exceeds the limit of {} for one sprint", format_number(options.max)),
            "split the item into smaller items that each deliver value and fit in one sprint",
        );
    }
}
