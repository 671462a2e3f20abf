//! `ici compte list`: the association chart of accounts in force for a year.

use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_year;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Liste les comptes du plan comptable des associations
    List {
        /// Année : le plan de 1999 jusqu'en 2019, celui de 2018 de 2020 à 2024, celui de
        /// 2018 modifié par le règlement ANC 2022-06 à partir de 2025 (par défaut : l'année
        /// en cours)
        #[arg(long)]
        annee: Option<String>,
        /// Seulement une classe (1 à 8) ou un groupe (74)
        #[arg(long)]
        classe: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub fn run(cmd: Commande, out: &mut dyn Write) -> Result<()> {
    let Commande::List {
        annee,
        classe,
        format,
    } = cmd;
    let year = match annee {
        Some(a) => parse_year(&a)?,
        None => chrono::Datelike::year(&chrono::Local::now().date_naive()),
    };
    let plan = Plan::for_year(year);
    let prefix = classe.unwrap_or_default();
    if !prefix.chars().all(|c| c.is_ascii_digit()) {
        crate::bail_user!("--classe « {prefix} » : un chiffre de 1 à 8 (7) ou un groupe (74)");
    }
    let comptes: Vec<&chart::Account> = chart::accounts(plan)
        .iter()
        .filter(|a| a.numero.starts_with(&prefix))
        .collect();
    if format == Format::Json {
        let items: Vec<serde_json::Value> = comptes
            .iter()
            .map(|a| serde_json::json!({"compte": a.numero, "libelle": a.libelle}))
            .collect();
        return render::json(
            out,
            &serde_json::json!({"plan": plan.name(), "comptes": items}),
        );
    }
    if format == Format::Table {
        writeln!(out, "{} — exercice {year}", plan.name())?;
    }
    let rows: Vec<Vec<Cell>> = comptes
        .iter()
        .map(|a| vec![Cell::text(a.numero), Cell::text(a.libelle)])
        .collect();
    render::rows(out, format, &["compte", "libellé"], &rows)
}
