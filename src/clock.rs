//! The one clock and calendar: Unix time now (read only by the front ends; the core takes times
//! as parameters) and UTC dates for reports and screens, through `jiff`.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Unix time now, in seconds.
pub fn now_unix() -> i64 {
    Timestamp::now().as_second()
}

/// The UTC date and time of a Unix time (clamped to jiff's range, years -9999 to 9999).
fn civil(unix: i64) -> DateTime {
    let ts = Timestamp::from_second(unix).unwrap_or(if unix < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    TimeZone::UTC.to_datetime(ts)
}

/// `2026-11-25T18:27:13Z`.
pub fn iso8601(unix: i64) -> String {
    let mut o = String::with_capacity(20);
    write_civil(&mut o, unix, 'T');
    o.push('Z');
    o
}

/// `2026-11-25 18:27:13` (UTC; a form Excel reads as a date and time).
pub fn date_time(unix: i64) -> String {
    let mut o = String::with_capacity(19);
    write_date_time(&mut o, unix);
    o
}

/// Appends [`date_time`] to `out` (no allocation per call: CSV rows).
pub fn write_date_time(out: &mut String, unix: i64) {
    write_civil(out, unix, ' ');
}

/// Appends `YYYY-MM-DD`, `sep`, `hh:mm:ss`.
fn write_civil(out: &mut String, unix: i64, sep: char) {
    let t = civil(unix);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
}

/// `2026-11-25`.
pub fn date(unix: i64) -> String {
    let t = civil(unix);
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// Parses `YYYY-MM-DD` (midnight UTC) to Unix seconds; `None` for anything else, 2026-02-30
/// included.
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    // Exactly the form asked for: jiff would also take other ISO 8601 spellings.
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date: Date = s.parse().ok()?;
    let ts = date.to_zoned(TimeZone::UTC).ok()?.timestamp();
    Some(ts.as_second())
}

/// An ISO 8601 duration: `PT1H2M3S`, `PT45S`, `PT0S`. Negative spans count as zero.
pub fn iso_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut o = String::from("PT");
    if h > 0 {
        let _ = write!(o, "{h}H");
    }
    if m > 0 {
        let _ = write!(o, "{m}M");
    }
    if s > 0 || (h == 0 && m == 0) {
        let _ = write!(o, "{s}S");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_764_095_233), "2025-11-25T18:27:13Z");
        assert_eq!(date_time(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_date(" 2026-11-18 "), Some(1_794_960_000));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-1-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(date(1_795_000_000), "2026-11-18");
    }

    #[test]
    fn out_of_range_times_are_clamped_not_a_panic() {
        assert!(date(i64::MAX).starts_with("9999-12-"), "{}", date(i64::MAX));
        assert!(date(i64::MIN).contains("9999-01-0"), "{}", date(i64::MIN));
    }

    #[test]
    fn durations() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(45), "PT45S");
        assert_eq!(iso_duration(3723), "PT1H2M3S");
        assert_eq!(iso_duration(3600), "PT1H");
        assert_eq!(iso_duration(-5), "PT0S");
    }
}
