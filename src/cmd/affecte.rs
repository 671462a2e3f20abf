//! `ici affecte ECRITURE --projet P [--part PCT]`: gives an entry, or a share of it,
//! to a project. An analytic layer beside the books: the entry is not edited, so this
//! works on entries read from an accountant's file and on closed years.

use crate::cmd::Ctx;
use crate::db::financeurs::analytique::{self, pct};
use crate::domain::compte_rendu::parse_part;
use crate::domain::money::Money;
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici affecte 412 --projet MEDNUM94\n  ici affecte 57 --projet NET94 --part 40\n  ici affecte 57 --projet PE94 --part 60\n\nUne écriture peut être partagée entre plusieurs projets, 100 % au plus en tout. Affecter de nouveau au même projet remplace sa part. Les numéros d'écriture : `ici ecriture list`.\n\nUn exercice clos s'affecte aussi : l'affectation ne change ni les écritures ni le résultat de l'association (l'empreinte de clôture reste la même), seulement la part de chaque action, et le compte rendu financier se fait justement après la clôture."
)]
pub struct Args {
    /// Numéro de l'écriture
    pub ecriture: i64,
    /// Projet qui reçoit l'écriture (ou une part)
    #[arg(long, value_name = "P")]
    pub projet: String,
    /// Part de l'écriture pour ce projet, en % (100 par défaut)
    #[arg(long, value_name = "PCT")]
    pub part: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let part = a
        .part
        .as_deref()
        .map(parse_part)
        .transpose()?
        .unwrap_or(10_000);
    let mut ledger = ctx.open()?;
    let r = ledger.write(|tx| analytique::affecte(tx, a.ecriture, &a.projet, part))?;
    let share =
        crate::domain::compte_rendu::repartition::split(r.montant, &[u64::from(r.part)], 10_000)[0];
    writeln!(
        out,
        "Écriture n° {} du {} (« {} », {}) : {} au projet {}, soit {} ; affectée à {} en tout.",
        a.ecriture,
        r.date,
        r.libelle,
        Money(r.montant),
        pct(r.part),
        r.projet,
        Money(share),
        pct(r.total)
    )?;
    if r.exercice_clos {
        writeln!(
            out,
            "L'exercice de cette écriture est clos : elle reste telle quelle, seule sa part pour le projet est notée."
        )?;
    }
    Ok(())
}
