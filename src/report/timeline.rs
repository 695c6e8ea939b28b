//! `backlint history`: the item's timeline as text, newest first.

use crate::history::changelog::Entry;
use crate::history::History;
use crate::history::State;
use crate::time;
use serde::Serialize;
use std::io;
use std::sync::Arc;

/// `backlint history` output; its serde form is the JSON output.
#[derive(Debug, Serialize)]
pub struct Timeline {
    pub item: Option<String>,
    pub title: Option<String>,
    pub path: String,
    pub history: Option<Arc<History>>,
    /// Newest first.
    pub entries: Vec<Entry>,
    #[serde(skip)]
    pub summary: Option<String>,
    #[serde(skip)]
    pub notes: Vec<String>,
}

pub fn render(timeline: &Timeline, out: &mut dyn io::Write) -> io::Result<()> {
    let name = match (&timeline.item, &timeline.title) {
        (Some(id), Some(title)) => format!("{id} {title}"),
        (Some(id), None) => id.clone(),
        (None, Some(title)) => title.clone(),
        (None, None) => timeline.path.clone(),
    };
    writeln!(out, "{name} — {}", timeline.path)?;
    match &timeline.summary {
        Some(summary) => writeln!(out, "{summary}")?,
        None if timeline.history.as_ref().is_some_and(|h| h.state == State::NoRepo) => {
            writeln!(out, "no git history: the item is not in a git repository")?
        }
        None => writeln!(out, "no git history")?,
    }
    for entry in &timeline.entries {
        let short = entry.commit.get(..7).unwrap_or(&entry.commit);
        writeln!(out)?;
        writeln!(out, "{}  {short}  {}  {}", time::day(&entry.date), entry.author, entry.subject)?;
        let mut details = Vec::new();
        match entry.change {
            "created" => details.push(format!("created as {}", entry.path)),
            "deleted" => details.push("deleted".to_owned()),
            "renamed" | "copied" => details.push(format!(
                "{} from {} to {}",
                entry.change,
                entry.renamed_from.as_deref().unwrap_or("?"),
                entry.path
            )),
            _ => {}
        }
        details.extend(entry.fields.iter().cloned());
        if entry.body_changed {
            details.push("body edited".to_owned());
        }
        let edited = matches!(entry.change, "edited" | "renamed" | "copied");
        if edited && entry.content_changed && entry.fields.is_empty() && !entry.body_changed {
            details.push("front matter reformatted, no value changed".to_owned());
        } else if entry.change == "edited" && !entry.content_changed {
            details.push("file mode changed".to_owned());
        }
        for detail in details {
            writeln!(out, "    {detail}")?;
        }
    }
    Ok(())
}
