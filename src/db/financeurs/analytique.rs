//! The analytic layer: shares of entries given to projects, the year's key for what no
//! entry gives, and the lines of the books they apply to. Entries are never edited.

use crate::bail_user;
use crate::db::{gid, now, refs};
use crate::domain::compte_rendu::repartition::{Cle, LigneLivre};
use crate::domain::date::year_bounds;
use crate::domain::money::Money;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

/// What `ici affecte` did.
pub struct Affecte {
    pub projet: String,
    /// Hundredths of a percent, for this project and for all the entry's projects.
    pub part: u32,
    pub total: u32,
    pub date: String,
    pub libelle: String,
    /// Charges or products the entry carries (classes 6 to 8), in cents.
    pub montant: i64,
    pub exercice_clos: bool,
}

/// Gives `part` (hundredths of a percent) of an entry to a project; the same project
/// again replaces its share. The shares of an entry never pass 100 %.
pub fn affecte(conn: &Connection, numero: i64, projet: &str, part: u32) -> Result<Affecte> {
    let entry: Option<(String, String, Option<String>)> = conn
        .query_row(
            "SELECT e.date, e.libelle, p.nom FROM ecriture e
             LEFT JOIN projet p ON p.id = e.projet_id WHERE e.id = ?1",
            [numero],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((date, libelle, direct)) = entry else {
        bail_user!("écriture n° {numero} introuvable : voyez les numéros avec `ici ecriture list`");
    };
    if let Some(p) = direct {
        bail_user!(
            "l'écriture n° {numero} est déjà tout entière au projet {p} : elle compte pour lui en entier ; pour la partager, corrigez d'abord son projet (`ici ecriture corrige {numero} --sans-projet`)"
        );
    }
    let montant: i64 = conn.query_row(
        "SELECT coalesce(sum(debit), 0) FROM ligne
         WHERE ecriture_id = ?1 AND substr(compte, 1, 1) IN ('6', '7', '8')",
        [numero],
        |r| r.get(0),
    )?;
    let montant = if montant == 0 {
        conn.query_row(
            "SELECT coalesce(sum(credit), 0) FROM ligne
             WHERE ecriture_id = ?1 AND substr(compte, 1, 1) IN ('6', '7', '8')",
            [numero],
            |r| r.get(0),
        )?
    } else {
        montant
    };
    if montant == 0 {
        bail_user!(
            "l'écriture n° {numero} (« {libelle} ») ne porte ni charge ni produit (classes 6, 7, 8) : rien à affecter à un projet"
        );
    }
    let projet_id = refs::projet_id(conn, projet)?;
    let projet: String =
        conn.query_row("SELECT nom FROM projet WHERE id = ?1", [projet_id], |r| {
            r.get(0)
        })?;
    let others: i64 = conn.query_row(
        "SELECT coalesce(sum(part), 0) FROM affectation WHERE ecriture_id = ?1 AND projet_id <> ?2",
        params![numero, projet_id],
        |r| r.get(0),
    )?;
    let total = others as u32 + part;
    if total > 10_000 {
        bail_user!(
            "l'écriture n° {numero} est déjà affectée à {} à d'autres projets : {} de plus passerait 100 %. Réduisez --part à {} au plus (voir `ici affecte {numero} --projet P --part …`)",
            pct(others as u32),
            pct(part),
            pct(10_000 - others as u32)
        );
    }
    conn.execute(
        "INSERT INTO affectation (gid, ecriture_id, projet_id, part, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (ecriture_id, projet_id) DO UPDATE SET part = excluded.part",
        params![gid::new(), numero, projet_id, part, now()],
    )?;
    let exercice_clos: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cloture WHERE annee >= CAST(substr(?1, 1, 4) AS INTEGER))",
        [&date],
        |r| r.get(0),
    )?;
    Ok(Affecte {
        projet,
        part,
        total,
        date,
        libelle,
        montant,
        exercice_clos,
    })
}

/// Hundredths of a percent as French text: `12,5 %`, `40 %`.
pub fn pct(centiemes: u32) -> String {
    let (u, c) = (centiemes / 100, centiemes % 100);
    match c {
        0 => format!("{u}\u{a0}%"),
        c if c % 10 == 0 => format!("{u},{}\u{a0}%", c / 10),
        c => format!("{u},{c:02}\u{a0}%"),
    }
}

/// The allocations of the entries dated in `annee`: entry → (project, share).
pub fn affectations(conn: &Connection, annee: i32) -> Result<BTreeMap<i64, Vec<(String, u32)>>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare_cached(
        "SELECT a.ecriture_id, p.nom, a.part FROM affectation a
         JOIN ecriture e ON e.id = a.ecriture_id JOIN projet p ON p.id = a.projet_id
         WHERE e.date >= ?1 AND e.date < ?2 ORDER BY a.ecriture_id, p.nom",
    )?;
    let mut out: BTreeMap<i64, Vec<(String, u32)>> = BTreeMap::new();
    let rows = st.query_map(params![start, end], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })?;
    for row in rows {
        let (e, p, part) = row?;
        out.entry(e).or_default().push((p, part));
    }
    Ok(out)
}

/// The lines of the year in classes 6, 7 and 8, each with its entry's project and the
/// partner its tiers is (the line's tiers, else the entry's), or the line's tiers of
/// the books when it is no partner.
pub fn lignes(conn: &Connection, annee: i32) -> Result<Vec<LigneLivre>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare_cached(
        "SELECT e.id, l.compte, l.debit, l.credit, j.nom, coalesce(p.nom, t.nom)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN projet j ON j.id = e.projet_id
         LEFT JOIN ligne_detail d ON d.ligne_id = l.id
         LEFT JOIN tiers t ON t.id = d.tiers_id
         LEFT JOIN partenaire p ON p.id = coalesce(t.partenaire_id, e.tiers_id)
         WHERE e.date >= ?1 AND e.date < ?2 AND substr(l.compte, 1, 1) IN ('6', '7', '8')
         ORDER BY e.id, l.id",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        let compte: String = r.get(1)?;
        let (debit, credit): (i64, i64) = (r.get(2)?, r.get(3)?);
        let charge = compte.starts_with('6') || compte.starts_with("86");
        Ok(LigneLivre {
            ecriture: r.get(0)?,
            montant: if charge {
                debit - credit
            } else {
                credit - debit
            },
            compte,
            projet: r.get(4)?,
            financeur: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How a key's weights are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Heures,
    Participations,
    Personnes,
}

impl Base {
    pub fn code(self) -> &'static str {
        match self {
            Base::Heures => "heures",
            Base::Participations => "participations",
            Base::Personnes => "personnes",
        }
    }
}

/// Each project's figure for a key, from the year's sessions (cancelled ones apart):
/// minutes of sessions, participations, or people (each named person once, each
/// anonymous participation as one). Projects with none are left out.
pub fn bases(conn: &Connection, annee: i32, base: Base) -> Result<Vec<(String, u64)>> {
    let (start, end) = year_bounds(annee);
    let expr = match base {
        Base::Heures => "sum(s.duree_minutes)",
        Base::Participations => "sum(s.participants)",
        Base::Personnes => {
            "sum(s.participants - (SELECT count(*) FROM presence pr WHERE pr.session_id = s.id))
             + (SELECT count(DISTINCT pr.participant_id) FROM presence pr
                JOIN session x ON x.id = pr.session_id
                WHERE x.projet_id = s.projet_id AND x.date >= ?1 AND x.date < ?2
                  AND x.annulee_le IS NULL)"
        }
    };
    let sql = format!(
        "SELECT p.nom, {expr} FROM session s JOIN projet p ON p.id = s.projet_id
         WHERE s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
         GROUP BY s.projet_id ORDER BY p.nom"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![start, end], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (p, n) = row?;
        if n > 0 {
            out.push((p, n as u64));
        }
    }
    Ok(out)
}

/// A stored key.
#[derive(Debug, Clone)]
pub struct Repartition {
    pub annee: i32,
    pub comptes: Vec<String>,
    /// `heures`, `participations`, `personnes` or `fixe`.
    pub cle: String,
    pub cree_le: String,
    /// Each project's figure (minutes, participations, people, or the hundredths of a
    /// percent typed) and its share in hundredths of a percent.
    pub parts: Vec<(String, u64, u32)>,
    /// What the figures are out of (their sum, or 10 000 for a typed key).
    pub denominateur: u64,
}

impl Repartition {
    pub fn cle_domaine(&self) -> Cle {
        Cle {
            comptes: self.comptes.clone(),
            poids: self.parts.iter().map(|(p, b, _)| (p.clone(), *b)).collect(),
            denominateur: self.denominateur,
        }
    }
}

/// Stores the year's key, replacing the current one (kept, marked replaced).
pub fn enregistre(
    conn: &Connection,
    annee: i32,
    comptes: &[String],
    cle: &str,
    parts: &[(String, u64, u32)],
) -> Result<bool> {
    let replaced = conn.execute(
        "UPDATE repartition SET remplacee_le = ?2 WHERE annee = ?1 AND remplacee_le IS NULL",
        params![annee, now()],
    )? > 0;
    conn.execute(
        "INSERT INTO repartition (gid, annee, comptes, cle, cree_le) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![gid::new(), annee, comptes.join(","), cle, now()],
    )?;
    let id = conn.last_insert_rowid();
    for (projet, base, part) in parts {
        let pid = refs::projet_id(conn, projet)?;
        conn.execute(
            "INSERT INTO repartition_part (gid, repartition_id, projet_id, base, part)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![gid::new(), id, pid, *base as i64, part],
        )?;
    }
    Ok(replaced)
}

/// The year's current key, if any.
pub fn courante(conn: &Connection, annee: i32) -> Result<Option<Repartition>> {
    let head: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, comptes, cle, cree_le FROM repartition
             WHERE annee = ?1 AND remplacee_le IS NULL",
            [annee],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, comptes, cle, cree_le)) = head else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT p.nom, r.base, r.part FROM repartition_part r JOIN projet p ON p.id = r.projet_id
         WHERE r.repartition_id = ?1 ORDER BY p.nom",
    )?;
    let parts: Vec<(String, u64, u32)> = st
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let sum: u64 = parts.iter().map(|(_, b, _)| b).sum();
    let denominateur = if cle == "fixe" { 10_000 } else { sum };
    Ok(Some(Repartition {
        annee,
        comptes: comptes.split(',').map(String::from).collect(),
        cle,
        cree_le,
        parts,
        denominateur,
    }))
}

/// The amount the key would spread: the year's class 6 lines of its accounts that no
/// entry or allocation gives to a project.
pub fn montant_couvert(
    lignes: &[LigneLivre],
    aff: &BTreeMap<i64, Vec<(String, u32)>>,
    comptes: &[String],
) -> Money {
    Money(
        lignes
            .iter()
            .filter(|l| {
                l.projet.is_none()
                    && !aff.contains_key(&l.ecriture)
                    && l.compte.starts_with('6')
                    && comptes.iter().any(|c| l.compte.starts_with(c.as_str()))
            })
            .map(|l| l.montant)
            .sum(),
    )
}
