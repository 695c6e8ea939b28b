//! The report model (its serde form *is* JSON v1) and the renderers that print it.

mod concise;
pub mod fingerprint;
mod github;
pub mod group;
pub mod history_line;
mod human;
mod json;
mod location;
pub mod sarif;
pub mod statistics;
pub mod summary;
pub mod timeline;

pub use concise::Concise;
pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;
pub use summary::StepSummary;

use crate::fix::Applicability;
use crate::history::History;
use crate::item::span::Span;
use crate::rules::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

/// The JSON output version; bumped only on incompatible changes.
pub const JSON_VERSION: u32 = 1;

/// Everything a run found, sorted by path, line, column and rule.
#[derive(Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// What renderers need of every file with diagnostics, by path.
    #[serde(skip)]
    pub items: BTreeMap<String, ItemInfo>,
    /// Things the user should know that are not findings (for stderr).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The project root relative to the git work tree (`""` at its top), when inside one:
    /// GitHub wants repository-relative paths.
    #[serde(skip)]
    pub root_in_repo: Option<String>,
    /// The files `--fix` changed (or `--diff` would change), sorted by path.
    #[serde(skip)]
    pub fixed: Vec<crate::fix::FixedFile>,
    /// The project root.
    #[serde(skip)]
    pub root: std::path::PathBuf,
    /// Findings hidden because the baseline holds them, in report order (SARIF keeps them).
    #[serde(skip)]
    pub baselined: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub item: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    /// Exclusive.
    pub end_column: usize,
    pub message: String,
    pub help: Option<String>,
    pub history: Option<Arc<History>>,
    /// The repair the rule offers; absent (not `null`) when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    #[serde(skip)]
    pub span: Span,
}

/// A finding's fix as outputs show it: the rule's edits with positions.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    /// What the fix does (`quote the value`).
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// Replace the text from (`line`, `column`) to (`end_line`, `end_column`, exclusive) with
/// `content`; an insertion when start and end are equal.
#[derive(Debug, Clone, Serialize)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: String,
    /// Byte range in the item's source (without a byte order mark).
    #[serde(skip)]
    pub span: Span,
}

impl Fix {
    /// Position a rule's fix in `item`.
    pub fn new(fix: crate::fix::Fix, item: &crate::item::Item) -> Fix {
        let edits = fix
            .edits
            .into_iter()
            .map(|edit| {
                let (start, end) = (item.position(edit.span.start), item.position(edit.span.end));
                Edit {
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    content: crate::fix::with_line_endings_of(&item.source, &edit.content),
                    span: edit.span,
                }
            })
            .collect();
        Fix { title: fix.title, applicability: fix.applicability, edits }
    }

    /// The fix again as the rule gave it, to apply it.
    pub fn to_edits(&self) -> crate::fix::Fix {
        crate::fix::Fix {
            title: self.title.clone(),
            applicability: self.applicability,
            edits: self.edits.iter().map(|e| crate::fix::Edit::replace(e.span.clone(), e.content.clone())).collect(),
        }
    }
}

impl Diagnostic {
    /// Whether this is the `parse-error` of a file without any front matter (see [`group`]).
    pub fn lacks_front_matter(&self) -> bool {
        self.rule == "parse-error" && crate::item::is_without_front_matter(&self.message)
    }

    /// Whether the finding comes with a fix.
    pub fn is_fixable(&self) -> bool {
        self.fix.is_some()
    }
}

/// An item with diagnostics, as renderers see it.
#[derive(Debug, Clone)]
pub struct ItemInfo {
    /// The file's text, for snippets.
    pub source: Arc<str>,
    /// One line on the item's git history, when history was read.
    pub history_line: Option<String>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    pub files: usize,
    pub items: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// With `--fix`: how many findings the fixes repaired (the others are the diagnostics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
    /// What the baseline hid, when one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::Applied>,
}

impl Report {
    pub fn new(mut diagnostics: Vec<Diagnostic>, files: usize, items: usize) -> Report {
        diagnostics.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule, &a.message).cmp(&(&b.path, b.line, b.column, &b.rule, &b.message))
        });
        let mut report = Report {
            version: JSON_VERSION,
            diagnostics,
            summary: Summary { files, items, ..Summary::default() },
            items: BTreeMap::new(),
            notes: Vec::new(),
            root_in_repo: None,
            fixed: Vec::new(),
            root: std::path::PathBuf::new(),
            baselined: Vec::new(),
        };
        report.recount();
        report
    }

    /// Count the errors, warnings and infos of the diagnostics again.
    pub fn recount(&mut self) {
        let count = |s| self.diagnostics.iter().filter(|d| d.severity == s).count();
        let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
        self.summary.errors = errors;
        self.summary.warnings = warnings;
        self.summary.infos = infos;
    }

    /// Whether the run fails: any error, or more warnings than allowed.
    pub fn fails(&self, max_warnings: Option<usize>) -> bool {
        self.summary.errors > 0 || max_warnings.is_some_and(|max| self.summary.warnings > max)
    }
}

/// How a report is printed.
pub trait Renderer {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()>;
}

/// `3 errors, 2 warnings in 120 items`.
pub fn summary_line(summary: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if summary.errors > 0 {
        parts.push(plural(summary.errors, "error"));
    }
    if summary.warnings > 0 {
        parts.push(plural(summary.warnings, "warning"));
    }
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "info"));
    }
    let found = if parts.is_empty() { "no problems".to_owned() } else { parts.join(", ") };
    let unparsed = summary.files - summary.items.min(summary.files);
    let mut line = match unparsed {
        0 => format!("{found} in {}", plural(summary.items, "item")),
        n => format!("{found} in {} ({} could not be parsed)", plural(summary.items, "item"), plural(n, "more file")),
    };
    if let Some(baseline) = &summary.baseline {
        line.push_str(&format!("; {} hidden by the baseline ({})", plural(baseline.hidden, "finding"), baseline.file));
        match baseline.unmatched {
            0 => {}
            1 => line.push_str("; 1 baseline entry matches no finding any more: run `backlint baseline` to drop it"),
            n => line.push_str(&format!(
                "; {n} baseline entries match no finding any more: run `backlint baseline` to drop them"
            )),
        }
    }
    line
}
