//! Budgets: one per year and project (or for the whole association), replaced by a new
//! import while the earlier versions stay.

use crate::bail_user;
use crate::db::{gid, now, refs};
use crate::domain::compte_rendu::Prevu;
use crate::domain::money::Money;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// One row of a budget file, checked.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub annee: i32,
    pub projet: Option<String>,
    pub compte: String,
    pub montant: i64,
    pub financeur: Option<String>,
}

/// A budget written by an import.
#[derive(Debug, Clone)]
pub struct Written {
    pub annee: i32,
    pub projet: Option<String>,
    pub version: i64,
    pub charges: i64,
    pub produits: i64,
    pub replaced: bool,
}

/// Charges + 86 against products + 87 of some rows: (emplois, ressources).
pub fn sides(rows: &[Row]) -> (i64, i64) {
    rows.iter().fold((0, 0), |(e, r), x| {
        if x.compte.starts_with('6') || x.compte.starts_with("86") {
            (e + x.montant, r)
        } else {
            (e, r + x.montant)
        }
    })
}

/// Writes the budgets of a file, one per (year, project), each the new current version
/// of its year and project. A budget that does not balance is refused with its gap.
pub fn import(conn: &Connection, name: &str, rows: &[Row]) -> Result<Vec<Written>> {
    type Group = ((i32, Option<String>), Vec<Row>);
    let mut groups: Vec<Group> = Vec::new();
    for r in rows {
        let key = (r.annee, r.projet.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(r.clone()),
            None => groups.push((key, vec![r.clone()])),
        }
    }
    let mut written = Vec::new();
    for ((annee, projet), rows) in groups {
        let (emplois, ressources) = sides(&rows);
        let what = match &projet {
            Some(p) => format!("budget {annee} du projet {p}"),
            None => format!("budget {annee} de l'association"),
        };
        if emplois != ressources {
            let gap = Money((emplois - ressources).abs());
            let (more, less) = if emplois > ressources {
                ("charges", "produits")
            } else {
                ("produits", "charges")
            };
            bail_user!(
                "{name} : le {what} n'est pas équilibré : charges et emplois (6, 86) {}, produits et contributions (7, 87) {} ; il y a {gap} de {more} en plus. Ajoutez {gap} de {less} (ou retirez-les des {more}) : un budget présenté à un financeur est équilibré.",
                Money(emplois),
                Money(ressources)
            );
        }
        let projet_id = projet
            .as_deref()
            .map(|p| refs::projet_id(conn, p))
            .transpose()
            .map_err(|e| crate::error::in_field("projet", e))?;
        let replaced = conn.execute(
            "UPDATE budget SET remplace_le = ?3
             WHERE annee = ?1 AND coalesce(projet_id, 0) = coalesce(?2, 0) AND remplace_le IS NULL",
            params![annee, projet_id, now()],
        )? > 0;
        let version: i64 = conn.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM budget
             WHERE annee = ?1 AND coalesce(projet_id, 0) = coalesce(?2, 0)",
            params![annee, projet_id],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO budget (gid, annee, projet_id, version, fichier, importe_le)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![gid::new(), annee, projet_id, version, name, now()],
        )?;
        let id = conn.last_insert_rowid();
        let mut st = conn.prepare_cached(
            "INSERT INTO budget_ligne (gid, budget_id, compte, montant, partenaire_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in &rows {
            let financeur = r
                .financeur
                .as_deref()
                .map(|f| refs::partenaire_id(conn, f))
                .transpose()
                .map_err(|e| {
                    crate::error::user(format!("{name}, ligne {} : financeur : {e:#}", r.line))
                })?;
            st.execute(params![gid::new(), id, r.compte, r.montant, financeur])?;
        }
        written.push(Written {
            annee,
            projet,
            version,
            charges: emplois,
            produits: ressources,
            replaced,
        });
    }
    Ok(written)
}

/// The current budget of a year and project (`None`: the association's).
#[derive(Debug, Clone)]
pub struct Budget {
    pub version: i64,
    pub fichier: String,
    pub importe_le: String,
    pub lignes: Vec<Prevu>,
}

pub fn current(conn: &Connection, annee: i32, projet: Option<i64>) -> Result<Option<Budget>> {
    let head: Option<(i64, i64, String, String)> = conn
        .query_row(
            "SELECT id, version, fichier, importe_le FROM budget
             WHERE annee = ?1 AND coalesce(projet_id, 0) = coalesce(?2, 0) AND remplace_le IS NULL",
            params![annee, projet],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, version, fichier, importe_le)) = head else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT l.compte, l.montant, p.nom FROM budget_ligne l
         LEFT JOIN partenaire p ON p.id = l.partenaire_id
         WHERE l.budget_id = ?1 ORDER BY l.compte, l.id",
    )?;
    let lignes = st
        .query_map([id], |r| {
            Ok(Prevu {
                compte: r.get(0)?,
                montant: r.get(1)?,
                financeur: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Budget {
        version,
        fichier,
        importe_le,
        lignes,
    }))
}

/// The earlier versions of a year and project's budget: (version, file, replaced on).
pub fn earlier(
    conn: &Connection,
    annee: i32,
    projet: Option<i64>,
) -> Result<Vec<(i64, String, String)>> {
    let mut st = conn.prepare_cached(
        "SELECT version, fichier, remplace_le FROM budget
         WHERE annee = ?1 AND coalesce(projet_id, 0) = coalesce(?2, 0) AND remplace_le IS NOT NULL
         ORDER BY version",
    )?;
    let rows = st.query_map(params![annee, projet], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
