//! The yearly aggregates behind `ici bilan` and `ici stats`: a few grouped SQL sums
//! over one year's rows, read through the date indexes.

use crate::db::sessions::place_from_columns;
use crate::domain::bilan::Solde;
use crate::domain::date::year_bounds;
use crate::domain::stats::{Counts, Group, Public};
use anyhow::Result;
use rusqlite::{Connection, params};

/// Balances of the year by two-digit account group; subsidies (74) and loans (16)
/// split by tiers.
pub fn soldes(conn: &Connection, annee: i32) -> Result<Vec<Solde>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT g.groupe, t.nom, g.debit, g.credit
         FROM (SELECT substr(l.compte, 1, 2) AS groupe,
                      CASE WHEN substr(l.compte, 1, 2) IN ('74', '16') THEN e.tiers_id END AS tiers_id,
                      sum(l.debit) AS debit, sum(l.credit) AS credit
               FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
               WHERE e.date >= ?1 AND e.date < ?2
               GROUP BY 1, 2) g
         LEFT JOIN partenaire t ON t.id = g.tiers_id
         ORDER BY g.groupe, t.nom",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok(Solde {
            groupe: r.get(0)?,
            tiers: r.get(1)?,
            debit: r.get(2)?,
            credit: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The year's non-cancelled sessions summed by (projet, month, commune).
pub fn session_groups(conn: &Connection, annee: i32) -> Result<Vec<Group>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT p.nom, p.theme, g.mois, g.lieu, g.code_insee, g.commune_saisie, g.n, g.participants, g.minutes, g.minutes_stagiaires,
                g.femmes, g.femmes_r, g.qpv, g.qpv_r, g.jeunes_ml, g.jeunes_ml_r,
                g.demandeurs_emploi, g.demandeurs_emploi_r, g.rsa, g.rsa_r
         FROM (SELECT s.projet_id, CAST(substr(s.date, 6, 2) AS INTEGER) AS mois,
                      s.lieu, s.code_insee, s.commune_saisie,
                      count(*) AS n, sum(s.participants) AS participants,
                      sum(s.duree_minutes) AS minutes,
                      sum(s.participants * s.duree_minutes) AS minutes_stagiaires,
                      total(s.femmes) AS femmes,
                      total(CASE WHEN s.femmes IS NOT NULL THEN s.participants END) AS femmes_r,
                      total(s.qpv) AS qpv,
                      total(CASE WHEN s.qpv IS NOT NULL THEN s.participants END) AS qpv_r,
                      total(s.jeunes_ml) AS jeunes_ml,
                      total(CASE WHEN s.jeunes_ml IS NOT NULL THEN s.participants END) AS jeunes_ml_r,
                      total(s.demandeurs_emploi) AS demandeurs_emploi,
                      total(CASE WHEN s.demandeurs_emploi IS NOT NULL THEN s.participants END) AS demandeurs_emploi_r,
                      total(s.rsa) AS rsa,
                      total(CASE WHEN s.rsa IS NOT NULL THEN s.participants END) AS rsa_r
               FROM session s
               WHERE s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
               GROUP BY s.projet_id, mois, s.lieu, s.code_insee, s.commune_saisie) g
         JOIN projet p ON p.id = g.projet_id",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        let mut publics = [Public::default(); 5];
        for (i, p) in publics.iter_mut().enumerate() {
            // total() returns a float; the sums are of integers.
            p.personnes = r.get::<_, f64>(10 + 2 * i)? as i64;
            p.renseigne = r.get::<_, f64>(11 + 2 * i)? as i64;
        }
        Ok(Group {
            projet: r.get(0)?,
            theme: r.get(1)?,
            mois: r.get(2)?,
            place: place_from_columns(&r.get::<_, String>(3)?, r.get(4)?, r.get(5)?),
            counts: Counts {
                sessions: r.get(6)?,
                participants: r.get(7)?,
                minutes: r.get(8)?,
                minutes_stagiaires: r.get(9)?,
            },
            publics,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Partners active in the year: named on a session or as tiers of a transaction.
pub fn partenaires_actifs(conn: &Connection, annee: i32) -> Result<Vec<String>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT nom FROM partenaire WHERE id IN (
             SELECT partenaire_id FROM session
             WHERE date >= ?1 AND date < ?2 AND annulee_le IS NULL AND partenaire_id IS NOT NULL
             UNION
             SELECT tiers_id FROM ecriture
             WHERE date >= ?1 AND date < ?2 AND tiers_id IS NOT NULL)
         ORDER BY nom",
    )?;
    let rows = st.query_map(params![start, end], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn sessions_annulees(conn: &Connection, annee: i32) -> Result<i64> {
    let (start, end) = year_bounds(annee);
    Ok(conn.query_row(
        "SELECT count(*) FROM session WHERE date >= ?1 AND date < ?2 AND annulee_le IS NOT NULL",
        params![start, end],
        |r| r.get(0),
    )?)
}
