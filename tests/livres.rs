//! End-to-end tests of the books an accountant signs (issue 9, without the FEC): simple
//! entries only for accounts settled in money, class 8 only against class 8, double
//! entries loaded from a spreadsheet, the ANC 2022-06 chart from 2025, the layout of
//! the compte de résultat, and the accountant's reports (balance, grand livre,
//! journal, solde).

mod common;

use common::{Sandbox, plain_spaces};
use serde_json::{Value, json};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fec(year: i32) -> String {
    root()
        .join(format!("fixtures/fec/824137954FEC{year}1231.txt"))
        .to_string_lossy()
        .into_owned()
}

/// A ledger holding the accountant's FEC of 2016 and 2017.
fn fec_ledger() -> Sandbox {
    let sb = Sandbox::new();
    sb.ok(&["import", "fec", &fec(2016)]);
    sb.ok(&["import", "fec", &fec(2017)]);
    sb
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn cents(s: &str) -> i64 {
    let neg = s.starts_with('-');
    let s = s.trim_start_matches('-');
    let (u, d) = s.split_once('.').unwrap_or((s, "0"));
    let c = u.parse::<i64>().unwrap() * 100 + format!("{d:0<2}")[..2].parse::<i64>().unwrap();
    if neg { -c } else { c }
}

// ---------------------------------------------------------------------------------------
// Simple entries only for accounts settled in money

#[test]
fn simple_entries_refuse_accounts_that_move_no_money_and_show_the_double_entry() {
    let sb = Sandbox::new();
    let err = plain_spaces(&sb.refused(
        &[
            "charge",
            "add",
            "--date",
            "2017-12-31",
            "--montant",
            "1186",
            "--compte",
            "6811",
            "--libelle",
            "Dotation 2017",
        ],
        2,
    ));
    assert!(err.contains("--compte : compte 6811 ("), "{err}");
    assert!(err.contains("une dotation aux amortissements"), "{err}");
    assert!(
        err.contains(
            "ici ecriture add --date 2017-12-31 --libelle \"Dotation 2017\" --debit 6811=1186,00 --credit 2818=1186,00"
        ),
        "{err}"
    );
    // A product that moves no money: the counterpart goes to the debit.
    for (compte, debit) in [
        ("789", "194"),
        ("7815", "2818"),
        ("791", "467"),
        ("777", "139"),
        ("775", "462"),
        ("713", "35"),
    ] {
        let err = sb.refused(
            &[
                "produit",
                "add",
                "--date",
                "2018-12-31",
                "--montant",
                "10",
                "--compte",
                compte,
                "--libelle",
                "x",
            ],
            2,
        );
        assert!(
            err.contains(&format!("--debit {debit}=10,00 --credit {compte}=10,00")),
            "{compte}: {err}"
        );
    }
    for compte in ["689", "603", "675", "6871"] {
        let err = sb.refused(
            &[
                "charge",
                "add",
                "--date",
                "2018-12-31",
                "--montant",
                "10",
                "--compte",
                compte,
                "--libelle",
                "x",
            ],
            2,
        );
        assert!(
            err.contains("ne se règle ni par la banque"),
            "{compte}: {err}"
        );
        assert!(err.contains(&format!("--debit {compte}=10,00")), "{err}");
    }
    // What settles in money still goes through.
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-06-30",
        "--montant",
        "620",
        "--compte",
        "613",
        "--libelle",
        "Loyer",
    ]);
}

#[test]
fn import_finances_refuses_a_dotation_naming_its_line_and_writes_nothing() {
    let sb = Sandbox::new();
    let file = sb.file(
        "f.csv",
        "date;type;montant;compte;libelle\n\
         2017-06-30;charge;620;613;Loyer\n\
         2017-12-31;charge;24403,48;689;Engagements à réaliser\n",
    );
    let err = sb.refused(&["import", "finances", &file], 2);
    assert!(
        err.contains("ligne 3, colonne « compte » (valeur « 689 »)"),
        "{err}"
    );
    assert!(
        err.contains("--debit 689=24403,48 --credit 194=24403,48"),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
}

#[test]
fn class_8_balances_only_against_class_8() {
    let sb = Sandbox::new();
    for (d, c) in [
        ("864=500", "512=500"),
        ("6411=500", "870=500"),
        ("864=500", "706=500"),
    ] {
        let err = sb.refused(
            &[
                "ecriture",
                "add",
                "--date",
                "2017-06-30",
                "--libelle",
                "Bénévolat",
                "--debit",
                d,
                "--credit",
                c,
            ],
            2,
        );
        assert!(err.contains("écriture de classe 8"), "{err}");
        assert!(err.contains("--debit 864=… --credit 870=…"), "{err}");
    }
    sb.ok(&[
        "ecriture",
        "add",
        "--date",
        "2017-06-30",
        "--libelle",
        "Bénévolat",
        "--debit",
        "864=500",
        "--credit",
        "870=500",
    ]);
    // A simple entry never takes class 8.
    let err = sb.refused(
        &[
            "charge",
            "add",
            "--date",
            "2017-06-30",
            "--montant",
            "5",
            "--compte",
            "864",
            "--libelle",
            "x",
        ],
        2,
    );
    assert!(err.contains("classe 6"), "{err}");
}

// ---------------------------------------------------------------------------------------
// import ecritures

const ECRITURES: &str = "date;journal;piece;compte;libelle;debit;credit;tiers;projet
2017-03-01;VT;FAC-1;411;Formation FJT;1200,00;;;
2017-03-01;VT;FAC-1;706;Formation FJT;;1200,00;;
2017-03-20;BQ;REG-1;512;Règlement FAC-1;1200,00;;;
2017-03-20;BQ;REG-1;411;Règlement FAC-1;;1200,00;;
2017-03-31;SA;PAIE-03;6411;Salaires mars;2000,00;;;
2017-03-31;SA;PAIE-03;645;Charges mars;800,00;;;
2017-03-31;SA;PAIE-03;421;Net à payer;;1550,00;;
2017-03-31;SA;PAIE-03;431;URSSAF;;1250,00;;
2017-12-31;OD;OD-1;6811;Dotation;300,00;;;
2017-12-31;OD;OD-1;28183;Dotation;;300,00;;
";

#[test]
fn import_ecritures_loads_balanced_entries_with_third_party_accounts() {
    let sb = Sandbox::new();
    let file = sb.file("e.csv", ECRITURES);
    let out = plain_spaces(&sb.ok(&["import", "ecritures", &file]));
    assert_eq!(
        out,
        format!(
            "4 écriture(s) importée(s) depuis {file} : produits 1 200,00 €, charges 3 100,00 €.\n"
        )
    );
    let b = sb.json(&["bilan", "2017"]);
    assert_eq!(b["total_produits"], "1200.00");
    assert_eq!(b["total_charges"], "3100.00");
    let bal = sb.json(&["balance", "2017"]);
    let comptes: Vec<(&str, &str)> = bal["comptes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(&c["compte"]), s(&c["solde"])))
        .collect();
    assert_eq!(
        comptes,
        [
            ("28183", "-300.00"),
            ("411", "0.00"),
            ("421", "-1550.00"),
            ("431", "-1250.00"),
            ("512", "1200.00"),
            ("6411", "2000.00"),
            ("645", "800.00"),
            ("6811", "300.00"),
            ("706", "-1200.00"),
        ]
    );
    assert_eq!(bal["total_debit"], "5500.00");
    assert_eq!(bal["total_credit"], "5500.00");
    // The same file twice is refused unless asked.
    let again = sb.ok(&["import", "ecritures", &file]);
    assert!(again.starts_with("Rien n'a été importé"), "{again}");
}

#[test]
fn import_ecritures_is_all_or_nothing_with_the_lines_named() {
    let sb = Sandbox::new();
    // The payroll entry is 1,00 short on the credit side.
    let bad = ECRITURES.replace("URSSAF;;1250,00", "URSSAF;;1249,00");
    let file = sb.file("e.csv", bad);
    let err = plain_spaces(&sb.refused(&["import", "ecritures", &file], 2));
    assert!(
        err.contains("écriture « PAIE-03 » du journal SA (lignes 6, 7, 8, 9) : écriture déséquilibrée : débits 2 800,00 €, crédits 2 799,00 € (écart 1,00 €)"),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
    // A bad account names its line and column.
    let file = sb.file("e2.csv", ECRITURES.replace("28183", "2999"));
    let err = sb.refused(&["import", "ecritures", &file], 2);
    assert!(
        err.contains("ligne 11, colonne « compte » (valeur « 2999 »)"),
        "{err}"
    );
    // A line with both a debit and a credit.
    let file = sb.file(
        "e3.csv",
        ECRITURES.replace("411;Formation FJT;1200,00;", "411;Formation FJT;1200,00;5"),
    );
    let err = sb.refused(&["import", "ecritures", &file], 2);
    assert!(err.contains("ligne 2"), "{err}");
    assert!(err.contains("pas les deux"), "{err}");
    // Class 8 against the bank.
    let file = sb.file(
        "e4.csv",
        "date;numero;compte;libelle;debit;credit\n2017-05-01;1;864;Bénévolat;50;\n2017-05-01;1;512;Bénévolat;;50\n",
    );
    let err = sb.refused(&["import", "ecritures", &file], 2);
    assert!(err.contains("écriture « 1 » (lignes 2, 3)"), "{err}");
    assert!(err.contains("classe 8"), "{err}");
    // No column to group by.
    let file = sb.file(
        "e5.csv",
        "date;compte;libelle;debit;credit\n2017-05-01;512;x;1;\n",
    );
    let err = sb.refused(&["import", "ecritures", &file], 2);
    assert!(err.contains("« piece » ou « numero »"), "{err}");
}

// ---------------------------------------------------------------------------------------
// ANC 2022-06 from 2025

#[test]
fn the_2025_chart_follows_anc_2022_06() {
    let sb = Sandbox::new();
    let v = sb.json(&["compte", "list", "--annee", "2025"]);
    assert_eq!(
        v["plan"],
        "plan comptable des associations 2025 (ANC 2018-06 modifié par ANC 2022-06)"
    );
    let comptes: Vec<&str> = v["comptes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| s(&c["compte"]))
        .collect();
    for gone in ["79", "791", "777", "6712", "671", "775"] {
        assert!(!comptes.contains(&gone), "{gone} still listed");
    }
    for kept in ["747", "6582", "678", "778", "789", "875"] {
        assert!(comptes.contains(&kept), "{kept} missing");
    }
    // 2024 still has them.
    let v = sb.json(&["compte", "list", "--annee", "2024", "--classe", "79"]);
    assert_eq!(v["comptes"].as_array().unwrap().len(), 4);

    let err = sb.refused(
        &[
            "ecriture",
            "add",
            "--date",
            "2025-03-31",
            "--libelle",
            "Remboursement formation",
            "--debit",
            "512=100",
            "--credit",
            "791=100",
        ],
        2,
    );
    assert!(
        err.contains("le compte 791 n'existe plus depuis 2025 (règlement ANC 2022-06) : "),
        "{err}"
    );
    assert!(err.contains("649"), "{err}");
    let err = sb.refused(
        &[
            "charge",
            "add",
            "--date",
            "2025-05-02",
            "--montant",
            "90",
            "--compte",
            "6712",
            "--libelle",
            "Amende",
        ],
        2,
    );
    assert!(err.contains("6582"), "{err}");
    // The replacement is accepted, and a subsidy by funder still is.
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2025-05-02",
        "--montant",
        "90",
        "--compte",
        "6582",
        "--libelle",
        "Amende",
    ]);
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2025-05-02",
        "--montant",
        "900",
        "--compte",
        "7413",
        "--libelle",
        "Subvention",
    ]);
    let b = sb.json(&["bilan", "2025"]);
    assert_eq!(b["resultat"], "810.00");
}

// ---------------------------------------------------------------------------------------
// The reports

#[test]
fn balance_lists_every_account_moved_with_equal_totals() {
    let sb = fec_ledger();
    let v = sb.json(&["balance", "2017"]);
    assert_eq!(v["annee"], 2017);
    let comptes = v["comptes"].as_array().unwrap();
    let keys: Vec<&String> = comptes[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["compte", "credit", "debit", "libelle", "solde"]);
    let find = |c: &str| comptes.iter().find(|x| x["compte"] == c).unwrap();
    assert_eq!(
        find("512000"),
        &json!({"compte": "512000", "libelle": "Banques", "debit": "235335.60",
                "credit": "192337.68", "solde": "42997.92"})
    );
    assert_eq!(find("530000")["solde"], "232.60");
    assert_eq!(v["total_debit"], v["total_credit"]);
    assert_eq!(v["total_debit"], "823677.56");
    let sum: i64 = comptes.iter().map(|c| cents(s(&c["debit"]))).sum();
    assert_eq!(sum, 823_677_56);
    let solde: i64 = comptes.iter().map(|c| cents(s(&c["solde"]))).sum();
    assert_eq!(solde, 0);

    // CSV: the same rows, then the total.
    let csv = sb.ok(&["balance", "2017", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("compte,libellé,débit,crédit,solde"));
    assert!(
        csv.contains("\n512000,Banques,235335.60,192337.68,42997.92\n"),
        "{csv}"
    );
    assert!(
        csv.ends_with("\n,Total,823677.56,823677.56,0.00\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), comptes.len() + 2);
    // Excel: BOM, semicolons, decimal commas.
    let xl = sb.ok(&["balance", "2017", "--excel"]);
    assert!(
        xl.starts_with("\u{feff}compte;libellé;débit;crédit;solde\r\n"),
        "{xl}"
    );
    assert!(
        xl.contains("\r\n512000;Banques;235335,60;192337,68;42997,92\r\n"),
        "{xl}"
    );
    // Table.
    let t = plain_spaces(&sb.ok(&["balance", "2017"]));
    assert!(
        t.starts_with("Balance générale 2017 — plan comptable des associations 1999 (CRC 99-01)\n"),
        "{t}"
    );
    assert!(t.contains("│ Total"), "{t}");
    assert!(t.contains("823 677,56 €"), "{t}");
}

#[test]
fn grand_livre_runs_the_balance_of_each_account() {
    let sb = fec_ledger();
    let v = sb.json(&["grand-livre", "2017", "--compte", "512"]);
    let comptes = v["comptes"].as_array().unwrap();
    let names: Vec<&str> = comptes.iter().map(|c| s(&c["compte"])).collect();
    assert_eq!(names, ["512000", "512100"]);
    let bank = &comptes[0];
    assert_eq!(bank["total_debit"], "235335.60");
    assert_eq!(bank["total_credit"], "192337.68");
    assert_eq!(bank["solde"], "42997.92");
    let lignes = bank["lignes"].as_array().unwrap();
    assert_eq!(
        lignes[0],
        json!({"date": "2017-01-01", "journal": "AN", "numero": "AN000001",
               "ecriture": lignes[0]["ecriture"], "piece": "AN-2017", "libelle": "À nouveau",
               "debit": "44735.60", "credit": "0.00", "solde": "44735.60"})
    );
    assert_eq!(lignes[1]["credit"], "2400.00");
    assert_eq!(lignes[1]["solde"], "42335.60");
    // The running balance ends on the account's balance, line after line.
    let mut running = 0;
    for l in lignes {
        running += cents(s(&l["debit"])) - cents(s(&l["credit"]));
        assert_eq!(cents(s(&l["solde"])), running, "{l}");
    }
    assert_eq!(running, 42_997_92);
    assert_eq!(v["total_debit"], "241519.87");

    let csv = sb.ok(&["grand-livre", "2017", "--compte", "5121", "--format", "csv"]);
    let first: Vec<&str> = csv.lines().take(2).collect();
    assert_eq!(
        first[0],
        "compte,libellé du compte,date,journal,numéro,pièce,libellé,débit,crédit,solde"
    );
    assert!(first[1].starts_with("512100,Banques,2017-"), "{csv}");
    assert!(
        csv.ends_with("512100,Banques,,,,,Total du compte 512100,6184.27,2000.00,4184.27\n"),
        "{csv}"
    );
    let err = sb.refused(&["grand-livre", "2017", "--compte", "5x"], 2);
    assert!(err.contains("--compte : compte « 5x » invalide"), "{err}");
}

#[test]
fn journal_lists_entries_in_order_with_their_lines() {
    let sb = fec_ledger();
    let v = sb.json(&["journal", "2017", "--journal", "od"]);
    let e = v["ecritures"].as_array().unwrap();
    assert!(e.len() > 3);
    assert_eq!(e[0]["numero"], "OD000001");
    assert_eq!(e[0]["date"], "2017-03-01");
    assert_eq!(e[0]["piece"], "SUB-2017-001");
    assert_eq!(
        e[0]["lignes"],
        json!([
            {"compte": "441000", "libelle": "État - Subventions à recevoir", "debit": "6000.00", "credit": "0.00"},
            {"compte": "741400", "libelle": "Subventions d'exploitation", "debit": "0.00", "credit": "6000.00"}
        ])
    );
    for x in e {
        assert_eq!(x["journal"], "OD");
    }
    let dates: Vec<&str> = e.iter().map(|x| s(&x["date"])).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert_eq!(v["total_debit"], v["total_credit"]);
    // The whole journal balances at the balance's totals.
    let all = sb.json(&["journal", "2017"]);
    assert_eq!(all["total_debit"], "823677.56");

    let err = sb.refused(&["journal", "2017", "--journal", "XX"], 2);
    assert!(
        err.contains("--journal « XX » : aucune écriture de 2017 dans ce journal"),
        "{err}"
    );
    assert!(err.contains("AN, BQ"), "{err}");
    let t = sb.ok(&["journal", "2017", "--journal", "od"]);
    assert!(t.starts_with("Journal OD 2017\n"), "{t}");
}

#[test]
fn solde_of_an_account_at_a_date() {
    let sb = fec_ledger();
    let v = sb.json(&["solde", "512", "--au", "2017-12-31"]);
    assert_eq!(v["solde"], "47182.19");
    assert_eq!(v["sens"], "débiteur");
    assert_eq!(v["comptes"].as_array().unwrap().len(), 2);
    // The first day of 2017: the opening entry and the 2 January payment.
    let v = sb.json(&["solde", "512000", "--au", "02/01/2017"]);
    assert_eq!(v["solde"], "42335.60");
    // At the end of 2016, from the 2016 books (before the 2017 opening entries).
    let v16 = sb.json(&["solde", "512", "--au", "2016-12-31"]);
    let ap16 = sb.json(&["bilan", "2016", "--actif-passif"]);
    let bank16: i64 = ap16["actif"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| s(&l["compte"]).starts_with("512"))
        .map(|l| cents(s(&l["montant"])))
        .sum();
    assert_eq!(cents(s(&v16["solde"])), bank16);
    // A loan is a creditor balance.
    let v = sb.json(&["solde", "168", "--au", "2017-12-31"]);
    assert_eq!((s(&v["solde"]), s(&v["sens"])), ("-30000.00", "créditeur"));
    let t = plain_spaces(&sb.ok(&["solde", "512", "--au", "2017-12-31"]));
    assert!(
        t.starts_with("Solde du compte 512 (Banques) au 31/12/2017 : 47 182,19 € débiteur\n"),
        "{t}"
    );
    let err = sb.refused(&["solde", "512", "--au", "31-13-2017"], 2);
    assert!(err.contains("--au : date « 31-13-2017 » invalide"), "{err}");
}

// ---------------------------------------------------------------------------------------
// The layout of the models

/// The table line that holds `label`, with plain spaces.
fn line_of(table: &str, label: &str) -> String {
    let found: Vec<&str> = table.lines().filter(|l| l.contains(label)).collect();
    assert_eq!(
        found.len(),
        1,
        "« {label} » on {} lines:\n{table}",
        found.len()
    );
    found[0].to_string()
}

fn ecriture(sb: &Sandbox, date: &str, libelle: &str, debit: &str, credit: &str) {
    sb.ok(&[
        "ecriture",
        "add",
        "--date",
        date,
        "--libelle",
        libelle,
        "--debit",
        debit,
        "--credit",
        credit,
    ]);
}

#[test]
fn the_2017_compte_de_resultat_in_the_rubriques_of_the_1999_model() {
    let sb = Sandbox::new();
    let t = plain_spaces(&sb.ok(&["demo"]));
    for (label, amount) in [
        ("Production vendue (biens et services)", "56 110,00 €"),
        ("Subventions d'exploitation   ", "95 540,00 €"),
        ("dont Ville de Paris", "7 500,00 €"),
        ("Total des produits d'exploitation (I)", "152 070,00 €"),
        ("Autres achats et charges externes", "28 304,75 €"),
        ("Impôts, taxes et versements assimilés", "598,00 €"),
        ("Salaires et traitements", "127 538,96 €"),
        ("Charges sociales", "34 298,45 €"),
        ("Total des charges d'exploitation (II)", "191 926,16 €"),
        ("1. Résultat d'exploitation (I − II)", "-39 856,16 €"),
        ("2. Résultat financier (V − VI)", "17,68 €"),
        (
            "3. Résultat courant avant impôts (I − II + V − VI)",
            "-39 838,48 €",
        ),
        ("Report des ressources non utilisées", "24 403,48 €"),
        ("Total des produits   ", "176 512,00 €"),
        ("Total des charges   ", "191 947,00 €"),
        ("Résultat : déficit", "-15 435,00 €"),
    ] {
        let l = line_of(&t, label);
        assert!(l.contains(amount), "{label}: {l}");
    }
    assert!(t.contains("Déficit : 15 435,00 €"), "{t}");
    // The rubriques as JSON, beside the earlier keys.
    let v: Value = serde_json::from_str(&sb.ok(&["demo", "--format", "json"])).unwrap();
    let b = &v["bilan"];
    assert_eq!(b["total_produits"], "176512.00");
    let r = &b["compte_de_resultat"];
    let get = |cle: &str| {
        r["rubriques"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["cle"] == cle)
            .map(|x| s(&x["montant"]).to_string())
    };
    assert_eq!(get("salaires").as_deref(), Some("127538.96"));
    assert_eq!(get("charges_sociales").as_deref(), Some("34298.45"));
    assert_eq!(get("autres_achats").as_deref(), Some("28304.75"));
    assert_eq!(r["resultat_courant_avant_impots"], "-39838.48");
    let sum: i64 = r["rubriques"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["cote"] == "produit")
        .map(|x| cents(s(&x["montant"])))
        .sum();
    assert_eq!(sum, 176_512_00);
}

#[test]
fn result_courant_always_one_tax_line_and_contributions_by_nature() {
    let sb = Sandbox::new();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2024-03-01",
        "--montant",
        "5000",
        "--compte",
        "7541",
        "--libelle",
        "Dons",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2024-03-02",
        "--montant",
        "1000",
        "--compte",
        "6411",
        "--libelle",
        "Salaire",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2024-03-03",
        "--montant",
        "100",
        "--compte",
        "695",
        "--libelle",
        "Impôt sur les sociétés",
    ]);
    // 2018 chart: 875 is bénévolat, 870 dons en nature.
    ecriture(&sb, "2024-06-30", "Bénévolat", "864=700", "875=700");
    ecriture(&sb, "2024-06-30", "Don d'ordinateurs", "860=300", "870=300");
    let t = plain_spaces(&sb.ok(&["bilan", "2024"]));
    assert!(
        line_of(&t, "3. Résultat courant avant impôts (I − II + III − IV)").contains("4 000,00 €"),
        "{t}"
    );
    assert!(line_of(&t, "Ressources liées à la générosité du public").contains("5 000,00 €"));
    assert_eq!(t.matches("Impôts sur les bénéfices").count(), 1, "{t}");
    assert!(line_of(&t, "Impôts sur les bénéfices").contains("100,00 €"));
    assert!(line_of(&t, "Bénévolat").contains("700,00 €"));
    assert!(line_of(&t, "Dons en nature").contains("300,00 €"));
    assert!(line_of(&t, "Personnel bénévole").contains("700,00 €"));
    assert!(line_of(&t, "Secours en nature").contains("300,00 €"));
    assert!(line_of(&t, "Emplois (86) = contributions (87) : écart nul").contains("0,00 €"));
    let b = sb.json(&["bilan", "2024"]);
    let c = &b["contributions_volontaires_detail"];
    assert_eq!(c["equilibre"], true);
    assert_eq!(c["total_emplois"], "1000.00");
    assert_eq!(c["total_contributions"], "1000.00");
    assert_eq!(
        c["contributions"],
        json!([{"cle": "benevolat", "libelle": "Bénévolat", "montant": "700.00"},
               {"cle": "dons_en_nature", "libelle": "Dons en nature", "montant": "300.00"}])
    );
    // The earlier keys are still there.
    assert_eq!(b["resultat"], "3900.00");
    assert_eq!(b["impots_sur_les_benefices"], "100.00");
}

#[test]
fn comparer_restates_2019_in_the_2020_model_with_fonds_dedies_once() {
    let sb = Sandbox::new();
    // 2019 (1999 chart): a subsidy not spent goes to fonds dédiés; 870 is bénévolat.
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2019-03-01",
        "--montant",
        "10000",
        "--compte",
        "7413",
        "--libelle",
        "Subvention",
    ]);
    ecriture(&sb, "2019-12-31", "Fonds dédiés", "689=4000", "194=4000");
    ecriture(&sb, "2019-12-31", "Bénévolat 2019", "864=900", "870=900");
    // 2020 (2018 chart): used; 875 is bénévolat.
    ecriture(
        &sb,
        "2020-12-31",
        "Utilisation des fonds dédiés",
        "194=4000",
        "789=4000",
    );
    ecriture(&sb, "2020-12-31", "Bénévolat 2020", "864=1200", "875=1200");
    let t = plain_spaces(&sb.ok(&["bilan", "2020", "--comparer"]));
    let l = line_of(&t, "Reports en fonds dédiés");
    assert!(
        l.contains("0,00 €") && l.contains("4 000,00 €") && l.contains("-4 000,00 €"),
        "{l}"
    );
    let l = line_of(&t, "Utilisations des fonds dédiés");
    assert!(l.contains("4 000,00 €"), "{l}");
    assert!(!t.contains("Engagements à réaliser"), "{t}");
    assert!(!t.contains("Ressources affectées"), "{t}");
    // Bénévolat lines up by meaning: 1 200 in 2020 (875) against 900 in 2019 (870).
    let l = line_of(&t, "Bénévolat");
    assert!(
        l.contains("1 200,00 €") && l.contains("900,00 €") && l.contains("300,00 €"),
        "{l}"
    );
    assert!(!t.contains("Dons en nature"), "{t}");
    // The JSON keeps the earlier `precedent` and adds the restated year.
    let v = sb.json(&["bilan", "2020", "--comparer"]);
    assert_eq!(v["precedent"]["annee"], 2019);
    let r = &v["precedent_retraite"];
    assert_eq!(r["annee"], 2019);
    assert_eq!(
        r["compte_de_resultat"]["modele"],
        "plan comptable des associations 2018 (ANC 2018-06)"
    );
    let engagements: Vec<&Value> = r["compte_de_resultat"]["rubriques"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["cle"] == "engagements")
        .collect();
    assert_eq!(engagements.len(), 1);
    assert_eq!(engagements[0]["partie"], "exploitation");
    assert_eq!(engagements[0]["montant"], "4000.00");
    assert_eq!(
        r["contributions_volontaires_detail"]["contributions"][0]["cle"],
        "benevolat"
    );
    // With the accounts: 689 once.
    let csv = sb.ok(&["bilan", "2020", "--comparer", "--detail", "--format", "csv"]);
    assert_eq!(
        csv.lines().filter(|l| l.contains(",689,")).count(),
        1,
        "{csv}"
    );
    assert_eq!(
        csv.lines().filter(|l| l.contains(",789,")).count(),
        1,
        "{csv}"
    );
}

#[test]
fn comparer_restates_2024_in_the_2025_model() {
    let sb = Sandbox::new();
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2024-05-02",
        "--montant",
        "90",
        "--compte",
        "6712",
        "--libelle",
        "Amende",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2025-05-02",
        "--montant",
        "60",
        "--compte",
        "6582",
        "--libelle",
        "Amende",
    ]);
    let t = plain_spaces(&sb.ok(&["bilan", "2025", "--comparer"]));
    assert!(t.starts_with("Compte de résultat 2025 — plan comptable des associations 2025 (ANC 2018-06 modifié par ANC 2022-06)\n"), "{t}");
    let l = line_of(&t, "Autres charges");
    assert!(
        l.contains("60,00 €") && l.contains("90,00 €") && l.contains("-30,00 €"),
        "{l}"
    );
    assert!(!t.contains("exceptionnel"), "{t}");
    // 2024 alone keeps its own model: the penalty is exceptional there.
    let b = sb.json(&["bilan", "2024"]);
    assert_eq!(b["resultat_exceptionnel"], "-90.00");
    let b = sb.json(&["bilan", "2025"]);
    assert_eq!(b["resultat_exceptionnel"], "0.00");
    assert_eq!(b["resultat_exploitation"], "-60.00");
}

#[test]
fn the_balance_sheet_in_the_rubriques_of_the_model() {
    let sb = fec_ledger();
    let v = sb.json(&["bilan", "2017", "--actif-passif"]);
    assert_eq!(v["total_actif"], "59734.79");
    let r: Vec<(&str, &str, &str)> = v["rubriques"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (s(&x["cote"]), s(&x["libelle"]), s(&x["montant"])))
        .collect();
    assert_eq!(
        r,
        [
            ("actif", "Immobilisations corporelles", "0.00"),
            ("actif", "Créances usagers et comptes rattachés", "12320.00"),
            ("actif", "Disponibilités", "47414.79"),
            ("passif", "Fonds propres et réserves", "3000.00"),
            ("passif", "Report à nouveau", "36823.87"),
            ("passif", "Résultat de l'exercice", "-15435.00"),
            (
                "passif",
                "Emprunts et dettes financières diverses",
                "30000.00"
            ),
            (
                "passif",
                "Dettes fournisseurs et comptes rattachés",
                "840.00"
            ),
            ("passif", "Dettes fiscales et sociales", "4505.92"),
        ]
    );
    let t = plain_spaces(&sb.ok(&["bilan", "2017", "--actif-passif"]));
    assert!(line_of(&t, "Actif circulant").contains("actif"), "{t}");
    assert!(
        line_of(&t, "  Disponibilités").contains("47 414,79 €"),
        "{t}"
    );
}

#[test]
fn reports_write_to_a_file_readable_by_its_owner_only() {
    let sb = Sandbox::new();
    let file = sb.file("e.csv", ECRITURES);
    sb.ok(&["import", "ecritures", &file]);
    let out = sb.path().join("gl.csv");
    let printed = sb.ok(&[
        "grand-livre",
        "2017",
        "--compte",
        "41",
        "--excel",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(printed, "");
    let bytes = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        bytes,
        "\u{feff}compte;libellé du compte;date;journal;numéro;pièce;libellé;débit;crédit;solde\r\n\
         411;Usagers;2017-03-01;VT;1;FAC-1;Formation FJT;1200,00;;1200,00\r\n\
         411;Usagers;2017-03-20;BQ;2;REG-1;Règlement FAC-1;;1200,00;0,00\r\n\
         411;Usagers;;;;;Total du compte 411;1200,00;1200,00;0,00\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A charge's balance runs from 1 January of the date's year.
    let v = sb.json(&["solde", "64", "--au", "2017-12-31"]);
    assert_eq!(v["solde"], "2800.00");
    assert_eq!(v["libelle"], "Charges de personnel");
    let v = sb.json(&["solde", "6", "--au", "2017-03-31"]);
    assert_eq!(v["solde"], "2800.00");
    assert_eq!(v["libelle"], "Classe 6");
    assert_eq!(v["sens"], "débiteur");
    assert_eq!(v["comptes"].as_array().unwrap().len(), 2);
    // The day before the payroll: nothing yet.
    let v = sb.json(&["solde", "6", "--au", "2017-03-30"]);
    assert_eq!((s(&v["solde"]), s(&v["sens"])), ("0.00", "soldé"));
    // The next year starts again from zero for a charge, not for the bank.
    let v = sb.json(&["solde", "6", "--au", "2018-01-31"]);
    assert_eq!(v["solde"], "0.00");
    let v = sb.json(&["solde", "512", "--au", "2018-01-31"]);
    assert_eq!(v["solde"], "1200.00");
}
