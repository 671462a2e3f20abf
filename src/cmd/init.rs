//! `ici init`: creates the ledger file, or says it is already there.

use crate::cmd::Ctx;
use crate::db::{InitOutcome, Ledger};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args, out: &mut dyn Write) -> Result<()> {
    let path = ctx.ledger_path()?;
    match Ledger::init(&path)? {
        InitOutcome::Created => writeln!(
            out,
            "Registre créé : {}\nIl contiendra des données personnelles : il n'est lisible que par vous (droits 0600).",
            path.display()
        )?,
        InitOutcome::AlreadyThere {
            version,
            migrated_from: None,
            ..
        } => writeln!(
            out,
            "Le registre existe déjà : {} (schéma {version}). Rien n'a été modifié.",
            path.display()
        )?,
        InitOutcome::AlreadyThere {
            version,
            migrated_from: Some(from),
            notes,
        } => {
            writeln!(
                out,
                "Le registre existe déjà : {}. Il a été mis à jour du schéma {from} au schéma {version}, sans perte.",
                path.display()
            )?;
            // Like every opening's migration report, on standard error.
            for note in notes {
                eprintln!("{note}");
            }
        }
    }
    Ok(())
}
