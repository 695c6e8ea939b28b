//! Between backlint's byte offsets and LSP positions, in the position encoding negotiated with
//! the client (UTF-8 when it offers it, else UTF-16, the protocol's default), and between
//! file paths and URIs.

use lsp_types::{Position, PositionEncodingKind, Range, Url};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 if the client offers it, else UTF-16.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The LSP position of byte `offset` of `text` (clamped to the text, and to a character boundary).
pub(crate) fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[line_start..offset].chars().map(|c| encoding.width(c)).sum();
    Position { line: saturate(line), character: saturate(character) }
}

/// The byte offset of an LSP position in `text`: past the end of a line means its end, past the
/// last line means the end of the text.
pub(crate) fn offset(text: &str, position: Position, encoding: Encoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let line = text[line_start..line_end].strip_suffix('\r').unwrap_or(&text[line_start..line_end]);
    let mut units = 0usize;
    for (at, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + at;
        }
        units += encoding.width(c);
    }
    line_start + line.len()
}

pub(crate) fn range(text: &str, span: &std::ops::Range<usize>, encoding: Encoding) -> Range {
    Range { start: position(text, span.start, encoding), end: position(text, span.end.max(span.start), encoding) }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn path_of(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file").then(|| uri.to_file_path().ok()).flatten()
}

pub(crate) fn uri_of(path: &Path) -> Option<Url> {
    let absolute = std::path::absolute(path).ok()?;
    Url::from_file_path(absolute).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_columns_in_both_encodings() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 UTF-16 units.
        let text = "ab\né𝄞x\r\nlast";
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x, Encoding::Utf16), Position { line: 1, character: 3 });
        assert_eq!(position(text, x, Encoding::Utf8), Position { line: 1, character: 6 });
        assert_eq!(offset(text, Position { line: 1, character: 3 }, Encoding::Utf16), x);
        assert_eq!(offset(text, Position { line: 1, character: 6 }, Encoding::Utf8), x);
        // Inside a surrogate pair or past the end of a line: the next boundary or the line end.
        assert_eq!(offset(text, Position { line: 1, character: 2 }, Encoding::Utf16), x);
        assert_eq!(offset(text, Position { line: 1, character: 99 }, Encoding::Utf16), x + 1);
        assert_eq!(offset(text, Position { line: 9, character: 0 }, Encoding::Utf16), text.len());
        assert_eq!(position(text, text.len() + 5, Encoding::Utf16), Position { line: 2, character: 4 });
    }
}
