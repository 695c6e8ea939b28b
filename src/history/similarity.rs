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
    let mut rest = data;
    while !rest.is_empty() {
        let (mut line, newline) = match memchr::memchr(b'\n', rest) {
            Some(nl) => (&rest[..nl], true),
            None => (rest, false),
        };
        rest = &rest[line.len() + usize::from(newline)..];
        // In text, git leaves out a carriage return before a newline.
        if newline && is_text {
            line = line.strip_suffix(b"\r").unwrap_or(line);
        }
        let mut chunks = line.chunks_exact(SPAN);
        for chunk in &mut chunks {
            all.push((span_hash(accumulate(0, chunk)), SPAN as u32));
        }
        let tail = chunks.remainder();
        match (tail.is_empty(), newline) {
            (_, true) => all.push((span_hash(accumulate(accumulate(0, tail), b"\n")), tail.len() as u32 + 1)),
            (false, false) => all.push((span_hash(accumulate(0, tail)), tail.len() as u32)),
            (true, false) => {}
        }
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

/// Longest span: a span ends after a newline or after this many bytes.
const SPAN: usize = 64;

/// diffcore-delta.c's two 32-bit accumulators as one 64-bit value (`accum1` high, `accum2`
/// low): each byte shifts both by 7 bits, passing the top bits of each into the other — a
/// rotation — and adds the byte to `accum1`.
fn accumulate(mut acc: u64, bytes: &[u8]) -> u64 {
    for &c in bytes {
        acc = acc.rotate_left(7).wrapping_add(u64::from(c) << 32);
    }
    acc
}

fn span_hash(acc: u64) -> u32 {
    let (accum1, accum2) = ((acc >> 32) as u32, acc as u32);
    accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE
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
    let b = b.as_bytes();
    let b = b.iter().rposition(|&c| c == b'/').map_or(b, |i| &b[i + 1..]);
    let a = a.as_bytes();
    a.ends_with(b) && (a.len() == b.len() || a[a.len() - b.len() - 1] == b'/')
}

#[cfg(test)]
mod unit {
    use super::*;

    /// diffcore-delta.c `hash_chars`, byte by byte as git writes it.
    fn git_spans(data: &[u8]) -> Vec<(u32, u32)> {
        let is_text = !data[..data.len().min(8000)].contains(&0);
        let mut map = std::collections::BTreeMap::<u32, u32>::new();
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
            *map.entry(accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE).or_default() += n;
            (n, accum1, accum2) = (0, 0, 0);
        }
        if n > 0 {
            *map.entry(accum1.wrapping_add(accum2.wrapping_mul(0x61)) % HASHBASE).or_default() += n;
        }
        map.into_iter().collect()
    }

    #[test]
    fn spans_are_git_spans() {
        let mut cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\n\n\r\n\r\r\n\r".to_vec(),
            b"no newline at the end".to_vec(),
            [b'x'; 64].to_vec(),
            [[b'y'; 64].as_slice(), b"\n", &[b'z'; 130], b"\r\n"].concat(),
            b"binary\0with\r\nnul".to_vec(),
        ];
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in [1, 7, 63, 64, 65, 200, 1000, 5000] {
            let alphabet = b"ab\r\n \xff";
            cases.push(
                (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        alphabet[(x % alphabet.len() as u64) as usize]
                    })
                    .collect(),
            );
        }
        for case in cases {
            assert_eq!(spans(&case).counts, git_spans(&case), "{:?}", String::from_utf8_lossy(&case));
        }
    }

    #[test]
    fn file_names() {
        assert!(same_file_name("backlog/a/PB-1.md", "backlog/b/PB-1.md"));
        assert!(same_file_name("PB-1.md", "backlog/PB-1.md"));
        assert!(!same_file_name("backlog/XPB-1.md", "backlog/PB-1.md"));
        assert!(!same_file_name("backlog/PB-1.md", "backlog/PB-1.mdx"));
    }

    #[test]
    fn identical_and_unrelated() {
        let a = spans(b"line one\nline two\nline three\n");
        let b = spans(b"line one\nline two\nline three\n");
        assert_eq!(score(&a, &b), MAX_SCORE);
        let c = spans(b"something\nentirely\ndifferent\n");
        assert!(score(&a, &c) < MIN_SCORE);
    }
}
