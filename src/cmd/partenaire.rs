//! `ici partenaire add|list`: partners and funders, named on sessions and as tiers.

use crate::cmd::Ctx;
use crate::db::refs;
use crate::domain::date::{parse_year, year_bounds};
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
        /// Compter aussi l'activité de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open_for(!matches!(cmd, Commande::List { .. }))?;
    match cmd {
        Commande::Add { nom } => {
            let nom = ledger.write(|tx| refs::add_partenaire(tx, &nom))?;
            writeln!(out, "Partenaire « {nom} » ajouté.")?;
        }
        Commande::List { annee, format } => {
            let period = annee
                .as_deref()
                .map(parse_year)
                .transpose()?
                .map(year_bounds);
            let partenaires = refs::partenaires(ledger.conn(), period.as_ref())?;
            if format == Format::Json {
                return render::json(out, &partenaires);
            }
            let rows: Vec<Vec<Cell>> = partenaires
                .iter()
                .map(|p| {
                    let mut row = vec![Cell::text(&p.nom)];
                    row.extend(p.sessions.map(Cell::Int));
                    row.extend(p.ecritures.map(Cell::Int));
                    row
                })
                .collect();
            let headers: &[&str] = if period.is_some() {
                &["partenaire", "sessions", "écritures"]
            } else {
                &["partenaire"]
            };
            render::rows(out, format, headers, &rows)?;
        }
    }
    Ok(())
}
