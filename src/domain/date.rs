//! Dates as typed in France or in ISO form.

use crate::bail_user;
use anyhow::Result;
use chrono::{Datelike, Duration, Local, NaiveDate};

const HINT: &str =
    "écrivez 2017-06-12, 12/06/2017, 12/06/17, 12/06, aujourd'hui, hier ou avant-hier";

/// Parses a date as people type it: `2017-06-12`, `12/06/2017`, `12-06-2017`,
/// `12/06/17` (20xx), `12/06` (the last 12 June, see [`parse_date_on`]),
/// `aujourd'hui`, `hier`, `avant-hier`.
pub fn parse_date(input: &str) -> Result<NaiveDate> {
    parse_date_on(input, Local::now().date_naive())
}

/// [`parse_date`] with "today" given. A day and month without a year is the latest
/// such date not after tomorrow: on 3 January, `28/12` is last December.
pub fn parse_date_on(input: &str, today: NaiveDate) -> Result<NaiveDate> {
    let s = input.trim();
    let word = s.to_lowercase().replace(['’', '\''], "");
    let relative = match word.as_str() {
        "aujourdhui" | "auj" => Some(0),
        "hier" => Some(1),
        "avant-hier" | "avant hier" | "avanthier" => Some(2),
        _ => None,
    };
    if let Some(days) = relative {
        return Ok(today - Duration::days(days));
    }
    let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() >= 10 && s.as_bytes()[4] == b'-')
        .or_else(|| day_month_year(s, today));
    match parsed {
        Some(d) if (1900..=2999).contains(&d.year()) => Ok(d),
        _ => bail_user!("date « {input} » invalide : {HINT}"),
    }
}

/// `12/06/2017`, `12-06-2017`, `12.06.2017`, `12/06/17`, `12/06`.
fn day_month_year(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    if parts.len() > 3 {
        return None;
    }
    let number = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let day = number(parts.first()?, 2)?;
    let month = number(parts.get(1)?, 2)?;
    match parts.get(2) {
        Some(y) if y.len() == 4 => NaiveDate::from_ymd_opt(number(y, 4)? as i32, month, day),
        Some(y) if y.len() == 2 => NaiveDate::from_ymd_opt(2000 + number(y, 2)? as i32, month, day),
        Some(_) => None,
        None => {
            let limit = today + Duration::days(1);
            let this_year = NaiveDate::from_ymd_opt(today.year(), month, day);
            match this_year {
                Some(d) if d <= limit => Some(d),
                // 29 February typed in a common year is the last leap year's.
                _ => (1..=8)
                    .find_map(|back| NaiveDate::from_ymd_opt(today.year() - back, month, day)),
            }
        }
    }
}

/// Parses a date for something that already happened: at most a day ahead of today
/// (a trainer in another time zone, a session recorded just after midnight).
pub fn parse_past_date(input: &str) -> Result<NaiveDate> {
    let date = parse_date(input)?;
    check_past(date, input)?;
    Ok(date)
}

/// The rule of [`parse_past_date`] for a date already read (an accountant's file): from
/// 2000 to a day ahead of today.
pub fn check_past(date: NaiveDate, input: &str) -> Result<()> {
    let limit = Local::now().date_naive() + Duration::days(1);
    if date.year() < 2000 {
        bail_user!("date « {input} » antérieure à 2000 : vérifiez l'année (1917 pour 2017 ?)");
    }
    if date > limit {
        bail_user!(
            "date « {input} » dans le futur : on enregistre une session ou une écriture une fois faite ; vérifiez l'année"
        );
    }
    Ok(())
}

/// Today, for a command that records something done today unless told otherwise.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A year given on the command line, e.g. `ici bilan 2017`.
pub fn parse_year(input: &str) -> Result<i32> {
    match input.trim().parse::<i32>() {
        Ok(y) if (1900..=2999).contains(&y) => Ok(y),
        _ => bail_user!(
            "année « {input} » invalide : écrivez-la sur quatre chiffres, par exemple 2017"
        ),
    }
}

/// A month as `2017-06` (or `06/2017`): its ISO bounds `[start, end)`.
pub fn parse_month(input: &str) -> Result<(String, String)> {
    let s = input.trim();
    let (y, m) = match (s.split_once('-'), s.split_once('/')) {
        (Some((y, m)), _) if y.len() == 4 => (y, m),
        (_, Some((m, y))) if y.len() == 4 => (y, m),
        _ => ("", ""),
    };
    match (y.parse::<i32>(), m.parse::<u32>()) {
        (Ok(y), Ok(m)) if (1900..=2999).contains(&y) && (1..=12).contains(&m) => {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            Ok((format!("{y:04}-{m:02}-01"), format!("{ny:04}-{nm:02}-01")))
        }
        _ => bail_user!("mois « {input} » invalide : écrivez 2017-06 (ou 06/2017)"),
    }
}

/// The ISO bounds `[start, end)` of a civil year, for range queries on indexed dates.
pub fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_both_forms() {
        let d = ymd(2017, 6, 12);
        assert_eq!(parse_date("2017-06-12").unwrap(), d);
        assert_eq!(parse_date("12/06/2017").unwrap(), d);
        assert_eq!(parse_date(" 12/06/2017 ").unwrap(), d);
    }

    #[test]
    fn parses_french_habits() {
        let today = ymd(2026, 11, 29);
        for (input, want) in [
            ("aujourd'hui", ymd(2026, 11, 29)),
            ("Aujourd’hui", ymd(2026, 11, 29)),
            ("hier", ymd(2026, 11, 28)),
            ("avant-hier", ymd(2026, 11, 27)),
            ("28/11", ymd(2026, 11, 28)),
            ("30/11", ymd(2026, 11, 30)),
            ("1/12", ymd(2025, 12, 1)),
            ("28/11/26", ymd(2026, 11, 28)),
            ("28-11-2026", ymd(2026, 11, 28)),
            ("28.11.2026", ymd(2026, 11, 28)),
            ("5/6/2017", ymd(2017, 6, 5)),
        ] {
            assert_eq!(parse_date_on(input, today).unwrap(), want, "{input}");
        }
        // 29 February typed in a common year: the last one that existed.
        assert_eq!(
            parse_date_on("29/02", ymd(2027, 3, 1)).unwrap(),
            ymd(2024, 2, 29)
        );
    }

    #[test]
    fn refuses_bad_dates() {
        for input in [
            "2017-02-30",
            "31/04/2017",
            "2017/06/12",
            "12-06-217",
            "12/06/2017/1",
            "",
            "demain",
            "0017-06-12",
            "32/01",
            "12/13",
            "1/2/3",
        ] {
            assert!(parse_date(input).is_err(), "{input}");
        }
        let err = parse_date("demain").unwrap_err().to_string();
        assert!(err.contains("« demain »") && err.contains("hier"), "{err}");
        assert!(parse_past_date("2999-01-01").is_err());
        assert!(parse_past_date("2017-06-12").is_ok());
    }

    #[test]
    fn years_and_months() {
        assert_eq!(parse_year("2017").unwrap(), 2017);
        assert!(parse_year("17x").is_err());
        assert_eq!(
            year_bounds(2017),
            ("2017-01-01".into(), "2018-01-01".into())
        );
        assert_eq!(
            parse_month("2017-06").unwrap(),
            ("2017-06-01".into(), "2017-07-01".into())
        );
        assert_eq!(
            parse_month("12/2017").unwrap(),
            ("2017-12-01".into(), "2018-01-01".into())
        );
        for bad in ["2017-13", "2017", "juin", "17-06"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }
}
