use super::helpers::{format_number, is_one_of, listed_values, respelled, size_points, yaml_scalar_like};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::config::suggest;
use crate::fix::{Edit, Fix, FixAvailability};
use crate::item::front_matter::{Field, Value};
use crate::item::span::Span;
use crate::item::Item;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// More fields with a fixed vocabulary: canonical field name -> allowed values.
    pub vocabularies: BTreeMap<String, Vec<String>>,
}

#[doc = include_str!("../../rules/invalid-value.md")]
pub(crate) struct InvalidValue;

impl Rule for InvalidValue {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "invalid-value",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "status, type, risk, value and size must use the configured vocabulary",
        doc: include_str!("../../rules/invalid-value.md"),
    };
    const FIX: FixAvailability = FixAvailability::Sometimes;

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        let config = cx.config;
        check_vocabulary(item, cx, "status", &config.statuses, "statuses", out);
        check_vocabulary(item, cx, "type", &config.types, "types", out);
        check_vocabulary(item, cx, "risk", &config.levels, "levels", out);
        check_vocabulary(item, cx, "value", &config.levels, "levels", out);
        if let Some(field) = present(item, cx, "size") {
            if size_points(&field.value, config).is_none() {
                let mut sizes: Vec<(&String, &f64)> = config.sizes.iter().collect();
                sizes.sort_by(|a, b| a.1.total_cmp(b.1));
                let sizes: Vec<String> =
                    sizes.iter().map(|(name, points)| format!("{name} = {}", format_number(**points))).collect();
                out.push(
                    field.value_span.clone(),
                    format!("size `{}` is not a positive number or a known t-shirt size", field.value.to_text()),
                    format!(
                        "use story points (e.g. `3`) or one of the t-shirt sizes in `sizes:` ({})",
                        sizes.join(", ")
                    ),
                );
            }
        }
        for (name, allowed) in &options.vocabularies {
            check_listed(item, cx, name, allowed, out);
        }
    }
}

/// The field for a canonical name, when it is set to something.
fn present<'i>(item: &'i Item, cx: &Context, name: &str) -> Option<&'i Field> {
    item.field(cx.config.field(name)).filter(|f| !f.value.is_blank())
}

fn check_vocabulary(item: &Item, cx: &Context, name: &str, allowed: &[String], config_key: &str, out: &mut Findings) {
    let Some(field) = present(item, cx, name) else { return };
    let text = match &field.value {
        Value::String(s) => s.clone(),
        Value::List(_) | Value::Map(_) => String::new(),
        other => other.to_text(),
    };
    if !text.is_empty() && is_one_of(&text, allowed) {
        return;
    }
    let shown = if text.is_empty() { field.value.to_text() } else { text.clone() };
    let help = match suggest(&text, allowed.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`? Otherwise add `{shown}` to `{config_key}:` in the config"),
        None => format!("use one of: {}; or add `{shown}` to `{config_key}:` in the config", allowed.join(", ")),
    };
    let fix =
        matches!(field.value, Value::String(_)).then(|| respell(item, &field.value_span, &text, allowed)).flatten();
    out.push_with_fix(
        field.value_span.clone(),
        format!("{} `{shown}` is not one of the configured {config_key}", field.key),
        help,
        fix,
    );
}

/// Replace a value that differs from a configured one only in case or separators by that one.
fn respell(item: &Item, span: &Span, value: &str, allowed: &[String]) -> Option<Fix> {
    let configured = respelled(value, allowed)?;
    let raw = item.source.get(span.clone())?;
    // The span may be the whole value when a list's elements could not be located.
    if raw.trim().trim_matches(|c| c == '"' || c == '\'') != value.trim() {
        return None;
    }
    let replacement = yaml_scalar_like(raw, configured);
    Some(Fix::safe(
        format!("replace `{}` with `{configured}`", value.trim()),
        vec![Edit::replace(span.clone(), replacement)],
    ))
}

/// A field from `vocabularies`: its value, or each element of a list, must be one of `allowed`.
fn check_listed(item: &Item, cx: &Context, name: &str, allowed: &[String], out: &mut Findings) {
    let Some(field) = present(item, cx, name) else { return };
    for value in listed_values(field) {
        if is_one_of(&value.text, allowed) {
            continue;
        }
        let key = &field.key;
        let help = match suggest(&value.text, allowed.iter().map(String::as_str)) {
            Some(close) => {
                format!("did you mean `{close}`? Otherwise add `{}` to the allowed values of `{key}`", value.text)
            }
            None => {
                format!("use one of: {}; or add `{}` to the allowed values of `{key}`", allowed.join(", "), value.text)
            }
        };
        let fix = respell(item, &value.span, &value.text, allowed);
        out.push_with_fix(value.span, format!("{key} `{}` is not one of the allowed values", value.text), help, fix);
    }
}
