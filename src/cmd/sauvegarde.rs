//! `ici sauvegarde [-o FICHIER]`: a full copy of the ledger as of one moment, made
//! while others may be writing, checked once written, and named by date next to the
//! ledger unless told otherwise.

use crate::cmd::Ctx;
use crate::cmd::export::note;
use crate::db::backup;
use crate::domain::money::group_thousands;
use crate::output::{self, Existing, Pending};
use anyhow::Result;
use rusqlite::ErrorCode;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "La copie est un registre complet : `ici --ledger COPIE stats 2017` la lit.\nPour restaurer : voir « Sauvegarde et restauration » dans le README.\n\nExemples :\n  ici sauvegarde\n  ici sauvegarde -o /media/cle-usb/"
)]
pub struct Args {
    /// Fichier à écrire, ou dossier où l'écrire (par défaut : à côté du registre,
    /// <registre>-sauvegarde-AAAA-MM-JJ.sqlite)
    #[arg(short = 'o', long = "output", value_name = "FICHIER")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let ledger_path = ctx.ledger_path()?;
    let mut ledger = ctx.open()?;
    let now = chrono::Local::now();
    let stem = ledger_path
        .file_stem()
        .map_or_else(|| "registre".into(), |s| s.to_string_lossy());
    let dated = format!("{stem}-sauvegarde-{}.sqlite", now.format("%Y-%m-%d"));
    let timed = format!("{stem}-sauvegarde-{}.sqlite", now.format("%Y-%m-%d-%H%M%S"));
    // A name of its own making never replaces an earlier backup; a name the user
    // gives replaces a file that is not a database.
    let (path, existing) = match &a.output {
        Some(p) if !p.is_dir() => (p.clone(), Existing::Replace),
        chosen => {
            let dir = match chosen {
                Some(dir) => dir.clone(),
                None => ledger_path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            };
            let first = dir.join(&dated);
            let path = if first.symlink_metadata().is_ok() {
                dir.join(&timed)
            } else {
                first
            };
            (
                path,
                Existing::Keep("une sauvegarde faite à la même seconde ; relancez"),
            )
        }
    };
    let dest = output::check(&path, &ledger_path, existing)?;
    let pending = Pending::create(&dest)?;
    let contents = backup::copy(ledger.conn(), pending.temp_path())
        .and_then(|c| backup::verify(pending.temp_path(), &c).map(|()| c))
        .map_err(|e| backup_error(dest.path(), e))?;
    let size = pending.commit()?;
    writeln!(
        out,
        "Sauvegarde écrite : {} ({} octets, lisible par vous seul).",
        dest.path().display(),
        group_thousands(size)
    )?;
    writeln!(
        out,
        "Elle contient {} session(s), {} écriture(s), {} participant(s) ; contrôle d'intégrité : ok.",
        group_thousands(contents.rows("session").unsigned_abs()),
        group_thousands(contents.rows("ecriture").unsigned_abs()),
        group_thousands(contents.rows("participant").unsigned_abs()),
    )?;
    // A backup holds everything, identities included.
    note(&mut ledger, "sauvegarde", Some(dest.absolute()), true);
    Ok(())
}

/// SQLite's failures while writing the copy, in French; nothing was kept.
fn backup_error(dest: &Path, e: anyhow::Error) -> anyhow::Error {
    let code = e
        .chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>())
        .and_then(rusqlite::Error::sqlite_error);
    let what = match code {
        None => return e,
        Some(f) if f.code == ErrorCode::DiskFull => {
            "disque plein. Libérez de la place ou écrivez sur un autre disque avec -o, puis relancez"
                .to_string()
        }
        Some(f) if f.code == ErrorCode::SystemIoFailure => "erreur d'écriture (disque plein, taille maximale de fichier atteinte — `ulimit -f` ou 4 Go sur une clé FAT32 —, ou support retiré). Écrivez sur un autre disque avec -o, puis relancez".to_string(),
        Some(f) if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "le registre est resté occupé par un autre ici trop longtemps. Relancez".to_string()
        }
        Some(f) => format!("erreur SQLite n° {}. Relancez", f.extended_code),
    };
    anyhow::anyhow!(
        "sauvegarde dans {} impossible : {what}. Rien n'a été écrit.",
        dest.display()
    )
}
