//! The second cache file: each item's finished history facts for one `HEAD`, so that a run at
//! the same `HEAD` (the common warm run, and every pre-commit hook) reads only the items it asks
//! for instead of decoding every commit record and assembling every timeline again.
//!
//! A history is a function of the commit graph reachable from `HEAD` (and the shallow
//! boundary), the prefixes and paths recorded, the field the facts are read from, and the
//! item's path: all of those are the file's key, so a stored history is exactly what a full
//! read would compute. Only the work-tree state is computed on every run. The file ends with
//! an XXH3-64 checksum of everything before it and is ignored (and rewritten) on any mismatch.
//!
//! Layout: a header with the key, the item count, then an index of `(path, offset, length)`
//! sorted by path, then one record per item. A run decodes the index and only the records of
//! the paths it asks for.

use std::path::{Path, PathBuf};

use gix::ObjectId;

use super::cache::{self, Reader, Scope, Writer};
use super::{Change, History, Revision, Signature, State};

const MAGIC: &[u8; 8] = b"BLITEM\0\x01";
const CHECKSUM: usize = 8;

/// What the stored histories were computed for.
pub(crate) struct Key<'a> {
    pub scope: &'a Scope<'a>,
    pub facts_key: &'a str,
    /// The project root relative to the work tree: history paths are relative to it.
    pub root_rel: &'a str,
    pub head: &'a ObjectId,
    /// The shallow boundary, sorted.
    pub shallow: &'a [ObjectId],
}

pub(crate) fn path(repo: &gix::Repository) -> PathBuf {
    let name = match repo.object_hash() {
        gix::hash::Kind::Sha1 => "items-v1.bin".to_owned(),
        other => format!("items-v1-{other}.bin"),
    };
    repo.common_dir().join("backlint").join(name)
}

/// A verified file whose key matched: the histories it holds, decoded on demand.
pub(crate) struct Stored {
    bytes: Vec<u8>,
    /// `(path, start, end)` of each record in `bytes`, sorted by path.
    index: Vec<(String, usize, usize)>,
    pub shallow: bool,
}

impl Stored {
    fn find(&self, path: &str) -> Option<(usize, usize)> {
        let i = self.index.binary_search_by(|(p, _, _)| p.as_str().cmp(path)).ok()?;
        Some((self.index[i].1, self.index[i].2))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    /// The history of the item at repository path `path`, with `state` filled in.
    pub fn get(&self, path: &str, state: State) -> Option<History> {
        let (start, end) = self.find(path)?;
        let mut r = Reader::new(&self.bytes[start..end], 0);
        let h = decode_history(&mut r, state, self.shallow)?;
        r.is_empty().then_some(h)
    }

    /// The raw records, to carry over into a file written for more items.
    fn records(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.index.iter().map(|(p, s, e)| (p.as_str(), &self.bytes[*s..*e]))
    }
}

pub(crate) fn load(path: &Path, key: &Key) -> Option<Stored> {
    let bytes = std::fs::read(path).ok()?;
    let body_len = bytes.len().checked_sub(CHECKSUM)?;
    let (body, sum) = bytes.split_at(body_len);
    if xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() != sum {
        return None;
    }
    let hash_len = key.head.as_bytes().len();
    let mut r = Reader::new(body, hash_len);
    if r.take(MAGIC.len())? != MAGIC || !read_key(&mut r, key)? {
        return None;
    }
    let shallow = r.u8()? == 1;
    let n = r.len()?;
    let mut index = Vec::with_capacity(n);
    for _ in 0..n {
        let path = r.string()?;
        let len = r.u32()? as usize;
        index.push((path, len));
    }
    let mut start = body_len - r.remaining();
    let mut located = Vec::with_capacity(n);
    for (path, len) in index {
        let end = start.checked_add(len).filter(|&e| e <= body_len)?;
        located.push((path, start, end));
        start = end;
    }
    if start != body_len || !located.windows(2).all(|w| w[0].0 < w[1].0) {
        return None;
    }
    Some(Stored { bytes, index: located, shallow })
}

/// Write the histories of `items` (repository path, history) for `key`, keeping the records
/// of `earlier` (same key) for paths not among them. Best effort, like the commit cache.
pub(crate) fn store(path: &Path, key: &Key, shallow: bool, items: &[(&str, &History)], earlier: Option<&Stored>) {
    let mut records: Vec<(&str, Vec<u8>)> = items
        .iter()
        .map(|(p, h)| {
            let mut w = Writer::new();
            encode_history(&mut w, h);
            (*p, w.into_bytes())
        })
        .collect();
    if let Some(earlier) = earlier.filter(|e| e.shallow == shallow) {
        let new: std::collections::HashSet<&str> = items.iter().map(|(p, _)| *p).collect();
        records.extend(earlier.records().filter(|(p, _)| !new.contains(p)).map(|(p, r)| (p, r.to_vec())));
    }
    records.sort_unstable_by(|a, b| a.0.cmp(b.0));
    records.dedup_by(|a, b| a.0 == b.0);
    let mut w = Writer::new();
    w.raw(MAGIC);
    write_key(&mut w, key);
    w.u8(u8::from(shallow));
    w.len(records.len());
    for (p, r) in &records {
        w.str(p);
        w.len(r.len());
    }
    for (_, r) in &records {
        w.raw(r);
    }
    let mut body = w.into_bytes();
    let sum = xxhash_rust::xxh3::xxh3_64(&body);
    body.extend_from_slice(&sum.to_le_bytes());
    let _ = cache::write_atomically(path, &body);
}

fn write_key(w: &mut Writer, key: &Key) {
    w.u8(key.head.as_bytes().len() as u8);
    w.list(key.scope.prefixes, |w, p| w.str(p));
    w.str(key.scope.key);
    w.str(key.facts_key);
    w.str(key.root_rel);
    w.id(key.head);
    w.ids(key.shallow);
}

/// Whether the header read from `r` is `key`; `None` if it is malformed.
fn read_key(r: &mut Reader, key: &Key) -> Option<bool> {
    let same = usize::from(r.u8()?) == key.head.as_bytes().len()
        && r.list(Reader::string)? == key.scope.prefixes
        && r.str()? == key.scope.key
        && r.str()? == key.facts_key
        && r.str()? == key.root_rel
        && r.id()? == *key.head
        && r.ids()? == key.shallow;
    Some(same)
}

fn encode_history(w: &mut Writer, h: &History) {
    let sig = |w: &mut Writer, s: &Signature| {
        w.str(&s.commit);
        w.str(&s.date);
        w.str(&s.author);
    };
    let opt_str = |w: &mut Writer, s: &Option<String>| match s {
        None => w.u8(0),
        Some(s) => {
            w.u8(1);
            w.str(s);
        }
    };
    for s in [&h.created, &h.last_changed] {
        match s {
            None => w.u8(0),
            Some(s) => {
                w.u8(1);
                sig(w, s);
            }
        }
    }
    w.len(h.revisions);
    w.list(&h.authors, |w, a| w.str(a));
    opt_str(w, &h.status_since);
    w.list(&h.renamed_from, |w, p| w.str(p));
    w.list(&h.timeline, |w, r| {
        sig(w, &r.commit);
        w.str(&r.subject);
        w.str(&r.path);
        match &r.change {
            Change::Added => w.u8(0),
            Change::Modified => w.u8(1),
            Change::Deleted => w.u8(2),
            Change::Renamed { from } => {
                w.u8(3);
                w.str(from);
            }
            Change::Copied { from } => {
                w.u8(4);
                w.str(from);
            }
        }
        opt_str(w, &r.status);
        w.u8(u8::from(r.only_status_changed));
        opt_str(w, &r.blob);
        opt_str(w, &r.size);
    });
}

fn decode_history(r: &mut Reader, state: State, shallow: bool) -> Option<History> {
    fn sig(r: &mut Reader) -> Option<Signature> {
        Some(Signature { commit: r.string()?, date: r.string()?, author: r.string()? })
    }
    fn opt_sig(r: &mut Reader) -> Option<Option<Signature>> {
        match r.u8()? {
            0 => Some(None),
            1 => Some(Some(sig(r)?)),
            _ => None,
        }
    }
    fn opt_str(r: &mut Reader) -> Option<Option<String>> {
        match r.u8()? {
            0 => Some(None),
            1 => Some(Some(r.string()?)),
            _ => None,
        }
    }
    let created = opt_sig(r)?;
    let last_changed = opt_sig(r)?;
    let revisions = r.u32()? as usize;
    let authors = r.list(Reader::string)?;
    let status_since = opt_str(r)?;
    let renamed_from = r.list(Reader::string)?;
    let timeline = r.list(|r| {
        let commit = sig(r)?;
        let subject = r.string()?;
        let path = r.string()?;
        let change = match r.u8()? {
            0 => Change::Added,
            1 => Change::Modified,
            2 => Change::Deleted,
            3 => Change::Renamed { from: r.string()? },
            4 => Change::Copied { from: r.string()? },
            _ => return None,
        };
        let status = opt_str(r)?;
        let only_status_changed = r.u8()? == 1;
        let blob = opt_str(r)?;
        let size = opt_str(r)?;
        Some(Revision { commit, subject, path, change, status, only_status_changed, blob, size, missing: false })
    })?;
    // Histories of partial clones are never stored: nothing stored is incomplete.
    Some(History {
        incomplete: Vec::new(),
        state,
        created,
        last_changed,
        revisions,
        authors,
        status_since,
        renamed_from,
        shallow,
        timeline,
    })
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn round_trip_partial_reads_and_rejects() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("items.bin");
        let head = ObjectId::try_from(&[7u8; 20][..]).expect("sha1");
        let prefixes = vec!["backlog".to_owned()];
        let scope = Scope { prefixes: &prefixes, key: "" };
        let key = Key { scope: &scope, facts_key: "status", root_rel: "", head: &head, shallow: &[] };
        let sig =
            |c: &str| Signature { commit: c.into(), date: "2026-01-05T10:12:00Z".into(), author: "Ann Ö".into() };
        let rev = |change: Change, blob: Option<&str>| Revision {
            commit: sig("abc"),
            subject: "Move things".into(),
            path: "backlog/a.md".into(),
            change,
            status: Some("ready".into()),
            only_status_changed: true,
            blob: blob.map(str::to_owned),
            size: Some("3".into()),
            missing: false,
        };
        let a = History {
            incomplete: Vec::new(),
            state: State::Committed,
            created: Some(sig("def")),
            last_changed: None,
            revisions: 3,
            authors: vec!["Ann Ö".into(), "Bo".into()],
            status_since: Some("2026-01-05T10:12:00Z".into()),
            renamed_from: vec!["backlog/b.md".into()],
            shallow: false,
            timeline: vec![
                rev(Change::Copied { from: "backlog/b.md".into() }, Some("0123")),
                rev(Change::Renamed { from: "backlog/c.md".into() }, None),
                rev(Change::Deleted, None),
                rev(Change::Modified, Some("4567")),
                rev(Change::Added, Some("89ab")),
            ],
        };
        let b = History { timeline: Vec::new(), status_since: None, ..a.clone() };
        store(&file, &key, false, &[("backlog/z.md", &b), ("backlog/a.md", &a)], None);
        let stored = load(&file, &key).expect("loads");
        assert_eq!(stored.get("backlog/a.md", State::Committed), Some(a.clone()));
        let modified = stored.get("backlog/z.md", State::Modified).expect("stored");
        assert_eq!(modified, History { state: State::Modified, ..b.clone() });
        assert!(!stored.contains("backlog/y.md"));

        // A later run for one more item keeps the earlier records.
        let c = History { revisions: 9, ..b.clone() };
        store(&file, &key, false, &[("backlog/m.md", &c)], Some(&stored));
        let more = load(&file, &key).expect("loads");
        assert_eq!(more.get("backlog/m.md", State::Committed), Some(c));
        assert_eq!(more.get("backlog/a.md", State::Committed), Some(a));

        // Another HEAD, field, root, shallow boundary or scope: nothing.
        let other = ObjectId::try_from(&[8u8; 20][..]).expect("sha1");
        assert!(load(&file, &Key { head: &other, ..key }).is_none());
        assert!(load(&file, &Key { facts_key: "state", ..key }).is_none());
        assert!(load(&file, &Key { root_rel: "sub", ..key }).is_none());
        assert!(load(&file, &Key { shallow: &[other], ..key }).is_none());
        let docs = ["docs".to_owned()];
        let docs_scope = Scope { prefixes: &docs, key: "" };
        assert!(load(&file, &Key { scope: &docs_scope, ..key }).is_none());
        // Any changed byte or a cut file fails the checksum.
        let bytes = std::fs::read(&file).expect("written");
        for at in [0, bytes.len() / 2, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[at] ^= 1;
            std::fs::write(&file, &bad).expect("write");
            assert!(load(&file, &key).is_none(), "flipped byte {at}");
        }
        std::fs::write(&file, &bytes[..bytes.len() - 3]).expect("write");
        assert!(load(&file, &key).is_none());
    }
}
