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
//! - With a baseline, every result has a `baselineState`: `new`, or `unchanged` for a finding
//!   the baseline holds. Those are kept as results (SARIF describes the whole analysis) with an
//!   `external` suppression, which viewers and code scanning treat as accepted, not as fixed.
//!   Baseline entries that match nothing are counted in a notification, not made `absent`
//!   results: the baseline keeps no positions to give them.

use super::location::{repo_path, uri_path};
use super::{fingerprint, Diagnostic, Renderer, Report};
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
    // The findings of this run, then those the baseline hid, each with whether it is baselined.
    let all: Vec<(&Diagnostic, bool)> =
        report.diagnostics.iter().map(|d| (d, false)).chain(report.baselined.iter().map(|d| (d, true))).collect();
    let kept = kept(&all);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = all
        .iter()
        .zip(&kept)
        .filter(|(_, keep)| **keep)
        .map(|((d, baselined), _)| {
            let mut fingerprint = fingerprint::fingerprint(report, d);
            let count = seen.entry(fingerprint.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                fingerprint.push_str(&format!(":{count}"));
            }
            let mut result = result(report, d, index[d.rule.as_str()], fingerprint);
            if let Some(baseline) = &report.summary.baseline {
                result["baselineState"] = json!(if *baselined { "unchanged" } else { "new" });
                if *baselined {
                    result["suppressions"] = json!([{
                        "kind": "external",
                        "justification": format!("accepted in the baseline {}", baseline.file),
                    }]);
                }
            }
            result
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
    let mut notifications = Vec::new();
    let left_out = all.len() - results.len();
    if left_out > 0 {
        notifications.push(json!({
            "level": "warning",
            "message": { "text": format!(
                "{left_out} of {} findings were left out: GitHub code scanning keeps at most {MAX_RESULTS} results per run; \
                 run `backlint check` to see them all", all.len()) },
        }));
    }
    if let Some(baseline) = report.summary.baseline.as_ref().filter(|b| b.unmatched > 0) {
        notifications.push(json!({
            "level": "note",
            "message": { "text": format!(
                "{} entries of the baseline {} match no finding any more: run `backlint baseline` to drop them",
                baseline.unmatched, baseline.file) },
        }));
    }
    if !notifications.is_empty() {
        run["invocations"] = json!([{ "executionSuccessful": true, "toolExecutionNotifications": notifications }]);
    }
    json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run] })
}

/// Which diagnostics fit in one run: all of them, or, when there are too many, new findings before
/// baselined ones and the most severe first.
fn kept(diagnostics: &[(&Diagnostic, bool)]) -> Vec<bool> {
    if diagnostics.len() <= MAX_RESULTS {
        return vec![true; diagnostics.len()];
    }
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| (diagnostics[i].1, std::cmp::Reverse(diagnostics[i].0.severity)));
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

#[cfg(test)]
mod tests {
    use super::*;

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
