//! Markdown for a GitHub job summary: tables and Mermaid `xychart-beta` charts. Its size does not
//! grow with the number of items (only the oldest work in progress is listed), so it stays far
//! below GitHub's 1 MiB summary limit.

use super::human::number;
use super::FlowReport;
use std::io::{self, Write};

/// Weeks in the charts (the most recent ones).
const WEEKS: usize = 26;
/// Items in the aging table.
const AGING_ROWS: usize = 20;
/// Weeks averaged by the moving-average line.
const AVERAGE_WEEKS: usize = 4;

pub fn render(report: &FlowReport, out: &mut dyn Write) -> io::Result<()> {
    let d = &report.definitions;
    let p = |v: Option<i64>| v.map_or("–".to_owned(), |v| v.to_string());
    writeln!(out, "## Backlog flow\n")?;
    writeln!(
        out,
        "{} … {} ({}), at {}. Started = entered `{}` or later; done = entered `{}`; dates are the author \
         dates of the commits that moved the status; reopened items use the `{}` entry ({} moved back, {} \
         affected by that choice).\n",
        report.window.from,
        report.window.to,
        report.window.timezone,
        report.head.as_deref().map_or("no commit".to_owned(), |h| format!("`{}`", &h[..h.len().min(12)])),
        d.start,
        d.done.join("`, `"),
        d.reopened.as_str(),
        d.moved_backwards,
        d.affected_by_reopened
    )?;
    let c = &report.cycle_time;
    writeln!(out, "| Measure | Value |\n| --- | --- |")?;
    writeln!(
        out,
        "| Cycle time (days, {} done) | P50 {} · P70 {} · P85 {} · P95 {} |",
        c.count,
        p(c.p50),
        p(c.p70),
        p(c.p85),
        p(c.p95)
    )?;
    let done: usize = report.throughput.iter().map(|w| w.items).sum();
    let points: f64 = report.throughput.iter().map(|w| w.points).sum();
    writeln!(out, "| Throughput | {done} items, {} points in {} weeks |", number(points), report.throughput.len())?;
    writeln!(out, "| Work in progress | {} items on {} |", report.wip.last().map_or(0, |w| w.count), report.window.to)?;
    writeln!(
        out,
        "| Velocity | {} |",
        report.velocity.map_or("unknown".to_owned(), |v| format!("{} points/sprint", number(v)))
    )?;
    writeln!(
        out,
        "| Ready runway | {} ({} items, {} points in `{}`) |",
        report.ready_runway_sprints.map_or("unknown".to_owned(), |r| format!("{} sprints", number(r))),
        report.ready.items,
        number(report.ready.points),
        report.ready.status
    )?;
    writeln!(out)?;

    let weeks = &report.throughput[report.throughput.len().saturating_sub(WEEKS)..];
    if !weeks.is_empty() {
        let labels: Vec<String> = weeks.iter().map(|w| format!("\"{}\"", &w.week[2..])).collect();
        let counts: Vec<usize> = weeks.iter().map(|w| w.items).collect();
        let all: Vec<usize> = report.throughput.iter().map(|w| w.items).collect();
        let offset = all.len() - weeks.len();
        let average: Vec<String> = (0..weeks.len())
            .map(|i| {
                let end = offset + i + 1;
                let window = &all[end.saturating_sub(AVERAGE_WEEKS)..end];
                format!("{:.1}", window.iter().sum::<usize>() as f64 / window.len() as f64)
            })
            .collect();
        writeln!(out, "### Throughput per week (bars) and its {AVERAGE_WEEKS}-week moving average (line)\n")?;
        writeln!(out, "```mermaid\nxychart-beta\n    title \"Items done per ISO week\"")?;
        writeln!(out, "    x-axis [{}]", labels.join(", "))?;
        writeln!(out, "    y-axis \"Items\"")?;
        writeln!(out, "    bar [{}]", join(&counts))?;
        writeln!(out, "    line [{}]\n```\n", average.join(", "))?;

        // Cumulative arrivals (started) and departures (done) at the end of each week, from the CFD.
        let start_rank = report.statuses.iter().position(|s| s.eq_ignore_ascii_case(&d.start));
        let done_rank =
            d.done.iter().filter_map(|x| report.statuses.iter().position(|s| s.eq_ignore_ascii_case(x))).min();
        if let (Some(start_rank), Some(done_rank)) = (start_rank, done_rank) {
            let mut arrivals = Vec::new();
            let mut departures = Vec::new();
            for week in weeks {
                let last = report.cfd.iter().rev().find(|day| {
                    crate::time::parse_day(&day.date).is_some_and(|dd| crate::time::iso_week(dd) == week.week)
                });
                let sum = |from: usize| {
                    last.map_or(0, |day| day.counts_by_status.iter().skip(from).map(|c| c.1).sum::<usize>())
                };
                arrivals.push(sum(start_rank));
                departures.push(sum(done_rank));
            }
            writeln!(out, "### Cumulative arrivals (started) and departures (done)\n")?;
            writeln!(out, "```mermaid\nxychart-beta\n    title \"Cumulative items started and done\"")?;
            writeln!(out, "    x-axis [{}]", labels.join(", "))?;
            writeln!(out, "    y-axis \"Items\"")?;
            writeln!(out, "    line [{}]", join(&arrivals))?;
            writeln!(out, "    line [{}]\n```\n", join(&departures))?;
            writeln!(
                out,
                "The upper line counts items started, the lower one items done; the gap is the work in progress.\n"
            )?;
        }
    }

    let f = &report.forecast;
    writeln!(out, "### Forecast\n")?;
    writeln!(
        out,
        "Monte Carlo, {} trials, seed {}, daily throughput sampled from the {} days before {} ({} done).\n",
        f.trials, f.seed, f.window_days, report.window.to, f.sampled_done
    )?;
    writeln!(out, "| Question | P50 | P70 | P85 | P95 |\n| --- | --- | --- | --- | --- |")?;
    for h in &f.how_many {
        let l = &h.items;
        writeln!(
            out,
            "| Items done by {} (at least) | {} | {} | {} | {} |",
            h.date,
            p(l.p50),
            p(l.p70),
            p(l.p85),
            p(l.p95)
        )?;
    }
    for w in &f.when {
        let q = |d: &Option<String>| d.clone().unwrap_or_else(|| "> 10 years".to_owned());
        writeln!(
            out,
            "| Next {} items done by | {} | {} | {} | {} |",
            w.items,
            q(&w.p50),
            q(&w.p70),
            q(&w.p85),
            q(&w.p95)
        )?;
    }
    writeln!(out)?;

    if !report.aging.is_empty() {
        writeln!(out, "### Oldest work in progress\n")?;
        writeln!(
            out,
            "| Item | Status | Age (days) | Started | Older than | Commit |\n| --- | --- | --- | --- | --- | --- |"
        )?;
        for a in report.aging.iter().take(AGING_ROWS) {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                cell(a.id.as_deref().unwrap_or(&a.path)),
                cell(a.status.as_deref().unwrap_or("")),
                a.age_days,
                a.start,
                a.pace_percentile.map_or("–".to_owned(), |p| format!("{p} % of done items")),
                a.start_commit.as_deref().map_or(String::new(), |c| format!("`{}`", &c[..c.len().min(12)]))
            )?;
        }
        if report.aging.len() > AGING_ROWS {
            writeln!(out, "\n…and {} more.", report.aging.len() - AGING_ROWS)?;
        }
        writeln!(out)?;
    }
    if !report.warnings.is_empty() {
        writeln!(out, "### Warnings\n")?;
        for w in &report.warnings {
            writeln!(out, "- {}", cell(w))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn join(values: &[usize]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Text safe inside a table cell: pipes escaped, no line breaks, no HTML.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ").replace('<', "&lt;").replace('>', "&gt;")
}
