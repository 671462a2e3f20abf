//! The same person recorded twice: found by identity (name, first name and year of
//! birth), phone or e-mail, compared after normalisation.

use crate::domain::doublon::{Match, PersonKeys};
use crate::domain::participant::{Identite, ProfileChanges};
use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashMap;

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

/// The first person recorded (oldest first) who is the same as `keys`, other than
/// `except`.
pub fn same_person(
    conn: &Connection,
    keys: &PersonKeys,
    except: Option<i64>,
) -> Result<Option<SamePerson>> {
    if keys.is_empty() {
        return Ok(None);
    }
    let found = Identities::load(conn)?.find(keys, except);
    found.map_or(Ok(None), |(id, why)| {
        let code = conn.query_row("SELECT code FROM participant WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
        Ok(Some(SamePerson { id, code, why }))
    })
}

/// Folded (name, first name).
type Names = (String, String);

/// The identities of the register by their keys, loaded once: an import of many
/// rows looks each one up here instead of reading every identity again. Identities
/// are compared folded, which SQL cannot do, so they are folded here.
#[derive(Debug, Default)]
pub struct Identities {
    /// Folded (name, first name) → (id, year of birth), oldest first.
    names: HashMap<Names, Vec<(i64, Option<i32>)>>,
    phones: HashMap<String, Vec<i64>>,
    emails: HashMap<String, Vec<i64>>,
}

impl Identities {
    pub fn load(conn: &Connection) -> Result<Identities> {
        let mut all = Identities::default();
        let mut st = conn.prepare_cached(
            "SELECT pa.id, pa.annee_naissance, i.nom, i.prenom, i.telephone, i.courriel
             FROM participant_identite i JOIN participant pa ON pa.id = i.participant_id
             ORDER BY pa.id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let identite = Identite {
                nom: r.get(2)?,
                prenom: r.get(3)?,
                telephone: r.get(4)?,
                courriel: r.get(5)?,
            };
            all.insert(r.get(0)?, &PersonKeys::of(&identite, r.get(1)?));
        }
        Ok(all)
    }

    /// Adds a person just recorded.
    pub fn insert(&mut self, id: i64, keys: &PersonKeys) {
        if let Some(names) = &keys.names {
            self.names
                .entry(names.clone())
                .or_default()
                .push((id, keys.annee_naissance));
        }
        if let Some(t) = &keys.telephone {
            self.phones.entry(t.clone()).or_default().push(id);
        }
        if let Some(c) = &keys.courriel {
            self.emails.entry(c.clone()).or_default().push(id);
        }
    }

    /// The oldest person who is the same as `keys` (see [`PersonKeys::matches`]),
    /// other than `except`, and why.
    pub fn find(&self, keys: &PersonKeys, except: Option<i64>) -> Option<(i64, Match)> {
        let other = |id: &i64| Some(*id) != except;
        let by_name = keys.names.as_ref().and_then(|n| {
            self.names.get(n)?.iter().find(|(id, year)| {
                other(id)
                    && match (keys.annee_naissance, year) {
                        (Some(a), Some(b)) => a == *b,
                        _ => true,
                    }
            })
        });
        let first = |map: &HashMap<String, Vec<i64>>, key: &Option<String>| {
            key.as_ref()
                .and_then(|k| map.get(k)?.iter().copied().find(|id| other(id)))
        };
        by_name
            .map(|(id, _)| (*id, Match::Identite))
            .or_else(|| first(&self.phones, &keys.telephone).map(|id| (id, Match::Telephone)))
            .or_else(|| first(&self.emails, &keys.courriel).map(|id| (id, Match::Courriel)))
    }
}

/// Whether a code was merged into another (`participant fusionne`): it is never
/// given again.
pub fn code_merged(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM code_fusionne WHERE code = ?1")?
        .exists([code])?)
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
