//! `backlint flow`: flow analytics (cycle time, throughput, WIP, CFD, velocity, forecasts) from
//! the status timelines the history pass already reads. The [`FlowReport`] is the JSON v1
//! output; the human, Markdown and HTML renderers only present it.

pub mod forecast;
pub mod html;
pub mod human;
pub mod markdown;
pub mod model;

use crate::config::flow::Reopened;
use crate::config::Config;
use crate::history::{HistoryIndex, State};
use crate::item::Item;
use crate::time::{format_day, iso_week, week_start};
use crate::workspace::Workspace;
use crate::RunError;
use model::{Entry, Moves};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// The JSON output's version.
pub const VERSION: u32 = 1;
/// Warn when the forecast window holds fewer done items than this.
const FEW_DONE: usize = 20;
/// Velocity averages this many complete sprints.
const VELOCITY_SPRINTS: usize = 3;
/// Warn when the ready runway is shorter than this many sprints.
const RUNWAY_SPRINTS: f64 = 2.0;
/// A commit that moves at least this many items to done is a batch.
const BATCH: usize = 3;

/// What `backlint flow` was asked for, validated from the command line.
#[derive(Debug, Clone, Default)]
pub struct FlowSettings {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    /// First and last day of the window, as days since 1970-01-01 in the configured zone.
    pub since: Option<String>,
    pub until: Option<String>,
    pub seed: Option<u64>,
    /// "Now", seconds since the epoch.
    pub now: i64,
}

/// The whole flow report; its serde form is the JSON output, version 1.
#[derive(Debug, Serialize)]
pub struct FlowReport {
    pub version: u32,
    /// The `HEAD` commit the report was computed at.
    pub head: Option<String>,
    pub window: Window,
    /// `false` when some dates could not be known (a shallow clone); see `warnings`.
    pub complete: bool,
    pub definitions: Definitions,
    pub items: Vec<FlowItem>,
    pub throughput: Vec<WeekThroughput>,
    pub throughput_daily: Vec<DayThroughput>,
    pub wip: Vec<DayCount>,
    pub cfd: Vec<CfdDay>,
    pub cycle_time: CycleTime,
    pub aging: Vec<Aging>,
    pub velocity: Option<f64>,
    pub sprints: Vec<Sprint>,
    pub ready: Ready,
    pub ready_runway_sprints: Option<f64>,
    pub forecast: Forecast,
    pub warnings: Vec<String>,
    /// Notes for stderr (skipped files and the like).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The statuses in workflow order, for the renderers.
    #[serde(skip)]
    pub statuses: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Window {
    pub from: String,
    pub to: String,
    pub timezone: String,
}

#[derive(Debug, Serialize)]
pub struct Definitions {
    pub start: String,
    pub done: Vec<String>,
    pub date: &'static str,
    pub timezone: String,
    pub reopened: Reopened,
    /// Items that ever moved to an earlier status.
    pub moved_backwards: usize,
    /// Items whose start or done day differs between `reopened: last` and `first`.
    pub affected_by_reopened: usize,
    pub sprint_days: u32,
    pub sprint_start: String,
    pub window_days: u32,
    pub ready_status: String,
    pub text: BTreeMap<&'static str, &'static str>,
}

/// The words of the README's definitions, repeated in every JSON report.
const DEFINITIONS: &[(&str, &str)] = &[
    ("started", "the day the item last (reopened: last) or first (reopened: first) entered the start status or a later one; skipped statuses count"),
    ("done", "the day the item entered a done status (or a later one) under the same policy; an item not in a done status now is not done"),
    ("date", "the author date of the commit that changed the status, as a calendar day in the configured time zone"),
    ("cycle_time_days", "done day - start day + 1"),
    ("lead_time_days", "done day - created day + 1"),
    ("wip", "items started and not done at the end of the day"),
    ("age_days", "today - start day + 1, for items started and not done"),
    ("throughput", "items (and points) that became done per day and per ISO week, within the window"),
    ("cycle_time_percentiles", "nearest-rank 50/70/85/95th percentiles of the cycle times of items done in the window"),
    ("pace_percentile", "the share of items done in the window whose cycle time was shorter than this item's age, in percent"),
    ("velocity", "points done per sprint, averaged over the last 3 complete sprints"),
    ("ready_runway_sprints", "points of items in ready_status divided by velocity"),
    ("forecast", "Monte Carlo: each future day's throughput drawn uniformly from the window_days days ending at window.to; how_many pN = items done at least in N % of trials; when pN = days by which N % of trials were done"),
];

#[derive(Debug, Serialize)]
pub struct FlowItem {
    pub id: Option<String>,
    pub path: String,
    pub title: Option<String>,
    pub status: Option<String>,
    pub points: Option<f64>,
    pub created: Option<String>,
    pub start: Option<String>,
    pub done: Option<String>,
    pub start_commit: Option<String>,
    pub done_commit: Option<String>,
    pub cycle_time_days: Option<i64>,
    pub lead_time_days: Option<i64>,
    pub age_days: Option<i64>,
    /// Why a date is `null` although the item is at or past the stage.
    pub unknown: Option<String>,
    pub events: Vec<Event>,
    #[serde(skip)]
    start_day: Option<i64>,
    #[serde(skip)]
    done_day: Option<i64>,
    /// Per status rank, the day the item entered that stage (for the CFD); `None` if unknown.
    #[serde(skip)]
    stages: Option<Vec<i64>>,
}

#[derive(Debug, Serialize)]
pub struct Event {
    pub date: String,
    pub time: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub commit: String,
}

#[derive(Debug, Serialize)]
pub struct WeekThroughput {
    pub week: String,
    pub items: usize,
    pub points: f64,
}

#[derive(Debug, Serialize)]
pub struct DayThroughput {
    pub date: String,
    pub items: usize,
    pub points: f64,
}

#[derive(Debug, Serialize)]
pub struct DayCount {
    pub date: String,
    pub count: usize,
}

#[derive(Debug)]
pub struct CfdDay {
    pub date: String,
    /// In workflow order.
    pub counts_by_status: Vec<(String, usize)>,
}

impl Serialize for CfdDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Counts<'a>(&'a [(String, usize)]);
        impl Serialize for Counts<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (status, count) in self.0 {
                    map.serialize_entry(status, count)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("date", &self.date)?;
        map.serialize_entry("counts_by_status", &Counts(&self.counts_by_status))?;
        map.end()
    }
}

#[derive(Debug, Serialize)]
pub struct CycleTime {
    pub p50: Option<i64>,
    pub p70: Option<i64>,
    pub p85: Option<i64>,
    pub p95: Option<i64>,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Aging {
    pub id: Option<String>,
    pub path: String,
    pub status: Option<String>,
    pub start: String,
    pub start_commit: Option<String>,
    pub age_days: i64,
    pub pace_percentile: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Sprint {
    pub from: String,
    pub to: String,
    pub items: usize,
    pub points: f64,
    pub complete: bool,
}

#[derive(Debug, Serialize)]
pub struct Ready {
    pub status: String,
    pub items: usize,
    pub points: f64,
    /// Ready items without a size, counted as 0 points.
    pub without_size: usize,
}

#[derive(Debug, Serialize)]
pub struct Forecast {
    pub seed: u64,
    pub trials: usize,
    pub window_days: u32,
    /// Items done in the sampled days.
    pub sampled_done: usize,
    pub how_many: Vec<HowMany>,
    pub when: Vec<When>,
}

#[derive(Debug, Serialize)]
pub struct HowMany {
    pub date: String,
    pub days: i64,
    #[serde(flatten)]
    pub items: forecast::Levels,
}

#[derive(Debug, Serialize)]
pub struct When {
    pub items: u64,
    pub p50: Option<String>,
    pub p70: Option<String>,
    pub p85: Option<String>,
    pub p95: Option<String>,
}

/// Run `backlint flow`.
pub fn flow(settings: &FlowSettings) -> Result<FlowReport, RunError> {
    for path in &settings.paths {
        if !path.exists() {
            return Err(RunError::NoSuchPath(path.display().to_string()));
        }
    }
    let start = settings.paths.first().map_or_else(|| PathBuf::from("."), |p| crate::dir_of(p));
    // The same workspace `check` and the server load: one history pass, through its cache.
    let mut workspace = Workspace::load(&start, settings.config.as_deref(), true, settings.now)?;
    let history = workspace.history.take();
    let config = &workspace.config;
    let root_in_repo = crate::git_scope::root_in_repo(&config.root).is_some();
    let history = match history {
        Some(h) if h.head().is_some() => h,
        Some(_) if root_in_repo => return Err(RunError::NoHistory("the repository has no commits yet".into())),
        _ if !root_in_repo => return Err(RunError::NoHistory("not inside a git repository".into())),
        _ => return Err(RunError::NoHistory("git history could not be read".into())),
    };
    let scope = crate::check::Scope::new(&workspace, &settings.paths);
    let items: Vec<&Item> = workspace.backlog.items.iter().filter(|i| scope.includes(&i.path)).collect();
    let boundaries = shallow_boundaries(config, &history);
    let mut report = compute(config, &items, &history, &boundaries, settings)?;
    report.notes = std::mem::take(&mut workspace.notes);
    Ok(report)
}

/// The boundary commits of a shallow clone (empty for a full clone).
fn shallow_boundaries(config: &Config, history: &HistoryIndex) -> HashSet<String> {
    if !history.shallow() {
        return HashSet::new();
    }
    let Ok(repo) = gix::discover(&config.root) else { return HashSet::new() };
    match repo.shallow_commits() {
        Ok(Some(list)) => list.iter().map(ToString::to_string).collect(),
        _ => HashSet::new(),
    }
}

/// The metrics of `items`, from their histories.
pub fn compute(
    config: &Config,
    items: &[&Item],
    history: &HistoryIndex,
    boundaries: &HashSet<String>,
    settings: &FlowSettings,
) -> Result<FlowReport, RunError> {
    let zone = &config.flow.timezone;
    let policy = config.flow.reopened;
    let (start_rank, done_rank) = model::boundaries(config);
    let today = model::local_day(settings.now, zone);
    let day_arg = |text: &Option<String>, flag: &str| -> Result<Option<i64>, RunError> {
        match text {
            None => Ok(None),
            Some(t) => crate::time::parse_day(t)
                .map(Some)
                .ok_or_else(|| RunError::Usage(format!("{flag} takes a date written YYYY-MM-DD, not `{t}`"))),
        }
    };
    let to = day_arg(&settings.until, "--until")?.unwrap_or(today);
    let window_days = i64::from(config.flow.window_days);
    let from = day_arg(&settings.since, "--since")?.unwrap_or(to - window_days + 1);
    if from > to {
        return Err(RunError::Usage(format!("--since {} is after --until {}", format_day(from), format_day(to))));
    }
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    let size_key = config.field("size");
    let ready_rank = config.status_rank(&config.ready_status);

    // Per item: moves, entries under both policies.
    let mut flow_items = Vec::new();
    let (mut backwards, mut affected, mut uncommitted, mut unknown_items) = (0, 0, 0, 0);
    let mut first_commit_day: Option<i64> = None;
    for item in items {
        let Some(h) = history.get(&item.path).filter(|h| h.state != State::NoRepo && h.state != State::Untracked)
        else {
            uncommitted += 1;
            continue;
        };
        let moves = Moves::of(h, config, zone, boundaries);
        if let Some(oldest) = h.timeline.last().and_then(|r| crate::time::parse(&r.commit.date)) {
            let day = model::local_day(oldest, zone);
            first_commit_day = Some(first_commit_day.map_or(day, |d| d.min(day)));
        }
        if moves.moved_backwards() {
            backwards += 1;
        }
        let other = if policy == Reopened::Last { Reopened::First } else { Reopened::Last };
        let (start, done) = (moves.entry(start_rank, policy), moves.entry(done_rank, policy));
        if (start, done) != (moves.entry(start_rank, other), moves.entry(done_rank, other)) {
            affected += 1;
        }
        let current = moves.current_rank();
        let stages: Option<Vec<i64>> =
            current.and_then(|rank| (0..=rank).map(|k| moves.entry(k, policy).day()).collect());
        let created = if moves.cut_rank.is_some() { None } else { moves.moves.first().map(|m| m.day) };
        let start_day = start.day();
        let done_day = done.day();
        let unknown = matches!(start, Entry::Unknown) || matches!(done, Entry::Unknown) || moves.cut_rank.is_some();
        if unknown {
            unknown_items += 1;
        }
        let commit_of = |e: Entry| match e {
            Entry::Day { commit, .. } => Some(commit.to_owned()),
            _ => None,
        };
        let status = moves.moves.last().and_then(|m| m.to.clone());
        let points = item.value(size_key).and_then(|v| crate::rules::helpers::size_points(v, config));
        let cycle = start_day.zip(done_day).map(|(s, d)| d - s + 1);
        let lead = created.zip(done_day).map(|(c, d)| d - c + 1);
        let age = match (start_day, done) {
            (Some(s), Entry::Not) => Some(today - s + 1),
            _ => None,
        };
        let field = |name: &str| item.value(config.field(name)).map(|v| v.to_text());
        let events = moves
            .moves
            .iter()
            .map(|m| Event {
                date: format_day(m.day),
                time: crate::time::iso_utc(m.time),
                from: m.from.clone(),
                to: m.to.clone(),
                commit: m.commit.clone(),
            })
            .collect();
        flow_items.push(FlowItem {
            id: field("id"),
            path: item.path.clone(),
            title: field("title"),
            status,
            points,
            created: created.map(format_day),
            start: start_day.map(format_day),
            done: done_day.map(format_day),
            start_commit: commit_of(start),
            done_commit: commit_of(done),
            cycle_time_days: cycle,
            lead_time_days: lead,
            age_days: age,
            unknown: unknown.then(|| "history cut by a shallow clone".to_owned()),
            events,
            start_day,
            done_day,
            stages,
        });
    }
    if uncommitted > 0 {
        notes.push(format!(
            "{uncommitted} item(s) not committed yet are left out: flow counts committed status changes"
        ));
    }
    if unknown_items > 0 {
        warnings.push(format!(
            "the repository is a shallow clone: {unknown_items} item(s) have history before the cut, so some of their dates are unknown (null) and they are left out of the CFD and WIP; fetch full history (`git fetch --unshallow`)"
        ));
    }

    // Throughput per day and week, within the window.
    let in_window = |d: i64| (from..=to).contains(&d);
    let done_in_window: Vec<&FlowItem> = flow_items.iter().filter(|i| i.done_day.is_some_and(in_window)).collect();
    let mut daily: BTreeMap<i64, (usize, f64)> = (from..=to).map(|d| (d, (0, 0.0))).collect();
    for item in &done_in_window {
        if let Some(entry) = item.done_day.and_then(|d| daily.get_mut(&d)) {
            entry.0 += 1;
            entry.1 += item.points.unwrap_or(0.0);
        }
    }
    let mut weekly: BTreeMap<i64, (usize, f64)> = BTreeMap::new();
    for (&day, &(n, p)) in &daily {
        let entry = weekly.entry(week_start(day)).or_default();
        entry.0 += n;
        entry.1 += p;
    }
    let throughput = weekly
        .iter()
        .map(|(&monday, &(items, points))| WeekThroughput { week: iso_week(monday), items, points })
        .collect();
    let throughput_daily =
        daily.iter().map(|(&d, &(items, points))| DayThroughput { date: format_day(d), items, points }).collect();

    // Cycle-time percentiles over items done in the window.
    let mut cycles: Vec<i64> = done_in_window.iter().filter_map(|i| i.cycle_time_days).collect();
    cycles.sort_unstable();
    let pct = |level| (!cycles.is_empty()).then(|| forecast::nearest_rank(&cycles, level));
    let cycle_time = CycleTime { p50: pct(50), p70: pct(70), p85: pct(85), p95: pct(95), count: cycles.len() };

    // WIP and the CFD per day, from stage entry days (difference arrays over the window).
    let days = usize::try_from(to - from + 1).unwrap_or(0);
    let mut wip_delta = vec![0i64; days + 1];
    let n_status = config.statuses.len();
    let mut cfd_delta = vec![vec![0i64; days + 1]; n_status];
    let slot = |d: i64| usize::try_from((d - from).clamp(0, days as i64)).unwrap_or(0);
    for item in flow_items.iter().filter(|i| i.unknown.is_none()) {
        if let Some(s) = item.start_day {
            let end = item.done_day.map_or(days, slot);
            let begin = slot(s);
            if begin < end {
                wip_delta[begin] += 1;
                wip_delta[end] -= 1;
            }
        }
        if let Some(stages) = &item.stages {
            for (rank, &entered) in stages.iter().enumerate() {
                let until = stages.get(rank + 1).map_or(days, |&next| slot(next));
                let begin = slot(entered);
                if entered <= to && begin < until && rank < n_status {
                    cfd_delta[rank][begin] += 1;
                    cfd_delta[rank][until] -= 1;
                }
            }
        }
    }
    let mut wip = Vec::with_capacity(days);
    let mut cfd = Vec::with_capacity(days);
    let mut running = 0i64;
    let mut bands = vec![0i64; n_status];
    for offset in 0..days {
        running += wip_delta[offset];
        let date = format_day(from + offset as i64);
        wip.push(DayCount { date: date.clone(), count: usize::try_from(running).unwrap_or(0) });
        let counts = config
            .statuses
            .iter()
            .enumerate()
            .map(|(rank, status)| {
                bands[rank] += cfd_delta[rank][offset];
                (status.clone(), usize::try_from(bands[rank]).unwrap_or(0))
            })
            .collect();
        cfd.push(CfdDay { date, counts_by_status: counts });
    }

    // Aging work in progress, oldest first.
    let mut aging: Vec<Aging> = flow_items
        .iter()
        .filter_map(|i| {
            let age = i.age_days?;
            let shorter = cycles.partition_point(|&c| c < age);
            let pace = (!cycles.is_empty()).then(|| u32::try_from(shorter * 100 / cycles.len()).unwrap_or(100));
            Some(Aging {
                id: i.id.clone(),
                path: i.path.clone(),
                status: i.status.clone(),
                start: i.start.clone().unwrap_or_default(),
                start_commit: i.start_commit.clone(),
                age_days: age,
                pace_percentile: pace,
            })
        })
        .collect();
    aging.sort_by(|a, b| b.age_days.cmp(&a.age_days).then_with(|| a.path.cmp(&b.path)));

    // Velocity over sprints aligned to sprint_start.
    let sprint_days = i64::from(config.flow.sprint_days);
    let sprint_start = config.flow.sprint_start.or(first_commit_day).unwrap_or(today);
    let sprint_of = |d: i64| (d - sprint_start).div_euclid(sprint_days);
    // Sprints complete by the window's last day (today unless --until says otherwise).
    let current_sprint = sprint_of(to);
    let mut per_sprint: BTreeMap<i64, (usize, f64)> = BTreeMap::new();
    for item in &flow_items {
        if let Some(d) = item.done_day {
            let e = per_sprint.entry(sprint_of(d)).or_default();
            e.0 += 1;
            e.1 += item.points.unwrap_or(0.0);
        }
    }
    let first_sprint = sprint_of(first_commit_day.unwrap_or(today)).max(sprint_of(sprint_start));
    let complete: Vec<i64> =
        (first_sprint..current_sprint).rev().take(VELOCITY_SPRINTS).collect::<Vec<_>>().into_iter().rev().collect();
    let sprints: Vec<Sprint> = complete
        .iter()
        .chain(std::iter::once(&current_sprint))
        .map(|&k| {
            let (items, points) = per_sprint.get(&k).copied().unwrap_or_default();
            let begin = sprint_start + k * sprint_days;
            Sprint {
                from: format_day(begin),
                to: format_day(begin + sprint_days - 1),
                items,
                points,
                complete: k < current_sprint,
            }
        })
        .collect();
    let velocity = (!complete.is_empty()).then(|| {
        let total: f64 = complete.iter().map(|k| per_sprint.get(k).map_or(0.0, |e| e.1)).sum();
        round2(total / complete.len() as f64)
    });
    if (1..VELOCITY_SPRINTS).contains(&complete.len()) {
        warnings.push(format!(
            "velocity averages {} complete sprint(s), not {VELOCITY_SPRINTS}: the history is shorter",
            complete.len()
        ));
    }

    // Ready runway.
    let ready_items: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|i| i.value(config.field("status")).is_some_and(|s| config.status_rank(&s.to_text()) == ready_rank))
        .collect();
    let ready_points: f64 = ready_items
        .iter()
        .filter_map(|i| i.value(size_key).and_then(|v| crate::rules::helpers::size_points(v, config)))
        .sum();
    let without_size = ready_items
        .iter()
        .filter(|i| i.value(size_key).and_then(|v| crate::rules::helpers::size_points(v, config)).is_none())
        .count();
    let runway = velocity.filter(|v| *v > 0.0).map(|v| round2(ready_points / v));
    if let Some(r) = runway.filter(|r| *r < RUNWAY_SPRINTS) {
        warnings.push(format!(
            "ready runway is {r} sprint(s), below {RUNWAY_SPRINTS}: refine more items to `{}`",
            config.ready_status
        ));
    }

    // Forecasts.
    let seed = settings.seed.unwrap_or(forecast::DEFAULT_SEED);
    let sample_from = to - window_days + 1;
    let samples: Vec<u32> = (sample_from..=to)
        .map(|d| {
            let n = flow_items.iter().filter(|i| i.done_day == Some(d)).count();
            u32::try_from(n).unwrap_or(u32::MAX)
        })
        .collect();
    let sampled_done: usize = samples.iter().map(|&n| n as usize).sum();
    let mut rng = forecast::Pcg32::new(seed);
    let how_many = [14, 28, 56]
        .iter()
        .map(|&d| HowMany {
            date: format_day(to + d),
            days: d,
            items: forecast::how_many(&samples, usize::try_from(d).unwrap_or(0), &mut rng),
        })
        .collect();
    let mut when = Vec::new();
    let ready_count = ready_items.len() as u64;
    for n in [ready_count].into_iter().filter(|&n| n > 0) {
        let levels = forecast::when(&samples, n, &mut rng);
        let date = |d: Option<i64>| d.map(|d| format_day(to + d));
        when.push(When {
            items: n,
            p50: date(levels.p50),
            p70: date(levels.p70),
            p85: date(levels.p85),
            p95: date(levels.p95),
        });
    }
    if sampled_done < FEW_DONE {
        warnings.push(format!(
            "only {sampled_done} item(s) were done in the {window_days} days before {}: forecasts need about {FEW_DONE}",
            format_day(to)
        ));
    }
    let mut per_commit: HashMap<&str, usize> = HashMap::new();
    for item in flow_items.iter().filter(|i| i.done_day.is_some_and(|d| (sample_from..=to).contains(&d))) {
        if let Some(c) = &item.done_commit {
            *per_commit.entry(c.as_str()).or_default() += 1;
        }
    }
    let batched: usize = per_commit.values().filter(|&&n| n >= BATCH).sum();
    if sampled_done > 0 && batched * 2 > sampled_done {
        warnings.push(format!(
            "batch closing: {batched} of {sampled_done} done items in the forecast window were closed by commits that closed {BATCH} or more at once, so daily throughput is lumpy and forecasts are less reliable"
        ));
    }

    let definitions = Definitions {
        start: config.statuses.get(start_rank).cloned().unwrap_or_default(),
        done: config.flow_done().to_vec(),
        date: "author",
        timezone: zone.name.clone(),
        reopened: policy,
        moved_backwards: backwards,
        affected_by_reopened: affected,
        sprint_days: config.flow.sprint_days,
        sprint_start: format_day(sprint_start),
        window_days: config.flow.window_days,
        ready_status: config.ready_status.clone(),
        text: DEFINITIONS.iter().copied().collect(),
    };
    Ok(FlowReport {
        version: VERSION,
        head: history.head().map(str::to_owned),
        window: Window { from: format_day(from), to: format_day(to), timezone: zone.name.clone() },
        complete: unknown_items == 0,
        definitions,
        items: flow_items,
        throughput,
        throughput_daily,
        wip,
        cfd,
        cycle_time,
        aging,
        velocity,
        sprints,
        ready: Ready {
            status: config.ready_status.clone(),
            items: ready_items.len(),
            points: ready_points,
            without_size,
        },
        ready_runway_sprints: runway,
        forecast: Forecast {
            seed,
            trials: forecast::TRIALS,
            window_days: config.flow.window_days,
            sampled_done,
            how_many,
            when,
        },
        warnings,
        notes,
        statuses: config.statuses.clone(),
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
