//! Reading commits and ordering them like `git log` does by default.

use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::ObjectId;

use super::pack::Reader;
use super::sources::Source;
use super::trees::RawChange;
use super::HistoryError;

/// What history needs from one commit; also the unit of the on-disk cache.
#[derive(Debug, Clone)]
pub(crate) struct CommitRec {
    pub tree: ObjectId,
    /// As recorded in the commit; shallow boundaries are applied when walking.
    pub parents: Vec<ObjectId>,
    pub commit_time: i64,
    pub author: String,
    pub author_time: i64,
    pub subject: String,
    /// `None` until diffed. For non-merges: blob changes against the first parent (or the empty
    /// tree) under the prefixes. For merges: paths whose blob differs from every parent.
    pub changes: Option<Vec<RawChange>>,
    /// For merges: paths that differ from the first parent but not from the parent at the given
    /// index (the first such). `git log -- PATH` goes on with that parent alone there (history
    /// simplification). Set together with `changes`.
    pub same_as_parent: Vec<(String, u32)>,
    /// For the paths `changes` adds, where `git log --follow` continues; `None` until decided.
    pub sources: Option<Vec<Source>>,
    /// The effective parents `changes` were computed against; a shallow clone that was
    /// deepened later invalidates them.
    pub based_on: Vec<ObjectId>,
}

pub(crate) fn read_commit(reader: &mut Reader<'_>, id: &ObjectId) -> Result<Option<CommitRec>, HistoryError> {
    let (kind, buf) = match reader.find_once(id) {
        Ok(found) => found,
        Err(HistoryError::Missing { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let decode_err = |message: String| HistoryError::Decode { id: id.to_string(), message };
    if kind != gix::objs::Kind::Commit {
        return Err(decode_err(format!("expected a commit, found a {kind}")));
    }
    let c = gix::objs::CommitRef::from_bytes(&buf, id.kind()).map_err(|e| decode_err(e.to_string()))?;
    let tree = ObjectId::from_hex(c.tree).map_err(|e| decode_err(e.to_string()))?;
    let mut parents = Vec::with_capacity(c.parents.len());
    for p in &c.parents {
        parents.push(ObjectId::from_hex(p).map_err(|e| decode_err(e.to_string()))?);
    }
    // git re-encodes commits recorded in another encoding (old imports say `encoding
    // ISO-8859-1`) into UTF-8 for its output.
    let encoding = c.encoding.and_then(|label| encoding_rs::Encoding::for_label(label));
    let author = c.author().map_err(|e| decode_err(e.to_string()))?;
    let committer = c.committer().map_err(|e| decode_err(e.to_string()))?;
    // git falls back to 0 for unparsable dates instead of failing the log.
    let author_time = author.time().map(|t| t.seconds).unwrap_or(0);
    let commit_time = committer.time().map(|t| t.seconds).unwrap_or(0);
    Ok(Some(CommitRec {
        tree,
        parents,
        commit_time,
        author: text(author.name.trim_ascii(), encoding).into_owned(),
        author_time,
        subject: subject(&text(c.message, encoding)),
        changes: None,
        same_as_parent: Vec::new(),
        sources: None,
        based_on: Vec::new(),
    }))
}

/// Commit text as UTF-8, decoded from the commit's `encoding` when it names one.
fn text<'b>(bytes: &'b [u8], encoding: Option<&'static encoding_rs::Encoding>) -> std::borrow::Cow<'b, str> {
    match encoding {
        Some(encoding) => encoding.decode_without_bom_handling(bytes).0,
        None => String::from_utf8_lossy(bytes),
    }
}

/// `git log --format=%s`: the first paragraph, lines joined by spaces.
fn subject(message: &str) -> String {
    let mut lines = message.lines().skip_while(|l| l.trim().is_empty());
    let mut out = String::new();
    for l in lines.by_ref() {
        if l.trim().is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(l.trim_end());
    }
    out
}

pub(crate) struct Walk {
    /// Commits in `git log` order (newest first by committer date; ties first-come).
    pub order: Vec<ObjectId>,
    /// Effective parents (shallow boundaries and missing commits cut off).
    pub parents: HashMap<ObjectId, Vec<ObjectId>>,
    /// The same, as positions in `order`, by position.
    pub parent_positions: Vec<Vec<usize>>,
    /// A shallow boundary or a missing parent was reached.
    pub cut: bool,
}

/// Walk everything reachable from `head`, reusing `known` records and reading the rest into it.
pub(crate) fn walk(
    reader: &mut Reader<'_>,
    head: ObjectId,
    shallow: &HashSet<ObjectId>,
    known: &mut HashMap<ObjectId, CommitRec>,
    progress: &super::progress::Progress,
) -> Result<Walk, HistoryError> {
    let mut heap = BinaryHeap::new();
    let mut seen = HashSet::new();
    let mut seq: u64 = 0;
    let mut order = Vec::new();
    let mut parents_of = HashMap::new();
    let mut cut = false;

    let mut load = |id: &ObjectId, known: &mut HashMap<ObjectId, CommitRec>| -> Result<Option<i64>, HistoryError> {
        if let Some(r) = known.get(id) {
            return Ok(Some(r.commit_time));
        }
        match read_commit(reader, id)? {
            Some(r) => {
                progress.inc(1);
                let t = r.commit_time;
                known.insert(*id, r);
                Ok(Some(t))
            }
            None => Ok(None),
        }
    };
    let Some(t) = load(&head, known)? else {
        return Err(HistoryError::Missing { id: head.to_string() });
    };
    seen.insert(head);
    // Max-heap on time; among equal times the earlier queued commit wins, like git's
    // insert-by-date commit list.
    heap.push((t, std::cmp::Reverse(seq), head));
    while let Some((_, _, id)) = heap.pop() {
        order.push(id);
        let raw_parents = known.get(&id).map(|r| r.parents.clone()).unwrap_or_default();
        let mut eff = Vec::with_capacity(raw_parents.len());
        if shallow.contains(&id) {
            if !raw_parents.is_empty() {
                cut = true;
            }
        } else {
            for p in raw_parents {
                match load(&p, known)? {
                    Some(t) => {
                        eff.push(p);
                        if seen.insert(p) {
                            seq += 1;
                            heap.push((t, std::cmp::Reverse(seq), p));
                        }
                    }
                    None => cut = true,
                }
            }
        }
        parents_of.insert(id, eff);
    }
    // Every effective parent was queued, so it has a position.
    let position: HashMap<&ObjectId, usize> = order.iter().enumerate().map(|(pos, id)| (id, pos)).collect();
    let parent_positions = order
        .iter()
        .map(|id| parents_of.get(id).into_iter().flatten().filter_map(|p| position.get(p).copied()).collect())
        .collect();
    Ok(Walk { order, parents: parents_of, parent_positions, cut })
}
