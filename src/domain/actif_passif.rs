//! The balance sheet at 31 December (`ici bilan ANNEE --actif-passif`): what the
//! association owns and is owed (actif) against its own funds and debts (passif),
//! from the balances of classes 1 to 5 and the results not yet booked.

use crate::domain::chart::{self, Plan};
use crate::domain::money::Money;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ligne {
    pub compte: String,
    pub libelle: String,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActifPassif {
    pub annee: i32,
    pub actif: Vec<Ligne>,
    pub passif: Vec<Ligne>,
}

impl ActifPassif {
    /// `soldes`: debit minus credit by three-digit account of classes 1–5;
    /// `resultat`: the year's produits minus charges; `anterieurs`: the results of
    /// earlier years that no entry has carried into the funds yet.
    pub fn build(annee: i32, soldes: &[(String, i64)], resultat: i64, anterieurs: i64) -> Self {
        let plan = Plan::for_year(annee);
        let mut actif = Vec::new();
        let mut passif = Vec::new();
        for (compte, solde) in soldes {
            if *solde == 0 {
                continue;
            }
            let ligne = |montant: i64| Ligne {
                compte: compte.clone(),
                libelle: chart::label(plan, compte).to_string(),
                montant: Money(montant),
            };
            match compte.as_bytes().first() {
                // Own funds, provisions, loans and dedicated funds: on the passif side,
                // even when a debit balance makes them negative (a loss carried forward).
                Some(b'1') => passif.push(ligne(-solde)),
                // Fixed assets and stock, net of depreciation.
                Some(b'2' | b'3') => actif.push(ligne(*solde)),
                // Third parties and cash: the side follows the balance.
                _ if *solde > 0 => actif.push(ligne(*solde)),
                _ => passif.push(ligne(-solde)),
            }
        }
        if anterieurs != 0 {
            passif.push(Ligne {
                compte: "11".into(),
                libelle: "Résultats des exercices antérieurs non encore affectés".into(),
                montant: Money(anterieurs),
            });
        }
        passif.push(Ligne {
            compte: "12".into(),
            libelle: if resultat >= 0 {
                "Résultat de l'exercice (excédent)".into()
            } else {
                "Résultat de l'exercice (déficit)".into()
            },
            montant: Money(resultat),
        });
        passif.sort_by(|a, b| a.compte.cmp(&b.compte));
        ActifPassif {
            annee,
            actif,
            passif,
        }
    }

    pub fn total_actif(&self) -> Money {
        Money(self.actif.iter().map(|l| l.montant.cents()).sum())
    }

    pub fn total_passif(&self) -> Money {
        Money(self.passif.iter().map(|l| l.montant.cents()).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_balance_when_every_entry_does() {
        // Bank 512 +13 565, loan 168 -30 000, subsidy receivable 441 +5 000,
        // payroll payable 421 -1 000; results: 2016 +3 000, 2017 -15 435.
        let soldes = [
            ("168".to_string(), -30_000_00),
            ("421".to_string(), -1_000_00),
            ("441".to_string(), 5_000_00),
            ("512".to_string(), 13_565_00),
        ];
        let ap = ActifPassif::build(2017, &soldes, -15_435_00, 3_000_00);
        assert_eq!(ap.total_actif(), Money(18_565_00));
        assert_eq!(ap.total_actif(), ap.total_passif());
        let comptes: Vec<&str> = ap.passif.iter().map(|l| l.compte.as_str()).collect();
        assert_eq!(comptes, ["11", "12", "168", "421"]);
        assert_eq!(ap.passif[1].montant, Money(-15_435_00));
    }
}
