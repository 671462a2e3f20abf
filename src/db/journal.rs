//! The export log: one row per file written out of the ledger (export or backup) —
//! when, what kind, which file, whether it can hold personal data. Never its content:
//! it is there so that an erasure can say which files made since may still hold a
//! person's data.

use anyhow::Result;
use rusqlite::{Connection, params};

/// Records one export or backup, dated now.
pub fn log_export(conn: &Connection, quoi: &str, fichier: &str, personnel: bool) -> Result<()> {
    conn.execute(
        "INSERT INTO export_journal (fait_le, quoi, fichier, personnel) VALUES (?1, ?2, ?3, ?4)",
        params![super::now(), quoi, fichier, personnel],
    )?;
    Ok(())
}

/// The exports and backups made on or after `date` (`YYYY-MM-DD` or a full
/// `YYYY-MM-DDTHH:MM:SS`), oldest first: `(fait_le, quoi, fichier, personnel)`.
pub fn exports_since(conn: &Connection, date: &str) -> Result<Vec<(String, String, String, bool)>> {
    let mut st = conn.prepare(
        "SELECT fait_le, quoi, fichier, personnel FROM export_journal
         WHERE fait_le >= ?1 ORDER BY fait_le, id",
    )?;
    let rows = st
        .query_map([date], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn exports_are_listed_from_a_date() {
        let ledger = Ledger::in_memory().unwrap();
        let conn = ledger.conn();
        conn.execute(
            "INSERT INTO export_journal (fait_le, quoi, fichier, personnel)
             VALUES ('2017-03-01T10:00:00', 'sessions', '/a.csv', 0)",
            [],
        )
        .unwrap();
        log_export(conn, "fse", "/b.csv", true).unwrap();
        let all = exports_since(conn, "2017-01-01").unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0],
            (
                "2017-03-01T10:00:00".into(),
                "sessions".into(),
                "/a.csv".into(),
                false
            )
        );
        assert_eq!(
            (all[1].1.as_str(), all[1].2.as_str(), all[1].3),
            ("fse", "/b.csv", true)
        );
        let later = exports_since(conn, "2017-03-02").unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].1, "fse");
    }
}
