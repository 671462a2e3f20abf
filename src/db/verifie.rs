//! The reads behind `ici verifie`, and the digest a closed year keeps: SQLite's own
//! integrity check, then the ledger's rules read from the tables themselves (`NOT
//! INDEXED`: a damaged index must not hide a row from the rules).

use crate::domain::date::year_bounds;
use crate::domain::verifie::{
    Canonical, Field, Rapport, SchemaObject, Verification, YearDigest, closed_year_change,
    contributions_mismatch, integrity_finding, unbalanced,
};
use anyhow::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// One check: what it found, or why it could not finish.
type Check = fn(&Connection) -> Result<Vec<String>>;

/// Runs every check. A check SQLite cannot even finish (the file too damaged to read)
/// is itself an anomaly, reported in French; the following checks still run.
pub fn run(conn: &Connection) -> Rapport {
    let checks: [(&'static str, Check); 7] = [
        ("intégrité du fichier (SQLite, index compris)", integrity),
        ("écritures équilibrées", balanced),
        (
            "contributions volontaires : 86 = 87 chaque année",
            contributions,
        ),
        ("répartitions des sessions dans leur effectif", breakdowns),
        ("présences et autres références", references),
        ("exercices clos inchangés depuis leur clôture", closed_years),
        (
            "totaux par année et par compte égaux aux lignes",
            crate::db::totaux::ecarts,
        ),
    ];
    Rapport::new(
        checks
            .into_iter()
            .map(|(nom, check)| {
                let details = check(conn).unwrap_or_else(|e| {
                    vec![format!(
                        "vérification impossible : {}",
                        crate::error::render(&e, None)
                    )]
                });
                Verification::new(nom, details)
            })
            .collect(),
    )
}

fn schema_objects(
    conn: &Connection,
) -> Result<(HashMap<i64, SchemaObject>, HashMap<String, SchemaObject>)> {
    let mut st = conn
        .prepare("SELECT rootpage, type, name, tbl_name FROM sqlite_master WHERE rootpage > 0")?;
    let mut by_root = HashMap::new();
    let mut by_name = HashMap::new();
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            SchemaObject {
                kind: r.get(1)?,
                name: r.get(2)?,
                table: r.get(3)?,
            },
        ))
    })?;
    for row in rows {
        let (root, o) = row?;
        by_name.insert(o.name.clone(), o.clone());
        by_root.insert(root, o);
    }
    Ok((by_root, by_name))
}

/// `PRAGMA integrity_check`, in full: every table, index and page.
fn integrity(conn: &Connection) -> Result<Vec<String>> {
    let (by_root, by_name) = schema_objects(conn)?;
    let mut st = conn.prepare("PRAGMA integrity_check")?;
    let found: Vec<String> = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found
        .iter()
        .filter(|f| f.as_str() != "ok")
        .flat_map(|f| f.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty() && l.trim() != "*** in database main ***")
        .map(|l| integrity_finding(&l, &by_root, &by_name))
        .collect())
}

/// Each entry's totals, from one pass over the lines, then one pass over the entries:
/// a join would cost a scan of the lines per entry once indexes are set aside.
fn balanced(conn: &Connection) -> Result<Vec<String>> {
    let mut totals: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut st = conn.prepare(
        "SELECT ecriture_id, sum(debit), sum(credit) FROM ligne NOT INDEXED GROUP BY ecriture_id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        totals.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
    }
    let mut found = Vec::new();
    let mut st = conn.prepare("SELECT id, date FROM ecriture NOT INDEXED ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (id, date): (i64, String) = (r.get(0)?, r.get(1)?);
        match totals.get(&id) {
            Some(&(debit, credit)) => found.extend(unbalanced(id, &date, debit, credit)),
            None => found.push(format!("écriture n° {id} du {date} sans aucune ligne")),
        }
    }
    Ok(found)
}

fn contributions(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT CAST(substr(e.date, 1, 4) AS INTEGER),
                coalesce(sum(CASE WHEN l.compte LIKE '86%' THEN l.debit - l.credit END), 0),
                coalesce(sum(CASE WHEN l.compte LIKE '87%' THEN l.credit - l.debit END), 0)
           FROM ligne l NOT INDEXED
           JOIN ecriture e NOT INDEXED ON e.id = l.ecriture_id
          WHERE l.compte LIKE '86%' OR l.compte LIKE '87%'
          GROUP BY 1 ORDER BY 1",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (annee, emplois, ressources) = row?;
        found.extend(contributions_mismatch(annee, emplois, ressources));
    }
    Ok(found)
}

/// Breakdowns of a session's anonymous and named participants never exceed its headcount,
/// and named presences never outnumber it.
fn breakdowns(conn: &Connection) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for col in ["femmes", "qpv", "jeunes_ml", "demandeurs_emploi", "rsa"] {
        // The column name comes from the list above, never from input.
        let sql = format!(
            "SELECT id, date, participants, {col} FROM session NOT INDEXED
              WHERE {col} IS NOT NULL AND ({col} < 0 OR {col} > participants)
              ORDER BY id"
        );
        session_counts(conn, &sql, &mut found, |id, date, participants, n| {
            format!("session n° {id} du {date} : {col} = {n} pour un effectif de {participants}")
        })?;
    }
    session_counts(
        conn,
        "SELECT s.id, s.date, s.participants, count(*)
           FROM presence p NOT INDEXED JOIN session s NOT INDEXED ON s.id = p.session_id
          GROUP BY s.id HAVING count(*) > s.participants ORDER BY s.id",
        &mut found,
        |id, date, participants, n| {
            format!(
                "session n° {id} du {date} : {n} présents nommés pour un effectif de {participants}"
            )
        },
    )?;
    Ok(found)
}

/// Runs a query of (session id, date, headcount, count) rows and describes each one.
fn session_counts(
    conn: &Connection,
    sql: &str,
    found: &mut Vec<String>,
    describe: impl Fn(i64, String, i64, i64) -> String,
) -> Result<()> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    for row in rows {
        let (id, date, participants, n) = row?;
        found.push(describe(id, date, participants, n));
    }
    Ok(())
}

/// Presences point to an existing session and person; every other reference too
/// (`PRAGMA foreign_key_check`); every record has the global id other ledgers know it by.
fn references(conn: &Connection) -> Result<Vec<String>> {
    let mut found: Vec<String> = crate::db::gid::missing(conn)?
        .into_iter()
        .map(|(table, n)| format!("table {table} : {n} ligne(s) sans identifiant global"))
        .collect();
    // Volunteer hours and the class 8 entries that value them.
    found.extend(crate::db::association::benevolat::verifie(conn)?);
    let mut st = conn.prepare(
        "SELECT p.session_id, p.participant_id,
                EXISTS (SELECT 1 FROM session s NOT INDEXED WHERE s.id = p.session_id),
                EXISTS (SELECT 1 FROM participant q NOT INDEXED WHERE q.id = p.participant_id)
           FROM presence p NOT INDEXED
          ORDER BY p.session_id, p.participant_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    for row in rows {
        let (session, person, session_ok, person_ok) = row?;
        if !session_ok {
            found.push(format!(
                "présence de la personne n° {person} à la session n° {session}, qui n'existe pas"
            ));
        }
        if !person_ok {
            found.push(format!(
                "présence à la session n° {session} d'une personne n° {person} qui n'existe pas"
            ));
        }
    }
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (table, rowid, parent) = row?;
        if table == "presence" {
            continue; // reported above, by session and person
        }
        let at = rowid.map_or(String::new(), |r| format!(" n° {r}"));
        found.push(format!(
            "table {table}, ligne{at} : référence vers la table {parent} sans ligne correspondante"
        ));
    }
    Ok(found)
}

/// The canonical content of a year's entries and lines, in id order, read from the
/// tables themselves.
pub fn year_digest(conn: &Connection, annee: i32) -> Result<YearDigest> {
    let (start, end) = year_bounds(annee);
    let mut canon = Canonical::default();
    let mut ecritures = 0;
    canon.section("ecriture");
    let mut st = conn.prepare(
        "SELECT id, date, libelle, piece, tiers_id, projet_id, cree_le, journal,
                numero_source, annule_id
           FROM ecriture NOT INDEXED WHERE date >= ?1 AND date < ?2 ORDER BY id",
    )?;
    let mut rows = st.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        canon.row(&fields(r, 10)?);
        ecritures += 1;
    }
    canon.section("ligne");
    let mut lignes = 0;
    let mut st = conn.prepare(
        "SELECT id, ecriture_id, compte, debit, credit FROM ligne NOT INDEXED
          WHERE ecriture_id IN (SELECT id FROM ecriture NOT INDEXED
                                 WHERE date >= ?1 AND date < ?2)
          ORDER BY id",
    )?;
    let mut rows = st.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        canon.row(&fields(r, 5)?);
        lignes += 1;
    }
    Ok(YearDigest {
        empreinte: canon.digest(),
        ecritures,
        lignes,
    })
}

fn fields<'r>(r: &'r rusqlite::Row, n: usize) -> rusqlite::Result<Vec<Field<'r>>> {
    (0..n)
        .map(|i| {
            Ok(match r.get_ref(i)? {
                ValueRef::Null => Field::Null,
                ValueRef::Integer(v) => Field::Int(v),
                ValueRef::Text(t) => std::str::from_utf8(t).map_or(Field::Other(t), Field::Text),
                ValueRef::Real(f) => Field::Real(f),
                ValueRef::Blob(b) => Field::Other(b),
            })
        })
        .collect()
}

/// Stores the digest of a year being closed, in the closing's transaction.
pub fn store_digest(conn: &Connection, annee: i32) -> Result<()> {
    let d = year_digest(conn, annee)?;
    conn.execute(
        "INSERT INTO cloture_empreinte (annee, empreinte, ecritures, lignes)
         VALUES (?1, ?2, ?3, ?4)",
        params![annee, d.empreinte, d.ecritures, d.lignes],
    )?;
    Ok(())
}

/// Digests the closed years that have none (closed before digests were kept).
pub fn store_missing_digests(conn: &Connection) -> Result<()> {
    let years: Vec<i32> = conn
        .prepare(
            "SELECT annee FROM cloture
              WHERE annee NOT IN (SELECT annee FROM cloture_empreinte) ORDER BY annee",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for annee in years {
        store_digest(conn, annee)?;
    }
    Ok(())
}

fn closed_years(conn: &Connection) -> Result<Vec<String>> {
    let stored: Vec<(i32, Option<YearDigest>)> = conn
        .prepare(
            "SELECT c.annee, d.empreinte, d.ecritures, d.lignes
               FROM cloture c LEFT JOIN cloture_empreinte d ON d.annee = c.annee
              ORDER BY c.annee",
        )?
        .query_map([], |r| {
            let empreinte: Option<String> = r.get(1)?;
            Ok((
                r.get(0)?,
                match empreinte {
                    Some(empreinte) => Some(YearDigest {
                        empreinte,
                        ecritures: r.get(2)?,
                        lignes: r.get(3)?,
                    }),
                    None => None,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    for (annee, digest) in stored {
        let now = year_digest(conn, annee)?;
        match digest {
            Some(at) => found.extend(closed_year_change(annee, &at, &now)),
            None => found.push(format!(
                "exercice {annee} clos sans empreinte : la preuve qu'il n'a pas changé manque"
            )),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    /// Breakdowns over the headcount and more named people than the headcount can only
    /// come from a file edited behind the schema's back: both are reported.
    #[test]
    fn breakdowns_over_the_headcount_are_reported() {
        let ledger = Ledger::in_memory().unwrap();
        let conn = ledger.conn();
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             INSERT INTO projet (id, nom, theme, cree_le) VALUES (1, 'NET94', 'emploi', '2017');
             INSERT INTO session (id, date, projet_id, code_insee, duree_minutes, participants,
                                  femmes, cree_le)
                  VALUES (7, '2017-06-12', 1, '94076', 180, 3, 5, '2017');
             INSERT INTO participant (id, code, cree_le) VALUES (1, 'P-0001', '2017'),
                                                                (2, 'P-0002', '2017'),
                                                                (3, 'P-0003', '2017');
             INSERT INTO presence (session_id, participant_id) VALUES (7, 1), (7, 2), (7, 3);
             UPDATE session SET participants = 2 WHERE id = 7;",
        )
        .unwrap();
        assert_eq!(
            breakdowns(conn).unwrap(),
            [
                "session n° 7 du 2017-06-12 : femmes = 5 pour un effectif de 2",
                "session n° 7 du 2017-06-12 : 3 présents nommés pour un effectif de 2",
            ]
        );
    }
}
