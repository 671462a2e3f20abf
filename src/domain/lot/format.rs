//! The batch file: JSON lines between a header and a digest line.

use super::{Change, Identite};
use crate::bail_user;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};

/// What the first line says a file is.
pub const FORMAT: &str = "ici-lot";
/// The version this build writes and the highest it reads.
pub const VERSION: u32 = 1;

/// The first line of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// The ledger that wrote it.
    pub origine: String,
    /// When it was written (UTC).
    pub fait_le: String,
    pub changements: usize,
    pub identites: usize,
}

/// One line between the header and the digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Line {
    #[serde(rename = "c")]
    Change(Change),
    #[serde(rename = "i")]
    Identite(Identite),
}

/// A line to write, borrowed: serialised as [`Line`].
#[derive(Serialize)]
enum LineRef<'a> {
    #[serde(rename = "c")]
    Change(&'a Change),
    #[serde(rename = "i")]
    Identite(&'a Identite),
}

/// A batch as read, checked whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub header: Header,
    pub changes: Vec<Change>,
    pub identites: Vec<Identite>,
}

/// Writes a batch line by line (the header first, so its counts are known before),
/// keeping the digest of every byte; [`Writer::finish`] adds the digest line.
pub struct Writer<'w> {
    out: &'w mut dyn Write,
    hasher: Sha256,
    buf: Vec<u8>,
}

impl<'w> Writer<'w> {
    pub fn start(
        out: &'w mut dyn Write,
        origine: &str,
        fait_le: &str,
        changements: usize,
        identites: usize,
    ) -> Result<Self> {
        let mut w = Writer {
            out,
            hasher: Sha256::new(),
            buf: Vec::with_capacity(1024),
        };
        let header = Header {
            format: FORMAT.into(),
            version: VERSION,
            origine: origine.into(),
            fait_le: fait_le.into(),
            changements,
            identites,
        };
        w.put(&header)?;
        Ok(w)
    }

    fn put(&mut self, v: &impl Serialize) -> Result<()> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, v)?;
        self.buf.push(b'\n');
        self.hasher.update(&self.buf);
        self.out.write_all(&self.buf)?;
        Ok(())
    }

    pub fn change(&mut self, c: &Change) -> Result<()> {
        self.put(&LineRef::Change(c))
    }

    pub fn identity(&mut self, i: &Identite) -> Result<()> {
        self.put(&LineRef::Identite(i))
    }

    pub fn finish(self) -> Result<()> {
        writeln!(self.out, "sha256 {}", hex(&self.hasher.finalize()))?;
        Ok(())
    }
}

/// Writes a whole batch held in memory.
pub fn write(
    out: &mut dyn Write,
    origine: &str,
    fait_le: &str,
    changes: &[Change],
    identites: &[Identite],
) -> Result<()> {
    let mut w = Writer::start(out, origine, fait_le, changes.len(), identites.len())?;
    for c in changes {
        w.change(c)?;
    }
    for i in identites {
        w.identity(i)?;
    }
    w.finish()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const NOTHING: &str = "rien n'a été importé";

fn not_a_batch(name: &str) -> anyhow::Error {
    crate::error::user(format!(
        "{name} n'est pas un lot ici (fichier écrit par `ici lot export`) : {NOTHING}"
    ))
}

/// First pass over a batch, streaming: refuses it whole if it is cut short, altered,
/// or not a batch; its header. Nothing of it is kept but the line being read.
pub fn verify(r: &mut dyn BufRead, name: &str) -> Result<Header> {
    let mut hasher = Sha256::new();
    let mut first: Option<Vec<u8>> = None;
    // The line read last: hashed once another line follows it (the last one is the
    // digest line, outside the digest).
    let mut pending: Vec<u8> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut lines = 0usize;
    let mut utf8 = true;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if lines > 0 {
            hasher.update(&pending);
            utf8 &= std::str::from_utf8(&pending).is_ok();
        }
        if lines == 0 {
            first = Some(line.clone());
        }
        lines += 1;
        std::mem::swap(&mut pending, &mut line);
    }
    let first = first.unwrap_or_default();
    let digest = (lines >= 2)
        .then_some(pending.as_slice())
        .and_then(|l| l.strip_prefix(b"sha256 "))
        .and_then(|l| l.strip_suffix(b"\n"));
    let Some(digest) = digest else {
        if !first.starts_with(b"{\"format\":\"ici-lot\"") {
            return Err(not_a_batch(name));
        }
        bail_user!(
            "le lot {name} est incomplet : il a été coupé avant sa fin (sa ligne de contrôle manque) ; {NOTHING}. Demandez un nouvel envoi du lot (`ici lot export`)"
        );
    };
    if hex(&hasher.finalize()).as_bytes() != digest {
        bail_user!(
            "le lot {name} a été modifié ou abîmé depuis son export (sa somme de contrôle ne correspond plus) ; {NOTHING}. Demandez un nouvel envoi du lot (`ici lot export`)"
        );
    }
    if !utf8 {
        bail_user!("le lot {name} n'est pas du texte UTF-8 ; {NOTHING}");
    }
    let header: Header = std::str::from_utf8(&first)
        .ok()
        .and_then(|l| serde_json::from_str(l.trim_end()).ok())
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| not_a_batch(name))?;
    if header.version > VERSION {
        bail_user!(
            "le lot {name} est au format {} , écrit par une version plus récente d'ici (celle-ci lit jusqu'au format {VERSION}) ; {NOTHING}. Mettez ici à jour",
            header.version
        );
    }
    Ok(header)
}

/// Second pass over a batch [`verify`] accepted: hands each line between the header
/// and the digest to `each`, one at a time, then checks the counts the header gave.
pub fn read_lines(
    r: &mut dyn BufRead,
    header: &Header,
    name: &str,
    each: &mut dyn FnMut(Line) -> Result<()>,
) -> Result<()> {
    let mut text = String::new();
    let mut number = 0usize;
    let (mut changes, mut identites) = (0usize, 0usize);
    loop {
        text.clear();
        if r.read_line(&mut text)? == 0 {
            break;
        }
        number += 1;
        if number == 1 || text.starts_with("sha256 ") {
            continue;
        }
        match serde_json::from_str::<Line>(text.trim_end()) {
            Ok(l) => {
                match l {
                    Line::Change(_) => changes += 1,
                    Line::Identite(_) => identites += 1,
                }
                each(l)?;
            }
            Err(e) => bail_user!("le lot {name}, ligne {number} : illisible ({e}) ; {NOTHING}"),
        }
    }
    if changes != header.changements || identites != header.identites {
        bail_user!(
            "le lot {name} annonce {} changement(s) et {} identité(s) mais en contient {changes} et {identites} ; {NOTHING}",
            header.changements,
            header.identites,
        );
    }
    Ok(())
}

/// Reads a whole batch held in memory (both passes).
pub fn read(bytes: &[u8], name: &str) -> Result<Batch> {
    let header = verify(&mut &bytes[..], name)?;
    let mut batch = Batch {
        header: header.clone(),
        changes: Vec::new(),
        identites: Vec::new(),
    };
    read_lines(&mut &bytes[..], &header, name, &mut |l| {
        match l {
            Line::Change(c) => batch.changes.push(c),
            Line::Identite(i) => batch.identites.push(i),
        }
        Ok(())
    })?;
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let c = Change {
            origine: "AA".into(),
            numero: 1,
            fait_le: "2026-01-01T10:00:00.000Z".into(),
            quoi: "projet".into(),
            cible: "01".into(),
            genre: "ecrit".into(),
            donnees: serde_json::json!({"nom": "NET94"}).as_object().cloned(),
        };
        let mut out = Vec::new();
        write(&mut out, "AA", "2026-01-02T00:00:00Z", &[c], &[]).unwrap();
        out
    }

    #[test]
    fn a_batch_reads_back_as_written() {
        let b = read(&sample(), "l.lot").unwrap();
        assert_eq!(b.changes.len(), 1);
        assert_eq!(b.changes[0].donnees.as_ref().unwrap()["nom"], "NET94");
    }

    #[test]
    fn a_batch_cut_short_or_altered_is_refused() {
        let full = sample();
        for cut in [full.len() - 1, full.len() - 20, full.len() / 2, 10] {
            let e = read(&full[..cut], "l.lot").unwrap_err().to_string();
            assert!(
                e.contains("l.lot") && e.contains("rien n'a été importé"),
                "{cut}: {e}"
            );
        }
        let altered = String::from_utf8(full).unwrap().replace("NET94", "NET95");
        let e = read(altered.as_bytes(), "l.lot").unwrap_err().to_string();
        assert!(e.contains("modifié ou abîmé"), "{e}");
    }
}
