//! Pre-commit and GitHub integrations: SARIF, workflow-command annotations, the job summary,
//! `--staged` and `--changed-since`, all against real temporary git repositories.

use crate::support::{backlint, copy_dir, fixture, item, run as run_command, GitRepo, Run};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// A ready item over the size limit: one `size-limit` error on line 6, columns 7–9.
fn oversized(id: &str) -> String {
    item(id, "ready").replace("size: 3", "size: 13")
}

/// Two weeks after [`crate::support::GIT_EPOCH`], so that history rules stay quiet.
const NOW: &str = "2026-01-19T10:00:00Z";

/// `backlint` with the clock at [`NOW`].
fn backlint_now() -> assert_cmd::Command {
    let mut cmd = backlint();
    cmd.env("BACKLINT_NOW", NOW);
    cmd
}

/// `backlint ARGS` in `dir` as on a developer machine: no GitHub Actions variables.
fn run_at(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = backlint_now();
    for var in ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"] {
        cmd.env_remove(var);
    }
    cmd.current_dir(dir).args(args);
    run_command(cmd, dir, args)
}

/// `(path, rule)` of every diagnostic in a JSON report.
fn findings(run: &Run) -> BTreeSet<(String, String)> {
    let json = run.json();
    let list = json["diagnostics"].as_array().unwrap_or_else(|| panic!("no diagnostics\n{}", run.describe()));
    list.iter()
        .map(|d| (d["path"].as_str().unwrap_or("").to_owned(), d["rule"].as_str().unwrap_or("").to_owned()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter().map(|(p, r)| ((*p).to_owned(), (*r).to_owned())).collect()
}

/// The demo backlog committed in `product/` of a repository, so that paths in GitHub formats
/// gain the `product/` prefix and findings carry history.
fn demo_in_subdirectory() -> GitRepo {
    let repo = GitRepo::new();
    copy_dir(&fixture("demo"), &repo.path().join("product"));
    repo.write("README.md", "# invoicing\n");
    repo.commit("Dana Pérez", 0, "Import the backlog");
    repo
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).expect("the SARIF schema is JSON");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

pub fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_repository_paths_and_history() {
    let repo = demo_in_subdirectory();
    let run = run_at(&repo.path().join("product"), &["check", "--format", "sarif"]);
    run.expect_code(1);
    let sarif = run.json();
    assert_valid_sarif(&sarif);

    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "backlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    let size_limit = rules.iter().find(|r| r["id"] == "size-limit").expect("size-limit is described");
    assert_eq!(size_limit["defaultConfiguration"]["level"], "error");
    assert!(size_limit["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(size_limit["fullDescription"]["text"].as_str().is_some_and(|t| t.starts_with("Reports ")));
    assert!(size_limit["help"]["text"].as_str().is_some_and(|t| t.contains("## Why is this bad?")));

    let results = run0["results"].as_array().expect("results");
    let json = run_at(&repo.path().join("product"), &["check", "--format", "json"]).json();
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.iter().any(|r| r["ruleId"] == "size-limit"), "the demo has an oversized item");
    let mut fingerprints = BTreeSet::new();
    for (result, d) in results.iter().zip(diagnostics) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        assert_eq!(result["ruleId"], d["rule"]);
        let level = match d["severity"].as_str() {
            Some("info") => "note",
            other => other.expect("severity"),
        };
        assert_eq!(result["level"], level);
        assert_eq!(result["message"]["text"], d["message"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let path = d["path"].as_str().expect("path");
        assert_eq!(location["artifactLocation"]["uri"], format!("product/{path}"), "{result}");
        let region = serde_json::json!({
            "startLine": d["line"], "startColumn": d["column"], "endLine": d["end_line"], "endColumn": d["end_column"],
        });
        assert_eq!(location["region"], region);
        assert!(fingerprints.insert(result["partialFingerprints"]["backlintFingerprint/v1"].to_string()));
        let history = &result["properties"]["history"];
        assert_eq!(history["state"], "committed", "{result}");
        assert_eq!(history["created"]["author"], "Dana Pérez");
        assert_eq!(&result["properties"]["history"], &d["history"]);
    }
}

#[test]
fn sarif_of_a_small_backlog() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1 big, new.md", oversized("PB-1"));
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    repo.commit("Dana Pérez", 0, "Add items");
    let run = run_at(repo.path(), &["check", "--format", "sarif"]);
    run.expect_code(1);
    let sarif = run.json();
    assert_valid_sarif(&sarif);
    let mut result = sarif["runs"][0]["results"][0].clone();
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "backlog/PB-1%20big%2C%20new.md");
    let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"], "size-limit");
    // The index moves whenever a rule is added; the rest is stable.
    result["ruleIndex"] = Value::from("[index of size-limit]");
    insta::assert_json_snapshot!(result);
}

#[test]
fn sarif_without_findings_or_history_is_valid_too() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    let run = run_at(repo.path(), &["check", "--format", "sarif", "--no-history"]);
    run.expect_code(0);
    let sarif = run.json();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    repo.commit("Dana Pérez", 0, "Add PB-1");
    let fingerprint = |run: &Run| {
        let sarif = run.json();
        let result = &sarif["runs"][0]["results"][0];
        (
            result["partialFingerprints"].clone(),
            result["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
        )
    };
    let before = fingerprint(&run_at(repo.path(), &["check", "--format", "sarif"]));
    // Lines added above the finding, a body edit and a different oversize value.
    let edited = oversized("PB-1")
        .replace("type: story\n", "type: story\nowner: dana\ntags: [billing]\n")
        .replace("size: 13", "size: 21")
        .replace("it works", "it works well");
    repo.write("backlog/PB-1.md", edited);
    repo.commit("Chen Wei", 1, "Refine PB-1");
    let after = fingerprint(&run_at(repo.path(), &["check", "--format", "sarif"]));
    assert_eq!(before.0, after.0, "the fingerprint must not depend on lines or numbers");
    assert_ne!(before.1, after.1, "the finding moved down");
}

#[test]
fn github_annotations_escape_data_and_properties_and_use_repository_paths() {
    let repo = GitRepo::new();
    repo.write("sub/.backlint.yaml", "");
    repo.write("sub/backlog/50%, a:b.md", item("PB-1", "ready").replace("status: ready", "status: \"50%: a,b\""));
    repo.write("sub/backlog/PB-2.md", oversized("PB-2"));
    let run = run_at(&repo.path().join("sub"), &["check", "--format", "github", "--no-history"]);
    run.expect_code(1);
    let expected = [
        "::error file=sub/backlog/50%25%2C a%3Ab.md,line=5,col=9,endLine=5,endColumn=19,title=backlint(invalid-value)\
         ::status `50%25: a,b` is not one of the configured statuses%0Ahelp: ",
        "::error file=sub/backlog/PB-2.md,line=6,col=7,endLine=6,endColumn=9,title=backlint(size-limit)\
         ::size 13 exceeds the limit of 8 for one sprint%0Ahelp: split the item into smaller items that each deliver \
         value and fit in one sprint",
    ];
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.describe());
    assert!(lines[0].starts_with(expected[0]), "{}", run.describe());
    assert!(!lines[0].contains('\r'), "{}", run.describe());
    assert_eq!(lines[1], expected[1], "{}", run.describe());
}

#[test]
fn github_annotations_follow_the_severity() {
    let repo = GitRepo::new();
    repo.write(".backlint.yaml", "rules:\n  size-limit: { severity: warning }\n  invalid-value: info\n");
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    repo.write("backlog/PB-2.md", item("PB-2", "redy"));
    let run = run_at(repo.path(), &["check", "--format", "github", "--no-history"]);
    run.expect_code(0);
    let commands: Vec<&str> = run.stdout.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(commands, ["::warning", "::notice"], "{}", run.describe());
}

#[test]
fn on_github_actions_the_default_output_adds_annotations() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    let mut cmd = backlint_now();
    cmd.current_dir(repo.path()).env("GITHUB_ACTIONS", "true").args(["check", "--no-history"]);
    let run = run_command(cmd, repo.path(), &["check", "--no-history"]);
    run.expect_code(1);
    let human = run_at(repo.path(), &["check", "--no-history"]);
    let annotations = run_at(repo.path(), &["check", "--no-history", "--format", "github"]);
    assert_eq!(run.stdout, format!("{}{}", human.stdout, annotations.stdout));
    assert!(run.stdout.contains("\n::error file=backlog/PB-1.md,line=6,col=7,"), "{}", run.describe());

    // An explicit format is taken as it is.
    let mut cmd = backlint_now();
    cmd.current_dir(repo.path()).env("GITHUB_ACTIONS", "true").args(["check", "--no-history", "--format", "json"]);
    let run = run_command(cmd, repo.path(), &["check", "--format", "json"]);
    assert!(!run.stdout.contains("::error"), "{}", run.describe());
    run.json();
}

#[test]
fn summary_has_totals_rules_items_history_and_links() {
    let repo = GitRepo::new();
    repo.write("product/.backlint.yaml", "");
    repo.write("product/backlog/PB-1.md", oversized("PB-1"));
    repo.write("product/backlog/PB-2.md", item("PB-2", "redy"));
    repo.write("product/backlog/PB-3.md", item("PB-3", "ready"));
    repo.commit("Dana Pérez", 0, "Add items");
    repo.write("product/backlog/PB-2.md", item("PB-2", "redy").replace("it works", "it really works"));
    repo.commit("Chen Wei", 10, "Refine PB-2");
    let dir = repo.path().join("product");
    let mut cmd = backlint_now();
    cmd.current_dir(&dir)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/invoicing")
        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
        .args(["check", "--format", "summary"]);
    let run = run_command(cmd, &dir, &["check", "--format", "summary"]);
    run.expect_code(1);
    assert!(run.stdout.starts_with("## backlint: 2 errors in 3 items\n"), "{}", run.describe());
    assert!(run.stdout.contains("| `size-limit` | 1 | 0 | 0 |"), "{}", run.describe());
    assert!(
        run.stdout.contains(
            "[6:7](https://github.com/acme/invoicing/blob/0123456789abcdef0123456789abcdef01234567/product/backlog/PB-1.md#L6)"
        ),
        "{}",
        run.describe()
    );
    assert!(run.stdout.contains("created 2026-01-05 by Dana Pérez"), "{}", run.describe());
    insta::assert_snapshot!(run.stdout);

    // Without the GitHub variables, links are relative to the project root.
    let local = run_at(&dir, &["check", "--format", "summary"]);
    assert!(local.stdout.contains("[6:7](backlog/PB-1.md#L6)"), "{}", local.describe());
}

#[test]
fn staged_lints_the_index_not_the_work_tree() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    repo.write("backlog/PB-3.md", item("PB-3", "ready"));
    repo.commit("Dana Pérez", 0, "Add items");

    // Nothing staged: nothing to report, even though PB-1 is bad.
    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(findings(&run), pairs(&[]));

    // Staged bad, work tree good: reported.
    repo.write("backlog/PB-2.md", oversized("PB-2"));
    repo.git(&["add", "backlog/PB-2.md"]);
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(findings(&run), pairs(&[("backlog/PB-2.md", "size-limit")]));
    assert_eq!(run.json()["summary"]["files"], 1);

    // Staged good, work tree bad: clean.
    repo.git(&["add", "backlog/PB-2.md"]);
    repo.write("backlog/PB-3.md", oversized("PB-3"));
    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(findings(&run), pairs(&[]));
    let run = run_at(repo.path(), &["check", "--format", "json"]);
    assert!(findings(&run).contains(&("backlog/PB-3.md".to_owned(), "size-limit".to_owned())));

    // A new staged item that reuses a committed id: the whole staged backlog is seen, and only
    // the staged item is reported.
    repo.write("backlog/PB-4.md", item("PB-1", "idea"));
    repo.git(&["add", "backlog/PB-4.md"]);
    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(findings(&run), pairs(&[("backlog/PB-4.md", "duplicate-id")]));

    // An item deleted from the index is gone from the staged backlog, even if still on disk.
    repo.git(&["rm", "-q", "--cached", "backlog/PB-1.md"]);
    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(0);
    assert_eq!(findings(&run), pairs(&[]));
}

#[test]
fn staged_items_missing_from_the_work_tree_keep_their_history() {
    // History is read for the work tree's items before the staged backlog is known; a staged
    // item deleted from disk must still get its own.
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    let created = repo.commit("Dana Pérez", 0, "Add PB-1");
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    repo.git(&["add", "backlog/PB-1.md"]);
    std::fs::remove_file(repo.path().join("backlog/PB-1.md")).expect("remove");

    let run = run_at(repo.path(), &["check", "--staged", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(findings(&run), pairs(&[("backlog/PB-1.md", "size-limit")]));
    let history = &run.json()["diagnostics"][0]["history"];
    assert_eq!(history["created"]["commit"], created.as_str(), "{}", run.describe());
    assert_eq!(history["revisions"], 1, "{}", run.describe());
}

#[test]
fn staged_reads_the_index_git_hands_to_a_hook() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    repo.commit("Dana Pérez", 0, "Add PB-1");
    let hook = repo.path().join(".git/hooks/pre-commit");
    let binary = assert_cmd::cargo::cargo_bin("backlint");
    std::fs::write(&hook, format!("#!/bin/sh\nexec '{}' check --staged --no-history\n", binary.display()))
        .expect("write hook");
    make_executable(&hook);

    repo.write("backlog/PB-1.md", oversized("PB-1"));
    let refused = commit_with_hook(&repo, &["commit", "-q", "-a", "-m", "Grow PB-1"]);
    assert!(!refused.status.success(), "the hook lets a bad item through");
    // Git sends a hook's output to its own stderr.
    let output = String::from_utf8_lossy(&refused.stderr);
    assert!(output.contains("size 13 exceeds the limit of 8"), "{output}");

    repo.write("backlog/PB-1.md", item("PB-1", "ready").replace("it works", "it works well"));
    let accepted = commit_with_hook(&repo, &["commit", "-q", "-a", "-m", "Refine PB-1"]);
    assert!(accepted.status.success(), "{}", String::from_utf8_lossy(&accepted.stderr));
}

/// `git ARGS` with hooks enabled (the test environment of [`GitRepo`], without failing on error).
fn commit_with_hook(repo: &GitRepo, args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().expect("home");
    std::process::Command::new("git")
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_AUTHOR_NAME", "Dana Pérez")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_AUTHOR_DATE", "@1767700000 +0000")
        .env("GIT_COMMITTER_DATE", "@1767700000 +0000")
        .env("NO_COLOR", "1")
        .env("BACKLINT_NOW", NOW)
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs")
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}

#[test]
fn changed_since_reports_what_the_branch_changed() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", oversized("PB-1"));
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    repo.write("backlog/PB-3.md", item("PB-3", "ready"));
    repo.commit("Dana Pérez", 0, "Add items");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("backlog/PB-2.md", oversized("PB-2"));
    repo.write("backlog/PB-4.md", item("PB-4", "redy"));
    repo.commit("Chen Wei", 1, "Change PB-2, add PB-4");
    // Main moves on after the branch point; its changes are not the branch's.
    repo.git(&["checkout", "-q", "main"]);
    repo.write("backlog/PB-5.md", oversized("PB-5"));
    repo.commit("Dana Pérez", 1, "Add PB-5");
    repo.git(&["checkout", "-q", "feature"]);
    // Untracked, and a new item that takes the id of an unchanged one.
    repo.write("backlog/PB-6.md", oversized("PB-6"));
    repo.write("backlog/PB-7.md", item("PB-3", "idea"));

    let run = run_at(repo.path(), &["check", "--changed-since", "main", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(
        findings(&run),
        pairs(&[
            ("backlog/PB-2.md", "size-limit"),
            ("backlog/PB-4.md", "invalid-value"),
            ("backlog/PB-6.md", "size-limit"),
            ("backlog/PB-7.md", "duplicate-id"),
        ])
    );
    assert_eq!(run.json()["summary"]["files"], 4);

    // An uncommitted edit counts; an edit undone does not.
    repo.write("backlog/PB-3.md", item("PB-3", "redy"));
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    let run = run_at(repo.path(), &["check", "--changed-since", "main", "--format", "json"]);
    let paths: BTreeSet<String> = findings(&run).into_iter().map(|(p, _)| p).collect();
    let expected: BTreeSet<String> =
        ["backlog/PB-3.md", "backlog/PB-4.md", "backlog/PB-6.md", "backlog/PB-7.md"].map(String::from).into();
    assert_eq!(paths, expected, "{}", run.describe());
}

#[test]
fn changed_since_compares_files_the_way_git_stores_them() {
    // With `* text=auto` git stores CRLF files with LF endings: an item checked out or written
    // with CRLF is not a change of the branch.
    let repo = GitRepo::new();
    repo.write(".gitattributes", "* text=auto\n");
    let crlf = |text: String| text.replace('\n', "\r\n");
    repo.write("backlog/PB-1.md", crlf(oversized("PB-1")));
    repo.write("backlog/PB-2.md", crlf(oversized("PB-2")));
    repo.commit("Dana Pérez", 0, "Add items");
    repo.write("backlog/PB-2.md", crlf(oversized("PB-2").replace("Item PB-2", "Item PB-2, renamed")));
    let run = run_at(repo.path(), &["check", "--changed-since", "HEAD", "--format", "json"]);
    run.expect_code(1);
    assert_eq!(findings(&run), pairs(&[("backlog/PB-2.md", "size-limit")]), "{}", run.describe());
}

#[test]
fn changed_since_in_a_project_below_the_repository_root() {
    let repo = GitRepo::new();
    repo.write("docs/.backlint.yaml", "");
    repo.write("docs/backlog/PB-1.md", oversized("PB-1"));
    repo.write("backlog/PB-9.md", oversized("PB-9"));
    repo.commit("Dana Pérez", 0, "Add items");
    let base = repo.git(&["rev-parse", "HEAD"]);
    repo.write("docs/backlog/PB-2.md", oversized("PB-2"));
    repo.commit("Dana Pérez", 1, "Add PB-2");
    let run = run_at(&repo.path().join("docs"), &["check", "--changed-since", base.trim(), "--format", "json"]);
    run.expect_code(1);
    assert_eq!(findings(&run), pairs(&[("backlog/PB-2.md", "size-limit")]));
}

#[test]
fn changed_since_an_unknown_revision_is_a_usage_error() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    repo.commit("Dana Pérez", 0, "Add PB-1");
    let run = run_at(repo.path(), &["check", "--changed-since", "origin/main"]);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown revision `origin/main` for --changed-since"), "{}", run.describe());
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.describe());
    assert_eq!(run.stdout, "");
}

#[test]
fn git_scopes_outside_a_repository_are_usage_errors() {
    let project = crate::support::Project::new();
    project.write("backlog/PB-1.md", item("PB-1", "ready"));
    for flag in [&["--staged"][..], &["--changed-since", "main"]] {
        let mut args = vec!["check"];
        args.extend_from_slice(flag);
        let run = project.run(&args);
        run.expect_code(2);
        assert!(run.stderr.contains("needs a git repository"), "{}", run.describe());
    }
}
