//! The `.backlint.yaml` file as written: every key optional, unknown keys rejected. The doc
//! comments are the descriptions of the JSON Schema (`schemas/backlint.schema.json`).

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// backlint configuration (`.backlint.yaml`): every key is optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "backlint configuration")]
pub struct ConfigFile {
    #[serde(default)]
    #[schemars(schema_with = "super::schema::preset")]
    pub preset: Option<OneOrMany>,
    /// Globs of the item files, relative to the project root (default `["backlog/**/*.md"]`).
    pub items: Option<Vec<String>>,
    /// Globs of files under `items` that are not items, e.g. `["backlog/archive/**"]`.
    pub exclude: Option<Vec<String>>,
    /// Globs of files under `items` that are notes, not items: such a file without front matter is
    /// skipped (one with front matter is still an item).
    pub notes: Option<Vec<String>>,
    /// The statuses in workflow order (default `[idea, refining, ready, in-progress, done]`).
    pub statuses: Option<Vec<String>>,
    /// The status from which readiness rules apply (default `ready`); one of `statuses`.
    pub ready_status: Option<String>,
    /// Statuses of finished items (default: the last status).
    pub final_statuses: Option<Vec<String>>,
    /// The item types (default `[story, bug, spike, epic, task]`).
    pub types: Option<Vec<String>>,
    /// The levels of `risk` and `value`, lowest first; the last one is "high" (default `[low, medium, high]`).
    pub levels: Option<Vec<String>>,
    /// T-shirt sizes in story points (default `{ XS: 1, S: 2, M: 3, L: 5, XL: 13 }`).
    pub sizes: Option<BTreeMap<String, f64>>,
    /// The front matter key of a canonical field, when it differs: `{ owner: assignee, tags: labels }`.
    pub fields: Option<BTreeMap<String, String>>,
    /// The accepted headings of a canonical section: `{ value_hypothesis: [Value hypothesis, Why] }`.
    pub sections: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    #[schemars(schema_with = "super::schema::rules")]
    pub rules: Option<BTreeMap<String, serde_json::Value>>,
    /// Rule settings for some files: `[{ files: ["backlog/spikes/**"], rules: { value-hypothesis: off } }]`.
    pub overrides: Option<Vec<Override>>,
    /// Rules declared without Rust: a condition (`when`) and one requirement (`require`).
    pub custom_rules: Option<Vec<crate::rules::custom::Spec>>,
    /// Settings of `backlint flow` (flow metrics from the status history).
    pub flow: Option<super::flow::FlowFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// Rule settings for the files that `files` matches, applied after the top-level `rules:`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Globs of the item files this override applies to.
    pub files: Vec<String>,
    #[serde(default)]
    #[schemars(schema_with = "super::schema::rules")]
    pub rules: BTreeMap<String, serde_json::Value>,
}
