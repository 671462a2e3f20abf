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

/// A rubrique of the balance sheet models (règlement CRC 99-01, « modèle de bilan »;
/// règlement ANC 2018-06, article 431-2): its mass (actif immobilisé, actif
/// circulant; fonds propres, fonds dédiés, provisions, dettes), its label, and the
/// account lines it sums.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RubriqueBilan {
    pub cote: &'static str,
    pub masse: &'static str,
    pub libelle: &'static str,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
    pub comptes: Vec<Ligne>,
}

/// (mass, rubrique) of an account line on its side, in the model's order.
fn rubrique(plan: Plan, actif: bool, compte: &str) -> (usize, &'static str, &'static str) {
    let p2 = compte.get(..2).unwrap_or(compte);
    let p3 = compte.get(..3).unwrap_or(compte);
    let fonds = if plan == Plan::Crc1999 {
        "Fonds associatifs"
    } else {
        "Fonds propres"
    };
    if actif {
        match (p2, p3) {
            ("20", _) | (_, "280" | "290") => {
                (0, "Actif immobilisé", "Immobilisations incorporelles")
            }
            ("26" | "27", _) | (_, "296" | "297") => {
                (2, "Actif immobilisé", "Immobilisations financières")
            }
            (_, _) if compte.starts_with('2') => {
                (1, "Actif immobilisé", "Immobilisations corporelles")
            }
            (_, _) if compte.starts_with('3') => (3, "Actif circulant", "Stocks et en-cours"),
            ("41", _) => (
                4,
                "Actif circulant",
                "Créances usagers et comptes rattachés",
            ),
            (_, "486") => (8, "Actif circulant", "Charges constatées d'avance"),
            ("50", _) => (6, "Actif circulant", "Valeurs mobilières de placement"),
            (_, _) if compte.starts_with('5') => (7, "Actif circulant", "Disponibilités"),
            _ => (5, "Actif circulant", "Autres créances"),
        }
    } else {
        match (p2, p3) {
            ("19", _) if plan == Plan::Crc1999 => (1, "Fonds dédiés", "Fonds dédiés"),
            ("19", _) => (1, "Fonds reportés et dédiés", "Fonds reportés et dédiés"),
            ("15", _) => (2, "Provisions", "Provisions pour risques et charges"),
            (_, "164") | ("51", _) => (
                3,
                "Dettes",
                "Emprunts et dettes auprès des établissements de crédit",
            ),
            ("16" | "17", _) => (4, "Dettes", "Emprunts et dettes financières diverses"),
            ("40", _) => (5, "Dettes", "Dettes fournisseurs et comptes rattachés"),
            ("42" | "43" | "44", _) => (6, "Dettes", "Dettes fiscales et sociales"),
            (_, "487") => (8, "Dettes", "Produits constatés d'avance"),
            ("11", _) => (0, fonds, "Report à nouveau"),
            ("12", _) => (0, fonds, "Résultat de l'exercice"),
            ("13", _) => (0, fonds, "Subventions d'investissement"),
            ("10", _) => (0, fonds, "Fonds propres et réserves"),
            ("14", _) => (0, fonds, "Provisions réglementées"),
            _ if compte.starts_with('1') => (0, fonds, "Autres fonds propres"),
            _ => (7, "Dettes", "Autres dettes"),
        }
    }
}

impl ActifPassif {
    /// Both sides in the rubriques of the model, actif first, each in the model's order.
    pub fn rubriques(&self) -> Vec<RubriqueBilan> {
        let plan = Plan::for_year(self.annee);
        let mut out: Vec<(bool, usize, RubriqueBilan)> = Vec::new();
        for (actif, lines) in [(true, &self.actif), (false, &self.passif)] {
            for l in lines {
                let (rang, masse, libelle) = rubrique(plan, actif, &l.compte);
                match out
                    .iter_mut()
                    .find(|(a, _, r)| *a == actif && r.libelle == libelle)
                {
                    Some((_, _, r)) => {
                        r.montant.0 += l.montant.cents();
                        r.comptes.push(l.clone());
                    }
                    None => out.push((
                        actif,
                        rang,
                        RubriqueBilan {
                            cote: if actif { "actif" } else { "passif" },
                            masse,
                            libelle,
                            montant: l.montant,
                            comptes: vec![l.clone()],
                        },
                    )),
                }
            }
        }
        out.sort_by(|a, b| (!a.0, a.1, a.2.libelle).cmp(&(!b.0, b.1, b.2.libelle)));
        out.into_iter().map(|(_, _, r)| r).collect()
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
        let r = ap.rubriques();
        let names: Vec<(&str, &str, Money)> =
            r.iter().map(|x| (x.cote, x.libelle, x.montant)).collect();
        assert_eq!(
            names,
            [
                ("actif", "Autres créances", Money(5_000_00)),
                ("actif", "Disponibilités", Money(13_565_00)),
                ("passif", "Report à nouveau", Money(3_000_00)),
                ("passif", "Résultat de l'exercice", Money(-15_435_00)),
                (
                    "passif",
                    "Emprunts et dettes financières diverses",
                    Money(30_000_00)
                ),
                ("passif", "Dettes fiscales et sociales", Money(1_000_00)),
            ]
        );
    }
}
