use crate::support::{fixture, Project};

/// Lint `fixtures/bad-input` once: every file is reported or clean, and nothing panics.
fn bad_input_report() -> (crate::support::Run, serde_json::Value) {
    let project = Project::copy_of(&fixture("bad-input"));
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    run.expect_code(1);
    let json = run.json();
    (run, json)
}

fn findings<'a>(json: &'a serde_json::Value, file: &str) -> Vec<&'a serde_json::Value> {
    let path = format!("backlog/{file}");
    json["diagnostics"].as_array().expect("array").iter().filter(|d| d["path"] == path.as_str()).collect()
}

#[test]
fn every_bad_file_yields_a_parse_error() {
    let (run, json) = bad_input_report();
    let cases = [
        ("no-front-matter.md", "no front matter"),
        ("unterminated-front-matter.md", "front matter is not closed"),
        ("invalid-yaml.md", "invalid YAML in front matter"),
        ("not-a-mapping.md", "not a mapping"),
        ("non-utf8.md", "not valid UTF-8"),
        ("binary.md", "binary file"),
        ("empty.md", "file is empty"),
        ("whitespace-only.md", "file is empty"),
        ("deep-nesting.md", "invalid YAML in front matter"),
        ("duplicate-keys.md", "invalid YAML in front matter"),
        ("tab-indent.md", "invalid YAML in front matter"),
    ];
    for (file, message) in cases {
        let found = findings(&json, file);
        assert!(
            found
                .iter()
                .any(|d| d["rule"] == "parse-error" && d["message"].as_str().is_some_and(|m| m.contains(message))),
            "{file}: expected a parse-error containing {message:?}, found {found:#?}\n{}",
            run.describe()
        );
    }
}

#[test]
fn valid_odd_files_are_linted_normally() {
    let (_, json) = bad_input_report();
    assert!(findings(&json, "bom.md").is_empty(), "a BOM is accepted");
    assert!(findings(&json, "clean.md").is_empty());
    assert!(findings(&json, "huge.md").is_empty(), "a 5 MB item is parsed");
    let crlf = findings(&json, "crlf.md");
    assert!(!crlf.is_empty() && crlf.iter().all(|d| d["rule"] != "parse-error"), "{crlf:#?}");
    // Columns count characters, not bytes, and CRLF adds nothing.
    for d in crlf.iter().chain(findings(&json, "unicode.md").iter()) {
        assert!(d["column"].as_u64() >= Some(1));
    }
    let files = json["summary"]["files"].as_u64().expect("files");
    let items = json["summary"]["items"].as_u64().expect("items");
    assert!(files >= 16 && items >= 4 && items < files, "{}", json["summary"]);
}

#[test]
fn positions_in_crlf_and_unicode_items_are_exact() {
    let project = Project::new();
    project.write(
        "backlog/u.md",
        "\u{feff}---\r\nid: U-1\r\ntitle: Ünïcödé 日本語\r\nstatus: ready\r\nrisk: \"日本\" \r\n---\r\n\r\n## Value hypothesis\r\nWe believe.\r\n",
    );
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let json = run.json();
    let diagnostics = json["diagnostics"].as_array().expect("array");
    let d = diagnostics.iter().find(|d| d["rule"] == "invalid-value").expect("an invalid-value finding");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(5), Some(7)), "{}", run.describe());
    assert_eq!((d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(5), Some(11)));
}

#[test]
fn yaml_errors_point_into_the_file() {
    let project = Project::new();
    project.write("backlog/y.md", "---\nid: Y-1\ntitle: [unclosed\nstatus: ready\n---\nbody\n");
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let d = &run.json()["diagnostics"][0];
    assert_eq!(d["rule"], "parse-error", "{}", run.describe());
    assert!(d["line"].as_u64() >= Some(3), "{}", run.describe());
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_symlink_loops_do_not_stop_the_run() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let project = Project::new();
    project.write("backlog/ok.md", crate::support::item("OK-1", "ready"));
    project.write("backlog/secret.md", crate::support::item("S-1", "ready"));
    let secret = project.path().join("backlog/secret.md");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    symlink(project.path().join("backlog"), project.path().join("backlog/loop")).expect("symlink");
    symlink(project.path().join("backlog/ok.md"), project.path().join("backlog/link.md")).expect("symlink");
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let readable_as_root = std::fs::read(&secret).is_ok();
    let json = run.json();
    if !readable_as_root {
        run.expect_code(1);
        assert_eq!(json["diagnostics"][0]["path"], "backlog/secret.md");
        assert!(json["diagnostics"][0]["message"].as_str().expect("message").starts_with("could not read file"));
    }
    assert!(run.stderr.contains("backlog/link.md: symbolic link not followed"), "{}", run.describe());
    assert_eq!(json["summary"]["files"], 2, "{}", run.describe());
}

#[test]
fn files_over_the_size_limit_are_reported_not_read() {
    let project = Project::new();
    project.write("backlog/ok.md", crate::support::item("OK-1", "ready"));
    // Sparse: one byte over the limit costs no disk space and is never read.
    let file = std::fs::File::create(project.path().join("backlog/huge.md")).expect("create");
    file.set_len(backlint::item::MAX_FILE_SIZE + 1).expect("set_len");
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let json = run.json();
    let found = findings(&json, "huge.md");
    assert_eq!(found.len(), 1, "{}", run.describe());
    assert_eq!(found[0]["rule"], "parse-error");
    assert_eq!(found[0]["message"], "file is larger than the 32 MiB limit for an item (33554433 bytes)");
    assert_eq!(json["summary"]["files"], 2, "{}", run.describe());
}
