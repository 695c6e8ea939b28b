//! Where `git log --follow` goes on when a commit adds the path it follows.
//!
//! git then looks for the path's source in the whole parent tree with rename *and copy*
//! detection (tree-diff.c `try_to_follow_renames` turns on `--find-copies-harder`), for that
//! one path alone. The source may be a file the commit deletes (a rename) or one it keeps (a
//! copy: an item started from another item's text, which is common in templated backlogs).
//! This module makes the same choice (diffcore-rename.c):
//!
//! 1. a file with identical content: one the commit deletes first, then one with the same file
//!    name, then the first in path order;
//! 2. otherwise git scores every file, keeps the 4 best in slots, and takes the best with a
//!    score of at least 50% — a deleted file before a kept one.
//!
//! Scoring every file of the parent tree for every added item would be quadratic, so candidates
//! come from an index of the span hashes of every blob the backlog directories ever held. When
//! the best scores tie, the order of git's slots decides, and that depends on all files of the
//! tree in path order; only then is the whole tree scored the way git does. Files outside the
//! backlog directories are therefore candidates only in that case: an item copied from a
//! template kept elsewhere is not followed there, where git would follow it.

use std::collections::HashMap;

use gix::ObjectId;

use super::pack::{Packs, Reader};
use super::similarity::{same_file_name, score, spans, Spans, HASHBASE, MIN_SCORE};
use super::trees::{RawChange, TreeCache};
use super::walk::CommitRec;
use super::HistoryError;

/// The path `to`, added by a commit, continues as `from` for `git log --follow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// Empty when the source cannot be decided: see [`Source::undecided`].
    pub from: String,
    pub to: String,
    /// `from` is kept by the commit (a copy), not deleted (a rename).
    pub copied: bool,
}

impl Source {
    /// Whether `to` has a source cannot be told: there is no file with the same content, and
    /// similar ones cannot be scored because blobs are missing in a partial clone.
    pub fn undecided(to: &str) -> Source {
        Source { from: String::new(), to: to.to_owned(), copied: false }
    }

    pub fn is_undecided(&self) -> bool {
        self.from.is_empty()
    }
}

/// git's number of best candidates kept per destination (`NUM_CANDIDATE_PER_DST`).
const SLOTS: usize = 4;
const TREE_CACHE_BYTES: usize = 2 << 20;
/// Commits a worker takes at a time.
const CHUNK: usize = 64;

/// Every blob the prefixes ever held, with the paths that held it and its span hashes.
pub(crate) struct Universe<'r> {
    ids: gix::hashtable::HashMap<ObjectId, u32>,
    blobs: Vec<ObjectId>,
    /// By blob: the numbers (in [`Lineage`]) of the paths that held it.
    paths: Vec<Vec<u32>>,
    spans: Vec<Spans>,
    /// Blob numbers by span hash: `postings[starts[h]..starts[h + 1]]`.
    starts: Vec<u32>,
    postings: Vec<u32>,
    lineage: Lineage<'r>,
    /// Blobs missing in a partial clone (listed in `blobs` without spans), and whether the
    /// repository is one: then similarity cannot be scored, only identical content found.
    missing: gix::hashtable::HashSet<ObjectId>,
    partial: bool,
    /// The prefixes the universe covers (repository-relative).
    prefixes: Vec<String>,
}

impl<'r> Universe<'r> {
    /// `blobs`: every blob version under the prefixes with its spans; `held`: from
    /// [`Lineage::held`].
    pub fn new(blobs: Vec<(ObjectId, Spans)>, held: &[(u32, ObjectId)], lineage: Lineage<'r>) -> Self {
        let ids: gix::hashtable::HashMap<ObjectId, u32> =
            blobs.iter().enumerate().map(|(n, (id, _))| (*id, n as u32)).collect();
        let mut paths: Vec<Vec<u32>> = vec![Vec::new(); blobs.len()];
        for &(number, id) in held {
            if let Some(&n) = ids.get(&id) {
                paths[n as usize].push(number);
            }
        }
        let (blobs, spans): (Vec<ObjectId>, Vec<Spans>) = blobs.into_iter().unzip();
        let mut starts = vec![0u32; HASHBASE as usize + 1];
        for s in &spans {
            for &(h, _) in &s.counts {
                starts[h as usize + 1] += 1;
            }
        }
        for h in 0..HASHBASE as usize {
            starts[h + 1] += starts[h];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0u32; starts[HASHBASE as usize] as usize];
        for (n, s) in spans.iter().enumerate() {
            for &(h, _) in &s.counts {
                postings[fill[h as usize] as usize] = n as u32;
                fill[h as usize] += 1;
            }
        }
        Universe {
            ids,
            blobs,
            paths,
            spans,
            starts,
            postings,
            lineage,
            missing: Default::default(),
            partial: false,
            prefixes: Vec::new(),
        }
    }

    /// In a partial clone: `missing` are the blobs of the universe the repository lacks.
    /// `prefixes`: the directories the universe covers.
    pub fn partial_clone(mut self, missing: gix::hashtable::HashSet<ObjectId>, prefixes: &[String]) -> Self {
        self.missing = missing;
        self.partial = true;
        self.prefixes = prefixes.to_vec();
        self
    }

    fn posting(&self, hash: u32) -> &[u32] {
        let h = hash as usize;
        &self.postings[self.starts[h] as usize..self.starts[h + 1] as usize]
    }

    /// Span hashes of `dst` that every blob scoring ≥ 50% against it shares at least one of:
    /// the most common ones are left out as long as their bytes stay under half of `dst`.
    fn probes(&self, dst: &Spans) -> Vec<u32> {
        let mut by_commonness: Vec<(usize, u32, u32)> =
            dst.counts.iter().map(|&(h, c)| (self.posting(h).len(), c, h)).collect();
        by_commonness.sort_unstable_by(|a, b| b.cmp(a));
        let mut skipped = 0u64;
        let mut probes = Vec::new();
        for (_, c, h) in by_commonness {
            if 2 * (skipped + u64::from(c)) < dst.size {
                skipped += u64::from(c);
            } else {
                probes.push(h);
            }
        }
        probes
    }
}

/// Decide the sources of the paths added by each commit in `todo` (non-merge commits with one
/// effective parent whose changes add something).
pub(crate) fn decide(
    sync: &gix::ThreadSafeRepository,
    packs: &Packs,
    universe: &Universe<'_>,
    todo: &[Todo],
    recs: &HashMap<ObjectId, CommitRec>,
    order: &[ObjectId],
    progress: &super::progress::Progress,
) -> Result<Vec<(ObjectId, Vec<Source>)>, HistoryError> {
    super::follow::in_runs(
        todo,
        CHUNK,
        || {
            let repo = sync.to_thread_local();
            let hash_len = repo.object_hash().len_in_bytes();
            Worker {
                r: packs.reader(repo),
                trees: TreeCache::new(TREE_CACHE_BYTES, hash_len),
                seen: vec![0; universe.blobs.len()],
                epoch: 0,
                other_spans: HashMap::new(),
                held: vec![(0, None); universe.lineage.names.len()],
                held_epoch: 0,
                held_pos: usize::MAX,
            }
        },
        |w, _, part| {
            w.r.refresh();
            let lineage = &universe.lineage;
            progress.inc(part.len());
            part.iter()
                .map(|t| {
                    let missing = |id: &ObjectId| HistoryError::Missing { id: id.to_string() };
                    let rec = recs.get(&t.id).ok_or_else(|| missing(&t.id))?;
                    let parent_tree = recs.get(&t.parent).ok_or_else(|| missing(&t.parent))?.tree;
                    let changes = rec.changes.as_deref().unwrap_or_default();
                    let mut changed: Vec<(u32, &RawChange)> =
                        changes.iter().filter_map(|c| Some((*lineage.numbers.get(c.path.as_str())?, c))).collect();
                    changed.sort_unstable_by_key(|(n, _)| *n);
                    let at = Commit {
                        parent_pos: lineage.parents[t.pos].first().copied().unwrap_or(usize::MAX),
                        parent_tree,
                        changed,
                    };
                    w.move_to(universe, at.parent_pos, order, recs);
                    Ok((t.id, w.sources(universe, changes, &at)?))
                })
                .collect()
        },
    )
}

struct Worker<'p> {
    r: Reader<'p>,
    trees: TreeCache,
    /// Candidate blobs already looked at for the current destination (`== epoch`).
    seen: Vec<u32>,
    epoch: u32,
    /// Spans of blobs outside the prefixes, for scoring whole trees.
    other_spans: HashMap<ObjectId, Spans>,
    /// What the parent of the current commit holds, by path number, as far as asked:
    /// `(held_epoch, blob)`. Moving on to an older commit down a chain reverts the changes of
    /// the commits in between, so each path is resolved once per chain, not once per candidate.
    held: Vec<(u32, Option<ObjectId>)>,
    held_epoch: u32,
    /// The position `held` describes.
    held_pos: usize,
}

/// A path the commit adds: its blob's number in the [`Universe`] and its path number.
struct Added<'a> {
    blob: u32,
    path: &'a str,
    number: u32,
}

/// The source found for an added path and whether the commit keeps it (a copy).
type Found = Option<(String, bool)>;

/// The commit whose added paths are looked at.
struct Commit<'a> {
    /// Position of the parent in walk order.
    parent_pos: usize,
    parent_tree: ObjectId,
    /// Its changes under the prefixes, by path number.
    changed: Vec<(u32, &'a RawChange)>,
}

impl Commit<'_> {
    fn change(&self, number: u32) -> Option<&RawChange> {
        let i = self.changed.binary_search_by_key(&number, |(n, _)| *n).ok()?;
        Some(self.changed[i].1)
    }
}

/// A file of the parent tree scoring ≥ 50% against the added path.
struct Candidate<'a> {
    path: &'a str,
    score: u64,
    same_name: bool,
    kept: bool,
}

impl Candidate<'_> {
    fn key(&self) -> (u64, bool) {
        (self.score, self.same_name)
    }
}

enum Choice {
    Pick(usize),
    None,
    /// Tied scores: git's slot order decides.
    Tied,
}

impl Worker<'_> {
    /// Make [`Self::held`] describe the commit at `pos`. Down a chain from the position it
    /// describes, each commit in between has the next as its only parent: its changes are
    /// reverted. Anywhere else it starts empty.
    fn move_to(&mut self, u: &Universe<'_>, pos: usize, order: &[ObjectId], recs: &HashMap<ObjectId, CommitRec>) {
        let from = self.held_pos;
        self.held_pos = pos;
        let along_chain = from <= pos && u.lineage.chain_end.get(from).is_some_and(|&end| end >= pos);
        if !along_chain {
            self.held_epoch += 1;
            return;
        }
        for id in &order[from..pos] {
            for ch in recs.get(id).and_then(|r| r.changes.as_deref()).unwrap_or_default() {
                let Some(&n) = u.lineage.numbers.get(ch.path.as_str()) else { continue };
                let slot = &mut self.held[n as usize];
                if slot.0 == self.held_epoch {
                    slot.1 = ch.old;
                }
            }
        }
    }

    /// The blob the current parent holds at path `number` (see [`Lineage::held_at`]).
    fn held_at(&mut self, u: &Universe<'_>, number: u32) -> Option<Option<ObjectId>> {
        let slot = self.held.get_mut(number as usize)?;
        if slot.0 == self.held_epoch {
            return Some(slot.1);
        }
        let held = u.lineage.held_at(self.held_pos, number)?;
        *slot = (self.held_epoch, held);
        Some(held)
    }

    /// False only if the parent certainly does not hold `blob` at path `number` (what
    /// [`Self::source_at`] answers without reading trees); true if it does or may.
    fn may_hold(&mut self, u: &Universe<'_>, at: &Commit<'_>, number: u32, blob: &ObjectId) -> bool {
        if let Some(ch) = at.change(number) {
            return ch.old.as_ref() == Some(blob);
        }
        match self.held_at(u, number) {
            Some(held) => held.as_ref() == Some(blob),
            None => true,
        }
    }

    fn sources(
        &mut self,
        u: &Universe<'_>,
        changes: &[RawChange],
        at: &Commit<'_>,
    ) -> Result<Vec<Source>, HistoryError> {
        let mut out = Vec::new();
        // In a partial clone: whether the parent lacks the content of a file it holds, which
        // would be a candidate for scoring (asked once per commit).
        let mut parent_lacks: Option<bool> = None;
        for ch in changes {
            let (None, Some(dst)) = (ch.old, ch.new) else { continue };
            let Some(&d) = u.ids.get(&dst) else { continue };
            let added = Added { blob: d, path: &ch.path, number: u.lineage.number(&ch.path) };
            let found = match self.identical(u, at, &added)? {
                Some(found) => Some(found),
                // Scoring needs the added file's content and every candidate's.
                None if !u.missing.is_empty()
                    && (u.missing.contains(&dst) || *parent_lacks.get_or_insert(self.lacks_blobs(u, at)?)) =>
                {
                    out.push(Source::undecided(&ch.path));
                    continue;
                }
                None => match self.similar(u, at, &added) {
                    // A tie is scored over the whole tree, whose other files may be missing.
                    Err(HistoryError::Missing { .. }) if u.partial => {
                        out.push(Source::undecided(&ch.path));
                        continue;
                    }
                    found => found?,
                },
            };
            if let Some((from, copied)) = found {
                out.push(Source { from, to: ch.path.clone(), copied });
            }
        }
        Ok(out)
    }

    /// Whether the parent tree holds, under the prefixes, a file whose content is missing.
    fn lacks_blobs(&mut self, u: &Universe<'_>, at: &Commit<'_>) -> Result<bool, HistoryError> {
        let mut lacks = false;
        for prefix in &u.prefixes {
            let Some(tree) = self.trees.subtree(&mut self.r, &at.parent_tree, prefix)? else { continue };
            self.trees.for_each_blob(&mut self.r, &tree, &mut prefix.clone(), &mut |_, id| {
                lacks |= u.missing.contains(&id);
            })?;
        }
        Ok(lacks)
    }

    /// Whether the parent tree holds `blob` at path `number`, and if so whether the commit keeps the
    /// path. Paths the commit changes are answered from its changes, without reading trees.
    fn source_at(
        &mut self,
        u: &Universe<'_>,
        at: &Commit<'_>,
        number: u32,
        blob: &ObjectId,
    ) -> Result<Option<bool>, HistoryError> {
        if let Some(ch) = at.change(number) {
            return Ok((ch.old.as_ref() == Some(blob)).then_some(ch.new.is_some()));
        }
        // Unchanged by the commit: kept, if it is there at all.
        let held = match self.held_at(u, number) {
            Some(held) => held,
            None => self.trees.blob_at(&mut self.r, &at.parent_tree, u.lineage.name(number))?,
        };
        Ok((held.as_ref() == Some(blob)).then_some(true))
    }

    /// diffcore-rename.c `find_identical_files`: deleted beats kept, then same file name, then
    /// path order.
    fn identical(&mut self, u: &Universe<'_>, at: &Commit<'_>, added: &Added<'_>) -> Result<Found, HistoryError> {
        let dst = u.blobs[added.blob as usize];
        let mut paths: Vec<(&str, u32)> = u.paths[added.blob as usize]
            .iter()
            .filter(|&&n| n != added.number)
            .map(|&n| (u.lineage.name(n), n))
            .collect();
        paths.sort_unstable();
        let mut best: Option<(u8, &str, bool)> = None;
        for (path, number) in paths {
            let Some(kept) = self.source_at(u, at, number, &dst)? else { continue };
            let s = u8::from(!kept) + u8::from(same_file_name(path, added.path));
            if best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, path, kept));
            }
        }
        Ok(best.map(|(_, p, kept)| (p.to_owned(), kept)))
    }

    fn similar(&mut self, u: &Universe<'_>, at: &Commit<'_>, added: &Added<'_>) -> Result<Found, HistoryError> {
        let d = added.blob;
        let ds = &u.spans[d as usize];
        if ds.size == 0 {
            return Ok(None);
        }
        self.epoch += 1;
        // Every (path, blob) scoring ≥ 50%, best first; whether the parent holds it is asked
        // only until the answer is settled (see `choose`).
        let mut scored: Vec<(u64, bool, u32, u32)> = Vec::new();
        let mut held: Vec<u32> = Vec::new();
        for h in u.probes(ds) {
            for &b in u.posting(h) {
                if std::mem::replace(&mut self.seen[b as usize], self.epoch) == self.epoch || b == d {
                    continue;
                }
                // Most stored versions are not in the parent tree (older versions, deleted files):
                // those that the change lists rule out are not scored at all.
                let blob = &u.blobs[b as usize];
                held.clear();
                for &n in &u.paths[b as usize] {
                    if n != added.number && self.may_hold(u, at, n, blob) {
                        held.push(n);
                    }
                }
                if held.is_empty() {
                    continue;
                }
                let s = score(&u.spans[b as usize], ds);
                if s < MIN_SCORE {
                    continue;
                }
                for &n in &held {
                    scored.push((s, same_file_name(u.lineage.name(n), added.path), b, n));
                }
            }
        }
        let mut best_first = std::collections::BinaryHeap::from(scored);
        let mut cands: Vec<Candidate<'_>> = Vec::new();
        while let Some((s, same_name, b, n)) = best_first.pop() {
            // `choose` looks at the best SLOTS + 1 held files and any that tie with the last.
            if cands.len() > SLOTS && cands.last().is_some_and(|c| c.key() > (s, same_name)) {
                break;
            }
            if let Some(kept) = self.source_at(u, at, n, &u.blobs[b as usize])? {
                cands.push(Candidate { path: u.lineage.name(n), score: s, same_name, kept });
            }
        }
        match choose(&cands) {
            Choice::Pick(i) => Ok(Some((cands[i].path.to_owned(), cands[i].kept))),
            Choice::None => Ok(None),
            Choice::Tied => self.score_whole_tree(u, ds, added.path, at),
        }
    }

    /// git's own procedure: every file of the parent tree in path order through the 4 slots
    /// (`record_if_better`), the slots sorted stably, then renames before copies.
    fn score_whole_tree(
        &mut self,
        u: &Universe<'_>,
        ds: &Spans,
        to: &str,
        at: &Commit<'_>,
    ) -> Result<Found, HistoryError> {
        // Paths are kept in one buffer: a tree of thousands of files is listed for each tie.
        let (mut names, mut files) = (String::new(), Vec::new());
        self.trees.for_each_blob(&mut self.r, &at.parent_tree, &mut String::new(), &mut |p, id| {
            files.push((names.len(), p.len(), id));
            names.push_str(p);
        })?;
        let name = |&(start, len, _): &(usize, usize, ObjectId)| &names[start..start + len];
        let mut slots: [Option<(u64, bool, usize)>; SLOTS] = [None; SLOTS];
        for (i, file) in files.iter().enumerate() {
            let (path, blob) = (name(file), &file.2);
            let s = match u.ids.get(blob) {
                Some(&b) => score(&u.spans[b as usize], ds),
                None => {
                    if !self.other_spans.contains_key(blob) {
                        let data = self.r.find(blob)?.1;
                        self.other_spans.insert(*blob, spans(&data));
                    }
                    self.other_spans.get(blob).map_or(0, |src| score(src, ds))
                }
            };
            record_if_better(&mut slots, (s, same_file_name(path, to), i));
        }
        let mut ranked: Vec<(u64, bool, usize)> = slots.into_iter().flatten().collect();
        ranked.sort_by_key(|&(score, same_name, _)| std::cmp::Reverse((score, same_name)));
        for renames_only in [true, false] {
            for &(s, _, i) in &ranked {
                if s < MIN_SCORE {
                    break;
                }
                // Listed from the parent tree: kept unless the commit deletes it.
                let path = name(&files[i]);
                let kept = at.change(u.lineage.number(path)).is_none_or(|ch| ch.new.is_some());
                if !(renames_only && kept) {
                    return Ok(Some((path.to_owned(), kept)));
                }
            }
        }
        Ok(None)
    }
}

/// The pick among candidates in path order, or [`Choice::Tied`] when git's slot order would
/// decide it. A deleted file (rename) wins if it is among the 4 best; otherwise the best file.
fn choose(cands: &[Candidate<'_>]) -> Choice {
    let best_deleted = cands.iter().enumerate().filter(|(_, c)| !c.kept).max_by(|a, b| a.1.key().cmp(&b.1.key()));
    if let Some((i, c)) = best_deleted {
        let better = cands.iter().filter(|o| o.key() > c.key()).count();
        if better < SLOTS {
            let equal = cands.iter().filter(|o| o.key() == c.key()).count();
            let equal_deleted = cands.iter().filter(|o| !o.kept && o.key() == c.key()).count();
            if equal_deleted > 1 || better + equal > SLOTS {
                return Choice::Tied;
            }
            return Choice::Pick(i);
        }
    }
    let Some((i, best)) = cands.iter().enumerate().max_by(|a, b| a.1.key().cmp(&b.1.key())) else {
        return Choice::None;
    };
    if cands.iter().filter(|o| o.key() == best.key()).count() > 1 {
        return Choice::Tied;
    }
    Choice::Pick(i)
}

/// diffcore-rename.c `record_if_better`: replace the worst slot (the first of equally bad
/// ones; empty slots are worst) if `o` is strictly better.
fn record_if_better(slots: &mut [Option<(u64, bool, usize)>; SLOTS], o: (u64, bool, usize)) {
    let key = |s: &Option<(u64, bool, usize)>| s.map(|(score, name, _)| (score, name));
    let mut worst = 0;
    for i in 1..SLOTS {
        if key(&slots[i]) < key(&slots[worst]) {
            worst = i;
        }
    }
    if key(&slots[worst]) < Some((o.0, o.1)) {
        slots[worst] = Some(o);
    }
}

/// Which blob a path holds in a commit, from the change lists alone. Along a chain of commits
/// that each have the next one in walk order as their only parent, the newest change of the
/// path in the chain says it; below the chain the question moves to the parents of its last
/// commit, and at a merge the parents must agree. Only what this cannot tell is read from trees.
pub(crate) struct Lineage<'r> {
    /// Every path the change lists name, numbered.
    numbers: foldhash::HashMap<&'r str, u32>,
    /// By number.
    names: Vec<&'r str>,
    /// By path number: `(position in walk order, blob after that commit)`, in walk order.
    events: Vec<Vec<(usize, Option<ObjectId>)>>,
    /// By position: the last position of the chain that starts there.
    chain_end: Vec<usize>,
    /// By position: the positions of the effective parents.
    parents: &'r [Vec<usize>],
}

/// Chains and merges followed per question before the trees are read instead.
const LINEAGE_STEPS: usize = 256;

impl<'r> Lineage<'r> {
    /// `parents`: [`super::walk::Walk::parent_positions`].
    pub fn new(order: &[ObjectId], parents: &'r [Vec<usize>], recs: &'r HashMap<ObjectId, CommitRec>) -> Self {
        let mut numbers: foldhash::HashMap<&str, u32> = Default::default();
        let mut names = Vec::new();
        let mut events: Vec<Vec<(usize, Option<ObjectId>)>> = Vec::new();
        for (pos, id) in order.iter().enumerate() {
            for ch in recs.get(id).and_then(|r| r.changes.as_ref()).into_iter().flatten() {
                let n = *numbers.entry(ch.path.as_str()).or_insert_with(|| {
                    names.push(ch.path.as_str());
                    events.push(Vec::new());
                    (events.len() - 1) as u32
                });
                events[n as usize].push((pos, ch.new));
            }
        }
        let mut chain_end = vec![0; order.len()];
        for pos in (0..order.len()).rev() {
            chain_end[pos] = if parents[pos] == [pos + 1] { chain_end[pos + 1] } else { pos };
        }
        Lineage { numbers, names, events, chain_end, parents }
    }

    /// Every `(path number, blob)` the prefixes held in the walked commits, once each, newest
    /// first per path (consecutive versions of a file are delta chains of each other in a pack).
    pub fn held(&self) -> Vec<(u32, ObjectId)> {
        let mut out = Vec::new();
        for (number, events) in self.events.iter().enumerate() {
            let first = out.len();
            for blob in events.iter().filter_map(|(_, blob)| *blob) {
                if !out[first..].iter().any(|(_, b)| *b == blob) {
                    out.push((number as u32, blob));
                }
            }
        }
        out
    }

    fn name(&self, number: u32) -> &'r str {
        self.names[number as usize]
    }

    /// The number of `path`; `u32::MAX` for a path no change list names.
    fn number(&self, path: &str) -> u32 {
        self.numbers.get(path).copied().unwrap_or(u32::MAX)
    }

    /// The blob at `path` in the commit at `pos`: `Some(None)` if it has none there, `None` if
    /// the change lists cannot tell.
    fn held_at(&self, pos: usize, path: u32) -> Option<Option<ObjectId>> {
        if let Some(held) = self.held_in_chain(pos, path) {
            return Some(held);
        }
        let events = self.events.get(path as usize).map(Vec::as_slice).unwrap_or_default();
        let mut memo = Vec::new();
        let mut steps = 0;
        self.resolve(pos, events, &mut memo, &mut steps)
    }

    /// [`Self::held_at`] where the chain that starts at `pos` tells (a change of the path in the
    /// chain, or a root below it), without following merges; `None` otherwise.
    fn held_in_chain(&self, pos: usize, path: u32) -> Option<Option<ObjectId>> {
        let events = self.events.get(path as usize).map(Vec::as_slice).unwrap_or_default();
        let end = *self.chain_end.get(pos)?;
        let i = events.partition_point(|(p, _)| *p < pos);
        match events.get(i) {
            Some(&(p, blob)) if p <= end => Some(blob),
            // A root or shallow boundary, diffed against the empty tree.
            _ if self.parents[end].is_empty() => Some(None),
            _ => None,
        }
    }

    fn resolve(
        &self,
        pos: usize,
        events: &[(usize, Option<ObjectId>)],
        memo: &mut Vec<(usize, Option<Option<ObjectId>>)>,
        steps: &mut usize,
    ) -> Option<Option<ObjectId>> {
        if let Some((_, known)) = memo.iter().find(|(p, _)| *p == pos) {
            return *known;
        }
        *steps += 1;
        if *steps > LINEAGE_STEPS {
            return None;
        }
        let end = *self.chain_end.get(pos)?;
        let i = events.partition_point(|(p, _)| *p < pos);
        let found = match events.get(i) {
            Some(&(p, blob)) if p <= end => Some(blob),
            // Unchanged down to `end`, which holds what its parents hold (all of them, for a
            // merge that does not list the path: it equals at least one).
            _ => {
                let mut agreed: Option<Option<ObjectId>> = None;
                for &q in &self.parents[end] {
                    let held = self.resolve(q, events, memo, steps);
                    match (held, agreed) {
                        (None, _) => return None,
                        (Some(h), Some(a)) if h != a => return None,
                        (Some(h), _) => agreed = Some(h),
                    }
                }
                // No parents: a root or shallow boundary, diffed against the empty tree.
                Some(agreed.unwrap_or(None))
            }
        };
        memo.push((pos, found));
        found
    }
}

/// A commit whose added paths need a source decided: its position in walk order and its one
/// effective parent.
pub(crate) struct Todo {
    pos: usize,
    id: ObjectId,
    parent: ObjectId,
}

/// Commits whose added paths need a source decided, and the commits with nothing to decide.
pub(crate) fn undecided(
    order: &[ObjectId],
    parents: &HashMap<ObjectId, Vec<ObjectId>>,
    recs: &HashMap<ObjectId, CommitRec>,
) -> (Vec<Todo>, Vec<ObjectId>) {
    let mut todo = Vec::new();
    let mut nothing = Vec::new();
    for (pos, id) in order.iter().enumerate() {
        let Some(rec) = recs.get(id) else { continue };
        if rec.sources.is_some() {
            continue;
        }
        let adds = rec.changes.iter().flatten().any(|c| c.old.is_none());
        match parents.get(id).map(Vec::as_slice) {
            Some([parent]) if adds => todo.push(Todo { pos, id: *id, parent: *parent }),
            _ => nothing.push(*id),
        }
    }
    (todo, nothing)
}

#[cfg(test)]
mod unit {
    use super::*;

    fn cand(path: &str, score: u64, kept: bool) -> Candidate<'_> {
        Candidate { path, score, same_name: false, kept }
    }

    #[test]
    fn renames_before_copies_unless_four_copies_are_better() {
        let one_copy = [cand("a", 50_000, true), cand("b", 40_000, false)];
        assert!(matches!(choose(&one_copy), Choice::Pick(1)));
        let four_copies: Vec<Candidate<'_>> =
            ["a", "b", "c", "d"].iter().map(|p| cand(p, 50_000 + p.len() as u64, true)).collect();
        let mut with_rename = four_copies;
        with_rename.push(cand("e", 40_000, false));
        with_rename[1].score = 50_010;
        with_rename[2].score = 50_020;
        with_rename[3].score = 50_030;
        assert!(matches!(choose(&with_rename), Choice::Pick(3)));
        assert!(matches!(choose(&[]), Choice::None));
        assert!(matches!(choose(&[cand("a", 40_000, true), cand("b", 40_000, true)]), Choice::Tied));
    }

    #[test]
    fn slots_keep_the_first_of_equals_and_replace_the_worst() {
        let mut slots = [None; SLOTS];
        for (i, s) in [10, 20, 30, 30, 40, 30].into_iter().enumerate() {
            record_if_better(&mut slots, (s, false, i));
        }
        // 40 replaced the 10 in slot 0; the last 30 replaced the 20 in slot 1.
        assert_eq!(slots.map(|s| s.map(|(_, _, i)| i)), [Some(4), Some(5), Some(2), Some(3)]);
    }
}
