//! Docs that cannot drift: README.md's rule table is generated from the rule registry, and each
//! rule doc's `## Options` list is checked against the rule's options struct and its defaults.
//!
//! `BLESS=1 cargo test --test main docs` rewrites the README table (and the defaults written in
//! existing option lines) from the code; option lines that are missing or extra must be written
//! or removed by hand, and the failure message says which.

use crate::support::{repo_root, run_in};
use backlint::rules::{markdown_table, RULES};
use regex::Regex;
use serde_json::Value;
use std::fmt::Write as _;

const BEGIN: &str = "<!-- rules-table:begin";
const END: &str = "<!-- rules-table:end -->";
const REGENERATE: &str = "BLESS=1 cargo test --test main docs";

fn bless() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The README with its generated table in place of the current one, and the current table.
fn readme_with_table(readme: &str, table: &str) -> (String, String) {
    let begin = readme.find(BEGIN).unwrap_or_else(|| panic!("README.md lacks the `{BEGIN} … -->` marker line"));
    let body_start = begin + readme[begin..].find('\n').expect("a line after the begin marker") + 1;
    let end = body_start
        + readme[body_start..].find(END).unwrap_or_else(|| panic!("README.md lacks `{END}` after the begin marker"));
    let current = readme[body_start..end].to_owned();
    (format!("{}{table}{}", &readme[..body_start], &readme[end..]), current)
}

#[test]
fn readme_rule_table_is_generated_from_the_registry() {
    let path = repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let (generated, current) = readme_with_table(&readme, &markdown_table());
    if generated != readme {
        if bless() {
            std::fs::write(&path, generated).expect("write README.md");
        } else {
            panic!(
                "README.md's rule table is not the one the rule registry (src/rules/mod.rs) gives.\n\
                 Regenerate it with `{REGENERATE}` and commit README.md.\n\
                 --- README.md ---\n{current}--- registry ---\n{}",
                markdown_table()
            );
        }
    }
}

#[test]
fn readme_table_lists_what_backlint_rules_prints() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let (_, table) = readme_with_table(&readme, "");
    let run = run_in(&repo_root(), &["rules"]);
    run.expect_code(0);
    let printed: Vec<String> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            format!("| `{}` | {} | {} | {} | {} |", words[0], words[1], words[2], words[3], words[4..].join(" "))
        })
        .collect();
    let rows: Vec<String> = table.lines().skip(2).map(str::to_owned).collect();
    assert_eq!(rows, printed, "`backlint rules` and README.md's table differ; regenerate with `{REGENERATE}`");
    let names: Vec<&str> = rows.iter().filter_map(|r| r.split('`').nth(1)).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "README.md's rule table must be sorted by name without duplicates");
}

/// One `- \`key\`: meaning (type, default …)` line of a doc's `## Options` section.
#[derive(Debug)]
struct OptionLine {
    key: String,
    kind: String,
    /// The text after `default`: `` `8` ``, ` none` or `: the final_statuses of the config`.
    default: String,
    /// Byte range of `default` in the doc.
    default_range: std::ops::Range<usize>,
}

fn option_lines(doc: &str) -> Result<Vec<OptionLine>, String> {
    let Some(start) = doc.find("\n## Options\n") else { return Err("no `## Options` section".into()) };
    let start = start + "\n## Options\n".len();
    let end = doc[start..].find("\n## ").map_or(doc.len(), |e| start + e + 1);
    let pattern = Regex::new(r"^- `([^`]+)`: .+ \(([a-z ]+), default( `[^`]*`| none|: [^()]+)\)$").expect("regex");
    let mut lines = Vec::new();
    let mut offset = start;
    for line in doc[start..end].split_inclusive('\n') {
        let text = line.trim_end_matches('\n');
        if text.starts_with("- `") {
            let caps = pattern.captures(text).ok_or_else(|| {
                format!("option line does not read `- `key`: meaning (type, default `value`)`:\n  {text}")
            })?;
            let default = caps.get(3).expect("group 3");
            lines.push(OptionLine {
                key: caps[1].to_owned(),
                kind: caps[2].to_owned(),
                default: default.as_str().to_owned(),
                default_range: offset + default.start()..offset + default.end(),
            });
        }
        offset += line.len();
    }
    Ok(lines)
}

/// How a default value is written in a doc: YAML flow style, `none` for no value.
fn doc_value(value: &Value) -> String {
    match value {
        Value::Null => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|v| match v {
                    Value::String(s) if needs_quotes(s) => format!("{s:?}"),
                    other => doc_value(other),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{k}: {}", doc_value(v))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty() || s.trim() != s || s.contains(|c: char| ",[]{}*:#\"'&!|>%@`".contains(c))
}

/// Whether the documented type fits the default's JSON type (a `none` default fits any type).
fn kind_fits(kind: &str, value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Bool(_) => kind == "boolean",
        Value::Number(n) if n.is_f64() => kind == "number",
        Value::Number(_) => kind == "integer" || kind == "number",
        Value::String(_) => kind == "string",
        Value::Array(_) => kind.starts_with("list"),
        Value::Object(_) => kind.starts_with("map"),
    }
}

fn suggested_line(key: &str, value: &Value) -> String {
    let kind = match value {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "list of strings",
        Value::Object(_) => "map of …",
        Value::Null => "…",
    };
    let default = if value.is_null() { "none".to_owned() } else { format!("`{}`", doc_value(value)) };
    format!("- `{key}`: <what it means> ({kind}, default {default})")
}

#[test]
fn rule_docs_list_every_option_with_its_default() {
    let mut problems = String::new();
    for rule in RULES {
        let meta = rule.meta();
        let path = repo_root().join("rules").join(format!("{}.md", meta.name));
        let mut doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let defaults = match rule.default_options() {
            Value::Object(map) => map,
            Value::Null => Default::default(),
            other => panic!("options of `{}` are not a struct: {other}", meta.name),
        };
        let lines = match option_lines(&doc) {
            Ok(lines) => lines,
            Err(problem) => {
                let _ = writeln!(problems, "rules/{}.md: {problem}", meta.name);
                continue;
            }
        };
        let mut rewrites = Vec::new();
        for line in &lines {
            let Some(value) = defaults.get(&line.key) else {
                let _ = writeln!(
                    problems,
                    "rules/{}.md documents `{}`, which is not an option of the rule: remove the line or add the option",
                    meta.name, line.key
                );
                continue;
            };
            if !kind_fits(&line.kind, value) {
                let _ = writeln!(
                    problems,
                    "rules/{}.md: `{}` is documented as `{}`, but its default is {value}",
                    meta.name, line.key, line.kind
                );
            }
            let expected = format!(" `{}`", doc_value(value));
            let fits = if value.is_null() {
                line.default == " none" || line.default.starts_with(": ")
            } else {
                line.default == expected
            };
            if !fits && bless() && !value.is_null() {
                rewrites.push((line.default_range.clone(), expected));
            } else if !fits {
                let _ = writeln!(
                    problems,
                    "rules/{}.md: `{}` is documented with default{}, but `Options::default()` gives{}",
                    meta.name,
                    line.key,
                    line.default,
                    if value.is_null() { " none".to_owned() } else { expected }
                );
            }
        }
        for (key, value) in &defaults {
            if !lines.iter().any(|l| &l.key == key) {
                let _ = writeln!(
                    problems,
                    "rules/{}.md lacks option `{key}` under `## Options`; add:\n  {}",
                    meta.name,
                    suggested_line(key, value)
                );
            }
        }
        if defaults.is_empty() && lines.is_empty() && !doc.contains("This rule has no options besides `severity`") {
            let _ = writeln!(
                problems,
                "rules/{}.md: a rule without options says so under `## Options`: \"This rule has no options besides `severity`.\"",
                meta.name
            );
        }
        if bless() && !rewrites.is_empty() {
            for (range, text) in rewrites.into_iter().rev() {
                doc.replace_range(range, &text);
            }
            std::fs::write(&path, doc).expect("write rule doc");
        }
    }
    assert!(
        problems.is_empty(),
        "rule docs and option structs differ:\n{problems}\n\
         Defaults are written as YAML flow values (`8`, `in-progress`, `[epic, spike]`, `{{}}`); \
         `{REGENERATE}` rewrites wrong defaults in existing lines. Missing or extra options need a \
         line written or removed by hand."
    );
}

#[test]
fn doc_values_are_written_as_yaml_flow() {
    let value = serde_json::json!({"a": [1, "x y", "**/done/**", ""], "b": 8.0, "c": null, "d": {}});
    assert_eq!(doc_value(&value), r#"{ a: [1, x y, "**/done/**", ""], b: 8, c: none, d: {} }"#);
    let doc = "# r\n\n## Options\n- `max`: the largest (number, default `8`)\n- `n`: at most (integer, default none)\n\n## Next\n";
    let lines = option_lines(doc).expect("parses");
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0].key.as_str(), lines[0].kind.as_str(), &doc[lines[0].default_range.clone()]),
        ("max", "number", " `8`")
    );
    assert_eq!(lines[1].default, " none");
    assert!(option_lines("# r\n\n## Options\n- `max`: no type or default\n").is_err());
}
