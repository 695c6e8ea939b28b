//! Command-line arguments (clap derive) and their translation into library settings.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  backlint check                      lint the whole backlog of this project
  backlint check backlog/PB-142.md    report on one item (the whole backlog is still loaded)
  backlint check --format json        machine-readable output (JSON version 1)
  backlint rules                      list the rules
  backlint explain size-limit         show a rule's documentation";

/// A git-native linter for backlogs kept as code.
#[derive(Debug, Parser)]
#[command(name = "backlint", version, about, after_help = EXAMPLES, propagate_version = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint backlog items and report problems (exit 1 on errors).
    #[command(
        after_help = "Exit codes: 0 no errors, 1 lint errors (or too many warnings), 2 bad usage, bad config or failure to run."
    )]
    Check(CheckArgs),
    /// List every rule with its category, default severity and summary.
    Rules,
    /// Show the documentation of a rule.
    Explain {
        /// The rule's name, e.g. `size-limit`.
        rule: String,
    },
    /// Show an item's git history as a changelog, newest first.
    History(HistoryArgs),
}

#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// An item id (`PB-142`) or the path of an item file.
    pub item: String,
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to report on [default: the whole backlog].
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Do not read git history (faster; `history` is null in JSON).
    #[arg(long)]
    pub no_history: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl CheckArgs {
    pub fn settings(&self, now: i64) -> backlint::Settings {
        backlint::Settings { paths: self.paths.clone(), config: self.config.clone(), history: !self.no_history, now }
    }
}

/// "Now" for age-based rules: `BACKLINT_NOW` (RFC 3339, for reproducible runs) or the clock.
pub fn now() -> Result<i64, String> {
    match std::env::var("BACKLINT_NOW") {
        Ok(text) => backlint::time::parse(&text).ok_or_else(|| format!("BACKLINT_NOW is not an RFC 3339 date: {text}")),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
    }
}
