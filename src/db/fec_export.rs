//! The ledger's entries as a FEC, and each entry's place in its journal.

use crate::domain::chart::{self, Plan};
use crate::domain::date::year_bounds;
use crate::domain::fec::{FecEntry, FecLine, LineExtra};
use crate::domain::finance::ici_numero;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

/// The year's entries as the lines of a FEC, one at a time in the memory of one entry,
/// in date order, then recording order. Entries from an accountant's file come back as
/// read; entries typed in ici carry their journal, their number in it, and the tiers of
/// their third-party lines.
pub fn for_each_fec_entry(
    conn: &Connection,
    annee: i32,
    f: &mut dyn FnMut(FecEntry) -> Result<()>,
) -> Result<()> {
    let (start, end) = year_bounds(annee);
    if let Some(opening) = opening_entry(conn, annee)? {
        f(opening)?;
    }
    let mut st = conn.prepare(
        "SELECT e.id, e.date, e.libelle, e.piece, j.journal, e.numero_source, j.numero,
                j.journal_lib, j.piece_date, j.valid_date, j.tel_quel,
                t.id, t.nom, l.compte, l.debit, l.credit,
                d.compte_aux, d.libelle, d.compte_lib, d.lettrage, d.date_lettrage,
                d.montant_devise, d.devise
         FROM ecriture e
         JOIN ecriture_journal j ON j.ecriture_id = e.id
         JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN ligne_detail d ON d.ligne_id = l.id
         LEFT JOIN tiers t ON t.id = d.tiers_id
         WHERE e.date >= ?1 AND e.date < ?2
         ORDER BY e.date, e.id, l.id",
    )?;
    let mut rows = st.query(params![start, end])?;
    let mut current: Option<(i64, bool, String, FecEntry)> = None;
    let opt_date = |s: Option<String>| -> Option<NaiveDate> {
        s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let date: NaiveDate = r.get(1)?;
        if current.as_ref().map(|c| c.0) != Some(id) {
            if let Some((_, _, _, done)) = current.take() {
                f(done)?;
            }
            let journal: String = r.get(4)?;
            let tel_quel: bool = r.get(10)?;
            let numero = match r.get::<_, Option<String>>(5)? {
                Some(n) => n,
                None => match r.get::<_, Option<i64>>(6)? {
                    Some(n) => ici_numero(&journal, annee, n),
                    None => format!("ICI{id}"),
                },
            };
            let piece: Option<String> = r.get(3)?;
            let entry = FecEntry {
                journal_lib: r
                    .get::<_, Option<String>>(7)?
                    .or_else(|| (!tel_quel).then(|| journal_label(&journal).to_string())),
                journal,
                numero,
                date,
                piece_ref: if tel_quel {
                    piece
                } else {
                    Some(piece.unwrap_or_else(|| id.to_string()))
                },
                piece_date: opt_date(r.get(8)?).or((!tel_quel).then_some(date)),
                valid_date: opt_date(r.get(9)?),
                lines: Vec::new(),
            };
            current = Some((id, tel_quel, r.get(2)?, entry));
        }
        let (_, tel_quel, libelle, entry) = current.as_mut().expect("entry started above");
        let compte: String = r.get(13)?;
        let tiers_id: Option<i64> = r.get(11)?;
        let tiers: Option<String> = r.get(12)?;
        let compte_aux: Option<String> = r.get(16)?;
        let line_libelle: Option<String> = r.get(17)?;
        let compte_lib: Option<String> = r.get(18)?;
        let extra = LineExtra {
            lettrage: r.get(19)?,
            date_lettrage: r.get(20)?,
            montant_devise: r.get(21)?,
            devise: r.get(22)?,
        };
        let line = if *tel_quel {
            FecLine {
                line: 0,
                compte_lib,
                aux_num: compte_aux,
                aux_lib: tiers,
                libelle: line_libelle,
                debit: r.get(14)?,
                credit: r.get(15)?,
                compte,
                extra,
            }
        } else {
            // The tiers goes on the third-party, subsidy and loan lines, where an
            // accountant expects an auxiliary account.
            let aux =
                compte.starts_with('4') || compte.starts_with("74") || compte.starts_with("16");
            FecLine {
                line: 0,
                compte_lib: compte_lib
                    .or_else(|| Some(chart::label(Plan::for_date(date), &compte).to_string())),
                aux_num: compte_aux
                    .or_else(|| tiers_id.filter(|_| aux).map(|t| format!("T{t:05}"))),
                aux_lib: tiers.filter(|_| aux),
                libelle: line_libelle.or_else(|| Some(libelle.clone())),
                debit: r.get(14)?,
                credit: r.get(15)?,
                compte,
                extra,
            }
        };
        entry.lines.push(line);
    }
    if let Some((_, _, _, done)) = current.take() {
        f(done)?;
    }
    Ok(())
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
        extra: LineExtra::default(),
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

/// The entry typed in ici with this number in this journal and exercice.
pub fn id_in_journal(
    conn: &Connection,
    journal: &str,
    exercice: i32,
    numero: i64,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT ecriture_id FROM ecriture_journal
             WHERE exercice = ?1 AND journal = ?2 AND numero = ?3",
        )?
        .query_row(params![exercice, journal, numero], |r| r.get(0))
        .optional()?)
}

/// An entry's journal and its EcritureNum (the accountant's, or its number in its ici
/// journal, as `ici export fec` writes it).
pub fn place(conn: &Connection, id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT j.journal, e.numero_source, j.exercice, j.numero
             FROM ecriture_journal j JOIN ecriture e ON e.id = j.ecriture_id
             WHERE j.ecriture_id = ?1",
        )?
        .query_row([id], |r| {
            let journal: String = r.get(0)?;
            let num = match (r.get::<_, Option<String>>(1)?, r.get::<_, Option<i64>>(3)?) {
                (Some(s), _) => s,
                (None, Some(n)) => ici_numero(&journal, r.get(2)?, n),
                (None, None) => format!("ICI{id}"),
            };
            Ok((journal, num))
        })
        .optional()?)
}
