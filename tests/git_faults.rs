//! Damaged and unusual git repositories: linting always completes, and each item's history is
//! either exactly git's or absent with a one-line reason, never wrong.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{backlint, run, GitRepo, Run};

/// An item unlike every other one, without acceptance criteria so that it has a finding (and
/// its history is in the report).
fn distinct(id: &str, status: &str, extra: &str) -> String {
    let mut text = format!("---\nid: {id}\ntitle: Item {id}\ntype: story\nstatus: {status}\nsize: 3\n---\n\n");
    text.push_str(&format!("## Value hypothesis\nWe believe {id} helps; we will know when usage grows.\n\n"));
    for i in 0..8 {
        text.push_str(&format!("{id} note {i}: {}\n", id.repeat(i % 3 + 1)));
    }
    text.push_str(extra);
    text
}

const ITEMS: [&str; 3] = ["backlog/A.md", "backlog/B2.md", "backlog/C.md"];

/// Edits, a status move, a rename, several authors; loose objects unless packed later.
fn repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("backlog/A.md", distinct("A", "idea", ""));
    repo.write("backlog/B.md", distinct("B", "ready", ""));
    repo.commit("Dana Pérez", 0, "Add A and B");
    repo.write("backlog/A.md", distinct("A", "ready", "refined\n"));
    repo.commit("Chen Wei", 2, "A is ready");
    repo.git(&["mv", "backlog/B.md", "backlog/B2.md"]);
    repo.write("backlog/C.md", distinct("C", "idea", ""));
    repo.commit("Ann Lee", 1, "Rename B, add C");
    repo.write("backlog/C.md", distinct("C", "ready", ""));
    repo.commit("Dana Pérez", 1, "C is ready");
    repo
}

/// `backlint check --format json` in `dir` with the environment `env`, without a cache.
fn check(dir: &Path, env: &[(&str, &Path)]) -> Run {
    let mut cmd = backlint();
    cmd.current_dir(dir).args(["check", "--format", "json"]);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let run = run(cmd, dir, &["check", "--format", "json"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    run.expect_code(1);
    run
}

fn history<'a>(json: &'a Value, path: &str) -> &'a Value {
    let found = json["diagnostics"].as_array().expect("diagnostics").iter().find(|d| d["path"] == path);
    &found.unwrap_or_else(|| panic!("a finding on {path}: {json:#}"))["history"]
}

/// git's facts for `path`, asked with `git ARGS` (which name the repository and work tree).
fn git_facts(repo: &GitRepo, git: &[&str], path: &str) -> Value {
    let args = |more: &[&str]| -> Vec<String> { git.iter().chain(more).map(|s| s.to_string()).collect() };
    let call = |more: &[&str]| repo.git(&args(more).iter().map(String::as_str).collect::<Vec<_>>());
    let log = call(&["log", "--follow", "--name-status", "--format=%x01%H%x00%an", "--", path]);
    let (mut commits, mut newest_first, mut renamed_from) = (Vec::new(), Vec::new(), Vec::new());
    for rec in log.split('\x01').filter(|r| !r.trim().is_empty()) {
        let (head, rest) = rec.split_once('\n').unwrap_or((rec, ""));
        let (commit, author) = head.split_once('\0').expect("commit and author");
        commits.push(commit.to_owned());
        newest_first.push(author.to_owned());
        let status = rest.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let cols: Vec<&str> = status.split('\t').collect();
        if cols[0].starts_with('R') || cols[0].starts_with('C') {
            renamed_from.push(cols[1].to_owned());
        }
    }
    // Distinct authors by first appearance, oldest first.
    let mut oldest_first: Vec<String> = Vec::new();
    for author in newest_first.into_iter().rev() {
        if !oldest_first.contains(&author) {
            oldest_first.push(author);
        }
    }
    let last = call(&["log", "-1", "--format=%H", "--", path]).trim().to_owned();
    serde_json::json!({
        "created": commits.last(),
        "last_changed": last,
        "revisions": commits.len(),
        "authors": oldest_first,
        "renamed_from": renamed_from,
    })
}

fn facts_of(h: &Value) -> Value {
    serde_json::json!({
        "created": h["created"]["commit"],
        "last_changed": h["last_changed"]["commit"],
        "revisions": h["revisions"],
        "authors": h["authors"],
        "renamed_from": h["renamed_from"],
    })
}

/// Every item's history is git's (asked with `git`).
fn assert_exact(repo: &GitRepo, git: &[&str], run: &Run) {
    let json = run.json();
    for path in ITEMS {
        let h = history(&json, path);
        assert_eq!(h["state"], "committed", "{path}\n{}", run.describe());
        assert_eq!(facts_of(h), git_facts(repo, git, path), "{path}\n{}", run.describe());
    }
}

/// Each item's history is `expected`'s (a run on the undamaged repository) or, for all of them,
/// absent with one note on stderr that gives the reason on one line.
fn assert_exact_or_absent(expected: &Run, run: &Run) {
    let (want, got) = (expected.json(), run.json());
    let absent = ITEMS.iter().all(|p| history(&got, p).is_null());
    if absent {
        let notes: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(notes.len(), 1, "one note with the reason\n{}", run.describe());
        assert!(notes[0].contains("could not read git history"), "{}", run.describe());
    } else {
        for path in ITEMS {
            assert_eq!(history(&got, path), history(&want, path), "{path}: exact or absent\n{}", run.describe());
        }
    }
    // Linting is the same either way (rules on history need it, and say nothing without).
    const HISTORY_RULES: [&str; 5] = ["stale-item", "aging-wip", "reopened", "high-risk-unrefined", "wip-limit"];
    let rules = |json: &Value| -> Vec<(Value, Value)> {
        let all = json["diagnostics"].as_array().expect("diagnostics");
        let linted = all.iter().filter(|d| !HISTORY_RULES.iter().any(|r| d["rule"] == *r));
        linted.map(|d| (d["path"].clone(), d["rule"].clone())).collect()
    };
    assert_eq!(rules(&got), rules(&want), "{}", run.describe());
}

fn packed(repo: &GitRepo) -> (PathBuf, PathBuf) {
    repo.git(&["gc", "-q"]);
    let dir = repo.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&dir)
        .expect("pack dir")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .expect("a pack");
    (pack.with_extension("idx"), pack)
}

fn no_cache(repo: &GitRepo) {
    let _ = std::fs::remove_dir_all(repo.path().join(".git/backlint"));
}

#[test]
fn truncated_pack() {
    let repo = repo();
    let (_, pack) = packed(&repo);
    let expected = check(repo.path(), &[]);
    let bytes = std::fs::read(&pack).expect("pack");
    for cut in [bytes.len() - 20, bytes.len() * 2 / 3, bytes.len() / 3, 12] {
        no_cache(&repo);
        std::fs::write(&pack, &bytes[..cut]).expect("truncate");
        assert_exact_or_absent(&expected, &check(repo.path(), &[]));
    }
}

#[test]
fn corrupt_objects_loose_and_packed() {
    let repo = repo();
    let expected = check(repo.path(), &[]);
    // Loose: damage each object of the first commit's tree in turn (blobs and trees).
    let first = repo.git(&["rev-list", "--max-parents=0", "HEAD"]).trim().to_owned();
    let objects: Vec<String> = repo
        .git(&["ls-tree", "-r", "-t", "--format=%(objectname)", &first])
        .lines()
        .map(str::to_owned)
        .chain([first.clone()])
        .collect();
    for id in &objects {
        let file = repo.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        let good = std::fs::read(&file).expect("loose object");
        let mut bad = good.clone();
        let at = bad.len() / 2;
        bad[at] ^= 0x55;
        bad[at + 1] ^= 0xAA;
        std::fs::write(&file, &bad).expect("corrupt");
        no_cache(&repo);
        assert_exact_or_absent(&expected, &check(repo.path(), &[]));
        std::fs::write(&file, &good).expect("restore");
    }
    // Packed: damage a byte at 16 places of the pack data (headers, deltas, compressed data).
    let (_, pack) = packed(&repo);
    let good = std::fs::read(&pack).expect("pack");
    for at in (12..good.len() - 20).step_by(good.len() / 16) {
        let mut bad = good.clone();
        bad[at] ^= 0xFF;
        std::fs::write(&pack, &bad).expect("corrupt");
        no_cache(&repo);
        assert_exact_or_absent(&expected, &check(repo.path(), &[]));
    }
}

#[test]
fn missing_pack_index() {
    let repo = repo();
    let (idx, _) = packed(&repo);
    let expected = check(repo.path(), &[]);
    std::fs::remove_file(idx).expect("remove idx");
    no_cache(&repo);
    let run = check(repo.path(), &[]);
    assert_exact_or_absent(&expected, &run);
    // git cannot read the history either: it is absent, not guessed.
    assert!(ITEMS.iter().all(|p| history(&run.json(), p).is_null()), "{}", run.describe());
}

#[test]
fn head_at_a_missing_branch_or_commit() {
    let repo = repo();
    let expected = check(repo.path(), &[]);
    // A branch that does not exist (yet): git sees no commits, and neither does backlint.
    repo.git(&["symbolic-ref", "HEAD", "refs/heads/gone"]);
    let run = check(repo.path(), &[]);
    let json = run.json();
    for path in ITEMS {
        let h = history(&json, path);
        assert!(h.is_null() || (h["created"].is_null() && h["revisions"] == 0), "{path}\n{}", run.describe());
    }
    // A detached HEAD naming a commit that is not there.
    let missing = "0123456789abcdef0123456789abcdef01234567";
    std::fs::write(repo.path().join(".git/HEAD"), format!("{missing}\n")).expect("HEAD");
    let run = check(repo.path(), &[]);
    assert!(ITEMS.iter().all(|p| history(&run.json(), p).is_null()), "{}", run.describe());
    let notes: Vec<&str> = run.stderr.lines().collect();
    assert!(notes.len() == 1 && notes[0].contains("could not read git history"), "{}", run.describe());
    assert_exact_or_absent(&expected, &run);
}

#[test]
fn linked_worktree_and_submodule() {
    let repo = repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    // A linked worktree: `.git` is a file naming the repository's worktrees/ entry.
    let worktree = tmp.path().join("worktree");
    repo.git(&["worktree", "add", "-q", "-b", "other", &worktree.display().to_string()]);
    assert!(worktree.join(".git").is_file());
    let wt = worktree.display().to_string();
    assert_exact(&repo, &["-C", &wt], &check(&worktree, &[]));
    // A submodule: `.git` is a file naming .git/modules/NAME of the superproject.
    let sup = tmp.path().join("super");
    std::fs::create_dir_all(&sup).expect("mkdir");
    let sup_s = sup.display().to_string();
    repo.git(&["-C", &sup_s, "init", "-q"]);
    let url = format!("file://{}", repo.path().display());
    repo.git(&["-C", &sup_s, "submodule", "add", "-q", &url, "sub"]);
    let sub = sup.join("sub");
    assert!(sub.join(".git").is_file());
    assert_exact(&repo, &["-C", &sub.display().to_string()], &check(&sub, &[]));
}

#[test]
fn git_dir_and_work_tree_from_the_environment() {
    let repo = repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    // The repository kept apart from its work tree, as GIT_DIR/GIT_WORK_TREE users do.
    let git_dir = tmp.path().join("repo.git");
    std::fs::rename(repo.path().join(".git"), &git_dir).expect("move .git");
    let (gd, wt) = (git_dir.display().to_string(), repo.path().display().to_string());
    let git = ["--git-dir", gd.as_str(), "--work-tree", wt.as_str()];
    let env = [("GIT_DIR", git_dir.as_path()), ("GIT_WORK_TREE", repo.path())];
    assert_exact(&repo, &git, &check(repo.path(), &env));
    // GIT_DIR wins over the repository the directory is in, like it does for git: run in the
    // work tree of another repository, with the same item files but another history.
    let other = GitRepo::new();
    for path in ITEMS {
        other.write(path, distinct("other", "idea", ""));
    }
    other.commit("Someone Else", 5, "Unrelated history");
    for path in ITEMS {
        std::fs::copy(repo.path().join(path), other.path().join(path)).expect("copy item");
    }
    let ot = other.path().display().to_string();
    let git = ["--git-dir", gd.as_str(), "--work-tree", ot.as_str()];
    let env = [("GIT_DIR", git_dir.as_path()), ("GIT_WORK_TREE", other.path())];
    assert_exact(&repo, &git, &check(other.path(), &env));
}

#[test]
fn objects_from_alternates() {
    let repo = repo();
    repo.git(&["gc", "-q"]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let clone = tmp.path().join("shared");
    let url = repo.path().display().to_string();
    repo.git(&["clone", "-q", "--shared", &url, &clone.display().to_string()]);
    assert!(clone.join(".git/objects/info/alternates").is_file());
    let c = clone.display().to_string();
    // Newer commits of its own on top of the borrowed ones.
    std::fs::write(clone.join("backlog/C.md"), distinct("C", "in-progress", "")).expect("write");
    repo.git(&["-C", &c, "commit", "-q", "-am", "C started"]);
    assert_exact(&repo, &["-C", &c], &check(&clone, &[]));
}
