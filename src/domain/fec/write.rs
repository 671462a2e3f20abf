//! Writing a FEC.

use super::check::check_writable;
use super::{COLUMNS, FecEntry, amount_text, normalise};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::io::Write;

/// Writes a FEC: the header, then one line per [`FecLine`], the 18 columns of the norm in
/// their order, tab-separated, dates `AAAAMMJJ`, amounts with a decimal comma and two
/// decimals, no thousands separator, absent text as an empty field.
///
/// Encoding: UTF-8 without BOM. The norm also allows ISO-8859-15; UTF-8 is accepted by the
/// administration's test tool (Test Compta Demat), keeps every character, and a BOM would
/// glue itself to the first column name in tools that do not expect it.
///
/// Line end: CR LF. The norm allows CR LF or LF; CR LF is what accountants' Windows
/// programs write and read, and a reader expecting LF only sees at worst a stray CR at the
/// end of the last column (Idevise, always empty here), whereas a reader expecting CR LF
/// may see a file of one single line when given LF.
///
/// Tabs and line breaks inside text become spaces; text is trimmed. Negative amounts are
/// normalised as on reading (a negative debit is written as a credit). Entries are written
/// in the order given (the norm wants them in validation order: that is the caller's).
/// Refused, with a user error, before anything is written: an entry without journal or
/// number, an account that is not digits, an unbalanced or all-zero entry.
pub fn write(entries: &[FecEntry], out: &mut dyn Write) -> Result<()> {
    for e in entries {
        check_writable(e)?;
    }
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, out);
    let mut buf = String::with_capacity(256);
    buf.push_str(&COLUMNS.join("\t"));
    buf.push_str("\r\n");
    w.write_all(buf.as_bytes())?;
    for e in entries {
        for l in &e.lines {
            buf.clear();
            let (debit, credit) = normalise(l.debit, l.credit);
            let cells: [Cow<'_, str>; 18] = [
                clean(&e.journal),
                clean_opt(&e.journal_lib),
                clean(&e.numero),
                date_text(Some(e.date)),
                clean(&l.compte),
                clean_opt(&l.compte_lib),
                clean_opt(&l.aux_num),
                clean_opt(&l.aux_lib),
                clean_opt(&e.piece_ref),
                date_text(e.piece_date),
                clean_opt(&l.libelle),
                Cow::Owned(amount_text(debit as i128)),
                Cow::Owned(amount_text(credit as i128)),
                Cow::Borrowed(""),
                Cow::Borrowed(""),
                date_text(e.valid_date),
                Cow::Borrowed(""),
                Cow::Borrowed(""),
            ];
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                buf.push_str(cell);
            }
            buf.push_str("\r\n");
            w.write_all(buf.as_bytes())?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The name the norm gives the file: `<SIREN>FEC<AAAAMMJJ>.txt`, the date being the
/// closing date of the financial year.
pub fn file_name(siren: &str, closing: NaiveDate) -> String {
    format!("{}FEC{}.txt", siren, closing.format("%Y%m%d"))
}
/// Text for one field: trimmed, tabs and line breaks turned into spaces.
fn clean(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.contains(['\t', '\r', '\n']) {
        Cow::Owned(s.replace(['\t', '\r', '\n'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

fn clean_opt(s: &Option<String>) -> Cow<'_, str> {
    s.as_deref().map_or(Cow::Borrowed(""), clean)
}

fn date_text(d: Option<NaiveDate>) -> Cow<'static, str> {
    match d {
        Some(d) => Cow::Owned(format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())),
        None => Cow::Borrowed(""),
    }
}
