//! `check --fix`, `--unsafe-fixes` and `--diff` through the binary.

use crate::support::Project;

/// One item per fixable rule, plus a clean item whose id the others can be checked against.
fn fixable_project() -> Project {
    let project = Project::new();
    project
        .write(".backlint.yaml", "statuses: [idea, on-hold, ready, in-progress, done]\n")
        .write("backlog/PB-1-clean.md", "---\nid: PB-1\ntitle: Clean\nstatus: idea\n---\n")
        .write("backlog/PB-2-owner.md", "---\nid: PB-2\ntitle: Owner\nstatus: idea\nowner: @dana  # lead\n---\n")
        .write("backlog/PB-3-status.md", "---\nid: PB-3\ntitle: Status\nstatus: \"On_Hold\"\n---\n")
        .write(
            "backlog/PB-4-suppression.md",
            "---\nid: PB-4\ntitle: Suppression\nstatus: idea\n---\n\n<!-- backlint-disable size-limit -- split -->\n\nBody.\n",
        )
        .write(
            "backlog/PB-5-markers.md",
            "---\nid: PB-5\ntitle: Markers\nstatus: idea\n---\n\n## Notes\n<!-- NOTES:BEGIN -->\nSome notes.\n\n## Next\nMore.\n",
        )
        .write("backlog/pb-6-no-id.md", "---\ntitle: No id\nstatus: idea\n---\n");
    project
}

fn read(project: &Project, path: &str) -> String {
    std::fs::read_to_string(project.path().join(path)).expect("read item")
}

/// The rules of the findings of a JSON run.
fn rules_found(project: &Project) -> Vec<String> {
    let run = project.run(&["check", "--no-history", "--format", "json"]);
    run.json()["diagnostics"].as_array().expect("diagnostics").iter().map(|d| d["rule"].to_string()).collect()
}

#[test]
fn fix_applies_the_safe_fixes_only_and_reports_what_is_left() {
    let project = fixable_project();
    let run = project.run(&["check", "--no-history", "--fix"]);
    run.expect_code(1);
    assert!(run.stdout.ends_with("fixed 3 problems in 3 files\n"), "{}", run.describe());
    assert_eq!(
        read(&project, "backlog/PB-2-owner.md"),
        "---\nid: PB-2\ntitle: Owner\nstatus: idea\nowner: '@dana'  # lead\n---\n"
    );
    assert_eq!(read(&project, "backlog/PB-3-status.md"), "---\nid: PB-3\ntitle: Status\nstatus: \"on-hold\"\n---\n");
    assert_eq!(
        read(&project, "backlog/PB-4-suppression.md"),
        "---\nid: PB-4\ntitle: Suppression\nstatus: idea\n---\n\nBody.\n"
    );
    // Unsafe fixes wait for --unsafe-fixes; their findings are still reported.
    assert!(read(&project, "backlog/PB-5-markers.md").contains("<!-- NOTES:BEGIN -->\nSome notes.\n\n## Next"));
    assert!(read(&project, "backlog/pb-6-no-id.md").starts_with("---\ntitle: No id"));
    let mut left = rules_found(&project);
    left.sort();
    assert_eq!(left, ["\"required-field\"", "\"section-markers\""]);
}

#[test]
fn unsafe_fixes_apply_every_fix_and_leave_the_backlog_clean_for_those_rules() {
    let project = fixable_project();
    let run = project.run(&["check", "--no-history", "--unsafe-fixes"]);
    run.expect_code(0);
    assert!(run.stdout.contains("fixed 5 problems in 5 files"), "{}", run.describe());
    assert_eq!(
        read(&project, "backlog/PB-5-markers.md"),
        "---\nid: PB-5\ntitle: Markers\nstatus: idea\n---\n\n## Notes\n<!-- NOTES:BEGIN -->\nSome notes.\n<!-- NOTES:END -->\n\n## Next\nMore.\n"
    );
    assert_eq!(read(&project, "backlog/pb-6-no-id.md"), "---\nid: PB-6\ntitle: No id\nstatus: idea\n---\n");
    assert_eq!(rules_found(&project), Vec::<String>::new());
}

#[test]
fn fixing_twice_changes_nothing_the_second_time() {
    let project = fixable_project();
    project.run(&["check", "--no-history", "--unsafe-fixes"]).expect_code(0);
    let files = ["PB-2-owner", "PB-3-status", "PB-4-suppression", "PB-5-markers", "pb-6-no-id"];
    let before: Vec<String> = files.iter().map(|f| read(&project, &format!("backlog/{f}.md"))).collect();
    let again = project.run(&["check", "--no-history", "--unsafe-fixes"]);
    again.expect_code(0);
    assert!(again.stdout.ends_with("no problems in 6 items\nno fixes applied\n"), "{}", again.describe());
    let after: Vec<String> = files.iter().map(|f| read(&project, &format!("backlog/{f}.md"))).collect();
    assert_eq!(before, after);
    let diff = project.run(&["check", "--no-history", "--diff", "--unsafe-fixes"]);
    diff.expect_code(0);
    assert_eq!(diff.stdout, "");
    assert_eq!(diff.stderr, "backlint: no fixes to apply\n");
}

#[test]
fn diff_prints_the_fixes_and_writes_nothing() {
    let project = fixable_project();
    let before = read(&project, "backlog/PB-2-owner.md");
    let run = project.run(&["check", "--no-history", "--diff"]);
    run.expect_code(1);
    assert_eq!(run.stderr, "backlint: would fix 3 problems in 3 files\n");
    insta::assert_snapshot!("diff_of_the_safe_fixes", run.stdout);
    assert_eq!(read(&project, "backlog/PB-2-owner.md"), before);
    let with_unsafe = project.run(&["check", "--no-history", "--diff", "--unsafe-fixes"]);
    with_unsafe.expect_code(1);
    assert_eq!(with_unsafe.stderr, "backlint: would fix 5 problems in 5 files\n");
    assert!(with_unsafe.stdout.contains("+<!-- NOTES:END -->\n"), "{}", with_unsafe.describe());
}

#[test]
fn crlf_line_endings_and_the_byte_order_mark_are_kept() {
    let project = Project::new();
    let text = "\u{feff}---\r\nid: PB-1\r\ntitle: Windows\r\nstatus: idea\r\nowner: @dana\r\n---\r\n\r\n## Notes\r\n<!-- NOTES:BEGIN -->\r\ntext\r\n\r\n## Next\r\n";
    project.write("backlog/PB-1.md", text);
    project.run(&["check", "--no-history", "--unsafe-fixes"]).expect_code(0);
    let fixed = std::fs::read(project.path().join("backlog/PB-1.md")).expect("read");
    let expected = "\u{feff}---\r\nid: PB-1\r\ntitle: Windows\r\nstatus: idea\r\nowner: '@dana'\r\n---\r\n\r\n## Notes\r\n<!-- NOTES:BEGIN -->\r\ntext\r\n<!-- NOTES:END -->\r\n\r\n## Next\r\n";
    assert_eq!(String::from_utf8_lossy(&fixed), expected);
}

#[test]
fn a_file_that_does_not_parse_is_never_touched() {
    let project = Project::new();
    // `@dana` alone would be quoted, but the `: ` in the title makes the whole file unreadable.
    let text = "---\nid: PB-1\nowner: @dana\ntitle: Export: CSV\nstatus: In Progress\n---\n";
    project.write("backlog/PB-1.md", text);
    let run = project.run(&["check", "--no-history", "--unsafe-fixes"]);
    run.expect_code(1);
    assert!(run.stdout.contains("parse-error"), "{}", run.describe());
    assert_eq!(read(&project, "backlog/PB-1.md"), text);
}

#[cfg(unix)]
#[test]
fn a_fixed_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    project.write("backlog/PB-1.md", "---\nid: PB-1\ntitle: Owner\nstatus: idea\nowner: @dana\n---\n");
    let path = project.path().join("backlog/PB-1.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    project.run(&["check", "--no-history", "--fix"]).expect_code(0);
    assert!(read(&project, "backlog/PB-1.md").contains("owner: '@dana'"));
    assert_eq!(std::fs::metadata(&path).expect("metadata").permissions().mode() & 0o777, 0o640);
    let leftovers: Vec<_> = std::fs::read_dir(project.path().join("backlog")).expect("dir").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn fix_reports_only_on_the_paths_given_and_fixes_only_them() {
    let project = fixable_project();
    let run = project.run(&["check", "--no-history", "--fix", "backlog/PB-2-owner.md"]);
    run.expect_code(0);
    assert!(run.stdout.ends_with("no problems in 1 item\nfixed 1 problem in 1 file\n"), "{}", run.describe());
    assert!(read(&project, "backlog/PB-2-owner.md").contains("'@dana'"));
    assert!(read(&project, "backlog/PB-3-status.md").contains("On_Hold"));
}

#[test]
fn json_summary_counts_the_fixed_problems() {
    let project = fixable_project();
    let run = project.run(&["check", "--no-history", "--fix", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["summary"]["fixed"], 3);
    let fixes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["fix"]["applicability"].as_str())
        .collect();
    assert_eq!(fixes, ["unsafe", "unsafe"], "what is left is what only --unsafe-fixes repairs");
}

#[test]
fn required_field_takes_no_id_that_another_item_has() {
    let project = Project::new();
    project
        .write("backlog/PB-1.md", "---\nid: PB-1\ntitle: One\nstatus: idea\n---\n")
        .write("backlog/PB-1-copy.md", "---\ntitle: Copy\nstatus: idea\n---\n");
    let run = project.run(&["check", "--no-history", "--unsafe-fixes"]);
    run.expect_code(1);
    assert!(read(&project, "backlog/PB-1-copy.md").starts_with("---\ntitle: Copy"));
}

#[test]
fn fixing_staged_content_is_refused() {
    let project = fixable_project();
    let run = project.run(&["check", "--staged", "--fix"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.describe());
}
