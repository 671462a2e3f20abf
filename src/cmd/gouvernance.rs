//! `ici gouvernance add|fin|list`: the bureau and the board, one row per person and office.

use crate::cmd::Ctx;
use crate::cmd::association::{annee_opt, date_cell, date_fr, date_opt};
use crate::db::association;
use crate::domain::association::{is_bureau, label, parse_fonction};
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre un mandat (membre du bureau ou du conseil d'administration)
    #[command(
        after_help = "Exemple :\n  ici gouvernance add \"Clément Lamouroux\" --fonction tresorier --debut 2017-01-01\n\nLes membres du bureau siègent aussi au conseil : la liste du conseil les reprend."
    )]
    Add {
        /// Prénom et nom
        nom: String,
        /// president, vice-president, tresorier, secretaire ou administrateur
        #[arg(long)]
        fonction: String,
        /// Début du mandat
        #[arg(long, value_name = "DATE")]
        debut: String,
        /// Fin du mandat
        #[arg(long, value_name = "DATE")]
        fin: Option<String>,
    },
    /// Note la fin d'un mandat en cours (son dernier jour)
    Fin {
        /// Prénom et nom
        nom: String,
        /// Dernier jour du mandat
        #[arg(long, value_name = "DATE")]
        date: String,
        /// La fonction qui prend fin, si la personne en a plusieurs
        #[arg(long)]
        fonction: Option<String>,
    },
    /// Liste les mandats (de l'année, avec --annee)
    List {
        /// Les mandats d'au moins un jour de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add {
            nom,
            fonction,
            debut,
            fin,
        } => {
            let fonction = field("fonction", parse_fonction(&fonction)).map_err(with_flag)?;
            let debut = date_opt("debut", &debut)?;
            let fin = fin.as_deref().map(|f| date_opt("fin", f)).transpose()?;
            let mut ledger = ctx.open()?;
            let nom = ledger
                .write(|tx| association::add_mandat(tx, &nom, fonction, debut, fin))
                .map_err(with_flag)?;
            writeln!(
                out,
                "{nom} : {} depuis le {}{}.",
                label(fonction),
                date_fr(debut),
                fin.map_or(String::new(), |f| format!(" jusqu'au {}", date_fr(f)))
            )?;
        }
        Commande::Fin {
            nom,
            date,
            fonction,
        } => {
            let fonction = fonction
                .as_deref()
                .map(|f| field("fonction", parse_fonction(f)).map_err(with_flag))
                .transpose()?;
            let date = date_opt("date", &date)?;
            let mut ledger = ctx.open()?;
            let m = ledger
                .write(|tx| association::fin_mandat(tx, &nom, fonction, date))
                .map_err(with_flag)?;
            writeln!(
                out,
                "Mandat de {} ({}) terminé le {}.",
                m.nom,
                label(&m.fonction),
                date_fr(date)
            )?;
        }
        Commande::List { annee, format } => {
            let annee = annee_opt(annee.as_deref())?;
            let ledger = ctx.open_read()?;
            let mandats = association::gouvernance(ledger.conn(), annee)?;
            if format == Format::Json {
                return render::json(out, &mandats);
            }
            let table = format == Format::Table;
            let date = |d| date_cell(d, table);
            let rows: Vec<Vec<Cell>> = mandats
                .iter()
                .map(|m| {
                    vec![
                        Cell::text(&m.nom),
                        Cell::text(if table {
                            label(&m.fonction).to_string()
                        } else {
                            m.fonction.clone()
                        }),
                        Cell::text(if is_bureau(&m.fonction) {
                            "bureau"
                        } else {
                            "conseil"
                        }),
                        date(m.debut),
                        m.fin.map_or(Cell::Empty, date),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &["nom", "fonction", "instance", "début", "fin"],
                &rows,
            )?;
        }
    }
    Ok(())
}
