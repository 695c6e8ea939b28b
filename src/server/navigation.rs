//! Navigation: go to the item an id names, find every item that names it, list the items of
//! the workspace and the sections of an item.

use super::convert;
use super::Server;
use crate::item::front_matter::Value;
use crate::item::Item;
use crate::rules::helpers::item_name;
use crate::workspace::Workspace;
use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse,
    Location, ReferenceParams, SymbolInformation, SymbolKind, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use std::ops::Range;

/// An id in a text and the items that have it.
pub(super) struct Target<'w> {
    pub(super) span: Range<usize>,
    pub(super) items: Vec<&'w Item>,
}

/// The id under byte `offset` of `text`, if it names an item of the workspace.
pub(super) fn id_at<'w>(workspace: &'w Workspace, text: &str, offset: usize) -> Option<Target<'w>> {
    let span = word_at(text, offset)?;
    let items: Vec<&Item> = workspace.backlog.items_with_id(&text[span.clone()]).collect();
    (!items.is_empty()).then_some(Target { span, items })
}

/// The id-like word (letters, digits, `-`, `_`, `.`) around `offset`.
fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset].char_indices().rev().take_while(|(_, c)| is_word(*c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|(_, c)| !is_word(*c)).map_or(text.len(), |(i, _)| offset + i);
    let word = text[start..end].trim_end_matches(['.', '-', '_']);
    let word = word.trim_start_matches(['.', '-', '_']);
    let start = start + text[start..end].find(word)?;
    (!word.is_empty()).then_some(start..start + word.len())
}

pub(super) fn definition(server: &mut Server, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params;
    let (project, _, text) = server.folders.lookup(&position.text_document.uri)?;
    let workspace = &server.folders.projects[project].workspace;
    let offset = convert::offset(&text, position.position, server.encoding);
    let target = id_at(workspace, &text, offset)?;
    let locations: Vec<Location> = target.items.iter().filter_map(|item| id_location(server, project, item)).collect();
    Some(GotoDefinitionResponse::Array(locations))
}

/// Where an item's id is declared (the start of the file without one).
fn id_location(server: &Server, project: usize, item: &Item) -> Option<Location> {
    let workspace = &server.folders.projects[project].workspace;
    let uri = server.folders.uri(project, &item.path)?;
    let span = item.field(workspace.config.field("id")).map_or(0..0, |f| f.value_span.clone());
    let text = server.folders.text_of(project, &item.path).unwrap_or_else(|| item.source.clone());
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    Some(Location { uri, range: convert::range(&text, &(span.start + bom..span.end + bom), server.encoding) })
}

/// Every place an item names the id under the cursor: `depends_on`, `parent`, or its text.
pub(super) fn references(server: &mut Server, params: ReferenceParams) -> Option<Vec<Location>> {
    let position = params.text_document_position;
    let (project, _, text) = server.folders.lookup(&position.text_document.uri)?;
    let workspace = &server.folders.projects[project].workspace;
    let offset = convert::offset(&text, position.position, server.encoding);
    let target = id_at(workspace, &text, offset)?;
    let wanted = crate::backlog::normalize_id(&text[target.span.clone()]);
    let declarations: Vec<&str> = target.items.iter().map(|i| i.path.as_str()).collect();
    let mut out = Vec::new();
    for item in &workspace.backlog.items {
        let declares = declarations.contains(&item.path.as_str());
        let id_span = item.field(workspace.config.field("id")).map(|f| f.value_span.clone());
        let mentions: Vec<Range<usize>> = mentions(&item.source, &wanted)
            .into_iter()
            .filter(|span| params.context.include_declaration || !declares || id_span.as_ref() != Some(span))
            .collect();
        if mentions.is_empty() {
            continue;
        }
        let Some(uri) = server.folders.uri(project, &item.path) else { continue };
        let text = server.folders.text_of(project, &item.path).unwrap_or_else(|| item.source.clone());
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        out.extend(mentions.into_iter().map(|span| Location {
            uri: uri.clone(),
            range: convert::range(&text, &(span.start + bom..span.end + bom), server.encoding),
        }));
    }
    Some(out)
}

/// The words of `source` that are the id `wanted` (normalized).
fn mentions(source: &str, wanted: &str) -> Vec<Range<usize>> {
    // The number part must appear literally (leading zeros aside), which rules most items out fast.
    let digits: String = wanted.chars().skip_while(|c| !c.is_ascii_digit()).collect();
    let anchor = digits.trim_start_matches('0');
    if !anchor.is_empty() && !source.contains(anchor) {
        return Vec::new();
    }
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in source.char_indices().chain(std::iter::once((source.len(), ' '))) {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let word = source[s..i].trim_end_matches(['.', '-', '_']);
                if crate::backlog::normalize_id(word) == wanted {
                    out.push(s..s + word.len());
                }
            }
            _ => {}
        }
    }
    out
}

/// Every item of every project as `PB-142 Export invoices as CSV`, filtered by the query.
pub(super) fn workspace_symbols(server: &mut Server, params: WorkspaceSymbolParams) -> Option<WorkspaceSymbolResponse> {
    let query = params.query.to_lowercase();
    let mut out = Vec::new();
    for (project, p) in server.folders.projects.iter().enumerate() {
        let config = &p.workspace.config;
        for item in &p.workspace.backlog.items {
            let title = item.value(config.field("title")).map(Value::to_text);
            let name = match title {
                Some(title) => format!("{} {title}", item_name(item, config)),
                None => item_name(item, config),
            };
            if !query.is_empty() && !name.to_lowercase().contains(&query) {
                continue;
            }
            let Some(location) = id_location(server, project, item) else { continue };
            #[allow(deprecated)]
            out.push(SymbolInformation {
                name,
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                location,
                container_name: Some(item.path.clone()),
            });
        }
    }
    Some(WorkspaceSymbolResponse::Flat(out))
}

/// The item's front matter fields and its sections.
pub(super) fn document_symbols(server: &mut Server, params: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let (project, path, text) = server.folders.lookup(&params.text_document.uri)?;
    let workspace = &server.folders.projects[project].workspace;
    let item = workspace.backlog.get(&path)?;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let range = |span: &Range<usize>| convert::range(&text, &(span.start + bom..span.end + bom), server.encoding);
    let mut symbols = Vec::new();
    let block = crate::item::front_matter::find_block(&item.source).ok();
    if let Some((front_matter, block)) = item.front_matter.as_ref().zip(block) {
        let whole = front_matter.start..block.body_start;
        let fields = item
            .fields
            .iter()
            .map(|field| {
                symbol(
                    field.key.clone(),
                    Some(field.value.to_text()),
                    SymbolKind::FIELD,
                    range(&(field.key_span.start..field.value_span.end.max(field.key_span.end))),
                    range(&field.key_span),
                    None,
                )
            })
            .collect();
        symbols.push(symbol(
            "front matter".to_owned(),
            None,
            SymbolKind::NAMESPACE,
            range(&whole),
            range(front_matter),
            Some(fields),
        ));
    }
    for section in &item.body.sections {
        let whole = section.heading.start..section.content.end.max(section.heading.end);
        symbols.push(symbol(
            section.title.clone(),
            None,
            SymbolKind::STRING,
            range(&whole),
            range(&section.heading),
            None,
        ));
    }
    Some(DocumentSymbolResponse::Nested(symbols))
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection_range: lsp_types::Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol { name, detail, kind, tags: None, deprecated: None, range, selection_range, children }
}

#[cfg(test)]
mod tests {
    use super::{mentions, word_at};

    #[test]
    fn words_and_mentions() {
        let text = "depends_on: [PB-12, pb-012.] see PB-120.";
        assert_eq!(word_at(text, 15).map(|r| &text[r]), Some("PB-12"));
        assert_eq!(word_at(text, 22).map(|r| &text[r]), Some("pb-012"));
        let found: Vec<&str> = mentions(text, "pb-12").into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["PB-12", "pb-012"]);
    }
}
