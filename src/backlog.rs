//! The whole backlog, loaded once: what cross-item rules look things up in.

use crate::config::Config;
use crate::item::Item;
use std::collections::HashMap;

pub struct Backlog {
    /// Every item file, sorted by path.
    pub items: Vec<Item>,
    by_id: HashMap<String, Vec<usize>>,
}

impl Backlog {
    pub fn new(mut items: Vec<Item>, config: &Config) -> Backlog {
        items.sort_by(|a, b| a.path.cmp(&b.path));
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let key = config.field("id");
        for (index, item) in items.iter().enumerate() {
            if let Some(id) = item.value(key) {
                by_id.entry(normalize_id(&id.to_text())).or_default().push(index);
            }
        }
        Backlog { items, by_id }
    }

    /// Every item whose id is `id`.
    pub fn items_with_id<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Item> + 'a {
        let indices = self.by_id.get(&normalize_id(id)).map_or(&[][..], Vec::as_slice);
        indices.iter().map(|&i| &self.items[i])
    }

    /// How many files parsed as items.
    pub fn parsed_items(&self) -> usize {
        self.items.iter().filter(|i| i.problem.is_none()).count()
    }
}

/// Ids are compared without surrounding white space.
fn normalize_id(id: &str) -> String {
    id.trim().to_owned()
}
