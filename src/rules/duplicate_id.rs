use super::helpers::NoOptions;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;

#[doc = include_str!("../../rules/duplicate-id.md")]
pub(crate) struct DuplicateId;

impl Rule for DuplicateId {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "duplicate-id",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "no two items may share an id",
        doc: include_str!("../../rules/duplicate-id.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(field) = item.field(cx.config.field("id")) else { return };
        let id = field.value.to_text();
        let others: Vec<&str> = cx
            .backlog
            .items_with_id(&id)
            .filter(|other| other.path != item.path)
            .map(|other| other.path.as_str())
            .collect();
        if others.is_empty() {
            return;
        }
        let shown = match others.as_slice() {
            [one] => (*one).to_owned(),
            [first, second] => format!("{first} and {second}"),
            [first, second, rest @ ..] => format!("{first}, {second} and {} more", rest.len()),
            [] => return,
        };
        out.push(
            field.value_span.clone(),
            format!("id `{id}` is also used by {shown}"),
            "give each item its own id; renumber the newer item",
        );
    }
}
