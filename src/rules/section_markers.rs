use super::helpers::NoOptions;
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::fix::{Edit, Fix, FixAvailability};
use crate::item::span::Span;
use crate::item::Item;

#[doc = include_str!("../../rules/section-markers.md")]
pub(crate) struct SectionMarkers;

impl Rule for SectionMarkers {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "section-markers",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "`<!-- NAME:BEGIN -->` and `<!-- NAME:END -->` markers must come in pairs, once per name",
        doc: include_str!("../../rules/section-markers.md"),
    };
    const FIX: FixAvailability = FixAvailability::Sometimes;

    fn check(&self, _: &NoOptions, item: &Item, _: &Context, out: &mut Findings) {
        // Open blocks, in order: (name, span of the BEGIN marker).
        let mut open: Vec<(&str, Span)> = Vec::new();
        let mut closed: Vec<&str> = Vec::new();
        for span in &item.body.comments {
            let Some((name, begin)) = marker(&item.source[span.clone()]) else { continue };
            if begin {
                if open.iter().any(|(n, _)| *n == name) {
                    out.push(
                        span.clone(),
                        format!("`<!-- {name}:BEGIN -->` repeated before `<!-- {name}:END -->`"),
                        "remove the repeated marker, so that one BEGIN and one END enclose the block",
                    );
                    continue;
                }
                if closed.contains(&name) {
                    out.push(
                        span.clone(),
                        format!("second `{name}` block in one item"),
                        "merge the two blocks into one: tools that edit a block by its markers change only the first",
                    );
                }
                open.push((name, span.clone()));
            } else {
                match open.iter().rposition(|(n, _)| *n == name) {
                    Some(index) => {
                        open.remove(index);
                        closed.push(name);
                    }
                    None => out.push(
                        span.clone(),
                        format!("`<!-- {name}:END -->` has no `<!-- {name}:BEGIN -->` before it"),
                        format!("add `<!-- {name}:BEGIN -->` where the block starts, or remove this marker"),
                    ),
                }
            }
        }
        for (name, span) in open {
            let end = format!("<!-- {name}:END -->");
            let fix = Fix::unsafe_edit(
                format!("insert `{end}` before the next heading"),
                vec![end_marker_insertion(item, span.end, &end)],
            );
            out.push_with_fix(
                span,
                format!("`<!-- {name}:BEGIN -->` is never closed by `<!-- {name}:END -->`"),
                format!("add `{end}` on its own line after the block's last line"),
                Some(fix),
            );
        }
    }
}

/// Where a missing END marker goes for a block that begins at `begin`: at the start of the line
/// after the last non-blank line before the next level-2 heading (or the end of the file), so
/// that blank lines stay between the block and the heading.
fn end_marker_insertion(item: &Item, begin: usize, marker: &str) -> Edit {
    let source = &item.source;
    let next_heading = item.body.sections.iter().map(|s| s.heading.start).find(|&start| start > begin);
    let limit = next_heading.unwrap_or(source.len());
    let before = &source[..limit];
    let mut at = before.trim_end().len().max(begin);
    // Past the end of the last non-blank line, onto the next line.
    match source[at..limit].find('\n') {
        Some(i) => at += i + 1,
        None => at = limit,
    }
    // A file that ends without a line break gets one before the marker.
    let newline_first = at > 0 && !source[..at].ends_with('\n');
    Edit::insert(at, format!("{}{marker}\n", if newline_first { "\n" } else { "" }))
}

/// The name of a `<!-- NAME:BEGIN -->` or `<!-- NAME:END -->` comment, and whether it begins a block.
fn marker(comment: &str) -> Option<(&str, bool)> {
    let inner = comment.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    let (name, begin) = match inner.strip_suffix(":BEGIN") {
        Some(name) => (name, true),
        None => (inner.strip_suffix(":END")?, false),
    };
    let well_formed = name
        .split(':')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    well_formed.then_some((name, begin))
}
