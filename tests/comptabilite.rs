//! End-to-end tests of the accounting part of `ici` (issue 4): the association chart,
//! balanced entries and their reversal, closing a year, the compte de résultat and the
//! balance sheet, and the accountant's file (FEC) read and written.
//!
//! Each test runs the real binary on a ledger of its own, in a temporary directory that
//! is also `HOME`, with an environment cleared of everything but PATH (and TZ=UTC).
//! Figures are asserted as the exact strings the JSON output carries; a refused command
//! must exit with status 2 and leave the ledger byte-identical.
//!
//! The FEC samples of every variant are those of `tests/data/fec/` (written by its
//! `generate.py`); the expected figures were computed by hand from them and are
//! explained next to each test. Files that must hold a particular mistake are written
//! by the test itself.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Helpers

const SIREN: &str = "824137954";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample of `tests/data/fec/`.
fn sample(name: &str) -> String {
    root()
        .join("tests/data/fec")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The accountant's FEC of `year` (2016 or 2017) in `fixtures/fec/`.
fn fixture_fec(year: i32) -> String {
    root()
        .join(format!("fixtures/fec/{SIREN}FEC{year}1231.txt"))
        .to_string_lossy()
        .into_owned()
}

fn fixture(path: &str) -> String {
    root()
        .join("fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

/// Money as `ici` displays it, with the thin or no-break spaces made plain.
fn norm(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// Cents written the way the JSON output does: `-15435.00`.
fn plain(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// `1234,50`, `1234.50`, `-10,00`, `000001234,50` or empty → cents.
fn cents(s: &str) -> i64 {
    let s = s.trim();
    if s.is_empty() {
        return 0;
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let s = s.replace(',', ".");
    let (units, dec) = s.split_once('.').unwrap_or((&s, "0"));
    let dec = format!("{dec:0<2}");
    let v = units.parse::<i64>().expect("units") * 100 + dec[..2].parse::<i64>().expect("cents");
    if neg { -v } else { v }
}

/// A temporary directory that is `HOME`, holding `l.sqlite`.
struct Sb {
    dir: TempDir,
}

/// The ledger's bytes: the main file and the write-ahead log (absent = empty).
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    main: Vec<u8>,
    wal: Vec<u8>,
}

impl Sb {
    /// A sandbox with an initialised, empty ledger.
    fn new() -> Sb {
        let sb = Sb {
            dir: tempfile::Builder::new()
                .prefix("ici-compta-")
                .tempdir()
                .expect("temporary directory"),
        };
        sb.ok(&["init"]);
        sb
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn ledger(&self) -> PathBuf {
        self.path().join("l.sqlite")
    }

    /// `ici` without `--ledger` (for `demo`, `compte list`).
    fn bare(&self) -> Command {
        #[allow(deprecated)]
        let mut cmd = Command::cargo_bin("ici").expect("the ici binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("TZ", "UTC")
            .current_dir(self.path())
            .timeout(Duration::from_secs(60));
        cmd
    }

    fn run<S: AsRef<str>>(&self, args: &[S]) -> Output {
        let mut cmd = self.bare();
        cmd.arg("--ledger")
            .arg(self.ledger())
            .args(args.iter().map(AsRef::as_ref));
        cmd.output().expect("run ici")
    }

    /// Runs and asserts exit status 0; returns stdout.
    fn ok<S: AsRef<str>>(&self, args: &[S]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "`ici {}` failed\nstdout: {}\nstderr: {}",
            show(args),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 stdout")
    }

    /// Runs and asserts exit status 2, nothing on stdout and the ledger unchanged;
    /// returns stderr (spaces normalised).
    fn refused<S: AsRef<str>>(&self, args: &[S]) -> String {
        let before = self.snapshot();
        let out = self.run(args);
        let stderr = norm(&String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            out.status.code(),
            Some(2),
            "`ici {}` should be refused with status 2\nstdout: {}\nstderr: {stderr}",
            show(args),
            String::from_utf8_lossy(&out.stdout),
        );
        assert!(
            out.stdout.is_empty(),
            "`ici {}` printed on stdout: {}",
            show(args),
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(
            self.files() == before,
            "`ici {}` changed the ledger's bytes",
            show(args)
        );
        stderr
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&all)).expect("JSON output")
    }

    fn bilan(&self, year: i32) -> Value {
        self.json(&["bilan", &year.to_string()])
    }

    fn actif_passif(&self, year: i32) -> Value {
        self.json(&["bilan", &year.to_string(), "--actif-passif"])
    }

    fn import_fec(&self, file: &str) -> String {
        self.ok(&["import", "fec", file])
    }

    /// Writes a file in the sandbox; returns its path.
    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.path().join(name);
        std::fs::write(&p, bytes).expect("write sample");
        p.to_string_lossy().into_owned()
    }

    /// The ledger's files, after checkpointing the log into the main file through a
    /// connection of our own (the last one to close deletes the log).
    fn snapshot(&self) -> Snapshot {
        let c = rusqlite::Connection::open(self.ledger()).expect("open ledger");
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        drop(c);
        self.files()
    }

    fn files(&self) -> Snapshot {
        let mut wal = self.ledger().into_os_string();
        wal.push("-wal");
        Snapshot {
            main: std::fs::read(self.ledger()).expect("read ledger"),
            wal: std::fs::read(PathBuf::from(wal)).unwrap_or_default(),
        }
    }

    /// A ledger loaded the way `ici demo` is: the 2017 projects and partners, and the
    /// finances of 2017 and 2016, from the CSV fixtures.
    fn csv_fixtures() -> Sb {
        let sb = Sb::new();
        sb.ok(&["import", "projets", &fixture("2017/projets.csv")]);
        sb.ok(&["import", "partenaires", &fixture("2017/partenaires.csv")]);
        sb.ok(&["import", "finances", &fixture("2017/finances.csv")]);
        sb.ok(&["import", "finances", &fixture("2016/finances.csv")]);
        sb.ok(&["import", "ecritures", &fixture("2017/ecritures.csv")]);
        sb.ok(&["import", "ecritures", &fixture("2016/ecritures.csv")]);
        sb
    }

    /// A ledger holding the accountant's FEC of 2016 and 2017.
    fn fec_fixtures() -> Sb {
        let sb = Sb::new();
        sb.import_fec(&fixture_fec(2016));
        sb.import_fec(&fixture_fec(2017));
        sb
    }
}

fn show<S: AsRef<str>>(args: &[S]) -> String {
    args.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ")
}

/// `ecriture add` with one `--debit` per debit and one `--credit` per credit.
fn ecriture(date: &str, libelle: &str, debits: &[&str], credits: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = ["ecriture", "add", "--date", date, "--libelle", libelle]
        .map(String::from)
        .to_vec();
    for d in debits {
        a.extend(["--debit".to_string(), d.to_string()]);
    }
    for c in credits {
        a.extend(["--credit".to_string(), c.to_string()]);
    }
    a
}

/// `produit add` or `charge add`: the bank is the other side.
fn simple(kind: &str, date: &str, montant: &str, compte: &str, libelle: &str) -> Vec<String> {
    [
        kind,
        "add",
        "--date",
        date,
        "--montant",
        montant,
        "--compte",
        compte,
        "--libelle",
        libelle,
    ]
    .map(String::from)
    .to_vec()
}

/// A command line with more arguments.
fn with(mut args: Vec<String>, more: &[&str]) -> Vec<String> {
    args.extend(more.iter().map(|m| m.to_string()));
    args
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v:#}"))
}

/// The produits, charges and result of a `bilan --format json`.
fn totals(v: &Value) -> (&str, &str, &str) {
    (
        s(v, "total_produits"),
        s(v, "total_charges"),
        s(v, "resultat"),
    )
}

/// The lines of a `bilan --actif-passif --format json` as (side, account, amount), and
/// the two totals, which must agree.
fn balance(v: &Value) -> (Vec<(String, String, String)>, String) {
    let mut lines = Vec::new();
    for side in ["actif", "passif"] {
        for l in v[side].as_array().expect("side") {
            lines.push((
                side.to_string(),
                s(l, "compte").to_string(),
                s(l, "montant").to_string(),
            ));
        }
    }
    assert_eq!(
        v["total_actif"], v["total_passif"],
        "the balance sheet does not balance: {v:#}"
    );
    (lines, s(v, "total_actif").to_string())
}

fn lines(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// Amount of account `compte` in a `bilan --detail` list (`produits` or `charges`).
fn detail<'a>(v: &'a Value, list: &str, compte: &str) -> Option<&'a str> {
    v[list]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["compte"] == compte)
        .map(|p| s(p, "montant"))
}

const HEADER: [&str; 18] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
];

/// A tab-separated FEC of 18 columns, LF line ends. Each line: journal, number, date
/// (AAAAMMJJ), account, label, debit, credit.
fn fec(rows: &[[&str; 7]]) -> String {
    let mut text = HEADER.join("\t") + "\n";
    for r in rows {
        let [j, n, date, compte, lib, d, c] = *r;
        let fields = [
            j, j, n, date, compte, "Compte", "", "", "", "", lib, d, c, "", "", "", "", "",
        ];
        text += &fields.join("\t");
        text += "\n";
    }
    text
}

// ---------------------------------------------------------------------------------------
// 1. Each FEC variant, imported through the binary

/// Imports one sample into a fresh ledger and checks the year's totals and balance
/// sheet against figures computed by hand from the sample.
fn check_variant(
    name: &str,
    year: i32,
    (produits, charges, resultat): (&str, &str, &str),
    bilan_lines: &[(&str, &str, &str)],
    total: &str,
) -> Sb {
    let sb = Sb::new();
    sb.import_fec(&sample(name));
    let b = sb.bilan(year);
    assert_eq!(totals(&b), (produits, charges, resultat), "{name}: {b:#}");
    let (got, got_total) = balance(&sb.actif_passif(year));
    assert_eq!(got, lines(bilan_lines), "{name}: balance sheet lines");
    assert_eq!(got_total, total, "{name}: balance sheet total");
    sb
}

/// The lines listed by `ici produit|charge list --annee YEAR`.
fn listed(sb: &Sb, what: &str, year: &str) -> Vec<Value> {
    sb.json(&[what, "list", "--annee", year])
        .as_array()
        .expect("list")
        .clone()
}

#[test]
fn fec_tab_utf8_crlf_18_columns() {
    // VE/1 411 D 1 500 / 706 C 1 500; AC/1 6064 D 45,60 + 445660 D 9,12 / 401 C 54,72;
    // BQ/1 512 D 1 500 / 411 C 1 500.
    let sb = Sb::new();
    sb.ok(&["partenaire", "add", "Mairie de Créteil"]);
    let out = sb.import_fec(&sample("tab_utf8_crlf.txt"));
    assert!(
        out.contains("3 écriture(s) lue(s) (7 ligne(s), UTF-8"),
        "{out}"
    );
    assert_eq!(totals(&sb.bilan(2024)), ("1500.00", "45.60", "1454.40"));
    let (got, total) = balance(&sb.actif_passif(2024));
    assert_eq!(
        got,
        lines(&[
            ("actif", "445", "9.12"),
            ("actif", "512", "1500.00"),
            ("passif", "12", "1454.40"),
            ("passif", "401", "54.72"),
        ])
    );
    assert_eq!(total, "1509.12");
    // Accented labels survive, and the auxiliary account's label finds the partner.
    let p = listed(&sb, "produit", "2024");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0]["libelle"], "Atelier numérique école");
    assert_eq!(p[0]["tiers"], "Mairie de Créteil");
    assert_eq!(p[0]["piece"], "F2024-001");
}

#[test]
fn fec_pipe_with_bom() {
    // AC/5 606400 D 42,30 / 401 C 42,30; BQ/9 401 D 42,30 / 512 C 42,30.
    let sb = Sb::new();
    sb.ok(&["partenaire", "add", "Bureau Vallée"]);
    let out = sb.import_fec(&sample("pipe_bom.txt"));
    assert!(out.contains("séparateur « | »"), "{out}");
    assert_eq!(totals(&sb.bilan(2024)), ("0.00", "42.30", "-42.30"));
    let (got, total) = balance(&sb.actif_passif(2024));
    assert_eq!(
        got,
        lines(&[("passif", "12", "-42.30"), ("passif", "512", "42.30")])
    );
    assert_eq!(total, "0.00");
    // The BOM did not eat the first column, and « Vallée » found its partner.
    let c = listed(&sb, "charge", "2024");
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0]["compte"], "606400");
    assert_eq!(c[0]["tiers"], "Bureau Vallée");
    assert_eq!(c[0]["libelle"], "Cartouches d'encre");
}

#[test]
fn fec_windows_1252_crlf() {
    // AC/3 606400 D 12 / 401 C 12, labelled « Papeterie 12 € réglée » (€ is 0x80).
    let sb = check_variant(
        "windows1252.txt",
        2024,
        ("0.00", "12.00", "-12.00"),
        &[("passif", "12", "-12.00"), ("passif", "401", "12.00")],
        "0.00",
    );
    let c = listed(&sb, "charge", "2024");
    assert_eq!(c[0]["libelle"], "Papeterie 12 € réglée");
}

#[test]
fn fec_iso_8859_15_lf() {
    // The same entry, € as 0xA4 and œ as 0xBD.
    let sb = Sb::new();
    let out = sb.import_fec(&sample("iso8859_15.txt"));
    assert!(out.contains("ISO-8859-15"), "{out}");
    assert_eq!(totals(&sb.bilan(2024)), ("0.00", "12.00", "-12.00"));
    let c = listed(&sb, "charge", "2024");
    assert_eq!(c[0]["libelle"], "Papeterie 12 € réglée");
    // And the Windows-1252 one says so.
    let sb = Sb::new();
    let out = sb.import_fec(&sample("windows1252.txt"));
    assert!(out.contains("Windows-1252"), "{out}");
}

#[test]
fn fec_without_final_line_end() {
    // CO/1 512 D 80 / 756 C 80, and no line end after the last line.
    let bytes = std::fs::read(sample("no_final_eol.txt")).unwrap();
    assert!(!bytes.ends_with(b"\n"));
    check_variant(
        "no_final_eol.txt",
        2024,
        ("80.00", "0.00", "80.00"),
        &[("actif", "512", "80.00"), ("passif", "12", "80.00")],
        "80.00",
    );
}

#[test]
fn fec_bare_cr_quotes_and_blank_lines() {
    // BQ/12 512 D 20 / 754 C 20 (« "Don, reçu n° 4" » quoted); BQ/13 627 D 1,50 / 512 C 1,50.
    let sb = check_variant(
        "quirks_cr.txt",
        2024,
        ("20.00", "1.50", "18.50"),
        &[("actif", "512", "18.50"), ("passif", "12", "18.50")],
        "18.50",
    );
    let p = listed(&sb, "produit", "2024");
    assert_eq!(p[0]["libelle"], "Don, reçu n° 4");
}

#[test]
fn fec_montant_sens() {
    // BQ/1 512 250 D / 756 250 C; BQ/2 606400 60 +1, 606300 50 1, 512 100 -1, 512 -10 D
    // (a negative debit is a credit of 10).
    let sb = check_variant(
        "montant_sens.txt",
        2024,
        ("250.00", "110.00", "140.00"),
        &[("actif", "512", "140.00"), ("passif", "12", "140.00")],
        "140.00",
    );
    let d = sb.json(&["bilan", "2024", "--detail"]);
    assert_eq!(detail(&d, "charges", "606300"), Some("50.00"));
    assert_eq!(detail(&d, "charges", "606400"), Some("60.00"));
    assert_eq!(detail(&d, "produits", "756000"), Some("250.00"));
}

#[test]
fn fec_22_columns() {
    // VE/4 512 D 35 / 706 C 35, with the 4 columns of a cash-basis FEC.
    check_variant(
        "cash_basis_22.txt",
        2024,
        ("35.00", "0.00", "35.00"),
        &[("actif", "512", "35.00"), ("passif", "12", "35.00")],
        "35.00",
    );
}

#[test]
fn fec_more_columns() {
    // The same entry with two columns of the software's own.
    check_variant(
        "extra_columns.txt",
        2024,
        ("35.00", "0.00", "35.00"),
        &[("actif", "512", "35.00"), ("passif", "12", "35.00")],
        "35.00",
    );
}

#[test]
fn fec_lines_of_an_entry_not_adjacent() {
    // VE/2 411 D 30 / 706 C 10, 708 C 20 (lines 2, 4, 6); VE/1 411 D 20 / 706 C 20
    // (lines 3, 5).
    let sb = check_variant(
        "non_adjacent.txt",
        2024,
        ("50.00", "0.00", "50.00"),
        &[("actif", "411", "50.00"), ("passif", "12", "50.00")],
        "50.00",
    );
    let d = sb.json(&["bilan", "2024", "--detail"]);
    assert_eq!(detail(&d, "produits", "706000"), Some("30.00"));
    assert_eq!(detail(&d, "produits", "708000"), Some("20.00"));
    assert_eq!(
        sb.json(&["produit", "list", "--annee", "2024"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn fec_entry_numbers_unique_per_journal_only() {
    // VE/1 411 D 100 / 706 C 100 and AC/1 606400 D 20 / 401 C 20: two entries.
    let sb = Sb::new();
    let out = sb.import_fec(&sample("same_num_two_journals.txt"));
    assert!(
        out.contains("2 écriture(s) ajoutée(s), 4 ligne(s)"),
        "{out}"
    );
    assert_eq!(totals(&sb.bilan(2024)), ("100.00", "20.00", "80.00"));
    let (got, total) = balance(&sb.actif_passif(2024));
    assert_eq!(
        got,
        lines(&[
            ("actif", "411", "100.00"),
            ("passif", "12", "80.00"),
            ("passif", "401", "20.00"),
        ])
    );
    assert_eq!(total, "100.00");
}

#[test]
fn fec_dash_and_slash_are_empty_text() {
    // CO/1 512 D 25 / 756 C 25; PieceRef is empty on one line and « - » on the other,
    // EcritureLib « Cotisation » then « / ».
    let sb = check_variant(
        "empty_text.txt",
        2024,
        ("25.00", "0.00", "25.00"),
        &[("actif", "512", "25.00"), ("passif", "12", "25.00")],
        "25.00",
    );
    let p = listed(&sb, "produit", "2024");
    assert_eq!(p[0]["libelle"], "Cotisation");
    assert_eq!(p[0]["piece"], Value::Null, "« - » is no piece: {p:?}");
    assert_eq!(p[0]["tiers"], Value::Null);
}

#[test]
fn fec_zero_padded_amounts() {
    // OD/1 512 D 000001234,50 / 756 C 000001000,00, 754 C 000000234,50.
    let sb = check_variant(
        "zero_padded.txt",
        2024,
        ("1234.50", "0.00", "1234.50"),
        &[("actif", "512", "1234.50"), ("passif", "12", "1234.50")],
        "1234.50",
    );
    let d = sb.json(&["bilan", "2024", "--detail"]);
    assert_eq!(detail(&d, "produits", "754000"), Some("234.50"));
    assert_eq!(detail(&d, "produits", "756000"), Some("1000.00"));
}

#[test]
fn fec_negative_amounts_and_empty_lines() {
    // OD/1 512 Credit -100 (a debit), 706 Debit -50 (a credit), 401 0/0, 708 C 50.
    check_variant(
        "negative_and_zero.txt",
        2024,
        ("100.00", "0.00", "100.00"),
        &[("actif", "512", "100.00"), ("passif", "12", "100.00")],
        "100.00",
    );
}

#[test]
fn fec_date_formats_and_lowercase_headers() {
    // Three entries of 1,00 on 758, dated 20240229, 2024-02-29 and 29/02/2024.
    check_variant(
        "date_formats.txt",
        2024,
        ("3.00", "0.00", "3.00"),
        &[("actif", "512", "3.00"), ("passif", "12", "3.00")],
        "3.00",
    );
    // Columns in another order, in lower case, credit before DEBIT: BQ/1 512 D 60 /
    // 411 C 60.
    check_variant(
        "lowercase_headers.txt",
        2024,
        ("0.00", "0.00", "0.00"),
        &[
            ("actif", "512", "60.00"),
            ("passif", "12", "0.00"),
            ("passif", "411", "60.00"),
        ],
        "60.00",
    );
}

#[test]
fn fec_opening_entries_start_the_balance_sheet() {
    // 2023: 1 000 € of membership fees in the bank (result 1 000).
    // 2024 opens with AN/1 512 1 000 / 110, OUV/1 530 50 / 110, ran/1 512100 10 / 110,
    // JO/1 512200 5 / 110, OD/1 « À-Nouveaux 2023 » 512300 7 / 110: 1 072 on 110, the
    // 2023 result carried forward; then OD/2 411 D 8 / 706 C 8.
    let sb = Sb::new();
    sb.ok(&ecriture(
        "2023-06-01",
        "Cotisations 2023",
        &["512=1000"],
        &["756=1000"],
    ));
    sb.import_fec(&sample("opening.txt"));
    assert_eq!(totals(&sb.bilan(2024)), ("8.00", "0.00", "8.00"));
    // The 2024 balance sheet starts from the opening entries, not from 2023's entries
    // (which would count the bank twice: 2 022).
    let (got, total) = balance(&sb.actif_passif(2024));
    assert_eq!(
        got,
        lines(&[
            ("actif", "411", "8.00"),
            ("actif", "512", "1022.00"),
            ("actif", "530", "50.00"),
            ("passif", "110", "1072.00"),
            ("passif", "12", "8.00"),
        ])
    );
    assert_eq!(total, "1080.00");
    // 2023 alone: the bank and the result not yet carried forward.
    let (got, total) = balance(&sb.actif_passif(2023));
    assert_eq!(
        got,
        lines(&[("actif", "512", "1000.00"), ("passif", "12", "1000.00")])
    );
    assert_eq!(total, "1000.00");
}

#[test]
fn fec_files_that_are_not_readable_are_refused_naming_the_line() {
    let cases: [(&str, &[&str]); 7] = [
        ("bad_account.txt", &["ligne 2", "411CLIENT"]),
        (
            "bad_amount.txt",
            &["ligne 3", "12,345", "ligne 4", "1O0,00"],
        ),
        ("bad_date.txt", &["ligne 2", "20241301"]),
        ("missing_column.txt", &["CompAuxLib", "PieceDate"]),
        ("shifted_columns.txt", &["ligne 3", "ligne 5"]),
        ("date_conflict.txt", &["VE/3", "lignes 2, 3", "ligne 4"]),
        ("semicolon.csv", &["points-virgules"]),
    ];
    let sb = Sb::new();
    sb.import_fec(&sample("no_final_eol.txt"));
    for (file, wanted) in cases {
        let err = sb.refused(&["import", "fec", &sample(file)]);
        for w in wanted {
            assert!(err.contains(w), "{file}: « {w} » not in {err}");
        }
    }
    assert_eq!(totals(&sb.bilan(2024)), ("80.00", "0.00", "80.00"));
}

// ---------------------------------------------------------------------------------------
// 2. Unbalanced entries and unknown accounts

#[test]
fn fec_with_an_unbalanced_entry_is_refused_naming_it_and_its_lines() {
    // VE/7: 411 D 100 (line 2) / 706 C 50 (line 3), 708 C 49,90 (line 5); VE/8 balances.
    let sb = Sb::new();
    sb.import_fec(&sample("no_final_eol.txt"));
    let err = sb.refused(&["import", "fec", &sample("unbalanced.txt")]);
    assert!(err.contains("VE/7"), "{err}");
    assert!(err.contains("lignes 2, 3, 5"), "{err}");
    assert!(err.contains("100,00") && err.contains("99,90"), "{err}");
    assert!(!err.contains("VE/8"), "{err}");
    assert_eq!(totals(&sb.bilan(2024)), ("80.00", "0.00", "80.00"));
}

#[test]
fn fec_with_an_unknown_account_is_refused_and_nothing_is_written() {
    // OD/1 (lines 2 and 5) is fine and comes first; OD/2 (lines 3 and 4) uses 699900,
    // which the 1999 chart does not have.
    let sb = Sb::new();
    sb.import_fec(&sample("no_final_eol.txt"));
    let file = sb.write(
        "inconnu.txt",
        fec(&[
            ["OD", "1", "20180105", "512000", "A", "10,00", "0,00"],
            ["OD", "2", "20180105", "512000", "B", "10,00", "0,00"],
            ["OD", "2", "20180105", "699900", "B", "0,00", "10,00"],
            ["OD", "1", "20180105", "758000", "A", "0,00", "10,00"],
        ]),
    );
    let err = sb.refused(&["import", "fec", &file]);
    assert!(err.contains("OD/2"), "{err}");
    assert!(err.contains("lignes 3, 4"), "{err}");
    assert!(err.contains("699900"), "{err}");
    assert!(err.contains("Comptes proches"), "{err}");
    assert!(err.contains("Rien n'a été importé"), "{err}");
    assert_eq!(totals(&sb.bilan(2018)), ("0.00", "0.00", "0.00"));

    // Class 9 (analytic accounts) is not part of the chart either.
    let file = sb.write(
        "classe9.txt",
        fec(&[
            ["OD", "1", "20180105", "512000", "A", "10,00", "0,00"],
            ["OD", "2", "20180105", "512000", "B", "10,00", "0,00"],
            ["OD", "2", "20180105", "910000", "B", "0,00", "10,00"],
            ["OD", "1", "20180105", "758000", "A", "0,00", "10,00"],
        ]),
    );
    let err = sb.refused(&["import", "fec", &file]);
    assert!(err.contains("910000"), "{err}");
    assert!(err.contains("ligne 4"), "{err}");
}

#[test]
fn class_9_is_refused_for_what_it_is() {
    let sb = Sb::new();
    let err = sb.refused(&ecriture(
        "2018-03-01",
        "Analytique",
        &["9100=10"],
        &["512=10"],
    ));
    assert!(err.contains("classe 9"), "{err}");
    let file = sb.write(
        "classe9.txt",
        fec(&[
            ["OD", "1", "20180105", "512000", "A", "10,00", "0,00"],
            ["OD", "1", "20180105", "910000", "A", "0,00", "10,00"],
        ]),
    );
    let err = sb.refused(&["import", "fec", &file]);
    assert!(err.contains("classe 9"), "{err}");
}

#[test]
fn ecriture_add_with_an_unknown_account_proposes_the_nearest() {
    let sb = Sb::new();
    sb.ok(&simple("produit", "2018-02-01", "100", "706", "Atelier"));
    let err = sb.refused(&ecriture("2018-03-01", "Erreur", &["6999=10"], &["512=10"]));
    assert!(err.contains("6999"), "{err}");
    let proposed = err
        .split("Comptes proches")
        .nth(1)
        .unwrap_or_else(|| panic!("no account proposed: {err}"));
    assert!(proposed.contains("69"), "{err}");
    // Class 9 too.
    let err = sb.refused(&ecriture("2018-03-01", "Erreur", &["9100=10"], &["512=10"]));
    assert!(err.contains("9100"), "{err}");
    assert_eq!(totals(&sb.bilan(2018)), ("100.00", "0.00", "100.00"));
}

#[test]
fn ecriture_add_with_an_unknown_account_names_the_option_used() {
    let sb = Sb::new();
    let err = sb.refused(&ecriture("2018-03-01", "Erreur", &["6999=10"], &["512=10"]));
    assert!(!err.contains("--compte"), "{err}");
    assert!(err.contains("--debit"), "{err}");
}

#[test]
fn ecriture_add_unbalanced_names_the_difference() {
    let sb = Sb::new();
    sb.ok(&simple("charge", "2018-02-01", "20", "606", "Papier"));
    let err = sb.refused(&ecriture(
        "2018-03-01",
        "Achat",
        &["606=10", "6064=2,25"],
        &["512=11,75"],
    ));
    assert!(err.contains("déséquilibrée"), "{err}");
    assert!(err.contains("écart 0,50 €"), "{err}");
    // The snapshot does see a write: the same entry, balanced, changes the bytes.
    let before = sb.snapshot();
    sb.ok(&ecriture(
        "2018-03-01",
        "Achat",
        &["606=10", "6064=2,25"],
        &["512=12,25"],
    ));
    assert!(
        sb.files() != before,
        "a write left the ledger's bytes as they were"
    );
    assert_eq!(totals(&sb.bilan(2018)), ("0.00", "32.25", "-32.25"));
}

// ---------------------------------------------------------------------------------------
// 3. Re-import

#[test]
fn importing_the_same_fec_twice_adds_nothing() {
    let sb = Sb::new();
    let first = norm(&sb.import_fec(&fixture_fec(2017)));
    assert!(
        first.contains("240 écriture(s) ajoutée(s), 544 ligne(s)"),
        "{first}"
    );
    assert!(
        first.contains(
            "Exercice 2017 dans le registre : produits 176 512,00 €, charges 191 947,00 €, déficit 15 435,00 €."
        ),
        "{first}"
    );
    let bilan = sb.json(&["bilan", "2017", "--detail"]);
    let ap = sb.actif_passif(2017);
    let before = sb.snapshot();
    let second = sb.import_fec(&fixture_fec(2017));
    assert!(second.contains("Rien n'a été ajouté"), "{second}");
    assert!(second.contains("240 écriture(s)"), "{second}");
    assert!(
        sb.files() == before,
        "a re-import changed the ledger's bytes"
    );
    assert_eq!(sb.json(&["bilan", "2017", "--detail"]), bilan);
    assert_eq!(sb.actif_passif(2017), ap);
}

#[test]
fn a_file_partly_imported_adds_only_the_new_entries() {
    // non_adjacent.txt holds VE/1 (20,00) and VE/2 (30,00). This file repeats VE/1 and
    // adds VE/3 (7,00).
    let sb = Sb::new();
    sb.import_fec(&sample("non_adjacent.txt"));
    let file = sb.write(
        "suite.txt",
        fec(&[
            [
                "VE",
                "1",
                "20240109",
                "411000",
                "Facture 1",
                "20,00",
                "0,00",
            ],
            [
                "VE",
                "1",
                "20240109",
                "706000",
                "Facture 1",
                "0,00",
                "20,00",
            ],
            ["VE", "3", "20240112", "411000", "Facture 3", "7,00", "0,00"],
            ["VE", "3", "20240112", "706000", "Facture 3", "0,00", "7,00"],
        ]),
    );
    let out = sb.import_fec(&file);
    assert!(
        out.contains("1 écriture(s) ajoutée(s), 2 ligne(s) ; 1 déjà présente(s), ignorée(s)."),
        "{out}"
    );
    assert_eq!(totals(&sb.bilan(2024)), ("57.00", "0.00", "57.00"));
}

// ---------------------------------------------------------------------------------------
// 4. Round trip

#[test]
fn export_fec_then_import_gives_the_same_figures() {
    let a = Sb::fec_fixtures();
    let dir = a.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    let out = a.ok(&[
        "export",
        "fec",
        "2017",
        "--siren",
        SIREN,
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.contains("240 écriture(s), 544 ligne(s)"), "{out}");
    let file = dir.join(format!("{SIREN}FEC20171231.txt"));
    let bytes = std::fs::read(&file).expect("the FEC is named <SIREN>FEC20171231.txt");
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let rows: Vec<&str> = text
        .split('\n')
        .filter(|l| !l.is_empty())
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    assert_eq!(rows[0], HEADER.join("\t"), "the official header");
    assert_eq!(rows.len(), 1 + 544);
    for (i, row) in rows.iter().enumerate() {
        let f: Vec<&str> = row.split('\t').collect();
        assert_eq!(f.len(), 18, "line {}: {row:?}", i + 1);
        if i == 0 {
            continue;
        }
        assert!(
            f[3].len() == 8 && f[3].starts_with("2017") && f[3].bytes().all(|b| b.is_ascii_digit()),
            "EcritureDate AAAAMMJJ, line {}: {row:?}",
            i + 1
        );
        for amount in [f[11], f[12]] {
            let (units, dec) = amount
                .split_once(',')
                .unwrap_or_else(|| panic!("decimal comma, line {}: {row:?}", i + 1));
            assert!(
                !units.is_empty()
                    && units.bytes().all(|b| b.is_ascii_digit())
                    && dec.len() == 2
                    && dec.bytes().all(|b| b.is_ascii_digit()),
                "amount {amount:?}, line {}",
                i + 1
            );
        }
    }

    // Ledger B gets 2017 only, opening entries included.
    let b = Sb::new();
    let out = b.import_fec(file.to_str().unwrap());
    assert!(
        out.contains("240 écriture(s) ajoutée(s), 544 ligne(s)"),
        "{out}"
    );
    assert_eq!(
        b.json(&["bilan", "2017", "--detail"]),
        a.json(&["bilan", "2017", "--detail"])
    );
    assert_eq!(b.bilan(2017), a.bilan(2017));
    // 2017 opens with « à nouveaux »: the balance sheet is the same without 2016.
    assert_eq!(b.actif_passif(2017), a.actif_passif(2017));

    // A bad SIREN (wrong check digit), or none, writes nothing.
    for args in [
        vec![
            "export",
            "fec",
            "2017",
            "--siren",
            "123456789",
            "-o",
            dir.to_str().unwrap(),
        ],
        vec!["export", "fec", "2017", "-o", dir.to_str().unwrap()],
    ] {
        let err = a.refused(&args);
        assert!(err.contains("SIREN") || err.contains("siren"), "{err}");
    }
    assert!(!dir.join("123456789FEC20171231.txt").exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn export_fec_of_entries_typed_in_ici_reads_back_the_same() {
    // The CSV fixtures are typed entries (bank BQ, cash CA); the subsidies carry their
    // funder, which ledger B knows too.
    let a = Sb::csv_fixtures();
    let out = a.ok(&["export", "fec", "2017", "--siren", SIREN]);
    assert!(out.contains(&format!("{SIREN}FEC20171231.txt")), "{out}");
    let file = a.path().join(format!("{SIREN}FEC20171231.txt"));
    let b = Sb::new();
    b.ok(&["import", "partenaires", &fixture("2017/partenaires.csv")]);
    b.import_fec(file.to_str().unwrap());
    assert_eq!(
        b.json(&["bilan", "2017", "--detail"]),
        a.json(&["bilan", "2017", "--detail"])
    );
    assert_eq!(
        totals(&b.bilan(2017)),
        ("176512.00", "191947.00", "-15435.00")
    );
}

#[test]
fn export_fec_keeps_typed_and_imported_entries_apart() {
    let a = Sb::new();
    let file = a.write(
        "od2.txt",
        fec(&[
            ["OD", "2", "20240105", "606000", "Achat", "10,00", "0,00"],
            ["OD", "2", "20240105", "401000", "Achat", "0,00", "10,00"],
        ]),
    );
    // Row 1 is OD/2 of the accountant's file; row 2, typed, is exported as OD/2 too.
    a.import_fec(&file);
    a.ok(&ecriture("2024-02-01", "Facture", &["606=25"], &["401=25"]));
    a.ok(&["export", "fec", "2024", "--siren", SIREN]);
    let exported = a.path().join(format!("{SIREN}FEC20241231.txt"));
    let b = Sb::new();
    b.import_fec(exported.to_str().unwrap());
    assert_eq!(b.bilan(2024), a.bilan(2024));
}

// ---------------------------------------------------------------------------------------
// 5. The fixture's figures

/// Produits minus charges by block of the 1999 layout, from a FEC's lines.
fn results_by_block(fec_path: &str) -> BTreeMap<&'static str, i64> {
    let text = std::fs::read_to_string(fec_path).unwrap();
    let mut by = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        let compte = f[4];
        if !compte.starts_with('6') && !compte.starts_with('7') {
            continue;
        }
        let block = match (&compte[..2], &compte[..3]) {
            (_, "686" | "786" | "796") | ("66" | "76", _) => "financier",
            (_, "687" | "787" | "797") | ("67" | "77", _) => "exceptionnel",
            (_, "689" | "789") => "fonds_dedies",
            ("69", _) => "impots",
            _ => "exploitation",
        };
        *by.entry(block).or_insert(0) += cents(f[12]) - cents(f[11]);
    }
    by
}

#[test]
fn the_2017_fixture_in_the_compte_de_resultat_layout() {
    let sb = Sb::fec_fixtures();
    let b = sb.bilan(2017);
    assert_eq!(totals(&b), ("176512.00", "191947.00", "-15435.00"));
    assert_eq!(b["resultat_nom"], "Déficit");
    assert_eq!(
        b["plan_comptable"],
        "plan comptable des associations 1999 (CRC 99-01)"
    );
    // Computed from the fixture's accounts: exploitation 60–65, 681, 70–75;
    // financier 6611 20,84 / 7680 38,52; fonds dédiés 7890 24 403,48.
    let by = results_by_block(&fixture_fec(2017));
    let get = |k: &str| by.get(k).copied().unwrap_or(0);
    assert_eq!(s(&b, "resultat_exploitation"), plain(get("exploitation")));
    assert_eq!(s(&b, "resultat_financier"), plain(get("financier")));
    assert_eq!(s(&b, "resultat_exceptionnel"), plain(get("exceptionnel")));
    assert_eq!(
        s(&b, "solde_ressources_affectees"),
        plain(get("fonds_dedies"))
    );
    assert_eq!(s(&b, "impots_sur_les_benefices"), plain(-get("impots")));
    assert_eq!(
        s(&b, "resultat_courant"),
        plain(get("exploitation") + get("financier"))
    );
    assert_eq!(by.values().sum::<i64>(), -15_435_00);
    // The same as literals.
    assert_eq!(s(&b, "resultat_exploitation"), "-39856.16");
    assert_eq!(s(&b, "resultat_financier"), "17.68");
    assert_eq!(s(&b, "resultat_courant"), "-39838.48");
    assert_eq!(s(&b, "resultat_exceptionnel"), "0.00");
    assert_eq!(s(&b, "solde_ressources_affectees"), "24403.48");
    assert_eq!(s(&b, "impots_sur_les_benefices"), "0.00");
    // The sections' results sum to the result, and their totals to the totals.
    let sections = b["sections"].as_array().unwrap();
    let sum = |key: &str| -> i64 { sections.iter().map(|x| cents(s(x, key))).sum() };
    assert_eq!(sum("resultat"), -15_435_00);
    assert_eq!(sum("total_produits"), 176_512_00);
    assert_eq!(sum("total_charges"), 191_947_00);
    let keys: Vec<&str> = sections.iter().map(|x| s(x, "section")).collect();
    assert_eq!(keys, ["exploitation", "financier", "fonds_dedies"]);
    // The France Active loan is no income.
    assert_eq!(s(&b, "emprunts_recus"), "30000.00");

    // Balance sheet at 31/12/2017 (the fixture README's table).
    let ap = sb.actif_passif(2017);
    let (got, total) = balance(&ap);
    assert_eq!(total, "59734.79");
    let find = |compte: &str| {
        got.iter()
            .find(|l| l.1 == compte)
            .map(|l| (l.0.as_str(), l.2.as_str()))
    };
    assert_eq!(find("512"), Some(("actif", "47182.19")));
    assert_eq!(find("530"), Some(("actif", "232.60")));
    assert_eq!(find("411"), Some(("actif", "12320.00")));
    assert_eq!(find("168"), Some(("passif", "30000.00")));
    assert_eq!(find("110"), Some(("passif", "36823.87")));
    assert_eq!(find("12"), Some(("passif", "-15435.00")));
    assert_eq!(find("441"), None);

    // 2016.
    let b16 = sb.bilan(2016);
    assert_eq!(totals(&b16), ("167863.20", "161748.68", "6114.52"));
    assert_eq!(b16["resultat_nom"], "Excédent");
    let by16 = results_by_block(&fixture_fec(2016));
    assert_eq!(
        s(&b16, "solde_ressources_affectees"),
        plain(by16["fonds_dedies"])
    );
    let (_, total16) = balance(&sb.actif_passif(2016));
    assert_eq!(total16, "71068.85");

    // --comparer on the FEC ledger.
    let c = sb.json(&["bilan", "2017", "--comparer"]);
    assert_eq!(
        totals(&c["precedent"]),
        ("167863.20", "161748.68", "6114.52")
    );
}

#[test]
fn demo_and_the_csv_fixtures_give_the_same_2017_figures() {
    let sb = Sb::new();
    let demo: Value = serde_json::from_slice(
        &sb.bare()
            .args(["demo", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .expect("demo JSON");
    let d = &demo["bilan"];
    assert_eq!(totals(d), ("176512.00", "191947.00", "-15435.00"));
    assert_eq!(s(d, "resultat_exploitation"), "-39856.16");
    assert_eq!(s(d, "resultat_financier"), "17.68");
    assert_eq!(s(d, "solde_ressources_affectees"), "24403.48");

    let csv = Sb::csv_fixtures();
    let c = csv.json(&["bilan", "2017", "--comparer"]);
    assert_eq!(totals(&c), ("176512.00", "191947.00", "-15435.00"));
    assert_eq!(s(&c["precedent"], "total_produits"), "167863.20");
    assert_eq!(
        totals(&c["precedent"]),
        ("167863.20", "161748.68", "6114.52")
    );
    assert_eq!(c["precedent"]["annee"], 2016);
    // The CSV ledger and the FEC ledger agree on the layout's subtotals.
    for key in [
        "resultat_exploitation",
        "resultat_financier",
        "resultat_courant",
        "resultat_exceptionnel",
        "solde_ressources_affectees",
    ] {
        assert_eq!(c[key], d[key], "{key}");
    }
}

// ---------------------------------------------------------------------------------------
// 6. One project, and every project

#[test]
fn one_project_and_every_project() {
    let sb = Sb::csv_fixtures();
    // NET94's rows of the 2017 CSV.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(fixture("2017/finances.csv"))
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (date, kind, montant, projet) = (col("date"), col("type"), col("montant"), col("projet"));
    let (mut produits, mut charges, mut n) = (0, 0, 0);
    for row in reader.records() {
        let row = row.unwrap();
        if &row[projet] != "NET94" || !row[date].starts_with("2017") {
            continue;
        }
        n += 1;
        match &row[kind] {
            "produit" => produits += cents(&row[montant]),
            "charge" => charges += cents(&row[montant]),
            other => panic!("NET94 row of type {other}"),
        }
    }
    assert!(n > 20, "{n} NET94 rows");
    // And NET94's entries of the 2017 double-entry CSV (a piece names its project once).
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(fixture("2017/ecritures.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let net94: Vec<&str> = rows
        .iter()
        .filter(|r| &r[8] == "NET94")
        .map(|r| &r[2])
        .collect();
    assert!(!net94.is_empty());
    for r in rows.iter().filter(|r| net94.contains(&&r[2])) {
        let (debit, credit) = (cents(&r[5]), cents(&r[6]));
        match &r[3][..1] {
            "7" => produits += credit - debit,
            "6" => charges += debit - credit,
            _ => {}
        }
    }
    let b = sb.json(&["bilan", "2017", "--projet", "NET94"]);
    assert_eq!(b["projet"], "NET94");
    assert_eq!(
        totals(&b),
        (
            plain(produits).as_str(),
            plain(charges).as_str(),
            plain(produits - charges).as_str()
        )
    );
    assert_eq!(totals(&b), ("49403.48", "37487.30", "11916.18"));

    let par = sb.json(&["bilan", "2017", "--par", "projet"]);
    let projets = par["projets"].as_array().unwrap();
    let sum = |key: &str| -> i64 { projets.iter().map(|p| cents(s(p, key))).sum() };
    assert_eq!(sum("resultat"), -15_435_00);
    assert_eq!(sum("total_produits"), 176_512_00);
    assert_eq!(sum("total_charges"), 191_947_00);
    let none: Vec<&Value> = projets.iter().filter(|p| p["projet"].is_null()).collect();
    assert_eq!(none.len(), 1, "{par:#}");
    assert_eq!(none[0]["libelle"], "non affecté");
    let net94 = projets.iter().find(|p| p["projet"] == "NET94").unwrap();
    assert_eq!(s(net94, "resultat"), "11916.18");
}

// ---------------------------------------------------------------------------------------
// 7. Closing a year

#[test]
fn a_closed_year_takes_no_more_entries() {
    let sb = Sb::new();
    sb.import_fec(&fixture_fec(2017));
    let bilan = sb.json(&["bilan", "2017", "--detail"]);
    let ap = sb.actif_passif(2017);
    assert_eq!(sb.json(&["cloture"]), Value::Array(vec![]));

    let out = norm(&sb.ok(&["cloture", "2017", "--oui"]));
    assert!(
        out.contains(
            "Exercice 2017 clos : produits 176 512,00 €, charges 191 947,00 €, déficit 15 435,00 €."
        ),
        "{out}"
    );
    let list = sb.json(&["cloture"]);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["annee"], 2017);

    let err = sb.refused(&simple("produit", "2017-12-31", "10", "706", "Oubli"));
    assert!(err.contains("2017") && err.contains("clos"), "{err}");
    let err = sb.refused(&ecriture("2017-06-01", "Oubli", &["606=1"], &["512=1"]));
    assert!(err.contains("2017") && err.contains("clos"), "{err}");
    // Reversed on its own date, a 2017 entry would land in the closed year: refused,
    // with the command that passes the correction into 2018.
    let err = sb.refused(&["ecriture", "annule", "2", "--motif", "Erreur"]);
    assert!(err.contains("2017") && err.contains("clos"), "{err}");
    assert!(err.contains("--date 2018-01-01"), "{err}");
    // A FEC with a new 2018 entry and a new 2017 entry: all or nothing.
    let file = sb.write(
        "suite.txt",
        fec(&[
            ["OD", "900", "20180105", "512000", "A", "10,00", "0,00"],
            ["OD", "900", "20180105", "758000", "A", "0,00", "10,00"],
            ["OD", "901", "20171229", "512000", "B", "10,00", "0,00"],
            ["OD", "901", "20171229", "758000", "B", "0,00", "10,00"],
        ]),
    );
    let err = sb.refused(&["import", "fec", &file]);
    assert!(
        err.contains("OD/901") && err.contains("2017") && err.contains("clos"),
        "{err}"
    );
    let csv = sb.write(
        "f.csv",
        "date;type;montant;compte;libelle;tiers;projet;piece;via\n2017-12-30;charge;10,00;606;Oubli;;;;\n",
    );
    let err = sb.refused(&["import", "finances", &csv]);
    assert!(err.contains("clos"), "{err}");
    let err = sb.refused(&["cloture", "2017"]);
    assert!(err.contains("déjà clos"), "{err}");

    // 2018 stays open.
    sb.ok(&simple("produit", "2018-01-15", "10", "706", "Atelier"));
    let file = sb.write(
        "2018.txt",
        fec(&[
            ["OD", "900", "20180105", "512000", "A", "10,00", "0,00"],
            ["OD", "900", "20180105", "758000", "A", "0,00", "10,00"],
        ]),
    );
    sb.import_fec(&file);
    assert_eq!(totals(&sb.bilan(2018)), ("20.00", "0.00", "20.00"));
    // A 2018 entry cannot be reversed into 2017.
    let err = sb.refused(&[
        "ecriture",
        "annule",
        "241",
        "--motif",
        "x",
        "--date",
        "2017-12-31",
    ]);
    assert!(err.contains("clos"), "{err}");
    // The correction goes into 2018: reversing entry 2 there leaves 2017 as closed.
    sb.ok(&[
        "ecriture",
        "annule",
        "2",
        "--motif",
        "Erreur",
        "--date",
        "2018-01-15",
    ]);

    assert_eq!(sb.json(&["bilan", "2017", "--detail"]), bilan);
    assert_eq!(sb.actif_passif(2017), ap);
}

#[test]
fn cloture_lists_the_year_as_a_year() {
    let sb = Sb::new();
    sb.ok(&simple("produit", "2017-03-01", "10", "706", "Atelier"));
    sb.ok(&["cloture", "2017", "--oui"]);
    let out = sb.ok(&["cloture"]);
    assert!(out.contains("2017"), "{out}");
}

#[test]
fn the_schema_refuses_edits_even_by_hand() {
    let sb = Sb::new();
    sb.ok(&simple("produit", "2017-03-01", "10", "706", "Atelier"));
    sb.ok(&simple("produit", "2018-03-01", "20", "706", "Atelier"));
    sb.ok(&["cloture", "2017", "--oui"]);
    let before = sb.snapshot();
    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    for (sql, why) in [
        ("UPDATE ligne SET debit = 1", "contrepassez-la"),
        ("UPDATE ecriture SET libelle = 'x'", "contrepassez-la"),
        ("DELETE FROM ligne", "contrepassez-la"),
        ("DELETE FROM ecriture", "contrepassez-la"),
        (
            "DELETE FROM ecriture WHERE date >= '2018'",
            "contrepassez-la",
        ),
        ("DELETE FROM cloture", "définitive"),
        ("UPDATE cloture SET annee = 2016", "définitive"),
        (
            "INSERT INTO ecriture (date, libelle, cree_le) VALUES ('2017-05-01', 'x', '2018-01-01')",
            "exercice clos",
        ),
        (
            "INSERT INTO ligne (ecriture_id, compte, debit, credit) VALUES (1, '706', 0, 5)",
            "écriture",
        ),
    ] {
        let err = c
            .execute(sql, [])
            .expect_err(&format!("`{sql}` should fail"))
            .to_string();
        assert!(err.contains(why), "`{sql}`: {err}");
    }
    drop(c);
    assert!(
        sb.snapshot() == before,
        "a refused query changed the ledger"
    );
    assert_eq!(totals(&sb.bilan(2017)), ("10.00", "0.00", "10.00"));
}

/// Lines go with the entry being written: an entry recorded before takes no more.
/// (The latest entry's own lines are written by the same transaction; the trigger
/// cannot tell a hand-made line on that one entry from its own.)
#[test]
fn the_schema_refuses_a_line_added_to_an_existing_entry() {
    let sb = Sb::new();
    sb.ok(&simple("produit", "2018-03-01", "20", "706", "Atelier"));
    sb.ok(&simple("produit", "2018-03-02", "30", "706", "Atelier"));
    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    let r = c.execute(
        "INSERT INTO ligne (ecriture_id, compte, debit, credit) VALUES (1, '706', 0, 5)",
        [],
    );
    assert!(r.is_err(), "a line was added to entry 1");
}

// ---------------------------------------------------------------------------------------
// 8. Reversal

#[test]
fn a_reversal_leaves_the_result_as_it_was() {
    let sb = Sb::new();
    sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    sb.ok(&with(
        simple("produit", "2018-03-01", "500", "706", "Atelier"),
        &["--projet", "NET94"],
    ));
    let before = sb.bilan(2018);
    let before_projet = sb.json(&["bilan", "2018", "--projet", "NET94"]);
    let before_ap = sb.actif_passif(2018);
    assert_eq!(totals(&before), ("500.00", "0.00", "500.00"));
    let out = sb.ok(&with(
        simple("charge", "2018-03-02", "120,40", "606", "Papier"),
        &["--projet", "NET94"],
    ));
    assert!(out.contains("écriture n° 2 "), "{out}");
    assert_eq!(totals(&sb.bilan(2018)), ("500.00", "120.40", "379.60"));

    let out = sb.ok(&["ecriture", "annule", "2", "--motif", "Facture en double"]);
    assert!(
        out.contains("Écriture n° 2 contrepassée par l'écriture n° 3"),
        "{out}"
    );
    assert_eq!(sb.bilan(2018), before);
    assert_eq!(
        sb.json(&["bilan", "2018", "--projet", "NET94"]),
        before_projet
    );
    assert_eq!(sb.actif_passif(2018), before_ap);

    let original = sb.ok(&["ecriture", "show", "2"]);
    assert!(
        original.contains("Contrepassée par l'écriture n° 3."),
        "{original}"
    );
    let reversal = sb.ok(&["ecriture", "show", "3"]);
    assert!(
        reversal.contains("Contrepasse l'écriture n° 2."),
        "{reversal}"
    );
    assert!(reversal.contains("Facture en double"), "{reversal}");

    let err = sb.refused(&["ecriture", "annule", "2", "--motif", "Encore"]);
    assert!(
        err.contains("déjà contrepassée par l'écriture n° 3"),
        "{err}"
    );
    let err = sb.refused(&["ecriture", "annule", "3", "--motif", "Annuler l'annulation"]);
    assert!(err.contains("contrepasse déjà l'écriture n° 2"), "{err}");
    let err = sb.refused(&["ecriture", "annule", "99", "--motif", "Inconnue"]);
    assert!(err.contains("99"), "{err}");
    assert_eq!(sb.bilan(2018), before);
}

#[test]
fn reversing_an_imported_entry() {
    // non_adjacent.txt: VE/2 (30 on 411 / 10 on 706 and 20 on 708), VE/1 (20).
    let sb = Sb::new();
    sb.import_fec(&sample("non_adjacent.txt"));
    sb.ok(&["ecriture", "annule", "1", "--motif", "Facture annulée"]);
    assert_eq!(totals(&sb.bilan(2024)), ("20.00", "0.00", "20.00"));
    let (got, _) = balance(&sb.actif_passif(2024));
    assert_eq!(
        got,
        lines(&[("actif", "411", "20.00"), ("passif", "12", "20.00")])
    );
    // Importing the file again does not bring the reversed entry back.
    let out = sb.import_fec(&sample("non_adjacent.txt"));
    assert!(out.contains("Rien n'a été ajouté"), "{out}");
    assert_eq!(totals(&sb.bilan(2024)), ("20.00", "0.00", "20.00"));
}

// ---------------------------------------------------------------------------------------
// 9. Several lines on each side

#[test]
fn a_payroll_entry_on_four_accounts() {
    let sb = Sb::new();
    let out = sb.ok(&ecriture(
        "2018-01-31",
        "Paie de janvier",
        &["6411=2300", "645=621"],
        &["421=1794", "431=1127"],
    ));
    assert!(out.contains("Écriture n° 1 enregistrée."), "{out}");
    for compte in ["6411", "645", "421", "431"] {
        assert!(out.contains(compte), "{compte} not shown: {out}");
    }
    let d = sb.json(&["bilan", "2018", "--detail"]);
    assert_eq!(detail(&d, "charges", "6411"), Some("2300.00"));
    assert_eq!(detail(&d, "charges", "645"), Some("621.00"));
    assert_eq!(totals(&d), ("0.00", "2921.00", "-2921.00"));
    let g = sb.bilan(2018);
    assert_eq!(detail(&g, "charges", "64"), Some("2921.00"));
    let (got, total) = balance(&sb.actif_passif(2018));
    assert_eq!(
        got,
        lines(&[
            ("passif", "12", "-2921.00"),
            ("passif", "421", "1794.00"),
            ("passif", "431", "1127.00"),
        ])
    );
    assert_eq!(total, "0.00");
    // Paid the same day: the bank goes down by the net pay.
    sb.ok(&ecriture(
        "2018-01-31",
        "Virement salaire",
        &["421=1794"],
        &["512=1794"],
    ));
    let (got, _) = balance(&sb.actif_passif(2018));
    assert_eq!(
        got,
        lines(&[
            ("passif", "12", "-2921.00"),
            ("passif", "431", "1127.00"),
            ("passif", "512", "1794.00"),
        ])
    );
}

// ---------------------------------------------------------------------------------------
// 10. The chart of accounts

#[test]
fn the_chart_in_force_depends_on_the_year() {
    let sb = Sb::new();
    let list = |annee: &str, classe: &str| -> Value {
        let out = sb
            .bare()
            .args([
                "compte", "list", "--annee", annee, "--classe", classe, "--format", "json",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let comptes = |v: &Value| -> Vec<String> {
        v["comptes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| s(c, "compte").to_string())
            .collect()
    };
    let p2017 = list("2017", "74");
    let p2021 = list("2021", "74");
    assert_eq!(
        p2017["plan"],
        "plan comptable des associations 1999 (CRC 99-01)"
    );
    assert_eq!(
        p2021["plan"],
        "plan comptable des associations 2018 (ANC 2018-06)"
    );
    assert!(comptes(&p2017).contains(&"74".to_string()), "{p2017}");
    assert!(comptes(&p2017).iter().all(|c| c.starts_with("74")));
    assert!(comptes(&list("2017", "73")).is_empty());
    assert!(comptes(&list("2019", "73")).is_empty());
    assert_eq!(comptes(&list("2021", "73"))[0], "73");
    assert_eq!(
        list("2020", "73")["plan"],
        "plan comptable des associations 2018 (ANC 2018-06)"
    );

    // Which means 73 is refused in 2019 and accepted in 2020.
    sb.refused(&ecriture(
        "2019-12-31",
        "Concours",
        &["512=100"],
        &["7311=100"],
    ));
    sb.ok(&ecriture(
        "2020-01-02",
        "Concours",
        &["512=100"],
        &["7311=100"],
    ));
    assert_eq!(totals(&sb.bilan(2020)), ("100.00", "0.00", "100.00"));
}

// ---------------------------------------------------------------------------------------
// The balance sheet of a year after the last opening entries

#[test]
fn the_year_after_the_last_opening_entries_starts_from_them() {
    let sb = Sb::fec_fixtures();
    let (got, total) = balance(&sb.actif_passif(2018));
    let find = |compte: &str| got.iter().find(|l| l.1 == compte).map(|l| l.2.as_str());
    assert_eq!(find("512"), Some("47182.19"), "{got:?}");
    assert_eq!(find("102"), Some("3000.00"), "{got:?}");
    assert_eq!(total, "59734.79");
}
