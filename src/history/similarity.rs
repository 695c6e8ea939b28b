//! Rename detection with git's similarity estimate (diffcore-delta.c / diffcore-rename.c), so
//! that which add/delete pairs count as renames agrees with `git log --follow`: content is cut
//! into spans ending at a newline or after 64 bytes, spans are hashed, and the score is the
//! number of source bytes found again in the destination over the larger size.

use std::collections::HashMap;

const MAX_SCORE: u64 = 60_000;
/// git's default `-M` threshold (50%).
const MIN_SCORE: u64 = 30_000;
const HASHBASE: u32 = 107_927;
/// git's default `diff.renameLimit`; above limit² pairs only exact renames are detected.
const RENAME_LIMIT: usize = 1000;

/// Span hash counts of one blob, sorted by hash.
pub(crate) struct Spans {
    size: u64,
    counts: Vec<(u32, u64)>,
}

pub(crate) fn spans(data: &[u8]) -> Spans {
    let is_text = !data[..data.len().min(8000)].contains(&0);
    let mut map: HashMap<u32, u64> = HashMap::new();
    let (mut accum1, mut accum2, mut n) = (0u32, 0u32, 0u64);
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
        let h = accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE;
        *map.entry(h).or_default() += n;
        n = 0;
        accum1 = 0;
        accum2 = 0;
    }
    if n > 0 {
        let h = accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE;
        *map.entry(h).or_default() += n;
    }
    let mut counts: Vec<_> = map.into_iter().collect();
    counts.sort_unstable();
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
                copied += sc.min(dc);
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

/// Pair deleted paths (`srcs`) with added paths (`dsts`) like git's rename detection:
/// exact matches by blob id first (preferring equal file names), then the best similarity
/// scores ≥ 50%, each source used once. Returns `(src index, dst index)` pairs.
pub(crate) fn pair_renames<B: std::ops::Deref<Target = Vec<u8>>, E>(
    srcs: &[(&str, gix::ObjectId)],
    dsts: &[(&str, gix::ObjectId)],
    mut load: impl FnMut(&gix::ObjectId) -> Result<B, E>,
) -> Result<Vec<(usize, usize)>, E> {
    let mut pairs = Vec::new();
    let mut src_used = vec![false; srcs.len()];
    let mut dst_used = vec![false; dsts.len()];
    let basename = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();

    let mut by_id: HashMap<gix::ObjectId, Vec<usize>> = HashMap::new();
    for (i, (_, id)) in srcs.iter().enumerate() {
        by_id.entry(*id).or_default().push(i);
    }
    for (d, (dpath, id)) in dsts.iter().enumerate() {
        let Some(cands) = by_id.get(id) else { continue };
        let free: Vec<usize> = cands.iter().copied().filter(|&s| !src_used[s]).collect();
        let pick =
            free.iter().copied().find(|&s| basename(srcs[s].0) == basename(dpath)).or_else(|| free.first().copied());
        if let Some(s) = pick {
            src_used[s] = true;
            dst_used[d] = true;
            pairs.push((s, d));
        }
    }

    let rest_src: Vec<usize> = (0..srcs.len()).filter(|&s| !src_used[s]).collect();
    let rest_dst: Vec<usize> = (0..dsts.len()).filter(|&d| !dst_used[d]).collect();
    if rest_src.is_empty()
        || rest_dst.is_empty()
        || rest_src.len().saturating_mul(rest_dst.len()) > RENAME_LIMIT * RENAME_LIMIT
    {
        return Ok(pairs);
    }
    let mut src_spans = Vec::with_capacity(rest_src.len());
    for &s in &rest_src {
        src_spans.push(spans(&load(&srcs[s].1)?));
    }
    let mut scored: Vec<(u64, bool, usize, usize)> = Vec::new();
    for &d in &rest_dst {
        let dspans = spans(&load(&dsts[d].1)?);
        for (k, &s) in rest_src.iter().enumerate() {
            let sc = score(&src_spans[k], &dspans);
            if sc >= MIN_SCORE {
                scored.push((sc, basename(srcs[s].0) == basename(dsts[d].0), d, s));
            }
        }
    }
    // Best score first; on ties same file name first, then input order (stable sort).
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    for (_, _, d, s) in scored {
        if dst_used[d] || src_used[s] {
            continue;
        }
        dst_used[d] = true;
        src_used[s] = true;
        pairs.push((s, d));
    }
    Ok(pairs)
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
