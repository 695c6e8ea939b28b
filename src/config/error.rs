//! Configuration errors, rendered by miette with a label in the config file.

use crate::item::front_matter::YamlError;
use crate::item::span::{LineIndex, Span};
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::Path;

/// A configuration that cannot be used; `backlint` exits with 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct ConfigError(Box<Details>);

/// What a [`ConfigError`] says and where; boxed because results carry it a long way.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(config))]
pub struct Details {
    pub message: String,
    #[source_code]
    source_code: Option<NamedSource<String>>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    pub help: Option<String>,
    /// 1-based line and column of the error in the config file, when known.
    pub position: Option<(usize, usize)>,
}

impl ConfigError {
    /// What the error says and where.
    pub fn details(&self) -> &Details {
        &self.0
    }

    pub fn plain(message: String, help: Option<String>) -> Self {
        ConfigError(Box::new(Details {
            message,
            source_code: None,
            span: None,
            label: String::new(),
            help,
            position: None,
        }))
    }

    pub fn io(path: &Path, error: &std::io::Error) -> Self {
        let message = format!("cannot read config file {}: {}", path.display(), crate::item::io_reason(error));
        ConfigError::plain(message, None)
    }

    /// An error at `span` of the config file `path` (whose content is `text`).
    pub fn at(path: &Path, text: &str, span: Option<Span>, message: String, help: Option<String>) -> Self {
        let lines = LineIndex::new(text);
        let position = span.as_ref().map(|s| {
            let p = lines.position(text, s.start);
            (p.line, p.column)
        });
        let label = if span.is_some() { "here".to_owned() } else { String::new() };
        ConfigError(Box::new(Details {
            message,
            source_code: Some(NamedSource::new(display_path(path), text.to_owned())),
            span: span.map(|s| SourceSpan::from(s.start..s.end.max(s.start))),
            label,
            help,
            position,
        }))
    }

    /// A YAML or schema error reported by the parser at a line and column.
    pub fn yaml(path: &Path, text: &str, error: &YamlError) -> Self {
        let lines = LineIndex::new(text);
        let start = lines.offset(text, error.line, error.column);
        let line_end = lines.line_span(text, error.line).end.max(start);
        let mut message = format!("invalid config: {}", error.message);
        let (end, help) = match unknown_field(&error.message) {
            Some((field, expected)) => {
                let context = error.message.split("unknown field").next().unwrap_or_default();
                let context = context.trim().trim_end_matches(':');
                let within = if context.is_empty() { String::new() } else { format!(" in `{context}`") };
                message = format!("unknown config key `{field}`{within}");
                let end = (start + field.len()).min(line_end);
                let help = match crate::config::suggest(field, expected.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("remove the key; valid keys are {}", expected.join(", ")),
                };
                (end, Some(help))
            }
            None => (line_end, None),
        };
        let mut err = ConfigError::at(path, text, Some(start..end), message, help);
        err.0.position = Some((error.line, error.column));
        err
    }
}

/// The field and the expected fields of serde's "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, expected) = rest.split_once('`')?;
    let expected: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    Some((field, expected))
}

/// The path as the user would type it: relative to the current directory when under it.
fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir().ok().and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
}
