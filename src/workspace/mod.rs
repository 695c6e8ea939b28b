//! The engine every front end shares: the configuration, every item (its content on disk, or
//! an editor's buffer while the file is open), the cross-item index, the git history of the
//! items and the findings of the rules on them. `check` loads one and lints it once; the
//! language server keeps one alive and updates one item at a time.

mod affected;
mod history;
mod lint;

use crate::backlog::Backlog;
use crate::config::{Config, ConfigError};
use crate::discover;
use crate::history::HistoryIndex;
use crate::item::Item;
use crate::report::Diagnostic;
use crate::RunError;
use lint::RuleCache;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

pub use lint::same_findings;

/// A loaded project: what a front end keeps alive between checks.
pub struct Workspace {
    pub config: Config,
    pub backlog: Backlog,
    /// Git history of the items; `None` without history or when it could not be read.
    pub history: Option<HistoryIndex>,
    /// "Now" for age-based rules, in seconds since the Unix epoch.
    pub now: i64,
    /// Notes for stderr gathered while loading.
    pub notes: Vec<String>,
    /// Findings of the items linted so far, by path.
    findings: HashMap<String, Vec<Diagnostic>>,
    rules: RuleCache,
    /// Whether `wip-limit` can have limits to check: only then do status and owner groups tie
    /// items' findings together.
    wip_limits: bool,
}

impl Workspace {
    /// Find the config from `start` (or take `explicit`), discover and load every item, and with
    /// `with_history` read their git history. The history is read before the items: its walk
    /// needs much memory for a short time, which the items can then reuse, so the peak stays low.
    pub fn load(start: &Path, explicit: Option<&Path>, with_history: bool, now: i64) -> Result<Workspace, RunError> {
        let config = Config::discover(start, explicit)?;
        Ok(Workspace::with_config(config, with_history, now))
    }

    /// [`Workspace::load`] with a configuration already loaded.
    pub fn with_config(config: Config, with_history: bool, now: i64) -> Workspace {
        let discovery = discover::discover(&config);
        let mut history_notes = Vec::new();
        let index = with_history.then(|| history::read(&config, &discovery.files, &mut history_notes)).flatten();
        let mut items: Vec<Item> =
            discovery.files.par_iter().map(|path| Item::load(&config.root, path.clone())).collect();
        crate::notes::drop_notes(&config, &mut items);
        let mut notes: Vec<String> = discovery.skipped.iter().map(|s| format!("skipped {s}")).collect();
        if config.file.is_none() && crate::config::backlog_md::detect(&config.root) {
            notes.push(format!(
                "no {} found; linting the Backlog.md project with `preset: backlog-md` (`backlint init` writes one)",
                crate::config::FILE_NAME
            ));
        }
        if discovery.files.is_empty() {
            notes.push(format!(
                "no items matched `items:` globs ({}) under {}",
                config.items.join(", "),
                config.root.display()
            ));
        }
        notes.extend(history_notes);
        let backlog = Backlog::new(items, &config);
        let wip_limits = has_wip_limits(&config);
        let mut workspace = Workspace {
            config,
            backlog,
            history: index,
            now,
            notes,
            findings: HashMap::new(),
            rules: RuleCache::default(),
            wip_limits,
        };
        if let Some(mut index) = workspace.history.take() {
            history::date_uncommitted_status_moves(&workspace.config, &workspace.backlog, &mut index);
            workspace.history = Some(index);
        }
        workspace
    }

    /// Replace every item at once (with staged content, say), reading the history of items it
    /// does not have yet. Forgets all findings.
    pub fn replace_items(&mut self, items: Vec<Item>) {
        self.backlog = Backlog::new(items, &self.config);
        self.findings.clear();
        if let Some(index) = self.history.as_mut() {
            let missing: Vec<String> =
                self.backlog.items.iter().filter(|i| index.get(&i.path).is_none()).map(|i| i.path.clone()).collect();
            if !missing.is_empty() {
                if let Some(more) = history::read(&self.config, &missing, &mut self.notes) {
                    index.merge(more);
                }
                // The second read repeats the first one's notes (a shallow clone, say) right after them.
                self.notes.dedup();
            }
            history::date_uncommitted_status_moves(&self.config, &self.backlog, index);
        }
    }

    /// Git history of the given items (paths relative to the project root), read now.
    pub fn read_history(&mut self, paths: &[String]) -> Option<HistoryIndex> {
        let mut index = history::read(&self.config, paths, &mut self.notes)?;
        history::date_uncommitted_status_moves(&self.config, &self.backlog, &mut index);
        Some(index)
    }

    /// Lint every item for which `wanted` holds, in parallel, and keep the findings.
    pub fn lint(&mut self, wanted: impl Fn(&Item) -> bool + Sync) {
        self.rules.prepare(&self.config, self.backlog.items.iter().filter(|item| wanted(item)));
        let cx = self.context();
        let rules = &self.rules;
        let found: Vec<(String, Vec<Diagnostic>)> = self
            .backlog
            .items
            .par_iter()
            .filter(|item| wanted(item))
            .map(|item| (item.path.clone(), lint::lint_item(item, &cx, rules.for_path(&item.path))))
            .collect();
        self.findings.extend(found);
    }

    /// The findings `text` would have as the content of `path`, leaving the workspace as it is
    /// (the other items see the item as it is now): for fixes applied until none is left.
    pub fn lint_text(&self, path: &str, text: &[u8]) -> Vec<Diagnostic> {
        let item = Item::parse(path.to_owned(), text);
        let cx = self.context();
        match self.rules.get(path) {
            Some(settings) => lint::lint_item(&item, &cx, settings),
            None => lint::lint_item(&item, &cx, &self.config.settings(&self.config.override_mask(path))),
        }
    }

    /// Findings of the item at `path` from the last lint (none if it was not linted).
    pub fn findings(&self, path: &str) -> &[Diagnostic] {
        self.findings.get(path).map_or(&[], Vec::as_slice)
    }

    /// Take the findings of the item at `path` out of the workspace.
    pub fn take_findings(&mut self, path: &str) -> Vec<Diagnostic> {
        self.findings.remove(path).unwrap_or_default()
    }

    /// Every linted path with findings.
    pub fn paths_with_findings(&self) -> impl Iterator<Item = &String> {
        self.findings.iter().filter(|(_, found)| !found.is_empty()).map(|(path, _)| path)
    }

    /// Set the content of the item at `path` (root-relative): an editor's buffer, or the file as
    /// it now is on disk; `None` removes the item. Re-lints the item and every other item whose
    /// findings can change with it (a new duplicate id flags the other file too), and returns the
    /// paths whose findings changed, sorted. Needs a workspace linted with [`Workspace::lint`].
    pub fn update(&mut self, path: &str, text: Option<&[u8]>) -> Vec<String> {
        let new = text
            .map(|bytes| Item::parse(path.to_owned(), bytes))
            .filter(|item| !crate::notes::is_note(&self.config, item));
        let before = self.affected_by(self.backlog.get(path));
        let old = self.backlog.replace(path, new, &self.config);
        let mut relint = before;
        relint.extend(self.affected_by(self.backlog.get(path)));
        relint.extend(affected::across(self, old.as_ref(), self.backlog.get(path)));
        relint.insert(path.to_owned());
        self.relint(relint)
    }

    /// Re-read the item at `path` from disk (after it was created, changed or deleted there, or
    /// its editor buffer was closed); see [`Workspace::update`].
    pub fn reload(&mut self, path: &str) -> Vec<String> {
        let on_disk = self.config.root.join(path);
        let is_item = self.config.is_item_path(path) && on_disk.is_file();
        if !is_item {
            return self.update(path, None);
        }
        match std::fs::read(&on_disk) {
            Ok(bytes) => self.update(path, Some(&bytes)),
            Err(_) => {
                // Unreadable: let the item say why, as a full load does.
                let item = Item::load(&self.config.root, path.to_owned());
                let source = item.source.clone();
                self.update(path, Some(source.as_bytes()))
            }
        }
    }

    /// The items whose findings may depend on `item`, as it is now in the backlog.
    fn affected_by(&self, item: Option<&Item>) -> BTreeSet<String> {
        item.map(|item| affected::neighbours(self, item)).unwrap_or_default()
    }

    /// Lint `paths` again; returns those whose findings changed.
    fn relint(&mut self, paths: BTreeSet<String>) -> Vec<String> {
        self.rules.prepare(&self.config, paths.iter().filter_map(|path| self.backlog.get(path)));
        let cx = self.context();
        let rules = &self.rules;
        let backlog = &self.backlog;
        let found: Vec<(String, Option<Vec<Diagnostic>>)> = paths
            .into_par_iter()
            .map(|path| {
                let found = backlog.get(&path).map(|item| lint::lint_item(item, &cx, rules.for_path(&item.path)));
                (path, found)
            })
            .collect();
        let mut changed = Vec::new();
        for (path, found) in found {
            let previous = match found {
                Some(found) => self.findings.insert(path.clone(), found),
                None => self.findings.remove(&path),
            };
            if !same_findings(previous.as_deref().unwrap_or(&[]), self.findings(&path)) {
                changed.push(path);
            }
        }
        changed
    }

    fn context(&self) -> crate::rules::Context<'_> {
        crate::rules::Context {
            config: &self.config,
            backlog: &self.backlog,
            history: self.history.as_ref(),
            now: self.now,
        }
    }
}

/// Whether the configuration gives `wip-limit` limits (in its defaults or presets), or may give
/// them in an override of the config file.
fn has_wip_limits(config: &Config) -> bool {
    let options = &config.effective(None)["rules"]["wip-limit"];
    let limits = options["limits"].as_object().is_some_and(|l| !l.is_empty()) || !options["per_owner"].is_null();
    let in_file = config
        .file
        .as_ref()
        .and_then(|f| std::fs::read_to_string(f).ok())
        .is_some_and(|text| text.contains("wip-limit"));
    limits || in_file
}

/// Load the configuration of the project around `start`, for a front end that reloads it.
pub fn load_config(start: &Path, explicit: Option<&Path>) -> Result<Config, ConfigError> {
    Config::discover(start, explicit)
}

#[cfg(test)]
mod tests;
