//! `ici import fec FICHIER`: the accountant's books, all or nothing. Entries already
//! in the ledger (same journal, number and date) are skipped, so importing the same
//! file twice adds nothing. Afterwards the totals by class and the result of each
//! year, to tick against the accountant's report.

use crate::cmd::bilan;
use crate::db::{Ledger, finances};
use crate::domain::account::Compte;
use crate::domain::fec::{self, FecEntry};
use crate::domain::finance::{Ligne, NewEcriture, check_chart};
use crate::domain::money::Money;
use crate::error::user;
use crate::input::{Input, Progress};
use crate::render::{self, Cell};
use anyhow::Result;
use chrono::Datelike;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// What an import did.
#[derive(Debug, Default)]
pub struct FecSummary {
    pub added: usize,
    pub skipped: usize,
    pub lines: usize,
    /// Debit and credit totals by account class of the entries added.
    pub classes: BTreeMap<char, (i64, i64)>,
    pub years: Vec<i32>,
}

pub fn run(ledger: &mut Ledger, input: &Input, out: &mut dyn Write) -> Result<()> {
    let name = input.name.as_str();
    let bytes = input.bytes()?;
    let mut bar = Progress::new(bytes.len() as u64, "lecture");
    let file = fec::parse(&bytes, name, &mut |done, _| bar.set(done as u64))?;
    bar.finish();
    drop(bytes);
    let mut bar = Progress::new(file.entries.len() as u64, "écriture");
    let summary =
        ledger.write(|tx| import_entries(tx, name, &file.entries, &mut |n| bar.set(n as u64)))?;
    bar.finish();
    writeln!(
        out,
        "{name} : {} écriture(s) lue(s) ({} ligne(s), {}, séparateur « {} »).",
        file.entries.len(),
        file.lines,
        file.encoding,
        if file.separator == '\t' {
            "tabulation".to_string()
        } else {
            file.separator.to_string()
        }
    )?;
    if summary.added == 0 {
        writeln!(
            out,
            "Rien n'a été ajouté : ces {} écriture(s) sont déjà dans le registre (même journal, même numéro, même date).",
            summary.skipped
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{} écriture(s) ajoutée(s), {} ligne(s){}.",
        summary.added,
        summary.lines,
        if summary.skipped > 0 {
            format!(" ; {} déjà présente(s), ignorée(s)", summary.skipped)
        } else {
            String::new()
        }
    )?;
    let rows: Vec<Vec<Cell>> = summary
        .classes
        .iter()
        .map(|(class, (d, c))| {
            vec![
                Cell::text(format!("classe {class}")),
                Cell::Money(Money(*d)),
                Cell::Money(Money(*c)),
            ]
        })
        .collect();
    writeln!(out, "{}", render::table(&["", "débit", "crédit"], &rows))?;
    for year in &summary.years {
        let b = bilan::compute(ledger.conn(), *year)?;
        writeln!(
            out,
            "Exercice {year} dans le registre : produits {}, charges {}, {} {}.",
            b.total_produits(),
            b.total_charges(),
            b.resultat_nom().to_lowercase(),
            Money(b.resultat().cents().abs())
        )?;
    }
    Ok(())
}

/// Checks and writes the entries inside the caller's transaction.
pub fn import_entries(
    conn: &Connection,
    name: &str,
    entries: &[FecEntry],
    progress: &mut dyn FnMut(usize),
) -> Result<FecSummary> {
    let mut summary = FecSummary::default();
    let mut tiers_cache: BTreeMap<String, Option<i64>> = BTreeMap::new();
    let mut open_years: BTreeSet<i32> = BTreeSet::new();
    let cree_le = crate::db::now();
    // A big file must not spill the transaction's pages to disk before the commit.
    conn.execute_batch("PRAGMA cache_size = -262144")?;
    for (i, e) in entries.iter().enumerate() {
        if i % 4096 == 0 {
            progress(i);
        }
        let date = e.date.format("%Y-%m-%d").to_string();
        // Checked before anything else, so that a file is refused for a bad account
        // even when its entries are already in the ledger.
        let entry = to_entry(name, e)?;
        if is_own_entry(conn, e, &entry)? {
            summary.skipped += 1;
            continue;
        }
        if let Some(existing) = finances::source_lines(conn, &e.journal, &e.numero, &date)? {
            let mut new: Vec<(String, i64, i64)> = entry
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
            new.sort();
            if new != existing.1 {
                return Err(user(format!(
                    "{name}, écriture {}/{} du {} : elle est déjà dans le registre (écriture n° {}) avec d'autres comptes ou montants. Le cabinet l'a modifiée depuis le premier import : contrepassez l'ancienne (`ici ecriture annule {} --motif …`), puis passez la correction par une nouvelle écriture.\nRien n'a été importé.",
                    e.journal,
                    e.numero,
                    e.date.format("%d/%m/%Y"),
                    existing.0,
                    existing.0
                )));
            }
            summary.skipped += 1;
            continue;
        }
        let mut tiers_id = None;
        for aux in e.lines.iter().filter_map(|l| l.aux_lib.as_deref()) {
            let id = match tiers_cache.get(aux) {
                Some(id) => *id,
                None => {
                    let id = finances::partenaire_named(conn, aux)?;
                    tiers_cache.insert(aux.to_string(), id);
                    id
                }
            };
            if id.is_some() {
                tiers_id = id;
                break;
            }
        }
        let year = e.date.year();
        if !open_years.contains(&year) {
            finances::refuse_closed_year(conn, year).map_err(|err| {
                user(format!(
                    "{name}, écriture {}/{} du {} : {err:#}\nRien n'a été importé.",
                    e.journal,
                    e.numero,
                    e.date.format("%d/%m/%Y")
                ))
            })?;
            open_years.insert(year);
        }
        finances::insert_unchecked(conn, &entry, tiers_id, None, &cree_le).map_err(|err| {
            if crate::error::exit_code(&err) == 2 {
                user(format!(
                    "{name}, écriture {}/{} du {} : {err:#}\nRien n'a été importé.",
                    e.journal,
                    e.numero,
                    e.date.format("%d/%m/%Y")
                ))
            } else {
                err
            }
        })?;
        summary.added += 1;
        summary.lines += entry.lignes.len();
        for l in &entry.lignes {
            let class = l.compte.as_str().chars().next().unwrap_or('?');
            let t = summary.classes.entry(class).or_default();
            t.0 += l.debit.cents();
            t.1 += l.credit.cents();
        }
        if !summary.years.contains(&e.date.year()) {
            summary.years.push(e.date.year());
        }
    }
    summary.years.sort();
    Ok(summary)
}

/// True when the entry is one that `ici export fec` wrote from this very ledger
/// (numbered `ICI<n>`): entry n, same date, same lines. Importing one's own export
/// back must not double the books.
fn is_own_entry(conn: &Connection, e: &FecEntry, entry: &NewEcriture) -> Result<bool> {
    let Some(n) = e
        .numero
        .strip_prefix("ICI")
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return Ok(false);
    };
    let Some(existing) = finances::get(conn, n)? else {
        return Ok(false);
    };
    let key = |lignes: &[Ligne]| {
        let mut v: Vec<(String, i64, i64)> = lignes
            .iter()
            .map(|l| {
                (
                    l.compte.as_str().to_string(),
                    l.debit.cents(),
                    l.credit.cents(),
                )
            })
            .collect();
        v.sort();
        v
    };
    Ok(existing.date == e.date && key(&existing.lignes) == key(&entry.lignes))
}

/// A FEC entry as a ledger entry; accounts are checked against the chart in force at
/// its date. A line carrying both a debit and a credit becomes two lines.
fn to_entry(name: &str, e: &FecEntry) -> Result<NewEcriture> {
    let mut lignes = Vec::with_capacity(e.lines.len());
    for l in &e.lines {
        let compte = Compte::parse(&l.compte).map_err(|err| {
            user(format!(
                "{name}, écriture {}/{} (ligne {}) : {err:#}\nRien n'a été importé.",
                e.journal, e.numero, l.line
            ))
        })?;
        for (debit, credit) in [(l.debit, 0), (0, l.credit)] {
            if debit != 0 || credit != 0 {
                lignes.push(Ligne {
                    compte: compte.clone(),
                    debit: Money(debit),
                    credit: Money(credit),
                });
            }
        }
    }
    let entry = NewEcriture {
        date: e.date,
        // A FEC labels lines, a ledger entry has one label: the first line's.
        libelle: e
            .lines
            .iter()
            .find_map(|l| l.libelle.clone())
            .unwrap_or_else(|| format!("Écriture {}", e.label())),
        piece: e.piece_ref.clone(),
        tiers: None,
        projet: None,
        journal: Some(e.journal.clone()),
        numero_source: Some(e.numero.clone()),
        annule: None,
        lignes,
    };
    check_chart(&entry).map_err(|err| {
        let lines: Vec<String> = e.lines.iter().map(|l| l.line.to_string()).collect();
        user(format!(
            "{name}, écriture {}/{} (lignes {}) : {err:#}\nRien n'a été importé.",
            e.journal,
            e.numero,
            lines.join(", ")
        ))
    })?;
    Ok(entry)
}
