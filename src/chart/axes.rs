//! The chart's two axes: km along the border (x) and date (y, later days lower), with
//! tick steps that adapt from days to years.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::projection::PxRect;

/// Maps km and dates to pixels inside the plot rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axes {
    /// The plot area.
    pub plot: PxRect,
    /// km at the left and right edges.
    pub km: (f64, f64),
    /// First and last day shown (inclusive).
    pub dates: (Date, Date),
}

/// Days from `a` to `b` (negative before).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map_or(0, |s| i64::from(s.get_days()))
}

impl Axes {
    /// Days shown.
    pub fn days(&self) -> i64 {
        days_between(self.dates.0, self.dates.1) + 1
    }

    /// The x of a km.
    pub fn x(&self, km: f64) -> f32 {
        let (a, b) = self.km;
        self.plot.x + ((km - a) / (b - a).max(1e-9)) as f32 * self.plot.w
    }

    /// The y of the middle of a day's slot.
    pub fn y(&self, d: Date) -> f32 {
        self.y_at(days_between(self.dates.0, d) as f64 + 0.5)
    }

    /// The y of the top of a day's slot.
    pub fn y_top(&self, d: Date) -> f32 {
        self.y_at(days_between(self.dates.0, d) as f64)
    }

    fn y_at(&self, days: f64) -> f32 {
        self.plot.y + (days / self.days() as f64) as f32 * self.plot.h
    }

    /// km ticks: a round step giving at least `min_px` between ticks.
    pub fn km_ticks(&self, min_px: f32) -> Vec<f64> {
        let span = self.km.1 - self.km.0;
        let step = [
            1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0, 2000.0,
        ]
        .into_iter()
        .find(|s| (s / span.max(1e-9)) as f32 * self.plot.w >= min_px)
        .unwrap_or(5000.0);
        let mut out = Vec::new();
        let mut k = (self.km.0 / step).ceil() * step;
        while k <= self.km.1 + 1e-9 {
            out.push(k);
            k += step;
        }
        out
    }

    /// Date ticks with their labels: days, weeks, months, quarters or years, whichever
    /// first leaves at least `min_px` between ticks.
    pub fn date_ticks(&self, min_px: f32) -> Vec<(Date, String)> {
        let px_per_day = self.plot.h / self.days() as f32;
        let (a, b) = self.dates;
        let month = |d: Date| crate::words::month_abbr(d.month());
        let mut out = Vec::new();
        if px_per_day >= min_px {
            let mut d = a;
            while d <= b {
                out.push((d, format!("{} {} {}", d.day(), month(d), d.year())));
                d = d.checked_add(1.day()).unwrap_or(Date::MAX);
                if d == Date::MAX {
                    break;
                }
            }
        } else if px_per_day * 7.0 >= min_px {
            // Mondays.
            let mut d = a;
            while d.weekday() != jiff::civil::Weekday::Monday {
                d = d.checked_add(1.day()).unwrap_or(Date::MAX);
            }
            while d <= b {
                out.push((d, format!("{} {} {}", d.day(), month(d), d.year())));
                d = d.checked_add(7.days()).unwrap_or(Date::MAX);
                if d == Date::MAX {
                    break;
                }
            }
        } else {
            let months = [1i64, 3, 6, 12, 24, 60]
                .into_iter()
                .find(|m| px_per_day * 30.4 * (*m as f32) >= min_px)
                .unwrap_or(120);
            let mut d = a.first_of_month();
            if d < a {
                d = d.checked_add(1.month()).unwrap_or(Date::MAX);
            }
            while d <= b {
                let aligned = (i64::from(d.month()) - 1) % months.min(12) == 0
                    && (months < 12 || i64::from(d.year()) % (months / 12) == 0);
                if aligned {
                    let label = if months >= 12 {
                        d.year().to_string()
                    } else {
                        format!("{} {}", month(d), d.year())
                    };
                    out.push((d, label));
                }
                d = d.checked_add(1.month()).unwrap_or(Date::MAX);
                if d == Date::MAX {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axes(a: &str, b: &str) -> Axes {
        Axes {
            plot: PxRect::new(100.0, 100.0, 1000.0, 600.0),
            km: (0.0, 2761.5),
            dates: (a.parse().unwrap(), b.parse().unwrap()),
        }
    }

    #[test]
    fn ticks_adapt_from_days_to_years() {
        let days = axes("2025-10-09", "2025-10-12").date_ticks(30.0);
        assert_eq!(days.len(), 4);
        assert_eq!(days[0].1, "9 Oct 2025");
        let months = axes("2025-01-01", "2025-12-31").date_ticks(40.0);
        assert!(months.iter().all(|(d, _)| d.day() == 1), "{months:?}");
        let years = axes("2018-01-01", "2025-12-31").date_ticks(40.0);
        assert!(years.iter().all(|(_, l)| l.len() == 4), "{years:?}");
        assert!(years.len() >= 4 && years.len() <= 8, "{years:?}");
    }

    #[test]
    fn positions_are_linear_in_km_and_days() {
        let a = axes("2025-10-01", "2025-10-10");
        assert!((a.x(0.0) - 100.0).abs() < 1e-3);
        assert!((a.x(2761.5) - 1100.0).abs() < 1e-3);
        assert!((a.y("2025-10-01".parse().unwrap()) - 130.0).abs() < 1e-3);
        assert!((a.y("2025-10-10".parse().unwrap()) - 670.0).abs() < 1e-3);
        assert_eq!(a.km_ticks(60.0)[1], 200.0);
    }
}
