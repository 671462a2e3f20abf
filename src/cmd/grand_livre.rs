//! `ici grand-livre ANNEE [--compte C]`: every line of the year, account by account,
//! with its entry's date, journal, number, piece and label, the debit or credit, the
//! account's running balance, and each account's totals.

use crate::cmd::Ctx;
use crate::cmd::sortie::{Colonne, Lignes, SortieArgs, json_piece, montant};
use crate::db::livres::{self, LigneLivre};
use crate::domain::account::Compte;
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_year;
use crate::domain::money::Money;
use crate::error::in_field;
use crate::render::{Cell, Format};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exemples :
  ici grand-livre 2017
  ici grand-livre 2017 --compte 512
  ici grand-livre 2017 --compte 4 --excel -o tiers-2017.csv")]
pub struct Args {
    /// Année de l'exercice (2017)
    pub annee: String,
    /// Seulement ce compte et ses sous-comptes (512, 41, 6…)
    #[arg(long)]
    pub compte: Option<String>,
    #[command(flatten)]
    pub sortie: SortieArgs,
}

/// The account being written and its sums so far.
struct Courant {
    compte: String,
    debit: i64,
    credit: i64,
}

impl Courant {
    fn solde(&self) -> Money {
        Money(self.debit - self.credit)
    }
}

/// The number shown for an entry: the accountant's number when it came from a file,
/// else ici's own.
pub fn numero(l: &LigneLivre) -> String {
    l.numero_source
        .clone()
        .unwrap_or_else(|| l.numero.to_string())
}

pub fn run(ctx: &Ctx, a: Args, stdout: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let filtre = match a.compte.as_deref().map(str::trim) {
        None => None,
        Some(c) if c.len() == 1 && matches!(c.as_bytes()[0], b'1'..=b'8') => Some(c.to_string()),
        Some(c) => Some(
            Compte::parse(c)
                .map_err(|e| in_field("compte", e))
                .map_err(crate::error::with_flag)?
                .as_str()
                .to_string(),
        ),
    };
    let ledger = ctx.open_read()?;
    let plan = Plan::for_year(annee);
    let format = a.sortie.format();
    let mut out = a.sortie.writer(ctx, stdout)?;
    let mut courant: Option<Courant> = None;
    let (mut total_debit, mut total_credit) = (0i64, 0i64);
    let mut lignes_vues = 0usize;

    if format == Format::Json {
        write!(out, "{{\n  \"annee\": {annee},\n  \"comptes\": [")?;
        let close = |out: &mut dyn Write, c: &Courant| -> Result<()> {
            write!(
                out,
                "\n      ],\n      \"total_debit\": \"{}\",\n      \"total_credit\": \"{}\",\n      \"solde\": \"{}\"\n    }}",
                Money(c.debit).plain(),
                Money(c.credit).plain(),
                c.solde().plain()
            )?;
            Ok(())
        };
        livres::grand_livre(ledger.conn(), annee, filtre.as_deref(), |l| {
            let first_line = if courant.as_ref().is_none_or(|c| c.compte != l.compte) {
                if let Some(c) = &courant {
                    close(&mut out, c)?;
                    write!(out, ",")?;
                }
                write!(
                    out,
                    "\n    {{\n      \"compte\": {},\n      \"libelle\": {},\n      \"lignes\": [",
                    json!(l.compte),
                    json!(chart::label(plan, &l.compte))
                )?;
                courant = Some(Courant {
                    compte: l.compte.clone(),
                    debit: 0,
                    credit: 0,
                });
                true
            } else {
                false
            };
            let c = courant.as_mut().expect("set above");
            c.debit += l.debit.cents();
            c.credit += l.credit.cents();
            total_debit += l.debit.cents();
            total_credit += l.credit.cents();
            write!(out, "{}\n        ", if first_line { "" } else { "," })?;
            json_piece(
                &mut out,
                &json!({
                    "date": l.date,
                    "journal": l.journal,
                    "numero": numero(&l),
                    "ecriture": l.numero,
                    "piece": l.piece,
                    "libelle": l.libelle,
                    "debit": l.debit.plain(),
                    "credit": l.credit.plain(),
                    "solde": c.solde().plain(),
                }),
            )
        })?;
        if let Some(c) = &courant {
            close(&mut out, c)?;
            write!(out, "\n  ")?;
        }
        writeln!(
            out,
            "],\n  \"total_debit\": \"{}\",\n  \"total_credit\": \"{}\"\n}}",
            Money(total_debit).plain(),
            Money(total_credit).plain()
        )?;
        out.finish()?;
        return Ok(());
    }

    if format == Format::Table {
        writeln!(out, "Grand livre {annee} — {}", plan.name())?;
    }
    let csv = format == Format::Csv;
    let mut colonnes = Vec::new();
    if csv {
        colonnes.push(Colonne::new("compte", 0));
        colonnes.push(Colonne::new("libellé du compte", 0));
    }
    colonnes.extend([
        Colonne::new("date", 10),
        Colonne::new("journal", 7),
        Colonne::new("numéro", 9),
        Colonne::new("pièce", 14),
        Colonne::new("libellé", 40),
        Colonne::new("débit", 14),
        Colonne::new("crédit", 14),
        Colonne::new("solde", 15),
    ]);
    let mut lignes = Lignes::new(out, format, a.sortie.excel(), colonnes)?;
    let total = |lignes: &mut Lignes<'_>, c: &Courant| -> Result<()> {
        let mut row = Vec::new();
        if csv {
            row.extend([
                Cell::text(&c.compte),
                Cell::text(chart::label(plan, &c.compte)),
            ]);
        }
        row.extend([
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(format!("Total du compte {}", c.compte)),
            Cell::Money(Money(c.debit)),
            Cell::Money(Money(c.credit)),
            Cell::Money(c.solde()),
        ]);
        lignes.row(&row)
    };
    livres::grand_livre(ledger.conn(), annee, filtre.as_deref(), |l| {
        lignes_vues += 1;
        if courant.as_ref().is_none_or(|c| c.compte != l.compte) {
            if let Some(c) = &courant {
                total(&mut lignes, c)?;
                lignes.note("")?;
            }
            lignes.note(&format!(
                "Compte {} — {}",
                l.compte,
                chart::label(plan, &l.compte)
            ))?;
            courant = Some(Courant {
                compte: l.compte.clone(),
                debit: 0,
                credit: 0,
            });
        }
        let c = courant.as_mut().expect("set above");
        c.debit += l.debit.cents();
        c.credit += l.credit.cents();
        total_debit += l.debit.cents();
        total_credit += l.credit.cents();
        let mut row = Vec::new();
        if csv {
            row.extend([
                Cell::text(&l.compte),
                Cell::text(chart::label(plan, &l.compte)),
            ]);
        }
        row.extend([
            Cell::text(&l.date),
            Cell::opt(l.journal.as_deref()),
            Cell::text(numero(&l)),
            Cell::opt(l.piece.as_deref()),
            Cell::text(&l.libelle),
            montant(l.debit),
            montant(l.credit),
            Cell::Money(c.solde()),
        ]);
        lignes.row(&row)
    })?;
    if let Some(c) = &courant {
        total(&mut lignes, c)?;
    }
    if format == Format::Table {
        if lignes_vues == 0 {
            lignes.note(&format!("Aucune écriture en {annee} pour ces comptes."))?;
        } else {
            lignes.note(&format!(
                "\n{lignes_vues} ligne(s) ; total des débits {}, des crédits {}.",
                Money(total_debit),
                Money(total_credit)
            ))?;
        }
    }
    lignes.finish()
}
