use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::backlog::normalize_id;
use crate::item::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// What an item's file name must look like: `{id}` stands for its id, `*` for any text.
    pub pattern: Pattern,
}

#[doc = include_str!("../../rules/id-filename-mismatch.md")]
pub(crate) struct IdFilenameMismatch;

impl Rule for IdFilenameMismatch {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "id-filename-mismatch",
        category: Category::Integrity,
        default_severity: Severity::Off,
        summary: "an item's file name must carry its id",
        doc: include_str!("../../rules/id-filename-mismatch.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(field) = item.field(cx.config.field("id")).filter(|f| !f.value.is_blank()) else { return };
        let id = field.value.to_text().trim().to_owned();
        let file_name = item.path.rsplit('/').next().unwrap_or(&item.path);
        if options.pattern.matches(file_name, &id) {
            return;
        }
        let expected = options.pattern.text.replace("{id}", &id);
        out.push(
            field.value_span.clone(),
            format!("file name `{file_name}` does not match `{expected}`"),
            format!("rename the file to fit `{expected}` (`*` stands for any text), or correct the id if the file name is right"),
        );
    }
}

/// A file name pattern with exactly one `{id}`, matched case-insensitively.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    /// Lowercased text that must be there.
    Literal(Vec<char>),
    /// `*`: any text, possibly none.
    Any,
    /// `{id}`: the id, compared as ids are (case and leading zeros ignored), as a whole word.
    Id,
}

impl Default for Pattern {
    fn default() -> Self {
        Pattern { text: "{id}*".to_owned(), parts: vec![Part::Id, Part::Any] }
    }
}

impl TryFrom<String> for Pattern {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        if text.matches("{id}").count() != 1 {
            return Err(format!("`{text}` must contain `{{id}}` exactly once, as in `{{id}}-*.md`"));
        }
        if text.contains(['/', '\\']) {
            return Err(format!("`{text}` is matched against the file name alone, so it cannot contain `/`"));
        }
        let mut parts = Vec::new();
        let (before, after) = text.split_once("{id}").unwrap_or((&text, ""));
        push_literal_parts(before, &mut parts);
        parts.push(Part::Id);
        push_literal_parts(after, &mut parts);
        Ok(Pattern { text, parts })
    }
}

impl From<Pattern> for String {
    fn from(pattern: Pattern) -> String {
        pattern.text
    }
}

impl Pattern {
    /// Whether `file_name` fits the pattern for an item whose id is `id`.
    fn matches(&self, file_name: &str, id: &str) -> bool {
        let name: Vec<char> = file_name.to_lowercase().chars().collect();
        name.len() <= 1024 && matches_at(&self.parts, &name, 0, &normalize_id(id))
    }
}

/// Split text around `*` into literal and wildcard parts.
fn push_literal_parts(text: &str, parts: &mut Vec<Part>) {
    for (i, literal) in text.split('*').enumerate() {
        if i > 0 && !matches!(parts.last(), Some(Part::Any)) {
            parts.push(Part::Any);
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal.to_lowercase().chars().collect()));
        }
    }
}

fn matches_at(parts: &[Part], name: &[char], at: usize, id: &str) -> bool {
    let Some((part, rest)) = parts.split_first() else { return at == name.len() };
    match part {
        Part::Literal(text) => name[at..].starts_with(text) && matches_at(rest, name, at + text.len(), id),
        Part::Any => (at..=name.len()).any(|end| matches_at(rest, name, end, id)),
        Part::Id => {
            // A candidate holds the id's characters plus, at most, leading zeros: stop as soon
            // as it has more other characters than the id, so matching stays linear.
            let (word, id_len) = (|c: &char| c.is_alphanumeric(), id.chars().count());
            let mut other_than_zero = 0;
            for end in at + 1..=name.len() {
                if name[end - 1] != '0' {
                    other_than_zero += 1;
                }
                if other_than_zero > id_len {
                    break;
                }
                let candidate = &name[at..end];
                let joined_before = at > 0 && word(&name[at - 1]) && candidate.first().is_some_and(word);
                let joined_after = end < name.len() && word(&name[end]) && candidate.last().is_some_and(word);
                let trimmed = candidate.first().is_some_and(|c| !c.is_whitespace())
                    && candidate.last().is_some_and(|c| !c.is_whitespace());
                if !joined_before
                    && !joined_after
                    && trimmed
                    && normalize_id(&candidate.iter().collect::<String>()) == id
                    && matches_at(rest, name, end, id)
                {
                    return true;
                }
            }
            false
        }
    }
}
