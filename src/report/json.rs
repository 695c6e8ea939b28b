//! `--format json`: the report model itself, version 1.

use super::{Renderer, Report};
use std::io::{self, Write};

pub struct Json;

impl Renderer for Json {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        // Buffered: the pretty printer issues many small writes, and stdout is line-buffered.
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        serde_json::to_writer_pretty(&mut out, report)?;
        writeln!(out)?;
        out.flush()
    }
}
