//! Fixes as data: the text edits a rule attaches to a finding it can repair, and applying them.
//!
//! A rule never writes files. It describes the repair as edits over byte ranges of the item's
//! source (the text without a byte order mark) with an [`Applicability`]; `check --fix`,
//! `check --diff` and the editor's quick fixes all apply the same edits through this module.

use crate::item::span::Span;
use crate::item::Item;
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// How many times fixes are applied and the item checked again before backlint stops: a fix can
/// make another finding, with its own fix, appear; fixes that keep undoing each other must end.
pub const MAX_PASSES: usize = 10;

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
        out.push_str(&with_line_endings_of(source, &edit.content));
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

/// `would fix 3 problems in 2 files` (for `--diff`).
pub fn would_fix_line(fixes: usize, files: usize) -> String {
    match fixes {
        0 => "no fixes to apply".to_owned(),
        n => format!("would fix {} in {}", plural(n, "problem"), plural(files, "file")),
    }
}

/// `fixed 3 problems in 2 files` (after `--fix`).
pub fn fixed_line(fixes: usize, files: usize) -> String {
    match fixes {
        0 => "no fixes applied".to_owned(),
        n => format!("fixed {} in {}", plural(n, "problem"), plural(files, "file")),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `content` with the line endings of `source`: rules write `\n`, a CRLF file gets `\r\n`.
pub fn with_line_endings_of(source: &str, content: &str) -> String {
    let crlf = source.find('\n').is_some_and(|i| source[..i].ends_with('\r'));
    if !crlf || !content.contains('\n') {
        return content.to_owned();
    }
    let mut out = String::with_capacity(content.len() + 8);
    let mut previous = '\0';
    for c in content.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// What `check --fix`, `--unsafe-fixes` and `--diff` ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    /// The least safe fixes to apply: [`Applicability::Safe`] for `--fix`.
    pub applicability: Applicability,
    /// Write the files (`--fix`), or only compute them (`--diff`).
    pub write: bool,
}

/// One item file that fixes changed (in memory; [`write`] puts it on disk).
#[derive(Debug, Clone)]
pub struct FixedFile {
    /// Relative to the project root, with `/` separators.
    pub path: String,
    /// The text as it was read, without a byte order mark.
    pub before: String,
    /// The text with the fixes applied.
    pub after: String,
    /// How many findings the fixes repaired.
    pub fixes: usize,
}

/// Apply the fixes of the findings on the items at `paths` that `allowed` permits, check the items
/// again (through [`Workspace::update`], so cross-item findings follow) and repeat until no fix is
/// left or [`MAX_PASSES`] is reached. The workspace ends up holding the fixed items and their
/// findings. An item that does not parse is never fixed, and a fix whose result would not parse is
/// dropped. Returns the changed files, sorted by path.
pub fn fix_items(workspace: &mut Workspace, paths: &[String], allowed: Applicability) -> Vec<FixedFile> {
    let mut files: BTreeMap<String, FixedFile> = BTreeMap::new();
    let mut stuck: Vec<&String> = Vec::new();
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for path in paths {
            if stuck.contains(&path) {
                continue;
            }
            let Some(item) = workspace.backlog.get(path).filter(|item| item.problem.is_none()) else { continue };
            let fixes: Vec<Fix> = workspace
                .findings(path)
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|fix| fix.applicability >= allowed)
                .map(crate::report::Fix::to_edits)
                .collect();
            if fixes.is_empty() {
                continue;
            }
            let (text, applied) = apply(&item.source, &fixes.iter().collect::<Vec<_>>());
            if applied == 0 || text == item.source {
                continue;
            }
            if Item::parse(path.clone(), text.as_bytes()).problem.is_some() {
                // Never turn a readable item into an unreadable one.
                stuck.push(path);
                continue;
            }
            let before = item.source.clone();
            let file = files.entry(path.clone()).or_insert_with(|| FixedFile {
                path: path.clone(),
                before,
                after: String::new(),
                fixes: 0,
            });
            file.after.clone_from(&text);
            file.fixes += applied;
            workspace.update(path, Some(text.as_bytes()));
            changed = true;
        }
        if !changed {
            break;
        }
    }
    files.into_values().filter(|f| f.after != f.before).collect()
}

/// Write a fixed file in place, atomically: into a temporary file in the same directory with the
/// original's permissions, then renamed over it. The byte order mark is kept. Fails, leaving the
/// file alone, when it changed on disk since it was read.
pub fn write(root: &Path, file: &FixedFile) -> std::io::Result<()> {
    let path = root.join(&file.path);
    // Write through a symbolic link to the file it points at, leaving the link a link.
    let path = std::fs::canonicalize(&path)?;
    let current = std::fs::read(&path)?;
    let (bom, text) = match current.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, current.as_slice()),
    };
    if text != file.before.as_bytes() {
        return Err(std::io::Error::other("it changed on disk while backlint was fixing it"));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&path)?.permissions();
    let mut temp = tempfile::Builder::new().prefix(".backlint-fix").tempfile_in(dir)?;
    if bom {
        temp.write_all(BOM)?;
    }
    temp.write_all(file.after.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of a fixed file (`--- a/PATH`, `+++ b/PATH`, 3 lines of context), as `git diff`
/// prints it.
pub fn unified_diff(file: &FixedFile) -> String {
    similar::TextDiff::from_lines(&file.before, &file.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
        .to_string()
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
    fn inserted_lines_take_the_line_endings_of_the_file() {
        assert_eq!(with_line_endings_of("a\r\nb\r\n", "x\ny\r\n"), "x\r\ny\r\n");
        assert_eq!(with_line_endings_of("a\nb\r\n", "x\n"), "x\n");
        let fix = Fix::unsafe_edit("x", vec![Edit::insert(3, "<!-- A:END -->\n")]);
        assert_eq!(apply("a\r\nb\r\n", &[&fix]).0, "a\r\n<!-- A:END -->\r\nb\r\n");
    }

    #[test]
    fn unsafe_fixes_apply_only_when_asked_for() {
        let fix = Fix::unsafe_edit("x", vec![Edit::insert(0, "x")]);
        assert!(!fix.applies(Applicability::Safe));
        assert!(fix.applies(Applicability::Unsafe));
        assert!(Fix::safe("x", vec![]).applies(Applicability::Unsafe));
    }
}
