//! The association's people and agenda: team, board, members, volunteer time and its
//! class 8 entries, highlights, projects' descriptions; their figures in `stats`.

mod common;

use chrono::NaiveDate;
use common::Sandbox;
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// The 86 and 87 totals of `bilan ANNEE` (all projects, or one), in cents.
fn class_8(sb: &Sandbox, args: &[&str]) -> (i64, i64) {
    let mut full = vec!["bilan"];
    full.extend(args);
    let b = sb.json(&full);
    let cents = |compte: &str| -> i64 {
        b["contributions_volontaires"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["compte"] == compte)
            .map_or(0, |p| {
                let (e, c) = s(&p["montant"]).split_once('.').unwrap();
                e.parse::<i64>().unwrap() * 100 + c.parse::<i64>().unwrap()
            })
    };
    (cents("86"), cents("87"))
}

#[test]
fn the_team_round_trips() {
    let sb = Sandbox::new();
    let out = sb.ok(&[
        "equipe",
        "add",
        "Aurélie Raphaël",
        "--statut",
        "salarie",
        "--poste",
        "Chargée de projet",
        "--debut",
        "01/06/2017",
        "--fin",
        "2017-11-30",
        "--contrat",
        "cdd",
    ]);
    assert_eq!(
        out,
        "Aurélie Raphaël ajouté(e) à l'équipe : salarié, Chargée de projet, du 01/06/2017 (jusqu'au 30/11/2017), 100 %.\n"
    );
    sb.ok(&[
        "equipe",
        "add",
        "Aurélie Raphaël",
        "--statut",
        "salarie",
        "--poste",
        "Chargée de projet",
        "--debut",
        "2017-12-01",
        "--contrat",
        "cdi",
    ]);
    sb.ok(&[
        "equipe",
        "add",
        "Lisa Lewitansky",
        "--statut",
        "stagiaire",
        "--poste",
        "Développeuse",
        "--debut",
        "2016-03-01",
        "--temps",
        "80 %",
    ]);
    // The same contract twice, or one overlapping another: refused.
    let err = sb.refused(
        &[
            "equipe",
            "add",
            "Aurélie Raphaël",
            "--statut",
            "salarie",
            "--poste",
            "Chargée de projet",
            "--debut",
            "2018-01-01",
        ],
        2,
    );
    assert!(
        err.contains("« Aurélie Raphaël » a déjà un contrat à ces dates (du 2017-12-01, en cours)"),
        "{err}"
    );
    assert_eq!(
        sb.ok(&["equipe", "fin", "lisa lewitansky", "--date", "2016-08-31"]),
        "Contrat de Lisa Lewitansky (Développeuse) terminé le 31/08/2016.\n"
    );
    assert_eq!(
        sb.ok(&["equipe", "list", "--format", "csv"]),
        "nom,statut,poste,début,fin,temps (%),contrat\n\
         Lisa Lewitansky,stagiaire,Développeuse,2016-03-01,2016-08-31,80,\n\
         Aurélie Raphaël,salarie,Chargée de projet,2017-06-01,2017-11-30,100,cdd\n\
         Aurélie Raphaël,salarie,Chargée de projet,2017-12-01,,100,cdi\n"
    );
    let v = sb.json(&["equipe", "list", "--annee", "2017"]);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!(list[1]["debut"], "2017-12-01");
    assert_eq!(list[1]["fin"], Value::Null);
    assert_eq!(list[1]["temps"], 100);
    // Nothing open any more for Lisa: said so, nothing written.
    let err = sb.refused(
        &["equipe", "fin", "Lisa Lewitansky", "--date", "2016-09-30"],
        2,
    );
    assert!(
        err.contains("« Lisa Lewitansky » n'a pas de contrat en cours"),
        "{err}"
    );
}

#[test]
fn the_board_and_the_members_round_trip() {
    let sb = Sandbox::new();
    assert_eq!(
        sb.ok(&[
            "gouvernance",
            "add",
            "Anne-Sophie Brunet",
            "--fonction",
            "Présidente",
            "--debut",
            "2015-01-01",
        ]),
        "Anne-Sophie Brunet : président(e) depuis le 01/01/2015.\n"
    );
    sb.ok(&[
        "gouvernance",
        "add",
        "Dominique Dardel",
        "--fonction",
        "administrateur",
        "--debut",
        "2017-01-01",
    ]);
    sb.ok(&[
        "gouvernance",
        "add",
        "Clément Lamouroux",
        "--fonction",
        "tresorier",
        "--debut",
        "2016-01-01",
        "--fin",
        "2016-12-31",
    ]);
    assert_eq!(
        sb.ok(&["gouvernance", "list", "--annee", "2017", "--format", "csv"]),
        "nom,fonction,instance,début,fin\n\
         Anne-Sophie Brunet,president,bureau,2015-01-01,\n\
         Dominique Dardel,administrateur,conseil,2017-01-01,\n"
    );
    let err = sb.refused(
        &[
            "gouvernance",
            "add",
            "anne-sophie brunet",
            "--fonction",
            "president",
            "--debut",
            "2017-01-01",
        ],
        2,
    );
    assert!(err.contains("est déjà président(e) à ces dates"), "{err}");
    assert_eq!(
        sb.ok(&[
            "gouvernance",
            "fin",
            "Anne-Sophie Brunet",
            "--date",
            "2018-06-30",
        ]),
        "Mandat de Anne-Sophie Brunet (président(e)) terminé le 30/06/2018.\n"
    );
    assert_eq!(
        sb.json(&["gouvernance", "list", "--annee", "2019"]),
        serde_json::json!([{"nom": "Dominique Dardel", "fonction": "administrateur",
                            "debut": "2017-01-01", "fin": null}])
    );
    let err = sb.refused(
        &[
            "gouvernance",
            "fin",
            "Anne-Sophie Brunet",
            "--date",
            "2019-01-01",
        ],
        2,
    );
    assert!(err.contains("n'a pas de mandat en cours"), "{err}");

    sb.ok(&[
        "adherent",
        "add",
        "Annick Babise",
        "--date",
        "2017-01-15",
        "--cotisation",
        "20",
    ]);
    sb.ok(&["adherent", "add", "Antoine Vidal", "--date", "2017-03-02"]);
    sb.ok(&["adherent", "add", "Antoine Vidal", "--date", "2018-01-10"]);
    let v = sb.json(&["adherent", "list", "--annee", "2017"]);
    assert_eq!(
        v,
        serde_json::json!([
            {"nom": "Annick Babise", "date": "2017-01-15", "cotisation": "20.00"},
            {"nom": "Antoine Vidal", "date": "2017-03-02", "cotisation": null},
        ])
    );
    // One membership per person and year.
    let err = sb.refused(
        &["adherent", "add", "ANTOINE VIDAL", "--date", "2017-12-01"],
        2,
    );
    assert!(
        err.contains("« ANTOINE VIDAL » est déjà adhérent(e) en 2017 (adhésion du 2017-03-02)"),
        "{err}"
    );
    // The fee noted is not booked: the table compares it with 756.
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-01-31",
        "--montant",
        "20",
        "--compte",
        "756",
        "--libelle",
        "Cotisations de janvier",
    ]);
    let table = sb.ok(&["adherent", "list", "--annee", "2017"]);
    assert!(
        table.contains("2 adhérent(s) en 2017 ; cotisations notées : 20,00\u{a0}€ ; au compte 756 de 2017 : 20,00\u{a0}€."),
        "{table}"
    );
    assert_eq!(sb.json(&["stats", "2017"])["adherents"], 2);
    assert_eq!(sb.json(&["stats", "2018"])["adherents"], 1);
}

#[test]
fn the_agenda_and_the_descriptions_round_trip() {
    let sb = Sandbox::with_refs();
    assert_eq!(
        sb.ok(&[
            "evenement",
            "add",
            "--date",
            "2017-06-01",
            "--titre",
            "NET94",
            "--projet",
            "net94",
            "--texte",
            "Lancement des ateliers numériques.",
        ]),
        "Temps fort n° 1 enregistré le 01/06/2017 : NET94.\n"
    );
    sb.ok(&[
        "evenement",
        "add",
        "--date",
        "2017-08-01",
        "--titre",
        "Vacances",
    ]);
    sb.ok(&[
        "evenement",
        "add",
        "--date",
        "2018-01-10",
        "--titre",
        "Vœux",
    ]);
    let v = sb.json(&["evenement", "list", "--annee", "2017"]);
    assert_eq!(
        v,
        serde_json::json!([
            {"numero": 1, "date": "2017-06-01", "titre": "NET94", "projet": "NET94",
             "texte": "Lancement des ateliers numériques."},
            {"numero": 2, "date": "2017-08-01", "titre": "Vacances", "projet": null, "texte": null},
        ])
    );
    assert_eq!(
        sb.ok(&["evenement", "supprime", "3"]),
        "Temps fort n° 3 du 10/01/2018 supprimé : Vœux.\n"
    );
    assert_eq!(sb.json(&["evenement", "list"]).as_array().unwrap().len(), 2);
    let err = sb.refused(&["evenement", "supprime", "3"], 2);
    assert!(err.contains("temps fort n° 3 introuvable"), "{err}");
    let err = sb.refused(
        &[
            "evenement",
            "add",
            "--date",
            "2017-06-01",
            "--titre",
            "X",
            "--projet",
            "NET93",
        ],
        2,
    );
    assert!(err.contains("--projet : projet « NET93 » inconnu"), "{err}");

    assert_eq!(
        sb.ok(&[
            "projet",
            "corrige",
            "NET94",
            "--description",
            "Réseau d'acteurs de l'emploi et du numérique.",
        ]),
        "Description du projet « NET94 » enregistrée.\n"
    );
    let projets = sb.json(&["projet", "list"]);
    let net94 = projets
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nom"] == "NET94")
        .unwrap();
    assert_eq!(
        net94["description"],
        "Réseau d'acteurs de l'emploi et du numérique."
    );
    assert_eq!(
        sb.ok(&["projet", "list", "--format", "csv"]),
        "projet,thème,intitulé,description\n\
         BP-PARIS,citoyennete,,\n\
         NET94,emploi,Numérique et emploi en Val-de-Marne,Réseau d'acteurs de l'emploi et du numérique.\n"
    );
}

#[test]
fn bad_inputs_are_refused_with_the_value_and_nothing_written() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "benevolat",
        "taux",
        "2017",
        "--montant",
        "9,76",
        "--source",
        "SMIC horaire brut 2017",
    ]);
    let add = |extra: &[&str]| {
        let mut v = vec![
            "equipe",
            "add",
            "Charles Mamère",
            "--poste",
            "Chargé de projet",
        ];
        v.extend(extra);
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            add(&["--statut", "benevole", "--debut", "2016-01-01"]),
            "--statut : statut « benevole » inconnu(e) : écrivez salarie, stagiaire",
        ),
        (
            add(&[
                "--statut",
                "salarie",
                "--debut",
                "2016-01-01",
                "--temps",
                "120",
            ]),
            "--temps : temps de travail « 120 » invalide",
        ),
        (
            add(&["--statut", "salarie", "--debut", "32/01/2016"]),
            "--debut : date « 32/01/2016 » invalide",
        ),
        (
            add(&[
                "--statut",
                "salarie",
                "--debut",
                "2017-01-01",
                "--fin",
                "2016-06-30",
            ]),
            "--fin : fin « 2016-06-30 » avant le début « 2017-01-01 »",
        ),
        (
            [
                "gouvernance",
                "add",
                "X",
                "--fonction",
                "roi",
                "--debut",
                "2017-01-01",
            ]
            .map(String::from)
            .to_vec(),
            "--fonction : fonction « roi » inconnu(e)",
        ),
        (
            [
                "adherent",
                "add",
                "X",
                "--date",
                "2017-01-01",
                "--cotisation",
                "vingt",
            ]
            .map(String::from)
            .to_vec(),
            "--cotisation : montant « vingt » illisible",
        ),
        (
            [
                "benevolat",
                "add",
                "--date",
                "2017-03-01",
                "--heures",
                "beaucoup",
            ]
            .map(String::from)
            .to_vec(),
            "--heures : heures « beaucoup » illisibles",
        ),
        (
            [
                "benevolat",
                "add",
                "--date",
                "2017-03-01",
                "--heures",
                "2001",
            ]
            .map(String::from)
            .to_vec(),
            "--heures : heures « 2001 » : plus de 2000 h",
        ),
        (
            [
                "benevolat",
                "add",
                "--date",
                "2017-03-01",
                "--heures",
                "3",
                "--projet",
                "NET95",
            ]
            .map(String::from)
            .to_vec(),
            "--projet : projet « NET95 » inconnu",
        ),
        (
            ["benevolat", "add", "--date", "2016-03-01", "--heures", "3"]
                .map(String::from)
                .to_vec(),
            "aucun taux de valorisation du bénévolat pour 2016 : fixez-le d'abord",
        ),
        (
            [
                "benevolat",
                "taux",
                "2017",
                "--montant",
                "0",
                "--source",
                "x",
            ]
            .map(String::from)
            .to_vec(),
            "--montant : montant « 0 » nul",
        ),
        (
            ["benevolat", "annule", "7"].map(String::from).to_vec(),
            "bénévolat n° 7 introuvable",
        ),
        (
            ["evenement", "add", "--date", "2017-06-01", "--titre", "  "]
                .map(String::from)
                .to_vec(),
            "--titre vide",
        ),
        (
            ["association", "oublie", "Personne", "--oui"]
                .map(String::from)
                .to_vec(),
            "« Personne » n'est ni dans l'équipe",
        ),
    ];
    for (args, expected) in cases {
        let err = sb.refused(&args, 2);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    // Nothing was booked by the refused hours.
    assert_eq!(class_8(&sb, &["2017"]), (0, 0));
}

/// ETP computed here from the contracts, apart from the program's integer arithmetic:
/// days under contract in the year × working time ÷ days in the year, one decimal.
fn etp(contracts: &[(&str, Option<&str>, f64)], year: i32) -> f64 {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    let days_in_year = (last - first).num_days() as f64 + 1.0;
    let sum: f64 = contracts
        .iter()
        .map(|(debut, fin, temps)| {
            let from = d(debut).max(first);
            let to = fin.map_or(last, |f| d(f).min(last));
            let days = ((to - from).num_days() + 1).max(0) as f64;
            days * temps / 100.0
        })
        .sum();
    (sum / days_in_year * 10.0).round() / 10.0
}

#[test]
fn etp_in_stats_matches_an_independent_computation() {
    let sb = Sandbox::new();
    // name, start, end, working time: full-time all along, part-time arriving mid-year,
    // leaving mid-year, a CDD then a CDI, an intern (not salaried: left out).
    let contracts: [(&str, &str, Option<&str>, &str); 6] = [
        ("A", "2015-01-01", None, "100"),
        ("B", "2016-04-18", None, "61"),
        ("C", "2015-09-01", Some("2016-07-13"), "100"),
        ("D", "2016-06-01", Some("2016-11-30"), "80"),
        ("D", "2016-12-01", None, "100"),
        ("E", "2017-02-01", Some("2017-05-15"), "50"),
    ];
    for (nom, debut, fin, temps) in contracts {
        let mut args = vec![
            "equipe", "add", nom, "--statut", "salarie", "--poste", "Poste", "--debut", debut,
            "--temps", temps,
        ];
        if let Some(f) = fin {
            args.extend(["--fin", f]);
        }
        sb.ok(&args);
    }
    sb.ok(&[
        "equipe",
        "add",
        "F",
        "--statut",
        "stagiaire",
        "--poste",
        "Stage",
        "--debut",
        "2016-01-01",
    ]);
    let salaried: Vec<(&str, Option<&str>, f64)> = contracts
        .iter()
        .map(|(_, d, f, t)| (*d, *f, t.parse().unwrap()))
        .collect();
    for (year, salaries, arrivees, departs) in [(2016, 4, 2, 1), (2017, 4, 1, 1)] {
        let st = sb.json(&["stats", &year.to_string()]);
        let expected = etp(&salaried, year);
        assert_eq!(st["etp"].as_f64(), Some(expected), "{year}: {}", st["etp"]);
        assert_eq!(st["salaries"], salaries, "{year}");
        assert_eq!(st["arrivees"], arrivees, "{year}");
        assert_eq!(st["departs"], departs, "{year}");
    }
    // 2016 is a leap year: A 366 d + B 258 d × 61 % + C 195 d + D 183 d × 80 % + 31 d
    // = 895.78 days; over 366 days 2.447 → 2.4, over 365 it would be 2.454 → 2.5.
    assert_eq!(etp(&salaried, 2016), 2.4);
    // 2017: A 365 + B 365 × 61 % + D 365 + E 104 d × 50 % = 1 004.65 / 365 → 2.8.
    assert_eq!(etp(&salaried, 2017), 2.8);
    let table = sb.ok(&["stats", "2017"]);
    let line = table
        .lines()
        .find(|l| l.contains("en équivalent temps plein"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("┆ 2,8 "), "{line}");
    let csv = sb.ok(&["stats", "2017", "--format", "csv"]);
    assert!(
        csv.contains(
            "association,salariés,,4,,\nassociation,arrivées,,1,,\nassociation,départs,,1,,\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("association,équivalent temps plein,,2.8,,\n"),
        "{csv}"
    );
}

#[test]
fn volunteer_hours_are_booked_in_class_8_at_hours_times_rate() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "benevolat",
        "taux",
        "2017",
        "--montant",
        "9,76",
        "--source",
        "SMIC horaire brut 2017",
    ]);
    sb.ok(&[
        "benevolat",
        "taux",
        "--defaut",
        "--montant",
        "11,65",
        "--source",
        "SMIC horaire brut au 1er janvier 2024",
    ]);
    let out = sb.ok(&[
        "benevolat",
        "add",
        "--date",
        "2017-03-01",
        "--heures",
        "10",
        "--personne",
        "Julien Neiertz",
        "--projet",
        "NET94",
    ]);
    assert_eq!(
        out,
        "Bénévolat n° 1 enregistré le 01/03/2017 : 10 h, valorisées 97,60\u{a0}€ (débit 864, crédit 870).\n"
    );
    sb.ok(&[
        "benevolat",
        "add",
        "--date",
        "2017-04-01",
        "--heures",
        "2h30",
        "--personne",
        "Anne-Sophie Brunet",
    ]);
    sb.ok(&[
        "benevolat",
        "add",
        "--date",
        "2017-05-01",
        "--heures",
        "1,33",
        "--personne",
        "julien neiertz",
    ]);
    // 10 h + 2 h 30 + 1 h 20 (1,33 h) at 9,76 €: 97,60 + 24,40 + 13,01 = 135,01 €.
    assert_eq!(class_8(&sb, &["2017"]), (13_501, 13_501));
    // Per project: only NET94's 10 h.
    assert_eq!(class_8(&sb, &["2017", "--projet", "NET94"]), (9_760, 9_760));
    let st = sb.json(&["stats", "2017"]);
    assert_eq!(st["benevoles"], 2);
    assert_eq!(st["heures_benevolat"].as_f64(), Some(13.83));
    // The 2018 chart's numbering from 2020: 875 is bénévolat; the default rate applies.
    let out = sb.ok(&["benevolat", "add", "--date", "2021-03-01", "--heures", "2"]);
    assert!(
        out.contains("valorisées 23,30\u{a0}€ (débit 864, crédit 875)"),
        "{out}"
    );
    let balance = sb.json(&["balance", "2021"]);
    let comptes: Vec<&str> = balance["comptes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| s(&c["compte"]))
        .collect();
    assert_eq!(comptes, ["864", "875"]);
    // An entry reversed by hand leaves its hours counted: `verifie` says so.
    let entry = sb.json(&["benevolat", "list"])[1]["ecriture"]
        .as_i64()
        .unwrap();
    sb.ok(&[
        "ecriture",
        "annule",
        &entry.to_string(),
        "--motif",
        "erreur",
    ]);
    let out = sb.ici(&["verifie"]).output().unwrap();
    common::expect_code(&out, 1, &["verifie"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("bénévolat n° 2 : son écriture n° {entry} est contrepassée mais ses heures comptent encore")),
        "{text}"
    );
    // No name in the books.
    let journal = sb.ok(&["journal", "2017", "--format", "csv"]);
    assert!(!journal.contains("Neiertz"), "{journal}");

    // Cancelling reverses the entry; the hours no longer count.
    let out = sb.ok(&["benevolat", "annule", "2"]);
    assert!(
        out.starts_with("Bénévolat n° 2 du 01/04/2017 annulé"),
        "{out}"
    );
    assert_eq!(class_8(&sb, &["2017"]), (11_061, 11_061));
    // Its entry is not reversed twice, and the ledger is in step again.
    assert!(sb.ok(&["verifie"]).contains("aucune anomalie"));
    assert_eq!(sb.json(&["stats", "2017"])["benevoles"], 1);
    let err = sb.refused(&["benevolat", "annule", "2"], 2);
    assert!(err.contains("déjà annulé"), "{err}");

    // A new rate re-books the year's live records: 11 h 20 at 10 € = 113,33 €.
    let out = sb.ok(&[
        "benevolat",
        "taux",
        "2017",
        "--montant",
        "10",
        "--source",
        "Convention",
    ]);
    assert!(out.contains("2 enregistrement(s) revalorisé(s)"), "{out}");
    assert_eq!(class_8(&sb, &["2017"]), (11_333, 11_333));
    let list = sb.json(&["benevolat", "list", "--annee", "2017"]);
    assert_eq!(list[0]["taux"], "10.00");
    assert_eq!(list[0]["valeur"], "100.00");

    // A closed year's entries do not move: no new rate, no new hours, no cancellation.
    sb.ok(&["cloture", "2017", "--oui"]);
    for args in [
        vec![
            "benevolat",
            "taux",
            "2017",
            "--montant",
            "12",
            "--source",
            "x",
        ],
        vec!["benevolat", "add", "--date", "2017-06-01", "--heures", "1"],
        vec!["benevolat", "annule", "1"],
    ] {
        let err = sb.refused(&args, 2);
        assert!(err.contains("l'exercice 2017 est clos"), "{args:?}: {err}");
    }
    // A new default leaves the closed year as valued, and re-books 2021.
    sb.ok(&[
        "benevolat",
        "taux",
        "--defaut",
        "--montant",
        "12",
        "--source",
        "SMIC 2024",
    ]);
    assert_eq!(class_8(&sb, &["2017"]), (11_333, 11_333));
    assert_eq!(class_8(&sb, &["2021"]), (2_400, 2_400));
}

#[test]
fn a_person_who_asks_is_erased_and_the_hours_stay() {
    let sb = Sandbox::new();
    sb.ok(&[
        "benevolat",
        "taux",
        "2017",
        "--montant",
        "9,76",
        "--source",
        "SMIC",
    ]);
    sb.ok(&[
        "gouvernance",
        "add",
        "Joachim Pasquet",
        "--fonction",
        "secretaire",
        "--debut",
        "2017-01-01",
    ]);
    sb.ok(&["adherent", "add", "Joachim Pasquet", "--date", "2017-01-01"]);
    sb.ok(&[
        "benevolat",
        "add",
        "--date",
        "2017-02-01",
        "--heures",
        "4",
        "--personne",
        "Joachim Pasquet",
    ]);
    let err = sb.refused(&["association", "oublie", "Joachim Pasquet"], 2);
    assert!(err.contains("--oui"), "{err}");
    let out = sb.ok(&["association", "oublie", "joachim pasquet", "--oui"]);
    assert!(
        out.contains(
            "0 contrat(s), 1 mandat(s), 1 adhésion(s) supprimés ; 1 enregistrement(s) de bénévolat"
        ),
        "{out}"
    );
    assert_eq!(sb.json(&["gouvernance", "list"]), serde_json::json!([]));
    assert_eq!(sb.json(&["adherent", "list"]), serde_json::json!([]));
    let b = sb.json(&["benevolat", "list"]);
    assert!(!b.to_string().contains("Pasquet"), "{b}");
    let st = sb.json(&["stats", "2017"]);
    assert_eq!(
        (st["benevoles"].clone(), st["adherents"].clone()),
        (1.into(), 0.into())
    );
    assert_eq!(class_8(&sb, &["2017"]), (3_904, 3_904));
}

#[test]
fn a_csv_file_loads_whole_or_not_at_all() {
    let sb = Sandbox::new();
    let good = sb.file(
        "equipe.csv",
        "nom;statut;poste;debut;fin;temps;contrat\nA;salarie;Directeur;2017-01-01;;100;cdi\n",
    );
    assert_eq!(
        sb.ok(&["association", "import", "equipe", &good]),
        format!("1 ligne(s) importée(s) depuis {good}.\n")
    );
    let bad = sb.file(
        "equipe2.csv",
        "nom;statut;poste;debut\nB;salarie;Chargé;2017-01-01\nC;benevole;Chargé;2017-01-01\n",
    );
    let err = sb.refused(&["association", "import", "equipe", &bad], 2);
    assert!(
        err.contains(
            "ligne 3, colonne « statut » (valeur « benevole ») : statut « benevole » inconnu(e)"
        ),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
    assert_eq!(sb.json(&["stats", "2017"])["salaries"], 1);
}

#[test]
fn the_demo_counts_the_reports_volunteers_and_members_from_records() {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--format", "json", "--ecrire", "d.sqlite"])
        .output()
        .unwrap();
    common::expect_code(&out, 0, &["demo"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let st = &v["stats"];
    assert_eq!(st["benevoles"], 7);
    assert_eq!(st["adherents"], 21);
    // From the fixtures' contracts (dates the README says were assumed).
    assert_eq!(st["salaries"], 5);
    assert_eq!(st["etp"].as_f64(), Some(3.9));
    assert_eq!(
        (st["arrivees"].clone(), st["departs"].clone()),
        (2.into(), 3.into())
    );
    // The result is the accountant's; volunteer time sits below it, 86 = 87.
    assert_eq!(v["bilan"]["resultat"], "-15435.00");
    assert_eq!(
        v["bilan"]["contributions_volontaires_detail"]["equilibre"],
        true
    );
    let ledger = sb.path().join("d.sqlite");
    let on = |args: &[&str]| -> Value {
        let mut full = vec!["--ledger", ledger.to_str().unwrap()];
        full.extend(args);
        full.extend(["--format", "json"]);
        let out = sb.bare().args(&full).output().unwrap();
        common::expect_code(&out, 0, &full);
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let agenda = on(&["evenement", "list", "--annee", "2017"]);
    let months: std::collections::BTreeSet<&str> = agenda
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &s(&e["date"])[..7])
        .collect();
    assert_eq!(months.len(), 12, "every month of the seed's agenda");
    let bureau = on(&["gouvernance", "list", "--annee", "2017"]);
    assert_eq!(bureau[0]["nom"], "Anne-Sophie Brunet");
    assert_eq!(bureau.as_array().unwrap().len(), 6);
    // The fees noted for the 21 members are the two deposits the FEC books in 756.
    let out = sb
        .bare()
        .args([
            "--ledger",
            ledger.to_str().unwrap(),
            "adherent",
            "list",
            "--annee",
            "2017",
        ])
        .output()
        .unwrap();
    common::expect_code(&out, 0, &["adherent", "list"]);
    assert!(
        String::from_utf8(out.stdout).unwrap().ends_with(
            "21 adhérent(s) en 2017 ; cotisations notées : 420,00\u{a0}€ ; au compte 756 de 2017 : 420,00\u{a0}€.\n"
        )
    );
    // Hours given to a funded action show in its compte rendu, 86 against 87.
    let out = sb
        .bare()
        .args([
            "--ledger",
            ledger.to_str().unwrap(),
            "benevolat",
            "add",
            "--date",
            "2017-11-15",
            "--heures",
            "5",
            "--projet",
            "MEDNUM94",
        ])
        .output()
        .unwrap();
    common::expect_code(&out, 0, &["benevolat", "add"]);
    let cr = on(&["compte-rendu", "MEDNUM94", "2017"]);
    let realisation = |side: &str, rubrique: &str| -> Value {
        cr[side]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rubrique"] == rubrique)
            .map(|l| l["realisation"].clone())
            .unwrap_or(Value::Null)
    };
    // 5 h at 9,76 €.
    assert_eq!(realisation("charges", "86"), "48.80", "{cr}");
    assert_eq!(realisation("produits", "87"), "48.80", "{cr}");
    let projets = on(&["projet", "list"]);
    assert!(
        projets
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["description"].is_string()),
        "{projets}"
    );
}

#[test]
fn merging_projects_carries_volunteering_agenda_and_description() {
    let sb = Sandbox::with_refs();
    sb.ok(&["projet", "add", "NET-94", "--theme", "emploi", "--nouveau"]);
    sb.ok(&[
        "benevolat",
        "taux",
        "2017",
        "--montant",
        "10",
        "--source",
        "SMIC",
    ]);
    sb.ok(&[
        "benevolat",
        "add",
        "--date",
        "2017-03-01",
        "--heures",
        "2",
        "--projet",
        "NET-94",
    ]);
    sb.ok(&[
        "evenement",
        "add",
        "--date",
        "2017-06-01",
        "--titre",
        "Lancement",
        "--projet",
        "NET-94",
    ]);
    sb.ok(&["projet", "corrige", "NET-94", "--description", "Le réseau."]);
    let out = sb.ok(&["projet", "fusionne", "NET-94", "--dans", "NET94"]);
    assert!(out.contains("1 bénévolat(s), 1 temps fort(s)"), "{out}");
    assert_eq!(sb.json(&["benevolat", "list"])[0]["projet"], "NET94");
    assert_eq!(sb.json(&["evenement", "list"])[0]["projet"], "NET94");
    let projets = sb.json(&["projet", "list"]);
    assert_eq!(projets[1]["nom"], "NET94");
    assert_eq!(projets[1]["description"], "Le réseau.");
    // The class 8 entry followed the project too.
    assert_eq!(class_8(&sb, &["2017", "--projet", "NET94"]), (2_000, 2_000));
}

#[test]
fn a_trainers_ledger_books_no_volunteer_hours() {
    let sb = Sandbox::empty();
    sb.ok(&["init", "--role", "formateur"]);
    // The people and the agenda are kept on any ledger.
    sb.ok(&["adherent", "add", "Annick Babise", "--date", "2017-01-15"]);
    sb.ok(&[
        "evenement",
        "add",
        "--date",
        "2017-06-01",
        "--titre",
        "Lancement",
    ]);
    for args in [
        vec![
            "benevolat",
            "taux",
            "2017",
            "--montant",
            "9,76",
            "--source",
            "SMIC",
        ],
        vec!["benevolat", "add", "--date", "2017-03-01", "--heures", "2"],
    ] {
        let err = sb.refused(&args, 2);
        assert!(
            err.contains("`ici benevolat") && err.contains("rôle formateur"),
            "{args:?}: {err}"
        );
    }
    // Reading is allowed: there is nothing to read.
    assert_eq!(sb.json(&["benevolat", "list"]), serde_json::json!([]));
}
