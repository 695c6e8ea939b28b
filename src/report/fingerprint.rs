//! Stable identities of findings, shared by SARIF's `partialFingerprints` and the baseline:
//! the rule, the item (its id, else its path), the front matter key or heading at fault and the
//! message without its numbers. An identity survives edits elsewhere in the file, moved lines and
//! a changed offending number (`size 13` → `size 21`), and changes when the finding itself does.

use super::{Diagnostic, Report};

/// The identity of `d`, as 16 hex digits.
pub fn fingerprint(report: &Report, d: &Diagnostic) -> String {
    let source = report.items.get(&d.path).map(|info| &*info.source);
    of(source, d)
}

/// The identity of `d`, whose item's text is `source` (when known).
pub fn of(source: Option<&str>, d: &Diagnostic) -> String {
    let line = source.and_then(|text| text.lines().nth(d.line.saturating_sub(1))).unwrap_or("");
    let anchor = anchor(line);
    let message = without_numbers(&d.message);
    let item = d.item.as_deref().unwrap_or(&d.path);
    let mut hash = Fnv::default();
    for part in [d.rule.as_str(), item, anchor, &message] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    format!("{:016x}", hash.0)
}

/// `size 13 exceeds the limit of 8` → `size # exceeds the limit of #`.
fn without_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_number = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

/// The front matter key (`size` in `size: 13`) or the heading of the line at fault, else nothing.
fn anchor(line: &str) -> &str {
    let trimmed = line.trim();
    if trimmed.starts_with('#') {
        return trimmed.trim_start_matches('#').trim();
    }
    match trimmed.split_once(':') {
        Some((key, _)) if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') => key,
        _ => "",
    }
}

/// FNV-1a, 64 bits: fixed by its definition, so fingerprints do not change between Rust releases.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_name_the_key_or_heading() {
        assert_eq!(anchor("size: 13"), "size");
        assert_eq!(anchor("## Value hypothesis"), "Value hypothesis");
        assert_eq!(anchor("- [ ] it works"), "");
        assert_eq!(anchor("We believe: it helps"), "");
    }

    #[test]
    fn numbers_do_not_count() {
        assert_eq!(without_numbers("size 13 exceeds the limit of 8"), "size # exceeds the limit of #");
    }
}
