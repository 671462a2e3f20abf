//! Transactions (écritures) and their lines in the ledger.

use crate::db::{now, refs};
use crate::domain::finance::NewEcriture;
use crate::domain::money::Money;
use crate::error::in_field;
use anyhow::{Result, ensure};
use rusqlite::{Connection, params};

/// Resolves the names of a checked transaction and writes it with its lines.
pub fn insert(conn: &Connection, e: &NewEcriture) -> Result<i64> {
    ensure!(e.is_balanced(), "écriture déséquilibrée : {e:?}");
    let tiers_id = e
        .tiers
        .as_deref()
        .map(|t| refs::partenaire_id(conn, t))
        .transpose()
        .map_err(|e| in_field("tiers", e))?;
    let projet_id = e
        .projet
        .as_deref()
        .map(|p| refs::projet_id(conn, p))
        .transpose()
        .map_err(|e| in_field("projet", e))?;
    conn.prepare_cached(
        "INSERT INTO ecriture (date, libelle, piece, tiers_id, projet_id, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        e.date.format("%Y-%m-%d").to_string(),
        e.libelle,
        e.piece,
        tiers_id,
        projet_id,
        now(),
    ])?;
    let id = conn.last_insert_rowid();
    let mut st = conn.prepare_cached(
        "INSERT INTO ligne (ecriture_id, compte, debit, credit) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for l in &e.lignes {
        st.execute(params![
            id,
            l.compte.as_str(),
            l.debit.cents(),
            l.credit.cents()
        ])?;
    }
    Ok(id)
}

/// One transaction line with its transaction's details, for listings and exports.
#[derive(Debug, Clone)]
pub struct LigneDetail {
    pub numero: i64,
    pub date: String,
    pub compte: String,
    pub libelle: String,
    pub tiers: Option<String>,
    pub projet: Option<String>,
    pub piece: Option<String>,
    pub debit: Money,
    pub credit: Money,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub period: Option<(String, String)>,
    pub projet_id: Option<i64>,
    pub tiers_id: Option<i64>,
}

/// Lines in date order, reading only the filtered range through the date index.
pub fn lines(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(LigneDetail) -> Result<()>,
) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let mut st = conn.prepare(
        "SELECT e.id, e.date, l.compte, e.libelle, t.nom, p.nom, e.piece, l.debit, l.credit
         FROM ecriture e
         JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN partenaire t ON t.id = e.tiers_id
         LEFT JOIN projet p ON p.id = e.projet_id
         WHERE e.date >= ?1 AND e.date < ?2
           AND (?3 IS NULL OR e.projet_id = ?3)
           AND (?4 IS NULL OR e.tiers_id = ?4)
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![start, end, f.projet_id, f.tiers_id])?;
    while let Some(r) = rows.next()? {
        each(LigneDetail {
            numero: r.get(0)?,
            date: r.get(1)?,
            compte: r.get(2)?,
            libelle: r.get(3)?,
            tiers: r.get(4)?,
            projet: r.get(5)?,
            piece: r.get(6)?,
            debit: Money(r.get(7)?),
            credit: Money(r.get(8)?),
        })?;
    }
    Ok(())
}
