//! Reading every variant met in the wild, writing a valid FEC.

use super::layout::{parse_amount, parse_date};
use super::read::{JournalIndex, PROGRESS_STEP, decode};
use super::*;
use std::collections::HashMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn read(bytes: &[u8]) -> FecFile {
    parse(bytes, "test.txt", &mut |_, _| {}).unwrap_or_else(|e| panic!("{e:#}"))
}

fn error(bytes: &[u8]) -> String {
    match parse(bytes, "test.txt", &mut |_, _| {}) {
        Ok(f) => panic!("should fail, read {} entries", f.entries.len()),
        Err(e) => format!("{e:#}"),
    }
}

fn entry<'f>(f: &'f FecFile, journal: &str, numero: &str) -> &'f FecEntry {
    f.entries
        .iter()
        .find(|e| e.journal == journal && e.numero == numero)
        .unwrap_or_else(|| panic!("no entry {journal}/{numero}"))
}

const TAB_UTF8_CRLF: &[u8] = include_bytes!("../../../tests/data/fec/tab_utf8_crlf.txt");
const PIPE_BOM: &[u8] = include_bytes!("../../../tests/data/fec/pipe_bom.txt");
const CP1252: &[u8] = include_bytes!("../../../tests/data/fec/windows1252.txt");
const LATIN9: &[u8] = include_bytes!("../../../tests/data/fec/iso8859_15.txt");
const NO_FINAL_EOL: &[u8] = include_bytes!("../../../tests/data/fec/no_final_eol.txt");
const MONTANT_SENS: &[u8] = include_bytes!("../../../tests/data/fec/montant_sens.txt");
const CASH_22: &[u8] = include_bytes!("../../../tests/data/fec/cash_basis_22.txt");
const EXTRA_COLUMNS: &[u8] = include_bytes!("../../../tests/data/fec/extra_columns.txt");
const NON_ADJACENT: &[u8] = include_bytes!("../../../tests/data/fec/non_adjacent.txt");
const TWO_JOURNALS: &[u8] = include_bytes!("../../../tests/data/fec/same_num_two_journals.txt");
const EMPTY_TEXT: &[u8] = include_bytes!("../../../tests/data/fec/empty_text.txt");
const ZERO_PADDED: &[u8] = include_bytes!("../../../tests/data/fec/zero_padded.txt");
const OPENING: &[u8] = include_bytes!("../../../tests/data/fec/opening.txt");
const LOWERCASE: &[u8] = include_bytes!("../../../tests/data/fec/lowercase_headers.txt");
const NEGATIVE: &[u8] = include_bytes!("../../../tests/data/fec/negative_and_zero.txt");
const DATE_FORMATS: &[u8] = include_bytes!("../../../tests/data/fec/date_formats.txt");
const UNBALANCED: &[u8] = include_bytes!("../../../tests/data/fec/unbalanced.txt");
const BAD_AMOUNT: &[u8] = include_bytes!("../../../tests/data/fec/bad_amount.txt");
const MISSING_COLUMN: &[u8] = include_bytes!("../../../tests/data/fec/missing_column.txt");
const BAD_DATE: &[u8] = include_bytes!("../../../tests/data/fec/bad_date.txt");
const DATE_CONFLICT: &[u8] = include_bytes!("../../../tests/data/fec/date_conflict.txt");
const BAD_ACCOUNT: &[u8] = include_bytes!("../../../tests/data/fec/bad_account.txt");
const SHIFTED: &[u8] = include_bytes!("../../../tests/data/fec/shifted_columns.txt");
const SEMICOLON: &[u8] = include_bytes!("../../../tests/data/fec/semicolon.csv");
const QUIRKS: &[u8] = include_bytes!("../../../tests/data/fec/quirks_cr.txt");

/// Every well-formed sample: encoding, separator, data lines, entries, lines kept.
#[test]
fn reads_every_variant() {
    /// A well-formed sample and what reading it must give.
    struct Sample {
        name: &'static str,
        bytes: &'static [u8],
        encoding: &'static str,
        separator: char,
        data_lines: usize,
        entries: usize,
        lines_kept: usize,
    }
    let sample = |name, bytes, encoding, separator, data_lines, entries, lines_kept| Sample {
        name,
        bytes,
        encoding,
        separator,
        data_lines,
        entries,
        lines_kept,
    };
    let table = [
        sample("tab_utf8_crlf", TAB_UTF8_CRLF, "UTF-8", '\t', 7, 3, 7),
        sample("pipe_bom", PIPE_BOM, "UTF-8", '|', 4, 2, 4),
        sample("windows1252", CP1252, "Windows-1252", '\t', 2, 1, 2),
        sample("iso8859_15", LATIN9, "ISO-8859-15", '\t', 2, 1, 2),
        sample("no_final_eol", NO_FINAL_EOL, "UTF-8", '\t', 2, 1, 2),
        sample("montant_sens", MONTANT_SENS, "UTF-8", '|', 6, 2, 6),
        sample("cash_basis_22", CASH_22, "UTF-8", '\t', 2, 1, 2),
        sample("extra_columns", EXTRA_COLUMNS, "UTF-8", '\t', 2, 1, 2),
        sample("non_adjacent", NON_ADJACENT, "UTF-8", '\t', 5, 2, 5),
        sample(
            "same_num_two_journals",
            TWO_JOURNALS,
            "UTF-8",
            '\t',
            4,
            2,
            4,
        ),
        sample("empty_text", EMPTY_TEXT, "UTF-8", '|', 2, 1, 2),
        sample("zero_padded", ZERO_PADDED, "UTF-8", '\t', 3, 1, 3),
        sample("opening", OPENING, "UTF-8", '\t', 12, 6, 12),
        sample("lowercase_headers", LOWERCASE, "UTF-8", '\t', 2, 1, 2),
        sample("negative_and_zero", NEGATIVE, "UTF-8", '\t', 4, 1, 3),
        sample("date_formats", DATE_FORMATS, "UTF-8", '\t', 6, 3, 6),
        sample("quirks", QUIRKS, "UTF-8", '|', 4, 2, 4),
    ];
    for s in table {
        let name = s.name;
        let f = parse(s.bytes, name, &mut |_, _| {}).unwrap_or_else(|e| panic!("{name}: {e:#}"));
        assert_eq!(f.encoding, s.encoding, "{name}");
        assert_eq!(f.separator, s.separator, "{name}");
        assert_eq!(f.lines, s.data_lines, "{name}: data lines");
        assert_eq!(f.entries.len(), s.entries, "{name}: entries");
        let lines: usize = f.entries.iter().map(|e| e.lines.len()).sum();
        assert_eq!(lines, s.lines_kept, "{name}: lines kept");
        for e in &f.entries {
            assert_eq!(e.total_debit(), e.total_credit(), "{name}: {}", e.label());
            assert!(e.lines.iter().all(|l| l.debit >= 0 && l.credit >= 0));
        }
    }
}

/// Bare CR line ends, blank lines before the header and between lines, a trailing
/// separator on data lines, quoted fields.
#[test]
fn quirks() {
    assert!(!QUIRKS.contains(&b'\n'), "sample must use bare CR");
    let f = read(QUIRKS);
    let e = &f.entries[0];
    assert_eq!(e.lines[0].line, 3, "header on line 2");
    assert_eq!(e.lines[1].line, 5, "blank line 4 skipped");
    assert_eq!(e.journal_lib.as_deref(), Some("Banque"));
    assert_eq!(e.lines[0].libelle.as_deref(), Some("Don, reçu n° 4"));
    assert_eq!(e.lines[0].debit, 20_00);
}

#[test]
fn journal_index_finds_entries_again() {
    // Numbers in and out of order, some met again, in two journals.
    let mut state = 7u32;
    let mut keys: Vec<(String, String)> = Vec::new();
    for _ in 0..2000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let journal = if state.is_multiple_of(3) { "AC" } else { "VE" };
        let numero = if state.is_multiple_of(5) {
            format!("{}", (state >> 8) % 300)
        } else {
            format!("{}", keys.len() + 1)
        };
        keys.push((journal.into(), numero));
    }
    let mut journals: HashMap<&str, JournalIndex> = HashMap::new();
    let mut naive: HashMap<(&str, &str), usize> = HashMap::new();
    let mut next = 0;
    for (j, n) in &keys {
        let expected = naive.get(&(j.as_str(), n.as_str())).copied();
        let got = journals.entry(j).or_default().find_or_add(n, next);
        assert_eq!(got, expected, "{j}/{n}");
        if expected.is_none() {
            naive.insert((j, n), next);
            next += 1;
        }
    }
    assert!(
        journals.values().all(|j| j.map.is_some()),
        "out-of-order numbers seen"
    );
    let mut monotonic = JournalIndex::default();
    for (i, n) in ["1", "2", "9", "10", "11", "100"].iter().enumerate() {
        assert_eq!(monotonic.find_or_add(n, i), None);
    }
    assert!(monotonic.map.is_none(), "increasing numbers need no map");
    assert_eq!(monotonic.find_or_add("9", 99), Some(2));
    assert_eq!(monotonic.find_or_add("5", 6), None);
    assert_eq!(monotonic.find_or_add("5", 7), Some(6));
}

#[test]
fn tab_utf8_crlf() {
    assert!(
        TAB_UTF8_CRLF.windows(2).any(|w| w == b"\r\n"),
        "sample must keep CR LF"
    );
    let f = read(TAB_UTF8_CRLF);
    let e = &f.entries[0];
    assert_eq!(e.journal, "VE");
    assert_eq!(e.journal_lib.as_deref(), Some("Ventes"));
    assert_eq!(e.numero, "1");
    assert_eq!(e.date, d(2024, 1, 15));
    assert_eq!(e.piece_ref.as_deref(), Some("F2024-001"));
    assert_eq!(e.piece_date, Some(d(2024, 1, 14)));
    assert_eq!(e.valid_date, Some(d(2024, 1, 31)));
    assert_eq!(e.lines[0].line, 2);
    assert_eq!(e.lines[0].compte, "411000");
    assert_eq!(e.lines[0].aux_num.as_deref(), Some("C001"));
    assert_eq!(e.lines[0].aux_lib.as_deref(), Some("Mairie de Créteil"));
    assert_eq!(e.lines[0].debit, 1_500_00);
    assert_eq!(
        e.lines[1].compte_lib.as_deref(),
        Some("Prestations de services")
    );
    assert_eq!(e.lines[1].credit, 1_500_00);
    assert_eq!(
        e.lines[1].libelle.as_deref(),
        Some("Atelier numérique école")
    );
}

#[test]
fn pipe_with_bom() {
    assert!(PIPE_BOM.starts_with(b"\xEF\xBB\xBF"));
    let f = read(PIPE_BOM);
    assert_eq!(f.entries[0].journal, "AC");
    assert_eq!(f.entries[0].lines[0].compte, "606400");
    assert_eq!(f.entries[0].lines[0].debit, 42_30);
}

#[test]
fn single_byte_encodings() {
    assert!(CP1252.contains(&0x80) && CP1252.contains(&0xE9));
    assert!(LATIN9.contains(&0xA4) && !LATIN9.iter().any(|b| (0x80..0xA0).contains(b)));
    for bytes in [CP1252, LATIN9] {
        let f = read(bytes);
        let l = &f.entries[0].lines[0];
        assert_eq!(l.compte_lib.as_deref(), Some("Fournitures de bureau"));
        assert_eq!(l.libelle.as_deref(), Some("Papeterie 12 € réglée"));
        assert_eq!(f.entries[0].journal_lib.as_deref(), Some("Achats œuvres"));
    }
}

#[test]
fn encoding_heuristic() {
    assert_eq!(decode(b"abc").1, "UTF-8");
    assert_eq!(decode("é".as_bytes()).1, "UTF-8");
    assert_eq!(decode(b"\xE9t\xE9").1, "Windows-1252");
    assert_eq!(decode(b"\x80 \xA4").1, "Windows-1252");
    assert_eq!(decode(b"\xA4 \xE9").1, "ISO-8859-15");
    assert_eq!(decode(b"\xA4 \xE9").0, "€ é");
    assert_eq!(decode(b"\x80 \xE9").0, "€ é");
    assert_eq!(decode(b"\xFF\xFEa\0b\0").0, "ab");
    assert_eq!(decode(b"\xFF\xFEa\0b\0").1, "UTF-16LE");
    assert_eq!(decode(b"\xFE\xFF\0a\0b").0, "ab");
}

#[test]
fn no_final_line_end() {
    assert!(!NO_FINAL_EOL.ends_with(b"\n"));
    let f = read(NO_FINAL_EOL);
    let last = f.entries[0].lines.last().unwrap();
    assert_eq!(last.credit, 80_00);
    assert_eq!(last.line, 3);
}

#[test]
fn montant_and_sens() {
    let f = read(MONTANT_SENS);
    let a = entry(&f, "BQ", "1");
    assert_eq!((a.lines[0].debit, a.lines[0].credit), (250_00, 0));
    assert_eq!((a.lines[1].debit, a.lines[1].credit), (0, 250_00));
    let b = entry(&f, "BQ", "2");
    // +1, 1 are debits, -1 a credit; a negative Montant flips the side.
    assert_eq!(b.total_debit(), 110_00);
    assert_eq!(b.total_credit(), 110_00);
    assert_eq!((b.lines[3].debit, b.lines[3].credit), (0, 10_00));
}

#[test]
fn cash_basis_and_extra_columns() {
    for bytes in [CASH_22, EXTRA_COLUMNS] {
        let f = read(bytes);
        assert_eq!(f.entries[0].lines[0].debit, 35_00);
        assert_eq!(f.entries[0].lines[1].compte, "706000");
    }
}

#[test]
fn non_adjacent_lines_gather_in_first_line_order() {
    let f = read(NON_ADJACENT);
    let order: Vec<String> = f.entries.iter().map(FecEntry::label).collect();
    assert_eq!(order, ["VE/2", "VE/1"]);
    let lines: Vec<usize> = f.entries[0].lines.iter().map(|l| l.line).collect();
    assert_eq!(lines, [2, 4, 6]);
}

#[test]
fn entry_numbers_are_per_journal() {
    let f = read(TWO_JOURNALS);
    assert_eq!(entry(&f, "VE", "1").total_debit(), 100_00);
    assert_eq!(entry(&f, "AC", "1").total_debit(), 20_00);
}

#[test]
fn dash_and_slash_are_empty() {
    let f = read(EMPTY_TEXT);
    let e = &f.entries[0];
    assert_eq!(e.piece_ref, None);
    assert_eq!(e.piece_date, None);
    assert_eq!(e.journal_lib, None);
    assert_eq!(e.lines[0].aux_num, None);
    assert_eq!(e.lines[0].aux_lib, None);
    assert_eq!(e.lines[1].libelle, None);
    assert_eq!(e.lines[1].compte_lib, None);
    assert_eq!(e.lines[0].libelle.as_deref(), Some("Cotisation"));
}

#[test]
fn zero_padded_amounts() {
    let f = read(ZERO_PADDED);
    let l = &f.entries[0].lines;
    assert_eq!(l[0].debit, 1234_50);
    assert_eq!(l[1].credit, 1000_00);
    assert_eq!(l[2].credit, 234_50);
}

#[test]
fn opening_entries() {
    let f = read(OPENING);
    let flags: Vec<(String, bool)> = f
        .entries
        .iter()
        .map(|e| (e.label(), e.is_opening()))
        .collect();
    assert_eq!(
        flags,
        [
            ("AN/1".to_string(), true),
            ("OUV/1".to_string(), true),
            ("ran/1".to_string(), true),
            ("JO/1".to_string(), true),
            ("OD/1".to_string(), true),
            ("OD/2".to_string(), false),
        ]
    );
}

#[test]
fn lowercase_headers_in_another_order() {
    let f = read(LOWERCASE);
    let e = &f.entries[0];
    assert_eq!(e.journal, "BQ");
    assert_eq!(e.date, d(2024, 3, 1));
    assert_eq!(e.lines[0].compte, "512000");
    assert_eq!(e.lines[0].debit, 60_00);
}

#[test]
fn negative_amounts_and_zero_lines() {
    let f = read(NEGATIVE);
    let e = &f.entries[0];
    // Debit -50 became a credit of 50; Credit -50 a debit; the 0/0 line is gone.
    assert_eq!(e.lines.len(), 3);
    assert_eq!((e.lines[0].debit, e.lines[0].credit), (100_00, 0));
    assert_eq!((e.lines[1].debit, e.lines[1].credit), (0, 50_00));
    assert_eq!((e.lines[2].debit, e.lines[2].credit), (0, 50_00));
    assert_eq!(e.lines[2].line, 5);
}

#[test]
fn both_debit_and_credit_on_one_line_are_kept() {
    let text = format!(
        "{}\nOD\tOD\t1\t20240101\t512000\tBanque\t\t\t\t\t\t10,00\t4,00\t\t\t\t\t\nOD\tOD\t1\t20240101\t471000\tAttente\t\t\t\t\t\t\t6,00\t\t\t\t\t\n",
        COLUMNS.join("\t")
    );
    let f = read(text.as_bytes());
    assert_eq!(
        (f.entries[0].lines[0].debit, f.entries[0].lines[0].credit),
        (10_00, 4_00)
    );
}

#[test]
fn date_formats() {
    let f = read(DATE_FORMATS);
    for e in &f.entries {
        assert_eq!(e.date, d(2024, 2, 29), "{}", e.label());
    }
    assert_eq!(f.entries[1].piece_date, Some(d(2024, 2, 28)));
    assert_eq!(f.entries[2].piece_date, None, "00000000 means no date");
}

#[test]
fn amounts_table() {
    let ok: &[(&str, i64)] = &[
        ("", 0),
        ("0", 0),
        ("12", 12_00),
        ("12,5", 12_50),
        ("12.50", 12_50),
        ("000001234,50", 1234_50),
        ("-3,10", -3_10),
        ("+3,10", 3_10),
        (",75", 75),
        ("7,", 7_00),
        ("12,500", 12_50),
        ("9999999999999,99", 9_999_999_999_999_99),
    ];
    for &(s, cents) in ok {
        assert_eq!(parse_amount(s), Ok(cents), "{s:?}");
    }
    for s in [
        "12,345",
        "12a",
        "1 234,50",
        "1.234,50",
        "-",
        ",",
        "10000000000000",
        "--1",
    ] {
        assert!(parse_amount(s).is_err(), "{s:?} should be refused");
    }
}

#[test]
fn dates_table() {
    let ok = [
        ("20240131", Some(d(2024, 1, 31))),
        ("2024-01-31", Some(d(2024, 1, 31))),
        ("31/01/2024", Some(d(2024, 1, 31))),
        ("20240230", None),
        ("2024131", None),
        ("18991231", None),
        ("2024/01/31", None),
        ("31-01-2024", None),
    ];
    for (s, expected) in ok {
        assert_eq!(parse_date(s), expected, "{s}");
    }
}

/// Files that must be refused, and what the message must say.
#[test]
fn refuses_with_useful_messages() {
    let table: &[(&str, &[u8], &[&str])] = &[
        (
            "unbalanced",
            UNBALANCED,
            &[
                "écriture VE/7 du 15/01/2024 déséquilibrée : débit 100,00, crédit 99,90 (lignes 2, 3, 5)",
            ],
        ),
        (
            "bad_amount",
            BAD_AMOUNT,
            &[
                "2 erreurs",
                "ligne 3, colonne Credit : montant « 12,345 »",
                "plus de deux décimales",
                "ligne 4, colonne Debit : montant « 1O0,00 » illisible",
            ],
        ),
        (
            "missing_column",
            MISSING_COLUMN,
            &["ligne 1 : colonnes CompAuxLib, PieceDate manquent"],
        ),
        (
            "bad_date",
            BAD_DATE,
            &["ligne 2, colonne EcritureDate : date « 20241301 » illisible : attendu AAAAMMJJ"],
        ),
        (
            "date_conflict",
            DATE_CONFLICT,
            &[
                "écriture VE/3",
                "15/01/2024 (lignes 2, 3), 16/01/2024 (ligne 4)",
            ],
        ),
        (
            "bad_account",
            BAD_ACCOUNT,
            &["ligne 2, colonne CompteNum : numéro de compte « 411CLIENT » invalide"],
        ),
        (
            "shifted_columns",
            SHIFTED,
            &[
                "2 erreurs",
                "ligne 3 : 19 champs alors que l'en-tête nomme 18 colonnes",
                "« | »",
                "ligne 5, colonne Debit : montant « remise » illisible",
                "la ligne a 19 champs pour 18 colonnes",
            ],
        ),
        ("semicolon", SEMICOLON, &["points-virgules"]),
    ];
    for &(name, bytes, expected) in table {
        let msg = error(bytes);
        assert!(msg.starts_with("test.txt"), "{name}: {msg}");
        for part in expected {
            assert!(msg.contains(part), "{name}: « {part} » not in:\n{msg}");
        }
    }
}

#[test]
fn refusals_built_in_memory() {
    let h = COLUMNS.join("\t");
    let line = |j: &str, n: &str, amounts: &str| {
        format!("{j}\tJ\t{n}\t20240101\t512000\tBanque\t\t\t\t\t\t{amounts}\t\t\t\t\t")
    };
    let table: Vec<(String, &str)> = vec![
        (String::new(), "fichier vide"),
        (format!("{h}\n\n"), "aucune écriture"),
        (
            "Compte\tMontant\n1\t2\n".into(),
            "ne ressemble pas à un en-tête",
        ),
        (
            format!(
                "{h}\n{}\n{}\n",
                line("OD", "1", "0,00\t0,00"),
                line("OD", "1", "\t")
            ),
            "tous ses montants sont nuls (lignes 2, 3)",
        ),
        (
            format!("{h}\nOD\tJ\t1\t20240101\n"),
            "ligne 2 : 4 champs seulement",
        ),
        (
            format!("{h}\n{}\n", line("", "1", "1\t1")),
            "ligne 2, colonne JournalCode : valeur vide",
        ),
        (
            format!("{}\tDebit\n{}\n", h, line("OD", "1", "1\t1")),
            "colonne en double dans l'en-tête : Debit (colonnes 12 et 19)",
        ),
        (
            h.replace("Debit\tCredit", "Montant\tX") + "\n",
            "colonne Sens manque",
        ),
    ];
    for (text, expected) in table {
        let msg = error(text.as_bytes());
        assert!(msg.contains(expected), "« {expected} » not in:\n{msg}");
    }
    let sens = h.replace("Debit\tCredit", "Montant\tSens") + "\n" + &line("OD", "1", "1,00\tX");
    assert!(error(sens.as_bytes()).contains("ligne 2, colonne Sens : sens « X » inconnu"));
}

#[test]
fn many_problems_are_counted() {
    let mut text = COLUMNS.join("\t");
    for i in 0..30 {
        text.push_str(&format!(
            "\nOD\tJ\t{i}\t20240101\t512000\tB\t\t\t\t\t\tabc\t\t\t\t\t\t"
        ));
    }
    let msg = error(text.as_bytes());
    assert!(msg.starts_with("test.txt : 30 erreurs"), "{msg}");
    assert!(msg.contains("… et 10 autres"), "{msg}");
}

#[test]
fn progress_is_reported() {
    let mut text = COLUMNS.join("\t");
    for i in 0..5000 {
        text.push_str(&format!(
            "\nVE\tVentes\t{i}\t20240101\t411000\tClients\t\t\t\t\tVente atelier\t10,00\t0,00\t\t\t\t\t\nVE\tVentes\t{i}\t20240101\t706000\tPrestations\t\t\t\t\tVente atelier\t0,00\t10,00\t\t\t\t\t"
        ));
    }
    let mut calls = Vec::new();
    parse(text.as_bytes(), "p", &mut |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert!(calls.len() >= text.len() / PROGRESS_STEP, "{}", calls.len());
    assert_eq!(calls.last(), Some(&(text.len(), text.len())));
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn round_trip() {
    for bytes in [
        TAB_UTF8_CRLF,
        CP1252,
        MONTANT_SENS,
        NON_ADJACENT,
        OPENING,
        NEGATIVE,
        EMPTY_TEXT,
    ] {
        let first = read(bytes);
        let mut out = Vec::new();
        write(&first.entries, &mut out).unwrap();
        let second = read(&out);
        assert_eq!(second.encoding, "UTF-8");
        assert_eq!(second.separator, '\t');
        let strip = |f: &FecFile| -> Vec<FecEntry> {
            let mut entries = f.entries.clone();
            for e in &mut entries {
                for l in &mut e.lines {
                    l.line = 0;
                }
            }
            entries
        };
        assert_eq!(strip(&first), strip(&second));
    }
}

#[test]
fn writer_format() {
    let entries = vec![FecEntry {
        journal: "VE".into(),
        journal_lib: Some("Ventes".into()),
        numero: "12".into(),
        date: d(2024, 5, 3),
        piece_ref: None,
        piece_date: Some(d(2024, 5, 2)),
        valid_date: None,
        lines: vec![
            FecLine {
                line: 0,
                compte: "411000".into(),
                compte_lib: Some("Clients".into()),
                aux_num: None,
                aux_lib: None,
                libelle: Some("Atelier\tmai\n".into()),
                debit: 1234_05,
                credit: 0,
                extra: Default::default(),
            },
            FecLine {
                line: 0,
                compte: "706000".into(),
                compte_lib: None,
                aux_num: None,
                aux_lib: None,
                libelle: None,
                debit: -1234_05,
                credit: 0,
                extra: Default::default(),
            },
        ],
    }];
    let mut out = Vec::new();
    write(&entries, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines.len(), 4, "{text:?}");
    assert_eq!(lines[0], COLUMNS.join("\t"));
    assert_eq!(
        lines[1],
        "VE\tVentes\t12\t20240503\t411000\tClients\t\t\t\t20240502\tAtelier mai\t1234,05\t0,00\t\t\t\t\t"
    );
    assert_eq!(
        lines[2],
        "VE\tVentes\t12\t20240503\t706000\t\t\t\t\t20240502\t\t0,00\t1234,05\t\t\t\t\t"
    );
    assert_eq!(lines[3], "");
    assert!(!text.starts_with('\u{feff}'));

    let mut bad = entries.clone();
    bad[0].lines[1].debit = 0;
    bad[0].lines[1].credit = 1234_00;
    let mut out = Vec::new();
    let msg = format!("{:#}", write(&bad, &mut out).unwrap_err());
    assert!(msg.contains("VE/12 du 03/05/2024 déséquilibrée"), "{msg}");
    assert!(out.is_empty(), "nothing written");
    bad[0].lines[1].compte = "706A".into();
    assert!(format!("{:#}", write(&bad, &mut out).unwrap_err()).contains("« 706A »"));
}

#[test]
fn file_names() {
    assert_eq!(
        file_name("123456782", d(2024, 12, 31)),
        "123456782FEC20241231.txt"
    );
}

#[test]
fn sirens() {
    for ok in ["732829320", "552100554", "356000000", "123456782"] {
        assert!(check_siren(ok).is_ok(), "{ok}");
    }
    let table = [
        ("732829321", "clé de contrôle"),
        ("12345678", "exactement 9 chiffres"),
        ("12345678A", "exactement 9 chiffres"),
        ("", "exactement 9 chiffres"),
        ("732 829 320", "sans espaces, 732829320"),
        ("73282932000014", "SIRET"),
    ];
    for (s, expected) in table {
        let msg = check_siren(s).unwrap_err().to_string();
        assert!(msg.contains(expected), "{s}: {msg}");
    }
}

/// `cargo test --release -- --ignored --nocapture`: one million lines.
#[test]
#[ignore]
fn million_lines() {
    let mut text = String::with_capacity(160_000_000);
    text.push_str(&COLUMNS.join("\t"));
    text.push_str("\r\n");
    let journals = [("VE", "Ventes"), ("AC", "Achats"), ("BQ", "Banque")];
    for i in 0..500_000u32 {
        let (j, jl) = journals[(i % 3) as usize];
        let date = format!("2024{:02}{:02}", i % 12 + 1, i % 28 + 1);
        let cents = 1000 + (i as i64 * 37) % 500_000;
        let amount = amount_text(cents as i128);
        text.push_str(&format!(
            "{j}\t{jl}\t{i}\t{date}\t411000\tClients\tC{:05}\tAdhérent {}\tF{i}\t{date}\tAtelier numérique n° {i}\t{amount}\t0,00\t\t\t{date}\t\t\r\n",
            i % 1000,
            i % 1000
        ));
        text.push_str(&format!(
            "{j}\t{jl}\t{i}\t{date}\t706000\tPrestations de services\t\t\tF{i}\t{date}\tAtelier numérique n° {i}\t0,00\t{amount}\t\t\t{date}\t\t\r\n"
        ));
    }
    // CPU time of the process (Linux, in ticks of 10 ms), telling a slow parse from a
    // busy machine.
    let cpu = || -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    };
    let (start, cpu_start) = (std::time::Instant::now(), cpu());
    let f = parse(text.as_bytes(), "big", &mut |_, _| {}).unwrap();
    let elapsed = start.elapsed();
    let cpu_ms = cpu().zip(cpu_start).map(|(b, a)| (b - a) * 10);
    println!(
        "parsed {} lines ({} Mo) into {} entries in {:?} (CPU {} ms)",
        f.lines,
        text.len() / 1_000_000,
        f.entries.len(),
        elapsed,
        cpu_ms.map_or("?".into(), |ms| ms.to_string())
    );
    assert_eq!(f.lines, 1_000_000);
    assert_eq!(f.entries.len(), 500_000);
}
