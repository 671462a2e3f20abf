//! `ici benevolat add|annule|taux|list`: volunteer time, valued at a rate per hour
//! and booked at once in class 8 (contributions volontaires en nature, below the
//! result). See `db::association::benevolat` for how entries follow the hours.

use crate::cmd::Ctx;
use crate::cmd::association::{annee_opt, date_cell, date_fr};
use crate::db::association::{self, benevolat};
use crate::domain::association::parse_heures;
use crate::domain::association::valorisation::comptes;
use crate::domain::date::{parse_past_date, parse_year};
use crate::domain::money::Money;
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre des heures de bénévolat et leur écriture de classe 8
    #[command(
        after_help = "Exemple :\n  ici benevolat add --date 2017-10-12 --heures 3 --personne \"Julien Neiertz\" --projet NET94\n\nLes heures sont valorisées au taux de l'année (`ici benevolat taux`) : une écriture au débit du 864 Personnel bénévole et au crédit du compte Bénévolat du plan de l'année (870 jusqu'en 2019, 875 ensuite), sur le projet, hors résultat. Le nom de la personne reste dans le registre des bénévoles, jamais dans les écritures."
    )]
    Add {
        /// Date (le dernier jour de la période pour un total)
        #[arg(long)]
        date: String,
        /// Heures : 3 ; 2,5 ; 2h30
        #[arg(long, value_name = "H")]
        heures: String,
        /// Prénom et nom du ou de la bénévole
        #[arg(long, value_name = "NOM")]
        personne: Option<String>,
        /// Projet sur lequel le temps a été donné
        #[arg(long)]
        projet: Option<String>,
    },
    /// Annule un enregistrement : son écriture est contrepassée
    Annule {
        /// Numéro (voir `ici benevolat list`)
        numero: i64,
    },
    /// Taux de valorisation de l'heure de bénévolat : fixe celui d'une année ou le taux
    /// par défaut ; sans --montant, les liste
    #[command(
        after_help = "Exemples :\n  ici benevolat taux 2017 --montant 9,76 --source \"SMIC horaire brut 2017 (décret n° 2016-1818)\"\n  ici benevolat taux --defaut --montant 11,65 --source \"SMIC horaire brut au 1er janvier 2024\"\n  ici benevolat taux\n\nUn nouveau taux revalorise les heures déjà enregistrées des exercices ouverts (contrepassation puis nouvelle écriture) ; un exercice clos garde ses écritures."
    )]
    Taux {
        /// Année (2017)
        annee: Option<String>,
        /// Le taux par défaut, pour les années sans taux propre
        #[arg(long, conflicts_with = "annee")]
        defaut: bool,
        /// Montant par heure
        #[arg(long, value_name = "MONTANT", requires = "source")]
        montant: Option<String>,
        /// D'où vient le taux (SMIC horaire brut de l'année, convention collective…)
        #[arg(long)]
        source: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Liste le bénévolat (de l'année, avec --annee)
    List {
        /// Le bénévolat de cette année (2017)
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
            heures,
            personne,
            projet,
        } => {
            let date = field("date", parse_past_date(&date)).map_err(with_flag)?;
            let minutes = field("heures", parse_heures(&heures)).map_err(with_flag)?;
            let mut ledger = ctx.open()?;
            let (n, valeur) = ledger
                .write(|tx| {
                    benevolat::add(tx, date, minutes, personne.as_deref(), projet.as_deref())
                })
                .map_err(with_flag)?;
            let (emploi, ressource) = comptes(date);
            writeln!(
                out,
                "Bénévolat n° {n} enregistré le {} : {} h, valorisées {valeur} (débit {emploi}, crédit {ressource}).",
                date_fr(date),
                crate::domain::duration::hours_fr(i64::from(minutes))
            )?;
        }
        Commande::Annule { numero } => {
            let mut ledger = ctx.open()?;
            let b = ledger.write(|tx| benevolat::annule(tx, numero))?;
            writeln!(
                out,
                "Bénévolat n° {numero} du {} annulé : ses {} h ne comptent plus, l'écriture n° {} est contrepassée.",
                date_fr(b.date),
                crate::domain::duration::hours_fr(b.minutes),
                b.ecriture
            )?;
        }
        Commande::Taux {
            annee,
            defaut,
            montant,
            source,
            format,
        } => {
            let annee = annee
                .as_deref()
                .map(|a| field("annee", parse_year(a)).map_err(with_flag))
                .transpose()?;
            let Some(montant) = montant else {
                let ledger = ctx.open_read()?;
                let list = benevolat::taux(ledger.conn())?;
                if format == Format::Json {
                    return render::json(out, &list);
                }
                let rows: Vec<Vec<Cell>> = list
                    .iter()
                    .map(|t| {
                        vec![
                            Cell::text(t.annee.map_or("par défaut".to_string(), |a| a.to_string())),
                            Cell::Money(t.montant),
                            Cell::text(&t.source),
                        ]
                    })
                    .collect();
                return render::rows(out, format, &["année", "taux horaire", "source"], &rows);
            };
            if annee.is_none() && !defaut {
                crate::bail_user!(
                    "précisez l'année du taux (`ici benevolat taux 2017 --montant …`) ou --defaut pour le taux des années sans taux propre"
                );
            }
            let montant = field("montant", Money::parse_positive(&montant)).map_err(with_flag)?;
            let source = source.unwrap_or_default();
            let mut ledger = ctx.open()?;
            let n = ledger
                .write(|tx| benevolat::set_taux(tx, annee, montant, &source))
                .map_err(with_flag)?;
            let quoi = annee.map_or("par défaut".to_string(), |a| format!("de {a}"));
            writeln!(
                out,
                "Taux de valorisation du bénévolat {quoi} : {montant} de l'heure ({}).{}",
                source.trim(),
                if n > 0 {
                    format!(
                        " {n} enregistrement(s) revalorisé(s) : écritures contrepassées et repassées au nouveau taux."
                    )
                } else {
                    String::new()
                }
            )?;
        }
        Commande::List { annee, format } => {
            let annee = annee_opt(annee.as_deref())?;
            let ledger = ctx.open_read()?;
            let list = association::benevolat(ledger.conn(), annee)?;
            if format == Format::Json {
                return render::json(out, &list);
            }
            let table = format == Format::Table;
            let rows: Vec<Vec<Cell>> = list
                .iter()
                .map(|b| {
                    vec![
                        Cell::Int(b.numero),
                        date_cell(b.date, table),
                        Cell::Hours(b.minutes),
                        Cell::opt(b.personne.as_deref()),
                        Cell::opt(b.projet.as_deref()),
                        Cell::Money(b.taux),
                        Cell::Money(b.valeur),
                        Cell::Int(b.ecriture),
                        Cell::text(if b.annule { "annulé" } else { "" }),
                    ]
                })
                .collect();
            render::rows(
                out,
                format,
                &[
                    "n°",
                    "date",
                    "heures",
                    "personne",
                    "projet",
                    "taux",
                    "valeur",
                    "écriture",
                    "état",
                ],
                &rows,
            )?;
        }
    }
    Ok(())
}
