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

/// ISO-8601 UTC (`2026-01-05T10:12:00Z`) of seconds since the epoch.
pub fn iso_utc(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}Z", format_day(secs.div_euclid(86_400)), rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Days since 1970-01-01 of a plain date `YYYY-MM-DD` (a real calendar date).
pub fn parse_day(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() != 10 {
        return None;
    }
    let day = parse(text)?.div_euclid(86_400);
    // `parse` accepts 2026-02-31; only dates that round-trip are real.
    (format_day(day) == text).then_some(day)
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Year, month and day of a day number (proleptic Gregorian).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The ISO 8601 week of a day number, written `2026-W10` (weeks start on Monday; week 1 holds
/// the year's first Thursday).
pub fn iso_week(day: i64) -> String {
    let (year, week) = iso_year_week(day);
    format!("{year:04}-W{week:02}")
}

/// ISO week-numbering year and week of a day number.
pub fn iso_year_week(day: i64) -> (i64, i64) {
    // 1970-01-01 was a Thursday; Monday = 0.
    let weekday = (day + 3).rem_euclid(7);
    let thursday = day - weekday + 3;
    let (year, _, _) = civil_from_days(thursday);
    let first = days_from_civil(year, 1, 1);
    (year, (thursday - first) / 7 + 1)
}

/// The Monday of the ISO week holding a day number.
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
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
    fn iso_weeks_across_year_boundaries() {
        let day = |t: &str| parse_day(t).expect("date");
        assert_eq!(iso_week(day("2026-03-09")), "2026-W11");
        assert_eq!(iso_week(day("2025-12-29")), "2026-W01", "Monday of the week holding 2026-01-01");
        assert_eq!(iso_week(day("2027-01-03")), "2026-W53", "2026 has 53 weeks");
        assert_eq!(iso_week(day("2021-01-03")), "2020-W53");
        assert_eq!(iso_week(day("2021-01-04")), "2021-W01");
        assert_eq!(format_day(week_start(day("2026-01-01"))), "2025-12-29");
        assert_eq!(parse_day("2026-02-31"), None);
        assert_eq!(format_day(day("2000-02-29")), "2000-02-29");
    }

    #[test]
    fn counts_whole_days() {
        assert_eq!(days_between(0, 86_400 * 3 + 5), 3);
        assert_eq!(days_between(10, 0), 0);
    }
}
