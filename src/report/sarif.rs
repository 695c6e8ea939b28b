//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it
//! (`github/codeql-action/upload-sarif`).
//!
//! - Every built-in rule is described in `tool.driver.rules` with its summary, the "What it does"
//!   section of its doc as full description and the whole doc as help; rules that only the config
//!   declares are added when they fire.
//! - Locations are repository-relative URIs against `%SRCROOT%`; regions are 1-based and
//!   `endColumn` is exclusive, in Unicode code points (`columnKind`).
//! - `partialFingerprints` hash the rule, the item (its id, else its path), the front matter key
//!   or heading at fault and the message without its numbers, so that an alert survives edits
//!   elsewhere in the file and changes of the offending number.
//! - Each result's `properties` carry the item id, the help text and the item's git history.

use super::location::{repo_path, uri_path};
use super::{Diagnostic, Renderer, Report};
use crate::rules::{Severity, RULES};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::io;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;

const FINGERPRINT_KEY: &str = "backlintFingerprint/v1";

const INFORMATION_URI: &str = match env!("CARGO_PKG_REPOSITORY").as_bytes() {
    [] => "https://crates.io/crates/backlint",
    _ => env!("CARGO_PKG_REPOSITORY"),
};

pub struct Sarif;

impl Renderer for Sarif {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        // One write: the pretty printer's many small writes are slow on line-buffered stdout.
        let mut text = serde_json::to_vec_pretty(&log(report))?;
        text.push(b'\n');
        out.write_all(&text)
    }
}

/// The whole SARIF log for `report`.
pub fn log(report: &Report) -> Value {
    let (rules, index) = rule_descriptors(report);
    let kept = kept(&report.diagnostics);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(&kept)
        .filter(|(_, keep)| **keep)
        .map(|(d, _)| {
            let mut fingerprint = fingerprint(report, d);
            let count = seen.entry(fingerprint.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                fingerprint.push_str(&format!(":{count}"));
            }
            result(report, d, index[d.rule.as_str()], fingerprint)
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "backlint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "originalUriBaseIds": { "%SRCROOT%": {
            "description": { "text": "The top of the git work tree that holds the backlog (else the project root)." },
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    let left_out = report.diagnostics.len() - results.len();
    if left_out > 0 {
        run["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": [{
                "level": "warning",
                "message": { "text": format!(
                    "{left_out} of {} findings were left out: GitHub code scanning keeps at most {MAX_RESULTS} results per run; \
                     run `backlint check` to see them all", report.diagnostics.len()) },
            }],
        }]);
    }
    json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run] })
}

/// Which diagnostics fit in one run: all of them, or the most severe when there are too many.
fn kept(diagnostics: &[Diagnostic]) -> Vec<bool> {
    if diagnostics.len() <= MAX_RESULTS {
        return vec![true; diagnostics.len()];
    }
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(diagnostics[i].severity));
    let mut keep = vec![false; diagnostics.len()];
    for &i in &order[..MAX_RESULTS] {
        keep[i] = true;
    }
    keep
}

/// Descriptors for the built-in rules, then for any other rule that fired (custom rules), and
/// the index of each by name.
fn rule_descriptors(report: &Report) -> (Vec<Value>, HashMap<&str, usize>) {
    let mut rules = Vec::new();
    let mut index = HashMap::new();
    for rule in RULES {
        let meta = rule.meta();
        index.insert(meta.name, rules.len());
        rules.push(json!({
            "id": meta.name,
            "name": pascal_case(meta.name),
            "shortDescription": { "text": meta.summary },
            "fullDescription": { "text": what_it_does(meta.doc).unwrap_or_else(|| meta.summary.to_owned()) },
            "help": { "text": meta.doc, "markdown": meta.doc },
            "defaultConfiguration": default_configuration(meta.default_severity),
            "properties": { "category": meta.category.to_string(), "tags": ["backlog", meta.category.to_string()] },
        }));
    }
    let custom: BTreeSet<&str> =
        report.diagnostics.iter().map(|d| d.rule.as_str()).filter(|name| !index.contains_key(name)).collect();
    for name in custom {
        let severity = report.diagnostics.iter().find(|d| d.rule == name).map_or(Severity::Warning, |d| d.severity);
        let text = format!("custom rule `{name}` declared in the backlint configuration");
        index.insert(name, rules.len());
        rules.push(json!({
            "id": name,
            "name": pascal_case(name),
            "shortDescription": { "text": text },
            "fullDescription": { "text": text },
            "help": { "text": text },
            "defaultConfiguration": default_configuration(severity),
            "properties": { "category": "custom", "tags": ["backlog", "custom"] },
        }));
    }
    (rules, index)
}

fn result(report: &Report, d: &Diagnostic, rule_index: usize, fingerprint: String) -> Value {
    json!({
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{ "physicalLocation": {
            "artifactLocation": { "uri": uri_path(&repo_path(report, &d.path)), "uriBaseId": "%SRCROOT%" },
            "region": {
                "startLine": d.line,
                "startColumn": d.column,
                "endLine": d.end_line,
                "endColumn": d.end_column,
            },
        }}],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
        "properties": { "item": d.item, "help": d.help, "history": d.history },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

fn default_configuration(severity: Severity) -> Value {
    match severity {
        Severity::Off => json!({ "enabled": false, "level": "none" }),
        other => json!({ "level": level(other) }),
    }
}

/// `size-limit` → `SizeLimit`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The text of the doc's `## What it does` section, on one line.
fn what_it_does(doc: &str) -> Option<String> {
    const HEADING: &str = "## What it does";
    let section = &doc[doc.find(HEADING)? + HEADING.len()..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    let text = section.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Stable identity of a finding: rule, item, what it points at, and the message without numbers.
fn fingerprint(report: &Report, d: &Diagnostic) -> String {
    let line =
        report.items.get(&d.path).and_then(|info| info.source.lines().nth(d.line.saturating_sub(1))).unwrap_or("");
    let anchor = anchor(line);
    let message: String = {
        let mut out = String::new();
        let mut in_number = false;
        for c in d.message.chars() {
            if c.is_ascii_digit() {
                if !in_number {
                    out.push('#');
                }
                in_number = true;
            } else {
                out.push(c);
                in_number = false;
            }
        }
        out
    };
    let item = d.item.as_deref().unwrap_or(&d.path);
    let mut hash = Fnv::default();
    for part in [d.rule.as_str(), item, anchor, &message] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    format!("{:016x}", hash.0)
}

/// The front matter key (`size` in `size: 13`) or the heading of the line at fault, else nothing.
fn anchor(line: &str) -> &str {
    let trimmed = line.trim();
    if trimmed.starts_with('#') {
        return trimmed.trim_start_matches('#').trim();
    }
    match trimmed.split_once(':') {
        Some((key, _)) if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') => key,
        _ => "",
    }
}

/// FNV-1a, 64 bits: fixed by its definition, so fingerprints do not change between Rust releases.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_name_the_key_or_heading() {
        assert_eq!(anchor("size: 13"), "size");
        assert_eq!(anchor("## Value hypothesis"), "Value hypothesis");
        assert_eq!(anchor("- [ ] it works"), "");
        assert_eq!(anchor("We believe: it helps"), "");
    }

    #[test]
    fn results_beyond_the_github_limit_are_left_out_most_severe_first() {
        let diagnostic = |i: usize, severity| Diagnostic {
            rule: "size-limit".into(),
            severity,
            path: format!("backlog/{i:06}.md"),
            item: None,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 2,
            message: "m".into(),
            help: None,
            history: None,
            fix: None,
            span: 0..0,
        };
        let mut diagnostics: Vec<Diagnostic> = (0..MAX_RESULTS).map(|i| diagnostic(i, Severity::Warning)).collect();
        diagnostics.push(diagnostic(MAX_RESULTS, Severity::Error));
        let log = log(&Report::new(diagnostics, 1, 1));
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), MAX_RESULTS);
        assert!(results.iter().any(|r| r["level"] == "error"));
        let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"];
        assert!(note.as_str().is_some_and(|t| t.starts_with("1 of 25001 findings were left out")), "{note}");
    }

    #[test]
    fn rule_docs_have_a_full_description() {
        for rule in RULES {
            let meta = rule.meta();
            let text = what_it_does(meta.doc).unwrap_or_else(|| panic!("{} has no `## What it does`", meta.name));
            assert!(!text.contains('\n') && !text.is_empty(), "{}", meta.name);
        }
        assert_eq!(pascal_case("size-limit"), "SizeLimit");
    }
}
