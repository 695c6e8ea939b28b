//! The on-disk cache: per-commit change lists and per-blob facts, so warm runs neither diff
//! trees nor read item blobs again. Commit records are immutable facts about a commit (given
//! the prefixes and the parents they were diffed against), so a moved `HEAD` reuses every
//! record still reachable and only diffs the new commits. Any mismatch or read problem means
//! starting empty; the cache can never change results, only save work.
//!
//! The file is a compact little-endian binary format (read in one go, no per-field parsing of
//! text): a header, then length-prefixed records, then an XXH3-64 checksum of everything before
//! it. Strings are `u32` length + UTF-8 bytes, object ids are raw bytes of the repository's hash
//! length, options are a `u8` tag. The checksum is verified before anything is decoded: a file
//! changed on disk (a flipped bit, a cut or appended tail) is ignored and rewritten, and can
//! never turn into different facts. There is one file per hash kind.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use gix::ObjectId;

use super::sources::Source;
use super::trees::RawChange;
use super::walk::CommitRec;
use super::BlobFacts;

const MAGIC: &[u8; 8] = b"BLHIST\0\x05";
/// Earlier cache files that are removed when a new one is written.
const STALE: &[&str] = &["history-v1.json", "history-v2.bin", "history-v3.bin", "history-v4.bin"];
/// Bytes of the trailing checksum.
const CHECKSUM: usize = 8;

/// What the change lists were recorded for: the prefixes and the paths kept below them.
pub(crate) struct Scope<'a> {
    pub prefixes: &'a [String],
    pub key: &'a str,
}

#[derive(Default)]
pub(crate) struct Cache {
    pub commits: HashMap<ObjectId, CommitRec>,
    pub facts: HashMap<ObjectId, BlobFacts>,
}

/// The cache file of `repo`: one per object hash kind, so that a repository converted to
/// another hash never reads ids of the wrong length.
pub(crate) fn path(repo: &gix::Repository) -> PathBuf {
    let name = match repo.object_hash() {
        gix::hash::Kind::Sha1 => "history-v5.bin".to_owned(),
        other => format!("history-v5-{other}.bin"),
    };
    repo.common_dir().join("backlint").join(name)
}

pub(crate) fn load(path: &Path, scope: &Scope, facts_key: &str, hash_len: usize) -> Cache {
    let Ok(bytes) = std::fs::read(path) else { return Cache::default() };
    verified(&bytes).and_then(|body| decode(body, scope, facts_key, hash_len)).unwrap_or_default()
}

/// The cache could not be written (the reason); later runs read the history again.
#[derive(Debug)]
pub(crate) struct NotStored(pub String);

/// Write the cache; a git directory that cannot be written is reported, not an error.
pub(crate) fn store(
    path: &Path,
    scope: &Scope,
    facts_key: &str,
    hash_len: usize,
    cache: &Cache,
) -> Result<(), NotStored> {
    let bytes = encode(scope, facts_key, hash_len, cache);
    write_atomically(path, &bytes)?;
    if let Some(dir) = path.parent() {
        for stale in STALE {
            let _ = std::fs::remove_file(dir.join(stale));
        }
    }
    Ok(())
}

/// Write `bytes` to `path` through a temporary file and a rename, so concurrent runs never
/// read a torn file.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), NotStored> {
    let dir = path.parent().ok_or_else(|| NotStored(format!("{} has no parent directory", path.display())))?;
    let fail = |e: std::io::Error| NotStored(format!("{}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written =
        std::fs::File::create(&tmp).and_then(|mut f| f.write_all(bytes)).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// The file's body if its trailing checksum matches it.
fn verified(bytes: &[u8]) -> Option<&[u8]> {
    let split = bytes.len().checked_sub(CHECKSUM)?;
    let (body, sum) = bytes.split_at(split);
    (xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() == sum).then_some(body)
}

fn seal(mut body: Vec<u8>) -> Vec<u8> {
    let sum = xxhash_rust::xxh3::xxh3_64(&body);
    body.extend_from_slice(&sum.to_le_bytes());
    body
}

fn encode(scope: &Scope, facts_key: &str, hash_len: usize, cache: &Cache) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(1 << 20) };
    w.out.extend_from_slice(MAGIC);
    w.u8(hash_len as u8);
    w.list(scope.prefixes, |w, p| w.str(p));
    w.str(scope.key);
    w.str(facts_key);
    // A facts key of two lines (status and size field names) stores the size value too.
    let with_size = facts_key.lines().count() > 1;
    w.len(cache.commits.len());
    for (id, c) in &cache.commits {
        w.id(id);
        w.id(&c.tree);
        w.ids(&c.parents);
        w.i64(c.commit_time);
        w.str(&c.author);
        w.i64(c.author_time);
        w.str(&c.subject);
        w.opt_list(c.changes.as_deref(), |w, ch| {
            w.str(&ch.path);
            w.opt_id(&ch.old);
            w.opt_id(&ch.new);
        });
        w.list(&c.same_as_parent, |w, (path, n)| {
            w.str(path);
            w.u32(*n);
        });
        // Undecided sources (blobs missing in a partial clone) are decided again next time:
        // the blobs may have been fetched since.
        let sources = c.sources.as_deref().filter(|list| !list.iter().any(Source::is_undecided));
        w.opt_list(sources, |w, s| {
            w.str(&s.from);
            w.str(&s.to);
            w.u8(u8::from(s.copied));
        });
        w.ids(&c.based_on);
    }
    w.len(cache.facts.len());
    for (id, f) in &cache.facts {
        w.id(id);
        match &f.status {
            None => w.u8(0),
            Some(s) => {
                w.u8(1);
                w.str(s);
            }
        }
        w.out.extend_from_slice(&f.other_hash.to_le_bytes());
        if with_size {
            match &f.size {
                None => w.u8(0),
                Some(s) => {
                    w.u8(1);
                    w.str(s);
                }
            }
        }
    }
    seal(w.out)
}

/// An optional string (tag byte, then the string) when `present`; `Some(None)` otherwise.
fn r_opt(r: &mut Reader, present: bool) -> Option<Option<String>> {
    if !present {
        return Some(None);
    }
    match r.u8()? {
        0 => Some(None),
        1 => Some(Some(r.string()?)),
        _ => None,
    }
}

fn decode(bytes: &[u8], scope: &Scope, facts_key: &str, hash_len: usize) -> Option<Cache> {
    let mut r = Reader { data: bytes, hash_len };
    if r.take(MAGIC.len())? != MAGIC || usize::from(r.u8()?) != hash_len {
        return None;
    }
    if r.list(Reader::string)? != scope.prefixes || r.str()? != scope.key {
        return None;
    }
    let stored_key = r.str()?;
    let facts_match = stored_key == facts_key;
    let with_size = stored_key.lines().count() > 1;
    let n = r.len()?;
    let mut commits = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.id()?;
        let tree = r.id()?;
        let parents = r.ids()?;
        let commit_time = r.i64()?;
        let author = r.string()?;
        let author_time = r.i64()?;
        let subject = r.string()?;
        let changes = r.opt_list(|r| Some(RawChange { path: r.string()?, old: r.opt_id()?, new: r.opt_id()? }))?;
        let same_as_parent = r.list(|r| Some((r.string()?, r.u32()?)))?;
        let sources = r.opt_list(|r| Some(Source { from: r.string()?, to: r.string()?, copied: r.u8()? == 1 }))?;
        let based_on = r.ids()?;
        commits.insert(
            id,
            CommitRec {
                tree,
                parents,
                commit_time,
                author,
                author_time,
                subject,
                changes,
                same_as_parent,
                sources,
                based_on,
            },
        );
    }
    let n = r.len()?;
    let mut facts = HashMap::with_capacity(if facts_match { n } else { 0 });
    for _ in 0..n {
        let id = r.id()?;
        let status = match r.u8()? {
            0 => None,
            1 => Some(r.string()?),
            _ => return None,
        };
        let other_hash = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        let size = match (with_size, r_opt(&mut r, with_size)?) {
            (true, size) => size,
            (false, _) => None,
        };
        if facts_match {
            facts.insert(id, BlobFacts { status, other_hash, size });
        }
    }
    r.data.is_empty().then_some(Cache { commits, facts })
}

pub(super) struct Writer {
    out: Vec<u8>,
}

impl Writer {
    pub(super) fn new() -> Self {
        Writer { out: Vec::new() }
    }
    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.out
    }
    pub(super) fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
    pub(super) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    /// A list: the length, then the items.
    pub(super) fn list<T>(&mut self, list: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.len(list.len());
        for x in list {
            item(self, x);
        }
    }
    /// An optional list: a tag, then the list.
    pub(super) fn opt_list<T>(&mut self, list: Option<&[T]>, item: impl FnMut(&mut Self, &T)) {
        match list {
            None => self.u8(0),
            Some(list) => {
                self.u8(1);
                self.list(list, item);
            }
        }
    }
    pub(super) fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    pub(super) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn i64(&mut self, v: i64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    pub(super) fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }
    pub(super) fn id(&mut self, id: &ObjectId) {
        self.out.extend_from_slice(id.as_bytes());
    }
    pub(super) fn ids(&mut self, ids: &[ObjectId]) {
        self.list(ids, |w, id| w.id(id));
    }
    pub(super) fn opt_id(&mut self, id: &Option<ObjectId>) {
        match id {
            None => self.u8(0),
            Some(id) => {
                self.u8(1);
                self.id(id);
            }
        }
    }
}

pub(super) struct Reader<'a> {
    data: &'a [u8],
    hash_len: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(data: &'a [u8], hash_len: usize) -> Self {
        Reader { data, hash_len }
    }
    pub(super) fn remaining(&self) -> usize {
        self.data.len()
    }
    pub(super) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.data.len() < n {
            return None;
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Some(head)
    }
    pub(super) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(super) fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        // Every counted element takes at least one byte; a larger count is a corrupt file.
        (n <= self.data.len()).then_some(n)
    }
    pub(super) fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub(super) fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    pub(super) fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }
    pub(super) fn id(&mut self) -> Option<ObjectId> {
        ObjectId::try_from(self.take(self.hash_len)?).ok()
    }
    pub(super) fn ids(&mut self) -> Option<Vec<ObjectId>> {
        self.list(Self::id)
    }
    pub(super) fn opt_id(&mut self) -> Option<Option<ObjectId>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.id()?)),
            _ => None,
        }
    }
    /// See [`Writer::list`]; `None` if the data is malformed.
    pub(super) fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push(item(self)?);
        }
        Some(list)
    }
    /// See [`Writer::opt_list`]; `None` if the data is malformed.
    pub(super) fn opt_list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Option<Vec<T>>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.list(item)?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let id = |b: u8| ObjectId::try_from(&[b; 20][..]).expect("sha1");
        let mut cache = Cache::default();
        cache.commits.insert(
            id(1),
            CommitRec {
                tree: id(2),
                parents: vec![id(3), id(4)],
                commit_time: -5,
                author: "Ann Ö".into(),
                author_time: 1_700_000_000,
                subject: "Move things".into(),
                changes: Some(vec![RawChange { path: "backlog/a.md".into(), old: None, new: Some(id(5)) }]),
                same_as_parent: vec![("backlog/c.md".into(), 1)],
                sources: Some(vec![Source { from: "backlog/b.md".into(), to: "backlog/a.md".into(), copied: true }]),
                based_on: vec![id(3)],
            },
        );
        cache.facts.insert(id(5), BlobFacts { status: Some("todo".into()), other_hash: 42, size: None });
        cache.facts.insert(id(6), BlobFacts { status: None, other_hash: 7, size: None });
        let prefixes = vec!["backlog".to_owned()];
        let scope = Scope { prefixes: &prefixes, key: "backlog/**/*.md" };
        let sealed = encode(&scope, "status", 20, &cache);
        let bytes = verified(&sealed).expect("checksum matches");
        let back = decode(bytes, &scope, "status", 20).expect("decodes");
        let c = &back.commits[&id(1)];
        assert_eq!(
            (c.tree, c.parents.clone(), c.commit_time, c.author_time),
            (id(2), vec![id(3), id(4)], -5, 1_700_000_000)
        );
        assert_eq!((c.author.as_str(), c.subject.as_str()), ("Ann Ö", "Move things"));
        assert_eq!(
            c.changes.as_deref(),
            Some(&[RawChange { path: "backlog/a.md".into(), old: None, new: Some(id(5)) }][..])
        );
        assert_eq!(c.same_as_parent, [("backlog/c.md".to_owned(), 1)]);
        assert_eq!(c.sources, cache.commits[&id(1)].sources);
        assert_eq!(c.based_on, [id(3)]);
        assert_eq!(back.facts, cache.facts);
        // Other facts key: commits kept, facts dropped. Other prefixes or globs, hash or a cut
        // file: nothing.
        let other = decode(bytes, &scope, "state", 20).expect("decodes");
        assert_eq!((other.commits.len(), other.facts.len()), (1, 0));
        let docs = ["docs".to_owned()];
        assert!(decode(bytes, &Scope { prefixes: &docs, key: scope.key }, "status", 20).is_none());
        assert!(decode(bytes, &Scope { prefixes: &prefixes, key: "**/*.md" }, "status", 20).is_none());
        assert!(decode(bytes, &scope, "status", 32).is_none());
        for cut in [0, 9, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut], &scope, "status", 20).is_none());
        }
        // Any changed bit, a cut or an appended tail fails the checksum.
        for bit in 0..sealed.len() * 8 {
            let mut flipped = sealed.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(verified(&flipped).is_none(), "bit {bit}");
        }
        assert!(verified(&sealed[..sealed.len() - 1]).is_none());
        assert!(verified(&[&sealed[..], b"x"].concat()).is_none());
        assert!(verified(&[]).is_none());
    }
}
