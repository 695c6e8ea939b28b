//! backlint: a git-native linter for backlogs kept as code.
//!
//! One engine, thin front ends: a [`workspace::Workspace`] holds the configuration, the items,
//! the cross-item index and the history, and runs the rules; `check` lints it once and returns
//! a [`report::Report`]. The library never prints; `main.rs` renders and picks the exit code.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod backlog;
pub mod baseline;
pub mod check;
pub mod config;
pub mod discover;
pub mod fix;
pub mod flow;
pub mod git_scope;
pub mod history;
pub mod init;
pub mod item;
pub mod notes;
pub mod report;
pub mod rules;
pub mod server;
pub mod time;
pub mod workspace;
mod worktree;

use config::{Config, ConfigError};
use history::changelog;
use item::front_matter::Value;
use report::history_line::summary_line;
use report::timeline::Timeline;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use workspace::Workspace;

pub use check::{check, Settings};

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
    #[error("no git history: {0}")]
    #[diagnostic(
        code(usage),
        help("backlint flow reads the commits that changed the items' status; run it in a git repository")
    )]
    NoHistory(String),
    #[error("{0}")]
    #[diagnostic(code(usage))]
    Usage(String),
    #[error("{0}")]
    #[diagnostic(
        code(usage),
        help("write it with `backlint baseline`, pass another file with `--baseline FILE`, or ignore it with `--no-baseline`")
    )]
    Baseline(String),
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

/// `backlint history`: the timeline of the item with id or path `target`.
pub fn history_timeline(
    start: &Path,
    explicit_config: Option<&Path>,
    target: &str,
    now: i64,
) -> Result<Timeline, RunError> {
    let mut project = Workspace::load(start, explicit_config, false, now)?;
    let path = resolve(&project, target).ok_or_else(|| RunError::NoSuchItem(target.to_owned()))?;
    let index = project.read_history(std::slice::from_ref(&path));
    let item = project.backlog.items.iter().find(|i| i.path == path);
    let history = index.as_ref().and_then(|i| i.get(&path)).cloned();
    let config = &project.config;
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    let entries = history.as_ref().map(|h| changelog::entries(h, &root)).unwrap_or_default();
    let field = |name: &str| item.and_then(|i| i.value(config.field(name))).map(Value::to_text);
    Ok(Timeline {
        item: field("id"),
        title: field("title"),
        summary: history
            .as_ref()
            .filter(|h| h.state != history::State::NoRepo)
            .zip(item)
            .map(|(h, i)| summary_line(h, i, config, now)),
        history: history.map(Arc::new),
        path,
        entries,
        notes: std::mem::take(&mut project.notes),
    })
}

/// An item path relative to the project root, from a path on disk or an id.
fn resolve(project: &Workspace, target: &str) -> Option<String> {
    let as_path = Path::new(target);
    if as_path.is_file() {
        let relative = root_relative(&project.config.root, as_path)?;
        return project.backlog.items.iter().any(|i| i.path == relative).then_some(relative);
    }
    if project.backlog.items.iter().any(|i| i.path == target) {
        return Some(target.to_owned());
    }
    project.backlog.items_with_id(target).next().map(|i| i.path.clone())
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

pub(crate) fn dir_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}
