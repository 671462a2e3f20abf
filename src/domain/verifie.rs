//! The rules `ici verifie` holds the ledger to, without I/O: the report's shape, the
//! canonical form a closed year is digested in, and SQLite's integrity findings in French.

use crate::domain::fingerprint::fnv1a;
use std::collections::HashMap;

/// One check and what it found; `details` is empty when it passed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    pub nom: &'static str,
    pub ok: bool,
    pub details: Vec<String>,
}

impl Verification {
    pub fn new(nom: &'static str, details: Vec<String>) -> Verification {
        Verification {
            nom,
            ok: details.is_empty(),
            details,
        }
    }
}

/// Every check of a run, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rapport {
    pub ok: bool,
    pub verifications: Vec<Verification>,
}

impl Rapport {
    pub fn new(verifications: Vec<Verification>) -> Rapport {
        Rapport {
            ok: verifications.iter().all(|v| v.ok),
            verifications,
        }
    }

    /// How many anomalies were found, over all checks.
    pub fn anomalies(&self) -> usize {
        self.verifications.iter().map(|v| v.details.len()).sum()
    }
}

/// One stored value, as read from a row.
#[derive(Debug, Clone, Copy)]
pub enum Field<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    /// Types the schema never stores in these columns: digested as they are, so that
    /// a value slipped in by hand still shows.
    Real(f64),
    Other(&'a [u8]),
}

/// The canonical bytes of a closed year's entries and lines: every row in id order, each
/// value tagged with its type and its length, so that no two different contents give the
/// same bytes (`"ab","c"` and `"a","bc"` differ).
#[derive(Debug, Default)]
pub struct Canonical {
    bytes: Vec<u8>,
    pub rows: i64,
}

impl Canonical {
    pub fn row(&mut self, fields: &[Field]) {
        self.bytes.push(b'[');
        for f in fields {
            match f {
                Field::Null => self.bytes.push(b'N'),
                Field::Int(i) => {
                    self.bytes.push(b'I');
                    self.bytes.extend_from_slice(&i.to_le_bytes());
                }
                Field::Text(t) => self.tagged(b'T', t.as_bytes()),
                Field::Real(r) => {
                    self.bytes.push(b'R');
                    self.bytes.extend_from_slice(&r.to_le_bytes());
                }
                Field::Other(b) => self.tagged(b'B', b),
            }
        }
        self.bytes.push(b']');
        self.rows += 1;
    }

    /// Starts the lines after the entries, so that moving a row across cannot hide.
    pub fn section(&mut self, name: &str) {
        self.tagged(b'S', name.as_bytes());
    }

    fn tagged(&mut self, tag: u8, b: &[u8]) {
        self.bytes.push(tag);
        self.bytes
            .extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.bytes.extend_from_slice(b);
    }

    /// The digest stored in `cloture_empreinte.empreinte`: FNV-1a, 16 hex digits.
    pub fn digest(&self) -> String {
        format!("{:016x}", fnv1a(&self.bytes))
    }
}

/// What a closed year holds now, or held when it was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearDigest {
    pub empreinte: String,
    pub ecritures: i64,
    pub lignes: i64,
}

/// How a closed year compares with its digest at closing; `None` when unchanged.
pub fn closed_year_change(annee: i32, stored: &YearDigest, now: &YearDigest) -> Option<String> {
    if stored == now {
        return None;
    }
    let mut what = Vec::new();
    if stored.ecritures != now.ecritures {
        what.push(format!(
            "{} écriture(s) à la clôture, {} aujourd'hui",
            stored.ecritures, now.ecritures
        ));
    }
    if stored.lignes != now.lignes {
        what.push(format!(
            "{} ligne(s) à la clôture, {} aujourd'hui",
            stored.lignes, now.lignes
        ));
    }
    if what.is_empty() {
        what.push("le contenu d'écritures ou de lignes a changé".to_string());
    }
    Some(format!(
        "exercice {annee} modifié depuis sa clôture : {} (empreinte {} à la clôture, {} aujourd'hui)",
        what.join(", "),
        stored.empreinte,
        now.empreinte
    ))
}

/// An entry whose debits and credits differ, in words.
pub fn unbalanced(numero: i64, date: &str, debit: i64, credit: i64) -> Option<String> {
    use crate::domain::money::Money;
    (debit != credit).then(|| {
        format!(
            "écriture n° {numero} du {date} déséquilibrée : débits {}, crédits {}",
            Money(debit),
            Money(credit)
        )
    })
}

/// Volunteer contributions: the uses (86, debit) must equal the resources (87, credit).
pub fn contributions_mismatch(annee: i32, emplois: i64, contributions: i64) -> Option<String> {
    use crate::domain::money::Money;
    (emplois != contributions).then(|| {
        format!(
            "{annee} : emplois des contributions volontaires (86) {} ≠ contributions (87) {}",
            Money(emplois),
            Money(contributions)
        )
    })
}

/// What a schema object is, for messages: `l'index session_date (table session)`.
#[derive(Debug, Clone)]
pub struct SchemaObject {
    pub kind: String,
    pub name: String,
    pub table: String,
}

impl SchemaObject {
    pub fn describe(&self) -> String {
        if self.kind == "index" {
            format!("l'index {} (table {})", self.name, self.table)
        } else {
            format!("la table {}", self.name)
        }
    }
}

/// One line of `PRAGMA integrity_check` in French. SQLite words its findings in English;
/// the known forms are recognised and the index or table they concern named, the others
/// reported as damage to the page or object they mention. `by_root` maps each root page
/// to its object, `by_name` each index or table name.
pub fn integrity_finding(
    raw: &str,
    by_root: &HashMap<i64, SchemaObject>,
    by_name: &HashMap<String, SchemaObject>,
) -> String {
    let raw = raw
        .trim()
        .trim_start_matches("*** in database main ***")
        .trim();
    let named = |name: &str| {
        by_name
            .get(name)
            .map_or_else(|| format!("l'objet {name}"), SchemaObject::describe)
    };
    if let Some(rest) = raw.strip_prefix("row ")
        && let Some((row, index)) = rest.split_once(" missing from index ")
    {
        return format!(
            "l'enregistrement n° {row} manque dans {}",
            named(index.trim())
        );
    }
    if let Some(index) = raw.strip_prefix("wrong # of entries in index ") {
        return format!("nombre d'entrées faux dans {}", named(index.trim()));
    }
    if let Some(index) = raw.strip_prefix("non-unique entry in index ") {
        return format!("entrée en double dans {}", named(index.trim()));
    }
    if let Some(col) = raw.strip_prefix("NULL value in ") {
        return format!("valeur vide interdite dans la colonne {}", col.trim());
    }
    if let Some(table) = raw.strip_prefix("CHECK constraint failed in ") {
        return format!("valeur contraire aux règles dans {}", named(table.trim()));
    }
    // « Tree 12 page 34 cell 2: … » names the root page of the damaged object.
    let number_after = |word: &str| -> Option<i64> {
        let at = raw.find(word)? + word.len();
        let digits: String = raw[at..]
            .chars()
            .skip_while(|c| *c == ' ')
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    let page = number_after("page ").or_else(|| number_after("Page "));
    let on_page = page.map_or(String::new(), |p| format!(" (page {p})"));
    if let Some(tree) = number_after("Tree ") {
        return match by_root.get(&tree) {
            Some(o) => format!("structure endommagée dans {}{on_page}", o.describe()),
            None => format!("structure endommagée dans l'arbre de la page {tree}{on_page}"),
        };
    }
    match page {
        Some(p) => format!("page {p} du fichier endommagée ou mal référencée"),
        None => "structure du fichier endommagée".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects() -> (HashMap<i64, SchemaObject>, HashMap<String, SchemaObject>) {
        let idx = SchemaObject {
            kind: "index".into(),
            name: "ligne_ecriture".into(),
            table: "ligne".into(),
        };
        let table = SchemaObject {
            kind: "table".into(),
            name: "session".into(),
            table: "session".into(),
        };
        (
            HashMap::from([(7, idx.clone()), (3, table.clone())]),
            HashMap::from([
                ("ligne_ecriture".to_string(), idx),
                ("session".into(), table),
            ]),
        )
    }

    #[test]
    fn integrity_findings_name_the_index_or_table() {
        let (by_root, by_name) = objects();
        for (raw, expected) in [
            (
                "row 12 missing from index ligne_ecriture",
                "l'enregistrement n° 12 manque dans l'index ligne_ecriture (table ligne)",
            ),
            (
                "wrong # of entries in index ligne_ecriture",
                "nombre d'entrées faux dans l'index ligne_ecriture (table ligne)",
            ),
            (
                "*** in database main ***\nTree 7 page 7 cell 3: Rowid 5 out of order",
                "structure endommagée dans l'index ligne_ecriture (table ligne) (page 7)",
            ),
            (
                "Tree 3 page 40 cell 0: invalid page number 99",
                "structure endommagée dans la table session (page 40)",
            ),
            (
                "Page 44: never used",
                "page 44 du fichier endommagée ou mal référencée",
            ),
            ("something new", "structure du fichier endommagée"),
        ] {
            assert_eq!(
                integrity_finding(raw, &by_root, &by_name),
                expected,
                "{raw}"
            );
        }
    }

    #[test]
    fn canonical_bytes_keep_field_boundaries() {
        let digest = |rows: &[&[Field]]| {
            let mut c = Canonical::default();
            for r in rows {
                c.row(r);
            }
            c.digest()
        };
        let a = digest(&[&[Field::Text("ab"), Field::Text("c")]]);
        let b = digest(&[&[Field::Text("a"), Field::Text("bc")]]);
        assert_ne!(a, b);
        assert_ne!(digest(&[&[Field::Null]]), digest(&[&[Field::Text("")]]));
        assert_ne!(digest(&[&[Field::Int(1)]]), digest(&[&[Field::Int(2)]]));
        assert_eq!(a, digest(&[&[Field::Text("ab"), Field::Text("c")]]));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn a_changed_year_says_what_changed() {
        let at = YearDigest {
            empreinte: "00000000000000aa".into(),
            ecritures: 3,
            lignes: 6,
        };
        assert_eq!(closed_year_change(2017, &at, &at.clone()), None);
        let now = YearDigest {
            empreinte: "00000000000000bb".into(),
            ecritures: 3,
            lignes: 6,
        };
        let msg = closed_year_change(2017, &at, &now).unwrap();
        assert!(
            msg.starts_with("exercice 2017 modifié depuis sa clôture"),
            "{msg}"
        );
        assert!(
            msg.contains("00000000000000aa") && msg.contains("00000000000000bb"),
            "{msg}"
        );
        let fewer = YearDigest {
            lignes: 5,
            ..now.clone()
        };
        assert!(
            closed_year_change(2017, &at, &fewer)
                .unwrap()
                .contains("6 ligne(s) à la clôture, 5 aujourd'hui")
        );
    }

    #[test]
    fn balances_and_contributions() {
        assert_eq!(unbalanced(1, "2017-01-01", 100, 100), None);
        let msg = unbalanced(4, "2017-01-02", 100, 90).unwrap();
        assert!(
            msg.contains("n° 4") && msg.contains("déséquilibrée"),
            "{msg}"
        );
        assert_eq!(contributions_mismatch(2017, 5, 5), None);
        assert!(
            contributions_mismatch(2017, 5, 4)
                .unwrap()
                .starts_with("2017 : ")
        );
    }
}
