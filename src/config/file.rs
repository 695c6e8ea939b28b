//! The `.backlint.yaml` file as written: every key optional, unknown keys rejected.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub preset: Option<OneOrMany>,
    pub items: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub statuses: Option<Vec<String>>,
    pub ready_status: Option<String>,
    pub final_statuses: Option<Vec<String>>,
    pub types: Option<Vec<String>>,
    pub levels: Option<Vec<String>>,
    pub sizes: Option<BTreeMap<String, f64>>,
    pub fields: Option<BTreeMap<String, String>>,
    pub sections: Option<BTreeMap<String, Vec<String>>>,
    pub rules: Option<BTreeMap<String, serde_json::Value>>,
    pub overrides: Option<Vec<Override>>,
    pub custom_rules: Option<Vec<crate::rules::custom::Spec>>,
    pub flow: Option<super::flow::FlowFile>,
}

#[derive(Debug, Deserialize)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub files: Vec<String>,
    #[serde(default)]
    pub rules: BTreeMap<String, serde_json::Value>,
}
