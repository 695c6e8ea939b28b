//! Files without front matter, reported once as a group by the human and concise formats.
//!
//! A backlog folder often holds notes next to its items (planning notes, minutes, a README).
//! Each is a `parse-error`, and hundreds of identical findings hide the one thing to do: say
//! where the notes are (`notes:`) or leave those folders out (`exclude:`). The findings stay in
//! the report, with their severity, so counts and the exit code do not change; only their
//! rendering is grouped. `--no-group`, JSON, SARIF and the GitHub formats show each file.

use super::Diagnostic;
use crate::notes;
use crate::rules::Severity;

/// The findings of files without front matter, when there are enough of them to group.
#[derive(Debug)]
pub struct NoFrontMatter<'r> {
    /// In report order.
    pub diagnostics: Vec<&'r Diagnostic>,
}

impl<'r> NoFrontMatter<'r> {
    /// The group in `diagnostics`, if at least [`notes::GROUP_MIN`] files lack front matter.
    pub fn find(diagnostics: &'r [Diagnostic]) -> Option<NoFrontMatter<'r>> {
        let members: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.lacks_front_matter()).collect();
        (members.len() >= notes::GROUP_MIN).then_some(NoFrontMatter { diagnostics: members })
    }

    /// Whether `diagnostic` is shown through the group rather than on its own.
    pub fn contains(&self, diagnostic: &Diagnostic) -> bool {
        diagnostic.lacks_front_matter()
    }

    pub fn severity(&self) -> Severity {
        self.diagnostics.iter().map(|d| d.severity).max().unwrap_or(Severity::Error)
    }

    pub fn rule(&self) -> &str {
        self.diagnostics.first().map_or("parse-error", |d| d.rule.as_str())
    }

    /// `486 files have no front matter, so they are not items: backlog/docs (400), backlog (86)`.
    pub fn message(&self) -> String {
        let dirs = notes::directories(self.diagnostics.iter().map(|d| d.path.as_str()));
        let shown: Vec<String> = dirs
            .iter()
            .take(5)
            .map(|(dir, n)| format!("{} ({n})", if dir.is_empty() { "." } else { dir.as_str() }))
            .collect();
        let more = match dirs.len().saturating_sub(5) {
            0 => String::new(),
            n => format!(" and {n} more folder{}", if n == 1 { "" } else { "s" }),
        };
        format!(
            "{} files under the item globs have no front matter, so they are not items: {}{more}",
            self.diagnostics.len(),
            shown.join(", ")
        )
    }

    /// What to do: the `notes:` globs to add, or `exclude:`, or front matter.
    pub fn help(&self) -> String {
        let globs = notes::suggest_globs(self.diagnostics.iter().map(|d| d.path.as_str()));
        format!(
            "if they are notes, not items, add `notes: {}` to {} (there, files without front matter are \
             passed over and files with it are still items), or list their folders under `exclude:`; if they \
             are items, give each one front matter. `--no-group` or `--format json` lists every file",
            notes::flow_list(&globs),
            crate::config::FILE_NAME
        )
    }
}
