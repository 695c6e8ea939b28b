//! Command-line arguments (clap derive) and their translation into library settings.

use backlint::fix::{Applicability, FixMode};
use backlint::git_scope::Scope;
use backlint::report::summary::MAX_BYTES;
use backlint::report::{Concise, Github, Human, Json, Renderer, Report, Sarif, StepSummary};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  backlint check                      lint the whole backlog of this project
  backlint check backlog/PB-142.md    report on one item (the whole backlog is still loaded)
  backlint check --statistics         how many findings of each rule, largest first
  backlint check --format concise     one line per finding: path:line:col: severity[rule] message
  backlint check --format json        machine-readable output (JSON version 1)
  backlint check --staged             lint what `git add` staged (for a pre-commit hook)
  backlint check --changed-since origin/main
                                      report on items this branch changed (pull requests)
  backlint check --fix                apply the safe fixes, then report what is left
  backlint check --diff               show what `--fix` would change, as a diff
  backlint baseline                   accept today's findings: `check` then reports only new ones
  backlint rules                      list the rules
  backlint explain size-limit         show a rule's documentation
  backlint server                     the language server, for editors (LSP over stdio)";

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
    /// Flow analytics from git history: cycle time, throughput, WIP, CFD, velocity, forecasts.
    #[command(after_help = "Exit codes: 0 report written, 2 bad usage, bad config or no git history.")]
    Flow(FlowArgs),
    /// Print the effective configuration (defaults, presets, config file and overrides).
    Config(ConfigArgs),
    /// Write `.backlint-baseline.json`: today's findings, which `check` then hides, so that only new
    /// ones are reported and fail the run.
    Baseline(BaselineArgs),
    /// Write a commented `.backlint.yaml`: `preset: backlog-md` for a Backlog.md project, else `scrum`.
    Init(InitArgs),
    /// Run the language server (LSP over stdin and stdout) for editors; see docs/editors.md.
    Server,
}

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write this file instead of `.backlint-baseline.json` at the project root.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Do not read git history: findings of the history rules are then left out.
    #[arg(long)]
    pub no_history: bool,
}

impl BaselineArgs {
    pub fn settings(&self, now: i64) -> backlint::Settings {
        backlint::Settings { config: self.config.clone(), history: !self.no_history, now, ..Default::default() }
    }
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Write the file into this directory instead of the current one.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub path: PathBuf,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["show", "schema"]))]
pub struct ConfigArgs {
    /// Print the configuration that applies to PATH (or to the project, without overrides).
    #[arg(long)]
    pub show: bool,
    /// Print the JSON Schema of `.backlint.yaml` (for editors; see `backlint init`).
    #[arg(long, conflicts_with_all = ["path", "config"])]
    pub schema: bool,
    /// An item path, to see the overrides that apply to it.
    pub path: Option<PathBuf>,
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
pub struct FlowArgs {
    /// Files or directories whose items to include [default: the whole backlog].
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// First day of the window (YYYY-MM-DD) [default: `flow.window_days` before --until].
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day of the window (YYYY-MM-DD) [default: today in `flow.timezone`].
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FlowFormat::Human)]
    pub format: FlowFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Seed of the Monte Carlo forecasts (reported; the same seed gives the same forecast).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// Formats of `flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FlowFormat {
    /// A compact dashboard for the terminal.
    Human,
    /// Version 1 of the flow JSON report.
    Json,
    /// Markdown with Mermaid charts, for a GitHub job summary.
    Markdown,
    /// One self-contained HTML page with SVG charts.
    Html,
}

impl FlowArgs {
    pub fn settings(&self, now: i64) -> backlint::flow::FlowSettings {
        backlint::flow::FlowSettings {
            paths: self.paths.clone(),
            config: self.config.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            seed: self.seed,
            now,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories to report on [default: the whole backlog].
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of the nearest `.backlint.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format [default: human; with GITHUB_ACTIONS=true: human, then github annotations].
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Lint the content staged in the git index and report on items added or modified there.
    #[arg(long, conflicts_with = "changed_since")]
    pub staged: bool,
    /// Report only on items changed since the merge base of REV and HEAD, including uncommitted
    /// and untracked ones.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Exit with 1 when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Do not read git history (faster; `history` is null in JSON).
    #[arg(long)]
    pub no_history: bool,
    /// Print only errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Apply the safe fixes to the reported items in place, then report what is left.
    #[arg(long, conflicts_with = "staged")]
    pub fix: bool,
    /// Apply the unsafe fixes too (implies `--fix`, or widens `--diff`).
    #[arg(long, conflicts_with = "staged")]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and change no file (exit 1 if there is a fix to apply).
    #[arg(long, conflicts_with = "staged")]
    pub diff: bool,
    /// Print only the number of findings of each rule, largest first, and the summary line
    /// (human and concise formats; JSON always carries every finding).
    #[arg(long)]
    pub statistics: bool,
    /// Show each file without front matter as its own finding instead of one group.
    #[arg(long)]
    pub no_group: bool,
    /// Hide the findings accepted in FILE [default: `.backlint-baseline.json` at the project
    /// root, when it exists].
    #[arg(long, value_name = "FILE", conflicts_with = "no_baseline")]
    pub baseline: Option<PathBuf>,
    /// Report every finding, also those the baseline accepts.
    #[arg(long)]
    pub no_baseline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Each finding with its source snippet, then the findings per rule and a summary line.
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`; the summary on stderr.
    Concise,
    /// Version 1 of the JSON report.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// Markdown for a GitHub job summary ($GITHUB_STEP_SUMMARY).
    Summary,
}

impl CheckArgs {
    pub fn settings(&self, now: i64) -> backlint::Settings {
        let scope = match (&self.changed_since, self.staged) {
            (Some(rev), _) => Scope::ChangedSince(rev.clone()),
            (None, true) => Scope::Staged,
            (None, false) => Scope::WorkTree,
        };
        let (paths, config) = (self.paths.clone(), self.config.clone());
        let applicability = if self.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
        let fix = (self.fix || self.unsafe_fixes || self.diff).then_some(FixMode { applicability, write: !self.diff });
        let baseline = match (&self.baseline, self.no_baseline) {
            (_, true) => backlint::baseline::Choice::Off,
            (Some(file), false) => backlint::baseline::Choice::File(file.clone()),
            (None, false) => backlint::baseline::Choice::Default,
        };
        backlint::Settings { paths, config, history: !self.no_history, now, scope, fix, baseline }
    }

    /// Flags that do not go together, which clap cannot express on its own.
    pub fn validate(&self) -> Result<(), String> {
        match self.format {
            Some(format) if self.statistics && !matches!(format, OutputFormat::Human | OutputFormat::Concise) => {
                Err(format!(
                    "`--statistics` goes with `--format human` or `--format concise`; `--format {}` carries every \
                     finding, from which the counts per rule follow",
                    format.to_possible_value().map_or_else(String::new, |v| v.get_name().to_owned())
                ))
            }
            _ => Ok(()),
        }
    }

    fn concise(&self) -> Concise {
        Concise { group: !self.no_group, statistics_only: self.statistics }
    }

    /// What to print on stderr after the report: the concise format keeps stdout to findings.
    pub fn stderr_notes(&self, report: &Report) -> Vec<String> {
        match self.format {
            Some(OutputFormat::Concise) => self.concise().notes(report),
            _ => Vec::new(),
        }
    }

    /// The renderers to print with, in order. On GitHub Actions the default adds annotations.
    pub fn renderers(&self, color: bool, width: usize, now: i64) -> Vec<Box<dyn Renderer>> {
        let var = |name: &str| std::env::var(name).ok();
        let formats = match self.format {
            Some(format) => vec![format],
            // `--statistics` asks for the table alone, not for annotations of every finding.
            None if var("GITHUB_ACTIONS").as_deref() == Some("true") && !self.statistics => {
                vec![OutputFormat::Human, OutputFormat::Github]
            }
            None => vec![OutputFormat::Human],
        };
        let renderer = |format| -> Box<dyn Renderer> {
            match format {
                OutputFormat::Human => Box::new(Human {
                    color,
                    width,
                    quiet: self.quiet,
                    group: !self.no_group,
                    statistics_only: self.statistics,
                }),
                OutputFormat::Concise => Box::new(self.concise()),
                OutputFormat::Json => Box::new(Json),
                OutputFormat::Sarif => Box::new(Sarif),
                OutputFormat::Github => Box::new(Github),
                OutputFormat::Summary => {
                    Box::new(StepSummary { link_base: StepSummary::link_base_from(var), now, max_bytes: MAX_BYTES })
                }
            }
        };
        formats.into_iter().map(renderer).collect()
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
