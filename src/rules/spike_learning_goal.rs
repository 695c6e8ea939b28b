use super::helpers::{is_one_of, left_alone_as_finished};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Item types that are spikes.
    pub types: Vec<String>,
    /// The front matter field that holds the spike's timebox.
    pub timebox_field: String,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { types: vec!["spike".into()], timebox_field: "timebox".into(), include_final: false }
    }
}

#[doc = include_str!("../../rules/spike-learning-goal.md")]
pub(crate) struct SpikeLearningGoal;

impl Rule for SpikeLearningGoal {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "spike-learning-goal",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a ready spike must state what it will learn and how long it may take",
        doc: include_str!("../../rules/spike-learning-goal.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !cx.is_ready(item)
            || left_alone_as_finished(item, cx, options.include_final)
            || !cx.item_type(item).is_some_and(|t| is_one_of(&t, &options.types))
        {
            return;
        }
        let names = cx.config.section_names("learning_goal");
        let has_goal = item.body.section(names).is_some_and(|s| !s.text.trim().is_empty());
        if !has_goal {
            let heading = names.first().map_or("Learning goal", String::as_str);
            out.push(
                item.front_matter_span(),
                "spike has no learning goal",
                format!("add a `## {heading}` section with the question the spike answers"),
            );
        }
        let key = cx.config.field(&options.timebox_field);
        if item.value(key).is_none() {
            out.push(
                item.front_matter_span(),
                format!("spike has no `{key}`"),
                format!("add `{key}: 2d` (or points) so the spike stops when the time is up"),
            );
        }
    }
}
