//! `backlint init`: writes a commented config that loads, refuses to overwrite, detects Backlog.md.

use crate::support::{fixture, item, Project};

#[test]
fn writes_a_scrum_config_that_loads() {
    let project = Project::new();
    project.write("backlog/a.md", item("A-1", "ready"));
    let run = project.run(&["init"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "{}", run.describe());
    let written = std::fs::read_to_string(project.path().join(".backlint.yaml")).expect("written");
    assert!(written.contains("\npreset: scrum\n"), "{written}");
    assert!(written.contains("# statuses: [idea, refining, ready, in-progress, done]"), "{written}");
    assert!(run.stderr.starts_with(&written), "the file is echoed on stderr\n{}", run.describe());
    assert!(run.stderr.ends_with("backlint: wrote ./.backlint.yaml (preset: scrum)\n"), "{}", run.describe());
    let check = project.run(&["check", "--no-history"]);
    check.expect_code(0);
    assert_eq!(check.stderr, "", "{}", check.describe());
}

#[test]
fn refuses_to_overwrite_an_existing_config() {
    let project = Project::new();
    project.write(".backlint.yaml", "rules: { size-limit: off }\n");
    let run = project.run(&["init"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(".backlint.yaml already exists; backlint init does not overwrite it"),
        "{}",
        run.describe()
    );
    let kept = std::fs::read_to_string(project.path().join(".backlint.yaml")).expect("kept");
    assert_eq!(kept, "rules: { size-limit: off }\n");
}

#[test]
fn path_must_be_a_directory() {
    let project = Project::new();
    let run = project.run(&["init", "--path", "nope"]);
    run.expect_code(2);
    assert!(run.stderr.contains("not a directory: nope"), "{}", run.describe());
}

#[test]
fn detects_a_backlog_md_project() {
    let project = Project::new();
    crate::support::copy_dir(&fixture("backlog-md"), &project.path().join("repo"));
    let before = project.run(&["check", "repo", "--format", "json", "--no-history"]);
    let run = project.run(&["init", "--path", "repo"]);
    run.expect_code(0);
    assert!(run.stderr.ends_with("backlint: wrote repo/.backlint.yaml (preset: backlog-md)\n"), "{}", run.describe());
    let written = std::fs::read_to_string(project.path().join("repo/.backlint.yaml")).expect("written");
    assert!(written.contains("\npreset: backlog-md\n"), "{written}");
    insta::assert_snapshot!(written);
    // With the file written, the findings stay the same and the note about the missing file goes.
    let after = project.run(&["check", "repo", "--format", "json", "--no-history"]);
    after.expect_code(1);
    assert_eq!(after.stderr, "", "{}", after.describe());
    assert_eq!(after.json()["diagnostics"], before.json()["diagnostics"]);
}

#[test]
fn proposes_notes_when_files_under_the_item_globs_lack_front_matter() {
    let project = Project::new();
    project.write("backlog/a.md", item("A-1", "ready"));
    for name in ["plan", "minutes", "ideas"] {
        project.write(&format!("backlog/notes/{name}.md"), format!("# {name}\n\nwritten down, not an item\n"));
    }
    project.run(&["check", "--no-history"]).expect_code(1);
    let run = project.run(&["init"]);
    run.expect_code(0);
    let written = std::fs::read_to_string(project.path().join(".backlint.yaml")).expect("written");
    assert!(written.contains("\nnotes: [\"backlog/notes/*\"]\n"), "{written}");
    assert!(
        written.contains("# 3 files under the item globs have no front matter (3 of them in backlog/notes/)"),
        "{written}"
    );
    assert!(!written.contains("# notes: []"), "`notes:` is set once\n{written}");
    let check = project.run(&["check", "--no-history"]);
    check.expect_code(0);
    assert_eq!(check.stdout, "no problems in 1 item\n", "{}", check.describe());
}

#[test]
fn does_not_propose_notes_for_one_file() {
    let project = Project::new();
    project.write("backlog/a.md", item("A-1", "ready"));
    project.write("backlog/broken.md", "# lost its front matter\n");
    project.run(&["init"]).expect_code(0);
    let written = std::fs::read_to_string(project.path().join(".backlint.yaml")).expect("written");
    assert!(written.contains("\n# notes: []"), "{written}");
    project.run(&["check", "--no-history"]).expect_code(1);
}
