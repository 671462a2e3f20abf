//! `ici ecriture add|annule|show`: any balanced entry, and the reversal that is the
//! only way to undo one (nothing is ever edited or deleted).

use crate::cmd::Ctx;
use crate::db::finances;
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_date;
use crate::domain::finance::EcritureDraft;
use crate::domain::money::Money;
use crate::error::with_flag;
use crate::render::{self, Cell};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une écriture équilibrée, sur autant de comptes que nécessaire
    #[command(
        after_help = "Exemple : une subvention notifiée, à recevoir, puis encaissée :
  ici ecriture add --date 2017-09-15 --libelle \"Notification subvention #MedNum94\" \\
      --debit 441=20000 --credit 7413=20000 --tiers \"Département du Val-de-Marne\" --projet MEDNUM94
  ici ecriture add --date 2017-11-02 --libelle \"Versement subvention #MedNum94\" \\
      --debit 512=20000 --credit 441=20000"
    )]
    Add(AddArgs),
    /// Contrepasse une écriture : écrit l'écriture inverse, liée à elle
    Annule {
        /// Numéro de l'écriture
        #[arg(value_parser = parse_numero)]
        numero: i64,
        /// Pourquoi
        #[arg(long, allow_hyphen_values = true)]
        motif: String,
        /// Date de la contrepassation (par défaut : celle de l'écriture annulée)
        #[arg(long)]
        date: Option<String>,
    },
    /// Affiche une écriture et ses lignes
    Show {
        #[arg(value_parser = parse_numero)]
        numero: i64,
    },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Date : 2017-06-12 ou 12/06/2017
    #[arg(long)]
    pub date: String,
    /// Libellé
    #[arg(long, allow_hyphen_values = true)]
    pub libelle: String,
    /// Compte débité et montant : 512=1234,56 (répétez pour plusieurs lignes)
    #[arg(long, value_name = "COMPTE=MONTANT")]
    pub debit: Vec<String>,
    /// Compte crédité et montant : 706=1234,56 (répétez pour plusieurs lignes)
    #[arg(long, value_name = "COMPTE=MONTANT")]
    pub credit: Vec<String>,
    /// Tiers (voir `ici tiers list`)
    #[arg(long)]
    pub tiers: Option<String>,
    /// Projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Référence de la pièce
    #[arg(long)]
    pub piece: Option<String>,
    /// Journal : BQ banque, CA caisse, OD opérations diverses, AN à-nouveaux, ou un code
    /// du cabinet (par défaut BQ si la banque bouge, CA si la caisse bouge, sinon OD)
    #[arg(long)]
    pub journal: Option<String>,
    /// Enregistrer même si une écriture de même date, libellé et lignes est déjà au
    /// registre (deux paiements identiques)
    #[arg(long)]
    pub doublon: bool,
}

fn parse_numero(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("attendu le numéro d'une écriture, un nombre entier positif".into()),
    }
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add(a) => {
            let entry = EcritureDraft {
                date: &a.date,
                libelle: &a.libelle,
                debits: &a.debit,
                credits: &a.credit,
                tiers: a.tiers.as_deref(),
                projet: a.projet.as_deref(),
                piece: a.piece.as_deref(),
                journal: a.journal.as_deref(),
            }
            .check()
            .map_err(with_flag)?;
            let mut ledger = ctx.open()?;
            let numero = ledger
                .write(|tx| finances::insert(tx, &entry, a.doublon))
                .map_err(with_flag)?;
            writeln!(out, "Écriture n° {numero} enregistrée.")?;
            show(ctx, numero, out)
        }
        Commande::Annule {
            numero,
            motif,
            date,
        } => {
            if motif.trim().is_empty() {
                crate::bail_user!("--motif vide : dites pourquoi l'écriture est contrepassée");
            }
            let date = date
                .as_deref()
                .map(parse_date)
                .transpose()
                .map_err(with_flag)?;
            let mut ledger = ctx.open()?;
            let new = ledger.write(|tx| finances::reverse(tx, numero, date, &motif))?;
            writeln!(
                out,
                "Écriture n° {numero} contrepassée par l'écriture n° {new} : leur effet s'annule."
            )?;
            show(ctx, new, out)
        }
        Commande::Show { numero } => show(ctx, numero, out),
    }
}

fn show(ctx: &Ctx, numero: i64, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open()?;
    let Some(e) = finances::get(ledger.conn(), numero)? else {
        crate::bail_user!("écriture n° {numero} introuvable");
    };
    let plan = Plan::for_date(e.date);
    writeln!(
        out,
        "Écriture n° {} du {} : {}",
        e.numero,
        e.date.format("%d/%m/%Y"),
        e.libelle
    )?;
    if let Some((journal, num)) = crate::db::fec_export::place(ledger.conn(), numero)? {
        writeln!(out, "Journal {journal}, numéro {num} dans le FEC.")?;
    }
    if let Some(of) = e.annule_id {
        writeln!(out, "Contrepasse l'écriture n° {of}.")?;
    }
    if let Some(by) = e.annulee_par {
        writeln!(out, "Contrepassée par l'écriture n° {by}.")?;
    }
    let rows: Vec<Vec<Cell>> = e
        .lignes
        .iter()
        .map(|l| {
            let opt = |m: Money| {
                if m.cents() == 0 {
                    Cell::Empty
                } else {
                    Cell::Money(m)
                }
            };
            vec![
                Cell::text(l.compte.as_str()),
                Cell::text(chart::label(plan, l.compte.as_str())),
                opt(l.debit),
                opt(l.credit),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        render::table(&["compte", "libellé", "débit", "crédit"], &rows)
    )?;
    Ok(())
}
