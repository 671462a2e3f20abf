//! `ici association oublie NOM` erases a person of the association (staff, board,
//! member, volunteer) at their request; `ici association import QUOI FICHIER` loads
//! a CSV file of them; and what the association's commands share.

use crate::cmd::{Ctx, confirm};
use crate::db::association;
use crate::domain::date::{parse_date, parse_year};
use crate::error::{field, with_flag};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Efface une personne de l'association à sa demande : contrats, mandats et
    /// adhésions supprimés ; ses heures de bénévolat restent comptées, sans son nom
    Oublie {
        /// Prénom et nom, tels qu'enregistrés
        nom: String,
        /// Confirmer sans question (pour un script) ; sinon, le nom est à retaper
        #[arg(long)]
        oui: bool,
    },
    /// Importe un fichier CSV (tout ou rien) : équipe, gouvernance, adhérents, taux et
    /// heures de bénévolat, temps forts, descriptions des projets
    #[command(
        after_help = "Exemple :\n  ici association import equipe equipe.csv\n\nColonnes (séparateur ; ou ,) :\n  equipe        nom, statut, poste, debut, fin, temps, contrat\n  gouvernance   nom, fonction, debut, fin\n  adherents     nom, date, cotisation\n  taux          annee (vide : taux par défaut), montant, source\n  benevolat     date, heures, personne, projet\n  evenements    date, titre, projet, texte\n  descriptions  projet, description"
    )]
    Import {
        /// Ce que contient le fichier
        #[arg(value_enum)]
        quoi: crate::cmd::association_csv::Quoi,
        /// Fichier CSV
        fichier: std::path::PathBuf,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let (nom, oui) = match cmd {
        Commande::Oublie { nom, oui } => (nom, oui),
        Commande::Import { quoi, fichier } => {
            let input = crate::input::open(&fichier)?;
            let mut ledger = ctx.open()?;
            let n = ledger.write(|tx| crate::cmd::association_csv::load_file(tx, quoi, &input))?;
            writeln!(out, "{n} ligne(s) importée(s) depuis {}.", input.name)?;
            return Ok(());
        }
    };
    let mut ledger = ctx.open()?;
    confirm::confirm(
        oui,
        &confirm::Act {
            what: &format!("Effacer « {} »", nom.trim()),
            consequence: "ses contrats, mandats et adhésions seront supprimés, son nom retiré de ses heures de bénévolat, sans retour possible.",
            expected: nom.trim(),
            command: &format!("ici association oublie \"{}\"", nom.trim()),
        },
    )?;
    let o = ledger.write(|tx| association::oublie(tx, &nom))?;
    writeln!(
        out,
        "« {} » effacé(e) à sa demande : {} contrat(s), {} mandat(s), {} adhésion(s) supprimés ; {} enregistrement(s) de bénévolat gardés pour leurs heures, sans le nom. Les sauvegardes faites avant gardent ces données jusqu'à leur destruction.",
        nom.trim(),
        o.contrats,
        o.mandats,
        o.adhesions,
        o.benevolat
    )?;
    Ok(())
}

/// A date option, its error naming the option (`--debut : date « … » invalide`).
pub fn date_opt(name: &'static str, input: &str) -> Result<NaiveDate> {
    field(name, parse_date(input)).map_err(with_flag)
}

/// `--annee`, when given.
pub fn annee_opt(input: Option<&str>) -> Result<Option<i32>> {
    input
        .map(|a| field("annee", parse_year(a)).map_err(with_flag))
        .transpose()
}

/// A date for the tables: `01/06/2017`.
pub fn date_fr(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date in a list: `01/06/2017` in the terminal table, `2017-06-01` in CSV.
pub fn date_cell(d: NaiveDate, table: bool) -> crate::render::Cell {
    crate::render::Cell::text(if table {
        date_fr(d)
    } else {
        d.format("%Y-%m-%d").to_string()
    })
}
