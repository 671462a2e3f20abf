//! `ici ecriture add|annule|corrige|show|list`: any balanced entry, and the reversal
//! that is the only way to undo or correct one (nothing is ever edited or deleted).

use crate::cmd::Ctx;
use crate::db::finances;
use crate::db::finances::LigneDetail;
use crate::domain::chart::{self, Plan};
use crate::domain::date::{parse_date, parse_past_date};
use crate::domain::finance::{EcritureCorrection, EcritureDraft, parse_compte_change};
use crate::domain::money::Money;
use crate::domain::optional_text;
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
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
    /// Corrige une écriture en une commande : écrit sa contrepassation et l'écriture
    /// corrigée (rien n'est effacé)
    #[command(after_help = "Exemples :
  ici ecriture corrige 12 --montant 1250,00
  ici ecriture corrige 12 --compte 6226 --motif \"honoraires, pas publicité\"
  ici ecriture corrige 14 --compte 706=7061 --date 15/06/2017")]
    Corrige(Box<CorrigeArgs>),
    /// Liste les lignes d'écritures, tous comptes
    List(ListArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    group(
        clap::ArgGroup::new("correction")
            .required(true)
            .multiple(true)
            .args(["montant", "compte", "date", "libelle", "tiers", "projet", "piece"])
    ),
    override_usage = "ici ecriture corrige <NUMERO> <OPTION VALEUR>… [--motif <MOTIF>]"
)]
pub struct CorrigeArgs {
    /// Numéro de l'écriture (voir `ici ecriture list`)
    #[arg(value_parser = parse_numero)]
    pub numero: i64,
    /// Nouveau montant d'une écriture de deux lignes : 1250,00
    #[arg(long, allow_hyphen_values = true)]
    pub montant: Option<String>,
    /// Nouveau compte (remplace celui qui n'est ni la banque ni la caisse), ou
    /// ANCIEN=NOUVEAU : 706=7061
    #[arg(long)]
    pub compte: Option<String>,
    /// Nouvelle date
    #[arg(long)]
    pub date: Option<String>,
    /// Nouveau libellé
    #[arg(long, allow_hyphen_values = true)]
    pub libelle: Option<String>,
    /// Nouveau tiers ("" pour le retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub tiers: Option<String>,
    /// Nouveau projet ("" pour le retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub projet: Option<String>,
    /// Nouvelle référence de pièce ("" pour la retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub piece: Option<String>,
    /// Pourquoi (dans le libellé de la contrepassation ; par défaut « correction »)
    #[arg(long, allow_hyphen_values = true)]
    pub motif: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Année (2017)
    #[arg(long)]
    pub annee: Option<String>,
    /// Comptes commençant par : 706, 6, 512
    #[arg(long)]
    pub compte: Option<String>,
    /// Journal : BQ (banque), CA (caisse), OD, ou celui du fichier du cabinet
    #[arg(long)]
    pub journal: Option<String>,
    /// Projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Tiers
    #[arg(long)]
    pub tiers: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Date : 2017-06-12, 12/06/2017, 12/06, hier…
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
        Commande::Corrige(a) => corrige(ctx, *a, out),
        Commande::List(a) => list(ctx, a, out),
    }
}

fn corrige(ctx: &Ctx, a: CorrigeArgs, out: &mut dyn Write) -> Result<()> {
    let numero = a.numero;
    let text = |v: &Option<String>| v.as_deref().map(|v| optional_text(Some(v)));
    let libelle = match a.libelle.as_deref().map(str::trim) {
        Some("") => crate::bail_user!("--libelle vide : décrivez l'écriture"),
        other => other.map(String::from),
    };
    let correction = EcritureCorrection {
        date: a
            .date
            .as_deref()
            .map(|d| field("date", parse_past_date(d)))
            .transpose()
            .map_err(with_flag)?,
        libelle,
        piece: text(&a.piece),
        tiers: text(&a.tiers),
        projet: text(&a.projet),
        montant: a
            .montant
            .as_deref()
            .map(|m| field("montant", Money::parse_positive(m)))
            .transpose()
            .map_err(with_flag)?,
        compte: a
            .compte
            .as_deref()
            .map(|c| field("compte", parse_compte_change(c)))
            .transpose()
            .map_err(with_flag)?,
    };
    let motif = a.motif.as_deref().map(str::trim).filter(|m| !m.is_empty());
    let mut ledger = ctx.open()?;
    let (reversal, new) = ledger
        .write(|tx| finances::correct(tx, numero, &correction, motif.unwrap_or("correction")))
        .map_err(with_flag)?;
    writeln!(
        out,
        "Écriture n° {numero} corrigée : contrepassée par l'écriture n° {reversal}, remplacée par l'écriture n° {new}."
    )?;
    show(ctx, new, out)
}

fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let mut f = crate::cmd::finance::filter(
        ledger.conn(),
        a.annee.as_deref(),
        a.projet.as_deref(),
        a.tiers.as_deref(),
    )?;
    if let Some(c) = &a.compte {
        let c = c.trim();
        if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            crate::bail_user!(
                "--compte « {c} » : écrivez le numéro ou le début du numéro d'un compte (706, 6, 512)"
            );
        }
        f.compte = Some(c.to_string());
    }
    f.journal = a.journal.as_deref().map(|j| j.trim().to_string());
    let mut all: Vec<LigneDetail> = Vec::new();
    finances::lines(ledger.conn(), &f, |l| {
        all.push(l);
        Ok(())
    })?;
    if a.format == Format::Json {
        let items: Vec<serde_json::Value> = all
            .iter()
            .map(|l| {
                serde_json::json!({
                    "numero": l.numero,
                    "date": l.date,
                    "compte": l.compte,
                    "libelle": l.libelle,
                    "tiers": l.tiers,
                    "projet": l.projet,
                    "piece": l.piece,
                    "debit": l.debit.plain(),
                    "credit": l.credit.plain(),
                })
            })
            .collect();
        return render::json(out, &items);
    }
    let opt = |m: Money| {
        if m.cents() == 0 {
            Cell::Empty
        } else {
            Cell::Money(m)
        }
    };
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .map(|l| {
            vec![
                Cell::Int(l.numero),
                Cell::text(&l.date),
                Cell::text(&l.compte),
                Cell::text(&l.libelle),
                Cell::opt(l.tiers.as_deref()),
                Cell::opt(l.projet.as_deref()),
                opt(l.debit),
                opt(l.credit),
            ]
        })
        .collect();
    let headers = [
        "n°", "date", "compte", "libellé", "tiers", "projet", "débit", "crédit",
    ];
    render::rows(out, a.format, &headers, &rows)?;
    if a.format == Format::Table {
        let debit = Money(all.iter().map(|l| l.debit.cents()).sum());
        let credit = Money(all.iter().map(|l| l.credit.cents()).sum());
        let mut numeros: Vec<i64> = all.iter().map(|l| l.numero).collect();
        numeros.sort_unstable();
        numeros.dedup();
        writeln!(
            out,
            "{} ligne(s) de {} écriture(s) ; débits {debit}, crédits {credit}.",
            all.len(),
            numeros.len()
        )?;
    }
    Ok(())
}

fn show(ctx: &Ctx, numero: i64, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
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
