//! `ici export activites --annee A --format coop`: one row per participation, under the
//! column names of the activity export of La Coop de la médiation numérique, so that
//! the association's figures read like the national ones. Named people are described
//! by their profile (genre, age bracket, status), never by a name or a code.

use crate::db::activites;
use crate::db::sessions::Filter;
use crate::domain::activites::{HEADERS, TYPE_ATELIER, participant_rank};
use crate::output::{self, Dest};
use crate::render::{Cell, CsvOut};
use anyhow::Result;
use rusqlite::Connection;
use std::io::Write;

/// The layouts of `export activites`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Les colonnes de l'export d'activités de la Coop de la médiation numérique
    Coop,
}

/// Writes the rows; returns how many (one per participation).
pub fn run(
    conn: &Connection,
    filter: &Filter,
    excel: bool,
    dest: Option<&Dest>,
    out: &mut dyn Write,
) -> Result<usize> {
    let rows = output::write_to(dest, out, |sink| write_rows(conn, filter, sink, excel))?;
    if let Some(dest) = dest {
        eprintln!(
            "{rows} ligne(s) exportée(s) vers {}, une par participation (nommée ou anonyme).",
            dest.path().display()
        );
    }
    Ok(rows)
}

fn write_rows(conn: &Connection, f: &Filter, sink: &mut dyn Write, excel: bool) -> Result<usize> {
    let mut csv = CsvOut::new(sink, excel, &HEADERS)?;
    let mut n = 0;
    activites::each(conn, f, |a| {
        let people = a.beneficiaires();
        let shared = [Cell::text(&a.date), Cell::text(TYPE_ATELIER)];
        let rest = [
            Cell::text(a.canal()),
            Cell::opt(a.commune()),
            Cell::opt(a.code_postal()),
            Cell::opt(a.place.code()),
            Cell::Int(a.duree.0.into()),
            Cell::opt(a.intitule.as_deref()),
            Cell::text(a.materiel()),
            Cell::text(a.thematiques()),
            Cell::opt(a.vocabulaire.niveau_label()),
        ];
        for (i, p) in people.iter().enumerate() {
            let mut row: Vec<Cell> = shared.to_vec();
            row.push(Cell::text(participant_rank(i + 1, people.len())));
            row.extend(rest.iter().cloned());
            row.extend([
                Cell::text(p.genre),
                Cell::text(p.tranche_age),
                Cell::text(p.statut),
            ]);
            csv.row(&row)?;
            n += 1;
        }
        Ok(())
    })?;
    csv.finish()?;
    Ok(n)
}
