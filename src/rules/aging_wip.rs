use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use crate::time;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Days an item may stay in `status`.
    pub days: i64,
    /// The work-in-progress status to watch.
    pub status: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { days: 14, status: "in-progress".into() }
    }
}

#[doc = include_str!("../../rules/aging-wip.md")]
pub(crate) struct AgingWip;

impl Rule for AgingWip {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "aging-wip",
        category: Category::History,
        default_severity: Severity::Warning,
        summary: "work in progress that has not moved for too long is stuck",
        doc: include_str!("../../rules/aging-wip.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(field) = item.field(cx.config.field("status")) else { return };
        let status = field.value.to_text();
        if !status.trim().eq_ignore_ascii_case(&options.status) {
            return;
        }
        let Some(since) = cx.history(item).and_then(|h| h.status_since.as_deref()) else { return };
        let Some(start) = time::parse(since) else { return };
        let days = time::days_between(start, cx.now);
        if days <= options.days {
            return;
        }
        out.push(
            field.value_span.clone(),
            format!("{status} for {days} days (since {}), over the limit of {}", time::day(since), options.days),
            "swarm on it, split off what is done, or move it back: aging work in progress hides a blocker",
        );
    }
}
