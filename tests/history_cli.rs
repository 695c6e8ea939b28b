use crate::support::{item, GitRepo, Project};

/// An item's life: created, refined, moved to ready, renamed with an edit.
fn repo_with_history() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("README.md", "# product\n");
    repo.write("backlog/PB-1-old.md", item("PB-1", "refining").replace("size: 3", "size: 13"));
    repo.commit("Dana Pérez", 0, "Add PB-1");
    repo.write("backlog/PB-1-old.md", item("PB-1", "refining").replace("size: 3", "size: 5"));
    repo.commit("Chen Wei", 3, "Split PB-1");
    repo.write("backlog/PB-1-old.md", item("PB-1", "ready").replace("size: 3", "size: 5"));
    repo.commit("Chen Wei", 2, "PB-1 is ready");
    repo.git(&["mv", "backlog/PB-1-old.md", "backlog/PB-1-export.md"]);
    repo.write(
        "backlog/PB-1-export.md",
        item("PB-1", "ready").replace("size: 3", "size: 5").replace("it works", "it still works"),
    );
    repo.commit("Dana Pérez", 4, "Rename PB-1");
    repo.write("backlog/PB-2.md", item("PB-1", "idea"));
    repo
}

fn git_log(repo: &GitRepo, args: &[&str]) -> Vec<String> {
    let mut all = vec!["log"];
    all.extend_from_slice(args);
    repo.git(&all).lines().map(str::to_owned).collect()
}

#[test]
fn history_in_json_matches_git_log() {
    let repo = repo_with_history();
    let run = repo.run(&["check", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    let diagnostic = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["path"] == "backlog/PB-1-export.md")
        .unwrap_or_else(|| panic!("a finding on PB-1 (duplicate id)\n{}", run.describe()));
    let history = &diagnostic["history"];
    let follow = git_log(&repo, &["--follow", "--format=%H", "--", "backlog/PB-1-export.md"]);
    assert_eq!(history["state"], "committed");
    assert_eq!(history["revisions"], follow.len());
    assert_eq!(history["created"]["commit"], follow.last().expect("created").as_str());
    assert_eq!(history["created"]["author"], "Dana Pérez");
    assert_eq!(history["created"]["date"], "2026-01-05T10:00:00Z");
    let last = git_log(&repo, &["-1", "--format=%H", "--", "backlog/PB-1-export.md"]);
    assert_eq!(history["last_changed"]["commit"], last[0].as_str());
    assert_eq!(history["authors"], serde_json::json!(["Dana Pérez", "Chen Wei"]));
    assert_eq!(history["renamed_from"], serde_json::json!(["backlog/PB-1-old.md"]));
    assert_eq!(history["status_since"], "2026-01-10T10:00:00Z", "ready since the third commit");
    assert_eq!(history["shallow"], false);

    let untracked = json["diagnostics"].as_array().expect("array").iter().find(|d| d["path"] == "backlog/PB-2.md");
    let untracked = &untracked.expect("PB-2 shares PB-1's id")["history"];
    assert_eq!(untracked["state"], "untracked");
    assert!(untracked["created"].is_null());
}

#[test]
fn human_output_shows_one_history_line_per_item() {
    let repo = repo_with_history();
    let run = repo.run(&["check"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn history_command_reads_like_a_changelog() {
    let repo = repo_with_history();
    let run = repo.run(&["history", "PB-1-export.md"]);
    run.expect_code(2);
    let by_path = repo.run(&["history", "backlog/PB-1-export.md"]);
    by_path.expect_code(0);
    insta::assert_snapshot!(by_path.stdout);
    let json = repo.run(&["history", "backlog/PB-1-export.md", "--format", "json"]);
    json.expect_code(0);
    let timeline = json.json();
    assert_eq!(timeline["entries"].as_array().map(Vec::len), Some(4));
    assert_eq!(timeline["entries"][0]["change"], "renamed");
    assert_eq!(timeline["entries"][1]["fields"], serde_json::json!(["status: refining → ready"]));
    assert_eq!(timeline["entries"][2]["fields"], serde_json::json!(["size: 13 → 5"]));
    assert_eq!(timeline["entries"][3]["change"], "created");
    // By id: the ids of PB-1 and the untracked copy collide; the first path wins deterministically.
    let by_id = repo.run(&["history", "pb-1"]);
    by_id.expect_code(0);
    assert!(by_id.stdout.starts_with("PB-1 Item PB-1 — backlog/PB-1-export.md\n"), "{}", by_id.describe());
}

#[test]
fn an_item_started_as_a_copy_says_so() {
    // git's `--follow` takes an item written from another one for a copy and goes on with that
    // item's history; the changelog and the history line name the copy.
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    repo.commit("Dana Pérez", 0, "Add PB-1");
    repo.write("backlog/PB-2.md", item("PB-1", "ready").replacen("id: PB-1", "id: PB-2", 1));
    repo.commit("Chen Wei", 1, "Add PB-2 from PB-1");
    let follow = git_log(&repo, &["--follow", "--format=%H", "--", "backlog/PB-2.md"]);
    let json = repo.run(&["history", "PB-2", "--format", "json"]);
    json.expect_code(0);
    let timeline = json.json();
    let commits: Vec<&str> =
        timeline["entries"].as_array().expect("entries").iter().filter_map(|e| e["commit"].as_str()).collect();
    assert_eq!(commits, follow, "{}", json.describe());
    assert_eq!(timeline["entries"][0]["change"], "copied");
    assert_eq!(timeline["history"]["renamed_from"], serde_json::json!(["backlog/PB-1.md"]));
    let human = repo.run(&["history", "PB-2"]);
    assert!(human.stdout.contains("    copied from backlog/PB-1.md to backlog/PB-2.md\n"), "{}", human.describe());
    assert!(human.stdout.contains("(copied from backlog/PB-1.md)"), "{}", human.describe());
}

#[test]
fn root_level_globs_record_only_files_that_may_be_items() {
    // `items: ["**/*.md"]` puts the whole repository below one prefix. The history of the
    // items must still match git's, without recording the source tree's changes.
    let repo = GitRepo::new();
    repo.write(".backlint.yaml", "items: [\"**/*.md\"]\nexclude: [\"README.md\"]\n");
    repo.write("README.md", "# Project\n");
    repo.write("PB-1.md", item("PB-1", "idea"));
    repo.write("src/main.rs", "fn main() {}\n");
    repo.commit("Dana Pérez", 0, "Start");
    for n in 1..=3 {
        repo.write("src/main.rs", format!("fn main() {{ println!(\"{n}\"); }}\n"));
        repo.commit("Chen Wei", 1, &format!("Code change {n}"));
    }
    repo.git(&["mv", "PB-1.md", "PB-1-login.md"]);
    repo.write("PB-1-login.md", item("PB-1", "ready"));
    repo.commit("Chen Wei", 1, "Rename PB-1 and make it ready");
    let json = repo.run(&["history", "PB-1", "--format", "json"]);
    json.expect_code(0);
    let timeline = json.json();
    let commits: Vec<&str> =
        timeline["entries"].as_array().expect("entries").iter().filter_map(|e| e["commit"].as_str()).collect();
    assert_eq!(commits, git_log(&repo, &["--follow", "--format=%H", "--", "PB-1-login.md"]), "{}", json.describe());
    assert_eq!(timeline["history"]["renamed_from"], serde_json::json!(["PB-1.md"]));
    let cache = std::fs::read(repo.path().join(".git/backlint/history-v5.bin")).expect("cache written");
    let mentions = |needle: &[u8]| cache.windows(needle.len()).any(|w| w == needle);
    assert!(mentions(b"PB-1-login.md"), "the item's changes are recorded");
    assert!(!mentions(b"src/main.rs"), "changes of files that cannot be items are not recorded");
}

#[test]
fn edits_that_change_no_value_say_what_changed() {
    // A commit that only reformats the front matter, or only makes the file executable, is a
    // revision for git too; the changelog must not show it as an empty entry.
    let repo = GitRepo::new();
    repo.write("backlog/PB-3.md", item("PB-3", "ready"));
    repo.commit("Dana Pérez", 0, "Add PB-3");
    let quoted = item("PB-3", "ready").replacen("status: ready", "status: \"ready\"", 1);
    assert_ne!(quoted, item("PB-3", "ready"));
    repo.write("backlog/PB-3.md", quoted);
    repo.commit("Chen Wei", 1, "Quote the status");
    repo.git(&["update-index", "--chmod=+x", "backlog/PB-3.md"]);
    repo.git_as("Chen Wei", &["commit", "-q", "-m", "Make PB-3 executable"]);
    let human = repo.run(&["history", "PB-3"]);
    human.expect_code(0);
    let expected = [
        "Make PB-3 executable\n    file mode changed\n",
        "Quote the status\n    front matter reformatted, no value changed\n",
    ];
    for text in expected {
        assert!(human.stdout.contains(text), "{text:?} missing:\n{}", human.describe());
    }
    let json = repo.run(&["history", "PB-3", "--format", "json"]);
    let entries = json.json()["entries"].clone();
    assert_eq!(entries[0]["content_changed"], false, "{}", json.describe());
    assert_eq!(entries[1]["content_changed"], true, "{}", json.describe());
}

#[test]
fn history_shows_field_changes_of_leniently_read_items() {
    // Backlog.md writes `assignee: @dana` unquoted, which strict YAML rejects; the changelog
    // must still show what changed in such an item.
    let repo = GitRepo::new();
    let task =
        |status: &str| format!("---\nid: PB-7\ntitle: Lenient\nstatus: {status}\nassignee: @dana\n---\n\nBody\n");
    repo.write("backlog/PB-7.md", task("refining"));
    repo.commit("Dana Pérez", 0, "Add PB-7");
    repo.write("backlog/PB-7.md", task("ready"));
    repo.commit("Chen Wei", 1, "PB-7 is ready");
    let json = repo.run(&["history", "PB-7", "--format", "json"]);
    json.expect_code(0);
    assert_eq!(
        json.json()["entries"][0]["fields"],
        serde_json::json!(["status: refining → ready"]),
        "{}",
        json.describe()
    );
}

#[test]
fn history_rules_fire_with_a_pinned_clock() {
    let repo = GitRepo::new();
    repo.write(".backlint.yaml", "rules:\n  reopened: info\n  stale-item: { days: 140 }\n  owner-missing: off\n");
    repo.write("backlog/stale.md", item("S-1", "idea"));
    repo.write("backlog/wip.md", item("W-1", "refining"));
    repo.write("backlog/back.md", item("B-1", "in-progress"));
    repo.write(
        "backlog/risky.md",
        item("R-1", "ready").replace("size: 3", "size: 3\nrisk: high") + "\n## Risks\nUnknown API limits.\n",
    );
    repo.commit("Dana Pérez", 0, "Add items");
    repo.write("backlog/wip.md", item("W-1", "in-progress"));
    repo.write("backlog/back.md", item("B-1", "done"));
    repo.commit("Chen Wei", 10, "Start W-1, finish B-1");
    repo.write("backlog/back.md", item("B-1", "in-progress"));
    repo.commit("Chen Wei", 5, "Reopen B-1");
    let run = repo.run(&["check", "--format", "json"]);
    let json = run.json();
    let found: Vec<(String, String, String)> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // BACKLINT_NOW is 2026-06-01T00:00Z; commits are at 10:00, so whole days are one fewer
    // than the calendar says: S-1 last changed 2026-01-05, W-1 in progress since 2026-01-15.
    let expected = [
        ("backlog/back.md", "aging-wip", "in-progress for 131 days (since 2026-01-20), over the limit of 14"),
        ("backlog/back.md", "reopened", "reopened on 2026-01-20 by Chen Wei: done → in-progress"),
        ("backlog/risky.md", "stale-item", "not changed for 146 days (last changed 2026-01-05 by Dana Pérez)"),
        (
            "backlog/risky.md",
            "high-risk-unrefined",
            "high-risk item is ready after 0 of 1 refinement since it was created on 2026-01-05 by Dana Pérez",
        ),
        ("backlog/stale.md", "stale-item", "not changed for 146 days (last changed 2026-01-05 by Dana Pérez)"),
        ("backlog/wip.md", "aging-wip", "in-progress for 136 days (since 2026-01-15), over the limit of 14"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(p, r, m)| ((*p).to_owned(), (*r).to_owned(), (*m).to_owned())).collect();
    assert_eq!(found, expected, "{}", run.describe());
    run.expect_code(1);

    // A refinement after creation satisfies `min_refinements`; a status move alone does not.
    repo.write(
        "backlog/risky.md",
        item("R-1", "ready").replace("size: 3", "size: 3\nrisk: high")
            + "\n## Risks\nUnknown API limits; spike S-9 measures them.\n",
    );
    repo.commit("Chen Wei", 1, "Refine R-1");
    let run = repo.run(&["check", "--format", "json"]);
    assert!(!run.stdout.contains("high-risk-unrefined"), "{}", run.describe());
    // Uncommitted work is not stale.
    repo.write("backlog/stale.md", item("S-1", "refining"));
    let run = repo.run(&["check", "--format", "json"]);
    assert!(!run.stdout.contains("stale-item"), "{}", run.describe());
}

#[test]
fn no_history_and_no_repository() {
    let repo = repo_with_history();
    let run = repo.run(&["check", "--format", "json", "--no-history"]);
    assert!(run.json()["diagnostics"].as_array().expect("array").iter().all(|d| d["history"].is_null()));
    let project = Project::new();
    project.write("backlog/a.md", "---\nid: A-1\ntitle: A\nstatus: redy\n---\n");
    let run = project.run(&["check", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.json()["diagnostics"][0]["history"]["state"], "no-repo", "{}", run.describe());
    assert_eq!(run.stderr, "");
    let history = project.run(&["history", "A-1"]);
    history.expect_code(0);
    assert_eq!(history.stdout, "A-1 A — backlog/a.md\nno git history: the item is not in a git repository\n");
}

#[test]
fn shallow_clones_and_unborn_branches_are_not_errors() {
    let repo = repo_with_history();
    let clone_parent = tempfile::tempdir().expect("tmp");
    let source = format!("file://{}", repo.path().display());
    let clone = clone_parent.path().join("clone");
    repo.git(&["clone", "-q", "--depth", "1", &source, clone.to_str().expect("utf-8")]);
    std::fs::write(clone.join(".backlint.yaml"), "rules:\n  size-limit: { max: 1 }\n").expect("config");
    let run = crate::support::run_in(&clone, &["check", "--format", "json"]);
    run.expect_code(1);
    assert!(run.stderr.contains("shallow clone"), "{}", run.describe());
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.describe());
    assert_eq!(run.json()["diagnostics"][0]["history"]["shallow"], true);

    let unborn = GitRepo::new();
    unborn.write("backlog/a.md", item("A-1", "redy"));
    let run = unborn.run(&["check", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(run.json()["diagnostics"][0]["history"]["state"], "untracked", "{}", run.describe());
}

#[test]
fn an_uncommitted_status_move_is_not_dated_from_the_last_commit() {
    let repo = GitRepo::new();
    repo.write("backlog/a.md", item("A-1", "refining").replace("size: 3", "size: 3\nowner: dana"));
    repo.commit("Dana Pérez", 0, "Add A-1");
    repo.write("backlog/a.md", item("A-1", "in-progress").replace("size: 3", "size: 3\nowner: dana"));
    let run = repo.run(&["check", "--format", "json"]);
    run.expect_code(0);
    assert!(!run.stdout.contains("aging-wip"), "{}", run.describe());
}

/// With stderr not a terminal (a pipe here, as in CI and editors), a cold walk shows no progress
/// bar, even with the bar's delay set to nothing.
#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let repo = repo_with_history();
    let mut cmd = crate::support::backlint();
    cmd.current_dir(repo.path()).env("BACKLINT_PROGRESS_DELAY_MS", "0").args(["check", "--format", "json"]);
    let run = crate::support::run(cmd, repo.path(), &["check", "--format", "json"]);
    assert!(!run.stderr.contains("commits"), "{}", run.describe());
    assert!(run.stdout.starts_with('{'), "{}", run.describe());
}

/// In a terminal (a pseudo-terminal from `script`, when installed) a cold walk longer than the
/// delay shows commits and items on stderr, and `--quiet` keeps it silent.
#[test]
fn progress_bar_in_a_terminal_and_not_with_quiet() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let repo = repo_with_history();
    let bin = assert_cmd::cargo::cargo_bin("backlint");
    let in_terminal = |args: &str| {
        let _ = std::fs::remove_dir_all(repo.path().join(".git/backlint"));
        let out = std::process::Command::new("script")
            .args(["-qefc", &format!("{} check {args}", bin.display()), "/dev/null"])
            .current_dir(repo.path())
            .env("BACKLINT_PROGRESS_DELAY_MS", "0")
            .env("BACKLINT_NOW", "2026-06-01T00:00:00Z")
            .env("NO_COLOR", "1")
            .output()
            .expect("script runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = in_terminal("--format json");
    assert!(shown.contains("commits, 2 items"), "{shown}");
    let quiet = in_terminal("--quiet");
    assert!(!quiet.contains("commits"), "{quiet}");
}
