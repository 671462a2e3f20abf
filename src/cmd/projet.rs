//! `ici projet add|list`: the projects (actions) sessions and money are attached to.

use crate::cmd::Ctx;
use crate::db::refs;
use crate::domain::date::{parse_year, year_bounds};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Ajoute un projet
    Add {
        /// Nom court, tel qu'il sera tapé (NET94, MEDNUM94…)
        nom: String,
        /// Thème : citoyennete, education-populaire ou emploi
        #[arg(long)]
        theme: String,
        /// Intitulé complet
        #[arg(long)]
        intitule: Option<String>,
    },
    /// Liste les projets
    List {
        /// Compter aussi l'activité de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open()?;
    match cmd {
        Commande::Add {
            nom,
            theme,
            intitule,
        } => {
            let theme = refs::parse_theme(&theme)?;
            let nom = ledger.write(|tx| refs::add_projet(tx, &nom, theme, intitule.as_deref()))?;
            writeln!(
                out,
                "Projet « {nom} » ajouté (thème : {}).",
                refs::theme_label(theme)
            )?;
        }
        Commande::List { annee, format } => {
            let period = annee
                .as_deref()
                .map(parse_year)
                .transpose()?
                .map(year_bounds);
            let projets = refs::projets(ledger.conn(), period.as_ref())?;
            if format == Format::Json {
                return render::json(out, &projets);
            }
            let rows: Vec<Vec<Cell>> = projets
                .iter()
                .map(|p| {
                    let mut row = vec![
                        Cell::text(&p.nom),
                        match format {
                            Format::Table => Cell::text(refs::theme_label(&p.theme)),
                            _ => Cell::text(&p.theme),
                        },
                        Cell::opt(p.intitule.as_deref()),
                    ];
                    row.extend(p.sessions.map(Cell::Int));
                    row
                })
                .collect();
            let mut headers = vec!["projet", "thème", "intitulé"];
            if period.is_some() {
                headers.push("sessions");
            }
            render::rows(out, format, &headers, &rows)?;
        }
    }
    Ok(())
}
