//! Money movements as balanced double-entry transactions (écritures) in cents.

use crate::domain::account::{BANQUE, CAISSE, Compte, Operation};
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_past_date;
use crate::domain::money::Money;
use crate::domain::optional_text;
use crate::domain::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, check_lengths};
use crate::error::{field, in_field, user};
use anyhow::Result;
use chrono::NaiveDate;

/// One line of a transaction: an account debited or credited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ligne {
    pub compte: Compte,
    pub debit: Money,
    pub credit: Money,
}

/// A transaction ready to be written: lines balanced, names not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEcriture {
    pub date: NaiveDate,
    pub libelle: String,
    pub piece: Option<String>,
    pub tiers: Option<String>,
    pub projet: Option<String>,
    /// Journal code and entry number in the accountant's file it came from.
    pub journal: Option<String>,
    pub numero_source: Option<String>,
    /// The entry this one reverses.
    pub annule: Option<i64>,
    pub lignes: Vec<Ligne>,
}

impl NewEcriture {
    /// Sums of debits and of credits.
    pub fn totals(&self) -> (Money, Money) {
        (
            Money(self.lignes.iter().map(|l| l.debit.cents()).sum()),
            Money(self.lignes.iter().map(|l| l.credit.cents()).sum()),
        )
    }

    /// Sum of debits equals sum of credits, and there is something to record.
    pub fn is_balanced(&self) -> bool {
        let debit: i64 = self.lignes.iter().map(|l| l.debit.cents()).sum();
        let credit: i64 = self.lignes.iter().map(|l| l.credit.cents()).sum();
        debit == credit && debit > 0
    }
}

/// What the books keep of an entry besides its accounts and amounts: where it sits in
/// its journal and, per line, its tiers and the accountant's columns as read.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub journal_lib: Option<String>,
    pub piece_date: Option<NaiveDate>,
    pub valid_date: Option<NaiveDate>,
    /// The tiers of an entry typed in ici: it goes on the third-party lines (4xx), or on
    /// every line when there is none.
    pub tiers_id: Option<i64>,
    /// Parallel to the entry's lines; empty for an entry typed in ici.
    pub lines: Vec<LineDetail>,
    /// Read from an accountant's file with every column: written back as read.
    pub tel_quel: bool,
}

/// One line's tiers and FEC columns, as read from an accountant's file.
#[derive(Debug, Clone, Default)]
pub struct LineDetail {
    pub tiers_id: Option<i64>,
    pub compte_aux: Option<String>,
    pub libelle: Option<String>,
    pub compte_lib: Option<String>,
    pub extra: crate::domain::fec::LineExtra,
}

/// The journal of an entry typed in ici: the bank's (BQ) when it moves account 512,
/// the cash box's (CA) for 53, else miscellaneous operations (OD).
pub fn default_journal(lignes: &[Ligne]) -> &'static str {
    if lignes.iter().any(|l| l.compte.as_str().starts_with("512")) {
        "BQ"
    } else if lignes.iter().any(|l| l.compte.as_str().starts_with("53")) {
        "CA"
    } else {
        "OD"
    }
}

/// A journal code as typed: BQ, CA, OD, AN or an accountant's code, letters and digits.
pub fn parse_journal(input: &str) -> Result<String> {
    let code = input.trim().to_uppercase();
    if code.is_empty()
        || code.chars().count() > 10
        || !code.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(user(format!(
            "journal « {} » invalide : un code de lettres et de chiffres (BQ banque, CA caisse, OD opérations diverses, AN à-nouveaux, ou le code du cabinet)",
            input.trim()
        )));
    }
    Ok(code)
}

/// The EcritureNum of an entry typed in ici: its journal, its exercice and its number
/// in both (`BQ2017-00012`).
pub fn ici_numero(journal: &str, exercice: i32, numero: i64) -> String {
    format!("{journal}{exercice}-{numero:05}")
}

/// The reverse of [`ici_numero`], for recognising one's own export.
pub fn parse_ici_numero(journal: &str, text: &str) -> Option<(i32, i64)> {
    let (year, n) = text.strip_prefix(journal)?.split_once('-')?;
    if year.len() != 4 || n.len() < 5 {
        return None;
    }
    Some((year.parse().ok()?, n.parse().ok()?))
}

/// A simple entry as typed: `ici produit add …` or a row of a finances CSV.
#[derive(Debug, Default)]
pub struct FinanceDraft<'a> {
    pub date: &'a str,
    pub montant: &'a str,
    pub compte: &'a str,
    pub libelle: &'a str,
    pub tiers: Option<&'a str>,
    pub projet: Option<&'a str>,
    pub piece: Option<&'a str>,
    pub via: Option<&'a str>,
}

impl FinanceDraft<'_> {
    /// Checks the values and builds the two lines: the account on its side, the bank
    /// (or the cash box) on the other.
    pub fn check(&self, operation: Operation) -> Result<NewEcriture> {
        check_lengths(&[
            ("date", Some(self.date), MAX_SHORT_CHARS),
            ("montant", Some(self.montant), MAX_SHORT_CHARS),
            ("compte", Some(self.compte), MAX_SHORT_CHARS),
            ("libelle", Some(self.libelle), MAX_TEXT_CHARS),
            ("tiers", self.tiers, MAX_NAME_CHARS),
            ("projet", self.projet, MAX_NAME_CHARS),
            ("piece", self.piece, MAX_SHORT_CHARS),
            ("via", self.via, MAX_SHORT_CHARS),
        ])?;
        let date = field("date", parse_past_date(self.date))?;
        let montant = field("montant", Money::parse_positive(self.montant))?;
        let compte = field("compte", operation.compte(self.compte))?;
        let libelle = self.libelle.trim();
        if let Some(msg) = not_settled_in_money(date, &compte, montant, libelle) {
            return Err(in_field("compte", user(msg)));
        }
        if libelle.is_empty() {
            return Err(in_field(
                "libelle",
                user(
                    "valeur manquante : décrivez l'écriture (« Subvention NET94 », « Loyer juin »…)",
                ),
            ));
        }
        let tresorerie = match self.via.map(str::trim).filter(|s| !s.is_empty()) {
            None | Some(BANQUE) => Compte::parse(BANQUE)?,
            Some(CAISSE) => Compte::parse(CAISSE)?,
            Some(other) => {
                return Err(in_field(
                    "via",
                    user(format!(
                        "« {other} » : la contrepartie est la banque (512, par défaut) ou la caisse (530)"
                    )),
                ));
            }
        };
        let zero = Money::default();
        let (account_side, treasury_side) = if operation.credits_account() {
            ((zero, montant), (montant, zero))
        } else {
            ((montant, zero), (zero, montant))
        };
        let entry = NewEcriture {
            date,
            libelle: libelle.to_string(),
            piece: optional_text(self.piece),
            tiers: optional_text(self.tiers),
            projet: optional_text(self.projet),
            journal: None,
            numero_source: None,
            annule: None,
            lignes: vec![
                Ligne {
                    compte,
                    debit: account_side.0,
                    credit: account_side.1,
                },
                Ligne {
                    compte: tresorerie,
                    debit: treasury_side.0,
                    credit: treasury_side.1,
                },
            ],
        };
        debug_assert!(entry.is_balanced());
        check_chart(&entry)?;
        Ok(entry)
    }
}

/// A balanced entry as typed: `ici ecriture add --debit 512=100 --credit 706=100`.
#[derive(Debug, Default)]
pub struct EcritureDraft<'a> {
    pub date: &'a str,
    pub libelle: &'a str,
    pub debits: &'a [String],
    pub credits: &'a [String],
    pub tiers: Option<&'a str>,
    pub projet: Option<&'a str>,
    pub piece: Option<&'a str>,
    /// BQ, CA, OD, AN or an accountant's code; by default from the accounts.
    pub journal: Option<&'a str>,
}

impl EcritureDraft<'_> {
    pub fn check(&self) -> Result<NewEcriture> {
        check_lengths(&[
            ("date", Some(self.date), MAX_SHORT_CHARS),
            ("libelle", Some(self.libelle), MAX_TEXT_CHARS),
            ("tiers", self.tiers, MAX_NAME_CHARS),
            ("projet", self.projet, MAX_NAME_CHARS),
            ("piece", self.piece, MAX_SHORT_CHARS),
        ])?;
        for line in self.debits.iter().chain(self.credits) {
            field("debit", crate::domain::check_length(line, MAX_SHORT_CHARS))?;
        }
        let date = field("date", parse_past_date(self.date))?;
        let libelle = self.libelle.trim();
        if libelle.is_empty() {
            return Err(in_field(
                "libelle",
                user("valeur manquante : décrivez l'écriture"),
            ));
        }
        let mut lignes = Vec::new();
        for (flag, side, debit) in [
            ("debit", self.debits, true),
            ("credit", self.credits, false),
        ] {
            if side.is_empty() {
                return Err(in_field(
                    flag,
                    user(
                        "au moins une ligne de chaque côté : --debit COMPTE=MONTANT et --credit COMPTE=MONTANT",
                    ),
                ));
            }
            for raw in side {
                let (compte, montant) = field(flag, parse_side(raw))?;
                if let Err(msg) = chart::check(Plan::for_date(date), compte.as_str()) {
                    return Err(in_field(flag, user(msg)));
                }
                let zero = Money::default();
                lignes.push(Ligne {
                    compte,
                    debit: if debit { montant } else { zero },
                    credit: if debit { zero } else { montant },
                });
            }
        }
        let entry = NewEcriture {
            date,
            libelle: libelle.to_string(),
            piece: optional_text(self.piece),
            tiers: optional_text(self.tiers),
            projet: optional_text(self.projet),
            journal: self
                .journal
                .map(|j| field("journal", parse_journal(j)))
                .transpose()?,
            numero_source: None,
            annule: None,
            lignes,
        };
        check_class_8(&entry)?;
        let (d, c) = entry.totals();
        if d != c {
            return Err(user(format!(
                "écriture déséquilibrée : débits {d}, crédits {c} (écart {}). La somme des --debit doit égaler celle des --credit.",
                Money((d.cents() - c.cents()).abs())
            )));
        }
        Ok(entry)
    }
}

/// `512=1234,56` → (512, 1 234,56 €).
fn parse_side(raw: &str) -> Result<(Compte, Money)> {
    let Some((compte, montant)) = raw.split_once('=') else {
        return Err(user(format!(
            "« {raw} » : écrivez COMPTE=MONTANT, par exemple 512=1234,56"
        )));
    };
    Ok((Compte::parse(compte)?, Money::parse_positive(montant)?))
}

/// The refusal of a simple entry on an account that moves no money (dotation,
/// reprise, fonds dédiés, transfert, variation de stocks, cession, class 8), with
/// the `ecriture add` that records it; `None` for an account settled in money.
fn not_settled_in_money(
    date: NaiveDate,
    compte: &Compte,
    montant: Money,
    libelle: &str,
) -> Option<String> {
    let chart::Settlement::Other { what, .. } = chart::settlement(compte.as_str()) else {
        return None;
    };
    let plan = Plan::for_date(date);
    let counterpart = chart::counterpart_hint(plan, compte.as_str()).unwrap_or("…");
    let n = compte.as_str();
    let (debit, credit) = if n.starts_with('7') || n.starts_with("87") {
        (counterpart, n)
    } else {
        (n, counterpart)
    };
    let amount = montant.excel();
    let libelle = if libelle.is_empty() { "…" } else { libelle };
    Some(format!(
        "compte {n} ({}) refusé ici : il enregistre {what}, qui ne se règle ni par la banque (512) ni par la caisse (530). Passez une écriture en partie double, par exemple :\n  ici ecriture add --date {} --libelle \"{}\" --debit {debit}={amount} --credit {credit}={amount}",
        chart::label(plan, n),
        date.format("%Y-%m-%d"),
        libelle.replace('"', "'"),
    ))
}

/// Class 8 (contributions volontaires en nature) balances only against class 8: the
/// use (86x, debit) against the contribution (87x, credit), never against the bank
/// or a charge, so that it stays outside the result and 86 = 87.
pub fn check_class_8(e: &NewEcriture) -> Result<()> {
    let is_8 = |l: &Ligne| l.compte.as_str().starts_with('8');
    if !e.lignes.iter().any(is_8) {
        return Ok(());
    }
    let benevolat = if Plan::for_date(e.date) == Plan::Crc1999 {
        "870"
    } else {
        "875"
    };
    let refuse = |what: String| {
        Err(in_field(
            "compte",
            user(format!(
                "{what} : les contributions volontaires en nature s'équilibrent seulement entre elles, emploi au débit d'un 86x contre contribution au crédit d'un 87x (par exemple --debit 864=… --credit {benevolat}=… pour du bénévolat)"
            )),
        ))
    };
    if let Some(other) = e.lignes.iter().find(|l| !is_8(l)) {
        return refuse(format!(
            "compte {} refusé dans une écriture de classe 8",
            other.compte.as_str()
        ));
    }
    let has = |g: &str| e.lignes.iter().any(|l| l.compte.as_str().starts_with(g));
    if (has("86") || has("87")) && !(has("86") && has("87")) {
        let side = if has("86") { "86" } else { "87" };
        return refuse(format!(
            "écriture de classe 8 sur les seuls comptes {side} refusée"
        ));
    }
    if (has("86") || has("87"))
        && e.lignes
            .iter()
            .any(|l| !l.compte.as_str().starts_with("86") && !l.compte.as_str().starts_with("87"))
    {
        return refuse(
            "une écriture de contributions volontaires ne mêle pas d'autre compte de classe 8"
                .to_string(),
        );
    }
    Ok(())
}

/// Every account of the entry is, or extends, an account of the association chart in
/// force at the entry's date.
/// A correction of a recorded entry, checked: `None` leaves a value as it was; for
/// partner, project and document reference, `Some(None)` removes it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EcritureCorrection {
    pub date: Option<NaiveDate>,
    pub libelle: Option<String>,
    pub piece: Option<Option<String>>,
    pub tiers: Option<Option<String>>,
    pub projet: Option<Option<String>>,
    /// The new amount of a two-line entry.
    pub montant: Option<Money>,
    /// `(old, new)`: the account replaced; without `old`, the one line that is not the
    /// bank or the cash box.
    pub compte: Option<(Option<Compte>, Compte)>,
}

/// `706`, or `706=7061` (old=new) when the entry has several lines besides the bank.
pub fn parse_compte_change(input: &str) -> Result<(Option<Compte>, Compte)> {
    match input.split_once('=') {
        Some((old, new)) => Ok((Some(Compte::parse(old)?), Compte::parse(new)?)),
        None => Ok((None, Compte::parse(input)?)),
    }
}

impl EcritureCorrection {
    pub fn is_empty(&self) -> bool {
        *self == EcritureCorrection::default()
    }

    /// The lines of the corrected entry, from those of the entry it replaces.
    pub fn lines(&self, lignes: &[Ligne]) -> Result<Vec<Ligne>> {
        let mut out = lignes.to_vec();
        if let Some(m) = self.montant {
            if out.len() != 2 {
                return Err(in_field(
                    "montant",
                    user(format!(
                        "l'écriture a {} lignes : --montant ne corrige qu'une écriture de deux lignes (un produit, une charge) ; contrepassez-la (ici ecriture annule N) et saisissez la bonne (ici ecriture add)",
                        out.len()
                    )),
                ));
            }
            for l in &mut out {
                if l.debit.cents() > 0 {
                    l.debit = m;
                } else {
                    l.credit = m;
                }
            }
        }
        if let Some((old, new)) = &self.compte {
            let targets: Vec<usize> = out
                .iter()
                .enumerate()
                .filter(|(_, l)| match old {
                    Some(old) => l.compte == *old,
                    None => !matches!(l.compte.as_str(), BANQUE | CAISSE),
                })
                .map(|(i, _)| i)
                .collect();
            match (targets.as_slice(), old) {
                ([i], _) => out[*i].compte = new.clone(),
                ([], Some(old)) => {
                    return Err(in_field(
                        "compte",
                        user(format!(
                            "le compte {} n'est pas sur l'écriture (comptes : {})",
                            old.as_str(),
                            accounts(&out)
                        )),
                    ));
                }
                _ => {
                    return Err(in_field(
                        "compte",
                        user(format!(
                            "l'écriture porte plusieurs comptes ({}) : dites lequel remplacer, par exemple --compte {}={}",
                            accounts(&out),
                            out.iter()
                                .find(|l| !matches!(l.compte.as_str(), BANQUE | CAISSE))
                                .map_or("706", |l| l.compte.as_str()),
                            new.as_str()
                        )),
                    ));
                }
            }
        }
        Ok(out)
    }
}

fn accounts(lignes: &[Ligne]) -> String {
    lignes
        .iter()
        .map(|l| l.compte.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check_chart(e: &NewEcriture) -> Result<()> {
    let plan = Plan::for_date(e.date);
    for l in &e.lignes {
        if let Err(msg) = chart::check(plan, l.compte.as_str()) {
            return Err(in_field("compte", user(msg)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(compte: &'static str) -> FinanceDraft<'static> {
        FinanceDraft {
            date: "2017-03-01",
            montant: "1 234,56 €",
            compte,
            libelle: "Subvention",
            ..Default::default()
        }
    }

    #[test]
    fn a_produit_credits_its_account_and_debits_the_bank() {
        let e = draft("7412").check(Operation::Produit).unwrap();
        assert!(e.is_balanced());
        assert_eq!(e.lignes[0].compte.as_str(), "7412");
        assert_eq!(e.lignes[0].credit, Money(123_456));
        assert_eq!(e.lignes[1].compte.as_str(), "512");
        assert_eq!(e.lignes[1].debit, Money(123_456));
    }

    #[test]
    fn a_charge_paid_in_cash() {
        let mut d = draft("6064");
        d.via = Some("530");
        let e = d.check(Operation::Charge).unwrap();
        assert_eq!(e.lignes[0].debit, Money(123_456));
        assert_eq!(e.lignes[1].compte.as_str(), "530");
        assert_eq!(e.lignes[1].credit, Money(123_456));
    }

    #[test]
    fn accounts_that_move_no_money_are_refused_with_the_double_entry() {
        for (op, compte, debit, credit) in [
            (Operation::Charge, "6811", "6811", "2818"),
            (Operation::Charge, "689", "689", "194"),
            (Operation::Charge, "6037", "6037", "37"),
            (Operation::Produit, "7815", "2818", "7815"),
            (Operation::Produit, "789", "194", "789"),
            (Operation::Produit, "791", "467", "791"),
        ] {
            let mut d = draft(compte);
            d.date = "2017-12-31";
            let err = format!("{:#}", d.check(op).unwrap_err());
            assert!(
                err.contains(&format!(
                    "ici ecriture add --date 2017-12-31 --libelle \"Subvention\" --debit {debit}=1234,56 --credit {credit}=1234,56"
                )),
                "{compte}: {err}"
            );
        }
    }

    #[test]
    fn class_8_only_with_class_8() {
        let d = |debits: &[&str], credits: &[&str]| {
            let debits: Vec<String> = debits.iter().map(|s| s.to_string()).collect();
            let credits: Vec<String> = credits.iter().map(|s| s.to_string()).collect();
            EcritureDraft {
                date: "2021-06-30",
                libelle: "Bénévolat",
                debits: &debits,
                credits: &credits,
                ..Default::default()
            }
            .check()
            .map(|_| ())
            .map_err(|e| format!("{e:#}"))
        };
        assert!(d(&["864=10"], &["875=10"]).is_ok());
        assert!(d(&["860=10", "864=5"], &["870=15"]).is_ok());
        let err = d(&["864=10"], &["512=10"]).unwrap_err();
        assert!(
            err.contains("compte 512 refusé dans une écriture de classe 8"),
            "{err}"
        );
        assert!(err.contains("--credit 875=…"), "{err}");
        assert!(d(&["6411=10"], &["875=10"]).is_err());
        let err = d(&["864=10"], &["862=10"]).unwrap_err();
        assert!(err.contains("sur les seuls comptes 86"), "{err}");
        // A reversal swaps the sides: still 86 against 87.
        assert!(d(&["875=10"], &["864=10"]).is_ok());
    }

    #[test]
    fn refusals() {
        assert!(draft("6411").check(Operation::Produit).is_err());
        let mut d = draft("706");
        d.via = Some("411");
        assert!(d.check(Operation::Produit).is_err());
        let mut d = draft("706");
        d.libelle = "  ";
        assert!(d.check(Operation::Produit).is_err());
        let mut d = draft("706");
        d.montant = "0";
        assert!(d.check(Operation::Produit).is_err());
    }
}
