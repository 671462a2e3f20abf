//! `ici produit|charge add|list` and `ici emprunt add|rembourse`: the simple entries a
//! treasurer records. One file serves the three commands: they differ only by the
//! account class they accept and the side the money moves on.

use crate::cmd::Ctx;
use crate::db::finances::{self, Filter, LigneDetail};
use crate::db::refs;
use crate::domain::account::Operation;
use crate::domain::chart::{self, Plan};
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::finance::FinanceDraft;
use crate::domain::money::Money;
use crate::error::with_flag;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une écriture (la contrepartie est la banque, 512) ; seulement pour un
    /// compte qui se règle en argent : dotations, reprises, fonds dédiés, transferts,
    /// variations de stocks ou cessions passent par `ici ecriture add`
    #[command(
        after_help = "Exemples :\n  ici produit add --date 2017-09-15 --montant 20000 --compte 7413 --libelle \"Subvention MedNum94\" --tiers \"Département du Val-de-Marne\" --projet MEDNUM94\n  ici charge add --date 2017-06-30 --montant \"1 250,00 €\" --compte 613 --libelle \"Loyer juin\""
    )]
    Add(EntryArgs),
    /// Liste les écritures de l'année
    List(ListArgs),
}

#[derive(Debug, clap::Subcommand)]
pub enum EmpruntCommande {
    /// Enregistre un emprunt reçu (compte 16…) : une dette, jamais un produit
    Add(EntryArgs),
    /// Enregistre un remboursement d'emprunt (compte 16…) : jamais une charge
    Rembourse(EntryArgs),
}

#[derive(Debug, clap::Args)]
pub struct EntryArgs {
    /// Date : 2017-06-12, 12/06/2017, 12/06, hier…
    #[arg(long, allow_hyphen_values = true)]
    pub date: String,
    /// Montant en euros : 1234,56 ou 1234.56 ou « 1 234,56 € »
    #[arg(long, allow_hyphen_values = true)]
    pub montant: String,
    /// Compte : 7… pour un produit (706, 741, 756), 6… pour une charge (6411, 613), 16… pour un emprunt
    #[arg(long, allow_hyphen_values = true)]
    pub compte: String,
    /// Libellé de l'écriture
    #[arg(long, allow_hyphen_values = true)]
    pub libelle: String,
    /// Tiers : le financeur, le client ou le prêteur (voir `ici partenaire list`)
    #[arg(long, allow_hyphen_values = true)]
    pub tiers: Option<String>,
    /// Projet concerné
    #[arg(long, allow_hyphen_values = true)]
    pub projet: Option<String>,
    /// Référence de la pièce justificative
    #[arg(long, allow_hyphen_values = true)]
    pub piece: Option<String>,
    /// Contrepartie : 512 (banque, par défaut) ou 530 (caisse)
    #[arg(long, allow_hyphen_values = true)]
    pub via: Option<String>,
    /// Enregistrer même si une écriture de même date, montant, compte et libellé est
    /// déjà au registre (deux paiements identiques)
    #[arg(long)]
    pub doublon: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Année (2017)
    #[arg(long)]
    pub annee: Option<String>,
    /// Projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Tiers
    #[arg(long)]
    pub tiers: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(ctx: &Ctx, op: Operation, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add(a) => record(ctx, op, &a, out),
        Commande::List(a) => list(ctx, op, a, out),
    }
}

pub fn run_emprunt(ctx: &Ctx, cmd: EmpruntCommande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        EmpruntCommande::Add(a) => record(ctx, Operation::Emprunt, &a, out),
        EmpruntCommande::Rembourse(a) => record(ctx, Operation::Remboursement, &a, out),
    }
}

impl EntryArgs {
    pub fn draft(&self) -> FinanceDraft<'_> {
        FinanceDraft {
            date: &self.date,
            montant: &self.montant,
            compte: &self.compte,
            libelle: &self.libelle,
            tiers: self.tiers.as_deref(),
            projet: self.projet.as_deref(),
            piece: self.piece.as_deref(),
            via: self.via.as_deref(),
        }
    }
}

fn record(ctx: &Ctx, op: Operation, a: &EntryArgs, out: &mut dyn Write) -> Result<()> {
    let entry = a.draft().check(op).map_err(with_flag)?;
    let mut ledger = ctx.open()?;
    let numero = ledger
        .write(|tx| finances::insert(tx, &entry, a.doublon))
        .map_err(with_flag)?;
    let l = &entry.lignes[0];
    let montant = Money(l.debit.cents() + l.credit.cents());
    let what = match op {
        Operation::Produit => "Produit enregistré",
        Operation::Charge => "Charge enregistrée",
        Operation::Emprunt => "Emprunt reçu enregistré",
        Operation::Remboursement => "Remboursement d'emprunt enregistré",
    };
    writeln!(
        out,
        "{what} : écriture n° {numero} du {}, {montant} au compte {} ({}), contrepartie {}.",
        entry.date.format("%d/%m/%Y"),
        l.compte.as_str(),
        chart::label(Plan::for_date(entry.date), l.compte.as_str()),
        entry.lignes[1].compte.as_str(),
    )?;
    if matches!(op, Operation::Emprunt | Operation::Remboursement) {
        writeln!(
            out,
            "Un emprunt est une dette : il n'entre ni dans les produits ni dans les charges."
        )?;
    }
    Ok(())
}

/// Filters shared by `produit list`, `charge list` and `export finances`.
pub fn filter(
    conn: &rusqlite::Connection,
    annee: Option<&str>,
    projet: Option<&str>,
    tiers: Option<&str>,
) -> Result<Filter> {
    let (tiers, partenaire) = match tiers {
        Some(t) => crate::db::tiers::for_filter(conn, t)?,
        None => (None, None),
    };
    Ok(Filter {
        period: annee.map(parse_year).transpose()?.map(year_bounds),
        projet_id: projet.map(|p| refs::projet_id(conn, p)).transpose()?,
        tiers_id: partenaire,
        tiers,
        filtered: tiers.is_some() || partenaire.is_some(),
        ..Filter::default()
    })
}

#[derive(serde::Serialize)]
struct LineJson {
    numero: i64,
    date: String,
    compte: String,
    libelle: String,
    tiers: Option<String>,
    projet: Option<String>,
    piece: Option<String>,
    montant: String,
}

fn list(ctx: &Ctx, op: Operation, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let f = filter(
        ledger.conn(),
        a.annee.as_deref(),
        a.projet.as_deref(),
        a.tiers.as_deref(),
    )?;
    let class = if op == Operation::Produit { '7' } else { '6' };
    let mut kept: Vec<(LigneDetail, Money)> = Vec::new();
    finances::lines(ledger.conn(), &f, |l| {
        if l.compte.starts_with(class) {
            let signed = if class == '7' {
                l.credit.cents() - l.debit.cents()
            } else {
                l.debit.cents() - l.credit.cents()
            };
            kept.push((l, Money(signed)));
        }
        Ok(())
    })?;
    if a.format == Format::Json {
        let items: Vec<LineJson> = kept
            .into_iter()
            .map(|(l, m)| LineJson {
                numero: l.numero,
                date: l.date,
                compte: l.compte,
                libelle: l.libelle,
                tiers: l.tiers,
                projet: l.projet,
                piece: l.piece,
                montant: m.plain(),
            })
            .collect();
        return render::json(out, &items);
    }
    let total = Money(kept.iter().map(|(_, m)| m.cents()).sum());
    let rows: Vec<Vec<Cell>> = kept
        .iter()
        .map(|(l, m)| {
            vec![
                Cell::Int(l.numero),
                Cell::text(&l.date),
                Cell::text(&l.compte),
                Cell::text(&l.libelle),
                Cell::opt(l.tiers.as_deref()),
                Cell::opt(l.projet.as_deref()),
                Cell::Money(*m),
            ]
        })
        .collect();
    let headers = [
        "n°", "date", "compte", "libellé", "tiers", "projet", "montant",
    ];
    render::rows(out, a.format, &headers, &rows)?;
    if a.format == Format::Table {
        let mut numeros: Vec<i64> = kept.iter().map(|(l, _)| l.numero).collect();
        numeros.dedup();
        writeln!(
            out,
            "{} ligne(s) de {} écriture(s), total {total}.",
            rows.len(),
            numeros.len()
        )?;
    }
    Ok(())
}
