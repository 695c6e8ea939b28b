//! The first run on a large, messy backlog: the findings per rule, `--statistics`,
//! `--format concise`, and files without front matter reported once as a group.

use crate::support::{fixture, item, Project};

fn demo() -> Project {
    Project::copy_of(&fixture("demo"))
}

/// A backlog with one item and notes without front matter in two folders.
fn backlog_with_notes() -> Project {
    let project = Project::new();
    project.write("backlog/tasks/t-1.md", item("T-1", "ready"));
    for n in 1..=4 {
        project.write(&format!("backlog/docs/plan-{n}.md"), format!("# Plan {n}\n\nNotes from planning.\n"));
    }
    project.write("backlog/tasks/meeting.md", "# Meeting\n\nNo front matter here either.\n");
    project
}

#[test]
fn human_output_ends_with_the_findings_per_rule() {
    let run = demo().run(&["check", "--no-history"]);
    run.expect_code(1);
    let table_start = run.stdout.find("count  rule").expect("the table");
    insta::assert_snapshot!(&run.stdout[table_start..]);
}

#[test]
fn statistics_prints_only_the_table_and_the_summary() {
    let run = demo().run(&["check", "--no-history", "--statistics"]);
    run.expect_code(1);
    assert_eq!(run.stderr, "", "{}", run.describe());
    insta::assert_snapshot!(run.stdout);
    let concise = demo().run(&["check", "--no-history", "--statistics", "--format", "concise"]);
    concise.expect_code(1);
    assert_eq!(concise.stdout, run.stdout);
}

#[test]
fn statistics_does_not_go_with_machine_formats() {
    for format in ["json", "sarif", "github", "summary"] {
        let run = demo().run(&["check", "--no-history", "--statistics", "--format", format]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("`--statistics` goes with `--format human` or `--format concise`"),
            "{}",
            run.describe()
        );
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn concise_prints_one_line_per_finding() {
    let run = demo().run(&["check", "--no-history", "--format", "concise"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(run.stderr, "backlint: 18 errors, 7 warnings in 19 items (1 more file could not be parsed)\n");
    let json = demo().run(&["check", "--no-history", "--format", "json"]).json();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(lines.len(), diagnostics.len());
    for (line, d) in lines.iter().zip(diagnostics) {
        let expected = format!(
            "{}:{}:{}: {}[{}] {}",
            d["path"].as_str().unwrap_or(""),
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap_or(""),
            d["rule"].as_str().unwrap_or(""),
            d["message"].as_str().unwrap_or("")
        );
        assert_eq!(*line, expected);
    }
}

#[test]
fn files_without_front_matter_are_one_group_that_says_what_to_do() {
    let project = backlog_with_notes();
    let human = project.run(&["check", "--no-history"]);
    human.expect_code(1);
    insta::assert_snapshot!(human.stdout);
    let concise = project.run(&["check", "--no-history", "--format", "concise"]);
    concise.expect_code(1);
    assert_eq!(
        concise.stdout,
        "backlog/docs/plan-1.md:1:1: error[parse-error] 5 files under the item globs have no front matter, so they \
         are not items: backlog/docs (4), backlog/tasks (1)\n"
    );
    assert!(
        concise.stderr.contains("add `notes: [\"backlog/docs/*\", \"backlog/tasks/*\"]`"),
        "{}",
        concise.describe()
    );
    // Each file stays a finding: in the counts, in JSON, and with `--no-group`.
    assert!(human.stdout.ends_with("5 errors in 1 item (5 more files could not be parsed)\n"), "{}", human.describe());
    let json = project.run(&["check", "--no-history", "--format", "json"]).json();
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(5));
    let each = project.run(&["check", "--no-history", "--format", "concise", "--no-group"]);
    assert_eq!(each.stdout.lines().count(), 5, "{}", each.describe());
    let each_human = project.run(&["check", "--no-history", "--no-group"]);
    assert_eq!(each_human.stdout.matches("no front matter: the file must start").count(), 5);
}

#[test]
fn two_files_without_front_matter_are_not_grouped() {
    let project = Project::new();
    project.write("backlog/t-1.md", item("T-1", "ready"));
    project.write("backlog/a.md", "# a\n");
    project.write("backlog/b.md", "# b\n");
    let run = project.run(&["check", "--no-history", "--format", "concise"]);
    run.expect_code(1);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.describe());
}

#[test]
fn the_group_fails_the_run_exactly_as_parse_error_is_configured() {
    let project = backlog_with_notes();
    project.write(".backlint.yaml", "rules: { parse-error: warning }\n");
    let run = project.run(&["check", "--no-history"]);
    run.expect_code(0);
    assert!(run.stdout.contains("⚠ 5 files under the item globs have no front matter"), "{}", run.describe());
    project.run(&["check", "--no-history", "--max-warnings", "4"]).expect_code(1);
    // An override keeps one folder an error: the group is as severe as its worst member.
    project.write(
        ".backlint.yaml",
        "rules: { parse-error: warning }\noverrides:\n  - files: [\"backlog/tasks/**\"]\n    rules: { parse-error: error }\n",
    );
    let run = project.run(&["check", "--no-history"]);
    run.expect_code(1);
    assert!(run.stdout.contains("× 5 files under the item globs"), "{}", run.describe());
    assert!(
        run.stdout.ends_with("1 error, 4 warnings in 1 item (5 more files could not be parsed)\n"),
        "{}",
        run.describe()
    );
    project.write(".backlint.yaml", "rules: { parse-error: off }\n");
    project.run(&["check", "--no-history"]).expect_code(0);
}

#[test]
fn notes_globs_pass_over_files_without_front_matter_only() {
    let project = backlog_with_notes();
    project.write(".backlint.yaml", "notes: [\"backlog/docs/*\", \"backlog/tasks/*\"]\n");
    // A file with front matter in a notes folder is still an item, and still linted.
    project.write("backlog/docs/d-1.md", "---\nid: D-1\ntitle: Broken\n---\n");
    let run = project.run(&["check", "--no-history", "--format", "concise"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "backlog/docs/d-1.md:1:1: error[required-field] missing required field `status`\n",
        "{}",
        run.describe()
    );
    assert_eq!(run.stderr, "backlint: 1 error in 2 items\n");
    let shown = project.run(&["config", "--show"]);
    assert!(shown.stdout.contains("notes:\n- backlog/docs/*\n- backlog/tasks/*\n"), "{}", shown.describe());
    project.write(".backlint.yaml", "notes: [\"backlog/[\"]\n");
    let bad = project.run(&["check"]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("invalid glob `backlog/[` in `notes`"), "{}", bad.describe());
}

#[test]
fn the_table_counts_the_findings_that_have_a_fix() {
    let project = Project::new();
    let lenient = |id: &str| item(id, "ready").replace("size: 3\n", "size: 3\nowner: @dana\n");
    project.write("backlog/a.md", lenient("A-1"));
    project.write("backlog/b.md", lenient("A-2"));
    project.write("backlog/c.md", item("A-3", "ready").replace("size: 3", "size: 13"));
    let run = project.run(&["check", "--no-history", "--statistics"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "count  rule          severity\n\
         \x20   2  lenient-yaml  warning  [*] 2 fixable\n\
         \x20   1  size-limit    error\n\
         \n\
         1 error, 2 warnings in 3 items\n",
        "{}",
        run.describe()
    );
}
