//! Guards against the mistakes a treasurer makes once: importing a file twice,
//! re-importing an accountant's file that changed, closing the wrong year,
//! overwriting the accountant's FEC.

mod common;

use common::Sandbox;

const FINANCES: &str = "date;type;montant;compte;libelle;tiers;projet;piece;via\n\
2017-03-01;produit;1000,00;706;Formation;;;F-1;\n\
2017-03-02;charge;250,00;613;Loyer;;;L-1;\n";

fn totals(sb: &Sandbox, year: &str) -> (String, String) {
    let b = sb.json(&["bilan", year]);
    (
        b["total_produits"].as_str().unwrap().to_string(),
        b["total_charges"].as_str().unwrap().to_string(),
    )
}

#[test]
fn the_same_csv_imported_twice_counts_once() {
    let sb = Sandbox::with_refs();
    let file = sb.file("finances.csv", FINANCES);
    sb.ok(&["import", "finances", &file]);
    let again = sb.ok(&["import", "finances", &file]);
    assert!(again.contains("déjà été importé"), "{again}");
    assert!(again.contains("--encore"), "{again}");
    assert_eq!(totals(&sb, "2017"), ("1000.00".into(), "250.00".into()));
    // The same rows under another name are the same file.
    let copy = sb.file("copie.csv", FINANCES);
    sb.ok(&["import", "finances", &copy]);
    assert_eq!(totals(&sb, "2017"), ("1000.00".into(), "250.00".into()));
    // Asked for, it is imported again.
    sb.ok(&["import", "finances", &file, "--encore"]);
    assert_eq!(totals(&sb, "2017"), ("2000.00".into(), "500.00".into()));
}

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n";

fn fec(amount: &str) -> String {
    format!(
        "{FEC_HEADER}VT\tVentes\t1\t20170301\t411000\tClients\t\t\tF1\t20170301\tFormation\t{amount}\t0,00\t\t\t\t\t\n\
         VT\tVentes\t1\t20170301\t706000\tPrestations\t\t\tF1\t20170301\tFormation\t0,00\t{amount}\t\t\t\t\t\n"
    )
}

#[test]
fn an_entry_changed_by_the_accountant_is_reported_not_skipped() {
    let sb = Sandbox::new();
    let first = sb.file("v1.txt", fec("100,00"));
    sb.ok(&["import", "fec", &first]);
    let changed = sb.file("v2.txt", fec("120,00"));
    let err = sb.refused(&["import", "fec", &changed], 2);
    assert!(err.contains("VT/1"), "{err}");
    assert!(err.contains("autres comptes ou montants"), "{err}");
    assert!(err.contains("ici ecriture annule"), "{err}");
    assert_eq!(totals(&sb, "2017"), ("100.00".into(), "0.00".into()));
    // An unknown account is refused even when the entry is already there.
    let bad = sb.file("v3.txt", fec("100,00").replace("706000", "699999"));
    let err = sb.refused(&["import", "fec", &bad], 2);
    assert!(err.contains("699999"), "{err}");
}

#[test]
fn only_a_finished_year_with_entries_closes_and_in_order() {
    let sb = Sandbox::with_refs();
    let file = sb.file("finances.csv", FINANCES);
    sb.ok(&["import", "finances", &file]);
    let err = sb.refused(&["cloture", "2999"], 2);
    assert!(err.contains("2999") && err.contains("pas terminé"), "{err}");
    let err = sb.refused(&["cloture", "2015"], 2);
    assert!(err.contains("aucune écriture"), "{err}");
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2018-05-02",
        "--montant",
        "10",
        "--compte",
        "627",
        "--libelle",
        "Frais",
    ]);
    let err = sb.refused(&["cloture", "2018"], 2);
    assert!(err.contains("ici cloture 2017"), "{err}");
    sb.ok(&["cloture", "2017", "--oui"]);
    sb.ok(&["cloture", "2018", "--oui"]);
}

#[test]
fn export_fec_never_overwrites_a_file() {
    let sb = Sandbox::with_refs();
    let file = sb.file("finances.csv", FINANCES);
    sb.ok(&["import", "finances", &file]);
    let theirs = sb.file("123456782FEC20171231.txt", "le FEC du cabinet");
    let dir = sb.path().to_string_lossy().to_string();
    let err = sb.refused(
        &["export", "fec", "2017", "--siren", "123456782", "-o", &dir],
        2,
    );
    assert!(err.contains("existe déjà"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "le FEC du cabinet"
    );
    let out = sb.path().join("ici-2017.txt");
    sb.ok(&[
        "export",
        "fec",
        "2017",
        "--siren",
        "123456782",
        "-o",
        &out.to_string_lossy(),
    ]);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("JournalCode\t")
    );
}

#[test]
fn a_mistyped_commune_proposes_the_names_that_start_like_it() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(
        &[
            "session",
            "add",
            "--date",
            "2017-06-12",
            "--projet",
            "NET94",
            "--commune",
            "vitry",
            "--duree",
            "3h",
            "--participants",
            "5",
        ],
        2,
    );
    assert!(err.contains("Vitry-sur-Seine"), "{err}");
}

#[test]
fn a_closed_year_takes_no_entry_dated_before_it_either() {
    let sb = Sandbox::with_refs();
    let file = sb.file("finances.csv", FINANCES);
    sb.ok(&["import", "finances", &file]);
    sb.ok(&["cloture", "2017", "--oui"]);
    let err = sb.refused(
        &[
            "charge",
            "add",
            "--date",
            "2016-06-01",
            "--montant",
            "300",
            "--compte",
            "613",
            "--libelle",
            "Oubli",
        ],
        2,
    );
    assert!(err.contains("clos"), "{err}");
}

#[test]
fn importing_its_own_fec_back_adds_nothing_and_a_fresh_ledger_gets_the_balance_sheet() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "emprunt",
        "add",
        "--date",
        "2016-03-01",
        "--montant",
        "30000",
        "--compte",
        "168",
        "--libelle",
        "Prêt",
    ]);
    let file = sb.file("finances.csv", FINANCES);
    sb.ok(&["import", "finances", &file]);
    let dir = sb.path().join("fec");
    std::fs::create_dir(&dir).unwrap();
    sb.ok(&[
        "export",
        "fec",
        "2017",
        "--siren",
        "123456782",
        "-o",
        &dir.to_string_lossy(),
    ]);
    let fec = dir.join("123456782FEC20171231.txt");
    let text = std::fs::read_to_string(&fec).unwrap();
    assert!(
        text.contains("\nAN\t"),
        "the FEC opens with « à nouveaux »:\n{text}"
    );
    let before = sb.json(&["bilan", "2017", "--actif-passif"]);
    sb.ok(&["import", "fec", &fec.to_string_lossy()]);
    assert_eq!(totals(&sb, "2017"), ("1000.00".into(), "250.00".into()));
    // A fresh ledger fed with the FEC alone has the same balance sheet totals.
    let fresh = Sandbox::new();
    fresh.ok(&["import", "fec", &fec.to_string_lossy()]);
    let after = fresh.json(&["bilan", "2017", "--actif-passif"]);
    assert_eq!(after["total_actif"], before["total_actif"]);
    assert_eq!(after["total_passif"], before["total_passif"]);
    assert_eq!(before["total_actif"], serde_json::json!("30750.00"));
}
