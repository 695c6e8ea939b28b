//! Integration tests: they drive the real `backlint` binary.

/// Shared set-up: a sandboxed command, temp projects and git repositories.
mod support;

/// Backlog.md repositories: the `backlog-md` preset on a fixture made with Backlog.md's CLI.
mod backlog_md;
/// Bad input files: each yields a diagnostic, never a panic, and the run goes on.
mod bad_input;
/// `backlint baseline` and `check` with a baseline: round trips in every output format.
mod baseline;
/// The history cache: damaged, foreign or future cache files and an unwritable git directory.
mod cache;
/// Commands, flags, output formats and exit codes.
mod cli;
/// Configuration loading and errors that point into the config file.
mod config;
/// Docs that cannot drift: the README rule table and rule-doc option lists against the registry.
mod docs;
/// The first run on a messy backlog: findings per rule, `--statistics`, `--format concise`, the
/// group of files without front matter and `notes:`.
mod first_run;
/// `check --fix`, `--unsafe-fixes` and `--diff`: each rule's fix, idempotence, line endings.
mod fix;
/// `backlint flow`: metrics on scripted repositories, computed by hand in each test.
mod flow;
/// Damaged and unusual repositories: truncated packs, corrupt objects, a missing index, a HEAD
/// naming nothing, worktrees, submodules, GIT_DIR, alternates.
mod git_faults;
/// History facts of the library compared with what the git CLI reports.
mod history;
/// Git history through the binary: facts in every output, `backlint history`, history rules.
mod history_cli;
/// `backlint init`: the config it writes, refusing to overwrite, Backlog.md detection.
mod init;
/// Pre-commit and GitHub: SARIF, annotations, the job summary, `--staged`, `--changed-since`.
mod integrations;
/// Partial clones: tree facts exact, facts that need missing blobs unknown with the reason.
mod partial_clone;
/// Arbitrary and near-valid items and config files: no panic, exact positions, valid JSON.
mod properties;
/// The rule harness: every case in `fixtures/rules/` with its inline expectations.
mod rules;
/// The JSON Schema of `.backlint.yaml`: current, and agreeing with what backlint accepts.
mod schema;
/// What backlint executes (nothing): filter drivers and hooks configured in a repository.
mod security;
/// `backlint server`: the language server over stdio, driven by a small LSP test client.
mod server;
