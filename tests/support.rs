use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root, where `fixtures/` lives.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(path: &str) -> PathBuf {
    repo_root().join("fixtures").join(path)
}

/// `backlint` with a deterministic environment: no colour, fixed width and clock, no CI variables.
pub fn backlint() -> Command {
    let mut cmd = Command::cargo_bin("backlint").expect("the backlint binary is built");
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("TZ", "UTC")
        .env("BACKLINT_NOW", "2026-06-01T00:00:00Z")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CI");
    cmd
}

/// The result of a run, with everything needed to understand a failure.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    context: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.describe()))
    }

    pub fn describe(&self) -> String {
        format!(
            "{}\nexit code: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.context, self.code, self.stdout, self.stderr
        )
    }

    /// Assert the exit code, showing the command, its directory and output when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "unexpected exit code\n{}", self.describe());
        self
    }
}

/// Run `backlint ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = backlint();
    cmd.current_dir(dir).args(args);
    run(cmd, dir, args)
}

pub fn run(mut cmd: Command, dir: &Path, args: &[&str]) -> Run {
    let output: Output = cmd.output().expect("backlint runs");
    let listing = walkdir::WalkDir::new(dir)
        .max_depth(3)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap_or(e.path()).display().to_string())
        .collect::<Vec<_>>()
        .join("\n  ");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        context: format!("command: backlint {}\ncwd: {}\nfiles:\n  {listing}", args.join(" "), dir.display()),
    }
}

/// A temporary project directory (outside any git repository).
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of a fixture directory.
    pub fn copy_of(fixture_dir: &Path) -> Project {
        let project = Project::new();
        copy_dir(fixture_dir, project.path());
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        let full = self.path().join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(full, content).expect("write file");
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A minimal clean item.
pub fn item(id: &str, status: &str) -> String {
    format!("---\nid: {id}\ntitle: Item {id}\ntype: story\nstatus: {status}\nsize: 3\n---\n\n## Value hypothesis\nWe believe {id} helps; we will know when usage grows.\n\n## Acceptance criteria\n- [ ] it works\n")
}

/// A git repository in a temp dir, driven by the git CLI with a fixed identity and clock, so
/// that commit ids (and snapshots that show them) are the same on every run.
pub struct GitRepo {
    pub project: Project,
    home: tempfile::TempDir,
    clock: std::cell::Cell<i64>,
}

/// 2026-01-05T10:00:00Z: the first commit's date; each commit adds `advance` seconds.
pub const GIT_EPOCH: i64 = 1_767_607_200;

impl GitRepo {
    pub fn new() -> GitRepo {
        let repo =
            GitRepo { project: Project::new(), home: tempfile::tempdir().expect("home"), clock: GIT_EPOCH.into() };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.project.path()
    }

    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        self.project.write(path, content);
        self
    }

    /// Run git in the repository; panics with git's stderr on failure.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_as("Dana Pérez", args)
    }

    pub fn git_as(&self, author: &str, args: &[&str]) -> String {
        let date = format!("@{} +0000", self.clock.get());
        self.git_dated(author, &date, args)
    }

    /// Run git with author and committer date `date` (any format git takes, e.g. RFC 3339).
    pub fn git_dated(&self, author: &str, date: &str, args: &[&str]) -> String {
        let output = std::process::Command::new("git")
            .current_dir(self.path())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_COMMITTER_NAME", "Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .args(["-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Stage everything and commit as `author`, `days` after the previous commit.
    pub fn commit(&self, author: &str, days: i64, message: &str) -> String {
        self.clock.set(self.clock.get() + days * 86_400);
        self.git_as(author, &["add", "-A"]);
        self.git_as(author, &["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    /// Stage everything and commit at `date` (e.g. `2026-01-05T10:00:00Z`).
    pub fn commit_at(&self, date: &str, message: &str) -> String {
        self.git_dated("Dana Pérez", date, &["add", "-A"]);
        self.git_dated("Dana Pérez", date, &["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_owned()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.project.run(args)
    }
}
