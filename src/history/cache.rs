//! The on-disk cache: per-commit change lists and per-blob facts, so warm runs neither diff
//! trees nor read item blobs again. Commit records are immutable facts about a commit (given
//! the prefixes and the parents they were diffed against), so a moved `HEAD` reuses every
//! record still reachable and only diffs the new commits. Any mismatch or read problem means
//! starting empty; the cache can never change results, only save work.
//!
//! The file is a compact little-endian binary format (read in one go, no per-field parsing of
//! text): a header, then length-prefixed records. Strings are `u32` length + UTF-8 bytes,
//! object ids are raw bytes of the repository's hash length, options are a `u8` tag.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use gix::ObjectId;

use super::sources::Source;
use super::trees::RawChange;
use super::walk::CommitRec;
use super::BlobFacts;

const MAGIC: &[u8; 8] = b"BLHIST\0\x04";
const NAME: &str = "history-v4.bin";
/// Earlier cache files that are removed when a new one is written.
const STALE: &[&str] = &["history-v1.json", "history-v2.bin", "history-v3.bin"];

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

pub(crate) fn path(repo: &gix::Repository) -> PathBuf {
    repo.common_dir().join("backlint").join(NAME)
}

pub(crate) fn load(path: &Path, scope: &Scope, facts_key: &str, hash_len: usize) -> Cache {
    let Ok(bytes) = std::fs::read(path) else { return Cache::default() };
    decode(&bytes, scope, facts_key, hash_len).unwrap_or_default()
}

/// Best effort: a read-only git directory just means no cache.
pub(crate) fn store(path: &Path, scope: &Scope, facts_key: &str, hash_len: usize, cache: &Cache) {
    let bytes = encode(scope, facts_key, hash_len, cache);
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Write-then-rename so concurrent runs never read a torn file.
    let tmp = dir.join(format!(".{NAME}.{}.tmp", std::process::id()));
    let ok = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(&bytes)).is_ok();
    if !ok || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return;
    }
    for stale in STALE {
        let _ = std::fs::remove_file(dir.join(stale));
    }
}

fn encode(scope: &Scope, facts_key: &str, hash_len: usize, cache: &Cache) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(1 << 20) };
    w.out.extend_from_slice(MAGIC);
    w.u8(hash_len as u8);
    w.list(scope.prefixes, |w, p| w.str(p));
    w.str(scope.key);
    w.str(facts_key);
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
        w.opt_list(c.sources.as_deref(), |w, s| {
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
    }
    w.out
}

fn decode(bytes: &[u8], scope: &Scope, facts_key: &str, hash_len: usize) -> Option<Cache> {
    let mut r = Reader { data: bytes, hash_len };
    if r.take(MAGIC.len())? != MAGIC || usize::from(r.u8()?) != hash_len {
        return None;
    }
    if r.list(Reader::string)? != scope.prefixes || r.str()? != scope.key {
        return None;
    }
    let facts_match = r.str()? == facts_key;
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
        if facts_match {
            facts.insert(id, BlobFacts { status, other_hash });
        }
    }
    r.data.is_empty().then_some(Cache { commits, facts })
}

struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    /// A list: the length, then the items.
    fn list<T>(&mut self, list: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.len(list.len());
        for x in list {
            item(self, x);
        }
    }
    /// An optional list: a tag, then the list.
    fn opt_list<T>(&mut self, list: Option<&[T]>, item: impl FnMut(&mut Self, &T)) {
        match list {
            None => self.u8(0),
            Some(list) => {
                self.u8(1);
                self.list(list, item);
            }
        }
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.out.extend_from_slice(s.as_bytes());
    }
    fn id(&mut self, id: &ObjectId) {
        self.out.extend_from_slice(id.as_bytes());
    }
    fn ids(&mut self, ids: &[ObjectId]) {
        self.list(ids, |w, id| w.id(id));
    }
    fn opt_id(&mut self, id: &Option<ObjectId>) {
        match id {
            None => self.u8(0),
            Some(id) => {
                self.u8(1);
                self.id(id);
            }
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    hash_len: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.data.len() < n {
            return None;
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        // Every counted element takes at least one byte; a larger count is a corrupt file.
        (n <= self.data.len()).then_some(n)
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }
    fn id(&mut self) -> Option<ObjectId> {
        ObjectId::try_from(self.take(self.hash_len)?).ok()
    }
    fn ids(&mut self) -> Option<Vec<ObjectId>> {
        self.list(Self::id)
    }
    fn opt_id(&mut self) -> Option<Option<ObjectId>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.id()?)),
            _ => None,
        }
    }
    /// See [`Writer::list`]; `None` if the data is malformed.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push(item(self)?);
        }
        Some(list)
    }
    /// See [`Writer::opt_list`]; `None` if the data is malformed.
    fn opt_list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<Option<Vec<T>>> {
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
        cache.facts.insert(id(5), BlobFacts { status: Some("todo".into()), other_hash: 42 });
        cache.facts.insert(id(6), BlobFacts { status: None, other_hash: 7 });
        let prefixes = vec!["backlog".to_owned()];
        let scope = Scope { prefixes: &prefixes, key: "backlog/**/*.md" };
        let bytes = encode(&scope, "status", 20, &cache);
        let back = decode(&bytes, &scope, "status", 20).expect("decodes");
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
        let other = decode(&bytes, &scope, "state", 20).expect("decodes");
        assert_eq!((other.commits.len(), other.facts.len()), (1, 0));
        let docs = ["docs".to_owned()];
        assert!(decode(&bytes, &Scope { prefixes: &docs, key: scope.key }, "status", 20).is_none());
        assert!(decode(&bytes, &Scope { prefixes: &prefixes, key: "**/*.md" }, "status", 20).is_none());
        assert!(decode(&bytes, &scope, "status", 32).is_none());
        for cut in [0, 9, bytes.len() / 2, bytes.len() - 1] {
            assert!(decode(&bytes[..cut], &scope, "status", 20).is_none());
        }
    }
}
