//! `ici import fec FICHIER`: the accountant's books, all or nothing. Entries already
//! in the ledger (same journal, number and date) are skipped, so importing the same
//! file twice adds nothing. Afterwards the totals by class and the result of each
//! year, to tick against the accountant's report.

use crate::bail_user;
use crate::cmd::bilan;
use crate::db::fec_stage;
use crate::db::tiers;
use crate::db::{Ledger, finances};
use crate::domain::account::Compte;
use crate::domain::fec::{self, FecEntry};
use crate::domain::fec::{Layout, Problems};
use crate::domain::finance::{
    Ligne, LineDetail, NewEcriture, Placement, check_chart, parse_ici_numero,
};
use crate::domain::money::Money;
use crate::domain::tiers::nature_for_account;
use crate::error::user;
use crate::input::{self, Encoding, Input, Progress};
use crate::render::{self, Cell};
use anyhow::Result;
use chrono::Datelike;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

/// What an import did.
#[derive(Debug, Default)]
pub struct FecSummary {
    pub added: usize,
    /// Tiers created from the auxiliary accounts (CompAuxLib).
    pub tiers: i64,
    pub skipped: usize,
    pub lines: usize,
    /// Debit and credit totals by account class of the entries added.
    pub classes: BTreeMap<char, (i64, i64)>,
    pub years: Vec<i32>,
}

pub fn run(ledger: &mut Ledger, input: &Input, out: &mut dyn Write) -> Result<()> {
    let name = input.name.as_str();
    let encoding = input.fec_encoding();
    let (summary, read) = ledger.write(|tx| import_streamed(tx, input, encoding))?;
    writeln!(
        out,
        "{name} : {} écriture(s) lue(s) ({} ligne(s), {}, séparateur « {} »).",
        read.entries,
        read.lines,
        encoding.name(),
        if read.separator == '\t' {
            "tabulation".to_string()
        } else {
            read.separator.to_string()
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
    if summary.tiers > 0 {
        writeln!(
            out,
            "{} tiers créé(s) depuis les comptes auxiliaires (voir `ici tiers list`).",
            summary.tiers
        )?;
    }
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

/// What was read from the file.
struct Read {
    entries: usize,
    lines: usize,
    separator: char,
}

/// Reads the file line by line into a staging table, checks the entries as a whole,
/// then writes them one at a time, all inside the caller's transaction: memory stays
/// that of one entry whatever the size of the file.
fn import_streamed(
    conn: &Connection,
    input: &Input,
    encoding: Encoding,
) -> Result<(FecSummary, Read)> {
    let name = input.name.as_str();
    // Enough for the ledger's indexes; the staging table spills to a temporary file.
    conn.execute_batch("PRAGMA cache_size = -16384; PRAGMA temp.cache_size = -8192")?;
    fec_stage::create(conn)?;
    let tiers_before = tiers::count(conn)?;
    let (text, lines) = input::text(
        std::fs::File::open(input.path())?,
        encoding,
        Progress::new(input.len, "lecture"),
    );
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, text);
    let mut buf = String::new();
    let mut line_no = 0usize;
    let mut offset = 0u64;
    let mut next_line = |buf: &mut String, line_no: &mut usize| -> Result<bool> {
        lines.line_of(offset);
        buf.clear();
        let n = reader
            .read_line(buf)
            .map_err(|e| read_error(name, *line_no + 1, e))?;
        offset += n as u64;
        *line_no += 1;
        if buf.ends_with('\n') {
            buf.pop();
        }
        Ok(n > 0)
    };
    let layout = loop {
        if !next_line(&mut buf, &mut line_no)? {
            bail_user!("{name} : fichier vide, il n'y a pas même la ligne des noms de colonnes");
        }
        if !buf.trim().is_empty() {
            break Layout::read(&buf)
                .map_err(|m| user(format!("{name}, ligne {line_no} : {m}")))?;
        }
    };
    let mut problems = Problems::default();
    let mut data_lines = 0;
    while next_line(&mut buf, &mut line_no)? {
        let mut fields = Vec::with_capacity(20);
        match layout.record(&buf, line_no, &mut fields) {
            Ok(None) => continue,
            Ok(Some(row)) => {
                if problems.count() == 0 {
                    fec_stage::insert(conn, line_no, &row)?;
                }
            }
            Err(message) => problems.push(message),
        }
        data_lines += 1;
    }
    if data_lines == 0 {
        bail_user!(
            "{name} : aucune écriture, le fichier ne contient que la ligne des noms de colonnes"
        );
    }
    // The balance is checked only when every line could be read: a line refused for a
    // bad amount would make its entry look unbalanced.
    if problems.count() > 0 {
        return Err(problems.into_error(name));
    }
    fec_stage::index(conn)?;
    let (shown, count) = fec_stage::entry_problems(conn, fec::MAX_REPORTED)?;
    if count > 0 {
        return Err(Problems::counted(shown, count).into_error(name));
    }
    let mut state = State::new();
    let mut bar = Progress::new(data_lines as u64, "écriture");
    let entries = fec_stage::for_each_entry(conn, &mut |e| {
        bar.advance(e.lines.len() as u64);
        import_entry(conn, name, &e, &mut state)
    })?;
    bar.finish();
    fec_stage::drop(conn)?;
    let mut summary = state.summary;
    summary.years.sort();
    summary.tiers = tiers::count(conn)? - tiers_before;
    Ok((
        summary,
        Read {
            entries,
            lines: data_lines,
            separator: layout.separator(),
        },
    ))
}

fn read_error(name: &str, line: usize, e: std::io::Error) -> anyhow::Error {
    if e.get_ref()
        .is_some_and(|inner| inner.is::<crate::input::RecordTooLong>())
    {
        return user(format!(
            "{name}, ligne {line} : une ligne de plus de {} octets, ce n'est pas un FEC",
            crate::input::MAX_RECORD_BYTES
        ));
    }
    user(format!(
        "lecture de {name} impossible, ligne {line} : {}",
        crate::error::io_fr(&e)
    ))
}

/// What the import keeps from one entry to the next.
struct State {
    summary: FecSummary,
    /// CompAuxLib → (tiers, its partner).
    tiers_cache: BTreeMap<String, (i64, Option<i64>)>,
    open_years: BTreeSet<i32>,
    cree_le: String,
}

impl State {
    fn new() -> State {
        State {
            summary: FecSummary::default(),
            tiers_cache: BTreeMap::new(),
            open_years: BTreeSet::new(),
            cree_le: crate::db::now(),
        }
    }
}

/// Checks and writes one entry inside the caller's transaction.
fn import_entry(conn: &Connection, name: &str, e: &FecEntry, st: &mut State) -> Result<()> {
    let summary = &mut st.summary;
    let date = e.date.format("%Y-%m-%d").to_string();
    // Checked before anything else, so that a file is refused for a bad account
    // even when its entries are already in the ledger.
    let entry = to_entry(name, e)?;
    if is_own_entry(conn, e, &entry)? {
        summary.skipped += 1;
        return Ok(());
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
        return Ok(());
    }
    // Each auxiliary account's tiers, created if new; the entry keeps the partner of
    // the first one that is a partner, for the activity's reports.
    let mut tiers_id = None;
    let mut details = Vec::with_capacity(entry.lignes.len());
    for l in &e.lines {
        let line_tiers = match l.aux_lib.as_deref().or(l.aux_num.as_deref()) {
            Some(aux) => {
                let key = aux.to_string();
                let found = match st.tiers_cache.get(&key) {
                    Some(found) => *found,
                    None => {
                        let id = tiers::for_aux(conn, aux, nature_for_account(&l.compte))?;
                        let partner = conn.query_row(
                            "SELECT partenaire_id FROM tiers WHERE id = ?1",
                            [id],
                            |r| r.get::<_, Option<i64>>(0),
                        )?;
                        st.tiers_cache.insert(key, (id, partner));
                        (id, partner)
                    }
                };
                if tiers_id.is_none() {
                    tiers_id = found.1;
                }
                Some(found.0)
            }
            None => None,
        };
        let detail = LineDetail {
            tiers_id: line_tiers,
            compte_aux: l.aux_num.clone(),
            libelle: l.libelle.clone(),
            compte_lib: l.compte_lib.clone(),
            extra: l.extra.clone(),
        };
        // A line with both a debit and a credit became two lines.
        for amount in [l.debit, l.credit] {
            if amount != 0 {
                details.push(detail.clone());
            }
        }
    }
    let placement = Placement {
        journal_lib: e.journal_lib.clone(),
        piece_date: e.piece_date,
        valid_date: e.valid_date,
        tiers_id: None,
        lines: details,
        tel_quel: true,
    };
    let year = e.date.year();
    if !st.open_years.contains(&year) {
        finances::refuse_closed_year(conn, year).map_err(|err| {
            user(format!(
                "{name}, écriture {}/{} du {} : {err:#}\nRien n'a été importé.",
                e.journal,
                e.numero,
                e.date.format("%d/%m/%Y")
            ))
        })?;
        st.open_years.insert(year);
    }
    finances::insert_placed(conn, &entry, tiers_id, None, &st.cree_le, &placement).map_err(
        |err| {
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
        },
    )?;
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
    Ok(())
}

/// True when the entry is one that `ici export fec` wrote from this very ledger
/// (numbered `ICI<n>`): entry n, same date, same lines. Importing one's own export
/// back must not double the books.
fn is_own_entry(conn: &Connection, e: &FecEntry, entry: &NewEcriture) -> Result<bool> {
    let id = match parse_ici_numero(&e.journal, &e.numero) {
        Some((exercice, n)) => crate::db::fec_export::id_in_journal(conn, &e.journal, exercice, n)?,
        // Exports of earlier versions were numbered by entry id.
        None => e
            .numero
            .strip_prefix("ICI")
            .and_then(|n| n.parse::<i64>().ok()),
    };
    let Some(id) = id else {
        return Ok(false);
    };
    let Some(existing) = finances::get(conn, id)? else {
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
