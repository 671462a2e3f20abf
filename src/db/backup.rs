//! Backups: a copy of the whole ledger as of one moment, made with SQLite's online
//! backup while other processes may be writing, and its check once written.

use anyhow::{Context, Result, bail};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// What a ledger holds: its schema version and the number of rows of every table.
#[derive(Debug, PartialEq, Eq)]
pub struct Contents {
    pub version: i64,
    pub tables: Vec<(String, i64)>,
}

impl Contents {
    /// The rows of one table (0 if there is no such table).
    pub fn rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    }
}

fn contents(conn: &Connection) -> Result<Contents> {
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        // A table name cannot be a bound parameter; these come from the schema itself.
        let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
        let n = conn.query_row(&sql, [], |r| r.get(0))?;
        tables.push((name, n));
    }
    Ok(Contents { version, tables })
}

/// Copies the ledger into the empty file `to` and returns what the copy holds.
///
/// One read transaction covers both the counts and the copy, done in a single step:
/// the copy is the ledger as of that moment, whatever other processes write
/// meanwhile (a step-by-step copy would restart at each of their writes).
pub fn copy(from: &Connection, to: &Path) -> Result<Contents> {
    let snapshot = from.unchecked_transaction()?;
    let expected = contents(&snapshot)?;
    let mut dst = Connection::open_with_flags(to, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .with_context(|| format!("ouverture de la copie {}", to.display()))?;
    {
        let backup = Backup::new(&snapshot, &mut dst)?;
        match backup.step(-1)? {
            StepResult::Done => {}
            other => {
                bail!("la copie du registre n'a pas abouti ({other:?}) : relancez `ici sauvegarde`")
            }
        }
    }
    // One self-contained file, readable even from a read-only medium: the ledger's
    // write-ahead mode comes back when `ici` opens the copy as a ledger.
    let mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        bail!("la copie du registre n'a pas pu quitter le mode WAL (mode {mode})");
    }
    dst.close().map_err(|(_, e)| e)?;
    snapshot.rollback()?;
    Ok(expected)
}

/// Opens the copy afresh and checks it: SQLite's integrity check, the same schema
/// version and the same number of rows in every table as the ledger had.
pub fn verify(copy: &Path, expected: &Contents) -> Result<()> {
    let conn = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("ouverture de la copie {}", copy.display()))?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if problems != ["ok"] {
        bail!(
            "la copie ne passe pas le contrôle d'intégrité de SQLite ({}) : elle n'a pas été gardée. Relancez `ici sauvegarde`.",
            problems.join(" ; ")
        );
    }
    let found = contents(&conn)?;
    if found != *expected {
        bail!(
            "la copie ne contient pas ce que contenait le registre (schéma {} au lieu de {}, ou nombre de lignes différent) : elle n'a pas été gardée. Relancez `ici sauvegarde`.",
            found.version,
            expected.version
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn a_copy_holds_the_same_rows_and_a_damaged_one_is_caught() {
        let ledger = Ledger::in_memory().unwrap();
        ledger
            .conn()
            .execute_batch("INSERT INTO projet (nom, theme, cree_le) VALUES ('NET94', 'emploi', '2017-01-01T00:00:00')")
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let to = dir.path().join("copie.sqlite");
        std::fs::File::create(&to).unwrap();
        let expected = copy(ledger.conn(), &to).unwrap();
        assert_eq!(expected.rows("projet"), 1);
        assert_eq!(expected.version, crate::db::SCHEMA_VERSION);
        verify(&to, &expected).unwrap();

        let wrong = Contents {
            version: expected.version,
            tables: vec![("projet".into(), 2)],
        };
        let err = verify(&to, &wrong).unwrap_err();
        assert!(format!("{err}").contains("pas été gardée"), "{err}");
    }
}
