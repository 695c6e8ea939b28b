//! Tree access and prefix-restricted tree diffs.
//!
//! Trees are decoded once per version and kept in a small two-generation cache keyed by id:
//! walking commits newest to oldest, a commit's parent tree is the next commit's tree, and most
//! subtrees are shared between neighbouring versions. Unchanged subtrees are skipped by id
//! without ever being read.

use std::sync::Arc;

use gix::objs::Find;
use gix::{oid, ObjectId};

use super::pack::{Bytes, Reader};
use super::HistoryError;

pub(crate) fn find(repo: &gix::Repository, id: &oid, buf: &mut Vec<u8>) -> Result<gix::objs::Kind, HistoryError> {
    match repo.try_find(id, buf) {
        Ok(Some(data)) => Ok(data.kind),
        Ok(None) => Err(HistoryError::Missing { id: id.to_string() }),
        Err(e) => Err(HistoryError::Object { id: id.to_string(), message: e.to_string() }),
    }
}

/// Entry kinds relevant for history; submodules are ignored like unknown modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Tree,
    /// Regular, executable or symlink; the mode is kept so mode-only changes count like in git.
    Blob(u32),
    Other,
}

pub(crate) struct Entry<'a> {
    pub name: &'a [u8],
    pub kind: Kind,
    pub id: &'a [u8],
}

/// Iterate raw tree bytes. Malformed data ends the iteration and sets `bad`.
pub(crate) struct Entries<'a> {
    data: &'a [u8],
    hash_len: usize,
    pub bad: bool,
}

impl<'a> Entries<'a> {
    pub fn new(data: &'a [u8], hash_len: usize) -> Self {
        Entries { data, hash_len, bad: false }
    }

    /// The bytes not yet iterated.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Entry<'a>;
    fn next(&mut self) -> Option<Entry<'a>> {
        if self.data.is_empty() {
            return None;
        }
        let d = self.data;
        let nul = memchr::memchr(0, d);
        let sp = nul.and_then(|nul| memchr::memchr(b' ', &d[..nul]));
        let (Some(sp), Some(nul)) = (sp, nul) else {
            self.bad = true;
            self.data = &[];
            return None;
        };
        if nul + 1 + self.hash_len > d.len() {
            self.bad = true;
            self.data = &[];
            return None;
        }
        let mut mode = 0u32;
        for &b in &d[..sp] {
            if !(b'0'..=b'7').contains(&b) {
                self.bad = true;
                self.data = &[];
                return None;
            }
            mode = mode * 8 + u32::from(b - b'0');
        }
        let kind = match mode {
            0o040000 => Kind::Tree,
            0o100644 | 0o100755 | 0o100664 | 0o120000 => Kind::Blob(mode),
            _ => Kind::Other,
        };
        let entry = Entry { name: &d[sp + 1..nul], kind, id: &d[nul + 1..nul + 1 + self.hash_len] };
        self.data = &d[nul + 1 + self.hash_len..];
        Some(entry)
    }
}

/// Decoded trees by id, bounded by bytes. When the young generation is full it becomes the old
/// one and the previous old generation is dropped; hits in the old generation are promoted.
pub(crate) struct TreeCache {
    young: gix::hashtable::HashMap<ObjectId, Bytes>,
    old: gix::hashtable::HashMap<ObjectId, Bytes>,
    young_bytes: usize,
    limit: usize,
    empty: Bytes,
    pub hash_len: usize,
}

impl TreeCache {
    pub fn new(limit_bytes: usize, hash_len: usize) -> Self {
        TreeCache {
            young: Default::default(),
            old: Default::default(),
            young_bytes: 0,
            limit: limit_bytes,
            empty: Arc::new(Vec::new()),
            hash_len,
        }
    }

    pub fn get(&mut self, r: &mut Reader<'_>, id: &ObjectId) -> Result<Bytes, HistoryError> {
        if id.is_empty_tree() {
            return Ok(self.empty.clone());
        }
        if let Some(t) = self.young.get(id) {
            return Ok(t.clone());
        }
        let tree = match self.old.remove(id) {
            Some(t) => t,
            None => {
                let (kind, data) = r.find(id)?;
                if kind != gix::objs::Kind::Tree {
                    return Err(HistoryError::Decode {
                        id: id.to_string(),
                        message: format!("expected a tree, found a {kind}"),
                    });
                }
                data
            }
        };
        if self.young_bytes + tree.len() > self.limit {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        self.young_bytes += tree.len();
        self.young.insert(*id, tree.clone());
        Ok(tree)
    }

    /// The id of the tree at `path` ('/'-separated, "" for `root`) or `None` if there is none.
    pub fn subtree(
        &mut self,
        r: &mut Reader<'_>,
        root: &ObjectId,
        path: &str,
    ) -> Result<Option<ObjectId>, HistoryError> {
        let mut cur = *root;
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            let data = self.get(r, &cur)?;
            let found = Entries::new(&data, self.hash_len)
                .find(|e| e.kind == Kind::Tree && e.name == comp.as_bytes())
                .map(|e| oid_from(e.id));
            match found {
                Some(Some(id)) => cur = id,
                _ => return Ok(None),
            }
        }
        Ok(Some(cur))
    }

    /// The blob at `path` below `root`, if there is one.
    pub fn blob_at(
        &mut self,
        r: &mut Reader<'_>,
        root: &ObjectId,
        path: &str,
    ) -> Result<Option<ObjectId>, HistoryError> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let Some(tree) = self.subtree(r, root, dir)? else { return Ok(None) };
        let data = self.get(r, &tree)?;
        let found =
            Entries::new(&data, self.hash_len).find(|e| matches!(e.kind, Kind::Blob(_)) && e.name == name.as_bytes());
        Ok(found.and_then(|e| oid_from(e.id)))
    }

    /// Call `f` with the full path (`path` and below) and id of every blob below `tree`, in
    /// git's path order. `path` is a buffer the paths are built in, left as it was given.
    pub fn for_each_blob(
        &mut self,
        r: &mut Reader<'_>,
        tree: &ObjectId,
        path: &mut String,
        f: &mut dyn FnMut(&str, ObjectId),
    ) -> Result<(), HistoryError> {
        let data = self.get(r, tree)?;
        let base = path.len();
        for e in Entries::new(&data, self.hash_len) {
            let Some(id) = oid_from(e.id) else { continue };
            if base > 0 {
                path.push('/');
            }
            path.push_str(&String::from_utf8_lossy(e.name));
            match e.kind {
                Kind::Tree => self.for_each_blob(r, &id, path, f)?,
                Kind::Blob(_) => f(path, id),
                Kind::Other => {}
            }
            path.truncate(base);
        }
        Ok(())
    }

    /// Blob-level differences between two trees (`None` = absent), with full paths under `base`.
    pub fn diff(
        &mut self,
        r: &mut Reader<'_>,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        base: &str,
        out: &mut Vec<RawChange>,
    ) -> Result<(), HistoryError> {
        if old == new {
            return Ok(());
        }
        let empty = self.empty.clone();
        let a = match old {
            Some(id) => self.get(r, &id)?,
            None => empty.clone(),
        };
        let b = match new {
            Some(id) => self.get(r, &id)?,
            None => empty,
        };
        let mut recurse: Vec<(String, Option<ObjectId>, Option<ObjectId>)> = Vec::new();
        // Identical leading entries are skipped by comparing bytes, and the walk stops once the
        // remaining entries are byte-identical: large directories usually differ in one entry.
        let skip = common_prefix_entries(&a, &b, self.hash_len);
        let mut ia = Entries::new(&a[skip..], self.hash_len);
        let mut ib = Entries::new(&b[skip..], self.hash_len);
        let (mut x, mut y) = (ia.next(), ib.next());
        let mut differed = false;
        let on_side = |e: &Entry<'_>, is_old: bool, recurse: &mut Vec<_>, out: &mut Vec<RawChange>| {
            let Some(id) = oid_from(e.id) else { return };
            let path = join(base, e.name);
            match e.kind {
                Kind::Tree if is_old => recurse.push((path, Some(id), None)),
                Kind::Tree => recurse.push((path, None, Some(id))),
                Kind::Blob(_) if is_old => out.push(RawChange { path, old: Some(id), new: None }),
                Kind::Blob(_) => out.push(RawChange { path, old: None, new: Some(id) }),
                Kind::Other => {}
            }
        };
        loop {
            let ord = match (&x, &y) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(x), Some(y)) => name_order(x, y),
            };
            match ord {
                std::cmp::Ordering::Less => {
                    if let Some(e) = x.take() {
                        on_side(&e, true, &mut recurse, out);
                    }
                    x = ia.next();
                    differed = true;
                }
                std::cmp::Ordering::Greater => {
                    if let Some(e) = y.take() {
                        on_side(&e, false, &mut recurse, out);
                    }
                    y = ib.next();
                    differed = true;
                }
                std::cmp::Ordering::Equal => {
                    let (Some(ex), Some(ey)) = (x.take(), y.take()) else { break };
                    x = ia.next();
                    y = ib.next();
                    if ex.id == ey.id && ex.kind == ey.kind {
                        // Once per run of differences: is everything after this identical?
                        if differed {
                            differed = false;
                            if ia.rest().len() == ib.rest().len() && ia.rest() == ib.rest() && same(&x, &y) {
                                break;
                            }
                        }
                        continue;
                    }
                    differed = true;
                    let (Some(xid), Some(yid)) = (oid_from(ex.id), oid_from(ey.id)) else {
                        continue;
                    };
                    let path = join(base, ex.name);
                    match (ex.kind, ey.kind) {
                        (Kind::Tree, Kind::Tree) => recurse.push((path, Some(xid), Some(yid))),
                        (Kind::Blob(_), Kind::Blob(_)) => out.push(RawChange { path, old: Some(xid), new: Some(yid) }),
                        _ => {
                            on_side(&ex, true, &mut recurse, out);
                            on_side(&ey, false, &mut recurse, out);
                        }
                    }
                }
            }
        }
        for (path, o, n) in recurse {
            self.diff(r, o, n, &path, out)?;
        }
        Ok(())
    }
}

/// A blob-level change at `path`; `old`/`new` are `None` when absent on that side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawChange {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

fn join(base: &str, name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if base.is_empty() {
        name.into_owned()
    } else {
        format!("{base}/{name}")
    }
}

/// Byte offset in both `a` and `b` of the first entry that is not byte-identical in both.
fn common_prefix_entries(a: &[u8], b: &[u8], hash_len: usize) -> usize {
    let n = a.len().min(b.len());
    const CHUNK: usize = 64;
    let mut same = 0;
    while same + CHUNK <= n && a[same..same + CHUNK] == b[same..same + CHUNK] {
        same += CHUNK;
    }
    while same < n && a[same] == b[same] {
        same += 1;
    }
    // Entries ending at or before `same` are identical in both trees.
    let mut start = 0;
    while let Some(nul) = memchr::memchr(0, &a[start..]) {
        let end = start + nul + 1 + hash_len;
        if end > same {
            break;
        }
        start = end;
    }
    start
}

/// Two current entries are the same entry (both absent counts as the same).
fn same(x: &Option<Entry<'_>>, y: &Option<Entry<'_>>) -> bool {
    match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => x.name == y.name && x.kind == y.kind && x.id == y.id,
        _ => false,
    }
}

/// Git's tree entry order: names compare as if trees had a trailing '/'.
fn name_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let common = a.name.len().min(b.name.len());
    match a.name[..common].cmp(&b.name[..common]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let tail = |e: &Entry<'_>| -> Option<u8> {
        match e.name.get(common) {
            Some(&c) => Some(c),
            None if e.kind == Kind::Tree => Some(b'/'),
            None => None,
        }
    };
    // Equal names with different kinds (blob vs tree) are distinct entries; order them like git.
    match (tail(a), tail(b)) {
        (None, None) => std::cmp::Ordering::Equal,
        (x, y) => x.cmp(&y),
    }
}

fn oid_from(b: &[u8]) -> Option<ObjectId> {
    ObjectId::try_from(b).ok()
}
