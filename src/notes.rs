//! Files without front matter among the items: notes that a team keeps next to its items
//! (planning notes, meeting minutes, a folder's README) rather than broken items.
//!
//! The `notes:` globs of the config say where such files are notes: there a file without front
//! matter is passed over, and a file with front matter is still an item. Elsewhere each one is a
//! `parse-error`; the human and concise reports group them into one finding that spells out the
//! `notes:` globs to add, and `backlint init` writes those globs when it sees such files.

use crate::config::Config;
use crate::item::Item;
use std::collections::BTreeMap;

/// How many files without front matter make a group (and make `init` propose `notes:`): below
/// this, one finding per file reads better than a group.
pub const GROUP_MIN: usize = 3;

/// The most globs a suggestion lists before it falls back to a common parent directory.
const MAX_GLOBS: usize = 4;

/// Whether `item` is a note by the `notes:` globs: it has no front matter and a `notes:` glob
/// matches it.
pub fn is_note(config: &Config, item: &Item) -> bool {
    !config.notes.is_empty() && item.lacks_front_matter() && config.is_note_path(&item.path)
}

/// Leave out the files that `notes:` declares to be notes; returns how many were left out.
pub fn drop_notes(config: &Config, items: &mut Vec<Item>) -> usize {
    let before = items.len();
    items.retain(|item| !is_note(config, item));
    before - items.len()
}

/// The directories holding `paths` (root-relative files), with how many of the files each holds,
/// most first (then by name).
pub fn directories<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for path in paths {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        *counts.entry(dir.to_owned()).or_default() += 1;
    }
    let mut dirs: Vec<(String, usize)> = counts.into_iter().collect();
    dirs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    dirs
}

/// `notes:` globs that cover `paths`: one `DIR/*` per directory, or, when they are spread over
/// more than a few directories, `PARENT/**` for the deepest directory holding them all.
pub fn suggest_globs<'p>(paths: impl IntoIterator<Item = &'p str>) -> Vec<String> {
    let mut dirs: Vec<String> = directories(paths).into_iter().map(|(dir, _)| dir).collect();
    dirs.sort();
    if dirs.len() <= MAX_GLOBS {
        return dirs.iter().map(|dir| if dir.is_empty() { "*".to_owned() } else { format!("{dir}/*") }).collect();
    }
    let mut common: Vec<&str> = dirs[0].split('/').collect();
    for dir in &dirs[1..] {
        let parts: Vec<&str> = dir.split('/').collect();
        let shared = common.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        common.truncate(shared);
    }
    let common = common.join("/");
    vec![if common.is_empty() { "**".to_owned() } else { format!("{common}/**") }]
}

/// Globs as a YAML flow list: `["backlog/docs/*", "backlog/notes/*"]`.
pub fn flow_list(globs: &[String]) -> String {
    let quoted: Vec<String> =
        globs.iter().map(|g| format!("\"{}\"", g.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_directories_get_a_glob_each() {
        let paths = ["backlog/docs/a.md", "backlog/docs/b.md", "backlog/tasks/plan.md", "README.md"];
        assert_eq!(suggest_globs(paths), ["*", "backlog/docs/*", "backlog/tasks/*"]);
        assert_eq!(directories(paths)[0], ("backlog/docs".to_owned(), 2));
    }

    #[test]
    fn many_directories_share_their_parent() {
        let paths = ["backlog/a/x.md", "backlog/b/x.md", "backlog/c/x.md", "backlog/d/e/x.md", "backlog/f/x.md"];
        assert_eq!(suggest_globs(paths), ["backlog/**"]);
        let spread = ["a/x.md", "b/x.md", "c/x.md", "d/x.md", "e/x.md"];
        assert_eq!(suggest_globs(spread), ["**"]);
    }

    #[test]
    fn globs_print_as_a_yaml_list() {
        assert_eq!(flow_list(&["a/*".to_owned(), "b \"c\"/*".to_owned()]), r#"["a/*", "b \"c\"/*"]"#);
    }
}
