//! Dates as the history layer writes them (ISO-8601 UTC) and as users give them (RFC 3339).

/// Seconds since the Unix epoch of an RFC 3339 date-time (`2026-01-05T10:12:00Z`,
/// `2026-01-05T11:12:00+01:00`) or a plain date (`2026-01-05`, midnight UTC).
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(days * 86_400);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let clock = rest.get(..8)?;
    let mut hms = clock.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    let mut zone = &rest[8..];
    if let Some(fraction) = zone.strip_prefix('.') {
        zone = fraction.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.chars().next()? {
                '+' => 1,
                '-' => -1,
                _ => return None,
            };
            let (oh, om) = zone.get(1..)?.split_once(':')?;
            sign * (oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60)
        }
    };
    Some(days * 86_400 + h * 3600 + m * 60 + s - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whole days from `then` to `now` (both seconds since the epoch), never negative.
pub fn days_between(then: i64, now: i64) -> i64 {
    (now - then).max(0) / 86_400
}

/// The date part of an ISO-8601 date-time.
pub fn day(iso: &str) -> &str {
    iso.get(..10).unwrap_or(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_dates() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2026-01-05T10:12:00Z"), Some(1_767_607_920));
        assert_eq!(parse("2026-01-05T11:12:00+01:00"), Some(1_767_607_920));
        assert_eq!(parse("2026-01-05T10:12:00.250Z"), Some(1_767_607_920));
        assert_eq!(parse("2000-02-29"), Some(951_782_400));
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2026-13-01"), None);
    }

    #[test]
    fn counts_whole_days() {
        assert_eq!(days_between(0, 86_400 * 3 + 5), 3);
        assert_eq!(days_between(10, 0), 0);
    }
}
