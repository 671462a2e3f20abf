//! Grant agreements (`convention`) and the explanations of a compte rendu's gaps.

use crate::db::{gid, now, refs};
use crate::domain::financeur::TypeFinanceur;
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// A grant agreement as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    pub numero: i64,
    pub financeur: String,
    pub type_financeur: Option<TypeFinanceur>,
    pub projet: String,
    pub debut: String,
    pub fin: String,
    pub montant: i64,
    pub reference: Option<String>,
    pub seuil: u32,
}

/// What `convention add` records.
pub struct NewConvention<'a> {
    pub financeur: &'a str,
    pub projet: &'a str,
    pub debut: String,
    pub fin: String,
    pub montant: i64,
    pub reference: Option<String>,
    pub seuil: u32,
}

/// Records an agreement; returns its number and the funder and project as stored.
pub fn add(conn: &Connection, c: &NewConvention<'_>) -> Result<(i64, String, String)> {
    let partenaire = refs::partenaire_id(conn, c.financeur)
        .map_err(|e| crate::error::in_field("financeur", e))?;
    let projet =
        refs::projet_id(conn, c.projet).map_err(|e| crate::error::in_field("projet", e))?;
    conn.execute(
        "INSERT INTO convention (gid, partenaire_id, projet_id, debut, fin, montant, reference,
                                 seuil_pct, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            gid::new(),
            partenaire,
            projet,
            c.debut,
            c.fin,
            c.montant,
            c.reference,
            c.seuil,
            now()
        ],
    )?;
    let numero = conn.last_insert_rowid();
    let (financeur, projet) = conn.query_row(
        "SELECT p.nom, j.nom FROM partenaire p, projet j WHERE p.id = ?1 AND j.id = ?2",
        params![partenaire, projet],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((numero, financeur, projet))
}

/// Agreements, of one project if given, in force during some of `annee` if given.
pub fn list(conn: &Connection, projet: Option<i64>, annee: Option<i32>) -> Result<Vec<Convention>> {
    let bounds = annee.map(|a| (format!("{a}-01-01"), format!("{a}-12-31")));
    let (start, end) = bounds.unzip();
    let mut st = conn.prepare_cached(
        "SELECT c.id, p.nom, p.type_financeur, j.nom, c.debut, c.fin, c.montant, c.reference,
                c.seuil_pct
         FROM convention c JOIN partenaire p ON p.id = c.partenaire_id
         JOIN projet j ON j.id = c.projet_id
         WHERE (?1 IS NULL OR c.projet_id = ?1)
           AND (?2 IS NULL OR (c.debut <= ?3 AND c.fin >= ?2))
         ORDER BY j.nom, c.debut, p.nom, c.id",
    )?;
    let rows = st.query_map(params![projet, start, end], |r| {
        Ok(Convention {
            numero: r.get(0)?,
            financeur: r.get(1)?,
            type_financeur: r
                .get::<_, Option<String>>(2)?
                .as_deref()
                .and_then(TypeFinanceur::from_code),
            projet: r.get(3)?,
            debut: r.get(4)?,
            fin: r.get(5)?,
            montant: r.get(6)?,
            reference: r.get(7)?,
            seuil: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes (or replaces) the explanation of a line of a project's compte rendu.
pub fn explique(
    conn: &Connection,
    projet: i64,
    annee: i32,
    rubrique: &str,
    financeur: Option<i64>,
    texte: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO explication (gid, projet_id, annee, rubrique, partenaire_id, texte, ecrit_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (projet_id, annee, rubrique, coalesce(partenaire_id, 0))
         DO UPDATE SET texte = excluded.texte, ecrit_le = excluded.ecrit_le",
        params![
            gid::new(),
            projet,
            annee,
            rubrique,
            financeur,
            texte.trim(),
            now()
        ],
    )?;
    Ok(())
}

/// A project's explanations of a year, by line key (`64`, `74:Fondation Cetelem`).
pub fn explications(
    conn: &Connection,
    projet: i64,
    annee: i32,
) -> Result<BTreeMap<String, String>> {
    let mut st = conn.prepare_cached(
        "SELECT e.rubrique, p.nom, e.texte FROM explication e
         LEFT JOIN partenaire p ON p.id = e.partenaire_id
         WHERE e.projet_id = ?1 AND e.annee = ?2",
    )?;
    let rows = st.query_map(params![projet, annee], |r| {
        let rubrique: String = r.get(0)?;
        let key = match r.get::<_, Option<String>>(1)? {
            Some(f) => format!("{rubrique}:{f}"),
            None => rubrique,
        };
        Ok((key, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
