//! `ici territoire [DÉPARTEMENTS]`: shows or sets the home territory, the
//! départements that settle a commune name several communes share.

use crate::cmd::Ctx;
use crate::db::territoire;
use anyhow::Result;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici territoire              affiche le territoire\n  ici territoire 75,92,93,94  le remplace\n\nUne commune dont le nom est porté par plusieurs communes est celle du territoire quand il n'y en a qu'une : avec 94, « Fresnes » est Fresnes (94034), et la confirmation le dit. Les suggestions donnent d'abord les communes du territoire, puis celles déjà au registre. Sans territoire, les communes déjà au registre départagent."
)]
pub struct Args {
    /// Nouveaux départements, séparés par des virgules (75,92,93,94)
    #[arg(value_name = "DÉPARTEMENTS")]
    pub departements: Option<String>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let codes = a
        .departements
        .as_deref()
        .map(territoire::parse_departements)
        .transpose()?;
    let mut ledger = ctx.open_for(codes.is_some())?;
    match codes {
        Some(codes) => {
            ledger.write(|tx| territoire::set_departements(tx, &codes))?;
            writeln!(out, "{}", describe(&codes))?;
        }
        None => {
            let codes = territoire::departements(ledger.conn())?;
            if codes.is_empty() {
                writeln!(
                    out,
                    "Aucun territoire : les communes de même nom sont départagées par celles déjà au registre. Pour en donner un : `ici territoire 94,93,75`."
                )?;
            } else {
                writeln!(out, "{}", describe(&codes))?;
            }
        }
    }
    Ok(())
}

/// « Territoire : 94 (Val-de-Marne), 93 (Seine-Saint-Denis). »
pub fn describe(codes: &[String]) -> String {
    let names: Vec<String> = codes
        .iter()
        .map(|c| match crate::territory::departement(c) {
            Some(d) => format!("{} ({})", d.code, d.nom),
            None => c.clone(),
        })
        .collect();
    format!("Territoire : {}.", names.join(", "))
}
