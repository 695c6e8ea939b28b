//! Hover: on a finding, its rule's documentation; on an item id, that item — its title,
//! status, size, owner, what it blocks and what blocks it, and its history line.

use super::convert;
use super::navigation::{id_at, Target};
use super::Server;
use crate::item::front_matter::Value;
use crate::item::Item;
use crate::report::history_line::summary_line;
use crate::rules::helpers::{item_name, listed_values};
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

pub(super) fn hover(server: &mut Server, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params;
    let (project, path, text) = server.folders.lookup(&position.text_document.uri)?;
    let offset = convert::offset(&text, position.position, server.encoding);
    let workspace = &server.folders.projects[project].workspace;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let on_finding = workspace
        .findings(&path)
        .iter()
        .find(|d| d.span.start + bom <= offset && offset <= d.span.end + bom && d.span.start < d.span.end);
    if let Some(finding) = on_finding {
        let doc = crate::rules::explain(&finding.rule, &workspace.config.custom_rules).ok()?;
        let range = convert::range(&text, &(finding.span.start + bom..finding.span.end + bom), server.encoding);
        return Some(markdown(format!("**backlint: `{}`**\n\n{doc}", finding.rule), Some(range)));
    }
    let Target { span, items } = id_at(workspace, &text, offset)?;
    let item = items.first()?;
    let card = item_card(workspace, item);
    Some(markdown(card, Some(convert::range(&text, &span, server.encoding))))
}

fn markdown(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover { contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }), range }
}

/// `**PB-142** Export invoices as CSV` and what backlint knows about the item.
pub(super) fn item_card(workspace: &crate::workspace::Workspace, item: &Item) -> String {
    let config = &workspace.config;
    let value = |name: &str| item.value(config.field(name)).map(Value::to_text).filter(|v| !v.trim().is_empty());
    let name = item_name(item, config);
    let mut out = match value("title") {
        Some(title) => format!("**{name}** {title}\n\n"),
        None => format!("**{name}**\n\n"),
    };
    let mut facts = Vec::new();
    for field in ["status", "size", "owner", "type"] {
        if let Some(v) = value(field) {
            facts.push(format!("{field}: {v}"));
        }
    }
    if !facts.is_empty() {
        out.push_str(&facts.join(" · "));
        out.push_str("\n\n");
    }
    let blocked_by: Vec<String> = item
        .field(config.field("depends_on"))
        .map(|f| listed_values(f).into_iter().map(|l| l.text).collect())
        .unwrap_or_default();
    if !blocked_by.is_empty() {
        out.push_str(&format!("blocked by: {}\n\n", blocked_by.join(", ")));
    }
    let id = value("id");
    let blocks: Vec<String> = id
        .iter()
        .flat_map(|id| workspace.backlog.items_naming(id))
        .filter(|other| {
            other.field(config.field("depends_on")).is_some_and(|f| {
                listed_values(f).iter().any(|l| {
                    id.as_deref()
                        .is_some_and(|id| crate::backlog::normalize_id(&l.text) == crate::backlog::normalize_id(id))
                })
            })
        })
        .map(|other| item_name(other, config))
        .collect();
    if !blocks.is_empty() {
        out.push_str(&format!("blocks: {}\n\n", blocks.join(", ")));
    }
    let history =
        workspace.history.as_ref().and_then(|h| h.get(&item.path)).filter(|h| h.state != crate::history::State::NoRepo);
    match history {
        Some(history) => out.push_str(&format!("history: {}\n\n", summary_line(history, item, config, workspace.now))),
        None => out.push_str("history: unknown (no git history was read for this item)\n\n"),
    }
    out.push_str(&format!("`{}`", item.path));
    out
}
