//! Which other items a change to one item can give other findings: those that share its id,
//! name it, sit in a dependency cycle with it, share a work-in-progress group with it, or
//! carry an id suggestion that a new or vanished id can change. Kept in step with the
//! cross-item rules; a test compares an updated workspace with a fresh one.

use super::Workspace;
use crate::backlog::normalize_id;
use crate::item::Item;
use crate::rules::helpers::listed_values;
use std::collections::{BTreeSet, HashSet};

/// The items whose findings depend on `item` as it is now in the workspace's backlog.
pub(super) fn neighbours(ws: &Workspace, item: &Item) -> BTreeSet<String> {
    let backlog = &ws.backlog;
    let mut out = BTreeSet::new();
    if let Some(id) = id_of(ws, item) {
        out.extend(backlog.items_with_id(&id).map(|i| i.path.clone()));
        out.extend(backlog.items_naming(&id).map(|i| i.path.clone()));
    }
    out.extend(cycle_with(ws, item));
    if ws.wip_limits && ws.rules.any_enables("wip-limit", &ws.config) {
        out.extend(wip_groups(ws, item));
    }
    out
}

/// Items affected by the change from `old` to `new` beyond the neighbours of each: when the
/// set of ids or of unreadable files changes, the findings on unknown ids (`did you mean …?`,
/// `… could not be read as an item`) can change.
pub(super) fn across(ws: &Workspace, old: Option<&Item>, new: Option<&Item>) -> BTreeSet<String> {
    // As written, not normalized: the suggestions show ids as written, so respelling one
    // (`pb-1` for `PB-1`) changes them too.
    let ids = |item: Option<&Item>| item.and_then(|i| i.value(ws.config.field("id"))).map(|v| v.to_text());
    // A file that cannot be read as an item still answers references to the id its name
    // carries ("`PB-3` is PB-3.md, which could not be read"), so its coming and going counts too.
    let unreadable = |item: Option<&Item>| item.is_some_and(|i| i.problem.is_some());
    if ids(old) == ids(new) && unreadable(old) == unreadable(new) {
        return BTreeSet::new();
    }
    const SUGGESTING: [&str; 2] = ["dangling-dependency", "parent-not-epic"];
    ws.findings
        .iter()
        .filter(|(_, found)| found.iter().any(|d| SUGGESTING.contains(&d.rule.as_str())))
        .map(|(path, _)| path.clone())
        .collect()
}

fn id_of(ws: &Workspace, item: &Item) -> Option<String> {
    item.value(ws.config.field("id")).map(|v| normalize_id(&v.to_text()))
}

/// The items on a dependency cycle through `item`: those it reaches through `depends_on`
/// that also reach it.
fn cycle_with(ws: &Workspace, item: &Item) -> Vec<String> {
    let backlog = &ws.backlog;
    let key = ws.config.field("depends_on");
    let depends_on = |item: &Item| -> Vec<String> {
        item.field(key).map(|f| listed_values(f).iter().map(|l| normalize_id(&l.text)).collect()).unwrap_or_default()
    };
    if depends_on(item).is_empty() {
        return Vec::new();
    }
    // Forward: everything `item` depends on, directly or not.
    let mut reached: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&Item> = vec![item];
    while let Some(next) = stack.pop() {
        for id in depends_on(next) {
            for target in backlog.items_with_id(&id) {
                if reached.insert(target.path.as_str()) {
                    stack.push(target);
                }
            }
        }
    }
    if !reached.contains(item.path.as_str()) {
        return Vec::new();
    }
    // Backward from `item`, through the items that name it, staying within the forward set.
    let mut on_cycle: HashSet<&str> = HashSet::new();
    let mut stack: Vec<&Item> = vec![item];
    while let Some(next) = stack.pop() {
        let Some(id) = id_of(ws, next) else { continue };
        for source in backlog.items_naming(&id) {
            let names_by_dependency = depends_on(source).contains(&id);
            if names_by_dependency && reached.contains(source.path.as_str()) && on_cycle.insert(source.path.as_str()) {
                stack.push(source);
            }
        }
    }
    on_cycle.into_iter().map(str::to_owned).collect()
}

/// The items that share a status or an owner with `item`: the groups whose limits `wip-limit`
/// checks and whose members its messages name.
fn wip_groups(ws: &Workspace, item: &Item) -> Vec<String> {
    let config = &ws.config;
    let status = |item: &Item| item.value(config.field("status")).map(|v| v.to_text().trim().to_lowercase());
    let owners = |item: &Item| -> Vec<String> {
        item.field(config.field("owner"))
            .map(|f| listed_values(f).into_iter().map(|l| l.text.to_lowercase()).collect())
            .unwrap_or_default()
    };
    let (mine, my_owners) = (status(item), owners(item));
    if mine.is_none() && my_owners.is_empty() {
        return Vec::new();
    }
    ws.backlog
        .items
        .iter()
        .filter(|other| {
            (mine.is_some() && status(other) == mine) || owners(other).iter().any(|o| my_owners.contains(o))
        })
        .map(|other| other.path.clone())
        .collect()
}
