//! Findings per rule: the table that ends the human report, and all that `--statistics` prints.
//!
//! One row per rule and severity (overrides can give a rule two severities), the most frequent
//! first, so that the rule to look at first is on top.

use super::Diagnostic;
use crate::rules::Severity;
use std::collections::HashMap;

/// How often one rule fired with one severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    pub rule: String,
    pub severity: Severity,
    pub count: usize,
    /// How many of the findings come with a fix.
    pub fixable: usize,
}

/// The rows of the table: most findings first, then the most severe, then by rule name.
pub fn count(diagnostics: &[Diagnostic]) -> Vec<RuleCount> {
    let mut by_rule: HashMap<(&str, Severity), RuleCount> = HashMap::new();
    for d in diagnostics {
        let row = by_rule.entry((d.rule.as_str(), d.severity)).or_insert_with(|| RuleCount {
            rule: d.rule.clone(),
            severity: d.severity,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(d.is_fixable());
    }
    let mut rows: Vec<RuleCount> = by_rule.into_values().collect();
    rows.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| b.severity.cmp(&a.severity)).then_with(|| a.rule.cmp(&b.rule))
    });
    rows
}

/// The table as text, one line per row, or nothing when there are no findings:
///
/// ```text
/// count  rule                severity
///   486  parse-error         error
///    12  lenient-yaml        warning   [*] 12 fixable
/// ```
pub fn table(rows: &[RuleCount]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1).max("count".len());
    let rule_width = rows.iter().map(|r| r.rule.chars().count()).max().unwrap_or(0).max("rule".len());
    let mut out = format!("{:>count_width$}  {:rule_width$}  severity\n", "count", "rule");
    for row in rows {
        let mut line = format!("{:>count_width$}  {:rule_width$}  {}", row.count, row.rule, row.severity);
        if row.fixable > 0 {
            line = format!("{line:<width$}  [*] {} fixable", row.fixable, width = count_width + rule_width + 4 + 7);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(rule: &str, severity: Severity) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity,
            path: "backlog/a.md".into(),
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
        }
    }

    #[test]
    fn most_frequent_first_then_most_severe_then_by_name() {
        let diagnostics = [
            diagnostic("title-length", Severity::Warning),
            diagnostic("size-limit", Severity::Error),
            diagnostic("stale-item", Severity::Warning),
            diagnostic("stale-item", Severity::Warning),
            diagnostic("acceptance-criteria", Severity::Warning),
        ];
        let rows = count(&diagnostics);
        let order: Vec<(&str, usize)> = rows.iter().map(|r| (r.rule.as_str(), r.count)).collect();
        assert_eq!(order, [("stale-item", 2), ("size-limit", 1), ("acceptance-criteria", 1), ("title-length", 1)]);
        assert_eq!(
            table(&rows),
            "count  rule                 severity\n\
             \x20   2  stale-item           warning\n\
             \x20   1  size-limit           error\n\
             \x20   1  acceptance-criteria  warning\n\
             \x20   1  title-length         warning\n"
        );
    }

    #[test]
    fn a_rule_with_two_severities_has_two_rows() {
        let rows = count(&[diagnostic("size-limit", Severity::Error), diagnostic("size-limit", Severity::Warning)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].severity, Severity::Error);
        assert_eq!(table(&[]), "");
    }
}
