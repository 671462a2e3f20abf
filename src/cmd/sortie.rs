//! Where the accountant's reports (`balance`, `grand-livre`, `journal`, `solde`) write,
//! one row at a time: a text table with fixed columns, CSV (plain or for French
//! Excel), or JSON written as it goes. Nothing is gathered before it is written, so a
//! report over a million lines uses the memory of one.
//!
//! The terminal table is written here rather than with `comfy_table` (used by the
//! other commands) because that crate sizes its columns from every row, which needs
//! them all in memory.

use crate::cmd::Ctx;
use crate::domain::money::Money;
use crate::output::{self, Existing, Sink};
use crate::render::{Cell, CsvOut, Format};
use anyhow::Result;
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;

/// The output options shared by the four reports.
#[derive(Debug, clap::Args)]
pub struct SortieArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// CSV pour Excel en français : « ; », BOM UTF-8, virgule décimale (l'emporte sur
    /// --format)
    #[arg(long)]
    pub excel: bool,
    /// Fichier à écrire (sinon la sortie standard), lisible par vous seul ; jamais le
    /// registre, une base SQLite ni un lien symbolique
    #[arg(short = 'o', long = "output", value_name = "FICHIER")]
    pub output: Option<PathBuf>,
}

impl SortieArgs {
    /// The format asked for: `--excel` (or `--format excel`) is CSV for French Excel.
    pub fn format(&self) -> Format {
        if self.excel() {
            Format::Csv
        } else {
            self.format
        }
    }

    /// CSV for French Excel, by `--excel` or `--format excel`.
    pub fn excel(&self) -> bool {
        self.excel || self.format == Format::Excel
    }

    /// Standard output, or the file named by `-o`, written safely (see `output`): it
    /// is in place only once [`Sink::finish`] has run.
    pub fn writer<'a>(&self, ctx: &Ctx, stdout: &'a mut dyn Write) -> Result<Sink<'a>> {
        let dest = match &self.output {
            Some(p) => Some(output::check(p, &ctx.ledger_path()?, Existing::Replace)?),
            None => None,
        };
        Sink::new(dest.as_ref(), stdout)
    }
}

/// One column of a table or CSV: its header and width in the terminal table.
pub struct Colonne {
    pub titre: &'static str,
    pub largeur: usize,
}

impl Colonne {
    /// A column headed `titre`, `largeur` characters wide in the terminal table
    /// (0: CSV only).
    pub const fn new(titre: &'static str, largeur: usize) -> Colonne {
        Colonne { titre, largeur }
    }
}

/// Rows written one by one in a table or CSV.
pub enum Lignes<'a> {
    Table {
        out: Sink<'a>,
        colonnes: Vec<Colonne>,
    },
    Csv(Box<CsvOut<Sink<'a>>>),
}

impl<'a> Lignes<'a> {
    /// Starts a table or a CSV with its header line. JSON is written by each report.
    pub fn new(
        mut out: Sink<'a>,
        format: Format,
        excel: bool,
        colonnes: Vec<Colonne>,
    ) -> Result<Self> {
        let headers: Vec<&str> = colonnes.iter().map(|c| c.titre).collect();
        match format {
            Format::Csv => Ok(Lignes::Csv(Box::new(CsvOut::new(out, excel, &headers)?))),
            _ => {
                let cells: Vec<Cell> = headers.iter().map(|h| Cell::text(*h)).collect();
                write_table_row(&mut out, &colonnes, &cells, false)?;
                let rule: Vec<String> = colonnes.iter().map(|c| "─".repeat(c.largeur)).collect();
                writeln!(out, "{}", rule.join("─┼─"))?;
                Ok(Lignes::Table { out, colonnes })
            }
        }
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            Lignes::Csv(csv) => csv.row(cells),
            Lignes::Table { out, colonnes } => write_table_row(out, colonnes, cells, true),
        }
    }

    /// A line of text between rows (a heading in the table); nothing in CSV.
    pub fn note(&mut self, text: &str) -> Result<()> {
        if let Lignes::Table { out, .. } = self {
            writeln!(out, "{text}")?;
        }
        Ok(())
    }

    /// Ends the rows; a file is put in place only now.
    pub fn finish(self) -> Result<()> {
        match self {
            Lignes::Csv(csv) => csv.into_inner()?.finish(),
            Lignes::Table { out, .. } => out.finish(),
        }
    }
}

/// Pads each cell to its column; numbers to the right. A longer text overflows its
/// column rather than being cut.
fn write_table_row(
    out: &mut dyn Write,
    colonnes: &[Colonne],
    cells: &[Cell],
    align_numbers: bool,
) -> Result<()> {
    let mut line = String::new();
    for (i, (c, col)) in cells.iter().zip(colonnes).enumerate() {
        if i > 0 {
            line.push_str(" │ ");
        }
        let (text, right) = match c {
            Cell::Money(m) => (m.to_string(), align_numbers),
            Cell::Int(n) => (n.to_string(), align_numbers),
            Cell::Text(s) => (s.clone(), false),
            Cell::Hours(_) | Cell::Empty => (String::new(), false),
        };
        let pad = col.largeur.saturating_sub(text.chars().count());
        if right {
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(&text);
        } else {
            line.push_str(&text);
            if i + 1 < colonnes.len() {
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
    }
    writeln!(out, "{}", line.trim_end())?;
    Ok(())
}

/// A money cell left empty when zero, as accountants print debit and credit columns.
pub fn montant(m: Money) -> Cell {
    if m.cents() == 0 {
        Cell::Empty
    } else {
        Cell::Money(m)
    }
}

/// Writes a JSON value on the output without a line end, for reports that write
/// their JSON piece by piece.
pub fn json_piece(out: &mut dyn Write, v: &Value) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    Ok(())
}
