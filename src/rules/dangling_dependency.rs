use super::helpers::{
    is_no_reference, items_with_number, listed_values, suggest_id, unreadable_help, unreadable_message,
};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// A bare number (`7`, `100.13`) names the item with that number after its prefix.
    pub bare_numbers: bool,
}

#[doc = include_str!("../../rules/dangling-dependency.md")]
pub(crate) struct DanglingDependency;

impl Rule for DanglingDependency {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "dangling-dependency",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "every dependency must name an item of the backlog",
        doc: include_str!("../../rules/dangling-dependency.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(field) = item.field(cx.config.field("depends_on")) else { return };
        for dependency in listed_values(field) {
            if is_no_reference(&dependency.text) || cx.backlog.items_with_id(&dependency.text).next().is_some() {
                continue;
            }
            if options.bare_numbers && !items_with_number(cx, &dependency.text).is_empty() {
                continue;
            }
            if let Some(file) = cx.backlog.unreadable_item_named(&dependency.text, cx.config.field("id")) {
                out.push(dependency.span, unreadable_message(&dependency.text, file), unreadable_help(file));
                continue;
            }
            let help = match suggest_id(cx, &dependency.text) {
                Some(suggestion) => format!("{} Otherwise remove the dependency", suggestion.question()),
                None if dependency.text.contains(',') => {
                    let ids: Vec<&str> = dependency.text.split(',').map(str::trim).collect();
                    format!("write several dependencies as a list: `{}: [{}]`", field.key, ids.join(", "))
                }
                None => "fix the id, or remove the dependency if that item was deleted or merged".to_owned(),
            };
            out.push(dependency.span, format!("no item has the id `{}`", dependency.text), help);
        }
    }
}
