use super::helpers::NoOptions;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;

#[doc = include_str!("../../rules/lenient-yaml.md")]
pub(crate) struct LenientYaml;

impl Rule for LenientYaml {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "lenient-yaml",
        category: Category::Integrity,
        default_severity: Severity::Warning,
        summary: "front matter values must be valid YAML, not only readable by lenient tools",
        doc: include_str!("../../rules/lenient-yaml.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, _: &Context, out: &mut Findings) {
        for span in &item.quoted_values {
            let value = &item.source[span.clone()];
            let first = value.chars().next().unwrap_or('@');
            out.push(
                span.clone(),
                format!("`{value}` is not valid YAML: a plain value cannot start with `{first}`"),
                format!("quote the value: '{}'", value.replace('\'', "''")),
            );
        }
    }
}
