//! Every case under `fixtures/rules/<rule>/` is linted and its findings compared with the
//! `expect:` markers written in the case itself; the human and JSON renderings are snapshots.
//!
//! A case is a file `<case>.md` (all file cases of a rule are linted together as one backlog,
//! with `items: ["**/*.md"]` and every other rule but `parse-error` off, so that a case only
//! has to be realistic for the rule it covers) or a directory `<case>/` with its own
//! `.backlint.yaml`.

use crate::support::{copy_dir, fixture, Project};
use std::path::Path;

/// `(line, rule)` pairs from `# expect: a, b`, `<!-- expect: a -->` and `@N` markers.
fn expectations(text: &str) -> Vec<(usize, String)> {
    let mut expected = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find("expect:") else { continue };
        let spec = line[at + "expect:".len()..].trim_end().trim_end_matches("-->").trim();
        for entry in spec.split(',') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let (rule, line_number) = match entry.split_once('@') {
                Some((rule, n)) => (rule, n.trim().parse().expect("@N is a line number")),
                None => (entry, index + 1),
            };
            expected.push((line_number, rule.trim().to_owned()));
        }
    }
    expected.sort();
    expected
}

fn actual(json: &serde_json::Value, path: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["path"] == path)
        .map(|d| (d["line"].as_u64().expect("line") as usize, d["rule"].as_str().expect("rule").to_owned()))
        .collect();
    found.sort();
    found
}

fn sorted_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read dir").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    entries
}

#[test]
fn every_rule_case_matches_its_expectations() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for rule_dir in sorted_entries(&fixture("rules")).into_iter().filter(|p| p.is_dir()) {
        let rule = rule_dir.file_name().expect("name").to_string_lossy().into_owned();
        let file_cases: Vec<_> = sorted_entries(&rule_dir).into_iter().filter(|p| p.is_file()).collect();
        if !file_cases.is_empty() {
            let project = Project::new();
            for case in &file_cases {
                std::fs::copy(case, project.path().join(case.file_name().expect("name"))).expect("copy");
            }
            project.write(".backlint.yaml", only_rule_config(&rule));
            for case in &file_cases {
                cases += 1;
                let name = case.file_name().expect("name").to_string_lossy().into_owned();
                check_case(&project, &rule, &name, &name, &mut failures);
            }
        }
        for case_dir in sorted_entries(&rule_dir).into_iter().filter(|p| p.is_dir()) {
            let project = Project::new();
            copy_dir(&case_dir, project.path());
            let case = case_dir.file_name().expect("name").to_string_lossy().into_owned();
            for item in walkdir::WalkDir::new(project.path()).into_iter().filter_map(Result::ok) {
                if item.path().extension().is_some_and(|e| e == "md") {
                    cases += 1;
                    let rel =
                        item.path().strip_prefix(project.path()).expect("inside").to_string_lossy().replace('\\', "/");
                    check_case(&project, &rule, &format!("{case}/{rel}"), &rel, &mut failures);
                }
            }
        }
    }
    assert!(cases >= 7, "expected rule cases under fixtures/rules, found {cases}");
    assert!(failures.is_empty(), "{} case(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

fn check_case(project: &Project, rule: &str, case: &str, path: &str, failures: &mut Vec<String>) {
    let text = String::from_utf8_lossy(&std::fs::read(project.path().join(path)).expect("read case")).into_owned();
    let expected = expectations(&text);
    let json_run = project.run(&["check", path, "--format", "json", "--no-history"]);
    let json = json_run.json();
    let found = actual(&json, path);
    if found != expected {
        failures.push(format!("{rule}/{case}: expected {expected:?}, found {found:?}\n{}", json_run.describe()));
    }
    let expected_code = if json["summary"]["errors"].as_u64() > Some(0) { 1 } else { 0 };
    if json_run.code != expected_code {
        failures.push(format!("{rule}/{case}: exit code {} but {expected_code} expected", json_run.code));
    }
    let snapshot = format!("{rule}__{}", case.trim_end_matches(".md").replace('/', "__"));
    let human = project.run(&["check", path, "--no-history"]);
    insta::with_settings!({ snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(format!("{snapshot}__human"), human.stdout);
        insta::assert_json_snapshot!(format!("{snapshot}__json"), json["diagnostics"]);
    });
}

/// A config that lints every `.md` file with only `rule` (and `parse-error`) on.
fn only_rule_config(rule: &str) -> String {
    let mut config = "items: [\"**/*.md\"]\nrules:\n".to_owned();
    for other in rule_names() {
        if other != rule && other != "parse-error" {
            config.push_str(&format!("  {other}: off\n"));
        }
    }
    config
}

/// The names `backlint rules` lists.
fn rule_names() -> Vec<String> {
    let output = crate::support::backlint().arg("rules").output().expect("runs");
    let table = String::from_utf8_lossy(&output.stdout).into_owned();
    table.lines().skip(1).filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect()
}

#[test]
fn markers_are_parsed() {
    let text = "---\nsize: 13  # expect: size-limit\n---\nx <!-- expect: a, b -->\n<!-- expect: required-field@1 -->\n";
    assert_eq!(
        expectations(text),
        [(1, "required-field".to_owned()), (2, "size-limit".to_owned()), (4, "a".to_owned()), (4, "b".to_owned())]
    );
}

#[test]
fn every_rule_has_a_doc_with_the_required_sections_and_a_fixture() {
    let names = rule_names();
    assert!(names.len() >= 7, "{names:?}");
    let docs_dir = crate::support::repo_root().join("rules");
    let mut docs: Vec<String> = std::fs::read_dir(&docs_dir)
        .expect("rules/")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".md")).map(str::to_owned))
        .collect();
    docs.sort();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    assert_eq!(sorted_names, docs, "every rule needs rules/<name>.md and every doc a rule");
    for name in names {
        let doc = std::fs::read_to_string(docs_dir.join(format!("{name}.md"))).expect("doc");
        for heading in ["## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Options"] {
            assert!(doc.contains(heading), "rules/{name}.md lacks `{heading}`");
        }
        assert!(fixture("rules").join(&name).is_dir(), "fixtures/rules/{name}/ is missing");
        let explained = crate::support::backlint().args(["explain", &name]).output().expect("runs");
        assert_eq!(String::from_utf8_lossy(&explained.stdout), doc, "`backlint explain {name}` prints the doc");
    }
}
