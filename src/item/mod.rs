//! The item model: one backlog item file, parsed once, with spans for everything rules report on.

pub mod body;
pub mod front_matter;
mod simple_yaml;
pub mod span;

use body::Body;
use front_matter::{BlockError, Field, FieldsError, Value};
use span::{LineIndex, Position, Span};
use std::path::Path;

/// Files larger than this are reported, not parsed: no real backlog item comes close.
pub const MAX_FILE_SIZE: u64 = 32 * 1024 * 1024;

/// The problem of a file that does not start with front matter.
pub const NO_FRONT_MATTER: &str = "no front matter: the file must start with a `---` line";

/// The problem of a file that holds nothing but white space.
pub const EMPTY_FILE: &str = "file is empty";

/// Whether a file's problem is that it has no front matter at all (it is empty, or does not
/// start with `---`): a note kept among the items rather than a broken item.
pub fn is_without_front_matter(problem_message: &str) -> bool {
    problem_message == NO_FRONT_MATTER || problem_message == EMPTY_FILE
}

/// One backlog item file. An item that could not be parsed carries a [`Problem`] and no fields.
#[derive(Debug, Clone)]
pub struct Item {
    /// Relative to the project root, with `/` separators.
    pub path: String,
    /// The file's text, without a leading byte order mark.
    pub source: String,
    pub lines: LineIndex,
    /// The opening `---` line of the front matter.
    pub front_matter: Option<Span>,
    pub fields: Vec<Field>,
    pub body: Body,
    pub problem: Option<Problem>,
    /// Front matter values that strict YAML rejects and that were read as quoted strings, as
    /// lenient tools do (`assignee: @dana`); reported by the `lenient-yaml` rule.
    pub quoted_values: Vec<Span>,
}

/// Why a file could not be read as an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
    pub span: Span,
}

impl Item {
    /// Read and parse the item at `root/path`. Never fails: read errors become a [`Problem`].
    pub fn load(root: &Path, path: String) -> Item {
        match read_limited(&root.join(&path)) {
            Ok(bytes) => Item::parse(path, &bytes),
            Err(message) => Item::unparsed(path, String::new(), message, "check the file's permissions and type", 0..0),
        }
    }

    /// Parse an item from its bytes (from the work tree, the index or a commit).
    pub fn parse(path: String, bytes: &[u8]) -> Item {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().take(8192).any(|&b| b == 0) {
            return Item::unparsed(
                path,
                String::new(),
                "binary file, not a Markdown item".into(),
                "remove the file from the backlog folder or exclude it in `exclude:`",
                0..0,
            );
        }
        let source = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(error) => {
                let source = String::from_utf8_lossy(bytes).into_owned();
                let at = error.valid_up_to();
                let end = source[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                return Item::unparsed(
                    path,
                    source,
                    "file is not valid UTF-8".into(),
                    "re-save the file with UTF-8 encoding",
                    at..end,
                );
            }
        };
        if source.trim().is_empty() {
            return Item::unparsed(
                path,
                source,
                EMPTY_FILE.into(),
                "start the item with front matter: a `---` line, `id:`, `title:`, `status:` and a closing `---`",
                0..0,
            );
        }
        let block = match front_matter::find_block(&source) {
            Ok(block) => block,
            Err(error) => {
                let lines = LineIndex::new(&source);
                let first = lines.line_span(&source, 1);
                let (message, help) = match error {
                    BlockError::Missing => {
                        (NO_FRONT_MATTER, "add front matter at the top: `---`, `id: …`, `title: …`, `status: …`, `---`")
                    }
                    BlockError::Unterminated => {
                        ("front matter is not closed", "close the front matter with a line holding only `---`")
                    }
                };
                return Item::unparsed(path, source, message.into(), help, first);
            }
        };
        let lines = LineIndex::new(&source);
        let yaml = &source[block.yaml.clone()];
        let (fields, quoted_values) = match front_matter::parse_fields_lenient(yaml, block.yaml.start) {
            Ok(parsed) => parsed,
            Err(FieldsError::Yaml(error)) => {
                let first_line = lines.position(&source, block.yaml.start).line;
                let line = first_line + error.line.saturating_sub(1);
                let start = lines.offset(&source, line, error.column).min(block.yaml.end.max(block.yaml.start));
                let end = lines.line_span(&source, line).end.max(start);
                let message = format!("invalid YAML in front matter: {}", error.message);
                return Item::unparsed(
                    path,
                    source,
                    message,
                    "fix the YAML syntax; quote values that contain `: `, `#`, `@` or start with a special character",
                    start..end,
                );
            }
            Err(FieldsError::NotAMapping(what)) => {
                let message = format!("front matter is {what}, not a mapping of fields");
                return Item::unparsed(
                    path,
                    source,
                    message,
                    "write the front matter as `key: value` lines",
                    block.open,
                );
            }
        };
        let body = Body::parse(&source, block.body_start);
        Item { path, source, lines, front_matter: Some(block.open), fields, body, problem: None, quoted_values }
    }

    fn unparsed(path: String, source: String, message: String, help: &str, span: Span) -> Item {
        Item {
            path,
            lines: LineIndex::new(&source),
            source,
            front_matter: None,
            fields: Vec::new(),
            body: Body::default(),
            problem: Some(Problem { message, help: help.to_owned(), span }),
            quoted_values: Vec::new(),
        }
    }

    /// The field stored under the front matter key `key`.
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The value of `key` when it is present and not blank.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.field(key).map(|f| &f.value).filter(|v| !v.is_blank())
    }

    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.source, offset)
    }

    /// Whether the file has no front matter at all (see [`is_without_front_matter`]).
    pub fn lacks_front_matter(&self) -> bool {
        self.problem.as_ref().is_some_and(|p| is_without_front_matter(&p.message))
    }

    /// Where to point when something is missing from the front matter: its opening line.
    pub fn front_matter_span(&self) -> Span {
        self.front_matter.clone().unwrap_or(0..0)
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("could not read file: {}", io_reason(&e)))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_SIZE {
        // In bytes: a rounded size in MiB could read as the limit itself.
        return Err(format!(
            "file is larger than the {} MiB limit for an item ({size} bytes)",
            MAX_FILE_SIZE / (1024 * 1024)
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("could not read file: {}", io_reason(&e)))?;
    Ok(bytes)
}

/// The reason of an I/O error without the "(os error 13)" suffix that means nothing to users.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// The value of the front matter field `status_key` and a hash of everything else in a version
/// of an item file, so that history can tell status moves from refinements.
pub fn status_and_rest(bytes: &[u8], status_key: &str) -> (Option<String>, u64) {
    let (status, _, rest) = status_size_and_rest(bytes, status_key, None);
    (status, rest)
}

/// [`status_and_rest`], and the value of the field `size_key` as written, if asked for.
pub fn status_size_and_rest(
    bytes: &[u8],
    status_key: &str,
    size_key: Option<&str>,
) -> (Option<String>, Option<String>, u64) {
    use std::hash::{Hash, Hasher};
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let block = front_matter::find_block(&text).ok();
    // Only compared between versions, so the value as written on its line is enough; a number
    // would send the string reader to the slow full parse for every stored version.
    let size = block.as_ref().zip(size_key).and_then(|(block, key)| written_value(&text[block.yaml.clone()], key));
    let status = block.and_then(|block| {
        let yaml = &text[block.yaml.clone()];
        let shift = |span: Span| span.start + block.yaml.start..span.end + block.yaml.start;
        // History calls this for every stored version of every item: most are plainly written,
        // and only the status is needed of them.
        match simple_yaml::string_field(yaml, status_key) {
            Some(found) => found.map(|(value, span)| (value.to_owned(), shift(span))),
            None => {
                let (fields, _) = front_matter::parse_fields_lenient(yaml, block.yaml.start).ok()?;
                fields.into_iter().find(|f| f.key == status_key).map(|f| (f.value.to_text(), f.value_span))
            }
        }
    });
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match &status {
        Some((_, span)) => {
            text[..span.start].hash(&mut hasher);
            text[span.end..].hash(&mut hasher);
        }
        None => text.hash(&mut hasher),
    }
    let value = status.map(|(value, _)| value).filter(|s| !s.trim().is_empty());
    (value, size.filter(|s| !s.trim().is_empty()), hasher.finish())
}

/// The value of top-level key `key` as written on its line: comment, quotes and white space
/// removed. Good enough to tell whether a scalar changed between versions.
fn written_value(yaml: &str, key: &str) -> Option<String> {
    yaml.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        let value = rest.split(" #").next().unwrap_or(rest).trim();
        Some(value.trim_matches(['"', '\'']).to_owned())
    })
}
