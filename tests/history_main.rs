// Temporary harness until lib.rs exposes `pub mod history`.
extern crate self as backlint;
#[path = "../src/history/mod.rs"]
pub mod history;
#[path = "history.rs"]
mod history_tests;

/// Temporary benchmark entry point until `backlint check` calls `history::collect`.
#[test]
#[ignore]
fn bench_collect() {
    use backlint::history::{collect, BlobFacts, CacheMode, Request};
    let Some(dir) = std::env::var_os("BACKLINT_CORPUS").map(std::path::PathBuf::from) else { return };
    let mut items = Vec::new();
    let mut stack = vec![dir.join("backlog")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(&dir) {
                items.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    let facts = |data: &[u8]| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut status = None;
        for line in data.split(|&b| b == b'\n') {
            match line.strip_prefix(b"status:") {
                Some(v) => status = Some(String::from_utf8_lossy(v).trim().to_owned()),
                None => line.hash(&mut h),
            }
        }
        BlobFacts { status, other_hash: h.finish() }
    };
    let mode = match std::env::var("BACKLINT_CACHE").as_deref() {
        Ok("off") => CacheMode::Off,
        Ok("refresh") => CacheMode::Refresh,
        _ => CacheMode::ReadWrite,
    };
    let prefixes = vec!["backlog".to_owned()];
    let t = std::time::Instant::now();
    let req = Request {
        project_root: &dir,
        items: &items,
        prefixes: &prefixes,
        facts: &facts,
        facts_key: "bench",
        cache: mode,
    };
    let idx = collect(&req).expect("collect");
    let revs: usize = items.iter().filter_map(|i| idx.get(i)).map(|h| h.revisions).sum();
    eprintln!("{} items, {} revisions, {:?}", items.len(), revs, t.elapsed());
}
