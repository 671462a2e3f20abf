//! The SQL behind the accountant's reports (balance générale, grand livre, journal,
//! solde of an account): each query hands its rows to a callback as SQLite reads them,
//! so that a report over a million lines holds one line at a time. Sorting is left
//! to SQLite, which spills to temporary files rather than memory.

use crate::db::reports;
use crate::domain::date::year_bounds;
use crate::domain::money::Money;
use anyhow::Result;
use rusqlite::{Connection, params};

/// One account's movements over the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mouvement {
    pub compte: String,
    pub debit: Money,
    pub credit: Money,
}

/// Total debit and credit by account (as written on the lines), accounts in order.
pub fn balance(
    conn: &Connection,
    annee: i32,
    mut each: impl FnMut(Mouvement) -> Result<()>,
) -> Result<()> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT l.compte, sum(l.debit), sum(l.credit)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date < ?2
         GROUP BY l.compte ORDER BY l.compte",
    )?;
    let mut rows = st.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        each(Mouvement {
            compte: r.get(0)?,
            debit: Money(r.get(1)?),
            credit: Money(r.get(2)?),
        })?;
    }
    Ok(())
}

/// One line of an entry with the entry's details, for the grand livre and the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneLivre {
    pub numero: i64,
    pub date: String,
    pub journal: Option<String>,
    /// The number in the accountant's file the entry came from, if any.
    pub numero_source: Option<String>,
    pub piece: Option<String>,
    pub libelle: String,
    pub compte: String,
    pub debit: Money,
    pub credit: Money,
}

fn ligne_livre(r: &rusqlite::Row<'_>) -> rusqlite::Result<LigneLivre> {
    Ok(LigneLivre {
        numero: r.get(0)?,
        date: r.get(1)?,
        journal: r.get(2)?,
        numero_source: r.get(3)?,
        piece: r.get(4)?,
        libelle: r.get(5)?,
        compte: r.get(6)?,
        debit: Money(r.get(7)?),
        credit: Money(r.get(8)?),
    })
}

/// The year's lines by account, then date and entry: the grand livre. With `compte`,
/// only that account and its sub-accounts.
pub fn grand_livre(
    conn: &Connection,
    annee: i32,
    compte: Option<&str>,
    mut each: impl FnMut(LigneLivre) -> Result<()>,
) -> Result<()> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT e.id, e.date, j.journal,
e.numero_source, e.piece, e.libelle, l.compte, l.debit, l.credit
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         JOIN ecriture_journal j ON j.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date < ?2
           AND (?3 IS NULL OR substr(l.compte, 1, length(?3)) = ?3)
         ORDER BY l.compte, e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![start, end, compte])?;
    while let Some(r) = rows.next()? {
        each(ligne_livre(r)?)?;
    }
    Ok(())
}

/// The year's entries in date order with their lines: the journal. Entries typed in
/// ici carry their journal (BQ, CA, OD…) and their number in it; `journal` keeps only
/// the entries of that code.
pub fn journal(
    conn: &Connection,
    annee: i32,
    journal: Option<&str>,
    mut each: impl FnMut(LigneLivre) -> Result<()>,
) -> Result<()> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT e.id, e.date, j.journal,
e.numero_source, e.piece, e.libelle, l.compte, l.debit, l.credit
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         JOIN ecriture_journal j ON j.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date < ?2
           AND (?3 IS NULL OR upper(j.journal) = upper(?3))
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![start, end, journal])?;
    while let Some(r) = rows.next()? {
        each(ligne_livre(r)?)?;
    }
    Ok(())
}

/// The journal codes used in a year, for the message when one is mistyped.
pub fn journaux(conn: &Connection, annee: i32) -> Result<Vec<String>> {
    let mut st = conn
        .prepare("SELECT DISTINCT journal FROM ecriture_journal WHERE exercice = ?1 ORDER BY 1")?;
    let rows = st.query_map([annee], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The balance of an account and its sub-accounts at the end of day `au`
/// (`YYYY-MM-DD`), by sub-account. An account of the result (classes 6 to 8) counts
/// from 1 January of that year, as its balance starts again each exercice; a
/// balance-sheet account from the latest opening entries (« à nouveaux ») up to that
/// year, which restate everything before, else from the first entry.
pub fn solde(conn: &Connection, compte: &str, au: &str, annee: i32) -> Result<Vec<Mouvement>> {
    let from = if matches!(compte.as_bytes().first(), Some(b'6'..=b'8')) {
        year_bounds(annee).0
    } else {
        match reports::derniere_ouverture(conn, annee)? {
            Some(y) => year_bounds(y).0,
            None => "0000-00-00".to_string(),
        }
    };
    let mut st = conn.prepare(
        "SELECT l.compte, sum(l.debit), sum(l.credit)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date <= ?2
           AND substr(l.compte, 1, length(?3)) = ?3
         GROUP BY l.compte ORDER BY l.compte",
    )?;
    let rows = st.query_map(params![from, au, compte], |r| {
        Ok(Mouvement {
            compte: r.get(0)?,
            debit: Money(r.get(1)?),
            credit: Money(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
