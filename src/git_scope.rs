//! Which items a run reports on when git decides it: `--staged` lints what the index holds and
//! reports on items added or modified there; `--changed-since REV` reports on items whose work
//! tree content differs from the merge base of `REV` and `HEAD`.
//!
//! Everything is read through gix, never by spawning `git`. Rules still see the whole backlog:
//! a scope only narrows which items are reported, and for `--staged` which content is linted.

use crate::config::Config;
use crate::discover::walk_bases;
use crate::history::relative_dir;
use crate::item::Item;
use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where item content comes from and which items are reported, as far as git decides it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// The work tree; every item is reported.
    #[default]
    WorkTree,
    /// The index (`git add`ed content) of every item; reported are the items added or modified in
    /// the index versus `HEAD`.
    Staged,
    /// The work tree; reported are the items whose content differs from the merge base of this
    /// revision and `HEAD` (committed, uncommitted and untracked changes alike).
    ChangedSince(String),
}

/// What a [`Scope`] means for one run.
#[derive(Debug, Default)]
pub struct Selection {
    /// Items that replace the ones read from the work tree (`--staged`).
    pub items: Option<Vec<Item>>,
    /// Root-relative paths of the items to report on; `None` means all.
    pub reported: Option<BTreeSet<String>>,
}

impl Selection {
    pub fn reports(&self, path: &str) -> bool {
        self.reported.as_ref().is_none_or(|paths| paths.contains(path))
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScopeError {
    #[error("{flag} needs a git repository, but {} is not inside a git work tree", root.display())]
    #[diagnostic(code(usage), help("run backlint inside the repository that holds the backlog, or drop {flag}"))]
    NoRepository { flag: &'static str, root: PathBuf },
    #[error("unknown revision `{rev}` for --changed-since: {reason}")]
    #[diagnostic(
        code(usage),
        help(
            "pass a branch, tag or commit that exists in this clone, such as `origin/main`; in GitHub Actions \
             check out with `fetch-depth: 0` so that the base branch is there"
        )
    )]
    UnknownRevision { rev: String, reason: String },
    #[error("`{rev}` and HEAD have no common ancestor, so nothing can be compared")]
    #[diagnostic(
        code(usage),
        help("fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)")
    )]
    NoMergeBase { rev: String },
    #[error("HEAD has no commit yet, so there is nothing to compare `{rev}` with")]
    #[diagnostic(code(usage), help("commit first, or lint the whole backlog without --changed-since"))]
    UnbornHead { rev: String },
    #[error("cannot read the git repository: {0}")]
    #[diagnostic(code(git))]
    Git(String),
}

fn git_error(error: impl std::fmt::Display) -> ScopeError {
    ScopeError::Git(error.to_string())
}

/// Resolve `scope` for the project described by `config`, whose work tree items are `items`.
pub fn select(config: &Config, scope: &Scope, items: &[Item]) -> Result<Selection, ScopeError> {
    match scope {
        Scope::WorkTree => Ok(Selection::default()),
        Scope::Staged => staged(config),
        Scope::ChangedSince(rev) => changed_since(config, rev, items),
    }
}

/// The project root relative to the work tree of the git repository holding it (`""` when it is
/// the top), or `None` outside any repository.
pub fn root_in_repo(root: &Path) -> Option<String> {
    let repo = gix::discover_with_environment_overrides(root).ok()?;
    relative_dir(repo.workdir()?, root)
}

/// A repository opened for the project: paths inside it are `prefix` + root-relative path.
struct Project<'c> {
    repo: gix::Repository,
    prefix: String,
    config: &'c Config,
    /// Root-relative directories that hold every item (see [`walk_bases`]).
    bases: Vec<String>,
}

impl<'c> Project<'c> {
    fn open(config: &'c Config, flag: &'static str) -> Result<Project<'c>, ScopeError> {
        let no_repo = || ScopeError::NoRepository { flag, root: config.root.clone() };
        let repo = gix::discover_with_environment_overrides(&config.root).map_err(|_| no_repo())?;
        let prefix = relative_dir(repo.workdir().ok_or_else(no_repo)?, &config.root).ok_or_else(no_repo)?;
        Ok(Project { repo, prefix, config, bases: walk_bases(&config.items) })
    }

    fn repo_path(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_owned()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// The root-relative path of an item file at repository path `path`, if it is one.
    fn item_path<'p>(&self, path: &'p str) -> Option<&'p str> {
        let rel =
            if self.prefix.is_empty() { path } else { path.strip_prefix(self.prefix.as_str())?.strip_prefix('/')? };
        (self.config.is_item_path(rel) && !hidden_below_base(&self.bases, rel)).then_some(rel)
    }

    /// Repository paths of the directories that hold every item.
    fn repo_bases(&self) -> Vec<String> {
        self.bases.iter().map(|base| if base.is_empty() { self.prefix.clone() } else { self.repo_path(base) }).collect()
    }

    /// Blob ids of the files under the item directories in `tree`, by repository path.
    fn blobs(&self, tree: ObjectId) -> Result<HashMap<String, ObjectId>, ScopeError> {
        let tree = self.repo.find_tree(tree).map_err(git_error)?;
        let mut blobs = HashMap::new();
        for base in self.repo_bases() {
            let subtree = if base.is_empty() {
                tree.clone()
            } else {
                match tree.lookup_entry_by_path(&base).map_err(git_error)? {
                    Some(entry) if entry.mode().is_tree() => {
                        entry.object().map_err(git_error)?.peel_to_tree().map_err(git_error)?
                    }
                    _ => continue,
                }
            };
            for entry in subtree.traverse().breadthfirst.files().map_err(git_error)? {
                if entry.mode.is_blob() {
                    let path = entry.filepath.to_str_lossy();
                    let path = if base.is_empty() { path.into_owned() } else { format!("{base}/{path}") };
                    blobs.insert(path, entry.oid);
                }
            }
        }
        Ok(blobs)
    }

    /// Blob ids at `HEAD`; empty on an unborn branch.
    fn head_blobs(&self) -> Result<HashMap<String, ObjectId>, ScopeError> {
        let head = self.repo.head_tree_id_or_empty().map_err(git_error)?.detach();
        self.blobs(head)
    }
}

/// `--staged`: every item as the index holds it; reported are those whose index blob differs
/// from `HEAD` (added or modified). Conflicted and intent-to-add entries are not content yet.
fn staged(config: &Config) -> Result<Selection, ScopeError> {
    let project = Project::open(config, "--staged")?;
    let index = project.repo.index_or_empty().map_err(git_error)?;
    let head = project.head_blobs()?;
    let mut items = Vec::new();
    let mut reported = BTreeSet::new();
    for entry in index.entries() {
        let regular = matches!(entry.mode, gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE);
        let content = entry.stage_raw() == 0 && !entry.flags.contains(gix::index::entry::Flags::INTENT_TO_ADD);
        if !regular || !content {
            continue;
        }
        let path = entry.path(&index).to_str_lossy();
        let Some(rel) = project.item_path(&path) else { continue };
        let blob = project.repo.find_blob(entry.id).map_err(git_error)?;
        items.push(Item::parse(rel.to_owned(), &blob.data));
        if head.get(path.as_ref()) != Some(&entry.id) {
            reported.insert(rel.to_owned());
        }
    }
    Ok(Selection { items: Some(items), reported: Some(reported) })
}

/// `--changed-since REV`: the work tree items whose content differs from the merge base of
/// `REV` and `HEAD`, which covers commits on the branch, uncommitted edits and untracked files in
/// one comparison (an edit that was later undone is no change).
fn changed_since(config: &Config, rev: &str, items: &[Item]) -> Result<Selection, ScopeError> {
    let project = Project::open(config, "--changed-since")?;
    let repo = &project.repo;
    let unknown = |reason: String| ScopeError::UnknownRevision { rev: rev.to_owned(), reason };
    let other = repo
        .rev_parse_single(rev)
        .map_err(|e| unknown(e.to_string()))?
        .object()
        .map_err(git_error)?
        .peel_to_commit()
        .map_err(|e| unknown(e.to_string()))?
        .id;
    let mut head = repo.head().map_err(git_error)?;
    if head.is_unborn() {
        return Err(ScopeError::UnbornHead { rev: rev.to_owned() });
    }
    let head = head.peel_to_commit().map_err(git_error)?.id;
    let base = repo.merge_base(other, head).map_err(git_error)?;
    let base = base.ok_or_else(|| ScopeError::NoMergeBase { rev: rev.to_owned() })?;
    let base_tree = repo.find_commit(base).map_err(git_error)?.tree_id().map_err(git_error)?.detach();
    let before = project.blobs(base_tree)?;
    let index = repo.index_or_empty().map_err(git_error)?;
    let mut hasher = crate::worktree::Hasher::new(repo, Some(&index));
    let reported = items
        .iter()
        .map(|item| &item.path)
        .filter(|rel| {
            let path = project.repo_path(rel);
            let Some(old) = before.get(&path) else { return true };
            // The file as it is on disk: `Item::source` has lost a byte order mark.
            hasher.blob_id(&path, &config.root.join(rel.as_str())) != Some(*old)
        })
        .cloned()
        .collect();
    Ok(Selection { items: None, reported: Some(reported) })
}

/// Whether a root-relative path passes through a hidden directory below its walk base, which
/// discovery never enters, so that the index and the work tree agree on what is an item.
fn hidden_below_base(bases: &[String], rel: &str) -> bool {
    let below = bases.iter().find_map(|base| {
        if base.is_empty() {
            Some(rel)
        } else {
            rel.strip_prefix(base.as_str())?.strip_prefix('/')
        }
    });
    below.is_some_and(|rest| rest.split('/').any(|part| part.starts_with('.')))
}

#[cfg(test)]
mod tests {
    use super::hidden_below_base;

    #[test]
    fn hidden_directories_below_the_base_are_not_items() {
        let bases = vec!["backlog".to_owned()];
        assert!(hidden_below_base(&bases, "backlog/.drafts/a.md"));
        assert!(!hidden_below_base(&bases, "backlog/a.md"));
        assert!(!hidden_below_base(&[".backlog".to_owned()], ".backlog/a.md"));
        assert!(hidden_below_base(&[String::new()], ".git/a.md"));
    }
}
