//! `ici convention add|list`: grant agreements — who funds which project, over which
//! period, how much, and the gap beyond which the compte rendu must explain a line.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::db::financeurs::conventions::{self, NewConvention};
use crate::db::refs;
use crate::domain::compte_rendu::SEUIL_PAR_DEFAUT;
use crate::domain::date::{parse_date, parse_year};
use crate::domain::financeur::TypeFinanceur;
use crate::domain::money::Money;
use crate::domain::{MAX_SHORT_CHARS, check_length};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une convention de subvention
    #[command(
        after_help = "Exemples :\n  ici convention add --financeur \"Département du Val-de-Marne\" --projet MEDNUM94 --annee 2017 --montant 14000 --reference \"CD94-2017-118\"\n  ici convention add --financeur \"Fonds social européen\" --projet MEDNUM94 --debut 2017-03-01 --fin 2018-02-28 --montant 12000 --seuil 20\n\nLe seuil d'écart significatif est fixé par chaque convention (aucun n'est national) ; 15 % par défaut."
    )]
    Add {
        /// Le financeur (un partenaire : `ici partenaire add NOM --type …`)
        #[arg(long, value_name = "NOM")]
        financeur: String,
        /// Le projet financé
        #[arg(long, value_name = "P")]
        projet: String,
        /// L'année couverte (du 1er janvier au 31 décembre)
        #[arg(long, value_name = "A", conflicts_with_all = ["debut", "fin"], required_unless_present_all = ["debut", "fin"])]
        annee: Option<String>,
        /// Début de la période couverte (AAAA-MM-JJ)
        #[arg(long, value_name = "D", requires = "fin")]
        debut: Option<String>,
        /// Fin de la période couverte (AAAA-MM-JJ)
        #[arg(long, value_name = "D", requires = "debut")]
        fin: Option<String>,
        /// Montant accordé (14000 ou 14 000,00)
        #[arg(long, value_name = "M")]
        montant: String,
        /// Référence de la convention ou de l'arrêté
        #[arg(long, value_name = "R")]
        reference: Option<String>,
        /// Écart (en %) au-delà duquel une ligne du compte rendu doit être expliquée
        #[arg(long, value_name = "PCT")]
        seuil: Option<String>,
    },
    /// Liste les conventions
    List {
        /// Celles d'un projet
        #[arg(long, value_name = "P")]
        projet: Option<String>,
        /// Celles qui couvrent une partie de cette année
        #[arg(long, value_name = "A")]
        annee: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// A threshold as typed: a whole percentage from 1 to 100 (`15`, `20 %`).
fn parse_seuil(input: &str) -> Result<u32> {
    let s = input.trim().trim_end_matches('%').trim();
    match s.parse::<u32>() {
        Ok(v) if (1..=100).contains(&v) => Ok(v),
        _ => bail_user!(
            "--seuil « {} » : attendu un pourcentage entier de 1 à 100 (15, 20 %)",
            crate::domain::excerpt(input.trim())
        ),
    }
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add {
            financeur,
            projet,
            annee,
            debut,
            fin,
            montant,
            reference,
            seuil,
        } => {
            let (debut, fin) = match (annee, debut, fin) {
                (Some(a), _, _) => {
                    let a = parse_year(&a)?;
                    (format!("{a}-01-01"), format!("{a}-12-31"))
                }
                (None, Some(d), Some(f)) => {
                    let d = parse_date(&d).map_err(|e| e.context("--debut"))?;
                    let f = parse_date(&f).map_err(|e| e.context("--fin"))?;
                    if f < d {
                        bail_user!(
                            "--fin {f} est avant --debut {d} : la période d'une convention va du début à la fin"
                        );
                    }
                    (d.to_string(), f.to_string())
                }
                _ => bail_user!("indiquez --annee A, ou --debut D et --fin D"),
            };
            let montant = Money::parse_positive(&montant).map_err(|e| e.context("--montant"))?;
            let seuil = seuil
                .as_deref()
                .map(parse_seuil)
                .transpose()?
                .unwrap_or(SEUIL_PAR_DEFAUT);
            let reference = crate::domain::optional_text(reference.as_deref());
            if let Some(r) = &reference {
                check_length(r, MAX_SHORT_CHARS).map_err(|e| e.context("--reference"))?;
            }
            let mut ledger = ctx.open()?;
            let (numero, financeur, projet) = ledger.write(|tx| {
                conventions::add(
                    tx,
                    &NewConvention {
                        financeur: &financeur,
                        projet: &projet,
                        debut: debut.clone(),
                        fin: fin.clone(),
                        montant: montant.cents(),
                        reference: reference.clone(),
                        seuil,
                    },
                )
            })?;
            writeln!(
                out,
                "Convention n° {numero} enregistrée : {financeur} finance {projet} pour {montant}, du {debut} au {fin} ; écart significatif au-delà de {seuil} %."
            )?;
        }
        Commande::List {
            projet,
            annee,
            format,
        } => {
            let ledger = ctx.open_read()?;
            let conn = ledger.conn();
            let projet = projet
                .as_deref()
                .map(|p| refs::projet_id(conn, p))
                .transpose()?;
            let annee = annee.as_deref().map(parse_year).transpose()?;
            let list = conventions::list(conn, projet, annee)?;
            if format == Format::Json {
                let v: Vec<_> = list
                    .iter()
                    .map(|c| {
                        json!({
                            "numero": c.numero,
                            "financeur": c.financeur,
                            "type": c.type_financeur.map(TypeFinanceur::code),
                            "projet": c.projet,
                            "debut": c.debut,
                            "fin": c.fin,
                            "montant": Money(c.montant).plain(),
                            "reference": c.reference,
                            "seuil": c.seuil,
                        })
                    })
                    .collect();
                return render::json(out, &v);
            }
            let rows: Vec<Vec<Cell>> = list
                .iter()
                .map(|c| {
                    vec![
                        Cell::Int(c.numero),
                        Cell::text(&c.projet),
                        Cell::text(&c.financeur),
                        Cell::text(c.type_financeur.map_or("", TypeFinanceur::code)),
                        Cell::text(&c.debut),
                        Cell::text(&c.fin),
                        Cell::Money(Money(c.montant)),
                        Cell::opt(c.reference.clone()),
                        Cell::Int(i64::from(c.seuil)),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &[
                    "n°",
                    "projet",
                    "financeur",
                    "type",
                    "début",
                    "fin",
                    "montant",
                    "référence",
                    "seuil %",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
