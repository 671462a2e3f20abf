//! Transactions (écritures) and their lines in the ledger.

use crate::db::{now, refs};
use crate::domain::account::Compte;
use crate::domain::date::year_bounds;
use crate::domain::finance::{
    EcritureCorrection, Ligne, LineDetail, NewEcriture, Placement, check_chart, check_class_8,
    default_journal,
};
use crate::domain::money::Money;
use crate::error::{in_field, user};
use anyhow::{Result, ensure};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

/// Resolves the names of a checked transaction and writes it with its lines. An
/// entry like one already recorded and not reversed is refused unless `doublon`
/// says it is meant (two payments of the same amount the same day).
pub fn insert(conn: &Connection, e: &NewEcriture, doublon: bool) -> Result<i64> {
    let tiers = e
        .tiers
        .as_deref()
        .map(|t| {
            // The nature its first account off the bank and the cash box suggests.
            let compte = e
                .lignes
                .iter()
                .map(|l| l.compte.as_str())
                .find(|c| !c.starts_with("51") && !c.starts_with("53"))
                .unwrap_or("");
            crate::db::tiers::for_entry(conn, t, crate::domain::tiers::nature_for_account(compte))
        })
        .transpose()
        .map_err(|e| in_field("tiers", e))?;
    let projet_id = e
        .projet
        .as_deref()
        .map(|p| refs::projet_id(conn, p))
        .transpose()
        .map_err(|e| in_field("projet", e))?;
    if !doublon && let Some(numero) = duplicate_of(conn, e)? {
        let l = &e.lignes[0];
        return Err(user(format!(
            "cette écriture est déjà enregistrée : écriture n° {numero} du {}, « {} », {} au compte {} ; voyez-la avec `ici ecriture show {numero}`. Si c'est voulu (deux paiements identiques), ajoutez --doublon",
            e.date.format("%d/%m/%Y"),
            e.libelle.trim(),
            Money(l.debit.cents() + l.credit.cents()),
            l.compte.as_str()
        )));
    }
    refuse_closed_year(conn, e.date.year())?;
    let placement = Placement {
        tiers_id: tiers.map(|t| t.id),
        ..Placement::default()
    };
    insert_placed(
        conn,
        e,
        tiers.and_then(|t| t.partenaire_id),
        projet_id,
        &now(),
        &placement,
    )
}

/// An entry, neither reversed nor a reversal, with the same date, label (case
/// aside) and lines (accounts and amounts) as `e`. Read through the date index: the
/// entries of one day.
pub fn duplicate_of(conn: &Connection, e: &NewEcriture) -> Result<Option<i64>> {
    let mut wanted: Vec<LineKey> = e
        .lignes
        .iter()
        .map(|l| {
            (
                l.compte.as_str().to_string(),
                l.debit.cents(),
                l.credit.cents(),
            )
        })
        .collect();
    wanted.sort();
    let candidates: Vec<i64> = conn
        .prepare_cached(
            // The values come in through `p` rather than as `date = ?1`: a bound value
            // compared with a column of a table that has partial indexes makes SQLite
            // prepare the statement again for each new value (to see whether the
            // value implies an index's condition), which cost half of an import.
            "WITH p (jour, libelle) AS (SELECT ?1, lower(?2))
             SELECT e.id FROM p, ecriture e
             WHERE e.date = p.jour AND lower(trim(e.libelle)) = p.libelle
               AND e.annule_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM ecriture r WHERE r.annule_id = e.id)
             ORDER BY e.id",
        )?
        .query_map(
            params![e.date.format("%Y-%m-%d").to_string(), e.libelle.trim()],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare_cached(
        "SELECT compte, debit, credit FROM ligne WHERE ecriture_id = ?1 ORDER BY compte, debit, credit",
    )?;
    for id in candidates {
        let lines = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<LineKey>>>()?;
        if lines == wanted {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Writes a checked transaction whose names are already resolved. Refuses a closed
/// year with a message a treasurer can act on (the schema's triggers refuse it too).
pub fn insert_resolved(
    conn: &Connection,
    e: &NewEcriture,
    tiers_id: Option<i64>,
    projet_id: Option<i64>,
) -> Result<i64> {
    refuse_closed_year(conn, e.date.year())?;
    insert_unchecked(conn, e, tiers_id, projet_id, &now())
}

/// Refuses a closed year in words a treasurer can act on (the triggers refuse it too,
/// in words meant for a developer).
pub fn refuse_closed_year(conn: &Connection, annee: i32) -> Result<()> {
    if let Some(le) = cloture(conn, annee)? {
        return Err(in_field(
            "date",
            user(format!(
                "l'exercice {annee} est clos depuis le {} : aucune écriture datée de {annee} ne peut être ajoutée ni contrepassée. Passez la correction sur l'exercice {}.",
                day(&le),
                annee + 1
            )),
        ));
    }
    Ok(())
}

/// Writes a balanced entry whose year the caller has checked is open; `cree_le` is
/// passed in so that a bulk import stamps its entries once.
pub fn insert_unchecked(
    conn: &Connection,
    e: &NewEcriture,
    tiers_id: Option<i64>,
    projet_id: Option<i64>,
    cree_le: &str,
) -> Result<i64> {
    // The partner's tiers goes on the lines, as for an entry typed with --tiers.
    let line_tiers = match tiers_id {
        Some(pid) => conn
            .prepare_cached("SELECT id FROM tiers WHERE partenaire_id = ?1")?
            .query_row([pid], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let placement = Placement {
        tiers_id: line_tiers,
        ..Placement::default()
    };
    insert_placed(conn, e, tiers_id, projet_id, cree_le, &placement)
}

/// [`insert_unchecked`] with the entry's place in its journal and its lines' details.
/// `partenaire_id` is the partner the entry concerns (kept on the entry for the
/// activity's reports); the tiers go on the lines. An entry typed in ici (without
/// `numero_source`) takes the next number of its journal in its exercice.
pub fn insert_placed(
    conn: &Connection,
    e: &NewEcriture,
    partenaire_id: Option<i64>,
    projet_id: Option<i64>,
    cree_le: &str,
    placement: &Placement,
) -> Result<i64> {
    ensure!(e.is_balanced(), "écriture déséquilibrée : {e:?}");
    let journal = e
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&e.lignes).to_string());
    let tiers_id = partenaire_id;
    conn.prepare_cached(
        "INSERT INTO ecriture (date, libelle, piece, tiers_id, projet_id, cree_le,
                               journal, numero_source, annule_id, gid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        e.date.format("%Y-%m-%d").to_string(),
        e.libelle,
        e.piece,
        tiers_id,
        projet_id,
        cree_le,
        journal,
        e.numero_source,
        e.annule,
        super::gid::new(),
    ])?;
    let id = conn.last_insert_rowid();
    let exercice = e.date.year();
    let numero: Option<i64> = match e.numero_source {
        Some(_) => None,
        None => Some(
            conn.prepare_cached(
                // Values through `p`, as in `duplicate_of`: no new plan per value.
                "WITH p (exercice, journal) AS (SELECT ?1, ?2)
                 SELECT coalesce((SELECT max(j.numero) FROM ecriture_journal j
                                  WHERE j.exercice = p.exercice AND j.journal = p.journal),
                                 0) + 1
                 FROM p",
            )?
            .query_row(params![exercice, journal], |r| r.get(0))?,
        ),
    };
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    conn.prepare_cached(
        "INSERT INTO ecriture_journal (ecriture_id, journal, journal_lib, exercice, numero,
                                       piece_date, valid_date, tel_quel)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        journal,
        placement.journal_lib,
        exercice,
        numero,
        placement.piece_date.map(iso),
        placement
            .valid_date
            .map(iso)
            .unwrap_or_else(|| cree_le.get(..10).unwrap_or(cree_le).to_string()),
        placement.tel_quel,
    ])?;
    let third_party_lines = e.lignes.iter().any(|l| l.compte.as_str().starts_with('4'));
    let mut detail = conn.prepare_cached(
        "INSERT INTO ligne_detail (ligne_id, tiers_id, compte_aux, libelle, compte_lib,
                                   lettrage, date_lettrage, montant_devise, devise)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut st = conn.prepare_cached(
        "INSERT INTO ligne (ecriture_id, compte, debit, credit, gid) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, l) in e.lignes.iter().enumerate() {
        st.execute(params![
            id,
            l.compte.as_str(),
            l.debit.cents(),
            l.credit.cents(),
            super::gid::new()
        ])?;
        let ligne_id = conn.last_insert_rowid();
        if let Some(d) = placement.lines.get(i) {
            detail.execute(params![
                ligne_id,
                d.tiers_id,
                d.compte_aux,
                d.libelle,
                d.compte_lib,
                d.extra.lettrage,
                d.extra.date_lettrage,
                d.extra.montant_devise,
                d.extra.devise,
            ])?;
        } else if let Some(t) = placement.tiers_id
            && (!third_party_lines || l.compte.as_str().starts_with('4'))
        {
            detail.execute(params![
                ligne_id,
                t,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
                None::<String>,
            ])?;
        }
    }
    Ok(id)
}

/// A line as (account, debit, credit), for comparing an entry with its new version.
pub type LineKey = (String, i64, i64);

/// The entry with this journal, number and date (an accountant's file imported before),
/// with its lines as sorted (account, debit, credit).
pub fn source_lines(
    conn: &Connection,
    journal: &str,
    numero: &str,
    date: &str,
) -> Result<Option<(i64, Vec<LineKey>)>> {
    let id: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM ecriture WHERE journal = ?1 AND numero_source = ?2 AND date = ?3",
        )?
        .query_row(params![journal, numero, date], |r| r.get(0))
        .optional()?;
    let Some(id) = id else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT compte, debit, credit FROM ligne WHERE ecriture_id = ?1 ORDER BY compte, debit, credit",
    )?;
    let lines = st
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some((id, lines)))
}

/// When the year was closed, if it was: a year is closed by its own closing or by
/// that of any later year (the balance sheet of a closed year starts from the years
/// before it, so they cannot change either).
pub fn cloture(conn: &Connection, annee: i32) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT min(cloture_le) FROM cloture WHERE annee >= ?1")?
        .query_row([annee], |r| r.get::<_, Option<String>>(0))?)
}

/// Closes a year: from now on no entry dated in it can be added or reversed.
pub fn cloturer(conn: &Connection, annee: i32) -> Result<()> {
    if let Some(le) = cloture(conn, annee)? {
        return Err(user(format!(
            "l'exercice {annee} est déjà clos (le {})",
            day(&le)
        )));
    }
    let today = chrono::Local::now().date_naive();
    if annee >= today.year() {
        return Err(user(format!(
            "l'exercice {annee} n'est pas terminé : on le clôt après le 31 décembre, une fois ses comptes approuvés par l'assemblée générale"
        )));
    }
    let (start, end) = year_bounds(annee);
    let has_entries = conn
        .prepare("SELECT 1 FROM ecriture WHERE date >= ?1 AND date < ?2 LIMIT 1")?
        .exists(params![start, end])?;
    if !has_entries {
        return Err(user(format!(
            "l'exercice {annee} n'a aucune écriture : vérifiez l'année (une clôture est définitive)"
        )));
    }
    let earlier_open: Option<String> = conn.query_row(
        "SELECT min(substr(e.date, 1, 4)) FROM ecriture e
             WHERE e.date < ?1
               AND NOT EXISTS (SELECT 1 FROM cloture c
                               WHERE c.annee = CAST(substr(e.date, 1, 4) AS INTEGER))",
        [&start],
        |r| r.get(0),
    )?;
    if let Some(y) = earlier_open {
        return Err(user(format!(
            "l'exercice {y} n'est pas clos : les exercices se clôturent dans l'ordre ; commencez par `ici cloture {y}`"
        )));
    }
    conn.execute(
        "INSERT INTO cloture (annee, cloture_le) VALUES (?1, ?2)",
        params![annee, now()],
    )?;
    Ok(())
}

/// `2026-11-28T14:12:49` → `28/11/2026`.
pub fn day(stamp: &str) -> String {
    match NaiveDate::parse_from_str(stamp.get(..10).unwrap_or(stamp), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => stamp.to_string(),
    }
}

/// The closed years, oldest first, with their closing date.
pub fn clotures(conn: &Connection) -> Result<Vec<(i32, String)>> {
    let mut st = conn.prepare("SELECT annee, cloture_le FROM cloture ORDER BY annee")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A stored transaction with its lines.
#[derive(Debug, Clone)]
pub struct Ecriture {
    pub numero: i64,
    pub date: NaiveDate,
    pub libelle: String,
    pub piece: Option<String>,
    pub tiers_id: Option<i64>,
    pub projet_id: Option<i64>,
    pub journal: Option<String>,
    pub annule_id: Option<i64>,
    /// The entry that reverses this one, if any.
    pub annulee_par: Option<i64>,
    pub lignes: Vec<Ligne>,
}

pub fn get(conn: &Connection, numero: i64) -> Result<Option<Ecriture>> {
    let head = conn
        .query_row(
            "SELECT e.id, e.date, e.libelle, e.piece, e.tiers_id, e.projet_id, e.journal,
                    e.annule_id, (SELECT r.id FROM ecriture r WHERE r.annule_id = e.id)
             FROM ecriture e WHERE e.id = ?1",
            [numero],
            |r| {
                Ok(Ecriture {
                    numero: r.get(0)?,
                    date: r.get(1)?,
                    libelle: r.get(2)?,
                    piece: r.get(3)?,
                    tiers_id: r.get(4)?,
                    projet_id: r.get(5)?,
                    journal: r.get(6)?,
                    annule_id: r.get(7)?,
                    annulee_par: r.get(8)?,
                    lignes: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut e) = head else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT compte, debit, credit FROM ligne WHERE ecriture_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([numero], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (compte, debit, credit) = row?;
        e.lignes.push(Ligne {
            compte: Compte::parse(&compte)?,
            debit: Money(debit),
            credit: Money(credit),
        });
    }
    Ok(Some(e))
}

/// Writes the entry that reverses entry `numero` (same accounts, sides swapped),
/// linked to it; returns the new entry's number.
pub fn reverse(
    conn: &Connection,
    numero: i64,
    date: Option<NaiveDate>,
    motif: &str,
) -> Result<i64> {
    let Some(original) = get(conn, numero)? else {
        return Err(user(format!(
            "écriture n° {numero} introuvable (voir `ici produit list`, `ici charge list` ou `ici export finances`)"
        )));
    };
    if let Some(par) = original.annulee_par {
        return Err(user(format!(
            "l'écriture n° {numero} est déjà contrepassée par l'écriture n° {par}"
        )));
    }
    if let Some(of) = original.annule_id {
        return Err(user(format!(
            "l'écriture n° {numero} contrepasse déjà l'écriture n° {of} : elle ne se contrepasse pas à son tour ; saisissez plutôt une nouvelle écriture"
        )));
    }
    let date = date.unwrap_or(original.date);
    if let Some(le) = cloture(conn, date.year())? {
        let suivant = (date.year() + 1..)
            .find(|y| cloture(conn, *y).ok().flatten().is_none())
            .unwrap_or(date.year() + 1);
        return Err(user(format!(
            "l'exercice {} est clos depuis le {} : la contrepassation de l'écriture n° {numero} ne peut pas y être datée. Passez-la sur l'exercice suivant : `ici ecriture annule {numero} --motif … --date {suivant}-01-01`.",
            date.year(),
            day(&le)
        )));
    }
    let reversal = NewEcriture {
        date,
        libelle: format!(
            "Contrepassation de l'écriture n° {numero} : {}",
            motif.trim()
        ),
        piece: original.piece.clone(),
        tiers: None,
        projet: None,
        journal: original.journal.clone(),
        numero_source: None,
        annule: Some(numero),
        lignes: original
            .lignes
            .iter()
            .map(|l| Ligne {
                compte: l.compte.clone(),
                debit: l.credit,
                credit: l.debit,
            })
            .collect(),
    };
    // Each line keeps its tiers and auxiliary account, sides swapped.
    let mut st = conn.prepare_cached(
        "SELECT d.tiers_id, d.compte_aux, d.compte_lib FROM ligne l
         LEFT JOIN ligne_detail d ON d.ligne_id = l.id
         WHERE l.ecriture_id = ?1 ORDER BY l.id",
    )?;
    let lines = st
        .query_map([numero], |r| {
            Ok(LineDetail {
                tiers_id: r.get(0)?,
                compte_aux: r.get(1)?,
                compte_lib: r.get(2)?,
                ..LineDetail::default()
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let placement = Placement {
        lines,
        ..Placement::default()
    };
    insert_placed(
        conn,
        &reversal,
        original.tiers_id,
        original.projet_id,
        &now(),
        &placement,
    )
}

/// Corrects entry `numero` the only way the books allow: its reversal, then the
/// corrected entry, in the caller's transaction. Returns (reversal, corrected entry).
pub fn correct(
    conn: &Connection,
    numero: i64,
    c: &EcritureCorrection,
    motif: &str,
) -> Result<(i64, i64)> {
    let Some(original) = get(conn, numero)? else {
        return Err(user(format!(
            "écriture n° {numero} introuvable (voir `ici ecriture list`)"
        )));
    };
    let resolve = |v: &Option<Option<String>>,
                   kept: Option<i64>,
                   field: &'static str,
                   lookup: fn(&Connection, &str) -> Result<i64>|
     -> Result<Option<i64>> {
        match v {
            None => Ok(kept),
            Some(None) => Ok(None),
            Some(Some(name)) => lookup(conn, name).map(Some).map_err(|e| in_field(field, e)),
        }
    };
    // The tiers: kept from the original's lines, or the one named (a tiers of the books
    // or a partner, as for `ecriture add`), or none.
    let tiers: Option<crate::db::tiers::Found> = match &c.tiers {
        None => conn
            .prepare_cached(
                "SELECT d.tiers_id, t.partenaire_id FROM ligne l
                 JOIN ligne_detail d ON d.ligne_id = l.id JOIN tiers t ON t.id = d.tiers_id
                 WHERE l.ecriture_id = ?1 ORDER BY l.id LIMIT 1",
            )?
            .query_row([numero], |r| {
                Ok(crate::db::tiers::Found {
                    id: r.get(0)?,
                    partenaire_id: r.get(1)?,
                })
            })
            .optional()?,
        Some(None) => None,
        Some(Some(name)) => Some(
            crate::db::tiers::for_entry(conn, name, "autre").map_err(|e| in_field("tiers", e))?,
        ),
    };
    let tiers_id = match &c.tiers {
        None => original.tiers_id,
        _ => tiers.and_then(|t| t.partenaire_id),
    };
    let projet_id = resolve(&c.projet, original.projet_id, "projet", refs::projet_id)?;
    let corrected = NewEcriture {
        date: c.date.unwrap_or(original.date),
        libelle: c
            .libelle
            .clone()
            .unwrap_or_else(|| original.libelle.clone()),
        piece: c.piece.clone().unwrap_or_else(|| original.piece.clone()),
        tiers: None,
        projet: None,
        journal: original.journal.clone(),
        numero_source: None,
        annule: None,
        lignes: c.lines(&original.lignes)?,
    };
    check_chart(&corrected)?;
    check_class_8(&corrected).map_err(|e| in_field("compte", e))?;
    let reversal = reverse(conn, numero, None, motif)?;
    refuse_closed_year(conn, corrected.date.year())?;
    let placement = Placement {
        tiers_id: tiers.map(|t| t.id),
        ..Placement::default()
    };
    let new = insert_placed(conn, &corrected, tiers_id, projet_id, &now(), &placement)?;
    Ok((reversal, new))
}

/// One transaction line with its transaction's details, for listings and exports.
#[derive(Debug, Clone)]
pub struct LigneDetail {
    pub numero: i64,
    pub date: String,
    pub compte: String,
    pub libelle: String,
    pub tiers: Option<String>,
    pub projet: Option<String>,
    pub piece: Option<String>,
    pub debit: Money,
    pub credit: Money,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub period: Option<(String, String)>,
    pub projet_id: Option<i64>,
    /// The partner named (entries concerning it).
    pub tiers_id: Option<i64>,
    /// The tiers named (entries with a line of it).
    pub tiers: Option<i64>,
    /// Whether a tiers or partner was named at all.
    pub filtered: bool,
    /// Only lines of accounts starting with this prefix (`706`, `6`).
    pub compte: Option<String>,
    /// Only entries of this journal (`BQ`, `OD`): the accountant's journal for an
    /// imported entry, else the one the FEC export gives it (bank BQ, cash CA, else OD).
    pub journal: Option<String>,
}

/// Lines in date order, reading only the filtered range through the date index.
pub fn lines(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(LigneDetail) -> Result<()>,
) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    let mut st = conn.prepare(
        "SELECT e.id, e.date, l.compte, e.libelle,
                coalesce((SELECT t2.nom FROM ligne x JOIN ligne_detail d ON d.ligne_id = x.id
                          JOIN tiers t2 ON t2.id = d.tiers_id
                          WHERE x.ecriture_id = e.id ORDER BY x.id LIMIT 1), t.nom),
                p.nom, e.piece, l.debit, l.credit
         FROM ecriture e
         JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN partenaire t ON t.id = e.tiers_id
         LEFT JOIN projet p ON p.id = e.projet_id
         WHERE e.date >= ?1 AND e.date < ?2
           AND (?3 IS NULL OR e.projet_id = ?3)
           AND (NOT ?6 OR e.tiers_id = ?4
                OR EXISTS (SELECT 1 FROM ligne x JOIN ligne_detail d ON d.ligne_id = x.id
                           WHERE x.ecriture_id = e.id AND d.tiers_id = ?5))
           AND (?7 IS NULL OR substr(l.compte, 1, length(?7)) = ?7)
           AND (?8 IS NULL OR upper((SELECT j.journal FROM ecriture_journal j
                                     WHERE j.ecriture_id = e.id)) = upper(?8))
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![
        start,
        end,
        f.projet_id,
        f.tiers_id,
        f.tiers,
        f.filtered,
        f.compte,
        f.journal
    ])?;
    while let Some(r) = rows.next()? {
        each(LigneDetail {
            numero: r.get(0)?,
            date: r.get(1)?,
            compte: r.get(2)?,
            libelle: r.get(3)?,
            tiers: r.get(4)?,
            projet: r.get(5)?,
            piece: r.get(6)?,
            debit: Money(r.get(7)?),
            credit: Money(r.get(8)?),
        })?;
    }
    Ok(())
}
