//! `--format concise`: one line per finding, `path:line:col: severity[rule] message`, as
//! compilers print them, for grep, for pasting and for editors' quickfix lists (Vim's `errorformat`
//! `%f:%l:%c: %m`). The summary line and the help of a group go to stderr (see [`Concise::notes`]),
//! so that stdout holds findings only.

use super::group::NoFrontMatter;
use super::{summary_line, Diagnostic, Renderer, Report};
use std::io;

pub struct Concise {
    /// Show files without front matter as one line (see [`super::group`]).
    pub group: bool,
    /// Print only the findings per rule and the summary line (`--statistics`).
    pub statistics_only: bool,
}

impl Renderer for Concise {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        if self.statistics_only {
            return super::human::write_statistics(report, out, false);
        }
        let group = self.group(report);
        let mut text = String::new();
        let mut group_shown = false;
        for d in &report.diagnostics {
            match &group {
                Some(group) if group.contains(d) => {
                    if !group_shown {
                        text.push_str(&line(d, d.severity.as_str(), group.rule(), &group.message()));
                        group_shown = true;
                    }
                }
                _ => text.push_str(&line(d, d.severity.as_str(), &d.rule, &d.message)),
            }
        }
        out.write_all(text.as_bytes())
    }
}

impl Concise {
    fn group<'r>(&self, report: &'r Report) -> Option<NoFrontMatter<'r>> {
        NoFrontMatter::find(&report.diagnostics).filter(|_| self.group && !self.statistics_only)
    }

    /// What goes to stderr after the findings: the help of the group, then the summary line.
    pub fn notes(&self, report: &Report) -> Vec<String> {
        let mut notes: Vec<String> = self.group(report).map(|g| g.help()).into_iter().collect();
        if !self.statistics_only {
            notes.push(summary_line(&report.summary));
        }
        notes
    }
}

/// `backlog/PB-1.md:6:7: error[size-limit] size 13 exceeds the limit of 8 for one sprint`, on
/// one line whatever the message holds.
fn line(d: &Diagnostic, severity: &str, rule: &str, message: &str) -> String {
    let message = message.replace(['\r', '\n'], " ");
    format!("{}:{}:{}: {severity}[{rule}] {message}\n", d.path, d.line, d.column)
}
