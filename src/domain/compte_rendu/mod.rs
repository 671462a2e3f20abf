//! The compte rendu financier of a subsidised action (Cerfa n° 15059*02): the action's
//! charges and products by rubrique, budgeted against actual, the gaps in euros and in
//! percent against the agreement's threshold, and the share of subsidies. Lines are
//! matched by meaning: charges and products by their two-digit group, subsidies one
//! line per funder, contributions volontaires by nature (870 and 875 swapped between
//! the 1999 and 2018 charts).

pub mod repartition;

use crate::domain::bilan::modele::contribution_nature;
use crate::domain::chart::Plan;
use crate::domain::financeur::TypeFinanceur;
use repartition::{Origine, Part};
use std::collections::BTreeMap;

/// The threshold of a significant gap when no agreement sets one, in percent.
pub const SEUIL_PAR_DEFAUT: u32 = 15;

/// The form's charge lines, then its product lines, with their wording.
pub const CHARGES: [(&str, &str); 9] = [
    ("60", "Achats"),
    ("61", "Services extérieurs"),
    ("62", "Autres services extérieurs"),
    ("63", "Impôts et taxes"),
    ("64", "Charges de personnel"),
    ("65", "Autres charges de gestion courante"),
    ("66", "Charges financières"),
    ("67", "Charges exceptionnelles"),
    ("68", "Dotations aux amortissements"),
];
pub const PRODUITS: [(&str, &str); 8] = [
    (
        "70",
        "Ventes de produits finis, de marchandises, prestations de services",
    ),
    ("73", "Dotations et produits de tarification"),
    ("74", "Subventions d'exploitation"),
    ("75", "Autres produits de gestion courante"),
    ("76", "Produits financiers"),
    ("77", "Produits exceptionnels"),
    ("78", "Reprises sur amortissements et provisions"),
    ("79", "Transferts de charges"),
];

/// A funder as the compte rendu names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Financeur {
    pub nom: String,
    pub type_financeur: Option<TypeFinanceur>,
}

/// One planned amount of a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prevu {
    pub compte: String,
    pub montant: i64,
    pub financeur: Option<String>,
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ligne {
    /// The group: "60"…"68", "70"…"79", "86", "87".
    pub rubrique: String,
    pub libelle: String,
    pub financeur: Option<Financeur>,
    /// The nature of a contribution volontaire (`benevolat`…).
    pub nature: Option<&'static str>,
    pub prevision: i64,
    pub realisation: i64,
    /// Of the réalisation, what came by an allocation of an entry, and by the year's key.
    pub affecte: i64,
    pub reparti: i64,
    pub explication: Option<String>,
    /// Set by [`CompteRendu::build`] from the threshold.
    pub au_dela_du_seuil: bool,
}

impl Ligne {
    pub fn ecart(&self) -> i64 {
        self.realisation - self.prevision
    }

    /// The gap in tenths of a percent of the forecast, rounded half away from zero;
    /// `None` when the forecast is zero.
    pub fn ecart_dixiemes(&self) -> Option<i64> {
        pct_dixiemes(self.ecart(), self.prevision)
    }

    /// The key `--explique` names the line by: `64`, `74:Fondation Cetelem`, `87`.
    pub fn cle(&self) -> String {
        match &self.financeur {
            Some(f) => format!("{}:{}", self.rubrique, f.nom),
            None => self.rubrique.clone(),
        }
    }
}

/// `num / den` in tenths of a percent, rounded half away from zero.
pub fn pct_dixiemes(num: i64, den: i64) -> Option<i64> {
    if den == 0 {
        return None;
    }
    let (n, d) = (i128::from(num) * 1000, i128::from(den));
    let q = (2 * n.abs() + d.abs()) / (2 * d.abs());
    let sign = if (n < 0) != (d < 0) { -1 } else { 1 };
    Some((sign * q) as i64)
}

/// A percentage in tenths as French text: `-12,5 %`.
pub fn pct_fr(dixiemes: i64) -> String {
    let sign = if dixiemes < 0 { "-" } else { "" };
    let a = dixiemes.unsigned_abs();
    format!("{sign}{},{}\u{a0}%", a / 10, a % 10)
}

/// A percentage in tenths as a JSON number with one decimal.
pub fn pct_json(dixiemes: i64) -> serde_json::Value {
    // Exact for one decimal: the float is the nearest to the decimal text.
    serde_json::Value::from((dixiemes as f64) / 10.0)
}

/// The table of a compte rendu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompteRendu {
    pub charges: Vec<Ligne>,
    pub produits: Vec<Ligne>,
    pub seuil: u32,
}

impl CompteRendu {
    /// Lays out the budget and the project's share of the books. `realise` holds only
    /// the project's parts; a subsidy line whose funder the books do not say is given
    /// to the budget's line of the same account when exactly one funder's line has it.
    pub fn build(
        plan: Plan,
        budget: &[Prevu],
        realise: &[Part],
        financeurs: &BTreeMap<String, Option<TypeFinanceur>>,
        seuil: u32,
        explications: &BTreeMap<String, String>,
    ) -> CompteRendu {
        type Key = (u8, String, Option<String>, Option<&'static str>);
        let mut lines: BTreeMap<Key, Ligne> = BTreeMap::new();
        let financeur = |nom: &Option<String>| {
            nom.as_ref().map(|n| Financeur {
                nom: n.clone(),
                type_financeur: financeurs.get(n).copied().flatten(),
            })
        };
        let place =
            |lines: &mut BTreeMap<Key, Ligne>, compte: &str, fin: &Option<String>| -> Option<Key> {
                let group = compte.get(..2)?.to_string();
                if compte.starts_with('8') {
                    let (cle, libelle, emploi) = contribution_nature(plan, compte)?;
                    let rubrique = if emploi { "86" } else { "87" };
                    let key = (order_of(rubrique), rubrique.to_string(), None, Some(cle));
                    lines.entry(key.clone()).or_insert_with(|| Ligne {
                        rubrique: rubrique.into(),
                        libelle: libelle.into(),
                        financeur: None,
                        nature: Some(cle),
                        prevision: 0,
                        realisation: 0,
                        affecte: 0,
                        reparti: 0,
                        explication: None,
                        au_dela_du_seuil: false,
                    });
                    return Some(key);
                }
                let fin = if group == "74" { fin.clone() } else { None };
                let key = (order_of(&group), group.clone(), fin.clone(), None);
                lines.entry(key.clone()).or_insert_with(|| Ligne {
                    libelle: libelle_of(&group, financeur(&fin).as_ref()),
                    rubrique: group,
                    financeur: financeur(&fin),
                    nature: None,
                    prevision: 0,
                    realisation: 0,
                    affecte: 0,
                    reparti: 0,
                    explication: None,
                    au_dela_du_seuil: false,
                });
                Some(key)
            };
        for (g, _) in CHARGES.iter().chain(PRODUITS.iter()) {
            if *g != "74" {
                place(&mut lines, &format!("{g}0"), &None);
            }
        }
        for p in budget {
            if let Some(k) = place(&mut lines, &p.compte, &p.financeur) {
                lines.get_mut(&k).expect("placed").prevision += p.montant;
            }
        }
        // Budget subsidy accounts that name one funder only.
        let mut by_account: BTreeMap<&str, Vec<&String>> = BTreeMap::new();
        for p in budget.iter().filter(|p| p.compte.starts_with("74")) {
            if let Some(f) = &p.financeur {
                let v = by_account.entry(p.compte.as_str()).or_default();
                if !v.contains(&f) {
                    v.push(f);
                }
            }
        }
        for r in realise {
            let mut fin = r.financeur.clone();
            if fin.is_none() && r.compte.starts_with("74") {
                fin = by_account
                    .iter()
                    .filter(|(c, v)| r.compte.starts_with(**c) && v.len() == 1)
                    .max_by_key(|(c, _)| c.len())
                    .map(|(_, v)| v[0].clone());
            }
            if let Some(k) = place(&mut lines, &r.compte, &fin) {
                let l = lines.get_mut(&k).expect("placed");
                l.realisation += r.montant;
                match r.origine {
                    Some(Origine::Affecte) => l.affecte += r.montant,
                    Some(Origine::Reparti) => l.reparti += r.montant,
                    _ => {}
                }
            }
        }
        if !lines.keys().any(|k| k.1 == "74") {
            place(&mut lines, "74", &None);
        }
        for rubrique in ["86", "87"] {
            if !lines.keys().any(|k| k.1 == rubrique) {
                let key = (order_of(rubrique), rubrique.to_string(), None, None);
                lines.insert(
                    key,
                    Ligne {
                        rubrique: rubrique.into(),
                        libelle: if rubrique == "86" {
                            "Emplois des contributions volontaires en nature".into()
                        } else {
                            "Contributions volontaires en nature".into()
                        },
                        financeur: None,
                        nature: None,
                        prevision: 0,
                        realisation: 0,
                        affecte: 0,
                        reparti: 0,
                        explication: None,
                        au_dela_du_seuil: false,
                    },
                );
            }
        }
        let mut charges = Vec::new();
        let mut produits = Vec::new();
        let mut all: Vec<Ligne> = lines.into_values().collect();
        // Subsidies in the form's order of funder types, then by name.
        all.sort_by(|a, b| {
            (order_of(&a.rubrique), funder_rank(a), &a.financeur).cmp(&(
                order_of(&b.rubrique),
                funder_rank(b),
                &b.financeur,
            ))
        });
        for mut l in all {
            l.au_dela_du_seuil = au_dela(l.prevision, l.realisation, seuil);
            l.explication = explications
                .get(&l.cle())
                .or_else(|| explications.get(&l.rubrique))
                .cloned();
            if l.rubrique.starts_with('6') || l.rubrique == "86" {
                charges.push(l);
            } else {
                produits.push(l);
            }
        }
        CompteRendu {
            charges,
            produits,
            seuil,
        }
    }

    fn sum(lines: &[Ligne], f: impl Fn(&Ligne) -> i64) -> i64 {
        lines
            .iter()
            .filter(|l| l.rubrique != "86" && l.rubrique != "87")
            .map(f)
            .sum()
    }

    /// Total charges (prévision, réalisation), contributions volontaires apart.
    pub fn total_charges(&self) -> (i64, i64) {
        (
            Self::sum(&self.charges, |l| l.prevision),
            Self::sum(&self.charges, |l| l.realisation),
        )
    }

    pub fn total_produits(&self) -> (i64, i64) {
        (
            Self::sum(&self.produits, |l| l.prevision),
            Self::sum(&self.produits, |l| l.realisation),
        )
    }

    /// 86 and 87 (prévision, réalisation).
    pub fn contributions(&self) -> ((i64, i64), (i64, i64)) {
        let of = |v: &[Ligne], r: &str| {
            v.iter()
                .filter(|l| l.rubrique == r)
                .fold((0, 0), |(p, x), l| (p + l.prevision, x + l.realisation))
        };
        (of(&self.charges, "86"), of(&self.produits, "87"))
    }

    /// The subsidies' share (74) of the products actually received, in tenths of a
    /// percent.
    pub fn part_subvention(&self) -> Option<i64> {
        let subventions: i64 = self
            .produits
            .iter()
            .filter(|l| l.rubrique == "74")
            .map(|l| l.realisation)
            .sum();
        pct_dixiemes(subventions, self.total_produits().1)
    }

    /// Lines over the threshold with no explanation yet.
    pub fn inexpliquees(&self) -> Vec<&Ligne> {
        self.charges
            .iter()
            .chain(&self.produits)
            .filter(|l| l.au_dela_du_seuil && l.explication.is_none())
            .collect()
    }
}

/// Whether a gap needs an explanation: over the threshold of the forecast, or any
/// amount where none was planned.
pub fn au_dela(prevision: i64, realisation: i64, seuil: u32) -> bool {
    let ecart = i128::from(realisation - prevision).abs();
    if prevision == 0 {
        return ecart != 0;
    }
    ecart * 100 > i128::from(seuil) * i128::from(prevision).abs()
}

fn order_of(rubrique: &str) -> u8 {
    match rubrique {
        "86" => 69,
        "87" => 99,
        r => r.parse().unwrap_or(98),
    }
}

fn funder_rank(l: &Ligne) -> (bool, usize) {
    match l.financeur.as_ref().map(|f| f.type_financeur) {
        None => (true, 0),
        Some(None) => (false, TypeFinanceur::ALL.len()),
        Some(Some(t)) => (
            false,
            TypeFinanceur::ALL.iter().position(|x| *x == t).unwrap_or(0),
        ),
    }
}

fn libelle_of(group: &str, financeur: Option<&Financeur>) -> String {
    let base = CHARGES
        .iter()
        .chain(PRODUITS.iter())
        .find(|(g, _)| *g == group)
        .map_or_else(|| format!("Comptes {group}"), |(_, l)| (*l).to_string());
    match financeur {
        Some(f) => match f.type_financeur {
            Some(t) => format!("{base} — {} : {}", t.libelle(), f.nom),
            None => format!("{base} — {}", f.nom),
        },
        None if group == "74" => format!("{base} (financeur non précisé)"),
        None => base,
    }
}

/// A share as typed (`40`, `40 %`, `12,5%`, `33.33`) in hundredths of a percent,
/// above 0 and at most 100.
pub fn parse_part(input: &str) -> anyhow::Result<u32> {
    let s = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let (units, decimals) = s.split_once('.').unwrap_or((s.as_str(), ""));
    let ok = !units.is_empty()
        && units.len() <= 3
        && decimals.len() <= 2
        && units
            .chars()
            .chain(decimals.chars())
            .all(|c| c.is_ascii_digit());
    let value = ok.then(|| {
        let u: u32 = units.parse().unwrap_or(0);
        let d: u32 = format!("{decimals:0<2}").parse().unwrap_or(0);
        u * 100 + d
    });
    match value {
        Some(v) if v > 0 && v <= 10_000 => Ok(v),
        _ => crate::bail_user!(
            "part « {} » illisible : attendu un pourcentage au-dessus de 0 et au plus 100, au centième près (40, 40 %, 12,5 %)",
            crate::domain::excerpt(input.trim())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_away_from_zero_and_are_none_without_forecast() {
        assert_eq!(pct_dixiemes(1, 8), Some(125));
        assert_eq!(pct_dixiemes(-1, 8), Some(-125));
        assert_eq!(pct_dixiemes(1, 3), Some(333));
        assert_eq!(pct_dixiemes(2, 3), Some(667));
        assert_eq!(pct_dixiemes(5, 0), None);
        assert_eq!(pct_fr(-125), "-12,5\u{a0}%");
        assert!(au_dela(10_000, 11_501, 15));
        assert!(!au_dela(10_000, 11_500, 15));
        assert!(au_dela(10_000, 8_499, 15));
        assert!(au_dela(0, 1, 15));
        assert!(!au_dela(0, 0, 15));
        assert_eq!(parse_part("40").unwrap(), 4_000);
        assert_eq!(parse_part("12,5 %").unwrap(), 1_250);
        assert_eq!(parse_part("33.33%").unwrap(), 3_333);
        assert_eq!(parse_part("100").unwrap(), 10_000);
        for bad in ["0", "100,01", "-5", "abc", "12,345", ""] {
            assert!(parse_part(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_follow_the_form_and_subsidies_find_their_funder_by_account() {
        let budget = vec![
            Prevu {
                compte: "641".into(),
                montant: 100_000,
                financeur: None,
            },
            Prevu {
                compte: "7413".into(),
                montant: 60_000,
                financeur: Some("Département".into()),
            },
            Prevu {
                compte: "7418".into(),
                montant: 40_000,
                financeur: Some("Fondation".into()),
            },
            Prevu {
                compte: "870".into(),
                montant: 5_000,
                financeur: None,
            },
            Prevu {
                compte: "864".into(),
                montant: 5_000,
                financeur: None,
            },
        ];
        let part = |compte: &str, montant: i64, origine: Origine| Part {
            projet: Some("P".into()),
            compte: compte.into(),
            financeur: None,
            origine: Some(origine),
            montant,
        };
        let realise = vec![
            part("6411", 80_000, Origine::Direct),
            part("6411", 40_000, Origine::Reparti),
            part("741300", 60_000, Origine::Affecte),
            part("741800", 30_000, Origine::Affecte),
            part("875", 2_000, Origine::Direct),
        ];
        let mut fin = BTreeMap::new();
        fin.insert("Département".to_string(), Some(TypeFinanceur::Departement));
        fin.insert("Fondation".to_string(), Some(TypeFinanceur::Prive));
        let mut expl = BTreeMap::new();
        expl.insert("74:Fondation".to_string(), "Versement partiel".to_string());
        let cr = CompteRendu::build(Plan::Crc1999, &budget, &realise, &fin, 15, &expl);
        let rubriques: Vec<&str> = cr.charges.iter().map(|l| l.rubrique.as_str()).collect();
        assert_eq!(
            rubriques,
            ["60", "61", "62", "63", "64", "65", "66", "67", "68", "86"]
        );
        let p64 = &cr.charges[4];
        assert_eq!(
            (p64.prevision, p64.realisation, p64.affecte, p64.reparti),
            (100_000, 120_000, 0, 40_000)
        );
        assert_eq!(p64.ecart_dixiemes(), Some(200));
        assert!(p64.au_dela_du_seuil);
        let keys: Vec<String> = cr.produits.iter().map(Ligne::cle).collect();
        assert_eq!(
            keys,
            [
                "70",
                "73",
                "74:Département",
                "74:Fondation",
                "75",
                "76",
                "77",
                "78",
                "79",
                "87",
                "87"
            ]
        );
        let fondation = &cr.produits[3];
        assert_eq!(
            (fondation.prevision, fondation.realisation),
            (40_000, 30_000)
        );
        assert_eq!(fondation.explication.as_deref(), Some("Versement partiel"));
        // 1999 chart: 870 is bénévolat (planned), 875 dons en nature (realised).
        let natures: Vec<_> = cr.produits[9..]
            .iter()
            .map(|l| (l.nature, l.prevision, l.realisation))
            .collect();
        assert_eq!(
            natures,
            [
                (Some("benevolat"), 5_000, 0),
                (Some("dons_en_nature"), 0, 2_000)
            ]
        );
        assert_eq!(cr.total_charges(), (100_000, 120_000));
        assert_eq!(cr.total_produits(), (100_000, 90_000));
        assert_eq!(cr.part_subvention(), Some(1000));
        let open: Vec<String> = cr.inexpliquees().iter().map(|l| l.cle()).collect();
        assert_eq!(open, ["64", "86", "87", "87"]);
    }
}
