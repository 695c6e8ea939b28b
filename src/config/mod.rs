//! `.backlint.yaml`: discovery, presets, validation and the effective configuration.

pub mod backlog_md;
mod error;
mod file;
pub mod flow;
pub mod locate;
pub mod schema;

pub use error::ConfigError;

use crate::item::front_matter;
use crate::rules::custom::CustomRule;
use crate::rules::{self, AnyOptions, Severity, RULES};
use file::{ConfigFile, Override};
use globset::{GlobSet, GlobSetBuilder};
use locate::Step;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".backlint.yaml";

/// Presets shipped in `rules/presets/`, embedded so the binary needs no data files.
pub const PRESETS: &[(&str, &str)] = &[
    ("backlog-md", include_str!("../../rules/presets/backlog-md.yaml")),
    ("kanban", include_str!("../../rules/presets/kanban.yaml")),
    ("scrum", include_str!("../../rules/presets/scrum.yaml")),
    ("strict", include_str!("../../rules/presets/strict.yaml")),
];

/// The effective configuration: defaults, then presets, then the config file.
#[derive(Debug)]
pub struct Config {
    /// Item paths are relative to this directory.
    pub root: PathBuf,
    /// The config file in use, if any.
    pub file: Option<PathBuf>,
    pub items: Vec<String>,
    pub exclude: Vec<String>,
    /// Globs of files that, when they have no front matter, are notes kept among the items, not items.
    pub notes: Vec<String>,
    pub statuses: Vec<String>,
    pub ready_status: String,
    pub final_statuses: Vec<String>,
    pub types: Vec<String>,
    pub levels: Vec<String>,
    pub sizes: BTreeMap<String, f64>,
    fields: BTreeMap<String, String>,
    sections: BTreeMap<String, Vec<String>>,
    item_globs: GlobSet,
    exclude_globs: GlobSet,
    notes_globs: GlobSet,
    /// Rules declared in the config, after the built-in ones.
    pub custom_rules: Vec<CustomRule>,
    /// Per rule (built-in ones in the order of [`RULES`], then custom ones): severity and raw options.
    rules: Vec<RuleConfig>,
    overrides: Vec<OverrideConfig>,
    /// `flow:`, for `backlint flow` and the flow data-quality rules.
    pub flow: flow::FlowConfig,
}

#[derive(Debug, Clone)]
struct RuleConfig {
    severity: Severity,
    options: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug)]
struct OverrideConfig {
    files: GlobSet,
    rules: Vec<RuleEntry>,
}

/// Severity and validated options of every rule (built-in, then custom), for one set of files.
pub struct RuleSettings {
    pub entries: Vec<(Severity, AnyOptions)>,
}

impl RuleSettings {
    /// The severity of the rule called `name`, built-in or custom.
    pub fn severity_of(&self, name: &str, config: &Config) -> Option<Severity> {
        let custom = || config.custom_rules.iter().position(|c| c.name == name).map(|i| RULES.len() + i);
        let index = rules::find(name).map(|(i, _)| i).or_else(custom)?;
        self.entries.get(index).map(|(severity, _)| *severity)
    }
}

impl Config {
    /// Find the project root and its config: `explicit` if given, else the nearest
    /// `.backlint.yaml` from `start` up to the repository root. A directory holding a Backlog.md
    /// project (`backlog/config.yml` and `backlog/tasks/`) and no config is a project root too,
    /// linted with the `backlog-md` preset.
    pub fn discover(start: &Path, explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(path) = explicit {
            let root = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            return Config::load(root, Some(path));
        }
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut repo_root = None;
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(dir, Some(&candidate));
            }
            if backlog_md::detect(dir) {
                return Config::load(dir, None);
            }
            if dir.join(".git").exists() {
                repo_root = Some(dir.to_path_buf());
                break;
            }
        }
        let root = match repo_root {
            Some(root) => root,
            None => std::env::current_dir().map_err(|e| ConfigError::io(Path::new("."), &e))?,
        };
        Config::load(&root, None)
    }

    /// Load the config at `file` (or only defaults) for the project rooted at `root`.
    pub fn load(root: &Path, file: Option<&Path>) -> Result<Config, ConfigError> {
        let partial = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| ConfigError::io(path, &e))?;
                let mut parsed: ConfigFile = if text.trim().is_empty() {
                    ConfigFile::default()
                } else {
                    front_matter::from_str(&text).map_err(|e| ConfigError::yaml(path, &text, &e))?
                };
                let mut layers = Vec::new();
                if let Some(presets) = parsed.preset.take() {
                    let names = presets.into_vec();
                    for name in &names {
                        layers.push((preset(path, &text, name)?, None));
                    }
                    // The Backlog.md project's own settings refine the preset; the file still wins.
                    if names.iter().any(|n| n == backlog_md::PRESET) {
                        layers.push((backlog_md::read(root)?.layer(), None));
                    }
                }
                layers.push((parsed, Some((path, text.as_str()))));
                let mut partial = resolve_layers(layers)?;
                check_ready_status(&partial, path, &text)?;
                let statuses = partial.statuses.clone().unwrap_or_else(|| Defaults::get().statuses);
                partial.flow = flow::validate(partial.flow_file.take(), &statuses, path, &text)?;
                partial
            }
            None if backlog_md::detect(root) => {
                let preset = preset(Path::new(FILE_NAME), "", backlog_md::PRESET)?;
                resolve_layers(vec![(preset, None), (backlog_md::read(root)?.layer(), None)])?
            }
            None => resolve_layers(Vec::new())?,
        };
        Config::build(root, file, partial)
    }

    fn build(root: &Path, file: Option<&Path>, partial: Partial) -> Result<Config, ConfigError> {
        let defaults = Defaults::get();
        let statuses = partial.statuses.unwrap_or(defaults.statuses);
        let ready_status = partial.ready_status.unwrap_or(defaults.ready_status);
        let final_statuses = partial.final_statuses.unwrap_or_else(|| statuses.last().cloned().into_iter().collect());
        let items = partial.items.unwrap_or(defaults.items);
        let exclude = partial.exclude.unwrap_or_default();
        let notes = partial.notes.unwrap_or_default();
        let mut fields = defaults.fields;
        fields.extend(partial.fields);
        let mut sections = defaults.sections;
        sections.extend(partial.sections);
        let config = Config {
            root: root.to_path_buf(),
            file: file.map(Path::to_path_buf),
            item_globs: partial.item_globs.unwrap_or_else(|| glob_set(&items).unwrap_or_else(|_| GlobSet::empty())),
            exclude_globs: partial.exclude_globs.unwrap_or_else(GlobSet::empty),
            notes_globs: partial.notes_globs.unwrap_or_else(GlobSet::empty),
            items,
            exclude,
            notes,
            statuses,
            ready_status,
            final_statuses,
            types: partial.types.unwrap_or(defaults.types),
            levels: partial.levels.unwrap_or(defaults.levels),
            sizes: partial.sizes.unwrap_or(defaults.sizes),
            fields,
            sections,
            rules: partial.rules,
            custom_rules: partial.custom_rules,
            overrides: partial.overrides,
            flow: partial.flow,
        };
        Ok(config)
    }

    /// Whether a root-relative path is an item according to `items:` and `exclude:`.
    /// Whether a root-relative path matches the `items:` globs, excluded or not.
    pub fn may_be_item(&self, path: &str) -> bool {
        self.item_globs.is_match(path)
    }

    pub fn is_item_path(&self, path: &str) -> bool {
        self.item_globs.is_match(path) && !self.exclude_globs.is_match(path)
    }

    /// Whether a file without front matter at this root-relative path is a note, not an item.
    pub fn is_note_path(&self, path: &str) -> bool {
        self.notes_globs.is_match(path)
    }

    /// Whether a root-relative path is excluded (used to prune whole directories).
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude_globs.is_match(path)
    }

    /// The front matter key that holds the canonical field `name`.
    pub fn field<'a>(&'a self, name: &'a str) -> &'a str {
        self.fields.get(name).map_or(name, String::as_str)
    }

    /// The accepted headings of the canonical section `name` (e.g. `value_hypothesis`).
    pub fn section_names(&self, name: &str) -> &[String] {
        self.sections.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn status_rank(&self, status: &str) -> Option<usize> {
        let status = status.trim();
        self.statuses.iter().position(|s| same_status(s, status))
    }

    pub fn ready_rank(&self) -> usize {
        self.status_rank(&self.ready_status).unwrap_or(usize::MAX)
    }

    pub fn is_final_status(&self, status: &str) -> bool {
        let status = status.trim();
        self.final_statuses.iter().any(|s| same_status(s, status))
    }

    /// The status that starts work for `backlint flow`: `flow.start`, else the first status after
    /// `ready_status` (else the last status).
    pub fn flow_start(&self) -> &str {
        if let Some(start) = &self.flow.start {
            return start;
        }
        let after_ready = self.status_rank(&self.ready_status).map_or(0, |r| r + 1);
        self.statuses.get(after_ready).or(self.statuses.last()).map_or("", String::as_str)
    }

    /// The statuses that mean done for `backlint flow`: `flow.done`, else `final_statuses`.
    pub fn flow_done(&self) -> &[String] {
        self.flow.done.as_deref().unwrap_or(&self.final_statuses)
    }

    /// A t-shirt size's points, matched case-insensitively.
    pub fn size_points(&self, size: &str) -> Option<f64> {
        let size = size.trim();
        self.sizes.iter().find(|(name, _)| name.eq_ignore_ascii_case(size)).map(|(_, &points)| points)
    }

    /// The effective configuration for `path` (or for files no override matches), as data.
    pub fn effective(&self, path: Option<&str>) -> serde_json::Value {
        let mask = path.map_or_else(|| vec![false; self.overrides.len()], |p| self.override_mask(p));
        let mut rules = self.rules.clone();
        for (o, _) in self.overrides.iter().zip(&mask).filter(|(_, &on)| on) {
            apply_override(&mut rules, &o.rules);
        }
        let names = RULES.iter().map(|r| r.meta().name).chain(self.custom_rules.iter().map(|c| c.name.as_str()));
        let defaults =
            RULES.iter().map(|r| r.default_options()).chain(self.custom_rules.iter().map(|_| serde_json::json!({})));
        let rules: serde_json::Map<String, serde_json::Value> = names
            .zip(defaults)
            .zip(rules)
            .map(|((name, defaults), config)| {
                let mut entry =
                    serde_json::Map::from_iter([("severity".to_owned(), serde_json::json!(config.severity))]);
                if let serde_json::Value::Object(defaults) = defaults {
                    entry.extend(defaults);
                }
                entry.extend(config.options);
                (name.to_owned(), serde_json::Value::Object(entry))
            })
            .collect();
        serde_json::json!({
            "root": self.root.display().to_string(),
            "file": self.file.as_ref().map(|f| f.display().to_string()),
            "items": self.items,
            "exclude": self.exclude,
            "notes": self.notes,
            "statuses": self.statuses,
            "ready_status": self.ready_status,
            "final_statuses": self.final_statuses,
            "types": self.types,
            "levels": self.levels,
            "sizes": self.sizes,
            "fields": self.fields,
            "sections": self.sections,
            "rules": rules,
            "flow": {
                "start": self.flow_start(),
                "done": self.flow_done(),
                "timezone": self.flow.timezone.name,
                "reopened": self.flow.reopened,
                "sprint_days": self.flow.sprint_days,
                "sprint_start": self.flow.sprint_start.map(crate::time::format_day),
                "window_days": self.flow.window_days,
            },
        })
    }

    /// Which overrides apply to `path`, as a key for sharing [`RuleSettings`] between items.
    pub fn override_mask(&self, path: &str) -> Vec<bool> {
        self.overrides.iter().map(|o| o.files.is_match(path)).collect()
    }

    /// The rule settings for files matched by the overrides in `mask`.
    pub fn settings(&self, mask: &[bool]) -> RuleSettings {
        let mut rules = self.rules.clone();
        for (o, _) in self.overrides.iter().zip(mask).filter(|(_, &on)| on) {
            apply_override(&mut rules, &o.rules);
        }
        let custom =
            rules.split_off(RULES.len()).into_iter().map(|config| (config.severity, Box::new(()) as AnyOptions));
        let entries = RULES
            .iter()
            .zip(rules)
            .map(|(rule, config)| match rule.parse_options(serde_json::Value::Object(config.options)) {
                Ok(options) => (config.severity, options),
                // Every override was validated on load; a clash between two of them falls
                // back to the defaults rather than failing the run.
                Err(_) => {
                    (config.severity, rule.parse_options(rule.default_options()).unwrap_or_else(|_| Box::new(())))
                }
            })
            .chain(custom)
            .collect();
        RuleSettings { entries }
    }
}

fn apply_override(rules: &mut [RuleConfig], changes: &[RuleEntry]) {
    for (index, severity, options) in changes {
        let rule = &mut rules[*index];
        if let Some(severity) = severity {
            rule.severity = *severity;
        }
        rule.options.extend(options.clone());
    }
}

/// Built-in defaults, which the `scrum` preset spells out.
struct Defaults {
    items: Vec<String>,
    statuses: Vec<String>,
    ready_status: String,
    types: Vec<String>,
    levels: Vec<String>,
    sizes: BTreeMap<String, f64>,
    fields: BTreeMap<String, String>,
    sections: BTreeMap<String, Vec<String>>,
}

impl Defaults {
    fn get() -> Defaults {
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Defaults {
            items: strings(&["backlog/**/*.md"]),
            statuses: strings(&["idea", "refining", "ready", "in-progress", "done"]),
            ready_status: "ready".into(),
            types: strings(&["story", "bug", "spike", "epic", "task"]),
            levels: strings(&["low", "medium", "high"]),
            sizes: [("XS", 1.0), ("S", 2.0), ("M", 3.0), ("L", 5.0), ("XL", 13.0)]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            fields: BTreeMap::new(),
            sections: [
                ("value_hypothesis", &["Value hypothesis", "Hypothesis", "Why"][..]),
                ("risks", &["Risks"][..]),
                ("acceptance_criteria", &["Acceptance criteria", "Definition of Done"][..]),
                ("learning_goal", &["Learning goal", "Learning goals", "Question", "Questions"][..]),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), strings(v)))
            .collect(),
        }
    }
}

/// The merged layers (presets, then the file), validated, before defaults fill the gaps.
#[derive(Default)]
struct Partial {
    items: Option<Vec<String>>,
    item_globs: Option<GlobSet>,
    exclude: Option<Vec<String>>,
    exclude_globs: Option<GlobSet>,
    notes: Option<Vec<String>>,
    notes_globs: Option<GlobSet>,
    statuses: Option<Vec<String>>,
    ready_status: Option<String>,
    final_statuses: Option<Vec<String>>,
    types: Option<Vec<String>>,
    levels: Option<Vec<String>>,
    sizes: Option<BTreeMap<String, f64>>,
    fields: BTreeMap<String, String>,
    sections: BTreeMap<String, Vec<String>>,
    rules: Vec<RuleConfig>,
    custom_rules: Vec<CustomRule>,
    overrides: Vec<OverrideConfig>,
    flow_file: Option<flow::FlowFile>,
    flow: flow::FlowConfig,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig { severity: Severity::Off, options: serde_json::Map::new() }
    }
}

/// Where a layer came from, for error messages: the config file and its text, or a preset.
type Origin<'a> = Option<(&'a Path, &'a str)>;

fn preset(path: &Path, text: &str, name: &str) -> Result<ConfigFile, ConfigError> {
    let Some((_, preset_text)) = PRESETS.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = PRESETS.iter().map(|(n, _)| *n).collect();
        let span = locate::locate(text, &[Step::Key("preset")]).and_then(|_| {
            let at = text.find(name)?;
            Some(at..at + name.len())
        });
        return Err(ConfigError::at(
            path,
            text,
            span,
            format!("unknown preset `{name}`"),
            Some(format!("use one of: {}", known.join(", "))),
        ));
    };
    front_matter::from_str(preset_text)
        .map_err(|e| ConfigError::yaml(Path::new(&format!("<preset {name}>")), preset_text, &e))
}

fn resolve_layers(layers: Vec<(ConfigFile, Origin)>) -> Result<Partial, ConfigError> {
    let mut partial = Partial {
        rules: RULES
            .iter()
            .map(|r| RuleConfig { severity: r.meta().default_severity, options: serde_json::Map::new() })
            .collect(),
        ..Partial::default()
    };
    for (layer, origin) in layers {
        let (path, text) = origin.unwrap_or((Path::new("<preset>"), ""));
        let err = |steps: &[Step], message: String, help: Option<String>| {
            ConfigError::at(path, text, locate::locate(text, steps), message, help)
        };
        if let Some(items) = layer.items {
            partial.item_globs = Some(glob_set(&items).map_err(|(i, e)| {
                err(&[Step::Key("items")], format!("invalid glob `{}` in `items`", items[i]), Some(e))
            })?);
            partial.items = Some(items);
        }
        if let Some(exclude) = layer.exclude {
            partial.exclude_globs = Some(glob_set(&exclude).map_err(|(i, e)| {
                err(&[Step::Key("exclude")], format!("invalid glob `{}` in `exclude`", exclude[i]), Some(e))
            })?);
            partial.exclude = Some(exclude);
        }
        if let Some(notes) = layer.notes {
            partial.notes_globs = Some(glob_set(&notes).map_err(|(i, e)| {
                err(&[Step::Key("notes")], format!("invalid glob `{}` in `notes`", notes[i]), Some(e))
            })?);
            partial.notes = Some(notes);
        }
        if let Some(statuses) = layer.statuses {
            if statuses.is_empty() {
                return Err(err(
                    &[Step::Key("statuses")],
                    "`statuses` is empty".into(),
                    Some("list the statuses in workflow order, e.g. [idea, refining, ready, in-progress, done]".into()),
                ));
            }
            partial.statuses = Some(statuses);
        }
        partial.ready_status = layer.ready_status.or(partial.ready_status);
        partial.final_statuses = layer.final_statuses.or(partial.final_statuses);
        partial.types = layer.types.or(partial.types);
        partial.levels = layer.levels.or(partial.levels);
        partial.sizes = layer.sizes.or(partial.sizes);
        partial.fields.extend(layer.fields.unwrap_or_default());
        partial.sections.extend(layer.sections.unwrap_or_default());
        partial.flow_file = flow::merge(partial.flow_file.take(), layer.flow);
        for (n, spec) in layer.custom_rules.unwrap_or_default().into_iter().enumerate() {
            let name = spec.name.clone();
            let rule = CustomRule::compile(spec).map_err(|invalid| {
                err(&[Step::Key("custom_rules"), Step::Index(n), Step::Key(invalid.key)], invalid.message, None)
            })?;
            if partial.custom_rules.iter().any(|c| c.name == name) {
                let message = format!("custom rule `{name}` is declared twice");
                return Err(err(&[Step::Key("custom_rules"), Step::Index(n), Step::Key("name")], message, None));
            }
            partial.rules.push(RuleConfig { severity: rule.severity, options: serde_json::Map::new() });
            partial.custom_rules.push(rule);
        }
        for (name, value) in layer.rules.unwrap_or_default() {
            let steps = [Step::Key("rules"), Step::Key(&name)];
            let (index, severity, options) = rule_setting(&name, value, &partial.custom_rules, path, text, &steps)?;
            let rule = &mut partial.rules[index];
            if let Some(severity) = severity {
                rule.severity = severity;
            }
            rule.options.extend(options);
            if let Some(rule_def) = RULES.get(index) {
                rule_def
                    .parse_options(serde_json::Value::Object(rule.options.clone()))
                    .map_err(|e| option_error(*rule_def, &rule.options, e, path, text, &steps))?;
            }
        }
        for (n, Override { files, rules }) in layer.overrides.unwrap_or_default().into_iter().enumerate() {
            let at = |key| [Step::Key("overrides"), Step::Index(n), Step::Key(key)];
            let files = glob_set(&files)
                .map_err(|(i, e)| err(&at("files"), format!("invalid glob `{}` in `overrides`", files[i]), Some(e)))?;
            let mut changes = Vec::new();
            for (name, value) in rules {
                let steps = [Step::Key("overrides"), Step::Index(n), Step::Key("rules"), Step::Key(&name)];
                let (index, severity, options) = rule_setting(&name, value, &partial.custom_rules, path, text, &steps)?;
                let mut merged = partial.rules[index].options.clone();
                merged.extend(options.clone());
                if let Some(rule_def) = RULES.get(index) {
                    rule_def
                        .parse_options(serde_json::Value::Object(merged.clone()))
                        .map_err(|e| option_error(*rule_def, &merged, e, path, text, &steps))?;
                }
                changes.push((index, severity, options));
            }
            partial.overrides.push(OverrideConfig { files, rules: changes });
        }
    }
    Ok(partial)
}

/// `ready_status` must name one of `statuses`, whichever layer set either.
fn check_ready_status(partial: &Partial, path: &Path, text: &str) -> Result<(), ConfigError> {
    let statuses = partial.statuses.clone().unwrap_or_else(|| Defaults::get().statuses);
    let Some(status) = &partial.ready_status else { return Ok(()) };
    if statuses.iter().any(|s| s.eq_ignore_ascii_case(status)) {
        return Ok(());
    }
    let steps = [Step::Key("ready_status")];
    let span = locate::locate_value(text, &steps).or_else(|| locate::locate(text, &steps));
    let message = format!("`ready_status` is `{status}`, which is not one of `statuses`");
    Err(ConfigError::at(path, text, span, message, Some(format!("use one of: {}", statuses.join(", ")))))
}

/// A rule entry from the config: which rule, its severity if set, and its options.
type RuleEntry = (usize, Option<Severity>, serde_json::Map<String, serde_json::Value>);

/// Split a rule entry (`off`, `warning`, or `{ severity, ...options }`) into its parts.
fn rule_setting(
    name: &str,
    value: serde_json::Value,
    custom: &[CustomRule],
    path: &Path,
    text: &str,
    steps: &[Step],
) -> Result<RuleEntry, ConfigError> {
    let custom_index = custom.iter().position(|c| c.name == name).map(|i| RULES.len() + i);
    let Some(index) = rules::find(name).map(|(i, _)| i).or(custom_index) else {
        let names = RULES.iter().map(|r| r.meta().name).chain(custom.iter().map(|c| c.name.as_str()));
        let help = suggest(name, names)
            .map_or_else(|| "run `backlint rules` to list the rules".to_owned(), |s| format!("did you mean `{s}`?"));
        return Err(ConfigError::at(
            path,
            text,
            locate::locate(text, steps),
            format!("unknown rule `{name}`"),
            Some(help),
        ));
    };
    let bad_severity = |found: &str, steps: &[Step]| {
        let span = locate::locate_value(text, steps).or_else(|| locate::locate(text, steps));
        ConfigError::at(
            path,
            text,
            span,
            format!("invalid severity `{found}` for rule `{name}`"),
            Some(format!("use {}", Severity::NAMES)),
        )
    };
    match value {
        serde_json::Value::String(s) => {
            let severity = Severity::parse(&s).ok_or_else(|| bad_severity(&s, steps))?;
            Ok((index, Some(severity), serde_json::Map::new()))
        }
        serde_json::Value::Bool(false) => Ok((index, Some(Severity::Off), serde_json::Map::new())),
        serde_json::Value::Object(mut options) => {
            let severity = match options.remove("severity") {
                None => None,
                Some(serde_json::Value::String(s)) => {
                    let mut with_key = steps.to_vec();
                    with_key.push(Step::Key("severity"));
                    Some(Severity::parse(&s).ok_or_else(|| bad_severity(&s, &with_key))?)
                }
                Some(other) => {
                    let mut with_key = steps.to_vec();
                    with_key.push(Step::Key("severity"));
                    return Err(bad_severity(&other.to_string(), &with_key));
                }
            };
            if let Some(key) = options.keys().next().filter(|_| index >= RULES.len()) {
                let mut at = steps.to_vec();
                at.push(Step::Key(key));
                let message = format!("unknown option `{key}` for custom rule `{name}`");
                let help = "a custom rule takes only `severity` here; change its `require:` instead".to_owned();
                return Err(ConfigError::at(path, text, locate::locate(text, &at), message, Some(help)));
            }
            Ok((index, severity, options))
        }
        other => Err(bad_severity(&other.to_string(), steps)),
    }
}

/// Point an options error at the option that caused it: try the options one by one.
fn option_error(
    rule: &dyn rules::DynRule,
    options: &serde_json::Map<String, serde_json::Value>,
    error: serde_json::Error,
    path: &Path,
    text: &str,
    steps: &[Step],
) -> ConfigError {
    let name = rule.meta().name;
    let culprit = options.iter().find(|(key, value)| {
        let single = serde_json::Map::from_iter([((*key).clone(), (*value).clone())]);
        rule.parse_options(serde_json::Value::Object(single)).is_err()
    });
    let known: Vec<String> = match rule.default_options() {
        serde_json::Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let (span, message, help) = match culprit {
        Some((key, _)) if !known.contains(key) => {
            let mut at = steps.to_vec();
            at.push(Step::Key(key));
            let help = match suggest(key, known.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => format!("`{name}` has no options besides `severity`"),
                None => format!("`{name}` accepts: severity, {}", known.join(", ")),
            };
            (locate::locate(text, &at), format!("unknown option `{key}` for rule `{name}`"), help)
        }
        Some((key, _)) => {
            let mut at = steps.to_vec();
            at.push(Step::Key(key));
            let span = locate::locate_value(text, &at).or_else(|| locate::locate(text, &at));
            (
                span,
                format!("invalid value for option `{key}` of rule `{name}`: {error}"),
                format!("see `backlint explain {name}` for the option's type"),
            )
        }
        None => (
            locate::locate(text, steps),
            format!("invalid options for rule `{name}`: {error}"),
            format!("see `backlint explain {name}`"),
        ),
    };
    ConfigError::at(path, text, span, message, Some(help))
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Build a glob set; on failure, the index of the bad pattern and why.
fn glob_set(patterns: &[String]) -> Result<GlobSet, (usize, String)> {
    let mut builder = GlobSetBuilder::new();
    for (i, pattern) in patterns.iter().enumerate() {
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| (i, e.kind().to_string()))?;
        builder.add(glob);
    }
    builder.build().map_err(|e| (0, e.to_string()))
}

/// Status names compare case-insensitively (Unicode lowercase; without allocating for ASCII).
fn same_status(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_loads() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, _) in PRESETS {
            let file = dir.path().join(FILE_NAME);
            std::fs::write(&file, format!("preset: {name}\n")).expect("write");
            let loaded = Config::load(dir.path(), Some(&file));
            assert!(loaded.is_ok(), "preset {name}: {:?}", loaded.err());
        }
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["size-limit", "value-hypothesis"];
        assert_eq!(suggest("size-limt", names.into_iter()), Some("size-limit"));
        assert_eq!(suggest("zzz", names.into_iter()), None);
    }
}
