//! `backlint check`: a thin front end over the [`Workspace`]: load it, lint the items asked
//! for, and turn their findings into a [`Report`].

use crate::baseline::{self, Baseline};
use crate::fix::{self, FixMode, FixedFile};
use crate::history::{self, History};
use crate::item::Item;
use crate::report::{self, history_line, Diagnostic, Report};
use crate::workspace::Workspace;
use crate::{dir_of, git_scope, root_relative, RunError};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// What to check, validated from the command line.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Files or directories to report on; empty means the whole backlog.
    pub paths: Vec<PathBuf>,
    /// An explicit config file instead of discovery.
    pub config: Option<PathBuf>,
    /// Whether to read each item's git history.
    pub history: bool,
    /// "Now" for age-based rules, in seconds since the Unix epoch.
    pub now: i64,
    /// Where item content comes from and which items are reported, as git decides it.
    pub scope: git_scope::Scope,
    /// Apply the rules' fixes to the reported items first (`--fix`, `--diff`).
    pub fix: Option<FixMode>,
    /// Which baseline hides accepted findings.
    pub baseline: baseline::Choice,
}

/// Lint the backlog selected by `settings`.
pub fn check(settings: &Settings) -> Result<Report, RunError> {
    for path in &settings.paths {
        if !path.exists() {
            return Err(RunError::NoSuchPath(path.display().to_string()));
        }
    }
    let start = settings.paths.first().map_or_else(|| PathBuf::from("."), |p| dir_of(p));
    let mut workspace = Workspace::load(&start, settings.config.as_deref(), settings.history, settings.now)?;
    let accepted = Baseline::load(&settings.baseline, &workspace.config.root)?;
    let mut selection = git_scope::select(&workspace.config, &settings.scope, &workspace.backlog.items)?;
    if let Some(items) = selection.items.take() {
        workspace.replace_items(items);
    }
    let scope = Scope::new(&workspace, &settings.paths);
    let reported = |item: &Item| scope.includes(&item.path) && selection.reports(&item.path);
    workspace.lint(reported);
    let fixed = match settings.fix {
        Some(mode) => apply_fixes(&mut workspace, &reported, mode),
        None => Vec::new(),
    };

    // The rules are done with the history: move each reported item's history into the report
    // instead of copying it, without the timeline, which no output shows.
    let with_findings: Vec<usize> = workspace
        .backlog
        .items
        .iter()
        .enumerate()
        // Fixing re-lints the neighbours of a fixed item too: report only the items asked for.
        .filter(|(_, item)| reported(item) && !workspace.findings(&item.path).is_empty())
        .map(|(index, _)| index)
        .collect();
    let with_history: Vec<(usize, Vec<Diagnostic>, Option<History>)> = with_findings
        .into_iter()
        .map(|index| {
            let path = &workspace.backlog.items[index].path;
            let history = workspace.history.as_mut().and_then(|h| h.take(path));
            let path = path.clone();
            (index, workspace.take_findings(&path), history)
        })
        .collect();
    let (config, backlog) = (&workspace.config, &workspace.backlog);
    let assembled: Vec<(String, report::ItemInfo, Vec<Diagnostic>)> = with_history
        .into_par_iter()
        .map(|(index, found, history)| {
            let item = &backlog.items[index];
            let info = report::ItemInfo {
                source: Arc::from(item.source.as_str()),
                history_line: history
                    .as_ref()
                    .filter(|h| h.state != history::State::NoRepo)
                    .map(|h| history_line::summary_line(h, item, config, settings.now)),
            };
            let history = history.map(|h| Arc::new(History { timeline: Vec::new(), ..h }));
            let found = found.into_iter().map(|d| Diagnostic { history: history.clone(), ..d }).collect();
            (item.path.clone(), info, found)
        })
        .collect();
    let mut report_items = std::collections::BTreeMap::new();
    let mut diagnostics = Vec::new();
    for (path, info, found) in assembled {
        report_items.insert(path, info);
        diagnostics.extend(found);
    }
    let in_scope: Vec<&Item> = backlog.items.iter().filter(|i| reported(i)).collect();
    let parsed = in_scope.iter().filter(|i| i.problem.is_none()).count();
    let mut report = Report::new(diagnostics, in_scope.len(), parsed);
    report.items = report_items;
    report.root_in_repo = git_scope::root_in_repo(&workspace.config.root);
    report.root = workspace.config.root.clone();
    report.notes = std::mem::take(&mut workspace.notes);
    if settings.fix.is_some() {
        report.summary.fixed = Some(fixed.iter().map(|f| f.fixes).sum());
    }
    report.fixed = fixed;
    if let Some((accepted, file)) = accepted {
        // An entry counts as unmatched only where this run looked: the whole backlog, or the
        // items it reports on.
        let whole = settings.paths.is_empty() && settings.scope == git_scope::Scope::WorkTree;
        let reported_paths: std::collections::HashSet<&str> = in_scope.iter().map(|item| item.path.as_str()).collect();
        accepted.apply(&mut report, file, |entry| whole || reported_paths.contains(entry.path.as_str()));
    }
    Ok(report)
}

/// Fix the reported items in the workspace and, unless only a diff is wanted, write them. A file
/// that cannot be written is a note, and its findings are those of the file as it stays.
fn apply_fixes(workspace: &mut Workspace, reported: &dyn Fn(&Item) -> bool, mode: FixMode) -> Vec<FixedFile> {
    let paths: Vec<String> =
        workspace.backlog.items.iter().filter(|item| reported(item)).map(|item| item.path.clone()).collect();
    let fixed = fix::fix_items(workspace, &paths, mode.applicability);
    if !mode.write {
        return fixed;
    }
    let root = workspace.config.root.clone();
    let mut written = Vec::with_capacity(fixed.len());
    for file in fixed {
        match fix::write(&root, &file) {
            Ok(()) => written.push(file),
            Err(error) => {
                workspace.notes.push(format!(
                    "could not write the fixes of {}: {}; it is left as it was",
                    file.path,
                    crate::item::io_reason(&error)
                ));
                workspace.update(&file.path, Some(file.before.as_bytes()));
            }
        }
    }
    written
}

/// Which items to report on: all of them, or those at or under the paths given.
pub(crate) struct Scope {
    /// Root-relative paths; a directory matches everything below it. `None`: everything.
    prefixes: Option<Vec<String>>,
}

impl Scope {
    pub(crate) fn new(workspace: &Workspace, paths: &[PathBuf]) -> Scope {
        let mut prefixes = Vec::new();
        // A path outside the project holds none of its items.
        for relative in paths.iter().filter_map(|path| root_relative(&workspace.config.root, path)) {
            if relative.is_empty() {
                return Scope { prefixes: None };
            }
            prefixes.push(relative);
        }
        Scope { prefixes: if paths.is_empty() { None } else { Some(prefixes) } }
    }

    pub(crate) fn includes(&self, path: &str) -> bool {
        match &self.prefixes {
            None => true,
            Some(prefixes) => prefixes
                .iter()
                .any(|p| path == p || path.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/'))),
        }
    }
}
