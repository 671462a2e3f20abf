//! Sessions in the ledger: writing, listing, cancelling.

use crate::bail_user;
use crate::db::{now, participants, refs};
use crate::domain::duration::Minutes;
use crate::domain::session::{Lieu, NewSession, Place, Publics};
use crate::error::in_field;
use crate::territory::{self, Resolution};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A session as stored, with its names resolved.
#[derive(Debug, Clone)]
pub struct Session {
    pub numero: i64,
    pub date: String,
    pub projet: String,
    pub theme: String,
    pub place: Place,
    pub duree: Minutes,
    pub participants: u32,
    pub publics: Publics,
    pub partenaire: Option<String>,
    pub intitule: Option<String>,
    pub formateur: Option<String>,
    pub annulee_le: Option<String>,
    pub motif_annulation: Option<String>,
    /// Of the participants, how many are named (the rest are anonymous).
    pub nommes: u32,
}

/// Reads the place columns (lieu, code_insee, commune_saisie).
pub fn place_from_columns(lieu: &str, code: Option<String>, saisie: Option<String>) -> Place {
    match (lieu, code.as_deref().and_then(territory::commune), saisie) {
        ("distance", _, _) => Place::Distance,
        (_, Some(c), _) => Place::Commune(c),
        (_, None, saisie) => Place::Inconnue(saisie.or(code).unwrap_or_default()),
    }
}

/// The place columns (lieu, code_insee) of a checked place.
fn place_columns(lieu: &Lieu) -> (&'static str, Option<&'static str>) {
    match lieu {
        Lieu::Site(c) => ("site", Some(c.code)),
        Lieu::Distance => ("distance", None),
    }
}

/// Resolves the names of a checked session and writes it; returns its number. A
/// session like one already recorded is refused unless `doublon` says it is meant.
pub fn insert(conn: &Connection, s: &NewSession, doublon: bool) -> Result<i64> {
    let projet_id = refs::projet_id(conn, &s.projet).map_err(|e| in_field("projet", e))?;
    let partenaire_id = s
        .partenaire
        .as_deref()
        .map(|p| refs::partenaire_id(conn, p))
        .transpose()
        .map_err(|e| in_field("partenaire", e))?;
    // Every code is checked before anything is written.
    let presents =
        participants::resolve_presents(conn, &s.presents).map_err(|e| in_field("presents", e))?;
    if !doublon && let Some(existing) = duplicate_of(conn, s, projet_id)? {
        bail_user!(
            "cette session est déjà enregistrée : session {} du {}, {}, {}, {} ({} participant(s)) ; si c'est voulu (deux groupes le même jour), ajoutez --doublon",
            existing.numero,
            existing.date,
            existing.projet,
            existing.place,
            existing.duree,
            existing.participants
        );
    }
    let (lieu, code) = place_columns(&s.lieu);
    let p = s.publics;
    conn.prepare_cached(
        "INSERT INTO session (date, projet_id, lieu, code_insee, duree_minutes, participants,
             femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire_id, intitule, formateur, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        s.date.format("%Y-%m-%d").to_string(),
        projet_id,
        lieu,
        code,
        s.duree.0,
        s.participants,
        p.femmes,
        p.qpv,
        p.jeunes_ml,
        p.demandeurs_emploi,
        p.rsa,
        partenaire_id,
        s.intitule,
        s.formateur,
        now(),
    ])?;
    let id = conn.last_insert_rowid();
    participants::add_presences(conn, id, &presents)?;
    Ok(id)
}

/// The session already recorded that `s` would repeat, if any (see [`insert`]); none
/// when its project is unknown, which [`insert`] reports.
pub fn find_duplicate(conn: &Connection, s: &NewSession) -> Result<Option<Session>> {
    match refs::projet_id(conn, &s.projet) {
        Ok(projet_id) => duplicate_of(conn, s, projet_id),
        Err(_) => Ok(None),
    }
}

/// A recorded session, not cancelled, with the same date, project, place and
/// duration. Read through the (projet, date) index: a handful of rows at most.
fn duplicate_of(conn: &Connection, s: &NewSession, projet_id: i64) -> Result<Option<Session>> {
    let (lieu, code) = place_columns(&s.lieu);
    let numero: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM session
             WHERE projet_id = ?1 AND date = ?2 AND annulee_le IS NULL
               AND lieu = ?3 AND code_insee IS ?4 AND duree_minutes = ?5
             ORDER BY id LIMIT 1",
        )?
        .query_row(
            params![
                projet_id,
                s.date.format("%Y-%m-%d").to_string(),
                lieu,
                code,
                s.duree.0
            ],
            |r| r.get(0),
        )
        .optional()?;
    numero.map_or(Ok(None), |n| get(conn, n))
}

const SELECT: &str = "SELECT s.id, s.date, p.nom, p.theme, s.lieu, s.code_insee, s.commune_saisie,
        s.duree_minutes, s.participants,
        s.femmes, s.qpv, s.jeunes_ml, s.demandeurs_emploi, s.rsa, pa.nom, s.intitule, s.formateur,
        s.annulee_le, s.motif_annulation,
        (SELECT count(*) FROM presence pr WHERE pr.session_id = s.id)
    FROM session s
    JOIN projet p ON p.id = s.projet_id
    LEFT JOIN partenaire pa ON pa.id = s.partenaire_id";

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        numero: r.get(0)?,
        date: r.get(1)?,
        projet: r.get(2)?,
        theme: r.get(3)?,
        place: place_from_columns(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?),
        duree: Minutes(r.get(7)?),
        participants: r.get(8)?,
        publics: Publics::from_values([r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?]),
        partenaire: r.get(14)?,
        intitule: r.get(15)?,
        formateur: r.get(16)?,
        annulee_le: r.get(17)?,
        motif_annulation: r.get(18)?,
        nommes: r.get(19)?,
    })
}

pub fn get(conn: &Connection, numero: i64) -> Result<Option<Session>> {
    let sql = format!("{SELECT} WHERE s.id = ?1");
    Ok(conn.query_row(&sql, [numero], from_row).optional()?)
}

/// Which sessions a list or an export reads.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// `[start, end)` ISO dates.
    pub period: Option<(String, String)>,
    pub projet_id: Option<i64>,
    pub partenaire_id: Option<i64>,
    pub with_cancelled: bool,
    /// Only sessions whose commune is still as typed, not resolved.
    pub commune_inconnue: bool,
}

/// Sessions in date order, reading only the filtered range through the date index.
pub fn list(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(Session) -> Result<()>,
) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let sql = format!(
        "{SELECT} WHERE s.date >= ?1 AND s.date < ?2
           AND (?3 IS NULL OR s.projet_id = ?3)
           AND (?4 IS NULL OR s.partenaire_id = ?4)
           AND (?5 OR s.annulee_le IS NULL)
           AND (NOT ?6 OR s.commune_saisie IS NOT NULL OR s.lieu = 'site')
         ORDER BY s.date, s.id"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![
        start,
        end,
        f.projet_id,
        f.partenaire_id,
        f.with_cancelled,
        f.commune_inconnue
    ])?;
    while let Some(row) = rows.next()? {
        let session = from_row(row)?;
        // A code the bundled reference no longer knows (communes merge) is unknown
        // too; only the reference can tell, so that case is filtered here.
        if f.commune_inconnue && !matches!(session.place, Place::Inconnue(_)) {
            continue;
        }
        each(session)?;
    }
    Ok(())
}

/// Marks a session cancelled: it stays in the ledger and leaves every figure.
pub fn cancel(conn: &Connection, numero: i64, motif: &str) -> Result<Session> {
    let motif = motif.trim();
    if motif.is_empty() {
        bail_user!("--motif vide : dites pourquoi la session est annulée");
    }
    let session = existing(conn, numero)?;
    if let Some(le) = &session.annulee_le {
        bail_user!("la session n° {numero} est déjà annulée depuis le {le}");
    }
    conn.execute(
        "UPDATE session SET annulee_le = ?1, motif_annulation = ?2 WHERE id = ?3",
        params![now(), motif, numero],
    )?;
    Ok(get(conn, numero)?.expect("session just updated"))
}

fn existing(conn: &Connection, numero: i64) -> Result<Session> {
    match get(conn, numero)? {
        Some(s) => Ok(s),
        None => bail_user!("session n° {numero} introuvable (voir `ici session list`)"),
    }
}

/// Sets the place of a session (a commune left as typed, or a mistake).
pub fn set_place(conn: &Connection, numero: i64, lieu: &Lieu) -> Result<Session> {
    existing(conn, numero)?;
    let (lieu, code) = place_columns(lieu);
    conn.execute(
        "UPDATE session SET lieu = ?1, code_insee = ?2, commune_saisie = NULL WHERE id = ?3",
        params![lieu, code, numero],
    )?;
    existing(conn, numero)
}

/// Sets or empties the breakdowns of a session's anonymous participants, in the order
/// of [`crate::domain::session::PUBLICS`]: `None` leaves one as it is, `Some(None)`
/// empties it ("non renseigné").
pub fn set_publics(
    conn: &Connection,
    numero: i64,
    changes: &[Option<Option<u32>>; 5],
) -> Result<Session> {
    let s = existing(conn, numero)?;
    let anonymes = s.participants - s.nommes;
    let mut values = s.publics.values();
    for (i, change) in changes.iter().enumerate() {
        let Some(v) = change else { continue };
        if let Some(n) = v.filter(|n| *n > anonymes) {
            let (key, _, _) = crate::domain::session::PUBLICS[i];
            return Err(in_field(
                key,
                crate::error::user(format!(
                    "« {n} » dépasse les {anonymes} participant(s) anonyme(s) de la session n° {numero} ({} participant(s) dont {} nommé(s)) : une répartition ne compte que les anonymes",
                    s.participants, s.nommes
                )),
            ));
        }
        values[i] = *v;
    }
    let p = Publics::from_values(values);
    conn.execute(
        "UPDATE session SET femmes = ?1, qpv = ?2, jeunes_ml = ?3, demandeurs_emploi = ?4, rsa = ?5
         WHERE id = ?6",
        params![
            p.femmes,
            p.qpv,
            p.jeunes_ml,
            p.demandeurs_emploi,
            p.rsa,
            numero
        ],
    )?;
    existing(conn, numero)
}

/// Resolves the communes still as typed against the reference; returns those it
/// could not, with their number of sessions. Run by the migration to INSEE codes.
pub fn resolve_typed_communes(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let typed: Vec<(String, i64)> = conn
        .prepare(
            "SELECT commune_saisie, count(*) FROM session
             WHERE commune_saisie IS NOT NULL GROUP BY commune_saisie ORDER BY commune_saisie",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut unresolved = Vec::new();
    for (saisie, n) in typed {
        match territory::resolve(&saisie) {
            Resolution::Found(c) => {
                conn.execute(
                    "UPDATE session SET code_insee = ?1, commune_saisie = NULL WHERE commune_saisie = ?2",
                    params![c.code, saisie],
                )?;
            }
            _ => unresolved.push((saisie, n)),
        }
    }
    Ok(unresolved)
}
