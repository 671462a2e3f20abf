//! Full-time equivalent over a year, and who arrived and left: whole days and integer
//! arithmetic, rounded once at the end.

use chrono::{Datelike, NaiveDate};

/// One contract as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contrat {
    pub nom: String,
    pub debut: NaiveDate,
    pub fin: Option<NaiveDate>,
    /// Percent of full time.
    pub temps: u32,
}

/// Days of the year: 365, or 366 in a leap year.
pub fn days_in_year(annee: i32) -> i64 {
    if NaiveDate::from_ymd_opt(annee, 2, 29).is_some() {
        366
    } else {
        365
    }
}

/// Days of `annee` the contract covers, its first and last days included.
pub fn days_in(c: &Contrat, annee: i32) -> i64 {
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(annee, 1, 1),
        NaiveDate::from_ymd_opt(annee, 12, 31),
    ) else {
        return 0;
    };
    let from = c.debut.max(start);
    let to = c.fin.map_or(end, |f| f.min(end));
    if to < from {
        0
    } else {
        (to - from).num_days() + 1
    }
}

/// Full-time equivalent over the year in tenths: the sum of days employed × working
/// time, divided by the days of the year, rounded to the nearest tenth (half up).
pub fn etp_dixiemes(contrats: &[Contrat], annee: i32) -> i64 {
    let percent_days: i64 = contrats
        .iter()
        .map(|c| days_in(c, annee) * i64::from(c.temps))
        .sum();
    let denominator = 100 * days_in_year(annee);
    (percent_days * 10 * 2 + denominator) / (2 * denominator)
}

/// Distinct people with at least one day in the year (names compared without case).
pub fn presents(contrats: &[Contrat], annee: i32) -> i64 {
    let mut names: Vec<String> = contrats
        .iter()
        .filter(|c| days_in(c, annee) > 0)
        .map(|c| c.nom.to_lowercase())
        .collect();
    names.sort();
    names.dedup();
    names.len() as i64
}

/// People whose first day, over all their contracts, falls in the year; and those whose
/// last day does (a person with an open contract has not left).
pub fn arrivees_departs(contrats: &[Contrat], annee: i32) -> (i64, i64) {
    let mut by_name: std::collections::BTreeMap<String, (NaiveDate, Option<NaiveDate>)> =
        std::collections::BTreeMap::new();
    for c in contrats {
        let e = by_name
            .entry(c.nom.to_lowercase())
            .or_insert((c.debut, c.fin));
        e.0 = e.0.min(c.debut);
        e.1 = match (e.1, c.fin) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    let arrivees = by_name.values().filter(|(d, _)| d.year() == annee).count();
    let departs = by_name
        .values()
        .filter(|(_, f)| f.is_some_and(|f| f.year() == annee))
        .count();
    (arrivees as i64, departs as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn c(nom: &str, debut: &str, fin: Option<&str>, temps: u32) -> Contrat {
        Contrat {
            nom: nom.into(),
            debut: d(debut),
            fin: fin.map(d),
            temps,
        }
    }

    #[test]
    fn a_full_year_full_time_is_one() {
        let all = [c("A", "2015-01-01", None, 100)];
        assert_eq!(etp_dixiemes(&all, 2017), 10);
        assert_eq!(etp_dixiemes(&all, 2016), 10, "leap year");
    }

    #[test]
    fn part_time_arrival_and_departure() {
        // 181 days at 100 % + 214 days at 50 % in 2017: (181 + 107) / 365 = 0.789.
        let all = [
            c("A", "2016-01-01", Some("2017-06-30"), 100),
            c("B", "2017-06-01", None, 50),
        ];
        assert_eq!(days_in(&all[0], 2017), 181);
        assert_eq!(days_in(&all[1], 2017), 214);
        assert_eq!(etp_dixiemes(&all, 2017), 8);
        assert_eq!(presents(&all, 2017), 2);
        assert_eq!(arrivees_departs(&all, 2017), (1, 1));
    }

    #[test]
    fn leap_year_counts_366_days() {
        // 183 days (1 January–1 July 2016) of 366: exactly one half.
        let all = [c("A", "2016-01-01", Some("2016-07-01"), 100)];
        assert_eq!(days_in(&all[0], 2016), 183);
        assert_eq!(etp_dixiemes(&all, 2016), 5);
    }

    #[test]
    fn a_cdd_then_a_cdi_is_one_arrival_and_no_departure() {
        let all = [
            c("Aurélie", "2017-06-01", Some("2017-11-30"), 100),
            c("aurélie", "2017-12-01", None, 100),
        ];
        assert_eq!(presents(&all, 2017), 1);
        assert_eq!(arrivees_departs(&all, 2017), (1, 0));
    }
}
