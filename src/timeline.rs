//! An item's history told as a changelog: the one-line summary under diagnostics and the
//! `backlint history` timeline with what each commit changed in the front matter.

use crate::config::Config;
use crate::history::{self, Change, History, State};
use crate::item::front_matter::{self, Value};
use crate::item::Item;
use crate::time;
use crate::{Project, RunError};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

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
    line
}

/// `backlint history` output; its serde form is the JSON output.
#[derive(Debug, Serialize)]
pub struct Timeline {
    pub item: Option<String>,
    pub title: Option<String>,
    pub path: String,
    pub history: Option<Arc<History>>,
    /// Newest first.
    pub entries: Vec<Entry>,
    #[serde(skip)]
    pub summary: Option<String>,
    #[serde(skip)]
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub commit: String,
    pub date: String,
    pub author: String,
    pub subject: String,
    pub path: String,
    /// `created`, `edited`, `renamed`, `copied` or `deleted`.
    pub change: &'static str,
    pub renamed_from: Option<String>,
    /// Front matter changes, e.g. `status: refining → ready`.
    pub fields: Vec<String>,
    pub body_changed: bool,
    /// The file's bytes differ from the previous version's; an edit without is a change of the
    /// file mode alone.
    pub content_changed: bool,
}

/// The timeline of the item with id or path `target`.
pub fn timeline(start: &Path, explicit_config: Option<&Path>, target: &str, now: i64) -> Result<Timeline, RunError> {
    let mut project = Project::load(start, explicit_config)?;
    let path = resolve(&project, target).ok_or_else(|| RunError::NoSuchItem(target.to_owned()))?;
    let index = project.history(std::slice::from_ref(&path));
    let item = project.backlog.items.iter().find(|i| i.path == path);
    let history = index.as_ref().and_then(|i| i.get(&path)).cloned();
    let config = &project.config;
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    let entries = history.as_ref().map(|h| entries(h, &root)).unwrap_or_default();
    let field = |name: &str| item.and_then(|i| i.value(config.field(name))).map(Value::to_text);
    Ok(Timeline {
        item: field("id"),
        title: field("title"),
        summary: history
            .as_ref()
            .filter(|h| h.state != State::NoRepo)
            .zip(item)
            .map(|(h, i)| summary_line(h, i, config, now)),
        history: history.map(Arc::new),
        path,
        entries,
        notes: std::mem::take(&mut project.notes),
    })
}

/// An item path relative to the project root, from a path on disk or an id.
fn resolve(project: &Project, target: &str) -> Option<String> {
    let as_path = Path::new(target);
    if as_path.is_file() {
        let relative = crate::root_relative(&project.config.root, as_path)?;
        return project.backlog.items.iter().any(|i| i.path == relative).then_some(relative);
    }
    if project.backlog.items.iter().any(|i| i.path == target) {
        return Some(target.to_owned());
    }
    project.backlog.items_with_id(target).next().map(|i| i.path.clone())
}

fn entries(history: &History, root: &Path) -> Vec<Entry> {
    let read = |blob: &Option<String>| blob.as_deref().and_then(|b| history::read_blob(root, b).ok());
    let versions: Vec<Option<Vec<u8>>> = history.timeline.iter().map(|r| read(&r.blob)).collect();
    history
        .timeline
        .iter()
        .enumerate()
        .map(|(i, revision)| {
            // The timeline is newest first: the version before this one is the next entry.
            let previous = history.timeline.get(i + 1);
            let content_changed = previous.is_none_or(|p| p.blob != revision.blob);
            let before = versions.get(i + 1).and_then(Option::as_ref);
            let after = versions[i].as_ref();
            let (fields, body_changed) = match (before, after, &revision.change) {
                (_, _, Change::Added) | (_, _, Change::Deleted) | (None, _, _) | (_, None, _) => (Vec::new(), false),
                (Some(before), Some(after), _) => diff(before, after),
            };
            let (change, renamed_from) = match &revision.change {
                Change::Added => ("created", None),
                Change::Modified => ("edited", None),
                Change::Renamed { from } => ("renamed", Some(from.clone())),
                Change::Copied { from } => ("copied", Some(from.clone())),
                Change::Deleted => ("deleted", None),
            };
            Entry {
                commit: revision.commit.commit.clone(),
                date: revision.commit.date.clone(),
                author: revision.commit.author.clone(),
                subject: revision.subject.clone(),
                path: revision.path.clone(),
                change,
                renamed_from,
                fields,
                body_changed,
                content_changed,
            }
        })
        .collect()
}

/// Front matter changes between two versions of an item, and whether the body changed.
fn diff(before: &[u8], after: &[u8]) -> (Vec<String>, bool) {
    let (old_fields, old_body) = split(before);
    let (new_fields, new_body) = split(after);
    let mut changes = Vec::new();
    for (key, new) in &new_fields {
        match old_fields.iter().find(|(k, _)| k == key) {
            None => changes.push(format!("{key}: added {}", new.to_text())),
            Some((_, old)) if old != new => changes.push(format!("{key}: {} → {}", old.to_text(), new.to_text())),
            Some(_) => {}
        }
    }
    for (key, _) in old_fields.iter().filter(|(k, _)| !new_fields.iter().any(|(n, _)| n == k)) {
        changes.push(format!("{key}: removed"));
    }
    (changes, old_body != new_body)
}

fn split(bytes: &[u8]) -> (Vec<(String, Value)>, String) {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).replace("\r\n", "\n");
    let Ok(block) = front_matter::find_block(&text) else { return (Vec::new(), text) };
    // Read like the items themselves: leniently, as Backlog.md writes `assignee: @dana`.
    let fields = front_matter::parse_fields_lenient(&text[block.yaml.clone()], 0).map(|(f, _)| f).unwrap_or_default();
    let fields = fields.into_iter().map(|f| (f.key, f.value)).collect();
    (fields, text[block.body_start..].to_owned())
}
