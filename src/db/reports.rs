//! The yearly aggregates behind `ici bilan` and `ici stats`: a few grouped SQL sums
//! over one year's rows, read through the date indexes.

use crate::db::sessions::place_from_columns;
use crate::domain::bilan::Solde;
use crate::domain::date::year_bounds;
use crate::domain::stats::{Counts, Group, Public};
use anyhow::Result;
use rusqlite::{Connection, params};

/// Which entries a bilan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perimetre {
    Tout,
    Projet(i64),
    /// Entries attached to no project.
    SansProjet,
}

/// Balances of the year by account, for classes 6, 7, 8 and loans (16); subsidies
/// (74) and loans split by tiers.
pub fn soldes(conn: &Connection, annee: i32, perimetre: Perimetre) -> Result<Vec<Solde>> {
    let (start, end) = year_bounds(annee);
    let (all, projet, sans) = match perimetre {
        Perimetre::Tout => (true, None, false),
        Perimetre::Projet(id) => (false, Some(id), false),
        Perimetre::SansProjet => (false, None, true),
    };
    let mut st = conn.prepare_cached(
        "SELECT g.compte, coalesce(lt.nom, t.nom), g.debit, g.credit
         FROM (SELECT l.compte AS compte,
                      CASE WHEN substr(l.compte, 1, 2) IN ('74', '16') THEN e.tiers_id END AS tiers_id,
                      CASE WHEN substr(l.compte, 1, 2) IN ('74', '16') THEN d.tiers_id END AS ligne_tiers,
                      sum(l.debit) AS debit, sum(l.credit) AS credit
               FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
               LEFT JOIN ligne_detail d ON d.ligne_id = l.id
               WHERE e.date >= ?1 AND e.date < ?2
                 AND (substr(l.compte, 1, 1) IN ('6', '7', '8') OR substr(l.compte, 1, 2) = '16')
                 AND (?3 OR e.projet_id = ?4 OR (?5 AND e.projet_id IS NULL))
               GROUP BY 1, 2, 3) g
         LEFT JOIN partenaire t ON t.id = g.tiers_id
         LEFT JOIN tiers lt ON lt.id = g.ligne_tiers
         ORDER BY g.compte, coalesce(lt.nom, t.nom)",
    )?;
    let rows = st.query_map(params![start, end, all, projet, sans], |r| {
        Ok(Solde {
            compte: r.get(0)?,
            tiers: r.get(1)?,
            debit: r.get(2)?,
            credit: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Produits and charges of the year per project (None: attached to no project).
pub fn resultats_par_projet(
    conn: &Connection,
    annee: i32,
) -> Result<Vec<(Option<String>, i64, i64)>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT p.nom,
                coalesce(sum(CASE WHEN substr(l.compte, 1, 1) = '7' THEN l.credit - l.debit END), 0),
                coalesce(sum(CASE WHEN substr(l.compte, 1, 1) = '6' THEN l.debit - l.credit END), 0)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN projet p ON p.id = e.projet_id
         WHERE e.date >= ?1 AND e.date < ?2 AND substr(l.compte, 1, 1) IN ('6', '7')
         GROUP BY e.projet_id
         ORDER BY p.nom IS NULL, p.nom",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok((r.get(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Balance-sheet balances (classes 1–5) by three-digit account, of the entries dated
/// in `[start, end)`.
pub fn soldes_bilan(conn: &Connection, start: &str, end: &str) -> Result<Vec<(String, i64)>> {
    let mut st = conn.prepare(
        "SELECT substr(l.compte, 1, 3), sum(l.debit) - sum(l.credit)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date < ?2 AND substr(l.compte, 1, 1) BETWEEN '1' AND '5'
         GROUP BY 1 ORDER BY 1",
    )?;
    let rows = st.query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Produits minus charges of the entries dated in `[start, end)`.
pub fn resultat_entre(conn: &Connection, start: &str, end: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(CASE substr(l.compte, 1, 1)
                               WHEN '7' THEN l.credit - l.debit
                               WHEN '6' THEN l.credit - l.debit END), 0)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.date >= ?1 AND e.date < ?2",
        params![start, end],
        |r| r.get(0),
    )?)
}

/// The latest year up to `annee` that opens with « à nouveaux » (journal AN, OUV,
/// RAN or ANO, as accountants' files write them).
pub fn derniere_ouverture(conn: &Connection, annee: i32) -> Result<Option<i32>> {
    let (_, end) = year_bounds(annee);
    let year: Option<String> = conn.query_row(
        "SELECT max(substr(date, 1, 4)) FROM ecriture
         WHERE numero_source IS NOT NULL AND date < ?1
           AND journal IN ('AN', 'OUV', 'RAN', 'ANO', 'an', 'ouv', 'ran', 'ano')",
        [end],
        |r| r.get(0),
    )?;
    Ok(year.and_then(|y| y.parse().ok()))
}

/// The year's non-cancelled sessions summed by (projet, month, commune). Named people
/// come from the attendance: heures-stagiaires count each one's time present, and the
/// breakdowns recorded on a session describe its anonymous participants only.
pub fn session_groups(conn: &Connection, annee: i32) -> Result<Vec<Group>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT p.nom, p.theme, g.mois, g.lieu, g.code_insee, g.commune_saisie, g.n, g.participants, g.minutes, g.minutes_stagiaires,
                g.femmes, g.femmes_r, g.qpv, g.qpv_r, g.jeunes_ml, g.jeunes_ml_r,
                g.demandeurs_emploi, g.demandeurs_emploi_r, g.rsa, g.rsa_r, g.nommes
         FROM (SELECT s.projet_id, CAST(substr(s.date, 6, 2) AS INTEGER) AS mois,
                      s.lieu, s.code_insee, s.commune_saisie,
                      count(*) AS n, sum(s.participants) AS participants,
                      sum(s.nommes) AS nommes,
                      sum(s.duree_minutes) AS minutes,
                      CAST(total((s.participants - s.nommes) * s.duree_minutes + s.minutes_nommes) AS INTEGER) AS minutes_stagiaires,
                      total(s.femmes) AS femmes,
                      total(CASE WHEN s.femmes IS NOT NULL THEN s.participants - s.nommes END) AS femmes_r,
                      total(s.qpv) AS qpv,
                      total(CASE WHEN s.qpv IS NOT NULL THEN s.participants - s.nommes END) AS qpv_r,
                      total(s.jeunes_ml) AS jeunes_ml,
                      total(CASE WHEN s.jeunes_ml IS NOT NULL THEN s.participants - s.nommes END) AS jeunes_ml_r,
                      total(s.demandeurs_emploi) AS demandeurs_emploi,
                      total(CASE WHEN s.demandeurs_emploi IS NOT NULL THEN s.participants - s.nommes END) AS demandeurs_emploi_r,
                      total(s.rsa) AS rsa,
                      total(CASE WHEN s.rsa IS NOT NULL THEN s.participants - s.nommes END) AS rsa_r
               FROM (SELECT s.*,
                            (SELECT count(*) FROM presence pr WHERE pr.session_id = s.id) AS nommes,
                            (SELECT total(coalesce(pr.minutes, s.duree_minutes))
                             FROM presence pr WHERE pr.session_id = s.id) AS minutes_nommes
                     FROM session s
                     WHERE s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL) s
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
                nommes: r.get(20)?,
                minutes: r.get(8)?,
                minutes_stagiaires: r.get(9)?,
            },
            publics,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The year's non-cancelled sessions summed by their set of thématiques (the bit set
/// as stored; 0 for sessions without one), counted as in [`session_groups`].
pub fn thematique_groups(conn: &Connection, annee: i32) -> Result<Vec<(i64, Counts)>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT s.thematiques, count(*), sum(s.participants), sum(s.nommes), sum(s.duree_minutes),
                CAST(total((s.participants - s.nommes) * s.duree_minutes + s.minutes_nommes) AS INTEGER)
         FROM (SELECT s.thematiques, s.participants, s.duree_minutes,
                      (SELECT count(*) FROM presence pr WHERE pr.session_id = s.id) AS nommes,
                      (SELECT total(coalesce(pr.minutes, s.duree_minutes))
                       FROM presence pr WHERE pr.session_id = s.id) AS minutes_nommes
               FROM session s
               WHERE s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL) s
         GROUP BY s.thematiques",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok((
            r.get(0)?,
            Counts {
                sessions: r.get(1)?,
                participants: r.get(2)?,
                nommes: r.get(3)?,
                minutes: r.get(4)?,
                minutes_stagiaires: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Partners active in the year: those of its sessions, and the partners the tiers of the
/// year's entries are linked to. A supplier or a lender that is only a tiers of the books
/// (not in the partners' list) never counts.
pub fn partenaires_actifs(conn: &Connection, annee: i32) -> Result<Vec<String>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT nom FROM partenaire WHERE id IN (
             SELECT partenaire_id FROM session
             WHERE date >= ?1 AND date < ?2 AND annulee_le IS NULL AND partenaire_id IS NOT NULL
             UNION
             SELECT t.partenaire_id FROM ecriture e
             JOIN ligne l ON l.ecriture_id = e.id
             JOIN ligne_detail d ON d.ligne_id = l.id
             JOIN tiers t ON t.id = d.tiers_id
             WHERE e.date >= ?1 AND e.date < ?2 AND t.partenaire_id IS NOT NULL)
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
