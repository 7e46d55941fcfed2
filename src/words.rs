//! How records are written in words on maps: headlines, dates, contested figures.

use jiff::civil::Date;

use crate::model::{Incident, Post};

/// The incident's headline: its title, else its kind in words.
pub fn incident_title(i: &Incident) -> String {
    i.title.clone().unwrap_or_else(|| {
        let mut k = i.kind.replace('_', " ");
        if let Some(first) = k.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        k
    })
}

/// The named place of an incident: its `place` property, ACLED's `location`, or its post's
/// name.
pub fn place_name(i: &Incident, data: &crate::dataset::Dataset) -> Option<String> {
    i.properties
        .get_str("place")
        .or_else(|| i.properties.get_str("location"))
        .filter(|p| !p.trim().is_empty())
        .or_else(|| match &i.location {
            crate::model::Location::Post { post_id } => {
                data.post(post_id).map(|(p, _)| p.name.clone())
            }
            _ => None,
        })
}

/// "9 Oct 2025" or "11–12 Oct 2025".
pub fn short_date(i: &Incident) -> String {
    let d = |d: Date| format!("{} {}", d.day(), month_abbr(d.month()));
    // A date known only to a week, month or year is written as such, not as a day.
    match i.date_precision {
        crate::model::DatePrecision::Month => {
            return format!(
                "{} {} (day not known)",
                month_abbr(i.date.month()),
                i.date.year()
            );
        }
        crate::model::DatePrecision::Year => return format!("{} (day not known)", i.date.year()),
        crate::model::DatePrecision::Week => {
            return format!("week of {} {}", d(i.date), i.date.year());
        }
        crate::model::DatePrecision::Day => {}
    }
    match i.end_date {
        Some(e) if e != i.date && e.month() == i.date.month() => {
            format!("{}–{} {}", i.date.day(), e.day(), month_abbr(e.month()))
                + &format!(" {}", e.year())
        }
        Some(e) if e != i.date => format!("{} – {} {}", d(i.date), d(e), e.year()),
        _ => format!("{} {}", d(i.date), i.date.year()),
    }
}

/// English month abbreviation.
pub fn month_abbr(m: i8) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m.clamp(1, 12) - 1) as usize]
}

/// "9 October 2025".
pub fn long_date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[(d.month().clamp(1, 12) - 1) as usize],
        d.year()
    )
}

/// "9 October 2025", "9–12 October 2025" or "30 September 2025 – 2 October 2025".
pub fn range_text(a: Date, b: Date) -> String {
    if a == b {
        long_date(a)
    } else if a.year() == b.year() && a.month() == b.month() {
        format!("{}–{}", a.day(), long_date(b))
    } else {
        format!("{} – {}", long_date(a), long_date(b))
    }
}

/// Groups figures by (party, measure) across claims: "58 (Taliban spokesman) · 23 (ISPR)".
pub fn contested_lines(inc: &Incident) -> Vec<String> {
    let mut keys: Vec<(compact_str::CompactString, compact_str::CompactString)> = Vec::new();
    for c in &inc.claims {
        for f in &c.figures {
            let k = (f.party.clone(), f.measure.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    // Rows about the same measure from different parties stay separate: never merged.
    keys.iter()
        .map(|(party, measure)| {
            let values: Vec<String> = inc
                .claims
                .iter()
                .flat_map(|c| {
                    c.figures
                        .iter()
                        .filter(|f| f.party == *party && f.measure == *measure)
                        .map(move |f| {
                            // ACLED writes 0 where no fatality was reported.
                            let v = if c.claimant == "ACLED"
                                && f.low == Some(0.0)
                                && f.high == Some(0.0)
                            {
                                "none reported".to_string()
                            } else {
                                f.value_text()
                            };
                            format!("{v} ({})", c.label_name())
                        })
                })
                .collect();
            let mut what = measure.replace('_', " ");
            if let Some(f) = what.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            format!("{what}, {party}: {}", values.join(" · "))
        })
        .collect()
}

/// A post's name in Arabic script (Pashto, Dari, Urdu), from its `alt_names`.
pub fn local_name(post: &Post) -> Option<&str> {
    post.properties
        .get("alt_names")
        .and_then(|v| v.as_array())
        .and_then(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .find(|s| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
        })
}
