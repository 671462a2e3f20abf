//! The year's compte de résultat, built from account balances in the layout of the
//! association charts: exploitation, financier, exceptionnel, (1999: fonds dédiés),
//! impôts, then the total and the excédent or déficit; volunteer contributions
//! (86/87) below the result. Balance-sheet classes 1–5 never enter it.

pub mod modele;

use crate::domain::chart::{self, Plan};
use crate::domain::money::Money;
use modele::Modele;

/// Debit and credit totals of one account (and tiers, for subsidies and loans) over
/// a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solde {
    pub compte: String,
    pub tiers: Option<String>,
    pub debit: i64,
    pub credit: i64,
}

/// One line of the bilan: an account group (or an account with `--detail`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Poste {
    pub compte: String,
    pub libelle: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<String>,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
}

/// The blocks of the compte de résultat, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Exploitation,
    Financier,
    Exceptionnel,
    /// 1999 chart: report des ressources non utilisées (789) and engagements à
    /// réaliser sur ressources affectées (689), shown apart before the result.
    FondsDedies,
    Impots,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Exploitation,
        Section::Financier,
        Section::Exceptionnel,
        Section::FondsDedies,
        Section::Impots,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Exploitation => "exploitation",
            Section::Financier => "financier",
            Section::Exceptionnel => "exceptionnel",
            Section::FondsDedies => "fonds_dedies",
            Section::Impots => "impots",
        }
    }

    pub fn titre(self) -> &'static str {
        match self {
            Section::Exploitation => "Exploitation",
            Section::Financier => "Financier",
            Section::Exceptionnel => "Exceptionnel",
            Section::FondsDedies => "Ressources affectées",
            Section::Impots => "Impôts sur les bénéfices",
        }
    }

    /// Headings of the block's income and cost lines.
    pub fn titres(self) -> (&'static str, &'static str) {
        match self {
            Section::Exploitation => ("Produits d'exploitation", "Charges d'exploitation"),
            Section::Financier => ("Produits financiers", "Charges financières"),
            Section::Exceptionnel => ("Produits exceptionnels", "Charges exceptionnelles"),
            Section::FondsDedies => (
                "Report des ressources non utilisées",
                "Engagements à réaliser sur ressources affectées",
            ),
            Section::Impots => ("", "Impôts sur les bénéfices"),
        }
    }

    /// The name of the block's result.
    pub fn resultat_nom(self) -> &'static str {
        match self {
            Section::Exploitation => "Résultat d'exploitation",
            Section::Financier => "Résultat financier",
            Section::Exceptionnel => "Résultat exceptionnel",
            Section::FondsDedies => "Solde des ressources affectées",
            Section::Impots => "Impôts sur les bénéfices",
        }
    }
}

/// Where an account of class 6 or 7 sits in the layout. From 2025 (règlement ANC
/// 2022-06) only 678/687 and 778/787 are exceptional; the rest of 67/77 is current.
pub fn section_of(plan: Plan, compte: &str) -> Section {
    let p3 = &compte[..compte.len().min(3)];
    if plan == Plan::Anc2025 && matches!(&compte[..2], "67" | "77") {
        return match p3 {
            "678" | "778" => Section::Exceptionnel,
            _ => Section::Exploitation,
        };
    }
    match (&compte[..2], p3) {
        (_, "686" | "786" | "796") | ("66" | "76", _) => Section::Financier,
        (_, "687" | "787" | "797") | ("67" | "77", _) => Section::Exceptionnel,
        (_, "689" | "789") if plan == Plan::Crc1999 => Section::FondsDedies,
        ("69", _) => Section::Impots,
        _ => Section::Exploitation,
    }
}

/// The line a balance is shown on without `--detail`: its two-digit group, or three
/// digits where a group spans several blocks (68, 78, 79); subsidies by funder.
fn rubrique(compte: &str) -> &str {
    match &compte[..2] {
        "68" | "78" | "79" => &compte[..compte.len().min(3)],
        g => g,
    }
}

/// One block with its lines and totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bloc {
    pub section: Section,
    pub produits: Vec<Poste>,
    pub charges: Vec<Poste>,
}

impl Bloc {
    pub fn total_produits(&self) -> Money {
        sum(&self.produits)
    }

    pub fn total_charges(&self) -> Money {
        sum(&self.charges)
    }

    pub fn resultat(&self) -> Money {
        Money(self.total_produits().cents() - self.total_charges().cents())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bilan {
    pub annee: i32,
    pub plan: Plan,
    pub blocs: Vec<Bloc>,
    /// 86 (emplois) and 87 (contributions) volontaires en nature.
    pub contributions: Vec<Poste>,
    pub emprunts_recus: Money,
    pub emprunts_rembourses: Money,
    /// The same year in the rubriques of its chart's official model.
    pub modele: Modele,
    soldes: Vec<Solde>,
}

/// Label used when a subsidy names no funder and is shown by group.
pub const TIERS_NON_PRECISE: &str = "financeur non précisé";

impl Bilan {
    /// Builds the layout from the year's balances; `detail` shows each account
    /// instead of groups.
    pub fn build(annee: i32, soldes: &[Solde], detail: bool) -> Bilan {
        let plan = Plan::for_year(annee);
        let mut blocs: Vec<Bloc> = Section::ALL
            .iter()
            .map(|&section| Bloc {
                section,
                produits: Vec::new(),
                charges: Vec::new(),
            })
            .collect();
        let mut bilan = Bilan {
            annee,
            plan,
            blocs: Vec::new(),
            contributions: Vec::new(),
            emprunts_recus: Money::default(),
            emprunts_rembourses: Money::default(),
            modele: Modele::build(plan, plan, soldes),
            soldes: soldes.to_vec(),
        };
        for s in soldes {
            if s.compte.len() < 2 {
                continue;
            }
            let key = if detail {
                s.compte.as_str()
            } else {
                rubrique(&s.compte)
            };
            let (class, group) = (&s.compte[..1], &s.compte[..2]);
            let tiers = if group == "74" { s.tiers.clone() } else { None };
            let libelle = match (&tiers, group, detail) {
                (Some(t), "74", _) => format!("{} — {t}", chart::label(plan, key)),
                (None, "74", false) => {
                    format!("{} — {TIERS_NON_PRECISE}", chart::label(plan, key))
                }
                _ => chart::label(plan, key).to_string(),
            };
            let poste = |montant: i64| Poste {
                compte: key.to_string(),
                libelle: libelle.clone(),
                tiers: tiers.clone(),
                montant: Money(montant),
            };
            let bloc = |blocs: &mut Vec<Bloc>| -> usize {
                let section = section_of(plan, &s.compte);
                blocs
                    .iter()
                    .position(|b| b.section == section)
                    .expect("every section has a block")
            };
            match (class, group) {
                ("7", _) => {
                    let i = bloc(&mut blocs);
                    add(&mut blocs[i].produits, poste(s.credit - s.debit));
                }
                ("6", _) => {
                    let i = bloc(&mut blocs);
                    add(&mut blocs[i].charges, poste(s.debit - s.credit));
                }
                (_, "86") => add(&mut bilan.contributions, poste(s.debit - s.credit)),
                (_, "87") => add(&mut bilan.contributions, poste(s.credit - s.debit)),
                (_, "16") => {
                    bilan.emprunts_recus.0 += s.credit;
                    bilan.emprunts_rembourses.0 += s.debit;
                }
                _ => {}
            }
        }
        for b in &mut blocs {
            tidy(&mut b.produits);
            tidy(&mut b.charges);
        }
        tidy(&mut bilan.contributions);
        blocs.retain(|b| !b.produits.is_empty() || !b.charges.is_empty());
        bilan.blocs = blocs;
        bilan
    }

    /// This year restated in another chart's model (the later year's, for a
    /// comparison across a change of chart).
    pub fn restated(&self, plan: Plan) -> Modele {
        Modele::build(plan, self.plan, &self.soldes)
    }

    pub fn bloc(&self, section: Section) -> Option<&Bloc> {
        self.blocs.iter().find(|b| b.section == section)
    }

    /// The result of one block; zero when it has no line.
    pub fn resultat_de(&self, section: Section) -> Money {
        self.bloc(section).map_or(Money::default(), Bloc::resultat)
    }

    /// Every income line, block after block.
    pub fn produits(&self) -> Vec<Poste> {
        self.blocs.iter().flat_map(|b| b.produits.clone()).collect()
    }

    pub fn charges(&self) -> Vec<Poste> {
        self.blocs.iter().flat_map(|b| b.charges.clone()).collect()
    }

    pub fn total_produits(&self) -> Money {
        Money(self.blocs.iter().map(|b| b.total_produits().cents()).sum())
    }

    pub fn total_charges(&self) -> Money {
        Money(self.blocs.iter().map(|b| b.total_charges().cents()).sum())
    }

    /// Résultat courant avant impôts: exploitation plus financier.
    pub fn resultat_courant(&self) -> Money {
        Money(
            self.resultat_de(Section::Exploitation).cents()
                + self.resultat_de(Section::Financier).cents(),
        )
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

fn sum(postes: &[Poste]) -> Money {
    Money(postes.iter().map(|p| p.montant.cents()).sum())
}

/// Adds to the line of the same account and tiers, or starts one.
fn add(list: &mut Vec<Poste>, p: Poste) {
    match list
        .iter_mut()
        .find(|q| q.compte == p.compte && q.tiers == p.tiers)
    {
        Some(q) => q.montant.0 += p.montant.0,
        None => list.push(p),
    }
}

/// Drops empty lines and orders by account, named funders before the unnamed.
fn tidy(list: &mut Vec<Poste>) {
    list.retain(|p| p.montant.cents() != 0);
    list.sort_by(|a, b| {
        (a.compte.as_str(), a.tiers.is_none(), &a.tiers).cmp(&(
            b.compte.as_str(),
            b.tiers.is_none(),
            &b.tiers,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solde(compte: &str, tiers: Option<&str>, debit: i64, credit: i64) -> Solde {
        Solde {
            compte: compte.into(),
            tiers: tiers.map(String::from),
            debit,
            credit,
        }
    }

    fn sample() -> Vec<Solde> {
        vec![
            solde("7413", Some("Ville de Paris"), 0, 10_000_00),
            solde("7411", None, 0, 500_00),
            solde("706", None, 100_00, 2_100_00),
            solde("6411", None, 15_000_00, 0),
            solde("6611", None, 20_00, 0),
            solde("768", None, 0, 38_52),
            solde("6712", None, 150_00, 0),
            solde("789", None, 0, 3_000_00),
            solde("6811", None, 1_000_00, 0),
            solde("168", Some("France Active"), 0, 30_000_00),
            solde("512", None, 30_000_00, 0),
            solde("87", None, 0, 700_00),
            solde("86", None, 700_00, 0),
        ]
    }

    #[test]
    fn the_layout_of_the_1999_chart() {
        let b = Bilan::build(2017, &sample(), false);
        assert_eq!(b.total_produits(), Money(15_538_52));
        assert_eq!(b.total_charges(), Money(16_170_00));
        assert_eq!(b.resultat(), Money(-631_48));
        assert_eq!(b.resultat_nom(), "Déficit");
        assert_eq!(
            b.resultat_de(Section::Exploitation),
            Money(12_500_00 - 16_000_00)
        );
        assert_eq!(b.resultat_de(Section::Financier), Money(18_52));
        assert_eq!(b.resultat_de(Section::Exceptionnel), Money(-150_00));
        assert_eq!(b.resultat_de(Section::FondsDedies), Money(3_000_00));
        // The result is the sum of the blocks' results.
        let blocks: i64 = b.blocs.iter().map(|x| x.resultat().cents()).sum();
        assert_eq!(blocks, b.resultat().cents());
        assert_eq!(b.emprunts_recus, Money(30_000_00));
        assert_eq!(b.contributions.len(), 2);
        let produits = b.produits();
        assert_eq!(produits[0].compte, "70");
        assert_eq!(produits[1].tiers.as_deref(), Some("Ville de Paris"));
        assert!(produits[2].libelle.ends_with(TIERS_NON_PRECISE));
        assert_eq!(
            b.charges()
                .iter()
                .find(|p| p.compte == "681")
                .map(|p| p.montant),
            Some(Money(1_000_00))
        );
    }

    #[test]
    fn detail_by_account_and_the_2018_chart() {
        let b = Bilan::build(2017, &sample(), true);
        let comptes: Vec<String> = b.produits().into_iter().map(|p| p.compte).collect();
        assert_eq!(comptes, ["706", "7411", "7413", "768", "789"]);
        // From 2020, 689/789 are inside exploitation.
        let b = Bilan::build(2021, &sample(), false);
        assert!(b.bloc(Section::FondsDedies).is_none());
        assert_eq!(b.resultat(), Money(-631_48));
    }
}
