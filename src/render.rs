//! Rendering rows for people and for spreadsheets: terminal tables, CSV (plain or for
//! French Excel) and JSON. Computing happens elsewhere; this module only writes.

use crate::domain::duration::{hours_fr, hours_plain};
use crate::domain::money::{Money, group_thousands};
use crate::domain::text;
use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use std::borrow::Cow;
use std::io::Write;

/// How a report or a list is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Tableau lisible dans le terminal
    #[default]
    Table,
    /// CSV (séparateur virgule, point décimal)
    Csv,
    /// JSON
    Json,
}

/// One cell of a row, typed so that each output writes it its own way.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Int(i64),
    Money(Money),
    /// A duration in minutes, written as hours.
    Hours(i64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    pub fn opt_int(n: Option<impl Into<i64>>) -> Cell {
        n.map_or(Cell::Empty, |n| Cell::Int(n.into()))
    }

    fn is_number(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Money(_) | Cell::Hours(_))
    }

    /// French writing for people: `176 512,00 €`, `1 143`, `2,5`.
    fn human(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) if *n >= 0 => group_thousands(n.unsigned_abs()),
            Cell::Int(n) => format!("-{}", group_thousands(n.unsigned_abs())),
            Cell::Money(m) => m.to_string(),
            Cell::Hours(m) => hours_fr(*m),
            Cell::Empty => String::new(),
        }
    }

    /// Machine writing: plain numbers with a dot, or with a comma for French Excel;
    /// text that a spreadsheet would run as a formula is neutralised.
    fn csv(&self, excel: bool) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Int(n) => n.to_string().into(),
            Cell::Money(m) if excel => m.excel().into(),
            Cell::Money(m) => m.plain().into(),
            Cell::Hours(m) if excel => hours_fr(*m).into(),
            Cell::Hours(m) => hours_plain(*m).into(),
            Cell::Empty => "".into(),
        }
    }
}

/// Prefixes with an apostrophe any text a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return), so it is shown, never run.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// A terminal table with French headers; numeric columns are right-aligned. Cells
/// show control characters and escape sequences escaped (see [`text::escape`]): a
/// title or a name is shown, never run by the terminal.
pub fn table(headers: &[&str], rows: &[Vec<Cell>]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !headers.is_empty() {
        t.set_header(headers.iter().copied());
    }
    for row in rows {
        t.add_row(row.iter().map(|c| {
            let cell = comfy_table::Cell::new(text::escape(&c.human()));
            if c.is_number() {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    t
}

/// Writes rows as CSV: comma and dot decimals, or for French Excel `;`, a UTF-8 BOM
/// and decimal commas.
pub struct CsvOut<W: Write> {
    w: csv::Writer<W>,
    excel: bool,
}

impl<W: Write> CsvOut<W> {
    pub fn new(mut out: W, excel: bool, headers: &[&str]) -> Result<Self> {
        if excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut w = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .terminator(if excel {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(out);
        w.write_record(headers)?;
        Ok(CsvOut { w, excel })
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        self.w
            .write_record(cells.iter().map(|c| c.csv(self.excel).into_owned()))?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
}

/// Writes rows in the chosen format; JSON is written by the caller from its own types.
pub fn rows(
    out: &mut dyn Write,
    format: Format,
    headers: &[&str],
    rows: &[Vec<Cell>],
) -> Result<()> {
    match format {
        Format::Table => writeln!(out, "{}", table(headers, rows))?,
        Format::Csv => {
            let mut csv = CsvOut::new(&mut *out, false, headers)?;
            for r in rows {
                csv.row(r)?;
            }
            csv.finish()?;
        }
        Format::Json => unreachable!("JSON is written from typed values"),
    }
    Ok(())
}

/// Creates (or empties) an export file readable by its owner only: exports may
/// carry personal data, like the ledger they come from. A bad path is a user error.
pub fn export_file(path: &std::path::Path) -> Result<std::io::BufWriter<std::fs::File>> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path).map_err(|e| {
        crate::error::user(format!(
            "création de {} impossible : {}",
            path.display(),
            crate::error::io_fr(&e)
        ))
    })?;
    Ok(std::io::BufWriter::new(file))
}

/// Pretty JSON followed by a newline.
pub fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Hours as a JSON number: an integer when whole, else two decimals.
pub fn hours_json(minutes: i64) -> serde_json::Value {
    if minutes % 60 == 0 {
        serde_json::Value::from(minutes / 60)
    } else {
        serde_json::Value::from((minutes as f64 / 60.0 * 100.0).round() / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(neutralise("Villejuif"), "Villejuif");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn excel_csv_has_bom_semicolons_and_commas() {
        let mut buf = Vec::new();
        let mut csv = CsvOut::new(&mut buf, true, &["libellé", "montant"]).unwrap();
        csv.row(&[Cell::text("=HYPERLINK(\"x\")"), Cell::Money(Money(123_456))])
            .unwrap();
        csv.finish().unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\u{feff}libellé;montant\r\n\"'=HYPERLINK(\"\"x\"\")\";1234,56\r\n"
        );
    }

    #[test]
    fn hours_in_json() {
        assert_eq!(hours_json(68_580), serde_json::json!(1143));
        assert_eq!(hours_json(90), serde_json::json!(1.5));
    }
}
