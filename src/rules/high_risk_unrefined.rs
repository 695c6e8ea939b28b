use super::helpers::{default_placeholders, highest_level, is_placeholder, left_alone_as_finished, past_ready};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::history::Change;
use crate::item::span::Span;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Texts that count as an empty section.
    pub placeholders: Vec<String>,
    /// Commits after its creation that changed more than the status, which the item needs.
    pub min_refinements: usize,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { placeholders: default_placeholders(), min_refinements: 1, include_final: false }
    }
}

#[doc = include_str!("../../rules/high-risk-unrefined.md")]
pub(crate) struct HighRiskUnrefined;

impl Rule for HighRiskUnrefined {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "high-risk-unrefined",
        category: Category::Readiness,
        default_severity: Severity::Error,
        summary: "a high-risk item must name its risks and how they are reduced before it is ready",
        doc: include_str!("../../rules/high-risk-unrefined.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(risk) = item.field(cx.config.field("risk")) else { return };
        let high = highest_level(cx.config);
        if !cx.is_ready(item)
            || left_alone_as_finished(item, cx, options.include_final)
            || !risk.value.to_text().trim().eq_ignore_ascii_case(high)
        {
            return;
        }
        let names = cx.config.section_names("risks");
        let heading = names.first().map_or("Risks", String::as_str);
        // "is ready" is wrong for an item that has moved on to, say, in-progress.
        let later = past_ready(item, cx).then(|| format!("{high}-risk item at or after `{}`", cx.config.ready_status));
        match item.body.section(names) {
            None => out.push(
                risk.value_span.clone(),
                match &later {
                    Some(subject) => format!("{subject} has no `## {heading}` section"),
                    None => format!("{high}-risk item is ready but has no `## {heading}` section"),
                },
                format!("add a `## {heading}` section naming each risk and how it is reduced (a spike, a prototype, a fallback)"),
            ),
            Some(section) if is_placeholder(&section.text, &options.placeholders) => out.push(
                section.heading.clone(),
                match &later {
                    Some(subject) => format!("{subject} has an empty or placeholder `{}` section", section.title),
                    None => format!("{high}-risk item is ready but its `{}` section is empty or a placeholder", section.title),
                },
                "name each risk and how it is reduced before the item is ready",
            ),
            Some(_) => check_refinements(options, item, cx, risk.value_span.clone(), high, out),
        }
    }
}

/// With history, a ready high-risk item must have been refined after it was written down.
fn check_refinements(options: &Options, item: &Item, cx: &Context, span: Span, high: &str, out: &mut Findings) {
    let Some(history) = cx.history(item) else { return };
    let Some(created) = &history.created else { return };
    let refinements = history
        .timeline
        .iter()
        .filter(|r| {
            matches!(r.change, Change::Modified | Change::Renamed { .. } | Change::Copied { .. })
                && !r.only_status_changed
        })
        .count();
    // Unknown past statuses (a partial clone) may hide refinements: no finding on a guess.
    if refinements >= options.min_refinements || !history.incomplete.is_empty() {
        return;
    }
    let wanted = options.min_refinements;
    out.push(
        span,
        format!(
            "{high}-risk item {} after {refinements} of {wanted} refinement{} since it was created on {} by {}",
            if past_ready(item, cx) {
                format!("is at or after `{}`", cx.config.ready_status)
            } else {
                "is ready".to_owned()
            },
            if wanted == 1 { "" } else { "s" },
            crate::time::day(&created.date),
            created.author
        ),
        "refine the item before it is ready: revisit its risks, plan a spike, and commit what you learned",
    );
}
