//! Every file given to `ici import` is read strictly: what is not a regular file or is
//! too big is refused before reading; a quote left open, a wrong number of fields, an
//! empty file, control characters, an over-long value, mixed encodings are refused with
//! the line, exit status 2 and the ledger unchanged; line numbers are right whatever the
//! line ends; a FEC follows the date rule of the commands and the ledger's amount limit.

mod common;

use common::Sandbox;
use std::time::{Duration, Instant};

const HEADER: &str = "date;projet;commune;duree;participants;intitule";

/// A sessions file: the header, then `rows`, joined by `eol`.
fn sessions(rows: &[&str], eol: &str) -> String {
    let mut lines = vec![HEADER];
    lines.extend_from_slice(rows);
    lines.join(eol) + eol
}

fn session_count(sb: &Sandbox) -> usize {
    sb.json(&["session", "list"])
        .as_array()
        .expect("a list")
        .len()
}

#[test]
fn an_unterminated_quote_names_the_line_where_it_opened() {
    let sb = Sandbox::with_refs();
    let mut rows: Vec<String> = (0..28)
        .map(|i| format!("2017-01-{:02};NET94;Arcueil;2h;5;Atelier {i}", i % 28 + 1))
        .collect();
    // Line 4 of the file (third data row) opens a quote that nothing closes.
    rows[2] = "2017-01-03;NET94;Arcueil;2h;5;\"Atelier sans fin".into();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let path = sb.file("quote.csv", sessions(&refs, "\n"));
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("quote.csv, ligne 4, colonne « intitule »"),
        "{err}"
    );
    assert!(err.contains("guillemet ouvert"), "{err}");
    assert!(err.contains("Atelier sans fin"), "{err}");
    assert_eq!(session_count(&sb), 0);
}

#[test]
fn a_wrong_number_of_fields_is_told_in_french_with_both_counts() {
    let sb = Sandbox::with_refs();
    let path = sb.file(
        "champs.csv",
        sessions(
            &[
                "2017-01-10;NET94;Arcueil;2h;5;Un",
                "2017-01-11;NET94;Arcueil;2h;5;Deux;de trop",
            ],
            "\n",
        ),
    );
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("champs.csv, ligne 3 : 7 champ(s) alors que l'en-tête nomme 6 colonnes"),
        "{err}"
    );
    assert!(
        !err.contains("found record with"),
        "no csv-crate English: {err}"
    );
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let sb = Sandbox::with_refs();
    for (name, bytes) in [
        ("vide.csv", &b""[..]),
        ("bom.csv", &b"\xEF\xBB\xBF"[..]),
        ("blanc.csv", &b"\r\n\n  \n"[..]),
    ] {
        let path = sb.file(name, bytes);
        for kind in ["sessions", "finances", "fec"] {
            let err = sb.refused(&["import", kind, &path], 2);
            assert!(
                err.contains(&format!("{name} : fichier vide")),
                "{kind}: {err}"
            );
            assert!(!err.contains("absente"), "{err}");
        }
    }
}

#[test]
fn control_characters_are_refused_with_line_and_column() {
    let sb = Sandbox::with_refs();
    let path = sb.file(
        "nul.csv",
        sessions(
            &[
                "2017-01-10;NET94;Arcueil;2h;5;Bien",
                "2017-01-11;NET94;Arcueil;2h;5;Ma\0l",
            ],
            "\r\n",
        ),
    );
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("nul.csv, ligne 3, colonne « intitule », caractère 3 : caractère de contrôle U+0000 (NUL)"),
        "{err}"
    );
    let path = sb.file(
        "esc.csv",
        sessions(&["2017-01-10;NET94;Arcueil;2h;5;\u{1b}[31mRouge"], "\n"),
    );
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("ligne 2, colonne « intitule », caractère 1"),
        "{err}"
    );
    assert!(err.contains("U+001B"), "{err}");
    // In a FEC the tab separates columns; any other control character is refused.
    let fec = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\n\
               VE\tVentes\t1\t20240105\t411000\tClients\t\t\tF1\t20240105\tVente\t10,00\t0,00\n\
               VE\tVentes\t1\t20240105\t706000\tPrestations\t\t\tF1\t20240105\tVe\u{7}nte\t0,00\t10,00\n";
    let path = sb.file("fec.txt", fec);
    let err = sb.refused(&["import", "fec", &path], 2);
    assert!(err.contains("ligne 3, caractère"), "{err}");
    assert!(err.contains("U+0007"), "{err}");
}

#[test]
fn a_long_field_gets_the_same_message_on_the_command_line_and_in_a_file() {
    let sb = Sandbox::with_refs();
    // Linux takes at most 128 kB in one argument: 100 000 characters on both sides.
    let long = "x".repeat(100_000);
    let limit = "100000 caractères, au plus 300 ; raccourcissez la valeur";
    let out = sb
        .ici(&[
            "session",
            "add",
            "--date",
            "2017-01-10",
            "--projet",
            "NET94",
            "--commune",
            "Arcueil",
            "--duree",
            "2h",
            "--participants",
            "5",
            "--intitule",
            &long,
        ])
        .output()
        .expect("ici runs");
    assert_eq!(out.status.code(), Some(2));
    let cli = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(cli.contains("--intitule"), "{}", &cli[..cli.len().min(300)]);
    assert!(cli.contains(limit), "{}", &cli[..cli.len().min(300)]);
    assert!(
        cli.len() < 1000,
        "the value is not echoed whole: {} bytes",
        cli.len()
    );
    let row = format!("2017-01-10;NET94;Arcueil;2h;5;{long}");
    let path = sb.file("long.csv", sessions(&[&row], "\n"));
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("long.csv, ligne 2, colonne « intitule »"),
        "{}",
        &err[..300]
    );
    assert!(err.contains(limit), "{}", &err[..err.len().min(300)]);
    assert!(
        err.len() < 1000,
        "the value is not echoed whole: {} bytes",
        err.len()
    );
    // A field of 10 MB in a file, the same.
    let row = format!("2017-01-10;NET94;Arcueil;2h;5;{}", "x".repeat(10 << 20));
    let path = sb.file("dix.csv", sessions(&[&row], "\n"));
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("10485760 caractères, au plus 300"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert!(
        err.len() < 1000,
        "the value is not echoed whole: {} bytes",
        err.len()
    );
    assert_eq!(session_count(&sb), 0);
}

#[test]
fn what_is_not_a_regular_file_is_refused_at_once() {
    let sb = Sandbox::with_refs();
    let folder = sb.path().join("dossier");
    std::fs::create_dir(&folder).unwrap();
    let mut cases = vec![
        ("/dev/zero".to_string(), "un périphérique"),
        (folder.to_str().unwrap().to_string(), "un dossier"),
    ];
    // A named pipe: opening it would wait for a writer forever.
    let fifo = sb.path().join("tube");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        cases.push((
            fifo.to_str().unwrap().to_string(),
            "un périphérique, un tube",
        ));
    }
    for (path, what) in cases {
        for kind in ["sessions", "fec"] {
            let started = Instant::now();
            let err = sb.refused(&["import", kind, &path], 2);
            assert!(started.elapsed() < Duration::from_secs(5), "{path} read?");
            assert!(err.contains(&format!("{path} est {what}")), "{err}");
            assert!(err.contains("pas un fichier ordinaire"), "{err}");
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let sb = Sandbox::with_refs();
    let path = sb.path().join("enorme.csv");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: no disk used, and nothing is read.
    file.set_len(ici::input::MAX_FILE_BYTES + 1).unwrap();
    let started = Instant::now();
    let err = sb.refused(&["import", "sessions", path.to_str().unwrap()], 2);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        err.contains(&format!(
            "enorme.csv : {} octets, plus que la limite de {} octets",
            ici::input::MAX_FILE_BYTES + 1,
            ici::input::MAX_FILE_BYTES
        )),
        "{err}"
    );
}

#[test]
fn a_file_mixing_utf8_and_windows_1252_is_refused() {
    let sb = Sandbox::with_refs();
    let mut bytes = sessions(
        &[
            "2017-01-10;NET94;Créteil;2h;5;Numérique",
            "2017-01-11;NET94;Arcueil;2h;5;Bien",
        ],
        "\n",
    )
    .into_bytes();
    bytes.extend_from_slice(b"2017-01-12;NET94;Arcueil;2h;5;Caf\xe9\n");
    let path = sb.file("mixte.csv", bytes);
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(err.contains("mixte.csv : encodage mélangé"), "{err}");
    assert!(err.contains("ligne 4"), "{err}");
}

#[test]
fn a_pure_windows_1252_file_is_read_as_such() {
    let sb = Sandbox::with_refs();
    let mut bytes = HEADER.as_bytes().to_vec();
    bytes.extend_from_slice(b"\r\n2017-01-10;NET94;Cr\xe9teil;2h;5;Num\xe9rique \x80\r\n");
    let path = sb.file("excel.csv", bytes);
    let out = sb.ok(&["import", "sessions", &path]);
    assert!(out.contains("Fichier lu en Windows-1252"), "{out}");
    assert!(out.contains("1 session(s) importée(s)"), "{out}");
    let list = sb.json(&["session", "list"]);
    assert_eq!(list[0]["intitule"], "Numérique €", "{list}");
}

#[test]
fn line_numbers_are_right_with_lf_crlf_and_cr_only() {
    let sb = Sandbox::with_refs();
    for (eol, name) in [("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")] {
        let rows = [
            "2017-01-10;NET94;Arcueil;2h;5;Un",
            "",
            "2017-01-11;NET94;Arcueil;2h;5;Deux",
            "2017-01-12;NET94;Arcueil;13h;5;Trois",
        ];
        let path = sb.file(&format!("{name}.csv"), sessions(&rows, eol));
        let err = sb.refused(&["import", "sessions", &path], 2);
        assert!(
            err.contains(&format!("{name}.csv, ligne 5, colonne « duree »")),
            "{name}: {err}"
        );
    }
}

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\n";

fn fec_entry(date: &str, amount: &str) -> String {
    format!(
        "{FEC_HEADER}VE\tVentes\t1\t20240105\t411000\tClients\t\t\tF1\t20240105\tVente\t10,00\t0,00\n\
         VE\tVentes\t1\t20240105\t706000\tPrestations\t\t\tF1\t20240105\tVente\t0,00\t10,00\n\
         VE\tVentes\t2\t{date}\t411000\tClients\t\t\tF2\t{date}\tVente\t{amount}\t0,00\n\
         VE\tVentes\t2\t{date}\t706000\tPrestations\t\t\tF2\t{date}\tVente\t0,00\t{amount}\n"
    )
}

#[test]
fn a_fec_entry_dated_2150_is_refused_as_the_commands_refuse_it() {
    let sb = Sandbox::new();
    let path = sb.file("futur.txt", fec_entry("21500105", "10,00"));
    let err = sb.refused(&["import", "fec", &path], 2);
    assert!(err.contains("ligne 4, colonne EcritureDate"), "{err}");
    assert!(err.contains("dans le futur"), "{err}");
    let cli = sb.refused(
        &[
            "produit",
            "add",
            "--date",
            "2150-01-05",
            "--montant",
            "10",
            "--compte",
            "706",
            "--libelle",
            "Vente",
        ],
        2,
    );
    assert!(cli.contains("dans le futur"), "{cli}");
}

#[test]
fn a_fec_amount_over_the_ledger_limit_is_a_french_error_with_its_line() {
    let sb = Sandbox::new();
    let path = sb.file("gros.txt", fec_entry("20240106", "1000000000,01"));
    let err = sb.refused(&["import", "fec", &path], 2);
    assert!(err.contains("ligne 4, colonne Debit"), "{err}");
    assert!(
        err.contains("plus que la limite d'une ligne du registre"),
        "{err}"
    );
    assert!(!err.contains("CHECK"), "{err}");
    // At the limit, the file goes in.
    let path = sb.file("limite.txt", fec_entry("20240106", "1000000000,00"));
    let out = sb.ok(&["import", "fec", &path]);
    assert!(out.contains("2 écriture(s) ajoutée(s)"), "{out}");
}

#[test]
fn double_entry_csv_files_are_read_as_strictly() {
    let sb = Sandbox::new();
    let header = "date;piece;compte;libelle;debit;credit";
    let path = sb.file(
        "od.csv",
        format!(
            "{header}\r\n2017-12-31;OD-1;6811;\"Dotation;1186,00;\r\n2017-12-31;OD-1;28183;Dotation;;1186,00\r\n"
        ),
    );
    let err = sb.refused(&["import", "ecritures", &path], 2);
    assert!(
        err.contains("od.csv, ligne 2, colonne « libelle »"),
        "{err}"
    );
    assert!(err.contains("guillemet ouvert"), "{err}");
    let path = sb.file(
        "nul.csv",
        format!("{header}\n2017-12-31;OD-1;6811;Dot\0ation;1186,00;\n2017-12-31;OD-1;28183;Dotation;;1186,00\n"),
    );
    let err = sb.refused(&["import", "ecritures", &path], 2);
    assert!(
        err.contains("nul.csv, ligne 2, colonne « libelle », caractère 4"),
        "{err}"
    );
    let long = "x".repeat(400);
    let path = sb.file(
        "long.csv",
        format!("{header}\n2017-12-31;OD-1;6811;{long};1186,00;\n2017-12-31;OD-1;28183;Dotation;;1186,00\n"),
    );
    let err = sb.refused(&["import", "ecritures", &path], 2);
    assert!(err.contains("400 caractères, au plus 300"), "{err}");
}
