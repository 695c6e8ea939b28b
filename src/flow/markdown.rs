//! Markdown for a GitHub job summary.
use super::FlowReport;
use std::io::{self, Write};

pub fn render(report: &FlowReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", report.window.from)
}
