//! `ici equipe add|fin|list`: the association's staff — salaried, interns, civic
//! service, people put at its disposal — one row per contract.

use crate::cmd::Ctx;
use crate::cmd::association::{annee_opt, date_cell, date_fr, date_opt};
use crate::db::association::{self, NewMembre};
use crate::domain::association::{label, parse_statut, parse_temps};
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre un contrat (un CDD suivi d'un CDI : deux contrats)
    #[command(
        after_help = "Exemple :\n  ici equipe add \"Aurélie Raphaël\" --statut salarie --poste \"Chargée de projet\" --debut 2017-06-01 --fin 2017-11-30 --contrat cdd"
    )]
    Add {
        /// Prénom et nom
        nom: String,
        /// salarie, stagiaire, service-civique ou mis-a-disposition
        #[arg(long)]
        statut: String,
        /// Intitulé du poste
        #[arg(long)]
        poste: String,
        /// Premier jour
        #[arg(long, value_name = "DATE")]
        debut: String,
        /// Dernier jour (fin d'un CDD, d'un stage) ; sinon : `ici equipe fin`
        #[arg(long, value_name = "DATE")]
        fin: Option<String>,
        /// Temps de travail en pourcentage du temps plein
        #[arg(long, value_name = "PCT", default_value = "100")]
        temps: String,
        /// Contrat : cdi, cdd, apprentissage, convention de stage…
        #[arg(long)]
        contrat: Option<String>,
    },
    /// Note la fin du contrat en cours d'une personne (son dernier jour)
    Fin {
        /// Prénom et nom
        nom: String,
        /// Dernier jour travaillé
        #[arg(long, value_name = "DATE")]
        date: String,
    },
    /// Liste les contrats (de l'année, avec --annee)
    List {
        /// Les contrats d'au moins un jour de cette année (2017)
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
            statut,
            poste,
            debut,
            fin,
            temps,
            contrat,
        } => {
            let statut = field("statut", parse_statut(&statut)).map_err(with_flag)?;
            let temps = field("temps", parse_temps(&temps)).map_err(with_flag)?;
            let debut = date_opt("debut", &debut)?;
            let fin = fin.as_deref().map(|f| date_opt("fin", f)).transpose()?;
            let mut ledger = ctx.open()?;
            let nom = ledger
                .write(|tx| {
                    association::add_membre(
                        tx,
                        &NewMembre {
                            nom: &nom,
                            statut,
                            poste: &poste,
                            debut,
                            fin,
                            temps,
                            contrat: contrat.as_deref(),
                        },
                    )
                })
                .map_err(with_flag)?;
            let jusqu = fin.map_or("contrat en cours".to_string(), |f| {
                format!("jusqu'au {}", date_fr(f))
            });
            writeln!(
                out,
                "{nom} ajouté(e) à l'équipe : {}, {}, du {} ({jusqu}), {temps} %.",
                label(statut),
                poste.trim(),
                date_fr(debut)
            )?;
        }
        Commande::Fin { nom, date } => {
            let date = date_opt("date", &date)?;
            let mut ledger = ctx.open()?;
            let m = ledger
                .write(|tx| association::fin_membre(tx, &nom, date))
                .map_err(with_flag)?;
            writeln!(
                out,
                "Contrat de {} ({}) terminé le {}.",
                m.nom,
                m.poste,
                date_fr(date)
            )?;
        }
        Commande::List { annee, format } => {
            let annee = annee_opt(annee.as_deref())?;
            let ledger = ctx.open_read()?;
            let equipe = association::equipe(ledger.conn(), annee)?;
            if format == Format::Json {
                return render::json(out, &equipe);
            }
            let table = format == Format::Table;
            let date = |d| date_cell(d, table);
            let rows: Vec<Vec<Cell>> = equipe
                .iter()
                .map(|m| {
                    vec![
                        Cell::text(&m.nom),
                        Cell::text(if table {
                            label(&m.statut).to_string()
                        } else {
                            m.statut.clone()
                        }),
                        Cell::text(&m.poste),
                        date(m.debut),
                        m.fin.map_or(Cell::Empty, date),
                        Cell::Int(i64::from(m.temps)),
                        Cell::opt(m.contrat.as_deref()),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &[
                    "nom",
                    "statut",
                    "poste",
                    "début",
                    "fin",
                    "temps (%)",
                    "contrat",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
