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
    /// CSV pour Excel en français (point-virgule, virgule décimale) ; aussi : --excel
    Excel,
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

/// True for text that is a date, a time stamp or a duration (`2017-06-12`,
/// `12/06/2017`, `2017-06-12 14:03:00`, `2 h 30`, `45 min`): a table never splits one
/// over two lines.
fn keeps_width(s: &str) -> bool {
    let duration = s
        .strip_suffix(" min")
        .or_else(|| s.strip_suffix(" h"))
        .unwrap_or(s)
        .split(" h ")
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    (duration && s.contains(|c: char| c.is_alphabetic())) || is_date(s)
}

fn is_date(s: &str) -> bool {
    let digits_and = |s: &str, seps: &[char]| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || seps.contains(&c))
    };
    (8..=19).contains(&s.len())
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && digits_and(s, &['-', '/', ':', ' ', 'T'])
}

/// A terminal table with French headers; numeric columns are right-aligned. Cells
/// show control characters and escape sequences escaped (see [`text::escape`]): a
/// title or a name is shown, never run by the terminal. Text wraps to the terminal
/// (or `COLUMNS`) width, but a column of dates or figures keeps its width: a date or
/// an amount is never split over two lines.
pub fn table(headers: &[&str], rows: &[Vec<Cell>]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w > 0)
    {
        t.set_width(width);
    }
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
    // Dates and figures keep their width (their header may wrap instead); text
    // columns share the rest and wrap.
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..columns {
        let cells: Vec<&Cell> = rows
            .iter()
            .filter_map(|r| r.get(i))
            .filter(|c| !matches!(c, Cell::Empty))
            .collect();
        let fixed = !cells.is_empty()
            && cells.iter().all(|c| match c {
                Cell::Text(s) => keeps_width(s),
                _ => c.is_number(),
            });
        if !fixed {
            continue;
        }
        let widest = cells
            .iter()
            .map(|c| c.human().chars().count())
            .max()
            .unwrap_or(0);
        // The width counts the cell's padding, one space each side.
        if let (Some(column), Ok(width)) = (t.column_mut(i), u16::try_from(widest + 2)) {
            column.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(
                comfy_table::Width::Fixed(width),
            ));
        }
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

    /// Flushes and gives back the writer, for one that must be closed explicitly.
    pub fn into_inner(self) -> Result<W> {
        self.w.into_inner().map_err(|e| e.into_error().into())
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
        Format::Csv | Format::Excel => {
            let mut csv = CsvOut::new(&mut *out, format == Format::Excel, headers)?;
            for r in rows {
                csv.row(r)?;
            }
            csv.finish()?;
        }
        Format::Json => unreachable!("JSON is written from typed values"),
    }
    Ok(())
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
    fn dates_durations_and_figures_keep_their_width() {
        for s in [
            "2017-06-12",
            "12/06/2017",
            "2017-06-12 14:03:00",
            "3 h",
            "2 h 30",
            "45 min",
        ] {
            assert!(keeps_width(s), "{s}");
        }
        for s in [
            "Villejuif",
            "NET94",
            "3",
            "h",
            "2 h 30 min de plus",
            "12 rue",
        ] {
            assert!(!keeps_width(s), "{s}");
        }
        let rows = vec![vec![
            Cell::text("2017-06-12"),
            Cell::text("Atelier de découverte du numérique et des démarches en ligne"),
            Cell::Money(Money(123_456)),
        ]];
        let mut t = table(&["date", "intitulé", "montant"], &rows);
        t.set_width(40);
        let out = t.to_string();
        assert!(out.contains("2017-06-12"), "{out}");
        assert!(
            out.contains("1\u{202f}234,56\u{a0}€") || out.contains("1\u{a0}234,56\u{a0}€"),
            "{out}"
        );
        assert!(out.lines().all(|l| l.chars().count() <= 40), "{out}");
    }

    #[test]
    fn hours_in_json() {
        assert_eq!(hours_json(68_580), serde_json::json!(1143));
        assert_eq!(hours_json(90), serde_json::json!(1.5));
    }
}
