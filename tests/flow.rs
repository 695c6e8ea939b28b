//! `backlint flow` on repositories scripted with commits at known dates. Every expected number is
//! worked out by hand in the test from the dates written there; the invariants (weekly throughput
//! adds up, the CFD's done band never shrinks, WIP matches the items' own dates) are checked on
//! every JSON report, which is also validated against schemas/flow.schema.json.

use crate::support::{item, run_in, GitRepo, Project};
use serde_json::{json, Value};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(crate::support::repo_root().join("schemas/flow.schema.json"))
        .expect("schemas/flow.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the flow schema is JSON");
    jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&schema).expect("the flow schema compiles")
}

/// `backlint flow --format json ARGS` in `dir`: exit 0, valid against the schema, invariants hold.
fn flow_at(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["flow", "--format", "json"];
    all.extend_from_slice(args);
    let run = run_in(dir, &all);
    run.expect_code(0);
    let report = run.json();
    let errors: Vec<String> = schema().iter_errors(&report).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "invalid flow JSON:\n{}\n{}", errors.join("\n"), run.describe());
    check_invariants(&report);
    report
}

fn flow(repo: &GitRepo, args: &[&str]) -> Value {
    flow_at(repo.path(), args)
}

fn check_invariants(report: &Value) {
    let (from, to) = (report["window"]["from"].as_str().expect("from"), report["window"]["to"].as_str().expect("to"));
    let items = report["items"].as_array().expect("items");
    let done_in_window =
        items.iter().filter(|i| i["done"].as_str().is_some_and(|d| (from..=to).contains(&d))).count() as u64;
    let weekly: u64 =
        report["throughput"].as_array().expect("weeks").iter().map(|w| w["items"].as_u64().expect("n")).sum();
    assert_eq!(weekly, done_in_window, "weekly throughput adds up to the items done in the window");
    let daily: u64 =
        report["throughput_daily"].as_array().expect("days").iter().map(|d| d["items"].as_u64().expect("n")).sum();
    assert_eq!(daily, done_in_window, "daily throughput adds up too");

    let done: Vec<&str> =
        report["definitions"]["done"].as_array().expect("done").iter().filter_map(Value::as_str).collect();
    let mut previous = 0;
    for day in report["cfd"].as_array().expect("cfd") {
        let counts = day["counts_by_status"].as_object().expect("counts");
        let band: u64 =
            counts.iter().filter(|(s, _)| done.contains(&s.as_str())).map(|(_, n)| n.as_u64().expect("n")).sum();
        assert!(band >= previous, "the CFD's done band shrinks on {}", day["date"]);
        previous = band;
    }
    // WIP from the items' own start and done days, for items whose dates are all known.
    for day in report["wip"].as_array().expect("wip") {
        let date = day["date"].as_str().expect("date");
        let expected = items
            .iter()
            .filter(|i| i["unknown"].is_null())
            .filter(|i| i["start"].as_str().is_some_and(|s| s <= date))
            .filter(|i| i["done"].as_str().is_none_or(|d| d > date))
            .count() as u64;
        assert_eq!(day["count"].as_u64(), Some(expected), "WIP on {date}");
    }
}

fn by_id<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id} in {report:#}"))
}

fn weeks(report: &Value) -> Vec<(String, u64)> {
    report["throughput"]
        .as_array()
        .expect("weeks")
        .iter()
        .map(|w| (w["week"].as_str().expect("week").to_owned(), w["items"].as_u64().expect("items")))
        .collect()
}

fn cfd_on<'a>(report: &'a Value, date: &str) -> &'a Value {
    let day = report["cfd"].as_array().expect("cfd").iter().find(|d| d["date"] == date);
    &day.unwrap_or_else(|| panic!("no CFD day {date}"))["counts_by_status"]
}

/// A, B, C and D in the default workflow, in ISO week 2026-W02 (Mon 2026-01-05 … Sun 01-11).
fn week_of_work() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("backlog/A.md", item("A", "idea"));
    repo.write("backlog/B.md", item("B", "ready"));
    repo.write("backlog/C.md", item("C", "ready"));
    repo.commit_at("2026-01-05T10:00:00Z", "Add A, B and C");
    repo.write("backlog/A.md", item("A", "in-progress"));
    repo.commit_at("2026-01-06T10:00:00Z", "Start A");
    repo.write("backlog/D.md", item("D", "in-progress"));
    repo.commit_at("2026-01-07T10:00:00Z", "Add D, already started");
    repo.write("backlog/A.md", item("A", "done"));
    repo.write("backlog/C.md", item("C", "in-progress"));
    repo.commit_at("2026-01-08T10:00:00Z", "Finish A, start C");
    repo.write("backlog/C.md", item("C", "done"));
    repo.commit_at("2026-01-08T18:00:00Z", "Finish C the same day");
    repo.write("backlog/B.md", item("B", "done"));
    repo.commit_at("2026-01-09T10:00:00Z", "B goes straight from ready to done");
    repo
}

#[test]
fn cycle_and_lead_times_are_inclusive_calendar_days() {
    let repo = week_of_work();
    let report = flow(&repo, &["--since", "2026-01-05", "--until", "2026-01-11"]);
    let a = by_id(&report, "A");
    assert_eq!(
        (a["created"].as_str(), a["start"].as_str(), a["done"].as_str()),
        (Some("2026-01-05"), Some("2026-01-06"), Some("2026-01-08"))
    );
    assert_eq!(a["cycle_time_days"], 3, "06, 07 and 08 January");
    assert_eq!(a["lead_time_days"], 4, "05 to 08 January");
    assert_eq!(a["events"].as_array().map(Vec::len), Some(3), "created, started, done");
    assert_eq!(a["done_commit"], repo.git(&["rev-parse", "HEAD~2"]).trim(), "the commit that moved A to done");
    let c = by_id(&report, "C");
    assert_eq!(c["cycle_time_days"], 1, "started and done on one day: nothing takes 0 days");
    // B skipped in-progress: it is started the day it entered a later status.
    let b = by_id(&report, "B");
    assert_eq!((b["start"].as_str(), b["done"].as_str()), (Some("2026-01-09"), Some("2026-01-09")));
    assert_eq!((b["cycle_time_days"].as_i64(), b["lead_time_days"].as_i64()), (Some(1), Some(5)));
    // D is in progress since 7 January; today is 2026-06-01 (BACKLINT_NOW): 25 days of January
    // from the 7th, then 28 + 31 + 30 + 31 days, then 1 June.
    let d = by_id(&report, "D");
    assert_eq!((d["start"].as_str(), d["done"].as_str()), (Some("2026-01-07"), None));
    assert_eq!(d["age_days"], 25 + 28 + 31 + 30 + 31 + 1);
    assert_eq!(d["lead_time_days"], Value::Null);

    assert_eq!(weeks(&report), vec![("2026-W02".to_owned(), 3)]);
    assert_eq!(report["throughput"][0]["points"], 9.0, "three items of 3 points");
    // Cycle times 1, 1, 3; nearest rank: P50 = 2nd of 3, P70, P85 and P95 = 3rd.
    assert_eq!(report["cycle_time"], json!({"p50": 1, "p70": 3, "p85": 3, "p95": 3, "count": 3}));
    let wip: Vec<u64> = report["wip"].as_array().expect("wip").iter().filter_map(|d| d["count"].as_u64()).collect();
    assert_eq!(wip, vec![0, 1, 2, 1, 1, 1, 1], "A from the 6th, D from the 7th, A done on the 8th");
    assert_eq!(
        cfd_on(&report, "2026-01-05"),
        &json!({"idea": 1, "refining": 0, "ready": 2, "in-progress": 0, "done": 0})
    );
    assert_eq!(
        cfd_on(&report, "2026-01-11"),
        &json!({"idea": 0, "refining": 0, "ready": 0, "in-progress": 1, "done": 3})
    );
    assert_eq!(report["aging"][0]["id"], "D");
    // Of the three done items, all took less than D's age.
    assert_eq!(report["aging"][0]["pace_percentile"], 100);
    assert_eq!(report["complete"], true);
    assert_eq!(report["definitions"]["date"], "author");
}

#[test]
fn iso_weeks_cross_the_year_boundary_in_the_configured_time_zone() {
    // 2026-W01 runs from Monday 2025-12-29 to Sunday 2026-01-04.
    let repo = GitRepo::new();
    for id in ["E", "F", "G"] {
        repo.write(&format!("backlog/{id}.md"), item(id, "idea"));
    }
    repo.commit_at("2025-12-20T10:00:00Z", "Add E, F and G");
    repo.write("backlog/E.md", item("E", "in-progress"));
    repo.write("backlog/G.md", item("G", "in-progress"));
    repo.commit_at("2025-12-22T10:00:00Z", "Start E and G");
    repo.write("backlog/F.md", item("F", "in-progress"));
    repo.commit_at("2025-12-22T23:30:00Z", "Start F late in the evening (UTC)");
    repo.write("backlog/E.md", item("E", "done"));
    repo.commit_at("2025-12-28T22:30:00Z", "Finish E: Sunday in UTC, Monday at +02:00");
    repo.write("backlog/G.md", item("G", "done"));
    repo.commit_at("2026-01-02T12:00:00Z", "Finish G");
    repo.write("backlog/F.md", item("F", "done"));
    repo.commit_at("2026-01-04T23:00:00Z", "Finish F: Sunday in UTC, Monday at +02:00");
    let window = ["--since", "2025-12-22", "--until", "2026-01-11"];

    let utc = flow(&repo, &window);
    assert_eq!(utc["window"]["timezone"], "UTC");
    let expected = [("2025-W52", 1), ("2026-W01", 2), ("2026-W02", 0)];
    assert_eq!(weeks(&utc), expected.map(|(w, n)| (w.to_owned(), n)).to_vec());
    assert_eq!(by_id(&utc, "E")["cycle_time_days"], 7, "22 to 28 December");
    assert_eq!(by_id(&utc, "F")["cycle_time_days"], 14, "22 December to 4 January");

    repo.write(".backlint.yaml", "flow:\n  timezone: \"+02:00\"\n");
    let east = flow(&repo, &window);
    assert_eq!(east["window"]["timezone"], "+02:00");
    let expected = [("2025-W52", 0), ("2026-W01", 2), ("2026-W02", 1)];
    assert_eq!(weeks(&east), expected.map(|(w, n)| (w.to_owned(), n)).to_vec());
    let e = by_id(&east, "E");
    assert_eq!((e["done"].as_str(), e["cycle_time_days"].as_i64()), (Some("2025-12-29"), Some(8)));
    let f = by_id(&east, "F");
    assert_eq!((f["start"].as_str(), f["done"].as_str()), (Some("2025-12-23"), Some("2026-01-05")));
    assert_eq!(f["cycle_time_days"], 14);
    assert_eq!(f["events"][1]["time"], "2025-12-22T23:30:00Z", "events keep the exact UTC instant");
    assert_eq!(by_id(&east, "G")["cycle_time_days"], 12, "22 December to 2 January in both zones");
}

/// H is reopened and done again, I goes back to ready and restarts, J is reopened and stays open.
fn reopened_items() -> GitRepo {
    let repo = GitRepo::new();
    let set = |pairs: &[(&str, &str)]| {
        for (id, status) in pairs {
            repo.write(&format!("backlog/{id}.md"), item(id, status));
        }
    };
    set(&[("H", "ready"), ("I", "ready"), ("J", "ready")]);
    repo.commit_at("2026-02-02T10:00:00Z", "Add H, I and J");
    set(&[("H", "in-progress"), ("I", "in-progress"), ("J", "in-progress")]);
    repo.commit_at("2026-02-03T10:00:00Z", "Start all three");
    set(&[("H", "done"), ("I", "ready"), ("J", "done")]);
    repo.commit_at("2026-02-05T10:00:00Z", "Finish H and J, put I back");
    set(&[("H", "in-progress"), ("I", "in-progress")]);
    repo.commit_at("2026-02-08T10:00:00Z", "Reopen H, restart I");
    set(&[("J", "in-progress")]);
    repo.commit_at("2026-02-09T10:00:00Z", "Reopen J");
    set(&[("H", "done"), ("I", "done")]);
    repo.commit_at("2026-02-11T10:00:00Z", "Finish H and I");
    repo
}

#[test]
fn reopened_items_under_both_policies() {
    let repo = reopened_items();
    let window = ["--since", "2026-02-02", "--until", "2026-02-15"];
    let last = flow(&repo, &window);
    assert_eq!(last["definitions"]["reopened"], "last");
    assert_eq!(last["definitions"]["moved_backwards"], 3, "H and J went back from done, I from in-progress");
    assert_eq!(last["definitions"]["affected_by_reopened"], 2, "H's done day and I's start day depend on it");
    let h = by_id(&last, "H");
    assert_eq!((h["start"].as_str(), h["done"].as_str()), (Some("2026-02-03"), Some("2026-02-11")));
    assert_eq!(h["cycle_time_days"], 9, "the time after the reopening counts");
    let i = by_id(&last, "I");
    assert_eq!((i["start"].as_str(), i["cycle_time_days"].as_i64()), (Some("2026-02-08"), Some(4)));
    let j = by_id(&last, "J");
    assert_eq!((j["start"].as_str(), j["done"].as_str()), (Some("2026-02-03"), None), "J is open again");
    // 3 February to 1 June: 26 days of February from the 3rd, 31 + 30 + 31, then 1 June.
    assert_eq!(j["age_days"], 26 + 31 + 30 + 31 + 1);
    let expected = [("2026-W06", 0), ("2026-W07", 2)];
    assert_eq!(weeks(&last), expected.map(|(w, n)| (w.to_owned(), n)).to_vec());
    // H is not in the done band while it was reopened; J never is.
    assert_eq!(cfd_on(&last, "2026-02-06")["done"], 0);

    repo.write(".backlint.yaml", "flow:\n  reopened: first\n");
    let first = flow(&repo, &window);
    assert_eq!(first["definitions"]["reopened"], "first");
    assert_eq!(first["definitions"]["affected_by_reopened"], 2);
    let h = by_id(&first, "H");
    assert_eq!((h["done"].as_str(), h["cycle_time_days"].as_i64()), (Some("2026-02-05"), Some(3)));
    let i = by_id(&first, "I");
    assert_eq!((i["start"].as_str(), i["cycle_time_days"].as_i64()), (Some("2026-02-03"), Some(9)));
    assert_eq!(by_id(&first, "J")["done"], Value::Null, "not done now, whichever entry counts");
    let expected = [("2026-W06", 1), ("2026-W07", 1)];
    assert_eq!(weeks(&first), expected.map(|(w, n)| (w.to_owned(), n)).to_vec());
}

#[test]
fn renamed_items_keep_their_dates() {
    let repo = GitRepo::new();
    repo.write("backlog/K-old.md", item("K", "ready"));
    repo.commit_at("2026-03-02T10:00:00Z", "Add K");
    repo.write("backlog/K-old.md", item("K", "in-progress"));
    repo.commit_at("2026-03-03T10:00:00Z", "Start K");
    repo.git(&["mv", "backlog/K-old.md", "backlog/K-export.md"]);
    repo.write("backlog/K-export.md", item("K", "done"));
    repo.commit_at("2026-03-04T10:00:00Z", "Rename K and finish it");
    let report = flow(&repo, &["--since", "2026-03-02", "--until", "2026-03-08"]);
    let k = by_id(&report, "K");
    assert_eq!(k["path"], "backlog/K-export.md");
    assert_eq!(
        (k["created"].as_str(), k["start"].as_str(), k["done"].as_str()),
        (Some("2026-03-02"), Some("2026-03-03"), Some("2026-03-04"))
    );
    assert_eq!((k["cycle_time_days"].as_i64(), k["lead_time_days"].as_i64()), (Some(2), Some(3)));
}

#[test]
fn a_merge_brings_status_moves_from_a_branch() {
    let repo = GitRepo::new();
    repo.write("backlog/L.md", item("L", "ready"));
    repo.write("backlog/M.md", item("M", "ready"));
    repo.commit_at("2026-03-02T10:00:00Z", "Add L and M");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("backlog/L.md", item("L", "in-progress"));
    repo.commit_at("2026-03-03T10:00:00Z", "Start L on the branch");
    repo.write("backlog/L.md", item("L", "done"));
    let done_on_branch = repo.commit_at("2026-03-05T10:00:00Z", "Finish L on the branch");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("backlog/M.md", item("M", "in-progress"));
    repo.commit_at("2026-03-04T10:00:00Z", "Start M on main");
    repo.git_dated("Dana Pérez", "2026-03-09T10:00:00Z", &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"]);
    let report = flow(&repo, &["--since", "2026-03-02", "--until", "2026-03-15"]);
    let l = by_id(&report, "L");
    assert_eq!(
        (l["start"].as_str(), l["done"].as_str()),
        (Some("2026-03-03"), Some("2026-03-05")),
        "the branch commits' dates"
    );
    assert_eq!(l["done_commit"], done_on_branch.as_str(), "the merge itself changes nothing");
    assert_eq!(l["cycle_time_days"], 3);
    assert_eq!(by_id(&report, "M")["start"], "2026-03-04");
}

#[test]
fn a_shallow_clone_marks_what_it_cannot_know() {
    let repo = GitRepo::new();
    let set = |pairs: &[(&str, &str)]| {
        for (id, status) in pairs {
            repo.write(&format!("backlog/{id}.md"), item(id, status));
        }
    };
    set(&[("N", "ready"), ("O", "ready"), ("P", "idea")]);
    repo.commit_at("2026-01-05T10:00:00Z", "Add N, O and P");
    set(&[("N", "in-progress")]);
    repo.commit_at("2026-01-06T10:00:00Z", "Start N");
    set(&[("N", "done"), ("O", "in-progress")]);
    repo.commit_at("2026-01-08T10:00:00Z", "Finish N, start O");
    set(&[("O", "done")]);
    repo.commit_at("2026-01-09T10:00:00Z", "Finish O");
    set(&[("Q", "ready")]);
    repo.commit_at("2026-01-10T10:00:00Z", "Add Q");
    set(&[("Q", "in-progress")]);
    repo.commit_at("2026-01-12T10:00:00Z", "Start Q");
    let clone = Project::new();
    let url = format!("file://{}", repo.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "3", &url, "shallow"])
        .current_dir(clone.path())
        .status()
        .expect("git clone");
    assert!(status.success());
    let dir = clone.path().join("shallow");
    let report = flow_at(&dir, &["--since", "2026-01-05", "--until", "2026-01-18"]);
    assert_eq!(report["complete"], false);
    assert!(report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|w| w.contains("shallow"))));
    // The clone starts at "Finish O": N and O were done before or at the cut, at unknown dates.
    for id in ["N", "O"] {
        let x = by_id(&report, id);
        assert_eq!(
            (x["start"].clone(), x["done"].clone(), x["created"].clone()),
            (Value::Null, Value::Null, Value::Null),
            "{id}"
        );
        assert_eq!(x["cycle_time_days"], Value::Null, "{id}");
        assert!(x["unknown"].is_string(), "{id}");
    }
    assert_eq!(by_id(&report, "P")["created"], Value::Null, "P existed before the cut");
    // Q's whole life is inside the clone: exact.
    let q = by_id(&report, "Q");
    assert_eq!((q["created"].as_str(), q["start"].as_str()), (Some("2026-01-10"), Some("2026-01-12")));
    assert!(q["unknown"].is_null());
    assert_eq!(report["cycle_time"]["count"], 0, "no cycle time is guessed");
}

#[test]
fn the_same_seed_gives_the_same_forecast() {
    let repo = week_of_work();
    let args = ["--until", "2026-01-11", "--seed", "7"];
    let (one, two) = (flow(&repo, &args), flow(&repo, &args));
    assert_eq!(one["forecast"], two["forecast"]);
    assert_eq!(one["forecast"]["seed"], 7);
    assert_eq!(one["forecast"]["trials"], 10_000);
    assert_eq!(flow(&repo, &["--until", "2026-01-11"])["forecast"]["seed"], 1, "the default seed is reported");
    // 3 items done in the 84-day window: fewer than 20, so the forecast warns.
    assert!(one["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w.as_str().is_some_and(|w| w.contains("only 3 item(s)"))));
    // Two ready items are not there: "when" is asked for the items in ready_status (none left).
    assert_eq!(one["forecast"]["when"], json!([]));
}

#[test]
fn every_format_renders_the_same_report() {
    let repo = week_of_work();
    let window = ["--since", "2026-01-05", "--until", "2026-01-11"];
    let human = repo.run(&[&["flow"][..], &window].concat());
    human.expect_code(0);
    assert!(human.stdout.lines().all(|l| l.chars().count() <= 100), "{}", human.stdout);
    assert!(human.stdout.contains("P50 1 · P70 3 · P85 3 · P95 3 days"), "{}", human.describe());
    let markdown = repo.run(&[&["flow", "--format", "markdown"][..], &window].concat());
    markdown.expect_code(0);
    assert!(markdown.stdout.contains("```mermaid\nxychart-beta\n"), "{}", markdown.stdout);
    assert!(
        markdown.stdout.contains("| Cycle time (days, 3 done) | P50 1 · P70 3 · P85 3 · P95 3 |"),
        "{}",
        markdown.stdout
    );
    assert!(markdown.stdout.contains("    bar [3]\n"), "{}", markdown.stdout);
    let out = repo.path().join("flow.html");
    let html = repo.run(&[&["flow", "--format", "html", "--output", "flow.html"][..], &window].concat());
    html.expect_code(0);
    assert!(html.stdout.is_empty());
    let page = std::fs::read_to_string(out).expect("the page is written");
    let in_svg = |id: &str| {
        let start = page.find(&format!("<svg id=\"{id}\"")).expect("chart");
        let end = start + page[start..].find("</svg>").expect("end");
        page[start..end].matches("<circle class=\"point\"").count()
    };
    assert_eq!((in_svg("cycle-time"), in_svg("throughput"), in_svg("aging")), (3, 1, 1));
    assert!(!page.contains("<script") && !page.contains("https://"), "self-contained");
    let namespaces = page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(page.matches("http://").count(), namespaces, "no URL but the SVG namespace");
}

#[test]
fn it_says_so_when_it_cannot_run() {
    let project = Project::new();
    project.write("backlog/A.md", item("A", "ready"));
    let run = project.run(&["flow"]);
    run.expect_code(2);
    assert!(run.stderr.contains("not inside a git repository"), "{}", run.describe());

    let repo = week_of_work();
    repo.write(".backlint.yaml", "statuses: [idea, ready, doing, done]\nflow:\n  timezone: Mars/Olympus\n");
    let run = repo.run(&["flow"]);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown time zone `Mars/Olympus`"), "{}", run.describe());
    assert!(run.stderr.contains(".backlint.yaml:3:"), "points at the line: {}", run.describe());
    repo.write(".backlint.yaml", "flow:\n  reopened: sometimes\n");
    let run = repo.run(&["flow"]);
    run.expect_code(2);
    assert!(run.stderr.contains("sometimes") && run.stderr.contains(".backlint.yaml:2:"), "{}", run.describe());
    repo.write(".backlint.yaml", "flow:\n  start: doing\n");
    let run = repo.run(&["flow"]);
    run.expect_code(2);
    assert!(run.stderr.contains("`flow.start` is `doing`, which is not one of `statuses`"), "{}", run.describe());
    repo.write(".backlint.yaml", "");
    let run = repo.run(&["flow", "--since", "last week"]);
    run.expect_code(2);
    assert!(run.stderr.contains("--since takes a date"), "{}", run.describe());
}

/// The three data-quality rules, enabled at `info` (their default) with `check`.
fn findings(repo: &GitRepo, rule: &str) -> Vec<(String, String)> {
    let run = repo.run(&["check", "--format", "json"]);
    let json = run.json();
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| {
            (d["path"].as_str().unwrap_or_default().to_owned(), d["message"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

#[test]
fn skipped_start_names_items_done_without_being_in_progress() {
    let repo = week_of_work();
    let found = findings(&repo, "skipped-start");
    let commit = repo.git(&["rev-parse", "HEAD"]);
    let expected =
        format!("done on 2026-01-09 without ever being `in-progress`: ready → done in commit {}", &commit.trim()[..10]);
    // C was in progress for a few hours: not skipped. A was in progress for two days.
    assert_eq!(found, vec![("backlog/B.md".to_owned(), expected)]);
}

#[test]
fn batch_status_change_names_the_commit_that_closed_many_items() {
    let repo = GitRepo::new();
    repo.write(".backlint.yaml", "rules:\n  batch-status-change: { max: 2 }\n");
    for n in 1..=4 {
        repo.write(&format!("backlog/T-{n}.md"), item(&format!("T-{n}"), "in-progress"));
    }
    repo.commit_at("2026-01-05T10:00:00Z", "Start four items");
    repo.write("backlog/T-4.md", item("T-4", "done"));
    repo.commit_at("2026-01-06T10:00:00Z", "Finish T-4");
    for n in 1..=3 {
        repo.write(&format!("backlog/T-{n}.md"), item(&format!("T-{n}"), "done"));
    }
    let batch = repo.commit_at("2026-01-09T10:00:00Z", "Clean up the board");
    let found = findings(&repo, "batch-status-change");
    let message = format!(
        "moved to done on 2026-01-09 by commit {} together with 2 other items, more than 2 at once",
        &batch[..10]
    );
    let expected: Vec<(String, String)> = (1..=3).map(|n| (format!("backlog/T-{n}.md"), message.clone())).collect();
    assert_eq!(found, expected, "T-4 was done on its own");
    // A shallow clone shows every item as added in its boundary commit: not a batch.
    let clone = Project::new();
    let url = format!("file://{}", repo.path().display());
    let cloned = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .current_dir(clone.path())
        .status()
        .expect("git clone");
    assert!(cloned.success());
    let run = run_in(&clone.path().join("shallow"), &["check", "--format", "json"]);
    assert!(!run.stdout.contains("batch-status-change"), "{}", run.describe());
    repo.write(".backlint.yaml", "rules:\n  batch-status-change: { max: 3 }\n");
    assert_eq!(findings(&repo, "batch-status-change"), vec![], "3 at once is within a max of 3");
}

#[test]
fn size_changed_after_start_names_the_first_change() {
    let repo = GitRepo::new();
    let sized = |id: &str, status: &str, size: &str| item(id, status).replace("size: 3", &format!("size: {size}"));
    repo.write("backlog/U.md", sized("U", "ready", "3"));
    repo.write("backlog/V.md", sized("V", "refining", "8"));
    repo.commit_at("2026-01-05T10:00:00Z", "Add U and V");
    repo.write("backlog/V.md", sized("V", "ready", "5"));
    repo.commit_at("2026-01-06T10:00:00Z", "Refine V before it starts");
    repo.write("backlog/U.md", sized("U", "in-progress", "3"));
    repo.write("backlog/V.md", sized("V", "in-progress", "5"));
    repo.commit_at("2026-01-07T10:00:00Z", "Start U and V");
    repo.write("backlog/U.md", sized("U", "in-progress", "8"));
    repo.commit_at("2026-01-08T10:00:00Z", "U is bigger");
    repo.write("backlog/U.md", sized("U", "done", "13"));
    repo.commit_at("2026-01-09T10:00:00Z", "Finish U");
    let found = findings(&repo, "size-changed-after-start");
    let expected = "size changed from 3 to 8 on 2026-01-08 by Dana Pérez, after the item was started on 2026-01-07";
    assert_eq!(found, vec![("backlog/U.md".to_owned(), expected.to_owned())], "V was resized before it started");
}
