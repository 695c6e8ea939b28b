//! Logic shared by several rules.

use super::Context;
use crate::backlog::{normalize_id, Backlog};
use crate::config::Config;
use crate::item::body::Task;
use crate::item::front_matter::Field;
use crate::item::front_matter::Value;
use crate::item::span::Span;
use crate::item::Item;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Options of a rule that has none besides `severity`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// Text that stands in for content not written yet.
pub fn default_placeholders() -> Vec<String> {
    ["TBD", "TBA", "TODO", "FIXME", "...", "…", "?", "n/a", "-", "later"].into_iter().map(str::to_owned).collect()
}

/// Whether a section's text is empty or only a placeholder such as `TBD`.
pub fn is_placeholder(text: &str, placeholders: &[String]) -> bool {
    let text = text.trim().trim_end_matches(['.', '!', ':']).trim();
    text.is_empty() || placeholders.iter().any(|p| p.eq_ignore_ascii_case(text))
}

/// The points of a `size` value: a positive number, a numeric string, or a configured t-shirt size.
pub fn size_points(value: &Value, config: &Config) -> Option<f64> {
    let points = match value {
        Value::Number(n) => *n,
        Value::String(s) => s.trim().parse::<f64>().ok().or_else(|| config.size_points(s))?,
        _ => return None,
    };
    (points.is_finite() && points > 0.0).then_some(points)
}

/// The task-list items of the sections named by the canonical section `name` (all aliases).
pub fn tasks_in_section<'i>(item: &'i Item, cx: &Context, name: &str) -> Vec<&'i Task> {
    let names = cx.config.section_names(name);
    let sections: Vec<usize> = item
        .body
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| names.iter().any(|n| n.to_lowercase() == s.title.to_lowercase()))
        .map(|(i, _)| i)
        .collect();
    item.body.tasks.iter().filter(|t| t.section.is_some_and(|s| sections.contains(&s))).collect()
}

/// The span to point at for a finding about a field: its value, else the front matter.
pub fn value_span_or_front_matter(item: &Item, key: &str) -> Span {
    item.field(key).map_or_else(|| item.front_matter_span(), |f| f.value_span.clone())
}

/// A number as people write it: `8`, not `8.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether `value` names one of `allowed` (case-insensitive), for `type`, `risk` and the like.
pub fn is_one_of(value: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| a.eq_ignore_ascii_case(value.trim()))
}

/// The one value of `allowed` that `value` spells with other case or separators (`In Progress`
/// for `in-progress`, `ready_for_dev` for `Ready for dev`), when exactly one does.
pub fn respelled<'a>(value: &str, allowed: &'a [String]) -> Option<&'a str> {
    let key = |text: &str| -> String {
        text.chars().filter(|c| !matches!(c, ' ' | '-' | '_' | '\t')).flat_map(char::to_lowercase).collect()
    };
    let wanted = key(value);
    if wanted.is_empty() {
        return None;
    }
    let mut matches = allowed.iter().filter(|a| key(a) == wanted);
    let found = matches.next()?;
    matches.next().is_none().then_some(found.as_str())
}

/// `value` written as a YAML scalar in the style of `raw`, the text it replaces: in the same
/// quotes, or plain when it needs none (else single-quoted).
pub fn yaml_scalar_like(raw: &str, value: &str) -> String {
    let single = || format!("'{}'", value.replace('\'', "''"));
    if raw.starts_with('"') {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else if raw.starts_with('\'') {
        single()
    } else {
        let plain = value.chars().next().is_some_and(|c| c.is_alphanumeric())
            && value.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'))
            && !value.ends_with(' ')
            && value.parse::<f64>().is_err()
            && !matches!(value.to_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off");
        if plain {
            value.to_owned()
        } else {
            single()
        }
    }
}

/// Whether a readiness rule checks `item`: it is at or after the ready status, not finished (unless
/// `include_final`), and its type is not one of `exempt_types`.
pub fn ready_and_not_exempt(item: &Item, cx: &Context, exempt_types: &[String], include_final: bool) -> bool {
    cx.is_ready(item)
        && !left_alone_as_finished(item, cx, include_final)
        && !cx.item_type(item).is_some_and(|t| is_one_of(&t, exempt_types))
}

/// Whether the item's status is one of the final statuses.
pub fn is_final(item: &Item, cx: &Context) -> bool {
    cx.value(item, "status").is_some_and(|status| cx.config.is_final_status(&status.to_text()))
}

/// Whether a rule that judges readiness leaves `item` alone because it is finished: a done item is
/// history, which a team does not rewrite. The rule's `include_final` option turns this off.
pub fn left_alone_as_finished(item: &Item, cx: &Context, include_final: bool) -> bool {
    !include_final && is_final(item, cx)
}

/// How a message names an item that readiness rules check: `ready item` at the ready status,
/// ``item at or after `ready` `` once it has moved on (an item in progress is not "ready").
pub fn ready_subject(item: &Item, cx: &Context) -> String {
    if past_ready(item, cx) {
        format!("item at or after `{}`", cx.config.ready_status)
    } else {
        "ready item".to_owned()
    }
}

/// Whether the item's status comes after the ready status.
pub fn past_ready(item: &Item, cx: &Context) -> bool {
    cx.status_rank(item).is_some_and(|rank| rank > cx.config.ready_rank())
}

/// The highest configured level (`high` by default), which risk rules look for.
pub fn highest_level(config: &Config) -> &str {
    config.levels.last().map_or("high", String::as_str)
}

/// A value that a field lists, such as an id in `depends_on` or a name in `owner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The value as text, without surrounding white space.
    pub text: String,
    /// The list element, or the whole value when it is a single value or elements can't be located.
    pub span: Span,
}

/// The values a field lists: each element of a list, or its single value. Blank values, nested
/// lists and maps are skipped.
pub fn listed_values(field: &Field) -> Vec<Listed> {
    let text = |value: &Value| match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) if !value.is_blank() => {
            Some(value.to_text().trim().to_owned())
        }
        _ => None,
    };
    match &field.value {
        Value::List(values) => {
            let located = field.element_spans.len() == values.len();
            values
                .iter()
                .enumerate()
                .filter_map(|(i, value)| {
                    let span = if located { field.element_spans[i].clone() } else { field.value_span.clone() };
                    Some(Listed { text: text(value)?, span })
                })
                .collect()
        }
        value => text(value).map(|text| Listed { text, span: field.value_span.clone() }).into_iter().collect(),
    }
}

/// Whether a reference field's value says "no item" in words (`parent: none`, `depends_on: n/a`)
/// rather than naming one; YAML's own `null` and `~` are blank already.
pub fn is_no_reference(text: &str) -> bool {
    ["none", "n/a", "-"].iter().any(|word| word.eq_ignore_ascii_case(text.trim()))
}

/// The position of `item` in `backlog.items` (which are sorted by path).
pub fn index_of(backlog: &Backlog, item: &Item) -> Option<usize> {
    backlog.items.binary_search_by(|other| other.path.as_str().cmp(&item.path)).ok()
}

/// How messages name an item: its id as written, else its path.
pub fn item_name(item: &Item, config: &Config) -> String {
    item.value(config.field("id")).map_or_else(|| item.path.clone(), |id| id.to_text().trim().to_owned())
}

/// Ids in natural order, ignoring case and leading zeros: `PB-9` comes before `pb-10`.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    let (a, b) = (normalize_id(a), normalize_id(b));
    let (mut a, mut b) = (digit_runs(&a), digit_runs(&b));
    loop {
        let order = match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y))
                if x.starts_with(|c: char| c.is_ascii_digit()) && y.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (Some(x), Some(y)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

/// `text` split into runs of ASCII digits and runs of everything else.
fn digit_runs(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let digits = first.is_ascii_digit();
        let end = rest.find(|c: char| c.is_ascii_digit() != digits).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some(run)
    })
}

/// Names for a message: `A`, `A and B`, `A, B and C`, or the first `max` and how many more.
pub fn name_list(names: &[String], max: usize) -> String {
    let max = max.max(1);
    match names {
        [] => String::new(),
        [one] => one.clone(),
        _ if names.len() > max => format!("{} and {} more", names[..max].join(", "), names.len() - max),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Existing ids close to one that names no item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdSuggestion {
    /// As written in the items, in natural order; at most three.
    pub ids: Vec<String>,
    /// Whether they differ from the unknown id only in the prefix before the number.
    pub prefix_only: bool,
}

impl IdSuggestion {
    /// `` did you mean `PB-120` (only the prefix differs)? ``, to start a `help` text with.
    pub fn question(&self) -> String {
        let ids: Vec<String> = self.ids.iter().map(|id| format!("`{id}`")).collect();
        let ids = match ids.as_slice() {
            [init @ .., last] if !init.is_empty() => format!("{} or {last}", init.join(", ")),
            _ => ids.join(""),
        };
        let note = if self.prefix_only { " (only the prefix differs)" } else { "" };
        format!("did you mean {ids}{note}?")
    }
}

/// Ids of existing items close to `id`, which names none: ids with the same number and another
/// prefix (`PB-120` for `BL-120` or `120`), else ids one typo away (`PB-12` for `PB-21` or `PB-102`).
/// Looks up a few hundred variants of `id` rather than comparing it with every id.
pub fn suggest_id(cx: &Context, id: &str) -> Option<IdSuggestion> {
    const MAX: usize = 3;
    let index = cx.backlog.derived(|| IdIndex::new(cx));
    let wanted = normalize_id(id);
    let name = |normalized: &str| cx.backlog.items_with_id(normalized).next().map(|item| item_name(item, cx.config));
    let finish = |mut ids: Vec<String>, prefix_only| {
        ids.sort_by(|a, b| compare_ids(a, b));
        ids.dedup();
        ids.truncate(MAX);
        (!ids.is_empty()).then_some(IdSuggestion { ids, prefix_only })
    };
    let same_number: Vec<String> = number_part(&wanted)
        .and_then(|number| index.by_number.get(number))
        .into_iter()
        .flatten()
        .filter(|other| **other != wanted)
        .filter_map(|other| name(other))
        .collect();
    if let Some(found) = finish(same_number, true) {
        return Some(found);
    }
    let chars: Vec<char> = wanted.chars().collect();
    if chars.len() > 64 {
        return None;
    }
    let mut variants: Vec<String> = Vec::new();
    let build = |parts: &[&[char]]| parts.iter().flat_map(|p| p.iter()).collect::<String>();
    for i in 0..chars.len() {
        variants.push(build(&[&chars[..i], &chars[i + 1..]]));
        if i + 1 < chars.len() {
            variants.push(build(&[&chars[..i], &[chars[i + 1], chars[i]], &chars[i + 2..]]));
        }
        for &c in &index.alphabet {
            if c != chars[i] {
                variants.push(build(&[&chars[..i], &[c], &chars[i + 1..]]));
            }
        }
    }
    for i in 0..=chars.len() {
        for &c in &index.alphabet {
            variants.push(build(&[&chars[..i], &[c], &chars[i..]]));
        }
    }
    let close: Vec<String> =
        variants.iter().filter(|v| **v != wanted && normalize_id(v) == **v).filter_map(|v| name(v)).collect();
    finish(close, false)
}

/// The message for a reference to `id` that names `file`, a file that could not be read as an
/// item (see [`crate::backlog::Backlog::unreadable_item_named`]): saying "no item has the id"
/// would send the reader looking for a typo that is not there.
pub fn unreadable_message(id: &str, file: &Item) -> String {
    format!("`{id}` is {}, which could not be read as an item", file.path)
}

/// The help for [`unreadable_message`]: fix the file, for the reason its `parse-error` gives.
pub fn unreadable_help(file: &Item) -> String {
    match &file.problem {
        Some(problem) => format!("fix that file first ({}); the reference resolves once it is read", problem.message),
        None => "fix that file first; the reference resolves once it is read".to_owned(),
    }
}

/// The items whose id is `number` after a prefix (`task-100.13` for `100.13`, leading zeros
/// ignored), when `number` is a bare, possibly dotted, number; Backlog.md reads a dependency
/// written that way as the task with that number.
pub fn items_with_number<'c>(cx: &Context<'c>, number: &str) -> Vec<&'c Item> {
    let number = normalize_id(number);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Vec::new();
    }
    let index = cx.backlog.derived(|| IdIndex::new(cx));
    let ids = index.by_number.get(&number).map_or(&[][..], Vec::as_slice);
    ids.iter().flat_map(|id| cx.backlog.items_with_id(id)).collect()
}

/// What [`suggest_id`] looks ids up in, built once per run.
struct IdIndex {
    /// The number part of each normalized id (`120` of `pb-120`) and the normalized ids with it.
    by_number: HashMap<String, Vec<String>>,
    /// Every character that occurs in a normalized id, to build one-typo variants from.
    alphabet: Vec<char>,
}

impl IdIndex {
    fn new(cx: &Context) -> IdIndex {
        let mut by_number: HashMap<String, Vec<String>> = HashMap::new();
        let mut alphabet = std::collections::BTreeSet::new();
        for item in &cx.backlog.items {
            let Some(id) = item.value(cx.config.field("id")) else { continue };
            let id = normalize_id(&id.to_text());
            alphabet.extend(id.chars());
            if let Some(number) = number_part(&id) {
                by_number.entry(number.to_owned()).or_default().push(id.clone());
            }
        }
        IdIndex { by_number, alphabet: alphabet.into_iter().collect() }
    }
}

/// The part of an id from its first digit on: `120` of `pb-120`, `24.2` of `back-24.2`.
fn number_part(id: &str) -> Option<&str> {
    id.find(|c: char| c.is_ascii_digit()).map(|at| &id[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_as_empty() {
        let p = default_placeholders();
        assert!(is_placeholder("  TBD. ", &p));
        assert!(is_placeholder("", &p));
        assert!(!is_placeholder("We believe finance closes sooner", &p));
    }

    #[test]
    fn numbers_print_like_people_write_them() {
        assert_eq!(format_number(8.0), "8");
        assert_eq!(format_number(2.5), "2.5");
    }

    #[test]
    fn ids_sort_naturally() {
        let mut ids = vec!["PB-10", "pb-9", "PB-100", "BL-2", "PB-009.1"];
        ids.sort_by(|a, b| compare_ids(a, b));
        assert_eq!(ids, ["BL-2", "pb-9", "PB-009.1", "PB-10", "PB-100"]);
        assert_eq!(compare_ids("PB-007", "pb-7"), Ordering::Equal);
    }

    #[test]
    fn names_are_listed_like_prose() {
        let names = |n: usize| (1..=n).map(|i| format!("PB-{i}")).collect::<Vec<_>>();
        assert_eq!(name_list(&names(1), 5), "PB-1");
        assert_eq!(name_list(&names(3), 5), "PB-1, PB-2 and PB-3");
        assert_eq!(name_list(&names(7), 5), "PB-1, PB-2, PB-3, PB-4, PB-5 and 2 more");
    }

    #[test]
    fn respelled_finds_the_one_value_with_other_case_or_separators() {
        let allowed: Vec<String> = ["idea", "in-progress", "ready for dev"].map(String::from).to_vec();
        assert_eq!(respelled("In Progress", &allowed), Some("in-progress"));
        assert_eq!(respelled("in_progress", &allowed), Some("in-progress"));
        assert_eq!(respelled("Ready-for-Dev", &allowed), Some("ready for dev"));
        assert_eq!(respelled("redy", &allowed), None);
        assert_eq!(respelled(" - ", &allowed), None);
        let ambiguous: Vec<String> = ["in-progress", "in progress"].map(String::from).to_vec();
        assert_eq!(respelled("In_Progress", &ambiguous), None);
    }

    #[test]
    fn yaml_scalar_like_keeps_the_quoting_style() {
        assert_eq!(yaml_scalar_like("In Progress", "in-progress"), "in-progress");
        assert_eq!(yaml_scalar_like("\"In Progress\"", "in-progress"), "\"in-progress\"");
        assert_eq!(yaml_scalar_like("'In Progress'", "it's"), "'it''s'");
        assert_eq!(yaml_scalar_like("x", "a: b"), "'a: b'");
        assert_eq!(yaml_scalar_like("x", "@dana"), "'@dana'");
        assert_eq!(yaml_scalar_like("x", "3"), "'3'");
        assert_eq!(yaml_scalar_like("x", "No"), "'No'");
    }

    #[test]
    fn listed_values_take_lists_and_single_values() {
        let field = |value: Value, element_spans: Vec<Span>| Field {
            key: "depends_on".into(),
            key_span: 0..10,
            value_span: 12..24,
            element_spans,
            value,
        };
        let list = Value::List(vec![Value::String("PB-1".into()), Value::Null, Value::Number(12.0)]);
        let found = listed_values(&field(list.clone(), vec![13..17, 19..19, 21..23]));
        assert_eq!(found, [Listed { text: "PB-1".into(), span: 13..17 }, Listed { text: "12".into(), span: 21..23 }]);
        let unlocated = listed_values(&field(list, Vec::new()));
        assert!(unlocated.iter().all(|l| l.span == (12..24)));
        assert_eq!(listed_values(&field(Value::String(" PB-3 ".into()), Vec::new()))[0].text, "PB-3");
    }
}
