//! `ici partenaire add|list`: partners and funders, named on sessions and as tiers.

use crate::cmd::Ctx;
use crate::db::refs;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Ajoute un partenaire ou un financeur
    Add {
        /// Nom complet (« Département du Val-de-Marne »)
        nom: String,
    },
    /// Liste les partenaires
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open()?;
    match cmd {
        Commande::Add { nom } => {
            let nom = ledger.write(|tx| refs::add_partenaire(tx, &nom))?;
            writeln!(out, "Partenaire « {nom} » ajouté.")?;
        }
        Commande::List { format } => {
            let partenaires = refs::partenaires(ledger.conn())?;
            if format == Format::Json {
                return render::json(out, &partenaires);
            }
            let rows: Vec<Vec<Cell>> = partenaires
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(&p.nom),
                        Cell::Int(p.sessions),
                        Cell::Int(p.ecritures),
                    ]
                })
                .collect();
            render::rows(out, format, &["partenaire", "sessions", "écritures"], &rows)?;
        }
    }
    Ok(())
}
