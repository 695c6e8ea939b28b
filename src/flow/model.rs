//! From an item's status timeline to its flow dates: the status moves, and the day it entered
//! each stage under the configured policy for items that moved backwards.
//!
//! Every status is a threshold: an item is "at or past" a status when its status is that one
//! or a later one in `statuses`. Started = at or past `flow.start`; done = at or past the first
//! done status. The day an item entered a stage is the day of a commit that made it cross the
//! threshold upwards: the first such commit (`reopened: first`) or the last one (`last`). A
//! stage the item is not at now has no date, so a reopened item is not done.

use crate::config::flow::{Reopened, Zone};
use crate::config::Config;
use crate::history::{Change, History};
use std::collections::HashSet;

/// One change of an item's status, as committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// Calendar day in the configured zone (days since 1970-01-01).
    pub day: i64,
    /// `None` when the commit created the item.
    pub from: Option<String>,
    pub to: Option<String>,
    pub commit: String,
    /// Position of `to` in `statuses`; `None` for a status that is not configured.
    pub rank: Option<usize>,
}

/// The status moves of an item, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Moves {
    pub moves: Vec<Move>,
    /// The item's status where its history is cut by a shallow clone: its rank, and no date.
    pub cut_rank: Option<Option<usize>>,
}

impl Moves {
    /// Read the moves off a history timeline. `boundaries`: the shallow clone's boundary
    /// commits; a version first seen there existed before, at an unknown date.
    pub fn of(history: &History, config: &Config, zone: &Zone, boundaries: &HashSet<String>) -> Moves {
        let mut out = Moves::default();
        let mut previous: Option<String> = None;
        let mut first = true;
        // `git log --follow` goes on into the file an item was copied from; that history is the
        // other item's, so this item's own life starts at the copy.
        let own = history
            .timeline
            .iter()
            .position(|r| matches!(r.change, Change::Copied { .. }))
            .map_or(history.timeline.len(), |i| i + 1);
        for revision in history.timeline[..own].iter().rev() {
            if revision.change == Change::Deleted {
                continue;
            }
            let status = revision.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let Some(status) = status else { continue };
            let rank = config.status_rank(status);
            if first && boundaries.contains(&revision.commit.commit) {
                out.cut_rank = Some(rank);
                previous = Some(status.to_owned());
                first = false;
                continue;
            }
            first = false;
            if previous.as_deref().is_some_and(|p| same(p, status)) {
                continue;
            }
            let Some(time) = crate::time::parse(&revision.commit.date) else { continue };
            out.moves.push(Move {
                time,
                day: local_day(time, zone),
                from: previous.replace(status.to_owned()),
                to: Some(status.to_owned()),
                commit: revision.commit.commit.clone(),
                rank,
            });
        }
        out
    }

    /// The rank of the item's latest configured status.
    pub fn current_rank(&self) -> Option<usize> {
        self.moves.iter().rev().find_map(|m| m.rank).or(self.cut_rank.flatten())
    }

    /// Whether the item ever moved to an earlier status.
    pub fn moved_backwards(&self) -> bool {
        let mut ranks = self.cut_rank.flatten().into_iter().chain(self.moves.iter().filter_map(|m| m.rank));
        let Some(mut previous) = ranks.next() else { return false };
        for rank in ranks {
            if rank < previous {
                return true;
            }
            previous = rank;
        }
        false
    }

    /// When the item entered the stage of status rank `threshold` under `policy`.
    pub fn entry(&self, threshold: usize, policy: Reopened) -> Entry<'_> {
        if self.current_rank().is_none_or(|rank| rank < threshold) {
            return Entry::Not;
        }
        // Ranks over time (unknown statuses keep the previous rank), starting at the cut if any.
        let cut = self.cut_rank.map(|r| r.unwrap_or(0));
        let mut below = cut.is_none_or(|r| r < threshold);
        let mut found: Option<&Move> = None;
        for m in &self.moves {
            let Some(rank) = m.rank else { continue };
            let at_or_past = rank >= threshold;
            if at_or_past && below {
                found = Some(m);
                if policy == Reopened::First {
                    break;
                }
            }
            below = !at_or_past;
        }
        match (found, cut, policy) {
            // Before the cut the item may have crossed already: the first crossing is unknown.
            (_, Some(_), Reopened::First) => Entry::Unknown,
            (Some(m), _, _) => Entry::Day { day: m.day, commit: &m.commit },
            (None, _, _) => Entry::Unknown,
        }
    }
}

/// The day an item entered a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'m> {
    Day {
        day: i64,
        commit: &'m str,
    },
    /// The item is at or past the stage, but the crossing lies before a shallow clone's cut.
    Unknown,
    /// The item is not at or past the stage now.
    Not,
}

impl Entry<'_> {
    pub fn day(self) -> Option<i64> {
        match self {
            Entry::Day { day, .. } => Some(day),
            _ => None,
        }
    }
}

/// The calendar day of an instant in `zone`.
pub fn local_day(unix_seconds: i64, zone: &Zone) -> i64 {
    (unix_seconds + zone.offset_at(unix_seconds)).div_euclid(86_400)
}

/// The rank thresholds of the flow boundaries: (start, done).
pub fn boundaries(config: &Config) -> (usize, usize) {
    let start = config.status_rank(config.flow_start()).unwrap_or(usize::MAX);
    let done = config.flow_done().iter().filter_map(|s| config.status_rank(s)).min().unwrap_or(config.statuses.len());
    (start.min(done), done)
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
