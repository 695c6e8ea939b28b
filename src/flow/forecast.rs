//! Monte Carlo forecasts from daily throughput, with a small seeded generator so that the same
//! seed gives the same forecast on every machine.

use serde::Serialize;

/// Trials per forecast.
pub const TRIALS: usize = 10_000;
/// The seed when `--seed` is not given.
pub const DEFAULT_SEED: u64 = 1;
/// A "when" forecast that needs longer than this many days is reported as out of reach.
const MAX_DAYS: usize = 3_660;

/// PCG-XSH-RR 32 (O'Neill, 2014) with a 64-bit state: tiny, fast and well studied.
pub struct Pcg32 {
    state: u64,
    increment: u64,
}

impl Pcg32 {
    const MULTIPLIER: u64 = 6_364_136_223_846_793_005;

    pub fn new(seed: u64) -> Pcg32 {
        let mut rng = Pcg32 { state: 0, increment: (0xda3e_39cb_94b9_5bdb << 1) | 1 };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed);
        rng.next_u32();
        rng
    }

    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(Self::MULTIPLIER).wrapping_add(self.increment);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rotation = (old >> 59) as u32;
        xorshifted.rotate_right(rotation)
    }

    /// Uniform in `0..n` (`n` > 0), without modulo bias (Lemire's multiply-and-reject).
    pub fn below(&mut self, n: u32) -> u32 {
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u64::from(self.next_u32()) * u64::from(n);
            if (product as u32) >= threshold {
                return (product >> 32) as u32;
            }
        }
    }
}

/// Percentiles of a forecast: for `how_many`, the number of items done at least in that share
/// of the trials; for `when`, the day by which that share of the trials had finished.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Levels {
    pub p50: Option<i64>,
    pub p70: Option<i64>,
    pub p85: Option<i64>,
    pub p95: Option<i64>,
}

pub const LEVELS: [u32; 4] = [50, 70, 85, 95];

/// How many items finish within `days` days: one total per trial, summing `days` daily
/// throughputs drawn uniformly from `samples`.
pub fn how_many(samples: &[u32], days: usize, rng: &mut Pcg32) -> Levels {
    let Ok(n) = u32::try_from(samples.len()) else { return empty() };
    if n == 0 {
        return empty();
    }
    let mut totals: Vec<i64> =
        (0..TRIALS).map(|_| (0..days).map(|_| i64::from(samples[rng.below(n) as usize])).sum()).collect();
    totals.sort_unstable();
    // "At least X in 85 % of the trials": the value at the 15th percentile from the bottom.
    let at = |level: u32| Some(nearest_rank(&totals, 100 - level));
    Levels { p50: at(50), p70: at(70), p85: at(85), p95: at(95) }
}

/// How many days until `items` more items are done; `None` at a level when more than that
/// share of the trials needed longer than ten years (or nothing was ever done).
pub fn when(samples: &[u32], items: u64, rng: &mut Pcg32) -> Levels {
    let Ok(n) = u32::try_from(samples.len()) else { return empty() };
    if n == 0 || samples.iter().all(|&s| s == 0) {
        return empty();
    }
    let mut days: Vec<Option<i64>> = (0..TRIALS)
        .map(|_| {
            let mut done = 0u64;
            for day in 1..=MAX_DAYS {
                done += u64::from(samples[rng.below(n) as usize]);
                if done >= items {
                    return Some(day as i64);
                }
            }
            None
        })
        .collect();
    // `None` (out of reach) sorts last.
    days.sort_unstable_by_key(|d| d.unwrap_or(i64::MAX));
    let at = |level: u32| {
        let rank = rank_index(days.len(), level);
        days[rank]
    };
    Levels { p50: at(50), p70: at(70), p85: at(85), p95: at(95) }
}

fn empty() -> Levels {
    Levels { p50: None, p70: None, p85: None, p95: None }
}

/// Nearest-rank percentile of sorted values: the smallest value with at least `level` % of the
/// values at or below it (`level` 0 gives the smallest).
pub fn nearest_rank(sorted: &[i64], level: u32) -> i64 {
    sorted.get(rank_index(sorted.len(), level)).copied().unwrap_or(0)
}

/// 0-based index of the nearest-rank percentile: ceil(level / 100 × n) − 1, at least 0.
pub fn rank_index(n: usize, level: u32) -> usize {
    let rank = (level as usize * n).div_ceil(100);
    rank.saturating_sub(1).min(n.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_numbers() {
        let (mut a, mut b) = (Pcg32::new(7), Pcg32::new(7));
        let first: Vec<u32> = (0..100).map(|_| a.below(10)).collect();
        assert_eq!(first, (0..100).map(|_| b.below(10)).collect::<Vec<_>>());
        assert!(first.iter().all(|&x| x < 10));
        assert_ne!(first, (0..100).map(|_| Pcg32::new(8).below(10)).collect::<Vec<_>>());
    }

    #[test]
    fn draws_are_roughly_uniform() {
        let mut rng = Pcg32::new(1);
        let mut counts = [0u32; 4];
        for _ in 0..40_000 {
            counts[rng.below(4) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(nearest_rank(&values, 50), 5);
        assert_eq!(nearest_rank(&values, 85), 9);
        assert_eq!(nearest_rank(&values, 95), 10);
        assert_eq!(nearest_rank(&[4], 95), 4);
    }

    #[test]
    fn constant_throughput_forecasts_exactly() {
        let mut rng = Pcg32::new(3);
        let by = how_many(&[2, 2, 2], 10, &mut rng);
        assert_eq!(by, Levels { p50: Some(20), p70: Some(20), p85: Some(20), p95: Some(20) });
        let when = when(&[2], 5, &mut rng);
        assert_eq!(when.p95, Some(3));
        assert_eq!(super::when(&[0, 0], 5, &mut rng).p50, None);
    }
}
