use super::helpers::value_span_or_front_matter;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::flow::model::{self, Entry, Moves};
use crate::item::Item;
use crate::time;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Items one commit may move to done.
    pub max: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max: 5 }
    }
}

#[doc = include_str!("../../rules/batch-status-change.md")]
pub(crate) struct BatchStatusChange;

impl Rule for BatchStatusChange {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "batch-status-change",
        category: Category::History,
        default_severity: Severity::Info,
        summary: "a commit that moves many items to done at once hides when each was really done",
        doc: include_str!("../../rules/batch-status-change.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        // In a shallow clone every item first appears in the boundary commit, a batch of git's
        // making, not the team's; in a partial clone past statuses may be unknown.
        let Some(history) = cx.history(item).filter(|h| !h.shallow && h.incomplete.is_empty()) else { return };
        let config = cx.config;
        let (_, done) = model::boundaries(config);
        let moves = Moves::of(history, config, &config.flow.timezone, &HashSet::new());
        let Entry::Day { day, commit } = moves.entry(done, config.flow.reopened) else { return };
        let per_commit = cx.backlog.derived(|| DoneByCommit::new(cx));
        let together = per_commit.0.get(commit).copied().unwrap_or(1);
        if together <= options.max {
            return;
        }
        let span = value_span_or_front_matter(item, config.field("status"));
        out.push(
            span,
            format!(
                "moved to done on {} by commit {} together with {} other items, more than {} at once",
                time::format_day(day),
                &commit[..commit.len().min(10)],
                together - 1,
                options.max
            ),
            "move each item to done when it is done, so that its cycle time and the throughput are true",
        );
    }
}

/// How many items each commit moved to done (by the flow policy), over the whole backlog.
struct DoneByCommit(HashMap<String, usize>);

impl DoneByCommit {
    fn new(cx: &Context) -> DoneByCommit {
        let config = cx.config;
        let (_, done) = model::boundaries(config);
        let mut counts = HashMap::new();
        for item in &cx.backlog.items {
            let Some(history) = cx.history(item).filter(|h| !h.shallow && h.incomplete.is_empty()) else { continue };
            let moves = Moves::of(history, config, &config.flow.timezone, &HashSet::new());
            if let Entry::Day { commit, .. } = moves.entry(done, config.flow.reopened) {
                *counts.entry(commit.to_owned()).or_insert(0) += 1;
            }
        }
        DoneByCommit(counts)
    }
}
