use super::helpers::{is_no_reference, is_one_of, listed_values, suggest_id, unreadable_help, unreadable_message};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::backlog::normalize_id;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The types a parent may have; empty: any existing item.
    pub parent_types: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { parent_types: vec!["epic".into()] }
    }
}

#[doc = include_str!("../../rules/parent-not-epic.md")]
pub(crate) struct ParentNotEpic;

impl Rule for ParentNotEpic {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "parent-not-epic",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "an item's parent must be an existing epic",
        doc: include_str!("../../rules/parent-not-epic.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let key = cx.config.field("parent");
        let Some(field) = item.field(key) else { return };
        let own_id = cx.value(item, "id").map(|id| normalize_id(&id.to_text()));
        let allowed = allowed_types(&options.parent_types);
        for parent in listed_values(field) {
            let id = &parent.text;
            if is_no_reference(id) {
                continue;
            }
            let parents: Vec<&Item> = cx.backlog.items_with_id(id).collect();
            let Some(first) = parents.first() else {
                if let Some(file) = cx.backlog.unreadable_item_named(id, cx.config.field("id")) {
                    out.push(parent.span, unreadable_message(id, file), unreadable_help(file));
                    continue;
                }
                let help = match suggest_id(cx, id) {
                    Some(suggestion) => {
                        format!("{} Otherwise point `{key}` at an existing {allowed}", suggestion.question())
                    }
                    None => format!("point `{key}` at an existing {allowed}, or remove it"),
                };
                out.push(parent.span, format!("parent `{id}` does not exist"), help);
                continue;
            };
            if own_id.as_deref() == Some(normalize_id(id).as_str()) {
                out.push(
                    parent.span,
                    format!("`{id}` is its own parent"),
                    format!("point `{key}` at the {allowed} that groups this item"),
                );
                continue;
            }
            if options.parent_types.is_empty()
                || parents.iter().any(|p| cx.item_type(p).is_some_and(|t| is_one_of(&t, &options.parent_types)))
            {
                continue;
            }
            let wanted = with_article(&allowed);
            let message = match cx.value(first, "type") {
                Some(t) => format!("parent `{id}` is {}, not {wanted}", with_article(t.to_text().trim())),
                None => format!("parent `{id}` has no type, so it is not {wanted}"),
            };
            out.push(
                parent.span,
                message,
                format!(
                    "point `{key}` at the {allowed} that groups this item, or make `{id}` {wanted} if it groups other items"
                ),
            );
        }
    }
}

/// `epic`, `epic or initiative`, `epic, initiative or theme`.
fn allowed_types(types: &[String]) -> String {
    match types {
        [] => "item".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// `an epic`, `a story`.
fn with_article(noun: &str) -> String {
    let vowel = noun.chars().next().is_some_and(|c| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}
