//! `--format human`: miette reports with the source snippet, then a summary line.

use super::{summary_line, Diagnostic, Renderer, Report};
use crate::rules::Severity;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use std::io;
use std::sync::Arc;

pub struct Human {
    pub color: bool,
    pub width: usize,
    /// Print only errors, and no summary.
    pub quiet: bool,
}

impl Renderer for Human {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let theme = if self.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(self.width).with_links(false);
        let shown: Vec<&Diagnostic> =
            report.diagnostics.iter().filter(|d| !self.quiet || d.severity == Severity::Error).collect();
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
        if !self.quiet {
            writeln!(out, "{}", summary_line(&report.summary))?;
            if let Some(fixed) = report.summary.fixed {
                writeln!(out, "{}", crate::fix::fixed_line(fixed, report.fixed.len()))?;
            }
        }
        Ok(())
    }
}

fn miette_report(diagnostic: &Diagnostic, source: Arc<str>) -> miette::Report {
    let severity = match diagnostic.severity {
        Severity::Error | Severity::Off => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let span = diagnostic.span.start..diagnostic.span.end.max(diagnostic.span.start);
    let mut report = MietteDiagnostic::new(diagnostic.message.clone())
        .with_code(diagnostic.rule.clone())
        .with_severity(severity)
        .with_label(LabeledSpan::new_with_span(None, span));
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help.clone());
    }
    miette::Report::new(report).with_source_code(NamedSource::new(&diagnostic.path, source).with_language("markdown"))
}
