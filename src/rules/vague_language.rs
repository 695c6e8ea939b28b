use super::helpers::{left_alone_as_finished, tasks_in_section};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::span::Span;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Words and phrases that make a title or a criterion untestable.
    pub words: Vec<String>,
    /// Established terms that contain one of `words` and say something exact ("fail fast").
    pub established_terms: Vec<String>,
    /// Also check items whose status is final; finished items are history and left alone.
    pub include_final: bool,
}

impl Default for Options {
    fn default() -> Self {
        let words =
            ["etc", "somehow", "fast", "user-friendly", "TBD", "and so on", "as needed", "intuitive", "seamless"];
        let established_terms =
            ["fail fast", "fail-fast", "fast-fail", "fast path", "fast-path", "fast forward", "fast-forward"];
        Options {
            words: words.into_iter().map(str::to_owned).collect(),
            established_terms: established_terms.into_iter().map(str::to_owned).collect(),
            include_final: false,
        }
    }
}

#[doc = include_str!("../../rules/vague-language.md")]
pub(crate) struct VagueLanguage;

impl Rule for VagueLanguage {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "vague-language",
        category: Category::Readiness,
        default_severity: Severity::Warning,
        summary: "titles and acceptance criteria of ready items must be specific enough to test",
        doc: include_str!("../../rules/vague-language.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !cx.is_ready(item) || left_alone_as_finished(item, cx, options.include_final) {
            return;
        }
        let mut spans: Vec<Span> =
            tasks_in_section(item, cx, "acceptance_criteria").iter().map(|t| t.span.clone()).collect();
        if let Some(title) = item.field(cx.config.field("title")) {
            spans.insert(0, title.value_span.clone());
        }
        // A comment such as a suppression is not part of the wording.
        let in_comment = |at: usize| item.body.comments.iter().any(|c| c.contains(&at));
        for span in spans {
            let text = &item.source[span.clone()];
            let terms: Vec<(usize, usize)> =
                find_words(text, &options.established_terms).iter().map(|&(at, term)| (at, at + term.len())).collect();
            for (at, word) in find_words(text, &options.words) {
                let start = span.start + at;
                let in_term = terms.iter().any(|&(from, to)| from <= at && at + word.len() <= to);
                if in_comment(start) || in_term {
                    continue;
                }
                out.push(
                    start..start + word.len(),
                    format!("vague wording `{word}`"),
                    "say what exactly: a number, a named case, or an observable behaviour",
                );
            }
        }
    }
}

/// Whole-word, case-insensitive occurrences of `words` in `text`: (byte offset, matched text).
fn find_words<'t>(text: &'t str, words: &[String]) -> Vec<(usize, &'t str)> {
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; then offsets would not line up.
    if lower.len() != text.len() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for word in words {
        let needle = word.to_lowercase();
        if needle.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(i) = lower[from..].find(&needle) {
            let start = from + i;
            let end = start + needle.len();
            let before = lower[..start].chars().next_back();
            let after = lower[end..].chars().next();
            let is_word_char = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if !is_word_char(before) && !is_word_char(after) {
                found.push((start, &text[start..end]));
            }
            from = end;
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::find_words;

    #[test]
    fn matches_whole_words_only() {
        let words = ["fast".to_owned(), "etc".to_owned(), "user-friendly".to_owned()];
        assert_eq!(find_words("Fast export, breakfast etc.", &words), [(0, "Fast"), (23, "etc")]);
        assert_eq!(find_words("a User-Friendly UI", &words), [(2, "User-Friendly")]);
        assert!(find_words("steadfast", &words).is_empty());
    }
}
