//! `--format human`: miette reports with the source snippet, files without front matter as one
//! group, the findings per rule, then a summary line.

use super::group::NoFrontMatter;
use super::{statistics, summary_line, Diagnostic, Renderer, Report};
use crate::rules::Severity;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::io;
use std::sync::Arc;

pub struct Human {
    pub color: bool,
    pub width: usize,
    /// Print only errors, and no table or summary.
    pub quiet: bool,
    /// Show files without front matter as one finding (see [`super::group`]).
    pub group: bool,
    /// Print only the findings per rule and the summary line (`--statistics`).
    pub statistics_only: bool,
}

impl Renderer for Human {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        if self.statistics_only {
            return write_statistics(report, out, false);
        }
        let theme = if self.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(self.width).with_links(false);
        let visible = |d: &Diagnostic| !self.quiet || d.severity == Severity::Error;
        let group = NoFrontMatter::find(&report.diagnostics).filter(|_| self.group);
        let shown: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| visible(d) && !group.as_ref().is_some_and(|g| g.contains(d)))
            .collect();
        for (index, diagnostic) in shown.iter().enumerate() {
            let info = report.items.get(&diagnostic.path);
            let source = info.map_or_else(|| Arc::from(""), |i| i.source.clone());
            let mut text = String::new();
            if handler.render_report(&mut text, miette_report(diagnostic, source).as_ref()).is_err() {
                text = format!("{}: {}\n", diagnostic.rule, diagnostic.message);
            }
            out.write_all(text.as_bytes())?;
            let last_of_item = shown.get(index + 1).is_none_or(|next| next.path != diagnostic.path);
            if let Some(line) = info.and_then(|i| i.history_line.as_ref()).filter(|_| last_of_item) {
                writeln!(out, "  {} history: {line}", diagnostic.path)?;
            }
            writeln!(out)?;
        }
        if let Some(group) = group.filter(|g| !self.quiet || g.severity() == Severity::Error) {
            let mut text = String::new();
            let report = MietteDiagnostic::new(group.message())
                .with_code(group.rule().to_owned())
                .with_severity(miette_severity(group.severity()))
                .with_help(group.help());
            if handler.render_report(&mut text, &report).is_err() {
                text = format!("{}: {}\n", group.rule(), group.message());
            }
            out.write_all(text.as_bytes())?;
            writeln!(out)?;
        }
        if !self.quiet {
            write_statistics(report, out, true)?;
            if let Some(fixed) = report.summary.fixed {
                writeln!(out, "{}", crate::fix::fixed_line(fixed, report.fixed.len()))?;
            }
        }
        Ok(())
    }
}

/// The findings per rule, then the summary line. After the findings themselves, the table is left
/// out when one rule (at one severity) found everything: the summary line says as much.
pub(super) fn write_statistics(report: &Report, out: &mut dyn io::Write, after_findings: bool) -> io::Result<()> {
    let rows = statistics::count(&report.diagnostics);
    let one_row_after_findings = after_findings && rows.len() == 1;
    if !rows.is_empty() && !one_row_after_findings {
        writeln!(out, "{}", statistics::table(&rows))?;
    }
    writeln!(out, "{}", summary_line(&report.summary))
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error | Severity::Off => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn miette_report(diagnostic: &Diagnostic, source: Arc<str>) -> miette::Report {
    let span = diagnostic.span.start..diagnostic.span.end.max(diagnostic.span.start);
    let mut report = MietteDiagnostic::new(diagnostic.message.clone())
        .with_code(diagnostic.rule.clone())
        .with_severity(miette_severity(diagnostic.severity))
        .with_label(LabeledSpan::new_with_span(None, span));
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help.clone());
    }
    miette::Report::new(report).with_source_code(NamedSource::new(&diagnostic.path, source).with_language("markdown"))
}
