use backlint::fix;
use clap::Parser;
use cli::{Args, Command, Format};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let args = Args::parse();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = match args.command {
        Command::Check(check) => run_check(&check, color),
        Command::History(history) => run_history(&history),
        Command::Flow(flow) => run_flow(&flow, color),
        Command::Config(config) if config.schema => {
            print(backlint::config::schema::json_schema_text()).map(|()| ExitCode::SUCCESS)
        }
        Command::Config(config) => {
            backlint::show_config(config.path.as_deref(), config.config.as_deref()).map_err(Into::into).and_then(print)
        }
        .map(|()| ExitCode::SUCCESS),
        Command::Init(init) => backlint::init::init(&init.path).map_err(Into::into).map(|written| {
            eprint!("{}", written.text);
            eprintln!("backlint: wrote {} (preset: {})", written.path.display(), written.layout.preset());
            ExitCode::SUCCESS
        }),
        Command::Baseline(baseline) => run_baseline(&baseline),
        Command::Server => run_server(),
        Command::Rules => backlint::explain(None).map_err(Into::into).and_then(print).map(|()| ExitCode::SUCCESS),
        Command::Explain { rule } => {
            backlint::explain(Some(&rule)).map_err(Into::into).and_then(print).map(|()| ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|error| {
        eprintln!("{error:?}");
        ExitCode::from(2)
    })
}

fn run_check(args: &cli::CheckArgs, color: bool) -> miette::Result<ExitCode> {
    let now = cli::now().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    args.validate().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    if !args.quiet {
        backlint::history::enable_progress_bar();
    }
    let report = backlint::check(&args.settings(now))?;
    notes(&report.notes);
    if args.diff {
        return print_diff(&report);
    }
    let renderers = args.renderers(color, terminal_width(), now);
    write_stdout(|out| renderers.iter().try_for_each(|renderer| renderer.render(&report, out)))?;
    notes(&args.stderr_notes(&report));
    let code = if report.fails(args.max_warnings) { ExitCode::from(1) } else { ExitCode::SUCCESS };
    // The process ends right after this: freeing a report of thousands of findings one by one
    // would only delay the exit.
    std::mem::forget(report);
    Ok(code)
}

/// `check --diff`: the fixes as a unified diff on stdout, a count on stderr; exit 1 if any.
fn print_diff(report: &backlint::report::Report) -> miette::Result<ExitCode> {
    write_stdout(|out| report.fixed.iter().try_for_each(|file| out.write_all(fix::unified_diff(file).as_bytes())))?;
    let fixes: usize = report.fixed.iter().map(|f| f.fixes).sum();
    eprintln!("backlint: {}", fix::would_fix_line(fixes, report.fixed.len()));
    Ok(if report.fixed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_baseline(args: &cli::BaselineArgs) -> miette::Result<ExitCode> {
    let now = cli::now().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    let (path, baseline) = backlint::baseline::create(&args.settings(now), args.output.as_deref())?;
    let shown = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    let count = baseline.len();
    eprintln!(
        "backlint: wrote {} with {count} finding{}; `backlint check` now reports only new ones",
        shown.as_deref().unwrap_or(&path).display(),
        if count == 1 { "" } else { "s" }
    );
    Ok(ExitCode::SUCCESS)
}

fn run_history(args: &cli::HistoryArgs) -> miette::Result<ExitCode> {
    let now = cli::now().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    backlint::history::enable_progress_bar();
    let timeline = backlint::history_timeline(Path::new("."), args.config.as_deref(), &args.item, now)?;
    notes(&timeline.notes);
    write_stdout(|out| match args.format {
        Format::Human => backlint::report::timeline::render(&timeline, out),
        Format::Json => serde_json::to_writer_pretty(&mut *out, &timeline)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn run_flow(args: &cli::FlowArgs, color: bool) -> miette::Result<ExitCode> {
    use backlint::flow::{html, human, markdown};
    let now = cli::now().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    let report = backlint::flow::flow(&args.settings(now))?;
    notes(&report.notes);
    let render = |out: &mut dyn Write| match args.format {
        cli::FlowFormat::Human => human::render(&report, out, color && args.output.is_none()),
        cli::FlowFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(std::io::Error::from).and_then(|()| writeln!(out))
        }
        cli::FlowFormat::Markdown => markdown::render(&report, out),
        cli::FlowFormat::Html => html::render(&report, out),
    };
    match &args.output {
        Some(path) => {
            let mut buffer = Vec::new();
            render(&mut buffer).map_err(|e| miette::miette!("cannot render the report: {e}"))?;
            std::fs::write(path, buffer).map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
        }
        None => write_stdout(render)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_server() -> miette::Result<ExitCode> {
    let now = cli::now().map_err(|e| miette::miette!(code = "usage", "{e}"))?;
    match backlint::server::run(now) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(error) => {
            eprintln!("backlint server: {error}");
            Ok(ExitCode::from(1))
        }
    }
}

fn notes(notes: &[String]) {
    for note in notes {
        eprintln!("backlint: {note}");
    }
}

fn print(text: String) -> miette::Result<()> {
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// Write to stdout; a closed pipe (`backlint check | head`) is the reader's choice, not a failure.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> miette::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(miette::miette!("cannot write output: {error}"))
        }
        _ => Ok(()),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
