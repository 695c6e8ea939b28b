//! The whole backlog: every item and the cross-item index (ids and the items that name them)
//! that cross-item rules look things up in. A workspace keeps it alive and replaces one item
//! at a time.

use crate::config::Config;
use crate::item::Item;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

pub struct Backlog {
    /// Every item file, sorted by path.
    pub items: Vec<Item>,
    by_id: HashMap<String, Vec<usize>>,
    /// Items by the normalized ids their `depends_on` and `parent` fields name.
    referrers: HashMap<String, Vec<usize>>,
    /// Backlog-wide facts derived on first use, one per type (see [`Backlog::derived`]).
    derived: Mutex<HashMap<TypeId, Arc<DerivedSlot>>>,
}

/// One fact of [`Backlog::derived`], computed at most once.
type DerivedSlot = OnceLock<Arc<dyn Any + Send + Sync>>;

impl Backlog {
    pub fn new(mut items: Vec<Item>, config: &Config) -> Backlog {
        items.sort_by(|a, b| a.path.cmp(&b.path));
        let mut backlog =
            Backlog { items, by_id: HashMap::new(), referrers: HashMap::new(), derived: Mutex::default() };
        backlog.index(config);
        backlog
    }

    fn index(&mut self, config: &Config) {
        self.by_id.clear();
        self.referrers.clear();
        self.derived.get_mut().unwrap_or_else(PoisonError::into_inner).clear();
        let key = config.field("id");
        for (index, item) in self.items.iter().enumerate() {
            if let Some(id) = item.value(key) {
                self.by_id.entry(normalize_id(&id.to_text())).or_default().push(index);
            }
            for named in referenced_ids(item, config) {
                let list = self.referrers.entry(named).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
        }
    }

    /// Put `item` in place of the item at its path (or add it), or remove the item at `path`
    /// when `item` is `None`; returns the item it replaces. The index and every derived fact
    /// are rebuilt.
    pub fn replace(&mut self, path: &str, item: Option<Item>, config: &Config) -> Option<Item> {
        let old = match (self.position(path), item) {
            (Ok(at), Some(item)) => Some(std::mem::replace(&mut self.items[at], item)),
            (Ok(at), None) => Some(self.items.remove(at)),
            (Err(at), Some(item)) => {
                self.items.insert(at, item);
                None
            }
            (Err(_), None) => None,
        };
        self.index(config);
        old
    }

    /// Where the item at `path` is in [`Backlog::items`], or where it would go.
    pub fn position(&self, path: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|other| other.path.as_str().cmp(path))
    }

    /// The item at `path`.
    pub fn get(&self, path: &str) -> Option<&Item> {
        self.position(path).ok().map(|at| &self.items[at])
    }

    /// Every item whose `depends_on` or `parent` names `id`.
    pub fn items_naming<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Item> + 'a {
        let indices = self.referrers.get(&normalize_id(id)).map_or(&[][..], Vec::as_slice);
        indices.iter().map(|&i| &self.items[i])
    }

    /// Every item whose id is `id`.
    pub fn items_with_id<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Item> + 'a {
        let indices = self.by_id.get(&normalize_id(id)).map_or(&[][..], Vec::as_slice);
        indices.iter().map(|&i| &self.items[i])
    }

    /// A file under the item globs that could not be read as an item (it has a `problem`) but
    /// names `id`: in an `id_key:` line of its front matter, or at the start of its file name
    /// (`task-97 - Title.md`, `PB-7-export.md`). A reference to `id` then points at a broken
    /// file, not at nothing, and the finding should say so.
    pub fn unreadable_item_named(&self, id: &str, id_key: &str) -> Option<&Item> {
        let wanted = normalize_id(id);
        if wanted.is_empty() {
            return None;
        }
        let names_it = |item: &Item| {
            let file_name = item.path.rsplit('/').next().unwrap_or(&item.path);
            let stem = normalize_id(file_name.strip_suffix(".md").unwrap_or(file_name));
            let at_start = stem.strip_prefix(&wanted).is_some_and(|rest| {
                let mut rest = rest.chars();
                match (rest.next(), rest.next()) {
                    (None, _) => true,
                    // `task-9` is not the start of `task-97` nor of `task-9.1`.
                    (Some(c), _) if c.is_alphanumeric() => false,
                    (Some('.'), Some(d)) => !d.is_ascii_digit(),
                    _ => true,
                }
            });
            at_start || front_matter_id(&item.source, id_key).is_some_and(|found| normalize_id(found) == wanted)
        };
        self.items.iter().find(|item| item.problem.is_some() && names_it(item))
    }

    /// A backlog-wide fact of type `T` (a dependency graph, the order of items in a status…),
    /// computed by `compute` on first use and shared by every later call in this run, so that
    /// cross-item rules stay linear in the size of the backlog. Each `T` belongs to one rule or
    /// helper; concurrent first calls wait for one computation.
    pub fn derived<T: Any + Send + Sync>(&self, compute: impl FnOnce() -> T) -> Arc<T> {
        let slot = {
            let mut slots = self.derived.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(slots.entry(TypeId::of::<T>()).or_default())
        };
        let value = Arc::clone(slot.get_or_init(|| Arc::new(compute())));
        value.downcast::<T>().unwrap_or_else(|_| unreachable!("derived facts are keyed by their type"))
    }

    /// How many files parsed as items.
    pub fn parsed_items(&self) -> usize {
        self.items.iter().filter(|i| i.problem.is_none()).count()
    }
}

/// The normalized ids that the item's `depends_on` and `parent` fields name.
pub fn referenced_ids(item: &Item, config: &Config) -> Vec<String> {
    ["depends_on", "parent"]
        .iter()
        .filter_map(|name| item.field(config.field(name)))
        .flat_map(crate::rules::helpers::listed_values)
        .map(|listed| normalize_id(&listed.text))
        .collect()
}

/// The value of a top-level `key:` line in the front matter block that opens `source`, read as
/// text (quotes and a trailing comment removed), for files whose YAML does not parse.
fn front_matter_id<'s>(source: &'s str, key: &str) -> Option<&'s str> {
    let mut lines = source.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let value = lines
        .take_while(|line| !matches!(line.trim_end(), "---" | "..."))
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))?;
    let value = value.split(" #").next().unwrap_or_default().trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!value.is_empty()).then_some(value)
}

/// Ids are compared ignoring case, surrounding white space and leading zeros of numbers, so
/// that `back-24.02`, `BACK-24.2` and ` Back-024.2 ` all name the same item.
pub fn normalize_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    let mut in_number = false;
    let mut chars = id.trim().chars().peekable();
    while let Some(c) = chars.next() {
        let starts_number = c.is_ascii_digit() && !in_number;
        let next_is_digit = chars.peek().is_some_and(char::is_ascii_digit);
        if starts_number && c == '0' && next_is_digit {
            continue;
        }
        in_number = c.is_ascii_digit() && (in_number || c != '0' || !next_is_digit);
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{front_matter_id, normalize_id};

    #[test]
    fn front_matter_ids_are_read_as_text() {
        assert_eq!(front_matter_id("---\nid: 'TASK-4'  # old\ntitle: a: b\n---\n", "id"), Some("TASK-4"));
        assert_eq!(front_matter_id("---\ntitle: x\n---\nid: TASK-4\n", "id"), None);
        assert_eq!(front_matter_id("# TASK-4\nid: TASK-4\n", "id"), None);
        assert_eq!(front_matter_id("---\nidea: x\n---\n", "id"), None);
    }

    #[test]
    fn ids_match_ignoring_case_and_leading_zeros() {
        assert_eq!(normalize_id("back-24.02"), normalize_id("BACK-24.2"));
        assert_eq!(normalize_id(" PB-007 "), "pb-7");
        assert_eq!(normalize_id("PB-100"), "pb-100");
        assert_eq!(normalize_id("PB-0"), "pb-0");
        assert_ne!(normalize_id("PB-10"), normalize_id("PB-1"));
    }
}
