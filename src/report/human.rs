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
        for diagnostic in &report.diagnostics {
            if self.quiet && diagnostic.severity != Severity::Error {
                continue;
            }
            let source = report.sources.get(&diagnostic.path).cloned().unwrap_or_else(|| Arc::from(""));
            let mut text = String::new();
            let rendered = miette_report(diagnostic, source);
            if handler.render_report(&mut text, rendered.as_ref()).is_err() {
                text = format!("{}: {}\n", diagnostic.rule, diagnostic.message);
            }
            out.write_all(text.as_bytes())?;
            writeln!(out)?;
        }
        if !self.quiet {
            writeln!(out, "{}", summary_line(&report.summary))?;
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
