//! `ici verifie`: SQLite's integrity check and the ledger's own rules, each reported;
//! exit status 1 when anything is wrong. `ici cloture` and `ici export fec` run the same
//! checks first and stop on any anomaly.

use crate::cmd::Ctx;
use crate::db::verifie;
use crate::domain::text::escape;
use crate::domain::verifie::Rapport;
use crate::render::{self, Cell, Format};
use anyhow::{Result, anyhow};
use rusqlite::Connection;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Contrôle : l'intégrité du fichier (pages, tables et index, par SQLite), l'équilibre de chaque écriture, 86 = 87 chaque année, les répartitions des sessions dans leur effectif, les présences et autres références (dont les heures de bénévolat et leurs écritures), qu'aucun exercice clos n'a changé depuis sa clôture, et que les totaux par année et par compte (ce que lit le bilan) sont ceux des lignes. Code de sortie 1 si une anomalie est trouvée. Sur un registre d'une version antérieure, met d'abord son schéma à jour (il faut alors le droit d'écriture)."
)]
pub struct Args {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let rapport = verifie::run(ledger.conn());
    match a.format {
        Format::Json => render::json(out, &rapport)?,
        Format::Csv | Format::Excel => {
            let mut rows = Vec::new();
            for v in &rapport.verifications {
                let ok = Cell::text(if v.ok { "oui" } else { "non" });
                if v.details.is_empty() {
                    rows.push(vec![Cell::text(v.nom), ok.clone(), Cell::Empty]);
                }
                for d in &v.details {
                    rows.push(vec![Cell::text(v.nom), ok.clone(), Cell::text(d)]);
                }
            }
            render::rows(out, a.format, &["verification", "ok", "detail"], &rows)?;
        }
        Format::Table => {
            for v in &rapport.verifications {
                let mark = if v.ok { "ok      " } else { "ANOMALIE" };
                writeln!(out, "{mark}  {}", v.nom)?;
                for d in &v.details {
                    // A detail may quote a stored value: shown, never run by the terminal.
                    writeln!(out, "          - {}", escape(d))?;
                }
            }
            if rapport.ok {
                writeln!(out, "Registre vérifié : aucune anomalie.")?;
            }
        }
    }
    if rapport.ok {
        Ok(())
    } else {
        Err(anyhow!(
            "registre vérifié : {} anomalie(s). Ne l'utilisez plus pour écrire : restaurez la dernière sauvegarde saine (voir « Sauvegarde et restauration » dans le README), ou faites examiner le fichier.",
            rapport.anomalies()
        ))
    }
}

/// The checks, before a command that must not run on a damaged ledger (closing a year,
/// writing the FEC): any anomaly stops it, exit status 1, with what was found. `refused`
/// says what is not done: « exercice 2017 non clos ».
pub fn require_clean(conn: &Connection, refused: &str) -> Result<()> {
    let rapport: Rapport = verifie::run(conn);
    if rapport.ok {
        return Ok(());
    }
    let mut found = Vec::new();
    for v in rapport.verifications.iter().filter(|v| !v.ok) {
        for d in v.details.iter().take(5) {
            found.push(format!("  - {} : {d}", v.nom));
        }
        if v.details.len() > 5 {
            found.push(format!(
                "  - {} : et {} autre(s)",
                v.nom,
                v.details.len() - 5
            ));
        }
    }
    Err(anyhow!(
        "{refused} : le registre présente {} anomalie(s).\n{}\nLancez `ici verifie` pour le détail, puis restaurez la dernière sauvegarde saine (voir « Sauvegarde et restauration » dans le README).",
        rapport.anomalies(),
        found.join("\n")
    ))
}
