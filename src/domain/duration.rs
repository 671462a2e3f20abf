//! Workshop durations in whole minutes, parsed from the ways trainers write them.

use crate::bail_user;
use crate::domain::money::group_thousands;
use anyhow::Result;
use std::fmt;

/// Longest session accepted: beyond a long training day, a duration is a typo.
pub const MAX_MINUTES: u32 = 12 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Minutes(pub u32);

impl Minutes {
    /// Accepts `3h`, `2h30`, `2h30min`, `1 h 30`, `90min`, `90 min`, `2,5h`, `3 heures`,
    /// `1,5` or `1.5` (hours), `3` (hours), and a span of clock times `14h-17h`,
    /// `9h30-12h`, `14:00-17:30`.
    pub fn parse(input: &str) -> Result<Minutes> {
        let s: String = input
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let s = s
            .replace("heures", "h")
            .replace("heure", "h")
            .replace("minutes", "min")
            .replace("minute", "min");
        let hint = "écrivez par exemple 3h, 2h30, 90min, 1,5 (heures) ou 14h-17h";
        let minutes = if let Some((start, end)) = s.split_once('-').or_else(|| s.split_once('à')) {
            let (Some(start), Some(end)) = (clock(start), clock(end)) else {
                bail_user!("durée « {input} » illisible : {hint}");
            };
            if end <= start {
                bail_user!(
                    "durée « {input} » : la fin ({}) n'est pas après le début ({}) ; écrivez l'horaire de début puis celui de fin, par exemple 14h-17h",
                    clock_fr(end),
                    clock_fr(start)
                );
            }
            Some(f64::from(end - start))
        } else if let Some((h, m)) = s.split_once('h') {
            let m = m.strip_suffix("min").unwrap_or(m);
            match (parse_whole(h), m) {
                (Some(h), "") => Some(h as f64 * 60.0),
                (Some(h), m) => parse_whole(m)
                    .filter(|m| *m < 60)
                    .map(|m| (h * 60 + m) as f64),
                (None, "") => parse_hours(h).map(|h| h * 60.0),
                _ => None,
            }
        } else if let Some(m) = s.strip_suffix("min").or_else(|| s.strip_suffix("mn")) {
            parse_whole(m).map(|m| m as f64)
        } else {
            parse_hours(&s).map(|h| h * 60.0)
        };
        let Some(minutes) = minutes else {
            bail_user!("durée « {input} » illisible : {hint}");
        };
        if minutes.fract() != 0.0 {
            bail_user!("durée « {input} » : pas en minutes entières ; {hint}");
        }
        let minutes = minutes as u32;
        if minutes == 0 {
            bail_user!("durée « {input} » nulle : une session dure au moins une minute");
        }
        if minutes > MAX_MINUTES {
            bail_user!(
                "durée « {input} » supérieure à 12 h : saisissez chaque journée comme une session"
            );
        }
        Ok(Minutes(minutes))
    }

    pub fn hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }
}

/// A clock time `14h`, `9h30`, `14:30`, `14` in minutes after midnight.
fn clock(s: &str) -> Option<u32> {
    let (h, m) = s
        .split_once('h')
        .or_else(|| s.split_once(':'))
        .unwrap_or((s, ""));
    let h = parse_whole(h).filter(|h| *h <= 24)?;
    let m = if m.is_empty() {
        0
    } else {
        parse_whole(m).filter(|m| *m < 60)?
    };
    Some(h * 60 + m).filter(|t| *t <= 24 * 60)
}

/// `14 h`, `9 h 30`.
fn clock_fr(t: u32) -> String {
    match t % 60 {
        0 => format!("{} h", t / 60),
        m => format!("{} h {m:02}", t / 60),
    }
}

fn parse_whole(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) || s.len() > 5 {
        return None;
    }
    s.parse().ok()
}

fn parse_hours(s: &str) -> Option<f64> {
    let s = s.replace(',', ".");
    let (units, decimals) = s.split_once('.').unwrap_or((&s, ""));
    parse_whole(units)?;
    if !decimals.chars().all(|c| c.is_ascii_digit()) || decimals.len() > 2 {
        return None;
    }
    s.parse().ok()
}

/// `3 h`, `2 h 30`, `45 min`.
impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0 / 60, self.0 % 60) {
            (0, m) => write!(f, "{m} min"),
            (h, 0) => write!(f, "{h} h"),
            (h, m) => write!(f, "{h} h {m:02}"),
        }
    }
}

/// Hours as a figure, in French: `1 143`, `2,5`, `4 925,5` — whole hours print
/// without decimals.
pub fn hours_fr(minutes: i64) -> String {
    let plain = hours_plain(minutes);
    let (whole, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let sign = if whole.starts_with('-') { "-" } else { "" };
    let grouped = group_thousands(whole.trim_start_matches('-').parse().unwrap_or(0));
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// Hours as a plain number with a dot: `1143`, `2.5`, `0.75`, for CSV and JSON.
pub fn hours_plain(minutes: i64) -> String {
    if minutes % 60 == 0 {
        return (minutes / 60).to_string();
    }
    let s = format!("{:.2}", minutes as f64 / 60.0);
    s.trim_end_matches('0').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_trainer_durations() {
        for (input, minutes) in [
            ("3h", 180),
            ("3 h", 180),
            ("2h30", 150),
            ("2h30min", 150),
            ("2H05", 125),
            ("90min", 90),
            ("90 min", 90),
            ("45mn", 45),
            ("1,5", 90),
            ("1.5", 90),
            ("0,25", 15),
            ("3", 180),
            ("12h", 720),
            ("2,5h", 150),
            ("2.5 h", 150),
            ("3 heures", 180),
            ("1 heure", 60),
            ("1 h 30", 90),
            ("1 heure 30", 90),
            ("45 minutes", 45),
            ("14h-17h", 180),
            ("9h30-12h", 150),
            ("9h30 - 12h15", 165),
            ("14:00-17:30", 210),
            ("14h à 16h", 120),
            ("14-17", 180),
        ] {
            assert_eq!(Minutes::parse(input).unwrap(), Minutes(minutes), "{input}");
        }
    }

    #[test]
    fn refuses_bad_durations() {
        for input in [
            "",
            "0",
            "0h",
            "12h01",
            "13h",
            "800min",
            "2h75",
            "h30",
            "trois heures",
            "-1",
            "1,333",
            "17h-14h",
            "14h-14h",
            "9h-25h",
            "8h-21h",
            "14h-",
            "2,5h30",
        ] {
            assert!(Minutes::parse(input).is_err(), "{input}");
        }
        let err = Minutes::parse("17h-14h").unwrap_err().to_string();
        assert!(
            err.contains("« 17h-14h »")
                && err.contains("la fin (14 h) n'est pas après le début (17 h)"),
            "{err}"
        );
    }

    #[test]
    fn writes_hours() {
        assert_eq!(Minutes(150).to_string(), "2 h 30");
        assert_eq!(Minutes(180).to_string(), "3 h");
        assert_eq!(Minutes(45).to_string(), "45 min");
        assert_eq!(hours_plain(68_580), "1143");
        assert_eq!(hours_plain(150), "2.5");
        assert_eq!(hours_plain(45), "0.75");
        assert_eq!(hours_plain(20), "0.33");
        assert_eq!(hours_fr(150), "2,5");
        assert_eq!(hours_fr(68_580), "1\u{a0}143");
        assert_eq!(hours_fr(295_530), "4\u{a0}925,5");
    }
}
