use super::helpers::{is_one_of, listed_values};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::config::suggest;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The known tags, compared ignoring case; empty: every tag is accepted.
    pub allowed: Vec<String>,
}

#[doc = include_str!("../../rules/unknown-tag.md")]
pub(crate) struct UnknownTag;

impl Rule for UnknownTag {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "unknown-tag",
        category: Category::Integrity,
        default_severity: Severity::Warning,
        summary: "tags must come from the team's list of tags, when it keeps one",
        doc: include_str!("../../rules/unknown-tag.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if options.allowed.is_empty() {
            return;
        }
        let Some(field) = item.field(cx.config.field("tags")) else { return };
        for tag in listed_values(field) {
            if is_one_of(&tag.text, &options.allowed) {
                continue;
            }
            let key = &field.key;
            let help = match suggest(&tag.text, options.allowed.iter().map(String::as_str)) {
                Some(close) => format!("did you mean `{close}`? Otherwise add `{}` to the known {key}", tag.text),
                None => format!("use one of: {}; or add `{}` to the known {key}", options.allowed.join(", "), tag.text),
            };
            out.push(tag.span, format!("`{}` is not one of the known {key}", tag.text), help);
        }
    }
}
