//! Applying a batch: its new changes join the journal, then every record they touch is
//! rebuilt from all of its changes (see `domain::lot::fold`), parents first.
//!
//! The rules beyond the fold:
//! - a project or partner created on two ledgers under the same normalised name is one
//!   record: the smaller global id is kept, the other becomes its alias (`gid_alias`),
//!   and the changes of both make its state;
//! - the same person at the same session, or two exits of a person from a project,
//!   recorded on two ledgers, are one presence, one exit (the same way);
//! - a session like one already there (same date, project, place and duration) is
//!   kept, and listed: the duplicate rule asks a person to decide;
//! - a person erased stays deleted: what arrives about them afterwards is dropped,
//!   their identity too;
//! - a person merged into another code (on any ledger) stays deleted, and what
//!   names them, arrived before or after the merge, names the code they were merged
//!   into (their deletion carries it, see `db::lot::note_merge`);
//! - a project or partner deleted by a merge on another ledger, but still named here
//!   by a session, an entry or a person, is kept and listed;
//! - a participant code already held here by another person refuses the batch.

use super::{Column, TRAVELLING, columns};
use crate::bail_user;
use crate::domain::doublon;
use crate::domain::lot::{Change, Identite, fold};
use anyhow::Result;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// New changes, by table.
    pub nouveaux: BTreeMap<String, usize>,
    /// Changes already known (sent before, or through another ledger).
    pub connus: usize,
    /// Records created here, by table.
    pub crees: BTreeMap<String, usize>,
    /// Conflicts, in French, each naming what to look at.
    pub conflits: Vec<String>,
    /// Sessions created here, for the duplicate rule.
    sessions_creees: Vec<Vec<u8>>,
}

/// Applying one batch, fed line by line: [`Import::change`] stages each change in
/// the journal (a batch is never held whole), [`Import::finish`] then rebuilds the
/// records they touch. The caller holds the transaction.
pub struct Import<'c> {
    conn: &'c Connection,
    report: Report,
    touched: BTreeMap<usize, BTreeSet<Vec<u8>>>,
    /// Whether the records were rebuilt: the identities, after the changes in a batch,
    /// are then written as they are read.
    rebuilt: bool,
}

impl<'c> Import<'c> {
    pub fn start(conn: &'c Connection) -> Result<Self> {
        conn.execute("INSERT INTO temp.lot_silence VALUES (1)", [])?;
        // A record is rebuilt with a dozen statements: all kept prepared, and the pages
        // of a large batch kept in memory (32 MiB), for the length of this import.
        conn.set_prepared_statement_cache_capacity(256);
        conn.execute_batch("PRAGMA cache_size = -32768")?;
        Ok(Import {
            conn,
            report: Report::default(),
            touched: BTreeMap::new(),
            rebuilt: false,
        })
    }

    /// Journals one change of the batch, unless it is known here already.
    pub fn change(&mut self, c: &Change) -> Result<()> {
        if self.rebuilt {
            bail_user!(
                "le lot donne un changement après les identités, ce qu'`ici lot export` ne fait jamais ; rien n'a été importé. Demandez un nouvel envoi du lot"
            );
        }
        let Some(rank) = TRAVELLING.iter().position(|t| *t == c.quoi) else {
            return Ok(()); // a table this build does not carry
        };
        let cible = unhex(&c.cible)?;
        let donnees = c.donnees.as_ref().map(serde_json::to_string).transpose()?;
        let added = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO changement (origine, numero, fait_le, quoi, cible, genre, donnees)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                c.origine, c.numero, c.fait_le, c.quoi, cible, c.genre, donnees
            ])?;
        if added == 0 {
            self.report.connus += 1;
            return Ok(());
        }
        match self.report.nouveaux.get_mut(&c.quoi) {
            Some(n) => *n += 1,
            None => {
                self.report.nouveaux.insert(c.quoi.clone(), 1);
            }
        }
        self.touched.entry(rank).or_default().insert(cible);
        Ok(())
    }

    /// Writes an identity the batch carries, once the records are rebuilt.
    pub fn identity(&mut self, i: Identite) -> Result<()> {
        self.rebuild()?;
        set_identity(self.conn, &i)
    }

    /// Rebuilds every record the new changes touch, parents first; deletes those gone.
    fn rebuild(&mut self) -> Result<()> {
        if self.rebuilt {
            return Ok(());
        }
        self.rebuilt = true;
        let conn = self.conn;
        let report = &mut self.report;
        let mut deleted: Vec<(usize, Vec<u8>)> = Vec::new();
        for (rank, gids) in &self.touched {
            let table = TRAVELLING[*rank];
            let cols = columns(conn, table)?;
            for gid in gids {
                if !materialise(conn, table, &cols, gid, false, report)? {
                    deleted.push((*rank, gid.clone()));
                }
            }
        }
        list_duplicate_sessions(conn, report)?;
        // Children before parents.
        deleted.sort_by_key(|d| std::cmp::Reverse(d.0));
        for (rank, gid) in deleted {
            delete(conn, TRAVELLING[rank], &gid, report)?;
        }
        self.touched.clear();
        Ok(())
    }

    /// Ends the import: what it did.
    pub fn finish(mut self) -> Result<Report> {
        self.rebuild()?;
        self.conn.execute("DELETE FROM temp.lot_silence", [])?;
        Ok(self.report)
    }
}

/// The global id a record is known by here (itself, or the record it was merged with).
fn canonical(conn: &Connection, gid: &[u8]) -> Result<Vec<u8>> {
    Ok(conn
        .prepare_cached("SELECT gid FROM gid_alias WHERE alias = ?1")?
        .query_row([gid], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| gid.to_vec()))
}

/// Every global id of one record: its own and its aliases.
fn all_ids(conn: &Connection, gid: &[u8]) -> Result<Vec<Vec<u8>>> {
    let mut ids = vec![gid.to_vec()];
    let mut st =
        conn.prepare_cached("SELECT alias FROM gid_alias WHERE gid = ?1 ORDER BY alias")?;
    for a in st.query_map([gid], |r| r.get::<_, Vec<u8>>(0))? {
        ids.push(a?);
    }
    Ok(ids)
}

/// The journaled changes of a record under all its ids.
fn changes_of(conn: &Connection, ids: &[Vec<u8>]) -> Result<Vec<Change>> {
    let mut st = conn.prepare_cached(
        "SELECT origine, numero, fait_le, quoi, genre, donnees FROM changement WHERE cible = ?1",
    )?;
    let mut out = Vec::new();
    for id in ids {
        let rows = st.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (origine, numero, fait_le, quoi, genre, donnees) = row?;
            let donnees = donnees
                .map(|d| serde_json::from_str::<Map<String, Value>>(&d))
                .transpose()?;
            out.push(Change {
                origine,
                numero,
                fait_le,
                quoi,
                cible: hex(id),
                genre,
                donnees,
            });
        }
    }
    Ok(out)
}

/// Brings the record `gid` of `table` to the state its changes give. Returns false
/// when the record is deleted (left to the deletion pass), true otherwise. `revive`
/// rebuilds a deleted project or partner that something here still names.
fn materialise(
    conn: &Connection,
    table: &str,
    cols: &[Column],
    gid: &[u8],
    revive: bool,
    report: &mut Report,
) -> Result<bool> {
    let gid = canonical(conn, gid)?;
    let folded = fold(&changes_of(conn, &all_ids(conn, &gid)?)?);
    if folded.deleted && !revive {
        return Ok(false);
    }
    let local = local_id(conn, table, &gid)?;
    let Some(values) = resolve(conn, table, cols, &folded.fields, report)? else {
        return Ok(true); // names a person erased: dropped
    };
    match local {
        Some(key) => update(conn, table, &key, &values)?,
        None => {
            if let Some(into) = same_record(conn, table, &values)? {
                merge_ids(conn, table, &into, &gid)?;
                return materialise(conn, table, cols, &into, revive, report);
            }
            refuse_taken_code(conn, table, &values)?;
            insert(conn, table, &gid, &values)?;
            *report.crees.entry(table.to_string()).or_default() += 1;
            if table == "session" {
                report.sessions_creees.push(gid.clone());
            }
        }
    }
    for (field, kept, lost) in &folded.contested {
        if table == "session" && local_id(conn, table, &gid)?.is_some() {
            report.conflits.push(format!(
                "session n° {} : « {field} » corrigé sur deux postes ; gardé : {kept}, remplacé : {lost} (les deux restent dans l'historique, `ici session show {}`)",
                session_number(conn, &gid)?,
                session_number(conn, &gid)?
            ));
        }
    }
    Ok(true)
}

/// The key of the row holding `gid` here, if any: `id`, or the key columns of a table
/// without one (presence, sortie).
fn local_id(conn: &Connection, table: &str, gid: &[u8]) -> Result<Option<Vec<(String, Sql)>>> {
    let key = key_columns(table);
    let sql = format!("SELECT {} FROM {table} WHERE gid = ?1", key.join(", "));
    let row = conn
        .prepare_cached(&sql)?
        .query_row([gid], |r| {
            key.iter()
                .enumerate()
                .map(|(i, k)| Ok((k.to_string(), r.get::<_, Sql>(i)?)))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .optional()?;
    Ok(row)
}

fn key_columns(table: &str) -> Vec<&'static str> {
    match table {
        "presence" => vec!["session_id", "participant_id"],
        "sortie" => vec!["participant_id", "projet_id"],
        _ => vec!["id"],
    }
}

/// The folded fields as SQL values of this ledger: references to local ids. `None`
/// when the record names a person no longer here (erased): erasure wins.
fn resolve(
    conn: &Connection,
    table: &str,
    cols: &[Column],
    fields: &Map<String, Value>,
    report: &mut Report,
) -> Result<Option<Vec<(String, Sql)>>> {
    let mut out = Vec::new();
    for c in cols {
        let Some(v) = fields.get(&c.name) else {
            continue;
        };
        let value = match (&c.parent, v) {
            (_, Value::Null) => Sql::Null,
            (Some(parent), Value::String(h)) => match parent_id(conn, parent, h, report)? {
                Some(id) => Sql::Integer(id),
                None if parent == "participant" => return Ok(None),
                None => bail_user!(
                    "le lot nomme dans la table {table} un enregistrement de la table {parent} qu'il ne contient pas ({h}) : demandez un lot complet (`ici lot export --tout`)"
                ),
            },
            (_, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
            (_, Value::Number(n)) => n
                .as_i64()
                .map(Sql::Integer)
                .unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
            (_, Value::String(s)) => Sql::Text(s.clone()),
            (_, other) => Sql::Text(other.to_string()),
        };
        out.push((c.name.clone(), value));
    }
    Ok(Some(out))
}

/// The local id of the parent record `h` (hex gid); a deleted project or partner is
/// rebuilt from its changes, a person is not.
fn parent_id(conn: &Connection, parent: &str, h: &str, report: &mut Report) -> Result<Option<i64>> {
    let gid = canonical(conn, &unhex(h)?)?;
    let find = |conn: &Connection| -> Result<Option<i64>> {
        Ok(conn
            .prepare_cached(&format!("SELECT id FROM {parent} WHERE gid = ?1"))?
            .query_row([&gid], |r| r.get(0))
            .optional()?)
    };
    if let Some(id) = find(conn)? {
        return Ok(Some(id));
    }
    if parent == "participant" {
        return merged_into(conn, &gid);
    }
    let has_changes: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM changement WHERE cible = ?1)")?
        .query_row([&gid], |r| r.get(0))?;
    if !has_changes {
        return Ok(None);
    }
    let cols = columns(conn, parent)?;
    materialise(conn, parent, &cols, &gid, true, report)?;
    find(conn)
}

fn update(
    conn: &Connection,
    table: &str,
    key: &[(String, Sql)],
    values: &[(String, Sql)],
) -> Result<()> {
    // Only what differs: rows whose history is fixed refuse any update.
    let where_key: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, (k, _))| format!("{k} = ?{}", i + 1))
        .collect();
    let current_sql = format!(
        "SELECT {} FROM {table} WHERE {}",
        values
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        where_key.join(" AND ")
    );
    if values.is_empty() {
        return Ok(());
    }
    let current: Vec<Sql> = conn.query_row(
        &current_sql,
        params_from_iter(key.iter().map(|(_, v)| v)),
        |r| (0..values.len()).map(|i| r.get::<_, Sql>(i)).collect(),
    )?;
    let changed: Vec<&(String, Sql)> = values
        .iter()
        .zip(&current)
        .filter(|((_, new), old)| new != *old)
        .map(|(v, _)| v)
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let sets: Vec<String> = changed
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 1))
        .collect();
    let n = changed.len();
    let where_key: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, (k, _))| format!("{k} = ?{}", n + i + 1))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {} WHERE {}",
        sets.join(", "),
        where_key.join(" AND ")
    );
    let args: Vec<&Sql> = changed
        .iter()
        .map(|(_, v)| v)
        .chain(key.iter().map(|(_, v)| v))
        .collect();
    conn.prepare_cached(&sql)?.execute(params_from_iter(args))?;
    Ok(())
}

fn insert(conn: &Connection, table: &str, gid: &[u8], values: &[(String, Sql)]) -> Result<()> {
    let names: Vec<&str> = values.iter().map(|(c, _)| c.as_str()).collect();
    let marks: Vec<String> = (1..=values.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}, gid) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    let gid = Sql::Blob(gid.to_vec());
    conn.prepare_cached(&sql)?.execute(params_from_iter(
        values.iter().map(|(_, v)| v).chain([&gid]),
    ))?;
    Ok(())
}

fn value<'a>(values: &'a [(String, Sql)], name: &str) -> Option<&'a Sql> {
    values.iter().find(|(c, _)| c == name).map(|(_, v)| v)
}

/// The record here that a new one is the same as: a project or partner of the same
/// normalised name, the same presence, the same exit, the same person's membership
/// of the same year. Its global id.
fn same_record(
    conn: &Connection,
    table: &str,
    values: &[(String, Sql)],
) -> Result<Option<Vec<u8>>> {
    match table {
        "projet" | "partenaire" => {
            let Some(Sql::Text(nom)) = value(values, "nom") else {
                return Ok(None);
            };
            let key = doublon::name_key(nom);
            let mut st = conn.prepare_cached(&format!("SELECT nom, gid FROM {table}"))?;
            let rows = st.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?;
            for row in rows {
                let (n, g) = row?;
                if doublon::name_key(&n) == key {
                    return Ok(Some(g));
                }
            }
            Ok(None)
        }
        "presence" | "sortie" => {
            let key = key_columns(table);
            let (Some(a), Some(b)) = (value(values, key[0]), value(values, key[1])) else {
                return Ok(None);
            };
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT gid FROM {table} WHERE {} = ?1 AND {} = ?2",
                    key[0], key[1]
                ))?
                .query_row(params![a, b], |r| r.get(0))
                .optional()?)
        }
        // One membership per person and year (the table's own unique key).
        "adherent" => {
            let (Some(nom), Some(date)) = (value(values, "nom"), value(values, "date")) else {
                return Ok(None);
            };
            Ok(conn
                .prepare_cached(
                    "SELECT gid FROM adherent WHERE nom = ?1 AND substr(date, 1, 4) = substr(?2, 1, 4)",
                )?
                .query_row(params![nom, date], |r| r.get(0))
                .optional()?)
        }
        _ => Ok(None),
    }
}

/// Makes `a` and `b` one record: the smaller id is kept, the other becomes its alias,
/// and the row here takes the kept one.
fn merge_ids(conn: &Connection, table: &str, existing: &[u8], incoming: &[u8]) -> Result<()> {
    let keep = existing.min(incoming).to_vec();
    let other = existing.max(incoming).to_vec();
    conn.execute(
        &format!("UPDATE {table} SET gid = ?1 WHERE gid = ?2"),
        params![keep, existing],
    )?;
    conn.execute(
        "UPDATE gid_alias SET gid = ?1 WHERE gid = ?2",
        params![keep, other],
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO gid_alias (alias, gid) VALUES (?1, ?2)",
        params![other, keep],
    )?;
    Ok(())
}

/// A participant code is one person: another person holding it here refuses the batch.
fn refuse_taken_code(conn: &Connection, table: &str, values: &[(String, Sql)]) -> Result<()> {
    if table != "participant" {
        return Ok(());
    }
    let Some(Sql::Text(code)) = value(values, "code") else {
        return Ok(());
    };
    let taken: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM participant WHERE code = ?1)")?
        .query_row([code], |r| r.get(0))?;
    if taken {
        bail_user!(
            "le code {code} désigne ici une autre personne que dans le lot : deux postes ont donné le même code. Rien n'a été importé. Chaque poste doit avoir son préfixe (`ici init --poste AB` à la création de son registre)"
        );
    }
    Ok(())
}

fn session_number(conn: &Connection, gid: &[u8]) -> Result<i64> {
    Ok(conn.query_row("SELECT id FROM session WHERE gid = ?1", [gid], |r| r.get(0))?)
}

/// Lists each session the batch created that is like one already here (or created
/// before it by the same batch) and recorded on another ledger: the duplicate rule;
/// twins recorded on one ledger were meant (`--doublon` there). Set-based: the ledger
/// a session was recorded on (the origin of its first change) is looked up once per
/// session of the days concerned.
fn list_duplicate_sessions(conn: &Connection, report: &mut Report) -> Result<()> {
    if report.sessions_creees.is_empty() {
        return Ok(());
    }
    conn.execute_batch(
        "CREATE TEMP TABLE lot_nouvelle (id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE lot_jour (projet_id, date, PRIMARY KEY (projet_id, date)) WITHOUT ROWID;",
    )?;
    {
        let mut add = conn
            .prepare("INSERT INTO temp.lot_nouvelle (id) SELECT id FROM session WHERE gid = ?1")?;
        for gid in &report.sessions_creees {
            add.execute([gid])?;
        }
    }
    conn.execute_batch(
        "INSERT OR IGNORE INTO temp.lot_jour SELECT s.projet_id, s.date
           FROM temp.lot_nouvelle t JOIN session s ON s.id = t.id;
         CREATE TEMP TABLE lot_cle AS
         SELECT s.id, s.projet_id, s.date, s.lieu, s.code_insee, s.commune_saisie, s.duree_minutes,
                (SELECT origine FROM changement WHERE cible = s.gid
                  ORDER BY fait_le, origine, numero LIMIT 1) AS origine
           FROM temp.lot_jour j JOIN session s ON s.projet_id = j.projet_id AND s.date = j.date
          WHERE s.annulee_le IS NULL;
         CREATE INDEX temp.lot_cle_jour ON lot_cle (projet_id, date);",
    )?;
    let found: Vec<(i64, i64, String)> = conn
        .prepare(
            "SELECT * FROM (
               SELECT n.id,
                      (SELECT min(o.id) FROM temp.lot_cle o
                        WHERE o.projet_id = n.projet_id AND o.date = n.date AND o.id < n.id
                          AND o.lieu = n.lieu AND o.code_insee IS n.code_insee
                          AND o.commune_saisie IS n.commune_saisie
                          AND o.duree_minutes = n.duree_minutes
                          AND o.origine IS NOT n.origine) AS o,
                      n.date
                 FROM temp.lot_cle n WHERE n.id IN temp.lot_nouvelle)
              WHERE o IS NOT NULL ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (n, o, date) in found {
        report.conflits.push(format!(
            "sessions n° {o} et n° {n} du {date} : même projet, lieu et durée, saisies sur deux postes ; les deux sont gardées. Si c'est la même séance : `ici session annule {n} --motif doublon`"
        ));
    }
    conn.execute_batch(
        "DROP TABLE temp.lot_nouvelle; DROP TABLE temp.lot_jour; DROP TABLE temp.lot_cle;",
    )?;
    Ok(())
}

/// Deletes a record its changes say is gone: a person with what still names them
/// (erasure wins); a project or partner only if nothing here names it any more.
fn delete(conn: &Connection, table: &str, gid: &[u8], report: &mut Report) -> Result<()> {
    let gid = canonical(conn, gid)?;
    let Some(key) = local_id(conn, table, &gid)? else {
        return Ok(());
    };
    let id = key[0].1.clone();
    if table == "participant"
        && let Some(into) = merged_into(conn, &gid)?
    {
        // Merged on another ledger: what was recorded here under this person before
        // the merge was known moves to the one they became, as the merge itself did
        // there: one presence per session, the later exit per project. Twins become
        // one record, as `same_record` makes them where the merge arrives first.
        let twins: Vec<(Vec<u8>, Vec<u8>)> = conn
            .prepare(
                "SELECT q.gid, p.gid FROM presence q JOIN presence p
                    ON p.session_id = q.session_id AND p.participant_id = ?2
                 WHERE q.participant_id = ?1",
            )?
            .query_map(params![id, into], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (from, kept) in twins {
            conn.execute("DELETE FROM presence WHERE gid = ?1", [&from])?;
            merge_ids(conn, "presence", &kept, &from)?;
        }
        conn.execute(
            "UPDATE presence SET participant_id = ?2 WHERE participant_id = ?1",
            params![id, into],
        )?;
        let twins: Vec<(Vec<u8>, Vec<u8>, bool)> = conn
            .prepare(
                "SELECT q.gid, p.gid, q.date > p.date FROM sortie q JOIN sortie p
                    ON p.projet_id = q.projet_id AND p.participant_id = ?2
                 WHERE q.participant_id = ?1",
            )?
            .query_map(params![id, into], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (from, kept, later) in twins {
            let (gone, stays) = if later {
                (&kept, &from)
            } else {
                (&from, &kept)
            };
            conn.execute("DELETE FROM sortie WHERE gid = ?1", [gone])?;
            merge_ids(conn, "sortie", stays, gone)?;
        }
        conn.execute(
            "UPDATE sortie SET participant_id = ?2 WHERE participant_id = ?1",
            params![id, into],
        )?;
    }
    if table == "participant" {
        conn.execute("DELETE FROM presence WHERE participant_id = ?1", [&id])?;
        conn.execute("DELETE FROM sortie WHERE participant_id = ?1", [&id])?;
        conn.execute(
            "DELETE FROM participant_identite WHERE participant_id = ?1",
            [&id],
        )?;
    }
    conn.execute_batch("SAVEPOINT lot_suppression")?;
    let done = conn.execute(&format!("DELETE FROM {table} WHERE gid = ?1"), [&gid]);
    match done {
        Ok(_) => conn.execute_batch("RELEASE lot_suppression")?,
        Err(e) if is_foreign_key(&e) => {
            conn.execute_batch("ROLLBACK TO lot_suppression; RELEASE lot_suppression")?;
            let nom: String = conn
                .query_row(
                    &format!("SELECT coalesce(nom, '') FROM {table} WHERE gid = ?1"),
                    [&gid],
                    |r| r.get(0),
                )
                .unwrap_or_default();
            report.conflits.push(format!(
                "{table} « {nom} » : fusionné ou supprimé sur un autre poste, mais encore utilisé ici ; gardé. Pour le réunir : `ici {table} fusionne \"{nom}\" --dans …`"
            ));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// The local id of the person the participant `gid` was merged into, on any ledger
/// (their deletion names them, see `db::lot::note_merge`), following merges of merges;
/// `None` for a person erased, or not here.
fn merged_into(conn: &Connection, gid: &[u8]) -> Result<Option<i64>> {
    let mut gid = gid.to_vec();
    // A chain of merges is short; the bound only guards against a cycle.
    for _ in 0..32 {
        let next: Option<String> = conn
            .prepare_cached(
                "SELECT json_extract(donnees, '$.dans') FROM changement
                  WHERE cible = ?1 AND quoi = 'participant' AND genre = 'supprime'
                    AND json_extract(donnees, '$.dans') IS NOT NULL
                  ORDER BY fait_le, origine, numero LIMIT 1",
            )?
            .query_row([&gid], |r| r.get(0))
            .optional()?;
        let Some(next) = next else {
            return Ok(None);
        };
        gid = unhex(&next)?;
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM participant WHERE gid = ?1")?
            .query_row([&gid], |r| r.get(0))
            .optional()?;
        if id.is_some() {
            return Ok(id);
        }
    }
    Ok(None)
}

fn is_foreign_key(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// Writes a person's identity carried by a batch, if the person is here.
fn set_identity(conn: &Connection, i: &Identite) -> Result<()> {
    let gid = canonical(conn, &unhex(&i.participant)?)?;
    let Some(id): Option<i64> = conn
        .prepare_cached("SELECT id FROM participant WHERE gid = ?1 AND code NOT GLOB 'X-*'")?
        .query_row([&gid], |r| r.get(0))
        .optional()?
    else {
        return Ok(());
    };
    conn.execute(
        "INSERT INTO participant_identite (participant_id, nom, prenom, telephone, courriel)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (participant_id) DO UPDATE SET nom = excluded.nom, prenom = excluded.prenom,
             telephone = excluded.telephone, courriel = excluded.courriel",
        params![id, i.nom, i.prenom, i.telephone, i.courriel],
    )?;
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

pub fn unhex(h: &str) -> Result<Vec<u8>> {
    if !h.len().is_multiple_of(2) || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail_user!("identifiant global illisible dans le lot : « {h} »");
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).map_err(Into::into))
        .collect()
}
