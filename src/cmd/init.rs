//! `ici init`: creates the ledger file, or says it is already there; with
//! `--territoire`, records the home territory in the new ledger.

use crate::cmd::Ctx;
use crate::db::{InitOutcome, Ledger, territoire};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemple :\n  ici init --territoire 94,93,75\n\nLe territoire départage les communes de même nom : avec 94, « Fresnes » est Fresnes (94034). Il se change avec `ici territoire`."
)]
pub struct Args {
    /// Départements où l'association intervient, séparés par des virgules (94,93,75)
    #[arg(long, value_name = "DÉPARTEMENTS")]
    pub territoire: Option<String>,
    /// Préfixe des codes de participants de ce poste (deux ou trois lettres : AB donne
    /// AB-0001), pour que deux ordinateurs ne donnent jamais le même code
    #[arg(long, value_name = "LETTRES")]
    pub poste: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args, out: &mut dyn Write) -> Result<()> {
    let path = ctx.ledger_path()?;
    let territoire = args
        .territoire
        .as_deref()
        .map(territoire::parse_departements)
        .transpose()?;
    let poste = args
        .poste
        .as_deref()
        .map(crate::domain::participant::parse_poste)
        .transpose()?;
    if let (Some(p), true) = (&poste, path.exists()) {
        crate::bail_user!(
            "le registre {} existe déjà : rien n'a été modifié. Le préfixe de poste ({p}) se choisit à la création du registre, avant le premier code donné",
            path.display()
        );
    }
    if territoire.is_some() && path.exists() {
        crate::bail_user!(
            "le registre {} existe déjà : rien n'a été modifié. Pour changer son territoire : `ici territoire {}`",
            path.display(),
            args.territoire.as_deref().unwrap_or_default().trim()
        );
    }
    match Ledger::init(&path)? {
        InitOutcome::Created => {
            writeln!(
                out,
                "Registre créé : {}\nIl contiendra des données personnelles : il n'est lisible que par vous (droits 0600).",
                path.display()
            )?;
            if let Some(p) = &poste {
                let mut ledger = Ledger::open(&path)?;
                ledger.write(|tx| crate::db::participants::set_poste(tx, p))?;
                writeln!(
                    out,
                    "Poste {p} : les codes de participants de ce registre seront {p}-0001, {p}-0002…"
                )?;
            }
            if let Some(codes) = territoire {
                let mut ledger = Ledger::open(&path)?;
                ledger.write(|tx| territoire::set_departements(tx, &codes))?;
                writeln!(out, "{}", crate::cmd::territoire::describe(&codes))?;
            }
        }
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
