//! `--format github`: one GitHub Actions workflow command per finding, which GitHub shows as an
//! annotation on the file and line (`::error file=…,line=…,col=…::message`).
//!
//! GitHub shows at most 10 errors and 10 warnings per step (50 per job); the job summary
//! (`--format summary`) and SARIF carry the rest.

use super::location::repo_path;
use super::{Renderer, Report};
use crate::rules::Severity;
use std::io;

pub struct Github;

impl Renderer for Github {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut text = String::new();
        for d in &report.diagnostics {
            let command = match d.severity {
                Severity::Error | Severity::Off => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = format!("file={},line={}", escape_property(&repo_path(report, &d.path)), d.line);
            // GitHub accepts columns only for a range on one line.
            if d.line == d.end_line {
                properties.push_str(&format!(",col={},endLine={},endColumn={}", d.column, d.end_line, d.end_column));
            } else {
                properties.push_str(&format!(",endLine={}", d.end_line));
            }
            properties.push_str(&format!(",title={}", escape_property(&format!("backlint({})", d.rule))));
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            text.push_str(&format!("::{command} {properties}::{}\n", escape_data(&message)));
        }
        out.write_all(text.as_bytes())
    }
}

/// The message of a workflow command: `%`, CR and LF are escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value of a workflow command: as data, and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Diagnostic;

    fn render(line: usize, end_line: usize, prefix: Option<&str>) -> String {
        let diagnostic = Diagnostic {
            rule: "high-risk-unrefined".into(),
            severity: Severity::Warning,
            path: "backlog/a.md".into(),
            item: None,
            line,
            column: 3,
            end_line,
            end_column: 5,
            message: "risks are not named".into(),
            help: None,
            history: None,
            fix: None,
            span: 0..0,
        };
        let mut report = Report::new(vec![diagnostic], 1, 1);
        report.root_in_repo = prefix.map(str::to_owned);
        let mut out = Vec::new();
        Github.render(&report, &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn columns_only_for_a_range_on_one_line() {
        assert_eq!(
            render(4, 4, Some("")),
            "::warning file=backlog/a.md,line=4,col=3,endLine=4,endColumn=5,title=backlint(high-risk-unrefined)::risks are not named\n"
        );
        assert_eq!(
            render(4, 7, Some("docs/product")),
            "::warning file=docs/product/backlog/a.md,line=4,endLine=7,title=backlint(high-risk-unrefined)::risks are not named\n"
        );
    }

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
    }
}
