use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

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

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        for name in &options.fields {
            let key = cx.config.field(name);
            match item.field(key) {
                None => out.push(
                    item.front_matter_span(),
                    format!("missing required field `{key}`"),
                    format!("add `{key}: …` to the front matter"),
                ),
                Some(field) if field.value.is_blank() => out.push(
                    field.key_span.clone(),
                    format!("required field `{key}` is empty"),
                    format!("give `{key}` a value"),
                ),
                Some(_) => {}
            }
        }
    }
}
