//! `backlint init`: write a commented `.backlint.yaml` that fits the project in a directory.
//!
//! A Backlog.md project (`backlog/config.yml` and `backlog/tasks/`) gets `preset: backlog-md`;
//! anything else gets `preset: scrum` with the defaults spelled out as comments. When several
//! files under the item globs have no front matter, `notes:` is written for their folders.

use crate::config::{backlog_md, Config, FILE_NAME};
use crate::item::Item;
use crate::notes;
use crate::rules::RULES;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which kind of project `init` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A Backlog.md project.
    BacklogMd,
    /// Anything else: backlint's own item format.
    Scrum,
}

impl Layout {
    /// Look at `dir` to choose the preset.
    pub fn detect(dir: &Path) -> Layout {
        if backlog_md::detect(dir) {
            Layout::BacklogMd
        } else {
            Layout::Scrum
        }
    }

    pub fn preset(self) -> &'static str {
        match self {
            Layout::BacklogMd => backlog_md::PRESET,
            Layout::Scrum => "scrum",
        }
    }
}

/// The config file `init` wrote.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    pub text: String,
    pub layout: Layout,
}

/// Why `init` wrote nothing (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InitError {
    #[error("{0} already exists; backlint init does not overwrite it")]
    #[diagnostic(code(usage), help("edit the existing file, or remove it and run `backlint init` again"))]
    Exists(String),
    #[error("not a directory: {0}")]
    #[diagnostic(code(usage), help("pass an existing directory with `--path DIR`"))]
    NotADirectory(String),
    #[error("cannot write {path}: {reason}")]
    #[diagnostic(code(io))]
    Write { path: String, reason: String },
}

/// Write `.backlint.yaml` into `dir`, never replacing an existing file.
pub fn init(dir: &Path) -> Result<Written, InitError> {
    if !dir.is_dir() {
        return Err(InitError::NotADirectory(dir.display().to_string()));
    }
    let path = dir.join(FILE_NAME);
    let layout = Layout::detect(dir);
    let text = render(layout, true, &Notes::find(dir));
    let write_error = |error: std::io::Error| InitError::Write {
        path: path.display().to_string(),
        reason: crate::item::io_reason(&error),
    };
    // `create_new` refuses an existing file atomically, so a file created meanwhile is kept too.
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(InitError::Exists(path.display().to_string()));
        }
        Err(error) => return Err(write_error(error)),
    };
    file.write_all(text.as_bytes()).map_err(write_error)?;
    Ok(Written { path, text, layout })
}

/// Files without front matter under the item globs, which `init` proposes to take as notes.
#[derive(Debug, Default)]
pub struct Notes {
    /// Root-relative paths.
    pub paths: Vec<String>,
}

impl Notes {
    /// Look for files without front matter under the item globs that the project in `dir` would
    /// have without a config file.
    pub fn find(dir: &Path) -> Notes {
        let Ok(config) = Config::load(dir, None) else { return Notes::default() };
        let files = crate::discover::discover(&config).files;
        let paths =
            files.into_iter().filter(|path| Item::load(&config.root, path.clone()).lacks_front_matter()).collect();
        Notes { paths }
    }

    /// The `notes:` globs to propose, when there are enough such files to matter.
    fn globs(&self) -> Option<Vec<String>> {
        (self.paths.len() >= notes::GROUP_MIN).then(|| notes::suggest_globs(self.paths.iter().map(String::as_str)))
    }

    /// The lines that set `notes:`, with a comment that says why.
    fn lines(&self) -> Option<String> {
        let globs = self.globs()?;
        let dirs = notes::directories(self.paths.iter().map(String::as_str));
        let (top, most) = dirs.first().map_or((".", 0), |(dir, n)| (if dir.is_empty() { "." } else { dir }, *n));
        Some(format!(
            "# {} files under the item globs have no front matter ({most} of them in {top}/). Taken as notes,\n\
             # not items, they are passed over instead of being reported one by one as parse errors; a\n\
             # file with front matter there is still an item. Remove this line to have them reported.\n\
             notes: {}\n\n",
            self.paths.len(),
            notes::flow_list(&globs)
        ))
    }
}

/// The config text for `layout`. With `commented`, every line beyond the preset is a comment; without,
/// the same lines are live, which is how tests check that uncommenting them gives a valid config.
/// `found` proposes `notes:` (live) when files without front matter were seen.
pub fn render(layout: Layout, commented: bool, found: &Notes) -> String {
    let option = |line: &str| if commented { format!("# {line}\n") } else { format!("{line}\n") };
    let mut out = format!("# yaml-language-server: $schema={}\n", crate::config::schema::SCHEMA_URL);
    out.push_str(
        "# backlint configuration. Every key is optional: `backlint rules` lists the rules and\n\
         # `backlint explain RULE` tells what one checks and which options it takes.\n",
    );
    match layout {
        Layout::BacklogMd => {
            out.push_str(
                "#\n\
                 # This is a Backlog.md project (backlog/config.yml, backlog/tasks/). The backlog-md preset\n\
                 # lints the tasks in backlog/tasks, completed, drafts and archive, and takes statuses, types,\n\
                 # priorities and labels from backlog/config.yml: keep changing them there.\n",
            );
            out.push_str(&format!("preset: {}\n\n", backlog_md::PRESET));
            out.push_str(&found.lines().unwrap_or_default());
            out.push_str("# Uncomment to change the preset's choices, for example:\n");
            for line in [
                "rules:",
                "  acceptance-criteria: error        # the preset only warns",
                "  unknown-tag: off                  # accept labels missing from backlog/config.yml",
                "  wip-limit: { limits: { In Progress: 3 } }",
                "overrides:",
                "  - files: [\"backlog/drafts/**\"]",
                "    rules: { title-length: off }",
            ] {
                out.push_str(&option(line));
            }
        }
        Layout::Scrum => {
            out.push_str("preset: scrum\n\n");
            out.push_str(&found.lines().unwrap_or_default());
            out.push_str("# The defaults, spelled out. Uncomment a line to change it.\n");
            for line in [
                "items: [\"backlog/**/*.md\"]            # which files are items",
                "exclude: []                           # which are not, e.g. [\"backlog/archive/**\"]",
                "notes: []                             # where files without front matter are notes, not items",
                "statuses: [idea, refining, ready, in-progress, done]   # in workflow order",
                "ready_status: ready                   # readiness rules apply from this status on",
                "final_statuses: [done]",
                "types: [story, bug, spike, epic, task]",
                "levels: [low, medium, high]           # for risk and value; the last one is high",
                "sizes: { XS: 1, S: 2, M: 3, L: 5, XL: 13 }   # t-shirt sizes in points",
                "fields: {}                            # canonical name -> your key, e.g. { owner: assignee }",
                "sections:                             # canonical section -> accepted headings",
                "  value_hypothesis: [Value hypothesis, Hypothesis, Why]",
                "  risks: [Risks]",
                "  acceptance_criteria: [Acceptance criteria, Definition of Done]",
                "  learning_goal: [Learning goal, Learning goals, Question, Questions]",
                "rules:                                # error | warning | info | off, or { severity, options }",
            ] {
                // `notes:` is already set above when files without front matter were found.
                if line.starts_with("notes:") && found.globs().is_some() {
                    continue;
                }
                out.push_str(&option(line));
            }
            for rule in RULES {
                let meta = rule.meta();
                let severity = meta.default_severity.as_str();
                let options: Vec<String> = match rule.default_options() {
                    serde_json::Value::Object(options) => {
                        options.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| format!("{k}: {}", flow(v))).collect()
                    }
                    _ => Vec::new(),
                };
                let setting = if options.is_empty() {
                    severity.to_owned()
                } else {
                    format!("{{ severity: {severity}, {} }}", options.join(", "))
                };
                out.push_str(&option(&format!("  {}: {setting}", meta.name)));
            }
            for line in ["overrides:", "  - files: [\"backlog/spikes/**\"]", "    rules: { value-hypothesis: off }"] {
                out.push_str(&option(line));
            }
        }
    }
    out
}

/// A JSON value as a one-line YAML flow value.
fn flow(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Value::String(s) => {
            let plain = s.starts_with(|c: char| c.is_alphanumeric())
                && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && s.parse::<f64>().is_err()
                && !matches!(s.to_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off");
            if plain {
                s.clone()
            } else {
                serde_json::to_string(s).unwrap_or_default()
            }
        }
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{}: {}", flow_key(k), flow(v))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
    }
}

fn flow_key(key: &str) -> String {
    flow(&serde_json::Value::String(key.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn load(text: &str, dir: &Path) -> Config {
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).expect("write");
        Config::load(dir, Some(&path)).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
    }

    #[test]
    fn scrum_defaults_spelled_out_are_the_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let commented = load(&render(Layout::Scrum, true, &Notes::default()), dir.path());
        let live = load(&render(Layout::Scrum, false, &Notes::default()), dir.path());
        let defaults = Config::load(dir.path(), None).expect("defaults");
        for config in [&commented, &live] {
            assert_eq!(config.items, defaults.items);
            assert_eq!(config.statuses, defaults.statuses);
            assert_eq!(config.ready_status, defaults.ready_status);
            assert_eq!(config.final_statuses, defaults.final_statuses);
            assert_eq!(config.types, defaults.types);
            assert_eq!(config.levels, defaults.levels);
            assert_eq!(config.sizes, defaults.sizes);
            for section in ["value_hypothesis", "risks", "acceptance_criteria", "learning_goal"] {
                assert_eq!(config.section_names(section), defaults.section_names(section), "{section}");
            }
        }
        let text = render(Layout::Scrum, true, &Notes::default());
        for rule in RULES {
            assert!(text.contains(&format!("#   {}: ", rule.meta().name)), "{} is not listed", rule.meta().name);
        }
    }

    #[test]
    fn backlog_md_examples_are_valid() {
        let dir = tempfile::tempdir().expect("temp dir");
        load(&render(Layout::BacklogMd, true, &Notes::default()), dir.path());
        load(&render(Layout::BacklogMd, false, &Notes::default()), dir.path());
    }

    #[test]
    fn proposed_notes_load_in_every_layout() {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = ["backlog/docs/a.md", "backlog/docs/b.md", "backlog/plan.md"];
        let found = Notes { paths: paths.map(String::from).to_vec() };
        for layout in [Layout::Scrum, Layout::BacklogMd] {
            for commented in [true, false] {
                let text = render(layout, commented, &found);
                assert_eq!(load(&text, dir.path()).notes, ["backlog/*", "backlog/docs/*"], "{text}");
            }
        }
        let few = Notes { paths: paths[..2].iter().map(|p| p.to_string()).collect() };
        assert!(!render(Layout::Scrum, true, &few).contains("\nnotes:"));
    }

    #[test]
    fn flow_values_are_yaml() {
        let value = serde_json::json!({ "a b": [1.0, 2.5, "in-progress", "yes", "", "x: y", "...", "-"], "n": null });
        assert_eq!(
            flow(&value),
            "{ \"a b\": [1, 2.5, in-progress, \"yes\", \"\", \"x: y\", \"...\", \"-\"], n: null }"
        );
    }
}
