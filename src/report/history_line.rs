//! The one line on an item's git history shown under its diagnostics and in editor hovers.

use crate::config::Config;
use crate::history::{Change, History, State};
use crate::item::front_matter::Value;
use crate::item::Item;
use crate::time;

/// `created 2026-01-05 by Dana Pérez · 4 revisions · ready for 23 days · last changed …`.
pub fn summary_line(history: &History, item: &Item, config: &Config, now: i64) -> String {
    let mut parts = Vec::new();
    match &history.created {
        Some(created) => parts.push(format!("created {} by {}", time::day(&created.date), created.author)),
        None => parts.push("not committed yet".to_owned()),
    }
    if history.revisions > 0 {
        let plural = if history.revisions == 1 { "" } else { "s" };
        parts.push(format!("{} revision{plural}", history.revisions));
    }
    let status = item.value(config.field("status")).map(Value::to_text);
    if let (Some(status), Some(since)) = (status, history.status_since.as_deref().and_then(time::parse)) {
        parts.push(match time::days_between(since, now) {
            0 => format!("{status} since today"),
            1 => format!("{status} for 1 day"),
            days => format!("{status} for {days} days"),
        });
    }
    if let Some(last) = &history.last_changed {
        parts.push(format!("last changed {} by {}", time::day(&last.date), last.author));
    }
    if history.state == State::Modified {
        parts.push("uncommitted changes".to_owned());
    }
    let mut line = parts.join(" · ");
    let origin = history.timeline.iter().find_map(|r| match &r.change {
        Change::Renamed { from } => Some(("renamed", from)),
        Change::Copied { from } => Some(("copied", from)),
        _ => None,
    });
    if let Some((how, from)) = origin {
        line.push_str(&format!(" ({how} from {from})"));
    }
    if history.shallow {
        line.push_str(" (history cut by a shallow clone)");
    }
    if !history.incomplete.is_empty() {
        line.push_str(" (partial clone)");
    }
    line
}
