use super::helpers::{value_span_or_front_matter, NoOptions};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::flow::model::{self, Entry, Moves};
use crate::item::Item;
use crate::time;
use std::collections::HashSet;

#[doc = include_str!("../../rules/skipped-start.md")]
pub(crate) struct SkippedStart;

impl Rule for SkippedStart {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "skipped-start",
        category: Category::History,
        default_severity: Severity::Info,
        summary: "a done item that was never in progress has no cycle time worth the name",
        doc: include_str!("../../rules/skipped-start.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, cx: &Context, out: &mut Findings) {
        // Before a shallow clone's cut the item may well have been in progress.
        let Some(history) = cx.history(item).filter(|h| !h.shallow && h.incomplete.is_empty()) else { return };
        let config = cx.config;
        let (start, done) = model::boundaries(config);
        if start >= done {
            return;
        }
        let moves = Moves::of(history, config, &config.flow.timezone, &HashSet::new());
        let Entry::Day { commit, .. } = moves.entry(done, config.flow.reopened) else { return };
        let in_progress = |rank: Option<usize>| rank.is_some_and(|r| (start..done).contains(&r));
        if moves.moves.iter().any(|m| in_progress(m.rank)) {
            return;
        }
        let Some(jump) = moves.moves.iter().find(|m| m.commit == commit) else { return };
        let from = jump.from.as_deref().map_or_else(|| "created as".to_owned(), |f| format!("{f} →"));
        let span = value_span_or_front_matter(item, config.field("status"));
        out.push(
            span,
            format!(
                "done on {} without ever being `{}`: {from} {} in commit {}",
                time::format_day(jump.day),
                config.flow_start(),
                jump.to.as_deref().unwrap_or(""),
                &commit[..commit.len().min(10)]
            ),
            format!(
                "move items to `{}` when work on them starts, so that cycle times measure the work",
                config.flow_start()
            ),
        );
    }
}
