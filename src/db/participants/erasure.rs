//! Erasure at a person's request, so that nothing in the ledger links the erased
//! person to their former row or code, and the reminder of the files made outside it.
//!
//! What could link them, and what is done about it:
//! - the row id (`participant.id`), which orders people by registration and which
//!   presences and exits point to: the person is moved to a new row, numbered after
//!   every row there is (as any new row would be), and the old row is deleted in the
//!   same transaction, its presences and exits repointed. The old id is never given
//!   again: SQLite numbers new rows after the highest, it does not fill holes. The
//!   erased rows follow one another in the order of the erasures, as the erasure log
//!   does (by date only): neither says who anyone was.
//! - `presence` and `sortie` have no row id of their own (WITHOUT ROWID): their order
//!   is their key, which now holds the new id.
//! - `cree_le`: the registration time would place the person among the codes given
//!   then; the new row keeps only the year of the erasure, the exits only their year.
//! - the retired code: see [`code_reserved`]. No fingerprint of it is kept.
//! - deleted bytes: `secure_delete` overwrites them in the file, and the write-ahead
//!   log is emptied after the erasure ([`checkpoint`]).
//!
//! What is left, by design: the attendance (which sessions, how long), so that the
//! figures already given to funders do not change, and an exit's situation and year.

use super::find;
use crate::bail_user;
use crate::db::participants::Participant;
use anyhow::Result;
use rusqlite::{Connection, params};

/// A file made from the ledger, as the export log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLog {
    pub fait_le: String,
    pub quoi: String,
    pub fichier: String,
}

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct Erasure {
    /// The code the person had.
    pub code: String,
    /// Their presences, kept under the opaque code.
    pub presences: usize,
    /// When the person was registered (`YYYY-MM-DD`).
    pub inscrit_le: String,
    /// The exports and backups with personal data made since then.
    pub exports: Vec<ExportLog>,
}

/// The person a code names, if they may be erased: known and not erased yet.
pub fn erasable(conn: &Connection, input: &str) -> Result<Participant> {
    let p = find(conn, input)?;
    if p.erased() {
        bail_user!("{} : cette personne a déjà été effacée", p.code);
    }
    Ok(p)
}

/// Erases a person at their request: identity, profile and the day of their exits
/// are deleted, the person moves to a new row under an opaque code that nothing
/// links to the old one, their attendance moves with them; the erasure itself is
/// logged with its date only.
pub fn erase(conn: &Connection, input: &str) -> Result<Erasure> {
    let p = erasable(conn, input)?;
    let cree_le: String = conn.query_row(
        "SELECT cree_le FROM participant WHERE id = ?1",
        [p.id],
        |r| r.get(0),
    )?;
    let inscrit_le = cree_le.get(..10).unwrap_or(&cree_le).to_string();
    let presences: i64 = conn.query_row(
        "SELECT count(*) FROM presence WHERE participant_id = ?1",
        [p.id],
        |r| r.get(0),
    )?;
    let opaque = loop {
        let c: String = conn.query_row("SELECT 'X-' || hex(randomblob(6))", [], |r| r.get(0))?;
        let taken = conn
            .prepare("SELECT 1 FROM participant WHERE code = ?1")?
            .exists([&c])?;
        if !taken {
            break c;
        }
    };
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let new_id: i64 = conn.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM participant",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO participant (id, code, cree_le, gid) VALUES (?1, ?2, ?3, ?4)",
        params![new_id, opaque, &today[..4], crate::db::gid::new()],
    )?;
    conn.execute(
        "UPDATE presence SET participant_id = ?1 WHERE participant_id = ?2",
        params![new_id, p.id],
    )?;
    // The exit stays, so that the project's outcome rate does not change, but only
    // its situation and year: the day, or when it was noted, could point at the person.
    conn.execute(
        "UPDATE sortie SET participant_id = ?1, date = substr(date, 1, 4) || '-01-01',
             cree_le = substr(date, 1, 4)
         WHERE participant_id = ?2",
        params![new_id, p.id],
    )?;
    conn.execute(
        "DELETE FROM participant_identite WHERE participant_id = ?1",
        [p.id],
    )?;
    conn.execute("DELETE FROM participant WHERE id = ?1", [p.id])?;
    // Fingerprints of retired codes written by earlier versions: a hash of one of
    // 10 000 codes is undone by trying them all, and their order was the order of
    // the erasures. The counter keeps the codes from being given again instead.
    conn.execute("DELETE FROM code_retire", [])?;
    conn.execute("INSERT INTO effacement (efface_le) VALUES (?1)", [&today])?;
    let exports = exports_since(conn, &inscrit_le)?;
    Ok(Erasure {
        code: p.code,
        presences: usize::try_from(presences).unwrap_or(0),
        inscrit_le,
        exports,
    })
}

/// Whether a code typed with `--code` (or read from a file) must not be given
/// because it may have been an erased person's.
///
/// What a retired code must never be is given again, so that an old attendance sheet
/// or export does not attach a new person to an erased one's past. A fingerprint of
/// each retired code cannot be kept safely: there are only 10 000 codes, so anyone
/// holding the file undoes any hash by trying them all, and a secret stored in the
/// same file changes nothing. The counter of the highest code ever given is enough:
/// every retired code is at or below it, so once anyone has been erased, a code at or
/// below it that no one holds is refused. Codes given by `ici` are always above it.
/// The cost: after an erasure, a gap below the counter can no longer be filled by hand.
pub(super) fn code_reserved(conn: &Connection, numero: u32) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM effacement UNION ALL SELECT 1 FROM code_retire)
            AND ?1 <= coalesce((SELECT dernier FROM participant_compteur WHERE id = 1), 0)",
        [numero],
        |r| r.get(0),
    )?)
}

/// The exports and backups holding personal data made since `date` (`YYYY-MM-DD`),
/// oldest first.
fn exports_since(conn: &Connection, date: &str) -> Result<Vec<ExportLog>> {
    Ok(crate::db::journal::exports_since(conn, date)?
        .into_iter()
        .filter(|(_, _, _, personnel)| *personnel)
        .map(|(fait_le, quoi, fichier, _)| ExportLog {
            fait_le,
            quoi,
            fichier,
        })
        .collect())
}

/// The dates of the erasures, oldest first.
pub fn effacements(conn: &Connection) -> Result<Vec<String>> {
    let rows = conn
        .prepare("SELECT efface_le FROM effacement ORDER BY efface_le, id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Copies the write-ahead log into the ledger file and empties it, so that erased
/// data is left in neither; false when another process kept it from completing.
pub fn checkpoint(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(busy == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn a_typed_code_is_reserved_only_at_or_below_the_counter_once_someone_was_erased() {
        let ledger = Ledger::in_memory().unwrap();
        let conn = ledger.conn();
        conn.execute(
            "INSERT INTO participant_compteur (id, dernier) VALUES (1, 42)",
            [],
        )
        .unwrap();
        for n in [1, 42, 43] {
            assert!(!code_reserved(conn, n).unwrap(), "no erasure yet: {n}");
        }
        conn.execute(
            "INSERT INTO effacement (efface_le) VALUES ('2026-01-05')",
            [],
        )
        .unwrap();
        for (n, reserved) in [(1, true), (42, true), (43, false), (9999, false)] {
            assert_eq!(code_reserved(conn, n).unwrap(), reserved, "{n}");
        }
    }

    #[test]
    fn a_ledger_with_old_fingerprints_reserves_too_until_the_next_erasure_deletes_them() {
        let ledger = Ledger::in_memory().unwrap();
        let conn = ledger.conn();
        conn.execute_batch(
            "INSERT INTO participant_compteur (id, dernier) VALUES (1, 5);
             INSERT INTO code_retire (empreinte) VALUES ('0123456789abcdef');
             INSERT INTO participant (id, code, cree_le) VALUES (7, 'P-0005', '2026-01-01T10:00:00');",
        )
        .unwrap();
        assert!(code_reserved(conn, 3).unwrap());
        let e = erase(conn, "P-0005").unwrap();
        assert_eq!((e.code.as_str(), e.presences), ("P-0005", 0));
        assert_eq!(e.inscrit_le, "2026-01-01");
        let left: i64 = conn
            .query_row("SELECT count(*) FROM code_retire", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM participant")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(ids, [8], "moved to the row after the highest");
        assert!(code_reserved(conn, 5).unwrap());
    }
}
