//! A fast path for reading one field out of front matter that is plainly written.
//!
//! History reads the status of every stored version of every item, tens of thousands of blobs
//! in a large repository; a full YAML parse of each is most of that cost. Almost all front
//! matter is a flat list of `key: word` lines, for which the answer is obvious from the text.
//! This scanner answers only when the whole block is of such a simple shape that it is certainly
//! valid YAML and the field's value is certainly the string written; anything else returns
//! `None` and the caller parses the YAML. Tests check both ways agree.

use super::front_matter::lines_with_offsets;
use super::span::Span;

/// What the scan found for the field.
#[derive(Debug, PartialEq, Eq)]
pub enum Scanned<'a> {
    /// The block is simple and has no such key.
    Absent,
    /// The value as YAML reads it, and where it is written in the block.
    Found { value: &'a str, span: Span },
}

/// Scan the YAML text of a front matter block for top-level `key`; `None` when the block is not
/// simple enough to be sure of the answer without a YAML parser.
pub fn scan<'a>(yaml: &'a str, key: &str) -> Option<Scanned<'a>> {
    let mut keys: Vec<&str> = Vec::new();
    let mut found = Scanned::Absent;
    // After `key:` with nothing on the line: the indentation of its block list items, once seen.
    let mut list: Option<Option<usize>> = None;
    for (start, line) in lines_with_offsets(yaml) {
        let line = line.trim_end();
        if line.contains(['#', '\t']) {
            return None;
        }
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if let Some(item_indent) = list.as_mut() {
            if let Some(item) = content.strip_prefix("- ") {
                if *item_indent.get_or_insert(indent) != indent || !simple_value(item.trim_start()) {
                    return None;
                }
                continue;
            }
        }
        if indent > 0 {
            return None;
        }
        let (name, rest) = content.split_once(':')?;
        if !simple_key(name) || keys.contains(&name) {
            return None;
        }
        keys.push(name);
        let value = rest.trim();
        if value.is_empty() {
            if name == key || !rest.is_empty() && !rest.starts_with(' ') {
                return None;
            }
            list = Some(None);
            continue;
        }
        list = None;
        if !rest.starts_with(' ') || !(simple_value(value) || flow_list(value)) {
            return None;
        }
        if name == key {
            let unquoted = unquote(value);
            if !unquoted.starts_with(|c: char| c.is_ascii_alphabetic()) || reserved_word(unquoted) {
                return None;
            }
            let at = start + (line.len() - rest.trim_start().len());
            found = Scanned::Found { value: unquoted, span: at..at + value.len() };
        }
    }
    Some(found)
}

/// A plain key: letters, digits, `_` and `-`, starting with a letter, and not a YAML keyword.
fn simple_key(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !reserved_word(name)
}

/// Words YAML reads as something other than a string.
fn reserved_word(word: &str) -> bool {
    ["true", "false", "null"].iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// A one-line scalar that is certainly valid: plain text starting with a letter or digit and
/// holding no `: ` (which would open a mapping), or a quoted string without escapes.
fn simple_value(value: &str) -> bool {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return !inner.contains(['"', '\\']);
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return !inner.contains('\'');
    }
    value.starts_with(|c: char| c.is_ascii_alphanumeric()) && !value.contains(": ") && !value.ends_with(':')
}

/// A one-line flow list of plain words, such as `[PB-1, PB-2]` or `[]`.
fn flow_list(value: &str) -> bool {
    let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) else {
        return false;
    };
    inner.trim().is_empty()
        || inner.split(',').all(|item| {
            let item = item.trim();
            item.starts_with(|c: char| c.is_ascii_alphanumeric())
                && item.bytes().all(|b| b.is_ascii_alphanumeric() || b" _-./".contains(&b))
        })
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|v| v.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::item::front_matter::parse_fields_lenient;

    /// What the YAML parser says: the field's text value (blank as `None`) and its span.
    fn parsed(yaml: &str, key: &str) -> Option<(Option<String>, Span)> {
        let (fields, _) = parse_fields_lenient(yaml, 0).ok()?;
        let field = fields.into_iter().find(|f| f.key == key)?;
        Some((Some(field.value.to_text()).filter(|s| !s.trim().is_empty()), field.value_span))
    }

    /// Wherever the scanner answers, it answers what the parser says.
    fn agrees(yaml: &str) -> Option<Scanned<'_>> {
        let scanned = scan(yaml, "status")?;
        let expected = parsed(yaml, "status");
        match &scanned {
            Scanned::Absent => assert_eq!(expected, None, "{yaml:?}"),
            Scanned::Found { value, span } => {
                assert_eq!(expected, Some((Some((*value).to_owned()), span.clone())), "{yaml:?}")
            }
        }
        Some(scanned)
    }

    #[test]
    fn simple_blocks_are_scanned() {
        let cases = [
            "id: PB-1\ntitle: Export invoices as CSV\nstatus: ready\nsize: 3\n",
            "id: PB-1\r\nstatus: in-progress\r\ntags: [billing, csv]\r\n",
            "status: \"ready\"\n",
            "status: 'in progress'\n",
            "title: A [draft] of it\nstatus: done\ndepends_on:\n  - PB-2\n  - PB-3\n",
            "depends_on:\n- PB-2\nstatus: ready\n",
            "id: PB-1\n\nowner: dana\n",
            "tags: []\nstatus: Done\n",
            "status:   ready   \n",
        ];
        for yaml in cases {
            assert!(agrees(yaml).is_some(), "fell back on {yaml:?}");
        }
        assert_eq!(scan("status: ready\n", "status"), Some(Scanned::Found { value: "ready", span: 8..13 }));
        assert_eq!(scan("id: PB-1\n", "status"), Some(Scanned::Absent));
    }

    #[test]
    fn fixtures_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut scanned = 0;
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            let Ok(block) = crate::item::front_matter::find_block(&text) else { continue };
            scanned += usize::from(agrees(&text[block.yaml]).is_some());
        }
        assert!(scanned > 100, "only {scanned} fixture items were simple enough to scan");
    }

    #[test]
    fn anything_unusual_falls_back() {
        let cases = [
            // Not a string, or not one word as written.
            "status: true\n",
            "status: NULL\n",
            "status: 5\n",
            "status: ~\n",
            "status:\n  - a\n",
            "status: ready\n  continued\n",
            "status: \"a\\tb\"\n",
            // Comments, tabs, anchors, odd keys and odd values.
            "status: ready # for now\n",
            "status:\tready\n",
            "status: &s ready\n",
            "\"status\": ready\n",
            "True: x\nstatus: ready\n",
            "title: Fix: it\nstatus: ready\n",
            "title: @dana\nstatus: ready\n",
            "tags: [a, [b]]\nstatus: ready\n",
            "notes: |\n  status: draft\nstatus: ready\n",
            // Invalid YAML the scanner must not wave through.
            "status: ready\nstatus: done\n",
            "tags:\n  - a\n - b\nstatus: ready\n",
            " id: PB-1\nstatus: ready\n",
            "owner:dana\nstatus: ready\n",
        ];
        for yaml in cases {
            assert_eq!(scan(yaml, "status"), None, "{yaml:?}");
        }
    }
}
