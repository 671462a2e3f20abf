//! `ici evenement add|supprime|list`: the highlights of the year, the agenda of the annual report.

use crate::cmd::Ctx;
use crate::cmd::association::{annee_opt, date_cell, date_fr, date_opt};
use crate::db::association;
use crate::error::with_flag;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre un temps fort de l'année
    #[command(
        after_help = "Exemple :\n  ici evenement add --date 2017-06-01 --titre \"NET94\" --projet NET94 --texte \"Lancement des ateliers numériques pour les chercheurs d'emploi du Val-de-Bièvre.\""
    )]
    Add {
        /// Date (le premier du mois quand seul le mois est connu)
        #[arg(long)]
        date: String,
        /// Titre court
        #[arg(long)]
        titre: String,
        /// Projet concerné
        #[arg(long)]
        projet: Option<String>,
        /// Ce qui s'est passé, en une ou deux phrases
        #[arg(long)]
        texte: Option<String>,
    },
    /// Supprime un temps fort (saisi par erreur, ou pour le saisir à nouveau corrigé)
    Supprime {
        /// Numéro (voir `ici evenement list`)
        numero: i64,
    },
    /// Liste les temps forts (de l'année, avec --annee), dans l'ordre des dates
    List {
        /// Les temps forts de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add {
            date,
            titre,
            projet,
            texte,
        } => {
            let date = date_opt("date", &date)?;
            let mut ledger = ctx.open()?;
            let n = ledger
                .write(|tx| {
                    association::add_evenement(
                        tx,
                        date,
                        &titre,
                        projet.as_deref(),
                        texte.as_deref(),
                    )
                })
                .map_err(with_flag)?;
            writeln!(
                out,
                "Temps fort n° {n} enregistré le {} : {}.",
                date_fr(date),
                titre.trim()
            )?;
        }
        Commande::Supprime { numero } => {
            let mut ledger = ctx.open()?;
            let e = ledger.write(|tx| association::supprime_evenement(tx, numero))?;
            writeln!(
                out,
                "Temps fort n° {numero} du {} supprimé : {}.",
                date_fr(e.date),
                e.titre
            )?;
        }
        Commande::List { annee, format } => {
            let annee = annee_opt(annee.as_deref())?;
            let ledger = ctx.open_read()?;
            let list = association::evenements(ledger.conn(), annee)?;
            if format == Format::Json {
                return render::json(out, &list);
            }
            let table = format == Format::Table;
            let rows: Vec<Vec<Cell>> = list
                .iter()
                .map(|e| {
                    vec![
                        Cell::Int(e.numero),
                        date_cell(e.date, table),
                        Cell::text(&e.titre),
                        Cell::opt(e.projet.as_deref()),
                        // A paragraph: cut in the table, whole in CSV and JSON.
                        Cell::opt(e.texte.as_deref().map(|t| {
                            if table {
                                crate::domain::excerpt(t)
                            } else {
                                t.to_string()
                            }
                        })),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &["n°", "date", "titre", "projet", "texte"],
                &rows,
            )?;
        }
    }
    Ok(())
}
