//! `ici bilan ANNEE`: the year's compte de résultat — produits by group (subsidies
//! by funder), charges by group, totals, and the excédent or déficit.

use crate::cmd::Ctx;
use crate::db::reports;
use crate::domain::bilan::{Bilan, Poste};
use crate::domain::date::parse_year;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use rusqlite::Connection;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Année de l'exercice (2017)
    pub annee: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let ledger = ctx.open()?;
    let bilan = compute(ledger.conn(), annee)?;
    print(out, &bilan, a.format)
}

pub fn compute(conn: &Connection, annee: i32) -> Result<Bilan> {
    Ok(Bilan::build(annee, &reports::soldes(conn, annee)?))
}

#[derive(serde::Serialize)]
struct BilanJson<'a> {
    annee: i32,
    total_produits: String,
    total_charges: String,
    resultat: String,
    resultat_nom: &'static str,
    produits: &'a [Poste],
    charges: &'a [Poste],
    contributions_volontaires: &'a [Poste],
    emprunts_recus: String,
    emprunts_rembourses: String,
}

pub fn print(out: &mut dyn Write, b: &Bilan, format: Format) -> Result<()> {
    match format {
        Format::Json => render::json(
            out,
            &BilanJson {
                annee: b.annee,
                total_produits: b.total_produits().plain(),
                total_charges: b.total_charges().plain(),
                resultat: b.resultat().plain(),
                resultat_nom: b.resultat_nom(),
                produits: &b.produits,
                charges: &b.charges,
                contributions_volontaires: &b.contributions,
                emprunts_recus: b.emprunts_recus.plain(),
                emprunts_rembourses: b.emprunts_rembourses.plain(),
            },
        ),
        Format::Csv => {
            let mut rows = Vec::new();
            let section = |rows: &mut Vec<Vec<Cell>>, name: &str, postes: &[Poste]| {
                for p in postes {
                    rows.push(vec![
                        Cell::text(name),
                        Cell::text(&p.compte),
                        Cell::text(&p.libelle),
                        Cell::Money(p.montant),
                    ]);
                }
            };
            section(&mut rows, "produit", &b.produits);
            section(&mut rows, "charge", &b.charges);
            section(&mut rows, "contribution volontaire", &b.contributions);
            for (name, m) in [
                ("total des produits", b.total_produits()),
                ("total des charges", b.total_charges()),
                ("résultat", b.resultat()),
            ] {
                rows.push(vec![
                    Cell::text("total"),
                    Cell::Empty,
                    Cell::text(name),
                    Cell::Money(m),
                ]);
            }
            render::rows(
                out,
                Format::Csv,
                &["rubrique", "compte", "libellé", "montant"],
                &rows,
            )
        }
        Format::Table => print_table(out, b),
    }
}

fn print_table(out: &mut dyn Write, b: &Bilan) -> Result<()> {
    writeln!(out, "Compte de résultat {}", b.annee)?;
    let block =
        |title: &str, postes: &[Poste], total: Option<(&str, crate::domain::money::Money)>| {
            let mut rows: Vec<Vec<Cell>> = postes
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(&p.compte),
                        Cell::text(&p.libelle),
                        Cell::Money(p.montant),
                    ]
                })
                .collect();
            if let Some((label, m)) = total {
                rows.push(vec![Cell::Empty, Cell::text(label), Cell::Money(m)]);
            }
            render::table(&["compte", title, "montant"], &rows)
        };
    writeln!(
        out,
        "{}",
        block(
            "Produits",
            &b.produits,
            Some(("Total des produits", b.total_produits()))
        )
    )?;
    writeln!(
        out,
        "{}",
        block(
            "Charges",
            &b.charges,
            Some(("Total des charges", b.total_charges()))
        )
    )?;
    writeln!(
        out,
        "{} : {}",
        b.resultat_nom(),
        crate::domain::money::Money(b.resultat().cents().abs())
    )?;
    if !b.contributions.is_empty() {
        writeln!(out, "\nContributions volontaires en nature (hors résultat)")?;
        writeln!(out, "{}", block("Contributions", &b.contributions, None))?;
    }
    if b.emprunts_recus.cents() != 0 || b.emprunts_rembourses.cents() != 0 {
        writeln!(
            out,
            "\nHors résultat : emprunts reçus {}, remboursés {} (une dette n'est ni un produit ni une charge).",
            b.emprunts_recus, b.emprunts_rembourses
        )?;
    }
    Ok(())
}
