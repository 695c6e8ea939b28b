//! Backlog.md's `backlog/config.yml`, read the way Backlog.md reads it: line by line, `key: value`
//! scalars and lists written as flow lists (`[a, "b"]`) or block lists (`- a`). It is not one
//! YAML document in general, so no YAML parser is involved; anything unexpected is skipped.

use super::file::ConfigFile;
use super::ConfigError;
use crate::item::front_matter::strip_comment;
use std::collections::BTreeMap;
use std::path::Path;

/// The name of the preset that reads this file.
pub const PRESET: &str = "backlog-md";
/// Where Backlog.md keeps its configuration, relative to the project root.
pub const CONFIG_PATH: &str = "backlog/config.yml";
/// Where Backlog.md keeps open tasks, relative to the project root.
pub const TASKS_DIR: &str = "backlog/tasks";

/// What backlint takes from `backlog/config.yml`; missing or empty lists get Backlog.md's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogMdConfig {
    /// In board order; the last one is the final status.
    pub statuses: Vec<String>,
    /// Empty: any label.
    pub labels: Vec<String>,
    pub priorities: Vec<String>,
    pub types: Vec<String>,
}

impl Default for BacklogMdConfig {
    fn default() -> Self {
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        BacklogMdConfig {
            statuses: strings(&["To Do", "In Progress", "Done"]),
            labels: Vec::new(),
            priorities: strings(&["high", "medium", "low"]),
            types: strings(&["bug", "feature", "enhancement", "task", "chore", "docs", "spike"]),
        }
    }
}

/// Whether `root` holds a Backlog.md project: `backlog/config.yml` and `backlog/tasks/`.
pub fn detect(root: &Path) -> bool {
    root.join(CONFIG_PATH).is_file() && root.join(TASKS_DIR).is_dir()
}

/// Read `root/backlog/config.yml`; a missing file means Backlog.md's defaults.
pub fn read(root: &Path) -> Result<BacklogMdConfig, ConfigError> {
    let path = root.join(CONFIG_PATH);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(parse(&String::from_utf8_lossy(&bytes))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(BacklogMdConfig::default()),
        Err(error) => Err(ConfigError::io(&path, &error)),
    }
}

/// Parse the text of a `config.yml`.
pub fn parse(text: &str) -> BacklogMdConfig {
    let mut config = BacklogMdConfig::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        let list = if value.starts_with('[') {
            // A flow list, possibly continued on the next lines.
            let mut flow = value.to_owned();
            while !strip_comment(&flow).trim_end().ends_with(']') && i < lines.len() {
                flow.push(' ');
                flow.push_str(lines[i].trim());
                i += 1;
            }
            flow_list(&flow)
        } else if strip_comment(value).trim().is_empty() {
            let mut items = Vec::new();
            while let Some(entry) = lines.get(i).map(|l| l.trim_start()).filter(|l| l.starts_with('-') || l.is_empty())
            {
                if let Some(item) = entry.strip_prefix('-') {
                    items.push(unquote(strip_comment(item)));
                }
                i += 1;
            }
            items
        } else {
            continue;
        };
        let list: Vec<String> = list.into_iter().filter(|s| !s.is_empty()).collect();
        let target = match key.trim() {
            "statuses" => &mut config.statuses,
            "labels" => &mut config.labels,
            "priorities" => &mut config.priorities,
            "types" => &mut config.types,
            _ => continue,
        };
        if !list.is_empty() || key.trim() == "labels" {
            *target = list;
        }
    }
    config
}

impl BacklogMdConfig {
    /// The config layer that goes between the preset and the user's `.backlint.yaml`.
    pub(super) fn layer(&self) -> ConfigFile {
        let mut statuses = self.statuses.clone();
        if !statuses.iter().any(|s| s.eq_ignore_ascii_case("draft")) {
            statuses.insert(0, "Draft".to_owned());
        }
        let first = self.statuses.first();
        // Readiness starts with the first status after the one new tasks get.
        let ready = self.statuses.get(1).or(first).cloned();
        let last = self.statuses.last();
        let active: Vec<serde_json::Value> = self
            .statuses
            .iter()
            .filter(|s| Some(*s) != first && Some(*s) != last)
            .map(|s| serde_json::Value::from(s.as_str()))
            .collect();
        let mut rules = BTreeMap::new();
        rules
            .insert("invalid-value".to_owned(), serde_json::json!({ "vocabularies": { "priority": self.priorities } }));
        rules.insert("unknown-tag".to_owned(), serde_json::json!({ "allowed": self.labels }));
        if !active.is_empty() {
            rules.insert("owner-missing".to_owned(), serde_json::json!({ "statuses": active }));
        }
        if let Some(ready) = &ready {
            rules.insert("aging-wip".to_owned(), serde_json::json!({ "status": ready }));
        }
        ConfigFile {
            statuses: Some(statuses),
            ready_status: ready,
            final_statuses: last.map(|s| vec![s.clone()]),
            types: Some(self.types.clone()),
            rules: Some(rules),
            ..ConfigFile::default()
        }
    }
}

/// The elements of `[a, "b, c", 'd']`.
fn flow_list(text: &str) -> Vec<String> {
    let text = strip_comment(text).trim();
    let inner = text.strip_prefix('[').unwrap_or(text);
    let inner = inner.strip_suffix(']').unwrap_or(inner);
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in inner.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, ',') => items.push(unquote(&std::mem::take(&mut current))),
            _ => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        items.push(unquote(&current));
    }
    items
}

/// A scalar without its surrounding quotes.
fn unquote(text: &str) -> String {
    let text = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return if q == '\'' { inner.replace("''", "'") } else { inner.replace("\\\"", "\"") };
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_backlog_md_writes() {
        let text = "project_name: \"Invoicing\"\ndefault_status: \"To Do\"\nstatuses: [\"To Do\", \"In Progress\", \"Done\"]\nlabels: []\ndate_format: yyyy-mm-dd\ntask_prefix: \"back\"";
        let config = parse(text);
        assert_eq!(config.statuses, ["To Do", "In Progress", "Done"]);
        assert!(config.labels.is_empty());
        assert_eq!(config.priorities, ["high", "medium", "low"]);
        assert_eq!(config.types[0], "bug");
    }

    #[test]
    fn reads_block_lists_comments_quotes_and_crlf() {
        let text = "\u{feff}# board\r\nstatuses:\r\n  - 'Backlog'\r\n  - \"Doing\"   # now\r\n\r\n  - Done\r\nlabels: [ui, 'it''s', \"a, b\"]  # mine\r\npriorities: [\r\n  P1,\r\n  P2]\r\ntypes:\r\nother: x\r\n";
        let config = parse(text);
        assert_eq!(config.statuses, ["Backlog", "Doing", "Done"]);
        assert_eq!(config.labels, ["ui", "it's", "a, b"]);
        assert_eq!(config.priorities, ["P1", "P2"]);
        assert_eq!(config.types, BacklogMdConfig::default().types, "an empty list keeps the default");
    }

    #[test]
    fn garbage_gives_defaults() {
        assert_eq!(parse("::: [\n- x\n\t\u{0}"), BacklogMdConfig::default());
        assert_eq!(parse(""), BacklogMdConfig::default());
    }

    #[test]
    fn layer_puts_draft_first_and_makes_the_last_status_final() {
        let layer = parse("statuses: [Todo, Doing, Review, Shipped]\n").layer();
        assert_eq!(
            layer.statuses.as_deref(),
            Some(&["Draft", "Todo", "Doing", "Review", "Shipped"].map(String::from)[..])
        );
        assert_eq!(layer.final_statuses.as_deref(), Some(&["Shipped".to_owned()][..]));
        assert_eq!(layer.ready_status.as_deref(), Some("Doing"));
        let rules = layer.rules.expect("rules");
        assert_eq!(rules["owner-missing"], serde_json::json!({ "statuses": ["Doing", "Review"] }));
        assert_eq!(rules["aging-wip"], serde_json::json!({ "status": "Doing" }));
    }
}
