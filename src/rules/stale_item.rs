use super::helpers::value_span_or_front_matter;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::history::State;
use crate::item::Item;
use crate::time;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Days without a change after which an open item is stale.
    pub days: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { days: 90 }
    }
}

#[doc = include_str!("../../rules/stale-item.md")]
pub(crate) struct StaleItem;

impl Rule for StaleItem {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "stale-item",
        category: Category::History,
        default_severity: Severity::Warning,
        summary: "an open item that nobody has touched for months should be refreshed or removed",
        doc: include_str!("../../rules/stale-item.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(history) = cx.history(item) else { return };
        let status = cx.value(item, "status").map(|v| v.to_text()).unwrap_or_default();
        if history.state != State::Committed || cx.config.is_final_status(&status) {
            return;
        }
        // A status outside the vocabulary (`Completed` where the team's is `Done`) does not say
        // whether the item is still open; `invalid-value` reports the status itself.
        if cx.value(item, "status").is_some() && cx.config.status_rank(&status).is_none() {
            return;
        }
        let Some(last) = &history.last_changed else { return };
        let Some(changed) = time::parse(&last.date) else { return };
        let days = time::days_between(changed, cx.now);
        if days <= options.days {
            return;
        }
        let span = value_span_or_front_matter(item, cx.config.field("status"));
        out.push(
            span,
            format!("not changed for {days} days (last changed {} by {})", time::day(&last.date), last.author),
            "refine the item, move it on, or delete it: a backlog is a list of options, not an archive",
        );
    }
}
