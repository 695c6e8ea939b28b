use super::helpers::{index_of, item_name, listed_values, name_list};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use crate::time;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The most items each status may hold, by status name.
    pub limits: BTreeMap<String, usize>,
    /// The most items one owner may have in progress; `None`: no limit.
    pub per_owner: Option<usize>,
}

#[doc = include_str!("../../rules/wip-limit.md")]
pub(crate) struct WipLimit;

impl Rule for WipLimit {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "wip-limit",
        category: Category::Flow,
        default_severity: Severity::Warning,
        summary: "a status or an owner must not hold more work in progress than the team's limit",
        doc: include_str!("../../rules/wip-limit.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if options.limits.is_empty() && options.per_owner.is_none() {
            return;
        }
        let Some(index) = index_of(cx.backlog, item) else { return };
        let order = cx.backlog.derived(|| WipOrder::new(cx));
        // Groups can be large: name only the first few of the others.
        let others = |group: &[usize]| {
            const SHOWN: usize = 5;
            let names: Vec<String> = group
                .iter()
                .filter(|&&i| i != index)
                .take(SHOWN + 1)
                .map(|&i| item_name(&cx.backlog.items[i], cx.config))
                .collect();
            // The item itself is in the group.
            let count = group.len().saturating_sub(1);
            match count {
                0 => String::new(),
                1 => format!("; the other is {}", names[0]),
                _ if count > SHOWN => {
                    format!("; the others are {} and {} more", names[..SHOWN].join(", "), count - SHOWN)
                }
                _ => format!("; the others are {}", name_list(&names, SHOWN)),
            }
        };
        if let Some(field) = item.field(cx.config.field("status")) {
            let status = field.value.to_text();
            let status = status.trim();
            let limit = options.limits.iter().find(|(s, _)| s.trim().eq_ignore_ascii_case(status)).map(|(_, l)| *l);
            let group = order.by_status.get(&status.to_lowercase());
            if let (Some(limit), Some(group), Some(&position)) = (limit, group, order.status_position.get(index)) {
                if position >= limit {
                    out.push(
                        field.value_span.clone(),
                        format!("{status} holds {}, over the limit of {limit}{}", items(group.len()), others(group)),
                        format!("finish work already in `{status}` before pulling in more, or move this item back until there is room"),
                    );
                }
            }
        }
        let (Some(limit), Some(field)) = (options.per_owner, item.field(cx.config.field("owner"))) else { return };
        for owner in listed_values(field) {
            let key = owner.text.to_lowercase();
            let (Some(&position), Some(group)) =
                (order.owner_position.get(&(index, key.clone())), order.by_owner.get(&key))
            else {
                continue;
            };
            if position >= limit {
                out.push(
                    owner.span,
                    format!(
                        "{} has {} in progress, over the limit of {limit} per owner{}",
                        owner.text,
                        items(group.len()),
                        others(group)
                    ),
                    format!(
                        "finish one of {}'s items before starting another, or hand this one to someone with room",
                        owner.text
                    ),
                );
            }
        }
    }
}

/// Items grouped by status and by owner, each group in the order its items entered their status.
struct WipOrder {
    /// Item indices by lowercased status.
    by_status: HashMap<String, Vec<usize>>,
    /// Each item's position in its status group (`usize::MAX` without a status).
    status_position: Vec<usize>,
    /// Indices of the items in progress (after the ready status, not final) by lowercased owner.
    by_owner: HashMap<String, Vec<usize>>,
    /// The position of an item in progress in the group of each of its owners.
    owner_position: HashMap<(usize, String), usize>,
}

impl WipOrder {
    fn new(cx: &Context) -> WipOrder {
        let (items, config) = (&cx.backlog.items, cx.config);
        let entered: Vec<Option<i64>> = items
            .iter()
            .map(|item| cx.history(item).and_then(|h| h.status_since.as_deref()).and_then(time::parse))
            .collect();
        // Items are sorted by path and the sort is stable, so the path breaks ties; items whose
        // entry is unknown (no history, or not committed yet) come last.
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| (entered[i].is_none(), entered[i]));
        let mut wip = WipOrder {
            by_status: HashMap::new(),
            status_position: vec![usize::MAX; items.len()],
            by_owner: HashMap::new(),
            owner_position: HashMap::new(),
        };
        for i in order {
            let item = &items[i];
            let Some(status) = cx.value(item, "status").map(|v| v.to_text()) else { continue };
            let group = wip.by_status.entry(status.trim().to_lowercase()).or_default();
            wip.status_position[i] = group.len();
            group.push(i);
            let in_progress = config.status_rank(&status).is_some_and(|rank| rank > config.ready_rank())
                && !config.is_final_status(&status);
            let Some(field) = item.field(config.field("owner")).filter(|_| in_progress) else { continue };
            for owner in listed_values(field) {
                let key = owner.text.to_lowercase();
                if wip.owner_position.contains_key(&(i, key.clone())) {
                    continue;
                }
                let group = wip.by_owner.entry(key.clone()).or_default();
                wip.owner_position.insert((i, key), group.len());
                group.push(i);
            }
        }
        wip
    }
}

/// `1 item`, `3 items`.
fn items(n: usize) -> String {
    if n == 1 {
        "1 item".to_owned()
    } else {
        format!("{n} items")
    }
}
