//! `ici demo --ecrire FICHIER`: the demo ledger written to a new file, whose books are
//! the accountant's (the FEC of 2016 and 2017 in `fixtures/fec/`).

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture_fec(year: i32) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("fixtures/fec/824137954FEC{year}1231.txt"))
        .to_str()
        .unwrap()
        .to_string()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// `ici demo --ecrire d.sqlite` run in a fresh sandbox: the sandbox and the file.
fn written_demo() -> (Sandbox, PathBuf) {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--ecrire", "d.sqlite"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo", "--ecrire", "d.sqlite"]);
    // Prints as before: the compte de résultat and the activity figures.
    let t = plain_spaces(&stdout(&out));
    assert!(t.contains("Déficit : 15 435,00 €"), "{t}");
    assert!(t.contains("Personnes formées (1)"), "{t}");
    assert!(
        t.contains("Registre de démonstration écrit : d.sqlite ("),
        "{t}"
    );
    let file = sb.path().join("d.sqlite");
    (sb, file)
}

/// `ici --ledger FILE ARGS… --format json`, from the sandbox.
fn json_of(sb: &Sandbox, ledger: &Path, args: &[&str]) -> Value {
    let out = sb
        .bare()
        .arg("--ledger")
        .arg(ledger)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    expect_code(&out, 0, args);
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The balance sheet at 31/12/2017: both totals, the bank, and each line by account.
fn assert_accountant_balance_sheet(ap: &Value) {
    assert_eq!(s(&ap["total_actif"]), "59734.79", "{ap}");
    assert_eq!(s(&ap["total_passif"]), "59734.79", "{ap}");
    let line = |side: &str, compte: &str| -> Option<String> {
        ap[side]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["compte"] == compte)
            .map(|l| s(&l["montant"]).to_string())
    };
    assert_eq!(line("actif", "512").as_deref(), Some("47182.19"));
    // The cash box is an asset, fixed assets are there (fully depreciated).
    assert_eq!(line("actif", "530").as_deref(), Some("232.60"));
    assert_eq!(line("passif", "530"), None);
    assert_eq!(line("actif", "218").as_deref(), Some("3558.00"));
    assert_eq!(line("actif", "281").as_deref(), Some("-3558.00"));
    assert_eq!(line("actif", "411").as_deref(), Some("12320.00"));
    assert_eq!(line("passif", "12").as_deref(), Some("-15435.00"));
    assert_eq!(line("passif", "401").as_deref(), Some("840.00"));
    assert_eq!(line("passif", "431").as_deref(), Some("4505.92"));
}

#[test]
fn the_written_demo_holds_the_accountants_balance_sheet() {
    let (sb, file) = written_demo();
    let demo = json_of(&sb, &file, &["bilan", "2017", "--actif-passif"]);
    assert_accountant_balance_sheet(&demo);

    // A ledger made from the accountant's two FEC files gives the very same sheet.
    let fec = Sandbox::new();
    fec.ok(&["import", "fec", &fixture_fec(2016)]);
    fec.ok(&["import", "fec", &fixture_fec(2017)]);
    let from_fec = fec.json(&["bilan", "2017", "--actif-passif"]);
    assert_accountant_balance_sheet(&from_fec);
    assert_eq!(demo, from_fec, "the demo's books are not the accountant's");

    // And 2016: the dedicated funds of 2016 appear, as in the FEC.
    let demo16 = json_of(&sb, &file, &["bilan", "2016", "--actif-passif"]);
    let from_fec16 = fec.json(&["bilan", "2016", "--actif-passif"]);
    assert_eq!(demo16, from_fec16);
    let fonds_dedies = demo16["passif"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| s(&l["compte"]).starts_with("19"))
        .map(|l| s(&l["montant"]).to_string());
    assert_eq!(fonds_dedies.as_deref(), Some("24403.48"));
    assert_eq!(s(&demo16["total_actif"]), "71068.85");
}

#[test]
fn the_written_demo_keeps_the_printed_compte_de_resultat() {
    let (sb, file) = written_demo();
    let b = json_of(&sb, &file, &["bilan", "2017"]);
    assert_eq!(s(&b["total_produits"]), "176512.00");
    assert_eq!(s(&b["total_charges"]), "191947.00");
    assert_eq!(s(&b["resultat"]), "-15435.00");
    assert_eq!(s(&b["emprunts_recus"]), "30000.00");
    // The same figures as the FEC ledger, and as the demo prints them.
    let fec = Sandbox::new();
    fec.ok(&["import", "fec", &fixture_fec(2016)]);
    fec.ok(&["import", "fec", &fixture_fec(2017)]);
    let f = fec.json(&["bilan", "2017"]);
    for key in ["total_produits", "total_charges", "resultat"] {
        assert_eq!(b[key], f[key], "{key}");
    }
    let printed: Value = serde_json::from_slice(
        &sb.bare()
            .args(["demo", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(
        printed["bilan"], b,
        "demo prints another bilan than it writes"
    );
    // The report's 24 partners, France Active (the lender) among them.
    let st = json_of(&sb, &file, &["stats", "2017"]);
    assert_eq!(st["partenaires"].as_array().map(Vec::len), Some(24));
    assert!(
        st["partenaires"]
            .as_array()
            .unwrap()
            .contains(&Value::from("France Active"))
    );
    assert_eq!(printed["stats"], st);
}

#[test]
fn the_written_demo_is_private_and_a_full_ledger() {
    let (sb, file) = written_demo();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // No temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(sb.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".d.sqlite"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // A ledger `ici` takes as it is: the activity is there too.
    let st = json_of(&sb, &file, &["stats", "2017"]);
    assert_eq!(st["personnes_formees"], Value::from(831));
    // In JSON, the file written is named with its size.
    let out = sb
        .bare()
        .args(["demo", "--format", "json", "--ecrire", "j.sqlite"])
        .output()
        .unwrap();
    expect_code(
        &out,
        0,
        &["demo", "--format", "json", "--ecrire", "j.sqlite"],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let size = std::fs::metadata(sb.path().join("j.sqlite")).unwrap().len();
    assert_eq!(v["registre_ecrit"]["fichier"], "j.sqlite");
    assert_eq!(v["registre_ecrit"]["octets"], Value::from(size));
}

#[test]
fn writing_the_demo_over_an_existing_file_is_refused() {
    let sb = Sandbox::empty();
    for (name, bytes) in [
        ("notes.txt", b"mes notes\n".to_vec()),
        ("vide.sqlite", Vec::new()),
    ] {
        let path = sb.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = sb.bare().args(["demo", "--ecrire", name]).output().unwrap();
        expect_code(&out, 2, &["demo", "--ecrire", name]);
        assert!(out.stdout.is_empty(), "printed although refused");
        let err = stderr(&out);
        assert!(err.contains(&format!("{name} existe déjà")), "{err}");
        assert!(err.contains("Rien n'a été écrit"), "{err}");
        assert!(err.contains("--ecrire demo-2017.sqlite"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was changed");
    }
    // An existing ledger (the user's own) is refused the same way, byte for byte.
    let sb = Sandbox::new();
    let before = sb.snapshot();
    let out = sb
        .bare()
        .arg("--ledger")
        .arg(sb.ledger())
        .arg("demo")
        .arg("--ecrire")
        .arg(sb.ledger())
        .output()
        .unwrap();
    expect_code(&out, 2, &["demo", "--ecrire", "l.sqlite"]);
    sb.snapshot()
        .assert_same(&before, &["demo", "--ecrire", "l.sqlite"]);
    // A folder that does not exist: a user error, nothing written.
    let out = sb
        .bare()
        .args(["demo", "--ecrire", "nulle-part/d.sqlite"])
        .output()
        .unwrap();
    expect_code(&out, 2, &["demo", "--ecrire", "nulle-part/d.sqlite"]);
    let err = stderr(&out);
    assert!(err.contains("ce dossier n'existe pas"), "{err}");
    // The fix names this command's option, not the exports' -o.
    assert!(err.contains("avec --ecrire"), "{err}");
    assert!(!err.contains("-o "), "{err}");
    assert!(!sb.path().join("nulle-part").exists());
}

#[test]
fn the_demo_says_its_exits_are_illustrative() {
    let sb = Sandbox::empty();
    let t = stdout(&sb.bare().arg("demo").output().unwrap());
    let exits = t
        .find("Sorties et objectifs par projet")
        .expect("exits shown");
    let note = t
        .find("Les sorties de #MedNum94 (fixtures/2017/sorties.csv) sont illustratives")
        .expect("exits marked illustrative");
    assert!(note > exits, "the note comes after the exits");
    assert!(
        t.contains("données de sorties n'étaient pas exploitables"),
        "{t}"
    );
    // In CSV, the tables stay data: the note is on standard error.
    let out = sb
        .bare()
        .args(["demo", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("sont illustratives"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("illustratives"));
    assert!(stdout(&out).starts_with("rubrique,compte,libellé,montant\n"));
    // The demo itself touches no ledger: none was created in HOME.
    assert!(!sb.path().join(".local").exists());
}
