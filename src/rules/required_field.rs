use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::fix::{Edit, Fix, FixAvailability};
use crate::item::Item;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Canonical field names every item must have.
    pub fields: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { fields: vec!["id".into(), "title".into(), "status".into()] }
    }
}

#[doc = include_str!("../../rules/required-field.md")]
pub(crate) struct RequiredField;

impl Rule for RequiredField {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "required-field",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "every item needs an id, a title and a status",
        doc: include_str!("../../rules/required-field.md"),
    };
    const FIX: FixAvailability = FixAvailability::Sometimes;

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        for name in &options.fields {
            let key = cx.config.field(name);
            let id_fix = |edit: fn(&Item, &str, &str) -> Option<Edit>| {
                let id = (name == "id").then(|| id_from_file_name(item, cx)).flatten()?;
                let edit = edit(item, key, &id)?;
                Some(Fix::unsafe_edit(format!("take the id `{id}` from the file name"), vec![edit]))
            };
            match item.field(key) {
                None => out.push_with_fix(
                    item.front_matter_span(),
                    format!("missing required field `{key}`"),
                    format!("add `{key}: …` to the front matter"),
                    id_fix(insert_field),
                ),
                Some(field) if field.value.is_blank() => out.push_with_fix(
                    field.key_span.clone(),
                    format!("required field `{key}` is empty"),
                    format!("give `{key}` a value"),
                    id_fix(fill_field),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The id that the item's file name starts with (`PB-142-export.md`, `task-12 - Title.md`): a
/// word of letters, an optional `-`, `_` or `.`, and a number. It must look like the backlog's
/// other ids (same prefix; spelt as they spell it) and be used by no other item.
fn id_from_file_name(item: &Item, cx: &Context) -> Option<String> {
    let file_name = item.path.rsplit('/').next().unwrap_or(&item.path);
    let prefix_len = file_name.find(|c: char| !c.is_ascii_alphabetic())?;
    let (prefix, rest) = file_name.split_at(prefix_len);
    let separator = rest.chars().next().filter(|c| matches!(c, '-' | '_' | '.')).map_or(0, char::len_utf8);
    let digits = rest[separator..].find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len() - separator);
    let after = &rest[separator + digits..];
    let whole_word = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
    if prefix.is_empty() || digits == 0 || !whole_word {
        return None;
    }
    let prefixes = cx.backlog.derived(|| IdPrefixes::of(cx));
    let spelling = match prefixes.0.get(&prefix.to_lowercase()) {
        Some(spelling) => spelling.clone(),
        None if prefixes.0.is_empty() => prefix.to_owned(),
        None => return None,
    };
    let id = format!("{spelling}{}", &rest[..separator + digits]);
    cx.backlog.items_with_id(&id).next().is_none().then_some(id)
}

/// The letters that the backlog's ids start with, lowercased, each with the spelling of its first
/// use (`pb` → `PB`).
struct IdPrefixes(HashMap<String, String>);

impl IdPrefixes {
    fn of(cx: &Context) -> IdPrefixes {
        let mut prefixes = HashMap::new();
        for item in &cx.backlog.items {
            let Some(id) = cx.value(item, "id").map(|v| v.to_text()) else { continue };
            let id = id.trim();
            let end = id.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(id.len());
            if end > 0 && end < id.len() {
                prefixes.entry(id[..end].to_lowercase()).or_insert_with(|| id[..end].to_owned());
            }
        }
        IdPrefixes(prefixes)
    }
}

/// Add `key: id` as the first line of the front matter.
fn insert_field(item: &Item, key: &str, id: &str) -> Option<Edit> {
    let open = item.front_matter.as_ref()?;
    let line_end = item.source[open.end..].find('\n')? + open.end + 1;
    Some(Edit::insert(line_end, format!("{key}: {id}\n")))
}

/// Give the blank `key` the value `id`.
fn fill_field(item: &Item, key: &str, id: &str) -> Option<Edit> {
    let field = item.field(key)?;
    let span = field.value_span.clone();
    let raw = item.source.get(span.clone())?;
    // `id:` has no value text to replace (its value span is the key's); `id: ""` and `id: ~` do.
    if span == field.key_span || raw.trim().is_empty() {
        let line_end =
            item.source[field.key_span.end..].find(['\r', '\n']).map_or(item.source.len(), |i| field.key_span.end + i);
        return Some(Edit::replace(field.key_span.end..line_end, format!(": {id}")));
    }
    Some(Edit::replace(span, id.to_owned()))
}
