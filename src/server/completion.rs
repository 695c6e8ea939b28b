//! Completion: configured values for `status`, `type`, `risk`, `value` and `size`; ids with
//! their titles in `depends_on` and `parent`; known tags and owners; section names after `## `.

use super::convert;
use super::Server;
use crate::item::front_matter::Value;
use crate::rules::helpers::{item_name, listed_values};
use crate::workspace::Workspace;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit, TextEdit,
};
use std::collections::BTreeSet;

pub(super) fn completion(server: &mut Server, params: CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position;
    let (project, _, text) = server.folders.lookup(&position.text_document.uri)?;
    let workspace = &server.folders.projects[project].workspace;
    let offset = convert::offset(&text, position.position, server.encoding);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    // The partial word the completion replaces.
    let word_start = line.rfind(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ':')).map_or(0, |i| i + 1);
    let replace = convert::range(&text, &(line_start + word_start..offset), server.encoding);
    let candidates: Vec<(String, Option<String>, CompletionItemKind)> = if in_front_matter(&text, line_start) {
        let key = key_of(&text, line_start, line)?;
        values_for(workspace, &key)
    } else if line.starts_with("## ") {
        section_names(workspace).into_iter().map(|name| (name, None, CompletionItemKind::TEXT)).collect()
    } else {
        return None;
    };
    let items = candidates
        .into_iter()
        .map(|(label, detail, kind)| CompletionItem {
            text_edit: Some(CompletionTextEdit::Edit(TextEdit { range: replace, new_text: label.clone() })),
            label,
            detail,
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

/// Whether the line starting at `line_start` lies inside the front matter block.
fn in_front_matter(text: &str, line_start: usize) -> bool {
    let before = &text[..line_start];
    let before = before.strip_prefix('\u{feff}').unwrap_or(before);
    let mut lines = before.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    !lines.any(|l| matches!(l.trim_end(), "---" | "..."))
}

/// The front matter key whose value the cursor is in: on `key: …`, or on a `- …` line under it.
fn key_of(text: &str, line_start: usize, line: &str) -> Option<String> {
    if let Some((key, _)) = line.split_once(':') {
        if !key.trim().is_empty() && !key.trim_start().starts_with('-') {
            return Some(key.trim().to_owned());
        }
    }
    if !line.trim_start().starts_with('-') {
        return None;
    }
    text[..line_start]
        .lines()
        .rev()
        .find(|l| !l.starts_with(char::is_whitespace) && !l.starts_with('-'))
        .and_then(|l| l.split_once(':'))
        .map(|(key, _)| key.trim().to_owned())
}

/// What the field under the front matter key `key` may hold.
fn values_for(workspace: &Workspace, key: &str) -> Vec<(String, Option<String>, CompletionItemKind)> {
    let config = &workspace.config;
    let canonical = ["status", "type", "risk", "value", "size", "depends_on", "parent", "tags", "owner"]
        .into_iter()
        .find(|name| config.field(name) == key);
    let plain = |values: Vec<String>| values.into_iter().map(|v| (v, None, CompletionItemKind::ENUM_MEMBER)).collect();
    match canonical {
        Some("status") => plain(config.statuses.clone()),
        Some("type") => plain(config.types.clone()),
        Some("risk" | "value") => plain(config.levels.clone()),
        Some("size") => plain(config.sizes.keys().cloned().collect()),
        Some("depends_on" | "parent") => workspace
            .backlog
            .items
            .iter()
            .filter(|item| item.value(config.field("id")).is_some())
            .map(|item| {
                let title = item.value(config.field("title")).map(Value::to_text);
                (item_name(item, config), title, CompletionItemKind::REFERENCE)
            })
            .collect(),
        Some("tags") => {
            let configured = config.effective(None)["rules"]["unknown-tag"]["tags"]
                .as_array()
                .map(|tags| tags.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect::<Vec<_>>())
                .unwrap_or_default();
            if configured.is_empty() {
                plain(used(workspace, "tags").into_iter().collect())
            } else {
                plain(configured)
            }
        }
        Some("owner") => used(workspace, "owner").into_iter().map(|v| (v, None, CompletionItemKind::VALUE)).collect(),
        _ => Vec::new(),
    }
}

/// The values the items already use in a field, sorted.
fn used(workspace: &Workspace, field: &str) -> BTreeSet<String> {
    let key = workspace.config.field(field);
    workspace.backlog.items.iter().filter_map(|item| item.field(key)).flat_map(listed_values).map(|l| l.text).collect()
}

/// The configured section headings (each section's first name).
fn section_names(workspace: &Workspace) -> Vec<String> {
    let effective = workspace.config.effective(None);
    let Some(sections) = effective["sections"].as_object() else { return Vec::new() };
    sections
        .values()
        .filter_map(|names| names.as_array().and_then(|n| n.first()).and_then(|n| n.as_str()).map(str::to_owned))
        .collect()
}
