//! `ici journal ANNEE [--journal J]`: the year's entries in date order, each with its
//! lines, as the journal an auditor reads.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::cmd::grand_livre::numero;
use crate::cmd::sortie::{Colonne, Lignes, SortieArgs, json_piece, montant};
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
  ici journal 2017
  ici journal 2017 --journal BQ
  ici journal 2017 --format csv -o journal-2017.csv")]
pub struct Args {
    /// Année de l'exercice (2017)
    pub annee: String,
    /// Seulement ce journal (code du fichier importé : BQ, VT, OD…)
    #[arg(long)]
    pub journal: Option<String>,
    #[command(flatten)]
    pub sortie: SortieArgs,
}

pub fn run(ctx: &Ctx, a: Args, stdout: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let ledger = ctx.open_read()?;
    let journal = a
        .journal
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty());
    let mut code = None;
    if let Some(j) = journal {
        let known = livres::journaux(ledger.conn(), annee)?;
        code = known.iter().find(|k| k.eq_ignore_ascii_case(j)).cloned();
        if code.is_none() {
            bail_user!(
                "--journal « {j} » : aucune écriture de {annee} dans ce journal. Journaux de {annee} : {}",
                if known.is_empty() {
                    "aucun (les écritures saisies dans ici n'ont pas de code journal)".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
    }
    let plan = Plan::for_year(annee);
    let format = a.sortie.format();
    let mut out = a.sortie.writer(ctx, stdout)?;
    let mut courante: Option<i64> = None;
    let (mut total_debit, mut total_credit, mut ecritures) = (0i64, 0i64, 0usize);

    if format == Format::Json {
        write!(out, "{{\n  \"annee\": {annee},\n  \"ecritures\": [")?;
        livres::journal(ledger.conn(), annee, journal, |l| {
            let first_line = courante != Some(l.numero);
            if first_line {
                if courante.is_some() {
                    write!(out, "\n      ]\n    }},")?;
                }
                write!(
                    out,
                    "\n    {{\n      \"ecriture\": {},\n      \"numero\": {},\n      \"date\": {},\n      \"journal\": {},\n      \"piece\": {},\n      \"libelle\": {},\n      \"lignes\": [",
                    l.numero,
                    json!(numero(&l)),
                    json!(l.date),
                    json!(l.journal),
                    json!(l.piece),
                    json!(l.libelle)
                )?;
                courante = Some(l.numero);
                ecritures += 1;
            }
            total_debit += l.debit.cents();
            total_credit += l.credit.cents();
            write!(out, "{}\n        ", if first_line { "" } else { "," })?;
            json_piece(
                &mut out,
                &json!({
                    "compte": l.compte,
                    "libelle": chart::label(plan, &l.compte),
                    "debit": l.debit.plain(),
                    "credit": l.credit.plain(),
                }),
            )
        })?;
        if courante.is_some() {
            write!(out, "\n      ]\n    }}\n  ")?;
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
        match &code {
            Some(j) => writeln!(out, "Journal {j} {annee}")?,
            None => writeln!(out, "Journal général {annee}")?,
        }
    }
    let mut lignes = Lignes::new(
        out,
        format,
        a.sortie.excel(),
        vec![
            Colonne::new("date", 10),
            Colonne::new("journal", 7),
            Colonne::new("numéro", 9),
            Colonne::new("pièce", 14),
            Colonne::new("compte", 8),
            Colonne::new("libellé", 40),
            Colonne::new("débit", 14),
            Colonne::new("crédit", 14),
        ],
    )?;
    livres::journal(ledger.conn(), annee, journal, |l| {
        if courante != Some(l.numero) {
            if courante.is_some() {
                lignes.note("")?;
            }
            courante = Some(l.numero);
            ecritures += 1;
        }
        total_debit += l.debit.cents();
        total_credit += l.credit.cents();
        lignes.row(&[
            Cell::text(&l.date),
            Cell::opt(l.journal.as_deref()),
            Cell::text(numero(&l)),
            Cell::opt(l.piece.as_deref()),
            Cell::text(&l.compte),
            Cell::text(&l.libelle),
            montant(l.debit),
            montant(l.credit),
        ])
    })?;
    if format == Format::Table {
        if ecritures == 0 {
            lignes.note(&format!("Aucune écriture en {annee} dans le registre."))?;
        } else {
            lignes.note(&format!(
                "\n{ecritures} écriture(s) ; total des débits {}, des crédits {}.",
                Money(total_debit),
                Money(total_credit)
            ))?;
        }
    }
    lignes.finish()
}
