//! A Backlog.md repository (`fixtures/backlog-md/`, made with Backlog.md's own CLI, see its
//! README) linted with no config at all, with `preset: backlog-md`, and with its own
//! `backlog/config.yml` changed.

use crate::support::{fixture, repo_root, run_in, GitRepo, Project};

fn fixture_copy() -> Project {
    Project::copy_of(&fixture("backlog-md"))
}

/// `(path, line, rule)` of every diagnostic, in report order.
fn findings(json: &serde_json::Value) -> Vec<(String, u64, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().expect("string").to_owned();
            (text("path"), d["line"].as_u64().expect("line"), text("rule"))
        })
        .collect()
}

fn has(found: &[(String, u64, String)], path: &str, rule: &str) -> bool {
    found.iter().any(|(p, _, r)| p == path && r == rule)
}

/// `backlog doctor` (Backlog.md 1.52.0) says on this fixture, in short (the whole output is in
/// fixtures/backlog-md/README.md):
///
/// ```text
/// WARNING: 1 duplicate task ID group affects 2 files.
///   BACK-2:
///     - backlog/completed/back-2 - Send-dunning-reminders-v1.md
///     - backlog/tasks/back-2 - Send-dunning-reminders.md
/// Self-referential dependencies (diagnostic only):
///   - BACK-9 depends on itself
/// Dependency cycles (diagnostic only):
///   - BACK-10 -> BACK-11 -> BACK-10
/// ```
///
/// backlint must report each of these, without any config.
#[test]
fn finds_what_backlog_doctor_finds_without_config() {
    let project = fixture_copy();
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    run.expect_code(1);
    assert!(run.stderr.contains("linting the Backlog.md project with `preset: backlog-md`"), "{}", run.describe());
    let json = run.json();
    let found = findings(&json);
    assert!(has(&found, "backlog/completed/back-2 - Send-dunning-reminders-v1.md", "duplicate-id"), "{found:?}");
    assert!(has(&found, "backlog/tasks/back-2 - Send-dunning-reminders.md", "duplicate-id"), "{found:?}");
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "dependency-cycle")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(messages.iter().any(|m| m.contains("`BACK-9` depends on itself")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("BACK-10 → BACK-11 → BACK-10")), "{messages:?}");
    // Docs, decisions, milestones and readme.md are not tasks; the rest are, drafts and archive included.
    assert_eq!(json["summary"]["files"], 20, "{}", run.describe());
    assert!(found.iter().all(|(path, _, _)| !path.ends_with("readme.md")));
    let listing: String = found.iter().map(|(path, line, rule)| format!("{path}:{line} {rule}\n")).collect();
    insta::assert_snapshot!("backlog_md_fixture_findings", listing);
    let human = project.run(&["check", "--no-history"]);
    insta::assert_snapshot!("backlog_md_fixture_human", human.stdout);
}

#[test]
fn the_preset_in_a_config_file_lints_the_same() {
    let project = fixture_copy();
    let without = project.run(&["check", "--format", "json", "--no-history"]).json();
    project.write(".backlint.yaml", "preset: backlog-md\n");
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    run.expect_code(1);
    assert_eq!(run.stderr, "", "{}", run.describe());
    assert_eq!(run.json()["diagnostics"], without["diagnostics"]);
}

#[test]
fn a_nested_backlog_md_project_is_found_from_outside() {
    let run = run_in(&repo_root(), &["check", "fixtures/backlog-md", "--no-history"]);
    run.expect_code(1);
    assert!(run.stdout.contains("section-markers"), "{}", run.describe());
}

#[test]
fn statuses_priorities_and_labels_come_from_backlog_config() {
    let project = fixture_copy();
    let config = std::fs::read_to_string(project.path().join("backlog/config.yml")).expect("config.yml");
    let config = config
        .replace(
            "statuses: [\"To Do\", \"In Progress\", \"Done\"]",
            "statuses: [\"To Do\", \"In Progress\", \"Blocked\", \"Done\", \"Released\"]",
        )
        .replace(
            "priorities: [\"high\", \"medium\", \"low\"]",
            "priorities: [\"urgent\", \"high\", \"medium\", \"low\"]",
        )
        .replace("  - infra\n", "  - infra\n  - billng\n");
    project.write("backlog/config.yml", config);
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let found = findings(&run.json());
    let invalid: Vec<_> = found.iter().filter(|(_, _, rule)| rule == "invalid-value").collect();
    assert!(invalid.is_empty(), "`Blocked` and `urgent` are configured now: {invalid:?}");
    assert!(!found.iter().any(|(_, _, rule)| rule == "unknown-tag"), "{found:?}");
    // The last status is the final one: `Done` no longer is.
    assert!(
        has(&found, "backlog/completed/back-4 - Fix-VAT-rounding-on-totals.md", "completed-not-final"),
        "{found:?}"
    );
    assert!(!has(&found, "backlog/tasks/back-7 - Audit-log.md", "done-criteria-open"), "{found:?}");
}

#[test]
fn settings_in_the_config_file_win_over_backlog_config() {
    let project = fixture_copy();
    project.write(
        ".backlint.yaml",
        "preset: backlog-md\nstatuses: [Draft, To Do, In Progress, Blocked, Done]\nrules:\n  unknown-tag: off\n",
    );
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    run.expect_code(1);
    let found = findings(&run.json());
    assert!(!has(&found, "backlog/tasks/back-17 - Payment-links.md", "invalid-value"), "{found:?}");
    assert!(!found.iter().any(|(_, _, rule)| rule == "unknown-tag"), "{found:?}");
    assert!(has(&found, "backlog/tasks/back-15 - Invoice-numbering.md", "invalid-value"), "priority stays checked");
}

#[test]
fn a_clean_backlog_md_project_has_no_findings() {
    let project = Project::new();
    project.write(
        "backlog/config.yml",
        "project_name: \"x\"\nstatuses: [\"To Do\", \"In Progress\", \"Done\"]\nlabels: []\ntask_prefix: \"task\"\n",
    );
    project.write(
        "backlog/tasks/task-1 - First.md",
        "---\nid: TASK-1\ntitle: First\nstatus: In Progress\nassignee:\n  - '@dana'\ncreated_date: '2026-01-05 10:00'\nlabels: [anything]\ndependencies: []\npriority: High\n---\n\n## Description\n\n<!-- SECTION:DESCRIPTION:BEGIN -->\nText.\n<!-- SECTION:DESCRIPTION:END -->\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 It works\n<!-- AC:END -->\n",
    );
    project.write(
        "backlog/completed/task-2 - Second.md",
        "---\nid: TASK-2\ntitle: Second\nstatus: done\nassignee: []\ndependencies: [task-1]\nparent_task_id: TASK-1\n---\n",
    );
    project.write("backlog/tasks/readme.md", "# Tasks\n");
    project.write("backlog/docs/doc-1 - Notes.md", "---\nid: doc-1\ntitle: Notes\ntype: other\n---\n");
    let run = project.run(&["check", "--no-history"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no problems in 2 items\n", "{}", run.describe());
}

/// Measured on public Backlog.md repositories (docs/precision.md): archived tasks were reported
/// as stale, stuck in progress, reopened and done with open criteria, and tasks with a status
/// outside the vocabulary (`Completed`) as stale, although they are finished. Archived tasks are
/// dropped work, and an unknown status does not say whether a task is open.
#[test]
fn archived_tasks_and_unknown_statuses_are_not_stale_or_stuck() {
    let repo = GitRepo::new();
    repo.write("backlog/config.yml", "project_name: \"x\"\nstatuses: [\"To Do\", \"In Progress\", \"Done\"]\n");
    let task = |id: &str, status: &str| {
        format!("---\nid: {id}\ntitle: Task {id}\nstatus: {status}\nassignee: [dana]\n---\n\n## Acceptance Criteria\n- [ ] #1 It works\n")
    };
    repo.write("backlog/tasks/task-1 - Open.md", task("task-1", "To Do"));
    repo.write("backlog/tasks/task-2 - Finished.md", task("task-2", "Completed"));
    repo.write("backlog/archive/tasks/task-3 - Dropped.md", task("task-3", "To Do"));
    repo.write("backlog/archive/tasks/task-4 - Reopened-then-dropped.md", task("task-4", "Done"));
    repo.write("backlog/archive/tasks/task-5 - Started-then-dropped.md", task("task-5", "In Progress"));
    repo.commit("Dana Pérez", 0, "Add tasks");
    repo.write("backlog/archive/tasks/task-4 - Reopened-then-dropped.md", task("task-4", "In Progress"));
    repo.commit("Dana Pérez", 1, "Reopen task-4");
    repo.write("backlog/archive/tasks/task-4 - Reopened-then-dropped.md", task("task-4", "Done"));
    repo.commit("Dana Pérez", 1, "Finish task-4");
    let run = repo.run(&["check", "--format", "json"]);
    let found: Vec<(String, String)> = findings(&run.json()).into_iter().map(|(path, _, rule)| (path, rule)).collect();
    let expected =
        [("backlog/tasks/task-1 - Open.md", "stale-item"), ("backlog/tasks/task-2 - Finished.md", "invalid-value")];
    let expected: Vec<(String, String)> = expected.iter().map(|(p, r)| ((*p).to_owned(), (*r).to_owned())).collect();
    assert_eq!(found, expected, "{}", run.describe());
}
