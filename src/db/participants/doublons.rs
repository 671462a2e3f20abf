//! The same person recorded twice: found by identity (name, first name and year of
//! birth), phone or e-mail, compared after normalisation.

use crate::domain::doublon::{Match, PersonKeys};
use crate::domain::participant::{Identite, ProfileChanges};
use anyhow::Result;
use rusqlite::Connection;

/// A person of the register taken for the one being recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamePerson {
    pub id: i64,
    pub code: String,
    pub why: Match,
}

/// The identity and year of birth a new person is given.
pub fn keys_of(changes: &ProfileChanges) -> PersonKeys {
    let value = |i: usize| changes.identite[i].clone().flatten();
    let identite = Identite {
        nom: value(0),
        prenom: value(1),
        telephone: value(2),
        courriel: value(3),
    };
    PersonKeys::of(&identite, changes.annee_naissance.flatten())
}

/// The first person (by code order) who is the same as `keys`, other than `except`.
/// Identities are few (people whose name was given) and compared folded, which
/// SQL cannot do: they are read and compared here.
pub fn same_person(
    conn: &Connection,
    keys: &PersonKeys,
    except: Option<i64>,
) -> Result<Option<SamePerson>> {
    if keys.is_empty() {
        return Ok(None);
    }
    let mut st = conn.prepare_cached(
        "SELECT pa.id, pa.code, pa.annee_naissance, i.nom, i.prenom, i.telephone, i.courriel
         FROM participant_identite i JOIN participant pa ON pa.id = i.participant_id
         ORDER BY length(pa.code), pa.code",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if Some(id) == except {
            continue;
        }
        let identite = Identite {
            nom: r.get(3)?,
            prenom: r.get(4)?,
            telephone: r.get(5)?,
            courriel: r.get(6)?,
        };
        if let Some(why) = keys.matches(&PersonKeys::of(&identite, r.get(2)?)) {
            return Ok(Some(SamePerson {
                id,
                code: r.get(1)?,
                why,
            }));
        }
    }
    Ok(None)
}

/// The refusal of a person already in the register.
pub fn refusal(same: &SamePerson) -> anyhow::Error {
    crate::error::user(format!(
        "cette personne est déjà enregistrée : {} ({}) ; voyez sa fiche avec `ici participant show {} --avec-identite`. Si ce sont deux personnes différentes, ajoutez --doublon",
        same.code,
        same.why.label(),
        same.code
    ))
}
