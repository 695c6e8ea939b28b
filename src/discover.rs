//! Which files are items: walk the project root (never following symlinks) and match the
//! `items:` and `exclude:` globs against root-relative paths.

use crate::config::Config;
use walkdir::WalkDir;

/// The item files found, and what was passed over on the way.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Root-relative paths with `/` separators, sorted.
    pub files: Vec<String>,
    /// Human-readable notes on files and folders that could not be walked or were skipped.
    pub skipped: Vec<String>,
}

pub fn discover(config: &Config) -> Discovery {
    let mut discovery = Discovery::default();
    for base in walk_bases(&config.items) {
        let start = config.root.join(&base);
        if !start.exists() {
            continue;
        }
        let walker = WalkDir::new(&start).follow_links(false).sort_by_file_name().into_iter();
        let walker = walker.filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let at = error.path().map(|p| relative(config, p)).unwrap_or_else(|| base.clone());
                    let reason = error.io_error().map_or_else(|| error.to_string(), crate::item::io_reason);
                    discovery.skipped.push(format!("{at}: {reason}"));
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let path = relative(config, entry.path());
            if !config.is_item_path(&path) {
                continue;
            }
            if entry.path_is_symlink() {
                discovery.skipped.push(format!("{path}: symbolic link not followed"));
                continue;
            }
            discovery.files.push(path);
        }
    }
    discovery.files.sort();
    discovery.files.dedup();
    discovery
}

/// The literal directory prefix of each glob (`backlog` for `backlog/**/*.md`), so the walk
/// stays inside the backlog instead of crossing `node_modules` or `target`.
pub fn walk_bases(globs: &[String]) -> Vec<String> {
    let mut bases: Vec<String> = globs
        .iter()
        .map(|glob| {
            let literal: Vec<&str> =
                glob.split('/').take_while(|part| !part.contains(['*', '?', '[', '{', '\\'])).collect();
            // The last literal part may be the file name itself.
            let dirs =
                if literal.len() == glob.split('/').count() { &literal[..literal.len() - 1] } else { &literal[..] };
            dirs.join("/")
        })
        .collect();
    bases.sort();
    bases.dedup();
    // A base inside another base would be walked twice.
    let all = bases.clone();
    bases.retain(|b| !all.iter().any(|other| other != b && (other.is_empty() || b.starts_with(&format!("{other}/")))));
    bases
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// A path relative to the project root, with `/` separators.
pub fn relative(config: &Config, path: &std::path::Path) -> String {
    let relative = path.strip_prefix(&config.root).unwrap_or(path);
    let parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::walk_bases;

    #[test]
    fn walks_only_literal_prefixes() {
        let globs = ["backlog/**/*.md", "backlog/tasks/*.md", "docs/items/x.md", "**/*.item.md"].map(String::from);
        assert_eq!(walk_bases(&globs[..3]), ["backlog", "docs/items"]);
        assert_eq!(walk_bases(&globs), [""]);
    }
}
