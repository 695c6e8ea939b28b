//! Find where a key sits in a YAML config file, for error messages.
//!
//! The YAML parser gives no spans for valid documents, so keys are found by scanning the text
//! for each step of the path in turn, which is exact for the block and flow styles people write.

use crate::item::span::Span;

/// One step of a path into the config document.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    /// The n-th entry (0-based) of a block list.
    Index(usize),
}

/// The span of the last step of `path` (the key itself, or the `-` of a list entry).
pub fn locate(text: &str, path: &[Step]) -> Option<Span> {
    let mut from = 0;
    let mut found = None;
    for step in path {
        let span = match *step {
            Step::Key(key) => find_key(text, from, key)?,
            Step::Index(n) => find_entry(text, from, n)?,
        };
        from = span.end;
        found = Some(span);
    }
    found
}

/// The span of the value written after the key at the end of `path`, on the same line.
pub fn locate_value(text: &str, path: &[Step]) -> Option<Span> {
    let key = locate(text, path)?;
    let line_end = text[key.end..].find('\n').map_or(text.len(), |i| key.end + i);
    let rest = &text[key.end..line_end];
    let value = rest.trim_start_matches(['"', '\'']).trim_start_matches(':');
    let offset = key.end + (rest.len() - value.len());
    let trimmed = value.trim_start();
    let start = offset + (value.len() - trimmed.len());
    let end = trimmed.find([',', '}', '#']).map_or(trimmed.trim_end().len(), |i| trimmed[..i].trim_end().len());
    (end > 0).then_some(start..start + end)
}

/// The first `key:` at or after `from` that stands where a mapping key can stand.
fn find_key(text: &str, from: usize, key: &str) -> Option<Span> {
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(key) {
        let start = at + i;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let quoted = matches!(before, Some('"' | '\''));
        let key_start = if quoted { start - 1 } else { start };
        let before_key = text[..key_start].chars().next_back();
        let after = if quoted { text.get(end + 1..) } else { text.get(end..) };
        let boundary_before = matches!(before_key, None | Some(' ' | '\t' | '\n' | '{' | ',' | '-'));
        let colon_after = after.is_some_and(|a| a.trim_start_matches([' ', '\t']).starts_with(':'));
        if boundary_before && colon_after {
            return Some(start..end);
        }
        at = end;
    }
    None
}

/// The `-` that opens the n-th block list entry after `from`, at the first entry's indentation.
fn find_entry(text: &str, from: usize, n: usize) -> Option<Span> {
    let mut indent = None;
    let mut seen = 0;
    let mut offset = from;
    for line in text[from..].split_inclusive('\n') {
        let content = line.trim_start();
        let this_indent = line.len() - content.len();
        if content.starts_with("- ") || content.trim_end() == "-" {
            let expected = *indent.get_or_insert(this_indent);
            if this_indent == expected {
                if seen == n {
                    let start = offset + this_indent;
                    return Some(start..start + 1);
                }
                seen += 1;
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "items: [\"backlog/**/*.md\"]\nrules:\n  size-limit: { severity: error, max: x }\n  \"value-hypothesis\": off\noverrides:\n  - files: [a]\n    rules: { size-limit: off }\n  - files: [b]\n    rules:\n      size-limit: warning\n";

    fn at(span: Option<Span>) -> &'static str {
        let span = span.expect("located");
        &CONFIG[span]
    }

    #[test]
    fn finds_nested_keys_in_block_and_flow_style() {
        assert_eq!(at(locate(CONFIG, &[Step::Key("rules"), Step::Key("size-limit"), Step::Key("max")])), "max");
        assert_eq!(at(locate_value(CONFIG, &[Step::Key("rules"), Step::Key("size-limit"), Step::Key("max")])), "x");
        assert_eq!(at(locate(CONFIG, &[Step::Key("rules"), Step::Key("value-hypothesis")])), "value-hypothesis");
    }

    #[test]
    fn finds_list_entries() {
        let span = locate(CONFIG, &[Step::Key("overrides"), Step::Index(1), Step::Key("size-limit")]).unwrap();
        let line = CONFIG[..span.start].matches('\n').count() + 1;
        assert_eq!(line, 10);
    }
}
