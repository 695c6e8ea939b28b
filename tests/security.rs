//! What backlint executes: nothing. Programs that git would run for a repository (clean and
//! process filter drivers, the fsmonitor hook) are never started, whatever the command.

use crate::support::{item, GitRepo};

#[test]
fn filter_drivers_and_hooks_are_never_run() {
    let repo = GitRepo::new();
    repo.write("backlog/PB-1.md", item("PB-1", "ready"));
    repo.write("backlog/PB-2.md", item("PB-2", "ready"));
    repo.write(".gitattributes", "PB-1.md filter=clean-trace\nPB-2.md filter=process-trace\n");
    repo.commit("Dana Pérez", 0, "add items");
    // Set up after the commit, so that only a program started by backlint leaves a mark.
    let marker = repo.path().join("ran.log");
    let leave_mark = |what: &str| format!("sh -c 'echo {what} >> \"{}\"; cat'", marker.display());
    repo.git(&["config", "filter.clean-trace.clean", &leave_mark("clean")]);
    repo.git(&["config", "filter.clean-trace.required", "true"]);
    repo.git(&["config", "filter.process-trace.process", &leave_mark("process")]);
    repo.git(&["config", "core.fsmonitor", &leave_mark("fsmonitor")]);
    // Changed in the work tree, so that their content must be compared with HEAD's.
    repo.write("backlog/PB-1.md", item("PB-1", "in-progress"));
    repo.write("backlog/PB-2.md", item("PB-2", "in-progress"));

    let run = repo.run(&["check", "--format", "json"]);
    let json = run.json();
    let states: Vec<&str> =
        json["diagnostics"].as_array().into_iter().flatten().filter_map(|d| d["history"]["state"].as_str()).collect();
    assert!(states.len() >= 2 && states.iter().all(|s| *s == "modified"), "{}", run.describe());
    for args in [
        &["check", "--changed-since", "HEAD", "--format", "json"][..],
        &["check", "--staged", "--format", "json"],
        &["history", "PB-1"],
        &["history", "PB-2", "--format", "json"],
    ] {
        let run = repo.run(args);
        assert!(run.code == 0 || run.code == 1, "{}", run.describe());
    }
    let ran = std::fs::read_to_string(&marker).unwrap_or_default();
    assert!(ran.is_empty(), "backlint ran programs configured in the repository:\n{ran}");
}
