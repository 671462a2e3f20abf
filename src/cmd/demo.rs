//! `ici demo`: a throw-away ledger in memory, filled from the 2017 data bundled in
//! the binary, and its bilan and activity figures. The user's ledger is not touched.

use crate::cmd::{bilan, import, stats};
use crate::db::Ledger;
use crate::render::Format;
use anyhow::{Context, Result};
use std::io::Write;

/// The 2017 reference data, in the order they must be loaded.
pub const FIXTURES_2017: [(import::Kind, &str, &str); 10] = [
    (
        import::Kind::Projets,
        "fixtures/2017/projets.csv",
        include_str!("../../fixtures/2017/projets.csv"),
    ),
    (
        import::Kind::Partenaires,
        "fixtures/2017/partenaires.csv",
        include_str!("../../fixtures/2017/partenaires.csv"),
    ),
    // Pseudonymous codes and profiles only: no names in the bundled data.
    (
        import::Kind::Participants,
        "fixtures/2017/participants.csv",
        include_str!("../../fixtures/2017/participants.csv"),
    ),
    (
        import::Kind::Sessions,
        "fixtures/2017/sessions.csv",
        include_str!("../../fixtures/2017/sessions.csv"),
    ),
    (
        import::Kind::Presences,
        "fixtures/2017/presences.csv",
        include_str!("../../fixtures/2017/presences.csv"),
    ),
    (
        import::Kind::Sorties,
        "fixtures/2017/sorties.csv",
        include_str!("../../fixtures/2017/sorties.csv"),
    ),
    (
        import::Kind::Finances,
        "fixtures/2017/finances.csv",
        include_str!("../../fixtures/2017/finances.csv"),
    ),
    // Year-end entries that move no money (depreciation, dedicated funds).
    (
        import::Kind::Ecritures,
        "fixtures/2017/ecritures.csv",
        include_str!("../../fixtures/2017/ecritures.csv"),
    ),
    // The year before, so that `ici bilan 2017 --comparer` has something to compare.
    (
        import::Kind::Finances,
        "fixtures/2016/finances.csv",
        include_str!("../../fixtures/2016/finances.csv"),
    ),
    (
        import::Kind::Ecritures,
        "fixtures/2016/ecritures.csv",
        include_str!("../../fixtures/2016/ecritures.csv"),
    ),
];

/// The 2017 report's target for #MedNum94: 60 % of positive exits (tenths of a
/// percent), as `ici projet objectif MEDNUM94 --sorties-positives 60%` records it.
pub const MEDNUM94: (&str, u32) = ("MEDNUM94", 600);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A ledger in memory holding the bundled 2017 data.
pub fn ledger_2017() -> Result<Ledger> {
    let mut ledger = Ledger::in_memory()?;
    ledger.write(|tx| {
        for (kind, name, text) in FIXTURES_2017 {
            import::import_bytes(tx, kind, name, text.as_bytes(), false)
                .with_context(|| format!("chargement de {name}"))?;
        }
        // The report's target for #MedNum94: 60 % of positive exits.
        crate::db::participants::set_objectif(tx, MEDNUM94.0, None, Some(MEDNUM94.1))?;
        Ok(())
    })?;
    Ok(ledger)
}

pub fn run(a: Args, out: &mut dyn Write) -> Result<()> {
    let ledger = ledger_2017()?;
    let bilan = bilan::compute(ledger.conn(), 2017)?;
    let stats = stats::compute(ledger.conn(), 2017)?;
    match a.format {
        Format::Json => crate::render::json(
            out,
            &serde_json::json!({
                "bilan": bilan_json(&bilan)?,
                "stats": stats_json(&stats)?,
            }),
        ),
        format => {
            if format == Format::Table {
                writeln!(
                    out,
                    "Démonstration : registre temporaire en mémoire, chargé des données 2017 de l'association ICI.\nVotre registre n'est ni lu ni modifié.\n"
                )?;
            }
            bilan::print(out, &bilan, format)?;
            writeln!(out)?;
            stats::print(out, &stats, format)
        }
    }
}

fn bilan_json(b: &crate::domain::bilan::Bilan) -> Result<serde_json::Value> {
    let mut buf = Vec::new();
    bilan::print(&mut buf, b, Format::Json)?;
    Ok(serde_json::from_slice(&buf)?)
}

fn stats_json(s: &crate::domain::stats::Stats) -> Result<serde_json::Value> {
    let mut buf = Vec::new();
    stats::print(&mut buf, s, Format::Json)?;
    Ok(serde_json::from_slice(&buf)?)
}
