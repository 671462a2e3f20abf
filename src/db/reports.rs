//! The yearly aggregates behind `ici bilan` and `ici stats`: a few grouped SQL sums
//! over one year's rows, read through the date indexes.

use crate::db::sessions::place_from_columns;
use crate::domain::bilan::Solde;
use crate::domain::date::year_bounds;
use crate::domain::stats::{Counts, Group, Public};
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::HashMap;

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
///
/// The rows are summed here rather than by a SQL `GROUP BY`: SQLite would sort the
/// year's sessions on the five grouping columns, which costs more than reading them
/// once in date order and adding each to its group in a hash map. Named presences
/// then correct the sums of their sessions' groups, read from `presence` over the
/// range of the year's session numbers rather than by a lookup per session.
pub fn session_groups(conn: &Connection, annee: i32) -> Result<Vec<Group>> {
    let (start, end) = year_bounds(annee);
    let mut projets: HashMap<i64, (String, String)> = HashMap::new();
    {
        let mut st = conn.prepare("SELECT id, nom, theme FROM projet")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            projets.insert(r.get(0)?, (r.get(1)?, r.get(2)?));
        }
    }
    // A group's key holds numbers only: the place's texts are numbered as they come,
    // so that adding a session allocates nothing.
    type Key = (i64, u32, bool, u32, u32);
    let mut texts: HashMap<String, u32> = HashMap::new();
    let mut number = |value: rusqlite::types::ValueRef<'_>| -> rusqlite::Result<u32> {
        let Some(text) = value.as_str_or_null()? else {
            return Ok(0);
        };
        if let Some(&n) = texts.get(text) {
            return Ok(n);
        }
        let n = texts.len() as u32 + 1;
        texts.insert(text.to_string(), n);
        Ok(n)
    };
    let mut key_at = |r: &rusqlite::Row, at: usize| -> rusqlite::Result<Key> {
        let date = r.get_ref(at + 1)?.as_str()?.as_bytes();
        let mois = match date {
            [_, _, _, _, _, m1, m2, ..] => u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0'),
            _ => 0,
        };
        Ok((
            r.get(at)?,
            mois,
            r.get_ref(at + 2)?.as_str()? == "distance",
            number(r.get_ref(at + 3)?)?,
            number(r.get_ref(at + 4)?)?,
        ))
    };
    let mut groups: HashMap<Key, (Counts, [Public; 5])> = HashMap::new();
    let mut ids: Option<(i64, i64)> = None;
    let mut st = conn.prepare(
        "SELECT id, projet_id, date, lieu, code_insee, commune_saisie,
                participants, duree_minutes, femmes, qpv, jeunes_ml, demandeurs_emploi, rsa
         FROM session
         WHERE date >= ?1 AND date < ?2 AND annulee_le IS NULL",
    )?;
    let mut rows = st.query(params![start, end])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        ids = Some(ids.map_or((id, id), |(low, high)| (low.min(id), high.max(id))));
        let (participants, minutes): (i64, i64) = (r.get(6)?, r.get(7)?);
        let (counts, publics) = groups.entry(key_at(r, 1)?).or_default();
        counts.sessions += 1;
        counts.participants += participants;
        counts.minutes += minutes;
        counts.minutes_stagiaires += participants * minutes;
        for (i, p) in publics.iter_mut().enumerate() {
            if let rusqlite::types::ValueRef::Integer(n) = r.get_ref(8 + i)? {
                p.personnes += n;
                p.renseigne += participants;
            }
        }
    }
    // Named people are not anonymous participants: they leave the breakdowns recorded
    // on the session, and count the time they stayed.
    if let Some((low, high)) = ids {
        let mut st = conn.prepare(
            "SELECT s.projet_id, s.date, s.lieu, s.code_insee, s.commune_saisie,
                    s.duree_minutes, s.femmes IS NOT NULL, s.qpv IS NOT NULL,
                    s.jeunes_ml IS NOT NULL, s.demandeurs_emploi IS NOT NULL, s.rsa IS NOT NULL,
                    count(*), sum(coalesce(pr.minutes, s.duree_minutes))
             FROM presence pr CROSS JOIN session s ON s.id = pr.session_id
             WHERE pr.session_id BETWEEN ?3 AND ?4
               AND s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
             GROUP BY pr.session_id",
        )?;
        let mut rows = st.query(params![start, end, low, high])?;
        while let Some(r) = rows.next()? {
            let minutes: i64 = r.get(5)?;
            let (nommes, minutes_nommes): (i64, i64) = (r.get(11)?, r.get(12)?);
            let Some((counts, publics)) = groups.get_mut(&key_at(r, 0)?) else {
                continue;
            };
            counts.nommes += nommes;
            counts.minutes_stagiaires += minutes_nommes - nommes * minutes;
            for (i, p) in publics.iter_mut().enumerate() {
                if r.get::<_, bool>(6 + i)? {
                    p.renseigne -= nommes;
                }
            }
        }
    }
    let mut by_number: Vec<Option<String>> = vec![None; texts.len() + 1];
    for (text, n) in texts {
        by_number[n as usize] = Some(text);
    }
    let text = |n: u32| by_number[n as usize].clone();
    let mut groups: Vec<(Key, (Counts, [Public; 5]))> = groups.into_iter().collect();
    // In the order SQL would have grouped them.
    groups.sort_by(|a, b| {
        let ((pa, ma, da, ca, sa), (pb, mb, db, cb, sb)) = (a.0, b.0);
        (pa, ma, !da, text(ca), text(sa)).cmp(&(pb, mb, !db, text(cb), text(sb)))
    });
    groups
        .into_iter()
        .map(
            |((projet_id, mois, distance, code, saisie), (counts, publics))| {
                let (projet, theme) = projets.get(&projet_id).cloned().ok_or_else(|| {
                    anyhow::anyhow!("session d'un projet inconnu (n° {projet_id})")
                })?;
                let lieu = if distance { "distance" } else { "site" };
                Ok(Group {
                    projet,
                    theme,
                    mois,
                    place: place_from_columns(lieu, text(code), text(saisie)),
                    counts,
                    publics,
                })
            },
        )
        .collect()
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
/// (not in the partners' list) never counts. Each partner's sessions are looked for
/// through the (partenaire_id, date) index, and each linked tiers' lines through theirs,
/// not by reading every session or entry of the year.
pub fn partenaires_actifs(conn: &Connection, annee: i32) -> Result<Vec<String>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare(
        "SELECT nom FROM partenaire p
         WHERE EXISTS (SELECT 1 FROM session s
                       WHERE s.partenaire_id = p.id AND s.date >= ?1 AND s.date < ?2
                         AND s.annulee_le IS NULL)
            OR p.id IN (SELECT t.partenaire_id FROM tiers t
                        WHERE t.partenaire_id IS NOT NULL
                          AND EXISTS (SELECT 1 FROM ligne_detail d
                                      JOIN ligne l ON l.id = d.ligne_id
                                      JOIN ecriture e ON e.id = l.ecriture_id
                                      WHERE d.tiers_id = t.id
                                        AND e.date >= ?1 AND e.date < ?2))
         ORDER BY nom",
    )?;
    let rows = st.query_map(params![start, end], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The lowest and highest numbers of the year's sessions (read from the date index
/// alone), to read the year's presences as one range of their key.
pub fn session_range(conn: &Connection, annee: i32) -> Result<Option<(i64, i64)>> {
    let (start, end) = year_bounds(annee);
    let range: (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT min(id), max(id) FROM session WHERE date >= ?1 AND date < ?2",
        params![start, end],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(range.0.zip(range.1))
}

pub fn sessions_annulees(conn: &Connection, annee: i32) -> Result<i64> {
    let (start, end) = year_bounds(annee);
    Ok(conn.query_row(
        "SELECT count(*) FROM session WHERE date >= ?1 AND date < ?2 AND annulee_le IS NOT NULL",
        params![start, end],
        |r| r.get(0),
    )?)
}
