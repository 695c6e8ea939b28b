//! Front matter that is plainly written, read without a YAML parser.
//!
//! Loading a backlog parses the front matter of every item, and history reads the status of
//! every stored version of every item: tens of thousands of small YAML documents, for which a
//! full YAML parser is most of the cost. Almost all front matter is a flat list of `key: word`
//! lines and simple lists, whose meaning is obvious from the text. This reader answers only when
//! the whole block has such a simple shape that it is certainly valid YAML and every value is
//! certainly what it looks like; anything else returns `None` and the caller parses the YAML.
//! Tests check that wherever this reader answers, the YAML parser agrees.

use super::front_matter::{lines_with_offsets, Value};
use super::span::Span;

/// One top-level `key: value` entry, as written.
struct Entry<'a> {
    key: &'a str,
    value: Written<'a>,
}

/// A value as written; scalars are trimmed and still quoted.
enum Written<'a> {
    /// `key:` with nothing after it and no list below.
    Empty,
    /// On the key's line, at `span` in the block.
    Scalar(&'a str, Span),
    /// `[a, b]` on the key's line.
    FlowList(Vec<&'a str>),
    /// `- a` lines below the key.
    BlockList(Vec<&'a str>),
}

/// The top-level entries of the YAML text of a front matter block, or `None` when it is not
/// simple enough to be sure of its meaning without a YAML parser.
fn entries(yaml: &str) -> Option<Vec<Entry<'_>>> {
    let mut entries: Vec<Entry> = Vec::new();
    // The indentation of the current block list's items, once its first item is seen.
    let mut list_indent: Option<usize> = None;
    for (start, line) in lines_with_offsets(yaml) {
        // Before trimming: a tab on a blank line is an error to the YAML parser.
        if line.contains(['#', '\t']) {
            return None;
        }
        let line = line.trim_end();
        let content = line.trim_start();
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if let Some(Entry { value: value @ (Written::Empty | Written::BlockList(_)), .. }) = entries.last_mut() {
            if let Some(item) = content.strip_prefix("- ") {
                let item = item.trim_start();
                if *list_indent.get_or_insert(indent) != indent || !simple_scalar(item) {
                    return None;
                }
                match value {
                    Written::BlockList(items) => items.push(item),
                    _ => *value = Written::BlockList(vec![item]),
                }
                continue;
            }
        }
        if indent > 0 {
            return None;
        }
        list_indent = None;
        let (key, rest) = content.split_once(':')?;
        if !simple_key(key) || entries.iter().any(|e| e.key == key) {
            return None;
        }
        let text = rest.trim();
        let value = if text.is_empty() {
            if !rest.is_empty() && !rest.starts_with(' ') {
                return None;
            }
            Written::Empty
        } else if !rest.starts_with(' ') {
            return None;
        } else if let Some(items) = flow_list(text) {
            Written::FlowList(items)
        } else if simple_scalar(text) {
            let at = start + (line.len() - rest.trim_start().len());
            Written::Scalar(text, at..at + text.len())
        } else {
            return None;
        };
        entries.push(Entry { key, value });
    }
    Some(entries)
}

/// The entries typed the way YAML reads them, or `None` if any value's type is in doubt.
pub fn parse(yaml: &str) -> Option<Vec<(String, Value)>> {
    entries(yaml)?
        .into_iter()
        .map(|entry| {
            let value = match entry.value {
                Written::Empty => Value::Null,
                Written::Scalar(text, _) => typed(text)?,
                Written::FlowList(items) | Written::BlockList(items) => {
                    Value::List(items.into_iter().map(typed).collect::<Option<_>>()?)
                }
            };
            Some((entry.key.to_owned(), value))
        })
        .collect()
}

/// The string value of field `key` and where it is written in the block, without building
/// the other values: `Some(None)` when the block is simple and has no such key, `None` when the
/// reader is unsure (the block is not simple, or the value is not a string as written).
pub fn string_field<'a>(yaml: &'a str, key: &str) -> Option<Option<(&'a str, Span)>> {
    match entries(yaml)?.into_iter().find(|e| e.key == key) {
        None => Some(None),
        Some(Entry { value: Written::Scalar(text, span), .. }) => string(text).map(|s| Some((s, span))),
        Some(_) => None,
    }
}

/// A string: the text of a quoted scalar, or a plain one that YAML reads as a string.
fn string(text: &str) -> Option<&str> {
    if let Some(inner) = quoted(text) {
        return Some(inner);
    }
    let word = text.starts_with(|c: char| c.is_ascii_alphabetic()) && !reserved_word(text);
    (word || is_date(text)).then_some(text)
}

/// A scalar typed like YAML's core schema: strings and plain decimal integers; `None` for
/// anything else (floats, booleans, nulls, octal, …).
fn typed(text: &str) -> Option<Value> {
    if let Some(text) = string(text) {
        return Some(Value::String(text.to_owned()));
    }
    let integer =
        text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    integer.then(|| text.parse().ok().map(Value::Number)).flatten()
}

/// A plain key: letters, digits, `_` and `-`, starting with a letter, and not a YAML keyword.
fn simple_key(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !reserved_word(name)
}

/// Words YAML (1.1 or 1.2) or float parsing may read as something other than a string.
fn reserved_word(word: &str) -> bool {
    const WORDS: [&str; 12] = ["true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf", "infinity"];
    WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// `2026-01-05`: a string to YAML 1.2, which has no timestamp type.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// A one-line scalar that is certainly valid: a quoted string without escapes, or plain text
/// starting with a letter or digit that holds no `: ` (which would open a mapping).
fn simple_scalar(value: &str) -> bool {
    quoted(value).is_some()
        || value.starts_with(|c: char| c.is_ascii_alphanumeric()) && !value.contains(": ") && !value.ends_with(':')
}

/// The inside of a `"…"` or `'…'` scalar without escapes or embedded quotes.
fn quoted(value: &str) -> Option<&str> {
    let inner = match value.as_bytes().first() {
        Some(b'"') => value.strip_prefix('"')?.strip_suffix('"').filter(|v| !v.contains(['"', '\\']))?,
        Some(b'\'') => value.strip_prefix('\'')?.strip_suffix('\'').filter(|v| !v.contains('\''))?,
        _ => return None,
    };
    Some(inner)
}

/// The items of a one-line flow list of plain words, such as `[PB-1, PB-2]` or `[]`.
fn flow_list(value: &str) -> Option<Vec<&str>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let items: Vec<&str> = inner.split(',').map(str::trim).collect();
    let plain = |item: &&str| {
        item.starts_with(|c: char| c.is_ascii_alphanumeric())
            && item.bytes().all(|b| b.is_ascii_alphanumeric() || b" _-./".contains(&b))
    };
    items.iter().all(plain).then_some(items)
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::item::front_matter::{find_block, yaml_entries};

    /// Wherever the reader answers, the YAML parser reads the same keys and values.
    fn agrees(yaml: &str) -> Option<Vec<(String, Value)>> {
        let parsed = parse(yaml)?;
        assert_eq!(Ok(&parsed), yaml_entries(yaml, yaml).as_ref(), "{yaml:?}");
        Some(parsed)
    }

    /// Where the reader finds a string field, the parser finds the same value at the same place.
    fn field_agrees(yaml: &str, key: &str) {
        let Some(found) = string_field(yaml, key) else { return };
        let fields = crate::item::front_matter::parse_fields(yaml, 0).expect("simple YAML parses");
        let field = fields.into_iter().find(|f| f.key == key).map(|f| (f.value, f.value_span));
        assert_eq!(found.map(|(value, span)| (Value::String(value.to_owned()), span)), field, "{yaml:?}");
    }

    const SIMPLE: [&str; 10] = [
        "id: PB-1\ntitle: Export invoices as CSV\nstatus: ready\nsize: 3\n",
        "id: PB-1\r\nstatus: in-progress\r\ntags: [billing, csv]\r\n",
        "status: \"ready\"\ncreated: 2026-01-05\n",
        "status: 'in progress'\nvalue: high\nsize: 0\n",
        "title: A [draft] of it\nstatus: done\ndepends_on:\n  - PB-2\n  - PB-3\n",
        "depends_on:\n- PB-2\nstatus: ready\nowner:\n",
        "id: PB-1\n\nowner: dana\n",
        "tags: []\nstatus: Done\nestimate: 13\nsprints: [1, 2]\n",
        "status:   ready   \ntitle: \"Fix: the login\"\n",
        "",
    ];

    #[test]
    fn simple_blocks_are_read() {
        for yaml in SIMPLE {
            assert!(agrees(yaml).is_some(), "fell back on {yaml:?}");
            field_agrees(yaml, "status");
            field_agrees(yaml, "title");
        }
        let parsed = parse("size: 5\ntags: [a, b]\nowner:\n").expect("simple");
        assert_eq!(
            parsed,
            vec![
                ("size".to_owned(), Value::Number(5.0)),
                ("tags".to_owned(), Value::List(vec![Value::String("a".into()), Value::String("b".into())])),
                ("owner".to_owned(), Value::Null),
            ]
        );
    }

    #[test]
    fn fixtures_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut read = 0;
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            let Ok(block) = find_block(&text) else { continue };
            let yaml = &text[block.yaml];
            read += usize::from(agrees(yaml).is_some());
            field_agrees(yaml, "status");
        }
        assert!(read > 100, "only {read} fixture items were simple enough to read");
    }

    #[test]
    fn anything_unusual_falls_back() {
        let cases = [
            // Not a string or an integer as written.
            "status: true\n",
            "status: NULL\n",
            "status: yes\n",
            "status: nan\n",
            "size: 5.0\n",
            "size: 007\n",
            "size: 1e3\n",
            "size: 3 points\n",
            "status: ~\n",
            "status: ready\n  continued\n",
            "status: \"a\\tb\"\n",
            // Comments, tabs, anchors, odd keys and odd values.
            "status: ready # for now\n",
            "status:\tready\n",
            "title:\n  \t \n",
            "id: A\n\t\nstatus: ready\n",
            "status: &s ready\n",
            "\"status\": ready\n",
            "True: x\nstatus: ready\n",
            "title: Fix: it\nstatus: ready\n",
            "title: @dana\nstatus: ready\n",
            "tags: [a, [b]]\nstatus: ready\n",
            "notes: |\n  status: draft\nstatus: ready\n",
            "parent:\n  id: PB-1\n",
            // Invalid YAML the reader must not wave through.
            "status: ready\nstatus: done\n",
            "tags:\n  - a\n - b\nstatus: ready\n",
            " id: PB-1\nstatus: ready\n",
            "owner:dana\nstatus: ready\n",
            "id: PB-1\n- stray\n",
        ];
        for yaml in cases {
            assert_eq!(parse(yaml), None, "{yaml:?}");
        }
    }

    /// Generated blocks close to the simple shape: wherever the reader answers, it agrees with
    /// the YAML parser. `PROPTEST_CASES` sets the number of cases (256 by default here).
    mod agreement {
        use super::{agrees, field_agrees};
        use proptest::prelude::*;

        /// Scalars as written: words, YAML keywords in any case, numbers of every shape, dates,
        /// quoted strings with and without escapes, and the characters that change meaning.
        fn scalar() -> impl Strategy<Value = String> {
            prop_oneof![
                8 => "[a-zA-Z][a-zA-Z0-9 ._/-]{0,12}",
                2 => prop::sample::select(vec![
                    "true", "False", "NULL", "Yes", "no", "ON", "off", "y", "N", "nan", "NaN", ".inf", "-.Inf",
                    "inf", "Infinity", "~", "0", "00", "007", "0x1F", "0o17", "1_000", "+5", "-5", "5.0", "1e3",
                    "123456789012345", "1234567890123456", "2026-01-05", "2026-1-5", "2026-01-05T10:00:00Z",
                    "12:30", "1:2:3", "\"a\"", "'a'", "\"a\\tb\"", "'it''s'", "\"\"", "''", "\"a: b\"",
                    "'#x'", "a #b", "a#b", "a: b", "a:", ":a", "- a", "@a", "`a", "&a a", "*a", "!a a", "|",
                    ">", "%a", "[a]", "{a: 1}", "a, b", "é", "Ünïcode", "a\tb", "a ", "?a", "? a",
                ])
                .prop_map(str::to_owned),
                1 => "[0-9]{1,17}",
                1 => "[a-z0-9]{0,3}[ :#'\"\\\\\t,\\[\\]{}&*!|>%@`-]{1,3}[a-z0-9]{0,3}",
            ]
        }

        fn key() -> impl Strategy<Value = String> {
            prop_oneof![
                12 => prop::sample::select(vec!["id", "status", "title", "size", "tags", "owner", "depends_on", "x-y", "a_b"])
                    .prop_map(str::to_owned),
                1 => prop::sample::select(vec!["True", "null", "No", "é", "\"q\"", "a b", "1a", "-a", "?", "a:b"])
                    .prop_map(str::to_owned),
            ]
        }

        /// One entry: `key: scalar`, a flow list, a block list (with odd indents), or empty.
        fn entry() -> impl Strategy<Value = String> {
            let sep =
                prop_oneof![12 => Just(": "), 1 => Just(":"), 1 => Just(":  "), 1 => Just(" : "), 1 => Just(":\t")];
            let items = || prop::collection::vec(scalar(), 0..4);
            let indent = prop::sample::select(vec!["", " ", "  ", "   ", "\t"]);
            prop_oneof![
                4 => (key(), sep, scalar()).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
                2 => (key(), items()).prop_map(|(k, items)| format!("{k}: [{}]", items.join(", "))),
                2 => (key(), items(), indent, prop::bool::ANY).prop_map(|(k, items, indent, odd)| {
                    let mut text = format!("{k}:");
                    for (i, item) in items.iter().enumerate() {
                        let indent = if odd && i == 1 { " " } else { indent };
                        text.push_str(&format!("\n{indent}- {item}"));
                    }
                    text
                }),
                1 => key().prop_map(|k| format!("{k}:")),
                1 => scalar().prop_map(|v| format!("  {v}")),
            ]
        }

        fn block() -> impl Strategy<Value = String> {
            let eol = prop_oneof![4 => Just("\n"), 1 => Just("\r\n"), 1 => Just(" \n")];
            prop::collection::vec((entry(), eol), 0..8)
                .prop_map(|lines| lines.into_iter().map(|(line, eol)| format!("{line}{eol}")).collect())
        }

        fn runner() -> ProptestConfig {
            let mut config = ProptestConfig {
                failure_persistence: Some(Box::new(proptest::test_runner::FileFailurePersistence::WithSource(
                    "regressions",
                ))),
                ..ProptestConfig::default()
            };
            if std::env::var_os("PROPTEST_CASES").is_none() {
                config.cases = 256;
            }
            config
        }

        /// The generator is worth running: many of its blocks take the fast path.
        #[test]
        fn generated_blocks_reach_the_fast_path() {
            use proptest::strategy::ValueTree;
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let strategy = block();
            let read = (0..400)
                .filter_map(|_| strategy.new_tree(&mut runner).ok())
                .filter(|tree| super::parse(&tree.current()).is_some())
                .count();
            assert!(read > 80, "only {read} of 400 generated blocks took the fast path");
        }

        proptest! {
            #![proptest_config(runner())]

            #[test]
            fn fast_path_agrees_with_the_yaml_parser(yaml in block()) {
                agrees(&yaml);
                field_agrees(&yaml, "status");
                field_agrees(&yaml, "title");
            }
        }
    }
}
