//! git's similarity estimate (diffcore-delta.c / diffcore-rename.c), so that which files count
//! as the source of a rename or copy agrees with `git log --follow`: content is cut into spans
//! ending at a newline or after 64 bytes, spans are hashed, and the score is the number of
//! source bytes found again in the destination over the larger size.

const MAX_SCORE: u64 = 60_000;
/// git's default `-M` threshold (50%).
pub(crate) const MIN_SCORE: u64 = 30_000;
/// Span hashes are below this.
pub(crate) const HASHBASE: u32 = 107_927;

/// Span hash counts of one blob, sorted by hash.
pub(crate) struct Spans {
    pub size: u64,
    /// `(hash, bytes)`; git counts in `unsigned int` too.
    pub counts: Vec<(u32, u32)>,
}

pub(crate) fn spans(data: &[u8]) -> Spans {
    let is_text = !data[..data.len().min(8000)].contains(&0);
    // (hash, bytes) per span, merged by hash below: items have a few dozen spans, for which
    // sorting a vector is cheaper than hashing into a map.
    let mut all: Vec<(u32, u32)> = Vec::with_capacity(data.len() / 32 + 1);
    let (mut accum1, mut accum2, mut n) = (0u32, 0u32, 0u32);
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        i += 1;
        if is_text && c == b'\r' && data.get(i) == Some(&b'\n') {
            continue;
        }
        let old1 = accum1;
        accum1 = (accum1 << 7) ^ (accum2 >> 25);
        accum2 = (accum2 << 7) ^ (old1 >> 25);
        accum1 = accum1.wrapping_add(u32::from(c));
        n += 1;
        if n < 64 && c != b'\n' {
            continue;
        }
        all.push((accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE, n));
        n = 0;
        accum1 = 0;
        accum2 = 0;
    }
    if n > 0 {
        all.push((accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE, n));
    }
    all.sort_unstable_by_key(|&(h, _)| h);
    let mut counts: Vec<(u32, u32)> = Vec::with_capacity(all.len());
    for (h, n) in all {
        match counts.last_mut() {
            Some((last, c)) if *last == h => *c = c.wrapping_add(n),
            _ => counts.push((h, n)),
        }
    }
    Spans { size: data.len() as u64, counts }
}

/// Score in 0..=MAX_SCORE, or 0 when the sizes alone rule out reaching the threshold.
pub(crate) fn score(src: &Spans, dst: &Spans) -> u64 {
    let max = src.size.max(dst.size);
    let base = src.size.min(dst.size);
    if max == 0 || max * (MAX_SCORE - MIN_SCORE) < (max - base) * MAX_SCORE {
        return 0;
    }
    let (mut i, mut j, mut copied) = (0, 0, 0u64);
    while i < src.counts.len() && j < dst.counts.len() {
        let (sh, sc) = src.counts[i];
        let (dh, dc) = dst.counts[j];
        match sh.cmp(&dh) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                copied += u64::from(sc.min(dc));
                i += 1;
                j += 1;
            }
        }
    }
    if dst.size == 0 {
        return 0;
    }
    copied * MAX_SCORE / max
}

/// git's `basename_same`: the file names (after the last '/') are equal.
pub(crate) fn same_file_name(a: &str, b: &str) -> bool {
    a.rsplit('/').next() == b.rsplit('/').next()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn identical_and_unrelated() {
        let a = spans(b"line one\nline two\nline three\n");
        let b = spans(b"line one\nline two\nline three\n");
        assert_eq!(score(&a, &b), MAX_SCORE);
        let c = spans(b"something\nentirely\ndifferent\n");
        assert!(score(&a, &c) < MIN_SCORE);
    }
}
