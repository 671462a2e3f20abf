//! `participant fusionne`: one person recorded under two codes becomes one.

use super::find_live;
use crate::bail_user;
use anyhow::Result;
use rusqlite::{Connection, params};

/// What a merge moved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fusion {
    pub from: String,
    pub into: String,
    /// Presences moved to the kept code.
    pub presences: usize,
    /// Sessions both codes attended: the one person was counted twice in their
    /// headcount, which drops by one; they are named once there.
    pub communes: Vec<i64>,
    /// Exits moved, and exits dropped because the kept code had a later one for the
    /// same project.
    pub sorties: usize,
    pub sorties_ecartees: usize,
}

/// Profile columns the kept person takes from the other when they have none.
const PROFILE_COLUMNS: [&str; 10] = [
    "sexe",
    "annee_naissance",
    "statut",
    "qpv",
    "rsa",
    "mission_locale",
    "diplome",
    "handicap",
    "code_insee",
    "prescripteur_id",
];

/// Moves everything of `from` to `into`, fills the gaps of `into`'s profile and
/// identity with `from`'s, and removes `from`, whose code is never given again.
pub fn merge(conn: &Connection, from: &str, into: &str) -> Result<Fusion> {
    let a = find_live(conn, from)?;
    let b = find_live(conn, into)?;
    if a.id == b.id {
        bail_user!(
            "{} et {} désignent la même personne : rien à fusionner",
            from.trim(),
            into.trim()
        );
    }
    let communes: Vec<i64> = conn
        .prepare(
            "SELECT pa.session_id FROM presence pa
             JOIN presence pb ON pb.session_id = pa.session_id AND pb.participant_id = ?2
             WHERE pa.participant_id = ?1 ORDER BY pa.session_id",
        )?
        .query_map(params![a.id, b.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for s in &communes {
        // The longest time present is kept; NULL is the whole session.
        conn.execute(
            "UPDATE presence SET minutes = CASE
                 WHEN minutes IS NULL OR (SELECT minutes FROM presence
                      WHERE session_id = ?1 AND participant_id = ?2) IS NULL THEN NULL
                 ELSE max(minutes, (SELECT minutes FROM presence
                      WHERE session_id = ?1 AND participant_id = ?2)) END
             WHERE session_id = ?1 AND participant_id = ?3",
            params![s, a.id, b.id],
        )?;
        conn.execute(
            "DELETE FROM presence WHERE session_id = ?1 AND participant_id = ?2",
            params![s, a.id],
        )?;
        // The headcount counted the named people among its participants: the same
        // person twice. The anonymous part, and its breakdowns, do not change.
        conn.execute(
            "UPDATE session SET participants = participants - 1 WHERE id = ?1",
            [s],
        )?;
    }
    let presences = conn.execute(
        "UPDATE presence SET participant_id = ?2 WHERE participant_id = ?1",
        params![a.id, b.id],
    )?;
    // One exit per person and project: where both have one, the later one stays.
    let later_from = conn.execute(
        "DELETE FROM sortie WHERE participant_id = ?2 AND projet_id IN (
             SELECT sa.projet_id FROM sortie sa JOIN sortie sb
               ON sb.projet_id = sa.projet_id AND sb.participant_id = ?2
             WHERE sa.participant_id = ?1 AND sa.date > sb.date)",
        params![a.id, b.id],
    )?;
    let later_into = conn.execute(
        "DELETE FROM sortie WHERE participant_id = ?1 AND projet_id IN (
             SELECT projet_id FROM sortie WHERE participant_id = ?2)",
        params![a.id, b.id],
    )?;
    let sorties_ecartees = later_from + later_into;
    let sorties = conn.execute(
        "UPDATE sortie SET participant_id = ?2 WHERE participant_id = ?1",
        params![a.id, b.id],
    )?;
    for column in PROFILE_COLUMNS {
        // Column names come from a fixed list, never from what was typed.
        conn.execute(
            &format!(
                "UPDATE participant SET {column} = (SELECT {column} FROM participant WHERE id = ?1)
                 WHERE id = ?2 AND {column} IS NULL"
            ),
            params![a.id, b.id],
        )?;
    }
    conn.execute(
        "INSERT INTO participant_identite (participant_id) SELECT ?2
         WHERE EXISTS (SELECT 1 FROM participant_identite WHERE participant_id = ?1)
         ON CONFLICT DO NOTHING",
        params![a.id, b.id],
    )?;
    for column in ["nom", "prenom", "telephone", "courriel"] {
        conn.execute(
            &format!(
                "UPDATE participant_identite SET {column} =
                     (SELECT {column} FROM participant_identite WHERE participant_id = ?1)
                 WHERE participant_id = ?2 AND {column} IS NULL"
            ),
            params![a.id, b.id],
        )?;
    }
    conn.execute(
        "DELETE FROM participant_identite WHERE participant_id = ?1",
        [a.id],
    )?;
    crate::db::lot::note_merge(conn, a.id, b.id)?;
    conn.execute("DELETE FROM participant WHERE id = ?1", [a.id])?;
    // The code may be written on old attendance sheets: it is never given again. It
    // is kept alone, with no link to the code it was merged into.
    conn.execute(
        "INSERT OR IGNORE INTO code_fusionne (code) VALUES (?1)",
        [&a.code],
    )?;
    Ok(Fusion {
        from: a.code,
        into: b.code,
        presences,
        communes,
        sorties,
        sorties_ecartees,
    })
}
