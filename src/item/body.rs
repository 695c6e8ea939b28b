//! The Markdown body of an item: level-2 sections, task-list items and HTML comments, each
//! with its byte span in the item's source.

use super::span::Span;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub sections: Vec<Section>,
    pub tasks: Vec<Task>,
    /// HTML comments (`<!-- … -->`), where suppressions live.
    pub comments: Vec<Span>,
    /// `<!-- backlint-disable … -->` comments, in order.
    pub suppressions: Vec<Suppression>,
}

/// An inline suppression: `<!-- backlint-disable rule-a, rule-b -- reason -->` for the whole
/// item, or `<!-- backlint-disable-next-line rule -->` for the line after the comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The whole comment.
    pub span: Span,
    /// `None`: the whole item; `Some(n)`: only findings that start on 1-based line `n`.
    pub line: Option<usize>,
    /// The rule names with their spans; empty means every rule.
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
}

/// A level-2 section: its heading and everything up to the next heading of level 1 or 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading text, as rendered (no `##`, no trailing `#`s).
    pub title: String,
    pub heading: Span,
    pub content: Span,
    /// The rendered text of the content (comments and markup dropped), words separated by spaces.
    pub text: String,
}

/// A task-list item (`- [ ] …` or `- [x] …`), nested ones included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub checked: bool,
    /// From the list marker to the end of the item's first line.
    pub span: Span,
    pub text: String,
    /// Index into [`Body::sections`] of the section holding the task.
    pub section: Option<usize>,
}

impl Body {
    /// Parse `source[start..]` as Markdown; spans are offsets into `source`.
    pub fn parse(source: &str, start: usize) -> Body {
        let text = &source[start..];
        let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        let mut body = Body::default();
        // Open list items, innermost last: (start offset, task index once its marker is seen).
        let mut items: Vec<(usize, Option<usize>)> = Vec::new();
        let mut in_heading: Option<(HeadingLevel, usize)> = None;
        let mut heading_text = String::new();
        let mut current_section: Option<usize> = None;

        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            let range = range.start + start..range.end + start;
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    in_heading = Some((level, range.start));
                    heading_text.clear();
                    if level <= HeadingLevel::H2 {
                        if let Some(index) = current_section.take() {
                            end_section(&mut body.sections[index], source, range.start);
                        }
                    }
                }
                Event::End(TagEnd::Heading(level)) => {
                    in_heading = None;
                    if level == HeadingLevel::H2 {
                        // A trailing comment (a suppression, say) is not part of the heading.
                        let line = &source[range.clone()];
                        let end = line.find("<!--").map_or(range.end, |i| range.start + i);
                        let heading = trim_span(source, range.start..end);
                        body.sections.push(Section {
                            title: heading_text.trim().to_owned(),
                            heading: heading.clone(),
                            content: heading.end..source.len(),
                            text: String::new(),
                        });
                        current_section = Some(body.sections.len() - 1);
                    } else if let Some(index) = current_section {
                        push_words(&mut body.sections[index].text, &heading_text);
                    }
                }
                Event::Start(Tag::Item) => items.push((range.start, None)),
                Event::End(TagEnd::Item) => {
                    items.pop();
                }
                Event::TaskListMarker(checked) => {
                    if let Some((item_start, task)) = items.last_mut() {
                        let end = source[*item_start..].find('\n').map_or(source.len(), |i| *item_start + i);
                        body.tasks.push(Task {
                            checked,
                            span: trim_span(source, *item_start..end),
                            text: String::new(),
                            section: current_section,
                        });
                        *task = Some(body.tasks.len() - 1);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    collect_comments(&html, range.start, &mut body.comments);
                }
                Event::Text(t) | Event::Code(t) => {
                    if in_heading.is_some() {
                        heading_text.push_str(&t);
                        continue;
                    }
                    if let Some(&(_, Some(task))) = items.last() {
                        push_words(&mut body.tasks[task].text, &t);
                    }
                    if let Some(index) = current_section {
                        push_words(&mut body.sections[index].text, &t);
                    }
                }
                _ => {}
            }
        }
        if let Some(index) = current_section {
            end_section(&mut body.sections[index], source, source.len());
        }
        body.suppressions = body.comments.iter().filter_map(|span| parse_suppression(source, span.clone())).collect();
        body
    }

    /// The first section whose title matches one of `names`, case-insensitively.
    pub fn section(&self, names: &[String]) -> Option<&Section> {
        self.sections.iter().find(|s| names.iter().any(|n| n.to_lowercase() == s.title.to_lowercase()))
    }
}

fn end_section(section: &mut Section, source: &str, end: usize) {
    section.content = section.content.start..end.max(section.content.start);
    let trimmed = trim_span(source, section.content.clone());
    if trimmed.start < trimmed.end {
        section.content = trimmed;
    }
}

fn push_words(text: &mut String, words: &str) {
    if !text.is_empty() && !text.ends_with(' ') {
        text.push(' ');
    }
    text.push_str(words.trim());
}

/// Parse `<!-- backlint-disable[-next-line] rules -- reason -->`.
fn parse_suppression(source: &str, span: Span) -> Option<Suppression> {
    let comment = &source[span.clone()];
    let inner_start = span.start + 4;
    let inner = comment.strip_prefix("<!--")?.strip_suffix("-->").unwrap_or(&comment[4..]);
    let lead = inner.len() - inner.trim_start().len();
    let directive = inner.trim_start();
    let (rest, next_line, keyword) = if let Some(rest) = directive.strip_prefix("backlint-disable-next-line") {
        (rest, true, "backlint-disable-next-line".len())
    } else {
        (directive.strip_prefix("backlint-disable")?, false, "backlint-disable".len())
    };
    if rest.chars().next().is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    let rest_start = inner_start + lead + keyword;
    let (list, reason) = match rest.find(" -- ") {
        Some(i) => (&rest[..i], Some(rest[i + 4..].trim().to_owned()).filter(|r| !r.is_empty())),
        None => (rest, None),
    };
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in list.split(|c: char| c == ',' || c.is_whitespace()) {
        if !part.is_empty() {
            let at = rest_start + offset;
            rules.push((part.to_owned(), at..at + part.len()));
        }
        offset += part.len() + 1;
    }
    let line = next_line.then(|| source[..span.end].matches('\n').count() + 2);
    Some(Suppression { span, line, rules, reason })
}

/// Record every `<!-- … -->` in an HTML event, which may hold several or share its line with markup.
fn collect_comments(html: &str, offset: usize, comments: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let open = from + open;
        let close = html[open + 4..].find("-->").map_or(html.len(), |i| open + 4 + i + 3);
        comments.push(offset + open..offset + close);
        from = close;
    }
}

/// Shrink a span so that it starts and ends on non-white-space characters.
fn trim_span(source: &str, span: Span) -> Span {
    let text = &source[span.clone()];
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.start + text.trim_end().len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_tasks_with_spans() {
        let source = "# Title\n\n## Value hypothesis\nWe believe <!-- hidden --> **more**.\n\n## Acceptance criteria\r\n- [ ] one\r\n- [x] two `code`\r\n  - [ ] nested\r\n\r\n### Sub\r\ntext\r\n";
        let body = Body::parse(source, 0);
        assert_eq!(body.sections.len(), 2);
        let value = &body.sections[0];
        assert_eq!(value.title, "Value hypothesis");
        assert_eq!(&source[value.heading.clone()], "## Value hypothesis");
        assert_eq!(value.text, "We believe more .");
        let criteria = &body.sections[1];
        assert_eq!(&source[criteria.heading.clone()], "## Acceptance criteria");
        assert!(source[criteria.content.clone()].ends_with("text"));
        let tasks: Vec<(&str, bool, &str)> =
            body.tasks.iter().map(|t| (&source[t.span.clone()], t.checked, t.text.as_str())).collect();
        assert_eq!(
            tasks,
            [("- [ ] one", false, "one"), ("- [x] two `code`", true, "two code"), ("- [ ] nested", false, "nested")]
        );
        assert!(body.tasks.iter().all(|t| t.section == Some(1)));
        assert_eq!(body.comments.len(), 1);
        assert_eq!(&source[body.comments[0].clone()], "<!-- hidden -->");
    }

    #[test]
    fn suppressions_with_rules_lines_and_reasons() {
        let source = "Intro\n<!-- backlint-disable value-hypothesis, size-limit -- agreed in refinement -->\n\n<!-- backlint-disable-next-line vague-language -->\n- [ ] fast\n<!-- not a suppression -->\n<!-- backlint-disabled x -->\n";
        let body = Body::parse(source, 0);
        assert_eq!(body.suppressions.len(), 2, "{:?}", body.suppressions);
        let whole = &body.suppressions[0];
        assert_eq!(whole.line, None);
        let names: Vec<&str> = whole
            .rules
            .iter()
            .map(|(n, s)| {
                assert_eq!(&source[s.clone()], n);
                n.as_str()
            })
            .collect();
        assert_eq!(names, ["value-hypothesis", "size-limit"]);
        assert_eq!(whole.reason.as_deref(), Some("agreed in refinement"));
        let next = &body.suppressions[1];
        assert_eq!(next.line, Some(5));
        assert_eq!(next.reason, None);
    }

    #[test]
    fn section_lookup_is_case_insensitive() {
        let body = Body::parse("## RISKS\nsome\n", 0);
        assert!(body.section(&["Risks".to_owned()]).is_some());
        assert!(body.section(&["Value hypothesis".to_owned()]).is_none());
    }
}
