//! Orchestration: walk, diff the commits not yet known, then assemble per-item timelines the
//! way `git log --follow` does — one path per item, replaced by the rename source when the
//! path is created by a rename, continuing with older commits in walk order.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use gix::ObjectId;
use rayon::prelude::*;

use super::cache::{self, Cache};
use super::pack::{Packs, Reader};
use super::progress::Progress;
use super::results;
use super::similarity::{spans, Spans};
use super::sources::{self, Lineage, Source, Universe};
use super::trees::{RawChange, TreeCache};
use super::walk::{self, CommitRec};
use super::{
    iso_date, repo_path, root_relative, BlobFacts, CacheMode, Change, History, HistoryError, HistoryIndex, Incomplete,
    Request, Revision, Signature, State,
};

/// Per-worker tree cache budget; a backlog area tree of 500 items is ~30 KB.
const TREE_CACHE_BYTES: usize = 2 << 20;
/// Decoded pack entries shared by all workers (trees and item blobs along their delta chains).
const PACK_CACHE_BYTES: usize = 48 << 20;
/// Commits a diff worker takes at a time. Small runs keep all workers on neighbouring commits,
/// whose trees share delta chains in the pack cache; with runs of thousands of commits each
/// worker needed its own chains and resolved twice as many of them.
const DIFF_CHUNK: usize = 128;
/// Blobs a worker reads facts from at a time.
const FACTS_CHUNK: usize = 256;
/// Work-tree files a worker compares with `HEAD` at a time.
const STATE_CHUNK: usize = 512;
/// Runs of commits or blobs after which the packs are mapped afresh (see [`Packs::remap`]).
const REMAP_EVERY: usize = 8;

pub(crate) fn collect(
    req: &Request,
    sync: gix::ThreadSafeRepository,
    workdir: &Path,
    root_rel: &str,
) -> Result<HistoryIndex, HistoryError> {
    let repo = sync.to_thread_local();
    let repo_err = |e: gix::Error| HistoryError::Repo(e.to_string());
    let prefixes = normalize_prefixes(req.prefixes, root_rel);
    // Globs that start with a wildcard put the whole project below one prefix, source trees
    // included: only files the globs match are recorded then. Below a backlog directory every
    // file is, so that an item renamed from a file with another name is still followed.
    let whole_root = prefixes == [root_rel];
    let scope = cache::Scope { prefixes: &prefixes, key: if whole_root { req.scope_key } else { "" } };
    let may_be_item = |path: &str| !whole_root || (req.may_be_item)(root_relative(root_rel, path));
    let recorded = Recorded { prefixes: &prefixes, may_be_item: &may_be_item };
    let item_paths: Vec<Option<String>> = req.items.iter().map(|i| repo_path(root_rel, i)).collect();

    let head = repo.head().map_err(repo_err)?.try_into_peeled_id().map_err(repo_err)?.map(|id| id.detach());
    let Some(head) = head else {
        // Unborn branch: nothing is in HEAD yet.
        let items = req
            .items
            .iter()
            .zip(&item_paths)
            .map(|(i, p)| {
                let state = if p.is_some() { State::Untracked } else { State::NoRepo };
                (i.clone(), History::empty(state, false))
            })
            .collect();
        return Ok(HistoryIndex { items, shallow: false, head: None, cache_not_written: None, partial: false });
    };
    let shallow: HashSet<ObjectId> = match repo.shallow_commits().map_err(repo_err)? {
        Some(list) => list.iter().copied().collect(),
        None => HashSet::new(),
    };

    let partial = is_partial_clone(&repo);
    let cache_path = cache::path(&repo);
    let hash_len = repo.object_hash().len_in_bytes();
    let mut shallow_list: Vec<ObjectId> = shallow.iter().copied().collect();
    shallow_list.sort_unstable();
    let results_path = results::path(&repo);
    let results_key =
        results::Key { scope: &scope, facts_key: req.facts_key, root_rel, head: &head, shallow: &shallow_list };
    let earlier = match req.cache {
        CacheMode::ReadWrite if !partial => results::load(&results_path, &results_key),
        CacheMode::ReadWrite => None,
        CacheMode::Refresh | CacheMode::Off => None,
    };
    if let Some(earlier) = &earlier {
        if let Some(index) = from_results(earlier, &sync, &repo, &head, &prefixes, req, &item_paths, workdir)? {
            return Ok(index);
        }
    }
    let mut cache = match req.cache {
        CacheMode::ReadWrite => cache::load(&cache_path, &scope, req.facts_key, hash_len),
        CacheMode::Refresh | CacheMode::Off => Cache::default(),
    };
    let known_before = cache.commits.len();
    let progress = Progress::new(req.items.len());
    let packs = Packs::open(&repo, PACK_CACHE_BYTES);
    let head_tree = match cache.commits.get(&head) {
        Some(rec) => rec.tree,
        None => {
            walk::read_commit(&mut packs.reader(repo.clone()), &head)?
                .ok_or_else(|| HistoryError::Missing { id: head.to_string() })?
                .tree
        }
    };
    // The commit walk reads one commit after the other; the work tree is compared with `HEAD`
    // on the other threads meanwhile.
    let (w, work_tree) = rayon::join(
        || walk::walk(&mut packs.reader(sync.to_thread_local()), head, &shallow, &mut cache.commits, &progress),
        || work_tree_states(&sync, &packs, &head_tree, &prefixes, &item_paths, workdir),
    );
    let w = w?;
    let WorkTree { head_blobs, states } = work_tree?;
    let is_shallow = !shallow.is_empty() || w.cut;

    let todo: Vec<ObjectId> = w
        .order
        .iter()
        .filter(|id| {
            let eff = w.parents.get(*id).map(Vec::as_slice).unwrap_or(&[]);
            cache.commits.get(*id).is_some_and(|r| r.changes.is_none() || r.based_on != eff)
        })
        .copied()
        .collect();
    progress.phase("diffing", Some(todo.len()));
    let diffs = diff_commits(&sync, &packs, &todo, &w.parents, &cache.commits, &recorded, &progress)?;
    let mut dirty = !diffs.is_empty() || cache.commits.len() != known_before;
    for Diffed { id, changes, same_as_parent } in diffs {
        if let Some(r) = cache.commits.get_mut(&id) {
            r.changes = Some(changes);
            r.same_as_parent = same_as_parent;
            r.sources = None;
            r.based_on = w.parents.get(&id).cloned().unwrap_or_default();
        }
    }
    // Unreachable records (rewritten history) would only grow the file.
    if cache.commits.len() != w.order.len() {
        let reachable: HashSet<&ObjectId> = w.order.iter().collect();
        cache.commits.retain(|id, _| reachable.contains(id));
        dirty = true;
    }

    dirty |= follow_sources(&sync, &packs, &w, &mut cache, req.facts, partial.then_some(&prefixes[..]), &progress)?;

    let recs: Vec<&CommitRec> = w.order.iter().filter_map(|id| cache.commits.get(id)).collect();
    let index = EventIndex::new(&recs, &w);

    struct Pending<'r> {
        state: State,
        steps: Vec<Step<'r>>,
        last: Option<usize>,
    }
    let in_head: Vec<&str> =
        item_paths.iter().flatten().map(String::as_str).filter(|p| head_blobs.contains_key(*p)).collect();
    let last_changed = index.last_changed(&in_head, &recs);
    let pending: Vec<Option<Pending>> = item_paths
        .iter()
        .zip(states)
        .map(|(p, state)| {
            let p = p.as_deref()?;
            if !head_blobs.contains_key(p) {
                return Some(Pending { state: State::Untracked, steps: Vec::new(), last: None });
            }
            let state = state.unwrap_or(State::Modified);
            Some(Pending { state, steps: index.follow(p, &recs), last: last_changed.get(p).copied() })
        })
        .collect();

    // Per item, newest first: consecutive versions of one file are delta chains of each other
    // in a packed repository, so this order lets the pack cache resolve each chain only once.
    let mut seen_blobs = HashSet::new();
    let needed: Vec<ObjectId> = pending
        .iter()
        .flatten()
        .flat_map(|p| p.steps.iter().filter_map(|s| s.change.new))
        .filter(|id| !cache.facts.contains_key(id) && seen_blobs.insert(*id))
        .collect();
    if !needed.is_empty() {
        dirty = true;
        cache.facts.extend(read_blobs(&sync, &packs, &needed, partial, req.facts)?.read);
    }
    // Decoded objects are not needed any more; free them before the timelines are built.
    drop(packs);
    drop(progress);

    let sig = |pos: usize| -> Signature {
        let r = recs[pos];
        Signature { commit: w.order[pos].to_string(), date: iso_date(r.author_time), author: r.author.clone() }
    };
    let facts = |id: &Option<ObjectId>| id.as_ref().and_then(|id| cache.facts.get(id));
    let history_of = |p: Option<Pending>| -> History {
        let Some(p) = p else {
            return History::empty(State::NoRepo, false);
        };
        let mut timeline: Vec<Revision> = p
            .steps
            .iter()
            .map(|s| {
                let f = facts(&s.change.new);
                // Only a partial clone gets this far without the facts of a blob.
                let missing = s.change.new.is_some() && f.is_none();
                let source = s.source.filter(|src| !src.is_undecided());
                Revision {
                    commit: sig(s.pos),
                    subject: recs[s.pos].subject.clone(),
                    path: root_relative(root_rel, &s.change.path).to_owned(),
                    change: match (source, s.change.old, s.change.new) {
                        (Some(src), _, _) if src.copied => {
                            Change::Copied { from: root_relative(root_rel, &src.from).to_owned() }
                        }
                        (Some(src), _, _) => Change::Renamed { from: root_relative(root_rel, &src.from).to_owned() },
                        (None, None, _) => Change::Added,
                        (None, Some(_), None) => Change::Deleted,
                        (None, Some(_), Some(_)) => Change::Modified,
                    },
                    status: f.and_then(|f| f.status.clone()),
                    only_status_changed: false,
                    blob: s.change.new.map(|id| id.to_string()),
                    size: f.and_then(|f| f.size.clone()),
                    missing,
                }
            })
            .collect();
        for i in 0..timeline.len().saturating_sub(1) {
            let (new, old) = (facts(&p.steps[i].change.new), facts(&p.steps[i + 1].change.new));
            if let (Some(new), Some(old)) = (new, old) {
                timeline[i].only_status_changed = new.other_hash == old.other_hash && new.status != old.status;
            }
        }
        let mut authors: Vec<String> = Vec::new();
        for r in timeline.iter().rev() {
            if !authors.contains(&r.commit.author) {
                authors.push(r.commit.author.clone());
            }
        }
        let origin_known = !p.steps.iter().any(|s| s.source.is_some_and(Source::is_undecided));
        let status_since = status_since(&timeline, origin_known);
        let mut incomplete = Vec::new();
        if !origin_known {
            incomplete.push(Incomplete::RenamedFrom);
        }
        if status_since.is_err() {
            incomplete.push(Incomplete::StatusSince);
        }
        if timeline.iter().any(|r| r.missing) {
            incomplete.push(Incomplete::Statuses);
        }
        History {
            state: p.state,
            created: timeline.last().map(|r| r.commit.clone()),
            last_changed: p.last.map(sig),
            revisions: timeline.len(),
            authors,
            status_since: status_since.unwrap_or(None),
            renamed_from: timeline
                .iter()
                .filter_map(|r| match &r.change {
                    Change::Renamed { from } | Change::Copied { from } => Some(from.clone()),
                    _ => None,
                })
                .collect(),
            shallow: is_shallow,
            incomplete,
            timeline,
        }
    };
    // The cache file is written while the timelines are assembled.
    let (histories, stored) = rayon::join(
        || pending.into_par_iter().map(history_of).collect::<Vec<History>>(),
        || match dirty && req.cache != CacheMode::Off {
            true => cache::store(&cache_path, &scope, req.facts_key, hash_len, &cache),
            false => Ok(()),
        },
    );
    // A partial clone's histories can change as blobs arrive: they are not stored.
    if req.cache != CacheMode::Off && !partial {
        let in_head: Vec<(&str, &History)> = item_paths
            .iter()
            .zip(&histories)
            .filter_map(|(p, h)| Some((p.as_deref().filter(|p| head_blobs.contains_key(*p))?, h)))
            .collect();
        results::store(&results_path, &results_key, is_shallow, &in_head, earlier.as_ref());
    }
    let partial = histories.iter().any(|h| !h.incomplete.is_empty());
    let items = req.items.iter().cloned().zip(histories).collect();
    Ok(HistoryIndex {
        items,
        shallow: is_shallow,
        head: Some(head.to_string()),
        cache_not_written: stored.err().map(|cache::NotStored(why)| why),
        partial,
    })
}

/// The date from which the current status holds: the oldest revision of the newest run with
/// that status. `Err` when a partial clone lacks a version the answer depends on, or the run
/// reaches the oldest known revision and whether the history goes on before it is unknown.
fn status_since(timeline: &[Revision], origin_known: bool) -> Result<Option<String>, ()> {
    let Some(newest) = timeline.first() else { return Ok(None) };
    if newest.missing {
        return Err(());
    }
    let Some(current) = newest.status.as_ref() else { return Ok(None) };
    let mut since = None;
    for r in timeline {
        if r.missing {
            return Err(());
        }
        if r.blob.is_none() || r.status.as_ref() != Some(current) {
            return Ok(since);
        }
        since = Some(r.commit.date.clone());
    }
    if origin_known {
        Ok(since)
    } else {
        Err(())
    }
}

/// A partial clone (`git clone --filter=...`): objects it lacks are promised by a remote and
/// fetched by git on demand, which backlint does not do. git marks one by
/// `extensions.partialClone`, `remote.<name>.promisor` or `.promisor` files next to its packs.
fn is_partial_clone(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    if config.string("extensions.partialClone").is_some() {
        return true;
    }
    let promisor = |name: &gix::bstr::BStr| config.boolean(format!("remote.{name}.promisor").as_str()) == Some(true);
    if repo.remote_names().iter().any(|name| promisor(name.as_ref())) {
        return true;
    }
    let packs = std::fs::read_dir(repo.objects.store_ref().path().join("pack"));
    packs.into_iter().flatten().flatten().any(|e| e.path().extension().is_some_and(|x| x == "promisor"))
}

/// The index from the histories stored for this `HEAD`, if they hold every requested item that
/// is in `HEAD`: only `HEAD`'s tree and the work tree are read.
#[allow(clippy::too_many_arguments)]
fn from_results(
    stored: &results::Stored,
    sync: &gix::ThreadSafeRepository,
    repo: &gix::Repository,
    head: &ObjectId,
    prefixes: &[String],
    req: &Request,
    item_paths: &[Option<String>],
    workdir: &Path,
) -> Result<Option<HistoryIndex>, HistoryError> {
    let packs = Packs::open(repo, PACK_CACHE_BYTES);
    let head_tree = walk::read_commit(&mut packs.reader(repo.clone()), head)?
        .ok_or_else(|| HistoryError::Missing { id: head.to_string() })?
        .tree;
    let WorkTree { head_blobs, states } = work_tree_states(sync, &packs, &head_tree, prefixes, item_paths, workdir)?;
    fn in_head<'p>(p: &'p Option<String>, head_blobs: &HashMap<String, ObjectId>) -> Option<&'p str> {
        p.as_deref().filter(|p| head_blobs.contains_key(*p))
    }
    if !item_paths.iter().filter_map(|p| in_head(p, &head_blobs)).all(|p| stored.contains(p)) {
        return Ok(None);
    }
    let histories: Option<Vec<History>> = item_paths
        .par_iter()
        .zip(states)
        .map(|(p, state)| match (p, in_head(p, &head_blobs)) {
            (None, _) => Some(History::empty(State::NoRepo, false)),
            (Some(_), None) => Some(History::empty(State::Untracked, stored.shallow)),
            (Some(_), Some(p)) => stored.get(p, state.unwrap_or(State::Modified)),
        })
        .collect();
    // A record that does not decode means a full read, which rewrites the file.
    let Some(histories) = histories else { return Ok(None) };
    Ok(Some(HistoryIndex {
        items: req.items.iter().cloned().zip(histories).collect(),
        shallow: stored.shallow,
        head: Some(head.to_string()),
        cache_not_written: None,
        partial: false,
    }))
}

/// Decide where `git log --follow` goes on at the paths each new commit adds (see
/// [`sources`]); true if anything was decided. `partial`: the prefixes, in a partial clone.
fn follow_sources(
    sync: &gix::ThreadSafeRepository,
    packs: &Packs,
    w: &walk::Walk,
    cache: &mut Cache,
    facts: &(dyn Fn(&[u8]) -> BlobFacts + Sync),
    partial: Option<&[String]>,
    progress: &Progress,
) -> Result<bool, HistoryError> {
    let (todo, nothing) = sources::undecided(&w.order, &w.parents, &cache.commits);
    for id in &nothing {
        if let Some(r) = cache.commits.get_mut(id) {
            r.sources = Some(Vec::new());
        }
    }
    if todo.is_empty() {
        return Ok(!nothing.is_empty());
    }
    // Every blob the prefixes held is read once for its spans; its facts come along.
    let lineage = Lineage::new(&w.order, &w.parent_positions, &cache.commits);
    let held = lineage.held();
    let mut seen_blobs = gix::hashtable::HashSet::default();
    let ids: Vec<ObjectId> = held.iter().map(|(_, id)| *id).filter(|id| seen_blobs.insert(*id)).collect();
    let BlobsRead { read, missing } =
        read_blobs(sync, packs, &ids, partial.is_some(), |data| (spans(data), facts(data)))?;
    let mut blobs = Vec::with_capacity(read.len() + missing.len());
    for (id, (s, f)) in read {
        cache.facts.entry(id).or_insert(f);
        blobs.push((id, s));
    }
    // Missing blobs are in the universe by id: identical content is still found.
    blobs.extend(missing.iter().map(|id| (*id, Spans { size: 0, counts: Vec::new() })));
    let mut universe = Universe::new(blobs, &held, lineage);
    if let Some(prefixes) = partial {
        universe = universe.partial_clone(missing.into_iter().collect(), prefixes);
    }
    progress.phase("copies", Some(todo.len()));
    let decided = sources::decide(sync, packs, &universe, &todo, &cache.commits, &w.order, progress)?;
    drop(universe);
    for (id, list) in decided {
        if let Some(r) = cache.commits.get_mut(&id) {
            r.sources = Some(list);
        }
    }
    Ok(true)
}

/// Repository-relative prefixes with nested ones removed; the project root itself if none.
fn normalize_prefixes(prefixes: &[String], root_rel: &str) -> Vec<String> {
    let mut all: Vec<String> = if prefixes.is_empty() {
        vec![root_rel.to_owned()]
    } else {
        prefixes.iter().filter_map(|p| repo_path(root_rel, p)).collect()
    };
    all.sort();
    all.dedup();
    let mut out: Vec<String> = Vec::new();
    for p in all {
        let covered = out.iter().any(|q| q.is_empty() || p == *q || p.starts_with(&format!("{q}/")));
        if !covered {
            out.push(p);
        }
    }
    out
}

/// A commit's changes under the prefixes; see [`CommitRec`].
struct Diffed {
    id: ObjectId,
    changes: Vec<RawChange>,
    same_as_parent: Vec<(String, u32)>,
}

/// Which paths the change lists hold: files under the prefixes that may be items.
struct Recorded<'a> {
    prefixes: &'a [String],
    /// Takes a repository-relative path.
    may_be_item: &'a (dyn Fn(&str) -> bool + Sync),
}

/// Diff `todo` in parallel. Workers take contiguous runs of the walk order so that a commit's
/// parent tree, usually the next commit's tree, is mostly still in the worker's tree cache.
fn diff_commits(
    sync: &gix::ThreadSafeRepository,
    packs: &Packs,
    todo: &[ObjectId],
    parents: &HashMap<ObjectId, Vec<ObjectId>>,
    recs: &HashMap<ObjectId, CommitRec>,
    recorded: &Recorded,
    progress: &Progress,
) -> Result<Vec<Diffed>, HistoryError> {
    in_runs(
        todo,
        DIFF_CHUNK,
        || {
            let repo = sync.to_thread_local();
            let hash_len = repo.object_hash().len_in_bytes();
            (packs.reader(repo), TreeCache::new(TREE_CACHE_BYTES, hash_len))
        },
        |(reader, trees), i, ids| {
            if i % REMAP_EVERY == REMAP_EVERY - 1 {
                packs.remap();
            }
            reader.refresh();
            let diffed = ids.iter().map(|id| diff_one(reader, trees, id, parents, recs, recorded)).collect();
            progress.inc(ids.len());
            diffed
        },
    )
}

/// Run `work` over `items` in runs of `run` items that the rayon threads take in turn, each
/// thread with its own state made by `init`. Results come back in input order; the first
/// error stops the thread that met it and is returned.
pub(crate) fn in_runs<I: Sync, T: Send, S>(
    items: &[I],
    run: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize, &[I]) -> Result<Vec<T>, HistoryError> + Sync,
) -> Result<Vec<T>, HistoryError> {
    let runs: Vec<&[I]> = items.chunks(run).collect();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<RunResult<T>>> = Mutex::new(Vec::new());
    rayon::scope(|s| {
        for _ in 0..rayon::current_num_threads().max(1).min(runs.len()) {
            s.spawn(|_| {
                let mut state = init();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(part) = runs.get(i) else { break };
                    let r = work(&mut state, i, part);
                    let failed = r.is_err();
                    if let Ok(mut g) = results.lock() {
                        g.push((i, r));
                    }
                    if failed {
                        break;
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().map_err(|_| HistoryError::Repo("a history worker failed".into()))?;
    results.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(items.len());
    for (_, r) in results {
        out.extend(r?);
    }
    Ok(out)
}

type RunResult<T> = (usize, Result<Vec<T>, HistoryError>);

fn diff_one(
    r: &mut Reader<'_>,
    trees: &mut TreeCache,
    id: &ObjectId,
    parents: &HashMap<ObjectId, Vec<ObjectId>>,
    recs: &HashMap<ObjectId, CommitRec>,
    recorded: &Recorded,
) -> Result<Diffed, HistoryError> {
    let rec = recs.get(id).ok_or_else(|| HistoryError::Missing { id: id.to_string() })?;
    let empty = ObjectId::empty_tree(id.kind());
    let parent_trees = parents
        .get(id)
        .into_iter()
        .flatten()
        .map(|p| recs.get(p).map(|r| r.tree).ok_or_else(|| HistoryError::Missing { id: p.to_string() }))
        .collect::<Result<Vec<ObjectId>, HistoryError>>()?;
    let diff_against =
        |r: &mut Reader<'_>, trees: &mut TreeCache, base: &ObjectId| -> Result<Vec<RawChange>, HistoryError> {
            let mut out = Vec::new();
            for prefix in recorded.prefixes {
                let old = trees.subtree(r, base, prefix)?;
                let new = trees.subtree(r, &rec.tree, prefix)?;
                trees.diff(r, old, new, prefix, &mut out)?;
            }
            out.retain(|c| (recorded.may_be_item)(&c.path));
            Ok(out)
        };
    if parent_trees.len() > 1 {
        // A merge changes a path (for `git log -- PATH`) only if it differs from every parent;
        // where it is the same as some parent, git follows the first such parent alone.
        let mut per_parent = Vec::with_capacity(parent_trees.len());
        for pt in &parent_trees {
            per_parent.push(diff_against(r, trees, pt)?);
        }
        let differs: Vec<HashSet<&str>> =
            per_parent.iter().map(|changes| changes.iter().map(|c| c.path.as_str()).collect()).collect();
        let (mut changes, mut same_as_parent) = (Vec::new(), Vec::new());
        for c in &per_parent[0] {
            match differs.iter().position(|paths| !paths.contains(c.path.as_str())) {
                None => changes.push(c.clone()),
                Some(n) => same_as_parent.push((c.path.clone(), n as u32)),
            }
        }
        return Ok(Diffed { id: *id, changes, same_as_parent });
    }
    let base = parent_trees.first().copied().unwrap_or(empty);
    Ok(Diffed { id: *id, changes: diff_against(r, trees, &base)?, same_as_parent: Vec::new() })
}

/// One revision of an item: the commit (position in walk order) and its change.
struct Step<'r> {
    pos: usize,
    change: &'r RawChange,
    /// The rename or copy the path was created by.
    source: Option<&'r Source>,
}

/// For each path, the commits that change it, by position in walk order.
struct EventIndex<'r> {
    /// Non-merge commits: `(position, index into that commit's changes)`.
    changes: HashMap<&'r str, Vec<(usize, usize)>>,
    /// Positions of each commit's effective parents.
    parents: &'r [Vec<usize>],
}

impl<'r> EventIndex<'r> {
    fn new(recs: &[&'r CommitRec], w: &'r walk::Walk) -> Self {
        let parents = w.parent_positions.as_slice();
        let mut changes: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
        for (pos, rec) in recs.iter().enumerate() {
            if parents.get(pos).is_some_and(|p| p.len() > 1) {
                continue;
            }
            for (k, c) in rec.changes.iter().flatten().enumerate() {
                changes.entry(c.path.as_str()).or_default().push((pos, k));
            }
        }
        EventIndex { changes, parents }
    }

    /// `git log --follow -- path`: one tracked path, switched to the rename or copy source when
    /// the tracked path is created by one; creations without one do not stop the walk.
    fn follow(&self, path: &str, recs: &[&'r CommitRec]) -> Vec<Step<'r>> {
        let mut steps = Vec::new();
        let mut cur: &str = path;
        let mut from_pos = 0;
        while let Some(events) = self.changes.get(cur) {
            let start = events.partition_point(|(p, _)| *p < from_pos);
            let Some(&(pos, k)) = events.get(start) else { break };
            let rec = recs[pos];
            let Some(change) = rec.changes.as_ref().and_then(|c| c.get(k)) else { break };
            let mut source = None;
            if change.old.is_none() {
                source = rec.sources.iter().flatten().find(|s| s.to == cur);
            }
            steps.push(Step { pos, change, source });
            if let Some(src) = source.filter(|s| !s.is_undecided()) {
                cur = &src.from;
            }
            from_pos = pos + 1;
        }
        steps
    }

    /// `git log -1 -- PATH` for each of `paths`: the first commit that changes the path in the
    /// history git simplifies for it. That is a single line of commits from `HEAD`: down the
    /// first parents, except at a merge that is the same as another parent at the path, where git
    /// goes on with that parent alone; a merge that differs from all its parents is the change.
    /// Each line is walked once for all the paths that take it.
    fn last_changed<'p>(&self, paths: &[&'p str], recs: &[&'r CommitRec]) -> HashMap<&'p str, usize> {
        let mut found = HashMap::with_capacity(paths.len());
        let mut lines: Vec<(usize, HashSet<&'p str>)> = Vec::new();
        if !recs.is_empty() {
            lines.push((0, paths.iter().copied().collect()));
        }
        while let Some((start, mut searching)) = lines.pop() {
            let mut pos = Some(start);
            while let Some(at) = pos.filter(|_| !searching.is_empty()) {
                for c in recs[at].changes.iter().flatten() {
                    if let Some(p) = searching.take(c.path.as_str()) {
                        found.insert(p, at);
                    }
                }
                let mut branching: HashMap<usize, HashSet<&'p str>> = HashMap::new();
                for (path, n) in &recs[at].same_as_parent {
                    let Some(p) = searching.take(path.as_str()) else { continue };
                    if let Some(&parent) = self.parents[at].get(*n as usize) {
                        branching.entry(parent).or_default().insert(p);
                    }
                }
                lines.extend(branching);
                pos = self.parents[at].first().copied();
            }
        }
        found
    }
}

/// The `HEAD` blob of each item path and, for those in `HEAD`, how the work tree relates to it.
struct WorkTree {
    head_blobs: HashMap<String, ObjectId>,
    /// By item, in request order; `None` for items outside the repository or not in `HEAD`.
    states: Vec<Option<State>>,
}

fn work_tree_states(
    sync: &gix::ThreadSafeRepository,
    packs: &Packs,
    head_tree: &ObjectId,
    prefixes: &[String],
    item_paths: &[Option<String>],
    workdir: &Path,
) -> Result<WorkTree, HistoryError> {
    let repo = sync.to_thread_local();
    let head_blobs = head_blobs(&mut packs.reader(repo.clone()), head_tree, prefixes, item_paths)?;
    let index_file = repo.index_or_empty().ok();
    let stat_options = repo.stat_options().unwrap_or_default();
    let index_file = index_file.as_deref().map(|s| (&**s, stat_options));
    let states: Vec<Vec<Option<State>>> = item_paths
        .par_chunks(STATE_CHUNK)
        .map(|chunk| {
            let repo = sync.to_thread_local();
            let mut hasher = crate::worktree::Hasher::new(&repo, index_file.map(|(index, _)| &**index));
            chunk
                .iter()
                .map(|p| {
                    let p = p.as_deref()?;
                    let head_blob = head_blobs.get(p)?;
                    Some(work_state(index_file, workdir, p, head_blob, &mut hasher))
                })
                .collect()
        })
        .collect();
    Ok(WorkTree { head_blobs, states: states.into_iter().flatten().collect() })
}

/// Blob ids at `HEAD` for the item paths, reading each prefix subtree once.
fn head_blobs(
    r: &mut Reader<'_>,
    head_tree: &ObjectId,
    prefixes: &[String],
    items: &[Option<String>],
) -> Result<HashMap<String, ObjectId>, HistoryError> {
    let mut trees = TreeCache::new(TREE_CACHE_BYTES, r.repo().object_hash().len_in_bytes());
    let wanted: HashSet<&str> = items.iter().flatten().map(String::as_str).collect();
    let mut found = HashMap::new();
    for prefix in prefixes {
        if let Some(t) = trees.subtree(r, head_tree, prefix)? {
            let mut path = prefix.clone();
            trees.for_each_blob(r, &t, &mut path, &mut |p, id| {
                if wanted.contains(p) {
                    found.insert(p.to_owned(), id);
                }
            })?;
        }
    }
    Ok(found)
}

/// Compare index and work tree with the `HEAD` blob. Like git, a file whose stat data equals its
/// index entry's (and that is not racily clean) is taken to hold the entry's content; anything
/// else is hashed as-is: no clean filters or end-of-line conversion are applied.
fn work_state(
    index: Option<(&gix::index::File, gix::index::entry::stat::Options)>,
    workdir: &Path,
    path: &str,
    head_blob: &ObjectId,
    hasher: &mut crate::worktree::Hasher,
) -> State {
    let file = workdir.join(path);
    if let Some((index, options)) = index {
        use gix::bstr::ByteSlice;
        match index.entry_by_path(path.as_bytes().as_bstr()) {
            Some(e) if e.id != *head_blob => return State::Modified,
            None => return State::Modified,
            Some(e) if stat_clean(index, e, options, &file) => return State::Committed,
            Some(_) => {}
        }
    }
    match hasher.blob_id(path, &file) {
        Some(id) if id == *head_blob => State::Committed,
        _ => State::Modified,
    }
}

/// The regular file at `file` still has the content recorded in the index `entry`, judged by
/// `lstat` data alone the way git's `ie_match_stat` does.
fn stat_clean(
    index: &gix::index::File,
    entry: &gix::index::Entry,
    options: gix::index::entry::stat::Options,
    file: &Path,
) -> bool {
    use gix::index::entry::{Flags, Mode, Stat};
    let special = Flags::ASSUME_VALID | Flags::SKIP_WORKTREE | Flags::INTENT_TO_ADD;
    if entry.flags.intersects(special) || !matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE) {
        return false;
    }
    let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(file) else { return false };
    if !meta.is_file() {
        return false;
    }
    let Ok(stat) = Stat::from_fs(&meta) else { return false };
    entry.stat.matches(&stat, options) && !entry.stat.is_racy(index.timestamp(), options)
}

/// What [`read_blobs`] found: `f` of each blob read, and the ids of those missing.
struct BlobsRead<T> {
    read: Vec<(ObjectId, T)>,
    missing: Vec<ObjectId>,
}

/// `f` of each blob in `ids`, read in parallel runs. In a `partial` clone, blobs that are
/// missing are returned apart instead of failing the read.
fn read_blobs<T: Send>(
    sync: &gix::ThreadSafeRepository,
    packs: &Packs,
    ids: &[ObjectId],
    partial: bool,
    f: impl Fn(&[u8]) -> T + Sync,
) -> Result<BlobsRead<T>, HistoryError> {
    type Part<T> = Result<Vec<(ObjectId, Option<T>)>, HistoryError>;
    let parts: Vec<Part<T>> = ids
        .par_chunks(FACTS_CHUNK)
        .enumerate()
        .map(|(i, part)| {
            if i % REMAP_EVERY == REMAP_EVERY - 1 {
                packs.remap();
            }
            let mut reader = packs.reader(sync.to_thread_local());
            part.iter()
                .map(|id| match reader.find(id) {
                    Ok((_, data)) => Ok((*id, Some(f(&data)))),
                    Err(HistoryError::Missing { .. }) if partial => Ok((*id, None)),
                    Err(e) => Err(e),
                })
                .collect()
        })
        .collect();
    let (mut out, mut missing) = (Vec::with_capacity(ids.len()), Vec::new());
    for p in parts {
        for (id, read) in p? {
            match read {
                Some(t) => out.push((id, t)),
                None => missing.push(id),
            }
        }
    }
    Ok(BlobsRead { read: out, missing })
}
