//! `backlint baseline` and `check` with a baseline: round trips through every output format.

use crate::support::{item, Project};

/// A backlog with three findings: a too-large item, an item with two vague criteria and one
/// without a value hypothesis.
fn legacy() -> Project {
    let project = Project::new();
    project.write("backlog/a.md", item("A-1", "ready").replace("size: 3", "size: 13"));
    project.write(
        "backlog/b.md",
        item("A-2", "ready").replace("- [ ] it works\n", "- [ ] the export is fast\n- [ ] the import is fast\n"),
    );
    project.write("backlog/c.md", "---\nid: A-3\ntitle: Item A-3\ntype: story\nstatus: ready\nsize: 2\n---\n\n## Acceptance criteria\n- [ ] it works\n");
    project
}

fn baseline(project: &Project) {
    baseline_of(project, 4);
}

fn baseline_of(project: &Project, findings: usize) {
    let run = project.run(&["baseline", "--no-history"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "{}", run.describe());
    assert_eq!(
        run.stderr,
        format!("backlint: wrote .backlint-baseline.json with {findings} findings; `backlint check` now reports only new ones\n"),
        "{}",
        run.describe()
    );
}

fn check(project: &Project, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["check", "--no-history"];
    all.extend_from_slice(args);
    project.run(&all)
}

#[test]
fn a_baselined_backlog_checks_clean_in_every_format() {
    let project = legacy();
    check(&project, &[]).expect_code(1);
    baseline(&project);
    let written = std::fs::read_to_string(project.path().join(".backlint-baseline.json")).expect("written");
    insta::assert_snapshot!(written);

    let human = check(&project, &[]);
    human.expect_code(0);
    assert_eq!(human.stdout, "no problems in 3 items; 4 findings hidden by the baseline (.backlint-baseline.json)\n");
    let concise = check(&project, &["--format", "concise"]);
    concise.expect_code(0);
    assert_eq!(concise.stdout, "");
    assert_eq!(
        concise.stderr,
        "backlint: no problems in 3 items; 4 findings hidden by the baseline (.backlint-baseline.json)\n"
    );
    let json = check(&project, &["--format", "json"]);
    json.expect_code(0);
    let json = json.json();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(
        json["summary"]["baseline"],
        serde_json::json!({"file": ".backlint-baseline.json", "hidden": 4, "unmatched": 0})
    );
    let github = check(&project, &["--format", "github"]);
    github.expect_code(0);
    assert_eq!(github.stdout, "");
    let summary = check(&project, &["--format", "summary"]);
    assert!(
        summary.stdout.starts_with("## backlint: no problems in 3 items; 4 findings hidden by the baseline"),
        "{}",
        summary.describe()
    );
    // SARIF keeps them, marked as unchanged and suppressed by the baseline.
    let sarif = check(&project, &["--format", "sarif"]);
    sarif.expect_code(0);
    crate::integrations::assert_valid_sarif(&sarif.json());
    let results = sarif.json()["runs"][0]["results"].as_array().cloned().expect("results");
    assert_eq!(results.len(), 4);
    for result in &results {
        assert_eq!(result["baselineState"], "unchanged", "{result}");
        assert_eq!(result["suppressions"][0]["kind"], "external", "{result}");
    }
    // Without the baseline everything is back.
    let all = check(&project, &["--no-baseline", "--format", "json"]);
    all.expect_code(1);
    assert_eq!(all.json()["diagnostics"].as_array().map(Vec::len), Some(4));
    assert!(all.json()["summary"].get("baseline").is_none());
}

#[test]
fn a_new_defect_in_a_baselined_item_is_reported_alone() {
    let project = legacy();
    baseline(&project);
    let a = std::fs::read_to_string(project.path().join("backlog/a.md")).expect("read");
    project.write("backlog/a.md", a.replace("type: story\n", "type: story\nrisk: high\n"));
    let run = check(&project, &["--format", "concise"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "backlog/a.md:5:7: error[high-risk-unrefined] high-risk item is ready but has no `## Risks` section\n",
        "{}",
        run.describe()
    );
    assert_eq!(
        run.stderr,
        "backlint: 1 error in 3 items; 4 findings hidden by the baseline (.backlint-baseline.json)\n"
    );
    let sarif = check(&project, &["--format", "sarif"]).json();
    crate::integrations::assert_valid_sarif(&sarif);
    let states: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap_or("").to_owned(), r["baselineState"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert!(states.contains(&("high-risk-unrefined".to_owned(), "new".to_owned())), "{states:?}");
    assert_eq!(states.iter().filter(|(_, s)| s == "unchanged").count(), 4);
}

#[test]
fn a_second_identical_finding_is_new() {
    let project = legacy();
    baseline(&project);
    let b = std::fs::read_to_string(project.path().join("backlog/b.md")).expect("read");
    project.write(
        "backlog/b.md",
        b.replace("- [ ] the import is fast\n", "- [ ] the import is fast\n- [ ] the report is fast\n"),
    );
    let run = check(&project, &["--format", "concise"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "backlog/b.md:15:21: warning[vague-language] vague wording `fast`\n", "{}", run.describe());
}

#[test]
fn fixed_findings_leave_entries_that_match_nothing() {
    let project = legacy();
    baseline(&project);
    let a = std::fs::read_to_string(project.path().join("backlog/a.md")).expect("read");
    project.write("backlog/a.md", a.replace("size: 13", "size: 5"));
    let run = check(&project, &[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "no problems in 3 items; 3 findings hidden by the baseline (.backlint-baseline.json); 1 baseline entry \
         matches no finding any more: run `backlint baseline` to drop it\n",
        "{}",
        run.describe()
    );
    // Reporting on another item does not count the entries of items it does not report on.
    let other = check(&project, &["backlog/c.md"]);
    assert_eq!(
        other.stdout,
        "no problems in 1 item; 1 finding hidden by the baseline (.backlint-baseline.json)\n",
        "{}",
        other.describe()
    );
    baseline_of(&project, 3);
    let run = check(&project, &["--format", "json"]).json();
    assert_eq!(run["summary"]["baseline"]["unmatched"], 0);
}

#[test]
fn moved_lines_and_unrelated_edits_keep_findings_matched() {
    let project = legacy();
    baseline(&project);
    // Front matter reordered, a line added above the finding, the body rewritten, the file renamed.
    project.write(
        "backlog/a.md",
        "---\ntitle: Item A-1, renamed\nid: A-1\nowner: dana\nstatus: ready\ntype: story\nsize: 21\n---\n\nNew intro.\n\n## Value hypothesis\nWe believe A-1 helps; we will know when usage grows.\n\n## Acceptance criteria\n- [ ] it still works\n",
    );
    let b = std::fs::read_to_string(project.path().join("backlog/b.md")).expect("read");
    std::fs::remove_file(project.path().join("backlog/b.md")).expect("remove");
    project.write("backlog/moved/b.md", format!("{b}\nMore notes.\n"));
    let run = check(&project, &[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "no problems in 3 items; 4 findings hidden by the baseline (.backlint-baseline.json)\n",
        "{}",
        run.describe()
    );
}

#[test]
fn another_baseline_file_and_bad_ones() {
    let project = legacy();
    let run = project.run(&["baseline", "--no-history", "--output", "accepted.json"]);
    run.expect_code(0);
    assert!(!project.path().join(".backlint-baseline.json").exists());
    check(&project, &[]).expect_code(1);
    let run = check(&project, &["--baseline", "accepted.json"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no problems in 3 items; 4 findings hidden by the baseline (accepted.json)\n");
    let missing = check(&project, &["--baseline", "nope.json"]);
    missing.expect_code(2);
    assert!(missing.stderr.contains("cannot read nope.json"), "{}", missing.describe());
    project.write(".backlint-baseline.json", "{\"findings\": 3}");
    let bad = check(&project, &[]);
    bad.expect_code(2);
    assert!(bad.stderr.contains(".backlint-baseline.json is not a backlint baseline"), "{}", bad.describe());
    check(&project, &["--no-baseline"]).expect_code(1);
    let both = check(&project, &["--no-baseline", "--baseline", "accepted.json"]);
    both.expect_code(2);
}
