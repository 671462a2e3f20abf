//! `ici export fec ANNEE --siren N`: the year's books as a FEC (18 columns, tab,
//! YYYYMMDD dates, decimal comma), named `<SIREN>FEC<AAAAMMJJ>.txt`, that
//! `ici import fec` reads back with the same figures.

use crate::bail_user;
use crate::domain::date::parse_year;
use crate::domain::fec::{self, Charset};
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
    encodage: &str,
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
    // The accountant's own file has the same official name: never overwrite it. Since
    // the file appears only once complete, a failed run (a character ISO-8859-15 cannot
    // hold) leaves nothing in the way. Rows are written as they are read.
    let dest = output::check(
        &path,
        ledger,
        Existing::Keep("peut-être le FEC du cabinet, qui porte le même nom"),
    )?;
    let (count, lines) = output::write_file(&dest, |w| {
        let (mut count, mut lines) = (0usize, 0usize);
        let mut writer = fec::Writer::new(w, charset)?;
        crate::db::fec_export::for_each_fec_entry(conn, annee, &mut |e| {
            count += 1;
            lines += e.lines.len();
            writer.entry(&e)
        })?;
        writer.finish()?;
        Ok((count, lines))
    })?;
    writeln!(
        out,
        "FEC {annee} écrit : {} ({} écriture(s), {lines} ligne(s)).",
        path.display(),
        count
    )?;
    Ok(dest.absolute().to_path_buf())
}
