//! Findings as LSP diagnostics: pushed with `textDocument/publishDiagnostics`, or pulled with
//! `textDocument/diagnostic`. A configuration error is a diagnostic in the config file.

use super::convert::{self, Encoding};
use super::folders::{Changed, Folders};
use super::Server;
use crate::backlog::normalize_id;
use crate::report;
use crate::rules::Severity;
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport, Location, NumberOrString,
    PublishDiagnosticsParams, Range, RelatedFullDocumentDiagnosticReport,
};

/// The diagnostics of one changed file, to publish.
pub(super) fn publish_params(server: &mut Server, changed: &Changed) -> PublishDiagnosticsParams {
    let diagnostics = file_diagnostics(&server.folders, server.encoding, server.client.related_information, changed);
    let uri = server.folders.uri(changed.project, &changed.path);
    let uri = uri.unwrap_or_else(|| lsp_types::Url::parse("file:///").unwrap_or_else(|_| unreachable!()));
    let open = server.folders.documents.contains_key(&uri);
    if !open {
        server.folders.told(changed, !diagnostics.is_empty());
    }
    PublishDiagnosticsParams { version: server.folders.version(&uri), uri, diagnostics }
}

/// `textDocument/diagnostic`: the full report of one document.
pub(super) fn pull(server: &mut Server, params: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
    let folders = &server.folders;
    let items = folders
        .lookup(&params.text_document.uri)
        .map(|(project, path, _)| {
            file_diagnostics(folders, server.encoding, server.client.related_information, &Changed { project, path })
        })
        .or_else(|| config_file(folders, &params.text_document.uri, server.encoding))
        .unwrap_or_default();
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
    }))
}

/// The diagnostics of a config file that is not (yet) an item path of any project.
fn config_file(folders: &Folders, uri: &lsp_types::Url, encoding: Encoding) -> Option<Vec<lsp_types::Diagnostic>> {
    let file = convert::path_of(uri)?;
    (0..folders.projects.len()).find_map(|project| {
        let path = crate::root_relative(&folders.projects[project].workspace.config.root, &file)?;
        (path == folders.config_path(project))
            .then(|| file_diagnostics(folders, encoding, false, &Changed { project, path }))
    })
}

fn file_diagnostics(
    folders: &Folders,
    encoding: Encoding,
    related: bool,
    changed: &Changed,
) -> Vec<lsp_types::Diagnostic> {
    let project = &folders.projects[changed.project];
    if changed.path == folders.config_path(changed.project) {
        return config_error(folders, changed, encoding).into_iter().collect();
    }
    let found = project.workspace.findings(&changed.path);
    if found.is_empty() {
        return Vec::new();
    }
    let text = folders.text_of(changed.project, &changed.path).unwrap_or_default();
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let item = project.workspace.backlog.get(&changed.path);
    found
        .iter()
        .map(|d| {
            let span = d.span.start + bom..d.span.end + bom;
            lsp_types::Diagnostic {
                range: convert::range(&text, &span, encoding),
                severity: Some(severity(d.severity)),
                code: Some(NumberOrString::String(d.rule.clone())),
                code_description: None,
                source: Some("backlint".to_owned()),
                message: match &d.help {
                    Some(help) => format!("{}\nhelp: {help}", d.message),
                    None => d.message.clone(),
                },
                related_information: if related {
                    item.map(|item| related_information(folders, changed.project, item, d, encoding))
                        .filter(|r| !r.is_empty())
                } else {
                    None
                },
                tags: (d.rule == "unused-suppression").then(|| vec![DiagnosticTag::UNNECESSARY]),
                data: None,
            }
        })
        .collect()
}

pub(super) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info | Severity::Off => DiagnosticSeverity::INFORMATION,
    }
}

/// For a cross-item finding, the other items it is about: those with the id the finding points
/// at (a dependency that is not ready, a cycle member, a parent) or sharing the item's id.
fn related_information(
    folders: &Folders,
    project: usize,
    item: &crate::item::Item,
    d: &report::Diagnostic,
    encoding: Encoding,
) -> Vec<DiagnosticRelatedInformation> {
    let workspace = &folders.projects[project].workspace;
    let config = &workspace.config;
    let named = item.source.get(d.span.clone()).unwrap_or_default().trim();
    if named.is_empty() || named.contains('\n') {
        return Vec::new();
    }
    let (field, message) = match d.rule.as_str() {
        "duplicate-id" => ("id", "also has this id"),
        "dependency-cycle" => ("depends_on", "is on the cycle"),
        "blocked-by-unready" => ("status", "is the dependency"),
        "parent-not-epic" => ("type", "is the parent"),
        _ => return Vec::new(),
    };
    let wanted = normalize_id(named);
    workspace
        .backlog
        .items_with_id(&wanted)
        .filter(|other| other.path != item.path)
        .filter_map(|other| {
            let uri = folders.uri(project, &other.path)?;
            let text = folders.text_of(project, &other.path).unwrap_or_else(|| other.source.clone());
            let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
            let span = other
                .field(config.field(field))
                .or_else(|| other.field(config.field("id")))
                .map_or(0..0, |f| f.value_span.start + bom..f.value_span.end + bom);
            let name = crate::rules::helpers::item_name(other, config);
            Some(DiagnosticRelatedInformation {
                location: Location { uri, range: convert::range(&text, &span, encoding) },
                message: format!("{name} {message}"),
            })
        })
        .collect()
}

/// The configuration error of the project, at its line in the config file.
fn config_error(folders: &Folders, changed: &Changed, encoding: Encoding) -> Option<lsp_types::Diagnostic> {
    let (_, error) = folders.projects[changed.project].config_error.as_ref()?;
    let details = error.details();
    let text = folders.text_of(changed.project, &changed.path).unwrap_or_default();
    let range = match details.position {
        Some((line, column)) => {
            let line = u32::try_from(line.saturating_sub(1)).unwrap_or(0);
            let start = convert::offset(&text, lsp_types::Position { line, character: 0 }, Encoding::Utf8);
            let line_text = text[start..].lines().next().unwrap_or_default();
            let column_offset =
                line_text.char_indices().nth(column.saturating_sub(1)).map_or(line_text.len(), |(i, _)| i);
            convert::range(&text, &(start + column_offset..start + line_text.len()), encoding)
        }
        None => Range::default(),
    };
    Some(lsp_types::Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".to_owned())),
        source: Some("backlint".to_owned()),
        message: match &details.help {
            Some(help) => format!("{}\nhelp: {help}", details.message),
            None => details.message.clone(),
        },
        ..lsp_types::Diagnostic::default()
    })
}
