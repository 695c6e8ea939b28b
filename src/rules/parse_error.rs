use super::helpers::NoOptions;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;

#[doc = include_str!("../../rules/parse-error.md")]
pub(crate) struct ParseError;

impl Rule for ParseError {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "parse-error",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "an item file must be readable Markdown with YAML front matter",
        doc: include_str!("../../rules/parse-error.md"),
    };
    const CHECKS_UNPARSED: bool = true;

    fn check(&self, _: &NoOptions, item: &Item, _: &Context, out: &mut Findings) {
        if let Some(problem) = &item.problem {
            out.push(problem.span.clone(), &problem.message, &problem.help);
        }
    }
}
