//! The lines of an accountant's file on their way in: a temporary table of the import's
//! transaction, so that a million lines are checked as a whole (entries balanced, of one
//! date, their lines apart or not) in bounded memory, then read back entry by entry.

use crate::domain::fec::{FecEntry, FecLine, Row, entry_problem};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// Creates the table, empty; it disappears with the connection, or with the
/// transaction when that is rolled back.
pub fn create(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.fec_stage;
         CREATE TEMP TABLE fec_stage (
             line        INTEGER PRIMARY KEY,
             journal     TEXT NOT NULL,
             numero      TEXT NOT NULL,
             date        TEXT NOT NULL,
             compte      TEXT NOT NULL,
             compte_lib  TEXT,
             aux_num     TEXT,
             aux_lib     TEXT,
             libelle     TEXT,
             debit       INTEGER NOT NULL,
             credit      INTEGER NOT NULL,
             journal_lib TEXT,
             piece_ref   TEXT,
             piece_date  TEXT,
             valid_date  TEXT,
             lettrage    TEXT,
             date_let    TEXT,
             montant_dev TEXT,
             devise      TEXT
         );",
    )?;
    Ok(())
}

/// Text as a FEC writes it; empty, `-` and `/` mean nothing.
fn text(s: &str) -> Option<&str> {
    match s {
        "" | "-" | "/" => None,
        _ => Some(s),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Keeps one line read from the file.
pub fn insert(conn: &Connection, line: usize, row: &Row<'_>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO temp.fec_stage VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        line as i64,
        row.journal,
        row.numero,
        iso(row.date),
        row.compte,
        text(row.compte_lib),
        text(row.aux_num),
        text(row.aux_lib),
        text(row.libelle),
        row.debit,
        row.credit,
        text(row.journal_lib),
        text(row.piece_ref),
        row.piece_date.map(iso),
        row.valid_date.map(iso),
        text(row.extra[0]),
        text(row.extra[1]),
        text(row.extra[2]),
        text(row.extra[3]),
    ])?;
    Ok(())
}

/// Indexes the lines by entry, once they are all in (one sort instead of a million
/// index updates).
pub fn index(conn: &Connection) -> Result<()> {
    conn.execute_batch("CREATE INDEX temp.fec_stage_entry ON fec_stage (journal, numero, line);")?;
    Ok(())
}

pub fn drop(conn: &Connection) -> Result<()> {
    conn.execute_batch("DROP TABLE temp.fec_stage;")?;
    Ok(())
}

fn date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

/// The problems of the entries, in the order of their first line: lines of another
/// date, unbalanced, all zero. Returns the first `max` messages and how many there are.
pub fn entry_problems(conn: &Connection, max: usize) -> Result<(Vec<String>, usize)> {
    let mut st = conn.prepare(
        "SELECT journal, numero, min(line) AS first FROM temp.fec_stage
         GROUP BY journal, numero
         HAVING count(DISTINCT date) > 1 OR sum(debit) <> sum(credit) OR sum(debit) = 0
         ORDER BY first",
    )?;
    let mut rows = st.query([])?;
    let mut lines = conn.prepare(
        "SELECT line, date, compte, debit, credit FROM temp.fec_stage
         WHERE journal = ?1 AND numero = ?2 ORDER BY line",
    )?;
    let (mut shown, mut count) = (Vec::new(), 0);
    while let Some(r) = rows.next()? {
        count += 1;
        if shown.len() >= max {
            continue;
        }
        let (journal, numero): (String, String) = (r.get(0)?, r.get(1)?);
        let mut entry: Option<FecEntry> = None;
        let mut other_dates = Vec::new();
        let mut q = lines.query(params![journal, numero])?;
        while let Some(l) = q.next()? {
            let line = l.get::<_, i64>(0)? as usize;
            let d = date(&l.get::<_, String>(1)?)?;
            let fec_line = FecLine {
                line,
                compte: l.get(2)?,
                compte_lib: None,
                aux_num: None,
                aux_lib: None,
                libelle: None,
                debit: l.get(3)?,
                credit: l.get(4)?,
                extra: Default::default(),
            };
            match &mut entry {
                None => {
                    entry = Some(FecEntry {
                        journal: journal.clone(),
                        journal_lib: None,
                        numero: numero.clone(),
                        date: d,
                        piece_ref: None,
                        piece_date: None,
                        valid_date: None,
                        lines: vec![fec_line],
                    })
                }
                Some(e) if e.date == d => e.lines.push(fec_line),
                Some(_) => other_dates.push((0, line, d)),
            }
        }
        if let Some(message) = entry.and_then(|e| entry_problem(&e, &other_dates)) {
            shown.push(message);
        }
    }
    Ok((shown, count))
}

/// Calls `f` with each entry, in the order of its first line, its lines in file order
/// and those with neither debit nor credit left out. Returns the number of entries.
pub fn for_each_entry(
    conn: &Connection,
    f: &mut dyn FnMut(FecEntry) -> Result<()>,
) -> Result<usize> {
    // Most files write the lines of an entry one after the other: then the file's own
    // order groups them, with no sort.
    let scattered: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT 1 FROM temp.fec_stage GROUP BY journal, numero
                               HAVING max(line) - min(line) + 1 <> count(*))",
        [],
        |r| r.get(0),
    )?;
    let sql = if scattered == 0 {
        "SELECT journal, numero, date, line, compte, compte_lib, aux_num, aux_lib, libelle,
                debit, credit, journal_lib, piece_ref, piece_date, valid_date, lettrage,
                date_let, montant_dev, devise
         FROM temp.fec_stage ORDER BY line"
    } else {
        "SELECT s.journal, s.numero, s.date, s.line, s.compte, s.compte_lib, s.aux_num,
                s.aux_lib, s.libelle, s.debit, s.credit, s.journal_lib, s.piece_ref,
                s.piece_date, s.valid_date, s.lettrage, s.date_let, s.montant_dev, s.devise
         FROM (SELECT journal, numero, min(line) AS first FROM temp.fec_stage
               GROUP BY journal, numero) e
         JOIN temp.fec_stage s ON s.journal = e.journal AND s.numero = e.numero
         ORDER BY e.first, s.line"
    };
    let mut st = conn.prepare(sql)?;
    let mut rows = st.query([])?;
    let mut current: Option<FecEntry> = None;
    let mut count = 0;
    let opt_date = |s: Option<String>| s.as_deref().map(date).transpose();
    while let Some(r) = rows.next()? {
        let journal: String = r.get(0)?;
        let numero: String = r.get(1)?;
        let line = FecLine {
            line: r.get::<_, i64>(3)? as usize,
            compte: r.get(4)?,
            compte_lib: r.get(5)?,
            aux_num: r.get(6)?,
            aux_lib: r.get(7)?,
            libelle: r.get(8)?,
            debit: r.get(9)?,
            credit: r.get(10)?,
            extra: crate::domain::fec::LineExtra {
                lettrage: r.get(15)?,
                date_lettrage: r.get(16)?,
                montant_devise: r.get(17)?,
                devise: r.get(18)?,
            },
        };
        let journal_lib: Option<String> = r.get(11)?;
        let piece_ref: Option<String> = r.get(12)?;
        let piece_date = opt_date(r.get(13)?)?;
        let valid_date = opt_date(r.get(14)?)?;
        match &mut current {
            Some(e) if e.journal == journal && e.numero == numero => {
                if e.journal_lib.is_none() {
                    e.journal_lib = journal_lib;
                }
                if e.piece_ref.is_none() {
                    e.piece_ref = piece_ref;
                }
                e.piece_date = e.piece_date.or(piece_date);
                e.valid_date = e.valid_date.or(valid_date);
                e.lines.push(line);
            }
            _ => {
                if let Some(mut done) = current.take() {
                    done.lines.retain(|l| l.debit != 0 || l.credit != 0);
                    f(done)?;
                    count += 1;
                }
                current = Some(FecEntry {
                    journal,
                    journal_lib,
                    numero,
                    date: date(&r.get::<_, String>(2)?)?,
                    piece_ref,
                    piece_date,
                    valid_date,
                    lines: vec![line],
                });
            }
        }
    }
    if let Some(mut done) = current.take() {
        done.lines.retain(|l| l.debit != 0 || l.credit != 0);
        f(done)?;
        count += 1;
    }
    Ok(count)
}
