//! Checks of a FEC as a whole: entries balanced and of one date, a SIREN, an entry fit to
//! be written.

use super::{FecEntry, FecLine, MAX_REPORTED, amount_text, normalise};
use crate::bail_user;
use crate::error::user;
use anyhow::Result;
use chrono::NaiveDate;

/// Sums of an entry's lines, kept while reading: checking them then needs no second walk
/// through a million lines.
#[derive(Default)]
pub(super) struct Totals {
    pub(super) debit: i128,
    pub(super) credit: i128,
    /// Some line has neither debit nor credit.
    pub(super) zero_lines: bool,
}

impl Totals {
    pub(super) fn add(&mut self, line: &FecLine) {
        self.debit += line.debit as i128;
        self.credit += line.credit as i128;
        self.zero_lines |= line.debit == 0 && line.credit == 0;
    }
}

impl Problems {
    /// How many problems were found.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The problems listed and how many there are in all, some not listed.
    pub fn counted(list: Vec<String>, count: usize) -> Problems {
        let mut problems = Problems::default();
        for m in list {
            problems.push(m);
        }
        problems.count = problems.count.max(count);
        problems
    }
}

/// What is wrong with an entry read whole, if anything: lines of other dates
/// (`other_dates`: (0, line, date), its own lines being those of its date), unbalanced,
/// all zero. The message is the one [`super::parse`] gives.
pub fn entry_problem(e: &FecEntry, other_dates: &[(usize, usize, NaiveDate)]) -> Option<String> {
    let mut totals = Totals::default();
    for l in &e.lines {
        totals.add(l);
    }
    let mut problems = Problems::default();
    check_entry(e, other_dates, &totals, &mut problems);
    problems.list.pop()
}

/// Checks an entry: one date (`other_dates`: its lines dated otherwise), balanced, not
/// all zero.
pub(super) fn check_entry(
    e: &FecEntry,
    other_dates: &[(usize, usize, NaiveDate)],
    totals: &Totals,
    problems: &mut Problems,
) {
    if !other_dates.is_empty() {
        let mut groups: Vec<(NaiveDate, Vec<usize>)> =
            vec![(e.date, e.lines.iter().map(|l| l.line).collect())];
        for &(_, line, date) in other_dates {
            match groups.iter_mut().find(|(d, _)| *d == date) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((date, vec![line])),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(d, lines)| format!("{} ({})", d.format("%d/%m/%Y"), line_list(lines)))
            .collect();
        problems.push(format!(
            "écriture {} : ses lignes portent des dates différentes, {} ; une écriture n'a qu'une date (EcritureDate)",
            e.label(),
            parts.join(", ")
        ));
        return;
    }
    let (debit, credit) = (totals.debit, totals.credit);
    if debit == credit && debit != 0 {
        return;
    }
    let name = format!("écriture {} du {}", e.label(), e.date.format("%d/%m/%Y"));
    let lines: Vec<usize> = e.lines.iter().map(|l| l.line).collect();
    if debit == 0 && credit == 0 {
        problems.push(format!(
            "{name} : tous ses montants sont nuls ({})",
            line_list(&lines)
        ));
    } else {
        problems.push(format!(
            "{name} déséquilibrée : débit {}, crédit {} ({})",
            amount_text(debit),
            amount_text(credit),
            line_list(&lines)
        ));
    }
}

/// Problems found, the first [`MAX_REPORTED`] kept.
#[derive(Default)]
pub struct Problems {
    pub(super) list: Vec<String>,
    pub(super) count: usize,
}

impl Problems {
    pub fn push(&mut self, message: String) {
        self.count += 1;
        if self.list.len() < MAX_REPORTED {
            self.list.push(message);
        }
    }

    pub fn into_error(self, name: &str) -> anyhow::Error {
        if self.count == 1 {
            return user(format!("{name}, {}", self.list[0]));
        }
        let mut msg = format!("{name} : {} erreurs", self.count);
        for m in &self.list {
            msg.push_str("\n  - ");
            msg.push_str(m);
        }
        if self.count > self.list.len() {
            msg.push_str(&format!("\n  … et {} autres", self.count - self.list.len()));
        }
        user(msg)
    }
}
/// `ligne 12` or `lignes 12, 15, 40`, at most ten numbers.
pub(super) fn line_list(lines: &[usize]) -> String {
    const SHOWN: usize = 10;
    if lines.len() == 1 {
        return format!("ligne {}", lines[0]);
    }
    let shown: Vec<String> = lines.iter().take(SHOWN).map(|n| n.to_string()).collect();
    let mut s = format!("lignes {}", shown.join(", "));
    if lines.len() > SHOWN {
        s.push_str(&format!(" et {} autres", lines.len() - SHOWN));
    }
    s
}

/// Checks a SIREN: 9 digits whose Luhn checksum holds (La Poste, 356 000 000, is the one
/// known exception and is accepted).
pub fn check_siren(siren: &str) -> Result<()> {
    let digits: String = siren.chars().filter(|c| !c.is_whitespace()).collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if all_digits && digits.len() == 14 {
        bail_user!(
            "« {siren} » est un SIRET (14 chiffres) : le SIREN est formé de ses 9 premiers chiffres, {}",
            &digits[..9]
        );
    }
    if !all_digits || digits.len() != 9 {
        bail_user!(
            "SIREN « {siren} » invalide : il faut exactement 9 chiffres (voir l'avis de situation INSEE ou le répertoire des associations)"
        );
    }
    if digits != siren {
        bail_user!("SIREN « {siren} » : écrivez-le sans espaces, {digits}");
    }
    if digits == "356000000" {
        return Ok(());
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        bail_user!(
            "SIREN « {siren} » invalide : la clé de contrôle ne correspond pas, un chiffre est sans doute mal recopié"
        );
    }
    Ok(())
}

pub(super) fn check_writable(e: &FecEntry) -> Result<()> {
    let label = e.label();
    if e.journal.trim().is_empty() || e.numero.trim().is_empty() {
        bail_user!(
            "écriture « {label} » : code journal et numéro d'écriture sont obligatoires dans un FEC"
        );
    }
    if let Some(l) = e
        .lines
        .iter()
        .find(|l| l.compte.is_empty() || !l.compte.bytes().all(|b| b.is_ascii_digit()))
    {
        bail_user!(
            "écriture {label} : compte « {} » invalide pour un FEC, des chiffres seulement",
            l.compte
        );
    }
    let (debit, credit) = e.lines.iter().fold((0i128, 0i128), |(d, c), l| {
        let (ld, lc) = normalise(l.debit, l.credit);
        (d + ld as i128, c + lc as i128)
    });
    if debit != credit || debit == 0 {
        bail_user!(
            "écriture {label} du {} déséquilibrée ou nulle : débit {}, crédit {} ; le FEC n'est pas écrit",
            e.date.format("%d/%m/%Y"),
            amount_text(debit),
            amount_text(credit)
        );
    }
    Ok(())
}
