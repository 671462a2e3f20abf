//! `ici export fec ANNEE --siren N`: the year's books as a FEC (18 columns, tab,
//! YYYYMMDD dates, decimal comma), named `<SIREN>FEC<AAAAMMJJ>.txt`, that
//! `ici import fec` reads back with the same figures.

use crate::bail_user;
use crate::db::finances;
use crate::domain::date::parse_year;
use crate::domain::fec;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(
    conn: &Connection,
    annee: Option<&str>,
    siren: Option<&str>,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(annee) = annee else {
        bail_user!("indiquez l'exercice : `ici export fec 2017 --siren NNNNNNNNN`");
    };
    let annee = parse_year(annee)?;
    crate::cmd::verifie::require_clean(conn, &format!("FEC {annee} non écrit"))?;
    let Some(siren) = siren else {
        bail_user!(
            "--siren manquant : le FEC porte le SIREN de l'association (9 chiffres), par exemple --siren 123456782"
        );
    };
    fec::check_siren(siren)?;
    let closing = NaiveDate::from_ymd_opt(annee, 12, 31).expect("31 December exists");
    let entries = finances::fec_entries(conn, annee)?;
    if entries.is_empty() {
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
    let mut buf = Vec::new();
    fec::write(&entries, &mut buf)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            crate::error::user(format!("{} : {}", path.display(), crate::error::io_fr(&e)))
        })?;
    file.write_all(&buf)
        .with_context(|| format!("écriture de {}", path.display()))?;
    let lines: usize = entries.iter().map(|e| e.lines.len()).sum();
    writeln!(
        out,
        "FEC {annee} écrit : {} ({} écriture(s), {lines} ligne(s)).",
        path.display(),
        entries.len()
    )?;
    Ok(())
}
