//! The terminal dashboard of `backlint flow`.
use super::FlowReport;
use std::io::{self, Write};

pub fn render(report: &FlowReport, out: &mut dyn Write, _color: bool) -> io::Result<()> {
    writeln!(out, "{}", report.window.from)
}
