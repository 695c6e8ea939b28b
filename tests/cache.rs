//! The history cache in `.git/backlint/` never changes an answer: a damaged, foreign or future
//! file is ignored and rewritten, and a git directory that cannot hold it still gives the full
//! report.

use std::path::{Path, PathBuf};

use crate::support::{item, GitRepo, Run};

/// A backlog whose every item has a finding (so its history is in the report): created,
/// refined, renamed, with several authors.
fn backlog(n: usize, tag: &str) -> GitRepo {
    let repo = GitRepo::new();
    for i in 0..n {
        // No acceptance criteria: a finding on every item.
        let text = item(&format!("{tag}-{i}"), "idea").replace("## Acceptance criteria\n- [ ] it works\n", "");
        repo.write(&format!("backlog/{tag}-{i}.md"), text);
    }
    repo.commit("Dana Pérez", 0, "Add the backlog");
    for i in (0..n).step_by(3) {
        let text = item(&format!("{tag}-{i}"), "ready").replace("## Acceptance criteria\n- [ ] it works\n", "");
        repo.write(&format!("backlog/{tag}-{i}.md"), text);
    }
    repo.commit("Chen Wei", 2, "Refine every third item");
    repo.git(&["mv", &format!("backlog/{tag}-1.md"), &format!("backlog/{tag}-1-renamed.md")]);
    repo.commit("Ann Lee", 1, "Rename one item");
    repo
}

fn cache_dir(repo: &GitRepo) -> PathBuf {
    repo.path().join(".git").join("backlint")
}

/// The one cache file whose name starts with `prefix` (whatever its version).
fn cache_file_named(repo: &GitRepo, prefix: &str) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(cache_dir(repo))
        .expect("the cache directory exists after a run")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
        .collect();
    assert_eq!(files.len(), 1, "one {prefix} cache file: {files:?}");
    files.into_iter().next().expect("one")
}

/// The history cache file: commit records and blob facts.
fn cache_file(repo: &GitRepo) -> PathBuf {
    cache_file_named(repo, "history-")
}

/// The file of finished item histories for one `HEAD`.
fn items_file(repo: &GitRepo) -> PathBuf {
    cache_file_named(repo, "items-")
}

/// Remove the stored item histories, so that the next run reads the history cache.
fn forget_items(repo: &GitRepo) {
    std::fs::remove_file(items_file(repo)).expect("remove the stored item histories");
}

fn report(repo: &GitRepo) -> Run {
    let run = repo.run(&["check", "--format", "json"]);
    run.expect_code(1);
    run
}

/// The report of a run without any cache.
fn cold(repo: &GitRepo) -> Run {
    let _ = std::fs::remove_dir_all(cache_dir(repo));
    report(repo)
}

fn assert_same(expected: &Run, got: &Run, what: &str) {
    assert_eq!(expected.stdout, got.stdout, "{what}: the report differs from a cold run\n{}", got.describe());
    assert_eq!(expected.stderr, got.stderr, "{what}: stderr differs from a cold run\n{}", got.describe());
}

/// A small deterministic generator (xorshift), so that each seed is the same damage every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Run with `damaged` as the cache file: the report equals the cold one, and the file is
/// replaced by a good one, which the next run reads without writing it again.
fn check_damage(repo: &GitRepo, file: &Path, good: &[u8], damaged: &[u8], expected: &Run, what: &str) {
    if file != items_file(repo) {
        forget_items(repo);
    }
    std::fs::write(file, damaged).expect("write damaged cache");
    assert_same(expected, &report(repo), what);
    let rewritten = std::fs::read(file).expect("the cache is rewritten");
    assert!(rewritten != damaged && rewritten.len() == good.len(), "{what}: the damaged cache was not replaced");
    assert_same(expected, &report(repo), what);
    assert!(std::fs::read(file).expect("cache") == rewritten, "{what}: the rewritten cache was not used");
}

#[test]
fn damaged_cache_files_never_change_the_report() {
    let repo = backlog(30, "PB");
    let expected = cold(&repo);
    assert!(expected.stdout.contains("\"renamed_from\": [\n"), "{}", expected.describe());
    let file = cache_file(&repo);
    let good = std::fs::read(&file).expect("cache");
    // A warm run agrees with the cold one and leaves the file as it is.
    assert_same(&expected, &report(&repo), "warm run");
    assert!(std::fs::read(&file).expect("cache") == good, "a warm run rewrote the cache");

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for seed in 0..24 {
        let mut damaged = good.clone();
        for _ in 0..=seed % 3 {
            let bit = rng.below(damaged.len() * 8);
            damaged[bit / 8] ^= 1 << (bit % 8);
        }
        check_damage(&repo, &file, &good, &damaged, &expected, &format!("flipped bits, seed {seed}"));
    }
    for cut in [0, 1, 8, good.len() / 3, good.len() / 2, good.len() - 8, good.len() - 1] {
        check_damage(&repo, &file, &good, &good[..cut], &expected, &format!("cut at {cut}"));
    }
    for tail in [&b"\0"[..], b"garbage", &good[..64]] {
        let damaged = [&good[..], tail].concat();
        check_damage(&repo, &file, &good, &damaged, &expected, &format!("{} bytes appended", tail.len()));
    }
    // A file of a later format: same name, a higher version in its header.
    let mut future = good.clone();
    future[7] = future[7].wrapping_add(1);
    check_damage(&repo, &file, &good, &future, &expected, "a future format version");
}

#[test]
fn cache_files_of_other_repositories_are_not_used() {
    let (one, two) = (backlog(12, "PB"), backlog(9, "QX"));
    let (expected_one, expected_two) = (cold(&one), cold(&two));
    let (file_one, file_two) = (cache_file(&one), cache_file(&two));
    let (good_one, good_two) = (std::fs::read(&file_one).expect("cache"), std::fs::read(&file_two).expect("cache"));
    std::fs::write(&file_one, &good_two).expect("swap");
    std::fs::write(&file_two, &good_one).expect("swap");
    forget_items(&one);
    forget_items(&two);
    assert_same(&expected_one, &report(&one), "the other repository's cache");
    assert_same(&expected_two, &report(&two), "the other repository's cache");
}

#[test]
fn unwritable_cache_directory_still_gives_the_full_report() {
    let repo = backlog(6, "PB");
    let expected = cold(&repo);
    // A file where the cache directory should be: works for root too, which ignores modes.
    std::fs::remove_dir_all(cache_dir(&repo)).expect("remove cache");
    std::fs::write(cache_dir(&repo), "not a directory").expect("block the cache directory");
    for _ in 0..2 {
        let run = report(&repo);
        assert_eq!(run.stdout, expected.stdout, "{}", run.describe());
        let notes: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(notes.len(), 1, "one note on stderr\n{}", run.describe());
        assert!(notes[0].contains("cannot write the history cache"), "{}", run.describe());
    }
}

#[test]
fn stored_item_histories_are_read_without_the_history_cache() {
    let repo = backlog(12, "PB");
    let expected = cold(&repo);
    // Without the commit records, a run at the same HEAD still gives the full report: it
    // reads only the stored histories of its items and does not write the history cache.
    std::fs::remove_file(cache_file(&repo)).expect("remove the history cache");
    assert_same(&expected, &report(&repo), "stored item histories");
    assert!(!cache_dir(&repo)
        .read_dir()
        .expect("dir")
        .any(|e| { e.expect("entry").file_name().to_string_lossy().starts_with("history-") }));
    // Work-tree changes are not stored: an uncommitted status move is seen.
    let moved = item("PB-3", "in-progress").replace("## Acceptance criteria\n- [ ] it works\n", "");
    repo.write("backlog/PB-3.md", moved);
    let warm = report(&repo);
    assert_same(&cold(&repo), &warm, "an uncommitted edit");
    assert!(warm.stdout.contains("\"state\": \"modified\""), "{}", warm.describe());
}

#[test]
fn stored_item_histories_never_change_the_report() {
    let repo = backlog(30, "PB");
    let expected = cold(&repo);
    let file = items_file(&repo);
    let good = std::fs::read(&file).expect("stored histories");
    assert_same(&expected, &report(&repo), "warm run");
    assert!(std::fs::read(&file).expect("stored") == good, "a warm run rewrote the stored histories");
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for seed in 0..12 {
        let mut damaged = good.clone();
        let bit = rng.below(damaged.len() * 8);
        damaged[bit / 8] ^= 1 << (bit % 8);
        check_damage(&repo, &file, &good, &damaged, &expected, &format!("stored histories, flipped bit, seed {seed}"));
    }
    for cut in [0, 8, good.len() / 2, good.len() - 1] {
        check_damage(&repo, &file, &good, &good[..cut], &expected, &format!("stored histories cut at {cut}"));
    }
    // `backlint history` of one item stores that item alone; the whole backlog then reads the
    // rest again and stores all.
    let _ = std::fs::remove_file(&file);
    repo.run(&["history", "PB-4"]).expect_code(0);
    let one = std::fs::read(&file).expect("stored for one item");
    assert!(one.len() < good.len(), "only the asked item is stored");
    assert_same(&expected, &report(&repo), "after a run for one item");
    assert_eq!(std::fs::read(&file).expect("stored"), good, "all items stored after the whole backlog");
}

#[test]
fn stored_item_histories_of_another_head_are_not_used() {
    let repo = backlog(9, "PB");
    cold(&repo);
    let old = std::fs::read(items_file(&repo)).expect("stored");
    let refined = item("PB-2", "ready").replace("## Acceptance criteria\n- [ ] it works\n", "");
    repo.write("backlog/PB-2.md", refined);
    repo.commit("Ann Lee", 3, "Refine PB-2");
    let warm = report(&repo);
    assert_same(&cold(&repo), &warm, "a new commit");
    // And the histories of the old HEAD, put back, are not taken for the new one.
    let expected = cold(&repo);
    std::fs::write(items_file(&repo), &old).expect("put back");
    assert_same(&expected, &report(&repo), "the stored histories of the previous HEAD");
}
