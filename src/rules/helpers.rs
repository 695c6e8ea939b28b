//! Logic shared by several rules.

use crate::config::Config;
use crate::item::front_matter::Value;
use serde::{Deserialize, Serialize};

/// Options of a rule that has none besides `severity`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// Text that stands in for content not written yet.
pub fn default_placeholders() -> Vec<String> {
    ["TBD", "TBA", "TODO", "FIXME", "...", "…", "?", "n/a", "-", "later"].into_iter().map(str::to_owned).collect()
}

/// Whether a section's text is empty or only a placeholder such as `TBD`.
pub fn is_placeholder(text: &str, placeholders: &[String]) -> bool {
    let text = text.trim().trim_end_matches(['.', '!', ':']).trim();
    text.is_empty() || placeholders.iter().any(|p| p.eq_ignore_ascii_case(text))
}

/// The points of a `size` value: a positive number, a numeric string, or a configured t-shirt size.
pub fn size_points(value: &Value, config: &Config) -> Option<f64> {
    let points = match value {
        Value::Number(n) => *n,
        Value::String(s) => s.trim().parse::<f64>().ok().or_else(|| config.size_points(s))?,
        _ => return None,
    };
    (points.is_finite() && points > 0.0).then_some(points)
}

/// A number as people write it: `8`, not `8.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether `value` names one of `allowed` (case-insensitive), for `type`, `risk` and the like.
pub fn is_one_of(value: &str, allowed: &[String]) -> bool {
    allowed.iter().any(|a| a.eq_ignore_ascii_case(value.trim()))
}

/// The highest configured level (`high` by default), which risk rules look for.
pub fn highest_level(config: &Config) -> &str {
    config.levels.last().map_or("high", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_count_as_empty() {
        let p = default_placeholders();
        assert!(is_placeholder("  TBD. ", &p));
        assert!(is_placeholder("", &p));
        assert!(!is_placeholder("We believe finance closes sooner", &p));
    }

    #[test]
    fn numbers_print_like_people_write_them() {
        assert_eq!(format_number(8.0), "8");
        assert_eq!(format_number(2.5), "2.5");
    }
}
