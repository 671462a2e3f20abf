//! The people of the association (staff, board, members, volunteers) and its agenda:
//! the values they are typed with, and the rules of their figures — full-time
//! equivalent, valuation of volunteer time in cents, the class 8 accounts it goes to.
//! No I/O.

pub mod etp;
pub mod valorisation;

use crate::bail_user;
use anyhow::Result;
use chrono::NaiveDate;

/// The kinds of people who work for the association, as typed and as shown.
pub const STATUTS: [(&str, &str); 4] = [
    ("salarie", "salarié"),
    ("stagiaire", "stagiaire"),
    ("service-civique", "service civique"),
    ("mis-a-disposition", "mis à disposition"),
];

/// The offices of the bureau and the board, as typed and as shown.
pub const FONCTIONS: [(&str, &str); 5] = [
    ("president", "président(e)"),
    ("vice-president", "vice-président(e)"),
    ("tresorier", "trésorier(e)"),
    ("secretaire", "secrétaire"),
    ("administrateur", "administrateur(trice)"),
];

/// The offices that make the bureau (the others sit on the board only).
pub fn is_bureau(fonction: &str) -> bool {
    fonction != "administrateur"
}

/// Reads a code of `list` as typed: case, accents, spaces and underscores aside
/// (`Salarié`, `service civique`, `vice_president`).
fn parse_code(
    what: &str,
    input: &str,
    list: &'static [(&'static str, &'static str)],
) -> Result<&'static str> {
    let key = crate::domain::suggest::fold(input)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    // The feminine forms people type for an office.
    let key = match key.as_str() {
        "presidente" => "president",
        "vice-presidente" => "vice-president",
        "tresoriere" => "tresorier",
        "administratrice" => "administrateur",
        "salariee" => "salarie",
        k => k,
    };
    match list.iter().find(|(code, _)| *code == key) {
        Some((code, _)) => Ok(code),
        None => {
            let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
            bail_user!(
                "{what} « {} » inconnu(e) : écrivez {}",
                input.trim(),
                codes.join(", ")
            )
        }
    }
}

/// `--statut` of `ici equipe add`.
pub fn parse_statut(input: &str) -> Result<&'static str> {
    parse_code("statut", input, &STATUTS)
}

/// `--fonction` of `ici gouvernance add`.
pub fn parse_fonction(input: &str) -> Result<&'static str> {
    parse_code("fonction", input, &FONCTIONS)
}

/// The French label of a code of [`STATUTS`] or [`FONCTIONS`].
pub fn label(code: &str) -> &str {
    STATUTS
        .iter()
        .chain(FONCTIONS.iter())
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

/// Working time in percent of full time: `100`, `80 %`, `50%`; from 1 to 100.
pub fn parse_temps(input: &str) -> Result<u32> {
    let s = input.trim().trim_end_matches('%').trim();
    match s.parse::<u32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => bail_user!(
            "temps de travail « {} » invalide : un pourcentage entier du temps plein, de 1 à 100 (100 = temps plein, 80 = 4 jours sur 5)",
            input.trim()
        ),
    }
}

/// Most hours one volunteering record may hold: a full year of a full-time volunteer.
pub const MAX_HEURES: u32 = 2000;

/// Hours of volunteering as typed: `3`, `2,5`, `1.75`, `2h30`, `12 h`. At most two
/// decimals; from one minute to [`MAX_HEURES`]. Returns minutes. Hand-written beside
/// [`crate::domain::duration::Minutes`], which caps a session at 12 hours: a record
/// of volunteering may sum a month of time.
pub fn parse_heures(input: &str) -> Result<u32> {
    let s: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let hint = "écrivez un nombre d'heures, par exemple 3, 2,5 ou 2h30";
    let digits = |t: &str| !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit());
    let read = || -> Option<u64> {
        if let Some((h, m)) = s.split_once('h') {
            let m = m.trim_end_matches("min");
            match (digits(h), m.is_empty() || (digits(m) && m.len() <= 2)) {
                (true, true) => {
                    let m: u64 = if m.is_empty() { 0 } else { m.parse().ok()? };
                    (m < 60)
                        .then(|| h.parse::<u64>().ok().map(|h| h * 60 + m))
                        .flatten()
                }
                _ => None,
            }
        } else {
            let (units, dec) = s.split_once([',', '.']).unwrap_or((s.as_str(), ""));
            if digits(units) && (dec.is_empty() || (digits(dec) && dec.len() <= 2)) {
                let hundredths: u64 = units.parse::<u64>().ok()? * 100
                    + match dec.len() {
                        0 => 0,
                        1 => dec.parse::<u64>().ok()? * 10,
                        _ => dec.parse::<u64>().ok()?,
                    };
                // Hundredths of an hour to minutes, to the nearest minute.
                Some((hundredths * 60 + 50) / 100)
            } else {
                None
            }
        }
    };
    let minutes = read();
    match minutes {
        Some(m) if m > 0 && m <= u64::from(MAX_HEURES) * 60 => Ok(m as u32),
        Some(0) => bail_user!("heures « {} » : nulles ; {hint}", input.trim()),
        Some(_) => bail_user!(
            "heures « {} » : plus de {MAX_HEURES} h dans un seul enregistrement ; vérifiez le nombre, ou répartissez-le sur plusieurs dates",
            input.trim()
        ),
        None => bail_user!("heures « {} » illisibles : {hint}", input.trim()),
    }
}

/// An end date not before the start.
pub fn check_period(debut: NaiveDate, fin: Option<NaiveDate>) -> Result<()> {
    if let Some(f) = fin
        && f < debut
    {
        bail_user!(
            "fin « {} » avant le début « {} » : vérifiez les dates",
            f.format("%Y-%m-%d"),
            debut.format("%Y-%m-%d")
        );
    }
    Ok(())
}

/// The figures of the association's people for one year, as `ici stats` shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chiffres {
    /// Distinct salaried people employed at least one day in the year.
    pub salaries: i64,
    /// Full-time equivalent of the salaried staff over the year, in tenths.
    pub etp_dixiemes: i64,
    /// Distinct named volunteers with hours in the year.
    pub benevoles: i64,
    /// Volunteer time in the year, in minutes (records not cancelled).
    pub minutes_benevolat: i64,
    /// Distinct members with a membership dated in the year.
    pub adherents: i64,
    /// Salaried people whose first day falls in the year.
    pub arrivees: i64,
    /// Salaried people whose last day falls in the year (no contract after it).
    pub departs: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_as_typed() {
        for (typed, minutes) in [
            ("3", 180),
            ("2,5", 150),
            ("1.75", 105),
            ("2h30", 150),
            ("12 h", 720),
            ("0,01", 1),
            ("2000", 120_000),
        ] {
            assert_eq!(parse_heures(typed).unwrap(), minutes, "{typed}");
        }
        for bad in ["", "0", "-3", "2h75", "abc", "2001", "1,234"] {
            let e = parse_heures(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("« {bad} »")), "{bad}: {e}");
        }
    }

    #[test]
    fn codes_as_typed() {
        assert_eq!(parse_statut("Salarié").unwrap(), "salarie");
        assert_eq!(parse_statut("service civique").unwrap(), "service-civique");
        assert_eq!(parse_fonction("Vice_Président").unwrap(), "vice-president");
        assert_eq!(parse_fonction("Présidente").unwrap(), "president");
        assert_eq!(parse_fonction("trésorière").unwrap(), "tresorier");
        let e = parse_statut("benevole").unwrap_err().to_string();
        assert!(
            e.contains("« benevole »") && e.contains("salarie, stagiaire"),
            "{e}"
        );
    }

    #[test]
    fn working_time() {
        assert_eq!(parse_temps("80 %").unwrap(), 80);
        assert_eq!(parse_temps("100").unwrap(), 100);
        assert!(parse_temps("0").is_err());
        assert!(parse_temps("120").is_err());
    }
}
