//! `ici solde COMPTE [--au DATE]`: the balance of an account and its sub-accounts at
//! the end of a day (today by default), debtor or creditor.

use crate::cmd::Ctx;
use crate::cmd::sortie::{Colonne, Lignes, SortieArgs};
use crate::db::livres;
use crate::domain::account::Compte;
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_date;
use crate::domain::money::Money;
use crate::error::{in_field, with_flag};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use chrono::Datelike;
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exemples :
  ici solde 512 --au 2017-12-31
  ici solde 411
  ici solde 6 --au 30/06/2017")]
pub struct Args {
    /// Compte (512), avec ses sous-comptes (5121, 51200000), ou une classe (6)
    pub compte: String,
    /// Date : le solde à la fin de ce jour (par défaut : aujourd'hui)
    #[arg(long)]
    pub au: Option<String>,
    #[command(flatten)]
    pub sortie: SortieArgs,
}

pub fn run(ctx: &Ctx, a: Args, stdout: &mut dyn Write) -> Result<()> {
    let compte = a.compte.trim();
    let compte = if compte.len() == 1 && matches!(compte.as_bytes()[0], b'1'..=b'8') {
        compte.to_string()
    } else {
        Compte::parse(compte)
            .map_err(|e| in_field("compte", e))
            .map_err(with_flag)?
            .as_str()
            .to_string()
    };
    let au = match &a.au {
        Some(d) => parse_date(d)
            .map_err(|e| in_field("au", e))
            .map_err(with_flag)?,
        None => chrono::Local::now().date_naive(),
    };
    let ledger = ctx.open_read()?;
    let plan = Plan::for_date(au);
    let comptes = livres::solde(
        ledger.conn(),
        &compte,
        &au.format("%Y-%m-%d").to_string(),
        au.year(),
    )?;
    let debit: i64 = comptes.iter().map(|m| m.debit.cents()).sum();
    let credit: i64 = comptes.iter().map(|m| m.credit.cents()).sum();
    let solde = Money(debit - credit);
    let sens = match solde.cents() {
        0 => "soldé",
        n if n > 0 => "débiteur",
        _ => "créditeur",
    };
    let classe;
    let libelle = if compte.len() == 1 {
        classe = format!("Classe {compte}");
        classe.as_str()
    } else {
        chart::label(plan, &compte)
    };
    let format = a.sortie.format();
    let mut out = a.sortie.writer(ctx, stdout)?;
    if format == Format::Json {
        let detail: Vec<_> = comptes
            .iter()
            .map(|m| {
                json!({
                    "compte": m.compte,
                    "libelle": chart::label(plan, &m.compte),
                    "debit": m.debit.plain(),
                    "credit": m.credit.plain(),
                    "solde": Money(m.debit.cents() - m.credit.cents()).plain(),
                })
            })
            .collect();
        render::json(
            &mut out,
            &json!({
                "compte": compte,
                "libelle": libelle,
                "au": au.format("%Y-%m-%d").to_string(),
                "debit": Money(debit).plain(),
                "credit": Money(credit).plain(),
                "solde": solde.plain(),
                "sens": sens,
                "comptes": detail,
            }),
        )?;
        return out.finish();
    }
    if format == Format::Table {
        writeln!(
            out,
            "Solde du compte {compte} ({libelle}) au {} : {} {sens}",
            au.format("%d/%m/%Y"),
            Money(solde.cents().abs())
        )?;
    }
    let mut lignes = Lignes::new(
        out,
        format,
        a.sortie.excel(),
        vec![
            Colonne::new("compte", 10),
            Colonne::new("libellé", 44),
            Colonne::new("débit", 16),
            Colonne::new("crédit", 16),
            Colonne::new("solde", 16),
        ],
    )?;
    for m in &comptes {
        lignes.row(&[
            Cell::text(&m.compte),
            Cell::text(chart::label(plan, &m.compte)),
            Cell::Money(m.debit),
            Cell::Money(m.credit),
            Cell::Money(Money(m.debit.cents() - m.credit.cents())),
        ])?;
    }
    lignes.row(&[
        Cell::text(&compte),
        Cell::text("Total"),
        Cell::Money(Money(debit)),
        Cell::Money(Money(credit)),
        Cell::Money(solde),
    ])?;
    lignes.finish()
}
