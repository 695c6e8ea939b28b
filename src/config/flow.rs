//! The `flow:` section of `.backlint.yaml`: boundaries, time zone and windows of `backlint flow`.

use super::locate::{self, Step};
use super::ConfigError;
use serde::Deserialize;
use std::path::Path;

/// `flow:` as written; every key optional. Settings of `backlint flow`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowFile {
    /// The status where work starts (default: the status after `ready_status`).
    pub start: Option<String>,
    /// The statuses that count as done (default: `final_statuses`).
    pub done: Option<super::file::OneOrMany>,
    /// Where commit times become calendar days: `UTC` (default), a fixed offset such as `+02:00`, or an IANA name.
    pub timezone: Option<String>,
    pub reopened: Option<Reopened>,
    /// Days in a sprint, for velocity (default 14).
    pub sprint_days: Option<u32>,
    /// The day sprints are aligned to, `YYYY-MM-DD` (default: the day of the first commit that touched an item).
    pub sprint_start: Option<String>,
    /// Days in the default window of the report (default 84).
    pub window_days: Option<u32>,
}

/// Which entry into a stage dates an item that moved backwards or was reopened.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Reopened {
    /// The last entry into the stage (ActionableAgile): time after a reopening counts.
    #[default]
    Last,
    /// The first entry into the stage (jira-agile-metrics).
    First,
}

impl Reopened {
    pub fn as_str(self) -> &'static str {
        match self {
            Reopened::Last => "last",
            Reopened::First => "first",
        }
    }
}

/// The time zone in which commit instants become calendar days.
#[derive(Debug, Clone)]
pub struct Zone {
    /// As configured (`UTC`, `+02:00`, `Europe/Berlin`).
    pub name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    pub fn utc() -> Zone {
        Zone { name: "UTC".to_owned(), tz: jiff::tz::TimeZone::UTC }
    }

    /// `UTC`/`Z`, a fixed offset (`+02:00`, `-0530`, `UTC+2`) or an IANA name (`Europe/Berlin`).
    pub fn parse(text: &str) -> Option<Zone> {
        let name = text.trim();
        if name.eq_ignore_ascii_case("utc") || name == "Z" {
            return Some(Zone::utc());
        }
        let offset_text = name.strip_prefix("UTC").or_else(|| name.strip_prefix("GMT")).unwrap_or(name);
        if let Some(seconds) = parse_offset(offset_text) {
            let offset = jiff::tz::Offset::from_seconds(seconds).ok()?;
            return Some(Zone { name: name.to_owned(), tz: jiff::tz::TimeZone::fixed(offset) });
        }
        let tz = jiff::tz::TimeZone::get(name).ok()?;
        Some(Zone { name: name.to_owned(), tz })
    }

    /// The zone's offset from UTC, in seconds, at `unix_seconds`.
    pub fn offset_at(&self, unix_seconds: i64) -> i64 {
        match jiff::Timestamp::from_second(unix_seconds) {
            Ok(ts) => i64::from(self.tz.to_offset(ts).seconds()),
            Err(_) => 0,
        }
    }
}

/// `+02:00`, `+0200`, `+2`, `-05:30`: seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let (h, m): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// The validated `flow:` settings. Boundaries left out here default from the statuses (see
/// [`super::Config::flow_start`] and [`super::Config::flow_done`]).
#[derive(Debug, Clone)]
pub struct FlowConfig {
    pub start: Option<String>,
    pub done: Option<Vec<String>>,
    pub timezone: Zone,
    pub reopened: Reopened,
    pub sprint_days: u32,
    /// Days since 1970-01-01; `None`: the day of the first commit.
    pub sprint_start: Option<i64>,
    pub window_days: u32,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig {
            start: None,
            done: None,
            timezone: Zone::utc(),
            reopened: Reopened::Last,
            sprint_days: 14,
            sprint_start: None,
            window_days: 84,
        }
    }
}

/// Later layers win key by key.
pub(super) fn merge(base: Option<FlowFile>, layer: Option<FlowFile>) -> Option<FlowFile> {
    match (base, layer) {
        (None, layer) => layer,
        (base, None) => base,
        (Some(base), Some(layer)) => Some(FlowFile {
            start: layer.start.or(base.start),
            done: layer.done.or(base.done),
            timezone: layer.timezone.or(base.timezone),
            reopened: layer.reopened.or(base.reopened),
            sprint_days: layer.sprint_days.or(base.sprint_days),
            sprint_start: layer.sprint_start.or(base.sprint_start),
            window_days: layer.window_days.or(base.window_days),
        }),
    }
}

/// Check `flow:` against the statuses; errors point at the offending value in the config file.
pub(super) fn validate(
    file: Option<FlowFile>,
    statuses: &[String],
    path: &Path,
    text: &str,
) -> Result<FlowConfig, ConfigError> {
    let Some(file) = file else { return Ok(FlowConfig::default()) };
    let at = |key: &str, message: String, help: String| {
        let steps = [Step::Key("flow"), Step::Key(key)];
        let span = locate::locate_value(text, &steps)
            .filter(|s| s.start < s.end)
            .or_else(|| locate::locate(text, &steps))
            .or_else(|| locate::locate(text, &[Step::Key("flow")]));
        ConfigError::at(path, text, span, message, Some(help))
    };
    let is_status = |s: &str| statuses.iter().any(|k| super::same_status(k, s));
    let known = || format!("use one of: {}", statuses.join(", "));
    if let Some(start) = &file.start {
        if !is_status(start) {
            return Err(at("start", format!("`flow.start` is `{start}`, which is not one of `statuses`"), known()));
        }
    }
    let done = file.done.map(super::file::OneOrMany::into_vec);
    if let Some(done) = &done {
        if done.is_empty() {
            return Err(at("done", "`flow.done` is empty".to_owned(), known()));
        }
        if let Some(bad) = done.iter().find(|d| !is_status(d)) {
            return Err(at("done", format!("`flow.done` names `{bad}`, which is not one of `statuses`"), known()));
        }
    }
    let timezone = match &file.timezone {
        None => Zone::utc(),
        Some(name) => Zone::parse(name).ok_or_else(|| {
            at(
                "timezone",
                format!("unknown time zone `{name}` in `flow.timezone`"),
                "use UTC, a fixed offset such as +02:00, or an IANA name such as Europe/Berlin".to_owned(),
            )
        })?,
    };
    let positive = |key: &str, value: Option<u32>, default: u32| match value {
        Some(0) => Err(at(key, format!("`flow.{key}` must be at least 1"), "give a number of days".to_owned())),
        Some(n) => Ok(n),
        None => Ok(default),
    };
    let sprint_days = positive("sprint_days", file.sprint_days, 14)?;
    let window_days = positive("window_days", file.window_days, 84)?;
    let sprint_start = match &file.sprint_start {
        None => None,
        Some(day) => Some(crate::time::parse_day(day).ok_or_else(|| {
            at(
                "sprint_start",
                format!("`flow.sprint_start` is `{day}`, which is not a date"),
                "write the first day of a sprint as YYYY-MM-DD".to_owned(),
            )
        })?),
    };
    Ok(FlowConfig {
        start: file.start,
        done,
        timezone,
        reopened: file.reopened.unwrap_or_default(),
        sprint_days,
        sprint_start,
        window_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        assert_eq!(Zone::parse("UTC").map(|z| z.offset_at(0)), Some(0));
        assert_eq!(Zone::parse("+02:00").map(|z| z.offset_at(0)), Some(7200));
        assert_eq!(Zone::parse("-0530").map(|z| z.offset_at(0)), Some(-19_800));
        assert_eq!(Zone::parse("UTC+2").map(|z| z.offset_at(0)), Some(7200));
        assert!(Zone::parse("+25:00").is_none());
        assert!(Zone::parse("Mars/Olympus").is_none());
        // Central European Summer Time on 2026-07-01.
        assert_eq!(Zone::parse("Europe/Berlin").map(|z| z.offset_at(1_782_864_000)), Some(7200));
    }
}
