//! YAML front matter: finding it, parsing it, and locating its top-level keys.
//!
//! This is the only module that knows about `serde_yaml` (unmaintained, so it must stay
//! swappable). Everything else sees [`Value`], [`Field`] and [`YamlError`].

use super::span::Span;
use serde::de::DeserializeOwned;

/// A YAML value, reduced to what backlog items and rules need.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a single line of text, for messages and comparisons with configured names.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(Value::to_text).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Map(_) => "{…}".to_owned(),
        }
    }

    /// `null`, `""`, `[]` and `{}` all mean "not filled in".
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            Value::Bool(_) | Value::Number(_) => false,
        }
    }

    fn from_yaml(value: serde_yaml::Value) -> Self {
        match value {
            serde_yaml::Value::Null => Value::Null,
            serde_yaml::Value::Bool(b) => Value::Bool(b),
            serde_yaml::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_yaml::Value::String(s) => Value::String(s),
            serde_yaml::Value::Sequence(items) => Value::List(items.into_iter().map(Value::from_yaml).collect()),
            serde_yaml::Value::Mapping(map) => {
                Value::Map(map.into_iter().map(|(k, v)| (Value::from_yaml(k).to_text(), Value::from_yaml(v))).collect())
            }
            serde_yaml::Value::Tagged(tagged) => Value::from_yaml(tagged.value),
        }
    }
}

/// A YAML syntax or type error, positioned in the parsed text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl YamlError {
    fn from_serde(error: &serde_yaml::Error) -> Self {
        let (line, column) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
        // serde_yaml appends " at line X column Y" to its messages; the position is reported
        // separately, relative to the whole file, so drop the part that is relative to the block.
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_owned(),
            None => message,
        };
        YamlError { message, line, column }
    }
}

/// Deserialize a whole YAML document (used for configuration files).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError::from_serde(&e))
}

/// Serialize data as a YAML document (for `backlint config --show`).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, YamlError> {
    serde_yaml::to_string(value).map_err(|e| YamlError::from_serde(&e))
}

/// Where the front matter sits in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The opening `---` line, without its line terminator.
    pub open: Span,
    /// The YAML text between the delimiters.
    pub yaml: Span,
    /// Where the Markdown body starts (after the closing delimiter line).
    pub body_start: usize,
}

/// Why a file has no usable front matter block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockError {
    Missing,
    Unterminated,
}

/// Find the front matter: the first line is `---`, closed by a line `---` or `...`.
pub fn find_block(source: &str) -> Result<Block, BlockError> {
    let mut lines = lines_with_offsets(source);
    let (open, first) = lines.next().ok_or(BlockError::Missing)?;
    if first.trim_end() != "---" {
        return Err(BlockError::Missing);
    }
    let open = open..open + first.trim_end().len();
    let yaml_start = source[open.end..].find('\n').map_or(source.len(), |i| open.end + i + 1);
    for (start, line) in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = source[start..].find('\n').map_or(source.len(), |i| start + i + 1);
            return Ok(Block { open, yaml: yaml_start..start, body_start });
        }
    }
    Err(BlockError::Unterminated)
}

/// A top-level front matter field with the spans of its key and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub key_span: Span,
    pub value_span: Span,
    /// For a list value, the span of each element in order (empty when they can't be located).
    pub element_spans: Vec<Span>,
    pub value: Value,
}

/// Why the YAML of a front matter block is unusable.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldsError {
    Yaml(YamlError),
    NotAMapping(&'static str),
}

/// Parse the front matter YAML (at `offset` in the source) into fields with source spans.
///
/// YAML parsers give no spans, so keys are located by scanning the text: a top-level key is a
/// line that starts at column 1 with `key:`.
pub fn parse_fields(yaml: &str, offset: usize) -> Result<Vec<Field>, FieldsError> {
    parse_fields_from(yaml, yaml, offset)
}

/// Front matter fields read the way lenient tools such as Backlog.md read them: when the YAML is
/// invalid only because plain values start with a reserved indicator (`assignee: @dana`), those
/// values are read as quoted strings. Returns the fields and the spans (in the source) of the
/// values that had to be quoted; any other YAML error is returned as it is.
pub fn parse_fields_lenient(yaml: &str, offset: usize) -> Result<(Vec<Field>, Vec<Span>), FieldsError> {
    let error = match parse_fields(yaml, offset) {
        Ok(fields) => return Ok((fields, Vec::new())),
        Err(error @ FieldsError::NotAMapping(_)) => return Err(error),
        Err(error) => error,
    };
    let (quoted_text, quoted) = quote_reserved_values(yaml);
    if quoted.is_empty() {
        return Err(error);
    }
    match parse_fields_from(&quoted_text, yaml, offset) {
        Ok(fields) => Ok((fields, quoted.into_iter().map(|s| s.start + offset..s.end + offset).collect())),
        // Report the first problem as the strict parser saw it: its position is exact.
        Err(_) => Err(error),
    }
}

/// Parse `text` and locate its keys in `located_text`, which differs from it at most by quotes
/// added around values (so keys and values keep the positions the user sees).
fn parse_fields_from(text: &str, located_text: &str, offset: usize) -> Result<Vec<Field>, FieldsError> {
    let yaml = located_text;
    let entries = match super::simple_yaml::parse(text) {
        Some(entries) => entries,
        None => yaml_entries(text, yaml)?,
    };
    let located = locate_keys(yaml);
    Ok(entries
        .into_iter()
        .map(|(key, value)| {
            let found = located.iter().find(|k| k.key == key);
            let shift = |s: &Span| s.start + offset..s.end + offset;
            match found {
                Some(k) => Field {
                    key,
                    key_span: shift(&k.key_span),
                    value_span: shift(&k.value_span),
                    element_spans: k.element_spans.iter().map(shift).collect(),
                    value,
                },
                None => Field {
                    key,
                    key_span: offset..offset,
                    value_span: offset..offset,
                    element_spans: Vec::new(),
                    value,
                },
            }
        })
        .collect())
}

/// The top-level entries of `text` as the YAML parser reads them; errors are positioned for
/// `located_text` (see [`parse_fields_from`]).
pub(super) fn yaml_entries(text: &str, located_text: &str) -> Result<Vec<(String, Value)>, FieldsError> {
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let mut error = YamlError::from_serde(&e);
        relocate_duplicate_key(located_text, &mut error);
        FieldsError::Yaml(error)
    })?;
    match Value::from_yaml(value) {
        Value::Map(entries) => Ok(entries),
        Value::Null => Ok(Vec::new()),
        Value::List(_) => Err(FieldsError::NotAMapping("a list")),
        _ => Err(FieldsError::NotAMapping("a single value")),
    }
}

/// Characters that YAML reserves and that cannot start a plain value (`@` and `` ` ``).
const RESERVED_INDICATORS: [char; 2] = ['@', '`'];

/// Quote every plain value that starts with a reserved indicator: after `key: `, after a block
/// list's `- `, and as an element of a one-line flow list. Block scalars (`|`, `>`) are left
/// alone. Returns the new text and the spans of the values quoted (in `yaml`).
fn quote_reserved_values(yaml: &str) -> (String, Vec<Span>) {
    let mut out = String::with_capacity(yaml.len() + 16);
    let mut quoted = Vec::new();
    // The indentation of the key that opened a block scalar; deeper lines belong to it.
    let mut block_scalar: Option<usize> = None;
    for (start, line) in lines_with_offsets(yaml) {
        let newline = if start + line.len() < yaml.len() { "\n" } else { "" };
        let indent = line.len() - line.trim_start().len();
        if let Some(key_indent) = block_scalar {
            if line.trim().is_empty() || indent > key_indent {
                out.push_str(line);
                out.push_str(newline);
                continue;
            }
            block_scalar = None;
        }
        let Some(value_at) = value_start(line) else {
            out.push_str(line);
            out.push_str(newline);
            continue;
        };
        let value = strip_comment(&line[value_at..]).trim_end();
        if value.starts_with(['|', '>']) {
            block_scalar = Some(indent);
        }
        let mut pieces: Vec<Span> = Vec::new();
        if value.starts_with(RESERVED_INDICATORS) {
            pieces.push(value_at..value_at + value.len());
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            if !inner.contains(['[', ']', '{', '}', '"', '\'']) {
                let mut at = value_at + 1;
                for part in inner.split(',') {
                    let lead = part.len() - part.trim_start().len();
                    let element = part.trim();
                    if element.starts_with(RESERVED_INDICATORS) {
                        pieces.push(at + lead..at + lead + element.len());
                    }
                    at += part.len() + 1;
                }
            }
        }
        let mut last = 0;
        for piece in &pieces {
            out.push_str(&line[last..piece.start]);
            out.push('\'');
            out.push_str(&line[piece.clone()].replace('\'', "''"));
            out.push('\'');
            last = piece.end;
            quoted.push(start + piece.start..start + piece.end);
        }
        out.push_str(&line[last..]);
        out.push_str(newline);
    }
    (out, quoted)
}

/// Where the value of a `key: value` or `- value` line starts, if the line has one.
fn value_start(line: &str) -> Option<usize> {
    let mut at = line.len() - line.trim_start().len();
    let mut in_list = false;
    while let Some(rest) = line[at..].strip_prefix("- ").or_else(|| line[at..].strip_prefix("-\t")) {
        in_list = true;
        at = line.len() - rest.trim_start().len();
    }
    let rest = strip_comment(&line[at..]);
    if rest.trim().is_empty() {
        return None;
    }
    if !rest.starts_with(['"', '\'', '[', '{']) {
        let bytes = rest.as_bytes();
        let colon =
            (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()));
        if let Some(colon) = colon {
            let after = &rest[colon + 1..];
            return Some(at + colon + 1 + (after.len() - after.trim_start().len()));
        }
    }
    in_list.then_some(at)
}

/// The YAML parser reports a duplicate key where the mapping starts; point at the repeat.
fn relocate_duplicate_key(yaml: &str, error: &mut YamlError) {
    let Some(key) = error.message.strip_prefix("duplicate entry with key \"").and_then(|k| k.strip_suffix('"')) else {
        return;
    };
    if let Some(repeat) = locate_keys(yaml).into_iter().filter(|k| k.key == key).nth(1) {
        error.line = yaml[..repeat.key_span.start].matches('\n').count() + 1;
        error.column = 1;
    }
}

struct LocatedKey {
    key: String,
    key_span: Span,
    value_span: Span,
    element_spans: Vec<Span>,
}

fn locate_keys(yaml: &str) -> Vec<LocatedKey> {
    let lines: Vec<(usize, &str)> = lines_with_offsets(yaml).collect();
    let mut keys = Vec::new();
    for (i, &(start, line)) in lines.iter().enumerate() {
        let Some((key, key_len, after_colon)) = top_level_key(line) else { continue };
        let key_span = start..start + key_len;
        let inline = strip_comment(&line[after_colon..]);
        let inline_trimmed = inline.trim();
        let (value_span, element_spans) = if inline_trimmed.is_empty() {
            block_value_spans(&lines[i + 1..]).unwrap_or((key_span.clone(), Vec::new()))
        } else {
            let lead = after_colon + (inline.len() - inline.trim_start().len());
            let value_start = start + lead;
            let value_span = value_start..value_start + inline_trimmed.len();
            let elements = flow_element_spans(inline_trimmed, value_start);
            (value_span, elements)
        };
        keys.push(LocatedKey { key, key_span, value_span, element_spans });
    }
    keys
}

/// The key of a line that starts a top-level mapping entry: `(key, key byte length, offset after ':')`.
fn top_level_key(line: &str) -> Option<(String, usize, usize)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | '?' | '!' | '&' | '*' | '%') {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = line[1..].find(first)? + 1;
        let rest = &line[close + 1..];
        let colon = rest.find(':')?;
        if !rest[..colon].trim().is_empty() {
            return None;
        }
        return Some((line[1..close].to_owned(), close + 1, close + 1 + colon + 1));
    }
    // A plain key ends at the first `:` followed by white space or the end of the line, so
    // values such as `http://x` or `a: b` stay values.
    let bytes = line.as_bytes();
    let colon =
        (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))?;
    let key = line[..colon].trim_end();
    Some((key.to_owned(), key.len(), colon + 1))
}

/// Spans of a value written on the lines after its key: a block list or nested mapping.
fn block_value_spans(lines: &[(usize, &str)]) -> Option<(Span, Vec<Span>)> {
    let mut span: Option<Span> = None;
    let mut elements = Vec::new();
    for &(start, line) in lines {
        let content = strip_comment(line).trim_end();
        if content.trim().is_empty() {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        if indent == 0 && !content.starts_with("- ") && content != "-" {
            break;
        }
        let text = content.trim_start();
        let begin = start + indent;
        if let Some(element) = text.strip_prefix("- ") {
            let element = element.trim_start();
            let element_start = start + content.len() - element.len();
            elements.push(element_start..element_start + element.len());
        }
        span = Some(span.map_or(begin..start + content.len(), |s| s.start..start + content.len()));
    }
    span.map(|s| (s, elements))
}

/// Spans of the elements of a one-line flow list such as `[PB-1, "PB 2"]`.
fn flow_element_spans(value: &str, value_start: usize) -> Vec<Span> {
    let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut offset = value_start + 1;
    for part in inner.split(',') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            spans.push(offset + lead..offset + lead + trimmed.len());
        }
        offset += part.len() + 1;
    }
    spans
}

/// The text before a YAML comment (`#` at the start or after whitespace, outside quotes).
pub fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let mut previous_is_space = true;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if previous_is_space => return &text[..i],
            _ => {}
        }
        previous_is_space = c.is_whitespace();
    }
    text
}

/// Lines with the byte offset where each starts; the `\n` is dropped, a `\r` kept.
pub fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let this = start;
        start += line.len();
        (this, line.strip_suffix('\n').unwrap_or(line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(yaml: &str) -> Vec<Field> {
        parse_fields(yaml, 0).unwrap()
    }

    #[test]
    fn finds_block_with_crlf_and_dots() {
        let source = "---\r\nid: A\r\n...\r\nbody";
        let block = find_block(source).unwrap();
        assert_eq!(&source[block.open.clone()], "---");
        assert_eq!(&source[block.yaml.clone()], "id: A\r\n");
        assert_eq!(&source[block.body_start..], "body");
        assert_eq!(find_block("# title\n"), Err(BlockError::Missing));
        assert_eq!(find_block("---\nid: A\n"), Err(BlockError::Unterminated));
    }

    #[test]
    fn locates_keys_values_and_elements() {
        let yaml = "id: PB-1\nsize: 13  # expect: size-limit\ndepends_on: [PB-2, 'PB-3']\ntags:\n  - a\n  - bc\n\"quoted key\": x\n";
        let f = fields(yaml);
        let by_key = |k: &str| f.iter().find(|f| f.key == k).unwrap();
        assert_eq!(&yaml[by_key("size").value_span.clone()], "13");
        assert_eq!(&yaml[by_key("size").key_span.clone()], "size");
        let deps = by_key("depends_on");
        assert_eq!(&yaml[deps.value_span.clone()], "[PB-2, 'PB-3']");
        let elements: Vec<&str> = deps.element_spans.iter().map(|s| &yaml[s.clone()]).collect();
        assert_eq!(elements, ["PB-2", "'PB-3'"]);
        let tags = by_key("tags");
        assert_eq!(&yaml[tags.value_span.clone()], "- a\n  - bc");
        let elements: Vec<&str> = tags.element_spans.iter().map(|s| &yaml[s.clone()]).collect();
        assert_eq!(elements, ["a", "bc"]);
        assert_eq!(&yaml[by_key("quoted key").key_span.clone()], "\"quoted key\"");
        assert_eq!(by_key("size").value, Value::Number(13.0));
    }

    #[test]
    fn url_values_do_not_confuse_key_scan() {
        let f = fields("link: http://x.y/z\ntime: 10:30\n");
        assert_eq!(f[0].key, "link");
        assert_eq!(f[0].value, Value::String("http://x.y/z".into()));
    }

    #[test]
    fn rejects_non_mappings_and_reports_yaml_positions() {
        assert_eq!(parse_fields("- a\n- b\n", 0), Err(FieldsError::NotAMapping("a list")));
        let Err(FieldsError::Yaml(e)) = parse_fields("id: A\ntitle: [unclosed\n", 0) else {
            panic!("expected a YAML error");
        };
        assert!(e.line >= 2, "{e:?}");
    }

    #[test]
    fn duplicate_keys_point_at_the_repeat() {
        let Err(FieldsError::Yaml(e)) = parse_fields("id: A\nstatus: x\ntitle: t\nstatus: y\n", 0) else {
            panic!("expected a YAML error");
        };
        assert_eq!((e.line, e.column), (4, 1), "{e:?}");
    }

    #[test]
    fn values_starting_with_reserved_indicators_are_read_leniently() {
        let yaml = "id: A\nassignee: @dana  # owner: x\nreviewers:\n  - @lee  # a: b\n  - 'sam'\nwatchers: [@kim, bo]\nnote: |\n  @not-touched\ntitle: `code`\n";
        let (fields, quoted) = parse_fields_lenient(yaml, 0).unwrap();
        let shown: Vec<&str> = quoted.iter().map(|s| &yaml[s.clone()]).collect();
        assert_eq!(shown, ["@dana", "@lee", "@kim", "`code`"]);
        let by_key = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
        assert_eq!(by_key("assignee").value, Value::String("@dana".into()));
        assert_eq!(&yaml[by_key("assignee").value_span.clone()], "@dana");
        assert_eq!(
            by_key("reviewers").value,
            Value::List(vec![Value::String("@lee".into()), Value::String("sam".into())])
        );
        assert_eq!(
            by_key("watchers").value,
            Value::List(vec![Value::String("@kim".into()), Value::String("bo".into())])
        );
        assert_eq!(by_key("note").value, Value::String("@not-touched\n".into()));
        assert_eq!(by_key("title").value, Value::String("`code`".into()));
    }

    #[test]
    fn lenient_reading_keeps_other_errors() {
        assert!(matches!(parse_fields_lenient("title: a: b\n", 0), Err(FieldsError::Yaml(_))));
        let Err(FieldsError::Yaml(e)) = parse_fields_lenient("owner: @dana\ntitle: [unclosed\n", 0) else {
            panic!("expected a YAML error");
        };
        assert_eq!(e.line, 1, "{e:?}");
        let (_, quoted) = parse_fields_lenient("id: A\nowner: dana\n", 0).unwrap();
        assert!(quoted.is_empty());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let yaml = format!("x: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(parse_fields(&yaml, 0), Err(FieldsError::Yaml(_))));
    }
}
