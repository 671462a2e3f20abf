//! `ici init`: creates the ledger file, or says it is already there; with
//! `--territoire`, records the home territory in the new ledger.

use crate::cmd::Ctx;
use crate::db::{InitOutcome, Ledger, territoire};
use crate::domain::role::Role;
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
    /// Rôle du registre quand plusieurs travaillent ensemble : formateur, coordination
    /// ou tresorerie (sans --role : il fait tout). Seule la trésorerie tient les comptes
    #[arg(long, value_name = "RÔLE")]
    pub role: Option<String>,
    /// Changer le rôle d'un registre existant sans question (scripts)
    #[arg(long)]
    pub oui: bool,
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
    let role = args.role.as_deref().map(Role::parse).transpose()?;
    if let (Some(r), true) = (role, path.exists()) {
        return change_role(&path, r, args.oui, out);
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
            if let Some(r) = role {
                let mut ledger = Ledger::open(&path)?;
                ledger.write(|tx| crate::db::role::set_role(tx, r))?;
                writeln!(out, "{}", describe_role(r))?;
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

fn describe_role(r: Role) -> String {
    let books = if r.keeps_books() {
        "il tient les comptes de l'association"
    } else {
        "il enregistre sessions, présences et participants ; les comptes se tiennent sur le registre de la trésorerie"
    };
    format!("Rôle : {} ({}) : {books}.", r.code(), r.label())
}

/// `ici init --role` on an existing ledger: changes its role, once confirmed.
fn change_role(path: &std::path::Path, r: Role, oui: bool, out: &mut dyn Write) -> Result<()> {
    let mut ledger = Ledger::open(path)?;
    let before = crate::db::role::role(ledger.conn())?;
    if before == Some(r) {
        writeln!(
            out,
            "Le registre {} a déjà le rôle {} : rien n'a été modifié.",
            path.display(),
            r.code()
        )?;
        return Ok(());
    }
    let was = before.map_or("tout faire (aucun rôle)", Role::code);
    let consequence = format!("son rôle passe de « {was} » à « {} »", r.code());
    let command = format!("ici init --role {}", r.code());
    crate::cmd::confirm::confirm(
        oui,
        &crate::cmd::confirm::Act {
            what: "Changer le rôle du registre",
            consequence: &consequence,
            expected: r.code(),
            command: &command,
        },
    )?;
    ledger.write(|tx| crate::db::role::set_role(tx, r))?;
    writeln!(out, "{}", describe_role(r))?;
    Ok(())
}
