//! `ici export fec ANNEE --siren N`: the year's books as a FEC (18 columns, tab,
//! YYYYMMDD dates, decimal comma), named `<SIREN>FEC<AAAAMMJJ>.txt`, that
//! `ici import fec` reads back with the same figures.

use crate::bail_user;
use crate::domain::date::parse_year;
use crate::domain::fec::{self, Charset};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(
    conn: &Connection,
    annee: Option<&str>,
    siren: Option<&str>,
    encodage: &str,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(annee) = annee else {
        bail_user!("indiquez l'exercice : `ici export fec 2017 --siren NNNNNNNNN`");
    };
    let annee = parse_year(annee)?;
    let Some(siren) = siren else {
        bail_user!(
            "--siren manquant : le FEC porte le SIREN de l'association (9 chiffres), par exemple --siren 123456782"
        );
    };
    fec::check_siren(siren)?;
    let charset = match encodage.trim().to_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" => Charset::Utf8,
        "iso-8859-15" | "latin-9" | "latin9" => Charset::Iso8859_15,
        other => bail_user!(
            "--encodage « {other} » : le FEC s'écrit en utf-8 (par défaut) ou en iso-8859-15"
        ),
    };
    let closing = NaiveDate::from_ymd_opt(annee, 12, 31).expect("31 December exists");
    let has_entries = conn
        .prepare("SELECT 1 FROM ecriture WHERE date >= ?1 AND date < ?2 LIMIT 1")?
        .exists(rusqlite::params![
            format!("{annee}-01-01"),
            format!("{}-01-01", annee + 1)
        ])?;
    if !has_entries {
        bail_user!("aucune écriture en {annee} : pas de FEC à écrire");
    }
    let name = fec::file_name(siren, closing);
    let path: PathBuf = match output {
        Some(p) if p.is_dir() => p.join(&name),
        Some(p) => p.to_path_buf(),
        None => PathBuf::from(&name),
    };
    // The accountant's own file has the same official name: never overwrite it.
    if path.exists() {
        bail_user!(
            "{} existe déjà (peut-être le FEC du cabinet, qui porte le même nom) : rien n'a été écrit. Choisissez un autre dossier ou nom avec -o.",
            path.display()
        );
    }
    // Rows are written as they are read, into a file of its own that takes the
    // official name only once complete: a refused line leaves nothing behind.
    let tmp = path.with_extension("txt.partiel");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| {
            crate::error::user(format!("{} : {}", tmp.display(), crate::error::io_fr(&e)))
        })?;
    let (mut count, mut lines) = (0usize, 0usize);
    let written = (|| -> Result<()> {
        let mut file = file;
        let mut w = fec::Writer::new(&mut file, charset)?;
        crate::db::fec_export::for_each_fec_entry(conn, annee, &mut |e| {
            count += 1;
            lines += e.lines.len();
            w.entry(&e)
        })?;
        w.finish()?;
        file.sync_all()?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    publish(&tmp, &path)?;
    writeln!(
        out,
        "FEC {annee} écrit : {} ({} écriture(s), {lines} ligne(s)).",
        path.display(),
        count
    )?;
    Ok(())
}

/// Gives the complete file its name, never over an existing file (the accountant's own
/// FEC has the same name): a hard link fails if the name is taken; on a file system
/// without hard links (a FAT USB key), a rename after checking the name is free.
fn publish(tmp: &Path, path: &Path) -> Result<()> {
    let named = match std::fs::hard_link(tmp, path) {
        Ok(()) => {
            std::fs::remove_file(tmp).with_context(|| format!("suppression de {}", tmp.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(crate::error::user(format!(
                "{} existe déjà : rien n'a été écrit. Choisissez un autre dossier ou nom avec -o.",
                path.display()
            )))
        }
        Err(_) if !path.exists() => {
            std::fs::rename(tmp, path).with_context(|| format!("écriture de {}", path.display()))
        }
        Err(e) => Err(crate::error::user(format!(
            "{} : {}",
            path.display(),
            crate::error::io_fr(&e)
        ))),
    };
    if named.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    named
}
