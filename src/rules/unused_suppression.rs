use super::{Category, Context, Finding, Findings, Rule, RuleMeta, Severity};
use crate::fix::{Edit, Fix, FixAvailability};
use crate::item::body::Suppression;
use crate::item::span::Span;
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
    const FIX: FixAvailability = FixAvailability::Sometimes;

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
        let removable: Vec<bool> = s.rules.iter().zip(marks).map(|((name, _), used)| !*used && enabled(name)).collect();
        for (index, (name, span)) in s.rules.iter().enumerate().filter(|(i, _)| removable[*i]) {
            // Without its last name, the comment would silence every rule: remove it instead.
            let fix = if removable.iter().all(|r| *r) {
                Fix::safe("remove the comment", vec![Edit::delete(comment_removal(item, s))])
            } else {
                Fix::safe(
                    format!("remove `{name}` from the comment"),
                    vec![Edit::delete(name_removal(s, &removable, index))],
                )
            };
            kept.push(Raw {
                rule: UnusedSuppression::META.name.to_owned(),
                severity,
                finding: Finding {
                    span: span.clone(),
                    message: format!("suppression of `{name}` silences nothing"),
                    help: Some(fix.title.clone()),
                    fix: Some(fix),
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
                    fix: Some(Fix::safe("remove the comment", vec![Edit::delete(comment_removal(item, s))])),
                },
            });
        }
    }
    kept
}

/// What to delete to remove a suppression comment: its whole line when it stands alone there,
/// else the comment and one space next to it.
fn comment_removal(item: &Item, s: &Suppression) -> Span {
    let source = &item.source;
    let line_start = source[..s.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[s.span.end..].find('\n').map_or(source.len(), |i| s.span.end + i + 1);
    let before = &source[line_start..s.span.start];
    let after = &source[s.span.end..line_end];
    if before.trim().is_empty() && after.trim().is_empty() {
        // Between two blank lines, take one of them too, so that one blank line stays.
        let previous_line = source[..line_start.saturating_sub(1)].rsplit('\n').next().unwrap_or("");
        let previous_blank = line_start > 0 && previous_line.trim().is_empty();
        let next_end = source[line_end..].find('\n').map(|i| line_end + i + 1);
        match next_end.filter(|&end| previous_blank && source[line_end..end].trim().is_empty()) {
            Some(end) => line_start..end,
            None => line_start..line_end,
        }
    } else if after.starts_with(' ') {
        s.span.start..s.span.end + 1
    } else if before.ends_with(' ') {
        s.span.start - 1..s.span.end
    } else {
        s.span.clone()
    }
}

/// What to delete to remove the rule name at `index` from a comment that keeps other names: up
/// to the next name, or, when only removed names follow, from the end of the name before it.
fn name_removal(s: &Suppression, removable: &[bool], index: usize) -> Span {
    let span = &s.rules[index].1;
    let kept_after = removable[index + 1..].iter().any(|r| !r);
    match (kept_after, index.checked_sub(1)) {
        (false, Some(previous)) => s.rules[previous].1.end..span.end,
        _ => span.start..s.rules.get(index + 1).map_or(span.end, |(_, next)| next.start),
    }
}
