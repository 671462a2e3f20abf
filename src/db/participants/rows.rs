//! The register as `participant list` shows it, one row per person.

use super::{CODE_ORDER, PROFILE, identite_at, profile_at};
use crate::domain::participant::{Identite, Profile};
use anyhow::Result;
use rusqlite::{Connection, params};

/// Filters of `participant list`.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// `[start, end)` ISO dates.
    pub period: Option<(String, String)>,
    pub projet_id: Option<i64>,
    pub avec_identite: bool,
}

/// A person in `participant list`, with their attendance in the filtered sessions.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub code: String,
    pub profile: Profile,
    pub sessions: i64,
    pub premiere: Option<String>,
    pub derniere: Option<String>,
    pub minutes: i64,
    pub identite: Option<Identite>,
}

/// The register; with a year or a project, only the people who came to those sessions.
pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<ListRow>> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let only_attendees = f.period.is_some() || f.projet_id.is_some();
    // With a year or a project, start from those sessions (through the date index),
    // not from the whole register.
    let sql = if only_attendees {
        format!(
            "SELECT pa.code, {PROFILE}, count(*), min(s.date), max(s.date),
                    sum(coalesce(p.minutes, s.duree_minutes)),
                    i.nom, i.prenom, i.telephone, i.courriel
             FROM session s
             JOIN presence p ON p.session_id = s.id
             JOIN participant pa ON pa.id = p.participant_id
             LEFT JOIN partenaire pr ON pr.id = pa.prescripteur_id
             LEFT JOIN participant_identite i ON ?5 AND i.participant_id = pa.id
             WHERE s.date >= ?1 AND s.date < ?2 AND (?3 IS NULL OR s.projet_id = ?3)
               AND s.annulee_le IS NULL AND ?4
             GROUP BY pa.id
             ORDER BY {CODE_ORDER}"
        )
    } else {
        format!(
        "SELECT pa.code, {PROFILE}, count(s.id), min(s.date), max(s.date),
                coalesce(sum(CASE WHEN s.id IS NOT NULL THEN coalesce(p.minutes, s.duree_minutes) END), 0),
                i.nom, i.prenom, i.telephone, i.courriel
         FROM participant pa
         LEFT JOIN partenaire pr ON pr.id = pa.prescripteur_id
         LEFT JOIN participant_identite i ON ?5 AND i.participant_id = pa.id
         LEFT JOIN presence p ON p.participant_id = pa.id
         LEFT JOIN session s ON s.id = p.session_id AND s.annulee_le IS NULL
              AND s.date >= ?1 AND s.date < ?2 AND (?3 IS NULL OR s.projet_id = ?3)
         GROUP BY pa.id
         HAVING NOT ?4 OR count(s.id) > 0
         ORDER BY {CODE_ORDER}"
        )
    };
    let rows = conn
        .prepare(&sql)?
        .query_map(
            params![start, end, f.projet_id, only_attendees, f.avec_identite],
            |r| {
                Ok(ListRow {
                    code: r.get(0)?,
                    profile: profile_at(r, 1)?,
                    sessions: r.get(11)?,
                    premiere: r.get(12)?,
                    derniere: r.get(13)?,
                    minutes: r.get(14)?,
                    identite: if f.avec_identite {
                        Some(identite_at(r, 15)?)
                    } else {
                        None
                    },
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
