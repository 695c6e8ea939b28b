//! Code actions: the rule's own fix of each finding in the range (the same edits as
//! `check --fix`), "Disable `RULE` for this line" (findings in the body) and "Disable `RULE` for
//! this item", inserting a suppression comment with a reason to fill in, and
//! `source.fixAll.backlint`, which applies every safe fix of the file.

use super::convert;
use super::Server;
use crate::fix::Applicability;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// The kind of the action that applies every safe fix of a file.
pub(super) const FIX_ALL: &str = "source.fixAll.backlint";

/// Where the reason goes; the user replaces it.
const REASON: &str = "reason";

/// How many times fix-all lints and fixes again, as fixes can make room for others.
const FIX_PASSES: usize = 10;

pub(super) fn code_actions(server: &mut Server, params: CodeActionParams) -> Option<CodeActionResponse> {
    let uri = params.text_document.uri.clone();
    let (project, path, text) = server.folders.lookup(&uri)?;
    let wants = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| only.iter().any(|k| kind.as_str().starts_with(k.as_str())))
    };
    let mut actions = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        actions.extend(quick_fixes(server, project, &path, &text, &uri, &params));
    }
    // Fix-all is offered when asked for by kind (on save, say), not on every cursor move.
    let asked_for_fix_all =
        params.context.only.as_ref().is_some_and(|only| {
            only.iter().any(|k| k.as_str().starts_with("source") && FIX_ALL.starts_with(k.as_str()))
        });
    if asked_for_fix_all {
        actions.extend(fix_all(server, project, &path, &text, &uri));
    }
    Some(actions)
}

fn quick_fixes(
    server: &Server,
    project: usize,
    path: &str,
    text: &str,
    uri: &Url,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let workspace = &server.folders.projects[project].workspace;
    let Some(item) = workspace.backlog.get(path) else { return Vec::new() };
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = convert::offset(text, params.range.start, server.encoding);
    let end = convert::offset(text, params.range.end, server.encoding);
    // Where the body starts: after the line that closes the front matter.
    let body_start = item
        .front_matter
        .as_ref()
        .and(crate::item::front_matter::find_block(&item.source).ok())
        .map(|block| block.body_start + bom);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let range =
        |span: &std::ops::Range<usize>| convert::range(text, &(span.start + bom..span.end + bom), server.encoding);
    let mut actions = Vec::new();
    for finding in workspace.findings(path) {
        let (f_start, f_end) = (finding.span.start + bom, finding.span.end + bom);
        if f_end < start || f_start > end || finding.rule == "parse-error" {
            continue;
        }
        let diagnostic = params.context.diagnostics.iter().find(|d| {
            matches!(&d.code, Some(lsp_types::NumberOrString::String(code)) if *code == finding.rule)
                && convert::offset(text, d.range.start, server.encoding) == f_start
        });
        if let Some(fix) = &finding.fix {
            let edits =
                fix.edits.iter().map(|e| TextEdit { range: range(&e.span), new_text: e.content.clone() }).collect();
            let kind = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe)",
            };
            let mut action = action(format!("Fix: {}{kind}", fix.title), uri, edits, diagnostic);
            if let CodeActionOrCommand::CodeAction(a) = &mut action {
                a.is_preferred = Some(fix.applicability == Applicability::Safe);
            }
            actions.push(action);
        }
        if let Some(body_start) = body_start.filter(|&b| f_start >= b) {
            let line_start = text[..f_start].rfind('\n').map_or(0, |i| i + 1).max(body_start);
            let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
            let comment = format!("{indent}<!-- backlint-disable-next-line {} -- {REASON} -->{newline}", finding.rule);
            let at = convert::range(text, &(line_start..line_start), server.encoding);
            actions.push(action(
                format!("Disable `{}` for this line", finding.rule),
                uri,
                vec![TextEdit { range: at, new_text: comment }],
                diagnostic,
            ));
        }
        if let Some(body_start) = body_start {
            let comment = format!("<!-- backlint-disable {} -- {REASON} -->{newline}", finding.rule);
            let at = convert::range(text, &(body_start..body_start), server.encoding);
            actions.push(action(
                format!("Disable `{}` for this item", finding.rule),
                uri,
                vec![TextEdit { range: at, new_text: comment }],
                diagnostic,
            ));
        }
    }
    actions
}

/// Every safe fix of the file, applied until none is left (bounded), as one edit.
fn fix_all(server: &Server, project: usize, path: &str, text: &str, uri: &Url) -> Option<CodeActionOrCommand> {
    let workspace = &server.folders.projects[project].workspace;
    let bom = text.starts_with('\u{feff}');
    let mut source = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
    let mut findings = workspace.findings(path).to_vec();
    let mut changed = false;
    for _ in 0..FIX_PASSES {
        let fixes: Vec<crate::fix::Fix> = findings
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .map(|f| f.to_edits())
            .collect();
        let refs: Vec<&crate::fix::Fix> = fixes.iter().collect();
        let (fixed, applied) = crate::fix::apply(&source, &refs);
        if applied == 0 {
            break;
        }
        changed = true;
        source = fixed;
        findings = workspace.lint_text(path, source.as_bytes());
    }
    if !changed {
        return None;
    }
    let new_text = if bom { format!("\u{feff}{source}") } else { source };
    let whole = convert::range(text, &(0..text.len()), server.encoding);
    let edit = WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), vec![TextEdit { range: whole, new_text }])])),
        ..WorkspaceEdit::default()
    };
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: "Fix all safe backlint problems".to_owned(),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(edit),
        ..CodeAction::default()
    }))
}

fn action(
    title: String,
    uri: &Url,
    edits: Vec<TextEdit>,
    diagnostic: Option<&lsp_types::Diagnostic>,
) -> CodeActionOrCommand {
    let edit = WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..WorkspaceEdit::default() };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: diagnostic.map(|d| vec![d.clone()]),
        edit: Some(edit),
        ..CodeAction::default()
    })
}
