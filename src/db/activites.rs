//! The rows behind the Coop's activity export: the year's sessions with the profile of
//! each named person present (sex, year of birth, status; never a code or a name).

use crate::db::sessions::{Filter, place_from_columns};
use crate::domain::activites::{Activite, Present};
use crate::domain::duration::Minutes;
use crate::domain::participant::{SEXES, STATUTS, stored};
use crate::domain::vocabulaire::Vocabulaire;
use anyhow::Result;
use rusqlite::{Connection, params};

/// The filter as SQL: the period, the project, the partner; cancelled sessions out.
const WHERE: &str = "s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
    AND (?3 IS NULL OR s.projet_id = ?3) AND (?4 IS NULL OR s.partenaire_id = ?4)";

/// Each session of the filter, in date order, with its named people. Two ordered
/// reads walked side by side: memory holds one session at a time.
pub fn each(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(Activite) -> Result<()>,
) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let args = params![start, end, f.projet_id, f.partenaire_id];
    let mut sessions = conn.prepare(&format!(
        "SELECT s.id, s.date, s.lieu, s.code_insee, s.commune_saisie, s.duree_minutes,
                s.participants, s.femmes, s.demandeurs_emploi, s.intitule,
                s.thematiques, s.materiel, s.niveau
         FROM session s WHERE {WHERE} ORDER BY s.date, s.id"
    ))?;
    let mut people = conn.prepare(&format!(
        "SELECT s.id, pa.sexe, pa.annee_naissance, pa.statut
         FROM session s JOIN presence pr ON pr.session_id = s.id
         JOIN participant pa ON pa.id = pr.participant_id
         WHERE {WHERE} ORDER BY s.date, s.id, pa.id"
    ))?;
    let mut people = people.query(args)?;
    let mut pending: Option<(i64, Present)> = None;
    let mut rows = sessions.query(args)?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let mut presents = Vec::new();
        loop {
            if pending.is_none()
                && let Some(p) = people.next()?
            {
                let sexe: Option<String> = p.get(1)?;
                let statut: Option<String> = p.get(3)?;
                pending = Some((
                    p.get(0)?,
                    Present {
                        sexe: stored(SEXES, sexe.as_deref()),
                        annee_naissance: p.get(2)?,
                        statut: stored(STATUTS, statut.as_deref()),
                    },
                ));
            }
            match pending.take() {
                Some((sid, p)) if sid == id => presents.push(p),
                other => {
                    pending = other;
                    break;
                }
            }
        }
        each(Activite {
            date: r.get(1)?,
            place: place_from_columns(&r.get::<_, String>(2)?, r.get(3)?, r.get(4)?),
            duree: Minutes(r.get(5)?),
            participants: r.get(6)?,
            femmes: r.get(7)?,
            demandeurs_emploi: r.get(8)?,
            intitule: r.get(9)?,
            vocabulaire: Vocabulaire::from_columns(r.get(10)?, r.get(11)?, r.get(12)?),
            presents,
        })?;
    }
    Ok(())
}
