//! Batch items: one map per day, week or month, its date window, its file; shards.

use jiff::ToSpan;
use jiff::civil::Date;

/// How items step through the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// One item per day.
    Day,
    /// One item per week (7 days from `--from`).
    Week,
    /// One item per calendar month.
    Month,
}

/// What each item's map shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// The item's own day, week or month.
    Period,
    /// The last N days up to the item's last day.
    Days(u32),
    /// Everything from `start` up to the item's last day.
    Cumulative(Date),
}

/// One map to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// 0-based position in the batch.
    pub index: usize,
    /// The date in file names (`{date}`): the item's first day.
    pub date: Date,
    /// Incidents overlapping this inclusive range are shown.
    pub window: (Date, Date),
    /// Output file.
    pub file: String,
}

/// Why a batch cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    /// `--to` before `--from`.
    #[error("--from {0} --to {1}: the range ends before it starts")]
    Reversed(Date, Date),
    /// More than 100 years.
    #[error("--from {0} --to {1}: more than 100 years; split the range")]
    TooLong(Date, Date),
    /// A pattern without `{{date}}` for several items.
    #[error("--out-pattern {0}: needs {{date}} (or {{n}}) when there is more than one item")]
    NoPlaceholder(String),
    /// A pattern that climbs out of its directory.
    #[error(
        "--out-pattern {0}: must not contain `..` (it would write outside the output directory)"
    )]
    Escapes(String),
    /// A pattern that is not a PNG path (maps) or a tile output (with `--tiles`).
    #[error(
        "--out-pattern {0}: expected a .png file name (or, with --tiles, a directory, .pmtiles or .mbtiles)"
    )]
    NotPng(String),
    /// A zero-day window.
    #[error("--window 0: expected at least 1 day")]
    ZeroWindow,
}

fn last_of(every: Every, d: Date) -> Date {
    match every {
        Every::Day => d,
        Every::Week => d.checked_add(6.days()).unwrap_or(Date::MAX),
        Every::Month => d.last_of_month(),
    }
}

/// The items from `from` to `to`, each written to `pattern` with `{date}` (YYYY-MM-DD) and
/// `{n}` (1-based, zero-padded) filled in.
pub fn items(
    from: Date,
    to: Date,
    every: Every,
    window: Window,
    pattern: &str,
) -> Result<Vec<Item>, ItemError> {
    items_of(from, to, every, window, pattern, false)
}

/// As [`items`]; with `tiles`, each item is a tile set (a directory, `.pmtiles` or
/// `.mbtiles`) instead of a PNG.
pub fn items_of(
    from: Date,
    to: Date,
    every: Every,
    window: Window,
    pattern: &str,
    tiles: bool,
) -> Result<Vec<Item>, ItemError> {
    if to < from {
        return Err(ItemError::Reversed(from, to));
    }
    if from.until(to).map_or(true, |span| span.get_days() > 36_525) {
        // `until` gives days for civil dates; beyond 100 years the batch is a mistake.
        return Err(ItemError::TooLong(from, to));
    }
    if std::path::Path::new(pattern)
        .components()
        .any(|c| c == std::path::Component::ParentDir)
    {
        return Err(ItemError::Escapes(pattern.to_string()));
    }
    let lower = pattern.to_ascii_lowercase();
    let ok = if tiles {
        crate::tiles::Format::from_path(std::path::Path::new(pattern)).is_ok()
    } else {
        lower.ends_with(".png")
    };
    if !ok {
        return Err(ItemError::NotPng(pattern.to_string()));
    }
    if window == Window::Days(0) {
        return Err(ItemError::ZeroWindow);
    }
    let mut starts = Vec::new();
    let mut d = match every {
        Every::Month => from.first_of_month(),
        _ => from,
    };
    while d <= to {
        starts.push(d);
        let next = match every {
            Every::Day => d.checked_add(1.day()),
            Every::Week => d.checked_add(7.days()),
            Every::Month => d.checked_add(1.month()),
        };
        match next {
            Ok(n) => d = n,
            Err(_) => break,
        }
    }
    if starts.len() > 1 && !pattern.contains("{date}") && !pattern.contains("{n}") {
        return Err(ItemError::NoPlaceholder(pattern.to_string()));
    }
    let width = starts.len().to_string().len();
    Ok(starts
        .into_iter()
        .enumerate()
        .map(|(index, start)| {
            let end = last_of(every, start);
            let window = match window {
                Window::Period => (start, end),
                Window::Days(n) => (
                    end.checked_sub(i64::from(n.saturating_sub(1)).days())
                        .unwrap_or(Date::MIN),
                    end,
                ),
                Window::Cumulative(first) => (first.min(start), end),
            };
            let file = pattern
                .replace("{date}", &start.to_string())
                .replace("{n}", &format!("{:0width$}", index + 1));
            Item {
                index,
                date: start,
                window,
                file,
            }
        })
        .collect())
}

/// Share `i` of `n` (0-based): every item whose index is `i` modulo `n`, so cheap and
/// costly days (cumulative maps grow) spread evenly over machines.
pub fn shard(items: &[Item], i: u32, n: u32) -> Vec<Item> {
    items
        .iter()
        .filter(|it| it.index % n.max(1) as usize == i as usize)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn days_weeks_months_and_windows() {
        let it = items(
            d("2025-10-01"),
            d("2025-10-31"),
            Every::Day,
            Window::Period,
            "o/{date}.png",
        )
        .unwrap();
        assert_eq!(it.len(), 31);
        assert_eq!(it[9].file, "o/2025-10-10.png");
        assert_eq!(it[9].window, (d("2025-10-10"), d("2025-10-10")));
        let wk = items(
            d("2025-10-01"),
            d("2025-10-31"),
            Every::Week,
            Window::Period,
            "w{n}.png",
        )
        .unwrap();
        assert_eq!(wk.len(), 5);
        assert_eq!(wk[0].window, (d("2025-10-01"), d("2025-10-07")));
        assert_eq!(wk[4].file, "w5.png");
        let mo = items(
            d("2025-10-15"),
            d("2026-01-02"),
            Every::Month,
            Window::Period,
            "{date}.png",
        )
        .unwrap();
        assert_eq!(mo.len(), 4);
        assert_eq!(mo[1].window, (d("2025-11-01"), d("2025-11-30")));
        let win = items(
            d("2025-10-10"),
            d("2025-10-11"),
            Every::Day,
            Window::Days(7),
            "{date}.png",
        )
        .unwrap();
        assert_eq!(win[0].window, (d("2025-10-04"), d("2025-10-10")));
        let cum = items(
            d("2025-10-10"),
            d("2025-10-11"),
            Every::Day,
            Window::Cumulative(d("2025-01-01")),
            "{date}.png",
        )
        .unwrap();
        assert_eq!(cum[1].window, (d("2025-01-01"), d("2025-10-11")));
    }

    #[test]
    fn bad_batches_are_refused() {
        let e = |f: &str, t: &str, p: &str| {
            items(d(f), d(t), Every::Day, Window::Period, p).unwrap_err()
        };
        assert_eq!(
            e("2025-10-02", "2025-10-01", "{date}.png"),
            ItemError::Reversed(d("2025-10-02"), d("2025-10-01"))
        );
        assert!(matches!(
            e("1900-01-01", "2025-01-01", "{date}.png"),
            ItemError::TooLong(..)
        ));
        assert!(matches!(
            e("2025-10-01", "2025-10-02", "out/map.png"),
            ItemError::NoPlaceholder(_)
        ));
        assert!(matches!(
            e("2025-10-01", "2025-10-02", "out/../../x/{date}.png"),
            ItemError::Escapes(_)
        ));
        assert!(matches!(
            e("2025-10-01", "2025-10-02", "out/{date}.jpg"),
            ItemError::NotPng(_)
        ));
        assert!(
            items(
                d("2025-10-01"),
                d("2025-10-01"),
                Every::Day,
                Window::Period,
                "out/map.png"
            )
            .is_ok()
        );
    }

    #[test]
    fn shards_partition_the_items() {
        let it = items(
            d("2025-10-01"),
            d("2025-10-31"),
            Every::Day,
            Window::Period,
            "{date}.png",
        )
        .unwrap();
        let mut all: Vec<usize> = (0..4)
            .flat_map(|i| shard(&it, i, 4))
            .map(|x| x.index)
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..31).collect::<Vec<_>>());
    }
}
