//! `ici export fse --projet NOM`: one row per named participant of a project, with
//! the European Social Fund's indicators; names only with --avec-identite.

use crate::db::participants::{self, FseRow};
use crate::db::refs;
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::participant::{IDENTITE, is_erased_code, statut_fse, tranche_fse};
use crate::output::{self, Dest};
use crate::render::{Cell, CsvOut};
use anyhow::Result;
use rusqlite::Connection;
use std::io::Write;

/// The columns of `ici export fse`; the identity columns follow `code` when asked.
const FSE_HEADERS: [&str; 16] = [
    "code",
    "sexe",
    "tranche_age",
    "statut_emploi",
    "niveau_diplome",
    "qpv",
    "rsa_minima_sociaux",
    "handicap",
    "date_entree",
    "derniere_presence",
    "jours_presence",
    "heures_suivies",
    "date_sortie",
    "situation_sortie",
    "participant_fse",
    "motif",
];

/// Why a person does not count as an FSE participant, if they do not.
pub fn motif_non_fse(r: &FseRow) -> Option<&'static str> {
    if is_erased_code(&r.code) {
        Some("données effacées à la demande de la personne")
    } else if r.jours <= 1 {
        Some("une journée de participation ou moins")
    } else {
        None
    }
}

/// `ici export fse --projet NOM [--annee 2017] [--avec-identite]`: one row per named
/// participant of the project's sessions in the period; those who do not count as
/// FSE participants are marked, not left out.
pub fn run(
    conn: &Connection,
    projet: Option<&str>,
    annee: Option<&str>,
    avec_identite: bool,
    excel: bool,
    dest: Option<&Dest>,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(projet) = projet else {
        crate::bail_user!(
            "export fse : indiquez le projet avec --projet NOM (par exemple --projet MEDNUM94)"
        );
    };
    let projet_id = refs::projet_id(conn, projet)?;
    let (start, end) = match annee.map(parse_year).transpose()? {
        Some(y) => year_bounds(y),
        None => ("0000-00-00".into(), "9999-99-99".into()),
    };
    let rows = participants::fse_rows(conn, projet_id, (&start, &end), avec_identite)?;
    let mut headers: Vec<&str> = vec![FSE_HEADERS[0]];
    if avec_identite {
        headers.extend(IDENTITE.iter().map(|(k, _)| *k));
    }
    headers.extend(&FSE_HEADERS[1..]);
    let non_fse = output::write_to(dest, out, |sink| write_fse(sink, excel, &headers, &rows))?;
    if let Some(dest) = dest {
        eprintln!(
            "{} ligne(s) exportée(s) vers {}, dont {non_fse} ne compte(nt) pas comme participant(s) FSE (colonne motif).",
            rows.len(),
            dest.path().display()
        );
    }
    Ok(())
}

/// The rows of `ici export fse`; returns how many do not count as FSE participants.
fn write_fse(
    sink: &mut dyn Write,
    excel: bool,
    headers: &[&str],
    rows: &[FseRow],
) -> Result<usize> {
    let mut csv = CsvOut::new(sink, excel, headers)?;
    let mut non_fse = 0;
    for r in rows {
        let p = &r.profile;
        let entree_year: i32 = r.entree[..4].parse().unwrap_or(0);
        let motif = motif_non_fse(r);
        let sortie = r.sortie.as_ref().filter(|_| !is_erased_code(&r.code));
        non_fse += usize::from(motif.is_some());
        let mut cells = vec![Cell::text(&r.code)];
        if let Some(i) = &r.identite {
            cells.extend(i.values().iter().map(|v| Cell::opt(v.as_deref())));
        }
        cells.extend([
            Cell::text(p.sexe.unwrap_or("nc")),
            Cell::text(tranche_fse(entree_year, p.annee_naissance)),
            Cell::text(statut_fse(p.statut)),
            Cell::text(p.diplome.unwrap_or("nc")),
            Cell::text(p.qpv.unwrap_or("nc")),
            Cell::text(p.rsa.unwrap_or("nc")),
            Cell::text(p.handicap.unwrap_or("nc")),
            Cell::text(&r.entree),
            Cell::text(&r.derniere),
            Cell::Int(r.jours),
            Cell::Hours(r.minutes),
            // An erased person's exit is kept for the project's rate only (its date is
            // reduced to the year): it is no FSE record.
            Cell::opt(sortie.map(|(d, _)| d.as_str())),
            Cell::opt(sortie.map(|(_, s)| *s)),
            Cell::text(if motif.is_some() { "non" } else { "oui" }),
            Cell::opt(motif),
        ]);
        csv.row(&cells)?;
    }
    csv.finish()?;
    Ok(non_fse)
}
