//! `ici adherent add|list`: the members, one membership per person and year.

use crate::cmd::Ctx;
use crate::cmd::association::{annee_opt, date_cell, date_fr, date_opt};
use crate::db::association;
use crate::domain::money::Money;
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une adhésion (une par personne et par an)
    #[command(
        after_help = "Exemple :\n  ici adherent add \"Annick Babise\" --date 2017-01-15 --cotisation 20\n\nLa cotisation notée ici n'est pas passée en comptabilité : le trésorier enregistre les cotisations au compte 756, une fois, par exemple à leur dépôt en banque :\n  ici produit add --date 2017-01-31 --montant 60 --compte 756 --libelle \"Cotisations de janvier\"\n`ici adherent list --annee 2017` compare les cotisations notées au compte 756 de l'année."
    )]
    Add {
        /// Prénom et nom
        nom: String,
        /// Date de l'adhésion (de la cotisation)
        #[arg(long)]
        date: String,
        /// Montant de la cotisation (20 ; 20,50), noté pour mémoire
        #[arg(long, value_name = "MONTANT")]
        cotisation: Option<String>,
    },
    /// Liste les adhésions (de l'année, avec --annee)
    List {
        /// Les adhésions datées de cette année (2017)
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
            date,
            cotisation,
        } => {
            let date = date_opt("date", &date)?;
            let cotisation = cotisation
                .as_deref()
                .map(|c| field("cotisation", Money::parse_positive(c)).map_err(with_flag))
                .transpose()?;
            let mut ledger = ctx.open()?;
            let nom = ledger
                .write(|tx| association::add_adherent(tx, &nom, date, cotisation))
                .map_err(with_flag)?;
            writeln!(
                out,
                "{nom} adhérent(e) depuis le {}{}.",
                date_fr(date),
                cotisation.map_or(String::new(), |c| format!(
                    ", cotisation de {c} notée (à passer au compte 756 si ce n'est fait)"
                ))
            )?;
        }
        Commande::List { annee, format } => {
            let annee = annee_opt(annee.as_deref())?;
            let ledger = ctx.open_read()?;
            let list = association::adherents(ledger.conn(), annee)?;
            if format == Format::Json {
                return render::json(out, &list);
            }
            let table = format == Format::Table;
            let rows: Vec<Vec<Cell>> = list
                .iter()
                .map(|a| {
                    vec![
                        Cell::text(&a.nom),
                        date_cell(a.date, table),
                        a.cotisation.map_or(Cell::Empty, Cell::Money),
                    ]
                })
                .collect();
            render::rows(out, format, &["nom", "date", "cotisation"], &rows)?;
            if let (true, Some(annee)) = (table, annee) {
                let notees = Money(
                    list.iter()
                        .filter_map(|a| a.cotisation)
                        .map(Money::cents)
                        .sum(),
                );
                let livres = association::cotisations_comptables(ledger.conn(), annee)?;
                writeln!(
                    out,
                    "{} adhérent(s) en {annee} ; cotisations notées : {notees} ; au compte 756 de {annee} : {livres}.",
                    list.len()
                )?;
            }
        }
    }
    Ok(())
}
