//! Sessions in the ledger: writing, listing, cancelling.

use crate::bail_user;
use crate::db::{now, refs};
use crate::domain::duration::Minutes;
use crate::domain::session::{NewSession, Publics};
use crate::error::in_field;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A session as stored, with its names resolved.
#[derive(Debug, Clone)]
pub struct Session {
    pub numero: i64,
    pub date: String,
    pub projet: String,
    pub theme: String,
    pub commune: String,
    pub duree: Minutes,
    pub participants: u32,
    pub publics: Publics,
    pub partenaire: Option<String>,
    pub intitule: Option<String>,
    pub formateur: Option<String>,
    pub annulee_le: Option<String>,
    pub motif_annulation: Option<String>,
}

/// Resolves the names of a checked session and writes it; returns its number.
pub fn insert(conn: &Connection, s: &NewSession) -> Result<i64> {
    let projet_id = refs::projet_id(conn, &s.projet).map_err(|e| in_field("projet", e))?;
    let partenaire_id = s
        .partenaire
        .as_deref()
        .map(|p| refs::partenaire_id(conn, p))
        .transpose()
        .map_err(|e| in_field("partenaire", e))?;
    let commune_id = refs::commune_id(conn, &s.commune)?;
    let p = s.publics;
    conn.prepare_cached(
        "INSERT INTO session (date, projet_id, commune_id, duree_minutes, participants,
             femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire_id, intitule, formateur, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        s.date.format("%Y-%m-%d").to_string(),
        projet_id,
        commune_id,
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
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT s.id, s.date, p.nom, p.theme, c.nom, s.duree_minutes, s.participants,
        s.femmes, s.qpv, s.jeunes_ml, s.demandeurs_emploi, s.rsa, pa.nom, s.intitule, s.formateur,
        s.annulee_le, s.motif_annulation
    FROM session s
    JOIN projet p ON p.id = s.projet_id
    JOIN commune c ON c.id = s.commune_id
    LEFT JOIN partenaire pa ON pa.id = s.partenaire_id";

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        numero: r.get(0)?,
        date: r.get(1)?,
        projet: r.get(2)?,
        theme: r.get(3)?,
        commune: r.get(4)?,
        duree: Minutes(r.get(5)?),
        participants: r.get(6)?,
        publics: Publics::from_values([r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?]),
        partenaire: r.get(12)?,
        intitule: r.get(13)?,
        formateur: r.get(14)?,
        annulee_le: r.get(15)?,
        motif_annulation: r.get(16)?,
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
}

/// Sessions in date order, reading only the filtered range through the date index.
pub fn list(conn: &Connection, f: &Filter, mut each: impl FnMut(Session) -> Result<()>) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let sql = format!(
        "{SELECT} WHERE s.date >= ?1 AND s.date < ?2
           AND (?3 IS NULL OR s.projet_id = ?3)
           AND (?4 IS NULL OR s.partenaire_id = ?4)
           AND (?5 OR s.annulee_le IS NULL)
         ORDER BY s.date, s.id"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![start, end, f.projet_id, f.partenaire_id, f.with_cancelled])?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// Marks a session cancelled: it stays in the ledger and leaves every figure.
pub fn cancel(conn: &Connection, numero: i64, motif: &str) -> Result<Session> {
    let motif = motif.trim();
    if motif.is_empty() {
        bail_user!("--motif vide : dites pourquoi la session est annulée");
    }
    let Some(session) = get(conn, numero)? else {
        bail_user!("session n° {numero} introuvable (voir `ici session list`)");
    };
    if let Some(le) = &session.annulee_le {
        bail_user!("la session n° {numero} est déjà annulée depuis le {le}");
    }
    conn.execute(
        "UPDATE session SET annulee_le = ?1, motif_annulation = ?2 WHERE id = ?3",
        params![now(), motif, numero],
    )?;
    Ok(get(conn, numero)?.expect("session just updated"))
}
