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
    let mut w = Writer::new(out, Charset::Utf8)?;
    for e in entries {
        w.entry(e)?;
    }
    w.finish()
}

/// The encodings the norm allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Iso8859_15,
}

/// Writes a FEC one entry at a time (see [`write`] for the format): memory stays that
/// of one line whatever the size of the year.
pub struct Writer<'w> {
    w: std::io::BufWriter<&'w mut dyn Write>,
    charset: Charset,
    buf: String,
    /// Lines written, the header being line 1.
    line: usize,
}

impl<'w> Writer<'w> {
    pub fn new(out: &'w mut dyn Write, charset: Charset) -> Result<Writer<'w>> {
        let mut w = Writer {
            w: std::io::BufWriter::with_capacity(64 * 1024, out),
            charset,
            buf: String::with_capacity(256),
            line: 0,
        };
        w.buf.push_str(&COLUMNS.join("\t"));
        w.buf.push_str("\r\n");
        w.flush_line()?;
        Ok(w)
    }

    fn flush_line(&mut self) -> Result<()> {
        self.line += 1;
        match self.charset {
            Charset::Utf8 => self.w.write_all(self.buf.as_bytes())?,
            Charset::Iso8859_15 => {
                // The encoder reports the first character the charset cannot hold.
                let (bytes, _, bad) = encoding_rs::ISO_8859_15.encode(&self.buf);
                if bad {
                    let c = self
                        .buf
                        .chars()
                        .find(|c| {
                            let mut tmp = [0u8; 4];
                            encoding_rs::ISO_8859_15.encode(c.encode_utf8(&mut tmp)).2
                        })
                        .unwrap_or('?');
                    let (column, value) = self
                        .buf
                        .trim_end()
                        .split('\t')
                        .enumerate()
                        .find(|(_, v)| v.contains(c))
                        .map_or(("?", ""), |(i, v)| (COLUMNS[i], v));
                    crate::bail_user!(
                        "ligne {} du FEC, colonne {column} : « {} » : le caractère « {c} » (U+{:04X}) n'existe pas en ISO-8859-15 ; rien n'a été écrit. Corrigez ce texte ou exportez en UTF-8 (sans --encodage).",
                        self.line,
                        crate::domain::excerpt(value),
                        c as u32,
                    );
                }
                self.w.write_all(&bytes)?;
            }
        }
        Ok(())
    }

    /// Checks and writes one entry.
    pub fn entry(&mut self, e: &FecEntry) -> Result<()> {
        check_writable(e)?;
        for l in &e.lines {
            let buf = &mut self.buf;
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
                clean_opt(&l.extra.lettrage),
                clean_opt(&l.extra.date_lettrage),
                date_text(e.valid_date),
                clean_opt(&l.extra.montant_devise),
                clean_opt(&l.extra.devise),
            ];
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                buf.push_str(cell);
            }
            buf.push_str("\r\n");
            self.flush_line()?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.w.flush()?;
        Ok(())
    }
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
