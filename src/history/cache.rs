//! The on-disk cache: per-commit change lists and per-blob facts, so warm runs neither diff
//! trees nor read item blobs again. Commit records are immutable facts about a commit (given
//! the prefixes and the parents they were diffed against), so a moved `HEAD` reuses every
//! record still reachable and only diffs the new commits. Any mismatch or read problem means
//! starting empty; the cache can never change results, only save work.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use super::walk::CommitRec;
use super::BlobFacts;

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CachedFacts {
    status: Option<String>,
    other_hash: u64,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: u32,
    prefixes: Vec<String>,
    facts_key: String,
    commits: Vec<(Hex, CommitRec)>,
    facts: Vec<(Hex, CachedFacts)>,
}

#[derive(Default)]
pub(crate) struct Cache {
    pub commits: HashMap<ObjectId, CommitRec>,
    pub facts: HashMap<ObjectId, BlobFacts>,
}

pub(crate) fn path(repo: &gix::Repository) -> PathBuf {
    repo.common_dir().join("backlint").join("history-v1.json")
}

pub(crate) fn load(path: &Path, prefixes: &[String], facts_key: &str) -> Cache {
    let Ok(bytes) = std::fs::read(path) else { return Cache::default() };
    let Ok(file) = serde_json::from_slice::<File>(&bytes) else { return Cache::default() };
    if file.format != FORMAT || file.prefixes != prefixes {
        return Cache::default();
    }
    let facts = if file.facts_key == facts_key {
        file.facts.into_iter().map(|(id, f)| (id.0, BlobFacts { status: f.status, other_hash: f.other_hash })).collect()
    } else {
        HashMap::new()
    };
    Cache { commits: file.commits.into_iter().map(|(id, c)| (id.0, c)).collect(), facts }
}

/// Best effort: a read-only git directory just means no cache.
pub(crate) fn store(path: &Path, prefixes: &[String], facts_key: &str, cache: Cache) {
    let file = File {
        format: FORMAT,
        prefixes: prefixes.to_vec(),
        facts_key: facts_key.to_owned(),
        commits: cache.commits.into_iter().map(|(id, c)| (Hex(id), c)).collect(),
        facts: cache
            .facts
            .into_iter()
            .map(|(id, f)| (Hex(id), CachedFacts { status: f.status, other_hash: f.other_hash }))
            .collect(),
    };
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Write-then-rename so concurrent runs never read a torn file.
    let tmp = dir.join(format!(".history-v1.{}.tmp", std::process::id()));
    let ok = std::fs::File::create(&tmp)
        .map(std::io::BufWriter::new)
        .and_then(|mut w| {
            serde_json::to_writer(&mut w, &file).map_err(std::io::Error::from)?;
            w.flush()
        })
        .is_ok();
    if !ok || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Object ids as hex strings; gix's own serde support is not enabled in this build.
#[derive(Clone, Copy)]
pub(crate) struct Hex(pub ObjectId);

impl Serialize for Hex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Hex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ObjectId::from_hex(s.as_bytes()).map(Hex).map_err(serde::de::Error::custom)
    }
}

pub(crate) mod oid {
    use super::Hex;
    use gix::ObjectId;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(id: &ObjectId, s: S) -> Result<S::Ok, S::Error> {
        Hex(*id).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ObjectId, D::Error> {
        Ok(Hex::deserialize(d)?.0)
    }
}

pub(crate) mod opt_oid {
    use super::Hex;
    use gix::ObjectId;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(id: &Option<ObjectId>, s: S) -> Result<S::Ok, S::Error> {
        id.map(Hex).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ObjectId>, D::Error> {
        Ok(Option::<Hex>::deserialize(d)?.map(|h| h.0))
    }
}

pub(crate) mod vec_oid {
    use super::Hex;
    use gix::ObjectId;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ids: &[ObjectId], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ids.iter().map(|i| Hex(*i)))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ObjectId>, D::Error> {
        Ok(Vec::<Hex>::deserialize(d)?.into_iter().map(|h| h.0).collect())
    }
}
