//! The JSON Schema of `.backlint.yaml`: committed and current, and in agreement with the configs
//! backlint accepts (presets, fixtures, what `backlint init` writes) and rejects.

use crate::support::{fixture, repo_root, run_in};
use serde_json::Value;
use std::path::{Path, PathBuf};

const SCHEMA: &str = "schemas/backlint.schema.json";

fn schema() -> Value {
    let text = std::fs::read_to_string(repo_root().join(SCHEMA)).expect("schemas/backlint.schema.json");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft7::new(&schema()).expect("the schema is a valid draft-07 schema")
}

/// A YAML config as JSON, read the way backlint reads it.
fn yaml(text: &str) -> Value {
    backlint::item::front_matter::from_str::<Value>(text).expect("YAML").to_owned()
}

fn errors(validator: &jsonschema::Validator, config: &Value) -> Vec<String> {
    validator.iter_errors(config).map(|e| format!("{} at {}", e, e.instance_path)).collect()
}

#[test]
fn committed_schema_is_what_backlint_generates() {
    let run = run_in(&repo_root(), &["config", "--schema"]);
    run.expect_code(0);
    let path = repo_root().join(SCHEMA);
    if std::env::var_os("BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &run.stdout).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == run.stdout,
        "{SCHEMA} is out of date with the config types and rules; regenerate it with \
         `BLESS=1 cargo test --test main schema` (or `backlint config --schema > {SCHEMA}`)"
    );
}

fn configs_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if entry.file_name() == ".backlint.yaml" {
            found.push(entry.path().to_path_buf());
        }
    }
}

#[test]
fn presets_and_fixture_configs_follow_the_schema() {
    let validator = validator();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("rules/presets"))
        .expect("rules/presets")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let presets = files.len();
    configs_under(&fixture(""), &mut files);
    assert!(presets >= 4 && files.len() > presets + 10, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read config");
        let found = errors(&validator, &yaml(&text));
        assert!(found.is_empty(), "{} does not follow the schema:\n{}", file.display(), found.join("\n"));
    }
}

#[test]
fn what_init_writes_follows_the_schema_commented_out_or_not() {
    use backlint::init::{render, Layout, Notes};
    let validator = validator();
    let none = Notes { paths: Vec::new() };
    let some = Notes { paths: vec!["backlog/notes/a.md".to_owned(), "backlog/notes/b.md".to_owned()] };
    for layout in [Layout::Scrum, Layout::BacklogMd] {
        for commented in [true, false] {
            for notes in [&none, &some] {
                let found = errors(&validator, &yaml(&render(layout, commented, notes)));
                assert!(found.is_empty(), "{layout:?} (commented: {commented}, {notes:?}):\n{}", found.join("\n"));
            }
        }
    }
}

#[test]
fn the_schema_rejects_what_backlint_rejects() {
    let validator = validator();
    for bad in [
        "itmes: [\"backlog/**/*.md\"]",
        "preset: agile",
        "rules: { size-limit: fatal }",
        "rules: { size-limit: { severity: error, maximum: 8 } }",
        "rules: { size-limit: { max: eight } }",
        "overrides: [{ files: [\"x/**\"], rules: { stale-item: sometimes } }]",
        "custom_rules: [{ name: needs-tag, message: m, severity: loud, require: { field: tags } }]",
        "statuses: idea",
    ] {
        assert!(!errors(&validator, &yaml(bad)).is_empty(), "the schema accepts `{bad}`");
        let project = crate::support::Project::new();
        project.write(".backlint.yaml", bad);
        project.run(&["check", "--no-history"]).expect_code(2);
    }
}

#[test]
fn rules_and_options_have_descriptions_and_defaults() {
    let schema = schema();
    let size_limit = &schema["definitions"]["RuleSettings"]["properties"]["size-limit"];
    assert!(size_limit["description"].as_str().is_some_and(|d| d.contains("sprint")), "{size_limit}");
    let max = &size_limit["anyOf"][1]["properties"]["max"];
    assert_eq!(max["type"], "number");
    assert!(max["default"].is_number() && max["description"].is_string(), "{max}");
    let severities = &size_limit["anyOf"][0]["enum"];
    assert_eq!(severities, &serde_json::json!(["error", "warning", "info", "off"]));
}
