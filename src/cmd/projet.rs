//! `ici projet add|list|objectif|corrige|renomme|fusionne`: the projects (actions) sessions
//! and money are attached to, and their targets.

use crate::cmd::Ctx;
use crate::db::{participants, refs};
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::participant::{parse_percent, percent_fr};
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
        /// Ajouter même si le nom ressemble à celui d'un projet déjà enregistré
        /// (majuscules, accents, tirets, espaces, une faute de frappe : NET-94 et NET94)
        #[arg(long)]
        nouveau: bool,
    },
    /// Liste les projets
    List {
        /// Compter aussi l'activité de cette année (2017)
        #[arg(long)]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Fixe les objectifs d'un projet : personnes à former, part de sorties positives
    #[command(
        after_help = "Exemple :\n  ici projet objectif MEDNUM94 --participants 12 --sorties-positives 60%\n\nSorties positives : emploi durable (CDI ou CDD de 6 mois ou plus), formation qualifiante, création d'activité. `ici stats ANNEE` compare chaque année à ces objectifs."
    )]
    Objectif {
        /// Nom du projet
        nom: String,
        /// Nombre de personnes à former dans l'année
        #[arg(long, required_unless_present = "sorties_positives")]
        participants: Option<String>,
        /// Part des sorties qui doivent être positives (60%)
        #[arg(long)]
        sorties_positives: Option<String>,
    },
    /// Corrige la description d'un projet (ce qu'en dit le rapport d'activité)
    #[command(
        after_help = "Exemple :\n  ici projet corrige NET94 --description \"Réseau d'acteurs et outil de diagnostic pour les chercheurs d'emploi du Val-de-Bièvre.\""
    )]
    Corrige {
        /// Nom du projet
        nom: String,
        /// Ce que fait le projet, en un paragraphe
        #[arg(long)]
        description: String,
    },
    /// Corrige le nom d'un projet ; ses sessions, écritures et objectifs le suivent
    Renomme {
        /// Nom actuel
        ancien: String,
        /// Nouveau nom
        nom: String,
        /// Renommer même si le nouveau nom ressemble à celui d'un autre projet
        #[arg(long)]
        nouveau: bool,
    },
    /// Réunit deux projets qui sont le même : sessions, écritures et sorties passent
    /// sur le second, le premier disparaît
    #[command(after_help = "Exemple :\n  ici projet fusionne NET-94 --dans NET94")]
    Fusionne {
        /// Projet à faire disparaître
        nom: String,
        /// Projet gardé
        #[arg(long, value_name = "NOM")]
        dans: String,
    },
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open_for(!matches!(cmd, Commande::List { .. }))?;
    match cmd {
        Commande::Add {
            nom,
            theme,
            intitule,
            nouveau,
        } => {
            let theme = refs::parse_theme(&theme)?;
            let nom = ledger
                .write(|tx| refs::add_projet(tx, &nom, theme, intitule.as_deref(), nouveau))?;
            writeln!(
                out,
                "Projet « {nom} » ajouté (thème : {}).",
                refs::theme_label(theme)
            )?;
        }
        Commande::Renomme {
            ancien,
            nom,
            nouveau,
        } => {
            let (old, new) =
                ledger.write(|tx| refs::rename(tx, refs::Table::Projet, &ancien, &nom, nouveau))?;
            writeln!(
                out,
                "Projet « {old} » renommé « {new} » : ses sessions, écritures et objectifs suivent."
            )?;
        }
        Commande::Corrige { nom, description } => {
            let nom = ledger
                .write(|tx| crate::db::association::set_description(tx, &nom, &description))
                .map_err(crate::error::with_flag)?;
            writeln!(out, "Description du projet « {nom} » enregistrée.")?;
        }
        Commande::Fusionne { nom, dans } => {
            let f = ledger.write(|tx| refs::fusion::merge(tx, refs::Table::Projet, &nom, &dans))?;
            writeln!(out, "{}", crate::cmd::partenaire::describe(&f, "Projet"))?;
        }
        Commande::Objectif {
            nom,
            participants,
            sorties_positives,
        } => {
            let participants = participants
                .as_deref()
                .map(|p| match p.trim().parse::<u32>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => Err(crate::error::user(format!(
                        "--participants : « {p} » : attendu un nombre entier de personnes, 1 ou plus"
                    ))),
                })
                .transpose()?;
            let sorties = sorties_positives
                .as_deref()
                .map(|s| {
                    parse_percent(s)
                        .map_err(|e| crate::error::user(format!("--sorties-positives : {e:#}")))
                })
                .transpose()?;
            let o =
                ledger.write(|tx| participants::set_objectif(tx, &nom, participants, sorties))?;
            let mut parts = Vec::new();
            if let Some(n) = o.participants {
                parts.push(format!("{n} personne(s) formée(s) dans l'année"));
            }
            if let Some(t) = o.sorties_positives {
                parts.push(format!("{} de sorties positives", percent_fr(t)));
            }
            writeln!(out, "Objectifs de {} : {}.", o.projet, parts.join(", "))?;
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
            // The column appears once a project has a description.
            let described = projets.iter().any(|p| p.description.is_some());
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
                    if described {
                        row.push(Cell::opt(p.description.as_deref().map(|d| match format {
                            Format::Table => crate::domain::excerpt(d),
                            _ => d.to_string(),
                        })));
                    }
                    row
                })
                .collect();
            let mut headers = vec!["projet", "thème", "intitulé"];
            if period.is_some() {
                headers.push("sessions");
            }
            if described {
                headers.push("description");
            }
            render::rows(out, format, &headers, &rows)?;
        }
    }
    Ok(())
}
