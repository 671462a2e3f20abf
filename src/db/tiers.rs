//! Third parties (tiers) of the books: a supplier, a funder, a lender… One may be
//! linked to the partner of the activity it is; most are not (MAIF is no partner).

use crate::bail_user;
use crate::db::now;
use crate::domain::{MAX_NAME_CHARS, suggest};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Tiers {
    pub nom: String,
    pub nature: String,
    pub partenaire: Option<String>,
    /// Lines of entries that name it.
    pub lignes: i64,
}

/// A tiers found for an entry: its id and the partner it is linked to.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub id: i64,
    pub partenaire_id: Option<i64>,
}

fn check_name(nom: &str) -> Result<&str> {
    let nom = nom.trim();
    if nom.is_empty() {
        bail_user!("nom de tiers vide");
    }
    if nom.chars().count() > MAX_NAME_CHARS {
        bail_user!("nom de tiers trop long : {MAX_NAME_CHARS} caractères au plus");
    }
    Ok(nom)
}

fn by_name(conn: &Connection, nom: &str) -> Result<Option<Found>> {
    Ok(conn
        .prepare_cached("SELECT id, partenaire_id FROM tiers WHERE nom = ?1")?
        .query_row([nom.trim()], |r| {
            Ok(Found {
                id: r.get(0)?,
                partenaire_id: r.get(1)?,
            })
        })
        .optional()?)
}

fn partenaire_named(conn: &Connection, nom: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, nom FROM partenaire WHERE nom = ?1")?
        .query_row([nom.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Adds a tiers; `partenaire`, if given, must be a known partner.
pub fn add(conn: &Connection, nom: &str, nature: &str, partenaire: Option<&str>) -> Result<String> {
    let nom = check_name(nom)?;
    if let Some(t) = conn
        .query_row("SELECT nom FROM tiers WHERE nom = ?1", [nom], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
    {
        bail_user!("le tiers « {t} » existe déjà (voir `ici tiers list`)");
    }
    let partenaire_id = partenaire
        .map(|p| crate::db::refs::partenaire_id(conn, p))
        .transpose()?;
    refuse_linked_twice(conn, partenaire_id, None)?;
    conn.execute(
        "INSERT INTO tiers (nom, nature, partenaire_id, cree_le, gid) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![nom, nature, partenaire_id, now(), super::gid::new()],
    )?;
    Ok(nom.to_string())
}

fn refuse_linked_twice(
    conn: &Connection,
    partenaire_id: Option<i64>,
    except: Option<i64>,
) -> Result<()> {
    let Some(pid) = partenaire_id else {
        return Ok(());
    };
    let other: Option<String> = conn
        .query_row(
            "SELECT nom FROM tiers WHERE partenaire_id = ?1 AND id IS NOT ?2",
            params![pid, except],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(other) = other {
        bail_user!(
            "ce partenaire est déjà lié au tiers « {other} » : un partenaire n'est qu'un seul tiers"
        );
    }
    Ok(())
}

/// Changes a tiers' name, nature or partner; its lines follow (they hold its id).
pub fn corrige(
    conn: &Connection,
    nom: &str,
    nouveau_nom: Option<&str>,
    nature: Option<&str>,
    partenaire: Option<&str>,
    sans_partenaire: bool,
) -> Result<String> {
    let Some(found) = by_name(conn, nom)? else {
        return Err(unknown(conn, nom)?);
    };
    if let Some(n) = nouveau_nom {
        let n = check_name(n)?;
        if let Some(other) = by_name(conn, n)?
            && other.id != found.id
        {
            bail_user!("le tiers « {n} » existe déjà : choisissez un autre nom");
        }
        conn.execute(
            "UPDATE tiers SET nom = ?1 WHERE id = ?2",
            params![n, found.id],
        )?;
    }
    if let Some(nature) = nature {
        conn.execute(
            "UPDATE tiers SET nature = ?1 WHERE id = ?2",
            params![nature, found.id],
        )?;
    }
    if let Some(p) = partenaire {
        let pid = crate::db::refs::partenaire_id(conn, p)?;
        refuse_linked_twice(conn, Some(pid), Some(found.id))?;
        conn.execute(
            "UPDATE tiers SET partenaire_id = ?1 WHERE id = ?2",
            params![pid, found.id],
        )?;
    }
    if sans_partenaire {
        conn.execute(
            "UPDATE tiers SET partenaire_id = NULL WHERE id = ?1",
            [found.id],
        )?;
    }
    Ok(
        conn.query_row("SELECT nom FROM tiers WHERE id = ?1", [found.id], |r| {
            r.get(0)
        })?,
    )
}

pub fn list(conn: &Connection) -> Result<Vec<Tiers>> {
    let mut st = conn.prepare(
        "SELECT t.nom, t.nature, p.nom,
                (SELECT count(*) FROM ligne_detail d WHERE d.tiers_id = t.id)
         FROM tiers t LEFT JOIN partenaire p ON p.id = t.partenaire_id
         ORDER BY t.nom",
    )?;
    let rows = st.query_map([], |r| {
        Ok(Tiers {
            nom: r.get(0)?,
            nature: r.get(1)?,
            partenaire: r.get(2)?,
            lignes: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The tiers an entry typed in ici names: a known tiers, or a partner (which becomes a
/// tiers linked to it, of the nature its lines suggest). An unknown name is refused,
/// with the nearest names: a typo must not create a second MAIF.
pub fn for_entry(conn: &Connection, nom: &str, nature: &str) -> Result<Found> {
    if let Some(found) = by_name(conn, nom)? {
        return Ok(found);
    }
    if let Some((pid, pnom)) = partenaire_named(conn, nom)? {
        if let Some(t) = conn
            .query_row(
                "SELECT id FROM tiers WHERE partenaire_id = ?1",
                [pid],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
        {
            return Ok(Found {
                id: t,
                partenaire_id: Some(pid),
            });
        }
        conn.execute(
            "INSERT INTO tiers (nom, nature, partenaire_id, cree_le, gid) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![pnom, nature, pid, now(), super::gid::new()],
        )?;
        return Ok(Found {
            id: conn.last_insert_rowid(),
            partenaire_id: Some(pid),
        });
    }
    // Accents, hyphens and case are forgiven when they designate a single name.
    let known = names(conn)?;
    let folded = suggest::fold(nom);
    let mut same = known.iter().filter(|k| suggest::fold(k) == folded);
    if let (Some(one), None) = (same.next(), same.next()) {
        return for_entry(conn, one, nature);
    }
    Err(unknown(conn, nom)?)
}

fn names(conn: &Connection) -> Result<Vec<String>> {
    let mut st =
        conn.prepare("SELECT nom FROM tiers UNION SELECT nom FROM partenaire ORDER BY 1")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn unknown(conn: &Connection, nom: &str) -> Result<anyhow::Error> {
    let hint = suggest::hint(nom, &names(conn)?);
    Ok(crate::error::user(format!(
        "tiers « {} » inconnu.{hint}\nLa liste : `ici tiers list` ; pour l'ajouter : `ici tiers add \"{}\" --nature fournisseur` (ou usager, financeur, salarie, organisme-social, preteur, autre).",
        nom.trim(),
        nom.trim()
    )))
}

/// The tiers of an accountant's auxiliary account (CompAuxLib), created if new with the
/// nature its account suggests and linked to the partner of that name, if any.
pub fn for_aux(conn: &Connection, nom: &str, nature: &str) -> Result<i64> {
    if let Some(found) = by_name(conn, nom)? {
        return Ok(found.id);
    }
    let partenaire_id = partenaire_named(conn, nom)?.map(|(id, _)| id).filter(|id| {
        // A partner already linked to another tiers stays with it.
        conn.query_row("SELECT 1 FROM tiers WHERE partenaire_id = ?1", [id], |_| {
            Ok(())
        })
        .optional()
        .ok()
        .flatten()
        .is_none()
    });
    conn.prepare_cached(
        "INSERT INTO tiers (nom, nature, partenaire_id, cree_le, gid) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        nom.trim(),
        nature,
        partenaire_id,
        now(),
        super::gid::new()
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A tiers or partner named in a filter: the tiers' id and the partner's id, whichever
/// exist; an error with the nearest names when neither does.
pub fn for_filter(conn: &Connection, nom: &str) -> Result<(Option<i64>, Option<i64>)> {
    let direct = |n: &str| -> Result<(Option<i64>, Option<i64>)> {
        let t = by_name(conn, n)?;
        let p = partenaire_named(conn, n)?.map(|(id, _)| id);
        Ok((t.map(|t| t.id), p.or(t.and_then(|t| t.partenaire_id))))
    };
    let found = direct(nom)?;
    if found != (None, None) {
        return Ok(found);
    }
    let known = names(conn)?;
    let folded = suggest::fold(nom);
    let mut same = known.iter().filter(|k| suggest::fold(k) == folded);
    if let (Some(one), None) = (same.next(), same.next()) {
        return direct(one);
    }
    Err(unknown(conn, nom)?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM tiers", [], |r| r.get(0))?)
}

/// Partner `a` merged into partner `b`: the tiers linked to `a` follows to `b`; when `b`
/// has a tiers already, the lines of `a`'s tiers go to it and `a`'s tiers disappears.
pub fn partner_merged(conn: &Connection, a: i64, b: i64) -> Result<()> {
    let linked = |p: i64| -> Result<Option<i64>> {
        Ok(conn
            .query_row("SELECT id FROM tiers WHERE partenaire_id = ?1", [p], |r| {
                r.get(0)
            })
            .optional()?)
    };
    match (linked(a)?, linked(b)?) {
        (Some(ta), Some(tb)) => {
            conn.execute(
                "UPDATE ligne_detail SET tiers_id = ?2 WHERE tiers_id = ?1",
                params![ta, tb],
            )?;
            conn.execute("DELETE FROM tiers WHERE id = ?1", [ta])?;
        }
        (Some(ta), None) => {
            conn.execute(
                "UPDATE tiers SET partenaire_id = ?2 WHERE id = ?1",
                params![ta, b],
            )?;
        }
        _ => {}
    }
    Ok(())
}
