//! History facts compared with what the git CLI reports for the same repositories.

use std::cell::Cell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use backlint::history::{self, BlobFacts, CacheMode, Change, History, HistoryIndex, Request, State};
use tempfile::TempDir;

/// Test stand-in for front matter parsing: `status:` lines hold the status.
fn facts(data: &[u8]) -> BlobFacts {
    let text = String::from_utf8_lossy(data);
    let mut status = None;
    let mut h = DefaultHasher::new();
    for line in text.lines() {
        match line.strip_prefix("status:") {
            Some(v) => status = Some(v.trim().to_owned()),
            None => line.hash(&mut h),
        }
    }
    BlobFacts { status, other_hash: h.finish(), size: None }
}

const BASE_TIME: u64 = 1_767_600_000;

struct Repo {
    _tmp: TempDir,
    home: PathBuf,
    dir: PathBuf,
    tick: Cell<u64>,
}

fn git_in(home: &Path, dir: &Path, args: &[&str], time: u64, author: &str) -> std::process::Output {
    let date = format!("@{time} +0100");
    Command::new("git")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", format!("{}@example.com", author.to_lowercase().replace(' ', ".")))
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always"])
        .args(args)
        .output()
        .expect("git runs")
}

impl Repo {
    fn new() -> Repo {
        Repo::init(&[])
    }

    /// A repository made by `git init` with `options` (e.g. `--object-format=sha256`).
    fn init(options: &[&str]) -> Repo {
        let tmp = TempDir::new().expect("tempdir");
        let home = tmp.path().join("home");
        let dir = tmp.path().join("repo");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let r = Repo { _tmp: tmp, home, dir, tick: Cell::new(0) };
        let mut args = vec!["init", "-q"];
        args.extend(options);
        r.git(&args);
        r
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_at(&self.dir, args)
    }

    fn git_at(&self, dir: &Path, args: &[&str]) -> String {
        let out = git_in(&self.home, dir, args, BASE_TIME + self.tick.get() * 3600, "Ann");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn write(&self, path: &str, content: &str) {
        let p = self.dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }

    fn remove(&self, path: &str) {
        std::fs::remove_file(self.dir.join(path)).expect("rm");
    }

    fn mv(&self, from: &str, to: &str) {
        std::fs::create_dir_all(self.dir.join(to).parent().expect("parent")).expect("mkdir");
        self.git(&["mv", from, to]);
    }

    fn commit(&self, msg: &str, author: &str) {
        self.git(&["add", "-A"]);
        self.git_next(&["commit", "-q", "--allow-empty", "-m", msg], author);
    }

    /// A git command that makes a commit, an hour after the previous one, by `author`.
    fn git_next(&self, args: &[&str], author: &str) {
        self.tick.set(self.tick.get() + 1);
        let out = git_in(&self.home, &self.dir, args, BASE_TIME + self.tick.get() * 3600, author);
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn merge(&self, branch: &str, msg: &str) {
        self.merge_with(&[branch], msg, &[]);
    }

    /// `git merge` of `branches` with extra options such as `-s ours`.
    fn merge_with(&self, branches: &[&str], msg: &str, options: &[&str]) {
        let mut args = vec!["merge", "-q", "--no-ff", "-m", msg];
        args.extend(options);
        args.extend(branches);
        self.git_next(&args, "Merger");
    }
}

/// A distinctive item text, so that git's copy detection in `--follow` never pairs two of these
/// items; copies are tested with [`templated`] items.
fn item(name: &str, status: &str, extra: &str) -> String {
    let mut s = format!("---\nid: {name}\nstatus: {status}\nsize: 3\n---\n\n# {name}\n\n");
    for i in 0..12 {
        s.push_str(&format!("{name} line {i}: {}\n", name.repeat(i % 3 + 1)));
    }
    s.push_str(extra);
    s
}

fn run(root: &Path, items: &[&str], prefixes: &[&str], cache: CacheMode) -> HistoryIndex {
    let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
    let prefixes: Vec<String> = prefixes.iter().map(|s| s.to_string()).collect();
    let req = Request {
        project_root: root,
        items: &items,
        prefixes: &prefixes,
        may_be_item: &|_| true,
        scope_key: "",
        facts: &facts,
        facts_key: "test",
        cache,
    };
    history::collect(&req).expect("collect")
}

#[derive(Debug, PartialEq)]
struct Expected {
    state: State,
    created: Option<String>,
    last_changed: Option<String>,
    revisions: usize,
    authors: Vec<String>,
    status_since: Option<String>,
    renamed_from: Vec<String>,
    /// (commit, date, author, subject, path, change)
    timeline: Vec<(String, String, String, String, String, String)>,
    statuses: Vec<Option<String>>,
    only_status: Vec<bool>,
}

/// The facts for `item` as the git CLI reports them, run from the project root `root`.
fn expected(repo: &Repo, root: &Path, item: &str) -> Expected {
    let run = |args: &[&str]| -> Option<String> {
        let out = git_in(&repo.home, root, args, BASE_TIME, "x");
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let prefix = run(&["rev-parse", "--show-prefix"]).unwrap_or_default().trim().to_owned();
    let strip = |p: &str| p.strip_prefix(&prefix).unwrap_or(p).to_owned();
    let has_head = run(&["rev-parse", "--verify", "-q", "HEAD"]).is_some();
    let porcelain = run(&["status", "--porcelain=v1", "--untracked-files=all", "--", item]).unwrap_or_default();
    let state = if !has_head || porcelain.starts_with("??") || porcelain.starts_with('A') {
        State::Untracked
    } else if porcelain.is_empty() {
        State::Committed
    } else {
        State::Modified
    };
    let mut e = Expected {
        state,
        created: None,
        last_changed: None,
        revisions: 0,
        authors: vec![],
        status_since: None,
        renamed_from: vec![],
        timeline: vec![],
        statuses: vec![],
        only_status: vec![],
    };
    if state == State::Untracked {
        return e;
    }
    let date = "--date=format-local:%Y-%m-%dT%H:%M:%SZ";
    let log = run(&["log", "--follow", "--name-status", date, "--format=%x01%H%x00%ad%x00%an%x00%s", "--", item])
        .unwrap_or_default();
    for rec in log.split('\x01').filter(|r| !r.trim().is_empty()) {
        let (head, rest) = rec.split_once('\n').unwrap_or((rec, ""));
        let f: Vec<&str> = head.split('\0').collect();
        let line = rest.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, change) = match cols.as_slice() {
            [s, from, to] if s.starts_with('R') || s.starts_with('C') => {
                (strip(to), format!("{} {}", &s[..1], strip(from)))
            }
            [s, p] => (strip(p), s.to_string()),
            other => panic!("unexpected name-status {other:?}"),
        };
        e.timeline.push((f[0].into(), f[1].into(), f[2].into(), f[3].into(), path, change));
    }
    let mut all_facts = Vec::new();
    for t in &e.timeline {
        if let Some(from) = t.5.strip_prefix("R ").or_else(|| t.5.strip_prefix("C ")) {
            e.renamed_from.push(from.to_owned());
        }
        let f = (t.5 != "D").then(|| {
            let spec = format!("{}:./{}", t.0, t.4);
            facts(run(&["show", &spec]).expect("git show").as_bytes())
        });
        e.statuses.push(f.as_ref().and_then(|f| f.status.clone()));
        all_facts.push(f);
    }
    for i in 0..all_facts.len() {
        let flag = match (&all_facts[i], all_facts.get(i + 1)) {
            (Some(newer), Some(Some(older))) => newer.other_hash == older.other_hash && newer.status != older.status,
            _ => false,
        };
        e.only_status.push(flag);
    }
    e.revisions = e.timeline.len();
    e.created = e.timeline.last().map(|t| t.0.clone());
    for t in e.timeline.iter().rev() {
        if !e.authors.contains(&t.2) {
            e.authors.push(t.2.clone());
        }
    }
    if let Some(Some(cur)) = e.statuses.first() {
        let mut since = None;
        for (t, s) in e.timeline.iter().zip(&e.statuses) {
            if s.as_ref() != Some(cur) {
                break;
            }
            since = Some(t.1.clone());
        }
        e.status_since = since;
    }
    e.last_changed =
        run(&["log", "-1", "--format=%H", "--", item]).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    e
}

fn actual(h: &History) -> Expected {
    Expected {
        state: h.state,
        created: h.created.as_ref().map(|s| s.commit.clone()),
        last_changed: h.last_changed.as_ref().map(|s| s.commit.clone()),
        revisions: h.revisions,
        authors: h.authors.clone(),
        status_since: h.status_since.clone(),
        renamed_from: h.renamed_from.clone(),
        timeline: h
            .timeline
            .iter()
            .map(|r| {
                let change = match &r.change {
                    Change::Added => "A".to_owned(),
                    Change::Modified => "M".to_owned(),
                    Change::Deleted => "D".to_owned(),
                    Change::Renamed { from } => format!("R {from}"),
                    Change::Copied { from } => format!("C {from}"),
                };
                (
                    r.commit.commit.clone(),
                    r.commit.date.clone(),
                    r.commit.author.clone(),
                    r.subject.clone(),
                    r.path.clone(),
                    change,
                )
            })
            .collect(),
        statuses: h.timeline.iter().map(|r| r.status.clone()).collect(),
        only_status: h.timeline.iter().map(|r| r.only_status_changed).collect(),
    }
}

/// Compare every item with the git CLI, and a warm-cache run with the cold one.
fn check_all(repo: &Repo, root: &Path, items: &[&str], prefixes: &[&str]) -> HistoryIndex {
    let cold = run(root, items, prefixes, CacheMode::Refresh);
    for i in items {
        let h = cold.get(i).unwrap_or_else(|| panic!("no history for {i}"));
        assert_eq!(actual(h), expected(repo, root, i), "item {i}");
        assert_eq!(h.shallow, cold.shallow());
    }
    let warm = run(root, items, prefixes, CacheMode::ReadWrite);
    let off = run(root, items, prefixes, CacheMode::Off);
    for i in items {
        assert_eq!(cold.get(i), warm.get(i), "warm cache differs for {i}");
        assert_eq!(cold.get(i), off.get(i), "uncached run differs for {i}");
    }
    cold
}

fn standard_history(r: &Repo) {
    r.write("README.md", "readme\n");
    r.write("backlog/core/a.md", &item("alpha", "idea", ""));
    r.write("backlog/core/b.md", &item("bravo", "idea", ""));
    r.commit("initial backlog", "Ann");
    r.write("src/main.rs", "fn main() {}\n");
    r.commit("code only", "Bob");
    r.write("backlog/core/a.md", &item("alpha", "ready", ""));
    r.commit("alpha is ready", "Bob");
    r.write("backlog/core/a.md", &item("alpha", "ready", "more body\n"));
    r.commit("alpha body edit\nsecond line\n\nwith a longer\ndescription", "Cem");
    r.mv("backlog/core/b.md", "backlog/ui/b.md");
    r.commit("move bravo", "Ann");
    r.write("backlog/ui/c.md", &item("charlie", "idea", ""));
    r.commit("add charlie", "Dee");
    r.mv("backlog/ui/c.md", "backlog/core/c2.md");
    r.write("backlog/core/c2.md", &item("charlie", "refining", "extra line\n"));
    r.commit("rename and edit charlie", "Ann");
    r.write("backlog/core/a.md", &item("alpha", "in-progress", "more body\n"));
    r.commit("alpha started", "Ann");
    r.write("backlog/core/d.md", &item("delta", "idea", ""));
    r.commit("add delta", "Bob");
    r.remove("backlog/core/d.md");
    r.commit("drop delta", "Bob");
    r.write("backlog/core/d.md", &item("delta", "ready", "second life\n"));
    r.commit("re-add delta", "Cem");
    r.write("backlog/core/a.md", &item("alpha", "in-progress", "more body\nand more\n"));
    r.commit("alpha more body", "Dee");
}

const STD_ITEMS: [&str; 4] = ["backlog/core/a.md", "backlog/ui/b.md", "backlog/core/c2.md", "backlog/core/d.md"];

#[test]
fn linear_history_matches_git() {
    let r = Repo::new();
    standard_history(&r);
    let idx = check_all(&r, &r.dir, &STD_ITEMS, &["backlog"]);
    let a = idx.get("backlog/core/a.md").expect("a");
    assert_eq!(a.state, State::Committed);
    assert_eq!(a.revisions, 5);
    assert_eq!(a.authors, ["Ann", "Bob", "Cem", "Dee"]);
    assert!(a.status_since.is_some());
    let c = idx.get("backlog/core/c2.md").expect("c");
    assert_eq!(c.renamed_from, ["backlog/ui/c.md"]);
    let b = idx.get("backlog/ui/b.md").expect("b");
    assert_eq!(b.renamed_from, ["backlog/core/b.md"]);
    let d = idx.get("backlog/core/d.md").expect("d");
    assert_eq!(d.revisions, 3);
    assert!(!idx.shallow());
    let json = serde_json::to_value(a).expect("json");
    let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    assert_eq!(keys.len(), 8);
    assert_eq!(json["state"], "committed");
}

#[test]
fn timeline_details() {
    let r = Repo::new();
    standard_history(&r);
    let idx = run(&r.dir, &["backlog/core/a.md"], &["backlog"], CacheMode::Off);
    let a = idx.get("backlog/core/a.md").expect("a");
    assert_eq!(a.timeline[0].status.as_deref(), Some("in-progress"));
    assert!(a.timeline[1].only_status_changed, "{:?}", a.timeline[1]);
    assert!(!a.timeline[2].only_status_changed);
    assert!(a.timeline[3].only_status_changed);
    assert!(!a.timeline[4].only_status_changed);
    let blob = a.timeline[0].blob.as_deref().expect("blob");
    let text = history::read_blob(&r.dir, blob).expect("read blob");
    assert_eq!(String::from_utf8_lossy(&text), item("alpha", "in-progress", "more body\nand more\n"));
    assert_eq!(a.subject_of(2), "alpha body edit second line");
}

trait SubjectOf {
    fn subject_of(&self, n: usize) -> String;
}
impl SubjectOf for History {
    fn subject_of(&self, n: usize) -> String {
        self.timeline.get(n).map(|r| r.subject.clone()).unwrap_or_default()
    }
}

#[test]
fn merged_branches_match_git() {
    let r = Repo::new();
    standard_history(&r);
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("backlog/core/a.md", &item("alpha", "done", "more body\nand more\n"));
    r.commit("finish alpha on branch", "Eve");
    r.write("backlog/ui/e.md", &item("echo", "idea", ""));
    r.commit("add echo on branch", "Eve");
    r.git(&["checkout", "-q", "main"]);
    r.write("backlog/core/c2.md", &item("charlie", "ready", "extra line\n"));
    r.commit("charlie ready on main", "Ann");
    r.merge("feature", "merge feature");
    // Both sides edit different lines of delta; the merge result differs from both parents,
    // so `git log -1` names the merge itself.
    r.git(&["checkout", "-q", "-b", "two"]);
    let d_branch = item("delta", "ready", "second life\n").replacen("delta line 0", "delta line zero", 1);
    r.write("backlog/core/d.md", &d_branch);
    r.commit("delta top edit", "Eve");
    r.git(&["checkout", "-q", "main"]);
    r.write("backlog/core/d.md", &item("delta", "ready", "second life\nlast line\n"));
    r.commit("delta bottom edit", "Ann");
    r.merge("two", "merge two");
    let mut items = STD_ITEMS.to_vec();
    items.push("backlog/ui/e.md");
    let idx = check_all(&r, &r.dir, &items, &["backlog"]);
    let d = idx.get("backlog/core/d.md").expect("d");
    let head = r.git(&["rev-parse", "HEAD"]);
    assert_eq!(d.last_changed.as_ref().map(|s| s.commit.as_str()), Some(head.trim()));
    let a = idx.get("backlog/core/a.md").expect("a");
    assert_eq!(a.timeline[0].commit.author, "Eve");
}

/// `git log -1 -- PATH` simplifies history: at a merge where the path is the same as in one of
/// the parents, it follows only the first such parent, so a change the merge threw away (or one
/// that both sides made) is not the last change — even when it is the newest.
#[test]
fn last_change_follows_git_history_simplification() {
    let r = Repo::new();
    for name in ["a", "b", "c", "d"] {
        r.write(&format!("backlog/{name}.md"), &item(name, "idea", ""));
    }
    r.commit("start", "Ann");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.git(&["checkout", "-q", "main"]);
    r.write("backlog/a.md", &item("a", "idea", "main edit\n"));
    r.write("backlog/b.md", &item("b", "ready", ""));
    r.commit("main edits a and b", "Ann");
    r.write("backlog/c.md", &item("c", "idea", "main edit\n"));
    r.commit("main edits c", "Ann");
    r.git(&["checkout", "-q", "side"]);
    // Newer than main's edits: a is edited differently, b the same way, c is left alone.
    r.write("backlog/a.md", &item("a", "idea", "side edit\n"));
    r.write("backlog/b.md", &item("b", "ready", ""));
    r.commit("side edits a and b", "Eve");
    r.git(&["checkout", "-q", "main"]);
    // Keeps main's a and b: the side's newer edits are not the last change of either.
    r.merge_with(&["side"], "merge side, ours", &["-s", "ours"]);

    r.git(&["checkout", "-q", "-b", "side2"]);
    r.write("backlog/c.md", &item("c", "ready", "side2 edit\n"));
    r.commit("side2 edits c", "Eve");
    r.git(&["checkout", "-q", "main"]);
    r.write("backlog/c.md", &item("c", "done", "main edit again\n"));
    r.commit("main edits c again", "Ann");
    // Takes side2's c: the merge is the same as its second parent there, so `git log -1`
    // goes down the side branch and names its older edit, not main's newer one.
    r.merge_with(&["side2"], "merge side2, theirs", &["-X", "theirs"]);

    r.git(&["checkout", "-q", "-b", "x"]);
    r.write("backlog/x.md", &item("x", "idea", ""));
    r.commit("add x", "Eve");
    r.git(&["checkout", "-q", "main"]);
    r.git(&["checkout", "-q", "-b", "y"]);
    r.write("backlog/y.md", &item("y", "idea", ""));
    r.commit("add y", "Cem");
    r.git(&["checkout", "-q", "main"]);
    r.write("backlog/d.md", &item("d", "ready", ""));
    r.commit("main edits d", "Ann");
    r.merge_with(&["x", "y"], "octopus", &[]);

    let items = ["backlog/a.md", "backlog/b.md", "backlog/c.md", "backlog/d.md", "backlog/x.md", "backlog/y.md"];
    let idx = check_all(&r, &r.dir, &items, &["backlog"]);
    let last = |p: &str| idx.get(p).and_then(|h| h.last_changed.clone()).map(|s| s.commit).unwrap_or_default();
    let subject = |c: &str| r.git(&["log", "-1", "--format=%s", c]).trim().to_owned();
    assert_eq!(subject(&last("backlog/a.md")), "main edits a and b");
    assert_eq!(subject(&last("backlog/b.md")), "main edits a and b");
    assert_eq!(subject(&last("backlog/c.md")), "side2 edits c");
    assert_eq!(subject(&last("backlog/y.md")), "add y");
}

/// Items written from one template, as most teams do: git's `--follow` takes an added item
/// that is ≥ 50% similar to a file of the parent commit for a copy of it and goes on with that
/// file's history.
fn templated(n: usize, status: &str, extra: &str) -> String {
    format!(
        "---\nid: PB-{n}\ntitle: Item {n}\ntype: story\nstatus: {status}\nsize: 3\nrisk: low\nvalue: high\n\
         owner: alice\n---\n\n## Value hypothesis\nWe believe this helps.\n\n## Acceptance criteria\n- [ ] works\n{extra}"
    )
}

fn backlog_files(r: &Repo) -> Vec<String> {
    r.git(&["ls-files", "backlog"]).lines().map(str::to_owned).collect()
}

/// [`check_all`] for every file under `backlog/` at `HEAD`, read at `root`.
fn check_backlog(r: &Repo, root: &Path) -> HistoryIndex {
    let files = backlog_files(r);
    let items: Vec<&str> = files.iter().map(String::as_str).collect();
    check_all(r, root, &items, &["backlog"])
}

#[test]
fn copies_of_templated_items_are_followed_like_git() {
    let r = Repo::new();
    r.write(".editorconfig", "root = true\n");
    r.write("README.md", "readme\n");
    for n in 1..=3 {
        r.write(&format!("backlog/PB-{n}.md"), &templated(n, "draft", ""));
    }
    r.commit("three items", "Ann");
    // Ties between equally similar items: git's candidate slots decide, and the two files
    // before `backlog/` in path order take part in that.
    r.write("backlog/PB-4.md", &templated(4, "draft", ""));
    r.commit("fourth", "Bob");
    r.write("backlog/PB-2.md", &templated(2, "ready", "- [ ] also this\n"));
    r.commit("refine two", "Cem");
    // An exact copy, and a copy with edits.
    std::fs::copy(r.dir.join("backlog/PB-2.md"), r.dir.join("backlog/sub/PB-2.md")).ok();
    r.write("backlog/sub/PB-2.md", &templated(2, "ready", "- [ ] also this\n"));
    r.write("backlog/PB-5.md", &templated(5, "ready", "- [ ] also this\n"));
    r.commit("copies", "Dee");
    // A rename wins over a better copy; deleting and adding again starts from a copy.
    r.remove("backlog/PB-1.md");
    r.write("backlog/PB-1b.md", &templated(1, "draft", "renamed\n"));
    r.remove("backlog/PB-3.md");
    r.commit("rename one, drop three", "Ann");
    r.write("backlog/PB-3.md", &templated(3, "idea", "second life\n"));
    r.write("README.md", "readme, longer\n");
    r.commit("three again", "Bob");
    r.write("backlog/PB-6.md", "something else entirely\nwith its own lines\n");
    r.commit("unrelated item", "Cem");
    let idx = check_backlog(&r, &r.dir);
    let copied = idx.get("backlog/PB-5.md").expect("PB-5");
    assert!(matches!(&copied.timeline[0].change, Change::Copied { .. }), "{:?}", copied.timeline[0].change);
    assert!(copied.revisions > 1);
    let renamed = idx.get("backlog/PB-1b.md").expect("PB-1b");
    assert_eq!(renamed.renamed_from, ["backlog/PB-1.md"]);
    assert_eq!(idx.get("backlog/PB-6.md").expect("PB-6").revisions, 1);
}

/// Whether the parent of a commit holds a file is read off the change lists; a branch that
/// deletes or edits the file in between, in walk order, must not count for the other side.
#[test]
fn copy_sources_across_branches_match_git() {
    let r = Repo::new();
    r.write("backlog/A.md", &templated(1, "draft", ""));
    r.write("backlog/E.md", &templated(5, "draft", "first\n"));
    r.commit("base", "Ann");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.remove("backlog/A.md");
    r.write("backlog/E.md", &templated(5, "draft", "edited on the side\n"));
    r.commit("side drops A, edits E", "Eve");
    r.git(&["checkout", "-q", "main"]);
    r.write("README.md", "unrelated\n");
    r.commit("main work", "Ann");
    r.write("backlog/B.md", &templated(1, "draft", ""));
    r.commit("B from A", "Bob");
    r.merge("side", "merge side");
    // E now differs between the merge's parents: its content has to be read from the tree.
    r.write("backlog/F.md", &templated(5, "draft", "edited on the side\n"));
    r.commit("F from E", "Cem");
    let idx = check_backlog(&r, &r.dir);
    assert_eq!(idx.get("backlog/B.md").expect("B").renamed_from, ["backlog/A.md"]);
    assert_eq!(idx.get("backlog/F.md").expect("F").renamed_from, ["backlog/E.md"]);
}

/// A small deterministic generator, so that failures can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Random sequences of the things people do to templated items — create, edit, move status,
/// rename (with and without edits), copy, delete, add again, merge a branch — checked item by
/// item against `git log --follow`.
#[test]
fn random_templated_histories_match_git() {
    for seed in 1..=4u64 {
        let r = Repo::new();
        templated_history(&r, seed);
        check_backlog(&r, &r.dir);
    }
}

/// Random steps on templated items in `r`; see [`random_templated_histories_match_git`].
fn templated_history(r: &Repo, seed: u64) {
    {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.write("README.md", "readme\n");
        let mut next = 1;
        let statuses = ["draft", "ready", "in-progress", "done"];
        let dirs = ["backlog", "backlog/area", "backlog/other"];
        for step in 0..36 {
            let live = backlog_files(r);
            let pick = |rng: &mut Rng| live[rng.below(live.len())].clone();
            let op = if live.len() < 3 { 0 } else { rng.below(9) };
            match op {
                0 | 1 => {
                    let path = format!("{}/PB-{next}.md", dirs[rng.below(dirs.len())]);
                    r.write(&path, &templated(next, statuses[rng.below(2)], ""));
                    next += 1;
                }
                2 => {
                    let p = pick(&mut rng);
                    let text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                    let status = statuses[rng.below(statuses.len())];
                    let moved: Vec<String> = text
                        .lines()
                        .map(|l| if l.starts_with("status:") { format!("status: {status}") } else { l.to_owned() })
                        .collect();
                    r.write(&p, &(moved.join("\n") + "\n"));
                }
                3 => {
                    let p = pick(&mut rng);
                    let mut text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                    text.push_str(&format!("- [ ] criterion {step}\n"));
                    r.write(&p, &text);
                }
                4 | 5 => {
                    let p = pick(&mut rng);
                    let to = format!("{}/moved-{step}.md", dirs[rng.below(dirs.len())]);
                    r.mv(&p, &to);
                    if op == 5 {
                        let mut text = std::fs::read_to_string(r.dir.join(&to)).expect("read");
                        text.push_str("edited while moving\n");
                        r.write(&to, &text);
                    }
                }
                6 => {
                    let p = pick(&mut rng);
                    let text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                    let to = format!("{}/copy-{step}.md", dirs[rng.below(dirs.len())]);
                    r.write(&to, &text.replacen("id: PB-", "id: PB-9", 1));
                }
                7 => {
                    let p = pick(&mut rng);
                    r.remove(&p);
                    if rng.below(2) == 0 {
                        r.commit(&format!("drop {p}"), "Bob");
                        r.write(&p, &templated(next, "draft", "back again\n"));
                        next += 1;
                    }
                }
                _ => {
                    r.git(&["checkout", "-q", "-b", &format!("side-{step}")]);
                    let p = pick(&mut rng);
                    let mut text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                    text.push_str("from a branch\n");
                    r.write(&p, &text);
                    r.write(&format!("backlog/area/PB-{next}.md"), &templated(next, "draft", "branch item\n"));
                    next += 1;
                    r.commit("branch work", "Eve");
                    r.git(&["checkout", "-q", "main"]);
                    r.write(&format!("backlog/PB-{next}.md"), &templated(next, "ready", ""));
                    next += 1;
                    // Both sides edit the item, and the merge keeps one side's text or the
                    // other's: `git log -1` then follows that side alone.
                    let strategy = ["", "-s ours", "-X ours", "-X theirs"][rng.below(4)];
                    if !strategy.is_empty() {
                        let mut text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                        text.push_str("from main\n");
                        r.write(&p, &text);
                    }
                    r.commit("main work", "Ann");
                    let options: Vec<&str> = strategy.split(' ').filter(|o| !o.is_empty()).collect();
                    r.merge_with(&[&format!("side-{step}")], "merge side", &options);
                    continue;
                }
            }
            r.commit(&format!("step {step}"), ["Ann", "Bob", "Cem"][rng.below(3)]);
        }
    }
}

#[test]
fn shallow_clone_is_cut_not_an_error() {
    let r = Repo::new();
    standard_history(&r);
    let url = format!("file://{}", r.dir.display());
    let clone_dir = r.dir.parent().expect("parent").join("clone");
    r.git_at(r.dir.parent().expect("parent"), &["clone", "-q", "--depth", "2", &url, "clone"]);
    let idx = check_all(&r, &clone_dir, &STD_ITEMS, &["backlog"]);
    assert!(idx.shallow());
    for i in STD_ITEMS {
        assert!(idx.get(i).expect("item").shallow);
    }
}

#[test]
fn unborn_branch_and_no_repository() {
    let r = Repo::new();
    r.write("backlog/a.md", &item("alpha", "idea", ""));
    let idx = check_all(&r, &r.dir, &["backlog/a.md"], &["backlog"]);
    let a = idx.get("backlog/a.md").expect("a");
    assert_eq!(a.state, State::Untracked);
    assert_eq!(a.revisions, 0);
    r.git(&["add", "backlog/a.md"]);
    assert_eq!(
        run(&r.dir, &["backlog/a.md"], &["backlog"], CacheMode::Off).get("backlog/a.md").expect("a").state,
        State::Untracked
    );

    let plain = TempDir::new().expect("tempdir");
    std::fs::create_dir_all(plain.path().join("backlog")).expect("mkdir");
    std::fs::write(plain.path().join("backlog/a.md"), "x").expect("write");
    let idx = run(plain.path(), &["backlog/a.md"], &["backlog"], CacheMode::ReadWrite);
    let a = idx.get("backlog/a.md").expect("a");
    assert_eq!(a.state, State::NoRepo);
    assert_eq!(a.created, None);
    assert!(!idx.shallow());
}

#[test]
fn dirty_work_tree_and_untracked_items() {
    let r = Repo::new();
    standard_history(&r);
    r.write("backlog/core/a.md", &item("alpha", "done", "more body\nand more\n"));
    r.write("backlog/ui/b.md", &item("bravo", "ready", ""));
    r.git(&["add", "backlog/ui/b.md"]);
    r.write("backlog/ui/b.md", &item("bravo", "idea", ""));
    r.write("backlog/core/c2.md", &item("charlie", "done", "extra line\n"));
    r.git(&["add", "backlog/core/c2.md"]);
    r.write("backlog/new.md", &item("foxtrot", "idea", ""));
    r.write("backlog/staged-new.md", &item("golf", "idea", ""));
    r.git(&["add", "backlog/staged-new.md"]);
    let items = [
        "backlog/core/a.md",
        "backlog/ui/b.md",
        "backlog/core/c2.md",
        "backlog/core/d.md",
        "backlog/new.md",
        "backlog/staged-new.md",
    ];
    let idx = check_all(&r, &r.dir, &items, &["backlog"]);
    let state = |i: &str| idx.get(i).expect("item").state;
    assert_eq!(state("backlog/core/a.md"), State::Modified);
    // Staged change reverted in the work tree: the index still differs from HEAD.
    assert_eq!(state("backlog/ui/b.md"), State::Modified);
    assert_eq!(state("backlog/core/c2.md"), State::Modified);
    assert_eq!(state("backlog/core/d.md"), State::Committed);
    assert_eq!(state("backlog/new.md"), State::Untracked);
    assert_eq!(state("backlog/staged-new.md"), State::Untracked);
    assert_eq!(idx.get("backlog/core/a.md").expect("a").revisions, 5);
}

#[test]
fn work_tree_files_are_compared_the_way_git_stores_them() {
    // With `* text=auto` git stores CRLF files with LF endings: a work-tree file that differs
    // from its blob only by that is unchanged for `git status`, and so for backlint.
    let r = Repo::new();
    r.write(".gitattributes", "* text=auto\n");
    let crlf = |name: &str, extra: &str| item(name, "idea", extra).replace('\n', "\r\n");
    r.write("backlog/a.md", &crlf("alpha", ""));
    r.write("backlog/b.md", &crlf("bravo", ""));
    r.commit("CRLF items", "Ann");
    // Written again after the commit: their stat data no longer vouches for them, so their
    // content is hashed.
    r.write("backlog/a.md", &crlf("alpha", ""));
    r.write("backlog/b.md", &crlf("bravo", "one more line\n"));
    let items = ["backlog/a.md", "backlog/b.md"];
    let idx = check_all(&r, &r.dir, &items, &["backlog"]);
    let state = |p: &str| idx.get(p).map(|h| h.state);
    assert_eq!((state(items[0]), state(items[1])), (Some(State::Committed), Some(State::Modified)));
}

#[cfg(unix)]
#[test]
fn commits_in_a_legacy_encoding_read_like_git_log() {
    // Old imports record `encoding ISO-8859-1` and Latin-1 bytes; `git log` prints them as UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let r = Repo::new();
    r.write("backlog/a.md", &item("alpha", "idea", ""));
    r.git(&["add", "-A"]);
    let out = Command::new("git")
        .current_dir(&r.dir)
        .env("HOME", &r.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", std::ffi::OsStr::from_bytes(b"Ren\xe9 M\xfcller"))
        .env("GIT_AUTHOR_EMAIL", "rene@example.com")
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .args(["-c", "i18n.commitEncoding=ISO-8859-1", "-c", "commit.gpgsign=false", "commit", "-q", "-m"])
        .arg(std::ffi::OsStr::from_bytes(b"Caf\xe9 item"))
        .output()
        .expect("git runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let idx = check_all(&r, &r.dir, &["backlog/a.md"], &["backlog"]);
    let h = idx.get("backlog/a.md").expect("a");
    assert_eq!((h.authors.as_slice(), h.subject_of(0).as_str()), (&["René Müller".to_owned()][..], "Café item"));
}

#[test]
fn project_root_in_a_subdirectory() {
    let r = Repo::new();
    r.write("docs/readme.md", "docs\n");
    r.write("team/backlog/a.md", &item("alpha", "idea", ""));
    r.write("team/backlog/b.md", &item("bravo", "idea", ""));
    r.write("backlog/outside.md", &item("outside", "idea", ""));
    r.commit("start", "Ann");
    r.mv("team/backlog/b.md", "team/backlog/sub/b.md");
    r.commit("move b", "Bob");
    r.write("team/backlog/a.md", &item("alpha", "ready", ""));
    r.commit("a ready", "Cem");
    let root = r.dir.join("team");
    let items = ["backlog/a.md", "backlog/sub/b.md"];
    let idx = check_all(&r, &root, &items, &["backlog"]);
    assert_eq!(idx.get("backlog/sub/b.md").expect("b").renamed_from, ["backlog/b.md"]);
    // Inside the work tree but outside the project root is still in the repository.
    let outside = run(&root, &["../backlog/outside.md", "../../x.md"], &["backlog", "../backlog"], CacheMode::Off);
    assert_eq!(outside.get("../backlog/outside.md").expect("outside").revisions, 1);
    assert_eq!(outside.get("../../x.md").expect("x").state, State::NoRepo);
}

#[test]
fn detached_head_and_many_unrelated_commits() {
    let r = Repo::new();
    r.write("backlog/a.md", &item("alpha", "idea", ""));
    r.write("backlog/b.md", &item("bravo", "idea", ""));
    r.commit("start", "Ann");
    for i in 0..150 {
        r.write("src/lib.rs", &format!("// {i}\n"));
        r.commit(&format!("code {i}"), if i % 2 == 0 { "Bob" } else { "Cem" });
        if i == 70 {
            r.write("backlog/a.md", &item("alpha", "ready", ""));
            r.commit("alpha ready", "Dee");
        }
    }
    let items = ["backlog/a.md", "backlog/b.md"];
    check_all(&r, &r.dir, &items, &["backlog"]);
    r.git(&["checkout", "-q", "--detach", "HEAD~3"]);
    let idx = check_all(&r, &r.dir, &items, &["backlog"]);
    assert_eq!(idx.get("backlog/a.md").expect("a").revisions, 2);
}

#[test]
fn cache_follows_head_forward_and_back() {
    let r = Repo::new();
    standard_history(&r);
    run(&r.dir, &STD_ITEMS, &["backlog"], CacheMode::Refresh);
    r.write("backlog/core/a.md", &item("alpha", "done", "more body\nand more\n"));
    r.commit("alpha done", "Eve");
    r.mv("backlog/core/d.md", "backlog/ui/d.md");
    r.commit("move delta", "Eve");
    let items = ["backlog/core/a.md", "backlog/ui/b.md", "backlog/core/c2.md", "backlog/ui/d.md"];
    let warm = run(&r.dir, &items, &["backlog"], CacheMode::ReadWrite);
    let cold = run(&r.dir, &items, &["backlog"], CacheMode::Off);
    for i in items {
        assert_eq!(warm.get(i), cold.get(i), "{i}");
        assert_eq!(actual(warm.get(i).expect("item")), expected(&r, &r.dir, i), "{i}");
    }
    // Back to an older HEAD: the cache holds a superset and must not leak newer commits.
    r.git(&["reset", "-q", "--hard", "HEAD~2"]);
    let warm = run(&r.dir, &STD_ITEMS, &["backlog"], CacheMode::ReadWrite);
    for i in STD_ITEMS {
        assert_eq!(actual(warm.get(i).expect("item")), expected(&r, &r.dir, i), "{i}");
    }
    // A different facts extractor must not reuse cached statuses.
    let items: Vec<String> = STD_ITEMS.iter().map(|s| s.to_string()).collect();
    let other = |_: &[u8]| BlobFacts { status: Some("x".into()), other_hash: 1, size: None };
    let req = Request {
        project_root: &r.dir,
        items: &items,
        prefixes: &["backlog".to_owned()],
        may_be_item: &|_| true,
        scope_key: "",
        facts: &other,
        facts_key: "other",
        cache: CacheMode::ReadWrite,
    };
    let idx = history::collect(&req).expect("collect");
    assert_eq!(idx.get("backlog/core/a.md").expect("a").timeline[0].status.as_deref(), Some("x"));
}

/// Spot-check a generated corpus (`scripts/gen-corpus`) against the git CLI:
/// `BACKLINT_CORPUS=/tmp/corpus cargo test history::corpus -- --ignored`.
#[test]
#[ignore]
fn corpus_matches_git() {
    let Some(dir) = std::env::var_os("BACKLINT_CORPUS").map(PathBuf::from) else { return };
    sample_matches_git(&dir, 60);
}

/// A packed repository long enough that the packs are mapped afresh several times while its
/// commits are diffed and its blobs read (every 1,024 commits or 2,048 blobs).
#[test]
fn generated_packed_history_matches_git() {
    let tmp = TempDir::new().expect("tempdir");
    let dir = tmp.path().join("corpus");
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-corpus");
    let out = Command::new(generator)
        .arg(&dir)
        .args(["--items", "300", "--commits", "3000", "--seed", "3", "--areas", "3"])
        .output()
        .expect("scripts/gen-corpus runs");
    assert!(out.status.success(), "gen-corpus failed: {}", String::from_utf8_lossy(&out.stderr));
    sample_matches_git(&dir, 40);
}

/// About `n` items of the repository at `dir`, spread over `git ls-files`, have the history git reports.
fn sample_matches_git(dir: &Path, n: usize) {
    let r = Repo {
        _tmp: TempDir::new().expect("tempdir"),
        home: PathBuf::from("/nonexistent"),
        dir: dir.to_path_buf(),
        tick: Cell::new(0),
    };
    let all: Vec<String> = r.git(&["ls-files", "backlog"]).lines().map(str::to_owned).collect();
    let step = (all.len() / n).max(1);
    let sample: Vec<&str> = all.iter().step_by(step).map(String::as_str).collect();
    let idx = run(dir, &sample, &["backlog"], CacheMode::Off);
    for i in &sample {
        assert_eq!(actual(idx.get(i).expect("item")), expected(&r, dir, i), "item {i}");
    }
}

/// Library-level timing of `collect` on a generated corpus (see scripts/bench):
/// `BACKLINT_CORPUS=/tmp/corpus BACKLINT_CACHE=off|refresh|rw cargo test --release --test main history::bench_collect -- --ignored --nocapture`.
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
        BlobFacts { status, other_hash: h.finish(), size: None }
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
        may_be_item: &|_| true,
        scope_key: "",
        facts: &facts,
        facts_key: "bench",
        cache: mode,
    };
    let idx = collect(&req).expect("collect");
    let revs: usize = items.iter().filter_map(|i| idx.get(i)).map(|h| h.revisions).sum();
    eprintln!("{} items, {} revisions, {:?}", items.len(), revs, t.elapsed());
}

/// Random histories with branches, as teams make them: merges that keep both sides, one side
/// (`-s ours`, `-X ours`, `-X theirs`) or follow a cherry-pick of the side's commit, reverts,
/// deletions and re-additions of the same text, moves between directories and mode changes.
#[test]
fn random_branchy_histories_match_git() {
    for seed in 1..=3u64 {
        let r = branchy_history(seed);
        check_backlog(&r, &r.dir);
    }
    // Cut by a shallow clone, in the middle of merged branches.
    let r = branchy_history(4);
    let url = format!("file://{}", r.dir.display());
    r.git_at(r.dir.parent().expect("parent"), &["clone", "-q", "--depth", "12", &url, "clone"]);
    let clone = r.dir.parent().expect("parent").join("clone");
    assert!(check_backlog(&r, &clone).shallow());
}

fn branchy_history(seed: u64) -> Repo {
    branchy_history_in(Repo::new(), seed)
}

/// [`branchy_history`] in the fresh repository `r`.
fn branchy_history_in(r: Repo, seed: u64) -> Repo {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut next = 0;
    let mut add = |r: &Repo, dir: &str| {
        r.write(&format!("{dir}/PB-{next}.md"), &item(&format!("item{next}"), "idea", ""));
        next += 1;
    };
    for _ in 0..3 {
        add(&r, "backlog");
    }
    r.commit("start", "Ann");
    for step in 0..40 {
        let live = backlog_files(&r);
        if live.is_empty() {
            add(&r, "backlog");
            r.commit("refill", "Ann");
            continue;
        }
        let p = live[rng.below(live.len())].clone();
        let append = |line: &str| {
            let text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
            r.write(&p, &format!("{text}{line}\n"));
        };
        match rng.below(10) {
            0 => add(&r, &format!("backlog/d{}", rng.below(3))),
            1 | 2 => append(&format!("edit {step}")),
            3 => r.mv(&p, &format!("backlog/d{}/moved-{step}.md", rng.below(3))),
            4 => {
                if r.git(&["log", "-1", "--format=%P"]).split_whitespace().count() == 1 {
                    r.git_next(&["revert", "--no-edit", "HEAD"], "Bob");
                }
                continue;
            }
            5 => {
                let text = std::fs::read_to_string(r.dir.join(&p)).expect("read");
                r.remove(&p);
                r.commit("drop", "Bob");
                r.write(&p, &text);
            }
            6 => {
                let executable = r.git(&["ls-files", "-s", &p]).starts_with("100755");
                r.git(&["update-index", if executable { "--chmod=-x" } else { "--chmod=+x" }, &p]);
                r.git_next(&["commit", "-q", "-m", "mode"], "Cem");
                r.git(&["reset", "-q", "--hard"]);
                continue;
            }
            _ => {
                let branch = format!("b{step}");
                r.git(&["checkout", "-q", "-b", &branch]);
                append("side");
                r.commit("side work", "Eve");
                let side = r.git(&["rev-parse", "HEAD"]);
                r.git(&["checkout", "-q", "main"]);
                // Both sides change the item unless the merge takes both; a cherry-pick
                // makes the same change on main.
                let (cherry_pick, options): (bool, &[&str]) = [
                    (false, &[][..]),
                    (false, &["-s", "ours"]),
                    (false, &["-X", "ours"]),
                    (false, &["-X", "theirs"]),
                    (true, &[]),
                ][rng.below(5)];
                if cherry_pick {
                    r.git_next(&["cherry-pick", side.trim()], "Ann");
                } else if !options.is_empty() {
                    append("main");
                    r.commit("main work", "Ann");
                }
                r.merge_with(&[&branch], "merge", options);
                continue;
            }
        }
        r.commit(&format!("step {step}"), ["Ann", "Bob", "Cem"][rng.below(3)]);
    }
    r
}

/// Repositories made with `git init --object-format=sha256` have the same facts as git reports,
/// from loose objects and from packs (32-byte ids in trees, commits, pack indexes and deltas),
/// and their cache is a file of its own.
#[test]
fn sha256_repositories_match_git() {
    let sha256 = ["--object-format=sha256"];
    let r = Repo::init(&sha256);
    assert_eq!(r.git(&["rev-parse", "--show-object-format"]).trim(), "sha256");
    standard_history(&r);
    check_all(&r, &r.dir, &STD_ITEMS, &["backlog"]);
    r.git(&["gc", "-q", "--aggressive"]);
    check_all(&r, &r.dir, &STD_ITEMS, &["backlog"]);
    let caches: Vec<String> = std::fs::read_dir(r.dir.join(".git/backlint"))
        .expect("cache directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut caches = caches;
    caches.sort();
    assert_eq!(caches, ["history-v5-sha256.bin", "items-v1-sha256.bin"]);

    // Copies and renames of templated items (similarity scores), merges and reverts.
    let r = Repo::init(&sha256);
    templated_history(&r, 2);
    r.git(&["gc", "-q"]);
    check_backlog(&r, &r.dir);
    let r = branchy_history_in(Repo::init(&sha256), 5);
    check_backlog(&r, &r.dir);
}
