//! `--format summary`: a Markdown report for a GitHub job summary (`$GITHUB_STEP_SUMMARY`):
//! totals, findings per rule, then every item with findings (those with errors first), its age
//! and history, and a link to each finding's line. GitHub takes at most 1 MiB per step, so item
//! sections that do not fit are left out with a note saying how many.

use super::location::{repo_path, uri_path};
use super::{summary_line, Diagnostic, Renderer, Report};
use crate::rules::Severity;
use crate::time;
use std::collections::BTreeMap;
use std::io;

/// GitHub's limit for one step's summary.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Room kept for the closing note when sections are left out.
const RESERVE: usize = 1024;

pub struct StepSummary {
    /// Prefix of links to files, `https://github.com/OWNER/REPO/blob/SHA/`, to which the
    /// repository-relative path is appended; `None` links project-relative paths.
    pub link_base: Option<String>,
    /// "Now" in seconds since the Unix epoch, for item ages.
    pub now: i64,
    /// The most bytes to write.
    pub max_bytes: usize,
}

impl StepSummary {
    /// Links from the GitHub Actions environment (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`,
    /// `GITHUB_SHA`) when all three are set.
    pub fn link_base_from(var: impl Fn(&str) -> Option<String>) -> Option<String> {
        let server = var("GITHUB_SERVER_URL").filter(|v| !v.is_empty())?;
        let repository = var("GITHUB_REPOSITORY").filter(|v| !v.is_empty())?;
        let sha = var("GITHUB_SHA").filter(|v| !v.is_empty())?;
        Some(format!("{}/{repository}/blob/{sha}/", server.trim_end_matches('/')))
    }
}

impl Renderer for StepSummary {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(self.markdown(report).as_bytes())
    }
}

impl StepSummary {
    pub fn markdown(&self, report: &Report) -> String {
        let mut text = format!("## backlint: {}\n", summary_line(&report.summary));
        if report.diagnostics.is_empty() {
            return text;
        }
        text.push_str(&rule_table(&report.diagnostics));
        text.push_str("\n### Findings by item\n");
        // Items with errors first, then warnings, then infos, so that truncation drops the least.
        let mut by_item = group_by_path(&report.diagnostics);
        by_item.sort_by_key(|(_, list)| std::cmp::Reverse(list.iter().map(|d| d.severity).max()));
        let budget = self.max_bytes.saturating_sub(RESERVE);
        let mut shown = 0;
        for (path, diagnostics) in &by_item {
            let section = self.item_section(report, path, diagnostics);
            if text.len() + section.len() > budget {
                break;
            }
            text.push_str(&section);
            shown += 1;
        }
        if shown < by_item.len() {
            let items = by_item.len() - shown;
            let findings: usize = by_item.iter().skip(shown).map(|(_, d)| d.len()).sum();
            text.push_str(&format!(
                "\n_{items} more item{} with {findings} finding{} are not shown here: a job summary holds at most 1 MiB \
                 per step. The annotations, the SARIF upload and `backlint check` show them all._\n",
                plural(items),
                plural(findings)
            ));
        }
        text
    }

    fn item_section(&self, report: &Report, path: &str, diagnostics: &[&Diagnostic]) -> String {
        let mut section = format!("\n#### [{}]({})", code(path), self.link(report, path, None));
        if let Some(id) = diagnostics.first().and_then(|d| d.item.as_deref()) {
            section.push_str(&format!(" · {}", code(id)));
        }
        section.push_str("\n\n");
        let created = diagnostics.first().and_then(|d| d.history.as_ref()).and_then(|h| h.created.as_ref());
        let age = created.and_then(|c| time::parse(&c.date)).map(|then| match time::days_between(then, self.now) {
            ..=0 => "new today".to_owned(),
            1 => "age 1 day".to_owned(),
            days => format!("age {days} days"),
        });
        let history = report.items.get(path).and_then(|info| info.history_line.as_deref());
        match (age, history) {
            (Some(age), Some(history)) => section.push_str(&format!("{age} · {}\n\n", inline(history))),
            (None, Some(history)) => section.push_str(&format!("{}\n\n", inline(history))),
            _ => {}
        }
        for d in diagnostics {
            let at = format!("[{}:{}]({})", d.line, d.column, self.link(report, path, Some(d)));
            section.push_str(&format!("- **{}** {} at {at}: {}", d.severity, code(&d.rule), inline(&d.message)));
            if let Some(help) = &d.help {
                section.push_str(&format!(" — {}", inline(help)));
            }
            section.push('\n');
        }
        section
    }

    /// A link to the file, or to the lines of a finding in it.
    fn link(&self, report: &Report, path: &str, at: Option<&Diagnostic>) -> String {
        let mut link = match &self.link_base {
            Some(base) => format!("{base}{}", uri_path(&repo_path(report, path))),
            None => uri_path(path),
        };
        if let Some(d) = at {
            link.push_str(&format!("#L{}", d.line));
            if d.end_line > d.line {
                link.push_str(&format!("-L{}", d.end_line));
            }
        }
        link
    }
}

/// `| rule | errors | warnings | infos |` for each rule that fired, and the totals.
fn rule_table(diagnostics: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for d in diagnostics {
        let column = match d.severity {
            Severity::Error | Severity::Off => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        counts.entry(d.rule.as_str()).or_default()[column] += 1;
    }
    let mut table = String::from("\n| Rule | Errors | Warnings | Infos |\n| :--- | ---: | ---: | ---: |\n");
    let mut total = [0; 3];
    for (rule, [e, w, i]) in &counts {
        table.push_str(&format!("| {} | {e} | {w} | {i} |\n", code(rule)));
        total = [total[0] + e, total[1] + w, total[2] + i];
    }
    table.push_str(&format!("| **total** | **{}** | **{}** | **{}** |\n", total[0], total[1], total[2]));
    table
}

/// Diagnostics by path, keeping the report's order.
fn group_by_path(diagnostics: &[Diagnostic]) -> Vec<(&str, Vec<&Diagnostic>)> {
    let mut groups: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in diagnostics {
        match groups.last_mut() {
            Some((path, list)) if *path == d.path => list.push(d),
            _ => groups.push((&d.path, vec![d])),
        }
    }
    groups
}

/// Text as a code span, with a fence long enough for any backticks inside.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", text.replace(['\r', '\n'], " "))
}

/// Text on one line of Markdown: code spans (`like this`) are kept, and outside them every
/// character that Markdown or HTML would interpret is escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let balanced = text.matches('`').count() % 2 == 0;
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ if in_code => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Diagnostic;

    fn diagnostic(path: &str, message: &str) -> Diagnostic {
        Diagnostic {
            rule: "size-limit".into(),
            severity: Severity::Error,
            path: path.into(),
            item: Some("PB-1".into()),
            line: 6,
            column: 7,
            end_line: 6,
            end_column: 9,
            message: message.into(),
            help: Some("split the item".into()),
            history: None,
            fix: None,
            span: 0..0,
        }
    }

    #[test]
    fn markdown_is_escaped_outside_code_spans() {
        assert_eq!(inline("id `a_b|c` is <b>*bold*</b> | x"), "id `a_b|c` is &lt;b&gt;\\*bold\\*&lt;/b&gt; \\| x");
        assert_eq!(inline("one ` tick_"), "one \\` tick\\_");
        assert_eq!(code("a`b"), "``a`b``");
    }

    #[test]
    fn stays_under_the_size_limit_and_says_what_it_left_out() {
        let long = "x".repeat(400);
        let diagnostics: Vec<Diagnostic> =
            (0..5000).map(|i| diagnostic(&format!("backlog/PB-{i:05}.md"), &long)).collect();
        let report = Report::new(diagnostics, 5000, 5000);
        let summary =
            StepSummary { link_base: Some("https://github.com/o/r/blob/abc/".into()), now: 0, max_bytes: MAX_BYTES };
        let text = summary.markdown(&report);
        assert!(text.len() <= MAX_BYTES, "{}", text.len());
        assert!(text.contains("| `size-limit` | 5000 | 0 | 0 |"));
        let shown = text.matches("\n#### ").count();
        assert!(shown > 100 && shown < 5000, "{shown}");
        let note = format!("_{} more items with {} findings are not shown here", 5000 - shown, 5000 - shown);
        assert!(text.contains(&note), "{}", &text[text.len() - 400..]);
    }

    #[test]
    fn links_point_at_the_line_in_the_repository() {
        let mut report = Report::new(vec![diagnostic("backlog/a b.md", "m")], 1, 1);
        report.root_in_repo = Some("docs".into());
        let summary = StepSummary {
            link_base: StepSummary::link_base_from(|name| {
                Some(match name {
                    "GITHUB_SERVER_URL" => "https://github.com".to_owned(),
                    "GITHUB_REPOSITORY" => "o/r".to_owned(),
                    _ => "abc".to_owned(),
                })
            }),
            now: 0,
            max_bytes: MAX_BYTES,
        };
        let text = summary.markdown(&report);
        assert!(text.contains("[6:7](https://github.com/o/r/blob/abc/docs/backlog/a%20b.md#L6)"), "{text}");
        let relative = StepSummary { link_base: None, now: 0, max_bytes: MAX_BYTES }.markdown(&report);
        assert!(relative.contains("[6:7](backlog/a%20b.md#L6)"), "{relative}");
    }
}
