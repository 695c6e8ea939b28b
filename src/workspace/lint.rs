//! Running the rules on one item, with the rule settings that apply to its path.

use crate::config::{Config, RuleSettings};
use crate::item::Item;
use crate::report::Diagnostic;
use crate::rules::unused_suppression::Raw;
use crate::rules::{self, Context, Findings, Severity, RULES};
use std::collections::HashMap;
use std::sync::Arc;

/// The rule settings of each item path, shared between the paths that the same overrides match.
#[derive(Default)]
pub(super) struct RuleCache {
    by_mask: HashMap<Vec<bool>, Arc<RuleSettings>>,
    by_path: HashMap<String, Arc<RuleSettings>>,
}

impl RuleCache {
    /// Work out the settings of every path in `items` that has none yet.
    pub(super) fn prepare<'a>(&mut self, config: &Config, items: impl IntoIterator<Item = &'a Item>) {
        for item in items {
            if self.by_path.contains_key(&item.path) {
                continue;
            }
            let mask = config.override_mask(&item.path);
            let settings = match self.by_mask.get(&mask) {
                Some(settings) => Arc::clone(settings),
                None => {
                    let settings = Arc::new(config.settings(&mask));
                    self.by_mask.insert(mask, Arc::clone(&settings));
                    settings
                }
            };
            self.by_path.insert(item.path.clone(), settings);
        }
    }

    /// The settings of a path given to [`RuleCache::prepare`].
    pub(super) fn for_path(&self, path: &str) -> &RuleSettings {
        &self.by_path[path]
    }

    /// The settings of a path given to [`RuleCache::prepare`], if it was.
    pub(super) fn get(&self, path: &str) -> Option<&RuleSettings> {
        self.by_path.get(path).map(|s| &**s)
    }

    /// Whether any set of settings turns the rule `name` on.
    pub(super) fn any_enables(&self, name: &str, config: &Config) -> bool {
        self.by_mask.values().any(|s| s.severity_of(name, config).is_some_and(|s| s != Severity::Off))
    }
}

/// Every finding of every enabled rule on `item`, located, without history.
pub(super) fn lint_item(item: &Item, cx: &Context, settings: &RuleSettings) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let builtin = RULES.iter().zip(&settings.entries);
    for (rule, (severity, options)) in builtin.filter(|(_, (severity, _))| *severity != Severity::Off) {
        let mut findings = Findings::default();
        rule.check_dyn(options.as_ref(), item, cx, &mut findings);
        let rule = rule.meta().name;
        found.extend(findings.0.into_iter().map(|finding| Raw { rule: rule.to_owned(), severity: *severity, finding }));
    }
    let custom = cx.config.custom_rules.iter().zip(&settings.entries[RULES.len()..]);
    for (rule, (severity, _)) in custom.filter(|(_, (severity, _))| *severity != Severity::Off) {
        let mut findings = Findings::default();
        rule.check(item, cx, &mut findings);
        found.extend(findings.0.into_iter().map(|finding| Raw {
            rule: rule.name.clone(),
            severity: *severity,
            finding,
        }));
    }
    let enabled = |name: &str| settings.severity_of(name, cx.config).is_some_and(|s| s != Severity::Off);
    let unused = settings.severity_of("unused-suppression", cx.config).filter(|s| *s != Severity::Off);
    let found = rules::unused_suppression::apply(item, found, &enabled, unused);

    let id = item.value(cx.config.field("id")).map(|v| v.to_text());
    found
        .into_iter()
        .map(|Raw { rule, severity, finding }| {
            let start = item.position(finding.span.start);
            let end = item.position(finding.span.end);
            Diagnostic {
                rule,
                severity,
                path: item.path.clone(),
                item: id.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                message: finding.message,
                help: finding.help,
                history: None,
                fix: finding.fix.map(|fix| crate::report::Fix::new(fix, item)),
                span: finding.span,
            }
        })
        .collect()
}

/// Whether two lists of findings say the same things at the same places.
pub fn same_findings(a: &[Diagnostic], b: &[Diagnostic]) -> bool {
    let key = |d: &Diagnostic| {
        (d.rule.clone(), d.severity, d.span.clone(), d.message.clone(), d.help.clone(), d.item.clone())
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(x) == key(y))
}
