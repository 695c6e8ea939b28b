use crate::support::{backlint, fixture, item, repo_root, run, run_in, Project};

fn demo() -> Project {
    Project::copy_of(&fixture("demo"))
}

#[test]
fn demo_human_output() {
    let project = demo();
    let run = project.run(&["check", ".", "--no-history"]);
    run.expect_code(1);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(run.stderr, "", "{}", run.describe());
}

#[test]
fn demo_json_output_follows_the_v1_contract() {
    let project = demo();
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["version"], 1);
    let keys = |v: &serde_json::Value| v.as_object().expect("object").keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&json), ["diagnostics", "summary", "version"]);
    assert_eq!(keys(&json["summary"]), ["errors", "files", "infos", "items", "warnings"]);
    let diagnostics = json["diagnostics"].as_array().expect("array");
    assert!(!diagnostics.is_empty());
    let mut fixes = 0;
    for d in diagnostics {
        // `fix` is there only when the rule offers one.
        if let Some(fix) = d.get("fix") {
            fixes += 1;
            assert_eq!(keys(fix), ["applicability", "edits", "title"]);
            assert!(["safe", "unsafe"].contains(&fix["applicability"].as_str().expect("applicability")));
            for edit in fix["edits"].as_array().expect("edits") {
                assert_eq!(keys(edit), ["column", "content", "end_column", "end_line", "line"]);
            }
        }
        let keys_but_fix: Vec<String> = keys(d).into_iter().filter(|k| k != "fix").collect();
        assert_eq!(
            keys_but_fix,
            [
                "column",
                "end_column",
                "end_line",
                "help",
                "history",
                "item",
                "line",
                "message",
                "path",
                "rule",
                "severity"
            ]
        );
        assert!(d["history"].is_null());
        assert!(d["line"].as_u64() >= Some(1) && d["column"].as_u64() >= Some(1));
        assert!((d["end_line"].as_u64(), d["end_column"].as_u64()) >= (d["line"].as_u64(), d["column"].as_u64()));
        assert!(!d["path"].as_str().expect("path").contains('\\'));
    }
    assert!(fixes > 0, "the demo has findings with a fix");
    // Deterministic order: path, line, column, rule.
    let order: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().map(str::to_owned),
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["rule"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    let fired: std::collections::BTreeSet<&str> = diagnostics.iter().filter_map(|d| d["rule"].as_str()).collect();
    // Every rule that needs neither git history nor a Backlog.md layout.
    for rule in [
        "acceptance-criteria",
        "blocked-by-unready",
        "dangling-dependency",
        "dependency-cycle",
        "done-criteria-open",
        "duplicate-id",
        "estimate-missing",
        "high-risk-unrefined",
        "id-filename-mismatch",
        "invalid-value",
        "owner-missing",
        "parent-not-epic",
        "parse-error",
        "required-field",
        "risk-outweighs-value",
        "size-limit",
        "spike-learning-goal",
        "title-length",
        "unused-suppression",
        "vague-language",
        "value-hypothesis",
        "wip-limit",
    ] {
        assert!(fired.contains(rule), "the demo should show `{rule}`");
    }
    insta::assert_json_snapshot!(json);
}

#[test]
fn the_readme_command_works_from_the_repository_root() {
    let run = run_in(&repo_root(), &["check", "fixtures/demo", "--no-history"]);
    run.expect_code(1);
    assert!(run.stdout.contains("size-limit"), "{}", run.describe());
}

#[test]
fn exit_code_is_zero_when_clean_and_warnings_respect_max_warnings() {
    let project = Project::new();
    project.write("backlog/a.md", item("A-1", "ready"));
    let run = project.run(&["check"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no problems in 1 item\n");

    project.write(".backlint.yaml", "rules:\n  size-limit: { severity: warning, max: 2 }\n");
    project.run(&["check"]).expect_code(0);
    project.run(&["check", "--max-warnings", "1"]).expect_code(0);
    let run = project.run(&["check", "--max-warnings", "0"]);
    run.expect_code(1);
    assert!(run.stdout.contains("1 warning in 1 item"), "{}", run.describe());
}

#[test]
fn quiet_prints_only_errors() {
    let project = Project::new();
    project.write(".backlint.yaml", "rules:\n  size-limit: { severity: warning, max: 2 }\n");
    project.write("backlog/a.md", item("A-1", "ready"));
    project.write("backlog/b.md", "---\nid: B-1\ntitle: B\nstatus: redy\n---\n");
    let run = project.run(&["check", "--quiet"]);
    run.expect_code(1);
    assert!(run.stdout.contains("invalid-value"), "{}", run.describe());
    assert!(!run.stdout.contains("size-limit"), "{}", run.describe());
}

#[test]
fn file_arguments_report_only_those_files_but_see_the_whole_backlog() {
    let project = Project::new();
    project.write("backlog/a.md", item("DUP-1", "ready"));
    project.write("backlog/b.md", item("DUP-1", "ready"));
    project.write("backlog/c.md", "---\nid: C-1\nstatus: ready\n---\n");
    project.write("README.md", "# not an item\n");
    let run = project.run(&["check", "backlog/a.md", "README.md", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    let diagnostics = json["diagnostics"].as_array().expect("array");
    assert_eq!(diagnostics.len(), 1, "{}", run.describe());
    assert_eq!(diagnostics[0]["rule"], "duplicate-id");
    assert_eq!(diagnostics[0]["path"], "backlog/a.md");
    assert_eq!(diagnostics[0]["message"], "id `DUP-1` is also used by backlog/b.md");
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn no_items_is_said_on_stderr() {
    let project = Project::new();
    let run = project.run(&["check"]);
    run.expect_code(0);
    assert!(run.stderr.contains("no items matched `items:` globs (backlog/**/*.md)"), "{}", run.describe());
}

#[test]
fn missing_path_is_a_usage_error() {
    let project = Project::new();
    let run = project.run(&["check", "nope.md"]);
    run.expect_code(2);
    assert!(run.stderr.contains("path not found: nope.md"), "{}", run.describe());
}

#[test]
fn rules_lists_every_rule() {
    let mut cmd = backlint();
    cmd.arg("rules");
    let run = run(cmd, &repo_root(), &["rules"]);
    run.expect_code(0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn explain_prints_the_doc_and_suggests_on_typos() {
    let root = repo_root();
    let run = run_in(&root, &["explain", "size-limit"]);
    run.expect_code(0);
    assert!(run.stdout.starts_with("# size-limit\n"), "{}", run.describe());
    let run = run_in(&root, &["explain", "size-limt"]);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown rule `size-limt`; did you mean `size-limit`?"), "{}", run.describe());
}

#[test]
fn version_and_help() {
    let root = repo_root();
    let run = run_in(&root, &["--version"]);
    run.expect_code(0);
    assert_eq!(run.stdout, format!("backlint {}\n", env!("CARGO_PKG_VERSION")));
    let run = run_in(&root, &["--help"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Examples:"), "{}", run.describe());
    run_in(&root, &["check", "--format", "xml"]).expect_code(2);
}

#[test]
fn broken_pipe_is_not_an_error() {
    let project = demo();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("backlint"))
        .current_dir(project.path())
        .args(["check", "--no-history"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("wait");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"), "{output:?}");
    assert_ne!(output.status.code(), Some(2), "{output:?}");
}
