//! Writing the balance sheet at 31 December in the rubriques of the model: each mass
//! (actif immobilisé, actif circulant; fonds propres, fonds dédiés, provisions,
//! dettes) with its rubriques and their accounts, then each side's total.

use crate::bail_user;
use crate::domain::actif_passif::ActifPassif;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

pub fn print(out: &mut dyn Write, ap: &ActifPassif, format: Format) -> Result<()> {
    if ap.total_actif() != ap.total_passif() {
        bail_user!(
            "le bilan au 31/12/{} ne s'équilibre pas (actif {}, passif {}) : une écriture du registre est incomplète",
            ap.annee,
            ap.total_actif(),
            ap.total_passif()
        );
    }
    let rubriques = ap.rubriques();
    match format {
        Format::Json => render::json(
            out,
            &json!({
                "annee": ap.annee,
                "date": format!("{}-12-31", ap.annee),
                "actif": ap.actif,
                "passif": ap.passif,
                "total_actif": ap.total_actif().plain(),
                "total_passif": ap.total_passif().plain(),
                "rubriques": rubriques,
            }),
        ),
        format => {
            let table = format == Format::Table;
            let mut rows: Vec<Vec<Cell>> = Vec::new();
            for (cote, total_nom, total) in [
                ("actif", "Total de l'actif", ap.total_actif()),
                ("passif", "Total du passif", ap.total_passif()),
            ] {
                let mut masse = "";
                for r in rubriques.iter().filter(|r| r.cote == cote) {
                    if table && r.masse != masse {
                        masse = r.masse;
                        rows.push(vec![
                            Cell::text(cote),
                            Cell::Empty,
                            Cell::text(masse),
                            Cell::Empty,
                        ]);
                    }
                    if table {
                        rows.push(vec![
                            Cell::text(cote),
                            Cell::Empty,
                            Cell::text(format!("  {}", r.libelle)),
                            Cell::Money(r.montant),
                        ]);
                    }
                    for l in &r.comptes {
                        rows.push(vec![
                            Cell::text(cote),
                            Cell::text(&l.compte),
                            Cell::text(if table {
                                format!("    {}", l.libelle)
                            } else {
                                l.libelle.clone()
                            }),
                            Cell::Money(l.montant),
                        ]);
                    }
                }
                rows.push(vec![
                    Cell::text(cote),
                    Cell::Empty,
                    Cell::text(total_nom),
                    Cell::Money(total),
                ]);
            }
            if table {
                writeln!(out, "Bilan au 31 décembre {}", ap.annee)?;
            }
            render::rows(
                out,
                format,
                &["côté", "compte", "libellé", "montant"],
                &rows,
            )?;
            // Cash or a bank account with a credit balance is an overdraft at best, and
            // usually a payment recorded without the money that came in.
            for l in ap.passif.iter().filter(|l| l.compte.starts_with('5')) {
                eprintln!(
                    "Attention : le compte {} ({}) est créditeur de {} au 31/12/{} ; pour une caisse, des dépenses ont sans doute été saisies sans l'entrée d'argent correspondante.",
                    l.compte, l.libelle, l.montant, ap.annee
                );
            }
            Ok(())
        }
    }
}
