//! Transactions (écritures) and their lines in the ledger.

use crate::db::{now, refs};
use crate::domain::account::Compte;
use crate::domain::chart::{self, Plan};
use crate::domain::date::year_bounds;
use crate::domain::fec::{FecEntry, FecLine};
use crate::domain::finance::{EcritureCorrection, Ligne, NewEcriture, check_chart, check_class_8};
use crate::domain::money::Money;
use crate::error::{in_field, user};
use anyhow::{Result, ensure};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

/// Resolves the names of a checked transaction and writes it with its lines. An
/// entry like one already recorded and not reversed is refused unless `doublon`
/// says it is meant (two payments of the same amount the same day).
pub fn insert(conn: &Connection, e: &NewEcriture, doublon: bool) -> Result<i64> {
    let tiers_id = e
        .tiers
        .as_deref()
        .map(|t| refs::partenaire_id(conn, t))
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
    insert_resolved(conn, e, tiers_id, projet_id)
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
            "SELECT id FROM ecriture e
             WHERE date = ?1 AND lower(trim(libelle)) = lower(?2) AND annule_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM ecriture r WHERE r.annule_id = e.id)
             ORDER BY id",
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
    ensure!(e.is_balanced(), "écriture déséquilibrée : {e:?}");
    conn.prepare_cached(
        "INSERT INTO ecriture (date, libelle, piece, tiers_id, projet_id, cree_le,
                               journal, numero_source, annule_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.date.format("%Y-%m-%d").to_string(),
        e.libelle,
        e.piece,
        tiers_id,
        projet_id,
        cree_le,
        e.journal,
        e.numero_source,
        e.annule,
    ])?;
    let id = conn.last_insert_rowid();
    let mut st = conn.prepare_cached(
        "INSERT INTO ligne (ecriture_id, compte, debit, credit) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for l in &e.lignes {
        st.execute(params![
            id,
            l.compte.as_str(),
            l.debit.cents(),
            l.credit.cents()
        ])?;
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
    insert_resolved(conn, &reversal, original.tiers_id, original.projet_id)
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
    let tiers_id = resolve(&c.tiers, original.tiers_id, "tiers", refs::partenaire_id)?;
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
    let new = insert_resolved(conn, &corrected, tiers_id, projet_id)?;
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
    pub tiers_id: Option<i64>,
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
        "SELECT e.id, e.date, l.compte, e.libelle, t.nom, p.nom, e.piece, l.debit, l.credit
         FROM ecriture e
         JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN partenaire t ON t.id = e.tiers_id
         LEFT JOIN projet p ON p.id = e.projet_id
         WHERE e.date >= ?1 AND e.date < ?2
           AND (?3 IS NULL OR e.projet_id = ?3)
           AND (?4 IS NULL OR e.tiers_id = ?4)
           AND (?5 IS NULL OR substr(l.compte, 1, length(?5)) = ?5)
           AND (?6 IS NULL OR upper(coalesce(e.journal,
                 (SELECT CASE max(CASE WHEN x.compte LIKE '512%' THEN 2 WHEN x.compte LIKE '53%' THEN 1 ELSE 0 END)
                         WHEN 2 THEN 'BQ' WHEN 1 THEN 'CA' ELSE 'OD' END
                  FROM ligne x WHERE x.ecriture_id = e.id))) = upper(?6))
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![
        start,
        end,
        f.projet_id,
        f.tiers_id,
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

/// The year's entries as the lines of a FEC, in date order. Entries typed in ici get
/// a journal from their counterpart (bank BQ, cash CA, else OD) and their own number.
pub fn fec_entries(conn: &Connection, annee: i32) -> Result<Vec<FecEntry>> {
    let (start, end) = year_bounds(annee);
    let mut entries: Vec<FecEntry> = opening_entry(conn, annee)?.into_iter().collect();
    let mut st = conn.prepare(
        "SELECT e.id, e.date, e.libelle, e.piece, e.journal, e.numero_source, e.cree_le,
                t.id, t.nom, l.compte, l.debit, l.credit,
                (SELECT max(CASE WHEN x.compte LIKE '512%' THEN 2 WHEN x.compte LIKE '53%' THEN 1 ELSE 0 END)
                 FROM ligne x WHERE x.ecriture_id = e.id)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN partenaire t ON t.id = e.tiers_id
         WHERE e.date >= ?1 AND e.date < ?2
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![start, end])?;
    let mut last_id = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let date: NaiveDate = r.get(1)?;
        if last_id != Some(id) {
            last_id = Some(id);
            let journal: Option<String> = r.get(4)?;
            let kind: i64 = r.get(12)?;
            let journal = journal.unwrap_or_else(|| {
                match kind {
                    2 => "BQ",
                    1 => "CA",
                    _ => "OD",
                }
                .to_string()
            });
            let cree_le: String = r.get(6)?;
            entries.push(FecEntry {
                journal_lib: Some(journal_label(&journal).to_string()),
                journal,
                // Entries typed in ici are numbered apart from imported ones, which keep
                // their own numbers, so that the two never merge on re-import.
                numero: r
                    .get::<_, Option<String>>(5)?
                    .unwrap_or_else(|| format!("ICI{id}")),
                date,
                piece_ref: Some(
                    r.get::<_, Option<String>>(3)?
                        .unwrap_or_else(|| id.to_string()),
                ),
                piece_date: Some(date),
                valid_date: NaiveDate::parse_from_str(cree_le.get(..10).unwrap_or(""), "%Y-%m-%d")
                    .ok(),
                lines: Vec::new(),
            });
        }
        let entry = entries.last_mut().expect("entry pushed above");
        let libelle: String = r.get(2)?;
        let compte: String = r.get(9)?;
        let tiers_id: Option<i64> = r.get(7)?;
        let tiers: Option<String> = r.get(8)?;
        // The tiers goes on the third-party and subsidy lines, where an accountant
        // expects an auxiliary account.
        let aux = matches!(compte.as_bytes().first(), Some(b'4')) || compte.starts_with("74");
        entry.lines.push(FecLine {
            line: 0,
            compte_lib: Some(chart::label(Plan::for_date(date), &compte).to_string()),
            aux_num: tiers_id.filter(|_| aux).map(|t| format!("T{t:05}")),
            aux_lib: tiers.filter(|_| aux),
            libelle: Some(libelle),
            debit: r.get(10)?,
            credit: r.get(11)?,
            compte,
        });
    }
    Ok(entries)
}

/// The « à nouveaux » a FEC must open with, when the ledger has none for the year:
/// the balances of classes 1–5 at 1 January, and the earlier results carried to
/// 110 (report à nouveau), so that the file alone gives the year's balance sheet.
fn opening_entry(conn: &Connection, annee: i32) -> Result<Option<FecEntry>> {
    use crate::db::reports;
    if reports::derniere_ouverture(conn, annee)? == Some(annee) {
        return Ok(None);
    }
    let (start, _) = year_bounds(annee);
    let from = match reports::derniere_ouverture(conn, annee - 1)? {
        Some(y) => year_bounds(y).0,
        None => "0000-00-00".to_string(),
    };
    let soldes = reports::soldes_bilan(conn, &from, &start)?;
    let anterieurs = reports::resultat_entre(conn, &from, &start)?;
    let date = NaiveDate::parse_from_str(&start, "%Y-%m-%d")?;
    let plan = Plan::for_date(date);
    let line = |compte: &str, solde: i64| FecLine {
        line: 0,
        compte: compte.to_string(),
        compte_lib: Some(chart::label(plan, compte).to_string()),
        aux_num: None,
        aux_lib: None,
        libelle: Some("À nouveaux".to_string()),
        debit: solde.max(0),
        credit: (-solde).max(0),
    };
    let mut lines: Vec<FecLine> = soldes
        .iter()
        .filter(|(_, solde)| *solde != 0)
        .map(|(compte, solde)| line(compte, *solde))
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    if anterieurs != 0 {
        lines.push(line("110", -anterieurs));
    }
    Ok(Some(FecEntry {
        journal: "AN".to_string(),
        journal_lib: Some(journal_label("AN").to_string()),
        numero: format!("AN{annee}"),
        date,
        piece_ref: Some(format!("AN{annee}")),
        piece_date: Some(date),
        valid_date: Some(date),
        lines,
    }))
}

fn journal_label(code: &str) -> &'static str {
    match code.to_uppercase().as_str() {
        "BQ" => "Banque",
        "CA" => "Caisse",
        "AN" | "OUV" | "RAN" => "À nouveaux",
        "VT" | "VE" => "Ventes",
        "AC" | "HA" => "Achats",
        "SA" => "Salaires",
        _ => "Opérations diverses",
    }
}

/// The partner whose name is exactly this (case ignored), if any: how a FEC's
/// auxiliary account label finds its tiers.
pub fn partenaire_named(conn: &Connection, nom: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM partenaire WHERE nom = ?1")?
        .query_row([nom.trim()], |r| r.get(0))
        .optional()?)
}
