//! Files given to `ici import`, read strictly: checked before any byte is read (a regular
//! file, not over [`MAX_FILE_BYTES`]), then scanned once for their fingerprint and
//! encoding, then streamed as UTF-8 text with LF line ends, whatever they were written with.
//!
//! Encoding rule: valid UTF-8 (with or without BOM) is UTF-8; a file with no valid
//! multi-byte UTF-8 sequence at all is Windows-1252 (what French Excel writes); a file
//! holding both valid multi-byte sequences and invalid bytes is refused as mixed, since
//! decoding it either way would corrupt part of it.

use crate::bail_user;
use crate::error::{io_fr, user};
use anyhow::Result;
use encoding_rs::{Decoder, ISO_8859_15, UTF_8, UTF_16LE, WINDOWS_1252};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read};
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Largest file `ici import` reads: 1 Gio. A FEC of a million lines is about 150 Mo, a
/// CSV of a million sessions about 100 Mo.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Size of one read.
const CHUNK: usize = 64 * 1024;

/// How the bytes of a file are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
    /// Single-byte with € or œ where Windows-1252 has ¤ or ½, and none of Windows-1252's
    /// own printable bytes 0x80–0x9F: what some accounting programs write (FEC only).
    Iso8859_15,
    /// A UTF-16 byte order mark (little or big endian).
    Utf16,
}

impl Encoding {
    /// As messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Iso8859_15 => "ISO-8859-15",
            Encoding::Utf16 => "UTF-16",
        }
    }
}

/// A file checked and scanned, not yet read as text.
#[derive(Debug)]
pub struct Input {
    path: std::path::PathBuf,
    /// The file as messages name it.
    pub name: String,
    pub len: u64,
    /// FNV-1a of the bytes and their count: how an import recognises a file seen before.
    pub fingerprint: String,
    pub encoding: Encoding,
    /// A single-byte file that holds a byte of 0x80–0x9F.
    c1: bool,
    /// A single-byte file that holds one of the bytes where ISO-8859-15 and Windows-1252
    /// differ above 0xA0.
    latin9_marks: bool,
}

/// Checks `path` before reading it: a regular file (not a folder, device or pipe), not
/// over [`MAX_FILE_BYTES`]. Then reads it once: fingerprint, encoding, emptiness.
pub fn open(path: &Path) -> Result<Input> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path)
        .map_err(|e| user(format!("lecture de {name} impossible : {}", io_fr(&e))))?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "un dossier"
        } else {
            "un périphérique, un tube ou un autre fichier spécial"
        };
        bail_user!(
            "{name} est {what}, pas un fichier ordinaire : donnez le chemin d'un fichier enregistré sur le disque"
        );
    }
    if meta.len() > MAX_FILE_BYTES {
        bail_user!(
            "{name} : {} octets, plus que la limite de {} octets (1 Gio) pour un import ; coupez le fichier en plusieurs parties et importez-les l'une après l'autre",
            meta.len(),
            MAX_FILE_BYTES
        );
    }
    let file = File::open(path)
        .map_err(|e| user(format!("lecture de {name} impossible : {}", io_fr(&e))))?;
    let scan = scan(file.take(MAX_FILE_BYTES + 1), &name)?;
    if scan.len > MAX_FILE_BYTES {
        bail_user!(
            "{name} : plus de {MAX_FILE_BYTES} octets, plus que la limite d'un import (1 Gio)"
        );
    }
    if !scan.non_blank {
        bail_user!(
            "{name} : fichier vide, pas même la ligne des noms de colonnes ; vérifiez que c'est le bon fichier et qu'il a été enregistré"
        );
    }
    Ok(Input {
        path: path.to_path_buf(),
        name,
        len: scan.len,
        fingerprint: format!("{:016x}-{}", scan.hash, scan.len),
        encoding: scan.encoding,
        c1: scan.c1,
        latin9_marks: scan.latin9_marks,
    })
}

impl Input {
    /// The note printed when the file is not UTF-8.
    pub fn note(&self) -> Option<&'static str> {
        (self.encoding == Encoding::Windows1252)
            .then_some("Fichier lu en Windows-1252 (il n'est pas en UTF-8).")
    }

    /// The encoding of a FEC: a single-byte file is ISO-8859-15 when it writes € or œ
    /// the ISO way and nothing only Windows-1252 prints, else Windows-1252.
    pub fn fec_encoding(&self) -> Encoding {
        match self.encoding {
            Encoding::Windows1252 if !self.c1 && self.latin9_marks => Encoding::Iso8859_15,
            other => other,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file as UTF-8 text with LF line ends, BOM removed, streamed. `progress` shows
    /// how far the file has been read. The returned [`Lines`] gives the line of a byte
    /// offset of that text.
    pub fn text(&self, progress: Progress) -> Result<(Text<File>, Lines)> {
        let file = File::open(&self.path).map_err(|e| {
            user(format!(
                "lecture de {} impossible : {}",
                self.name,
                io_fr(&e)
            ))
        })?;
        Ok(text(file, self.encoding, progress))
    }
}

/// `raw` as UTF-8 text with LF line ends, BOM removed, and the lines of its offsets.
pub fn text<R: Read>(raw: R, encoding: Encoding, progress: Progress) -> (Text<R>, Lines) {
    {
        // `new_decoder` removes a BOM, and follows a UTF-16 one.
        let encoding = match encoding {
            Encoding::Windows1252 => WINDOWS_1252,
            Encoding::Iso8859_15 => ISO_8859_15,
            Encoding::Utf16 => UTF_16LE,
            Encoding::Utf8 => UTF_8,
        };
        let lines = Lines::default();
        let text = Text {
            inner: BufReader::with_capacity(CHUNK, raw),
            decoder: encoding.new_decoder(),
            pending: Vec::with_capacity(CHUNK * 3),
            at: 0,
            out_offset: 0,
            last_cr: false,
            eof: false,
            lines: lines.clone(),
            progress,
        };
        (text, lines)
    }
}

/// What one pass over the bytes found.
#[derive(Debug)]
struct Scan {
    len: u64,
    hash: u64,
    encoding: Encoding,
    /// Something else than a BOM, spaces and line ends.
    non_blank: bool,
    c1: bool,
    latin9_marks: bool,
}

/// Reads every byte once: fingerprint, encoding class, first line holding a byte that is
/// not UTF-8 when valid multi-byte sequences are also present.
fn scan(mut r: impl Read, name: &str) -> Result<Scan> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut len: u64 = 0;
    let mut buf = vec![0u8; CHUNK + 4];
    // Bytes of a UTF-8 sequence cut by the end of the previous read.
    let mut carry = 0usize;
    let mut multibyte = false;
    let mut first_invalid: Option<u64> = None;
    let mut lines = LineCount::default();
    let mut non_blank = false;
    let mut first = true;
    let mut utf16 = false;
    let mut c1 = false;
    let mut latin9_marks = false;
    loop {
        let n = r
            .read(&mut buf[carry..])
            .map_err(|e| user(format!("lecture de {name} impossible : {}", io_fr(&e))))?;
        let fresh = &buf[carry..carry + n];
        for &b in fresh {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        if !fresh.is_ascii() {
            c1 |= fresh.iter().any(|b| (0x80..=0x9F).contains(b));
            latin9_marks |= fresh
                .iter()
                .any(|b| matches!(b, 0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE));
        }
        len += n as u64;
        let end = carry + n;
        let mut data = &buf[..end];
        if first && end > 0 {
            first = false;
            if data.starts_with(b"\xFF\xFE") || data.starts_with(b"\xFE\xFF") {
                utf16 = true;
            }
            if let Some(rest) = data.strip_prefix(b"\xEF\xBB\xBF") {
                data = rest;
            }
        }
        if utf16 {
            non_blank |= n > 0;
            if n == 0 {
                break;
            }
            carry = 0;
            continue;
        }
        non_blank |= !data
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        // Classify the bytes; keep an incomplete sequence at the end for the next read.
        let mut pos = 0;
        let mut keep = 0;
        while pos < data.len() {
            match std::str::from_utf8(&data[pos..]) {
                Ok(s) => {
                    multibyte |= !s.is_ascii();
                    pos = data.len();
                }
                Err(e) => {
                    let valid = &data[pos..pos + e.valid_up_to()];
                    multibyte |= !valid.is_ascii();
                    match e.error_len() {
                        Some(bad) => {
                            if first_invalid.is_none() {
                                let at = pos + e.valid_up_to();
                                first_invalid = Some(lines.line_at(&data[..at]));
                            }
                            pos += e.valid_up_to() + bad;
                        }
                        None if n > 0 => {
                            keep = data.len() - pos - e.valid_up_to();
                            pos = data.len();
                        }
                        None => {
                            if first_invalid.is_none() {
                                first_invalid = Some(lines.line_at(&data[..pos + e.valid_up_to()]));
                            }
                            pos = data.len();
                        }
                    }
                }
            }
        }
        let counted = data.len() - keep;
        lines.feed(&data[..counted]);
        if n == 0 {
            break;
        }
        let start = end - keep;
        buf.copy_within(start..end, 0);
        carry = keep;
    }
    let encoding = if utf16 {
        Encoding::Utf16
    } else {
        match first_invalid {
            None => Encoding::Utf8,
            Some(_) if !multibyte => Encoding::Windows1252,
            Some(line) => bail_user!(
                "{name} : encodage mélangé, le fichier contient des caractères UTF-8 et, ligne {line}, un octet qui n'est pas de l'UTF-8 (Windows-1252 ?) ; réenregistrez-le tout en UTF-8 depuis le tableur (« CSV UTF-8 ») et relancez l'import"
            ),
        }
    };
    Ok(Scan {
        len,
        hash,
        encoding,
        non_blank,
        c1,
        latin9_marks,
    })
}

/// Counts lines ended by LF, CR LF or a lone CR, across reads.
#[derive(Default)]
struct LineCount {
    /// Line ends seen so far.
    ends: u64,
    /// The last byte fed was a CR: a LF right after it ends no new line.
    last_cr: bool,
}

impl LineCount {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.last_cr => {}
                b'\n' | b'\r' => self.ends += 1,
                _ => {}
            }
            self.last_cr = b == b'\r';
        }
    }

    /// The 1-based line of the byte right after `bytes`, without feeding them.
    fn line_at(&self, bytes: &[u8]) -> u64 {
        let mut probe = LineCount {
            ends: self.ends,
            last_cr: self.last_cr,
        };
        probe.feed(bytes);
        probe.ends + 1
    }
}

/// Offsets of the line ends in a [`Text`], read as the text is consumed: line numbers
/// follow the reading, whatever the size of the file.
#[derive(Clone, Default)]
pub struct Lines(Rc<RefCell<LineState>>);

#[derive(Default)]
struct LineState {
    /// Line ends read but not yet passed.
    ends: VecDeque<u64>,
    /// Line ends passed.
    passed: u64,
    /// The last offset asked for: where the current record starts.
    record_start: u64,
}

impl Lines {
    /// The 1-based line of the first character at or after `offset` that is not a line
    /// end. Offsets must not decrease from one call to the next.
    pub fn line_of(&self, offset: u64) -> u64 {
        let mut s = self.0.borrow_mut();
        s.record_start = offset;
        while s.ends.front().is_some_and(|&at| at < offset) {
            s.ends.pop_front();
            s.passed += 1;
        }
        // A record's position may point at the line ends before it (blank lines).
        let mut at = offset;
        while s.ends.front() == Some(&at) {
            s.ends.pop_front();
            s.passed += 1;
            at += 1;
        }
        s.passed + 1
    }
}

/// Largest record read: beyond, a quote was surely left open. Far above any field a
/// ledger accepts, so that a too long field meets its own limit and message.
pub const MAX_RECORD_BYTES: u64 = 32 << 20;

/// The error [`Text`] gives when a record passes [`MAX_RECORD_BYTES`].
#[derive(Debug)]
pub struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "enregistrement de plus de {MAX_RECORD_BYTES} octets")
    }
}

impl std::error::Error for RecordTooLong {}

/// A file decoded to UTF-8 with LF line ends, BOM removed, read in chunks.
pub struct Text<R> {
    inner: BufReader<R>,
    decoder: Decoder,
    /// Decoded bytes not yet handed out.
    pending: Vec<u8>,
    at: usize,
    /// Offset in the decoded text of `pending[0]`.
    out_offset: u64,
    last_cr: bool,
    eof: bool,
    lines: Lines,
    progress: Progress,
}

impl<R: Read> Text<R> {
    /// Reads and decodes the next chunk into `pending`.
    fn refill(&mut self) -> io::Result<()> {
        self.out_offset += self.pending.len() as u64;
        self.pending.clear();
        self.at = 0;
        let mut raw = [0u8; CHUNK];
        let n = self.inner.read(&mut raw)?;
        self.progress.advance(n as u64);
        let last = n == 0;
        let mut decoded =
            String::with_capacity(self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3));
        let (_, _, _) = self.decoder.decode_to_string(&raw[..n], &mut decoded, last);
        // CR LF and a lone CR become LF: one line end, one byte, counted once.
        for &b in decoded.as_bytes() {
            match b {
                b'\n' if self.last_cr => {}
                b'\r' | b'\n' => {
                    self.lines
                        .0
                        .borrow_mut()
                        .ends
                        .push_back(self.out_offset + self.pending.len() as u64);
                    self.pending.push(b'\n');
                }
                _ => self.pending.push(b),
            }
            self.last_cr = b == b'\r';
        }
        self.eof = last;
        Ok(())
    }
}

impl<R: Read> Read for Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.pending.len() {
            let read = self.out_offset + self.pending.len() as u64;
            if read - self.lines.0.borrow().record_start.min(read) > MAX_RECORD_BYTES {
                return Err(io::Error::other(RecordTooLong));
            }
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A progress bar on standard error, shown only when it is a terminal and once the work
/// has taken more than a second.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Progress {
    /// `len`: the units of work (bytes of the file, entries); `what`: the French word shown.
    pub fn new(len: u64, what: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(len),
                indicatif::ProgressDrawTarget::hidden(),
            );
            let style = indicatif::ProgressStyle::with_template(&format!(
                "{what} {{bar:40}} {{percent:>3}} % {{eta}}"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }

    /// No bar at all.
    pub fn none() -> Progress {
        Progress {
            bar: None,
            started: Instant::now(),
            shown: false,
        }
    }

    pub fn advance(&mut self, n: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n);
        if !self.shown && self.started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    pub fn set(&mut self, pos: u64) {
        let Some(bar) = &self.bar else { return };
        let done = bar.position();
        self.advance(pos.saturating_sub(done));
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(bytes: &[u8]) -> Result<Scan> {
        scan(bytes, "f.csv")
    }

    #[test]
    fn encodings() {
        assert_eq!(
            scanned(b"nom\nCr\xc3\xa9teil").unwrap().encoding,
            Encoding::Utf8
        );
        assert_eq!(
            scanned(b"\xEF\xBB\xBFnom\nx").unwrap().encoding,
            Encoding::Utf8
        );
        assert_eq!(
            scanned(b"nom\nCr\xe9teil").unwrap().encoding,
            Encoding::Windows1252
        );
        let mixed = scanned(b"nom\nCr\xc3\xa9teil\r\nb\rCr\xe9teil").unwrap_err();
        assert!(format!("{mixed:#}").contains("ligne 4"), "{mixed:#}");
        // A sequence cut by the end of a read is still valid.
        let mut long = vec![b'a'; CHUNK + 3 - 1];
        long.extend_from_slice("é\n".as_bytes());
        assert_eq!(scanned(&long).unwrap().encoding, Encoding::Utf8);
    }

    #[test]
    fn blank_files_and_fingerprint() {
        assert!(!scanned(b"").unwrap().non_blank);
        assert!(!scanned(b"\xEF\xBB\xBF\r\n \n").unwrap().non_blank);
        assert!(scanned(b"a").unwrap().non_blank);
        let s = scanned(b"a").unwrap();
        assert_eq!(s.hash, crate::domain::fingerprint::fnv1a(b"a"));
        assert_eq!(s.len, 1);
    }

    #[test]
    fn line_ends() {
        let mut c = LineCount::default();
        c.feed(b"a\r\nb\rc\nd\r");
        assert_eq!(c.line_at(b"\n"), 5);
        assert_eq!(c.line_at(b"x"), 5);
    }
}
