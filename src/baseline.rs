//! The baseline: findings a team has accepted for now, so that it can adopt backlint on an
//! existing backlog and fail only on new problems (PHPStan's and detekt's baselines).
//!
//! `backlint baseline` writes `.backlint-baseline.json` at the project root: every current finding
//! by its fingerprint (see [`crate::report::fingerprint`]), with how many findings share it.
//! `check` reads the file when present: the first `count` findings with a fingerprint are hidden
//! (moved out of the report's diagnostics, so they neither print nor fail the run); more of them
//! than the baseline holds are new and reported. Entries that match no finding any more are
//! counted, so that the file can shrink.

use crate::report::{fingerprint, Diagnostic, Report};
use crate::RunError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The file at the project root that `check` reads by default.
pub const FILE_NAME: &str = ".backlint-baseline.json";

/// The version of the file's format.
pub const VERSION: u32 = 1;

/// Which baseline `check` uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Choice {
    /// `.backlint-baseline.json` at the project root, if it exists.
    #[default]
    Default,
    /// None (`--no-baseline`).
    Off,
    /// This file, which must exist (`--baseline FILE`).
    File(PathBuf),
}

/// The file's content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// Sorted by path, rule and fingerprint, so that the file diffs well.
    pub findings: Vec<Entry>,
}

/// Findings that share one fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    /// The item's id, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Where the finding was when the baseline was written (for people reading the file).
    pub path: String,
    /// The first finding's message (for people reading the file).
    pub message: String,
    /// How many findings have this fingerprint.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// What the baseline did to a report (in JSON's `summary.baseline`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The baseline file, as given or relative to the project root.
    pub file: String,
    /// Findings hidden because the baseline holds them.
    pub hidden: usize,
    /// Findings the baseline holds that this run did not find (fixed, or their item changed).
    pub unmatched: usize,
}

impl Baseline {
    /// The baseline of every finding in `report`.
    pub fn of(report: &Report) -> Baseline {
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for d in &report.diagnostics {
            let fingerprint = fingerprint::fingerprint(report, d);
            entries.entry(fingerprint.clone()).and_modify(|e| e.count += 1).or_insert_with(|| Entry {
                fingerprint,
                rule: d.rule.clone(),
                item: d.item.clone(),
                path: d.path.clone(),
                message: d.message.clone(),
                count: 1,
            });
        }
        let mut findings: Vec<Entry> = entries.into_values().collect();
        findings.sort_by(|a, b| (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint)));
        Baseline { version: VERSION, findings }
    }

    /// How many findings the baseline holds.
    pub fn len(&self) -> usize {
        self.findings.iter().map(|e| e.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Read the baseline that `choice` names for the project at `root`: `None` when there is none.
    pub fn load(choice: &Choice, root: &Path) -> Result<Option<(Baseline, String)>, RunError> {
        let (path, shown) = match choice {
            Choice::Off => return Ok(None),
            Choice::Default => {
                let path = root.join(FILE_NAME);
                if !path.is_file() {
                    return Ok(None);
                }
                (path, FILE_NAME.to_owned())
            }
            Choice::File(path) => (path.clone(), path.display().to_string()),
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| RunError::Baseline(format!("cannot read {shown}: {}", crate::item::io_reason(&e))))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| RunError::Baseline(format!("{shown} is not a backlint baseline: {e}")))?;
        if baseline.version != VERSION {
            return Err(RunError::Baseline(format!(
                "{shown} has version {}, but this backlint reads version {VERSION}",
                baseline.version
            )));
        }
        Ok(Some((baseline, shown)))
    }

    /// Hide the findings of `report` that the baseline holds (into `report.baselined`), count the
    /// entries left unmatched among those `counted` (entries of items this run reports on), and
    /// update the summary.
    pub fn apply(&self, report: &mut Report, file: String, counted: impl Fn(&Entry) -> bool) {
        let mut left: HashMap<&str, usize> = HashMap::new();
        for entry in &self.findings {
            *left.entry(entry.fingerprint.as_str()).or_default() += entry.count;
        }
        let fingerprints: Vec<String> =
            report.diagnostics.iter().map(|d| fingerprint::fingerprint(report, d)).collect();
        let mut kept: Vec<Diagnostic> = Vec::with_capacity(report.diagnostics.len());
        for (d, fingerprint) in std::mem::take(&mut report.diagnostics).into_iter().zip(&fingerprints) {
            match left.get_mut(fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    report.baselined.push(d);
                }
                _ => kept.push(d),
            }
        }
        report.diagnostics = kept;
        let mut unmatched = 0;
        for entry in self.findings.iter().filter(|e| counted(e)) {
            let n = left.get_mut(entry.fingerprint.as_str()).map_or(0, std::mem::take);
            unmatched += n;
        }
        report.recount();
        report.summary.baseline = Some(Applied { file, hidden: report.baselined.len(), unmatched });
    }
}

/// Write `baseline` to `path` atomically: into a temporary file next to it, then renamed over it.
pub fn write(baseline: &Baseline, path: &Path) -> Result<(), RunError> {
    let failed = |e: std::io::Error| {
        RunError::Baseline(format!("cannot write {}: {}", path.display(), crate::item::io_reason(&e)))
    };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map_or_else(|| FILE_NAME.into(), |n| n.to_string_lossy().into_owned());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, baseline.to_text()).map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        failed(e)
    })
}

/// `backlint baseline`: check the whole backlog without a baseline and write every finding to
/// `output` (by default `.backlint-baseline.json` at the project root). Returns the file written
/// and its content.
pub fn create(settings: &crate::Settings, output: Option<&Path>) -> Result<(PathBuf, Baseline), RunError> {
    let settings = crate::Settings { baseline: Choice::Off, ..settings.clone() };
    let report = crate::check(&settings)?;
    let baseline = Baseline::of(&report);
    let path = output.map_or_else(|| report.root.join(FILE_NAME), Path::to_path_buf);
    write(&baseline, &path)?;
    Ok((path, baseline))
}
