//! `ici commune cherche TEXTE`: the bundled reference of French communes, searched by
//! name, INSEE code or postal code.

use crate::render::{self, Cell, Format};
use crate::territory::{self, Commune};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Cherche une commune par nom, code INSEE ou code postal
    #[command(
        after_help = "Exemples :\n  ici commune cherche kremlin\n  ici commune cherche 94270\n  ici commune cherche \"Saint-Denis\""
    )]
    Cherche {
        /// Texte cherché
        texte: String,
        /// Nombre de résultats au plus
        #[arg(long, default_value_t = 20)]
        limite: usize,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(serde::Serialize)]
struct CommuneJson {
    code: &'static str,
    nom: &'static str,
    saisie: String,
    departement: &'static str,
    departement_nom: Option<&'static str>,
    intercommunalite: Option<&'static str>,
    intercommunalite_nom: Option<&'static str>,
    ville: Option<&'static str>,
    codes_postaux: Vec<&'static str>,
}

fn to_json(c: &'static Commune) -> CommuneJson {
    let city = territory::city(c);
    let interco = city.interco.and_then(territory::interco);
    CommuneJson {
        code: c.code,
        nom: c.nom,
        saisie: territory::label(c),
        departement: c.departement,
        departement_nom: territory::departement(c.departement).map(|d| d.nom),
        intercommunalite: interco.map(|i| i.code),
        intercommunalite_nom: interco.map(|i| i.nom),
        ville: (city.code != c.code).then_some(city.code),
        codes_postaux: c.codes_postaux.clone(),
    }
}

pub fn run(cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let Commande::Cherche {
        texte,
        limite,
        format,
    } = cmd;
    let found = territory::search(&texte, limite);
    if format == Format::Json {
        let items: Vec<CommuneJson> = found.into_iter().map(to_json).collect();
        return render::json(out, &items);
    }
    let rows: Vec<Vec<Cell>> = found
        .iter()
        .map(|c| {
            let j = to_json(c);
            vec![
                Cell::text(j.code),
                Cell::text(j.nom),
                Cell::text(match j.departement_nom {
                    Some(n) => format!("{n} ({})", j.departement),
                    None => j.departement.to_string(),
                }),
                Cell::opt(j.intercommunalite_nom),
                Cell::text(j.codes_postaux.join(", ")),
            ]
        })
        .collect();
    render::rows(
        out,
        format,
        &[
            "code INSEE",
            "commune",
            "département",
            "intercommunalité",
            "codes postaux",
        ],
        &rows,
    )?;
    if format == Format::Table && rows.is_empty() {
        writeln!(out, "Aucune commune ne correspond à « {texte} ».")?;
    }
    Ok(())
}
