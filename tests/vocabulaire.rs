//! The national vocabulary of digital mediation: thématiques, equipment and level on
//! sessions (typed, corrected, imported, refused), the figures per thématique, and the
//! activity export in the columns of La Coop de la médiation numérique.

mod common;

use common::{Sandbox, column, num};
use serde_json::{Value, json};

/// The session of `numero` in `session list --format json`.
fn listed(sb: &Sandbox, numero: i64) -> Value {
    let list = sb.json(&["session", "list", "--annulees"]);
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["numero"] == json!(numero))
        .unwrap_or_else(|| panic!("session {numero} not listed: {list}"))
        .clone()
}

fn vocabulaire(s: &Value) -> (Value, Value, Value) {
    (
        s["thematiques"].clone(),
        s["materiel"].clone(),
        s["niveau"].clone(),
    )
}

#[test]
fn options_round_trip_through_add_list_show_and_import() {
    let sb = Sandbox::with_refs();
    let n = sb.session(&[
        "--date",
        "2017-06-12",
        "--projet",
        "NET94",
        "--commune",
        "Villejuif",
        "--duree",
        "3h",
        "--participants",
        "12",
        // Out of order, a label and a slug, a space: stored in the national order.
        "--thematiques",
        "E-mail | navigation-internet",
        "--materiel",
        "telephone|ordinateur",
        "--niveau",
        "Intermédiaire",
    ]);
    assert_eq!(
        vocabulaire(&listed(&sb, n)),
        (
            json!(["navigation-internet", "e-mail"]),
            json!(["ordinateur", "telephone"]),
            json!("intermediaire")
        )
    );
    let show = sb.ok(&["session", "show", &n.to_string()]);
    for line in [
        "│ thématiques  ┆ Navigation sur internet, E-mail │",
        "│ matériel     ┆ Ordinateur, Téléphone           │",
        "│ niveau       ┆ Intermédiaire                   │",
    ] {
        assert!(show.contains(line), "{line}\n{show}");
    }
    // A session without any: empty lists and null, and nothing shown.
    let m = sb.session(&[
        "--date",
        "2017-06-13",
        "--projet",
        "NET94",
        "--commune",
        "Villejuif",
        "--duree",
        "2h",
        "--participants",
        "5",
    ]);
    assert_eq!(
        vocabulaire(&listed(&sb, m)),
        (json!([]), json!([]), Value::Null)
    );
    let show = sb.ok(&["session", "show", &m.to_string()]);
    assert!(!show.contains("thématiques"), "{show}");

    // Import: `|` inside a cell whatever the file's separator; `;` inside a quoted
    // cell of a `;` file; `;` inside a cell of a `,` file.
    let semi = sb.file(
        "s1.csv",
        "date;projet;commune;duree;participants;thematiques;materiel;niveau\n\
         2017-07-03;NET94;Villejuif;3h;8;sante|social-sante;tablette;debutant\n\
         2017-07-04;NET94;Villejuif;3h;6;\"justice;logement\";;\n",
    );
    sb.ok(&["import", "sessions", &semi]);
    let comma = sb.file(
        "s2.csv",
        "date,projet,commune,duree,participants,thematiques,materiel,niveau\n\
         2017-07-05,NET94,Villejuif,3h,7,associations;aide-demarches,aucun,avance\n",
    );
    sb.ok(&["import", "sessions", &comma]);
    let list = sb.json(&["session", "list", "--mois", "2017-07"]);
    assert_eq!(
        column(&list, "thematiques"),
        [
            json!(["sante", "social-sante"]),
            json!(["logement", "justice"]),
            json!(["aide-demarches", "associations"])
        ]
    );
    assert_eq!(
        column(&list, "materiel"),
        [json!(["tablette"]), json!([]), json!(["aucun"])]
    );
    assert_eq!(
        column(&list, "niveau"),
        [json!("debutant"), Value::Null, json!("avance")]
    );
    // The terminal list shows the slugs.
    let table = sb.ok(&["session", "list", "--mois", "2017-07"]);
    assert!(table.contains("sante, social-sante"), "{table}");
    // The help lists the thirty slugs with the Coop's labels.
    let help = sb.ok(&["session", "add", "--help"]);
    for part in [
        "diagnostic-numerique (Diagnostic numérique)",
        "securite-numerique (Prévention en sécurité numérique)",
        "papiers-citoyennete (Papiers - Élections - Citoyenneté)",
        "associations (Associations)",
    ] {
        assert!(help.contains(part), "{part}\n{help}");
    }
}

#[test]
fn corrections_are_kept_in_the_history() {
    let sb = Sandbox::with_refs();
    let n = sb.session(&[
        "--date",
        "2017-06-12",
        "--projet",
        "NET94",
        "--commune",
        "Villejuif",
        "--duree",
        "3h",
        "--participants",
        "12",
        "--thematiques",
        "navigation-internet|e-mail",
        "--materiel",
        "ordinateur",
        "--niveau",
        "debutant",
    ]);
    let out = sb.ok(&[
        "session",
        "corrige",
        &n.to_string(),
        "--thematiques",
        "sante",
        "--materiel",
        "",
        "--niveau",
        "avance",
        "--motif",
        "feuille relue",
    ]);
    assert!(
        out.starts_with(&format!("Session n° {n} corrigée :")),
        "{out}"
    );
    assert_eq!(
        vocabulaire(&listed(&sb, n)),
        (json!(["sante"]), json!([]), json!("avance"))
    );
    let show = sb.ok(&["session", "show", &n.to_string()]);
    let history: Vec<Vec<String>> = show
        .lines()
        .skip_while(|l| !l.starts_with("Corrections"))
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|r: &Vec<String>| r[0].starts_with("20"))
        .collect();
    let rows: Vec<Vec<&str>> = history
        .iter()
        .map(|r| r[1..].iter().map(String::as_str).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "thématiques",
                "navigation-internet, e-mail",
                "sante",
                "feuille relue"
            ],
            vec!["matériel", "ordinateur", "—", "feuille relue"],
            vec!["niveau", "debutant", "avance", "feuille relue"],
        ],
        "{show}"
    );
    // The same values again: nothing to correct, nothing added to the history.
    let out = sb.ok(&[
        "session",
        "corrige",
        &n.to_string(),
        "--thematiques",
        "sante",
    ]);
    assert!(out.contains("rien à corriger"), "{out}");
    let again = sb.ok(&["session", "show", &n.to_string()]);
    assert_eq!(again.matches("feuille relue").count(), 3, "{again}");
}

#[test]
fn an_unknown_slug_is_refused_with_the_closest_ones() {
    let sb = Sandbox::with_refs();
    let add = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "session",
            "add",
            "--date",
            "2017-06-12",
            "--projet",
            "NET94",
            "--commune",
            "Villejuif",
            "--duree",
            "3h",
            "--participants",
            "12",
        ]
        .map(String::from)
        .to_vec();
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let err = sb.refused(&add(&["--thematiques", "e-mail|navigaton"]), 2);
    assert_eq!(
        err,
        "erreur : --thematiques : thématique « navigaton » inconnue. Vouliez-vous dire « navigation-internet » ? La liste : `ici session add --help`.\n"
    );
    let err = sb.refused(&add(&["--materiel", "ordi-portable"]), 2);
    assert!(
        err.contains("--materiel : matériel « ordi-portable » inconnu"),
        "{err}"
    );
    assert!(err.contains("« ordinateur »"), "{err}");
    let err = sb.refused(&add(&["--niveau", "expert"]), 2);
    assert!(
        err.contains("--niveau : niveau « expert » inconnu. Valeurs possibles : debutant, intermediaire, avance."),
        "{err}"
    );
    let err = sb.refused(&add(&["--materiel", "aucun|tablette"]), 2);
    assert!(err.contains("« aucun » dit qu'aucun matériel"), "{err}");

    // In a correction and in an import: refused the same way, nothing written.
    sb.ok(&add(&["--thematiques", "sante"]));
    let err = sb.refused(
        &["session", "corrige", "1", "--thematiques", "santé-mentale"],
        2,
    );
    assert!(
        err.contains("thématique « santé-mentale » inconnue"),
        "{err}"
    );
    assert!(err.contains("« sante »"), "{err}");
    let file = sb.file(
        "s.csv",
        "date;projet;commune;duree;participants;thematiques\n\
         2017-07-03;NET94;Villejuif;3h;8;sante\n\
         2017-07-04;NET94;Villejuif;3h;6;bureautique|reseaux-sociaus\n",
    );
    let err = sb.refused(&["import", "sessions", &file], 2);
    assert!(
        err.contains("s.csv, ligne 3, colonne « thematiques » (valeur « bureautique|reseaux-sociaus ») : thématique « reseaux-sociaus » inconnue. Vouliez-vous dire « reseaux-sociaux » ?"),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
    assert_eq!(sb.json(&["session", "list"]).as_array().unwrap().len(), 1);
}

/// Figures worked out by hand from the sessions below.
#[test]
fn figures_per_thematique() {
    let sb = Sandbox::with_refs();
    sb.ok(&["participant", "add", "--sexe", "f"]);
    sb.ok(&["participant", "add", "--sexe", "h"]);
    let base = |date: &str, duree: &str| -> Vec<String> {
        [
            "--date",
            date,
            "--projet",
            "NET94",
            "--commune",
            "Villejuif",
            "--duree",
            duree,
        ]
        .map(String::from)
        .to_vec()
    };
    // A: 3 h, 12 people, navigation-internet and e-mail.
    let mut a = base("2017-03-01", "3h");
    a.extend(
        [
            "--participants",
            "12",
            "--thematiques",
            "navigation-internet|e-mail",
        ]
        .map(String::from),
    );
    sb.session(&a);
    // B: 2 h, 5 people, e-mail.
    let mut b = base("2017-03-02", "2h");
    b.extend(["--participants", "5", "--thematiques", "e-mail"].map(String::from));
    sb.session(&b);
    // C: 1 h 30, two named (one left after 1 h) and two anonymous, santé.
    let mut c = base("2017-03-03", "1h30");
    c.extend(
        [
            "--presents",
            "P-0001,P-0002:1h",
            "--anonymes",
            "2",
            "--thematiques",
            "sante",
        ]
        .map(String::from),
    );
    sb.session(&c);
    // D: 1 h, 3 people, no thématique.
    let mut d = base("2017-03-04", "1h");
    d.extend(["--participants", "3"].map(String::from));
    sb.session(&d);
    // E: cancelled, e-mail: counts nowhere.
    let mut e = base("2017-03-05", "4h");
    e.extend(["--participants", "30", "--thematiques", "e-mail"].map(String::from));
    let e = sb.session(&e);
    sb.ok(&["session", "annule", &e.to_string(), "--motif", "pluie"]);

    let stats = sb.json(&["stats", "2017"]);
    let per: Vec<(String, String, i64, i64, f64, f64)> = stats["par_thematique"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["thematique"].as_str().unwrap().to_string(),
                t["libelle"].as_str().unwrap().to_string(),
                t["sessions"].as_i64().unwrap(),
                t["participants"].as_i64().unwrap(),
                num(&t["heures_formation"]),
                num(&t["heures_stagiaires"]),
            )
        })
        .collect();
    let row =
        |slug: &str, label: &str, s, p, h, hs| (slug.to_string(), label.to_string(), s, p, h, hs);
    assert_eq!(
        per,
        [
            // A alone: 12 × 3 h.
            row(
                "navigation-internet",
                "Navigation sur internet",
                1,
                12,
                3.0,
                36.0
            ),
            // A and B: 12 + 5 people, 3 h + 2 h, 36 + 5 × 2 heures-stagiaires.
            row("e-mail", "E-mail", 2, 17, 5.0, 46.0),
            // C: 2 anonymous × 1,5 h + 1,5 h + 1 h.
            row("sante", "Santé", 1, 4, 1.5, 5.5),
        ]
    );
    assert_eq!(
        stats["sans_thematique"],
        json!({"sessions": 1, "participants": 3, "heures_formation": 1, "heures_stagiaires": 3})
    );
    // Existing keys are unchanged: the totals count each session once.
    assert_eq!(stats["sessions"], json!(4));
    assert_eq!(stats["participations"], json!(12 + 5 + 4 + 3));
    let table = sb.ok(&["stats", "2017"]);
    let section: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("Par thématique (7)"))
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with('│'))
        .collect();
    let cells: Vec<Vec<String>> = section
        .iter()
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| common::plain_spaces(c.trim()))
                .collect()
        })
        .collect();
    assert_eq!(
        cells,
        [
            [
                "thématique",
                "sessions",
                "participants",
                "heures",
                "heures-stagiaires"
            ],
            ["Navigation sur internet", "1", "12", "3", "36"],
            ["E-mail", "2", "17", "5", "46"],
            ["Santé", "1", "4", "1,5", "5,5"],
            ["sans thématique", "1", "3", "1", "3"],
        ],
        "{table}"
    );
    assert!(table.contains("(7) Thématiques de la Coop"), "{table}");
    let csv = sb.ok(&["stats", "2017", "--format", "csv"]);
    assert!(csv.contains("\nthématique,e-mail,2,17,5,46\n"), "{csv}");
    assert!(
        csv.contains("\nthématique,sans thématique,1,3,1,3\n"),
        "{csv}"
    );
}

/// A ledger written before the vocabulary gets its three columns by migration, its
/// sessions untouched and without any thématique.
#[test]
fn an_older_ledger_gains_the_columns_and_keeps_its_sessions() {
    let sb = Sandbox::with_refs();
    for date in ["2017-03-01", "2017-03-02"] {
        sb.session(&[
            "--date",
            date,
            "--projet",
            "NET94",
            "--commune",
            "Villejuif",
            "--duree",
            "3h",
            "--participants",
            "12",
        ]);
    }
    let before = sb.json(&["session", "list"]);
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    // Back to schema 9, before the vocabulary (0010) and what the later migrations made.
    conn.execute_batch(&common::undo_migrations_after(9))
        .unwrap();
    conn.pragma_update(None, "user_version", 9).unwrap();
    drop(conn);
    let after = sb.json(&["session", "list"]);
    assert_eq!(column(&after, "thematiques"), [json!([]), json!([])]);
    assert_eq!(column(&after, "niveau"), [Value::Null, Value::Null]);
    for key in [
        "numero",
        "date",
        "participants",
        "duree_minutes",
        "code_insee",
    ] {
        assert_eq!(column(&after, key), column(&before, key), "{key}");
    }
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, ici::db::SCHEMA_VERSION);
    drop(conn);
    sb.ok(&["session", "corrige", "2", "--thematiques", "logement"]);
    assert_eq!(
        column(&sb.json(&["session", "list"]), "thematiques"),
        [json!([]), json!(["logement"])]
    );
}

const HEADER: &str = "Date;Type;Participants;Canaux d'accompagnement;Commune;Code postal;Code Insee;Durée (min);Nom de l'atelier;Matériel numérique utilisé;Thématique(s) d'accompagnement;Niveau;Genre;Tranche d'âge;Statut";

#[test]
fn the_coop_export_has_one_row_per_participation_and_no_identity() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "participant",
        "add",
        "--sexe",
        "f",
        "--naissance",
        "1980",
        "--statut",
        "retraite",
        "--nom",
        "Zylberstein",
        "--prenom",
        "Octavie",
        "--telephone",
        "0601020304",
    ]);
    sb.ok(&["participant", "add", "--sexe", "h", "--naissance", "2000"]);
    // 12 anonymous in Paris 18e, 7 women, 5 job seekers.
    sb.session(&[
        "--date",
        "2017-06-12",
        "--projet",
        "BP-PARIS",
        "--commune",
        "Paris 18e",
        "--duree",
        "3h",
        "--participants",
        "12",
        "--femmes",
        "7",
        "--demandeurs-emploi",
        "5",
        "--intitule",
        "Déposer son projet en ligne",
        "--formateur",
        "Karim Formateur",
        "--thematiques",
        "papiers-citoyennete|navigation-internet",
        "--materiel",
        "ordinateur",
        "--niveau",
        "debutant",
    ]);
    // Remote: the two named people and one anonymous woman.
    sb.session(&[
        "--date",
        "2017-09-04",
        "--projet",
        "NET94",
        "--lieu",
        "distance",
        "--duree",
        "90min",
        "--presents",
        "P-0001,P-0002",
        "--anonymes",
        "1",
        "--femmes",
        "1",
    ]);
    // Another year, and a cancelled one: not exported.
    sb.session(&[
        "--date",
        "2016-06-12",
        "--projet",
        "NET94",
        "--commune",
        "Cachan",
        "--duree",
        "3h",
        "--participants",
        "4",
    ]);
    let cancelled = sb.session(&[
        "--date",
        "2017-10-02",
        "--projet",
        "NET94",
        "--commune",
        "Cachan",
        "--duree",
        "3h",
        "--participants",
        "9",
    ]);
    sb.ok(&[
        "session",
        "annule",
        &cancelled.to_string(),
        "--motif",
        "grève",
    ]);

    let out = sb.path().join("activites.csv");
    let args = [
        "export",
        "activites",
        "--annee",
        "2017",
        "--format",
        "coop",
        "--excel",
        "-o",
        out.to_str().unwrap(),
    ];
    let run = sb.ici(&args).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", common::stderr(&run));
    assert_eq!(
        common::stderr(&run),
        format!(
            "15 ligne(s) exportée(s) vers {}, une par participation (nommée ou anonyme).\n",
            out.display()
        )
    );
    let bytes = std::fs::read(&out).unwrap();
    let expected_start = format!("\u{feff}{HEADER}\r\n");
    assert!(
        bytes.starts_with(expected_start.as_bytes()),
        "{:?}",
        String::from_utf8_lossy(&bytes[..200.min(bytes.len())])
    );
    let text = String::from_utf8(bytes).unwrap();
    let rows: Vec<&str> = text
        .trim_end_matches("\r\n")
        .split("\r\n")
        .skip(1)
        .collect();
    // One row per participation: the year's participations, cancelled sessions out.
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(rows.len() as i64, stats["participations"].as_i64().unwrap());
    assert_eq!(rows.len(), 12 + 3);
    assert_eq!(
        rows[0],
        "2017-06-12;Atelier collectif;1 sur 12;Lieu d'activité;Paris 18e Arrondissement;75018;75118;180;Déposer son projet en ligne;Ordinateur;Navigation sur internet, Papiers - Élections - Citoyenneté;Débutant;Féminin;Non communiqué;Sans emploi"
    );
    // The anonymous: 7 women then « Non communiqué »; 5 job seekers; no age known.
    let field = |row: &str, i: usize| row.split(';').nth(i).unwrap().to_string();
    let genres: Vec<String> = rows[..12].iter().map(|r| field(r, 12)).collect();
    assert_eq!(genres.iter().filter(|g| *g == "Féminin").count(), 7);
    assert_eq!(genres[7..], vec!["Non communiqué".to_string(); 5]);
    let statuts: Vec<String> = rows[..12].iter().map(|r| field(r, 14)).collect();
    assert_eq!(statuts.iter().filter(|s| *s == "Sans emploi").count(), 5);
    // The named people by their profile, in the session's year; then the anonymous.
    assert_eq!(
        rows[12..],
        [
            "2017-09-04;Atelier collectif;1 sur 3;À distance;;;;90;;;;;Féminin;25 - 39 ans;Retraité",
            "2017-09-04;Atelier collectif;2 sur 3;À distance;;;;90;;;;;Masculin;12 - 17 ans;Non communiqué",
            "2017-09-04;Atelier collectif;3 sur 3;À distance;;;;90;;;;;Féminin;Non communiqué;Non communiqué",
        ]
    );
    // Never a name, a code, a phone number or a trainer.
    for secret in [
        "Zylberstein",
        "Octavie",
        "0601020304",
        "P-0001",
        "P-0002",
        "Karim",
    ] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    // Logged as an export that holds personal data, without its content.
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    let (quoi, fichier, personnel): (String, String, bool) = conn
        .query_row(
            "SELECT quoi, fichier, personnel FROM export_journal ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (quoi.as_str(), fichier.as_str(), personnel),
        ("activites", out.to_str().unwrap(), true)
    );
    drop(conn);

    // Without --excel: commas, LF, no BOM; --format may be left out.
    let plain = sb.ok(&[
        "export",
        "activites",
        "--annee",
        "2017",
        "--projet",
        "NET94",
    ]);
    assert!(
        plain.starts_with(&format!("{}\n", HEADER.replace(';', ","))),
        "{plain}"
    );
    assert_eq!(plain.lines().count(), 1 + 3);
}

#[test]
fn the_coop_export_is_refused_without_a_year_or_with_another_format() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(&["export", "activites", "--format", "coop"], 2);
    assert_eq!(
        err,
        "erreur : export activites : indiquez l'année avec --annee (par exemple --annee 2017)\n"
    );
    let err = sb.refused(
        &["export", "sessions", "--annee", "2017", "--format", "coop"],
        2,
    );
    assert!(
        err.contains("--format ne vaut que pour `ici export activites`"),
        "{err}"
    );
    let err = sb.refused(
        &["export", "activites", "--annee", "2017", "--format", "ods"],
        2,
    );
    assert!(err.contains("coop"), "{err}");
}
