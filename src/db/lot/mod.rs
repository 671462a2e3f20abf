//! Changes as records: every creation, correction, cancellation, erasure, rename or
//! merge of a record that travels between ledgers is kept in `changement`, with the
//! record's global id, the time (UTC) and the ledger it was made on (`origine`, with
//! its own number there), in the same transaction as the change itself.
//!
//! How a table travels: its name in [`TRAVELLING`] (after the tables it refers to),
//! and a `gid BLOB` column set on insert. Nothing else: the journal is written by
//! triggers generated from the table's own columns when the ledger is opened (temporary
//! triggers, so that no migration is needed when a column is added), and a row is
//! serialised by its column list: every column but `id` and `gid`, a reference to
//! another table (`projet_id`) carried as the referenced row's global id. A new
//! column of a travelling table is carried with no line of code; a column that must
//! not travel goes in [`KEPT_HOME`].

pub mod apply;

use crate::domain::lot::{Change, Identite};
use anyhow::Result;
use rusqlite::{Connection, params};

/// The tables whose rows travel in batches, parents first. Books (ecriture, ligne,
/// tiers, convention, budget) never travel: they are written on the treasurer's
/// ledger only. Volunteer hours (benevolat) and their rates stay with them: each
/// record is booked as a class 8 entry when it is made, so it is recorded on a
/// ledger that keeps the books, and refused elsewhere.
pub const TRAVELLING: &[&str] = &[
    "projet",
    "partenaire",
    "session",
    "session_correction",
    "participant",
    "presence",
    "sortie",
    "equipe",
    "gouvernance",
    "adherent",
    "evenement",
];

/// Columns of travelling tables that stay on their ledger.
pub const KEPT_HOME: &[(&str, &str)] = &[];

/// One column of a travelling table as a batch carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// For a reference, the table it points to (carried as that row's gid).
    pub parent: Option<String>,
}

/// The columns of `table` a batch carries, in table order.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let parents: Vec<(String, String)> = conn
        .prepare(&format!("PRAGMA main.foreign_key_list({table})"))?
        .query_map([], |r| Ok((r.get::<_, String>(3)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let names: Vec<String> = conn
        .prepare(&format!("PRAGMA main.table_info({table})"))?
        .query_map([], |r| r.get::<_, String>(1))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names
        .into_iter()
        .filter(|n| n != "id" && n != "gid")
        .filter(|n| !KEPT_HOME.contains(&(table, n.as_str())))
        .map(|name| {
            let parent = parents
                .iter()
                .find(|(from, _)| *from == name)
                .map(|(_, to)| to.clone());
            Column { name, parent }
        })
        .collect())
}

/// SQL for one column's value as carried, read from the row `row` (`NEW`, `OLD`, an
/// alias): a reference becomes the hex of the referenced row's gid.
fn value_sql(c: &Column, row: &str) -> String {
    match &c.parent {
        Some(p) => format!(
            "(SELECT hex(gid) FROM main.{p} WHERE id = {row}.{})",
            c.name
        ),
        None => format!("{row}.{}", c.name),
    }
}

/// SQL building the JSON object of a row's carried columns.
fn row_json_sql(cols: &[Column], row: &str) -> String {
    let parts: Vec<String> = cols
        .iter()
        .map(|c| format!("'{}', {}", c.name, value_sql(c, row)))
        .collect();
    format!("json_object({})", parts.join(", "))
}

/// SQL inserting one change of this ledger; `cible` and `donnees` are SQL expressions.
fn journal_sql(table: &str, genre: &str, cible: &str, donnees: &str) -> String {
    format!(
        "INSERT INTO main.changement (origine, numero, fait_le, quoi, cible, genre, donnees)
         SELECT o.valeur,
                (SELECT coalesce(max(numero), 0) + 1 FROM main.changement WHERE origine = o.valeur),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '{table}', {cible}, '{genre}', {donnees}
           FROM main.parametre o WHERE o.cle = 'origine';"
    )
}

/// Creates this connection's triggers that journal every change of a travelling row.
/// A row without a global id (written by hand) is not journaled: `ici verifie`
/// reports it.
/// While `temp.lot_silence` holds a row (a batch being applied), they stay silent:
/// the batch's own changes are journaled as received, under their origin.
pub fn install_triggers(conn: &Connection) -> Result<()> {
    let mut sql = format!("CREATE TEMP TABLE IF NOT EXISTS lot_silence (x);\n{MERGES}\n");
    let quiet = "NOT EXISTS (SELECT 1 FROM temp.lot_silence)";
    for table in TRAVELLING {
        let cols = columns(conn, table)?;
        if cols.is_empty() {
            continue; // a table a later migration adds
        }
        let changed: Vec<String> = cols
            .iter()
            .map(|c| format!("NEW.{0} IS NOT OLD.{0}", c.name))
            .collect();
        // Only the fields that changed: a correction on one laptop and another on a
        // second one each keep their field.
        let delta = cols
            .iter()
            .map(|c| {
                format!(
                    "SELECT '{0}' AS k, {1} AS v WHERE NEW.{0} IS NOT OLD.{0}",
                    c.name,
                    value_sql(c, "NEW")
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.lot_{table}_cree;
             CREATE TEMP TRIGGER lot_{table}_cree AFTER INSERT ON main.{table}
             WHEN {quiet} AND NEW.gid IS NOT NULL
             BEGIN {} END;
             DROP TRIGGER IF EXISTS temp.lot_{table}_corrige;
             CREATE TEMP TRIGGER lot_{table}_corrige AFTER UPDATE ON main.{table}
             WHEN {quiet} AND OLD.gid IS NOT NULL AND ({})
             BEGIN {} END;
             DROP TRIGGER IF EXISTS temp.lot_{table}_supprime;
             CREATE TEMP TRIGGER lot_{table}_supprime AFTER DELETE ON main.{table}
             WHEN {quiet} AND OLD.gid IS NOT NULL
             BEGIN {} END;\n",
            journal_sql(table, "ecrit", "NEW.gid", &row_json_sql(&cols, "NEW")),
            changed.join(" OR "),
            journal_sql(
                table,
                "ecrit",
                "NEW.gid",
                &format!("(SELECT json_group_object(k, v) FROM ({delta}))")
            ),
            journal_sql(
                table,
                "supprime",
                "OLD.gid",
                // A person merged into another: the deletion names who they now are.
                if *table == "participant" {
                    "(SELECT json_object('dans', hex(vers)) FROM temp.lot_fusion WHERE de = OLD.gid)"
                } else {
                    "NULL"
                }
            ),
        ));
    }
    sql.push_str(&erasure_scrub());
    conn.execute_batch(&sql)?;
    Ok(())
}

/// The people merged into another one (`participant fusionne`) by the transaction
/// under way, by global id: the journal notes who each one now is.
const MERGES: &str =
    "CREATE TEMP TABLE IF NOT EXISTS lot_fusion (de BLOB PRIMARY KEY, vers BLOB NOT NULL);";

/// Notes, before the person `from` is deleted by a merge into `into` (local ids), who
/// they become: their deletion is journaled with it, and what names them in the
/// journal, here or on the ledgers the deletion reaches, names `into` instead.
pub fn note_merge(conn: &Connection, from: i64, into: i64) -> Result<()> {
    conn.execute_batch(MERGES)?;
    conn.execute(
        "INSERT OR REPLACE INTO temp.lot_fusion (de, vers)
         SELECT a.gid, b.gid FROM participant a, participant b
          WHERE a.id = ?1 AND b.id = ?2 AND a.gid IS NOT NULL AND b.gid IS NOT NULL",
        params![from, into],
    )?;
    Ok(())
}

/// SQL, in a trigger on `participant`: the global id (hex) of the person `OLD` was
/// merged into, by this transaction or on the ledger whose deletion is being applied;
/// NULL for an erasure.
const MERGED_INTO: &str = "coalesce(
    (SELECT hex(vers) FROM temp.lot_fusion WHERE de = OLD.gid),
    (SELECT json_extract(donnees, '$.dans') FROM main.changement
      WHERE cible = OLD.gid AND quoi = 'participant' AND genre = 'supprime'
        AND json_extract(donnees, '$.dans') IS NOT NULL LIMIT 1))";

/// When a person leaves the ledger, the journal forgets what it knew of them: their
/// profile and code. Erased at their request: the day of their exits, and their
/// presences' changes name nobody; their attendance stays, under the row it moved to,
/// as the erasure itself keeps it. Merged into another person: their presences and
/// exits name that person, so that those recorded elsewhere before the merge was
/// known still arrive (`apply` follows the same link). Never silenced: a batch that
/// erases or merges applies it too.
fn erasure_scrub() -> String {
    format!(
        "
DROP TRIGGER IF EXISTS temp.lot_participant_oubli;
CREATE TEMP TRIGGER lot_participant_oubli AFTER DELETE ON main.participant
BEGIN
    UPDATE main.changement SET donnees = NULL WHERE cible = OLD.gid AND genre = 'ecrit';
    UPDATE main.changement SET donnees = json_set(donnees, '$.participant_id', {m})
     WHERE quoi IN ('presence', 'sortie') AND {m} IS NOT NULL
       AND json_extract(donnees, '$.participant_id') = hex(OLD.gid);
    UPDATE main.changement
       SET donnees = CASE WHEN {m} IS NULL THEN NULL ELSE json_object('dans', {m}) END
     WHERE quoi = 'participant' AND genre = 'supprime'
       AND json_extract(donnees, '$.dans') = hex(OLD.gid);
    UPDATE main.changement
       SET donnees = json_replace(json_set(donnees, '$.participant_id', NULL),
                                  '$.date', substr(json_extract(donnees, '$.date'), 1, 4) || '-01-01',
                                  '$.cree_le', substr(json_extract(donnees, '$.date'), 1, 4))
     WHERE quoi = 'sortie' AND json_extract(donnees, '$.participant_id') = hex(OLD.gid);
    UPDATE main.changement SET donnees = json_set(donnees, '$.participant_id', NULL)
     WHERE quoi = 'presence' AND json_extract(donnees, '$.participant_id') = hex(OLD.gid);
END;
",
        m = MERGED_INTO
    )
}

/// Gives the ledger its own global id (its origin in batches) and journals the
/// creation of every travelling row already there, so that a batch with `--tout`
/// carries what was recorded before changes were kept. Run by migration 0012.
pub fn start_journal(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO parametre (cle, valeur) VALUES ('origine', ?1) ON CONFLICT (cle) DO NOTHING",
        [crate::db::gid::new().simple().to_string().to_uppercase()],
    )?;
    for table in TRAVELLING {
        let cols = columns(conn, table)?;
        if cols.is_empty() {
            continue;
        }
        conn.execute_batch(&format!(
            "INSERT INTO changement (origine, numero, fait_le, quoi, cible, genre, donnees)
             SELECT o.valeur,
                    (SELECT coalesce(max(numero), 0) FROM changement WHERE origine = o.valeur)
                        + row_number() OVER (ORDER BY r.gid),
                    strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '{table}', r.gid, 'ecrit', {}
               FROM {table} r, parametre o WHERE o.cle = 'origine'
              ORDER BY r.gid;",
            row_json_sql(&cols, "r")
        ))?;
    }
    Ok(())
}

/// This ledger's own global id (hex): the origin of its changes in batches.
pub fn origine(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT valeur FROM parametre WHERE cle = 'origine'",
        [],
        |r| r.get(0),
    )?)
}

/// Per origin ledger, the highest change number a batch carries.
pub type Sent = Vec<(String, i64)>;

const TO_SEND: &str = "FROM changement c
          WHERE ?2 OR c.numero > coalesce((SELECT jusqu_a FROM lot_envoi e
                                            WHERE e.destination = ?1 AND e.origine = c.origine), 0)";

/// How many changes a batch for `destination` carries (see [`to_send`]).
pub fn count_to_send(conn: &Connection, destination: &str, tout: bool) -> Result<usize> {
    Ok(conn.query_row(
        &format!("SELECT count(*) {TO_SEND}"),
        params![destination, tout],
        |r| r.get::<_, i64>(0),
    )? as usize)
}

/// The changes a batch for `destination` carries: all (`tout`), or those not sent
/// to it yet; in the order of their origin and number, handed one at a time to
/// `each` (a large batch is never held whole). Returns the highest number sent per
/// origin, to note once the file is written.
pub fn to_send(
    conn: &Connection,
    destination: &str,
    tout: bool,
    each: &mut dyn FnMut(&Change) -> Result<()>,
) -> Result<Sent> {
    let mut st = conn.prepare(&format!(
        "SELECT c.origine, c.numero, c.fait_le, c.quoi, c.cible, c.genre, c.donnees
           {TO_SEND}
          ORDER BY c.origine, c.numero"
    ))?;
    let mut rows = st.query(params![destination, tout])?;
    let mut upto: Vec<(String, i64)> = Vec::new();
    while let Some(r) = rows.next()? {
        let origine: String = r.get(0)?;
        let numero: i64 = r.get(1)?;
        match upto.last_mut() {
            Some((o, n)) if *o == origine => *n = numero,
            _ => upto.push((origine.clone(), numero)),
        }
        let donnees: Option<String> = r.get(6)?;
        each(&Change {
            origine,
            numero,
            fait_le: r.get(2)?,
            quoi: r.get(3)?,
            cible: apply::hex(&r.get::<_, Vec<u8>>(4)?),
            genre: r.get(5)?,
            donnees: donnees.map(|d| serde_json::from_str(&d)).transpose()?,
        })?;
    }
    Ok(upto)
}

/// Notes what was sent to `destination`, so that the next batch for it starts after.
pub fn note_sent(conn: &Connection, destination: &str, upto: &[(String, i64)]) -> Result<()> {
    let mut st = conn.prepare(
        "INSERT INTO lot_envoi (destination, origine, jusqu_a) VALUES (?1, ?2, ?3)
         ON CONFLICT (destination, origine) DO UPDATE SET jusqu_a = max(jusqu_a, excluded.jusqu_a)",
    )?;
    for (o, n) in upto {
        st.execute(params![destination, o, n])?;
    }
    Ok(())
}

const IDENTITIES: &str =
    "FROM participant_identite i JOIN participant p ON p.id = i.participant_id";

/// How many identities a batch with `--avec-identite` carries.
pub fn count_identities(conn: &Connection) -> Result<usize> {
    Ok(
        conn.query_row(&format!("SELECT count(*) {IDENTITIES}"), [], |r| {
            r.get::<_, i64>(0)
        })? as usize,
    )
}

/// The identities of the people a batch names, for `--avec-identite`, handed one at
/// a time to `each`.
pub fn identities(conn: &Connection, each: &mut dyn FnMut(&Identite) -> Result<()>) -> Result<()> {
    let mut st = conn.prepare(&format!(
        "SELECT hex(p.gid), i.nom, i.prenom, i.telephone, i.courriel {IDENTITIES} ORDER BY p.gid"
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        each(&Identite {
            participant: r.get(0)?,
            nom: r.get(1)?,
            prenom: r.get(2)?,
            telephone: r.get(3)?,
            courriel: r.get(4)?,
        })?;
    }
    Ok(())
}
