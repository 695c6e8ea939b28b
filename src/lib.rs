//! backlint: a git-native linter for backlogs kept as code.
//!
//! The pipeline runs one way: discover → load (parallel) → rules → sorted diagnostics. The
//! library never prints; `main.rs` renders the [`Report`] and turns it into an exit code.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod backlog;
pub mod config;
pub mod discover;
pub mod git_scope;
pub mod history;
pub mod init;
pub mod item;
pub mod report;
pub mod rules;
pub mod time;
pub mod timeline;
mod worktree;

use backlog::Backlog;
use config::{Config, ConfigError, RuleSettings};
use history::History;
use item::Item;
use rayon::prelude::*;
use report::{Diagnostic, Report};
use rules::unused_suppression::Raw;
use rules::{Context, Findings, Severity, RULES};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
}

/// A failure to run at all (exit code 2), as opposed to findings.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RunError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error("path not found: {0}")]
    #[diagnostic(code(usage), help("pass existing files or directories, or nothing to lint the whole backlog"))]
    NoSuchPath(String),
    #[error("{0}")]
    #[diagnostic(code(usage))]
    UnknownRule(String),
    #[error("cannot render output: {0}")]
    Output(String),
    #[error("no item with id or path `{0}`")]
    #[diagnostic(code(usage), help("pass an item id such as `PB-142` or the path of an item file"))]
    NoSuchItem(String),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scope(#[from] git_scope::ScopeError),
}

/// The project a command works on: its configuration and every item, loaded.
pub struct Project {
    pub config: Config,
    pub backlog: Backlog,
    /// Notes for stderr gathered while loading.
    pub notes: Vec<String>,
}

impl Project {
    /// Find the config from `start` (or take `explicit`), discover and load every item.
    pub fn load(start: &Path, explicit: Option<&Path>) -> Result<Project, RunError> {
        Ok(Project::load_with_history(start, explicit, false)?.0)
    }

    /// [`Project::load`], and with `history` the git history of every item found. The history is
    /// read before the items: its walk needs much memory for a short time, which the items can
    /// then reuse, so the peak stays low. Statuses changed in the work tree are not dated yet
    /// (see [`Project::date_uncommitted_status_moves`]).
    fn load_with_history(
        start: &Path,
        explicit: Option<&Path>,
        history: bool,
    ) -> Result<(Project, Option<history::HistoryIndex>), RunError> {
        let config = Config::discover(start, explicit)?;
        let discovery = discover::discover(&config);
        let mut history_notes = Vec::new();
        let index = history.then(|| read_history(&config, &discovery.files, &mut history_notes)).flatten();
        let items: Vec<Item> = discovery.files.par_iter().map(|path| Item::load(&config.root, path.clone())).collect();
        let mut notes: Vec<String> = discovery.skipped.iter().map(|s| format!("skipped {s}")).collect();
        if config.file.is_none() && config::backlog_md::detect(&config.root) {
            notes.push(format!(
                "no {} found; linting the Backlog.md project with `preset: backlog-md` (`backlint init` writes one)",
                config::FILE_NAME
            ));
        }
        if discovery.files.is_empty() {
            notes.push(format!(
                "no items matched `items:` globs ({}) under {}",
                config.items.join(", "),
                config.root.display()
            ));
        }
        notes.extend(history_notes);
        let backlog = Backlog::new(items, &config);
        Ok((Project { config, backlog, notes }, index))
    }

    /// Git dates the current status from the last commit that set it; a status changed in the
    /// work tree and not committed yet has no such date, so it holds since now, not since then.
    fn date_uncommitted_status_moves(&self, index: &mut history::HistoryIndex) {
        let key = self.config.field("status");
        for item in &self.backlog.items {
            let Some(history) = index.get_mut(&item.path) else { continue };
            let committed = history.timeline.first().and_then(|r| r.status.as_deref());
            let current = item.value(key).map(|v| v.to_text());
            if history.state == history::State::Modified && committed != current.as_deref() {
                history.status_since = None;
            }
        }
    }

    /// Git history of the given items (paths relative to the project root).
    pub fn history(&mut self, paths: &[String]) -> Option<history::HistoryIndex> {
        let mut index = read_history(&self.config, paths, &mut self.notes)?;
        self.date_uncommitted_status_moves(&mut index);
        Some(index)
    }
}

/// Git history of the items at `paths` (relative to the project root); a failure to read it is
/// a note, not an error.
fn read_history(config: &Config, paths: &[String], notes: &mut Vec<String>) -> Option<history::HistoryIndex> {
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    let status_key = config.field("status").to_owned();
    let facts = move |bytes: &[u8]| {
        let (status, other_hash) = item::status_and_rest(bytes, &status_key);
        history::BlobFacts { status, other_hash }
    };
    let prefixes = discover::walk_bases(&config.items);
    let may_be_item = |path: &str| config.may_be_item(path);
    let scope_key = config.items.join("\n");
    let request = history::Request {
        project_root: &root,
        items: paths,
        prefixes: &prefixes,
        may_be_item: &may_be_item,
        scope_key: &scope_key,
        facts: &facts,
        facts_key: config.field("status"),
        cache: history::CacheMode::ReadWrite,
    };
    match history::collect(&request) {
        Ok(index) => {
            if index.shallow() {
                notes.push(
                    "the repository is a shallow clone, so item history is cut short; fetch full history \
                     (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)"
                        .to_owned(),
                );
            }
            if let Some(why) = index.cache_not_written() {
                notes.push(format!("cannot write the history cache ({why}), so the next run reads the history again"));
            }
            Some(index)
        }
        Err(error) => {
            notes.push(format!("could not read git history, continuing without it: {error}"));
            None
        }
    }
}

/// `backlint rules` (no name) or `backlint explain NAME`, with the custom rules of the project in
/// the current directory.
pub fn explain(name: Option<&str>) -> Result<String, RunError> {
    let custom = Config::discover(Path::new("."), None)?.custom_rules;
    match name {
        None => Ok(rules::table(&custom)),
        Some(name) => rules::explain(name, &custom).map_err(RunError::UnknownRule),
    }
}

/// `backlint config --show [PATH]`: the effective configuration as YAML.
pub fn show_config(path: Option<&Path>, explicit: Option<&Path>) -> Result<String, RunError> {
    let start = path.map_or_else(|| PathBuf::from("."), dir_of);
    let config = Config::discover(&start, explicit)?;
    let relative = path.and_then(|p| root_relative(&config.root, p));
    let mut effective = config.effective(relative.as_deref());
    if let Some(path) = &relative {
        effective["path"] = serde_json::json!(path);
    }
    item::front_matter::to_string(&effective).map_err(|e| RunError::Output(e.message))
}

/// Lint the backlog selected by `settings`.
pub fn check(settings: &Settings) -> Result<Report, RunError> {
    for path in &settings.paths {
        if !path.exists() {
            return Err(RunError::NoSuchPath(path.display().to_string()));
        }
    }
    let start = settings.paths.first().map_or_else(|| PathBuf::from("."), |p| dir_of(p));
    let (mut project, mut histories) =
        Project::load_with_history(&start, settings.config.as_deref(), settings.history)?;
    let mut selection = git_scope::select(&project.config, &settings.scope, &project.backlog.items)?;
    if let Some(items) = selection.items.take() {
        project.backlog = Backlog::new(items, &project.config);
    }
    if let Some(index) = histories.as_mut() {
        // Staged content can hold items that the work tree does not.
        let missing: Vec<String> =
            project.backlog.items.iter().filter(|i| index.get(&i.path).is_none()).map(|i| i.path.clone()).collect();
        if !missing.is_empty() {
            if let Some(more) = read_history(&project.config, &missing, &mut project.notes) {
                index.merge(more);
            }
            // The second read repeats the first one's notes (a shallow clone, say) right after them.
            project.notes.dedup();
        }
        project.date_uncommitted_status_moves(index);
    }
    let scope = Scope::new(&project.config, &settings.paths);
    let (config, backlog) = (&project.config, &project.backlog);

    let masks: Vec<Vec<bool>> = backlog.items.iter().map(|i| config.override_mask(&i.path)).collect();
    let mut settings_by_mask: HashMap<&[bool], RuleSettings> = HashMap::new();
    for mask in &masks {
        settings_by_mask.entry(mask).or_insert_with(|| config.settings(mask));
    }
    let cx = Context { config, backlog, history: histories.as_ref(), now: settings.now };
    let per_item: Vec<(usize, Vec<Diagnostic>)> = backlog
        .items
        .par_iter()
        .enumerate()
        .filter(|(_, item)| scope.includes(&item.path) && selection.reports(&item.path))
        .map(|(index, item)| (index, lint_item(item, &cx, &settings_by_mask[masks[index].as_slice()])))
        .filter(|(_, diagnostics)| !diagnostics.is_empty())
        .collect();

    // The rules are done with the history: move each reported item's history into the report
    // instead of copying it, without the timeline, which no output shows.
    let with_history: Vec<(usize, Vec<Diagnostic>, Option<History>)> = per_item
        .into_iter()
        .map(|(index, found)| {
            let history = histories.as_mut().and_then(|h| h.take(&backlog.items[index].path));
            (index, found, history)
        })
        .collect();
    let assembled: Vec<(String, report::ItemInfo, Vec<Diagnostic>)> = with_history
        .into_par_iter()
        .map(|(index, found, history)| {
            let item = &backlog.items[index];
            let info = report::ItemInfo {
                source: Arc::from(item.source.as_str()),
                history_line: history
                    .as_ref()
                    .filter(|h| h.state != history::State::NoRepo)
                    .map(|h| timeline::summary_line(h, item, config, settings.now)),
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
    let in_scope: Vec<&Item> =
        backlog.items.iter().filter(|i| scope.includes(&i.path) && selection.reports(&i.path)).collect();
    let parsed = in_scope.iter().filter(|i| i.problem.is_none()).count();
    let mut report = Report::new(diagnostics, in_scope.len(), parsed);
    report.items = report_items;
    report.root_in_repo = git_scope::root_in_repo(&project.config.root);
    report.notes = std::mem::take(&mut project.notes);
    Ok(report)
}

fn lint_item(item: &Item, cx: &Context, settings: &RuleSettings) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let builtin = RULES.iter().zip(&settings.entries);
    for (rule, (severity, options)) in builtin.filter(|(_, (severity, _))| *severity != Severity::Off) {
        let mut findings = Findings::default();
        rule.check_dyn(options.as_ref(), item, cx, &mut findings);
        let rule = rule.meta().name;
        found.extend(findings.0.into_iter().map(|finding| Raw { rule: rule.to_owned(), severity: *severity, finding }));
    }
    let custom = cx.config.custom_rules.iter().zip(&settings.entries[RULES.len()..]);
    for (rule, (severity, _)) in custom.filter(|(_, (severity, _))| *severity != Severity::Off) {
        let mut findings = Findings::default();
        rule.check(item, cx, &mut findings);
        found.extend(findings.0.into_iter().map(|finding| Raw {
            rule: rule.name.clone(),
            severity: *severity,
            finding,
        }));
    }
    let enabled = |name: &str| settings.severity_of(name, cx.config).is_some_and(|s| s != Severity::Off);
    let unused = settings.severity_of("unused-suppression", cx.config).filter(|s| *s != Severity::Off);
    let found = rules::unused_suppression::apply(item, found, &enabled, unused);

    let id = item.value(cx.config.field("id")).map(|v| v.to_text());
    found
        .into_iter()
        .map(|Raw { rule, severity, finding }| {
            let start = item.position(finding.span.start);
            let end = item.position(finding.span.end);
            Diagnostic {
                rule,
                severity,
                path: item.path.clone(),
                item: id.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: finding.message,
                help: finding.help,
                history: None,
                span: finding.span,
            }
        })
        .collect()
}

/// Which items to report on: all of them, or those at or under the paths given.
struct Scope {
    /// Root-relative paths; a directory matches everything below it. `None`: everything.
    prefixes: Option<Vec<String>>,
}

impl Scope {
    fn new(config: &Config, paths: &[PathBuf]) -> Scope {
        let mut prefixes = Vec::new();
        // A path outside the project holds none of its items.
        for relative in paths.iter().filter_map(|path| root_relative(&config.root, path)) {
            if relative.is_empty() {
                return Scope { prefixes: None };
            }
            prefixes.push(relative);
        }
        Scope { prefixes: if paths.is_empty() { None } else { Some(prefixes) } }
    }

    fn includes(&self, path: &str) -> bool {
        match &self.prefixes {
            None => true,
            Some(prefixes) => prefixes
                .iter()
                .any(|p| path == p || path.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/'))),
        }
    }
}

/// `path` relative to the project `root`, with `/` separators ("" for the root itself); `None`
/// when it lies outside.
pub fn root_relative(root: &Path, path: &Path) -> Option<String> {
    let root = normalize(&std::path::absolute(root).ok()?);
    let absolute = normalize(&std::path::absolute(path).ok()?);
    let relative = absolute.strip_prefix(root).ok()?;
    Some(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

/// Remove `.` and `..` components without touching the file system (symlinks stay unresolved).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn dir_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}
