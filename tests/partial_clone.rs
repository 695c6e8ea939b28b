//! Partial clones (`git clone --filter=blob:none`): the facts commits and trees determine are
//! git's, the facts that need a missing blob are `null` with the reason, and one note says how
//! to fetch them. Clones are made from a `file://` remote that allows filters, like a forge.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{run_in, GitRepo, Run};

/// An item unlike every other one, so that git's `--follow` pairs it with no other item except
/// where a test renames or copies it.
fn distinct(id: &str, status: &str, extra: &str) -> String {
    let mut text = format!("---\nid: {id}\ntitle: Item {id}\ntype: story\nstatus: {status}\nsize: 3\n---\n\n");
    text.push_str(&format!("## Value hypothesis\nWe believe {id} helps; we will know when usage grows.\n\n"));
    for i in 0..8 {
        text.push_str(&format!("{id} note {i}: {}\n", id.repeat(i % 3 + 1)));
    }
    text.push_str(extra);
    text
}

/// A: status moves and a reopening; B: renamed as it is (same content); C: renamed with an
/// edit (a similarity rename); D: added last and never changed.
fn source_repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    repo.write("backlog/A.md", distinct("A", "idea", ""));
    repo.write("backlog/B.md", distinct("B", "idea", ""));
    repo.write("backlog/C.md", distinct("C", "ready", ""));
    repo.commit("Dana Pérez", 0, "Add A, B and C");
    repo.write("backlog/A.md", distinct("A", "ready", ""));
    repo.write("backlog/B.md", distinct("B", "idea", "more about B\n"));
    repo.commit("Chen Wei", 2, "A is ready, B refined");
    repo.git(&["mv", "backlog/B.md", "backlog/B2.md"]);
    repo.commit("Ann Lee", 1, "Rename B");
    repo.write("backlog/A.md", distinct("A", "done", ""));
    repo.commit("Dana Pérez", 3, "A is done");
    repo.write("backlog/A.md", distinct("A", "in-progress", "it came back\n"));
    repo.commit("Chen Wei", 1, "Reopen A");
    repo.git(&["mv", "backlog/C.md", "backlog/C2.md"]);
    repo.write("backlog/C2.md", distinct("C", "ready", "renamed with an edit\n"));
    repo.commit("Ann Lee", 1, "Rename C and edit it");
    repo.write("backlog/D.md", distinct("D", "idea", ""));
    repo.commit("Dana Pérez", 1, "Add D");
    repo
}

const ITEMS: [&str; 4] = ["backlog/A.md", "backlog/B2.md", "backlog/C2.md", "backlog/D.md"];

fn blobless_clone(repo: &GitRepo, into: &Path) -> PathBuf {
    let url = format!("file://{}", repo.path().display());
    let clone = into.join("clone");
    repo.git(&["clone", "-q", "--filter=blob:none", &url, &clone.display().to_string()]);
    clone
}

fn git_in(repo: &GitRepo, dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["-C".to_owned(), dir.display().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    repo.git(&all.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Objects the clone lacks, without fetching them.
fn missing_objects(repo: &GitRepo, clone: &Path) -> usize {
    git_in(repo, clone, &["rev-list", "--objects", "--missing=print", "--all"])
        .lines()
        .filter(|l| l.starts_with('?'))
        .count()
}

/// The history object of `path` in a JSON report.
fn history<'a>(json: &'a Value, path: &str) -> &'a Value {
    let found = json["diagnostics"].as_array().expect("diagnostics").iter().find(|d| d["path"] == path);
    &found.unwrap_or_else(|| panic!("a finding on {path}: {json:#}"))["history"]
}

fn rules_on(json: &Value, path: &str) -> Vec<String> {
    let all = json["diagnostics"].as_array().expect("diagnostics");
    all.iter().filter(|d| d["path"] == path).map(|d| d["rule"].as_str().unwrap_or_default().to_owned()).collect()
}

fn incomplete(history: &Value) -> Vec<&str> {
    history["incomplete"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// What `git log --follow` says in the full repository (same commits as the clone).
struct Follow {
    commits: Vec<String>,
    authors: Vec<String>,
    renamed_from: Vec<String>,
    last: String,
}

fn follow(repo: &GitRepo, path: &str) -> Follow {
    let log = repo.git(&["log", "--follow", "--name-status", "--format=%x01%H%x00%an", "--", path]);
    let (mut commits, mut authors, mut renamed_from) = (Vec::new(), Vec::new(), Vec::new());
    for rec in log.split('\x01').filter(|r| !r.trim().is_empty()) {
        let (head, rest) = rec.split_once('\n').unwrap_or((rec, ""));
        let (commit, author) = head.split_once('\0').expect("commit and author");
        commits.push(commit.to_owned());
        authors.insert(0, author.to_owned());
        let status = rest.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let cols: Vec<&str> = status.split('\t').collect();
        if cols[0].starts_with('R') || cols[0].starts_with('C') {
            renamed_from.push(cols[1].to_owned());
        }
    }
    authors.dedup();
    let mut distinct_authors: Vec<String> = Vec::new();
    for a in authors {
        if !distinct_authors.contains(&a) {
            distinct_authors.push(a);
        }
    }
    let last = repo.git(&["log", "-1", "--format=%H", "--", path]).trim().to_owned();
    Follow { commits, authors: distinct_authors, renamed_from, last }
}

/// The facts trees and commits determine equal `git log --follow`'s.
fn assert_tree_facts(repo: &GitRepo, h: &Value, path: &str, run: &Run) {
    let git = follow(repo, path);
    assert_eq!(h["revisions"], git.commits.len(), "{path}: revisions\n{}", run.describe());
    assert_eq!(h["created"]["commit"], git.commits.last().expect("created").as_str(), "{path}: created");
    assert_eq!(h["last_changed"]["commit"], git.last.as_str(), "{path}: last_changed");
    assert_eq!(h["authors"], serde_json::json!(git.authors), "{path}: authors");
    assert_eq!(h["renamed_from"], serde_json::json!(git.renamed_from), "{path}: renamed_from");
}

#[test]
fn blobless_clone_has_the_tree_facts_and_marks_the_rest_unknown() {
    let repo = source_repo();
    let tmp = tempfile::tempdir().expect("tempdir");
    let clone = blobless_clone(&repo, tmp.path());
    let run = run_in(&clone, &["check", "--format", "json"]);
    run.expect_code(1);
    let human = run_in(&clone, &["check"]);
    // Only now (git fetches what it lacks on demand): the clone really lacks old versions.
    assert!(missing_objects(&repo, &clone) > 0, "the clone lacks blobs");
    let json = run.json();

    let notes: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(notes.len(), 1, "one note\n{}", run.describe());
    assert!(notes[0].contains("partial clone") && notes[0].contains("git fetch --refetch"), "{}", run.describe());
    assert!(notes[0].contains("filter: blob:none"), "{}", run.describe());
    assert_eq!(human.stderr, run.stderr, "the same note in human output");

    for path in ["backlog/A.md", "backlog/B2.md", "backlog/D.md"] {
        assert_tree_facts(&repo, history(&json, path), path, &run);
    }
    let a = history(&json, "backlog/A.md");
    assert!(a["status_since"].is_null(), "{a:#}");
    assert!(incomplete(a).contains(&"status_since") && incomplete(a).contains(&"statuses"), "{a:#}");
    assert_eq!(history(&json, "backlog/B2.md")["renamed_from"], serde_json::json!(["backlog/B.md"]));
    // git follows C2 to C through a rename with an edit, which needs both versions' content.
    assert_eq!(follow(&repo, "backlog/C2.md").renamed_from, ["backlog/C.md"]);
    let c = history(&json, "backlog/C2.md");
    assert!(incomplete(c).contains(&"renamed_from"), "{c:#}");
    assert!(c["status_since"].is_null(), "{c:#}");
    // D was added when the clone has every file's content (those of HEAD): nothing is unknown.
    let full = repo.run(&["check", "--format", "json"]).json();
    assert_eq!(history(&json, "backlog/D.md"), history(&full, "backlog/D.md"));
    for path in ["backlog/A.md", "backlog/B2.md", "backlog/C2.md"] {
        let h = history(&json, path);
        assert_eq!(h["state"], "committed", "{path}");
        assert!(!incomplete(h).is_empty(), "{path}: {h:#}");
        let line = format!("  {path} history: ");
        let shown =
            human.stdout.lines().find(|l| l.starts_with(&line)).unwrap_or_else(|| panic!("{}", human.describe()));
        assert!(shown.ends_with(" (partial clone)"), "{shown}");
    }

    // History rules whose fact is unknown stay silent: A was reopened, which the full
    // repository reports and the clone cannot know.
    assert!(rules_on(&full, "backlog/A.md").contains(&"reopened".to_owned()), "{full:#}");
    assert!(!rules_on(&json, "backlog/A.md").contains(&"reopened".to_owned()), "{json:#}");
    for path in ITEMS {
        let in_clone = rules_on(&json, path);
        assert!(in_clone.iter().all(|r| rules_on(&full, path).contains(r)), "{path}: {in_clone:?} on a guess");
    }
}

#[test]
fn blobs_fetched_later_are_read_and_a_refetch_completes_the_history() {
    let repo = source_repo();
    let full = repo.run(&["check", "--format", "json"]);
    let full_json = full.json();
    let tmp = tempfile::tempdir().expect("tempdir");
    let clone = blobless_clone(&repo, tmp.path());
    // Checking out an old commit fetches its blobs.
    let old = repo.git(&["rev-list", "--reverse", "HEAD"]).lines().nth(1).expect("second commit").to_owned();
    git_in(&repo, &clone, &["checkout", "-q", &old]);
    git_in(&repo, &clone, &["checkout", "-q", "-"]);
    let before = missing_objects(&repo, &clone);
    assert!(before > 0, "still a partial clone");
    let run = run_in(&clone, &["check", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    for path in ITEMS {
        let (h, expected) = (history(&json, path), history(&full_json, path));
        let unknown = incomplete(h);
        assert_eq!(h["last_changed"], expected["last_changed"], "{path}");
        if !unknown.contains(&"status_since") {
            assert_eq!(h["status_since"], expected["status_since"], "{path}: {h:#}");
        } else {
            assert!(h["status_since"].is_null(), "{path}");
        }
        if unknown.is_empty() {
            assert_eq!(h, expected, "{path}: complete facts are git's");
        }
    }
    // A's first and fourth versions are still missing.
    assert!(incomplete(history(&json, "backlog/A.md")).contains(&"statuses"), "{json:#}");
    assert!(incomplete(history(&json, "backlog/D.md")).is_empty(), "{json:#}");

    // The fix the note gives: the report is then the full repository's, without a note.
    git_in(&repo, &clone, &["config", "--unset", "remote.origin.partialclonefilter"]);
    git_in(&repo, &clone, &["fetch", "-q", "--refetch", "origin"]);
    assert_eq!(missing_objects(&repo, &clone), 0);
    let refetched = run_in(&clone, &["check", "--format", "json"]);
    assert_eq!(refetched.stdout, full.stdout, "{}", refetched.describe());
    assert_eq!(refetched.stderr, "", "{}", refetched.describe());
}
