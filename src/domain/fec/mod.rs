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

mod check;
mod layout;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use check::{Problems, check_siren, entry_problem};
pub use layout::{Layout, Row};
pub use read::parse;
pub use write::{Charset, Writer, file_name, write};

use chrono::NaiveDate;

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
    /// EcritureLet, DateLet, Montantdevise, Idevise, as written.
    pub extra: LineExtra,
}

/// The columns of a line that `ici` keeps without reading them: lettering and foreign
/// currency, as written in the file (so that the accountant's file comes back whole).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineExtra {
    pub lettrage: Option<String>,
    pub date_lettrage: Option<String>,
    pub montant_devise: Option<String>,
    pub devise: Option<String>,
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

/// A negative debit is a credit, a negative credit a debit: both ≥ 0 afterwards.
pub(super) fn normalise(debit: i64, credit: i64) -> (i64, i64) {
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

/// Lower case, no accents, words separated by one space: « À-Nouveaux » → « a nouveaux ».
pub(super) fn words(s: &str) -> String {
    let plain = deunicode::deunicode(s).to_ascii_lowercase();
    plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cents as the FEC writes them: `1234,50`, `-0,05`.
pub(super) fn amount_text(cents: i128) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{},{:02}", c / 100, c % 100)
}
