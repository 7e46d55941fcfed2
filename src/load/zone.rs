//! Time zones of incident times: an IANA name from jiff's bundled database (the same on every
//! machine, whatever its `/usr/share/zoneinfo`) or a UTC offset within ±14:00.

use jiff::tz::{Offset, TimeZone};

/// The largest UTC offset in use anywhere (Kiribati, +14:00); −12:00 is the smallest.
const MAX_OFFSET_SECONDS: i32 = 14 * 3600;

/// Reads a time zone: `Asia/Kabul`, `UTC`, `+04:30`, `-0330`, `UTC+5`. The message says what
/// was expected.
pub fn parse(s: &str) -> Result<TimeZone, String> {
    let t = s.trim();
    if t.starts_with(['+', '-']) || (t.starts_with("UTC") && t.len() > 3) {
        return offset(t).map(TimeZone::fixed);
    }
    TimeZone::get(t).map_err(|_| {
        format!(
            "\"{s}\" is not a time zone: expected an IANA name such as Asia/Kabul or Asia/Karachi, or a UTC offset such as +04:30"
        )
    })
}

/// A UTC offset written `+05:00`, `-0330`, `+5` or `UTC+5`, within ±14:00.
fn offset(s: &str) -> Result<Offset, String> {
    let bad = || format!("\"{s}\" is not a UTC offset: expected ±HH:MM, such as +04:30");
    let rest = s.strip_prefix("UTC").unwrap_or(s);
    let (sign, rest) = match rest.as_bytes().first() {
        Some(b'+') => (1, &rest[1..]),
        Some(b'-') => (-1, &rest[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) if h.len() <= 2 && m.len() == 2 => (h, m),
        Some(_) => return Err(bad()),
        None if rest.len() <= 2 => (rest, "0"),
        None if rest.len() == 4 => rest.split_at(2),
        None => return Err(bad()),
    };
    let digits = |v: &str| {
        (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<i32>().ok())
            .flatten()
    };
    let (Some(h), Some(m)) = (digits(h), digits(m)) else {
        return Err(bad());
    };
    if m >= 60 {
        return Err(bad());
    }
    let seconds = sign * (h * 3600 + m * 60);
    if !(-12 * 3600..=MAX_OFFSET_SECONDS).contains(&seconds) {
        return Err(format!(
            "\"{s}\" is outside the offsets in use on Earth (−12:00 to +14:00)"
        ));
    }
    Offset::from_seconds(seconds).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Asia/Kabul", 16200)]
    #[case("Asia/Karachi", 18000)]
    #[case("UTC", 0)]
    #[case("+04:30", 16200)]
    #[case("-0330", -12600)]
    #[case("+5", 18000)]
    #[case("UTC+5", 18000)]
    #[case("+14:00", 50400)]
    fn accepted(#[case] zone: &str, #[case] seconds: i32) {
        let tz = parse(zone).unwrap();
        let at = jiff::civil::date(2025, 10, 11)
            .at(22, 0, 0, 0)
            .to_zoned(tz)
            .unwrap();
        assert_eq!(at.offset().seconds(), seconds, "{zone}");
    }

    #[rstest]
    #[case("Mars/Olympus", "is not a time zone")]
    #[case("+99:00", "outside the offsets in use")]
    #[case("+14:30", "outside the offsets in use")]
    #[case("-13:00", "outside the offsets in use")]
    #[case("+04:75", "is not a UTC offset")]
    #[case("+4:3", "is not a UTC offset")]
    #[case("+abc", "is not a UTC offset")]
    fn refused(#[case] zone: &str, #[case] message: &str) {
        let e = parse(zone).unwrap_err();
        assert!(e.contains(message), "{zone}: {e}");
    }
}
