//! Dates as typed in France or in ISO form.

use crate::bail_user;
use anyhow::Result;
use chrono::{Datelike, Duration, Local, NaiveDate};

/// Parses `2017-06-12` or `12/06/2017`.
pub fn parse_date(input: &str) -> Result<NaiveDate> {
    let s = input.trim();
    let parsed = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"));
    match parsed {
        Ok(d) if (1900..=2999).contains(&d.year()) => Ok(d),
        _ => bail_user!("date « {input} » invalide : écrivez 2017-06-12 ou 12/06/2017"),
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

/// A year given on the command line, e.g. `ici bilan 2017`.
pub fn parse_year(input: &str) -> Result<i32> {
    match input.trim().parse::<i32>() {
        Ok(y) if (1900..=2999).contains(&y) => Ok(y),
        _ => bail_user!(
            "année « {input} » invalide : écrivez-la sur quatre chiffres, par exemple 2017"
        ),
    }
}

/// The ISO bounds `[start, end)` of a civil year, for range queries on indexed dates.
pub fn year_bounds(year: i32) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let d = NaiveDate::from_ymd_opt(2017, 6, 12).unwrap();
        assert_eq!(parse_date("2017-06-12").unwrap(), d);
        assert_eq!(parse_date("12/06/2017").unwrap(), d);
        assert_eq!(parse_date(" 12/06/2017 ").unwrap(), d);
    }

    #[test]
    fn refuses_bad_dates() {
        for input in [
            "2017-02-30",
            "31/04/2017",
            "2017/06/12",
            "12-06-2017",
            "",
            "hier",
            "0017-06-12",
        ] {
            assert!(parse_date(input).is_err(), "{input}");
        }
        assert!(parse_past_date("2999-01-01").is_err());
        assert!(parse_past_date("2017-06-12").is_ok());
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2017").unwrap(), 2017);
        assert!(parse_year("17x").is_err());
        assert_eq!(
            year_bounds(2017),
            ("2017-01-01".into(), "2018-01-01".into())
        );
    }
}
