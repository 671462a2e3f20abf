//! End-to-end tests of the `ici` binary: each test runs the real executable on a ledger
//! of its own, in a temporary directory that is also `HOME`, with an environment
//! cleared of everything but PATH (see `common`). Figures, bytes and exit statuses are
//! asserted exactly: 0 done, 2 bad input or usage with nothing written, 1 otherwise.

mod common;

use common::*;
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// A day counted from today (UTC, the tests' TZ), ISO-written.
fn day_from_today(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The valid `session add` flags most tests start from.
#[rustfmt::skip]
const SESSION: [&str; 10] = [
    "--date", "2017-06-12", "--projet", "NET94", "--commune", "Villejuif", "--duree", "3h",
    "--participants", "12",
];

/// Owned arguments, so that tables can mix fixed and built command lines.
fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| a.to_string()).collect()
}

/// `flag value`, or `flag=value` when the value starts with `-`: the command-line
/// parser would otherwise take `-1` or `-atelier` for an option (see
/// `a_value_starting_with_a_dash_is_accepted_after_a_space`).
fn push_flag(args: &mut Vec<String>, flag: &str, value: &str) {
    if value.starts_with('-') {
        args.push(format!("{flag}={value}"));
    } else {
        args.extend([flag.to_string(), value.to_string()]);
    }
}

/// `base` with each `(flag, value)` of `changes` replacing or added.
fn with_changes<'a>(
    base: &[(&'a str, &'a str)],
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all = base.to_vec();
    for (flag, value) in changes {
        match all.iter_mut().find(|(f, _)| f == flag) {
            Some(pair) => pair.1 = value,
            None => all.push((flag, value)),
        }
    }
    all
}

/// `session add` with [`SESSION`], each `(flag, value)` replacing or adding a flag.
fn session_args(changes: &[(&str, &str)]) -> Vec<String> {
    let base: Vec<(&str, &str)> = SESSION.chunks(2).map(|c| (c[0], c[1])).collect();
    let mut args = owned(&["session", "add"]);
    for (f, v) in with_changes(&base, changes) {
        push_flag(&mut args, f, v);
    }
    args
}

/// `produit|charge|emprunt add` with a valid entry, each `(flag, value)` replacing or
/// adding a flag.
fn entry_args(what: &str, changes: &[(&str, &str)]) -> Vec<String> {
    let compte = match what {
        "produit" => "706",
        "charge" => "6411",
        _ => "168",
    };
    let base = [
        ("--date", "2017-03-01"),
        ("--montant", "100"),
        ("--compte", compte),
        ("--libelle", "Écriture de test"),
    ];
    let mut args = owned(&[what, "add"]);
    for (f, v) in with_changes(&base, changes) {
        push_flag(&mut args, f, v);
    }
    args
}

// ---------------------------------------------------------------------------------
// The ledger file: init, where it is, refusing a missing or newer one
// ---------------------------------------------------------------------------------

#[test]
fn init_creates_a_private_ledger_and_a_second_init_changes_nothing() {
    let sb = Sandbox::empty();
    let out = sb.ok(&["init"]);
    let ledger = sb.ledger();
    assert!(
        out.starts_with(&format!("Registre créé : {}\n", ledger.display())),
        "{out}"
    );
    assert!(out.contains("0600"), "{out}");
    assert_eq!(mode(&ledger), 0o600, "the ledger holds personal data");

    let before = sb.snapshot();
    let again = sb.ok(&["init"]);
    sb.snapshot().assert_same(&before, &["init"]);
    assert!(
        again.starts_with(&format!(
            "Le registre existe déjà : {} (schéma ",
            ledger.display()
        )),
        "{again}"
    );
    assert!(again.contains("Rien n'a été modifié"), "{again}");
    assert_eq!(mode(&ledger), 0o600);
}

/// The byte comparison the refusal tests rely on does see a committed write, and
/// does not see a mere read.
#[test]
fn a_snapshot_sees_a_write_and_not_a_read() {
    let sb = Sandbox::with_refs();
    let before = sb.snapshot();
    sb.ok(&["session", "list"]);
    sb.snapshot().assert_same(&before, &["session", "list"]);
    sb.session(&SESSION);
    assert_ne!(sb.snapshot(), before, "a session was written");
}

#[test]
fn every_command_on_a_missing_ledger_exits_2_naming_it_and_ici_init() {
    let sb = Sandbox::empty();
    let csv = sb.file("projets.csv", "nom,theme\nNET94,emploi\n");
    let out = sb.path().join("export.csv");
    let out = out.to_str().unwrap();
    let commands: Vec<Vec<String>> = vec![
        owned(&["projet", "list"]),
        owned(&["projet", "add", "NET94", "--theme", "emploi"]),
        owned(&["partenaire", "list"]),
        owned(&["partenaire", "add", "Ville de Villejuif"]),
        owned(&["session", "list"]),
        owned(&["session", "annule", "1", "--motif", "pluie"]),
        owned(&["produit", "list"]),
        owned(&["charge", "list", "--annee", "2017"]),
        entry_args("produit", &[]),
        entry_args("charge", &[]),
        entry_args("emprunt", &[]),
        owned(&["bilan", "2017"]),
        owned(&["stats", "2017"]),
        owned(&["import", "projets", csv.as_str()]),
        owned(&["export", "sessions"]),
        owned(&["export", "finances", "-o", out]),
        session_args(&[]),
    ];
    for args in &commands {
        let err = sb.fails(args, 2);
        assert!(err.starts_with("erreur : "), "`{}`: {err}", show(args));
        assert!(
            err.contains(&sb.ledger().display().to_string()),
            "`{}` does not name the ledger: {err}",
            show(args)
        );
        assert!(err.contains("ici init"), "`{}`: {err}", show(args));
        assert_eq!(
            entries(sb.path()),
            ["projets.csv"],
            "`{}` created a file",
            show(args)
        );
    }
}

#[test]
fn ici_ledger_variable_is_used_when_there_is_no_flag_and_the_flag_wins() {
    let sb = Sandbox::empty();
    let via_env = sb.path().join("registre-env.sqlite");
    let out = sb
        .bare()
        .env("ICI_LEDGER", &via_env)
        .arg("init")
        .output()
        .unwrap();
    expect_code(&out, 0, &["init"]);
    assert!(stdout(&out).contains(&via_env.display().to_string()));
    assert_eq!(mode(&via_env), 0o600);

    let out = sb
        .bare()
        .env("ICI_LEDGER", &via_env)
        .args(["projet", "add", "NET94", "--theme", "emploi"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["projet", "add"]);
    let out = sb
        .bare()
        .arg("--ledger")
        .arg(&via_env)
        .args(["projet", "list", "--format", "csv"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["projet", "list"]);
    assert_eq!(stdout(&out), "projet,thème,intitulé\nNET94,emploi,\n");

    // --ledger beats ICI_LEDGER: this one does not exist.
    let out = sb
        .bare()
        .env("ICI_LEDGER", &via_env)
        .arg("--ledger")
        .arg(sb.ledger())
        .args(["projet", "list"])
        .output()
        .unwrap();
    expect_code(&out, 2, &["projet", "list"]);
    assert!(stderr(&out).contains(&sb.ledger().display().to_string()));
    assert!(!sb.ledger().exists());
}

#[test]
fn without_flag_or_variable_the_ledger_is_under_home() {
    let sb = Sandbox::empty();
    let out = sb.bare().arg("init").output().unwrap();
    expect_code(&out, 0, &["init"]);
    let ledger = sb.path().join(".local/share/ici/ledger.sqlite");
    assert!(
        stdout(&out).contains(&ledger.display().to_string()),
        "{}",
        stdout(&out)
    );
    assert_eq!(mode(&ledger), 0o600);
    assert_eq!(mode(ledger.parent().unwrap()), 0o700);
}

/// Sets `PRAGMA user_version` with rusqlite, as a newer `ici` would leave it.
fn set_user_version(ledger: &Path, version: i64) {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    // Closing the last connection checkpoints the WAL into the file and removes it.
    conn.close().unwrap();
}

#[test]
fn a_ledger_from_a_newer_version_is_refused_and_left_byte_identical() {
    let sb = Sandbox::with_refs();
    sb.session(&SESSION);
    set_user_version(&sb.ledger(), 999);
    let commands: Vec<Vec<String>> = vec![
        owned(&["init"]),
        owned(&["projet", "list"]),
        owned(&["session", "list", "--format", "json"]),
        owned(&["bilan", "2017"]),
        owned(&["stats", "2017"]),
        owned(&["session", "annule", "1", "--motif", "pluie"]),
        entry_args("produit", &[]),
        session_args(&[]),
    ];
    for args in &commands {
        let before = sb.snapshot();
        let out = sb.ici(args).output().unwrap();
        assert_ne!(
            out.status.code(),
            Some(0),
            "`{}` accepted a newer ledger",
            show(args)
        );
        let err = stderr(&out);
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(
            err.contains("version plus récente"),
            "`{}`: {err}",
            show(args)
        );
        sb.snapshot().assert_same(&before, args);
    }
}

#[test]
fn a_newer_ledger_in_rollback_journal_mode_is_left_byte_identical() {
    // A ledger copied with `VACUUM INTO`, restored from a backup tool or written by a
    // newer `ici` may use the default rollback journal. Refusing it must not rewrite it.
    let sb = Sandbox::empty();
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    conn.execute_batch("CREATE TABLE futur (x); PRAGMA user_version = 999;")
        .unwrap();
    conn.close().unwrap();
    let before = sb.snapshot();
    let out = sb.ici(&["session", "list"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("version plus récente"),
        "{}",
        stderr(&out)
    );
    sb.snapshot().assert_same(&before, &["session", "list"]);
}

// ---------------------------------------------------------------------------------
// Projects and partners
// ---------------------------------------------------------------------------------

#[test]
fn projets_and_partenaires_are_listed_in_table_csv_and_json() {
    let sb = Sandbox::with_refs();
    sb.ok(&session_args(&[("--partenaire", "Ville de Villejuif")]));
    sb.ok(&entry_args(
        "produit",
        &[
            ("--compte", "7412"),
            ("--tiers", "Département du Val-de-Marne"),
        ],
    ));

    assert_eq!(
        sb.ok(&["projet", "list", "--format", "csv"]),
        "projet,thème,intitulé\n\
         BP-PARIS,citoyennete,\n\
         NET94,emploi,Numérique et emploi en Val-de-Marne\n"
    );
    assert_eq!(
        sb.ok(&["projet", "list", "--annee", "2017", "--format", "csv"]),
        "projet,thème,intitulé,sessions\n\
         BP-PARIS,citoyennete,,0\n\
         NET94,emploi,Numérique et emploi en Val-de-Marne,1\n"
    );
    assert_eq!(
        sb.ok(&["projet", "list", "--annee", "2016", "--format", "csv"]),
        "projet,thème,intitulé,sessions\n\
         BP-PARIS,citoyennete,,0\n\
         NET94,emploi,Numérique et emploi en Val-de-Marne,0\n"
    );
    assert_eq!(
        sb.json(&["projet", "list", "--annee", "2017"]),
        json!([
            {"nom": "BP-PARIS", "theme": "citoyennete", "intitule": null, "sessions": 0},
            {"nom": "NET94", "theme": "emploi", "intitule": "Numérique et emploi en Val-de-Marne", "sessions": 1},
        ])
    );
    let table = sb.ok(&["projet", "list"]);
    for word in [
        "projet",
        "BP-PARIS",
        "NET94",
        "Démocratie et citoyenneté",
        "Emploi",
    ] {
        assert!(table.contains(word), "{word} missing from:\n{table}");
    }
    assert!(sb.ok(&["projet", "list", "--format", "table"]) == table);

    assert_eq!(
        sb.ok(&["partenaire", "list", "--format", "csv"]),
        "partenaire,type\n\
         Département du Val-de-Marne,\n\
         Pôle emploi Cachan,\n\
         Ville de Villejuif,\n"
    );
    assert_eq!(
        sb.ok(&["partenaire", "list", "--annee", "2017", "--format", "csv"]),
        "partenaire,type,sessions,écritures\n\
         Département du Val-de-Marne,,0,1\n\
         Pôle emploi Cachan,,0,0\n\
         Ville de Villejuif,,1,0\n"
    );
    assert_eq!(
        sb.json(&["partenaire", "list", "--annee", "2017"]),
        json!([
            {"nom": "Département du Val-de-Marne", "type": null, "sessions": 0, "ecritures": 1},
            {"nom": "Pôle emploi Cachan", "type": null, "sessions": 0, "ecritures": 0},
            {"nom": "Ville de Villejuif", "type": null, "sessions": 1, "ecritures": 0},
        ])
    );
    let table = sb.ok(&["partenaire", "list"]);
    for word in [
        "partenaire",
        "Département du Val-de-Marne",
        "Pôle emploi Cachan",
        "Ville de Villejuif",
    ] {
        assert!(table.contains(word), "{word} missing from:\n{table}");
    }
}

#[test]
fn projet_add_says_what_it_added_and_forgives_accents_in_the_theme() {
    let sb = Sandbox::new();
    assert_eq!(
        sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]),
        "Projet « NET94 » ajouté (thème : Emploi).\n"
    );
    sb.ok(&["projet", "add", "FRMJC", "--theme", "Éducation populaire"]);
    sb.ok(&["projet", "add", "BP-PARIS", "--theme", "citoyennete"]);
    assert_eq!(
        column(&sb.json(&["projet", "list"]), "theme"),
        [
            json!("citoyennete"),
            json!("education-populaire"),
            json!("emploi")
        ]
    );
    assert_eq!(
        sb.ok(&["partenaire", "add", "Ville de Paris"]),
        "Partenaire « Ville de Paris » ajouté.\n"
    );
}

#[test]
fn bad_or_duplicate_projets_and_partenaires_are_refused_with_nothing_written() {
    let sb = Sandbox::with_refs();
    for (args, expect) in [
        (
            vec!["projet", "add", "SPORT94", "--theme", "sport"],
            "thème « sport » inconnu",
        ),
        (
            vec!["projet", "add", "NET94", "--theme", "emploi"],
            "existe déjà",
        ),
        (
            vec!["projet", "add", "net94", "--theme", "emploi"],
            "existe déjà",
        ),
        (vec!["projet", "add", "  ", "--theme", "emploi"], "vide"),
        (
            vec!["partenaire", "add", "Ville de Villejuif"],
            "existe déjà",
        ),
        (vec!["partenaire", "add", ""], "vide"),
    ] {
        let err = sb.refused(&args, 2);
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(err.contains(expect), "`{}`: {err}", show(&args));
    }
}

#[test]
fn an_unknown_name_anywhere_exits_2_proposing_the_closest_one() {
    let sb = Sandbox::with_refs();
    sb.session(&SESSION);
    let import = sb.file(
        "sessions.csv",
        "date,projet,commune,duree,participants\n2017-06-12,NET49,Villejuif,3h,12\n",
    );
    let cases: Vec<(Vec<String>, &str)> = vec![
        (session_args(&[("--projet", "NET49")]), "NET94"),
        (session_args(&[("--projet", "net 94")]), "NET94"),
        (
            session_args(&[("--partenaire", "Ville de Vilejuif")]),
            "Ville de Villejuif",
        ),
        (
            entry_args(
                "produit",
                &[
                    ("--compte", "7412"),
                    ("--tiers", "Departement du Val de Marn"),
                ],
            ),
            "Département du Val-de-Marne",
        ),
        (
            entry_args("produit", &[("--projet", "BP PARI")]),
            "BP-PARIS",
        ),
        (entry_args("charge", &[("--projet", "NET 94")]), "NET94"),
        (
            entry_args("emprunt", &[("--tiers", "Pole emploi Cachn")]),
            "Pôle emploi Cachan",
        ),
        (owned(&["session", "list", "--projet", "NET49"]), "NET94"),
        (
            owned(&["produit", "list", "--tiers", "Ville de Vilejuif"]),
            "Ville de Villejuif",
        ),
        (
            owned(&["charge", "list", "--projet", "BP-PARI"]),
            "BP-PARIS",
        ),
        (owned(&["export", "sessions", "--projet", "NET49"]), "NET94"),
        (
            owned(&[
                "export",
                "finances",
                "--tiers",
                "Departement du Val-de-Marn",
            ]),
            "Département du Val-de-Marne",
        ),
        (owned(&["import", "sessions", import.as_str()]), "NET94"),
    ];
    for (args, closest) in &cases {
        let err = sb.refused(args, 2);
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(
            err.contains(&format!("Vouliez-vous dire « {closest} »")),
            "`{}` should propose « {closest} »: {err}",
            show(args)
        );
    }
}

// ---------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------

#[test]
fn session_add_reads_both_date_forms_and_every_duration_form() {
    let sb = Sandbox::with_refs();
    let tomorrow = day_from_today(1);
    let cases = [
        ("2017-06-12", "3h", "2017-06-12", 180),
        ("12/06/2017", "2h30", "2017-06-12", 150),
        ("2017-06-13", "90min", "2017-06-13", 90),
        ("13/06/2017", "1,5", "2017-06-13", 90),
        ("2017-06-14", "1.5", "2017-06-14", 90),
        ("2017-06-14", "12h", "2017-06-14", 720),
        ("2017-06-15", "45 min", "2017-06-15", 45),
        // A session recorded just after midnight in another time zone.
        (tomorrow.as_str(), "2h", tomorrow.as_str(), 120),
    ];
    for (i, (date, duree, _, _)) in cases.iter().enumerate() {
        // Two forms of one date and duration make the same session twice: meant here.
        let mut args = session_args(&[("--date", date), ("--duree", duree)]);
        args.push("--doublon".into());
        let out = sb.ok(&args);
        assert_eq!(session_number(&out), i as i64 + 1, "{out}");
        assert!(
            out.starts_with(&format!("Session n° {} enregistrée", i + 1)),
            "{out}"
        );
    }
    let list = sb.json(&["session", "list"]);
    let got: Vec<(i64, String, i64)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["numero"].as_i64().unwrap(),
                s["date"].as_str().unwrap().to_string(),
                s["duree_minutes"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(i64, String, i64)> = cases
        .iter()
        .enumerate()
        .map(|(i, (_, _, date, minutes))| (i as i64 + 1, date.to_string(), *minutes))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn session_add_records_every_field() {
    let sb = Sandbox::with_refs();
    let out = sb.ok(&session_args(&[
        ("--femmes", "7"),
        ("--qpv", "5"),
        ("--jeunes-ml", "0"),
        ("--demandeurs-emploi", "12"),
        ("--rsa", "3"),
        ("--partenaire", "Ville de Villejuif"),
        ("--intitule", "Créer son espace Pôle emploi"),
        ("--formateur", "Jeanne Martin"),
    ]));
    assert!(out.starts_with("Session n° 1 enregistrée.\n"), "{out}");
    let list = sb.json(&["session", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let s = &list[0];
    for (key, value) in [
        ("numero", json!(1)),
        ("date", json!("2017-06-12")),
        ("projet", json!("NET94")),
        ("commune", json!("Villejuif")),
        ("duree_minutes", json!(180)),
        ("participants", json!(12)),
        ("femmes", json!(7)),
        ("qpv", json!(5)),
        ("jeunes_ml", json!(0)),
        ("demandeurs_emploi", json!(12)),
        ("rsa", json!(3)),
        ("partenaire", json!("Ville de Villejuif")),
        ("intitule", json!("Créer son espace Pôle emploi")),
        ("annulee_le", Value::Null),
        ("motif_annulation", Value::Null),
    ] {
        assert_eq!(s[key], value, "{key} in {s}");
    }
}

#[test]
fn session_add_refusals_exit_2_and_leave_the_ledger_byte_identical() {
    let sb = Sandbox::with_refs();
    sb.session(&SESSION);
    let in_three_days = day_from_today(3);
    let cases: Vec<(&str, &str, &str)> = vec![
        // (flag, value, what the message must say besides naming the flag)
        ("--femmes", "13", "13"),
        ("--qpv", "13", "13"),
        ("--jeunes-ml", "13", "13"),
        ("--demandeurs-emploi", "13", "13"),
        ("--rsa", "13", "13"),
        ("--femmes", "-1", "-1"),
        ("--participants", "0", "0"),
        ("--participants", "douze", "douze"),
        ("--participants", "-3", "-3"),
        ("--duree", "13h", "13h"),
        ("--duree", "12h01", "12h01"),
        ("--duree", "800min", "800min"),
        ("--duree", "trois heures", "trois heures"),
        ("--duree", "0", "0"),
        ("--duree", "2h75", "2h75"),
        ("--date", &in_three_days, "futur"),
        ("--date", "2999-01-01", "futur"),
        ("--date", "2017-02-30", "2017-02-30"),
        ("--date", "31/04/2017", "31/04/2017"),
        ("--date", "2017/06/12", "2017/06/12"),
        ("--date", "demain", "demain"),
        ("--projet", "INCONNU", "INCONNU"),
        (
            "--partenaire",
            "Mairie de Nulle-Part",
            "Mairie de Nulle-Part",
        ),
        ("--commune", " ", "commune"),
        ("--commune", "Atlantide", "Atlantide"),
    ];
    for (flag, value, says) in cases {
        let args = session_args(&[(flag, value)]);
        let err = sb.refused(&args, 2);
        assert!(
            err.starts_with(&format!("erreur : {flag} : ")),
            "`{flag} {value}` should be reported on {flag}: {err}"
        );
        assert!(err.contains(says), "`{flag} {value}`: {err}");
    }
    // The one good session is all there is.
    assert_eq!(
        column(&sb.json(&["session", "list", "--annulees"]), "numero"),
        [json!(1)]
    );
}

/// NET94 and BP-PARIS sessions over 2016 and 2017, in an order that is not the date order.
fn ledger_with_sessions() -> Sandbox {
    let sb = Sandbox::with_refs();
    for (date, projet, commune, participants) in [
        ("2017-06-12", "NET94", "Villejuif", "12"), // 1
        ("2016-12-01", "NET94", "Arcueil", "4"),    // 2
        ("2017-01-20", "BP-PARIS", "Paris", "10"),  // 3
        ("2017-03-14", "NET94", "Cachan", "8"),     // 4
        ("2018-01-05", "BP-PARIS", "Paris", "6"),   // 5
    ] {
        sb.ok(&session_args(&[
            ("--date", date),
            ("--projet", projet),
            ("--commune", commune),
            ("--participants", participants),
        ]));
    }
    sb
}

#[test]
fn session_list_filters_by_year_and_projet_in_date_order() {
    let sb = ledger_with_sessions();
    for (filters, numeros) in [
        (vec![], vec![2, 3, 4, 1, 5]),
        (vec!["--annee", "2017"], vec![3, 4, 1]),
        (vec!["--projet", "NET94"], vec![2, 4, 1]),
        (vec!["--annee", "2017", "--projet", "BP-PARIS"], vec![3]),
        (vec!["--annee", "2015"], vec![]),
    ] {
        let mut args = vec!["session", "list"];
        args.extend(&filters);
        let got = column(&sb.json(&args), "numero");
        let want: Vec<Value> = numeros.iter().map(|n| json!(n)).collect();
        assert_eq!(got, want, "{}", filters.join(" "));
    }
    let table = sb.ok(&["session", "list", "--annee", "2017"]);
    assert!(
        table.ends_with("3 session(s), 30 participant(s).\n"),
        "{table}"
    );
    let err = sb.refused(&["session", "list", "--annee", "17x"], 2);
    assert!(err.contains("17x"), "{err}");
}

#[test]
fn a_cancelled_session_stays_listed_but_leaves_the_figures() {
    let sb = ledger_with_sessions();
    let out = sb.ok(&["session", "annule", "4", "--motif", "Salle fermée"]);
    assert!(
        out.starts_with("Session n° 4 du 2017-03-14 (NET94, Cachan) annulée"),
        "{out}"
    );

    assert_eq!(
        column(&sb.json(&["session", "list", "--annee", "2017"]), "numero"),
        [json!(3), json!(1)]
    );
    let all = sb.json(&["session", "list", "--annee", "2017", "--annulees"]);
    assert_eq!(column(&all, "numero"), [json!(3), json!(4), json!(1)]);
    assert_eq!(all[1]["motif_annulation"], json!("Salle fermée"));
    assert!(all[1]["annulee_le"].is_string(), "{}", all[1]);
    assert_eq!(all[0]["annulee_le"], Value::Null);

    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(stats["sessions"], json!(2));
    assert_eq!(stats["personnes_formees"], json!(22));
    assert_eq!(sorted_strings(&stats["villes"]), ["Paris", "Villejuif"]);
    assert_eq!(
        sb.json(&["projet", "list", "--annee", "2017"])[1]["sessions"],
        json!(1),
        "NET94 in 2017 counts session 1; 4 is cancelled, 2 is in 2016"
    );

    for (args, says) in [
        (
            vec!["session", "annule", "4", "--motif", "Deux fois"],
            "déjà annulée",
        ),
        (
            vec!["session", "annule", "99", "--motif", "N'existe pas"],
            "99",
        ),
        (vec!["session", "annule", "1", "--motif", "   "], "motif"),
    ] {
        let err = sb.refused(&args, 2);
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(err.contains(says), "`{}`: {err}", show(&args));
    }
}

// ---------------------------------------------------------------------------------
// Money: produits, charges, emprunts
// ---------------------------------------------------------------------------------

#[test]
fn amounts_are_read_in_every_form_people_write_them() {
    let sb = Sandbox::with_refs();
    let cases = [
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("1\u{a0}234,56\u{a0}€", "1234.56"),
        ("176512", "176512.00"),
        ("12,5", "12.50"),
        ("0,01", "0.01"),
        ("10000000", "10000000.00"),
    ];
    for (i, (montant, _)) in cases.iter().enumerate() {
        // Two forms of one amount make the same entry twice: meant here.
        let mut args = entry_args("produit", &[("--montant", montant)]);
        args.push("--doublon".into());
        let out = sb.ok(&args);
        assert!(
            out.starts_with(&format!(
                "Produit enregistré : écriture n° {} du 01/03/2017",
                i + 1
            )),
            "{out}"
        );
    }
    // Neither another year nor a charge is listed.
    sb.ok(&entry_args(
        "produit",
        &[("--date", "2016-12-31"), ("--montant", "999")],
    ));
    sb.ok(&entry_args("charge", &[("--montant", "50")]));
    let list = sb.json(&["produit", "list", "--annee", "2017"]);
    let want: Vec<Value> = cases.iter().map(|(_, plain)| json!(plain)).collect();
    assert_eq!(column(&list, "montant"), want);
    assert_eq!(column(&list, "compte"), vec![json!("706"); cases.len()]);
    assert_eq!(
        column(&sb.json(&["charge", "list", "--annee", "2017"]), "montant"),
        [json!("50.00")]
    );
    // 4 × 1234.56 + 176512 + 12.50 + 0.01 + 10 000 000
    assert_eq!(
        sb.json(&["bilan", "2017"])["total_produits"],
        json!("10181462.75")
    );
}

#[test]
fn bad_entries_exit_2_and_leave_the_ledger_byte_identical() {
    let sb = Sandbox::with_refs();
    sb.ok(&entry_args("produit", &[]));
    let in_three_days = day_from_today(3);
    // (command, flags changed, the flag the refusal must name)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        ("produit", vec![("--montant", "0")], "--montant"),
        ("produit", vec![("--montant", "0,00")], "--montant"),
        ("produit", vec![("--montant", "-12")], "--montant"),
        ("charge", vec![("--montant", "-12,50")], "--montant"),
        ("produit", vec![("--montant", "12,345")], "--montant"),
        ("charge", vec![("--montant", "1.234,56")], "--montant"),
        ("produit", vec![("--montant", "10000000,01")], "--montant"),
        ("produit", vec![("--montant", "99999999")], "--montant"),
        ("charge", vec![("--montant", "176512000")], "--montant"),
        ("produit", vec![("--montant", "douze")], "--montant"),
        ("produit", vec![("--compte", "6411")], "--compte"),
        ("produit", vec![("--compte", "613")], "--compte"),
        ("charge", vec![("--compte", "741")], "--compte"),
        ("charge", vec![("--compte", "706")], "--compte"),
        ("produit", vec![("--compte", "168")], "--compte"),
        ("emprunt", vec![("--compte", "706")], "--compte"),
        ("produit", vec![("--compte", "7")], "--compte"),
        ("charge", vec![("--via", "411")], "--via"),
        ("produit", vec![("--date", "2017-02-30")], "--date"),
        ("produit", vec![("--date", &in_three_days)], "--date"),
        ("produit", vec![("--libelle", "  ")], "--libelle"),
        ("produit", vec![("--tiers", "Inconnu SA")], "--tiers"),
        ("charge", vec![("--projet", "INCONNU")], "--projet"),
    ];
    for (what, changes, flag) in &cases {
        let args = entry_args(what, changes);
        let err = sb.refused(&args, 2);
        assert!(
            err.starts_with(&format!("erreur : {flag} : ")),
            "`{}` should be reported on {flag}: {err}",
            show(&args)
        );
    }
}

#[test]
fn a_loan_is_never_a_produit_and_its_repayment_never_a_charge() {
    let sb = Sandbox::with_refs();
    sb.ok(&["partenaire", "add", "France Active"]);
    sb.ok(&entry_args("produit", &[("--montant", "1000")]));
    sb.ok(&entry_args("charge", &[("--montant", "1500")]));
    let out = sb.ok(&entry_args(
        "emprunt",
        &[
            ("--montant", "30 000 €"),
            ("--compte", "168"),
            ("--tiers", "France Active"),
        ],
    ));
    assert!(
        out.starts_with("Emprunt reçu enregistré : écriture n° 3"),
        "{out}"
    );
    assert!(
        out.contains("ni dans les produits ni dans les charges"),
        "{out}"
    );
    let mut rembourse = entry_args(
        "emprunt",
        &[("--montant", "5000"), ("--date", "2017-09-01")],
    );
    rembourse[1] = "rembourse".to_string();
    sb.ok(&rembourse);

    let bilan = sb.json(&["bilan", "2017"]);
    assert_eq!(bilan["total_produits"], json!("1000.00"));
    assert_eq!(bilan["total_charges"], json!("1500.00"));
    assert_eq!(bilan["resultat"], json!("-500.00"));
    assert_eq!(bilan["emprunts_recus"], json!("30000.00"));
    assert_eq!(bilan["emprunts_rembourses"], json!("5000.00"));
    assert_eq!(column(&bilan["produits"], "compte"), [json!("70")]);
    assert_eq!(column(&bilan["charges"], "compte"), [json!("64")]);
    assert_eq!(
        column(&sb.json(&["produit", "list"]), "compte"),
        [json!("706")]
    );
    assert_eq!(
        column(&sb.json(&["charge", "list"]), "compte"),
        [json!("6411")]
    );
}

// ---------------------------------------------------------------------------------
// Bilan and stats
// ---------------------------------------------------------------------------------

/// Produits and charges of 2017, and one of each in 2016 that must not count.
fn ledger_with_accounts() -> Sandbox {
    let sb = Sandbox::with_refs();
    for (what, date, montant, compte, tiers, via) in [
        ("produit", "2017-02-10", "2 500,00", "706", "", ""),
        ("produit", "2017-05-02", "250,50", "706", "", ""),
        (
            "produit",
            "2017-03-01",
            "20000",
            "7412",
            "Département du Val-de-Marne",
            "",
        ),
        (
            "produit",
            "2017-04-01",
            "10000",
            "741",
            "Ville de Villejuif",
            "",
        ),
        ("produit", "2017-04-02", "500", "74", "", ""),
        ("produit", "2017-01-15", "300", "756", "", "530"),
        ("produit", "2016-12-20", "9999", "706", "", ""),
        ("charge", "2017-01-31", "25000", "6411", "", ""),
        ("charge", "2017-01-31", "8000", "645", "", ""),
        ("charge", "2017-01-05", "1 250,00 €", "613", "", ""),
        ("charge", "2017-02-05", "1250", "613", "", ""),
        ("charge", "2017-02-06", "99,99", "6064", "", "530"),
        ("charge", "2016-11-30", "777", "6411", "", ""),
    ] {
        let mut changes = vec![
            ("--date", date),
            ("--montant", montant),
            ("--compte", compte),
        ];
        if !tiers.is_empty() {
            changes.push(("--tiers", tiers));
        }
        if !via.is_empty() {
            changes.push(("--via", via));
        }
        sb.ok(&entry_args(what, &changes));
    }
    sb
}

/// (compte, libelle, montant) of each poste of a bilan section.
fn postes(v: &Value) -> Vec<(String, String, String)> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|p| {
            let s = |k: &str| {
                p[k].as_str()
                    .unwrap_or_else(|| panic!("{k} in {p}"))
                    .to_string()
            };
            (s("compte"), s("libelle"), s("montant"))
        })
        .collect()
}

fn poste(compte: &str, libelle: &str, montant: &str) -> (String, String, String) {
    (compte.into(), libelle.into(), montant.into())
}

#[test]
fn bilan_json_totals_the_year_by_account_group_and_splits_subsidies_by_funder() {
    let sb = ledger_with_accounts();
    let b = sb.json(&["bilan", "2017"]);
    assert_eq!(b["annee"], json!(2017));
    assert_eq!(b["total_produits"], json!("33550.50"));
    assert_eq!(b["total_charges"], json!("35599.99"));
    assert_eq!(b["resultat"], json!("-2049.49"));
    assert_eq!(
        postes(&b["produits"]),
        [
            poste(
                "70",
                "Ventes de produits fabriqués, prestations de services, marchandises",
                "2750.50"
            ),
            poste(
                "74",
                "Subventions d'exploitation — Département du Val-de-Marne",
                "20000.00"
            ),
            poste(
                "74",
                "Subventions d'exploitation — Ville de Villejuif",
                "10000.00"
            ),
            poste(
                "74",
                "Subventions d'exploitation — financeur non précisé",
                "500.00"
            ),
            poste("75", "Autres produits de gestion courante", "300.00"),
        ]
    );
    assert_eq!(
        postes(&b["charges"]),
        [
            poste("60", "Achats (sauf 603)", "99.99"),
            poste("61", "Services extérieurs", "2500.00"),
            poste("64", "Charges de personnel", "33000.00"),
        ]
    );
    assert_eq!(b["emprunts_recus"], json!("0.00"));

    let b2016 = sb.json(&["bilan", "2016"]);
    assert_eq!(b2016["annee"], json!(2016));
    assert_eq!(b2016["total_produits"], json!("9999.00"));
    assert_eq!(b2016["total_charges"], json!("777.00"));
    assert_eq!(b2016["resultat"], json!("9222.00"));

    let empty = sb.json(&["bilan", "2015"]);
    assert_eq!(
        (
            &empty["total_produits"],
            &empty["total_charges"],
            &empty["resultat"]
        ),
        (&json!("0.00"), &json!("0.00"), &json!("0.00"))
    );
    assert_eq!(empty["produits"], json!([]));
}

#[test]
fn bilan_table_says_deficit_or_excedent() {
    let sb = ledger_with_accounts();
    let table = plain_spaces(&sb.ok(&["bilan", "2017"]));
    assert!(table.contains("Déficit : 2 049,49 €"), "{table}");
    assert!(!table.contains("Excédent"), "{table}");
    assert!(
        table.contains("33 550,50 €") && table.contains("35 599,99 €"),
        "{table}"
    );

    let table = plain_spaces(&sb.ok(&["bilan", "2016"]));
    assert!(table.contains("Excédent : 9 222,00 €"), "{table}");
    assert!(!table.contains("Déficit"), "{table}");

    let err = sb.refused(&["bilan", "deux-mille-dix-sept"], 2);
    assert!(err.contains("deux-mille-dix-sept"), "{err}");
}

#[test]
fn stats_compute_people_hours_cities_partners_and_publics() {
    let sb = Sandbox::with_refs();
    sb.ok(&["partenaire", "add", "Ville de Fresnes"]);
    sb.ok(&["partenaire", "add", "Fondation Orange"]);
    sb.ok(&["partenaire", "add", "Ville d'Arcueil"]);
    let sessions: [&[(&str, &str)]; 5] = [
        &[
            ("--date", "2017-03-14"),
            ("--commune", "Villejuif"),
            ("--duree", "3h"),
            ("--participants", "12"),
            ("--femmes", "7"),
            ("--qpv", "5"),
            ("--jeunes-ml", "0"),
            ("--demandeurs-emploi", "12"),
            ("--rsa", "3"),
            ("--partenaire", "Ville de Villejuif"),
        ],
        &[
            ("--date", "12/06/2017"),
            ("--commune", "Cachan"),
            ("--duree", "2h30"),
            ("--participants", "8"),
            ("--femmes", "5"),
            ("--partenaire", "Pôle emploi Cachan"),
        ],
        &[
            ("--date", "2017-10-12"),
            ("--projet", "BP-PARIS"),
            ("--commune", "Paris"),
            ("--duree", "90min"),
            ("--participants", "10"),
            ("--qpv", "4"),
            ("--rsa", "2"),
        ],
        // Cancelled below: neither Gentilly nor its partner may count.
        &[
            ("--date", "2017-11-02"),
            ("--commune", "Gentilly"),
            ("--duree", "2h"),
            ("--participants", "6"),
            ("--femmes", "6"),
            ("--partenaire", "Ville de Fresnes"),
        ],
        // Another year.
        &[
            ("--date", "2016-12-01"),
            ("--commune", "Arcueil"),
            ("--participants", "9"),
            ("--partenaire", "Ville d'Arcueil"),
        ],
    ];
    for changes in sessions {
        sb.ok(&session_args(changes));
    }
    sb.ok(&["session", "annule", "4", "--motif", "Formatrice malade"]);
    // A partner named only as the tiers of a produit is active; one from 2016 is not.
    sb.ok(&entry_args(
        "produit",
        &[
            ("--compte", "7412"),
            ("--tiers", "Département du Val-de-Marne"),
        ],
    ));
    sb.ok(&entry_args(
        "produit",
        &[("--date", "2016-05-01"), ("--tiers", "Fondation Orange")],
    ));

    let s = sb.json(&["stats", "2017"]);
    assert_eq!(s["annee"], json!(2017));
    assert_eq!(s["sessions"], json!(3));
    assert_eq!(s["personnes_formees"], json!(30));
    assert_eq!(num(&s["heures_formation"]), 7.0, "3 + 2,5 + 1,5");
    assert_eq!(
        num(&s["heures_stagiaires"]),
        71.0,
        "12 × 3 + 8 × 2,5 + 10 × 1,5"
    );
    assert_eq!(
        sorted_strings(&s["villes"]),
        ["Cachan", "Paris", "Villejuif"]
    );
    assert_eq!(
        sorted_strings(&s["partenaires"]),
        [
            "Département du Val-de-Marne",
            "Pôle emploi Cachan",
            "Ville de Villejuif"
        ]
    );
    for (public, n) in [
        ("femmes", 12),
        ("qpv", 9),
        ("jeunes_ml", 0),
        ("demandeurs_emploi", 12),
        ("rsa", 5),
    ] {
        assert_eq!(
            s["publics"][public],
            json!(n),
            "publics.{public} in {}",
            s["publics"]
        );
    }

    let s2016 = sb.json(&["stats", "2016"]);
    assert_eq!(s2016["sessions"], json!(1));
    assert_eq!(s2016["personnes_formees"], json!(9));
    assert_eq!(num(&s2016["heures_stagiaires"]), 27.0);
    assert_eq!(sorted_strings(&s2016["villes"]), ["Arcueil"]);
    assert_eq!(
        sorted_strings(&s2016["partenaires"]),
        ["Fondation Orange", "Ville d'Arcueil"]
    );

    let table = plain_spaces(&sb.ok(&["stats", "2017"]));
    assert!(table.contains("Villes : "), "{table}");
    for city in ["Cachan", "Paris", "Villejuif"] {
        assert!(table.contains(city), "{city} missing:\n{table}");
    }
    assert!(
        !table.contains("Gentilly"),
        "a cancelled session's city is listed:\n{table}"
    );
}

#[test]
fn fractional_hours_come_out_as_decimal_numbers() {
    let sb = Sandbox::with_refs();
    sb.ok(&session_args(&[
        ("--duree", "2h30"),
        ("--participants", "3"),
    ]));
    sb.ok(&session_args(&[
        ("--duree", "45min"),
        ("--participants", "1"),
    ]));
    let s = sb.json(&["stats", "2017"]);
    assert_eq!(num(&s["heures_formation"]), 3.25);
    assert_eq!(num(&s["heures_stagiaires"]), 8.25, "3 × 2,5 + 1 × 0,75");
}

// ---------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------

#[test]
fn import_help_documents_the_columns_of_each_kind() {
    let sb = Sandbox::empty();
    let help = sb.ok(&["import", "--help"]);
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "sessions date, projet, commune, duree, participants",
        "femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire, intitule, formateur",
        "finances date, type (produit, charge, emprunt, remboursement), montant, compte, libelle",
        "tiers, projet, piece, via",
        "projets nom, theme [, intitule]",
        "partenaires nom",
    ] {
        assert!(flat.contains(needle), "« {needle} » missing from:\n{help}");
    }
}

#[test]
fn import_reads_commas_or_semicolons_with_or_without_bom() {
    let bom = "\u{feff}";
    let variants = [
        (
            "comma.csv",
            String::new()
                + "date,projet,commune,duree,participants,femmes,partenaire,intitule\n"
                + "2017-01-10,NET94,Arcueil,2h,5,3,Ville de Villejuif,Premiers pas\n"
                + "12/02/2017,NET94,Cachan,\"1,5\",6,,,\n",
        ),
        (
            "semicolon-bom-crlf.csv",
            String::new()
                + bom
                + "date;projet;commune;duree;participants;femmes;partenaire;intitule\r\n"
                + "2017-01-10;NET94;Arcueil;2h;5;3;Ville de Villejuif;Premiers pas\r\n"
                + "12/02/2017;NET94;Cachan;1,5;6;;;\r\n",
        ),
        (
            "french-headers.csv",
            String::new()
                + bom
                + "Date;Projet;Commune;Durée;Participants;Femmes;Partenaire;Intitulé\n"
                + "2017-01-10;NET94;Arcueil;2h;5;3;Ville de Villejuif;Premiers pas\n"
                + "12/02/2017;NET94;Cachan;90min;6;;;\n",
        ),
    ];
    for (name, content) in &variants {
        let sb = Sandbox::with_refs();
        let path = sb.file(name, content);
        let out = sb.ok(&["import", "sessions", &path]);
        assert!(out.starts_with("2 session(s) importée(s)"), "{name}: {out}");
        let list = sb.json(&["session", "list"]);
        let rows: Vec<Value> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                json!([
                    s["date"],
                    s["commune"],
                    s["duree_minutes"],
                    s["participants"],
                    s["femmes"],
                    s["partenaire"],
                    s["intitule"]
                ])
            })
            .collect();
        assert_eq!(
            rows,
            [
                json!([
                    "2017-01-10",
                    "Arcueil",
                    120,
                    5,
                    3,
                    "Ville de Villejuif",
                    "Premiers pas"
                ]),
                json!(["2017-02-12", "Cachan", 90, 6, null, null, null]),
            ],
            "{name}"
        );
    }
}

#[test]
fn import_of_projets_partenaires_and_finances() {
    let sb = Sandbox::new();
    let projets = sb.file(
        "projets.csv",
        "nom;theme;intitule\nNET94;emploi;Numérique et emploi\nFRMJC;education-populaire;\n",
    );
    assert_eq!(
        sb.ok(&["import", "projets", &projets]),
        format!("2 projet(s) importé(s) depuis {projets}.\n")
    );
    let partenaires = sb.file(
        "partenaires.csv",
        "\u{feff}nom\r\nDépartement du Val-de-Marne\r\nFrance Active\r\n",
    );
    assert_eq!(
        sb.ok(&["import", "partenaires", &partenaires]),
        format!("2 partenaire(s) importé(s) depuis {partenaires}.\n")
    );
    assert_eq!(
        sb.json(&["projet", "list"]),
        json!([
            {"nom": "FRMJC", "theme": "education-populaire", "intitule": null},
            {"nom": "NET94", "theme": "emploi", "intitule": "Numérique et emploi"},
        ])
    );
    assert_eq!(
        column(&sb.json(&["partenaire", "list"]), "nom"),
        [json!("Département du Val-de-Marne"), json!("France Active")]
    );
    let finances = sb.file(
        "finances.csv",
        "date,type,montant,compte,libelle,tiers,projet,piece,via\n\
         2017-03-01,produit,\"1 234,56 €\",7412,Subvention NET94,Département du Val-de-Marne,NET94,P-1,\n\
         02/03/2017,charge,99.99,6064,Fournitures,,,,530\n\
         2017-04-01,emprunt,30000,168,Prêt,France Active,,,\n\
         2017-09-01,remboursement,5000,168,Échéance,France Active,,,\n",
    );
    let out = plain_spaces(&sb.ok(&["import", "finances", &finances]));
    assert!(out.starts_with("4 écriture(s) importée(s)"), "{out}");
    let b = sb.json(&["bilan", "2017"]);
    assert_eq!(b["total_produits"], json!("1234.56"));
    assert_eq!(b["total_charges"], json!("99.99"));
    assert_eq!(b["resultat"], json!("1134.57"));
    assert_eq!(b["emprunts_recus"], json!("30000.00"));
    assert_eq!(b["emprunts_rembourses"], json!("5000.00"));
}

#[test]
fn an_import_with_a_bad_third_row_keeps_nothing_and_names_line_column_and_value() {
    let cases: [(&str, &str, &str, &str); 8] = [
        (
            "sessions",
            "date,projet,commune,duree,participants\n\
             2017-01-10,NET94,Arcueil,2h,5\n\
             2017-01-11,NET94,Cachan,2h,6\n\
             2017-01-12,NET94,Gentilly,17h-14h,4\n\
             2017-01-13,NET94,Villejuif,2h,7\n",
            "duree",
            "17h-14h",
        ),
        (
            "sessions",
            "date;projet;commune;duree;participants;femmes\n\
             2017-01-10;NET94;Arcueil;2h;5;5\n\
             2017-01-11;NET94;Cachan;2h;6;0\n\
             2017-01-12;NET94;Gentilly;2h;12;13\n",
            "femmes",
            "13",
        ),
        (
            "sessions",
            "date,projet,commune,duree,participants\n\
             2017-01-10,NET94,Arcueil,2h,5\n\
             2017-01-11,NET94,Cachan,2h,6\n\
             2017-01-12,NET49,Gentilly,2h,4\n",
            "projet",
            "NET49",
        ),
        (
            "finances",
            "date;type;montant;compte;libelle\n\
             2017-01-10;produit;100;706;Prestation\n\
             2017-01-11;charge;50;6064;Fournitures\n\
             2017-01-12;produit;12,345;706;Prestation\n",
            "montant",
            "12,345",
        ),
        (
            "finances",
            "date,type,montant,compte,libelle\n\
             2017-01-10,produit,100,706,Prestation\n\
             2017-01-11,charge,50,6064,Fournitures\n\
             2017-01-12,don,10,756,Don\n",
            "type",
            "don",
        ),
        (
            "finances",
            "date,type,montant,compte,libelle\n\
             2017-01-10,produit,100,706,Prestation\n\
             2017-01-11,charge,50,6064,Fournitures\n\
             2017-01-12,produit,10,6411,Salaire\n",
            "compte",
            "6411",
        ),
        (
            "projets",
            "nom,theme\nMEDNUM94,education-populaire\nCODEV,citoyennete\nSPORT,sport\n",
            "theme",
            "sport",
        ),
        (
            "partenaires",
            "nom\nFondation Orange\nVille de Cachan\nFondation Orange\n",
            "nom",
            "Fondation Orange",
        ),
    ];
    let sb = Sandbox::with_refs();
    sb.session(&SESSION);
    for (kind, content, col, value) in cases {
        let path = sb.file("bad.csv", content);
        let err = sb.refused(&["import", kind, &path], 2);
        assert!(err.starts_with("erreur : "), "{err}");
        for needle in [
            "ligne 4".to_string(),
            format!("« {col} »"),
            format!("« {value} »"),
        ] {
            assert!(
                err.contains(&needle),
                "{kind}: « {needle} » missing from: {err}"
            );
        }
        assert!(err.contains("Rien n'a été importé"), "{err}");
    }
}

#[test]
fn an_import_error_names_the_right_line_in_a_crlf_file() {
    let sb = Sandbox::with_refs();
    let path = sb.file(
        "excel.csv",
        "\u{feff}date;projet;commune;duree;participants\r\n\
         2017-01-10;NET94;Arcueil;2h;5\r\n\
         2017-01-11;NET94;Cachan;2h;6\r\n\
         2017-01-12;NET94;Gentilly;17h-14h;4\r\n",
    );
    let err = sb.refused(&["import", "sessions", &path], 2);
    assert!(
        err.contains("ligne 4,"),
        "the third data row is line 4: {err}"
    );
}

#[test]
fn an_unreadable_import_file_is_refused_with_nothing_written() {
    let sb = Sandbox::with_refs();
    for (kind, content, says) in [
        (
            "sessions",
            "date,projet,ville,duree,participants\n2017-01-10,NET94,Arcueil,2h,5\n",
            "ville",
        ),
        (
            "sessions",
            "date,projet,commune,participants\n2017-01-10,NET94,Arcueil,5\n",
            "duree",
        ),
        (
            "finances",
            "date,montant,compte,libelle\n2017-01-10,100,706,Prestation\n",
            "type",
        ),
        ("projets", "nom,theme\n", "aucune ligne"),
        ("partenaires", "", ""),
    ] {
        let path = sb.file("file.csv", content);
        let err = sb.refused(&["import", kind, &path], 2);
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(err.contains(says), "{kind} {content:?}: {err}");
    }
    let missing = sb.path().join("absent.csv");
    let err = sb.refused(&["import", "sessions", missing.to_str().unwrap()], 2);
    assert!(err.contains("absent.csv"), "{err}");
}

// ---------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------

/// Four 2017 sessions whose titles a spreadsheet would run as formulas, with a trainer
/// name that must never leave the ledger; one 2016 session.
fn ledger_for_export() -> Sandbox {
    let sb = Sandbox::with_refs();
    for changes in [
        vec![
            ("--date", "2017-03-14"),
            ("--femmes", "7"),
            ("--qpv", "5"),
            ("--jeunes-ml", "0"),
            ("--demandeurs-emploi", "12"),
            ("--rsa", "3"),
            ("--partenaire", "Ville de Villejuif"),
            ("--intitule", "=HYPERLINK(\"http://x\")"),
        ],
        vec![
            ("--date", "2017-06-12"),
            ("--commune", "Cachan"),
            ("--duree", "2h30"),
            ("--participants", "8"),
            ("--intitule", "+33 1 45 00 00 00"),
        ],
        vec![
            ("--date", "2017-10-12"),
            ("--projet", "BP-PARIS"),
            ("--duree", "90min"),
            ("--participants", "10"),
            ("--intitule", "-atelier"),
        ],
        vec![
            ("--date", "2017-11-02"),
            ("--duree", "45min"),
            ("--participants", "2"),
            ("--intitule", "@SUM(A1)"),
        ],
        vec![("--date", "2016-11-02"), ("--intitule", "Année d'avant")],
    ] {
        let mut changes = changes;
        changes.push(("--formateur", "Jeanne Martin"));
        sb.ok(&session_args(&changes));
    }
    sb
}

const EXPORT_HEADER: &str = "numero,date,projet,theme,lieu,commune,code_insee,departement,duree_heures,participants,femmes,qpv,jeunes_ml,demandeurs_emploi,rsa,partenaire,intitule";

#[test]
fn export_sessions_csv_neutralises_formulas_and_leaves_trainers_out() {
    let sb = ledger_for_export();
    let out = sb.ok(&["export", "sessions", "--annee", "2017"]);
    let want = [
        EXPORT_HEADER,
        "1,2017-03-14,NET94,emploi,site,Villejuif,94076,94,3,12,7,5,0,12,3,Ville de Villejuif,\"'=HYPERLINK(\"\"http://x\"\")\"",
        "2,2017-06-12,NET94,emploi,site,Cachan,94016,94,2.5,8,,,,,,,'+33 1 45 00 00 00",
        "3,2017-10-12,BP-PARIS,citoyennete,site,Villejuif,94076,94,1.5,10,,,,,,,'-atelier",
        "4,2017-11-02,NET94,emploi,site,Villejuif,94076,94,0.75,2,,,,,,,'@SUM(A1)",
    ]
    .map(|l| format!("{l}\n"))
    .concat();
    assert_eq!(out, want);
    assert!(
        !out.contains("Jeanne") && !out.contains("Martin"),
        "trainer name exported"
    );
}

#[test]
fn export_sessions_for_excel_has_bom_semicolons_decimal_commas_and_crlf() {
    let sb = ledger_for_export();
    let out = sb
        .ici(&[
            "export", "sessions", "--annee", "2017", "--projet", "NET94", "--excel",
        ])
        .output()
        .unwrap();
    expect_code(&out, 0, &["export"]);
    let want = [
        &EXPORT_HEADER.replace(',', ";"),
        "1;2017-03-14;NET94;emploi;site;Villejuif;94076;94;3;12;7;5;0;12;3;Ville de Villejuif;\"'=HYPERLINK(\"\"http://x\"\")\"",
        "2;2017-06-12;NET94;emploi;site;Cachan;94016;94;2,5;8;;;;;;;'+33 1 45 00 00 00",
        "4;2017-11-02;NET94;emploi;site;Villejuif;94076;94;0,75;2;;;;;;;'@SUM(A1)",
    ]
    .map(|l| format!("{l}\r\n"))
    .concat();
    let mut want_bytes = b"\xEF\xBB\xBF".to_vec();
    want_bytes.extend(want.as_bytes());
    assert!(
        out.stdout == want_bytes,
        "got:\n{:?}\nwant:\n{:?}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&want_bytes)
    );
    assert!(!stdout(&out).contains("Jeanne"), "trainer name exported");

    // --tiers filters sessions by partner.
    let out = sb.ok(&["export", "sessions", "--tiers", "Ville de Villejuif"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.lines().nth(1).unwrap().starts_with("1,2017-03-14,"),
        "{out}"
    );
}

#[test]
fn export_finances_to_a_file_for_excel() {
    let sb = Sandbox::with_refs();
    sb.ok(&entry_args(
        "produit",
        &[
            ("--montant", "1 234,56"),
            ("--compte", "7412"),
            ("--libelle", "Subvention NET94"),
            ("--tiers", "Département du Val-de-Marne"),
            ("--projet", "NET94"),
            ("--piece", "CD94-2017-01"),
        ],
    ));
    sb.ok(&entry_args(
        "charge",
        &[
            ("--date", "2017-03-02"),
            ("--montant", "99,99"),
            ("--compte", "6064"),
            ("--libelle", "=cmd|' /C calc'!A0"),
            ("--via", "530"),
        ],
    ));
    sb.ok(&entry_args(
        "produit",
        &[
            ("--date", "2016-03-01"),
            ("--tiers", "Département du Val-de-Marne"),
        ],
    ));

    let file = sb.path().join("cd94.csv");
    let out = sb
        .ici(&[
            "export",
            "finances",
            "--annee",
            "2017",
            "--tiers",
            "Département du Val-de-Marne",
            "--excel",
            "-o",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "the export went to the file, not stdout"
    );
    assert!(
        stderr(&out).contains("2 ligne(s) exportée(s)"),
        "{}",
        stderr(&out)
    );
    let want = "\u{feff}ecriture;date;compte;libelle_compte;libelle;tiers;projet;piece;debit;credit\r\n\
        1;2017-03-01;7412;Subventions d'exploitation;Subvention NET94;Département du Val-de-Marne;NET94;CD94-2017-01;0,00;1234,56\r\n\
        1;2017-03-01;512;Banques;Subvention NET94;Département du Val-de-Marne;NET94;CD94-2017-01;1234,56;0,00\r\n";
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);

    let plain = sb.ok(&["export", "finances", "--annee", "2017"]);
    assert_eq!(
        plain,
        "ecriture,date,compte,libelle_compte,libelle,tiers,projet,piece,debit,credit\n\
         1,2017-03-01,7412,Subventions d'exploitation,Subvention NET94,Département du Val-de-Marne,NET94,CD94-2017-01,0.00,1234.56\n\
         1,2017-03-01,512,Banques,Subvention NET94,Département du Val-de-Marne,NET94,CD94-2017-01,1234.56,0.00\n\
         2,2017-03-02,6064,Fournitures administratives,'=cmd|' /C calc'!A0,,,,99.99,0.00\n\
         2,2017-03-02,530,Caisse,'=cmd|' /C calc'!A0,,,,0.00,99.99\n"
    );
}

#[test]
fn a_refused_export_neither_creates_nor_truncates_the_output_file() {
    let sb = ledger_for_export();
    let new = sb.path().join("nouveau.csv");
    let kept = sb.path().join("precedent.csv");
    std::fs::write(&kept, "export de la semaine dernière\n").unwrap();
    for file in [&kept, &new] {
        for args in [
            owned(&["export", "sessions", "--projet", "NET49"]),
            owned(&["export", "finances", "--tiers", "Personne"]),
            owned(&["export", "sessions", "--annee", "17x"]),
        ] {
            let mut args = args;
            args.extend(["-o".to_string(), file.to_str().unwrap().to_string()]);
            sb.refused(&args, 2);
            assert!(!new.exists(), "`{}` created the file", show(&args));
            assert_eq!(
                std::fs::read_to_string(&kept).unwrap(),
                "export de la semaine dernière\n",
                "`{}` overwrote the existing file",
                show(&args)
            );
        }
    }
}

#[test]
fn a_value_starting_with_a_dash_is_accepted_after_a_space() {
    let sb = Sandbox::with_refs();
    let mut args = session_args(&[]);
    args.extend(["--intitule".to_string(), "-atelier".to_string()]);
    sb.ok(&args);
    let mut args = entry_args("charge", &[]);
    args.retain(|a| a != "--libelle" && a != "Écriture de test");
    args.extend([
        "--libelle".to_string(),
        "- frais de déplacement".to_string(),
    ]);
    sb.ok(&args);
    let out = sb.ok(&["export", "sessions"]);
    assert!(out.trim_end().ends_with(",'-atelier"), "{out}");
}

// ---------------------------------------------------------------------------------
// Demo and the 2017 reference data
// ---------------------------------------------------------------------------------

const VILLES_2017: [&str; 10] = [
    "Paris",
    "Arcueil",
    "Romainville",
    "Cachan",
    "Le Kremlin-Bicêtre",
    "L'Haÿ-les-Roses",
    "Villejuif",
    "Fresnes",
    "Aulnay-sous-Bois",
    "Gentilly",
];

fn assert_2017_figures(bilan: &Value, stats: &Value) {
    assert_eq!(bilan["annee"], json!(2017));
    assert_eq!(bilan["total_produits"], json!("176512.00"));
    assert_eq!(bilan["total_charges"], json!("191947.00"));
    assert_eq!(bilan["resultat"], json!("-15435.00"));
    assert_eq!(bilan["emprunts_recus"], json!("30000.00"));
    assert_eq!(stats["annee"], json!(2017));
    assert_eq!(stats["personnes_formees"], json!(831));
    assert_eq!(num(&stats["heures_formation"]), 1143.0);
    let mut villes = VILLES_2017.map(String::from).to_vec();
    villes.sort();
    assert_eq!(sorted_strings(&stats["villes"]), villes);
    assert_eq!(
        stats["partenaires"].as_array().map(Vec::len),
        Some(24),
        "{}",
        stats["partenaires"]
    );
}

#[test]
fn demo_prints_the_2017_figures_and_touches_no_ledger() {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .env("ICI_LEDGER", sb.ledger())
        .arg("demo")
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo"]);
    let text = plain_spaces(&stdout(&out));
    for figure in [
        "176 512,00 €",
        "191 947,00 €",
        "Déficit : 15 435,00 €",
        "831",
        "1 143",
    ] {
        assert!(text.contains(figure), "« {figure} » missing from:\n{text}");
    }
    for ville in VILLES_2017 {
        assert!(text.contains(ville), "{ville} missing from:\n{text}");
    }
    assert_eq!(
        entries(sb.path()),
        Vec::<String>::new(),
        "demo wrote in HOME"
    );

    // Not even with an existing ledger: it stays byte-identical.
    let sb = Sandbox::with_refs();
    let before = sb.snapshot();
    sb.ok(&["demo"]);
    sb.snapshot().assert_same(&before, &["demo"]);
}

#[test]
fn demo_json_gives_bilan_and_stats() {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .env("ICI_LEDGER", sb.ledger())
        .args(["demo", "--format", "json"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("demo JSON");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["bilan", "compte_rendu", "stats"]);
    assert_2017_figures(&v["bilan"], &v["stats"]);
    assert_eq!(
        entries(sb.path()),
        Vec::<String>::new(),
        "demo wrote in HOME"
    );
}

#[test]
fn importing_the_2017_fixtures_gives_the_demo_figures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/2017");
    let sb = Sandbox::new();
    // People are imported before the sessions they attend, attendance after them.
    for kind in [
        "projets",
        "partenaires",
        "participants",
        "sessions",
        "presences",
        "sorties",
        "finances",
        "ecritures",
    ] {
        let file = fixtures.join(format!("{kind}.csv"));
        sb.ok(&["import", kind, file.to_str().unwrap()]);
    }
    // The association's people and agenda, in the demo's order (the rate before the hours).
    for (quoi, file) in [
        ("descriptions", "descriptions"),
        ("equipe", "equipe"),
        ("gouvernance", "gouvernance"),
        ("adherents", "adherents"),
        ("taux", "benevolat_taux"),
        ("benevolat", "benevolat"),
        ("evenements", "evenements"),
    ] {
        let file = fixtures.join(format!("{file}.csv"));
        sb.ok(&["association", "import", quoi, file.to_str().unwrap()]);
    }
    // The demo records the report's #MedNum94 target.
    sb.ok(&[
        "projet",
        "objectif",
        "MEDNUM94",
        "--sorties-positives",
        "60%",
    ]);
    let bilan = sb.json(&["bilan", "2017"]);
    let stats = sb.json(&["stats", "2017"]);
    assert_2017_figures(&bilan, &stats);
    let demo = sb.json(&["demo"]);
    assert_eq!(
        demo["bilan"], bilan,
        "demo and the imported ledger disagree on the bilan"
    );
    assert_eq!(
        demo["stats"], stats,
        "demo and the imported ledger disagree on the stats"
    );
}

// ---------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------

#[test]
fn concurrent_session_adds_all_land() {
    const WRITERS: usize = 3;
    const EACH: usize = 15;
    let sb = Sandbox::with_refs();
    let start = std::sync::Barrier::new(WRITERS);
    std::thread::scope(|scope| {
        for w in 0..WRITERS {
            let (sb, start) = (&sb, &start);
            scope.spawn(move || {
                start.wait();
                for i in 0..EACH {
                    let title = format!("écrivain {w} n° {i}");
                    let participants = (i + 1).to_string();
                    // The same workshop by several writers: meant, hence --doublon.
                    let mut args =
                        session_args(&[("--participants", &participants), ("--intitule", &title)]);
                    args.push("--doublon".into());
                    sb.ok(&args);
                }
            });
        }
    });
    let list = sb.json(&["session", "list"]);
    let mut numeros: Vec<i64> = column(&list, "numero")
        .iter()
        .map(|n| n.as_i64().unwrap())
        .collect();
    numeros.sort();
    assert_eq!(numeros, (1..=(WRITERS * EACH) as i64).collect::<Vec<_>>());
    let mut titles = sorted_strings(&Value::Array(column(&list, "intitule")));
    let mut want: Vec<String> = (0..WRITERS)
        .flat_map(|w| (0..EACH).map(move |i| format!("écrivain {w} n° {i}")))
        .collect();
    titles.sort();
    want.sort();
    assert_eq!(titles, want);
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(
        stats["personnes_formees"],
        json!(WRITERS * EACH * (EACH + 1) / 2)
    );
}

// ---------------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------------

#[test]
fn usage_errors_are_in_french_and_exit_2_with_nothing_written() {
    let sb = Sandbox::with_refs();
    for (args, says) in [
        (vec!["frobnicate"], "commande inconnue : frobnicate"),
        (vec!["session", "lister"], "commande inconnue : lister"),
        (vec!["session", "list", "--foo"], "option inconnue : --foo"),
        (
            vec!["bilan", "2017", "--tableur"],
            "option inconnue : --tableur",
        ),
        (
            vec!["session", "add", "--date", "2017-06-12"],
            "argument obligatoire manquant : ",
        ),
        (
            vec!["session", "annule", "1"],
            "argument obligatoire manquant : --motif",
        ),
        (vec!["bilan"], "argument obligatoire manquant : "),
        (
            vec!["session", "list", "--format", "xml"],
            "valeur « xml » invalide pour --format",
        ),
        (vec!["import", "truc", "x.csv"], "valeur « truc » invalide"),
        (vec!["export", "tout"], "valeur « tout » invalide"),
    ] {
        let err = sb.refused(&args, 2);
        assert!(
            err.starts_with(&format!("erreur : {says}")),
            "`{}`: expected « erreur : {says}… », got: {err}",
            show(&args)
        );
        assert!(
            !err.contains("error:") && !err.contains("Usage:"),
            "English in: {err}"
        );
    }
}

#[test]
fn a_bad_session_number_is_explained_in_french() {
    let sb = Sandbox::with_refs();
    for numero in ["abc", "99999999999999999999"] {
        let err = sb.refused(&["session", "annule", numero, "--motif", "pluie"], 2);
        assert!(
            err.starts_with(&format!("erreur : valeur « {numero} » invalide")),
            "{err}"
        );
        for english in ["invalid digit", "number too large", "target type"] {
            assert!(!err.contains(english), "English in: {err}");
        }
    }
}

#[test]
fn help_and_version_exit_0() {
    let sb = Sandbox::empty();
    let help = sb.ok(&["--help"]);
    assert!(help.contains("Utilisation : ici"), "{help}");
    for cmd in [
        "init",
        "projet",
        "partenaire",
        "session",
        "produit",
        "charge",
        "bilan",
        "stats",
        "import",
        "export",
        "demo",
    ] {
        assert!(help.contains(cmd), "{cmd} missing from:\n{help}");
    }
    let version = sb.ok(&["--version"]);
    assert_eq!(version, format!("ici {}\n", env!("CARGO_PKG_VERSION")));
}

/// Accents, hyphens and case do not make a known name unknown.
#[test]
fn a_name_typed_without_accents_or_hyphens_is_the_same_name() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-03-01",
        "--montant",
        "100",
        "--compte",
        "7412",
        "--libelle",
        "Subvention",
        "--tiers",
        "departement du val de marne",
    ]);
    let b = sb.json(&["bilan", "2017"]);
    assert_eq!(
        b["produits"][0]["tiers"],
        serde_json::json!("Département du Val-de-Marne")
    );
}
