use super::helpers::NoOptions;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::fix::{Edit, Fix, FixAvailability};
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
    const FIX: FixAvailability = FixAvailability::Always;

    fn check(&self, _: &NoOptions, item: &Item, _: &Context, out: &mut Findings) {
        for span in &item.quoted_values {
            let value = &item.source[span.clone()];
            let first = value.chars().next().unwrap_or('@');
            // A single-quoted YAML string holds any character; only `'` itself is doubled.
            let quoted = format!("'{}'", value.replace('\'', "''"));
            let fix = Fix::safe("quote the value", vec![Edit::replace(span.clone(), quoted.clone())]);
            out.push_with_fix(
                span.clone(),
                format!("`{value}` is not valid YAML: a plain value cannot start with `{first}`"),
                format!("quote the value: {quoted}"),
                Some(fix),
            );
        }
    }
}
