//! `ici tiers add|list|corrige`: the third parties of the books (suppliers, funders,
//! lenders…), named on entries' lines; apart from the partners of the activity.

use crate::cmd::Ctx;
use crate::db::tiers;
use crate::domain::tiers::parse_nature;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Ajoute un tiers (fournisseur, usager, financeur, salarié, organisme social, prêteur)
    #[command(
        after_help = "Exemples :\n  ici tiers add MAIF --nature fournisseur\n  ici tiers add \"Département du Val-de-Marne\" --nature financeur --partenaire \"Département du Val-de-Marne\""
    )]
    Add {
        /// Nom (« MAIF »)
        nom: String,
        /// fournisseur, usager, financeur, salarie, organisme-social, preteur ou autre
        #[arg(long, default_value = "autre")]
        nature: String,
        /// Le partenaire de l'activité que ce tiers est, s'il l'est
        #[arg(long)]
        partenaire: Option<String>,
    },
    /// Liste les tiers
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Corrige le nom, la nature ou le partenaire d'un tiers
    Corrige {
        nom: String,
        /// Nouveau nom
        #[arg(long)]
        nom_nouveau: Option<String>,
        #[arg(long)]
        nature: Option<String>,
        #[arg(long, conflicts_with = "sans_partenaire")]
        partenaire: Option<String>,
        /// Délie le tiers de son partenaire (un fournisseur déclaré partenaire autrefois)
        #[arg(long)]
        sans_partenaire: bool,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add {
            nom,
            nature,
            partenaire,
        } => {
            let nature = parse_nature(&nature)?;
            let mut ledger = ctx.open()?;
            let nom = ledger.write(|tx| tiers::add(tx, &nom, nature, partenaire.as_deref()))?;
            writeln!(out, "Tiers « {nom} » ajouté ({nature}).")?;
        }
        Commande::List { format } => {
            let ledger = ctx.open()?;
            let list = tiers::list(ledger.conn())?;
            if format == Format::Json {
                return render::json(out, &list);
            }
            let rows: Vec<Vec<Cell>> = list
                .iter()
                .map(|t| {
                    vec![
                        Cell::text(&t.nom),
                        Cell::text(&t.nature),
                        Cell::opt(t.partenaire.as_deref()),
                        Cell::Int(t.lignes),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &["tiers", "nature", "partenaire", "lignes"],
                &rows,
            )?;
        }
        Commande::Corrige {
            nom,
            nom_nouveau,
            nature,
            partenaire,
            sans_partenaire,
        } => {
            let nature = nature.as_deref().map(parse_nature).transpose()?;
            let mut ledger = ctx.open()?;
            let nom = ledger.write(|tx| {
                tiers::corrige(
                    tx,
                    &nom,
                    nom_nouveau.as_deref(),
                    nature,
                    partenaire.as_deref(),
                    sans_partenaire,
                )
            })?;
            writeln!(out, "Tiers « {nom} » corrigé.")?;
        }
    }
    Ok(())
}
