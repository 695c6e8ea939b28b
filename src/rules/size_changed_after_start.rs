use super::helpers::value_span_or_front_matter;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::flow::model::{self, Entry, Moves};
use crate::history::Change;
use crate::item::Item;
use crate::time;
use std::collections::HashSet;

#[doc = include_str!("../../rules/size-changed-after-start.md")]
pub(crate) struct SizeChangedAfterStart;

impl Rule for SizeChangedAfterStart {
    type Options = super::helpers::NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "size-changed-after-start",
        category: Category::History,
        default_severity: Severity::Info,
        summary: "an estimate changed after work started no longer says what was planned",
        doc: include_str!("../../rules/size-changed-after-start.md"),
    };

    fn check(&self, _: &Self::Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(history) = cx.history(item).filter(|h| h.incomplete.is_empty()) else { return };
        let config = cx.config;
        let (start, _) = model::boundaries(config);
        let moves = Moves::of(history, config, &config.flow.timezone, &HashSet::new());
        let Entry::Day { day: started, commit } = moves.entry(start, config.flow.reopened) else { return };
        // The timeline is newest first; the item's own revisions end at a copy.
        let own = history
            .timeline
            .iter()
            .position(|r| matches!(r.change, Change::Copied { .. }))
            .map_or(history.timeline.len(), |i| i + 1);
        let timeline = &history.timeline[..own];
        let Some(at_start) = timeline.iter().position(|r| r.commit.commit == commit) else { return };
        let planned = timeline[at_start].size.as_deref();
        let mut previous = planned;
        // Oldest first after the start: the first revision whose size differs from the plan.
        for revision in timeline[..at_start].iter().rev() {
            if revision.change == Change::Deleted {
                continue;
            }
            let size = revision.size.as_deref();
            if size != previous {
                let span = value_span_or_front_matter(item, config.field("size"));
                let show = |s: Option<&str>| s.map_or_else(|| "none".to_owned(), str::to_owned);
                out.push(
                    span,
                    format!(
                        "size changed from {} to {} on {} by {}, after the item was started on {}",
                        show(previous),
                        show(size),
                        time::day(&revision.commit.date),
                        revision.commit.author,
                        time::format_day(started)
                    ),
                    "keep the estimate made before work started; note what was learned in the item, and split off new work as a new item",
                );
                return;
            }
            previous = size;
        }
    }
}
