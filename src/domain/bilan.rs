//! The year's financial result, built from account balances: produits (class 7)
//! against charges (class 6). Balance-sheet classes 1–5 never enter it; volunteer
//! contributions (86/87) are shown apart.

use crate::domain::account::label;
use crate::domain::money::Money;

/// Debit and credit totals of one account group (and tiers, for subsidies) over a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solde {
    /// Two-digit group (`74`), or `16` for loans.
    pub groupe: String,
    pub tiers: Option<String>,
    pub debit: i64,
    pub credit: i64,
}

/// One line of the bilan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Poste {
    pub compte: String,
    pub libelle: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<String>,
    #[serde(serialize_with = "money_plain")]
    pub montant: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilan {
    pub annee: i32,
    pub produits: Vec<Poste>,
    pub charges: Vec<Poste>,
    /// 86 (emplois) and 87 (contributions) volontaires en nature.
    pub contributions: Vec<Poste>,
    pub emprunts_recus: Money,
    pub emprunts_rembourses: Money,
}

/// Label used when a subsidy names no funder.
pub const TIERS_NON_PRECISE: &str = "financeur non précisé";

impl Bilan {
    pub fn build(annee: i32, soldes: &[Solde]) -> Bilan {
        let mut bilan = Bilan {
            annee,
            produits: Vec::new(),
            charges: Vec::new(),
            contributions: Vec::new(),
            emprunts_recus: Money::default(),
            emprunts_rembourses: Money::default(),
        };
        for s in soldes {
            let poste = |montant: i64| Poste {
                compte: s.groupe.clone(),
                libelle: match (&s.tiers, s.groupe.as_str()) {
                    (Some(t), _) => format!("{} — {t}", label(&s.groupe)),
                    (None, "74") => format!("{} — {TIERS_NON_PRECISE}", label(&s.groupe)),
                    _ => label(&s.groupe).to_string(),
                },
                tiers: s.tiers.clone(),
                montant: Money(montant),
            };
            match s.groupe.as_bytes() {
                [b'7', _] => bilan.produits.push(poste(s.credit - s.debit)),
                [b'6', _] => bilan.charges.push(poste(s.debit - s.credit)),
                b"86" => bilan.contributions.push(poste(s.debit - s.credit)),
                b"87" => bilan.contributions.push(poste(s.credit - s.debit)),
                b"16" => {
                    bilan.emprunts_recus.0 += s.credit;
                    bilan.emprunts_rembourses.0 += s.debit;
                }
                _ => {}
            }
        }
        for list in [
            &mut bilan.produits,
            &mut bilan.charges,
            &mut bilan.contributions,
        ] {
            list.retain(|p| p.montant.cents() != 0);
            list.sort_by(|a, b| {
                (a.compte.as_str(), a.tiers.is_none(), &a.tiers).cmp(&(
                    b.compte.as_str(),
                    b.tiers.is_none(),
                    &b.tiers,
                ))
            });
        }
        bilan
    }

    pub fn total_produits(&self) -> Money {
        Money(self.produits.iter().map(|p| p.montant.cents()).sum())
    }

    pub fn total_charges(&self) -> Money {
        Money(self.charges.iter().map(|p| p.montant.cents()).sum())
    }

    /// Positive: excédent; negative: déficit.
    pub fn resultat(&self) -> Money {
        Money(self.total_produits().cents() - self.total_charges().cents())
    }

    pub fn resultat_nom(&self) -> &'static str {
        if self.resultat().cents() >= 0 {
            "Excédent"
        } else {
            "Déficit"
        }
    }
}

fn money_plain<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.plain())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solde(groupe: &str, tiers: Option<&str>, debit: i64, credit: i64) -> Solde {
        Solde {
            groupe: groupe.into(),
            tiers: tiers.map(String::from),
            debit,
            credit,
        }
    }

    #[test]
    fn result_is_produits_minus_charges_and_ignores_the_balance_sheet() {
        let b = Bilan::build(
            2017,
            &[
                solde("74", Some("Ville de Paris"), 0, 10_000_00),
                solde("74", None, 0, 500_00),
                solde("70", None, 100_00, 2_100_00),
                solde("64", None, 15_000_00, 0),
                solde("16", Some("France Active"), 0, 30_000_00),
                solde("51", None, 30_000_00, 0),
                solde("87", None, 0, 700_00),
                solde("86", None, 700_00, 0),
            ],
        );
        assert_eq!(b.total_produits(), Money(12_500_00));
        assert_eq!(b.total_charges(), Money(15_000_00));
        assert_eq!(b.resultat(), Money(-2_500_00));
        assert_eq!(b.resultat_nom(), "Déficit");
        assert_eq!(b.emprunts_recus, Money(30_000_00));
        assert_eq!(b.contributions.len(), 2);
        assert_eq!(b.produits[0].compte, "70");
        assert_eq!(b.produits[1].tiers.as_deref(), Some("Ville de Paris"));
        assert_eq!(
            b.produits[2].libelle,
            "Subventions d'exploitation — financeur non précisé"
        );
    }
}
