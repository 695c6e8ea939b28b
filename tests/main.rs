//! Integration tests: they drive the real `backlint` binary.

/// Shared set-up: a sandboxed command, temp projects and git repositories.
mod support;

/// Bad input files: each yields a diagnostic, never a panic, and the run goes on.
mod bad_input;
/// Commands, flags, output formats and exit codes.
mod cli;
/// Configuration loading and errors that point into the config file.
mod config;
/// Git history through the binary: facts in every output, `backlint history`, history rules.
mod history_cli;
/// The rule harness: every case in `fixtures/rules/` with its inline expectations.
mod rules;
