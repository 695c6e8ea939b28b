use super::helpers::{value_span_or_front_matter, NoOptions};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::history::Incomplete;
use crate::item::Item;
use crate::time;

#[doc = include_str!("../../rules/reopened.md")]
pub(crate) struct Reopened;

impl Rule for Reopened {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "reopened",
        category: Category::History,
        default_severity: Severity::Info,
        summary: "an item that went back from a final status deserves a look at its definition of done",
        doc: include_str!("../../rules/reopened.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(history) = cx.history(item) else { return };
        // Past statuses a partial clone lacks could hold a reopening, or an older one.
        if !history.knows(Incomplete::Statuses) || !history.knows(Incomplete::RenamedFrom) {
            return;
        }
        // The timeline is newest first; walk it oldest first to find the latest reopening.
        let statuses = history.timeline.iter().rev().filter_map(|r| Some((r, r.status.as_deref()?)));
        let mut previous: Option<&str> = None;
        let mut reopening = None;
        for (revision, status) in statuses {
            if let Some(before) = previous {
                if cx.config.is_final_status(before) && !cx.config.is_final_status(status) {
                    reopening = Some((revision, before.to_owned(), status.to_owned()));
                }
            }
            previous = Some(status);
        }
        let Some((revision, from, to)) = reopening else { return };
        let span = value_span_or_front_matter(item, cx.config.field("status"));
        out.push(
            span,
            format!("reopened on {} by {}: {from} → {to}", time::day(&revision.commit.date), revision.commit.author),
            "check whether the acceptance criteria missed something, and add what made it come back",
        );
    }
}
