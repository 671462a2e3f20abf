//! The compte de résultat in the rubriques of the official model of each chart:
//!
//! - règlement CRC 99-01 (annexe, « modèle de compte de résultat » of associations and
//!   foundations), years up to 2019: production vendue, subventions d'exploitation,
//!   cotisations…; autres achats et charges externes, salaires et traitements, charges
//!   sociales…; Total I and II; then financial, exceptional, income tax, and the report
//!   des ressources non utilisées / engagements à réaliser apart;
//! - règlement ANC 2018-06 (article 431-1, « compte de résultat » model), years from
//!   2020: cotisations, ventes de biens et services, concours publics et subventions,
//!   ressources liées à la générosité du public, contributions financières, utilisations
//!   et reports en fonds dédiés inside the operating result;
//! - the same as modified by règlement ANC 2022-06, years from 2025: no transfers of
//!   charges, the share of investment subsidies with the subsidies (747), penalties in
//!   the current result, an exceptional result limited to 678/687 and 778/787.
//!
//! Then the contributions volontaires en nature by nature (bénévolat, prestations en
//! nature, dons en nature; their uses), matched by meaning since 870 and 875 swapped
//! between the 1999 and 2018 charts, with the check that 86 = 87.
//!
//! A year compared with the one before is restated in the later year's model: each
//! account is placed by the later chart's rules (and class 8 by the meaning it had
//! when booked), so that 2019 and 2020 line up rubrique by rubrique.

use crate::domain::bilan::Solde;
use crate::domain::chart::Plan;
use crate::domain::money::Money;

/// Which side of the compte de résultat a rubrique sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cote {
    Produit,
    Charge,
}

/// A part of the layout: its heading, and the number of its total in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Partie {
    Exploitation,
    Financier,
    Exceptionnel,
    Impots,
    /// 1999: report des ressources non utilisées (789), engagements à réaliser (689).
    FondsDedies,
}

/// One rubrique of a model: key (stable across charts when the meaning is the same),
/// label, side, part, and the account prefixes it gathers.
#[derive(Debug, Clone, Copy)]
struct Regle {
    cle: &'static str,
    libelle: &'static str,
    cote: Cote,
    partie: Partie,
    prefixes: &'static [&'static str],
}

const fn r(
    cle: &'static str,
    libelle: &'static str,
    cote: Cote,
    partie: Partie,
    prefixes: &'static [&'static str],
) -> Regle {
    Regle {
        cle,
        libelle,
        cote,
        partie,
        prefixes,
    }
}

use Cote::{Charge, Produit};
use Partie::{Exceptionnel, Exploitation, Financier, FondsDedies, Impots};

/// Règlement CRC 99-01, model of the compte de résultat. (The tables keep one rubrique
/// per line, in the model's order, so that they read like the model.)
#[rustfmt::skip]
const MODELE_1999: &[Regle] = &[
    r("ventes_marchandises", "Ventes de marchandises", Produit, Exploitation, &["707"]),
    r("production_vendue", "Production vendue (biens et services)", Produit, Exploitation, &["70"]),
    r("production_stockee", "Production stockée", Produit, Exploitation, &["71"]),
    r("production_immobilisee", "Production immobilisée", Produit, Exploitation, &["72"]),
    r("subventions", "Subventions d'exploitation", Produit, Exploitation, &["74"]),
    r("reprises", "Reprises sur amortissements et provisions, transferts de charges", Produit, Exploitation, &["78", "79"]),
    r("cotisations", "Cotisations", Produit, Exploitation, &["756"]),
    r("autres_produits", "Autres produits", Produit, Exploitation, &["75", "7"]),
    r("achats_marchandises", "Achats de marchandises", Charge, Exploitation, &["607"]),
    r("variation_marchandises", "Variation de stock (marchandises)", Charge, Exploitation, &["6037"]),
    r("achats_approvisionnements", "Achats de matières premières et autres approvisionnements", Charge, Exploitation, &["601", "602"]),
    r("variation_approvisionnements", "Variation de stock (approvisionnements)", Charge, Exploitation, &["603"]),
    r("autres_achats", "Autres achats et charges externes", Charge, Exploitation, &["60", "61", "62"]),
    r("impots_taxes", "Impôts, taxes et versements assimilés", Charge, Exploitation, &["63"]),
    r("salaires", "Salaires et traitements", Charge, Exploitation, &["641", "644"]),
    r("charges_sociales", "Charges sociales", Charge, Exploitation, &["64"]),
    r("dotations", "Dotations aux amortissements et aux provisions", Charge, Exploitation, &["68"]),
    r("aides", "Subventions accordées par l'association", Charge, Exploitation, &["657"]),
    r("autres_charges", "Autres charges", Charge, Exploitation, &["65", "6"]),
    r("produits_financiers", "Produits financiers", Produit, Financier, &["76", "786", "796"]),
    r("charges_financieres", "Charges financières", Charge, Financier, &["66", "686"]),
    r("produits_exceptionnels", "Produits exceptionnels", Produit, Exceptionnel, &["77", "787", "797"]),
    r("charges_exceptionnelles", "Charges exceptionnelles", Charge, Exceptionnel, &["67", "687"]),
    r("impots_benefices", "Participation des salariés, impôts sur les bénéfices", Charge, Impots, &["69"]),
    r("report_ressources", "Report des ressources non utilisées des exercices antérieurs", Produit, FondsDedies, &["789"]),
    r("engagements", "Engagements à réaliser sur ressources affectées", Charge, FondsDedies, &["689"]),
];

/// Règlement ANC 2018-06, model of the compte de résultat (article 431-1).
#[rustfmt::skip]
const MODELE_2018: &[Regle] = &[
    r("cotisations", "Cotisations", Produit, Exploitation, &["756"]),
    r("production_vendue", "Ventes de biens et services", Produit, Exploitation, &["70"]),
    r("subventions", "Concours publics et subventions d'exploitation", Produit, Exploitation, &["73", "74"]),
    r("generosite", "Ressources liées à la générosité du public", Produit, Exploitation, &["754"]),
    r("contributions_financieres", "Contributions financières", Produit, Exploitation, &["755"]),
    r("reprises", "Reprises sur amortissements, dépréciations, provisions et transferts de charges", Produit, Exploitation, &["78", "79"]),
    r("report_ressources", "Utilisations des fonds dédiés", Produit, Exploitation, &["789"]),
    r("autres_produits", "Autres produits", Produit, Exploitation, &["75", "7"]),
    r("achats_marchandises", "Achats de marchandises", Charge, Exploitation, &["607"]),
    r("variation_marchandises", "Variations de stocks", Charge, Exploitation, &["603"]),
    r("autres_achats", "Autres achats et charges externes", Charge, Exploitation, &["60", "61", "62"]),
    r("aides", "Aides financières", Charge, Exploitation, &["657"]),
    r("impots_taxes", "Impôts, taxes et versements assimilés", Charge, Exploitation, &["63"]),
    r("salaires", "Salaires et traitements", Charge, Exploitation, &["641", "644"]),
    r("charges_sociales", "Charges sociales", Charge, Exploitation, &["64"]),
    r("dotations", "Dotations aux amortissements et aux dépréciations", Charge, Exploitation, &["68"]),
    r("dotations_provisions", "Dotations aux provisions", Charge, Exploitation, &["6815"]),
    r("engagements", "Reports en fonds dédiés", Charge, Exploitation, &["689"]),
    r("autres_charges", "Autres charges", Charge, Exploitation, &["65", "6"]),
    r("produits_financiers", "Produits financiers", Produit, Financier, &["76", "786", "796"]),
    r("charges_financieres", "Charges financières", Charge, Financier, &["66", "686"]),
    r("produits_exceptionnels", "Produits exceptionnels", Produit, Exceptionnel, &["77", "787", "797"]),
    r("charges_exceptionnelles", "Charges exceptionnelles", Charge, Exceptionnel, &["67", "687"]),
    r("impots_benefices", "Impôts sur les bénéfices", Charge, Impots, &["69"]),
];

/// The 2018 model as modified by règlement ANC 2022-06: reprises without transfers,
/// 747 among the subsidies (through 74), everything of 67/77 but 678/778 in the
/// current result (a retired account booked before 2025 is restated there too).
#[rustfmt::skip]
const MODELE_2025: &[Regle] = &[
    r("cotisations", "Cotisations", Produit, Exploitation, &["756"]),
    r("production_vendue", "Ventes de biens et services", Produit, Exploitation, &["70"]),
    r("subventions", "Concours publics et subventions d'exploitation", Produit, Exploitation, &["73", "74", "777"]),
    r("generosite", "Ressources liées à la générosité du public", Produit, Exploitation, &["754"]),
    r("contributions_financieres", "Contributions financières", Produit, Exploitation, &["755"]),
    r("reprises", "Reprises sur amortissements, dépréciations et provisions", Produit, Exploitation, &["78", "79"]),
    r("report_ressources", "Utilisations des fonds dédiés", Produit, Exploitation, &["789"]),
    r("autres_produits", "Autres produits", Produit, Exploitation, &["75", "77", "7"]),
    r("achats_marchandises", "Achats de marchandises", Charge, Exploitation, &["607"]),
    r("variation_marchandises", "Variations de stocks", Charge, Exploitation, &["603"]),
    r("autres_achats", "Autres achats et charges externes", Charge, Exploitation, &["60", "61", "62"]),
    r("aides", "Aides financières", Charge, Exploitation, &["657"]),
    r("impots_taxes", "Impôts, taxes et versements assimilés", Charge, Exploitation, &["63"]),
    r("salaires", "Salaires et traitements", Charge, Exploitation, &["641", "644"]),
    r("charges_sociales", "Charges sociales", Charge, Exploitation, &["64"]),
    r("dotations", "Dotations aux amortissements et aux dépréciations", Charge, Exploitation, &["68"]),
    r("dotations_provisions", "Dotations aux provisions", Charge, Exploitation, &["6815"]),
    r("engagements", "Reports en fonds dédiés", Charge, Exploitation, &["689"]),
    r("autres_charges", "Autres charges", Charge, Exploitation, &["65", "67", "6"]),
    r("produits_financiers", "Produits financiers", Produit, Financier, &["76", "786", "796"]),
    r("charges_financieres", "Charges financières", Charge, Financier, &["66", "686"]),
    r("produits_exceptionnels", "Produits exceptionnels", Produit, Exceptionnel, &["778", "787"]),
    r("charges_exceptionnelles", "Charges exceptionnelles", Charge, Exceptionnel, &["678", "687"]),
    r("impots_benefices", "Impôts sur les bénéfices", Charge, Impots, &["69"]),
];

fn modele(plan: Plan) -> &'static [Regle] {
    match plan {
        Plan::Crc1999 => MODELE_1999,
        Plan::Anc2018 => MODELE_2018,
        Plan::Anc2025 => MODELE_2025,
    }
}

/// The rubrique of an account of class 6 or 7 in a model: the rule with the longest
/// matching prefix.
fn regle(plan: Plan, compte: &str) -> Option<&'static Regle> {
    modele(plan)
        .iter()
        .flat_map(|r| r.prefixes.iter().map(move |p| (p, r)))
        .filter(|(p, _)| compte.starts_with(**p))
        .max_by_key(|(p, _)| p.len())
        .map(|(_, r)| r)
}

/// The key of the rubrique an account of class 6 or 7 goes to in `plan`'s model.
pub fn cle_of(plan: Plan, compte: &str) -> Option<&'static str> {
    regle(plan, compte).map(|r| r.cle)
}

/// One rubrique with its amount (income positive on the produit side, costs positive
/// on the charge side).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rubrique {
    pub cle: &'static str,
    pub libelle: &'static str,
    #[serde(skip)]
    pub cote: Cote,
    #[serde(skip)]
    pub partie: Partie,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
}

/// The nature of a contribution volontaire en nature, whatever its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Nature {
    Secours,
    MiseADisposition,
    Prestations,
    PersonnelBenevole,
    AutresEmplois,
    Benevolat,
    PrestationsRecues,
    Dons,
    AutresContributions,
}

impl Nature {
    /// The meaning of a class-8 account in the chart it was booked under: 870 is
    /// bénévolat in 1999 and dons en nature from 2020; 875 the reverse.
    fn of(plan: Plan, compte: &str) -> Option<Nature> {
        let p3 = compte.get(..3).unwrap_or(compte);
        Some(match (p3, plan) {
            ("860", _) => Nature::Secours,
            ("861", _) => Nature::MiseADisposition,
            ("862", _) => Nature::Prestations,
            ("864", _) => Nature::PersonnelBenevole,
            ("870", Plan::Crc1999) | ("875", Plan::Anc2018 | Plan::Anc2025) => Nature::Benevolat,
            ("875", Plan::Crc1999) | ("870", Plan::Anc2018 | Plan::Anc2025) => Nature::Dons,
            ("871", _) => Nature::PrestationsRecues,
            _ if compte.starts_with("86") => Nature::AutresEmplois,
            _ if compte.starts_with("87") => Nature::AutresContributions,
            _ => return None,
        })
    }

    fn cle(self) -> &'static str {
        match self {
            Nature::Secours => "secours_en_nature",
            Nature::MiseADisposition => "mises_a_disposition",
            Nature::Prestations => "prestations",
            Nature::PersonnelBenevole => "personnel_benevole",
            Nature::AutresEmplois => "autres_emplois",
            Nature::Benevolat => "benevolat",
            Nature::PrestationsRecues => "prestations_en_nature",
            Nature::Dons => "dons_en_nature",
            Nature::AutresContributions => "autres_contributions",
        }
    }

    fn libelle(self) -> &'static str {
        match self {
            Nature::Secours => "Secours en nature",
            Nature::MiseADisposition => "Mises à disposition gratuites de biens",
            Nature::Prestations => "Prestations",
            Nature::PersonnelBenevole => "Personnel bénévole",
            Nature::AutresEmplois => "Emplois non ventilés",
            Nature::Benevolat => "Bénévolat",
            Nature::PrestationsRecues => "Prestations en nature",
            Nature::Dons => "Dons en nature",
            Nature::AutresContributions => "Contributions non ventilées",
        }
    }

    fn is_emploi(self) -> bool {
        self <= Nature::AutresEmplois
    }
}

/// The nature of a class-8 account booked under `plan`, as (key, label, whether it is
/// an emploi (86) rather than a contribution (87)), matched by meaning: 870 and 875
/// swapped between the 1999 and 2018 charts.
pub fn contribution_nature(plan: Plan, compte: &str) -> Option<(&'static str, &'static str, bool)> {
    Nature::of(plan, compte).map(|n| (n.cle(), n.libelle(), n.is_emploi()))
}

/// One line of the contributions volontaires block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contribution {
    pub cle: &'static str,
    pub libelle: &'static str,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
}

/// The compte de résultat of a year in one chart's model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modele {
    pub plan: Plan,
    pub rubriques: Vec<Rubrique>,
    /// 86: emplois des contributions volontaires, by nature.
    pub emplois: Vec<Contribution>,
    /// 87: contributions volontaires en nature, by nature.
    pub contributions: Vec<Contribution>,
}

impl Modele {
    /// The year's balances laid out in `plan`'s model; `source` is the chart the
    /// entries were booked under (the same, or the earlier one for a restatement).
    pub fn build(plan: Plan, source: Plan, soldes: &[Solde]) -> Modele {
        let mut rubriques: Vec<Rubrique> = modele(plan)
            .iter()
            .map(|r| Rubrique {
                cle: r.cle,
                libelle: r.libelle,
                cote: r.cote,
                partie: r.partie,
                montant: Money::default(),
            })
            .collect();
        let mut natures: Vec<(Nature, i64)> = Vec::new();
        for s in soldes {
            let c = s.compte.as_str();
            if c.starts_with('8') {
                if let Some(n) = Nature::of(source, c) {
                    let amount = if n.is_emploi() {
                        s.debit - s.credit
                    } else {
                        s.credit - s.debit
                    };
                    match natures.iter_mut().find(|(k, _)| *k == n) {
                        Some((_, m)) => *m += amount,
                        None => natures.push((n, amount)),
                    }
                }
                continue;
            }
            if !(c.starts_with('6') || c.starts_with('7')) {
                continue;
            }
            let Some(rule) = regle(plan, c) else { continue };
            let i = modele(plan)
                .iter()
                .position(|x| x.cle == rule.cle)
                .expect("the rule comes from this model");
            rubriques[i].montant.0 += match rule.cote {
                Cote::Produit => s.credit - s.debit,
                Cote::Charge => s.debit - s.credit,
            };
        }
        natures.sort();
        let line = |(n, m): &(Nature, i64)| Contribution {
            cle: n.cle(),
            libelle: n.libelle(),
            montant: Money(*m),
        };
        Modele {
            plan,
            rubriques,
            emplois: natures
                .iter()
                .filter(|(n, m)| n.is_emploi() && *m != 0)
                .map(line)
                .collect(),
            contributions: natures
                .iter()
                .filter(|(n, m)| !n.is_emploi() && *m != 0)
                .map(line)
                .collect(),
        }
    }

    /// The parts this model has, in order.
    pub fn parties(&self) -> &'static [Partie] {
        match self.plan {
            Plan::Crc1999 => &[Exploitation, Financier, Exceptionnel, Impots, FondsDedies],
            Plan::Anc2018 | Plan::Anc2025 => &[Exploitation, Financier, Exceptionnel, Impots],
        }
    }

    pub fn total(&self, partie: Partie, cote: Cote) -> Money {
        Money(
            self.rubriques
                .iter()
                .filter(|r| r.partie == partie && r.cote == cote)
                .map(|r| r.montant.cents())
                .sum(),
        )
    }

    pub fn resultat_de(&self, partie: Partie) -> Money {
        Money(self.total(partie, Cote::Produit).cents() - self.total(partie, Cote::Charge).cents())
    }

    /// Exploitation plus financier: always shown, even with no financial line.
    pub fn resultat_courant(&self) -> Money {
        Money(self.resultat_de(Exploitation).cents() + self.resultat_de(Financier).cents())
    }

    pub fn total_emplois(&self) -> Money {
        Money(self.emplois.iter().map(|c| c.montant.cents()).sum())
    }

    pub fn total_contributions(&self) -> Money {
        Money(self.contributions.iter().map(|c| c.montant.cents()).sum())
    }

    pub fn rubrique(&self, cle: &str) -> Option<&Rubrique> {
        self.rubriques.iter().find(|r| r.cle == cle)
    }
}

impl Partie {
    /// The headings of the part's income and cost lines.
    pub fn titres(self) -> (&'static str, &'static str) {
        match self {
            Exploitation => ("Produits d'exploitation", "Charges d'exploitation"),
            Financier => ("Produits financiers", "Charges financières"),
            Exceptionnel => ("Produits exceptionnels", "Charges exceptionnelles"),
            Impots => ("", "Impôts"),
            FondsDedies => ("Ressources affectées", ""),
        }
    }

    /// The numbers of the part's totals in the model (I and II for exploitation…).
    pub fn numeros(self, plan: Plan) -> (&'static str, &'static str) {
        match (self, plan) {
            (Exploitation, _) => ("I", "II"),
            (Financier, Plan::Crc1999) => ("V", "VI"),
            (Exceptionnel, Plan::Crc1999) => ("VII", "VIII"),
            (Impots, Plan::Crc1999) => ("", "IX"),
            (Financier, _) => ("III", "IV"),
            (Exceptionnel, _) => ("V", "VI"),
            (Impots, _) => ("", "VII"),
            (FondsDedies, _) => ("", ""),
        }
    }

    /// The name of the part's result, if the model gives it one.
    pub fn resultat_nom(self) -> Option<&'static str> {
        match self {
            Exploitation => Some("1. Résultat d'exploitation"),
            Financier => Some("2. Résultat financier"),
            Exceptionnel => Some("4. Résultat exceptionnel"),
            Impots | FondsDedies => None,
        }
    }

    pub fn cle(self) -> &'static str {
        match self {
            Exploitation => "exploitation",
            Financier => "financier",
            Exceptionnel => "exceptionnel",
            Impots => "impots",
            FondsDedies => "fonds_dedies",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solde(compte: &str, debit: i64, credit: i64) -> Solde {
        Solde {
            compte: compte.into(),
            tiers: None,
            debit,
            credit,
        }
    }

    #[test]
    fn rubriques_of_the_1999_model() {
        let soldes = [
            solde("6411", 10_000_00, 0),
            solde("645", 4_000_00, 0),
            solde("613", 1_200_00, 0),
            solde("6063", 300_00, 0),
            solde("6333", 150_00, 0),
            solde("6811", 1_186_00, 0),
            solde("706", 0, 5_000_00),
            solde("7413", 0, 12_000_00),
            solde("756", 0, 210_00),
            solde("768", 0, 38_52),
            solde("6611", 20_84, 0),
            solde("789", 0, 2_000_00),
            solde("864", 700_00, 0),
            solde("870", 0, 700_00),
        ];
        let m = Modele::build(Plan::Crc1999, Plan::Crc1999, &soldes);
        let get = |k: &str| m.rubrique(k).unwrap().montant;
        assert_eq!(get("salaires"), Money(10_000_00));
        assert_eq!(get("charges_sociales"), Money(4_000_00));
        assert_eq!(get("autres_achats"), Money(1_500_00));
        assert_eq!(get("impots_taxes"), Money(150_00));
        assert_eq!(get("dotations"), Money(1_186_00));
        assert_eq!(get("production_vendue"), Money(5_000_00));
        assert_eq!(get("subventions"), Money(12_000_00));
        assert_eq!(get("cotisations"), Money(210_00));
        assert_eq!(m.total(Exploitation, Cote::Produit), Money(17_210_00));
        assert_eq!(m.total(Exploitation, Cote::Charge), Money(16_836_00));
        assert_eq!(m.resultat_de(Financier), Money(17_68));
        assert_eq!(m.resultat_courant(), Money(374_00 + 17_68));
        assert_eq!(m.resultat_de(FondsDedies), Money(2_000_00));
        // 870 is bénévolat in the 1999 chart.
        assert_eq!(m.contributions[0].cle, "benevolat");
        assert_eq!(m.emplois[0].cle, "personnel_benevole");
        assert_eq!(m.total_emplois(), m.total_contributions());
    }

    #[test]
    fn a_1999_year_restated_in_the_2018_model() {
        let soldes = [
            solde("689", 24_403_48, 0),
            solde("789", 0, 1_000_00),
            solde("7541", 0, 300_00),
            solde("870", 0, 500_00),
            solde("864", 500_00, 0),
        ];
        let m = Modele::build(Plan::Anc2018, Plan::Crc1999, &soldes);
        // 689/789 inside exploitation, once.
        assert_eq!(m.rubrique("engagements").unwrap().montant, Money(24_403_48));
        assert_eq!(m.rubrique("engagements").unwrap().partie, Exploitation);
        assert!(!m.parties().contains(&FondsDedies));
        assert_eq!(m.rubrique("generosite").unwrap().montant, Money(300_00));
        // 870 booked in 1999 is bénévolat, whatever 870 means in 2018.
        assert_eq!(m.contributions[0].cle, "benevolat");
        let m2018 = Modele::build(Plan::Anc2018, Plan::Anc2018, &soldes);
        assert_eq!(m2018.contributions[0].cle, "dons_en_nature");
    }

    #[test]
    fn the_2025_model_narrows_the_exceptional_result() {
        let soldes = [
            solde("6712", 90_00, 0),
            solde("678", 1_000_00, 0),
            solde("777", 0, 400_00),
            solde("747", 0, 100_00),
            solde("775", 0, 50_00),
        ];
        let m = Modele::build(Plan::Anc2025, Plan::Anc2018, &soldes);
        assert_eq!(m.total(Exceptionnel, Cote::Charge), Money(1_000_00));
        assert_eq!(m.total(Exceptionnel, Cote::Produit), Money(0));
        assert_eq!(m.rubrique("autres_charges").unwrap().montant, Money(90_00));
        assert_eq!(m.rubrique("subventions").unwrap().montant, Money(500_00));
        assert_eq!(m.rubrique("autres_produits").unwrap().montant, Money(50_00));
    }
}
