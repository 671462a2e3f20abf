//! Everyday use: dates and durations as people type them, synonyms, short flags and
//! French verbs, help, corrections with their history, lists by period, `--excel`,
//! narrow tables and completions. Each test drives the real binary.

mod common;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::{Sandbox, column, plain_spaces, session_number, stdout};
use serde_json::Value;

/// Today for the binary: the tests pin TZ to UTC.
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The JSON of session `n` from `session list --annulees`.
fn session_json(sb: &Sandbox, n: i64) -> Value {
    let all = sb.json(&["session", "list", "--annulees"]);
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["numero"] == n)
        .unwrap_or_else(|| panic!("session {n} not in {all}"))
        .clone()
}

/// The numbers of the sessions a `session list …` gives.
fn numbers(sb: &Sandbox, args: &[&str]) -> Vec<i64> {
    let mut full = vec!["session", "list"];
    full.extend(args);
    column(&sb.json(&full), "numero")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

const SESSION: [&str; 8] = ["-p", "NET94", "-c", "Villejuif", "-t", "2h", "-n", "5"];

#[test]
fn french_dates_are_accepted_wherever_a_date_is_typed() {
    let sb = Sandbox::with_refs();
    let t = today();
    let this_year_28_11 = NaiveDate::from_ymd_opt(t.year(), 11, 28).unwrap();
    let bare_28_11 = if this_year_28_11 <= t + Duration::days(1) {
        this_year_28_11
    } else {
        NaiveDate::from_ymd_opt(t.year() - 1, 11, 28).unwrap()
    };
    let cases = [
        ("aujourd'hui", t),
        ("Aujourd’hui", t),
        ("hier", t - Duration::days(1)),
        ("avant-hier", t - Duration::days(2)),
        ("28/11", bare_28_11),
        ("28/11/26", NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
        ("28-11-2026", NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()),
        ("12/06/2017", NaiveDate::from_ymd_opt(2017, 6, 12).unwrap()),
        ("2017-06-12", NaiveDate::from_ymd_opt(2017, 6, 12).unwrap()),
    ];
    for (typed, want) in cases {
        // Several forms name the same day: the same session again, on purpose.
        let mut args = vec!["--doublon", "-d", typed];
        args.extend(SESSION);
        let n = sb.session(&args);
        assert_eq!(session_json(&sb, n)["date"], iso(want), "{typed}");
    }
    // A CSV import reads dates with the same parser.
    let csv = sb.file(
        "s.csv",
        "date,projet,commune,duree,participants\nhier,NET94,Arcueil,14h-17h,4\n28-11-2026,NET94,Cachan,\"2,5h\",6\n",
    );
    sb.ok(&["import", "sessions", &csv]);
    let all = sb.json(&["session", "list", "--commune-inconnue"]);
    assert_eq!(all, serde_json::json!([]));
    let all = sb.json(&["session", "list"]);
    let imported: Vec<(Value, Value)> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["commune"] == "Arcueil" || s["commune"] == "Cachan")
        .map(|s| (s["date"].clone(), s["duree_minutes"].clone()))
        .collect();
    assert_eq!(
        imported.len(),
        2,
        "the two imported sessions are listed: {all}"
    );
    assert!(imported.contains(&(iso(t - Duration::days(1)).into(), 180.into())));
    assert!(imported.contains(&("2026-11-28".into(), 150.into())));
    // A charge takes them too.
    sb.ok(&[
        "charge",
        "add",
        "-d",
        "hier",
        "--montant",
        "10",
        "--compte",
        "616",
        "--libelle",
        "Assurance",
    ]);
    let lines = sb.json(&["charge", "list"]);
    assert_eq!(
        column(&lines, "date"),
        vec![Value::from(iso(t - Duration::days(1)))]
    );
    // What is still not a date is refused, naming the value and the forms.
    let mut args = vec!["session", "add", "-d", "demain"];
    args.extend(SESSION);
    let err = sb.refused(&args, 2);
    assert!(
        err.contains("--date : date « demain » invalide")
            && err.contains("12/06")
            && err.contains("hier"),
        "{err}"
    );
}

#[test]
fn session_add_without_a_date_is_today_and_says_so() {
    let sb = Sandbox::with_refs();
    let mut args = vec!["session", "add"];
    args.extend(SESSION);
    let out = sb.ok(&args);
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "Session n° 1 enregistrée à la date d'aujourd'hui, {} (sinon : ici session corrige 1 --date …).",
            today().format("%d/%m/%Y")
        )
    );
    assert_eq!(session_number(&out), 1);
    assert_eq!(session_json(&sb, 1)["date"], iso(today()));
}

#[test]
fn durations_are_read_as_trainers_write_them() {
    let sb = Sandbox::with_refs();
    for (typed, minutes) in [
        ("14h-17h", 180),
        ("9h30-12h", 150),
        ("2,5h", 150),
        ("3 heures", 180),
        ("1 h 30", 90),
        ("90min", 90),
        ("1,5", 90),
    ] {
        // Equal durations written two ways: the same session again, on purpose.
        let n = sb.session(&[
            "--doublon",
            "-d",
            "2017-06-12",
            "-p",
            "NET94",
            "-c",
            "Villejuif",
            "-t",
            typed,
            "-n",
            "4",
        ]);
        assert_eq!(session_json(&sb, n)["duree_minutes"], minutes, "{typed}");
    }
    let err = sb.refused(
        &[
            "session",
            "add",
            "-d",
            "2017-06-12",
            "-p",
            "NET94",
            "-c",
            "Villejuif",
            "-t",
            "17h-14h",
            "-n",
            "4",
        ],
        2,
    );
    assert_eq!(
        err,
        "erreur : --duree : durée « 17h-14h » : la fin (14 h) n'est pas après le début (17 h) ; écrivez l'horaire de début puis celui de fin, par exemple 14h-17h\n"
    );
}

#[test]
fn choices_take_the_words_people_use() {
    let sb = Sandbox::with_refs();
    let out = sb.ok(&[
        "participant",
        "ajoute",
        "--statut",
        "chômeur",
        "--diplome",
        "bac",
    ]);
    assert!(out.contains("demandeur d'emploi"), "{out}");
    assert!(out.contains("CITE 3–4"), "{out}");
    let out = sb.ok(&[
        "participant",
        "add",
        "--statut",
        "RETRAITÉE",
        "--diplome",
        "Bac+2",
    ]);
    assert!(out.contains("retraité"), "{out}");
    assert!(out.contains("CITE 5–8"), "{out}");
    let out = sb.ok(&[
        "participant",
        "add",
        "--statut",
        "DE",
        "--diplome",
        "brevet",
    ]);
    assert!(out.contains("demandeur d'emploi"), "{out}");
    assert!(out.contains("CITE 0–2"), "{out}");
    let out = sb.ok(&["participant", "add", "--diplome", "CAP"]);
    assert!(out.contains("CITE 3–4"), "{out}");
    // RSA is not a status: say where it goes.
    let err = sb.refused(&["participant", "add", "--statut", "RSA"], 2);
    assert!(
        err.contains("« RSA » n'est pas un statut") && err.contains("--rsa oui"),
        "{err}"
    );
    // Exits: CDI is a durable job, CDD a short one.
    sb.session(&[
        "-d",
        "2017-06-12",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "3h",
        "--presents",
        "P-0001,P-0002",
    ]);
    let out = sb.ok(&[
        "participant",
        "sortie",
        "P-0001",
        "--situation",
        "CDI",
        "-d",
        "hier",
    ]);
    assert!(
        out.contains("emploi durable") && out.contains("sortie positive"),
        "{out}"
    );
    let out = sb.ok(&[
        "participant",
        "sortie",
        "P-0002",
        "--situation",
        "cdd",
        "-d",
        "hier",
    ]);
    assert!(out.contains("emploi de moins de 6 mois"), "{out}");
}

#[test]
fn a_value_cut_in_two_by_the_shell_gets_the_quotes_hint() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(
        &[
            "session",
            "add",
            "-p",
            "NET94",
            "--commune",
            "Le",
            "Kremlin-Bicêtre",
            "-t",
            "3h",
            "-n",
            "5",
        ],
        2,
    );
    assert_eq!(
        err,
        "erreur : « Kremlin-Bicêtre » en trop : mettez la valeur entre guillemets : --commune \"Le Kremlin-Bicêtre\"\n"
    );
    let err = sb.refused(
        &[
            "session",
            "add",
            "-p",
            "NET94",
            "-c",
            "Villejuif",
            "--intitule",
            "Atelier",
            "CV",
            "et",
            "lettre",
        ],
        2,
    );
    assert!(
        err.starts_with(
            "erreur : « CV » en trop : mettez la valeur entre guillemets : --intitule \"Atelier CV et lettre\""
        ),
        "{err}"
    );
    // Several numbers where one is expected: no quotes hint, the plain error.
    let err = sb.refused(&["participant", "show", "P-0001", "P-0002"], 2);
    assert!(!err.contains("guillemets"), "{err}");
}

#[test]
fn short_flags_and_french_verbs_work_beside_the_others() {
    let sb = Sandbox::new();
    sb.ok(&["projet", "ajoute", "NET94", "--theme", "emploi"]);
    sb.ok(&["partenaire", "ajoute", "Ville de Villejuif"]);
    let out = sb.ok(&[
        "session",
        "ajoute",
        "-d",
        "12/06/2017",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "3h",
        "-n",
        "12",
        "--partenaire",
        "Ville de Villejuif",
    ]);
    assert_eq!(session_number(&out), 1);
    let s = session_json(&sb, 1);
    assert_eq!(
        (
            &s["date"],
            &s["projet"],
            &s["commune"],
            &s["duree_minutes"],
            &s["participants"]
        ),
        (
            &"2017-06-12".into(),
            &"NET94".into(),
            &"Villejuif".into(),
            &180.into(),
            &12.into()
        )
    );
    assert_eq!(numbers(&sb, &[]), numbers(&sb, &["--annulees"]));
    let listed = sb.ok(&["session", "liste", "--format", "csv"]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let out = sb.ok(&["projet", "liste", "--format", "csv"]);
    assert!(out.contains("NET94"), "{out}");
    let help = sb.ok(&["session", "--help"]);
    assert!(help.contains("(ou : ajoute)"), "{help}");
    assert!(help.contains("(ou : liste)"), "{help}");
    let help = sb.ok(&["session", "add", "--help"]);
    for flag in [
        "-d, --date",
        "-p, --projet",
        "-c, --commune",
        "-t, --duree",
        "-n, --participants",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    // -o keeps its meaning on export.
    let help = sb.ok(&["export", "--help"]);
    assert!(help.contains("-o, --output"), "{help}");
}

#[test]
fn aide_and_help_show_the_help_of_a_command() {
    let sb = Sandbox::new();
    assert_eq!(
        sb.ok(&["aide", "session", "add"]),
        sb.ok(&["session", "add", "--help"])
    );
    assert_eq!(sb.ok(&["help", "stats"]), sb.ok(&["stats", "--help"]));
    assert_eq!(sb.ok(&["aide"]), sb.ok(&["--help"]));
    assert!(sb.ok(&["--help"]).contains("aide"));
    let err = sb.fails(&["aide", "sesion"], 2);
    assert!(
        err.starts_with("erreur : commande inconnue : sesion (vouliez-vous dire « session » ?)"),
        "{err}"
    );
}

#[test]
fn stats_and_bilan_take_the_year_as_an_option_too() {
    let sb = Sandbox::with_refs();
    sb.session(&[
        "-d",
        "2017-06-12",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "3h",
        "-n",
        "12",
    ]);
    let stats = sb.ok(&["stats", "2017"]);
    assert!(stats.contains("12"), "{stats}");
    assert_eq!(sb.ok(&["stats", "--annee", "2017"]), stats);
    assert_eq!(sb.ok(&["stats", "--annee=2017"]), stats);
    assert_eq!(
        sb.ok(&["bilan", "--annee", "2017"]),
        sb.ok(&["bilan", "2017"])
    );
    let year = today().year();
    for cmd in ["stats", "bilan"] {
        let err = sb.refused(&[cmd], 2);
        assert_eq!(
            err,
            format!(
                "erreur : argument obligatoire manquant : <ANNEE> ; indiquez l'année : ici {cmd} {year}\n"
            )
        );
    }
}

#[test]
fn session_corrige_changes_every_field_and_keeps_the_history() {
    let sb = Sandbox::with_refs();
    let n = sb.session(&[
        "-d",
        "2017-06-12",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "3h",
        "-n",
        "12",
        "--femmes",
        "7",
        "--partenaire",
        "Ville de Villejuif",
        "--intitule",
        "Atelier CV",
        "--formateur",
        "Karim",
    ]);
    let before = sb.snapshot();
    // Lowering the headcount below a breakdown is refused, naming the fix.
    let err = sb.fails(&["session", "corrige", "1", "-n", "6"], 2);
    sb.snapshot().assert_same(&before, &["session", "corrige"]);
    assert_eq!(
        err,
        "erreur : --participants : « 6 » : la session n° 1 compte 7 femmes ; corrigez aussi --femmes (ou --femmes nc) dans la même commande\n"
    );
    let err = sb.refused(&["session", "corrige", "1", "--projet", "INCONNU"], 2);
    assert!(err.contains("INCONNU"), "{err}");
    let err = sb.refused(&["session", "corrige", "1", "--duree", "17h-14h"], 2);
    assert!(err.starts_with("erreur : --duree : "), "{err}");
    let err = sb.refused(&["session", "corrige", "99", "-n", "3"], 2);
    assert_eq!(
        err,
        "erreur : session n° 99 introuvable (voir `ici session list`)\n"
    );
    let err = sb.refused(&["session", "corrige", "1"], 2);
    assert!(
        err.starts_with(
            "erreur : argument obligatoire manquant : au moins l'une de ces options : --date, --duree, --projet, --participants, --commune,"
        ),
        "{err}"
    );

    let out = sb.ok(&[
        "session",
        "corrige",
        "1",
        "--date",
        "13/06/2017",
        "--duree",
        "14h-16h",
        "--projet",
        "BP-PARIS",
        "--participants",
        "10",
        "--femmes",
        "6",
        "--commune",
        "Arcueil",
        "--intitule",
        "Atelier lettre",
        "--formateur",
        "Inès",
        "--partenaire",
        "Pôle emploi Cachan",
        "--motif",
        "feuille relue",
    ]);
    assert!(out.starts_with("Session n° 1 corrigée :\n"), "{out}");
    let s = session_json(&sb, n);
    for (key, want) in [
        ("date", Value::from("2017-06-13")),
        ("duree_minutes", 120.into()),
        ("projet", "BP-PARIS".into()),
        ("participants", 10.into()),
        ("femmes", 6.into()),
        ("commune", "Arcueil".into()),
        ("code_insee", "94003".into()),
        ("intitule", "Atelier lettre".into()),
        ("partenaire", "Pôle emploi Cachan".into()),
    ] {
        assert_eq!(s[key], want, "{key}: {s}");
    }
    assert_eq!(numbers(&sb, &["--formateur", "inès"]), vec![1]);
    assert_eq!(session_json(&sb, n)["formateur"], "Inès");
    // The figures follow the correction.
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(stats["participations"], 10, "{stats}");
    assert_eq!(stats["heures_formation"], 2, "{stats}");
    assert_eq!(stats["publics"]["femmes"], 6, "{stats}");

    // Emptying a text field.
    sb.ok(&["session", "corrige", "1", "--intitule", ""]);
    assert_eq!(session_json(&sb, n)["intitule"], Value::Null);
    // Giving the same value again changes nothing and writes no history.
    let out = sb.ok(&["session", "corrige", "1", "-n", "10"]);
    assert!(out.contains("rien à corriger"), "{out}");

    let show = sb.ok(&["session", "show", "1"]);
    assert!(show.starts_with("Session n° 1\n"), "{show}");
    let history = show
        .split_once("Corrections :\n")
        .map(|(_, h)| h)
        .unwrap_or_else(|| panic!("no history in:\n{show}"));
    let rows: Vec<Vec<String>> = history
        .lines()
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let changes: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str(), r[3].as_str(), r[4].as_str()))
        .collect();
    assert_eq!(
        changes,
        vec![
            ("date", "2017-06-12", "2017-06-13", "feuille relue"),
            ("projet", "NET94", "BP-PARIS", "feuille relue"),
            (
                "lieu",
                "Villejuif (94076)",
                "Arcueil (94003)",
                "feuille relue"
            ),
            ("durée", "3 h", "2 h", "feuille relue"),
            ("participants", "12", "10", "feuille relue"),
            ("femmes", "7", "6", "feuille relue"),
            (
                "partenaire",
                "Ville de Villejuif",
                "Pôle emploi Cachan",
                "feuille relue"
            ),
            ("intitulé", "Atelier CV", "Atelier lettre", "feuille relue"),
            ("formateur", "Karim", "Inès", "feuille relue"),
            ("intitulé", "Atelier lettre", "—", ""),
        ]
    );
    assert!(!show.contains("annulée le"), "{show}");
    sb.ok(&["session", "annule", "1", "--motif", "doublon"]);
    let show = sb.ok(&["session", "show", "1"]);
    assert!(
        show.contains("annulée le") && show.contains(": doublon"),
        "{show}"
    );
}

#[test]
fn corrections_keep_named_presences_consistent() {
    let sb = Sandbox::with_refs();
    sb.ok(&["participant", "add"]);
    sb.ok(&["participant", "add"]);
    sb.session(&[
        "-d",
        "2017-06-12",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "3h",
        "--presents",
        "P-0001:1h,P-0002",
        "--anonymes",
        "2",
        "--femmes",
        "2",
    ]);
    let err = sb.refused(&["session", "corrige", "1", "-t", "45min"], 2);
    assert_eq!(
        err,
        "erreur : --duree : « 45 min » : moins que le temps de présence noté de P-0001 (1 h) ; corrigez d'abord ces présences\n"
    );
    let err = sb.refused(&["session", "corrige", "1", "-n", "1"], 2);
    assert!(
        err.starts_with("erreur : --participants : « 1 » : moins que les 2 présents nommés"),
        "{err}"
    );
    // Three participants, two named: one anonymous, and the two women no longer fit.
    let err = sb.refused(&["session", "corrige", "1", "-n", "3"], 2);
    assert!(err.contains("corrigez aussi --femmes"), "{err}");
    let err = sb.refused(&["session", "corrige", "1", "--femmes", "3"], 2);
    assert!(
        err.starts_with("erreur : --femmes : « 3 » dépasse les 2 participant(s) anonyme(s)"),
        "{err}"
    );
    sb.ok(&["session", "corrige", "1", "-n", "3", "--femmes", "1"]);
    let s = session_json(&sb, 1);
    assert_eq!(
        (
            &s["participants"],
            &s["nommes"],
            &s["anonymes"],
            &s["femmes"]
        ),
        (&3.into(), &2.into(), &1.into(), &1.into())
    );
    // A time present equal to the new duration becomes the whole session.
    sb.ok(&["session", "corrige", "1", "-t", "1h"]);
    let show = sb.ok(&["session", "show", "1"]);
    assert!(show.contains("P-0001, P-0002"), "{show}");
}

#[test]
fn session_annule_takes_several_numbers_all_or_nothing() {
    let sb = Sandbox::with_refs();
    for d in ["2017-06-12", "2017-06-13", "2017-06-14"] {
        let mut args = vec!["-d", d];
        args.extend(SESSION);
        sb.session(&args);
    }
    let err = sb.refused(
        &["session", "annule", "1", "2", "99", "--motif", "doublon"],
        2,
    );
    assert_eq!(
        err,
        "erreur : session n° 99 introuvable (voir `ici session list`)\n"
    );
    let out = sb.ok(&["session", "annule", "3", "1", "--motif", "doublon"]);
    assert_eq!(
        out,
        "Session n° 1 du 2017-06-12 (NET94, Villejuif) annulée : elle ne compte plus dans les chiffres.\n\
         Session n° 3 du 2017-06-14 (NET94, Villejuif) annulée : elle ne compte plus dans les chiffres.\n"
    );
    assert_eq!(numbers(&sb, &[]), vec![2]);
    let err = sb.refused(&["session", "annule", "2", "3", "--motif", "x"], 2);
    assert!(err.contains("la session n° 3 est déjà annulée"), "{err}");
    assert_eq!(numbers(&sb, &[]), vec![2]);
}

#[test]
fn session_list_by_period_trainer_and_recording_date() {
    let sb = Sandbox::with_refs();
    for (d, who) in [
        ("2017-05-31", "Karim"),
        ("2017-06-01", "Inès"),
        ("2017-06-30", "karim "),
        ("2017-07-01", "Karim"),
    ] {
        let mut args = vec!["-d", d, "--formateur", who];
        args.extend(SESSION);
        sb.session(&args);
    }
    assert_eq!(numbers(&sb, &["--mois", "2017-06"]), vec![2, 3]);
    assert_eq!(numbers(&sb, &["--mois", "06/2017"]), vec![2, 3]);
    assert_eq!(
        numbers(&sb, &["--depuis", "01/06/2017", "--jusqu-au", "30/06/2017"]),
        vec![2, 3]
    );
    assert_eq!(numbers(&sb, &["--depuis", "2017-06-30"]), vec![3, 4]);
    assert_eq!(numbers(&sb, &["--jusqu-au", "2017-06-01"]), vec![1, 2]);
    assert_eq!(
        numbers(&sb, &["--annee", "2017", "--mois", "2017-07"]),
        vec![4]
    );
    assert_eq!(numbers(&sb, &["--formateur", "KARIM"]), vec![1, 3, 4]);
    assert_eq!(
        numbers(&sb, &["--saisies-depuis", "aujourd'hui"]),
        vec![1, 2, 3, 4]
    );
    let tomorrow = iso(today() + Duration::days(1));
    assert_eq!(
        numbers(&sb, &["--saisies-depuis", &tomorrow]),
        Vec::<i64>::new()
    );
    let err = sb.refused(&["session", "list", "--mois", "2017-13"], 2);
    assert!(err.contains("--mois : mois « 2017-13 » invalide"), "{err}");
    let err = sb.refused(&["session", "list", "--depuis", "31/02/2017"], 2);
    assert!(
        err.contains("--depuis : date « 31/02/2017 » invalide"),
        "{err}"
    );
}

#[test]
fn ecriture_corrige_writes_the_reversal_and_the_corrected_entry() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "charge",
        "add",
        "-d",
        "2017-03-01",
        "--montant",
        "120",
        "--compte",
        "616",
        "--libelle",
        "Assurance",
        "-p",
        "NET94",
    ]);
    let out = sb.ok(&[
        "ecriture",
        "corrige",
        "1",
        "--montant",
        "150,50",
        "--compte",
        "6226",
        "--motif",
        "honoraires",
    ]);
    assert!(
        out.starts_with(
            "Écriture n° 1 corrigée : contrepassée par l'écriture n° 2, remplacée par l'écriture n° 3.\n"
        ),
        "{out}"
    );
    let charges = sb.json(&["charge", "list", "--annee", "2017"]);
    assert_eq!(
        column(&charges, "montant"),
        vec![
            Value::from("120.00"),
            Value::from("-120.00"),
            Value::from("150.50")
        ]
    );
    assert_eq!(
        column(&charges, "compte"),
        vec![Value::from("616"), "616".into(), "6226".into()]
    );
    assert_eq!(
        column(&charges, "projet"),
        vec![Value::from("NET94"), "NET94".into(), "NET94".into()]
    );
    let bilan = plain_spaces(&sb.ok(&["bilan", "2017", "--format", "csv"]));
    assert!(bilan.contains("-150.50"), "{bilan}");
    let err = sb.refused(&["ecriture", "corrige", "1", "--montant", "10"], 2);
    assert!(
        err.contains("déjà contrepassée par l'écriture n° 2"),
        "{err}"
    );
    let err = sb.refused(&["ecriture", "corrige", "3", "--compte", "628=706"], 2);
    assert!(
        err.contains("le compte 628 n'est pas sur l'écriture (comptes : 6226, 512)"),
        "{err}"
    );
    let err = sb.refused(&["ecriture", "corrige", "3", "--montant", "-5"], 2);
    assert!(err.starts_with("erreur : --montant"), "{err}");
    // A change of date only.
    sb.ok(&["ecriture", "corrige", "3", "--date", "02/03/2017"]);
    let lines = sb.json(&["ecriture", "list", "--compte", "6226"]);
    assert_eq!(
        column(&lines, "date"),
        vec![
            Value::from("2017-03-01"),
            "2017-03-01".into(),
            "2017-03-02".into()
        ]
    );
}

#[test]
fn ecriture_list_filters_by_year_account_journal_and_project() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "produit",
        "add",
        "-d",
        "2017-03-01",
        "--montant",
        "1000",
        "--compte",
        "706",
        "--libelle",
        "Prestation",
        "-p",
        "NET94",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "-d",
        "2018-01-05",
        "--montant",
        "50",
        "--compte",
        "616",
        "--libelle",
        "Assurance",
        "--via",
        "530",
    ]);
    sb.ok(&[
        "ecriture",
        "add",
        "-d",
        "2017-04-01",
        "--libelle",
        "Reclassement",
        "--debit",
        "6226=10",
        "--credit",
        "616=10",
    ]);
    let nums = |args: &[&str]| -> Vec<i64> {
        let mut full = vec!["ecriture", "list"];
        full.extend(args);
        column(&sb.json(&full), "numero")
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect()
    };
    assert_eq!(nums(&[]), vec![1, 1, 3, 3, 2, 2]);
    assert_eq!(nums(&["--annee", "2017"]), vec![1, 1, 3, 3]);
    assert_eq!(nums(&["--compte", "6"]), vec![3, 3, 2]);
    assert_eq!(nums(&["--compte", "706"]), vec![1]);
    assert_eq!(nums(&["--journal", "bq"]), vec![1, 1]);
    assert_eq!(nums(&["--journal", "CA"]), vec![2, 2]);
    assert_eq!(nums(&["--journal", "OD"]), vec![3, 3]);
    assert_eq!(nums(&["--projet", "NET94"]), vec![1, 1]);
    let table = plain_spaces(&sb.ok(&["ecriture", "list", "--annee", "2017"]));
    assert!(
        table.ends_with("4 ligne(s) de 2 écriture(s) ; débits 1 010,00 €, crédits 1 010,00 €.\n"),
        "{table}"
    );
    let err = sb.refused(&["ecriture", "list", "--compte", "6 2"], 2);
    assert!(err.contains("--compte « 6 2 »"), "{err}");
}

#[test]
fn narrow_tables_never_split_a_date_or_a_figure() {
    let sb = Sandbox::with_refs();
    for d in ["2017-06-12", "2017-06-13"] {
        sb.session(&[
            "-d",
            d,
            "-p",
            "NET94",
            "-c",
            "Le Kremlin-Bicêtre",
            "-t",
            "2h30",
            "-n",
            "1234",
            "--partenaire",
            "Département du Val-de-Marne",
            "--intitule",
            "Atelier de découverte du numérique et des démarches en ligne",
        ]);
    }
    sb.ok(&[
        "produit",
        "add",
        "-d",
        "2017-03-01",
        "--montant",
        "123456,78",
        "--compte",
        "7411",
        "--libelle",
        "Subvention de fonctionnement pour les ateliers numériques",
    ]);
    for args in [
        vec!["session", "list"],
        vec!["ecriture", "list"],
        vec!["produit", "list"],
    ] {
        let out = sb.ici(&args).env("COLUMNS", "60").output().unwrap();
        common::expect_code(&out, 0, &args);
        let text = plain_spaces(&stdout(&out));
        // Eight columns with two amounts do not fit in 60: the figures win.
        if args[0] != "ecriture" {
            for line in text.lines() {
                assert!(line.chars().count() <= 60, "too wide: {line}\n{text}");
            }
        }
        let wanted: &[&str] = match args[0] {
            "session" => &["2017-06-12", "2017-06-13", "1 234", "2 h 30"],
            _ => &["2017-03-01", "123 456,78 €"],
        };
        for w in wanted {
            assert!(text.contains(w), "{w} split in:\n{text}");
        }
    }
}

#[test]
fn excel_csv_on_stats_bilan_and_lists() {
    let sb = Sandbox::with_refs();
    sb.session(&[
        "-d",
        "2017-06-12",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "-t",
        "2h30",
        "-n",
        "12",
    ]);
    sb.ok(&[
        "produit",
        "add",
        "-d",
        "2017-03-01",
        "--montant",
        "1234,5",
        "--compte",
        "706",
        "--libelle",
        "Prestation",
    ]);
    let list = sb.ok(&["session", "list", "--excel"]);
    assert_eq!(
        list,
        "\u{feff}n°;date;projet;lieu;durée;participants;partenaire;intitulé;état\r\n\
         1;2017-06-12;NET94;Villejuif;2,5;12;;;\r\n"
    );
    assert_eq!(sb.ok(&["session", "list", "--format", "excel"]), list);
    // --excel wins over --format, as on the accountant's reports.
    assert_eq!(
        sb.ok(&["session", "list", "--format", "csv", "--excel"]),
        list
    );
    let csv = sb.ok(&["session", "list", "--format", "csv"]);
    assert_eq!(
        csv,
        "n°,date,projet,lieu,durée,participants,partenaire,intitulé,état\n\
         1,2017-06-12,NET94,Villejuif,2.5,12,,,\n"
    );
    let stats = sb.ok(&["stats", "2017", "--excel"]);
    assert!(
        stats.starts_with(
            "\u{feff}rubrique;nom;sessions;participants;heures_formation;heures_stagiaires\r\ntotal;;1;12;2,5;30\r\n"
        ),
        "{stats}"
    );
    let bilan = sb.ok(&["bilan", "2017", "--excel"]);
    assert!(
        bilan.starts_with("\u{feff}rubrique;compte;libellé;montant\r\n"),
        "{bilan}"
    );
    assert!(bilan.contains(";1234,50\r\n"), "{bilan}");
    // The accountant's reports have their own --excel; --format excel means the same.
    let balance = sb.ok(&["balance", "2017", "--excel"]);
    assert!(
        balance.starts_with('\u{feff}') && balance.contains(";1234,50"),
        "{balance}"
    );
    assert_eq!(sb.ok(&["balance", "2017", "--format", "excel"]), balance);
    let produits = sb.ok(&["produit", "list", "--excel"]);
    assert_eq!(
        produits,
        "\u{feff}n°;date;compte;libellé;tiers;projet;montant\r\n1;2017-03-01;706;Prestation;;;1234,50\r\n"
    );
    for args in [
        vec!["projet", "list", "--excel"],
        vec!["partenaire", "list", "--excel"],
        vec!["ecriture", "list", "--excel"],
        vec!["participant", "list", "--excel"],
    ] {
        let out = sb.ok(&args);
        assert!(
            out.starts_with('\u{feff}') && out.contains("\r\n"),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn completions_offer_the_ledgers_project_and_partner_names() {
    let sb = Sandbox::with_refs();
    assert_eq!(
        sb.ok(&["completions", "--noms", "projets"]),
        "BP-PARIS\nNET94\n"
    );
    assert_eq!(
        sb.ok(&["completions", "--noms", "partenaires"]),
        "Département du Val-de-Marne\nPôle emploi Cachan\nVille de Villejuif\n"
    );
    for shell in ["bash", "zsh", "fish"] {
        let script = sb.ok(&["completions", shell]);
        assert!(
            script.contains("completions --noms")
                && script.contains("projets")
                && script.contains("partenaires"),
            "{shell}"
        );
    }
    // Run the bash script for real, when bash is there.
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let script = sb.file("ici.bash", sb.ok(&["completions", "bash"]));
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_ici"))
        .parent()
        .unwrap()
        .to_path_buf();
    let ledger = sb.ledger();
    let run = |words: &str, cword: usize| -> String {
        let program = format!(
            "source {script}; COMP_WORDS=({words}); COMP_CWORD={cword}; \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _ici_noms ici \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(program)
            .env("PATH", {
                let mut path = bin_dir.clone().into_os_string();
                path.push(":");
                path.push(std::env::var_os("PATH").unwrap_or_default());
                path
            })
            .env("HOME", sb.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let ledger = ledger.to_str().unwrap();
    assert_eq!(
        run(
            &format!("ici --ledger {ledger} session add --partenaire V"),
            6
        ),
        "Ville\\ de\\ Villejuif\n"
    );
    assert_eq!(
        run(&format!("ici --ledger {ledger} session add -p ''"), 6),
        "BP-PARIS\nNET94\n"
    );
    assert!(
        run(&format!("ici --ledger {ledger} session add --pro"), 5).contains("--projet"),
        "the options still complete"
    );
}
