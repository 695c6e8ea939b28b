use super::helpers::{listed_values, NoOptions};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::backlog::normalize_id;
use crate::item::Item;

#[doc = include_str!("../../rules/blocked-by-unready.md")]
pub(crate) struct BlockedByUnready;

impl Rule for BlockedByUnready {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "blocked-by-unready",
        category: Category::Flow,
        default_severity: Severity::Warning,
        summary: "a ready item must not depend on items that are not ready themselves",
        doc: include_str!("../../rules/blocked-by-unready.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, cx: &Context, out: &mut Findings) {
        let config = cx.config;
        let status = cx.value(item, "status").map(|v| v.to_text()).unwrap_or_default();
        if !cx.is_ready(item) || config.is_final_status(&status) {
            return;
        }
        let Some(field) = item.field(config.field("depends_on")) else { return };
        let own_id = cx.value(item, "id").map(|id| normalize_id(&id.to_text()));
        for dependency in listed_values(field) {
            // A self-dependency is a cycle, which `dependency-cycle` reports.
            if own_id.as_deref() == Some(normalize_id(&dependency.text).as_str()) {
                continue;
            }
            // Blocked only when every item with that id is known to be before ready; an unknown
            // id or status is for `dangling-dependency` and `invalid-value` to report.
            let mut statuses = Vec::new();
            for other in cx.backlog.items_with_id(&dependency.text) {
                let status = cx.value(other, "status").map(|v| v.to_text()).unwrap_or_default();
                match config.status_rank(&status) {
                    Some(rank) if rank < config.ready_rank() && !config.is_final_status(&status) => {
                        statuses.push(status.trim().to_owned());
                    }
                    _ => {
                        statuses.clear();
                        break;
                    }
                }
            }
            let Some(blocking) = statuses.first() else { continue };
            out.push(
                dependency.span,
                format!("depends on `{}`, which is still {blocking} and not {}", dependency.text, config.ready_status),
                format!(
                    "get `{}` {} first, or drop the dependency if this item can start without it",
                    dependency.text, config.ready_status
                ),
            );
        }
    }
}
