//! What funders ask for: funder types, agreements, budgets, allocation of shared
//! costs and the compte rendu financier (Cerfa 15059), through the real binary.

mod common;

use common::Sandbox;
use serde_json::json;

#[test]
fn partners_carry_a_funder_type_in_list_csv_and_json() {
    let sb = Sandbox::with_refs();
    let out = sb.ok(&["partenaire", "add", "Fondation Cetelem", "--type", "prive"]);
    assert_eq!(
        out,
        "Partenaire « Fondation Cetelem » ajouté (financeur : Aides privées).\n"
    );
    let out = sb.ok(&[
        "partenaire",
        "corrige",
        "département du val-de-marne",
        "--type",
        "departement",
    ]);
    assert_eq!(
        out,
        "Partenaire « Département du Val-de-Marne » : type de financeur departement (avant : aucun).\n"
    );
    let list = sb.json(&["partenaire", "list"]);
    let types: Vec<(String, serde_json::Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["nom"].as_str().unwrap().to_string(), p["type"].clone()))
        .collect();
    assert_eq!(
        types,
        vec![
            ("Département du Val-de-Marne".into(), json!("departement")),
            ("Fondation Cetelem".into(), json!("prive")),
            ("Pôle emploi Cachan".into(), json!(null)),
            ("Ville de Villejuif".into(), json!(null)),
        ]
    );
    let csv = sb.ok(&["partenaire", "list", "--format", "csv"]);
    assert!(csv.starts_with("partenaire,type\n"), "{csv}");
    assert!(csv.contains("Fondation Cetelem,prive\n"), "{csv}");
    // A type that is not a Cerfa line is refused, the ledger unchanged.
    let err = sb.refused(
        &[
            "partenaire",
            "corrige",
            "Ville de Villejuif",
            "--type",
            "mairie",
        ],
        2,
    );
    assert!(err.contains("mairie") && err.contains("commune"), "{err}");
    // An import reads the optional type column; the one-column form still works.
    let f = sb.file(
        "p.csv",
        "nom;type\nVille de Romainville;Commune\nMEIFE 93;\n",
    );
    sb.ok(&["import", "partenaires", &f]);
    let f = sb.file("q.csv", "nom\nCNAM\n");
    sb.ok(&["import", "partenaires", &f]);
    let list = sb.json(&["partenaire", "list"]);
    let romainville = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nom"] == "Ville de Romainville")
        .unwrap();
    assert_eq!(romainville["type"], json!("commune"));
    let f = sb.file("r.csv", "nom;type\nCAF 94;caisse\n");
    let err = sb.refused(&["import", "partenaires", &f], 2);
    assert!(
        err.contains("ligne 2") && err.contains("caisse") && err.contains("organisme-social"),
        "{err}"
    );
}

/// The entry number in « … écriture n° 12 du … ».
fn entry_number(out: &str) -> String {
    let start = out.find("écriture n° ").expect("an entry number") + "écriture n° ".len();
    out[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

fn money(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

/// Gap in percent with one decimal, rounded half away from zero, as the JSON number.
fn pct(num: i64, den: i64) -> serde_json::Value {
    let tenths = (2 * num.abs() * 1000 + den) / (2 * den) * num.signum();
    json!(tenths as f64 / 10.0)
}

/// A small year: two projects, sessions of 6 h (NET94) and 2 h (BP-PARIS), salaries
/// with no project spread by hours, a direct purchase, a subsidy named on its entry,
/// half of an untagged subsidy allocated, a direct sale; a budget and an agreement.
fn scenario() -> Sandbox {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "partenaire",
        "corrige",
        "Département du Val-de-Marne",
        "--type",
        "departement",
    ]);
    sb.ok(&["partenaire", "add", "Fondation Cetelem", "--type", "prive"]);
    for (date, projet, duree) in [
        ("2017-03-06", "NET94", "3h"),
        ("2017-03-13", "NET94", "3h"),
        ("2017-03-20", "BP-PARIS", "2h"),
    ] {
        sb.session(&[
            "--date",
            date,
            "--projet",
            projet,
            "--commune",
            "Villejuif",
            "--duree",
            duree,
            "--participants",
            "8",
            "--doublon",
        ]);
    }
    let entry = |args: &[&str]| entry_number(&sb.ok(args));
    entry(&[
        "charge",
        "add",
        "--date",
        "2017-03-31",
        "--montant",
        "10000",
        "--compte",
        "6411",
        "--libelle",
        "Salaires mars",
    ]);
    entry(&[
        "charge",
        "add",
        "--date",
        "2017-04-03",
        "--montant",
        "1200",
        "--compte",
        "613",
        "--libelle",
        "Loyer",
    ]);
    entry(&[
        "charge",
        "add",
        "--date",
        "2017-04-05",
        "--montant",
        "800",
        "--compte",
        "6063",
        "--libelle",
        "Petit matériel",
        "--projet",
        "NET94",
    ]);
    entry(&[
        "produit",
        "add",
        "--date",
        "2017-05-02",
        "--montant",
        "9000",
        "--compte",
        "7413",
        "--libelle",
        "Subvention NET94",
        "--tiers",
        "Département du Val-de-Marne",
        "--projet",
        "NET94",
    ]);
    let fondation = entry(&[
        "produit",
        "add",
        "--date",
        "2017-06-01",
        "--montant",
        "3000",
        "--compte",
        "7418",
        "--libelle",
        "Soutien de la fondation",
        "--tiers",
        "Fondation Cetelem",
    ]);
    entry(&[
        "produit",
        "add",
        "--date",
        "2017-06-15",
        "--montant",
        "500",
        "--compte",
        "706",
        "--libelle",
        "Atelier vendu",
        "--projet",
        "NET94",
    ]);
    sb.ok(&["affecte", &fondation, "--projet", "NET94", "--part", "50"]);
    sb.ok(&[
        "convention",
        "add",
        "--financeur",
        "Département du Val-de-Marne",
        "--projet",
        "NET94",
        "--annee",
        "2017",
        "--montant",
        "9000",
        "--reference",
        "CD94-17",
        "--seuil",
        "10",
    ]);
    let budget = sb.file(
        "budget.csv",
        "annee;projet;compte;montant;financeur\n\
         2017;NET94;60;1000;\n\
         2017;NET94;64;9000;\n\
         2017;NET94;7413;9000;Département du Val-de-Marne\n\
         2017;NET94;7418;1000;Fondation Cetelem\n",
    );
    sb.ok(&["budget", "import", &budget]);
    sb.ok(&["repartition", "2017", "--comptes", "64", "--cle", "heures"]);
    sb
}

#[test]
fn a_compte_rendu_gives_every_figure_computed_independently() {
    let sb = scenario();
    let cr = sb.json(&["compte-rendu", "NET94", "2017"]);
    // Hours: NET94 360 min, BP-PARIS 120 min; salaries 10 000,00 € with no project.
    let salaries_net94 = 10_000_00 * 360 / 480;
    let fondation_half = 3_000_00 / 2;
    let seuil = 10;
    let line = |list: &str, rubrique: &str, financeur: Option<&str>| -> serde_json::Value {
        cr[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rubrique"] == rubrique && l["financeur"].as_str() == financeur)
            .unwrap_or_else(|| panic!("no line {rubrique} {financeur:?} in {cr:#}"))
            .clone()
    };
    let check = |l: serde_json::Value, prevision: i64, realisation: i64| {
        let ecart = realisation - prevision;
        assert_eq!(l["prevision"], money(prevision), "{l}");
        assert_eq!(l["realisation"], money(realisation), "{l}");
        assert_eq!(l["ecart"], money(ecart), "{l}");
        if prevision == 0 {
            assert_eq!(l["ecart_pct"], json!(null), "{l}");
            assert_eq!(l["au_dela_du_seuil"], json!(realisation != 0), "{l}");
        } else {
            assert_eq!(l["ecart_pct"], pct(ecart, prevision), "{l}");
            assert_eq!(
                l["au_dela_du_seuil"],
                json!(ecart.abs() * 100 > seuil * prevision),
                "{l}"
            );
        }
    };
    check(line("charges", "60", None), 1_000_00, 800_00);
    check(line("charges", "61", None), 0, 0);
    check(line("charges", "64", None), 9_000_00, salaries_net94);
    check(line("produits", "70", None), 0, 500_00);
    check(
        line("produits", "74", Some("Département du Val-de-Marne")),
        9_000_00,
        9_000_00,
    );
    check(
        line("produits", "74", Some("Fondation Cetelem")),
        1_000_00,
        fondation_half,
    );
    assert_eq!(line("charges", "64", None)["ecart_pct"], json!(-16.7));
    let rubriques: Vec<&str> = cr["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rubrique"].as_str().unwrap())
        .collect();
    assert_eq!(
        rubriques,
        ["60", "61", "62", "63", "64", "65", "66", "67", "68", "86"]
    );
    let charges = 800_00 + salaries_net94;
    let produits = 9_000_00 + fondation_half + 500_00;
    assert_eq!(
        cr["total_charges"],
        json!({"prevision": money(10_000_00), "realisation": money(charges)})
    );
    assert_eq!(
        cr["total_produits"],
        json!({"prevision": money(10_000_00), "realisation": money(produits)})
    );
    assert_eq!(
        cr["part_subvention_pct"],
        pct(9_000_00 + fondation_half, produits)
    );
    assert_eq!(cr["part_subvention_pct"], json!(95.5));
    assert_eq!(
        cr["conventions"],
        json!([{"financeur": "Département du Val-de-Marne", "type": "departement",
                "montant": "9000.00", "reference": "CD94-17", "seuil": 10}])
    );
    assert_eq!(
        cr["repartition"],
        json!({"comptes": ["64"], "cle": "heures", "parts": [
            {"projet": "BP-PARIS", "base": 120, "part_pct": 25.0},
            {"projet": "NET94", "base": 360, "part_pct": 75.0},
        ]})
    );
    assert_eq!(cr["beneficiaires"]["sessions"], json!(2));
    assert_eq!(cr["beneficiaires"]["participations"], json!(16));
    assert_eq!(cr["beneficiaires"]["premiere_session"], json!("2017-03-06"));
    let keys: Vec<&String> = cr.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "annee",
            "beneficiaires",
            "charges",
            "conventions",
            "part_subvention_pct",
            "produits",
            "projet",
            "repartition",
            "total_charges",
            "total_produits"
        ]
    );

    // The lines over the threshold wait for an explanation; one given is stored.
    let table = sb.ok(&["compte-rendu", "NET94", "2017"]);
    assert!(
        table.contains("À expliquer (écart au-delà de 10 %) : 60, 64, 70, 74:Fondation Cetelem"),
        "{table}"
    );
    sb.ok(&[
        "compte-rendu",
        "NET94",
        "2017",
        "--explique",
        "64=Un poste vacant d'avril à juin",
        "--explique",
        "74:fondation cetelem=Le solde vient en 2018",
    ]);
    let cr = sb.json(&["compte-rendu", "NET94", "2017"]);
    assert_eq!(
        line_of(&cr, "charges", "64")["explication"],
        "Un poste vacant d'avril à juin"
    );
    let table = sb.ok(&["compte-rendu", "NET94", "2017"]);
    assert!(
        table.contains("À expliquer (écart au-delà de 10 %) : 60, 70 —"),
        "{table}"
    );
    // A line that is not in the table is refused, naming the lines.
    let err = sb.refused(
        &[
            "compte-rendu",
            "NET94",
            "2017",
            "--explique",
            "74:Ville de Paris=x",
        ],
        2,
    );
    assert!(err.contains("74:Département du Val-de-Marne"), "{err}");

    // The bilan of the project shows direct, allocated and spread amounts and the key.
    let b = sb.json(&["bilan", "2017", "--projet", "NET94"]);
    assert_eq!(b["total_charges"], money(charges));
    assert_eq!(b["charges_directes"], "800.00");
    assert_eq!(b["charges_reparties"], money(salaries_net94));
    assert_eq!(b["produits_affectes"], money(fondation_half));
    assert_eq!(b["repartition"]["cle"], "heures");
    let par = sb.json(&["bilan", "2017", "--par", "projet"]);
    let none = par["projets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["projet"].is_null())
        .unwrap()
        .clone();
    // Left with no project: the rent, and half the foundation's support.
    assert_eq!(none["total_charges"], "1200.00");
    assert_eq!(none["total_produits"], money(fondation_half));
    assert_eq!(
        par["charges_non_affectees_pct"],
        pct(1_200_00, 10_000_00 + 1_200_00 + 800_00)
    );
}

fn line_of(cr: &serde_json::Value, list: &str, rubrique: &str) -> serde_json::Value {
    cr[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rubrique"] == rubrique)
        .unwrap()
        .clone()
}

#[test]
fn an_unbalanced_budget_is_refused_with_its_gap_and_a_new_one_keeps_the_old() {
    let sb = scenario();
    let bad = sb.file(
        "b2.csv",
        "annee;projet;compte;montant;financeur\n2017;NET94;64;9500;\n2017;NET94;7413;9000;Département du Val-de-Marne\n",
    );
    let err = sb.refused(&["budget", "import", &bad], 2);
    assert!(err.contains("n'est pas équilibré"), "{err}");
    assert!(err.contains("500,00"), "the gap is named: {err}");
    let good = sb.file(
        "b3.csv",
        "annee,projet,compte,montant,financeur\n2017,NET94,64,9500,\n2017,NET94,7413,9500,Département du Val-de-Marne\n",
    );
    let out = sb.ok(&["budget", "import", &good]);
    assert!(
        out.contains("version 2 (la précédente est gardée)"),
        "{out}"
    );
    let show = sb.ok(&["budget", "show", "2017", "--projet", "NET94"]);
    assert!(show.contains("version 2"), "{show}");
    assert!(
        show.contains("Versions précédentes gardées : version 1 ("),
        "{show}"
    );
    assert!(show.contains("budget.csv, remplacée le "), "{show}");
    let b = sb.json(&["budget", "show", "2017", "--projet", "NET94"]);
    assert_eq!(b["total_charges"], "9500.00");
    // A bad row names its line and column; nothing is written.
    let bad = sb.file(
        "b4.csv",
        "annee;projet;compte;montant\n2017;NET94;64;9500\n2017;NET94;512;9500\n",
    );
    let err = sb.refused(&["budget", "import", &bad], 2);
    assert!(err.contains("ligne 3") && err.contains("compte"), "{err}");
}

#[test]
fn allocations_never_pass_100_percent_and_leave_entries_alone() {
    let sb = scenario();
    // Entry 5 is the foundation's support, already 50 % to NET94.
    let before = sb.ok(&["ecriture", "list", "--format", "csv"]);
    let err = sb.refused(&["affecte", "5", "--projet", "BP-PARIS", "--part", "60"], 2);
    assert!(err.contains("passerait 100"), "{err}");
    assert!(err.contains("50"), "{err}");
    let out = sb.ok(&["affecte", "5", "--projet", "BP-PARIS", "--part", "50"]);
    assert!(out.contains("affectée à 100\u{a0}% en tout"), "{out}");
    assert_eq!(sb.ok(&["ecriture", "list", "--format", "csv"]), before);
    // An entry of a project is the project's: sharing it is refused.
    let err = sb.refused(&["affecte", "3", "--projet", "BP-PARIS"], 2);
    assert!(err.contains("déjà tout entière au projet NET94"), "{err}");
    let err = sb.refused(&["affecte", "999", "--projet", "NET94"], 2);
    assert!(err.contains("999"), "{err}");
    let err = sb.refused(&["affecte", "5", "--projet", "NET94", "--part", "120"], 2);
    assert!(err.contains("120"), "{err}");
}

#[test]
fn the_printable_compte_rendu_is_self_contained() {
    let sb = scenario();
    let dest = sb.path().join("cr.html");
    let out = sb.ok(&[
        "compte-rendu",
        "NET94",
        "2017",
        "--html",
        dest.to_str().unwrap(),
    ]);
    assert!(out.contains("à imprimer et signer"), "{out}");
    let html = std::fs::read_to_string(&dest).unwrap();
    assert!(!html.contains("http"), "nothing loaded from outside");
    assert!(html.contains("Cerfa n° 15059*02"));
    assert!(html.contains("certifie exactes les informations"));
    assert!(html.contains("9\u{a0}000,00\u{a0}€"));
    assert!(html.contains("À EXPLIQUER"), "unexplained gaps are marked");
}

#[test]
fn a_closed_year_can_still_be_allocated_and_its_digest_holds() {
    let sb = scenario();
    sb.ok(&["cloture", "2017", "--oui"]);
    let out = sb.ok(&["affecte", "5", "--projet", "BP-PARIS", "--part", "25"]);
    assert!(
        out.contains("L'exercice de cette écriture est clos"),
        "{out}"
    );
    assert!(out.contains("soit 750,00\u{a0}€"), "{out}");
    // The books did not move: the closure's digest still matches.
    sb.ok(&["verifie"]);
    let cr = sb.json(&["compte-rendu", "BP-PARIS", "2017"]);
    let fondation = cr["produits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["financeur"] == "Fondation Cetelem")
        .unwrap()
        .clone();
    assert_eq!(fondation["realisation"], "750.00");
}

#[test]
fn the_demo_ends_with_a_complete_compte_rendu_for_mednum94() {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--format", "json"])
        .output()
        .unwrap();
    common::expect_code(&out, 0, &["demo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cr = &v["compte_rendu"];
    assert_eq!(cr["projet"], "MEDNUM94");
    // Every gap over the threshold is explained in the fixtures.
    for list in ["charges", "produits"] {
        for l in cr[list].as_array().unwrap() {
            if l["au_dela_du_seuil"] == json!(true) {
                assert!(l["explication"].is_string(), "unexplained: {l}");
            }
        }
    }
    // The 31 000 € of subsidies against the action's charges, salaries by hours: the
    // surplus the explanation of line 64 names.
    assert_eq!(cr["total_produits"]["realisation"], "31000.00");
    assert_eq!(cr["total_charges"]["realisation"], "19543.14");
    let explication = line_of(cr, "charges", "64")["explication"].clone();
    assert!(
        explication.as_str().unwrap().contains("11 456,86"),
        "{explication}"
    );
    assert_eq!(cr["repartition"]["cle"], "heures");
    assert_eq!(cr["repartition"]["comptes"], json!(["64", "61", "62"]));
}
