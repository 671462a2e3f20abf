//! What the annual report reads that no other report does: its free texts (every
//! version kept, the latest printed) and each project's partners in the year.

use crate::domain::date::year_bounds;
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// The free sections of the report, in the order they appear in it: key, title.
pub const SECTIONS: [(&str, &str); 3] = [
    ("edito", "Édito"),
    ("resultat", "Explications du résultat"),
    ("perspectives", "Perspectives"),
];

/// Adds a new version of a section's text; returns whether it replaces an earlier one
/// (which stays in the ledger).
pub fn write_text(conn: &Connection, annee: i32, section: &str, texte: &str) -> Result<bool> {
    let before: i64 = conn.query_row(
        "SELECT count(*) FROM rapport_texte WHERE annee = ?1 AND section = ?2",
        params![annee, section],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO rapport_texte (gid, annee, section, texte, ecrit_le) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![super::gid::new(), annee, section, texte, super::now()],
    )?;
    Ok(before > 0)
}

/// The latest version of each section written for the year.
pub fn texts(conn: &Connection, annee: i32) -> Result<BTreeMap<String, String>> {
    let mut st = conn.prepare(
        "SELECT section, texte FROM rapport_texte t
         WHERE annee = ?1 AND id = (SELECT max(id) FROM rapport_texte u
                                    WHERE u.annee = t.annee AND u.section = t.section)",
    )?;
    let rows = st.query_map([annee], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many versions of a section exist for the year (the history `rapport texte` speaks of).
pub fn versions(conn: &Connection, annee: i32, section: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM rapport_texte WHERE annee = ?1 AND section = ?2",
        params![annee, section],
        |r| r.get(0),
    )?)
}

/// Per project, the partners of its sessions in the year and those named on its
/// entries of the year (the funders of the action), sorted by name.
pub fn partenaires_par_projet(
    conn: &Connection,
    annee: i32,
) -> Result<BTreeMap<String, Vec<String>>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT DISTINCT p.nom, pa.nom FROM (
             SELECT projet_id, partenaire_id AS partenaire FROM session
             WHERE date >= ?1 AND date < ?2 AND annulee_le IS NULL AND partenaire_id IS NOT NULL
             UNION
             SELECT projet_id, tiers_id FROM ecriture
             WHERE date >= ?1 AND date < ?2 AND projet_id IS NOT NULL AND tiers_id IS NOT NULL
               AND annule_id IS NULL
               AND id NOT IN (SELECT annule_id FROM ecriture WHERE annule_id IS NOT NULL)) x
         JOIN projet p ON p.id = x.projet_id
         JOIN partenaire pa ON pa.id = x.partenaire
         ORDER BY p.nom, pa.nom",
    )?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let rows = st.query_map(params![start, end], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (projet, partenaire) = row?;
        out.entry(projet).or_default().push(partenaire);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn a_new_version_replaces_the_printed_text_and_keeps_the_old_one() {
        let mut ledger = Ledger::in_memory().unwrap();
        ledger
            .write(|tx| {
                assert!(!write_text(tx, 2017, "edito", "premier")?);
                assert!(write_text(tx, 2017, "edito", "second")?);
                assert!(!write_text(tx, 2017, "perspectives", "demain")?);
                assert!(!write_text(tx, 2018, "edito", "autre année")?);
                Ok(())
            })
            .unwrap();
        let t = texts(ledger.conn(), 2017).unwrap();
        assert_eq!(t.get("edito").map(String::as_str), Some("second"));
        assert_eq!(t.get("perspectives").map(String::as_str), Some("demain"));
        assert_eq!(t.len(), 2);
        assert_eq!(versions(ledger.conn(), 2017, "edito").unwrap(), 2);
        let err = ledger
            .conn()
            .execute("UPDATE rapport_texte SET texte = 'x'", [])
            .unwrap_err();
        assert!(err.to_string().contains("ne se modifie pas"), "{err}");
    }
}
