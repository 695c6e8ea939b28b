//! Byte offsets to 1-based line and column positions.
//!
//! Columns count Unicode scalar values, as SARIF's `unicodeCodePoints` and most editors do.

use serde::Serialize;
use std::ops::Range;

/// A half-open byte range into an item's source text.
pub type Span = Range<usize>;

/// A 1-based position: `column` counts Unicode scalar values from the start of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The start of every line of a text, so that offsets map to positions in `O(log lines)`.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { line_starts }
    }

    /// The position of byte `offset`; offsets past the end clamp to the end, and offsets inside
    /// a multi-byte character count as that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = text
            .get(start..)
            .map(|rest| rest.char_indices().take_while(|(i, _)| start + i < offset).count())
            .unwrap_or(0);
        Position { line: line + 1, column: column + 1 }
    }

    /// The byte offset where 1-based `line` starts, clamped to the text.
    pub fn line_start(&self, line: usize) -> usize {
        let last = self.line_starts.len() - 1;
        self.line_starts[line.saturating_sub(1).min(last)]
    }

    /// The byte range of 1-based `line`, without its line terminator (`\n` or `\r\n`).
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let end = if text[start..end].ends_with('\r') { end - 1 } else { end };
        start..end
    }

    /// The byte offset of a 1-based line and column (counted in characters), clamped to the line.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let span = self.line_span(text, line);
        text[span.clone()].char_indices().nth(column.saturating_sub(1)).map_or(span.end, |(i, _)| span.start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "a: é\nb: ü x\r\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position { line: 2, column: 6 });
        let last = text.find("last").unwrap();
        assert_eq!(index.position(text, last), Position { line: 3, column: 1 });
        assert_eq!(index.position(text, text.len() + 10), Position { line: 3, column: 5 });
    }

    #[test]
    fn line_span_drops_crlf() {
        let text = "one\r\ntwo\n";
        let index = LineIndex::new(text);
        assert_eq!(&text[index.line_span(text, 1)], "one");
        assert_eq!(&text[index.line_span(text, 2)], "two");
        assert_eq!(index.offset(text, 2, 2), 6);
    }
}
