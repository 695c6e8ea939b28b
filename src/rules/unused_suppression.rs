use super::{Category, Context, Finding, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Whether every suppression must say why (`-- reason`).
    pub require_reason: bool,
}

#[doc = include_str!("../../rules/unused-suppression.md")]
pub(crate) struct UnusedSuppression;

impl Rule for UnusedSuppression {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "unused-suppression",
        category: Category::Integrity,
        default_severity: Severity::Warning,
        summary: "a suppression comment must name real rules that it actually silences",
        doc: include_str!("../../rules/unused-suppression.md"),
    };

    /// Checks what can be seen in the comment itself; whether it silenced anything is known only
    /// after every rule ran, so [`apply`] reports that.
    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        for suppression in &item.body.suppressions {
            for (name, span) in &suppression.rules {
                if !is_rule(name, cx) {
                    let names = super::RULES
                        .iter()
                        .map(|r| r.meta().name)
                        .chain(cx.config.custom_rules.iter().map(|c| c.name.as_str()));
                    let help = crate::config::suggest(name, names).map_or_else(
                        || "run `backlint rules` to list the rules".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    );
                    out.push(span.clone(), format!("suppression names unknown rule `{name}`"), help);
                }
            }
            if options.require_reason && suppression.reason.is_none() {
                out.push(
                    suppression.span.clone(),
                    "suppression gives no reason",
                    "say why after ` -- `, e.g. `<!-- backlint-disable size-limit -- split planned in PB-7 -->`",
                );
            }
        }
    }
}

fn is_rule(name: &str, cx: &Context) -> bool {
    super::find(name).is_some() || cx.config.custom_rules.iter().any(|c| c.name == name)
}

/// A finding of one rule on one item, before suppressions are applied.
pub struct Raw {
    pub rule: String,
    pub severity: Severity,
    pub finding: Finding,
}

/// Drop the findings that the item's suppression comments silence and, when `unused` holds the
/// rule's severity, report the suppressions of enabled rules that silenced nothing.
pub(crate) fn apply(
    item: &Item,
    found: Vec<Raw>,
    enabled: &dyn Fn(&str) -> bool,
    unused: Option<Severity>,
) -> Vec<Raw> {
    let suppressions = &item.body.suppressions;
    let mut used: Vec<Vec<bool>> = suppressions.iter().map(|s| vec![false; s.rules.len().max(1)]).collect();
    let mut kept = Vec::with_capacity(found.len());
    for raw in found {
        let line = item.position(raw.finding.span.start).line;
        let mut silenced = false;
        if raw.rule != UnusedSuppression::META.name {
            for (s, marks) in suppressions.iter().zip(&mut used) {
                if s.line.is_some_and(|l| l != line) {
                    continue;
                }
                if s.rules.is_empty() {
                    marks[0] = true;
                    silenced = true;
                }
                for ((name, _), mark) in s.rules.iter().zip(marks.iter_mut()) {
                    if *name == raw.rule {
                        *mark = true;
                        silenced = true;
                    }
                }
            }
        }
        if !silenced {
            kept.push(raw);
        }
    }
    let Some(severity) = unused else { return kept };
    for (s, marks) in suppressions.iter().zip(&used) {
        let unused_rules = s.rules.iter().zip(marks).filter(|((name, _), used)| !**used && enabled(name));
        for ((name, span), _) in unused_rules {
            kept.push(Raw {
                rule: UnusedSuppression::META.name.to_owned(),
                severity,
                finding: Finding {
                    span: span.clone(),
                    message: format!("suppression of `{name}` silences nothing"),
                    help: Some(format!("remove `{name}` from the comment")),
                },
            });
        }
        if s.rules.is_empty() && !marks[0] {
            kept.push(Raw {
                rule: UnusedSuppression::META.name.to_owned(),
                severity,
                finding: Finding {
                    span: s.span.clone(),
                    message: "suppression silences nothing".to_owned(),
                    help: Some("remove the comment".to_owned()),
                },
            });
        }
    }
    kept
}
