//! Reference lists: projects, partners, communes. A name must exist before it is used,
//! so a typo cannot split the figures.

use crate::bail_user;
use crate::db::now;
use crate::domain::financeur::TypeFinanceur;
use crate::domain::{MAX_NAME_CHARS, MAX_TEXT_CHARS, check_length, doublon, suggest};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

pub mod fusion;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Projet {
    pub nom: String,
    pub theme: String,
    pub intitule: Option<String>,
    /// What the project is about (`ici projet corrige P --description …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Sessions in the year asked for, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<i64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Partenaire {
    pub nom: String,
    /// The Cerfa funder line (`etat`, `departement`…), if known.
    #[serde(rename = "type")]
    pub type_financeur: Option<TypeFinanceur>,
    /// Sessions and transactions in the year asked for, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sessions: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecritures: Option<i64>,
}

pub const THEMES: [(&str, &str); 3] = [
    ("citoyennete", "Démocratie et citoyenneté"),
    ("education-populaire", "Éducation populaire"),
    ("emploi", "Emploi"),
];

pub fn theme_label(code: &str) -> &str {
    THEMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

/// Checks a theme as typed; accents and case are forgiven.
pub fn parse_theme(input: &str) -> Result<&'static str> {
    let folded = suggest::fold(input).replace(' ', "-");
    match THEMES.iter().find(|(c, _)| *c == folded) {
        Some((code, _)) => Ok(code),
        None => {
            bail_user!("thème « {input} » inconnu : citoyennete, education-populaire ou emploi")
        }
    }
}

fn check_name(kind: &str, nom: &str) -> Result<String> {
    let nom = nom.trim();
    if nom.is_empty() {
        bail_user!("nom de {kind} vide");
    }
    if nom.chars().count() > MAX_NAME_CHARS {
        // Cut with its length by the printer of messages.
        bail_user!("nom de {kind} trop long ({MAX_NAME_CHARS} caractères au plus) : « {nom} »");
    }
    Ok(nom.to_string())
}

/// Adds a project. A name that is an existing one spelled differently (case,
/// accents, hyphens, spaces, one typo) is refused unless `nouveau` says it is another.
pub fn add_projet(
    conn: &Connection,
    nom: &str,
    theme: &str,
    intitule: Option<&str>,
    nouveau: bool,
) -> Result<String> {
    let nom = check_name("projet", nom)?;
    if let Some(intitule) = intitule {
        crate::error::field("intitule", check_length(intitule, MAX_TEXT_CHARS))?;
    }
    if let Some(existing) = find(conn, "projet", &nom)? {
        bail_user!("le projet « {existing} » existe déjà (voir `ici projet list`)");
    }
    if !nouveau {
        refuse_similar(conn, Table::Projet, &nom, None)?;
    }
    conn.execute(
        "INSERT INTO projet (nom, theme, intitule, cree_le, gid) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            nom,
            theme,
            intitule.map(str::trim).filter(|s| !s.is_empty()),
            now(),
            super::gid::new()
        ],
    )?;
    Ok(nom)
}

/// Adds a partner; a name like an existing one is refused as for [`add_projet`].
pub fn add_partenaire(
    conn: &Connection,
    nom: &str,
    type_financeur: Option<TypeFinanceur>,
    nouveau: bool,
) -> Result<String> {
    let nom = check_name("partenaire", nom)?;
    if let Some(existing) = find(conn, "partenaire", &nom)? {
        bail_user!("le partenaire « {existing} » existe déjà (voir `ici partenaire list`)");
    }
    if !nouveau {
        refuse_similar(conn, Table::Partenaire, &nom, None)?;
    }
    conn.execute(
        "INSERT INTO partenaire (nom, cree_le, type_financeur, gid) VALUES (?1, ?2, ?3, ?4)",
        params![
            nom,
            now(),
            type_financeur.map(TypeFinanceur::code),
            super::gid::new()
        ],
    )?;
    Ok(nom)
}

/// Sets (or, with `None`, clears) a partner's funder type; returns its name as stored
/// and the type it had.
pub fn set_type_financeur(
    conn: &Connection,
    nom: &str,
    type_financeur: Option<TypeFinanceur>,
) -> Result<(String, Option<TypeFinanceur>)> {
    let id = partenaire_id(conn, nom)?;
    let (stored, before): (String, Option<String>) = conn.query_row(
        "SELECT nom, type_financeur FROM partenaire WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.execute(
        "UPDATE partenaire SET type_financeur = ?2 WHERE id = ?1",
        params![id, type_financeur.map(TypeFinanceur::code)],
    )?;
    Ok((stored, before.as_deref().and_then(TypeFinanceur::from_code)))
}

/// The two reference lists that have names people type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Projet,
    Partenaire,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Projet => "projet",
            Table::Partenaire => "partenaire",
        }
    }
}

/// Refuses a name that designates an existing one (other than `except`) spelled
/// differently: same letters once case, accents, hyphens, spaces and apostrophes
/// are set aside, or one typo away.
fn refuse_similar(conn: &Connection, table: Table, nom: &str, except: Option<i64>) -> Result<()> {
    let sql = format!("SELECT id, nom FROM {} ORDER BY nom", table.name());
    let known: Vec<(i64, String)> = conn
        .prepare(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let Some((_, existing)) = known
        .iter()
        .find(|(id, k)| Some(*id) != except && doublon::same_name(k, nom))
    else {
        return Ok(());
    };
    let t = table.name();
    bail_user!(
        "« {nom} » ressemble trop au {t} « {existing} », déjà au registre : utilisez ce nom (voir `ici {t} list`). Si c'est bien un autre {t}, ajoutez --nouveau ; si « {existing} » est mal écrit : `ici {t} renomme \"{existing}\" \"{nom}\"`."
    )
}

/// Renames a project or partner (typed as it is known, or nearly); returns (old,
/// new). Everything attached to it follows: it is the same record.
pub fn rename(
    conn: &Connection,
    table: Table,
    ancien: &str,
    nom: &str,
    nouveau: bool,
) -> Result<(String, String)> {
    let t = table.name();
    let id = match table {
        Table::Projet => projet_id(conn, ancien)?,
        Table::Partenaire => partenaire_id(conn, ancien)?,
    };
    let old: String = conn.query_row(&format!("SELECT nom FROM {t} WHERE id = ?1"), [id], |r| {
        r.get(0)
    })?;
    let nom = check_name(t, nom)?;
    let taken: Option<(i64, String)> = conn
        .query_row(
            &format!("SELECT id, nom FROM {t} WHERE nom = ?1"),
            [&nom],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((other, existing)) = taken
        && other != id
    {
        bail_user!(
            "le {t} « {existing} » existe déjà : pour réunir les deux, `ici {t} fusionne \"{old}\" --dans \"{existing}\"`"
        );
    }
    if !nouveau {
        refuse_similar(conn, table, &nom, Some(id))?;
    }
    conn.execute(
        &format!("UPDATE {t} SET nom = ?1 WHERE id = ?2"),
        params![nom, id],
    )?;
    Ok((old, nom))
}

/// The stored spelling of a name, matched without regard to ASCII case.
fn find(conn: &Connection, table: &str, nom: &str) -> Result<Option<String>> {
    let sql = format!("SELECT nom FROM {table} WHERE nom = ?1");
    Ok(conn.query_row(&sql, [nom], |r| r.get(0)).optional()?)
}

fn names(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let sql = format!("SELECT nom FROM {table} ORDER BY nom");
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Id of a known project, or an error proposing the nearest names.
pub fn projet_id(conn: &Connection, nom: &str) -> Result<i64> {
    lookup(
        conn,
        "projet",
        nom,
        "ici projet add NOM --theme …",
        "ici projet list",
    )
}

/// Id of a known partner, or an error proposing the nearest names.
pub fn partenaire_id(conn: &Connection, nom: &str) -> Result<i64> {
    lookup(
        conn,
        "partenaire",
        nom,
        "ici partenaire add NOM",
        "ici partenaire list",
    )
}

fn lookup(conn: &Connection, table: &str, nom: &str, add: &str, list: &str) -> Result<i64> {
    let sql = format!("SELECT id FROM {table} WHERE nom = ?1");
    // Cached: an import looks the same names up once per row.
    if let Some(id) = conn
        .prepare_cached(&sql)?
        .query_row([nom.trim()], |r| r.get(0))
        .optional()?
    {
        return Ok(id);
    }
    let known = names(conn, table)?;
    // Accents, hyphens and case are forgiven when they designate a single name.
    let folded = suggest::fold(nom);
    let mut same = known.iter().filter(|k| suggest::fold(k) == folded);
    if let (Some(one), None) = (same.next(), same.next()) {
        return Ok(conn.query_row(&sql, [one], |r| r.get(0))?);
    }
    let hint = suggest::hint(nom, &known);
    bail_user!(
        "{table} « {nom} » inconnu.{hint}\nLa liste : `{list}` ; pour en ajouter un : `{add}`."
    )
}

/// The projects; with a year, each one's sessions that year (read through the
/// (projet, date) index, so the cost follows that year, not the whole ledger).
pub fn projets(conn: &Connection, period: Option<&(String, String)>) -> Result<Vec<Projet>> {
    let mut st = conn.prepare(
        "SELECT p.nom, p.theme, p.intitule, p.description,
                CASE WHEN ?1 IS NOT NULL THEN
                  (SELECT count(*) FROM session s
                   WHERE s.projet_id = p.id AND s.date >= ?1 AND s.date < ?2
                     AND s.annulee_le IS NULL)
                END
         FROM projet p ORDER BY p.nom",
    )?;
    let (start, end) = period.cloned().unzip();
    let rows = st.query_map(params![start, end], |r| {
        Ok(Projet {
            nom: r.get(0)?,
            theme: r.get(1)?,
            intitule: r.get(2)?,
            description: r.get(3)?,
            sessions: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The partners; with a year, each one's sessions and transactions that year.
pub fn partenaires(
    conn: &Connection,
    period: Option<&(String, String)>,
) -> Result<Vec<Partenaire>> {
    let mut st = conn.prepare(
        "SELECT p.nom,
                CASE WHEN ?1 IS NOT NULL THEN
                  (SELECT count(*) FROM session s
                   WHERE s.partenaire_id = p.id AND s.date >= ?1 AND s.date < ?2
                     AND s.annulee_le IS NULL)
                END,
                CASE WHEN ?1 IS NOT NULL THEN
                  (SELECT count(*) FROM ecriture e
                   WHERE e.tiers_id = p.id AND e.date >= ?1 AND e.date < ?2)
                END,
                p.type_financeur
         FROM partenaire p ORDER BY p.nom",
    )?;
    let (start, end) = period.cloned().unzip();
    let rows = st.query_map(params![start, end], |r| {
        Ok(Partenaire {
            nom: r.get(0)?,
            type_financeur: r
                .get::<_, Option<String>>(3)?
                .as_deref()
                .and_then(TypeFinanceur::from_code),
            sessions: r.get(1)?,
            ecritures: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
