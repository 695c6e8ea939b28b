//! The terminal dashboard of `backlint flow`: at most 100 columns.

use super::FlowReport;
use std::io::{self, Write};

const WIDTH: usize = 100;
/// Weeks shown one per line under the sparkline.
const WEEKS_LISTED: usize = 6;
/// Oldest items shown per status.
const OLDEST: usize = 3;

pub fn render(report: &FlowReport, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let mut lines = Vec::new();
    let bold = |s: &str| if color { format!("\x1b[1m{s}\x1b[0m") } else { s.to_owned() };
    let d = &report.definitions;
    let head = report.head.as_deref().map_or(String::new(), |h| format!(" · HEAD {}", &h[..h.len().min(7)]));
    lines.push(format!(
        "{} {} … {} ({}){head}",
        bold("Flow"),
        report.window.from,
        report.window.to,
        report.window.timezone
    ));
    lines.push(format!(
        "  start: {} · done: {} · dates: author · reopened: {} ({} moved back, {} affected)",
        d.start,
        d.done.join(", "),
        d.reopened.as_str(),
        d.moved_backwards,
        d.affected_by_reopened
    ));
    lines.push(String::new());

    // Throughput.
    let counts: Vec<usize> = report.throughput.iter().map(|w| w.items).collect();
    let total: usize = counts.iter().sum();
    let points: f64 = report.throughput.iter().map(|w| w.points).sum();
    lines.push(format!(
        "{}  {} items, {} points in {} weeks",
        bold("Throughput per week"),
        total,
        number(points),
        counts.len()
    ));
    let spark_width = WIDTH - 4;
    let shown = &counts[counts.len().saturating_sub(spark_width)..];
    lines.push(format!("  {}", sparkline(shown)));
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    for week in report.throughput.iter().rev().take(WEEKS_LISTED) {
        let bar = "█".repeat((week.items * 40).div_ceil(max).min(40));
        lines.push(format!("  {}  {:>4} items {:>6} pts  {bar}", week.week, week.items, number(week.points)));
    }
    lines.push(String::new());

    // Cycle time.
    let c = &report.cycle_time;
    let p = |v: Option<i64>| v.map_or("–".to_owned(), |v| v.to_string());
    lines.push(format!(
        "{}  P50 {} · P70 {} · P85 {} · P95 {} days  ({} done in the window)",
        bold("Cycle time"),
        p(c.p50),
        p(c.p70),
        p(c.p85),
        p(c.p95),
        c.count
    ));
    lines.push(String::new());

    // WIP per status with the oldest items.
    let wip_now = report.wip.last().map_or(0, |w| w.count);
    lines.push(format!("{}  {} items in progress on {}", bold("Work in progress"), wip_now, report.window.to));
    for status in &report.statuses {
        let aging: Vec<&super::Aging> = report
            .aging
            .iter()
            .filter(|a| a.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(status)))
            .collect();
        if aging.is_empty() {
            continue;
        }
        lines.push(format!("  {status} ({})", aging.len()));
        for a in aging.iter().take(OLDEST) {
            let name = a.id.clone().unwrap_or_else(|| a.path.clone());
            let pace = match a.pace_percentile {
                Some(p) => format!("older than {p} % of done items"),
                None => "no done items to compare".to_owned(),
            };
            lines.push(format!("    {name:<14} {:>4} days since {} · {pace}", a.age_days, a.start));
        }
    }
    lines.push(String::new());

    // Velocity and runway.
    let velocity = report.velocity.map_or("unknown".to_owned(), |v| format!("{} points/sprint", number(v)));
    let runway = report.ready_runway_sprints.map_or("unknown".to_owned(), |r| format!("{} sprints", number(r)));
    lines.push(format!(
        "{}  {} · {} items ({} points) in {} · runway {runway}",
        bold("Velocity"),
        velocity,
        report.ready.items,
        number(report.ready.points),
        report.ready.status
    ));
    lines.push(String::new());

    // Forecasts.
    let f = &report.forecast;
    lines.push(format!(
        "{}  seed {} · {} trials · {} done in the last {} days",
        bold("Forecast"),
        f.seed,
        f.trials,
        f.sampled_done,
        f.window_days
    ));
    for h in &f.how_many {
        let l = &h.items;
        lines.push(format!(
            "  by {} ({:>2} days): at least {} items (P50) · {} (P70) · {} (P85) · {} (P95)",
            h.date,
            h.days,
            p(l.p50),
            p(l.p70),
            p(l.p85),
            p(l.p95)
        ));
    }
    for w in &f.when {
        let q = |d: &Option<String>| d.clone().unwrap_or_else(|| "beyond 10 years".to_owned());
        lines.push(format!(
            "  the next {} items done by {} (P50) · {} (P85) · {} (P95)",
            w.items,
            q(&w.p50),
            q(&w.p85),
            q(&w.p95)
        ));
    }
    if !report.warnings.is_empty() {
        lines.push(String::new());
        for warning in &report.warnings {
            lines.extend(wrap(&format!("warning: {warning}"), WIDTH, "  "));
        }
    }
    for line in lines {
        writeln!(out, "{}", truncate(&line, if color { WIDTH + 16 } else { WIDTH }))?;
    }
    Ok(())
}

/// One block character per value, scaled to the largest.
pub fn sparkline(values: &[usize]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| if max == 0 || v == 0 { ' ' } else { BLOCKS[((v * 8).div_ceil(max)).clamp(1, 8) - 1] })
        .collect()
}

pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

fn truncate(line: &str, width: usize) -> String {
    if line.chars().count() <= width {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
        } else if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}
