//! `ici lot export` and `ici lot import`: batches of changes carried between the
//! ledgers of several laptops (by e-mail, USB stick or shared folder), merged without
//! duplicates. The format and the merge rules live in `domain::lot`, the journal and
//! the applying in `db::lot`.

use crate::cmd::Ctx;
use crate::cmd::export::note;
use crate::db::lot::{self, apply};
use crate::domain::lot::format;
use crate::output::{self, Existing};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Écrit dans un fichier les changements que le destinataire n'a pas encore reçus
    #[command(
        after_help = "Exemples :\n  ici lot export -o lundi.lot --pour coordination\n  ici lot export -o tout.lot --tout\n\nLe fichier (droits 0600) se transmet par courriel, clé USB ou dossier partagé ; le destinataire l'importe avec `ici lot import FICHIER`. Il ne contient les noms et coordonnées des personnes qu'avec --avec-identite."
    )]
    Export(ExportArgs),
    /// Applique un lot reçu d'un autre poste (en une fois ; le réimporter n'ajoute rien)
    #[command(after_help = "Exemple :\n  ici lot import lundi.lot")]
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Fichier à écrire
    #[arg(short = 'o', long = "output", value_name = "FICHIER")]
    pub output: PathBuf,
    /// Destinataire : le lot contient ce qui ne lui a pas encore été envoyé (sans --pour :
    /// ce qui n'est encore dans aucun lot fait sans --pour)
    #[arg(long, value_name = "NOM")]
    pub pour: Option<String>,
    /// Tous les changements du registre, déjà envoyés ou non
    #[arg(long)]
    pub tout: bool,
    /// Joindre les noms et coordonnées des participants (données personnelles)
    #[arg(long)]
    pub avec_identite: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Le lot à importer
    #[arg(value_name = "FICHIER")]
    pub fichier: PathBuf,
}

pub fn run(ctx: &Ctx, c: Commande, out: &mut dyn Write) -> Result<()> {
    match c {
        Commande::Export(a) => export(ctx, a, out),
        Commande::Import(a) => import(ctx, a, out),
    }
}

fn export(ctx: &Ctx, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let ledger_path = ctx.ledger_path()?;
    let dest = output::check(&a.output, &ledger_path, Existing::Replace)?;
    let mut ledger = ctx.open()?;
    let destination = a.pour.as_deref().map(str::trim).unwrap_or("");
    let conn = ledger.conn();
    // One view of the ledger for the whole file: the count the header announces and
    // the changes that follow agree even if another command writes meanwhile.
    let view = conn.unchecked_transaction()?;
    let origine = lot::origine(conn)?;
    let count = lot::count_to_send(conn, destination, a.tout)?;
    let identites = if a.avec_identite {
        lot::count_identities(conn)?
    } else {
        0
    };
    let fait_le = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let upto = output::write_file(&dest, |w| {
        let mut batch = format::Writer::start(w, &origine, &fait_le, count, identites)?;
        let upto = lot::to_send(conn, destination, a.tout, &mut |c| batch.change(c))?;
        if a.avec_identite {
            lot::identities(conn, &mut |i| batch.identity(i))?;
        }
        batch.finish()?;
        Ok(upto)
    })?;
    view.commit()?;
    ledger.write(|tx| lot::note_sent(tx, destination, &upto))?;
    // Codes, profiles and attendance are personal data, even without names.
    note(&mut ledger, "lot", Some(dest.absolute()), true);
    let pour = if destination.is_empty() {
        String::new()
    } else {
        format!(" pour {destination}")
    };
    writeln!(
        out,
        "Lot écrit{pour} : {} ({} changement(s){}).",
        dest.path().display(),
        count,
        if a.avec_identite {
            format!(", {identites} identité(s)")
        } else {
            ", sans identité".to_string()
        }
    )?;
    Ok(())
}

/// Conflicts listed one by one after an import; beyond, their count.
const SHOWN: usize = 30;

fn import(ctx: &Ctx, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let name = a.fichier.display().to_string();
    // A regular file, not over the import limit.
    crate::input::open(&a.fichier)?;
    let open = || -> Result<std::io::BufReader<std::fs::File>> {
        let f =
            std::fs::File::open(&a.fichier).with_context(|| format!("lecture du lot {name}"))?;
        Ok(std::io::BufReader::with_capacity(1 << 16, f))
    };
    // Checked whole first (digest, counts), then applied line by line.
    let header = format::verify(&mut open()?, &name)?;
    let mut ledger = ctx.open()?;
    let report = ledger.write(|tx| {
        let mut import = apply::Import::start(tx)?;
        format::read_lines(&mut open()?, &header, &name, &mut |l| match l {
            format::Line::Change(c) => import.change(&c),
            format::Line::Identite(i) => import.identity(i),
        })?;
        import.finish()
    })?;
    let nouveaux: usize = report.nouveaux.values().sum();
    if nouveaux == 0 {
        writeln!(
            out,
            "Lot {name} : rien de nouveau ({} changement(s) déjà reçus).",
            report.connus
        )?;
    } else {
        let detail: Vec<String> = report
            .nouveaux
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        let crees: Vec<String> = report
            .crees
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        writeln!(
            out,
            "Lot {name} importé : {nouveaux} changement(s) nouveau(x) ({}), {} déjà reçu(s).",
            detail.join(", "),
            report.connus
        )?;
        if !crees.is_empty() {
            writeln!(out, "Ajouté(s) : {}.", crees.join(", "))?;
        }
    }
    if !report.conflits.is_empty() {
        writeln!(out, "À regarder ({}) :", report.conflits.len())?;
        for c in report.conflits.iter().take(SHOWN) {
            writeln!(out, "  - {c}")?;
        }
        if report.conflits.len() > SHOWN {
            writeln!(out, "  … et {} autre(s).", report.conflits.len() - SHOWN)?;
        }
    }
    Ok(())
}
