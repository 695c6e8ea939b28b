//! An item's history told as a changelog: what each commit changed in its front matter.

use super::{read_blob, Change, History};
use crate::item::front_matter::{self, Value};
use serde::Serialize;
use std::path::Path;

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

pub fn entries(history: &History, root: &Path) -> Vec<Entry> {
    let read = |blob: &Option<String>| blob.as_deref().and_then(|b| read_blob(root, b).ok());
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
