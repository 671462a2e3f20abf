//! Global ids: every record that can travel between ledgers carries one.
//!
//! A global id is a UUID v7 (time-ordered, so ids made on one laptop sort by
//! creation and index well), stored as its 16 bytes in a `gid BLOB NOT NULL
//! UNIQUE` column. Users never see it: the numbers and codes they type stay
//! short and local to their ledger.

use uuid::Uuid;

/// A new global id, for a record created now on this ledger.
pub fn new() -> Uuid {
    Uuid::now_v7()
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
