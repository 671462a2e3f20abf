//! `partenaire fusionne` and `projet fusionne`: two records of one actor or one
//! project become one; everything attached to the first moves to the second.

use super::{Table, partenaire_id, projet_id};
use crate::bail_user;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// What a merge moved, by kind of record: (French label, count).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fusion {
    pub from: String,
    pub into: String,
    pub moved: Vec<(&'static str, usize)>,
}

/// Merges `from` into `into`: `from` disappears, its sessions, entries, prescribed
/// people (partners), exits and target (projects) belong to `into`. An entry of a
/// closed year is never touched: a merge that would is refused.
pub fn merge(conn: &Connection, table: Table, from: &str, into: &str) -> Result<Fusion> {
    let id_of = |nom: &str| match table {
        Table::Projet => projet_id(conn, nom),
        Table::Partenaire => partenaire_id(conn, nom),
    };
    let (a, b) = (id_of(from)?, id_of(into)?);
    let t = table.name();
    let name = |id: i64| -> Result<String> {
        Ok(
            conn.query_row(&format!("SELECT nom FROM {t} WHERE id = ?1"), [id], |r| {
                r.get(0)
            })?,
        )
    };
    let (from, into) = (name(a)?, name(b)?);
    if a == b {
        bail_user!("« {from} » et « {into} » sont le même {t} : rien à fusionner");
    }
    let column = match table {
        Table::Projet => "projet_id",
        Table::Partenaire => "tiers_id",
    };
    let closed: Option<String> = conn
        .query_row(
            &format!(
                "SELECT min(substr(date, 1, 4)) FROM ecriture WHERE {column} = ?1
                 AND CAST(substr(date, 1, 4) AS INTEGER) <= (SELECT max(annee) FROM cloture)"
            ),
            [a],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(annee) = closed {
        bail_user!(
            "« {from} » figure dans des écritures de l'exercice clos {annee}, qui ne changent plus : la fusion est refusée. Pour corriger seulement l'orthographe : `ici {t} renomme \"{from}\" NOUVEAU_NOM`."
        );
    }
    let mut moved = Vec::new();
    let mut repoint = |label: &'static str, sql: &str| -> Result<()> {
        let n = conn.execute(sql, params![a, b])?;
        moved.push((label, n));
        Ok(())
    };
    match table {
        Table::Partenaire => {
            repoint(
                "session(s)",
                "UPDATE session SET partenaire_id = ?2 WHERE partenaire_id = ?1",
            )?;
            repoint(
                "écriture(s)",
                "UPDATE ecriture SET tiers_id = ?2 WHERE tiers_id = ?1",
            )?;
            repoint(
                "participant(s) orienté(s)",
                "UPDATE participant SET prescripteur_id = ?2 WHERE prescripteur_id = ?1",
            )?;
            // The tiers of the books linked to the partner follows it.
            crate::db::tiers::partner_merged(conn, a, b)?;
        }
        Table::Projet => {
            repoint(
                "session(s)",
                "UPDATE session SET projet_id = ?2 WHERE projet_id = ?1",
            )?;
            repoint(
                "écriture(s)",
                "UPDATE ecriture SET projet_id = ?2 WHERE projet_id = ?1",
            )?;
            // One exit per person and project: where a person has one for each, the
            // later one stays.
            conn.execute(
                "DELETE FROM sortie WHERE projet_id = ?2 AND participant_id IN (
                     SELECT sa.participant_id FROM sortie sa JOIN sortie sb
                       ON sb.participant_id = sa.participant_id AND sb.projet_id = ?2
                     WHERE sa.projet_id = ?1 AND sa.date > sb.date)",
                params![a, b],
            )?;
            conn.execute(
                "DELETE FROM sortie WHERE projet_id = ?1 AND participant_id IN (
                     SELECT participant_id FROM sortie WHERE projet_id = ?2)",
                params![a, b],
            )?;
            repoint(
                "sortie(s)",
                "UPDATE sortie SET projet_id = ?2 WHERE projet_id = ?1",
            )?;
            // The kept project's targets stay; the other's are taken only if it has none.
            conn.execute(
                "UPDATE objectif SET projet_id = ?2 WHERE projet_id = ?1
                 AND NOT EXISTS (SELECT 1 FROM objectif WHERE projet_id = ?2)",
                params![a, b],
            )?;
            conn.execute("DELETE FROM objectif WHERE projet_id = ?1", [a])?;
            repoint(
                "bénévolat(s)",
                "UPDATE benevolat SET projet_id = ?2 WHERE projet_id = ?1",
            )?;
            repoint(
                "temps fort(s)",
                "UPDATE evenement SET projet_id = ?2 WHERE projet_id = ?1",
            )?;
            // The kept project's description stays; the other's is taken if it has none.
            conn.execute(
                "UPDATE projet SET description = (SELECT description FROM projet WHERE id = ?1)
                 WHERE id = ?2 AND description IS NULL",
                params![a, b],
            )?;
        }
    }
    conn.execute(&format!("DELETE FROM {t} WHERE id = ?1"), [a])?;
    Ok(Fusion { from, into, moved })
}
