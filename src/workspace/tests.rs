//! An updated workspace must find exactly what a freshly loaded one finds.

use super::{same_findings, Workspace};
use std::path::Path;

const CONFIG: &str = "\
rules:
  wip-limit: { severity: warning, limits: { in-progress: 1 }, per_owner: 1 }
";

fn item(id: &str, status: &str, owner: &str, depends_on: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Item {id}\ntype: story\nstatus: {status}\nsize: 3\nrisk: low\nvalue: high\nowner: {owner}\n\
         depends_on: [{depends_on}]\n{extra}---\n\n# Item {id}\n\n## Value hypothesis\nWe believe this helps.\n\n\
         ## Acceptance criteria\n- [ ] it works\n"
    )
}

fn write(root: &Path, path: &str, text: &str) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, text).unwrap();
}

/// Every item's findings in `ws` equal those of a workspace loaded afresh from disk.
fn assert_matches_fresh(ws: &Workspace, step: &str) {
    let mut fresh = Workspace::load(&ws.config.root, None, false, ws.now).unwrap();
    fresh.lint(|_| true);
    let mut paths: Vec<&String> = ws.paths_with_findings().chain(fresh.paths_with_findings()).collect();
    paths.sort();
    paths.dedup();
    for path in paths {
        let (updated, loaded) = (ws.findings(path), fresh.findings(path));
        assert!(
            same_findings(updated, loaded),
            "after {step}, {path} differs:\nupdated: {:#?}\nfresh: {:#?}",
            updated.iter().map(|d| (&d.rule, &d.message)).collect::<Vec<_>>(),
            loaded.iter().map(|d| (&d.rule, &d.message)).collect::<Vec<_>>()
        );
    }
    let items: Vec<&str> = ws.backlog.items.iter().map(|i| i.path.as_str()).collect();
    let fresh_items: Vec<&str> = fresh.backlog.items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(items, fresh_items, "after {step}");
}

#[test]
fn updates_find_what_a_fresh_load_finds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".backlint.yaml", CONFIG);
    write(root, "backlog/a.md", &item("PB-1", "ready", "dana", "PB-2", ""));
    write(root, "backlog/b.md", &item("PB-2", "ready", "eli", "PB-3", ""));
    write(root, "backlog/c.md", &item("PB-3", "idea", "fay", "", ""));
    write(root, "backlog/d.md", &item("PB-4", "in-progress", "dana", "PB-12", ""));
    write(root, "backlog/e.md", &item("PB-5", "refining", "gus", "", "parent: PB-3\n"));
    let mut ws = Workspace::load(root, None, false, 1_800_000_000).unwrap();
    ws.lint(|_| true);
    assert_matches_fresh(&ws, "loading");

    let steps: &[(&str, &str, Option<String>)] = &[
        ("a duplicate id", "backlog/c.md", Some(item("PB-1", "idea", "fay", "", ""))),
        ("fixing the duplicate", "backlog/c.md", Some(item("PB-3", "idea", "fay", "", ""))),
        ("closing a cycle", "backlog/c.md", Some(item("PB-3", "idea", "fay", "PB-1", ""))),
        ("breaking the cycle elsewhere", "backlog/a.md", Some(item("PB-1", "ready", "dana", "", ""))),
        ("closing it again", "backlog/a.md", Some(item("PB-1", "ready", "dana", "PB-2", ""))),
        ("a second item in progress", "backlog/b.md", Some(item("PB-2", "in-progress", "dana", "PB-3", ""))),
        ("an id the dangling dependency nearly names", "backlog/f.md", Some(item("PB-21", "idea", "hana", "", ""))),
        (
            "an epic parent",
            "backlog/c.md",
            Some(item("PB-3", "idea", "fay", "PB-1", "").replace("type: story", "type: epic")),
        ),
        ("a broken file", "backlog/b.md", Some("---\nid: [\n".to_owned())),
        ("removing an item of the cycle", "backlog/a.md", None),
        ("the dangling id appearing", "backlog/g.md", Some(item("PB-12", "done", "ivo", "", ""))),
        ("an item moving out of progress", "backlog/d.md", Some(item("PB-4", "done", "dana", "PB-12", ""))),
    ];
    for (step, path, text) in steps {
        match text {
            Some(text) => write(root, path, text),
            None => std::fs::remove_file(root.join(path)).unwrap(),
        }
        let changed = ws.update(path, text.as_deref().map(str::as_bytes));
        assert!(!changed.is_empty() || *step == "breaking the cycle elsewhere", "{step} changed nothing");
        assert_matches_fresh(&ws, step);
    }
}

#[test]
fn a_new_duplicate_flags_both_files_and_fixing_it_clears_both() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".backlint.yaml", "{}\n");
    write(root, "backlog/a.md", &item("PB-1", "idea", "dana", "", ""));
    write(root, "backlog/b.md", &item("PB-2", "idea", "eli", "", ""));
    let mut ws = Workspace::load(root, None, false, 1_800_000_000).unwrap();
    ws.lint(|_| true);
    let duplicates = |ws: &Workspace, path: &str| ws.findings(path).iter().filter(|d| d.rule == "duplicate-id").count();

    let changed = ws.update("backlog/b.md", Some(item("PB-1", "idea", "eli", "", "").as_bytes()));
    assert_eq!(changed, ["backlog/a.md", "backlog/b.md"]);
    assert_eq!((duplicates(&ws, "backlog/a.md"), duplicates(&ws, "backlog/b.md")), (1, 1));

    let changed = ws.update("backlog/b.md", Some(item("PB-2", "idea", "eli", "", "").as_bytes()));
    assert_eq!(changed, ["backlog/a.md", "backlog/b.md"]);
    assert_eq!((duplicates(&ws, "backlog/a.md"), duplicates(&ws, "backlog/b.md")), (0, 0));
}
