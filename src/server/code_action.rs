//! Code actions: for each finding in the range, "Disable `RULE` for this line" (findings in the
//! body) and "Disable `RULE` for this item", inserting a suppression comment with a reason to
//! fill in.

use super::convert;
use super::Server;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, TextEdit, WorkspaceEdit,
};
use std::collections::HashMap;

/// Where the reason goes; the user replaces it.
const REASON: &str = "reason";

pub(super) fn code_actions(server: &mut Server, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri;
    let (project, path, text) = server.folders.lookup(&uri)?;
    let workspace = &server.folders.projects[project].workspace;
    let item = workspace.backlog.get(&path)?;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = convert::offset(&text, params.range.start, server.encoding);
    let end = convert::offset(&text, params.range.end, server.encoding);
    let only_quick_fixes = params.context.only.as_ref().is_none_or(|kinds| {
        kinds
            .iter()
            .any(|k| k == &CodeActionKind::QUICKFIX || CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
    });
    if !only_quick_fixes {
        return Some(Vec::new());
    }
    // Where the body starts: after the line that closes the front matter.
    let body_start = item
        .front_matter
        .as_ref()
        .and(crate::item::front_matter::find_block(&item.source).ok())
        .map(|block| block.body_start + bom);
    let mut actions = Vec::new();
    for finding in workspace.findings(&path) {
        let (f_start, f_end) = (finding.span.start + bom, finding.span.end + bom);
        if f_end < start || f_start > end || finding.rule == "parse-error" {
            continue;
        }
        let diagnostic = params
            .context
            .diagnostics
            .iter()
            .find(|d| matches!(&d.code, Some(lsp_types::NumberOrString::String(code)) if *code == finding.rule));
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        if let Some(body_start) = body_start.filter(|&b| f_start >= b) {
            let line_start = text[..f_start].rfind('\n').map_or(0, |i| i + 1).max(body_start);
            let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let comment = format!("{indent}<!-- backlint-disable-next-line {} -- {REASON} -->{newline}", finding.rule);
            actions.push(action(
                format!("Disable `{}` for this line", finding.rule),
                &uri,
                convert::range(&text, &(line_start..line_start), server.encoding),
                comment,
                diagnostic,
            ));
        }
        if let Some(body_start) = body_start {
            let comment = format!("<!-- backlint-disable {} -- {REASON} -->{newline}", finding.rule);
            actions.push(action(
                format!("Disable `{}` for this item", finding.rule),
                &uri,
                convert::range(&text, &(body_start..body_start), server.encoding),
                comment,
                diagnostic,
            ));
        }
    }
    Some(actions)
}

fn action(
    title: String,
    uri: &lsp_types::Url,
    range: lsp_types::Range,
    new_text: String,
    diagnostic: Option<&lsp_types::Diagnostic>,
) -> CodeActionOrCommand {
    let edit = WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![TextEdit { range, new_text }])])),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: diagnostic.map(|d| vec![d.clone()]),
        edit: Some(edit),
        ..CodeAction::default()
    })
}
