//! The per-person rows behind the figures (`stats`) and the FSE export.

use super::{CODE_ORDER, PROFILE, identite_at, profile_at};
use crate::domain::participant::{Identite, Profile, SITUATIONS, stored};
use crate::domain::stats::Attendee;
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// The named people who attended in the year, with their projects and exits.
pub fn attendees(conn: &Connection, annee: i32) -> Result<Vec<Attendee>> {
    let (start, end) = crate::domain::date::year_bounds(annee);
    // The year's presences are read as a range of their key, so that a year of many
    // sessions with few named people costs little.
    let Some((low, high)) = crate::db::reports::session_range(conn, annee)? else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT pa.id, {PROFILE},
                EXISTS (SELECT 1 FROM presence p2 JOIN session s2 ON s2.id = p2.session_id
                        WHERE p2.participant_id = pa.id AND s2.date < ?1 AND s2.annulee_le IS NULL)
         FROM participant pa LEFT JOIN partenaire pr ON pr.id = pa.prescripteur_id
         WHERE pa.id IN (SELECT p.participant_id
                         FROM presence p CROSS JOIN session s ON s.id = p.session_id
                         WHERE p.session_id BETWEEN ?3 AND ?4
                           AND s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL)
         ORDER BY pa.id"
    );
    let mut people: BTreeMap<i64, Attendee> = BTreeMap::new();
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![start, end, low, high])?;
    while let Some(r) = rows.next()? {
        people.insert(
            r.get(0)?,
            Attendee {
                profile: profile_at(r, 1)?,
                deja_venu: r.get(11)?,
                projets: Vec::new(),
            },
        );
    }
    let mut st = conn.prepare(
        "SELECT DISTINCT p.participant_id, pj.nom, so.situation
         FROM presence p CROSS JOIN session s ON s.id = p.session_id
         JOIN projet pj ON pj.id = s.projet_id
         LEFT JOIN sortie so ON so.participant_id = p.participant_id AND so.projet_id = s.projet_id
         WHERE p.session_id BETWEEN ?3 AND ?4
           AND s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
         ORDER BY p.participant_id, pj.nom",
    )?;
    let mut rows = st.query(params![start, end, low, high])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let situation: Option<String> = r.get(2)?;
        if let Some(a) = people.get_mut(&id) {
            a.projets
                .push((r.get(1)?, stored(SITUATIONS, situation.as_deref())));
        }
    }
    Ok(people.into_values().collect())
}

/// One participant of a project, for the FSE export.
#[derive(Debug, Clone)]
pub struct FseRow {
    pub code: String,
    pub profile: Profile,
    /// First attendance in the project, whatever the period.
    pub entree: String,
    /// Last attendance in the period.
    pub derniere: String,
    /// Distinct days of attendance in the project, whatever the period.
    pub jours: i64,
    /// Minutes present in the period.
    pub minutes: i64,
    pub sortie: Option<(String, &'static str)>,
    pub identite: Option<Identite>,
}

/// The named people of a project's sessions in `[start, end)`, one row each.
/// The per-person subqueries use CROSS JOIN so that SQLite starts from the person's
/// own presences (a handful), not from every session of the project.
pub fn fse_rows(
    conn: &Connection,
    projet_id: i64,
    (start, end): (&str, &str),
    avec_identite: bool,
) -> Result<Vec<FseRow>> {
    let sql = format!(
        "SELECT pa.code, {PROFILE},
                (SELECT min(s2.date) FROM presence p2 CROSS JOIN session s2 ON s2.id = p2.session_id
                 WHERE p2.participant_id = pa.id AND s2.projet_id = ?1 AND s2.annulee_le IS NULL),
                max(s.date),
                (SELECT count(DISTINCT s2.date) FROM presence p2 CROSS JOIN session s2 ON s2.id = p2.session_id
                 WHERE p2.participant_id = pa.id AND s2.projet_id = ?1 AND s2.annulee_le IS NULL),
                sum(coalesce(p.minutes, s.duree_minutes)),
                so.date, so.situation,
                i.nom, i.prenom, i.telephone, i.courriel
         FROM session s JOIN presence p ON p.session_id = s.id
         JOIN participant pa ON pa.id = p.participant_id
         LEFT JOIN partenaire pr ON pr.id = pa.prescripteur_id
         LEFT JOIN sortie so ON so.participant_id = pa.id AND so.projet_id = ?1
         LEFT JOIN participant_identite i ON ?4 AND i.participant_id = pa.id
         WHERE s.projet_id = ?1 AND s.date >= ?2 AND s.date < ?3 AND s.annulee_le IS NULL
         GROUP BY pa.id
         ORDER BY {CODE_ORDER}"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map(params![projet_id, start, end, avec_identite], |r| {
            let sortie_date: Option<String> = r.get(15)?;
            let situation: Option<String> = r.get(16)?;
            Ok(FseRow {
                code: r.get(0)?,
                profile: profile_at(r, 1)?,
                entree: r.get(11)?,
                derniere: r.get(12)?,
                jours: r.get(13)?,
                minutes: r.get(14)?,
                sortie: sortie_date.zip(stored(SITUATIONS, situation.as_deref())),
                identite: if avec_identite {
                    Some(identite_at(r, 17)?)
                } else {
                    None
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
