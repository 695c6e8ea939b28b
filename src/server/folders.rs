//! The projects the server lints: one [`Workspace`] per project root found in the client's
//! workspace folders (or around an opened file outside them), the open documents, and what
//! changed since the client last heard.

use super::convert::{path_of, uri_of};
use crate::config::{Config, ConfigError};
use crate::root_relative;
use crate::workspace::Workspace;
use lsp_types::{InitializeParams, Url, WorkspaceFoldersChangeEvent};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A file whose diagnostics the client should be told again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Changed {
    pub(crate) project: usize,
    /// Relative to the project root; for a configuration error, the config file's path.
    pub(crate) path: String,
}

pub(crate) struct Project {
    /// The folder the project was found from.
    pub(crate) folder: PathBuf,
    pub(crate) workspace: Workspace,
    /// The error of the last attempt to reload the configuration, shown in the config file;
    /// the workspace keeps the last good configuration meanwhile.
    pub(crate) config_error: Option<(String, ConfigError)>,
    /// Files told about because their findings changed, though not open.
    told: BTreeSet<String>,
}

/// An open document: the editor's text replaces the file's content on disk.
pub(crate) struct Document {
    pub(crate) project: usize,
    pub(crate) path: String,
    pub(crate) text: String,
    pub(crate) version: i32,
}

pub(crate) struct Folders {
    folders: Vec<PathBuf>,
    pub(crate) projects: Vec<Project>,
    pub(crate) documents: HashMap<Url, Document>,
    /// Open documents changed since the last lint.
    pending: BTreeSet<Url>,
    history: bool,
    now: i64,
}

impl Folders {
    pub(crate) fn new(params: &InitializeParams, history: bool, now: i64) -> Folders {
        let mut folders: Vec<PathBuf> =
            params.workspace_folders.iter().flatten().filter_map(|f| path_of(&f.uri)).collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(path_of));
        }
        Folders { folders, projects: Vec::new(), documents: HashMap::new(), pending: BTreeSet::new(), history, now }
    }

    /// Load the project of every workspace folder.
    pub(crate) fn load_all(&mut self) {
        for folder in self.folders.clone() {
            self.project_for(&folder);
        }
    }

    /// The project holding `path` (a file or folder), loaded if needed.
    fn project_for(&mut self, path: &Path) -> Option<usize> {
        let inside = |p: &Project| root_relative(&p.workspace.config.root, path).is_some();
        let best = self
            .projects
            .iter()
            .enumerate()
            .filter(|(_, p)| inside(p))
            .max_by_key(|(_, p)| p.workspace.config.root.components().count())
            .map(|(i, _)| i);
        let start = if path.is_dir() { path.to_path_buf() } else { path.parent()?.to_path_buf() };
        let config = Config::discover(&start, None).ok()?;
        let root = std::path::absolute(&config.root).unwrap_or_else(|_| config.root.clone());
        // A nested project of its own wins over the folder around it.
        if let Some(i) = best {
            let known = std::path::absolute(&self.projects[i].workspace.config.root).ok();
            if known.as_deref() == Some(root.as_path()) {
                return Some(i);
            }
        }
        if let Some(i) = self.projects.iter().position(|p| p.workspace.config.root == config.root) {
            return Some(i);
        }
        let mut workspace = Workspace::with_config(config, self.history, self.now);
        workspace.lint(|_| true);
        self.projects.push(Project { folder: start, workspace, config_error: None, told: BTreeSet::new() });
        Some(self.projects.len() - 1)
    }

    pub(crate) fn open(&mut self, uri: Url, version: i32, text: String) -> Vec<Changed> {
        let Some(file) = path_of(&uri) else { return Vec::new() };
        let Some(project) = self.project_for(&file) else { return Vec::new() };
        let root = self.projects[project].workspace.config.root.clone();
        let Some(path) = root_relative(&root, &file) else { return Vec::new() };
        let mut changes = vec![Changed { project, path: path.clone() }];
        if self.is_item(project, &path) {
            changes.extend(self.update(project, &path, Some(text.as_bytes())));
        }
        self.documents.insert(uri, Document { project, path, text, version });
        dedup(changes)
    }

    pub(crate) fn change(&mut self, uri: &Url, version: i32, text: String) {
        if let Some(document) = self.documents.get_mut(uri) {
            document.text = text;
            document.version = version;
            self.pending.insert(uri.clone());
        }
    }

    /// Lint the documents changed since the last call; returns the files whose findings changed.
    pub(crate) fn apply_pending(&mut self) -> Vec<Changed> {
        let mut changes = Vec::new();
        for uri in std::mem::take(&mut self.pending) {
            let Some(document) = self.documents.get(&uri) else { continue };
            let (project, path, text) = (document.project, document.path.clone(), document.text.clone());
            if self.is_item(project, &path) {
                changes.push(Changed { project, path: path.clone() });
                changes.extend(self.update(project, &path, Some(text.as_bytes())));
            }
        }
        dedup(changes)
    }

    /// The editor closed the document: the file's content on disk counts again.
    pub(crate) fn close(&mut self, uri: &Url) -> Vec<Changed> {
        self.pending.remove(uri);
        let Some(document) = self.documents.remove(uri) else { return Vec::new() };
        let (project, path) = (document.project, document.path);
        let mut changes = vec![Changed { project, path: path.clone() }];
        if self.is_item(project, &path) {
            let changed = self.projects[project].workspace.reload(&path);
            changes.extend(changed.into_iter().map(|path| Changed { project, path }));
        }
        dedup(changes)
    }

    /// Files created, changed or deleted on disk (a `git checkout`, a merge, a config edit).
    pub(crate) fn files_changed(&mut self, uris: &[Url]) -> Vec<Changed> {
        let mut changes = Vec::new();
        let mut reload_config = BTreeSet::new();
        for file in uris.iter().filter_map(path_of) {
            for project in 0..self.projects.len() {
                let config = &self.projects[project].workspace.config;
                let is_config = file.file_name().is_some_and(|n| n == crate::config::FILE_NAME)
                    && config.file.as_deref().map_or_else(
                        || file.parent().and_then(|p| root_relative(&config.root, p)).is_some_and(|r| r.is_empty()),
                        |f| same_file(f, &file),
                    );
                if is_config {
                    reload_config.insert(project);
                    continue;
                }
                let Some(path) = root_relative(&config.root, &file) else { continue };
                let open = self.documents.values().any(|d| d.project == project && d.path == path);
                if !open
                    && (config.is_item_path(&path) || self.projects[project].workspace.backlog.get(&path).is_some())
                {
                    let changed = self.projects[project].workspace.reload(&path);
                    changes.extend(changed.into_iter().map(|path| Changed { project, path }));
                }
            }
        }
        for project in reload_config {
            changes.extend(self.reload_config(project));
        }
        dedup(changes)
    }

    /// Load the project's configuration again and lint everything with it; on an error, keep
    /// the last good configuration and findings and report the error in the config file.
    fn reload_config(&mut self, project: usize) -> Vec<Changed> {
        let folder = self.projects[project].folder.clone();
        let config_path = self.config_path(project);
        let mut changes: Vec<Changed> = Vec::new();
        if self.projects[project].config_error.take().is_some() {
            changes.push(Changed { project, path: config_path.clone() });
        }
        match Config::discover(&folder, None) {
            Err(error) => {
                self.projects[project].config_error = Some((config_path.clone(), error));
                changes.push(Changed { project, path: config_path });
            }
            Ok(config) => {
                let mut workspace = Workspace::with_config(config, self.history, self.now);
                let open: Vec<(String, String)> = self
                    .documents
                    .values()
                    .filter(|d| d.project == project)
                    .map(|d| (d.path.clone(), d.text.clone()))
                    .collect();
                let items: Vec<crate::item::Item> = open
                    .iter()
                    .filter(|(path, _)| workspace.config.is_item_path(path))
                    .map(|(path, text)| crate::item::Item::parse(path.clone(), text.as_bytes()))
                    .collect();
                if !items.is_empty() {
                    let mut all: BTreeMap<String, crate::item::Item> =
                        std::mem::take(&mut workspace.backlog.items).into_iter().map(|i| (i.path.clone(), i)).collect();
                    all.extend(items.into_iter().map(|i| (i.path.clone(), i)));
                    workspace.backlog = crate::backlog::Backlog::new(all.into_values().collect(), &workspace.config);
                }
                workspace.lint(|_| true);
                let told = std::mem::take(&mut self.projects[project].told);
                changes.extend(told.into_iter().map(|path| Changed { project, path }));
                changes.extend(open.into_iter().map(|(path, _)| Changed { project, path }));
                self.projects[project].workspace = workspace;
            }
        }
        dedup(changes)
    }

    /// The configuration file of a project (or where it would be), relative to its root.
    pub(crate) fn config_path(&self, project: usize) -> String {
        let config = &self.projects[project].workspace.config;
        let file = config.file.clone().unwrap_or_else(|| config.root.join(crate::config::FILE_NAME));
        root_relative(&config.root, &file).unwrap_or_else(|| crate::config::FILE_NAME.to_owned())
    }

    pub(crate) fn change_folders(&mut self, event: &WorkspaceFoldersChangeEvent) -> Vec<Changed> {
        for folder in event.added.iter().filter_map(|f| path_of(&f.uri)) {
            self.folders.push(folder.clone());
            self.project_for(&folder);
        }
        // Projects of removed folders stay loaded: open documents may still belong to them.
        self.folders.retain(|f| !event.removed.iter().filter_map(|r| path_of(&r.uri)).any(|r| &r == f));
        Vec::new()
    }

    fn is_item(&self, project: usize, path: &str) -> bool {
        self.projects[project].workspace.config.is_item_path(path)
    }

    fn update(&mut self, project: usize, path: &str, text: Option<&[u8]>) -> Vec<Changed> {
        let changed = self.projects[project].workspace.update(path, text);
        changed.into_iter().map(|path| Changed { project, path }).collect()
    }

    /// Remember which unopened files the client was told about, to clear them later.
    pub(crate) fn told(&mut self, changed: &Changed, has_findings: bool) {
        let told = &mut self.projects[changed.project].told;
        if has_findings {
            told.insert(changed.path.clone());
        } else {
            told.remove(&changed.path);
        }
    }

    /// The document or item at `uri`: its project, root-relative path and current text.
    pub(crate) fn lookup(&self, uri: &Url) -> Option<(usize, String, String)> {
        if let Some(d) = self.documents.get(uri) {
            return Some((d.project, d.path.clone(), d.text.clone()));
        }
        let file = path_of(uri)?;
        self.projects.iter().enumerate().find_map(|(i, p)| {
            let path = root_relative(&p.workspace.config.root, &file)?;
            let item = p.workspace.backlog.get(&path)?;
            Some((i, path, item.source.clone()))
        })
    }

    /// The text of a project file as the client sees it: the open document, else the file on disk.
    pub(crate) fn text_of(&self, project: usize, path: &str) -> Option<String> {
        let root = &self.projects[project].workspace.config.root;
        let uri = uri_of(&root.join(path))?;
        if let Some(d) = self.documents.get(&uri) {
            return Some(d.text.clone());
        }
        std::fs::read_to_string(root.join(path))
            .ok()
            .or_else(|| self.projects[project].workspace.backlog.get(path).map(|i| i.source.clone()))
    }

    pub(crate) fn uri(&self, project: usize, path: &str) -> Option<Url> {
        uri_of(&self.projects[project].workspace.config.root.join(path))
    }

    pub(crate) fn version(&self, uri: &Url) -> Option<i32> {
        self.documents.get(uri).map(|d| d.version)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).ok().or_else(|| std::path::absolute(p).ok());
    canon(a) == canon(b)
}

fn dedup(mut changes: Vec<Changed>) -> Vec<Changed> {
    changes.sort();
    changes.dedup();
    changes
}
