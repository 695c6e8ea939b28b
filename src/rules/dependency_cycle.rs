use super::helpers::{compare_ids, index_of, item_name, listed_values, name_list, NoOptions};
use super::{Category, Context, Findings, Rule, RuleMeta, Severity};
use crate::item::span::Span;
use crate::item::Item;
use std::collections::{HashMap, VecDeque};

#[doc = include_str!("../../rules/dependency-cycle.md")]
pub(crate) struct DependencyCycle;

impl Rule for DependencyCycle {
    type Options = NoOptions;
    const META: RuleMeta = RuleMeta {
        name: "dependency-cycle",
        category: Category::Integrity,
        default_severity: Severity::Error,
        summary: "items must not depend on themselves, directly or through other items",
        doc: include_str!("../../rules/dependency-cycle.md"),
    };

    fn check(&self, _: &NoOptions, item: &Item, cx: &Context, out: &mut Findings) {
        let Some(index) = index_of(cx.backlog, item) else { return };
        let cycles = cx.backlog.derived(|| Cycles::find(cx));
        let Some(cycle) = cycles.reported_at.get(&index) else { return };
        let name = |i: &usize| item_name(&cx.backlog.items[*i], cx.config);
        let path: Vec<String> = cycle.path.iter().map(name).collect();
        let others: Vec<String> = cycle.others.iter().map(name).collect();
        let (mut message, help) = match path.as_slice() {
            [one] => (
                format!("`{one}` depends on itself"),
                format!("remove `{one}` from its own `{}`", cx.config.field("depends_on")),
            ),
            _ => (
                format!("dependency cycle {} → {}", path.join(" → "), path[0]),
                "remove the dependency that is not real, or merge the items if none of them can be done first"
                    .to_owned(),
            ),
        };
        if !others.is_empty() {
            message.push_str(&format!(", tangled with {}", name_list(&others, 5)));
        }
        out.push(cycle.span.clone(), message, help);
    }
}

/// The dependency cycles of the backlog, found once per run: one per group of items that
/// depend on each other (a strongly connected component of the dependency graph).
struct Cycles {
    /// By the index of the item that reports the cycle: the one with the smallest id.
    reported_at: HashMap<usize, Cycle>,
}

struct Cycle {
    /// The items on a shortest cycle through the reporting item, starting with it.
    path: Vec<usize>,
    /// The reporting item's dependency on the next item of `path`.
    span: Span,
    /// The other items of the group, on other cycles with these, in id order.
    others: Vec<usize>,
}

impl Cycles {
    fn find(cx: &Context) -> Cycles {
        let backlog = cx.backlog;
        let key = cx.config.field("depends_on");
        let edges: Vec<Vec<(usize, Span)>> = backlog
            .items
            .iter()
            .map(|item| {
                let Some(field) = item.field(key) else { return Vec::new() };
                listed_values(field)
                    .into_iter()
                    .flat_map(|dependency| {
                        backlog
                            .items_with_id(&dependency.text)
                            .filter_map(|target| index_of(backlog, target))
                            .map(move |target| (target, dependency.span.clone()))
                    })
                    .collect()
            })
            .collect();
        let by_id = |a: &usize, b: &usize| {
            let (x, y) = (&backlog.items[*a], &backlog.items[*b]);
            compare_ids(&item_name(x, cx.config), &item_name(y, cx.config)).then_with(|| x.path.cmp(&y.path))
        };
        let (components, component_of) = strongly_connected(&edges);
        let mut reported_at = HashMap::new();
        for (c, mut members) in components.into_iter().enumerate() {
            let Some(&first) = members.first() else { continue };
            if members.len() == 1 && !edges[first].iter().any(|(target, _)| *target == first) {
                continue;
            }
            members.sort_by(by_id);
            let start = members[0];
            let Some((path, span)) = shortest_cycle(start, &edges, |i| component_of[i] == c) else { continue };
            let others = members.into_iter().filter(|m| !path.contains(m)).collect();
            reported_at.insert(start, Cycle { path, span, others });
        }
        Cycles { reported_at }
    }
}

/// A shortest cycle from `start` back to it through nodes `inside` allows (breadth-first, edges
/// in the order written), and the span of its first edge.
fn shortest_cycle(
    start: usize,
    edges: &[Vec<(usize, Span)>],
    inside: impl Fn(usize) -> bool,
) -> Option<(Vec<usize>, Span)> {
    let mut came_from: HashMap<usize, (usize, Span)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for (target, span) in &edges[node] {
            if *target == start {
                let mut path = vec![node];
                let mut first_span = span.clone();
                let mut at = node;
                while let Some((previous, edge)) = came_from.get(&at) {
                    path.push(*previous);
                    first_span = edge.clone();
                    at = *previous;
                }
                path.reverse();
                return Some((path, first_span));
            }
            if inside(*target) && !came_from.contains_key(target) {
                came_from.insert(*target, (node, span.clone()));
                queue.push_back(*target);
            }
        }
    }
    None
}

/// The strongly connected components of the graph and the component of each node, by
/// Tarjan's algorithm without recursion, so that long dependency chains cannot overflow the stack.
fn strongly_connected(edges: &[Vec<(usize, Span)>]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = edges.len();
    let mut t = Tarjan { order: vec![UNSEEN; n], low: vec![0; n], on_stack: vec![false; n], ..Tarjan::default() };
    let mut component_of = vec![UNSEEN; n];
    let mut components = Vec::new();
    for root in 0..n {
        if t.order[root] != UNSEEN {
            continue;
        }
        t.visit(root);
        while let Some(&(node, position)) = t.calls.last() {
            if let Some(&(target, _)) = edges[node].get(position) {
                if let Some(top) = t.calls.last_mut() {
                    top.1 += 1;
                }
                if t.order[target] == UNSEEN {
                    t.visit(target);
                } else if t.on_stack[target] {
                    t.low[node] = t.low[node].min(t.order[target]);
                }
                continue;
            }
            t.calls.pop();
            if let Some(&(parent, _)) = t.calls.last() {
                t.low[parent] = t.low[parent].min(t.low[node]);
            }
            if t.low[node] == t.order[node] {
                let mut component = Vec::new();
                while let Some(member) = t.stack.pop() {
                    t.on_stack[member] = false;
                    component_of[member] = components.len();
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    (components, component_of)
}

const UNSEEN: usize = usize::MAX;

/// The state of [`strongly_connected`].
#[derive(Default)]
struct Tarjan {
    /// When each node was first visited, or `UNSEEN`.
    order: Vec<usize>,
    /// The earliest node reachable from each node's subtree that is still on the stack.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    /// The depth-first path: each node with the position of its next edge to follow.
    calls: Vec<(usize, usize)>,
    next: usize,
}

impl Tarjan {
    fn visit(&mut self, node: usize) {
        self.order[node] = self.next;
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        self.calls.push((node, 0));
    }
}
