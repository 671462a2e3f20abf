//! `ici export fec ANNEE --siren N`: the year's books as a FEC (18 columns, tab,
//! YYYYMMDD dates, decimal comma), named `<SIREN>FEC<AAAAMMJJ>.txt`, that
//! `ici import fec` reads back with the same figures.

use crate::bail_user;
use crate::db::finances;
use crate::domain::date::parse_year;
use crate::domain::fec;
use crate::output::{self, Existing};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes the FEC and returns its path, folder resolved, for the export log.
pub fn run(
    conn: &Connection,
    ledger: &Path,
    annee: Option<&str>,
    siren: Option<&str>,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<PathBuf> {
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
    // The accountant's own file has the same official name: never overwrite it. Since
    // the file appears only once complete, a failed run leaves nothing in the way.
    let dest = output::check(
        &path,
        ledger,
        Existing::Keep("peut-être le FEC du cabinet, qui porte le même nom"),
    )?;
    output::write_file(&dest, |w| fec::write(&entries, w))?;
    let lines: usize = entries.iter().map(|e| e.lines.len()).sum();
    writeln!(
        out,
        "FEC {annee} écrit : {} ({} écriture(s), {lines} ligne(s)).",
        path.display(),
        entries.len()
    )?;
    Ok(dest.absolute().to_path_buf())
}
