//! Per-item git history, read in one pass over the commit graph.
//!
//! The walk reproduces what `git log --follow -- PATH` (revisions, creation, renames) and
//! `git log -1 -- PATH` (last change) report, for all items at once: every non-merge commit is
//! diffed against its first parent, restricted to the backlog prefixes, and the per-item
//! timelines are assembled from those change lists afterwards. See DESIGN.md §4.

mod cache;
pub mod changelog;
mod follow;
mod pack;
mod progress;
mod results;
mod similarity;
mod sources;
mod trees;
mod walk;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use gix::ObjectId;

pub use progress::enable_progress_bar;

/// A commit as shown in diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signature {
    /// Full hex id of the commit.
    pub commit: String,
    /// Author date, ISO-8601 UTC, e.g. `2026-01-05T10:12:00Z`.
    pub date: String,
    /// Author name as recorded in the commit (no mailmap).
    pub author: String,
}

/// How the work tree copy of an item relates to `HEAD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The work tree file (and the index) equal the `HEAD` blob.
    Committed,
    /// The file is in `HEAD`, but the work tree or the index holds different content.
    Modified,
    /// The file is not in `HEAD`.
    Untracked,
    /// The project root is not inside a git work tree, or the item lies outside of it.
    NoRepo,
}

/// The history facts of one item, serialized into JSON output with exactly these fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct History {
    pub state: State,
    pub created: Option<Signature>,
    pub last_changed: Option<Signature>,
    pub revisions: usize,
    /// Distinct author names, by first appearance (oldest first).
    pub authors: Vec<String>,
    /// Author date (ISO-8601 UTC) of the oldest commit from which the current status holds
    /// without interruption.
    pub status_since: Option<String>,
    /// Earlier paths (project-root relative), newest first.
    pub renamed_from: Vec<String>,
    pub shallow: bool,
    /// Facts that cannot be known because file versions they need are missing in a partial
    /// clone (see [`Incomplete`]); only in output when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<Incomplete>,
    /// Newest first; the commits `git log --follow -- PATH` lists.
    #[serde(skip)]
    pub timeline: Vec<Revision>,
}

/// A fact of [`History`] that a partial clone leaves unknown: the file versions it needs were
/// not downloaded (`git clone --filter=blob:none`), and backlint never fetches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Incomplete {
    /// Whether `git log --follow` goes on before the oldest known revision: a rename or copy
    /// with edits needs both files' content to be seen. `renamed_from` lists the renames known
    /// (same content), and `created`, `revisions` and `authors` count from the oldest known
    /// revision.
    RenamedFrom,
    /// `status_since` is `null`: the status of an older version is needed and unknown.
    StatusSince,
    /// The status of some older revision is unknown (see [`Revision::missing`]): rules that
    /// read past statuses stay silent.
    Statuses,
}

impl History {
    /// `fact` is known (not listed in [`History::incomplete`]).
    pub fn knows(&self, fact: Incomplete) -> bool {
        !self.incomplete.contains(&fact)
    }
}

impl History {
    fn empty(state: State, shallow: bool) -> Self {
        History {
            state,
            created: None,
            last_changed: None,
            revisions: 0,
            authors: Vec::new(),
            status_since: None,
            renamed_from: Vec::new(),
            shallow,
            incomplete: Vec::new(),
            timeline: Vec::new(),
        }
    }
}

/// One commit that changed the item.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub commit: Signature,
    /// The commit subject as `git log --format=%s` prints it (first paragraph on one line).
    pub subject: String,
    /// The item's path in that commit, project-root relative.
    pub path: String,
    pub change: Change,
    /// The status value of the item as of this commit; `None` if it has none or was deleted.
    pub status: Option<String>,
    /// Versus the previous (older) revision, only the status value changed.
    pub only_status_changed: bool,
    /// Hex id of the item's blob after this commit (`None` for a deletion); see [`read_blob`].
    pub blob: Option<String>,
    /// The size value of the item as of this commit, as written (for flow's data-quality rules).
    pub size: Option<String>,
    /// The blob is missing in a partial clone: `status` and `only_status_changed` are unknown
    /// (`None` and `false`).
    pub missing: bool,
}

/// What a revision did to the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    Modified,
    /// Renamed from the given project-root relative path, possibly with edits.
    Renamed {
        from: String,
    },
    /// Created as a copy of the given path (possibly with edits), which stayed; `git log
    /// --follow` goes on with that file's history.
    Copied {
        from: String,
    },
    /// The path was deleted (it exists at `HEAD` because it was added again later).
    Deleted,
}

/// What the caller extracts from one version of an item file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobFacts {
    pub status: Option<String>,
    /// Hash of everything except the status value.
    pub other_hash: u64,
    /// The size value as written, when the facts key asks for it (a second line).
    pub size: Option<String>,
}

/// Whether the on-disk cache in the git directory is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheMode {
    /// Read the cache if it matches, and write it back when anything new was computed.
    #[default]
    ReadWrite,
    /// Ignore any existing cache but write a fresh one.
    Refresh,
    /// Neither read nor write.
    Off,
}

pub struct Request<'a> {
    /// Absolute; item paths are relative to it. May be a subdirectory of a work tree or outside any repository.
    pub project_root: &'a Path,
    /// Item paths in the work tree, project-root relative with `/`.
    pub items: &'a [String],
    /// Directory prefixes (project-root relative) containing all items, e.g. `["backlog"]`.
    /// Empty means the whole project root.
    pub prefixes: &'a [String],
    /// Whether a project-root relative path may hold an item (the `items:` globs). When the
    /// prefixes are the project root itself, changes to other files are not recorded, so a
    /// source tree costs neither memory nor reads; they are not rename or copy sources either.
    pub may_be_item: &'a (dyn Fn(&str) -> bool + Sync),
    /// Identifies `may_be_item` (e.g. the globs); cached change lists are only reused under the
    /// same key.
    pub scope_key: &'a str,
    pub facts: &'a (dyn Fn(&[u8]) -> BlobFacts + Sync),
    /// Identifies what `facts` extracts (e.g. the configured status field name); cached facts
    /// are only reused under the same key.
    pub facts_key: &'a str,
    pub cache: CacheMode,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot open git repository at {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("cannot read git object {id}: {message}")]
    Object { id: String, message: String },
    #[error("git object {id} is missing")]
    Missing { id: String },
    #[error("cannot decode git object {id}: {message}")]
    Decode { id: String, message: String },
    #[error("git repository error: {0}")]
    Repo(String),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("invalid object id {0:?}")]
    BadId(String),
}

/// History facts for all requested items.
#[derive(Debug, Clone, Default)]
pub struct HistoryIndex {
    items: HashMap<String, History>,
    shallow: bool,
    head: Option<String>,
    /// Why the cache file could not be written, if it could not.
    cache_not_written: Option<String>,
    /// Some fact is unknown because a partial clone lacks the blobs it needs.
    partial: bool,
}

impl HistoryIndex {
    pub fn get(&self, path: &str) -> Option<&History> {
        self.items.get(path)
    }

    /// Move an item's history out, once it is no longer needed in the index.
    pub fn take(&mut self, path: &str) -> Option<History> {
        self.items.remove(path)
    }

    /// Add the items of `other`, read for the same repository.
    pub fn merge(&mut self, other: HistoryIndex) {
        self.items.extend(other.items);
    }

    pub fn get_mut(&mut self, path: &str) -> Option<&mut History> {
        self.items.get_mut(path)
    }

    /// The history is cut by a shallow clone.
    pub fn shallow(&self) -> bool {
        self.shallow
    }

    /// The repository is a partial clone that lacks file versions some facts need; those
    /// items list them in [`History::incomplete`].
    pub fn partial(&self) -> bool {
        self.partial
    }

    /// Why the history cache in the git directory could not be written (a read-only git
    /// directory, say); the facts are complete, but the next run reads the history again.
    pub fn cache_not_written(&self) -> Option<&str> {
        self.cache_not_written.as_deref()
    }

    /// Hex id of the `HEAD` commit the facts were computed for.
    pub fn head(&self) -> Option<&str> {
        self.head.as_deref()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &History)> {
        self.items.iter()
    }
}

/// Collect history facts for `req.items`. A missing repository is not an error: all items get
/// [`State::NoRepo`].
pub fn collect(req: &Request) -> Result<HistoryIndex, HistoryError> {
    let no_repo = || HistoryIndex {
        items: req.items.iter().map(|i| (i.clone(), History::empty(State::NoRepo, false))).collect(),
        shallow: false,
        head: None,
        cache_not_written: None,
        partial: false,
    };
    let Some(repo) = open_repo(req.project_root)? else {
        return Ok(no_repo());
    };
    let Some(workdir) = repo.work_dir().map(Path::to_path_buf) else {
        return Ok(no_repo());
    };
    let Some(root_rel) = relative_dir(&workdir, req.project_root) else {
        return Ok(no_repo());
    };
    follow::collect(req, repo, &workdir, &root_rel)
}

/// The content of a blob by hex id, e.g. a [`Revision::blob`].
pub fn read_blob(project_root: &Path, blob_hex: &str) -> Result<Vec<u8>, HistoryError> {
    let id = ObjectId::from_hex(blob_hex.as_bytes()).map_err(|_| HistoryError::BadId(blob_hex.to_owned()))?;
    let repo = open_repo(project_root)?.ok_or_else(|| HistoryError::Open {
        path: project_root.to_path_buf(),
        message: "not a git repository".into(),
    })?;
    let repo = repo.to_thread_local();
    let mut buf = Vec::new();
    trees::find(&repo, &id, &mut buf)?;
    Ok(buf)
}

/// The repository of `root` as git finds it: `GIT_DIR` (with `GIT_WORK_TREE`) when set, else
/// the nearest `.git` upwards (a directory, or a file as in linked worktrees and submodules).
pub(crate) fn open_repo(root: &Path) -> Result<Option<gix::ThreadSafeRepository>, HistoryError> {
    // Discovery failing to find anything is the ordinary "not in a repository" case; only
    // failures to open what was found are errors.
    if std::env::var_os("GIT_DIR").is_none() && gix::discover::upwards(root).is_err() {
        return Ok(None);
    }
    gix::ThreadSafeRepository::discover_with_environment_overrides(root)
        .map(Some)
        .map_err(|e| HistoryError::Open { path: root.to_path_buf(), message: e.to_string() })
}

/// `root` relative to `workdir` as a `/`-separated prefix without trailing slash ("" for the
/// work tree itself), or `None` if `root` lies outside of it.
pub(crate) fn relative_dir(workdir: &Path, root: &Path) -> Option<String> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (workdir, root) = (canon(workdir), canon(root));
    let rel = root.strip_prefix(&workdir).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?.to_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

/// Join a project-root relative path onto the root's repository prefix; `None` if it escapes
/// the work tree.
fn repo_path(root_rel: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = root_rel.split('/').filter(|s| !s.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Inverse of [`repo_path`] for paths known to lie under the project root.
fn root_relative<'p>(root_rel: &str, path: &'p str) -> &'p str {
    if root_rel.is_empty() {
        path
    } else {
        path.strip_prefix(root_rel).and_then(|p| p.strip_prefix('/')).unwrap_or(path)
    }
}

/// ISO-8601 UTC for seconds since the epoch.
fn iso_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_date(1_767_607_920), "2026-01-05T10:12:00Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn paths() {
        assert_eq!(repo_path("sub", "backlog/a.md").as_deref(), Some("sub/backlog/a.md"));
        assert_eq!(repo_path("", "./backlog//a.md").as_deref(), Some("backlog/a.md"));
        assert_eq!(repo_path("", "../a.md"), None);
        assert_eq!(root_relative("sub", "sub/backlog/a.md"), "backlog/a.md");
    }
}
