//! `ici participant oublie CODE`: erases a person at their request, after a
//! confirmation, then says which files made since their registration may still hold
//! their data.

use crate::cmd::{Ctx, confirm};
use crate::db::finances::day;
use crate::db::participants;
use crate::domain::text;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Ctx, code: &str, oui: bool, out: &mut dyn Write) -> Result<()> {
    let mut ledger = ctx.open()?;
    let p = participants::erasable(ledger.conn(), code)?;
    confirm::confirm(
        oui,
        &confirm::Act {
            what: &format!("Effacer {}", p.code),
            consequence: "nom, coordonnées, profil et date des sorties seront supprimés, sans retour possible.",
            expected: &p.code,
            command: &format!("ici participant oublie {}", p.code),
        },
    )?;
    let e = ledger.write(|tx| participants::erase(tx, &p.code))?;
    let clean = participants::checkpoint(ledger.conn())?;
    let old = &e.code;
    writeln!(
        out,
        "{old} effacé à sa demande : nom, coordonnées et profil sont supprimés du registre, de ses sorties ne restent que la situation et l'année. Ses {} présence(s) restent comptées sous un code anonyme, sans lien avec {old} ; l'effacement est noté avec sa seule date.",
        e.presences
    )?;
    let inscrit = day(&e.inscrit_le);
    if e.exports.is_empty() {
        writeln!(
            out,
            "Aucun export ni sauvegarde de données personnelles n'est noté depuis son inscription le {inscrit}."
        )?;
    } else {
        let files: Vec<String> = e
            .exports
            .iter()
            .map(|x| {
                format!(
                    "{} ({}, le {})",
                    text::escape(&x.fichier),
                    text::escape(&x.quoi),
                    day(&x.fait_le)
                )
            })
            .collect();
        writeln!(
            out,
            "Ces fichiers, faits depuis son inscription le {inscrit}, peuvent encore contenir ses données : {} ; effacez-les ou mettez-les à jour.",
            files.join(", ")
        )?;
    }
    if !clean {
        eprintln!(
            "Attention : un autre programme lit le registre ; les données effacées seront retirées du journal du registre (fichier -wal) quand il l'aura fermé."
        );
    }
    Ok(())
}
