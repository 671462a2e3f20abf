//! The batch file: JSON lines between a header and a digest line.

use super::{Change, Identite};
use crate::bail_user;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;

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
enum Line {
    #[serde(rename = "c")]
    Change(Change),
    #[serde(rename = "i")]
    Identite(Identite),
}

/// A batch as read, checked whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub header: Header,
    pub changes: Vec<Change>,
    pub identites: Vec<Identite>,
}

/// Writes a batch: header, lines, digest of all that.
pub fn write(
    out: &mut dyn Write,
    origine: &str,
    fait_le: &str,
    changes: &[Change],
    identites: &[Identite],
) -> Result<()> {
    let mut hasher = Sha256::new();
    let mut put = |line: Vec<u8>, out: &mut dyn Write| -> Result<()> {
        hasher.update(&line);
        hasher.update(b"\n");
        out.write_all(&line)?;
        out.write_all(b"\n")?;
        Ok(())
    };
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        origine: origine.into(),
        fait_le: fait_le.into(),
        changements: changes.len(),
        identites: identites.len(),
    };
    put(serde_json::to_vec(&header)?, out)?;
    for c in changes {
        put(serde_json::to_vec(&Line::Change(c.clone()))?, out)?;
    }
    for i in identites {
        put(serde_json::to_vec(&Line::Identite(i.clone()))?, out)?;
    }
    writeln!(out, "sha256 {}", hex(&hasher.finalize()))?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a batch, refusing it whole if it is cut short, altered, or not a batch.
/// `name` is the file's name as typed, for the messages.
pub fn read(bytes: &[u8], name: &str) -> Result<Batch> {
    let nothing = "rien n'a été importé";
    let body_end = bytes
        .strip_suffix(b"\n")
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map(|i| i + 1);
    let last = body_end.map(|i| &bytes[i..]);
    let digest = last
        .and_then(|l| l.strip_prefix(b"sha256 "))
        .and_then(|l| l.strip_suffix(b"\n"));
    let (Some(end), Some(digest)) = (body_end, digest) else {
        if !bytes.starts_with(b"{\"format\":\"ici-lot\"") {
            bail_user!(
                "{name} n'est pas un lot ici (fichier écrit par `ici lot export`) : {nothing}"
            );
        }
        bail_user!(
            "le lot {name} est incomplet : il a été coupé avant sa fin (sa ligne de contrôle manque) ; {nothing}. Demandez un nouvel envoi du lot (`ici lot export`)"
        );
    };
    let body = &bytes[..end];
    if hex(&Sha256::digest(body)).as_bytes() != digest {
        bail_user!(
            "le lot {name} a été modifié ou abîmé depuis son export (sa somme de contrôle ne correspond plus) ; {nothing}. Demandez un nouvel envoi du lot (`ici lot export`)"
        );
    }
    let text = std::str::from_utf8(body).map_err(|_| {
        crate::error::user(format!(
            "le lot {name} n'est pas du texte UTF-8 ; {nothing}"
        ))
    })?;
    let mut lines = text.lines();
    let header: Header = lines
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| {
            crate::error::user(format!(
                "{name} n'est pas un lot ici (fichier écrit par `ici lot export`) : {nothing}"
            ))
        })?;
    if header.version > VERSION {
        bail_user!(
            "le lot {name} est au format {} , écrit par une version plus récente d'ici (celle-ci lit jusqu'au format {VERSION}) ; {nothing}. Mettez ici à jour",
            header.version
        );
    }
    let mut batch = Batch {
        header,
        changes: Vec::new(),
        identites: Vec::new(),
    };
    for (i, l) in lines.enumerate() {
        match serde_json::from_str::<Line>(l) {
            Ok(Line::Change(c)) => batch.changes.push(c),
            Ok(Line::Identite(p)) => batch.identites.push(p),
            Err(e) => bail_user!(
                "le lot {name}, ligne {} : illisible ({e}) ; {nothing}",
                i + 2
            ),
        }
    }
    if batch.changes.len() != batch.header.changements
        || batch.identites.len() != batch.header.identites
    {
        bail_user!(
            "le lot {name} annonce {} changement(s) et {} identité(s) mais en contient {} et {} ; {nothing}",
            batch.header.changements,
            batch.header.identites,
            batch.changes.len(),
            batch.identites.len()
        );
    }
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
