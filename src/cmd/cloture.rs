//! `ici cloture [ANNEE]`: closes a year once the general assembly has approved its
//! accounts; without a year, lists the closed ones.

use crate::cmd::{Ctx, bilan, confirm, verifie};
use crate::db::finances;
use crate::db::verifie as db_verifie;
use crate::domain::date::parse_year;
use crate::domain::money::Money;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Après la clôture, aucune écriture datée de l'année ne peut être ajoutée ni contrepassée : une correction se passe sur l'exercice suivant. La clôture est définitive."
)]
pub struct Args {
    /// Année à clôturer (sans année : la liste des exercices clos)
    pub annee: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Confirmer sans question (pour un script) ; sinon, l'année est à retaper
    #[arg(long)]
    pub oui: bool,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let Some(annee) = a.annee else {
        let ledger = ctx.open_read()?;
        let clos = finances::clotures(ledger.conn())?;
        if a.format == Format::Json {
            let items: Vec<serde_json::Value> = clos
                .iter()
                .map(|(y, le)| serde_json::json!({"annee": y, "cloture_le": le}))
                .collect();
            return render::json(out, &items);
        }
        let rows: Vec<Vec<Cell>> = clos
            .iter()
            .map(|(y, le)| {
                vec![
                    Cell::text(y.to_string()),
                    Cell::text(crate::db::finances::day(le)),
                ]
            })
            .collect();
        render::rows(out, a.format, &["exercice", "clos le"], &rows)?;
        if a.format == Format::Table && clos.is_empty() {
            writeln!(out, "Aucun exercice clos.")?;
        }
        return Ok(());
    };
    let annee = parse_year(&annee)?;
    let mut ledger = ctx.open()?;
    // Every reason to refuse is given before the question, not after the user has
    // typed the year: the closing is tried, then undone.
    {
        let dry = ledger.conn().unchecked_transaction()?;
        finances::cloturer(&dry, annee)?;
        dry.rollback()?;
    }
    // A year is closed for good: never on a ledger that is damaged or already altered.
    verifie::require_clean(ledger.conn(), &format!("exercice {annee} non clos"))?;
    let year = annee.to_string();
    confirm::confirm(
        a.oui,
        &confirm::Act {
            what: &format!("Clôturer l'exercice {annee}"),
            consequence: &format!(
                "aucune écriture datée de {annee} ne pourra plus être ajoutée ni contrepassée."
            ),
            expected: &year,
            command: &format!("ici cloture {annee}"),
        },
    )?;
    ledger.write(|tx| {
        finances::cloturer(tx, annee)?;
        // The proof that the year stays as closed, kept with the closing itself.
        db_verifie::store_digest(tx, annee)
    })?;
    let b = bilan::compute(ledger.conn(), annee)?;
    writeln!(
        out,
        "Exercice {annee} clos : produits {}, charges {}, {} {}. Ces chiffres ne changeront plus.",
        b.total_produits(),
        b.total_charges(),
        b.resultat_nom().to_lowercase(),
        Money(b.resultat().cents().abs())
    )?;
    Ok(())
}
