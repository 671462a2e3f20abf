//! Batches of changes between ledgers (`ici lot`): the file format and the merge
//! rules, without I/O.
//!
//! A batch is text, one JSON value per line: a header (format, version, the ledger it
//! comes from, how many changes and identities follow), the changes, the identities
//! (only with `--avec-identite`), and a last line `sha256 HEX`, the digest of every
//! byte before it. A batch cut short has no such line, or a wrong count; an altered one
//! has the wrong digest: either is refused whole.
//!
//! Merge rules: a record's state is the fold of all the changes ever made to it, on
//! any ledger, field by field — the latest change (by UTC time, then origin and number,
//! so that every ledger orders them alike) sets each field. A deletion (an erasure, a
//! merge) wins over any field. The result depends on the set of changes, never on the
//! order batches arrive in.

pub mod format;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One change of one record, as journaled on its origin ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The ledger it was made on (its global id, in hex).
    pub origine: String,
    /// Its number on that ledger.
    pub numero: i64,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SS.sssZ`).
    pub fait_le: String,
    /// The table of the record.
    pub quoi: String,
    /// The record's global id, in hex.
    pub cible: String,
    /// `ecrit` (fields written) or `supprime` (the record left its ledger).
    pub genre: String,
    /// The fields written, references as the referenced record's global id.
    pub donnees: Option<Map<String, Value>>,
}

impl Change {
    /// The order every ledger gives to changes: time, then origin, then number.
    pub fn order_key(&self) -> (&str, &str, i64) {
        (&self.fait_le, &self.origine, self.numero)
    }

    pub fn is_deletion(&self) -> bool {
        self.genre == "supprime"
    }
}

/// A participant's identity, carried only with `--avec-identite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identite {
    /// The participant's global id, in hex.
    pub participant: String,
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
}

/// A record's state from its changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Folded {
    pub deleted: bool,
    /// Each field's value, from the latest change that wrote it.
    pub fields: Map<String, Value>,
    /// Fields written on more than one ledger with different values: (field, the value
    /// kept, the value it won over).
    pub contested: Vec<(String, Value, Value)>,
}

/// The state of one record from all its changes, in any order.
pub fn fold(changes: &[Change]) -> Folded {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut out = Folded::default();
    let mut writer: Map<String, Value> = Map::new();
    for c in sorted {
        if c.is_deletion() {
            out.deleted = true;
            continue;
        }
        let Some(d) = &c.donnees else { continue };
        for (k, v) in d {
            if let Some(old) = out.fields.get(k)
                && old != v
                && writer.get(k).and_then(Value::as_str) != Some(c.origine.as_str())
            {
                out.contested.retain(|(f, _, _)| f != k);
                out.contested.push((k.clone(), v.clone(), old.clone()));
            }
            out.fields.insert(k.clone(), v.clone());
            writer.insert(k.clone(), Value::String(c.origine.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(origine: &str, numero: i64, fait_le: &str, donnees: Value) -> Change {
        Change {
            origine: origine.into(),
            numero,
            fait_le: fait_le.into(),
            quoi: "session".into(),
            cible: "01".into(),
            genre: "ecrit".into(),
            donnees: donnees.as_object().cloned(),
        }
    }

    #[test]
    fn the_latest_write_of_each_field_wins_in_any_order() {
        let a = change(
            "A",
            1,
            "2026-01-01T10:00:00.000Z",
            json!({"participants": 5, "intitule": "x"}),
        );
        let b = change(
            "B",
            1,
            "2026-01-02T10:00:00.000Z",
            json!({"participants": 7}),
        );
        let c = change("A", 2, "2026-01-03T10:00:00.000Z", json!({"intitule": "y"}));
        let orders = [
            vec![a.clone(), b.clone(), c.clone()],
            vec![c.clone(), b.clone(), a.clone()],
            vec![b.clone(), a.clone(), c.clone()],
        ];
        for o in orders {
            let f = fold(&o);
            assert_eq!(f.fields["participants"], json!(7));
            assert_eq!(f.fields["intitule"], json!("y"));
            assert!(!f.deleted);
            assert_eq!(
                f.contested,
                vec![("participants".to_string(), json!(7), json!(5))]
            );
        }
    }

    #[test]
    fn a_deletion_wins_over_later_writes() {
        let mut d = change("A", 1, "2026-01-01T10:00:00.000Z", json!({}));
        d.genre = "supprime".into();
        d.donnees = None;
        let w = change("B", 1, "2026-02-01T10:00:00.000Z", json!({"sexe": "f"}));
        assert!(fold(&[w.clone(), d.clone()]).deleted);
        assert!(fold(&[d, w]).deleted);
    }
}
