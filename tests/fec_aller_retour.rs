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
    let mut created = Vec::new();
    for year in ["2016", "2017"] {
        let f = Path::new(FIXTURES).join(format!("{SIREN}FEC{year}1231.txt"));
        let out = sb.ok(&["import", "fec", f.to_str().unwrap()]);
        created.push(
            out.lines()
                .find(|l| l.contains("tiers créé(s)"))
                .map(String::from),
        );
    }
    assert_eq!(
        created,
        [
            Some("21 tiers créé(s) depuis les comptes auxiliaires (voir `ici tiers list`).".into()),
            Some("13 tiers créé(s) depuis les comptes auxiliaires (voir `ici tiers list`).".into())
        ]
    );
    // Every auxiliary account's label is a tiers, of the nature its account suggests;
    // Ville de Paris (C0002 on 411, S0002 on 441) is one tiers with two accounts.
    let tiers = sb.json(&["tiers", "list"]);
    assert_eq!(tiers.as_array().map(Vec::len), Some(34), "{tiers}");
    let nature = |nom: &str| {
        tiers
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["nom"] == nom)
            .map(|t| t["nature"].clone())
    };
    assert_eq!(nature("MAIF"), Some(serde_json::json!("fournisseur")));
    assert_eq!(nature("Ville de Paris"), Some(serde_json::json!("usager")));
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(
        stats["partenaires"],
        serde_json::json!([]),
        "no supplier nor funder of the books is a partner unless declared one"
    );
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
    let charges = sb.json(&["charge", "list", "--tiers", "maif"]);
    assert_eq!(
        common::column(&charges, "tiers"),
        vec![serde_json::json!("MAIF"); 3],
        "a tiers filters the lists like a partner"
    );
    let shown = sb.ok(&["ecriture", "show", "3"]);
    assert!(
        shown.contains("Journal BQ, numéro BQ2017-00002 dans le FEC."),
        "{shown}"
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

#[test]
fn iso_8859_15_refuses_a_character_it_cannot_hold_and_writes_nothing() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-03-01",
        "--montant",
        "12",
        "--compte",
        "626",
        "--libelle",
        "Timbres œuvre €",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-03-02",
        "--montant",
        "12",
        "--compte",
        "626",
        "--libelle",
        "Timbres de l’atelier",
    ]);
    let dir = sb.path().join("iso");
    std::fs::create_dir_all(&dir).unwrap();
    let args = [
        "export",
        "fec",
        "2017",
        "--siren",
        SIREN,
        "--encodage",
        "iso-8859-15",
        "-o",
        dir.to_str().unwrap(),
    ];
    let err = sb.refused(&args, 2);
    // Header, the two lines of the first entry, then the second entry's first line.
    assert!(err.contains("ligne 4 du FEC"), "{err}");
    assert!(
        err.contains("« ’ » (U+2019)") && err.contains("rien n'a été écrit"),
        "{err}"
    );
    assert!(
        err.contains("colonne EcritureLib : « Timbres de l’atelier »"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file, not even a partial one"
    );
    let err = sb.refused(
        &[
            "export",
            "fec",
            "2017",
            "--siren",
            SIREN,
            "--encodage",
            "latin1",
        ],
        2,
    );
    assert!(
        err.contains("« latin1 »") && err.contains("iso-8859-15"),
        "{err}"
    );
    // What ISO-8859-15 holds (œ, €) is written in one byte each.
    sb.ok(&["ecriture", "annule", "2", "--motif", "apostrophe"]);
    let err = sb.refused(&args, 2);
    assert!(
        err.contains("ligne 4 du FEC"),
        "the reversal still names it: {err}"
    );
}

#[test]
fn a_journal_is_letters_and_digits() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(
        &[
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
            "O D",
        ],
        2,
    );
    assert!(
        err.starts_with("erreur : --journal : journal « O D » invalide"),
        "{err}"
    );
    let out = sb.ok(&[
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
    ]);
    assert!(
        out.contains("Journal OD, numéro OD2017-00001 dans le FEC."),
        "{out}"
    );
}

#[test]
fn an_older_ledger_gets_tiers_on_lines_and_numbers_without_renumbering_imports() {
    let sb = Sandbox::with_refs();
    let fec = sb.file(
        "cabinet.txt",
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\r\n\
         BQ\tBanque\tBQ000012\t20170105\t512000\tBanque\t\t\tP1\t20170105\tFrais\t0,00\t10,00\t\t\t20170110\t\t\r\n\
         BQ\tBanque\tBQ000012\t20170105\t627000\tFrais bancaires\t\t\tP1\t20170105\tFrais\t10,00\t0,00\t\t\t20170110\t\t\r\n",
    );
    sb.ok(&["import", "fec", &fec]);
    sb.ok(&[
        "ecriture",
        "add",
        "--date",
        "2017-09-15",
        "--libelle",
        "Notification",
        "--debit",
        "441=20000",
        "--credit",
        "7413=20000",
        "--tiers",
        "Département du Val-de-Marne",
    ]);
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-10-01",
        "--montant",
        "500",
        "--compte",
        "706",
        "--libelle",
        "Atelier",
        "--tiers",
        "Ville de Villejuif",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-02-01",
        "--montant",
        "30",
        "--compte",
        "626",
        "--libelle",
        "Timbres",
        "--via",
        "530",
    ]);
    // Back to what the previous version wrote: no tiers, no journal of typed entries.
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    // Nor what the later migrations added (0010 to the latest), then the tiers and
    // journals of migration 9 themselves: the ledger goes back to schema 8.
    conn.execute_batch(&common::undo_migrations_after(9))
        .unwrap();
    conn.execute_batch(
        "DROP TABLE ligne_detail; DROP TABLE ecriture_journal; DROP TABLE tiers;
         DROP TRIGGER ecriture_non_modifiable;
         UPDATE ecriture SET journal = NULL WHERE numero_source IS NULL;
         CREATE TRIGGER ecriture_non_modifiable BEFORE UPDATE ON ecriture
         BEGIN
             SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
         END;",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 8).unwrap();
    conn.close().unwrap();

    let tiers = sb.json(&["tiers", "list"]);
    assert_eq!(
        tiers,
        serde_json::json!([
            {"nom": "Département du Val-de-Marne", "nature": "financeur",
             "partenaire": "Département du Val-de-Marne", "lignes": 1},
            {"nom": "Ville de Villejuif", "nature": "usager",
             "partenaire": "Ville de Villejuif", "lignes": 2},
        ]),
        "the 441 line only; both lines of an entry without third-party account"
    );
    let fec = rows(&std::fs::read(export(&sb, "2017", &[])).unwrap());
    let nums: Vec<(&str, &str, &str)> = fec[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[7].as_str()))
        .collect();
    assert_eq!(
        nums,
        [
            ("BQ", "BQ000012", ""),
            ("BQ", "BQ000012", ""),
            ("CA", "CA2017-00001", ""),
            ("CA", "CA2017-00001", ""),
            ("OD", "OD2017-00001", "Département du Val-de-Marne"),
            ("OD", "OD2017-00001", ""),
            ("BQ", "BQ2017-00001", ""),
            ("BQ", "BQ2017-00001", ""),
        ],
        "typed entries numbered in recording order; an auxiliary account on third-party lines only"
    );
    // What the previous version did not keep (the file's ValidDate) becomes the day the
    // entry was recorded.
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    assert_eq!(fec[1][15], today);
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(
        stats["partenaires"],
        serde_json::json!(["Département du Val-de-Marne", "Ville de Villejuif"])
    );
}

#[test]
fn a_tiers_is_renamed_retyped_linked_and_unlinked() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(&["tiers", "add", "MAIF", "--nature", "banque"], 2);
    assert!(
        err.contains("nature « banque » inconnue") && err.contains("preteur"),
        "{err}"
    );
    sb.ok(&["tiers", "add", "Maif", "--nature", "fournisseur"]);
    let err = sb.refused(&["tiers", "add", "MAIF"], 2);
    assert!(err.contains("le tiers « Maif » existe déjà"), "{err}");
    sb.ok(&[
        "tiers",
        "corrige",
        "maif",
        "--nom-nouveau",
        "MAIF",
        "--nature",
        "organisme social",
    ]);
    sb.ok(&[
        "tiers",
        "corrige",
        "MAIF",
        "--partenaire",
        "Ville de Villejuif",
    ]);
    let err = sb.refused(
        &[
            "tiers",
            "add",
            "Villejuif",
            "--partenaire",
            "Ville de Villejuif",
        ],
        2,
    );
    assert!(err.contains("déjà lié au tiers « MAIF »"), "{err}");
    assert_eq!(
        sb.json(&["tiers", "list"]),
        serde_json::json!([{"nom": "MAIF", "nature": "organisme-social",
                            "partenaire": "Ville de Villejuif", "lignes": 0}])
    );
    sb.ok(&["tiers", "corrige", "MAIF", "--sans-partenaire"]);
    assert_eq!(
        sb.json(&["tiers", "list"])[0]["partenaire"],
        serde_json::Value::Null
    );
    let err = sb.refused(&["tiers", "corrige", "MAIFF", "--nature", "autre"], 2);
    assert!(
        err.contains("tiers « MAIFF » inconnu") && err.contains("« MAIF »"),
        "{err}"
    );
}

#[test]
fn lettering_and_foreign_currency_come_back_and_normalisations_are_the_documented_ones() {
    let sb = Sandbox::new();
    // `|` separator, dates with dashes, a negative debit, LF line ends.
    let fec = sb.file(
        "cabinet.txt",
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise\n\
         AC|Achats|AC7|2017-02-03|604000|Achats de prestations|||F-88|2017-02-01|Licence logiciel|120,5|0|||2017-02-28|130,00|USD\n\
         AC|Achats|AC7|2017-02-03|401000|Fournisseurs|F0042|Éditeur SARL|F-88|2017-02-01|Licence logiciel (USD)|-120,50|0|AB|20170310|2017-02-28|-130,00|USD\n",
    );
    sb.ok(&["import", "fec", &fec]);
    let back = rows(&std::fs::read(export(&sb, "2017", &[])).unwrap());
    assert_eq!(
        back[1..],
        [
            vec![
                "AC",
                "Achats",
                "AC7",
                "20170203",
                "604000",
                "Achats de prestations",
                "",
                "",
                "F-88",
                "20170201",
                "Licence logiciel",
                "120,50",
                "0,00",
                "",
                "",
                "20170228",
                "130,00",
                "USD"
            ],
            vec![
                "AC",
                "Achats",
                "AC7",
                "20170203",
                "401000",
                "Fournisseurs",
                "F0042",
                "Éditeur SARL",
                "F-88",
                "20170201",
                "Licence logiciel (USD)",
                "0,00",
                "120,50",
                "AB",
                "20170310",
                "20170228",
                "-130,00",
                "USD"
            ],
        ]
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>()),
        "dates AAAAMMJJ, amounts with two decimals, a negative debit a credit; the rest as read"
    );
}

#[test]
fn merged_partners_keep_one_tiers_with_the_lines_of_both() {
    let sb = Sandbox::with_refs();
    sb.ok(&["partenaire", "add", "Pole emploi Val de Marne", "--nouveau"]);
    sb.ok(&["partenaire", "add", "Pôle emploi Val-de-Marne", "--nouveau"]);
    for (date, tiers) in [
        ("2017-03-01", "Pole emploi Val de Marne"),
        ("2017-03-02", "Pôle emploi Val-de-Marne"),
    ] {
        sb.ok(&[
            "produit",
            "add",
            "--date",
            date,
            "--montant",
            "100",
            "--compte",
            "7411",
            "--libelle",
            "Aide",
            "--tiers",
            tiers,
        ]);
    }
    sb.ok(&[
        "partenaire",
        "fusionne",
        "Pole emploi Val de Marne",
        "--dans",
        "Pôle emploi Val-de-Marne",
    ]);
    assert_eq!(
        sb.json(&["tiers", "list"]),
        serde_json::json!([{"nom": "Pôle emploi Val-de-Marne", "nature": "financeur",
                            "partenaire": "Pôle emploi Val-de-Marne", "lignes": 4}])
    );
}
