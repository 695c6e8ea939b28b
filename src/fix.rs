//! Fixes as data: the text edits a rule attaches to a finding it can repair, and applying them.
//!
//! A rule never writes files. It describes the repair as edits over byte ranges of the item's
//! source (the text without a byte order mark) with an [`Applicability`]; `check --fix`,
//! `check --diff` and the editor's quick fixes all apply the same edits through this module.

use crate::item::span::Span;
use serde::Serialize;

/// Whether a fix may be applied without a person looking at it (ruff's `Applicability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The fix may change what the item means, or guess: applied only with `--unsafe-fixes`.
    Unsafe,
    /// The fix keeps the item's meaning and only repairs its form: applied by `--fix`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Whether a rule can repair what it finds (for `backlint rules` and the docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    /// The rule has no fix.
    None,
    /// Some findings come with a fix, others need a person.
    Sometimes,
    /// Every finding comes with a fix.
    Always,
}

/// Replace `span` of the item's source with `content` (an insertion when `span` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit { span, content: content.into() }
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit { span: at..at, content: content.into() }
    }

    pub fn delete(span: Span) -> Edit {
        Edit { span, content: String::new() }
    }
}

/// A repair of one finding: edits that are applied together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, imperative and short: ``quote the value``, ``replace `Ready` with `ready```.
    pub title: String,
    pub applicability: Applicability,
    /// Non-overlapping edits.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Safe, edits }
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { title: title.into(), applicability: Applicability::Unsafe, edits }
    }

    /// Where the fix's edits start and end in the source.
    pub fn range(&self) -> Span {
        let start = self.edits.iter().map(|e| e.span.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.span.end).max().unwrap_or(0);
        start..end
    }

    /// Whether the fix may be applied when fixes up to `allowed` are asked for.
    pub fn applies(&self, allowed: Applicability) -> bool {
        self.applicability >= allowed
    }
}

/// Apply as many of `fixes` to `source` as can be applied together: in source order, skipping a
/// fix whose edits overlap (or touch the same insertion point as) one already taken, and fixes
/// with edits outside the text or not on character boundaries. Returns the new text and how many
/// fixes were applied; the skipped ones are found again on the next pass over the new text.
pub fn apply(source: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut ordered: Vec<&Fix> = fixes.iter().copied().filter(|f| is_valid(source, f)).collect();
    ordered.sort_by_key(|f| (f.range().start, f.range().end));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in ordered {
        let clashes = fix.edits.iter().any(|e| taken.iter().any(|t| overlaps(&e.span, &t.span)));
        if clashes {
            continue;
        }
        taken.extend(&fix.edits);
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&source[at..edit.span.start]);
        out.push_str(&edit.content);
        at = edit.span.end;
    }
    out.push_str(&source[at..]);
    (out, applied)
}

fn is_valid(source: &str, fix: &Fix) -> bool {
    let mut edits: Vec<&Edit> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let inside = edits.iter().all(|e| {
        e.span.start <= e.span.end
            && e.span.end <= source.len()
            && source.is_char_boundary(e.span.start)
            && source.is_char_boundary(e.span.end)
    });
    !edits.is_empty() && inside && edits.windows(2).all(|w| !overlaps(&w[0].span, &w[1].span))
}

/// Two edits clash when their ranges share a byte, or when both insert at the same point (their
/// order would be a guess), or one inserts strictly inside the other's range.
fn overlaps(a: &Span, b: &Span) -> bool {
    if a.start == b.start {
        return true;
    }
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_in_order_and_skips_overlaps() {
        let source = "status: Ready\nrisk: High\n";
        let first = Fix::safe("lowercase", vec![Edit::replace(8..13, "ready")]);
        let second = Fix::safe("lowercase", vec![Edit::replace(20..24, "high")]);
        let clash = Fix::safe("other", vec![Edit::replace(10..12, "x")]);
        let (text, applied) = apply(source, &[&second, &clash, &first]);
        assert_eq!(text, "status: ready\nrisk: high\n");
        assert_eq!(applied, 2);
    }

    #[test]
    fn rejects_edits_outside_the_text_or_inside_a_character() {
        let source = "é";
        let outside = Fix::safe("x", vec![Edit::insert(5, "x")]);
        let split = Fix::safe("x", vec![Edit::insert(1, "x")]);
        assert_eq!(apply(source, &[&outside, &split]), ("é".to_owned(), 0));
    }

    #[test]
    fn two_insertions_at_one_point_take_the_first_only() {
        let a = Fix::safe("a", vec![Edit::insert(1, "a")]);
        let b = Fix::safe("b", vec![Edit::insert(1, "b")]);
        assert_eq!(apply("xy", &[&a, &b]).1, 1);
    }

    #[test]
    fn unsafe_fixes_apply_only_when_asked_for() {
        let fix = Fix::unsafe_edit("x", vec![Edit::insert(0, "x")]);
        assert!(!fix.applies(Applicability::Safe));
        assert!(fix.applies(Applicability::Unsafe));
        assert!(Fix::safe("x", vec![]).applies(Applicability::Unsafe));
    }
}
