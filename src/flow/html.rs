//! One self-contained HTML page: inline CSS and SVG, no script and nothing from the network.
//! Every point carries an SVG `<title>` (the browser shows it on hover) naming the item, its
//! dates and the commits that moved it. Points are `circle.point`, CFD bands `path.band`.

use super::human::number;
use super::FlowReport;
use crate::time::{format_day, parse_day};
use std::fmt::Write as _;
use std::io::{self, Write};

const W: f64 = 920.0;
const H: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;
const COLORS: [&str; 10] =
    ["#c7d2fe", "#a5b4fc", "#fde68a", "#fbbf24", "#fb923c", "#f87171", "#86efac", "#22c55e", "#15803d", "#94a3b8"];

pub fn render(report: &FlowReport, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::new();
    let d = &report.definitions;
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Backlog flow {} … {}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<h1>Backlog flow</h1>\n<p class=\"meta\">{} … {} ({}) at {} · start: {} · done: {} \
         · dates: author dates of the status commits · reopened: {} ({} moved back, {} affected)</p>\n",
        esc(&report.window.from),
        esc(&report.window.to),
        esc(&report.window.from),
        esc(&report.window.to),
        esc(&report.window.timezone),
        esc(report.head.as_deref().unwrap_or("no commit")),
        esc(&d.start),
        esc(&d.done.join(", ")),
        d.reopened.as_str(),
        d.moved_backwards,
        d.affected_by_reopened,
    );
    summary(report, &mut page);
    cfd(report, &mut page);
    scatter(report, &mut page);
    throughput(report, &mut page);
    aging(report, &mut page);
    if !report.warnings.is_empty() {
        page.push_str("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
        for w in &report.warnings {
            let _ = writeln!(page, "<li>{}</li>", esc(w));
        }
        page.push_str("</ul>\n");
    }
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

const CSS: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1f2937;max-width:960px}\
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 6px}.meta{color:#4b5563;margin:0 0 12px}\
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left}\
svg{display:block;background:#fff;border:1px solid #e5e7eb}svg text{font:11px system-ui,sans-serif;fill:#374151}\
.axis{stroke:#9ca3af;stroke-width:1}.grid{stroke:#f3f4f6}.pct{stroke-dasharray:4 3;stroke-width:1.2}\
circle.point{fill:#2563eb;fill-opacity:.75;stroke:#1e3a8a;stroke-width:.5}circle.point:hover{fill:#f59e0b}\
path.band:hover{opacity:.8}.legend span{display:inline-block;margin-right:12px}\
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}\
.warnings li{color:#92400e}";

fn summary(report: &FlowReport, page: &mut String) {
    let c = &report.cycle_time;
    let p = |v: Option<i64>| v.map_or("–".to_owned(), |v| v.to_string());
    page.push_str("<table class=\"summary\">\n");
    let rows = [
        (
            "Cycle time (days)".to_owned(),
            format!("P50 {} · P70 {} · P85 {} · P95 {} ({} done)", p(c.p50), p(c.p70), p(c.p85), p(c.p95), c.count),
        ),
        (
            "Work in progress".to_owned(),
            format!("{} items on {}", report.wip.last().map_or(0, |w| w.count), report.window.to),
        ),
        (
            "Velocity".to_owned(),
            report.velocity.map_or("unknown".to_owned(), |v| format!("{} points/sprint", number(v))),
        ),
        (
            "Ready runway".to_owned(),
            report.ready_runway_sprints.map_or("unknown".to_owned(), |r| format!("{} sprints", number(r))),
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(page, "<tr><th>{}</th><td>{}</td></tr>", esc(&k), esc(&v));
    }
    let f = &report.forecast;
    for h in &f.how_many {
        let l = &h.items;
        let _ = writeln!(
            page,
            "<tr><th>Items done by {}</th><td>at least {} (P50) · {} (P70) · {} (P85) · {} (P95)</td></tr>",
            esc(&h.date),
            p(l.p50),
            p(l.p70),
            p(l.p85),
            p(l.p95)
        );
    }
    for w in &f.when {
        let q = |d: &Option<String>| d.clone().unwrap_or_else(|| "beyond 10 years".to_owned());
        let _ = writeln!(
            page,
            "<tr><th>Next {} items done by</th><td>{} (P50) · {} (P70) · {} (P85) · {} (P95)</td></tr>",
            w.items,
            esc(&q(&w.p50)),
            esc(&q(&w.p70)),
            esc(&q(&w.p85)),
            esc(&q(&w.p95))
        );
    }
    let _ = writeln!(
        page,
        "<tr><th>Forecast</th><td>seed {} · {} trials · {}-day window</td></tr>",
        f.seed, f.trials, f.window_days
    );
    page.push_str("</table>\n");
}

/// Linear scale from a data range onto pixels.
struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < f64::EPSILON {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

fn x_days(report: &FlowReport) -> (i64, i64, Scale) {
    let from = parse_day(&report.window.from).unwrap_or(0);
    let to = parse_day(&report.window.to).unwrap_or(from);
    (from, to, Scale { d0: from as f64, d1: to as f64, p0: LEFT, p1: W - RIGHT })
}

/// A y scale from 0 to `max` rounded up to a multiple of 4, so that the 5 ticks are whole numbers.
fn y_scale(max: f64) -> Scale {
    let top = (max.max(1.0) / 4.0).ceil() * 4.0;
    Scale { d0: 0.0, d1: top, p0: H - BOTTOM, p1: TOP }
}

fn open_svg(page: &mut String, id: &str, label: &str) {
    let _ = writeln!(
        page,
        "<svg id=\"{id}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(label)
    );
}

/// Axes with a few day ticks along x and value ticks along y.
fn axes(page: &mut String, x: &Scale, from: i64, to: i64, y: &Scale, y_label: &str) {
    let _ = writeln!(
        page,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    let _ = writeln!(page, "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\"/>", H - BOTTOM);
    let span = (to - from).max(1);
    for i in 0..=4 {
        let day = from + span * i / 4;
        let px = x.at(day as f64);
        let anchor = match i {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = writeln!(
            page,
            "<text x=\"{px:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            H - BOTTOM + 16.0,
            format_day(day)
        );
    }
    for i in 0..=4 {
        let v = y.d1 * f64::from(i) / 4.0;
        let py = y.at(v);
        let _ =
            writeln!(page, "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{}\" y2=\"{py:.1}\"/>", W - RIGHT);
        let _ = writeln!(
            page,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            py + 4.0,
            number(v.round())
        );
    }
    let _ = writeln!(
        page,
        "<text x=\"12\" y=\"{TOP}\" transform=\"rotate(-90 12 {TOP})\" text-anchor=\"end\">{}</text>",
        esc(y_label)
    );
}

fn cfd(report: &FlowReport, page: &mut String) {
    page.push_str("<h2>Cumulative flow</h2>\n");
    let (from, to, x) = x_days(report);
    let totals: Vec<usize> = report.cfd.iter().map(|d| d.counts_by_status.iter().map(|c| c.1).sum()).collect();
    let y = y_scale(totals.iter().copied().max().unwrap_or(0) as f64);
    open_svg(page, "cfd", "cumulative flow diagram: items per status per day, stacked");
    axes(page, &x, from, to, &y, "items");
    let n = report.statuses.len();
    // Stack from the last status (done) at the bottom upwards.
    let mut lower = vec![0usize; report.cfd.len()];
    for rank in (0..n).rev() {
        let upper: Vec<usize> = report
            .cfd
            .iter()
            .zip(&lower)
            .map(|(day, &low)| low + day.counts_by_status.get(rank).map_or(0, |c| c.1))
            .collect();
        let mut path = String::new();
        for (i, day) in report.cfd.iter().enumerate() {
            let px = x.at(parse_day(&day.date).unwrap_or(from) as f64);
            let _ = write!(path, "{}{px:.1},{:.1}", if i == 0 { "M" } else { "L" }, y.at(upper[i] as f64));
        }
        for (i, day) in report.cfd.iter().enumerate().rev() {
            let px = x.at(parse_day(&day.date).unwrap_or(from) as f64);
            let _ = write!(path, "L{px:.1},{:.1}", y.at(lower[i] as f64));
        }
        path.push('Z');
        let status = &report.statuses[rank];
        let last = report.cfd.last().and_then(|d| d.counts_by_status.get(rank)).map_or(0, |c| c.1);
        let _ = writeln!(
            page,
            "<path class=\"band\" data-status=\"{}\" d=\"{path}\" fill=\"{}\"><title>{}: {last} items on {}</title></path>",
            esc(status),
            COLORS[(rank * COLORS.len() / n.max(1)).min(COLORS.len() - 1)],
            esc(status),
            esc(&report.window.to)
        );
        lower = upper;
    }
    page.push_str("</svg>\n<p class=\"legend\">");
    for (rank, status) in report.statuses.iter().enumerate() {
        let color = COLORS[(rank * COLORS.len() / n.max(1)).min(COLORS.len() - 1)];
        let _ = write!(page, "<span><i style=\"background:{color}\"></i>{}</span>", esc(status));
    }
    page.push_str("</p>\n");
}

fn percentile_lines(report: &FlowReport, page: &mut String, y: &Scale) {
    let c = &report.cycle_time;
    for (label, value, color) in
        [("P50", c.p50, "#16a34a"), ("P70", c.p70, "#ca8a04"), ("P85", c.p85, "#ea580c"), ("P95", c.p95, "#dc2626")]
    {
        let Some(v) = value else { continue };
        let py = y.at(v as f64);
        let _ = writeln!(
            page,
            "<line class=\"pct\" stroke=\"{color}\" x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{}\" y2=\"{py:.1}\"><title>{label}: {v} days</title></line>",
            W - RIGHT
        );
        let _ = writeln!(
            page,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{color}\">{label} {v}d</text>",
            W - RIGHT - 2.0,
            py - 3.0
        );
    }
}

fn scatter(report: &FlowReport, page: &mut String) {
    page.push_str("<h2>Cycle time</h2>\n");
    let (from, to, x) = x_days(report);
    let done: Vec<&super::FlowItem> = report
        .items
        .iter()
        .filter(|i| i.cycle_time_days.is_some() && i.done_day.is_some_and(|d| (from..=to).contains(&d)))
        .collect();
    let max = done.iter().filter_map(|i| i.cycle_time_days).max().unwrap_or(1);
    let y = y_scale(max as f64);
    open_svg(page, "cycle-time", "cycle time scatterplot: one point per item done in the window");
    axes(page, &x, from, to, &y, "days");
    percentile_lines(report, page, &y);
    for item in done {
        let (Some(day), Some(cycle)) = (item.done_day, item.cycle_time_days) else { continue };
        let title = format!(
            "{}: {} days, started {} ({}), done {} ({})",
            name(item.id.as_deref(), &item.path),
            cycle,
            item.start.as_deref().unwrap_or("?"),
            short(item.start_commit.as_deref()),
            item.done.as_deref().unwrap_or("?"),
            short(item.done_commit.as_deref()),
        );
        let _ = writeln!(
            page,
            "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}</title></circle>",
            x.at(day as f64),
            y.at(cycle as f64),
            esc(&title)
        );
    }
    page.push_str("</svg>\n");
}

fn throughput(report: &FlowReport, page: &mut String) {
    page.push_str("<h2>Throughput per week</h2>\n");
    let weeks = &report.throughput;
    let max = weeks.iter().map(|w| w.items).max().unwrap_or(0);
    let y = y_scale(max as f64);
    let x = Scale { d0: 0.0, d1: weeks.len().saturating_sub(1) as f64, p0: LEFT + 10.0, p1: W - RIGHT - 10.0 };
    open_svg(page, "throughput", "throughput run chart: items done per ISO week");
    let _ = writeln!(
        page,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    let _ = writeln!(page, "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\"/>", H - BOTTOM);
    for i in 0..=4 {
        let v = y.d1 * f64::from(i) / 4.0;
        let _ = writeln!(
            page,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            y.at(v) + 4.0,
            number(v.round())
        );
    }
    // The median week as the run chart's centre line.
    let mut sorted: Vec<i64> = weeks.iter().map(|w| w.items as i64).collect();
    sorted.sort_unstable();
    if !sorted.is_empty() {
        let median = super::forecast::nearest_rank(&sorted, 50);
        let py = y.at(median as f64);
        let _ = writeln!(
            page,
            "<line class=\"pct\" stroke=\"#6b7280\" x1=\"{LEFT}\" y1=\"{py:.1}\" x2=\"{}\" y2=\"{py:.1}\"><title>median week: {median} items</title></line>",
            W - RIGHT
        );
    }
    let points: Vec<String> =
        weeks.iter().enumerate().map(|(i, w)| format!("{:.1},{:.1}", x.at(i as f64), y.at(w.items as f64))).collect();
    let _ = writeln!(
        page,
        "<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"1.5\" points=\"{}\"/>",
        points.join(" ")
    );
    let step = weeks.len().div_ceil(12).max(1);
    for (i, w) in weeks.iter().enumerate() {
        let (px, py) = (x.at(i as f64), y.at(w.items as f64));
        let _ = writeln!(
            page,
            "<circle class=\"point\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3.5\"><title>{}: {} items, {} points</title></circle>",
            esc(&w.week),
            w.items,
            number(w.points)
        );
        if i % step == 0 {
            let _ = writeln!(
                page,
                "<text x=\"{px:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                H - BOTTOM + 16.0,
                esc(&w.week)
            );
        }
    }
    page.push_str("</svg>\n");
}

fn aging(report: &FlowReport, page: &mut String) {
    page.push_str("<h2>Aging work in progress</h2>\n");
    let d = &report.definitions;
    let start = report.statuses.iter().position(|s| s.eq_ignore_ascii_case(&d.start)).unwrap_or(0);
    let done = d.done.iter().filter_map(|x| report.statuses.iter().position(|s| s.eq_ignore_ascii_case(x))).min();
    let columns: Vec<&String> =
        report.statuses.iter().skip(start).take(done.map_or(usize::MAX, |d| d.saturating_sub(start))).collect();
    let max_age = report.aging.iter().map(|a| a.age_days).max().unwrap_or(1);
    let c = &report.cycle_time;
    let top = c.p95.unwrap_or(0).max(max_age);
    let y = y_scale(top as f64);
    open_svg(
        page,
        "aging",
        "aging work in progress: one point per item in progress, by status, with cycle-time percentile bands",
    );
    // Bands: below P50, P50–P70, P70–P85, P85–P95, above P95.
    let bounds = [Some(0), c.p50, c.p70, c.p85, c.p95, Some(i64::MAX)];
    let fills = ["#dcfce7", "#fef9c3", "#ffedd5", "#fee2e2", "#fecaca"];
    let names = ["below P50", "P50–P70", "P70–P85", "P85–P95", "above P95"];
    if c.count > 0 {
        for i in 0..5 {
            let (Some(low), Some(high)) = (bounds[i], bounds[i + 1]) else { continue };
            let (y0, y1) = (y.at(low as f64), y.at((high as f64).min(y.d1)));
            if y0 <= y1 {
                continue;
            }
            let _ = writeln!(
                page,
                "<rect class=\"pct-band\" x=\"{LEFT}\" y=\"{y1:.1}\" width=\"{}\" height=\"{:.1}\" fill=\"{}\"><title>{}</title></rect>",
                W - RIGHT - LEFT,
                y0 - y1,
                fills[i],
                names[i]
            );
        }
    }
    let _ = writeln!(
        page,
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    let _ = writeln!(page, "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\"/>", H - BOTTOM);
    for i in 0..=4 {
        let v = y.d1 * f64::from(i) / 4.0;
        let _ = writeln!(
            page,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LEFT - 6.0,
            y.at(v) + 4.0,
            number(v.round())
        );
    }
    percentile_lines(report, page, &y);
    let width = (W - RIGHT - LEFT) / columns.len().max(1) as f64;
    for (col, status) in columns.iter().enumerate() {
        let centre = LEFT + width * (col as f64 + 0.5);
        let _ = writeln!(
            page,
            "<text x=\"{centre:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            H - BOTTOM + 16.0,
            esc(status)
        );
        let items = report.aging.iter().filter(|a| a.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(status)));
        for (i, a) in items.enumerate() {
            // Spread points of one column sideways so that equal ages stay visible.
            let jitter = ((i * 37) % 61) as f64 / 60.0 - 0.5;
            let title = format!(
                "{}: {} for {} days, started {} ({}){}",
                name(a.id.as_deref(), &a.path),
                a.status.as_deref().unwrap_or(""),
                a.age_days,
                a.start,
                short(a.start_commit.as_deref()),
                a.pace_percentile.map_or(String::new(), |p| format!(", older than {p} % of done items"))
            );
            let _ = writeln!(
                page,
                "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}</title></circle>",
                centre + jitter * width * 0.6,
                y.at(a.age_days as f64),
                esc(&title)
            );
        }
    }
    page.push_str("</svg>\n");
}

fn name(id: Option<&str>, path: &str) -> String {
    match id {
        Some(id) => format!("{id} ({path})"),
        None => path.to_owned(),
    }
}

fn short(commit: Option<&str>) -> String {
    commit.map_or("commit unknown".to_owned(), |c| format!("commit {}", &c[..c.len().min(10)]))
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
