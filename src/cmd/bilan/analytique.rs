//! The bilan of projects with the analytic layer: what the entries give each project
//! directly, what allocations (`ici affecte`) and the year's key (`ici repartition`)
//! add, and how much of the charges stays with no project.

use crate::db::financeurs::analytique;
use crate::domain::bilan::Solde;
use crate::domain::compte_rendu::pct_dixiemes;
use crate::domain::compte_rendu::repartition::{Origine, Part, ventile};
use crate::domain::money::Money;
use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Value, json};

/// Above this share of the charges left with no project, the bilan says so (percent).
pub const ALERTE_NON_AFFECTE_PCT: i64 = 20;

/// The year's parts of every line, and its key.
pub struct Ventilation {
    pub parts: Vec<Part>,
    pub repartition: Option<analytique::Repartition>,
}

pub fn ventilation(conn: &Connection, annee: i32) -> Result<Ventilation> {
    let lignes = analytique::lignes(conn, annee)?;
    let aff = analytique::affectations(conn, annee)?;
    let repartition = analytique::courante(conn, annee)?;
    let parts = ventile(
        &lignes,
        &aff,
        repartition.as_ref().map(|r| r.cle_domaine()).as_ref(),
    );
    Ok(Ventilation { parts, repartition })
}

fn is_charge(compte: &str) -> bool {
    compte.starts_with('6')
}

fn is_produit(compte: &str) -> bool {
    compte.starts_with('7')
}

/// Per project (None last): produits and charges, each split by origin.
#[derive(Debug, Default, Clone)]
pub struct Totaux {
    pub produits_directs: i64,
    pub produits_affectes: i64,
    pub charges_directes: i64,
    pub charges_affectees: i64,
    pub charges_reparties: i64,
}

impl Totaux {
    pub fn produits(&self) -> i64 {
        self.produits_directs + self.produits_affectes
    }
    pub fn charges(&self) -> i64 {
        self.charges_directes + self.charges_affectees + self.charges_reparties
    }
}

impl Ventilation {
    pub fn par_projet(&self) -> Vec<(Option<String>, Totaux)> {
        let mut map: std::collections::BTreeMap<(bool, Option<String>), Totaux> =
            std::collections::BTreeMap::new();
        for p in &self.parts {
            let t = map
                .entry((p.projet.is_none(), p.projet.clone()))
                .or_default();
            let (direct, affecte, reparti) = match p.origine {
                Some(Origine::Direct) | None => (p.montant, 0, 0),
                Some(Origine::Affecte) => (0, p.montant, 0),
                Some(Origine::Reparti) => (0, 0, p.montant),
            };
            if is_charge(&p.compte) {
                t.charges_directes += direct;
                t.charges_affectees += affecte;
                t.charges_reparties += reparti;
            } else if is_produit(&p.compte) {
                t.produits_directs += direct;
                t.produits_affectes += affecte + reparti;
            }
        }
        map.into_iter().map(|((_, p), t)| (p, t)).collect()
    }

    /// A project's balances by account, as the bilan reads them.
    pub fn soldes(&self, projet: &str) -> Vec<Solde> {
        self.parts
            .iter()
            .filter(|p| p.projet.as_deref() == Some(projet))
            .map(|p| {
                let charge = p.compte.starts_with('6') || p.compte.starts_with("86");
                Solde {
                    compte: p.compte.clone(),
                    tiers: if p.compte.starts_with("74") {
                        p.financeur.clone()
                    } else {
                        None
                    },
                    debit: if charge { p.montant } else { 0 },
                    credit: if charge { 0 } else { p.montant },
                }
            })
            .collect()
    }

    /// Charges with no project, and their share of all charges (tenths of a percent).
    pub fn non_affecte(&self) -> (i64, Option<i64>) {
        let total: i64 = self
            .parts
            .iter()
            .filter(|p| is_charge(&p.compte))
            .map(|p| p.montant)
            .sum();
        let left: i64 = self
            .parts
            .iter()
            .filter(|p| is_charge(&p.compte) && p.projet.is_none())
            .map(|p| p.montant)
            .sum();
        (left, pct_dixiemes(left, total))
    }

    /// The sentence that warns of a large unallocated share, if it is.
    pub fn alerte(&self, annee: i32) -> Option<String> {
        let (left, share) = self.non_affecte();
        let share = share?;
        (share > ALERTE_NON_AFFECTE_PCT * 10).then(|| {
            format!(
                "Attention : {} de charges ({}) ne sont à aucun projet en {annee} ; un compte rendu financier les ignorerait. Répartissez-les (`ici repartition {annee} --comptes 64,61,62 --cle heures`) ou affectez les écritures (`ici affecte N --projet P`).",
                Money(left),
                crate::domain::compte_rendu::pct_fr(share)
            )
        })
    }

    /// The key in JSON, for the bilan's added keys.
    pub fn repartition_json(&self) -> Value {
        self.repartition.as_ref().map_or(Value::Null, |k| {
            json!({
                "comptes": k.comptes,
                "cle": k.cle,
                "parts": k.parts.iter().map(|(p, b, s)| json!({
                    "projet": p,
                    "base": b,
                    "part_pct": pct_dixiemes(i64::from(*s), 10_000).map(crate::domain::compte_rendu::pct_json),
                })).collect::<Vec<_>>(),
            })
        })
    }

    /// The key in words, for tables.
    pub fn repartition_fr(&self, annee: i32) -> String {
        match &self.repartition {
            Some(k) => format!(
                "Clé {annee} : comptes {} répartis {}.",
                k.comptes.join(", "),
                crate::cmd::repartition::en_mots(&k.cle)
            ),
            None => format!(
                "Pas de clé de répartition en {annee} : seules les écritures des projets et les affectations comptent."
            ),
        }
    }
}
