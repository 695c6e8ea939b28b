//! The rule trait and the registry: one sorted table, one line per rule.

mod acceptance_criteria;
mod aging_wip;
mod batch_status_change;
mod blocked_by_unready;
mod completed_not_final;
pub mod custom;
mod dangling_dependency;
mod dependency_cycle;
mod done_criteria_open;
mod duplicate_id;
mod estimate_missing;
pub(crate) mod helpers;
mod high_risk_unrefined;
mod id_filename_mismatch;
mod invalid_value;
mod lenient_yaml;
mod owner_missing;
mod parent_not_epic;
mod parse_error;
mod reopened;
mod required_field;
mod risk_outweighs_value;
mod section_markers;
mod size_changed_after_start;
mod size_limit;
mod skipped_start;
mod spike_learning_goal;
mod stale_item;
mod title_length;
mod unknown_tag;
pub(crate) mod unused_suppression;
mod vague_language;
mod value_hypothesis;
mod wip_limit;

use crate::backlog::Backlog;
use crate::config::Config;
use crate::fix::{Fix, FixAvailability};
use crate::history::{History, HistoryIndex, State};
use crate::item::span::Span;
use crate::item::Item;
use acceptance_criteria::AcceptanceCriteria;
use aging_wip::AgingWip;
use batch_status_change::BatchStatusChange;
use blocked_by_unready::BlockedByUnready;
use completed_not_final::CompletedNotFinal;
use custom::CustomRule;
use dangling_dependency::DanglingDependency;
use dependency_cycle::DependencyCycle;
use done_criteria_open::DoneCriteriaOpen;
use duplicate_id::DuplicateId;
use estimate_missing::EstimateMissing;
use high_risk_unrefined::HighRiskUnrefined;
use id_filename_mismatch::IdFilenameMismatch;
use invalid_value::InvalidValue;
use lenient_yaml::LenientYaml;
use owner_missing::OwnerMissing;
use parent_not_epic::ParentNotEpic;
use parse_error::ParseError;
use reopened::Reopened;
use required_field::RequiredField;
use risk_outweighs_value::RiskOutweighsValue;
use section_markers::SectionMarkers;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use size_changed_after_start::SizeChangedAfterStart;
use size_limit::SizeLimit;
use skipped_start::SkippedStart;
use spike_learning_goal::SpikeLearningGoal;
use stale_item::StaleItem;
use std::any::Any;
use std::fmt;
use title_length::TitleLength;
use unknown_tag::UnknownTag;
use unused_suppression::UnusedSuppression;
use vague_language::VagueLanguage;
use value_hypothesis::ValueHypothesis;
use wip_limit::WipLimit;

/// Every built-in rule, sorted by name.
#[rustfmt::skip]
pub const RULES: &[&dyn DynRule] = &[
    &AcceptanceCriteria,
    &AgingWip,
    &BatchStatusChange,
    &BlockedByUnready,
    &CompletedNotFinal,
    &DanglingDependency,
    &DependencyCycle,
    &DoneCriteriaOpen,
    &DuplicateId,
    &EstimateMissing,
    &HighRiskUnrefined,
    &IdFilenameMismatch,
    &InvalidValue,
    &LenientYaml,
    &OwnerMissing,
    &ParentNotEpic,
    &ParseError,
    &Reopened,
    &RequiredField,
    &RiskOutweighsValue,
    &SectionMarkers,
    &SizeChangedAfterStart,
    &SizeLimit,
    &SkippedStart,
    &SpikeLearningGoal,
    &StaleItem,
    &TitleLength,
    &UnknownTag,
    &UnusedSuppression,
    &VagueLanguage,
    &ValueHypothesis,
    &WipLimit,
];

/// `backlint rules`: one line per rule, built-in ones first, then the config's custom rules.
pub fn table(custom: &[CustomRule]) -> String {
    let rows: Vec<(&str, String, &str, &str, String)> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            (m.name, m.category.to_string(), m.default_severity.as_str(), fix_label(r.fix()), m.summary.to_owned())
        })
        .chain(custom.iter().map(|c| {
            (c.name.as_str(), "custom".to_owned(), c.severity.as_str(), fix_label(FixAvailability::None), c.summary())
        }))
        .collect();
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut out = format!("{:width$}  {:10}  {:8}  {:9}  {}\n", "RULE", "CATEGORY", "SEVERITY", "FIX", "SUMMARY");
    for (name, category, severity, fix, summary) in rows {
        out.push_str(&format!("{name:width$}  {category:10}  {severity:8}  {fix:9}  {summary}\n"));
    }
    out
}

/// The README's rule table (Markdown), from the same registry as [`table`]. README.md holds it
/// between `<!-- rules-table:begin -->` and `<!-- rules-table:end -->`; a test keeps it current.
pub fn markdown_table() -> String {
    let mut out = String::from("| Rule | Category | Default | Fix | Summary |\n| --- | --- | --- | --- | --- |\n");
    for rule in RULES {
        let meta = rule.meta();
        let summary = meta.summary.replace('|', "\\|");
        let (name, category, severity, fix) = (meta.name, meta.category, meta.default_severity, fix_label(rule.fix()));
        out.push_str(&format!("| `{name}` | {category} | {severity} | {fix} | {summary} |\n"));
    }
    out
}

/// How `backlint rules` shows whether a rule can fix what it finds.
pub fn fix_label(fix: FixAvailability) -> &'static str {
    match fix {
        FixAvailability::None => "-",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}

/// `backlint explain NAME`: the rule's documentation, or an error that suggests a close name.
pub fn explain(name: &str, custom: &[CustomRule]) -> Result<String, String> {
    if let Some((_, rule)) = find(name) {
        return Ok(rule.meta().doc.to_owned());
    }
    if let Some(rule) = custom.iter().find(|c| c.name == name) {
        return Ok(rule.describe());
    }
    let names = RULES.iter().map(|r| r.meta().name).chain(custom.iter().map(|c| c.name.as_str()));
    let hint = crate::config::suggest(name, names)
        .map_or_else(|| "run `backlint rules` to list the rules".to_owned(), |s| format!("did you mean `{s}`?"));
    Err(format!("unknown rule `{name}`; {hint}"))
}

/// The built-in rule called `name`.
pub fn find(name: &str) -> Option<(usize, &'static dyn DynRule)> {
    RULES.iter().enumerate().find(|(_, r)| r.meta().name == name).map(|(i, r)| (i, *r))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const NAMES: &'static str = "`error`, `warning`, `info` or `off`";

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "off" => Some(Severity::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Readiness,
    Integrity,
    Flow,
    History,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Category::Readiness => "readiness",
            Category::Integrity => "integrity",
            Category::Flow => "flow",
            Category::History => "history",
        };
        f.write_str(name)
    }
}

/// What a rule is, independent of any configuration.
#[derive(Debug)]
pub struct RuleMeta {
    /// Kebab-case and stable: it is what users write in config and suppressions.
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// The rule's documentation (`rules/<name>.md`).
    pub doc: &'static str,
}

/// What a rule sees besides the item: the effective configuration and the whole backlog.
pub struct Context<'a> {
    pub config: &'a Config,
    pub backlog: &'a Backlog,
    /// Git history of the items; `None` with `--no-history` or when it could not be read.
    pub history: Option<&'a HistoryIndex>,
    /// "Now", in seconds since the Unix epoch.
    pub now: i64,
}

impl Context<'_> {
    /// The item's git history, if history was read and the item is in a repository.
    pub fn history(&self, item: &Item) -> Option<&History> {
        self.history?.get(&item.path).filter(|h| h.state != State::NoRepo)
    }

    /// Whether `item` is at or after the configured `ready_status` (unknown statuses are not).
    pub fn is_ready(&self, item: &Item) -> bool {
        self.status_rank(item).is_some_and(|rank| rank >= self.config.ready_rank())
    }

    /// The item's position in the configured status order.
    pub fn status_rank(&self, item: &Item) -> Option<usize> {
        let status = item.value(self.config.field("status"))?.to_text();
        self.config.status_rank(&status)
    }

    /// The value of a canonical field (`size`, `risk`…) under its configured front matter key.
    pub fn value<'i>(&self, item: &'i Item, field: &str) -> Option<&'i crate::item::front_matter::Value> {
        item.value(self.config.field(field))
    }

    /// The item's `type`, lowercased, if it has one.
    pub fn item_type(&self, item: &Item) -> Option<String> {
        self.value(item, "type").map(|v| v.to_text().to_lowercase())
    }
}

/// One finding of a rule, before the pipeline adds the rule, severity, path and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// The repair, when the rule knows one.
    pub fix: Option<Fix>,
}

/// Collects the findings of one rule on one item.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    pub fn push(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.0.push(Finding { span, message: message.into(), help: Some(help.into()), fix: None });
    }

    /// [`Findings::push`] with the fix that repairs the finding, if there is one.
    pub fn push_with_fix(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>, fix: Option<Fix>) {
        self.0.push(Finding { span, message: message.into(), help: Some(help.into()), fix });
    }
}

/// A lint rule: a pure function of an item, its context and the rule's options.
pub trait Rule: Sync + 'static {
    type Options: DeserializeOwned + Serialize + Default + Send + Sync + 'static;
    const META: RuleMeta;
    /// Whether the rule also runs on items that failed to parse (only `parse-error` does).
    const CHECKS_UNPARSED: bool = false;
    /// Whether the rule attaches fixes to its findings (declared next to `META` by rules that do,
    /// as ruff's violations declare `FIX_AVAILABILITY`).
    const FIX: FixAvailability = FixAvailability::None;

    fn check(&self, options: &Self::Options, item: &Item, cx: &Context, out: &mut Findings);
}

/// Options after validation, stored without their concrete type.
pub type AnyOptions = Box<dyn Any + Send + Sync>;

/// The object-safe face of [`Rule`], so that rules with different options share one table.
pub trait DynRule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Whether the rule can repair what it finds.
    fn fix(&self) -> FixAvailability;
    fn parse_options(&self, value: serde_json::Value) -> Result<AnyOptions, serde_json::Error>;
    fn default_options(&self) -> serde_json::Value;
    fn check_dyn(&self, options: &(dyn Any + Send + Sync), item: &Item, cx: &Context, out: &mut Findings);
}

impl<R: Rule> DynRule for R {
    fn meta(&self) -> &'static RuleMeta {
        &R::META
    }

    fn fix(&self) -> FixAvailability {
        R::FIX
    }

    fn parse_options(&self, value: serde_json::Value) -> Result<AnyOptions, serde_json::Error> {
        Ok(Box::new(serde_json::from_value::<R::Options>(value)?))
    }

    fn default_options(&self) -> serde_json::Value {
        serde_json::to_value(R::Options::default()).unwrap_or_default()
    }

    fn check_dyn(&self, options: &(dyn Any + Send + Sync), item: &Item, cx: &Context, out: &mut Findings) {
        if item.problem.is_some() && !R::CHECKS_UNPARSED {
            return;
        }
        if let Some(options) = options.downcast_ref::<R::Options>() {
            self.check(options, item, cx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_kebab_case() {
        let names: Vec<&str> = RULES.iter().map(|r| r.meta().name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "RULES must be sorted by name, without duplicates");
        for name in names {
            assert!(
                name.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())),
                "{name} is not kebab-case"
            );
        }
    }

    #[test]
    fn a_rule_documents_its_fix_exactly_when_it_has_one() {
        for rule in RULES {
            let meta = rule.meta();
            let documented = meta.doc.contains("\n## Fix\n");
            let fixes = rule.fix() != FixAvailability::None;
            assert_eq!(documented, fixes, "`{}`: a `## Fix` section in its doc exactly when it has a fix", meta.name);
        }
    }

    #[test]
    fn default_options_parse_back() {
        for rule in RULES {
            assert!(rule.parse_options(rule.default_options()).is_ok(), "{}", rule.meta().name);
        }
    }
}
