//! One row of `ici import participants`: a new person, or one the register already
//! holds, matched by code, else by identity. A file updated and imported again
//! adds only its new people.

use crate::cmd::import::Summary;
use crate::db::participants;
use crate::domain::doublon::{Match, email_key, name_key, person_key, phone_key};
use crate::domain::participant::{Profile, ProfileChanges, ProfileDraft, normalise_code};
use crate::error::{field, user};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

/// What became of a row of a participants file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// A new person, under this code.
    Added,
    /// A person already recorded, by code (`None`) or by identity; the columns whose
    /// value differs from the register, left as they are in the register.
    Known {
        by: Option<Match>,
        differences: Vec<&'static str>,
    },
}

/// The code a row of the file got, for the report and `--codes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCode {
    pub line: u64,
    pub code: String,
    pub outcome: RowOutcome,
}

/// Imports one row. A person found in the register is left as it is, even when the
/// row says otherwise: a file may be older than a correction made since, and what
/// differs is reported for `participant corrige`. Two rows of the same file for one
/// person are refused unless `doublon`.
pub fn import_participant<'a>(
    conn: &Connection,
    get: &dyn Fn(&str) -> Option<&'a str>,
    line: u64,
    doublon: bool,
    summary: &mut Summary,
) -> Result<()> {
    // An empty cell is a value not given.
    let cell = |c: &str| get(c).filter(|s| !s.trim().is_empty());
    let changes = ProfileDraft {
        sexe: cell("sexe"),
        naissance: cell("naissance"),
        statut: cell("statut"),
        qpv: cell("qpv"),
        rsa: cell("rsa"),
        mission_locale: cell("mission_locale"),
        diplome: cell("diplome"),
        handicap: cell("handicap"),
        commune: cell("commune"),
        prescripteur: cell("prescripteur"),
        nom: cell("nom"),
        prenom: cell("prenom"),
        telephone: cell("telephone"),
        courriel: cell("courriel"),
    }
    .check(super::this_year())?;
    let code = cell("code").map(normalise_code).transpose();
    let code = field("code", code)?;
    let by_code = match &code {
        Some(c) => conn
            .prepare_cached("SELECT id FROM participant WHERE code = ?1")?
            .query_row([c], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|id| (id, None)),
        None => None,
    };
    let keys = participants::keys_of(&changes);
    let identities = match summary.identities.take() {
        Some(loaded) => loaded,
        None => participants::Identities::load(conn)?,
    };
    let found = match by_code {
        Some(found) => Some(found),
        None => identities
            .find(&keys, None)
            .map(|(id, why)| (id, Some(why))),
    };
    summary.identities = Some(identities);
    let in_file = found.and_then(|(id, _)| summary.added.get(&id).map(|l| (id, *l)));
    let outcome = match (found, in_file) {
        (Some((_, by)), Some((id, first))) if !doublon => {
            let code: String =
                conn.query_row("SELECT code FROM participant WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            let why = by.map_or("même code", Match::label);
            let err = user(format!(
                "même personne que la ligne {first} de ce fichier ({code}, {why}) ; si ce sont deux personnes, ajoutez --doublon"
            ));
            // Matched by code, the code is the column at fault.
            return Err(match by {
                None => crate::error::in_field("code", err),
                Some(_) => err,
            });
        }
        (Some((id, by)), None) => {
            let held: String =
                conn.query_row("SELECT code FROM participant WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            let p = participants::find(conn, &held)?;
            let identite = participants::identite(conn, id)?;
            let mut differences = differences(&changes, &p.profile, &identite);
            if code.as_ref().is_some_and(|c| *c != p.code) {
                differences.insert(0, "code");
            }
            summary.codes.push(RowCode {
                line,
                code: p.code,
                outcome: RowOutcome::Known { by, differences },
            });
            return Ok(());
        }
        _ => RowOutcome::Added,
    };
    // A row matched only within this file, with --doublon: a second person.
    let new = participants::add(conn, code.as_deref(), &changes, true)?;
    let id: i64 = conn.query_row("SELECT id FROM participant WHERE code = ?1", [&new], |r| {
        r.get(0)
    })?;
    summary.added.insert(id, line);
    if let Some(identities) = summary.identities.as_mut() {
        identities.insert(id, &keys);
    }
    summary.codes.push(RowCode {
        line,
        code: new,
        outcome,
    });
    Ok(())
}

/// The columns a row gives a value to that the register holds differently.
fn differences(
    changes: &ProfileChanges,
    p: &Profile,
    identite: &crate::domain::participant::Identite,
) -> Vec<&'static str> {
    let stored: [(&str, &'static str, Option<String>); 9] = [
        ("sexe", "sexe", p.sexe.map(String::from)),
        ("statut", "statut", p.statut.map(String::from)),
        ("qpv", "qpv", p.qpv.map(String::from)),
        ("rsa", "rsa", p.rsa.map(String::from)),
        (
            "mission_locale",
            "mission_locale",
            p.mission_locale.map(String::from),
        ),
        ("diplome", "diplome", p.diplome.map(String::from)),
        ("handicap", "handicap", p.handicap.map(String::from)),
        ("code_insee", "commune", p.residence.clone()),
        (
            "annee_naissance",
            "naissance",
            p.annee_naissance.map(|y| y.to_string()),
        ),
    ];
    let mut out = Vec::new();
    for (column, value) in changes.columns() {
        if let Some((_, name, held)) = stored.iter().find(|(c, _, _)| *c == column)
            && value.is_some()
            && value != *held
        {
            out.push(*name);
        }
    }
    if let Some(Some(nom)) = &changes.prescripteur
        && p.prescripteur.as_deref().map(name_key) != Some(name_key(nom))
    {
        out.push("prescripteur");
    }
    let held = [
        &identite.nom,
        &identite.prenom,
        &identite.telephone,
        &identite.courriel,
    ];
    type Key = fn(&str) -> String;
    let keys: [(&'static str, Key); 4] = [
        ("nom", person_key),
        ("prenom", person_key),
        ("telephone", phone_key),
        ("courriel", email_key),
    ];
    for ((given, held), (name, key)) in changes.identite.iter().zip(held).zip(keys) {
        if let Some(Some(v)) = given
            && held.as_deref().map(key) != Some(key(v))
        {
            out.push(name);
        }
    }
    out
}

/// The closing message of a participants import: how many were added and found,
/// then the code of each line (unless they were written to `--codes`), and what
/// the register holds differently.
pub fn report_import(
    out: &mut dyn std::io::Write,
    name: &str,
    s: &Summary,
    codes_file: Option<&std::path::Path>,
) -> Result<()> {
    let added = s
        .codes
        .iter()
        .filter(|c| c.outcome == RowOutcome::Added)
        .count();
    let known = s.codes.len() - added;
    writeln!(
        out,
        "{added} participant(s) ajouté(s) depuis {name}, {known} déjà au registre (rien n'y est changé)."
    )?;
    match codes_file {
        Some(path) => writeln!(
            out,
            "Le code de chaque ligne est écrit dans {} (colonne code).",
            path.display()
        )?,
        None => {
            writeln!(out, "Code de chaque ligne :")?;
            for c in &s.codes {
                let what = match &c.outcome {
                    RowOutcome::Added => "ajouté".to_string(),
                    RowOutcome::Known { by: None, .. } => "déjà au registre".to_string(),
                    RowOutcome::Known { by: Some(m), .. } => {
                        format!("déjà au registre ({})", m.label())
                    }
                };
                writeln!(out, "  ligne {} → {} : {what}", c.line, c.code)?;
            }
        }
    }
    for c in &s.codes {
        if let RowOutcome::Known { differences, .. } = &c.outcome
            && !differences.is_empty()
        {
            writeln!(
                out,
                "ligne {} : {} existe déjà, profil différent ({}) : ignoré ; pour le changer : `ici participant corrige {} …`",
                c.line,
                c.code,
                differences.join(", "),
                c.code
            )?;
        }
    }
    Ok(())
}
