use backlint::report::{Human, Json, Renderer};
use clap::Parser;
use cli::{Args, Command, Format};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let args = Args::parse();
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = match args.command {
        Command::Check(check) => run_check(&check, color),
        Command::Rules => print(backlint::rules::table()).map(|()| ExitCode::SUCCESS),
        Command::Explain { rule } => match backlint::rules::explain(&rule) {
            Ok(doc) => print(doc.to_owned()).map(|()| ExitCode::SUCCESS),
            Err(message) => Err(miette::miette!(code = "usage", "{message}")),
        },
    };
    result.unwrap_or_else(|error| {
        eprintln!("{error:?}");
        ExitCode::from(2)
    })
}

fn run_check(args: &cli::CheckArgs, color: bool) -> miette::Result<ExitCode> {
    let report = backlint::check(&args.settings())?;
    for note in &report.notes {
        eprintln!("backlint: {note}");
    }
    let renderer: Box<dyn Renderer> = match args.format {
        Format::Human => Box::new(Human { color, width: terminal_width(), quiet: args.quiet }),
        Format::Json => Box::new(Json),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = renderer.render(&report, &mut stdout).and_then(|()| stdout.flush()) {
        // A closed pipe (`backlint check | head`) is the reader's choice, not a failure.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(miette::miette!("cannot write the report: {error}"));
        }
    }
    Ok(if report.fails(args.max_warnings) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print(text: String) -> miette::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(miette::miette!("{error}")),
        _ => Ok(()),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}
