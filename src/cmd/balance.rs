//! `ici balance ANNEE`: the balance générale, every account moved in the year with its
//! total debit, total credit and balance; the totals of debit and credit are equal
//! when every entry balances.

use crate::cmd::Ctx;
use crate::cmd::sortie::{Colonne, Lignes, SortieArgs, json_piece};
use crate::db::livres;
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_year;
use crate::domain::money::Money;
use crate::render::{Cell, Format};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exemples :
  ici balance 2017
  ici balance 2017 --excel -o balance-2017.csv
  ici balance 2017 --format json")]
pub struct Args {
    /// Année de l'exercice (2017)
    pub annee: String,
    #[command(flatten)]
    pub sortie: SortieArgs,
}

pub fn run(ctx: &Ctx, a: Args, stdout: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let ledger = ctx.open_read()?;
    let plan = Plan::for_year(annee);
    let format = a.sortie.format();
    let mut out = a.sortie.writer(ctx, stdout)?;
    let (mut total_debit, mut total_credit, mut comptes) = (0i64, 0i64, 0usize);
    if format == Format::Json {
        write!(out, "{{\n  \"annee\": {annee},\n  \"comptes\": [")?;
        livres::balance(ledger.conn(), annee, |m| {
            total_debit += m.debit.cents();
            total_credit += m.credit.cents();
            write!(out, "{}\n    ", if comptes == 0 { "" } else { "," })?;
            comptes += 1;
            json_piece(
                &mut out,
                &json!({
                    "compte": m.compte,
                    "libelle": chart::label(plan, &m.compte),
                    "debit": m.debit.plain(),
                    "credit": m.credit.plain(),
                    "solde": Money(m.debit.cents() - m.credit.cents()).plain(),
                }),
            )
        })?;
        writeln!(
            out,
            "{}],\n  \"total_debit\": \"{}\",\n  \"total_credit\": \"{}\"\n}}",
            if comptes == 0 { "" } else { "\n  " },
            Money(total_debit).plain(),
            Money(total_credit).plain()
        )?;
        out.finish()?;
    } else {
        if format == Format::Table {
            writeln!(out, "Balance générale {annee} — {}", plan.name())?;
        }
        let mut lignes = Lignes::new(
            out,
            format,
            a.sortie.excel(),
            vec![
                Colonne::new("compte", 8),
                Colonne::new("libellé", 44),
                Colonne::new("débit", 16),
                Colonne::new("crédit", 16),
                Colonne::new("solde", 16),
            ],
        )?;
        livres::balance(ledger.conn(), annee, |m| {
            total_debit += m.debit.cents();
            total_credit += m.credit.cents();
            comptes += 1;
            lignes.row(&[
                Cell::text(&m.compte),
                Cell::text(chart::label(plan, &m.compte)),
                Cell::Money(m.debit),
                Cell::Money(m.credit),
                Cell::Money(Money(m.debit.cents() - m.credit.cents())),
            ])
        })?;
        lignes.row(&[
            Cell::Empty,
            Cell::text("Total"),
            Cell::Money(Money(total_debit)),
            Cell::Money(Money(total_credit)),
            Cell::Money(Money(total_debit - total_credit)),
        ])?;
        if format == Format::Table && comptes == 0 {
            lignes.note(&format!("Aucune écriture en {annee} dans le registre."))?;
        }
        lignes.finish()?;
    }
    Ok(())
}
