use crate::support::{item, Project};

/// Run `check` with `config` as `.backlint.yaml`; it must fail with exit 2 and point at `line`.
fn config_error(config: &str, line: usize, message: &str) -> String {
    let project = Project::new();
    project.write(".backlint.yaml", config);
    project.write("backlog/a.md", item("A-1", "ready"));
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains(message), "stderr lacks {message:?}\n{}", run.describe());
    assert!(
        run.stderr.contains(&format!("[.backlint.yaml:{line}:"))
            || run.stderr.contains(&format!("backlint.yaml:{line}:")),
        "error should point at line {line}\n{}",
        run.describe()
    );
    assert_eq!(run.stdout, "", "{}", run.describe());
    run.stderr
}

#[test]
fn unknown_top_level_key() {
    let stderr = config_error("items: [\"backlog/**/*.md\"]\nstatusses: [a, b]\n", 2, "unknown config key `statusses`");
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_rule_suggests_the_closest() {
    let stderr =
        config_error("rules:\n  size-limit: warning\n  value-hypotesis: off\n", 3, "unknown rule `value-hypotesis`");
    assert!(stderr.contains("did you mean `value-hypothesis`?"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn bad_severity() {
    config_error("rules:\n  size-limit: loud\n", 2, "invalid severity `loud` for rule `size-limit`");
    config_error("rules:\n\n  size-limit: { severity: fatal, max: 5 }\n", 3, "invalid severity `fatal`");
}

#[test]
fn unknown_and_bad_options() {
    let stderr = config_error(
        "rules:\n  size-limit:\n    severity: error\n    maxx: 5\n",
        4,
        "unknown option `maxx` for rule `size-limit`",
    );
    assert!(stderr.contains("did you mean `max`?"), "{stderr}");
    config_error("rules:\n  size-limit: { max: lots }\n", 2, "invalid value for option `max` of rule `size-limit`");
    config_error("rules:\n  parse-error: { max: 3 }\n", 2, "unknown option `max` for rule `parse-error`");
}

#[test]
fn bad_values_in_overrides_and_globs() {
    config_error(
        "overrides:\n  - files: [\"backlog/a/**\"]\n    rules: { size-limit: off }\n  - files: [\"backlog/b/**\"]\n    rules:\n      size-limt: off\n",
        6,
        "unknown rule `size-limt`",
    );
    config_error("items: [\"backlog/[.md\"]\n", 1, "invalid glob `backlog/[.md` in `items`");
    config_error(
        "statuses: [todo, doing, done]\nready_status: ready\n",
        2,
        "`ready_status` is `ready`, which is not one of `statuses`",
    );
    config_error("items: backlog\n", 1, "invalid type");
    config_error("rules: [\n", 1, "invalid config: rules: invalid type: sequence, expected a map");
    config_error("rules:\n  size-limit: {\n", 3, "invalid config");
}

#[test]
fn explicit_config_file_and_missing_one() {
    let project = Project::new();
    project.write("conf/lint.yaml", "items: [\"../backlog/**/*.md\"]\n");
    let run = project.run(&["check", "--config", "missing.yaml"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot read config file missing.yaml"), "{}", run.describe());
}

#[test]
fn config_is_found_upwards_and_sets_the_root() {
    let project = Project::new();
    project.write("team/.backlint.yaml", "items: [\"items/*.md\"]\nrules:\n  size-limit: { max: 2 }\n");
    project.write("team/items/a.md", item("A-1", "ready"));
    let run = project.run(&["check", "team/items/a.md", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    assert_eq!(json["diagnostics"][0]["path"], "items/a.md", "{}", run.describe());
    assert_eq!(json["diagnostics"][0]["message"], "size 3 exceeds the limit of 2 for one sprint");
}

#[test]
fn overrides_and_exclude_apply_by_glob() {
    let project = Project::new();
    project.write(
        ".backlint.yaml",
        "exclude: [\"backlog/archive/**\"]\nrules:\n  size-limit: { max: 2 }\noverrides:\n  - files: [\"backlog/big/**\"]\n    rules: { size-limit: { max: 5 } }\n  - files: [\"backlog/quiet/**\"]\n    rules: { size-limit: off }\n",
    );
    project.write("backlog/small/a.md", item("A-1", "ready"));
    project.write("backlog/big/b.md", item("B-1", "ready"));
    project.write("backlog/quiet/c.md", item("C-1", "ready"));
    project.write("backlog/archive/d.md", "not an item at all");
    let run = project.run(&["check", "--format", "json"]);
    run.expect_code(1);
    let json = run.json();
    let paths: Vec<&str> =
        json["diagnostics"].as_array().expect("array").iter().filter_map(|d| d["path"].as_str()).collect();
    assert_eq!(paths, ["backlog/small/a.md"], "{}", run.describe());
    assert_eq!(json["summary"]["files"], 3);
}

#[test]
fn presets_load_and_unknown_presets_are_errors() {
    let project = Project::new();
    project.write(".backlint.yaml", "preset: kanban\n");
    project.write("backlog/a.md", item("A-1", "ready").replace("size: 3", "size: 40"));
    project.run(&["check"]).expect_code(0);
    config_error("preset: scrumm\n", 1, "unknown preset `scrumm`");
}

const CUSTOM_RULES: &str = r#"custom_rules:
  - name: needs-team-tag
    message: ready items need a team tag
    severity: error
    when: { status_at_least: ready, fields: { type: story } }
    require: { field: tags, matches: "^team-" }
  - name: small-bugs
    message: bugs are fixed in one go
    when: { fields: { type: [bug] } }
    require: { field: size, max: 3 }
  - name: learning-goal
    message: spikes name what they will learn
    severity: info
    when: { fields: { title: { matches: "^Spike" } } }
    require: { section: Learning goal }
  - name: two-criteria
    message: stories need two criteria
    require: { tasks_at_least: 2 }
rules:
  two-criteria: off
"#;

#[test]
fn custom_rules_check_suppress_and_list() {
    let project = Project::new();
    project.write(".backlint.yaml", CUSTOM_RULES);
    project.write("backlog/a.md", item("A-1", "ready").replace("size: 3", "size: 3\ntags: [billing]"));
    project.write("backlog/b.md", item("B-1", "ready").replace("size: 3", "size: 3\ntags: [team-billing]"));
    project
        .write("backlog/c.md", item("C-1", "idea").replace("type: story", "type: bug").replace("size: 3", "size: 5"));
    project.write("backlog/d.md", item("D-1", "idea").replace("title: Item D-1", "title: Spike D-1"));
    project.write(
        "backlog/e.md",
        item("E-1", "ready") + "\n<!-- backlint-disable needs-team-tag -- tags come with the team split -->\n",
    );
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    run.expect_code(1);
    let json = run.json();
    let found: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}: {}",
                d["path"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap_or_default(),
                d["rule"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "backlog/a.md:7:7 error needs-team-tag: ready items need a team tag",
            "backlog/c.md:6:7 warning small-bugs: bugs are fixed in one go",
            "backlog/d.md:1:1 info learning-goal: spikes name what they will learn",
        ],
        "{}",
        run.describe()
    );
    let rules = project.run(&["rules"]);
    rules.expect_code(0);
    assert!(rules.stdout.contains("needs-team-tag"), "{}", rules.describe());
    assert!(rules.stdout.contains("custom"), "{}", rules.describe());
    let explained = project.run(&["explain", "needs-team-tag"]);
    explained.expect_code(0);
    assert!(explained.stdout.contains("ready items need a team tag"), "{}", explained.describe());
}

#[test]
fn invalid_custom_rules_point_at_the_key() {
    let rule = |body: &str| format!("custom_rules:\n  - name: my-rule\n    message: m\n{body}");
    config_error(&rule("    require: { field: tags, matches: \"[\" }\n"), 4, "invalid regular expression `[`");
    config_error(&rule("    require: { field: tags, section: Risks }\n"), 4, "exactly one of");
    config_error(&rule("    severity: loud\n    require: { field: tags }\n"), 4, "invalid severity `loud`");
    config_error(&rule("    require: { feld: tags }\n"), 4, "unknown config key `feld`");
    config_error(
        "custom_rules:\n  - name: size-limit\n    message: m\n    require: { field: size }\n",
        2,
        "has the name of a built-in rule",
    );
    config_error(
        "custom_rules:\n  - name: Big_Rule\n    message: m\n    require: { field: size }\n",
        2,
        "not kebab-case",
    );
    config_error(
        "custom_rules:\n  - name: a-rule\n    message: m\n    require: { field: size }\nrules:\n  a-rule: { max: 3 }\n",
        6,
        "unknown option `max` for custom rule `a-rule`",
    );
}

#[test]
fn suppressions_silence_findings_for_an_item_or_a_line() {
    let project = Project::new();
    let big = |id| item(id, "ready").replace("size: 3", "size: 13");
    let a = format!("{}\n<!-- backlint-disable size-limit, value-hypothesis -- contract -->\n", big("A-1"));
    project.write("backlog/a.md", a);
    project.write("backlog/b.md", format!("{}\n<!-- backlint-disable -->\n", big("B-1")));
    project.write("backlog/c.md", big("C-1"));
    let run = project.run(&["check", "--format", "json", "--no-history"]);
    let json = run.json();
    let found: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| (d["path"].as_str().unwrap_or_default(), d["rule"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [("backlog/a.md", "unused-suppression"), ("backlog/c.md", "size-limit")],
        "value-hypothesis silenced nothing in a.md; b.md silences all\n{}",
        run.describe()
    );
}
