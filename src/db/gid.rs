//! Global ids: every record that can travel between ledgers carries one.
//!
//! A global id is a UUID v7 (time-ordered, so ids made on one laptop sort by
//! creation and index well), stored as its 16 bytes in a `gid BLOB NOT NULL
//! UNIQUE` column. Users never see it: the numbers and codes they type stay
//! short and local to their ledger.

use anyhow::Result;
use rusqlite::Connection;
use uuid::Uuid;

/// A new global id, for a record created now on this ledger.
pub fn new() -> Uuid {
    Uuid::now_v7()
}

/// The tables whose rows carry a gid, with the key that finds a row. A new table of
/// records is one more line here (and its own `gid BLOB NOT NULL UNIQUE` column).
pub const TABLES: &[(&str, &str)] = &[
    ("projet", "id"),
    ("partenaire", "id"),
    ("session", "id"),
    ("session_correction", "id"),
    ("participant", "id"),
    ("presence", "session_id, participant_id"),
    ("sortie", "participant_id, projet_id"),
    ("tiers", "id"),
    ("ecriture", "id"),
    ("ligne", "id"),
];

/// Gives a gid to every row that has none (rows recorded before migration 0012), in
/// the order of their key, so that ids follow the order rows were recorded in.
pub fn backfill(conn: &Connection) -> Result<()> {
    for (table, key) in TABLES {
        let arity = key.split(',').count();
        let marks = (1..=arity)
            .map(|i| format!("?{}", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        let keys: Vec<Vec<i64>> = conn
            .prepare(&format!(
                "SELECT {key} FROM {table} WHERE gid IS NULL ORDER BY {key}"
            ))?
            .query_map([], |r| (0..arity).map(|i| r.get(i)).collect())?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = conn.prepare(&format!(
            "UPDATE {table} SET gid = ?1 WHERE ({key}) = ({marks})"
        ))?;
        for k in keys {
            let mut values: Vec<rusqlite::types::Value> = vec![new().as_bytes().to_vec().into()];
            values.extend(k.into_iter().map(rusqlite::types::Value::from));
            update.execute(rusqlite::params_from_iter(values))?;
        }
    }
    Ok(())
}

/// The tables holding rows without a gid, with how many: every insert sets one, so
/// `ici verifie` reports any.
pub fn missing(conn: &Connection) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for (table, _) in TABLES {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE gid IS NULL"),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            out.push((*table, n));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn ids_are_v7_distinct_and_stored_as_16_bytes() {
        let (a, b) = (new(), new());
        assert_ne!(a, b);
        assert_eq!(a.get_version_num(), 7);
        let conn = Connection::open_in_memory().unwrap();
        let (len, back): (i64, Uuid) = conn
            .query_row("SELECT length(?1), ?1", [a], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!((len, back), (16, a));
    }
}
