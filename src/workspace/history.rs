//! Reading the git history of the workspace's items.

use crate::backlog::Backlog;
use crate::config::Config;
use crate::history::{self, HistoryIndex};
use crate::{discover, item};

/// Git history of the items at `paths` (relative to the project root); a failure to read it is
/// a note, not an error.
pub(super) fn read(config: &Config, paths: &[String], notes: &mut Vec<String>) -> Option<HistoryIndex> {
    let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
    let status_key = config.field("status").to_owned();
    let size_key = config.field("size").to_owned();
    let facts = move |bytes: &[u8]| {
        let (status, size, other_hash) = item::status_size_and_rest(bytes, &status_key, Some(&size_key));
        history::BlobFacts { status, other_hash, size }
    };
    // Two lines: the cache stores both values (see history::cache).
    let facts_key = format!(
        "{status_key_name}\n{size_key_name}",
        status_key_name = config.field("status"),
        size_key_name = config.field("size")
    );
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
        facts_key: &facts_key,
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
            if index.partial() {
                notes.push(
                    "the repository is a partial clone without old file versions (`--filter=blob:none`), so \
                     renames with edits, older statuses and `status_since` are unknown where they need them \
                     (marked \"(partial clone)\"); fetch them (`git fetch --refetch` after \
                     `git config --unset remote.origin.partialclonefilter`), or remove `filter: blob:none` \
                     from actions/checkout"
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

/// Git dates the current status from the last commit that set it; a status changed in the
/// work tree and not committed yet has no such date, so it holds since now, not since then.
pub(super) fn date_uncommitted_status_moves(config: &Config, backlog: &Backlog, index: &mut HistoryIndex) {
    let key = config.field("status");
    for item in &backlog.items {
        let Some(history) = index.get_mut(&item.path) else { continue };
        let committed = history.timeline.first().and_then(|r| r.status.as_deref());
        let current = item.value(key).map(|v| v.to_text());
        if history.state == history::State::Modified && committed != current.as_deref() {
            history.status_since = None;
        }
    }
}
