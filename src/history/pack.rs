//! Object reading for the history walk, with a delta cache that keeps every object of a delta
//! chain, not only the requested one.
//!
//! Trees and item blobs of a backlog are stored as long delta chains (up to `pack.depth`, 50 by
//! default). gix's pack cache stores only the object that was asked for, so resolving each
//! version of a large directory tree re-inflates most of its chain. Here each pack entry is
//! inflated once and kept (bounded by bytes), so neighbouring versions cost one delta each.
//! Objects outside the local packs (loose objects, alternates) are read through gix.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use gix::objs::Kind;
use gix::odb::pack::data::entry::Header;
use gix::odb::pack::data::Entry;
use gix::odb::pack::Bundle;
use gix::oid;

use super::HistoryError;

/// The local packs, shared by all workers.
pub(crate) struct Packs {
    /// The `.idx` files the bundles were opened from, to map them afresh.
    paths: Vec<PathBuf>,
    hash: gix::hash::Kind,
    /// The current mappings, replaced by [`Packs::remap`].
    bundles: RwLock<Arc<Vec<Bundle>>>,
    cache: Mutex<Generations>,
}

/// Shared without copying: an `Arc<[u8]>` would copy every decoded buffer once more.
pub(crate) type Bytes = Arc<Vec<u8>>;
pub(crate) type Object = (Kind, Bytes);

impl Packs {
    /// Open `objects/pack/*.idx` of `repo`; unreadable packs are skipped (gix reads their
    /// objects instead). `cache_bytes` bounds the shared cache of decoded entries.
    pub fn open(repo: &gix::Repository, cache_bytes: usize) -> Packs {
        let dir = repo.common_dir().join("objects").join("pack");
        let hash = repo.object_hash();
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx") && p.with_extension("pack").is_file())
            .collect();
        paths.sort();
        let (paths, bundles): (Vec<PathBuf>, Vec<Bundle>) =
            paths.into_iter().filter_map(|p| Bundle::at(&p, hash).ok().map(|b| (p, b))).unzip();
        Packs { paths, hash, bundles: RwLock::new(Arc::new(bundles)), cache: Mutex::new(Generations::new(cache_bytes)) }
    }

    /// Map the packs afresh. Every page of a mapping that was read counts towards the process's
    /// memory until it is unmapped, and a walk reads most of a pack; readers move to the new
    /// mappings when they [`Reader::refresh`], and the old ones go when the last reader has.
    pub fn remap(&self) {
        let Ok(fresh) = self.paths.iter().map(|p| Bundle::at(p, self.hash)).collect::<Result<Vec<_>, _>>() else {
            return;
        };
        if let Ok(mut bundles) = self.bundles.write() {
            *bundles = Arc::new(fresh);
        }
    }

    fn current(&self) -> Arc<Vec<Bundle>> {
        match self.bundles.read() {
            Ok(bundles) => bundles.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A per-thread reader over these packs.
    pub fn reader(&self, repo: gix::Repository) -> Reader<'_> {
        Reader {
            packs: self,
            bundles: self.current(),
            repo,
            inflater: libdeflater::Decompressor::new(),
            delta: Vec::new(),
        }
    }
}

pub(crate) struct Reader<'p> {
    packs: &'p Packs,
    bundles: Arc<Vec<Bundle>>,
    repo: gix::Repository,
    /// libdeflate rather than zlib: a walk inflates ~100,000 small objects, and zlib spends
    /// much of that time setting up for each one.
    inflater: libdeflater::Decompressor,
    delta: Vec<u8>,
}

impl Reader<'_> {
    pub fn repo(&self) -> &gix::Repository {
        &self.repo
    }

    /// Read from the packs' current mappings (see [`Packs::remap`]).
    pub fn refresh(&mut self) {
        self.bundles = self.packs.current();
    }

    /// The object `id`, from the packs if it is there, otherwise through gix.
    pub fn find(&mut self, id: &oid) -> Result<Object, HistoryError> {
        self.find_with(id, Self::decode)
    }

    /// [`Reader::find`] for objects read only once, such as commits: one stored whole in a pack
    /// is not kept in the shared cache, where it would only push out delta bases.
    pub fn find_once(&mut self, id: &oid) -> Result<Object, HistoryError> {
        self.find_with(id, |reader, pack, offset| {
            let bundles = reader.bundles.clone();
            let entry = bundles[pack].pack.entry(offset).ok()?;
            match entry.header {
                Header::OfsDelta { .. } | Header::RefDelta { .. } => reader.decode(pack, offset),
                _ => reader.inflate_whole(&bundles[pack].pack, &entry),
            }
        })
    }

    fn find_with(
        &mut self,
        id: &oid,
        decode: impl FnOnce(&mut Self, usize, u64) -> Option<Object>,
    ) -> Result<Object, HistoryError> {
        let found = self.bundles.iter().enumerate().find_map(|(pack, b)| {
            let i = b.index.lookup(id)?;
            Some((pack, b.index.pack_offset_at_index(i)))
        });
        if let Some(obj) = found.and_then(|(pack, offset)| decode(self, pack, offset)) {
            return Ok(obj);
        }
        let mut buf = Vec::new();
        let kind = super::trees::find(&self.repo, id, &mut buf)?;
        Ok((kind, Arc::new(buf)))
    }

    /// Resolve the entry at `offset`, caching it and every delta base on the way. `None` on
    /// anything unexpected (a base in another pack, corrupt data): the caller falls back to gix.
    fn decode(&mut self, pack: usize, offset: u64) -> Option<Object> {
        let bundles = self.bundles.clone();
        let data = &bundles[pack].pack;
        let mut chain = Vec::new();
        let mut cursor = offset;
        let mut base = loop {
            if let Some(hit) = self.cached(pack, cursor) {
                break hit;
            }
            let entry = data.entry(cursor).ok()?;
            let obj = match entry.header {
                Header::OfsDelta { base_distance } => {
                    let next = Header::verified_base_pack_offset(cursor, base_distance)?;
                    chain.push(entry);
                    cursor = next;
                    continue;
                }
                Header::RefDelta { base_id } => {
                    chain.push(entry);
                    let b = &bundles[pack];
                    let next = b.index.pack_offset_at_index(b.index.lookup(base_id)?);
                    cursor = next;
                    continue;
                }
                _ => self.inflate_whole(data, &entry)?,
            };
            self.store(pack, cursor, &obj);
            break obj;
        };
        while let Some(entry) = chain.pop() {
            self.delta.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
            inflate(&mut self.inflater, data, &entry, &mut self.delta)?;
            let out = apply_delta(&base.1, &self.delta)?;
            base = (base.0, Arc::new(out));
            self.store(pack, entry.pack_offset(), &base);
        }
        Some(base)
    }

    /// An entry stored whole, inflated; `None` for a delta or on bad data.
    fn inflate_whole(&mut self, data: &gix::odb::pack::data::File, entry: &Entry) -> Option<Object> {
        let kind = match entry.header {
            Header::Commit => Kind::Commit,
            Header::Tree => Kind::Tree,
            Header::Blob => Kind::Blob,
            Header::Tag => Kind::Tag,
            Header::OfsDelta { .. } | Header::RefDelta { .. } => return None,
        };
        let mut out = vec![0; usize::try_from(entry.decompressed_size).ok()?];
        inflate(&mut self.inflater, data, entry, &mut out)?;
        Some((kind, Arc::new(out)))
    }

    fn cached(&self, pack: usize, offset: u64) -> Option<Object> {
        self.packs.cache.lock().ok()?.get(&(pack, offset))
    }

    fn store(&self, pack: usize, offset: u64, obj: &Object) {
        if let Ok(mut c) = self.packs.cache.lock() {
            c.put((pack, offset), obj.clone());
        }
    }
}

/// Inflate the zlib stream of `entry` into `out`, which has its decompressed size. The stream's
/// compressed length is not recorded in the pack: libdeflate stops at its end by itself.
fn inflate(
    inflater: &mut libdeflater::Decompressor,
    data: &gix::odb::pack::data::File,
    entry: &Entry,
    out: &mut [u8],
) -> Option<()> {
    let input = data.entry_slice(entry.data_offset..u64::try_from(data.data_len()).ok()?)?;
    (inflater.zlib_decompress(input, out).ok()? == out.len()).then_some(())
}

/// Entries by pack position, bounded by bytes: when the young generation is full it becomes
/// the old one and the previous old generation is dropped; hits in the old one are promoted.
struct Generations {
    young: HashMap<(usize, u64), Object, BuildOffsetHasher>,
    old: HashMap<(usize, u64), Object, BuildOffsetHasher>,
    young_bytes: usize,
    limit: usize,
}

impl Generations {
    fn new(total_bytes: usize) -> Self {
        Generations { young: HashMap::default(), old: HashMap::default(), young_bytes: 0, limit: total_bytes / 2 }
    }

    fn get(&mut self, key: &(usize, u64)) -> Option<Object> {
        if let Some(o) = self.young.get(key) {
            return Some(o.clone());
        }
        let o = self.old.remove(key)?;
        self.put(*key, o.clone());
        Some(o)
    }

    fn put(&mut self, key: (usize, u64), obj: Object) {
        if self.young_bytes + obj.1.len() > self.limit {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        self.young_bytes += obj.1.len();
        self.young.insert(key, obj);
    }
}

/// Hashes `(pack, offset)` keys by multiplication: they are distinct small integers, and the
/// default SipHash showed in profiles of the history walk.
#[derive(Default)]
struct OffsetHasher(u64);

impl std::hash::Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type BuildOffsetHasher = std::hash::BuildHasherDefault<OffsetHasher>;

/// Apply a git delta (`base size`, `result size`, then copy and insert instructions).
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    fn size(d: &mut &[u8]) -> Option<usize> {
        let mut v: u64 = 0;
        let mut shift = 0;
        loop {
            let (&b, rest) = d.split_first()?;
            *d = rest;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                return usize::try_from(v).ok();
            }
        }
    }
    let mut d = delta;
    if size(&mut d)? != base.len() {
        return None;
    }
    let len = size(&mut d)?;
    let mut out = Vec::with_capacity(len);
    while let Some((&cmd, rest)) = d.split_first() {
        d = rest;
        if cmd & 0x80 != 0 {
            let mut offset = 0usize;
            let mut n = 0usize;
            for i in 0..4 {
                if cmd & (1 << i) != 0 {
                    let (&b, rest) = d.split_first()?;
                    d = rest;
                    offset |= usize::from(b) << (8 * i);
                }
            }
            for i in 0..3 {
                if cmd & (0x10 << i) != 0 {
                    let (&b, rest) = d.split_first()?;
                    d = rest;
                    n |= usize::from(b) << (8 * i);
                }
            }
            if n == 0 {
                n = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(n)?)?);
        } else if cmd != 0 {
            let n = usize::from(cmd);
            out.extend_from_slice(d.get(..n)?);
            d = &d[n..];
        } else {
            return None;
        }
    }
    (out.len() == len).then_some(out)
}

#[cfg(test)]
mod unit {
    use super::apply_delta;

    #[test]
    fn deltas() {
        let base = b"hello, world";
        // base 12, result 11: copy "hello" (offset 0, size 5), insert " you!", copy "!" wrongly sized.
        let delta = [12, 11, 0x90, 5, 6, b' ', b'y', b'o', b'u', b'!', b'!'];
        assert_eq!(apply_delta(base, &delta).as_deref(), Some(&b"hello you!!"[..]));
        // copy with offset: "world" at 7
        let delta = [12, 5, 0x91, 7, 5];
        assert_eq!(apply_delta(base, &delta).as_deref(), Some(&b"world"[..]));
        assert_eq!(apply_delta(base, &[11, 0]), None, "wrong base size");
        assert_eq!(apply_delta(base, &[12, 3, 0x91, 10, 3]), None, "copy out of range");
        assert_eq!(apply_delta(base, &[12, 1, 0]), None, "reserved instruction");
    }
}
