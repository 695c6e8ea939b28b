use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::Item;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// Where finished items are kept: globs over paths relative to the project root.
    pub files: Globs,
}

impl Default for Options {
    fn default() -> Self {
        let files = Globs::try_from(vec!["**/completed/**".to_owned()]).unwrap_or_else(|_| Globs::empty());
        Options { files }
    }
}

#[doc = include_str!("../../rules/completed-not-final.md")]
pub(crate) struct CompletedNotFinal;

impl Rule for CompletedNotFinal {
    type Options = Options;
    const META: RuleMeta = RuleMeta {
        name: "completed-not-final",
        category: Category::Flow,
        default_severity: Severity::Error,
        summary: "an item filed with the completed ones must have a final status",
        doc: include_str!("../../rules/completed-not-final.md"),
    };

    fn check(&self, options: &Options, item: &Item, cx: &Context, out: &mut Findings) {
        if !options.files.set.is_match(&item.path) {
            return;
        }
        let Some(status) = item.field(cx.config.field("status")).filter(|f| !f.value.is_blank()) else { return };
        let text = status.value.to_text();
        if cx.config.is_final_status(&text) {
            return;
        }
        let folder = item.path.rsplit_once('/').map_or(".", |(dir, _)| dir);
        let finals = cx.config.final_statuses.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or ");
        out.push(
            status.value_span.clone(),
            format!("item is in `{folder}/` but its status `{}` is not final", text.trim()),
            format!(
                "set the status to {finals} if the work is finished; otherwise move the file back among the open items"
            ),
        );
    }
}

/// Glob patterns, compiled once when the options are read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Globs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    fn empty() -> Globs {
        Globs { patterns: Vec::new(), set: GlobSet::empty() }
    }
}

impl TryFrom<Vec<String>> for Globs {
    type Error = String;

    fn try_from(patterns: Vec<String>) -> Result<Self, Self::Error> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            let glob = GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("invalid glob `{pattern}`: {}", e.kind()))?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|e| e.to_string())?;
        Ok(Globs { patterns, set })
    }
}

impl From<Globs> for Vec<String> {
    fn from(globs: Globs) -> Vec<String> {
        globs.patterns
    }
}
