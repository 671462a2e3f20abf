//! The accountant's file: the FEC (« fichier des écritures comptables », article A47 A-1 du
//! livre des procédures fiscales). Reads every variant met in the wild, writes a valid one.
//! Pure: bytes in, entries out; no database, no printing. Money in integer cents.
//!
//! Decisions taken when reading (each has a test and a sample under `tests/data/fec/`):
//! - Encoding: a UTF-8 BOM, or bytes that are valid UTF-8, mean UTF-8. A UTF-16 BOM means
//!   UTF-16 (rare, but some Windows tools write it). Anything else is a single-byte file:
//!   ISO-8859-15 and Windows-1252 differ only on 0x80–0x9F (printable in 1252, control
//!   characters in 8859-15) and on 8 bytes 0xA4 0xA6 0xA8 0xB4 0xB8 0xBC 0xBD 0xBE
//!   (€ Š š Ž ž Œ œ Ÿ in 8859-15, ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ in 1252). So: any byte in 0x80–0x9F means
//!   Windows-1252; else any of the 8 bytes means ISO-8859-15 (a French ledger writes € and
//!   œ, not ¤ or ½); else both decode the same and we say Windows-1252.
//! - Separator: tab or `|`, whichever the header line holds more of.
//! - Line ends: LF, CR LF, bare CR (old Mac) or none after the last line. Blank lines
//!   (nothing but spaces and separators) are skipped wherever they are.
//! - Columns are matched by name, case-insensitively and ignoring accents, spaces and
//!   underscores, in any order. Unknown columns are ignored. A field wrapped in double
//!   quotes is unwrapped.
//! - A line with more fields than the header is refused when the extra fields hold
//!   something (a label holding the separator shifts every column after it).
//! - Amounts: decimal comma or dot, optional sign, left zeros, empty = 0. Extra decimals
//!   are accepted only when they are zeros (`12,500`), since nothing is lost.
//!   A negative debit is a credit and a negative credit a debit: each line is normalised
//!   so both amounts are ≥ 0 (`Debit = -10` becomes `Credit = 10`).
//! - A line with both a debit and a credit is kept as it is: only the entry's balance
//!   matters. A line with both zero is dropped once the entry has been checked (some
//!   programs write them for accounts without movement); its line number still counts
//!   in [`FecFile::lines`].
//! - Dates `AAAAMMJJ`, also `AAAA-MM-JJ` and `JJ/MM/AAAA`, years 1900 to 2199. Optional
//!   dates (PieceDate, ValidDate) that are empty, `-`, `/` or `00000000` are None.
//! - Text fields are trimmed; empty, `-` and `/` are None. CompteNum must be digits only
//!   and is kept as written (`51200000` too: callers match accounts by prefix).
//! - An entry is (JournalCode, EcritureNum). JournalLib, PieceRef, PieceDate and ValidDate
//!   are taken from the first line of the entry that has one.
//! - Opening entries are ordinary entries, flagged by [`FecEntry::is_opening`].
//! - Every problem of the file is reported at once (up to [`MAX_REPORTED`]); the balance of
//!   entries is checked only once every line could be read, so that a line refused for a
//!   bad amount does not make its entry look unbalanced.

use crate::bail_user;
use crate::error::user;
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;

/// The 18 columns of the norm, in the official order (the order [`write`] uses).
pub const COLUMNS: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// How many problems one error message lists; the rest are counted.
pub const MAX_REPORTED: usize = 20;

/// How often `progress` is called, in bytes of the file.
const PROGRESS_STEP: usize = 64 * 1024;

/// Integer part limit of one amount: 10 000 milliards d'euros. Beyond, it is not an amount.
const MAX_UNITS: i64 = 10_000_000_000_000;

/// One line of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecLine {
    /// 1-based line number in the file (the header is line 1).
    pub line: usize,
    /// Account number, digits only, as given (`51200000` stays so: match by prefix).
    pub compte: String,
    pub compte_lib: Option<String>,
    pub aux_num: Option<String>,
    pub aux_lib: Option<String>,
    /// EcritureLib.
    pub libelle: Option<String>,
    /// Cents, ≥ 0.
    pub debit: i64,
    /// Cents, ≥ 0.
    pub credit: i64,
}

/// One entry: every line sharing a journal code and an entry number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecEntry {
    pub journal: String,
    pub journal_lib: Option<String>,
    /// EcritureNum: unique within its journal only.
    pub numero: String,
    /// EcritureDate, the same on every line.
    pub date: NaiveDate,
    pub piece_ref: Option<String>,
    pub piece_date: Option<NaiveDate>,
    pub valid_date: Option<NaiveDate>,
    pub lines: Vec<FecLine>,
}

impl FecEntry {
    /// An opening entry (« à nouveaux »): journal `AN`, `OUV` or `RAN`, a journal label
    /// saying « à nouveau » or « ouverture », or a line label saying « à nouveaux ».
    /// Kept as an ordinary entry; the caller decides what to do with it.
    pub fn is_opening(&self) -> bool {
        let code = self.journal.trim();
        if ["AN", "OUV", "RAN"]
            .iter()
            .any(|c| code.eq_ignore_ascii_case(c))
        {
            return true;
        }
        let journal_says = self.journal_lib.as_deref().is_some_and(|l| {
            let l = words(l);
            l.contains("a nouveau") || l.contains("ouverture")
        });
        journal_says
            || self.lines.iter().any(|line| {
                line.libelle
                    .as_deref()
                    .is_some_and(|l| words(l).contains("a nouveaux"))
            })
    }

    /// `JOURNAL/NUM`, as messages name an entry.
    pub fn label(&self) -> String {
        format!("{}/{}", self.journal, self.numero)
    }

    /// Sum of the debits, in cents.
    pub fn total_debit(&self) -> i64 {
        self.lines.iter().map(|l| l.debit).sum()
    }

    /// Sum of the credits, in cents.
    pub fn total_credit(&self) -> i64 {
        self.lines.iter().map(|l| l.credit).sum()
    }
}

/// A whole file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecFile {
    /// In the order of each entry's first line.
    pub entries: Vec<FecEntry>,
    /// `"UTF-8"`, `"Windows-1252"`, `"ISO-8859-15"` (or `"UTF-16LE"`/`"UTF-16BE"`).
    pub encoding: &'static str,
    /// `'\t'` or `'|'`.
    pub separator: char,
    /// Data lines read: not the header, not blank lines.
    pub lines: usize,
}

/// Reads a FEC. `name` names the file in messages; `progress(bytes_done, total)` is called
/// about every 64 KiB and once at the end. Errors are user errors, in French, naming the
/// lines, the column and the value.
pub fn parse(bytes: &[u8], name: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<FecFile> {
    let total = bytes.len();
    let (text, encoding, bom) = decode(bytes);
    let text: &str = &text;
    if text.trim().is_empty() {
        bail_user!("{name} : fichier vide, il n'y a pas même la ligne des noms de colonnes");
    }
    // Maps an offset in the decoded text to one in the file, for the progress bar.
    let file_offset = |offset: usize| -> usize {
        let offset = offset.min(text.len());
        if text.len() + bom == total {
            offset + bom
        } else {
            (offset as u128 * total as u128 / text.len().max(1) as u128) as usize
        }
    };
    let eol = if !text.contains('\n') && text.contains('\r') {
        b'\r'
    } else {
        b'\n'
    };

    // The header: the first line that is not blank.
    let mut header_no = 1;
    let mut body_start = 0;
    let header = loop {
        let rest = &text[body_start..];
        let (raw, len) = match rest.find(char::from(eol)) {
            Some(at) => (&rest[..at], at + 1),
            None => (rest, rest.len()),
        };
        body_start += len;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if !line.trim().is_empty() {
            break line;
        }
        header_no += 1;
    };
    let layout =
        Layout::read(header).map_err(|m| user(format!("{name}, ligne {header_no} : {m}")))?;
    let body = &text[body_start..];

    let mut report = |done: usize| progress(file_offset(body_start + done), total);
    let Body {
        mut entries,
        totals,
        mut other_dates,
        mut problems,
        data_lines,
    } = read_body(&layout, body, header_no + 1, eol, &mut report);
    if data_lines == 0 {
        bail_user!(
            "{name} : aucune écriture, le fichier ne contient que la ligne des noms de colonnes"
        );
    }
    // The balance is checked only when every line could be read: a line refused for a bad
    // amount would make its entry look unbalanced.
    if problems.count > 0 {
        return Err(problems.into_error(name));
    }
    other_dates.sort_unstable_by_key(|&(entry, line, _)| (entry, line));
    for (n, t) in totals.iter().enumerate() {
        let from = other_dates.partition_point(|&(entry, _, _)| entry < n);
        let to = other_dates.partition_point(|&(entry, _, _)| entry <= n);
        if from < to || t.debit != t.credit || t.debit == 0 {
            check_entry(&entries[n], &other_dates[from..to], t, &mut problems);
        }
    }
    if problems.count > 0 {
        return Err(problems.into_error(name));
    }
    for (e, t) in entries.iter_mut().zip(&totals) {
        if t.zero_lines {
            e.lines.retain(|l| l.debit != 0 || l.credit != 0);
        }
    }
    progress(total, total);
    Ok(FecFile {
        entries,
        encoding,
        separator: layout.separator,
        lines: data_lines,
    })
}

/// Everything read from the lines after the header.
struct Body {
    /// In the order of their first line.
    entries: Vec<FecEntry>,
    /// One per entry.
    totals: Vec<Totals>,
    /// (entry, line, date) for lines dated differently from their entry's first line.
    other_dates: Vec<(usize, usize, NaiveDate)>,
    problems: Problems,
    data_lines: usize,
}

/// Sums of an entry's lines, kept while reading: checking them then needs no second walk
/// through a million lines.
#[derive(Default)]
struct Totals {
    debit: i128,
    credit: i128,
    /// Some line has neither debit nor credit.
    zero_lines: bool,
}

impl Totals {
    fn add(&mut self, line: &FecLine) {
        self.debit += line.debit as i128;
        self.credit += line.credit as i128;
        self.zero_lines |= line.debit == 0 && line.credit == 0;
    }
}

/// Reads the lines of `text`, the first being line `first_line` of the file.
/// `report(bytes)` is called about every 64 KiB with the bytes of `text` read so far.
fn read_body(
    layout: &Layout,
    text: &str,
    first_line: usize,
    eol: u8,
    report: &mut dyn FnMut(usize),
) -> Body {
    // Room for every entry up front: growing would copy them all, several times.
    let capacity = count_byte(text.as_bytes(), eol) / 2 + 16;
    let mut s = Body {
        entries: Vec::with_capacity(capacity),
        totals: Vec::with_capacity(capacity),
        other_dates: Vec::new(),
        problems: Problems::default(),
        data_lines: 0,
    };
    // The entries of each journal, to find an entry again when its lines are apart.
    let mut journals: Vec<JournalIndex> = Vec::new();
    let mut journal_of: HashMap<&str, usize, BuildHasherDefault<FnvHasher>> = HashMap::default();
    let sep = layout.separator as u8;
    let mut fields: Vec<&str> = Vec::with_capacity(layout.names.len() + 4);
    let mut last: Option<(&str, &str, usize)> = None;
    let mut next_report = PROGRESS_STEP;
    let mut rest = text;
    let mut line_no = first_line;
    while !rest.is_empty() {
        let (raw, len) = match rest.find(char::from(eol)) {
            Some(at) => (&rest[..at], at + 1),
            None => (rest, rest.len()),
        };
        rest = &rest[len..];
        let this_line = line_no;
        line_no += 1;
        let done = text.len() - rest.len();
        if done >= next_report {
            report(done);
            next_report = done + PROGRESS_STEP;
        }
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        if l.bytes().all(|b| b == sep || b.is_ascii_whitespace()) {
            continue;
        }
        s.data_lines += 1;
        fields.clear();
        let mut start = 0;
        for (at, &b) in l.as_bytes().iter().enumerate() {
            if b == sep {
                fields.push(&l[start..at]);
                start = at + 1;
            }
        }
        fields.push(&l[start..]);
        let row = match layout.row(&fields, this_line) {
            Ok(row) => row,
            Err(message) => {
                s.problems.push(message);
                continue;
            }
        };
        let fec_line = FecLine {
            line: this_line,
            compte: row.compte.to_owned(),
            compte_lib: text_of(row.compte_lib),
            aux_num: text_of(row.aux_num),
            aux_lib: text_of(row.aux_lib),
            libelle: text_of(row.libelle),
            debit: row.debit,
            credit: row.credit,
        };
        // Lines of one entry usually follow each other: skip the index for them.
        let known = match last {
            Some((journal, numero, n)) if journal == row.journal && numero == row.numero => Some(n),
            _ => {
                let j = *journal_of.entry(row.journal).or_insert_with(|| {
                    journals.push(JournalIndex::default());
                    journals.len() - 1
                });
                journals[j].find_or_add(row.numero, s.entries.len())
            }
        };
        match known {
            None => {
                last = Some((row.journal, row.numero, s.entries.len()));
                let mut totals = Totals::default();
                totals.add(&fec_line);
                s.totals.push(totals);
                // Most entries have two lines: room for them without a reallocation.
                let mut lines = Vec::with_capacity(2);
                lines.push(fec_line);
                s.entries.push(FecEntry {
                    journal: row.journal.to_owned(),
                    journal_lib: text_of(row.journal_lib),
                    numero: row.numero.to_owned(),
                    date: row.date,
                    piece_ref: text_of(row.piece_ref),
                    piece_date: row.piece_date,
                    valid_date: row.valid_date,
                    lines,
                });
            }
            Some(n) => {
                last = Some((row.journal, row.numero, n));
                let e = &mut s.entries[n];
                if row.date != e.date {
                    s.other_dates.push((n, this_line, row.date));
                    continue;
                }
                if e.journal_lib.is_none() {
                    e.journal_lib = text_of(row.journal_lib);
                }
                if e.piece_ref.is_none() {
                    e.piece_ref = text_of(row.piece_ref);
                }
                e.piece_date = e.piece_date.or(row.piece_date);
                e.valid_date = e.valid_date.or(row.valid_date);
                s.totals[n].add(&fec_line);
                e.lines.push(fec_line);
            }
        }
    }
    s
}

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

/// Checks a SIREN: 9 digits whose Luhn checksum holds (La Poste, 356 000 000, is the one
/// known exception and is accepted).
pub fn check_siren(siren: &str) -> Result<()> {
    let digits: String = siren.chars().filter(|c| !c.is_whitespace()).collect();
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if all_digits && digits.len() == 14 {
        bail_user!(
            "« {siren} » est un SIRET (14 chiffres) : le SIREN est formé de ses 9 premiers chiffres, {}",
            &digits[..9]
        );
    }
    if !all_digits || digits.len() != 9 {
        bail_user!(
            "SIREN « {siren} » invalide : il faut exactement 9 chiffres (voir l'avis de situation INSEE ou le répertoire des associations)"
        );
    }
    if digits != siren {
        bail_user!("SIREN « {siren} » : écrivez-le sans espaces, {digits}");
    }
    if digits == "356000000" {
        return Ok(());
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = (b - b'0') as u32;
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        bail_user!(
            "SIREN « {siren} » invalide : la clé de contrôle ne correspond pas, un chiffre est sans doute mal recopié"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Reading

/// Decodes the file: the text, the encoding's name, and the bytes of BOM skipped.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str, usize) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
        return (text, "UTF-8", 3);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
        return (Cow::Owned(text.into_owned()), "UTF-16LE", 2);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes[2..]);
        return (Cow::Owned(text.into_owned()), "UTF-16BE", 2);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), "UTF-8", 0);
    }
    let c1 = bytes.iter().any(|&b| (0x80..=0x9F).contains(&b));
    let differ = |b: u8| matches!(b, 0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE);
    if !c1 && bytes.iter().any(|&b| differ(b)) {
        let (text, _) = encoding_rs::ISO_8859_15.decode_without_bom_handling(bytes);
        (text, "ISO-8859-15", 0)
    } else {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
        (text, "Windows-1252", 0)
    }
}

#[derive(Clone, Copy)]
enum Amounts {
    DebitCredit { debit: usize, credit: usize },
    MontantSens { montant: usize, sens: usize },
}

/// Where each column is, from the header line.
struct Layout {
    separator: char,
    /// Column names as written in the header, for messages.
    names: Vec<String>,
    journal_code: usize,
    journal_lib: usize,
    ecriture_num: usize,
    ecriture_date: usize,
    compte_num: usize,
    compte_lib: usize,
    comp_aux_num: usize,
    comp_aux_lib: usize,
    piece_ref: usize,
    piece_date: usize,
    ecriture_lib: usize,
    amounts: Amounts,
    valid_date: Option<usize>,
    /// Fields a line must have: one past the last required column.
    min_fields: usize,
}

/// One data line, borrowed from the text, fields trimmed.
struct Row<'a> {
    journal: &'a str,
    journal_lib: &'a str,
    numero: &'a str,
    date: NaiveDate,
    compte: &'a str,
    compte_lib: &'a str,
    aux_num: &'a str,
    aux_lib: &'a str,
    piece_ref: &'a str,
    piece_date: Option<NaiveDate>,
    valid_date: Option<NaiveDate>,
    libelle: &'a str,
    debit: i64,
    credit: i64,
}

impl Layout {
    fn read(header: &str) -> std::result::Result<Layout, String> {
        let tabs = header.matches('\t').count();
        let pipes = header.matches('|').count();
        let separator = if tabs == 0 && pipes == 0 {
            let hint = if header.contains(';') {
                "les colonnes semblent séparées par des points-virgules (un CSV de tableur) ; "
            } else {
                ""
            };
            return Err(format!(
                "séparateur introuvable : {hint}la première ligne d'un FEC nomme ses colonnes séparées par des tabulations ou des barres verticales « | » (JournalCode, JournalLib, EcritureNum…)"
            ));
        } else if tabs >= pipes {
            '\t'
        } else {
            '|'
        };
        let names: Vec<String> = header
            .split(separator)
            .map(|n| unquote(n.trim()).to_owned())
            .collect();
        let keys: Vec<String> = names.iter().map(|n| column_key(n)).collect();
        let mut duplicated = Vec::new();
        let find = |wanted: &str, duplicated: &mut Vec<String>| -> Option<usize> {
            let key = column_key(wanted);
            let mut at = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == key)
                .map(|(i, _)| i);
            let first = at.next();
            if let (Some(a), Some(b)) = (first, at.next()) {
                duplicated.push(format!("{wanted} (colonnes {} et {})", a + 1, b + 1));
            }
            first
        };
        // The first eleven official columns, up to EcritureLib; amounts come after.
        let required: [&str; 11] = COLUMNS[..11].try_into().expect("18 columns");
        let mut missing = Vec::new();
        let mut at = [0usize; 11];
        for (slot, name) in at.iter_mut().zip(required) {
            match find(name, &mut duplicated) {
                Some(i) => *slot = i,
                None => missing.push(name.to_owned()),
            }
        }
        let debit = find("Debit", &mut duplicated);
        let credit = find("Credit", &mut duplicated);
        let montant = find("Montant", &mut duplicated);
        let sens = find("Sens", &mut duplicated);
        let amounts = match (debit, credit, montant, sens) {
            (Some(debit), Some(credit), _, _) => Some(Amounts::DebitCredit { debit, credit }),
            (_, _, Some(montant), Some(sens)) => Some(Amounts::MontantSens { montant, sens }),
            (Some(_), None, _, _) => {
                missing.push("Credit".into());
                None
            }
            (None, Some(_), _, _) => {
                missing.push("Debit".into());
                None
            }
            (None, None, Some(_), None) => {
                missing.push("Sens".into());
                None
            }
            (None, None, None, Some(_)) => {
                missing.push("Montant".into());
                None
            }
            (None, None, None, None) => {
                missing.push("Debit et Credit (ou Montant et Sens)".into());
                None
            }
        };
        let valid_date = find("ValidDate", &mut duplicated);
        if !duplicated.is_empty() {
            return Err(format!(
                "colonne en double dans l'en-tête : {}",
                duplicated.join(", ")
            ));
        }
        if missing.len() > 11 {
            return Err(format!(
                "la première ligne ne ressemble pas à un en-tête de FEC : on attend les noms des colonnes ({}), on lit « {} »",
                COLUMNS.join(", "),
                shorten(header, 80)
            ));
        }
        let Some(amounts) = amounts.filter(|_| missing.is_empty()) else {
            let (s, verb) = if missing.len() > 1 {
                ("s", "manquent")
            } else {
                ("", "manque")
            };
            return Err(format!(
                "colonne{s} {} {verb} dans l'en-tête ; un FEC nomme sur sa première ligne les colonnes {}",
                missing.join(", "),
                COLUMNS.join(", ")
            ));
        };
        let amount_cols = match amounts {
            Amounts::DebitCredit { debit, credit } => [debit, credit],
            Amounts::MontantSens { montant, sens } => [montant, sens],
        };
        let min_fields = at.iter().chain(&amount_cols).max().copied().unwrap_or(0) + 1;
        Ok(Layout {
            separator,
            names,
            journal_code: at[0],
            journal_lib: at[1],
            ecriture_num: at[2],
            ecriture_date: at[3],
            compte_num: at[4],
            compte_lib: at[5],
            comp_aux_num: at[6],
            comp_aux_lib: at[7],
            piece_ref: at[8],
            piece_date: at[9],
            ecriture_lib: at[10],
            amounts,
            valid_date,
            min_fields,
        })
    }

    /// Reads one data line (already split). The error names the line, the column, the value.
    /// When the line has more fields than the header, the error says a label may hold
    /// the separator: every column after it is then shifted.
    fn row<'a>(&self, fields: &[&'a str], line: usize) -> std::result::Result<Row<'a>, String> {
        let sep_name = self.separator_name();
        if fields.len() < self.min_fields {
            return Err(format!(
                "ligne {line} : {} champs seulement, il en faut {} (séparateur : {sep_name}) ; un libellé contient-il un retour à la ligne ?",
                fields.len(),
                self.min_fields
            ));
        }
        if fields.len() > self.names.len()
            && fields[self.names.len()..]
                .iter()
                .any(|f| !f.trim().is_empty())
        {
            return Err(format!(
                "ligne {line} : {} champs alors que l'en-tête nomme {} colonnes ; un libellé contient-il le séparateur ({sep_name}) ?",
                fields.len(),
                self.names.len()
            ));
        }
        self.row_fields(fields, line).map_err(|message| {
            if fields.len() > self.names.len() {
                format!(
                    "{message} ; la ligne a {} champs pour {} colonnes : un libellé contient-il le séparateur ({}) ?",
                    fields.len(),
                    self.names.len(),
                    sep_name
                )
            } else {
                message
            }
        })
    }

    fn separator_name(&self) -> &'static str {
        if self.separator == '\t' {
            "la tabulation"
        } else {
            "« | »"
        }
    }

    fn row_fields<'a>(
        &self,
        fields: &[&'a str],
        line: usize,
    ) -> std::result::Result<Row<'a>, String> {
        let get = |i: usize| -> &'a str { fields.get(i).map_or("", |f| unquote(f.trim_ascii())) };
        let at = |i: usize, msg: String| format!("ligne {line}, colonne {} : {msg}", self.names[i]);
        let required = |i: usize| -> std::result::Result<&'a str, String> {
            let v = get(i);
            if v.is_empty() {
                Err(at(i, "valeur vide, elle est obligatoire".into()))
            } else {
                Ok(v)
            }
        };
        let opt_date = |i: usize| -> std::result::Result<Option<NaiveDate>, String> {
            let v = get(i);
            if matches!(v, "" | "-" | "/" | "00000000") {
                return Ok(None);
            }
            parse_date(v).map(Some).ok_or_else(|| {
                at(
                    i,
                    format!("date « {v} » illisible : attendu AAAAMMJJ, par exemple 20240131"),
                )
            })
        };
        let amount = |i: usize| -> std::result::Result<i64, String> {
            let v = get(i);
            parse_amount(v).map_err(|why| at(i, format!("montant « {v} » {why}")))
        };

        let journal = required(self.journal_code)?;
        let numero = required(self.ecriture_num)?;
        let date = opt_date(self.ecriture_date)?.ok_or_else(|| {
            at(
                self.ecriture_date,
                format!(
                    "date « {} » absente, elle est obligatoire (AAAAMMJJ)",
                    get(self.ecriture_date)
                ),
            )
        })?;
        // PieceDate and ValidDate often repeat EcritureDate: no need to parse them again.
        let date_text = get(self.ecriture_date);
        let same_or = |i: usize| -> std::result::Result<Option<NaiveDate>, String> {
            if get(i) == date_text {
                Ok(Some(date))
            } else {
                opt_date(i)
            }
        };
        let compte = required(self.compte_num)?;
        if !compte.bytes().all(|b| b.is_ascii_digit()) {
            return Err(at(
                self.compte_num,
                format!(
                    "numéro de compte « {compte} » invalide : des chiffres seulement (plan comptable), par exemple 512000"
                ),
            ));
        }
        let (debit, credit) = match self.amounts {
            Amounts::DebitCredit { debit, credit } => (amount(debit)?, amount(credit)?),
            Amounts::MontantSens { montant, sens } => {
                let m = amount(montant)?;
                match get(sens) {
                    "D" | "d" | "+1" | "1" => (m, 0),
                    "C" | "c" | "-1" => (0, m),
                    other => {
                        return Err(at(
                            sens,
                            format!(
                                "sens « {other} » inconnu : attendu D (débit) ou C (crédit), ou +1 / -1"
                            ),
                        ));
                    }
                }
            }
        };
        let (debit, credit) = normalise(debit, credit);
        Ok(Row {
            journal,
            journal_lib: get(self.journal_lib),
            numero,
            date,
            compte,
            compte_lib: get(self.compte_lib),
            aux_num: get(self.comp_aux_num),
            aux_lib: get(self.comp_aux_lib),
            piece_ref: get(self.piece_ref),
            piece_date: same_or(self.piece_date)?,
            valid_date: match self.valid_date {
                Some(i) => same_or(i)?,
                None => None,
            },
            libelle: get(self.ecriture_lib),
            debit,
            credit,
        })
    }
}

/// The entries met in one journal. Most software numbers entries in increasing order:
/// while a journal's numbers keep increasing, a new number is known to be new without a
/// lookup; the first number out of order builds the journal's map, used from then on.
#[derive(Default)]
struct JournalIndex<'a> {
    /// The greatest entry number met, by length then bytes (`9` < `10`).
    max: &'a str,
    /// (number, entry) in the order met, until `map` is built.
    seen: Vec<(&'a str, usize)>,
    map: Option<HashMap<&'a str, usize, BuildHasherDefault<FnvHasher>>>,
}

impl<'a> JournalIndex<'a> {
    /// The entry numbered `numero`, or None when it is new: it is then noted as `next`.
    fn find_or_add(&mut self, numero: &'a str, next: usize) -> Option<usize> {
        let above = (numero.len(), numero.as_bytes()) > (self.max.len(), self.max.as_bytes());
        if above {
            self.max = numero;
        }
        let map = match &mut self.map {
            Some(map) => map,
            None if above => {
                self.seen.push((numero, next));
                return None;
            }
            None => self.map.insert(self.seen.drain(..).collect()),
        };
        match map.entry(numero) {
            Entry::Occupied(slot) => Some(*slot.get()),
            Entry::Vacant(slot) => {
                slot.insert(next);
                None
            }
        }
    }
}

/// FNV-1a: the indexes are keyed by short strings from a local file, where a
/// flood-resistant hash (SipHash, the default) only costs time.
#[derive(Default)]
struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Checks an entry: one date (`other_dates`: its lines dated otherwise), balanced, not
/// all zero.
fn check_entry(
    e: &FecEntry,
    other_dates: &[(usize, usize, NaiveDate)],
    totals: &Totals,
    problems: &mut Problems,
) {
    if !other_dates.is_empty() {
        let mut groups: Vec<(NaiveDate, Vec<usize>)> =
            vec![(e.date, e.lines.iter().map(|l| l.line).collect())];
        for &(_, line, date) in other_dates {
            match groups.iter_mut().find(|(d, _)| *d == date) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((date, vec![line])),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .map(|(d, lines)| format!("{} ({})", d.format("%d/%m/%Y"), line_list(lines)))
            .collect();
        problems.push(format!(
            "écriture {} : ses lignes portent des dates différentes, {} ; une écriture n'a qu'une date (EcritureDate)",
            e.label(),
            parts.join(", ")
        ));
        return;
    }
    let (debit, credit) = (totals.debit, totals.credit);
    if debit == credit && debit != 0 {
        return;
    }
    let name = format!("écriture {} du {}", e.label(), e.date.format("%d/%m/%Y"));
    let lines: Vec<usize> = e.lines.iter().map(|l| l.line).collect();
    if debit == 0 && credit == 0 {
        problems.push(format!(
            "{name} : tous ses montants sont nuls ({})",
            line_list(&lines)
        ));
    } else {
        problems.push(format!(
            "{name} déséquilibrée : débit {}, crédit {} ({})",
            amount_text(debit),
            amount_text(credit),
            line_list(&lines)
        ));
    }
}

/// Problems found, the first [`MAX_REPORTED`] kept.
#[derive(Default)]
struct Problems {
    list: Vec<String>,
    count: usize,
}

impl Problems {
    fn push(&mut self, message: String) {
        self.count += 1;
        if self.list.len() < MAX_REPORTED {
            self.list.push(message);
        }
    }

    fn into_error(self, name: &str) -> anyhow::Error {
        if self.count == 1 {
            return user(format!("{name}, {}", self.list[0]));
        }
        let mut msg = format!("{name} : {} erreurs", self.count);
        for m in &self.list {
            msg.push_str("\n  - ");
            msg.push_str(m);
        }
        if self.count > self.list.len() {
            msg.push_str(&format!("\n  … et {} autres", self.count - self.list.len()));
        }
        user(msg)
    }
}

/// How many times `byte` occurs in `bytes`; counted in blocks of 255 so that the
/// compiler can add 16 or 32 bytes at a time.
fn count_byte(bytes: &[u8], byte: u8) -> usize {
    bytes
        .chunks(255)
        .map(|block| block.iter().fold(0u8, |n, &b| n + u8::from(b == byte)) as usize)
        .sum()
}

/// `AAAAMMJJ`, also `AAAA-MM-JJ` and `JJ/MM/AAAA`; years 1900 to 2199.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    let (y, m, d) = match b.len() {
        8 => (num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?),
        10 if b[4] == b'-' && b[7] == b'-' => (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?),
        10 if b[2] == b'/' && b[5] == b'/' => (num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?),
        _ => return None,
    };
    if !(1900..2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// An amount in cents: optional sign, digits, optional `,` or `.` and at most two
/// significant decimals. Empty is 0. The error completes « montant « X » … ».
fn parse_amount(s: &str) -> std::result::Result<i64, &'static str> {
    const HINT: &str = "illisible : attendu des chiffres avec une virgule décimale, sans séparateur de milliers, par exemple 1234,50";
    let b = s.as_bytes();
    let (negative, digits) = match b.first() {
        None => return Ok(0),
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        Some(_) => (false, b),
    };
    let mut units: i64 = 0;
    let mut cents: i64 = 0;
    let mut decimals = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                let d = (c - b'0') as i64;
                seen_digit = true;
                if !seen_point {
                    units = units * 10 + d;
                    if units >= MAX_UNITS {
                        return Err("démesuré : plus de treize chiffres avant la virgule");
                    }
                } else {
                    decimals += 1;
                    if decimals <= 2 {
                        cents = cents * 10 + d;
                    } else if d != 0 {
                        return Err("a plus de deux décimales : un montant se compte en centimes");
                    }
                }
            }
            b',' | b'.' if !seen_point => seen_point = true,
            _ => return Err(HINT),
        }
    }
    if !seen_digit {
        return Err(HINT);
    }
    if decimals == 1 {
        cents *= 10;
    }
    let value = units * 100 + cents;
    Ok(if negative { -value } else { value })
}

/// A negative debit is a credit, a negative credit a debit: both ≥ 0 afterwards.
fn normalise(debit: i64, credit: i64) -> (i64, i64) {
    let (mut d, mut c) = (debit, credit);
    if d < 0 {
        c -= d;
        d = 0;
    }
    if c < 0 {
        d -= c;
        c = 0;
    }
    (d, c)
}

/// Strips one pair of surrounding double quotes, and the spaces inside them.
fn unquote(s: &str) -> &str {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.trim(),
        None => s,
    }
}

/// Text as a FEC writes it; empty, `-` and `/` mean nothing.
fn text_of(s: &str) -> Option<String> {
    match s {
        "" | "-" | "/" => None,
        _ => Some(s.to_owned()),
    }
}

/// A column name reduced for comparison: `Débit`, `debit`, `DEBIT` are one.
fn column_key(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Lower case, no accents, words separated by one space: « À-Nouveaux » → « a nouveaux ».
fn words(s: &str) -> String {
    let plain = deunicode::deunicode(s).to_ascii_lowercase();
    plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `ligne 12` or `lignes 12, 15, 40`, at most ten numbers.
fn line_list(lines: &[usize]) -> String {
    const SHOWN: usize = 10;
    if lines.len() == 1 {
        return format!("ligne {}", lines[0]);
    }
    let shown: Vec<String> = lines.iter().take(SHOWN).map(|n| n.to_string()).collect();
    let mut s = format!("lignes {}", shown.join(", "));
    if lines.len() > SHOWN {
        s.push_str(&format!(" et {} autres", lines.len() - SHOWN));
    }
    s
}

fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// Writing

/// Cents as the FEC writes them: `1234,50`, `-0,05`.
fn amount_text(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{},{:02}", c / 100, c % 100)
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

fn check_writable(e: &FecEntry) -> Result<()> {
    let label = e.label();
    if e.journal.trim().is_empty() || e.numero.trim().is_empty() {
        bail_user!(
            "écriture « {label} » : code journal et numéro d'écriture sont obligatoires dans un FEC"
        );
    }
    if let Some(l) = e
        .lines
        .iter()
        .find(|l| l.compte.is_empty() || !l.compte.bytes().all(|b| b.is_ascii_digit()))
    {
        bail_user!(
            "écriture {label} : compte « {} » invalide pour un FEC, des chiffres seulement",
            l.compte
        );
    }
    let (debit, credit) = e.lines.iter().fold((0i128, 0i128), |(d, c), l| {
        let (ld, lc) = normalise(l.debit, l.credit);
        (d + ld as i128, c + lc as i128)
    });
    if debit != credit || debit == 0 {
        bail_user!(
            "écriture {label} du {} déséquilibrée ou nulle : débit {}, crédit {} ; le FEC n'est pas écrit",
            e.date.format("%d/%m/%Y"),
            amount_text(debit),
            amount_text(credit)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn read(bytes: &[u8]) -> FecFile {
        parse(bytes, "test.txt", &mut |_, _| {}).unwrap_or_else(|e| panic!("{e:#}"))
    }

    fn error(bytes: &[u8]) -> String {
        match parse(bytes, "test.txt", &mut |_, _| {}) {
            Ok(f) => panic!("should fail, read {} entries", f.entries.len()),
            Err(e) => format!("{e:#}"),
        }
    }

    fn entry<'f>(f: &'f FecFile, journal: &str, numero: &str) -> &'f FecEntry {
        f.entries
            .iter()
            .find(|e| e.journal == journal && e.numero == numero)
            .unwrap_or_else(|| panic!("no entry {journal}/{numero}"))
    }

    const TAB_UTF8_CRLF: &[u8] = include_bytes!("../../tests/data/fec/tab_utf8_crlf.txt");
    const PIPE_BOM: &[u8] = include_bytes!("../../tests/data/fec/pipe_bom.txt");
    const CP1252: &[u8] = include_bytes!("../../tests/data/fec/windows1252.txt");
    const LATIN9: &[u8] = include_bytes!("../../tests/data/fec/iso8859_15.txt");
    const NO_FINAL_EOL: &[u8] = include_bytes!("../../tests/data/fec/no_final_eol.txt");
    const MONTANT_SENS: &[u8] = include_bytes!("../../tests/data/fec/montant_sens.txt");
    const CASH_22: &[u8] = include_bytes!("../../tests/data/fec/cash_basis_22.txt");
    const EXTRA_COLUMNS: &[u8] = include_bytes!("../../tests/data/fec/extra_columns.txt");
    const NON_ADJACENT: &[u8] = include_bytes!("../../tests/data/fec/non_adjacent.txt");
    const TWO_JOURNALS: &[u8] = include_bytes!("../../tests/data/fec/same_num_two_journals.txt");
    const EMPTY_TEXT: &[u8] = include_bytes!("../../tests/data/fec/empty_text.txt");
    const ZERO_PADDED: &[u8] = include_bytes!("../../tests/data/fec/zero_padded.txt");
    const OPENING: &[u8] = include_bytes!("../../tests/data/fec/opening.txt");
    const LOWERCASE: &[u8] = include_bytes!("../../tests/data/fec/lowercase_headers.txt");
    const NEGATIVE: &[u8] = include_bytes!("../../tests/data/fec/negative_and_zero.txt");
    const DATE_FORMATS: &[u8] = include_bytes!("../../tests/data/fec/date_formats.txt");
    const UNBALANCED: &[u8] = include_bytes!("../../tests/data/fec/unbalanced.txt");
    const BAD_AMOUNT: &[u8] = include_bytes!("../../tests/data/fec/bad_amount.txt");
    const MISSING_COLUMN: &[u8] = include_bytes!("../../tests/data/fec/missing_column.txt");
    const BAD_DATE: &[u8] = include_bytes!("../../tests/data/fec/bad_date.txt");
    const DATE_CONFLICT: &[u8] = include_bytes!("../../tests/data/fec/date_conflict.txt");
    const BAD_ACCOUNT: &[u8] = include_bytes!("../../tests/data/fec/bad_account.txt");
    const SHIFTED: &[u8] = include_bytes!("../../tests/data/fec/shifted_columns.txt");
    const SEMICOLON: &[u8] = include_bytes!("../../tests/data/fec/semicolon.csv");
    const QUIRKS: &[u8] = include_bytes!("../../tests/data/fec/quirks_cr.txt");

    /// Every well-formed sample: encoding, separator, data lines, entries, lines kept.
    #[test]
    fn reads_every_variant() {
        /// A well-formed sample and what reading it must give.
        struct Sample {
            name: &'static str,
            bytes: &'static [u8],
            encoding: &'static str,
            separator: char,
            data_lines: usize,
            entries: usize,
            lines_kept: usize,
        }
        let sample = |name, bytes, encoding, separator, data_lines, entries, lines_kept| Sample {
            name,
            bytes,
            encoding,
            separator,
            data_lines,
            entries,
            lines_kept,
        };
        let table = [
            sample("tab_utf8_crlf", TAB_UTF8_CRLF, "UTF-8", '\t', 7, 3, 7),
            sample("pipe_bom", PIPE_BOM, "UTF-8", '|', 4, 2, 4),
            sample("windows1252", CP1252, "Windows-1252", '\t', 2, 1, 2),
            sample("iso8859_15", LATIN9, "ISO-8859-15", '\t', 2, 1, 2),
            sample("no_final_eol", NO_FINAL_EOL, "UTF-8", '\t', 2, 1, 2),
            sample("montant_sens", MONTANT_SENS, "UTF-8", '|', 6, 2, 6),
            sample("cash_basis_22", CASH_22, "UTF-8", '\t', 2, 1, 2),
            sample("extra_columns", EXTRA_COLUMNS, "UTF-8", '\t', 2, 1, 2),
            sample("non_adjacent", NON_ADJACENT, "UTF-8", '\t', 5, 2, 5),
            sample(
                "same_num_two_journals",
                TWO_JOURNALS,
                "UTF-8",
                '\t',
                4,
                2,
                4,
            ),
            sample("empty_text", EMPTY_TEXT, "UTF-8", '|', 2, 1, 2),
            sample("zero_padded", ZERO_PADDED, "UTF-8", '\t', 3, 1, 3),
            sample("opening", OPENING, "UTF-8", '\t', 12, 6, 12),
            sample("lowercase_headers", LOWERCASE, "UTF-8", '\t', 2, 1, 2),
            sample("negative_and_zero", NEGATIVE, "UTF-8", '\t', 4, 1, 3),
            sample("date_formats", DATE_FORMATS, "UTF-8", '\t', 6, 3, 6),
            sample("quirks", QUIRKS, "UTF-8", '|', 4, 2, 4),
        ];
        for s in table {
            let name = s.name;
            let f =
                parse(s.bytes, name, &mut |_, _| {}).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert_eq!(f.encoding, s.encoding, "{name}");
            assert_eq!(f.separator, s.separator, "{name}");
            assert_eq!(f.lines, s.data_lines, "{name}: data lines");
            assert_eq!(f.entries.len(), s.entries, "{name}: entries");
            let lines: usize = f.entries.iter().map(|e| e.lines.len()).sum();
            assert_eq!(lines, s.lines_kept, "{name}: lines kept");
            for e in &f.entries {
                assert_eq!(e.total_debit(), e.total_credit(), "{name}: {}", e.label());
                assert!(e.lines.iter().all(|l| l.debit >= 0 && l.credit >= 0));
            }
        }
    }

    /// Bare CR line ends, blank lines before the header and between lines, a trailing
    /// separator on data lines, quoted fields.
    #[test]
    fn quirks() {
        assert!(!QUIRKS.contains(&b'\n'), "sample must use bare CR");
        let f = read(QUIRKS);
        let e = &f.entries[0];
        assert_eq!(e.lines[0].line, 3, "header on line 2");
        assert_eq!(e.lines[1].line, 5, "blank line 4 skipped");
        assert_eq!(e.journal_lib.as_deref(), Some("Banque"));
        assert_eq!(e.lines[0].libelle.as_deref(), Some("Don, reçu n° 4"));
        assert_eq!(e.lines[0].debit, 20_00);
    }

    #[test]
    fn journal_index_finds_entries_again() {
        // Numbers in and out of order, some met again, in two journals.
        let mut state = 7u32;
        let mut keys: Vec<(String, String)> = Vec::new();
        for _ in 0..2000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let journal = if state.is_multiple_of(3) { "AC" } else { "VE" };
            let numero = if state.is_multiple_of(5) {
                format!("{}", (state >> 8) % 300)
            } else {
                format!("{}", keys.len() + 1)
            };
            keys.push((journal.into(), numero));
        }
        let mut journals: HashMap<&str, JournalIndex> = HashMap::new();
        let mut naive: HashMap<(&str, &str), usize> = HashMap::new();
        let mut next = 0;
        for (j, n) in &keys {
            let expected = naive.get(&(j.as_str(), n.as_str())).copied();
            let got = journals.entry(j).or_default().find_or_add(n, next);
            assert_eq!(got, expected, "{j}/{n}");
            if expected.is_none() {
                naive.insert((j, n), next);
                next += 1;
            }
        }
        assert!(
            journals.values().all(|j| j.map.is_some()),
            "out-of-order numbers seen"
        );
        let mut monotonic = JournalIndex::default();
        for (i, n) in ["1", "2", "9", "10", "11", "100"].iter().enumerate() {
            assert_eq!(monotonic.find_or_add(n, i), None);
        }
        assert!(monotonic.map.is_none(), "increasing numbers need no map");
        assert_eq!(monotonic.find_or_add("9", 99), Some(2));
        assert_eq!(monotonic.find_or_add("5", 6), None);
        assert_eq!(monotonic.find_or_add("5", 7), Some(6));
    }

    #[test]
    fn tab_utf8_crlf() {
        assert!(
            TAB_UTF8_CRLF.windows(2).any(|w| w == b"\r\n"),
            "sample must keep CR LF"
        );
        let f = read(TAB_UTF8_CRLF);
        let e = &f.entries[0];
        assert_eq!(e.journal, "VE");
        assert_eq!(e.journal_lib.as_deref(), Some("Ventes"));
        assert_eq!(e.numero, "1");
        assert_eq!(e.date, d(2024, 1, 15));
        assert_eq!(e.piece_ref.as_deref(), Some("F2024-001"));
        assert_eq!(e.piece_date, Some(d(2024, 1, 14)));
        assert_eq!(e.valid_date, Some(d(2024, 1, 31)));
        assert_eq!(e.lines[0].line, 2);
        assert_eq!(e.lines[0].compte, "411000");
        assert_eq!(e.lines[0].aux_num.as_deref(), Some("C001"));
        assert_eq!(e.lines[0].aux_lib.as_deref(), Some("Mairie de Créteil"));
        assert_eq!(e.lines[0].debit, 1_500_00);
        assert_eq!(
            e.lines[1].compte_lib.as_deref(),
            Some("Prestations de services")
        );
        assert_eq!(e.lines[1].credit, 1_500_00);
        assert_eq!(
            e.lines[1].libelle.as_deref(),
            Some("Atelier numérique école")
        );
    }

    #[test]
    fn pipe_with_bom() {
        assert!(PIPE_BOM.starts_with(b"\xEF\xBB\xBF"));
        let f = read(PIPE_BOM);
        assert_eq!(f.entries[0].journal, "AC");
        assert_eq!(f.entries[0].lines[0].compte, "606400");
        assert_eq!(f.entries[0].lines[0].debit, 42_30);
    }

    #[test]
    fn single_byte_encodings() {
        assert!(CP1252.contains(&0x80) && CP1252.contains(&0xE9));
        assert!(LATIN9.contains(&0xA4) && !LATIN9.iter().any(|b| (0x80..0xA0).contains(b)));
        for bytes in [CP1252, LATIN9] {
            let f = read(bytes);
            let l = &f.entries[0].lines[0];
            assert_eq!(l.compte_lib.as_deref(), Some("Fournitures de bureau"));
            assert_eq!(l.libelle.as_deref(), Some("Papeterie 12 € réglée"));
            assert_eq!(f.entries[0].journal_lib.as_deref(), Some("Achats œuvres"));
        }
    }

    #[test]
    fn encoding_heuristic() {
        assert_eq!(decode(b"abc").1, "UTF-8");
        assert_eq!(decode("é".as_bytes()).1, "UTF-8");
        assert_eq!(decode(b"\xE9t\xE9").1, "Windows-1252");
        assert_eq!(decode(b"\x80 \xA4").1, "Windows-1252");
        assert_eq!(decode(b"\xA4 \xE9").1, "ISO-8859-15");
        assert_eq!(decode(b"\xA4 \xE9").0, "€ é");
        assert_eq!(decode(b"\x80 \xE9").0, "€ é");
        assert_eq!(decode(b"\xFF\xFEa\0b\0").0, "ab");
        assert_eq!(decode(b"\xFF\xFEa\0b\0").1, "UTF-16LE");
        assert_eq!(decode(b"\xFE\xFF\0a\0b").0, "ab");
    }

    #[test]
    fn no_final_line_end() {
        assert!(!NO_FINAL_EOL.ends_with(b"\n"));
        let f = read(NO_FINAL_EOL);
        let last = f.entries[0].lines.last().unwrap();
        assert_eq!(last.credit, 80_00);
        assert_eq!(last.line, 3);
    }

    #[test]
    fn montant_and_sens() {
        let f = read(MONTANT_SENS);
        let a = entry(&f, "BQ", "1");
        assert_eq!((a.lines[0].debit, a.lines[0].credit), (250_00, 0));
        assert_eq!((a.lines[1].debit, a.lines[1].credit), (0, 250_00));
        let b = entry(&f, "BQ", "2");
        // +1, 1 are debits, -1 a credit; a negative Montant flips the side.
        assert_eq!(b.total_debit(), 110_00);
        assert_eq!(b.total_credit(), 110_00);
        assert_eq!((b.lines[3].debit, b.lines[3].credit), (0, 10_00));
    }

    #[test]
    fn cash_basis_and_extra_columns() {
        for bytes in [CASH_22, EXTRA_COLUMNS] {
            let f = read(bytes);
            assert_eq!(f.entries[0].lines[0].debit, 35_00);
            assert_eq!(f.entries[0].lines[1].compte, "706000");
        }
    }

    #[test]
    fn non_adjacent_lines_gather_in_first_line_order() {
        let f = read(NON_ADJACENT);
        let order: Vec<String> = f.entries.iter().map(FecEntry::label).collect();
        assert_eq!(order, ["VE/2", "VE/1"]);
        let lines: Vec<usize> = f.entries[0].lines.iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 4, 6]);
    }

    #[test]
    fn entry_numbers_are_per_journal() {
        let f = read(TWO_JOURNALS);
        assert_eq!(entry(&f, "VE", "1").total_debit(), 100_00);
        assert_eq!(entry(&f, "AC", "1").total_debit(), 20_00);
    }

    #[test]
    fn dash_and_slash_are_empty() {
        let f = read(EMPTY_TEXT);
        let e = &f.entries[0];
        assert_eq!(e.piece_ref, None);
        assert_eq!(e.piece_date, None);
        assert_eq!(e.journal_lib, None);
        assert_eq!(e.lines[0].aux_num, None);
        assert_eq!(e.lines[0].aux_lib, None);
        assert_eq!(e.lines[1].libelle, None);
        assert_eq!(e.lines[1].compte_lib, None);
        assert_eq!(e.lines[0].libelle.as_deref(), Some("Cotisation"));
    }

    #[test]
    fn zero_padded_amounts() {
        let f = read(ZERO_PADDED);
        let l = &f.entries[0].lines;
        assert_eq!(l[0].debit, 1234_50);
        assert_eq!(l[1].credit, 1000_00);
        assert_eq!(l[2].credit, 234_50);
    }

    #[test]
    fn opening_entries() {
        let f = read(OPENING);
        let flags: Vec<(String, bool)> = f
            .entries
            .iter()
            .map(|e| (e.label(), e.is_opening()))
            .collect();
        assert_eq!(
            flags,
            [
                ("AN/1".to_string(), true),
                ("OUV/1".to_string(), true),
                ("ran/1".to_string(), true),
                ("JO/1".to_string(), true),
                ("OD/1".to_string(), true),
                ("OD/2".to_string(), false),
            ]
        );
    }

    #[test]
    fn lowercase_headers_in_another_order() {
        let f = read(LOWERCASE);
        let e = &f.entries[0];
        assert_eq!(e.journal, "BQ");
        assert_eq!(e.date, d(2024, 3, 1));
        assert_eq!(e.lines[0].compte, "512000");
        assert_eq!(e.lines[0].debit, 60_00);
    }

    #[test]
    fn negative_amounts_and_zero_lines() {
        let f = read(NEGATIVE);
        let e = &f.entries[0];
        // Debit -50 became a credit of 50; Credit -50 a debit; the 0/0 line is gone.
        assert_eq!(e.lines.len(), 3);
        assert_eq!((e.lines[0].debit, e.lines[0].credit), (100_00, 0));
        assert_eq!((e.lines[1].debit, e.lines[1].credit), (0, 50_00));
        assert_eq!((e.lines[2].debit, e.lines[2].credit), (0, 50_00));
        assert_eq!(e.lines[2].line, 5);
    }

    #[test]
    fn both_debit_and_credit_on_one_line_are_kept() {
        let text = format!(
            "{}\nOD\tOD\t1\t20240101\t512000\tBanque\t\t\t\t\t\t10,00\t4,00\t\t\t\t\t\nOD\tOD\t1\t20240101\t471000\tAttente\t\t\t\t\t\t\t6,00\t\t\t\t\t\n",
            COLUMNS.join("\t")
        );
        let f = read(text.as_bytes());
        assert_eq!(
            (f.entries[0].lines[0].debit, f.entries[0].lines[0].credit),
            (10_00, 4_00)
        );
    }

    #[test]
    fn date_formats() {
        let f = read(DATE_FORMATS);
        for e in &f.entries {
            assert_eq!(e.date, d(2024, 2, 29), "{}", e.label());
        }
        assert_eq!(f.entries[1].piece_date, Some(d(2024, 2, 28)));
        assert_eq!(f.entries[2].piece_date, None, "00000000 means no date");
    }

    #[test]
    fn amounts_table() {
        let ok: &[(&str, i64)] = &[
            ("", 0),
            ("0", 0),
            ("12", 12_00),
            ("12,5", 12_50),
            ("12.50", 12_50),
            ("000001234,50", 1234_50),
            ("-3,10", -3_10),
            ("+3,10", 3_10),
            (",75", 75),
            ("7,", 7_00),
            ("12,500", 12_50),
            ("9999999999999,99", 9_999_999_999_999_99),
        ];
        for &(s, cents) in ok {
            assert_eq!(parse_amount(s), Ok(cents), "{s:?}");
        }
        for s in [
            "12,345",
            "12a",
            "1 234,50",
            "1.234,50",
            "-",
            ",",
            "10000000000000",
            "--1",
        ] {
            assert!(parse_amount(s).is_err(), "{s:?} should be refused");
        }
    }

    #[test]
    fn dates_table() {
        let ok = [
            ("20240131", Some(d(2024, 1, 31))),
            ("2024-01-31", Some(d(2024, 1, 31))),
            ("31/01/2024", Some(d(2024, 1, 31))),
            ("20240230", None),
            ("2024131", None),
            ("18991231", None),
            ("2024/01/31", None),
            ("31-01-2024", None),
        ];
        for (s, expected) in ok {
            assert_eq!(parse_date(s), expected, "{s}");
        }
    }

    /// Files that must be refused, and what the message must say.
    #[test]
    fn refuses_with_useful_messages() {
        let table: &[(&str, &[u8], &[&str])] = &[
            (
                "unbalanced",
                UNBALANCED,
                &[
                    "écriture VE/7 du 15/01/2024 déséquilibrée : débit 100,00, crédit 99,90 (lignes 2, 3, 5)",
                ],
            ),
            (
                "bad_amount",
                BAD_AMOUNT,
                &[
                    "2 erreurs",
                    "ligne 3, colonne Credit : montant « 12,345 »",
                    "plus de deux décimales",
                    "ligne 4, colonne Debit : montant « 1O0,00 » illisible",
                ],
            ),
            (
                "missing_column",
                MISSING_COLUMN,
                &["ligne 1 : colonnes CompAuxLib, PieceDate manquent"],
            ),
            (
                "bad_date",
                BAD_DATE,
                &["ligne 2, colonne EcritureDate : date « 20241301 » illisible : attendu AAAAMMJJ"],
            ),
            (
                "date_conflict",
                DATE_CONFLICT,
                &[
                    "écriture VE/3",
                    "15/01/2024 (lignes 2, 3), 16/01/2024 (ligne 4)",
                ],
            ),
            (
                "bad_account",
                BAD_ACCOUNT,
                &["ligne 2, colonne CompteNum : numéro de compte « 411CLIENT » invalide"],
            ),
            (
                "shifted_columns",
                SHIFTED,
                &[
                    "2 erreurs",
                    "ligne 3 : 19 champs alors que l'en-tête nomme 18 colonnes",
                    "« | »",
                    "ligne 5, colonne Debit : montant « remise » illisible",
                    "la ligne a 19 champs pour 18 colonnes",
                ],
            ),
            ("semicolon", SEMICOLON, &["points-virgules"]),
        ];
        for &(name, bytes, expected) in table {
            let msg = error(bytes);
            assert!(msg.starts_with("test.txt"), "{name}: {msg}");
            for part in expected {
                assert!(msg.contains(part), "{name}: « {part} » not in:\n{msg}");
            }
        }
    }

    #[test]
    fn refusals_built_in_memory() {
        let h = COLUMNS.join("\t");
        let line = |j: &str, n: &str, amounts: &str| {
            format!("{j}\tJ\t{n}\t20240101\t512000\tBanque\t\t\t\t\t\t{amounts}\t\t\t\t\t")
        };
        let table: Vec<(String, &str)> = vec![
            (String::new(), "fichier vide"),
            (format!("{h}\n\n"), "aucune écriture"),
            (
                "Compte\tMontant\n1\t2\n".into(),
                "ne ressemble pas à un en-tête",
            ),
            (
                format!(
                    "{h}\n{}\n{}\n",
                    line("OD", "1", "0,00\t0,00"),
                    line("OD", "1", "\t")
                ),
                "tous ses montants sont nuls (lignes 2, 3)",
            ),
            (
                format!("{h}\nOD\tJ\t1\t20240101\n"),
                "ligne 2 : 4 champs seulement",
            ),
            (
                format!("{h}\n{}\n", line("", "1", "1\t1")),
                "ligne 2, colonne JournalCode : valeur vide",
            ),
            (
                format!("{}\tDebit\n{}\n", h, line("OD", "1", "1\t1")),
                "colonne en double dans l'en-tête : Debit (colonnes 12 et 19)",
            ),
            (
                h.replace("Debit\tCredit", "Montant\tX") + "\n",
                "colonne Sens manque",
            ),
        ];
        for (text, expected) in table {
            let msg = error(text.as_bytes());
            assert!(msg.contains(expected), "« {expected} » not in:\n{msg}");
        }
        let sens = h.replace("Debit\tCredit", "Montant\tSens") + "\n" + &line("OD", "1", "1,00\tX");
        assert!(error(sens.as_bytes()).contains("ligne 2, colonne Sens : sens « X » inconnu"));
    }

    #[test]
    fn many_problems_are_counted() {
        let mut text = COLUMNS.join("\t");
        for i in 0..30 {
            text.push_str(&format!(
                "\nOD\tJ\t{i}\t20240101\t512000\tB\t\t\t\t\t\tabc\t\t\t\t\t\t"
            ));
        }
        let msg = error(text.as_bytes());
        assert!(msg.starts_with("test.txt : 30 erreurs"), "{msg}");
        assert!(msg.contains("… et 10 autres"), "{msg}");
    }

    #[test]
    fn progress_is_reported() {
        let mut text = COLUMNS.join("\t");
        for i in 0..5000 {
            text.push_str(&format!(
                "\nVE\tVentes\t{i}\t20240101\t411000\tClients\t\t\t\t\tVente atelier\t10,00\t0,00\t\t\t\t\t\nVE\tVentes\t{i}\t20240101\t706000\tPrestations\t\t\t\t\tVente atelier\t0,00\t10,00\t\t\t\t\t"
            ));
        }
        let mut calls = Vec::new();
        parse(text.as_bytes(), "p", &mut |done, total| {
            calls.push((done, total))
        })
        .unwrap();
        assert!(calls.len() >= text.len() / PROGRESS_STEP, "{}", calls.len());
        assert_eq!(calls.last(), Some(&(text.len(), text.len())));
        assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn round_trip() {
        for bytes in [
            TAB_UTF8_CRLF,
            CP1252,
            MONTANT_SENS,
            NON_ADJACENT,
            OPENING,
            NEGATIVE,
            EMPTY_TEXT,
        ] {
            let first = read(bytes);
            let mut out = Vec::new();
            write(&first.entries, &mut out).unwrap();
            let second = read(&out);
            assert_eq!(second.encoding, "UTF-8");
            assert_eq!(second.separator, '\t');
            let strip = |f: &FecFile| -> Vec<FecEntry> {
                let mut entries = f.entries.clone();
                for e in &mut entries {
                    for l in &mut e.lines {
                        l.line = 0;
                    }
                }
                entries
            };
            assert_eq!(strip(&first), strip(&second));
        }
    }

    #[test]
    fn writer_format() {
        let entries = vec![FecEntry {
            journal: "VE".into(),
            journal_lib: Some("Ventes".into()),
            numero: "12".into(),
            date: d(2024, 5, 3),
            piece_ref: None,
            piece_date: Some(d(2024, 5, 2)),
            valid_date: None,
            lines: vec![
                FecLine {
                    line: 0,
                    compte: "411000".into(),
                    compte_lib: Some("Clients".into()),
                    aux_num: None,
                    aux_lib: None,
                    libelle: Some("Atelier\tmai\n".into()),
                    debit: 1234_05,
                    credit: 0,
                },
                FecLine {
                    line: 0,
                    compte: "706000".into(),
                    compte_lib: None,
                    aux_num: None,
                    aux_lib: None,
                    libelle: None,
                    debit: -1234_05,
                    credit: 0,
                },
            ],
        }];
        let mut out = Vec::new();
        write(&entries, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{text:?}");
        assert_eq!(lines[0], COLUMNS.join("\t"));
        assert_eq!(
            lines[1],
            "VE\tVentes\t12\t20240503\t411000\tClients\t\t\t\t20240502\tAtelier mai\t1234,05\t0,00\t\t\t\t\t"
        );
        assert_eq!(
            lines[2],
            "VE\tVentes\t12\t20240503\t706000\t\t\t\t\t20240502\t\t0,00\t1234,05\t\t\t\t\t"
        );
        assert_eq!(lines[3], "");
        assert!(!text.starts_with('\u{feff}'));

        let mut bad = entries.clone();
        bad[0].lines[1].debit = 0;
        bad[0].lines[1].credit = 1234_00;
        let mut out = Vec::new();
        let msg = format!("{:#}", write(&bad, &mut out).unwrap_err());
        assert!(msg.contains("VE/12 du 03/05/2024 déséquilibrée"), "{msg}");
        assert!(out.is_empty(), "nothing written");
        bad[0].lines[1].compte = "706A".into();
        assert!(format!("{:#}", write(&bad, &mut out).unwrap_err()).contains("« 706A »"));
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("123456782", d(2024, 12, 31)),
            "123456782FEC20241231.txt"
        );
    }

    #[test]
    fn sirens() {
        for ok in ["732829320", "552100554", "356000000", "123456782"] {
            assert!(check_siren(ok).is_ok(), "{ok}");
        }
        let table = [
            ("732829321", "clé de contrôle"),
            ("12345678", "exactement 9 chiffres"),
            ("12345678A", "exactement 9 chiffres"),
            ("", "exactement 9 chiffres"),
            ("732 829 320", "sans espaces, 732829320"),
            ("73282932000014", "SIRET"),
        ];
        for (s, expected) in table {
            let msg = check_siren(s).unwrap_err().to_string();
            assert!(msg.contains(expected), "{s}: {msg}");
        }
    }

    /// `cargo test --release -- --ignored --nocapture`: one million lines.
    #[test]
    #[ignore]
    fn million_lines() {
        let mut text = String::with_capacity(160_000_000);
        text.push_str(&COLUMNS.join("\t"));
        text.push_str("\r\n");
        let journals = [("VE", "Ventes"), ("AC", "Achats"), ("BQ", "Banque")];
        for i in 0..500_000u32 {
            let (j, jl) = journals[(i % 3) as usize];
            let date = format!("2024{:02}{:02}", i % 12 + 1, i % 28 + 1);
            let cents = 1000 + (i as i64 * 37) % 500_000;
            let amount = amount_text(cents as i128);
            text.push_str(&format!(
                "{j}\t{jl}\t{i}\t{date}\t411000\tClients\tC{:05}\tAdhérent {}\tF{i}\t{date}\tAtelier numérique n° {i}\t{amount}\t0,00\t\t\t{date}\t\t\r\n",
                i % 1000,
                i % 1000
            ));
            text.push_str(&format!(
                "{j}\t{jl}\t{i}\t{date}\t706000\tPrestations de services\t\t\tF{i}\t{date}\tAtelier numérique n° {i}\t0,00\t{amount}\t\t\t{date}\t\t\r\n"
            ));
        }
        // CPU time of the process (Linux, in ticks of 10 ms), telling a slow parse from a
        // busy machine.
        let cpu = || -> Option<u64> {
            let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        };
        let (start, cpu_start) = (std::time::Instant::now(), cpu());
        let f = parse(text.as_bytes(), "big", &mut |_, _| {}).unwrap();
        let elapsed = start.elapsed();
        let cpu_ms = cpu().zip(cpu_start).map(|(b, a)| (b - a) * 10);
        println!(
            "parsed {} lines ({} Mo) into {} entries in {:?} (CPU {} ms)",
            f.lines,
            text.len() / 1_000_000,
            f.entries.len(),
            elapsed,
            cpu_ms.map_or("?".into(), |ms| ms.to_string())
        );
        assert_eq!(f.lines, 1_000_000);
        assert_eq!(f.entries.len(), 500_000);
    }
}
