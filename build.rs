//! Builds the commune index at build time, so that no command pays for it at
//! start: `data/communes.tsv` becomes one text of every name and key, a table of
//! fixed-size records sorted by INSEE code, and tables of (key, commune) pairs
//! sorted by key, all searched by binary search in `src/territory/index.rs`.
//!
//! Binary layout (little-endian `u32`s), shared with `src/territory/index.rs`: a
//! span is `offset << 8 | length` into the text; a record is [`RECORD`] words
//! (code, nom, département, parent, interco, postal codes joined by commas,
//! population, key, article length); a pair is (key span, record number).

#[path = "src/territory/keys.rs"]
#[allow(dead_code)] // name_key serves the resolver only
mod keys;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

const RECORD: usize = 9;

struct Text {
    text: String,
    spans: HashMap<String, u32>,
}

impl Text {
    fn span(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&span) = self.spans.get(s) {
            return span;
        }
        let offset = self.text.len();
        assert!(s.len() < 256 && offset < 1 << 24, "communes.tsv : {s:?}");
        self.text.push_str(s);
        let span = ((offset as u32) << 8) | s.len() as u32;
        self.spans.insert(s.to_string(), span);
        span
    }
}

struct Row<'a> {
    fields: [&'a str; 7],
    key: String,
    article: usize,
    aliases: Vec<String>,
}

fn main() {
    println!("cargo::rerun-if-changed=data/communes.tsv");
    println!("cargo::rerun-if-changed=src/territory/keys.rs");
    let source = std::fs::read_to_string("data/communes.tsv").expect("data/communes.tsv");
    let mut rows: Vec<Row> = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        let fields: [&str; 7] = parts
            .try_into()
            .unwrap_or_else(|_| panic!("communes.tsv, ligne {} : 7 colonnes attendues", n + 1));
        fields[6]
            .parse::<u32>()
            .unwrap_or_else(|_| panic!("communes.tsv, ligne {} : population illisible", n + 1));
        let mut folded = String::new();
        keys::fold_into(fields[1], &mut folded);
        let mut key = String::new();
        let article = keys::push_key(&folded, &mut key);
        let aliases = if fields[3].is_empty() {
            Vec::new()
        } else {
            keys::arrondissement_aliases(&folded)
        };
        rows.push(Row {
            fields,
            key,
            article,
            aliases,
        });
    }
    rows.sort_by(|a, b| a.fields[0].cmp(b.fields[0]));
    for pair in rows.windows(2) {
        assert!(
            pair[0].fields[0] != pair[1].fields[0],
            "communes.tsv : code {} en double",
            pair[0].fields[0]
        );
    }

    let mut text = Text {
        text: String::new(),
        spans: HashMap::new(),
    };
    let mut records: Vec<u32> = Vec::with_capacity(rows.len() * RECORD);
    let mut names: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut loose: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut postal: BTreeSet<(String, u32)> = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let i = i as u32;
        let [code, nom, dep, parent, interco, cps, pop] = row.fields;
        let cps: Vec<&str> = cps.split(',').filter(|p| !p.is_empty()).collect();
        records.extend([
            text.span(code),
            text.span(nom),
            text.span(dep),
            text.span(parent),
            text.span(interco),
            text.span(&cps.join(",")),
            pop.parse().expect("checked above"),
            text.span(&row.key),
            row.article as u32,
        ]);
        names.insert((row.key.clone(), i));
        for alias in &row.aliases {
            names.insert((alias.clone(), i));
        }
        if row.article > 0 {
            loose.insert((row.key[row.article..].to_string(), i));
        }
        for p in cps {
            postal.insert((p.to_string(), i));
        }
    }
    // A postal code of both a city and one of its arrondissements (75018: Paris
    // and Paris 18e) designates the arrondissement.
    let code_of = |i: u32| rows[i as usize].fields[0];
    let parent_of = |i: u32| rows[i as usize].fields[3];
    let postal: Vec<(String, u32)> = postal
        .iter()
        .filter(|(p, i)| {
            !postal
                .range((p.clone(), 0)..=(p.clone(), u32::MAX))
                .any(|(_, j)| parent_of(*j) == code_of(*i))
        })
        .cloned()
        .collect();

    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    let mut pairs = |file: &str, list: &mut dyn Iterator<Item = &(String, u32)>| {
        let mut bytes = Vec::new();
        for (key, i) in list {
            let span = text.span(key);
            bytes.extend(span.to_le_bytes());
            bytes.extend(i.to_le_bytes());
        }
        std::fs::write(out.join(file), bytes).expect("écriture dans OUT_DIR");
    };
    pairs("names.bin", &mut names.iter());
    pairs("loose.bin", &mut loose.iter());
    pairs("postal.bin", &mut postal.iter());
    let bytes: Vec<u8> = records.iter().flat_map(|w| w.to_le_bytes()).collect();
    std::fs::write(out.join("communes.bin"), bytes).expect("écriture dans OUT_DIR");
    std::fs::write(out.join("communes.txt"), &text.text).expect("écriture dans OUT_DIR");
    let mut rs = String::new();
    writeln!(
        rs,
        "/// Number of communes and arrondissements in the table."
    )
    .unwrap();
    writeln!(rs, "pub(super) const COUNT: usize = {};", rows.len()).unwrap();
    std::fs::write(out.join("communes_count.rs"), rs).expect("écriture dans OUT_DIR");
}
