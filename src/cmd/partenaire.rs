//! `ici partenaire add|corrige|list|renomme|fusionne`: partners and funders, named on
//! sessions and as tiers, with the Cerfa funder line of each funder.

use crate::cmd::Ctx;
use crate::db::refs::{self, fusion};
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::financeur::TypeFinanceur;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Ajoute un partenaire ou un financeur
    #[command(
        after_help = "Un nom qui ne diffère d'un partenaire déjà enregistré que par les majuscules, les accents, les tirets, les espaces, les apostrophes ou une faute de frappe est refusé : « Pole emploi Val de Marne » désigne « Pôle emploi Val-de-Marne ». Si c'est bien un autre partenaire, ajoutez --nouveau."
    )]
    Add {
        /// Nom complet (« Département du Val-de-Marne »)
        nom: String,
        /// Type de financeur : la ligne des subventions (74) du Cerfa où vont ses
        /// subventions
        #[arg(long = "type", value_enum, value_name = "TYPE")]
        type_financeur: Option<TypeFinanceur>,
        /// Ajouter même si le nom ressemble à celui d'un partenaire déjà enregistré
        #[arg(long)]
        nouveau: bool,
    },
    /// Corrige le type de financeur d'un partenaire
    #[command(
        after_help = "Exemples :\n  ici partenaire corrige \"Département du Val-de-Marne\" --type departement\n  ici partenaire corrige \"Club FACE 94\" --sans-type"
    )]
    Corrige {
        /// Nom du partenaire
        nom: String,
        /// Nouveau type de financeur
        #[arg(
            long = "type",
            value_enum,
            value_name = "TYPE",
            required_unless_present = "sans_type"
        )]
        type_financeur: Option<TypeFinanceur>,
        /// Retirer le type (ce partenaire ne finance pas)
        #[arg(long, conflicts_with = "type_financeur")]
        sans_type: bool,
    },
    /// Liste les partenaires
    List {
        /// Compter aussi l'activité de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Corrige le nom d'un partenaire ; ses sessions et écritures le suivent
    Renomme {
        /// Nom actuel
        ancien: String,
        /// Nouveau nom
        nom: String,
        /// Renommer même si le nouveau nom ressemble à celui d'un autre partenaire
        #[arg(long)]
        nouveau: bool,
    },
    /// Réunit deux partenaires qui sont le même : sessions, écritures et participants
    /// orientés passent sur le second, le premier disparaît
    #[command(
        after_help = "Exemple :\n  ici partenaire fusionne \"Pole emploi Val de Marne\" --dans \"Pôle emploi Val-de-Marne\""
    )]
    Fusionne {
        /// Partenaire à faire disparaître
        nom: String,
        /// Partenaire gardé
        #[arg(long, value_name = "NOM")]
        dans: String,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open_for(!matches!(cmd, Commande::List { .. }))?;
    match cmd {
        Commande::Add {
            nom,
            type_financeur,
            nouveau,
        } => {
            let nom = ledger.write(|tx| refs::add_partenaire(tx, &nom, type_financeur, nouveau))?;
            match type_financeur {
                Some(t) => writeln!(
                    out,
                    "Partenaire « {nom} » ajouté (financeur : {}).",
                    t.libelle()
                )?,
                None => writeln!(out, "Partenaire « {nom} » ajouté.")?,
            }
        }
        Commande::Corrige {
            nom,
            type_financeur,
            sans_type: _,
        } => {
            let (nom, before) =
                ledger.write(|tx| refs::set_type_financeur(tx, &nom, type_financeur))?;
            let shown = |t: Option<TypeFinanceur>| t.map_or("aucun", TypeFinanceur::code);
            writeln!(
                out,
                "Partenaire « {nom} » : type de financeur {} (avant : {}).",
                shown(type_financeur),
                shown(before)
            )?;
        }
        Commande::Renomme {
            ancien,
            nom,
            nouveau,
        } => {
            let (old, new) = ledger
                .write(|tx| refs::rename(tx, refs::Table::Partenaire, &ancien, &nom, nouveau))?;
            writeln!(
                out,
                "Partenaire « {old} » renommé « {new} » : ses sessions et écritures suivent."
            )?;
        }
        Commande::Fusionne { nom, dans } => {
            let f = ledger.write(|tx| fusion::merge(tx, refs::Table::Partenaire, &nom, &dans))?;
            writeln!(out, "{}", describe(&f, "Partenaire"))?;
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
                    let mut row = vec![
                        Cell::text(&p.nom),
                        Cell::text(p.type_financeur.map_or("", TypeFinanceur::code)),
                    ];
                    row.extend(p.sessions.map(Cell::Int));
                    row.extend(p.ecritures.map(Cell::Int));
                    row
                })
                .collect();
            let headers: &[&str] = if period.is_some() {
                &["partenaire", "type", "sessions", "écritures"]
            } else {
                &["partenaire", "type"]
            };
            render::rows(out, format, headers, &rows)?;
        }
    }
    Ok(())
}

/// « Partenaire « A » fusionné dans « B » : 3 session(s), 1 écriture(s)… ».
pub fn describe(f: &fusion::Fusion, what: &str) -> String {
    let moved: Vec<String> = f.moved.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!(
        "{what} « {} » fusionné dans « {} » : {} passé(e)s sur « {} ». « {} » n'existe plus.",
        f.from,
        f.into,
        moved.join(", "),
        f.into,
        f.from
    )
}
