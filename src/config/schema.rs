//! The JSON Schema of `.backlint.yaml`, generated from the config types with schemars and
//! committed as `schemas/backlint.schema.json`, so that editors using yaml-language-server
//! complete and validate the file. Draft 7: the newest draft yaml-language-server supports.
//!
//! What serde sees as free-form (`rules:`, a rule's options, `preset:`) is described from the
//! registry: every rule with its summary and default severity, its options with their defaults.

use super::file::ConfigFile;
use super::PRESETS;
use crate::rules::{DynRule, RULES};
use schemars::generate::SchemaSettings;
use schemars::{json_schema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// Where the schema of this version of backlint is published; `backlint init` points
/// yaml-language-server at it. Pinned to the version, so that the rules and options it lists are
/// those of the binary that wrote the config.
pub const SCHEMA_URL: &str = concat!(
    "https://raw.githubusercontent.com/your-org/backlint/v",
    env!("CARGO_PKG_VERSION"),
    "/schemas/backlint.schema.json"
);

/// The schema as pretty-printed JSON, ending with a line break (`backlint config --schema`).
pub fn json_schema_text() -> String {
    let schema = SchemaSettings::draft07().into_generator().into_root_schema_for::<ConfigFile>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `preset:` one preset name or a list of them.
pub(super) fn preset(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = PRESETS.iter().map(|(name, _)| *name).collect();
    json_schema!({
        "description": "Presets to start from, applied in order before the rest of this file: `scrum` (the defaults), `kanban`, `strict`, `backlog-md` (Backlog.md projects).",
        "anyOf": [
            { "type": "string", "enum": names },
            { "type": "array", "items": { "type": "string", "enum": names } }
        ]
    })
}

/// `severity:` of a rule or a custom rule.
pub(crate) fn severity(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(severity_value()).unwrap_or_default()
}

fn severity_value() -> Value {
    json!({
        "type": "string",
        "enum": ["error", "warning", "info", "off"],
        "description": "`error` fails the run (exit code 1), `warning` and `info` are reported, `off` turns the rule off."
    })
}

/// `rules:` (and `overrides[].rules`): each built-in rule by name, and custom rules by theirs.
/// Defined once and referred to from both places.
pub(super) fn rules(generator: &mut SchemaGenerator) -> Schema {
    generator.definitions_mut().entry("RuleSettings").or_insert_with(rules_value);
    let definitions = generator.settings().definitions_path.trim_end_matches('/');
    Schema::new_ref(format!("#{definitions}/RuleSettings"))
}

fn rules_value() -> Value {
    let properties: Map<String, Value> =
        RULES.iter().map(|rule| (rule.meta().name.to_owned(), rule_setting(Some(*rule)))).collect();
    json!({
        "type": "object",
        "description": "Severity and options by rule name: `size-limit: error`, or `size-limit: { severity: error, max: 8 }`. `backlint rules` lists the rules, `backlint explain RULE` documents one. Custom rules from `custom_rules:` can be set here too.",
        "properties": properties,
        "additionalProperties": rule_setting(None)
    })
}

/// What one rule's entry may be: a severity, or an object with a severity and the rule's options.
fn rule_setting(rule: Option<&dyn DynRule>) -> Value {
    let mut options = Map::new();
    options.insert("severity".to_owned(), severity_value());
    let description = match rule {
        Some(rule) => {
            let meta = rule.meta();
            if let Value::Object(defaults) = rule.default_options() {
                for (key, default) in defaults {
                    let schema = option_schema(&default, option_doc(meta.doc, &key));
                    options.insert(key, schema);
                }
            }
            format!("{} ({}, default `{}`).", capitalized(meta.summary), meta.category, meta.default_severity)
        }
        None => "A custom rule from `custom_rules:`.".to_owned(),
    };
    json!({
        "description": description,
        "anyOf": [
            severity_value(),
            { "type": "object", "properties": options, "additionalProperties": false }
        ]
    })
}

/// The schema of an option, from its default value and the line of the rule doc that explains it.
fn option_schema(default: &Value, doc: Option<String>) -> Value {
    let mut schema = Map::new();
    let kind = match default {
        Value::Bool(_) => Some("boolean"),
        Value::Number(_) => Some("number"),
        Value::String(_) => Some("string"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
        // An option without a default takes whatever its doc says.
        Value::Null => None,
    };
    if let Some(kind) = kind {
        schema.insert("type".to_owned(), json!(kind));
        schema.insert("default".to_owned(), default.clone());
    }
    if let Some(doc) = doc {
        schema.insert("description".to_owned(), json!(doc));
    }
    Value::Object(schema)
}

/// The meaning of option `key` in a rule doc's `## Options` list (`- \`key\`: meaning (type, default …)`).
fn option_doc(doc: &str, key: &str) -> Option<String> {
    let prefix = format!("- `{key}`: ");
    doc.lines().find_map(|line| line.strip_prefix(&prefix)).map(str::to_owned)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_option_is_in_the_schema() {
        let schema: Value = serde_json::from_str(&json_schema_text()).expect("JSON");
        let rules = &schema["definitions"]["RuleSettings"]["properties"];
        for rule in RULES {
            let entry = &rules[rule.meta().name];
            assert!(entry.is_object(), "{} is missing", rule.meta().name);
            if let Value::Object(defaults) = rule.default_options() {
                for key in defaults.keys() {
                    assert!(entry["anyOf"][1]["properties"][key].is_object(), "{}: {key}", rule.meta().name);
                }
            }
        }
    }

    #[test]
    fn option_docs_are_found() {
        let doc = "## Options\n- `max`: the largest size (number, default `8`)\n";
        assert_eq!(option_doc(doc, "max").as_deref(), Some("the largest size (number, default `8`)"));
        assert_eq!(option_doc(doc, "min"), None);
    }
}
