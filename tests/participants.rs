//! End-to-end tests of identified participants: the register under pseudonymous codes,
//! attendance mixing named and anonymous people, counts of people rather than of
//! headcounts, profiles counted per person, exits against targets, the FSE export and
//! its one-day rule, erasure down to the file's bytes, the 2017 fixture, and the
//! migration of an older ledger. Each test drives the real binary (see `common`).

mod common;

use common::*;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// `participant add FLAGS…` and the code it gave.
fn add_person(sb: &Sandbox, flags: &[&str]) -> String {
    let mut args = vec!["participant", "add"];
    args.extend(flags);
    let out = sb.ok(&args);
    let rest = out
        .strip_prefix("Participant ")
        .unwrap_or_else(|| panic!("no « Participant » at the start of:\n{out}"));
    rest.split(' ').next().unwrap().to_string()
}

/// A NET94 session in Villejuif on `date`, 3 h long, with extra flags.
fn session_on(sb: &Sandbox, date: &str, flags: &[&str]) -> i64 {
    let mut args = vec![
        "--date",
        date,
        "--projet",
        "NET94",
        "--commune",
        "Villejuif",
        "--duree",
        "3h",
    ];
    args.extend(flags);
    sb.session(&args)
}

fn stats(sb: &Sandbox, year: &str) -> Value {
    sb.json(&["stats", year])
}

/// The count of `code` in the profile breakdown `cle` of a stats JSON.
fn profile_count(s: &Value, cle: &str, code: &str) -> i64 {
    s["profils"][cle]
        .as_array()
        .unwrap_or_else(|| panic!("no profils.{cle} in {}", s["profils"]))
        .iter()
        .find(|v| v["code"] == json!(code))
        .unwrap_or_else(|| panic!("no {code} in profils.{cle}: {}", s["profils"][cle]))["personnes"]
        .as_i64()
        .unwrap()
}

fn resultat<'a>(s: &'a Value, projet: &str) -> &'a Value {
    s["resultats_par_projet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["projet"] == json!(projet))
        .unwrap_or_else(|| panic!("no {projet} in {}", s["resultats_par_projet"]))
}

#[test]
fn a_person_attending_five_sessions_is_counted_once() {
    let sb = Sandbox::with_refs();
    let code = add_person(&sb, &["--sexe", "f"]);
    assert_eq!(code, "P-0001");
    for day in [
        "2017-03-01",
        "2017-03-08",
        "2017-03-15",
        "2017-03-22",
        "2017-03-29",
    ] {
        session_on(&sb, day, &["--presents", "P-0001"]);
    }
    let s = stats(&sb, "2017");
    assert_eq!(s["sessions"], json!(5));
    assert_eq!(
        s["personnes_formees"],
        json!(1),
        "one person, five sessions"
    );
    assert_eq!(s["participations"], json!(5));
    assert_eq!(s["personnes_nommees"], json!(1));
    assert_eq!(s["personnes_anonymes"], json!(0));
    assert_eq!(num(&s["heures_formation"]), 15.0);
    assert_eq!(num(&s["heures_stagiaires"]), 15.0);
    assert_eq!(
        (s["nouveaux"].clone(), s["deja_venus"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(
        s["publics"]["femmes"],
        json!(1),
        "counted once, not five times"
    );

    // Back the next year: not new any more.
    session_on(&sb, "2018-01-10", &["--presents", "p1"]);
    let s = stats(&sb, "2018");
    assert_eq!(
        (s["nouveaux"].clone(), s["deja_venus"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(s["personnes_formees"], json!(1));

    let table = plain_spaces(&sb.ok(&["stats", "2017"]));
    assert!(table.contains("Participations"), "{table}");
    assert!(
        table.contains("compte une fois chaque personne nommée"),
        "the count of people is footnoted:\n{table}"
    );
}

#[test]
fn named_and_anonymous_people_mix_in_one_session_and_across_sessions() {
    let sb = Sandbox::with_refs();
    for _ in 0..3 {
        add_person(&sb, &[]);
    }
    // 2 named + 3 anonymous, one of the named there for 1 h 30 only.
    let a = session_on(
        &sb,
        "2017-04-03",
        &[
            "--presents",
            "P-0001,P-0002:1h30",
            "--anonymes",
            "3",
            "--femmes",
            "2",
        ],
    );
    // A headcount and one named person: 3 anonymous.
    let b = session_on(
        &sb,
        "2017-04-10",
        &["--participants", "4", "--presents", "P-0001"],
    );
    // All three given and consistent.
    let c = session_on(
        &sb,
        "2017-04-17",
        &[
            "--participants",
            "3",
            "--presents",
            "P-0003",
            "--anonymes",
            "2",
        ],
    );
    // A headcount only: fully anonymous, as sessions always were.
    let d = session_on(&sb, "2017-04-24", &["--participants", "6"]);
    let list = sb.json(&["session", "list"]);
    let got: Vec<(i64, i64, i64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["participants"].as_i64().unwrap(),
                s["nommes"].as_i64().unwrap(),
                s["anonymes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [(5, 2, 3), (4, 1, 3), (3, 1, 2), (6, 0, 6)]);
    assert_eq!([a, b, c, d], [1, 2, 3, 4]);

    let s = stats(&sb, "2017");
    assert_eq!(s["personnes_nommees"], json!(3));
    assert_eq!(s["personnes_anonymes"], json!(3 + 3 + 2 + 6));
    assert_eq!(s["personnes_formees"], json!(3 + 14));
    assert_eq!(s["participations"], json!(5 + 4 + 3 + 6));
    assert_eq!(
        num(&s["heures_stagiaires"]),
        4.0 * 3.0 + 1.5 + 4.0 * 3.0 + 3.0 * 3.0 + 6.0 * 3.0,
        "P-0002 counts the 1 h 30 they stayed"
    );
    assert_eq!(s["par_projet"][0]["participants"], json!(18));

    // Numbers that do not add up are refused, and nothing is written.
    for (flags, says) in [
        (
            vec![
                "--participants",
                "5",
                "--presents",
                "P-0001",
                "--anonymes",
                "3",
            ],
            "--participants : « 5 » ne fait pas 1 présent(s) nommé(s) + 3 anonyme(s)",
        ),
        (
            vec!["--participants", "1", "--presents", "P-0001,P-0002"],
            "--participants : « 1 » : moins que les 2 présents nommés",
        ),
        (
            vec!["--presents", "P-0001", "--anonymes", "1", "--femmes", "2"],
            "--femmes : « 2 » dépasse le nombre de participants anonymes (1)",
        ),
        (
            vec!["--presents", "P-0001,P-0001"],
            "--presents : P-0001 figure deux fois",
        ),
        (
            vec!["--presents", "P-0001:4h"],
            "--presents : P-0001 présent 4 h, plus que la durée de la session (3 h)",
        ),
        (
            vec!["--anonymes", "0"],
            "--anonymes : « 0 » et aucun présent nommé",
        ),
    ] {
        let mut args = vec![
            "session",
            "add",
            "--date",
            "2017-05-02",
            "--projet",
            "NET94",
            "--commune",
            "Villejuif",
            "--duree",
            "3h",
        ];
        args.extend(&flags);
        let err = sb.refused(&args, 2);
        assert!(
            err.starts_with(&format!("erreur : {says}")),
            "{}: {err}",
            show(&flags)
        );
    }
}

#[test]
fn profile_breakdowns_count_each_person_once() {
    let sb = Sandbox::with_refs();
    add_person(
        &sb,
        &[
            "--sexe",
            "f",
            "--naissance",
            "1999",
            "--qpv",
            "oui",
            "--mission-locale",
            "oui",
            "--statut",
            "demandeur-emploi",
            "--diplome",
            "3-4",
            "--commune",
            "Romainville",
            "--prescripteur",
            "Ville de Villejuif",
        ],
    );
    add_person(
        &sb,
        &[
            "--sexe",
            "h",
            "--naissance",
            "1960",
            "--qpv",
            "non",
            "--rsa",
            "oui",
        ],
    );
    for day in ["2017-02-06", "2017-02-13", "2017-02-20"] {
        session_on(&sb, day, &["--presents", "P-0001,P-0002"]);
    }
    // An anonymous session: 2 women among 4.
    session_on(&sb, "2017-02-27", &["--participants", "4", "--femmes", "2"]);

    let s = stats(&sb, "2017");
    assert_eq!(s["personnes_formees"], json!(2 + 4));
    assert_eq!(s["participations"], json!(6 + 4));
    for (public, n, known) in [
        ("femmes", 1 + 2, 2 + 4),
        ("qpv", 1, 2),
        ("jeunes_ml", 1, 1),
        ("demandeurs_emploi", 1, 1),
        ("rsa", 1, 1),
    ] {
        assert_eq!(s["publics"][public], json!(n), "publics.{public}");
        assert_eq!(
            s["publics_renseignes"][public],
            json!(known),
            "publics_renseignes.{public}"
        );
    }
    assert_eq!(profile_count(&s, "sexe", "f"), 1);
    assert_eq!(profile_count(&s, "sexe", "h"), 1);
    assert_eq!(profile_count(&s, "sexe", "nc"), 0);
    assert_eq!(profile_count(&s, "tranche_age", "18-24"), 1);
    assert_eq!(profile_count(&s, "tranche_age", "40-59"), 1, "57 in 2017");
    assert_eq!(profile_count(&s, "statut", "demandeur-emploi"), 1);
    assert_eq!(
        profile_count(&s, "statut", "nc"),
        1,
        "never asked counts as nc"
    );
    assert_eq!(profile_count(&s, "diplome", "3-4"), 1);
    assert_eq!(profile_count(&s, "rsa", "oui"), 1);
    assert_eq!(profile_count(&s, "residence", "93063"), 1);
    assert_eq!(profile_count(&s, "prescripteur", "Ville de Villejuif"), 1);

    let table = plain_spaces(&sb.ok(&["stats", "2017"]));
    assert!(table.contains("Profils des 2 personnes nommées"), "{table}");
    assert!(table.contains("Femmes"), "{table}");
}

#[test]
fn an_unknown_code_is_refused_with_the_nearest_codes_and_nothing_written() {
    let sb = Sandbox::with_refs();
    for _ in 0..3 {
        add_person(&sb, &[]);
    }
    add_person(&sb, &["--code", "P-0010"]);
    session_on(
        &sb,
        "2017-06-01",
        &["--presents", "P-0001", "--anonymes", "3"],
    );

    let err = sb.refused(
        &[
            "session",
            "add",
            "--date",
            "2017-06-02",
            "--projet",
            "NET94",
            "--commune",
            "Villejuif",
            "--duree",
            "3h",
            "--presents",
            "P-0001,P-0011",
        ],
        2,
    );
    assert!(
        err.starts_with("erreur : --presents : participant P-0011 inconnu (vouliez-vous dire « P-0010 », « P-0001 » ?)"),
        "{err}"
    );
    assert!(err.contains("ici participant add"), "{err}");
    for bad in ["Dupont", "P-0000"] {
        let err = sb.refused(
            &[
                "session",
                "add",
                "--date",
                "2017-06-02",
                "--projet",
                "NET94",
                "--commune",
                "Villejuif",
                "--duree",
                "3h",
                "--presents",
                bad,
            ],
            2,
        );
        assert!(err.contains(&format!("code « {bad} » invalide")), "{err}");
    }
    // A taken code, an unknown prescriber, a bad value: refused too.
    sb.refused(&["participant", "add", "--code", "P-0010"], 2);
    let err = sb.refused(
        &[
            "participant",
            "add",
            "--prescripteur",
            "Ville de Villejuiff",
        ],
        2,
    );
    assert!(err.contains("« Ville de Villejuif »"), "{err}");
    let err = sb.refused(&["participant", "add", "--sexe", "x"], 2);
    assert!(
        err.starts_with("erreur : --sexe : « x » inconnu : valeurs possibles f, h, nc"),
        "{err}"
    );
    let err = sb.refused(&["participant", "show", "P-0004"], 2);
    assert!(err.contains("participant P-0004 inconnu"), "{err}");

    // An attendance sheet with one unknown code is refused whole.
    let sheet = sb.file(
        "feuille.csv",
        "session;code\n1;P-0002\n1;P-0003\n1;P-0033\n",
    );
    let err = sb.refused(&["import", "presences", &sheet], 2);
    assert!(
        err.contains("ligne 4, colonne « code » (valeur « P-0033 »)"),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
    assert_eq!(sb.json(&["session", "list"])[0]["nommes"], json!(1));
}

#[test]
fn attendance_sheets_name_people_among_the_headcount() {
    let sb = Sandbox::with_refs();
    let people = sb.file(
        "participants.csv",
        "code;sexe;naissance;statut;commune;prescripteur\nP-0007;f;1998;demandeur-emploi;93005;Département du Val-de-Marne\n;h;;;;\n;;;nc;Villejuif;\n",
    );
    assert_eq!(
        sb.ok(&["import", "participants", &people]),
        format!(
            "3 participant(s) ajouté(s) depuis {people}, 0 déjà au registre (rien n'y est changé).\nCode de chaque ligne :\n  ligne 2 → P-0007 : ajouté\n  ligne 3 → P-0008 : ajouté\n  ligne 4 → P-0009 : ajouté\n"
        )
    );
    let list = sb.json(&["participant", "list"]);
    assert_eq!(
        column(&list, "code"),
        [json!("P-0007"), json!("P-0008"), json!("P-0009")]
    );
    assert_eq!(list[0]["code_insee_residence"], json!("93005"));

    // 6 anonymous, 3 of them women; then a second session the same day elsewhere.
    session_on(&sb, "2017-09-04", &["--participants", "6", "--femmes", "3"]);
    session_on(&sb, "2017-09-05", &["--participants", "2"]);
    sb.session(&[
        "--date",
        "2017-09-05",
        "--projet",
        "NET94",
        "--commune",
        "Cachan",
        "--duree",
        "2h",
        "--participants",
        "3",
    ]);
    let sheet = sb.file(
        "feuille.csv",
        "date;projet;code;duree\n04/09/2017;NET94;P-0007;\n2017-09-04;net94;P-0008;1h30\n",
    );
    assert_eq!(
        sb.ok(&["import", "presences", &sheet]),
        format!("2 présence(s) importée(s) depuis {sheet} : 2 personne(s), 1 session(s).\n")
    );
    let s = &sb.json(&["session", "list"])[0];
    assert_eq!(
        (
            s["participants"].clone(),
            s["nommes"].clone(),
            s["anonymes"].clone()
        ),
        (json!(6), json!(2), json!(4))
    );
    let st = stats(&sb, "2017");
    assert_eq!(st["personnes_formees"], json!(2 + 4 + 2 + 3));
    assert_eq!(
        num(&st["heures_stagiaires"]),
        4.0 * 3.0 + 3.0 + 1.5 + 2.0 * 3.0 + 3.0 * 2.0
    );

    // Two NET94 sessions on the 5th: the sheet must say which.
    let sheet = sb.file("ambigu.csv", "date;projet;code\n2017-09-05;NET94;P-0009\n");
    let err = sb.refused(&["import", "presences", &sheet], 2);
    assert!(
        err.contains("2 sessions NET94 le 2017-09-05 (n° 2, n° 3)"),
        "{err}"
    );
    assert!(err.contains("colonne « session »"), "{err}");

    // Naming a fourth person would leave 2 anonymous, fewer than the 2 women recorded
    // among them plus… no: 3 anonymous would remain after P-0009, then 2 after another.
    let sheet = sb.file("trop.csv", "session;code\n2;P-0007\n2;P-0008\n2;P-0009\n");
    let err = sb.refused(&["import", "presences", &sheet], 2);
    assert!(err.contains("ligne 4"), "{err}");
    assert!(
        err.contains("compte 2 participant(s), tous déjà nommés"),
        "{err}"
    );

    // Naming P-0007, a woman, took her out of the recorded women (3 → 2). On
    // session 1, 4 anonymous remain and 2 of them are women: naming three more would
    // leave 1, fewer than the 2 recorded.
    let sheet = sb.file("femmes.csv", "session;code\n1;P-0009\n");
    sb.ok(&["import", "presences", &sheet]);
    add_person(&sb, &[]);
    add_person(&sb, &[]);
    let sheet = sb.file("femmes2.csv", "session;code\n1;P-0010\n1;P-0011\n");
    let err = sb.refused(&["import", "presences", &sheet], 2);
    assert!(
        err.contains(
            "nommer P-0011 ne laisserait que 1 participant(s) anonyme(s) à la session n° 1"
        ),
        "{err}"
    );
    assert!(err.contains("`ici session corrige 1 --femmes …`"), "{err}");
    // The correction the message names, then the sheet goes in.
    let out = sb.ok(&["session", "corrige", "1", "--femmes", "nc"]);
    assert!(out.contains("femmes non renseigné"), "{out}");
    sb.ok(&["import", "presences", &sheet]);
    let s = &sb.json(&["session", "list"])[0];
    assert_eq!(
        (
            s["nommes"].clone(),
            s["anonymes"].clone(),
            s["femmes"].clone()
        ),
        (json!(5), json!(1), Value::Null)
    );
    let err = sb.refused(&["session", "corrige", "1", "--femmes", "2"], 2);
    assert!(
        err.starts_with("erreur : --femmes : « 2 » dépasse les 1 participant(s) anonyme(s)"),
        "{err}"
    );
}

#[test]
fn exits_give_outcome_rates_against_the_targets() {
    let sb = Sandbox::with_refs();
    let situations = [
        "emploi-durable",
        "formation-qualifiante",
        "creation-activite",
        "emploi-court",
        "abandon",
    ];
    for _ in 0..6 {
        add_person(&sb, &[]);
    }
    session_on(
        &sb,
        "2017-10-02",
        &[
            "--presents",
            "P-0001,P-0002,P-0003,P-0004,P-0005,P-0006",
            "--anonymes",
            "2",
        ],
    );
    session_on(
        &sb,
        "2017-10-09",
        &["--presents", "P-0001,P-0002,P-0003,P-0004,P-0005"],
    );
    for (i, situation) in situations.iter().enumerate() {
        let code = format!("P-000{}", i + 1);
        let out = sb.ok(&[
            "participant",
            "sortie",
            &code,
            "--date",
            "2017-12-15",
            "--situation",
            situation,
        ]);
        assert!(
            out.starts_with(&format!("Sortie de {code} (NET94) le 2017-12-15 : ")),
            "{out}"
        );
    }
    let out = sb.ok(&[
        "projet",
        "objectif",
        "NET94",
        "--participants",
        "10",
        "--sorties-positives",
        "60%",
    ]);
    assert_eq!(
        out,
        "Objectifs de NET94 : 10 personne(s) formée(s) dans l'année, 60 % de sorties positives.\n"
    );

    let r = resultat(&stats(&sb, "2017"), "NET94").clone();
    assert_eq!(r["personnes"], json!(6 + 2));
    assert_eq!(r["personnes_nommees"], json!(6));
    assert_eq!(r["sorties"], json!(5));
    assert_eq!(r["sorties_positives"], json!(3));
    assert_eq!(r["sans_sortie"], json!(1));
    assert_eq!(num(&r["taux_sorties_positives"]), 60.0);
    assert_eq!(num(&r["objectif_sorties_positives"]), 60.0);
    assert_eq!(r["objectif_sorties_positives_atteint"], json!(true));
    assert_eq!(r["objectif_personnes"], json!(10));
    assert_eq!(r["objectif_personnes_atteint"], json!(false));
    assert_eq!(r["situations"]["emploi-court"], json!(1));

    // A later exit replaces the first; the rate follows: 2 of 5.
    let out = sb.ok(&[
        "participant",
        "sortie",
        "P-0003",
        "--date",
        "2018-01-10",
        "--situation",
        "recherche-emploi",
    ]);
    assert!(
        out.contains("Elle remplace la sortie notée le 2017-12-15 : création d'activité."),
        "{out}"
    );
    let r = resultat(&stats(&sb, "2017"), "NET94").clone();
    assert_eq!(num(&r["taux_sorties_positives"]), 40.0);
    assert_eq!(r["objectif_sorties_positives_atteint"], json!(false));
    let table = plain_spaces(&sb.ok(&["stats", "2017"]));
    assert!(
        table.contains("40 %") && table.contains("non atteint"),
        "{table}"
    );

    // Refusals: a second project makes --projet necessary; no exit before entry; an
    // unknown situation; a project the person never attended.
    sb.session(&[
        "--date",
        "2017-10-20",
        "--projet",
        "BP-PARIS",
        "--commune",
        "Paris 18e",
        "--duree",
        "2h",
        "--presents",
        "P-0006",
    ]);
    let err = sb.refused(
        &[
            "participant",
            "sortie",
            "P-0006",
            "--date",
            "2017-12-01",
            "--situation",
            "abandon",
        ],
        2,
    );
    assert!(
        err.starts_with("erreur : --projet : P-0006 a suivi plusieurs projets (BP-PARIS, NET94)"),
        "{err}"
    );
    let err = sb.refused(
        &[
            "participant",
            "sortie",
            "P-0006",
            "--projet",
            "BP-PARIS",
            "--date",
            "2017-10-19",
            "--situation",
            "abandon",
        ],
        2,
    );
    assert!(
        err.contains("avant la première présence de P-0006 à BP-PARIS (2017-10-20)"),
        "{err}"
    );
    let err = sb.refused(
        &[
            "participant",
            "sortie",
            "P-0001",
            "--date",
            "2017-12-01",
            "--situation",
            "stage",
        ],
        2,
    );
    assert!(
        err.starts_with("erreur : --situation : « stage » inconnu"),
        "{err}"
    );
    let err = sb.refused(
        &[
            "participant",
            "sortie",
            "P-0001",
            "--projet",
            "BP-PARIS",
            "--date",
            "2017-12-01",
            "--situation",
            "abandon",
        ],
        2,
    );
    assert!(
        err.contains("P-0001 n'a assisté à aucune session de BP-PARIS (ses projets : NET94)"),
        "{err}"
    );
    let err = sb.refused(
        &["projet", "objectif", "NET94", "--sorties-positives", "160%"],
        2,
    );
    assert!(err.contains("160%"), "{err}");
}

#[test]
fn fse_export_has_one_row_per_participant_and_marks_one_day_or_less() {
    let sb = Sandbox::with_refs();
    add_person(
        &sb,
        &[
            "--sexe",
            "f",
            "--naissance",
            "1990",
            "--statut",
            "demandeur-emploi-longue-duree",
            "--diplome",
            "3-4",
            "--qpv",
            "oui",
            "--rsa",
            "oui",
            "--handicap",
            "non",
            "--nom",
            "Testeuse",
            "--prenom",
            "Fictive",
            "--courriel",
            "fictive@exemple.invalid",
        ],
    );
    add_person(
        &sb,
        &[
            "--sexe",
            "h",
            "--naissance",
            "2001",
            "--statut",
            "scolarise",
        ],
    );
    add_person(&sb, &["--naissance", "1958", "--statut", "en-emploi"]);
    // P-0001 three days (one of them cut short); P-0002 two sessions on one day;
    // P-0003 one day in 2017 and one in 2016: two days of the operation.
    session_on(&sb, "2016-11-07", &["--presents", "P-0003"]);
    session_on(&sb, "2017-01-09", &["--presents", "P-0001,P-0002,P-0003"]);
    sb.session(&[
        "--date",
        "2017-01-09",
        "--projet",
        "NET94",
        "--commune",
        "Cachan",
        "--duree",
        "2h",
        "--presents",
        "P-0002",
    ]);
    session_on(&sb, "2017-01-16", &["--presents", "P-0001:1h30"]);
    session_on(
        &sb,
        "2017-01-23",
        &["--presents", "P-0001", "--anonymes", "4"],
    );
    // Another project does not show.
    sb.session(&[
        "--date",
        "2017-02-01",
        "--projet",
        "BP-PARIS",
        "--commune",
        "Paris",
        "--duree",
        "2h",
        "--presents",
        "P-0002",
    ]);
    sb.ok(&[
        "participant",
        "sortie",
        "P-0001",
        "--projet",
        "NET94",
        "--date",
        "2017-03-01",
        "--situation",
        "emploi-durable",
    ]);

    let out = sb.ok(&["export", "fse", "--projet", "NET94", "--annee", "2017"]);
    let want = "code,sexe,tranche_age,statut_emploi,niveau_diplome,qpv,rsa_minima_sociaux,handicap,date_entree,derniere_presence,jours_presence,heures_suivies,date_sortie,situation_sortie,participant_fse,motif\n\
        P-0001,f,18-29,chomeur-longue-duree,3-4,oui,oui,non,2017-01-09,2017-01-23,3,7.5,2017-03-01,emploi-durable,oui,\n\
        P-0002,h,moins-18,inactif,nc,nc,nc,nc,2017-01-09,2017-01-09,1,5,,,non,une journée de participation ou moins\n\
        P-0003,nc,55-plus,emploi,nc,nc,nc,nc,2016-11-07,2017-01-09,2,3,,,oui,\n";
    assert_eq!(out, want);
    assert!(
        !out.contains("Testeuse") && !out.contains("exemple.invalid"),
        "identity exported"
    );

    // With --avec-identite, the names come after the code; for Excel, « ; » and a BOM.
    let out = sb
        .ici(&[
            "export",
            "fse",
            "--projet",
            "NET94",
            "--annee",
            "2017",
            "--avec-identite",
            "--excel",
        ])
        .output()
        .unwrap();
    expect_code(&out, 0, &["export", "fse"]);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}code;nom;prenom;telephone;courriel;sexe;tranche_age;statut_emploi;niveau_diplome;qpv;rsa_minima_sociaux;handicap;date_entree;derniere_presence;jours_presence;heures_suivies;date_sortie;situation_sortie;participant_fse;motif"
    );
    assert_eq!(
        lines.next().unwrap(),
        "P-0001;Testeuse;Fictive;;fictive@exemple.invalid;f;18-29;chomeur-longue-duree;3-4;oui;oui;non;2017-01-09;2017-01-23;3;7,5;2017-03-01;emploi-durable;oui;"
    );

    // The whole operation, without --annee: P-0003's 2016 hours count.
    let out = sb.ok(&["export", "fse", "--projet", "NET94"]);
    assert!(
        out.contains("\nP-0003,nc,55-plus,emploi,nc,nc,nc,nc,2016-11-07,2017-01-09,2,6,,,oui,\n"),
        "{out}"
    );

    let err = sb.refused(&["export", "fse", "--annee", "2017"], 2);
    assert!(err.contains("indiquez le projet avec --projet"), "{err}");
    let err = sb.refused(&["export", "sessions", "--avec-identite"], 2);
    assert!(
        err.contains("--avec-identite ne vaut que pour `ici export fse`"),
        "{err}"
    );
}

/// Everything of a ledger on disk: the file and its write-ahead log.
fn ledger_bytes(ledger: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(ledger).unwrap();
    let mut wal = ledger.as_os_str().to_owned();
    wal.push("-wal");
    if let Ok(w) = std::fs::read(std::path::PathBuf::from(wal)) {
        bytes.extend(w);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn erasure_keeps_the_figures_and_removes_the_person_down_to_the_file_bytes() {
    let sb = Sandbox::with_refs();
    // A connection held open the whole time, as another user's `ici` could: the log
    // (-wal) then outlives each command, and old page images could linger in it.
    let watcher = rusqlite::Connection::open(sb.ledger()).unwrap();
    watcher
        .query_row("SELECT count(*) FROM projet", [], |r| r.get::<_, i64>(0))
        .unwrap();

    const NOM: &str = "Zorglubovna";
    const PRENOM: &str = "Kassandrine";
    const TELEPHONE: &str = "0699887766";
    add_person(
        &sb,
        &[
            "--nom",
            NOM,
            "--prenom",
            PRENOM,
            "--telephone",
            TELEPHONE,
            "--sexe",
            "f",
            "--naissance",
            "1987",
            "--commune",
            "Villejuif",
            "--prescripteur",
            "Pôle emploi Cachan",
        ],
    );
    add_person(&sb, &["--nom", "Autre"]);
    for day in ["2017-05-02", "2017-05-09", "2017-05-16"] {
        session_on(
            &sb,
            day,
            &["--presents", "P-0001,P-0002", "--anonymes", "1"],
        );
    }
    sb.ok(&[
        "participant",
        "sortie",
        "P-0001",
        "--date",
        "2017-06-01",
        "--situation",
        "emploi-durable",
    ]);
    let listed = sb.ok(&["participant", "list", "--avec-identite", "--format", "csv"]);
    assert!(listed.contains(NOM), "{listed}");
    assert!(
        !sb.ok(&["participant", "list", "--format", "csv"])
            .contains(NOM),
        "identity without --avec-identite"
    );
    let shown = sb.ok(&["participant", "show", "P-0001"]);
    assert!(
        !shown.contains(NOM) && shown.contains("--avec-identite"),
        "{shown}"
    );
    assert!(
        sb.ok(&["participant", "show", "P-0001", "--avec-identite"])
            .contains(NOM)
    );
    let before = stats(&sb, "2017");
    assert!(
        contains(&ledger_bytes(&sb.ledger()), NOM),
        "the name is in the file before"
    );

    let out = sb.ok(&["participant", "oublie", "P-0001", "--oui"]);
    assert!(out.starts_with("P-0001 effacé à sa demande"), "{out}");
    assert!(out.contains("Ses 3 présence(s) restent comptées"), "{out}");

    let after = stats(&sb, "2017");
    for key in [
        "personnes_formees",
        "participations",
        "heures_stagiaires",
        "heures_formation",
        "personnes_nommees",
        "sessions",
    ] {
        assert_eq!(after[key], before[key], "{key} changed with the erasure");
    }
    assert_eq!(after["personnes_formees"], json!(2 + 3));
    // The profile is gone (counted as unknown now); the exit stays, as a situation
    // and a year only, so that the project's outcome rate does not move.
    assert_eq!(profile_count(&after, "sexe", "f"), 0);
    assert_eq!(profile_count(&after, "sexe", "nc"), 2);
    assert_eq!(
        resultat(&after, "NET94")["sorties"],
        resultat(&before, "NET94")["sorties"]
    );

    // Not by its old code, not in any list or export.
    let err = sb.refused(&["participant", "show", "P-0001"], 2);
    assert!(err.contains("participant P-0001 inconnu"), "{err}");
    let list = sb.json(&["participant", "list", "--avec-identite"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let opaque = list[1]["code"].as_str().unwrap().to_string();
    assert!(opaque.starts_with("X-"), "{list}");
    assert_eq!(list[1]["sessions"], json!(3));
    assert_eq!(list[1]["identite"]["nom"], Value::Null);
    let fse = sb.ok(&["export", "fse", "--projet", "NET94", "--avec-identite"]);
    assert!(
        fse.contains(&format!(
            "\n{opaque},,,,,nc,nc,nc,nc,nc,nc,nc,2017-05-02,2017-05-16,3,9,,,non,données effacées"
        )),
        "{fse}"
    );
    let table = sb.ok(&["participant", "list"]);
    assert!(
        table.contains("1 personne(s) effacée(s) à leur demande"),
        "{table}"
    );
    // The opaque code can be looked at, not changed or erased again.
    sb.refused(&["participant", "corrige", &opaque, "--sexe", "f"], 2);
    sb.refused(&["participant", "oublie", &opaque], 2);
    // A new person never gets the erased code back.
    assert_eq!(add_person(&sb, &[]), "P-0003");

    // Nothing of the person is left in the bytes: not in the file, not in the log.
    let bytes = ledger_bytes(&sb.ledger());
    for gone in [NOM, PRENOM, TELEPHONE, "P-0001"] {
        assert!(
            !contains(&bytes, gone),
            "« {gone} » is still in the ledger's bytes"
        );
    }
    assert!(
        contains(&bytes, "Autre"),
        "the other person's identity is kept"
    );
    let mode = std::fs::metadata(sb.ledger()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    drop(watcher);
}

#[test]
fn the_2017_fixture_counts_people_not_headcounts() {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--format", "json"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo"]);
    let demo: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &demo["stats"];
    assert_eq!(s["personnes_formees"], json!(831));
    assert_eq!(num(&s["heures_formation"]), 1143.0);
    assert_eq!(s["villes"].as_array().map(Vec::len), Some(10));
    assert_eq!(s["partenaires"].as_array().map(Vec::len), Some(24));
    assert_eq!(s["personnes_nommees"], json!(40));
    assert_eq!(s["personnes_anonymes"], json!(791));
    assert_eq!(
        s["participations"],
        json!(1043),
        "named people come to several sessions"
    );
    let med = resultat(s, "MEDNUM94");
    assert_eq!(med["personnes_nommees"], json!(14));
    assert_eq!(med["sorties"], json!(14));
    assert_eq!(med["sorties_positives"], json!(9));
    assert_eq!(num(&med["taux_sorties_positives"]), 64.3);
    assert_eq!(num(&med["objectif_sorties_positives"]), 60.0);
    assert_eq!(med["objectif_sorties_positives_atteint"], json!(true));
    let gj = resultat(s, "DEN-AULNAY");
    assert_eq!(
        gj["personnes_nommees"],
        json!(13),
        "two Garantie jeunes cohorts"
    );

    // The bundled people have codes and profiles, never names.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/2017");
    let header = std::fs::read_to_string(fixtures.join("participants.csv")).unwrap();
    let header = header.lines().next().unwrap();
    for identity in ["nom", "prenom", "telephone", "courriel"] {
        assert!(!header.split(';').any(|c| c == identity), "{header}");
    }

    // The FSE file of #MedNum94: one trainee came to the first day only.
    let sb = Sandbox::new();
    for kind in [
        "projets",
        "partenaires",
        "participants",
        "sessions",
        "presences",
        "sorties",
    ] {
        let file = fixtures.join(format!("{kind}.csv"));
        sb.ok(&["import", kind, file.to_str().unwrap()]);
    }
    let fse = sb.ok(&["export", "fse", "--projet", "MEDNUM94", "--annee", "2017"]);
    let rows: Vec<&str> = fse.lines().skip(1).collect();
    assert_eq!(rows.len(), 14);
    // participant_fse is the next-to-last column.
    let non: Vec<&str> = rows
        .iter()
        .filter(|r| r.rsplit(',').nth(1) == Some("non"))
        .copied()
        .collect();
    assert_eq!(non.len(), 1, "{fse}");
    assert!(
        non[0].starts_with("P-0013,")
            && non[0].ends_with(",non,une journée de participation ou moins"),
        "{fse}"
    );
}

#[test]
fn a_schema_3_ledger_migrates_with_its_sessions_anonymous() {
    let sb = Sandbox::with_refs();
    session_on(
        &sb,
        "2017-03-01",
        &["--participants", "12", "--femmes", "7"],
    );
    session_on(&sb, "2017-03-08", &["--participants", "5"]);
    // Back to what an `ici` of schema 3 wrote: the participants' tables did not exist.
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    conn.execute_batch(&common::undo_migrations_after(9))
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER presence_dans_effectif;
         DROP TABLE effacement; DROP TABLE objectif; DROP TABLE sortie; DROP TABLE presence;
         DROP TABLE participant_identite; DROP TABLE participant_compteur; DROP TABLE participant;
         DROP TABLE code_retire; DROP TABLE import_fichier;
         DROP TABLE cloture_empreinte; DROP TABLE export_journal;
         DROP TABLE parametre; DROP INDEX session_commune; DROP TABLE code_fusionne;
         DROP TABLE session_correction; DROP INDEX session_cree_le;
         DROP TABLE ligne_detail; DROP TABLE ecriture_journal; DROP TABLE tiers;
         PRAGMA user_version = 3;",
    )
    .unwrap();
    conn.close().unwrap();

    let s = stats(&sb, "2017");
    assert_eq!(
        s["personnes_formees"],
        json!(17),
        "every headcount is anonymous people"
    );
    assert_eq!(s["participations"], json!(17));
    assert_eq!(s["personnes_nommees"], json!(0));
    assert_eq!(s["publics"]["femmes"], json!(7));
    assert_eq!(num(&s["heures_stagiaires"]), 17.0 * 3.0);
    let list = sb.json(&["session", "list"]);
    assert_eq!(column(&list, "nommes"), [json!(0), json!(0)]);
    assert_eq!(column(&list, "anonymes"), [json!(12), json!(5)]);
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, ici::db::SCHEMA_VERSION);
    drop(conn);
    // And the register works on the migrated ledger.
    assert_eq!(add_person(&sb, &[]), "P-0001");
    session_on(&sb, "2017-03-15", &["--presents", "P-0001"]);
    assert_eq!(stats(&sb, "2017")["personnes_formees"], json!(18));
}

#[test]
fn corrige_changes_or_empties_profile_and_identity() {
    let sb = Sandbox::with_refs();
    add_person(&sb, &["--sexe", "f", "--qpv", "oui", "--nom", "Essai"]);
    let out = sb.ok(&[
        "participant",
        "corrige",
        "P-0001",
        "--qpv",
        "",
        "--naissance",
        "1994",
        "--nom",
        "",
    ]);
    assert!(out.starts_with("Participant P-0001 corrigé.\n"), "{out}");
    let p = &sb.json(&["participant", "list", "--avec-identite"])[0];
    assert_eq!(p["sexe"], json!("f"));
    assert_eq!(p["qpv"], Value::Null);
    assert_eq!(p["annee_naissance"], json!(1994));
    assert_eq!(p["identite"]["nom"], Value::Null);
    let shown = sb.ok(&["participant", "show", "P-0001"]);
    assert!(shown.contains("Identité : aucune enregistrée."), "{shown}");
    let err = sb.refused(&["participant", "corrige", "P-0001"], 2);
    assert!(err.contains("rien à corriger"), "{err}");
    let err = sb.refused(
        &["participant", "corrige", "P-0001", "--naissance", "1850"],
        2,
    );
    assert!(
        err.starts_with("erreur : --naissance : année de naissance « 1850 » invalide"),
        "{err}"
    );
}

/// A woman named after the session was recorded leaves its count of anonymous women:
/// she is counted once, from her profile.
#[test]
fn naming_someone_after_the_session_does_not_count_her_twice() {
    let sb = Sandbox::with_refs();
    let people = sb.file("p.csv", "code;sexe\nP-0001;f\n");
    sb.ok(&["import", "participants", &people]);
    session_on(
        &sb,
        "2017-03-01",
        &["--participants", "10", "--femmes", "5"],
    );
    assert_eq!(stats(&sb, "2017")["publics"]["femmes"], json!(5));
    let sheet = sb.file("feuille.csv", "session;code\n1;P-0001\n");
    sb.ok(&["import", "presences", &sheet]);
    assert_eq!(stats(&sb, "2017")["publics"]["femmes"], json!(5));
    assert_eq!(sb.json(&["session", "list"])[0]["femmes"], json!(4));
}
