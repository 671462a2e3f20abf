//! The accountant's files come back whole: import, then export, gives every column of
//! every line again; entries typed in ici get a journal and a number in it.

mod common;

use common::Sandbox;
use std::path::Path;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/fec");
const SIREN: &str = "824137954";

/// The lines of a FEC split into columns: UTF-8, CR LF or LF.
fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

/// Compares two FECs line by line; the error names the first differing line and column.
fn first_difference(original: &[Vec<String>], back: &[Vec<String>]) -> Option<String> {
    let header = &original[0];
    for (i, (a, b)) in original.iter().zip(back).enumerate() {
        if a.len() != b.len() {
            return Some(format!(
                "ligne {} : {} colonnes au lieu de {}",
                i + 1,
                b.len(),
                a.len()
            ));
        }
        for (c, (x, y)) in a.iter().zip(b).enumerate() {
            if x != y {
                return Some(format!(
                    "ligne {}, colonne {} : « {x} » devenu « {y} »",
                    i + 1,
                    header[c]
                ));
            }
        }
    }
    (original.len() != back.len())
        .then(|| format!("{} lignes au lieu de {}", back.len(), original.len()))
}

fn export(sb: &Sandbox, year: &str, extra: &[&str]) -> std::path::PathBuf {
    let dir = sb.path().join(format!("export-{year}-{}", extra.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut args = vec![
        "export",
        "fec",
        year,
        "--siren",
        SIREN,
        "-o",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    sb.ok(&args);
    dir.join(format!("{SIREN}FEC{year}1231.txt"))
}

#[test]
fn the_accountants_files_come_back_column_by_column() {
    let sb = Sandbox::new();
    for year in ["2016", "2017"] {
        let f = Path::new(FIXTURES).join(format!("{SIREN}FEC{year}1231.txt"));
        sb.ok(&["import", "fec", f.to_str().unwrap()]);
    }
    for year in ["2016", "2017"] {
        let original =
            std::fs::read(Path::new(FIXTURES).join(format!("{SIREN}FEC{year}1231.txt"))).unwrap();
        let back = std::fs::read(export(&sb, year, &[])).unwrap();
        let (original, back) = (rows(&original), rows(&back));
        assert_eq!(original[0].len(), 18);
        if let Some(diff) = first_difference(&original, &back) {
            panic!("FEC {year} : {diff}");
        }
    }
    // The bank's two sub-accounts keep their own labels.
    let back = std::fs::read(export(&sb, "2017", &["--encodage", "iso-8859-15"])).unwrap();
    assert!(back.iter().all(|b| *b != 0xC3), "no UTF-8 sequence left");
    let (text, _, bad) = encoding_rs::ISO_8859_15.decode(&back);
    assert!(!bad);
    let original =
        std::fs::read(Path::new(FIXTURES).join(format!("{SIREN}FEC20171231.txt"))).unwrap();
    assert_eq!(
        first_difference(&rows(&original), &rows(text.as_bytes())),
        None,
        "the ISO-8859-15 export holds the same text"
    );
}

#[test]
fn a_comparison_names_the_first_differing_column() {
    let a = rows(b"JournalCode\tCompteLib\r\nBQ\tBanque\r\n");
    let b = rows(b"JournalCode\tCompteLib\r\nBQ\tBanque CA\r\n");
    assert_eq!(
        first_difference(&a, &b).as_deref(),
        Some("ligne 2, colonne CompteLib : « Banque » devenu « Banque CA »")
    );
}

#[test]
fn a_supplier_is_a_tiers_not_a_partner_and_entries_are_numbered_per_journal() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(
        &[
            "charge",
            "add",
            "--date",
            "2017-03-01",
            "--montant",
            "120",
            "--compte",
            "616",
            "--libelle",
            "Assurance",
            "--tiers",
            "MAIF",
        ],
        2,
    );
    assert!(
        err.contains("tiers « MAIF » inconnu") && err.contains("ici tiers add"),
        "{err}"
    );
    sb.ok(&["tiers", "add", "MAIF", "--nature", "fournisseur"]);
    for (date, via) in [
        ("2017-03-01", "512"),
        ("2017-03-02", "530"),
        ("2017-03-03", "512"),
    ] {
        sb.ok(&[
            "charge",
            "add",
            "--date",
            date,
            "--montant",
            "120",
            "--compte",
            "616",
            "--libelle",
            "Assurance",
            "--tiers",
            "MAIF",
            "--via",
            via,
        ]);
    }
    sb.ok(&[
        "ecriture",
        "add",
        "--date",
        "2017-03-04",
        "--libelle",
        "Reclassement",
        "--debit",
        "616=10",
        "--credit",
        "6064=10",
        "--journal",
        "od",
    ]);
    let stats = sb.json(&["stats", "2017"]);
    let partenaires = stats["partenaires"].as_array().cloned().unwrap_or_default();
    assert!(!partenaires.iter().any(|p| p == "MAIF"), "{partenaires:?}");
    let list = sb.ok(&["tiers", "list"]);
    assert!(
        list.contains("MAIF") && list.contains("fournisseur"),
        "{list}"
    );

    let fec = rows(&std::fs::read(export(&sb, "2017", &[])).unwrap());
    let nums: Vec<(&str, &str)> = fec[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        nums,
        [
            ("BQ", "BQ2017-00001"),
            ("BQ", "BQ2017-00001"),
            ("CA", "CA2017-00001"),
            ("CA", "CA2017-00001"),
            ("BQ", "BQ2017-00002"),
            ("BQ", "BQ2017-00002"),
            ("OD", "OD2017-00001"),
            ("OD", "OD2017-00001"),
        ]
    );
    // The supplier is on the lines of its entries, with an auxiliary account on none
    // but third-party lines; the recording date is the ValidDate.
    assert_eq!(fec[1][7], "", "no auxiliary account on a charge line");
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    assert!(fec[1..].iter().all(|r| r[15] == today));
    // Re-importing one's own export adds nothing.
    let f = sb
        .path()
        .join("export-2017-0")
        .join(format!("{SIREN}FEC20171231.txt"));
    let out = sb.ok(&["import", "fec", f.to_str().unwrap()]);
    assert!(out.contains("Rien n'a été ajouté"), "{out}");
}
