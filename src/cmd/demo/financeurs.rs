//! What the demonstration adds for the funders of 2017: the agreements, the budgets
//! (illustrative, see `fixtures/2017/README.md`), the entries of the accountant's books
//! given to their project (the association's own records say which), the 2017 key by
//! hours for salaries, and the explanations of the gaps.

use crate::db::financeurs::{analytique, conventions};
use crate::db::refs;
use crate::domain::compte_rendu::parse_part;
use crate::domain::compte_rendu::repartition::parts_pct;
use crate::domain::money::Money;
use anyhow::{Context, Result, anyhow};
use rusqlite::Connection;

pub const CONVENTIONS: (&str, &str) = (
    "fixtures/2017/conventions.csv",
    include_str!("../../../fixtures/2017/conventions.csv"),
);
pub const BUDGETS: (&str, &str) = (
    "fixtures/2017/budgets.csv",
    include_str!("../../../fixtures/2017/budgets.csv"),
);
pub const AFFECTATIONS: (&str, &str) = (
    "fixtures/2017/affectations.csv",
    include_str!("../../../fixtures/2017/affectations.csv"),
);
pub const EXPLICATIONS: (&str, &str) = (
    "fixtures/2017/explications.csv",
    include_str!("../../../fixtures/2017/explications.csv"),
);

/// Said wherever the demo shows a compte rendu.
pub const NOTE: &str = "Le compte rendu de #MedNum94 est illustratif : les conventions, budgets et explications de fixtures/2017/ (conventions.csv, budgets.csv, explications.csv) ont été écrits pour la démonstration ; les réalisations viennent des comptes 2017 du cabinet, les affectations des projets notés par l'association (fixtures/2017/affectations.csv) et la clé par heures de sessions.";

/// The 2017 key: salaries (64) and the shared external services (61, 62: rent,
/// insurance, phone…) by the hours of each project's sessions.
pub const CLE_2017: ([&str; 3], &str) = (["64", "61", "62"], "heures");

/// The rows of a bundled `;` file, by column name.
fn rows(text: &str) -> Result<Vec<std::collections::HashMap<String, String>>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = r.headers()?.clone();
    r.records()
        .map(|rec| {
            let rec = rec?;
            Ok(headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.trim().to_string()))
                .collect())
        })
        .collect()
}

fn field<'a>(row: &'a std::collections::HashMap<String, String>, k: &str) -> &'a str {
    row.get(k).map_or("", String::as_str)
}

/// Loads everything, in the demo ledger's transaction.
pub fn load(conn: &Connection) -> Result<()> {
    for row in rows(CONVENTIONS.1)? {
        let seuil = field(&row, "seuil");
        conventions::add(
            conn,
            &conventions::NewConvention {
                financeur: field(&row, "financeur"),
                projet: field(&row, "projet"),
                debut: field(&row, "debut").into(),
                fin: field(&row, "fin").into(),
                montant: Money::parse_positive(field(&row, "montant"))?.cents(),
                reference: Some(field(&row, "reference").to_string()).filter(|s| !s.is_empty()),
                seuil: if seuil.is_empty() {
                    crate::domain::compte_rendu::SEUIL_PAR_DEFAUT
                } else {
                    seuil.parse()?
                },
            },
        )
        .with_context(|| format!("chargement de {}", CONVENTIONS.0))?;
    }
    crate::cmd::budget::import_bytes(conn, BUDGETS.0, BUDGETS.1.as_bytes())
        .with_context(|| format!("chargement de {}", BUDGETS.0))?;
    for row in rows(AFFECTATIONS.1)? {
        let piece = field(&row, "piece");
        // The entry of that piece that carries a charge or a product (its payment,
        // under the same piece, carries none).
        let numero: i64 = conn
            .query_row(
                "SELECT e.id FROM ecriture e WHERE e.piece = ?1
                   AND EXISTS (SELECT 1 FROM ligne l WHERE l.ecriture_id = e.id
                               AND substr(l.compte, 1, 1) IN ('6', '7'))
                 ORDER BY e.id LIMIT 1",
                [piece],
                |r| r.get(0),
            )
            .map_err(|_| anyhow!("{} : pièce {piece} introuvable", AFFECTATIONS.0))?;
        analytique::affecte(
            conn,
            numero,
            field(&row, "projet"),
            parse_part(field(&row, "part"))?,
        )
        .with_context(|| format!("chargement de {}", AFFECTATIONS.0))?;
    }
    let bases = analytique::bases(conn, 2017, analytique::Base::Heures)?;
    let weights: Vec<u64> = bases.iter().map(|(_, b)| *b).collect();
    let pcts = parts_pct(&weights, weights.iter().sum());
    let parts: Vec<(String, u64, u32)> = bases
        .into_iter()
        .zip(pcts)
        .map(|((p, b), s)| (p, b, s as u32))
        .collect();
    let comptes: Vec<String> = CLE_2017.0.iter().map(|c| c.to_string()).collect();
    analytique::enregistre(conn, 2017, &comptes, CLE_2017.1, &parts)?;
    for row in rows(EXPLICATIONS.1)? {
        let projet = refs::projet_id(conn, field(&row, "projet"))?;
        let (rubrique, financeur) = match field(&row, "rubrique").split_once(':') {
            Some((r, f)) => (r.to_string(), Some(refs::partenaire_id(conn, f)?)),
            None => (field(&row, "rubrique").to_string(), None),
        };
        conventions::explique(
            conn,
            projet,
            field(&row, "annee").parse()?,
            &rubrique,
            financeur,
            field(&row, "texte"),
        )?;
    }
    Ok(())
}
