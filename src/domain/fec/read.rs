//! Reading a FEC: decoding, the lines after the header, entries gathered from their lines.

use super::check::{Problems, Totals, check_entry};
use super::layout::{Layout, text_of};
use super::{FecEntry, FecFile, FecLine};
use crate::bail_user;
use crate::error::user;
use anyhow::Result;
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// How often `progress` is called, in bytes of the file.
pub(super) const PROGRESS_STEP: usize = 64 * 1024;

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
        let row = match layout.record(l, this_line, &mut fields) {
            Ok(None) => continue,
            Ok(Some(row)) => row,
            Err(message) => {
                s.data_lines += 1;
                s.problems.push(message);
                continue;
            }
        };
        s.data_lines += 1;
        let fec_line = FecLine {
            line: this_line,
            compte: row.compte.to_owned(),
            compte_lib: text_of(row.compte_lib),
            aux_num: text_of(row.aux_num),
            aux_lib: text_of(row.aux_lib),
            libelle: text_of(row.libelle),
            debit: row.debit,
            credit: row.credit,
            extra: super::LineExtra {
                lettrage: text_of(row.extra[0]),
                date_lettrage: text_of(row.extra[1]),
                montant_devise: text_of(row.extra[2]),
                devise: text_of(row.extra[3]),
            },
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

/// Decodes the file: the text, the encoding's name, and the bytes of BOM skipped.
pub(super) fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str, usize) {
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

/// The entries met in one journal. Most software numbers entries in increasing order:
/// while a journal's numbers keep increasing, a new number is known to be new without a
/// lookup; the first number out of order builds the journal's map, used from then on.
#[derive(Default)]
pub(super) struct JournalIndex<'a> {
    /// The greatest entry number met, by length then bytes (`9` < `10`).
    max: &'a str,
    /// (number, entry) in the order met, until `map` is built.
    seen: Vec<(&'a str, usize)>,
    pub(super) map: Option<HashMap<&'a str, usize, BuildHasherDefault<FnvHasher>>>,
}

impl<'a> JournalIndex<'a> {
    /// The entry numbered `numero`, or None when it is new: it is then noted as `next`.
    pub(super) fn find_or_add(&mut self, numero: &'a str, next: usize) -> Option<usize> {
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
pub(super) struct FnvHasher(u64);

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

/// How many times `byte` occurs in `bytes`; counted in blocks of 255 so that the
/// compiler can add 16 or 32 bytes at a time.
fn count_byte(bytes: &[u8], byte: u8) -> usize {
    bytes
        .chunks(255)
        .map(|block| block.iter().fold(0u8, |n, &b| n + u8::from(b == byte)) as usize)
        .sum()
}
