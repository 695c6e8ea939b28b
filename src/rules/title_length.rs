use super::helpers::left_alone_as_finished;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The longest title, in characters.
    pub max: usize,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { max: 80, include_final: false }
    }
}

#[doc = include_str!("../../rules/title-length.md")]
pub(crate) struct TitleLength;

impl Rule for TitleLength {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "title-length",
        category: Category::Readiness,
        default_severity: Severity::Warning,
        summary: "a title must be short enough to read on a board",
        doc: include_str!("../../rules/title-length.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if left_alone_as_finished(item, cx, options.include_final) {
            return;
        }
        let Some(title) = item.field(cx.config.field("title")) else { return };
        let length = title.value.to_text().chars().count();
        if length > options.max {
            out.push(
                title.value_span.clone(),
                format!("title is {length} characters long, over the limit of {}", options.max),
                "keep the title to the outcome; move details into the body",
            );
        }
    }
}
