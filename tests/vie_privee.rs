//! Privacy and safety of what `ici` keeps and shows: an erasure that leaves nothing
//! linking the person to their former row or code, the reminder of the files made
//! outside the ledger, confirmations of the acts that cannot be undone, and text shown
//! on a terminal with its control characters escaped and its long values cut.

mod common;

use common::{Sandbox, plain_spaces};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Adds a person and returns their code.
fn add_person(sb: &Sandbox, flags: &[&str]) -> String {
    let mut args = vec!["participant", "add"];
    args.extend(flags);
    let out = sb.ok(&args);
    let rest = out.strip_prefix("Participant ").expect("confirmation");
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

fn db(sb: &Sandbox) -> Connection {
    Connection::open(sb.ledger()).unwrap()
}

fn count(conn: &Connection, sql: &str, id: i64) -> i64 {
    conn.query_row(sql, [id], |r| r.get(0)).unwrap()
}

/// The ledger file and its write-ahead log, as bytes.
fn ledger_bytes(sb: &Sandbox) -> Vec<u8> {
    let mut bytes = std::fs::read(sb.ledger()).unwrap();
    if let Ok(wal) = std::fs::read(sb.path().join("l.sqlite-wal")) {
        bytes.extend(wal);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Two people at three sessions of 2017, the first one with an identity, a profile
/// and an exit; returns the ledger ready for `oublie P-0001`.
fn two_people() -> Sandbox {
    let sb = Sandbox::with_refs();
    add_person(
        &sb,
        &["--nom", "Martinez", "--sexe", "f", "--naissance", "1990"],
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
    sb
}

const FIGURES: [&str; 6] = [
    "personnes_formees",
    "participations",
    "heures_stagiaires",
    "heures_formation",
    "personnes_nommees",
    "sessions",
];

#[test]
fn an_erased_person_moves_to_a_new_row_and_the_old_id_is_gone() {
    let sb = two_people();
    let conn = db(&sb);
    let old: i64 = conn
        .query_row(
            "SELECT id FROM participant WHERE code = 'P-0001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sessions_of = |id: i64| -> BTreeSet<(i64, Option<i64>)> {
        conn.prepare("SELECT session_id, minutes FROM presence WHERE participant_id = ?1")
            .unwrap()
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let attended = sessions_of(old);
    assert_eq!(attended.len(), 3);
    let before = sb.json(&["stats", "2017"]);

    sb.ok(&["participant", "oublie", "P-0001", "--oui"]);

    for (table, sql) in [
        (
            "participant",
            "SELECT count(*) FROM participant WHERE id = ?1",
        ),
        (
            "presence",
            "SELECT count(*) FROM presence WHERE participant_id = ?1",
        ),
        (
            "sortie",
            "SELECT count(*) FROM sortie WHERE participant_id = ?1",
        ),
        (
            "participant_identite",
            "SELECT count(*) FROM participant_identite WHERE participant_id = ?1",
        ),
    ] {
        assert_eq!(
            count(&conn, sql, old),
            0,
            "the old id {old} is still in {table}"
        );
    }
    let (new, code, cree_le): (i64, String, String) = conn
        .query_row(
            "SELECT id, code, cree_le FROM participant WHERE code GLOB 'X-*'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let highest: i64 = conn
        .query_row("SELECT max(id) FROM participant", [], |r| r.get(0))
        .unwrap();
    assert_eq!(new, highest, "the erased person is numbered after everyone");
    assert_ne!(new, old);
    assert!(code.starts_with("X-"), "{code}");
    // Only the year of the erasure: not the time of the registration.
    assert_eq!(cree_le.len(), 4, "{cree_le}");
    assert_eq!(
        sessions_of(new),
        attended,
        "the presences moved with the person"
    );
    let (date, noted): (String, String) = conn
        .query_row(
            "SELECT date, cree_le FROM sortie WHERE participant_id = ?1",
            [new],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((date.as_str(), noted.as_str()), ("2017-01-01", "2017"));

    let after = sb.json(&["stats", "2017"]);
    for key in FIGURES {
        assert_eq!(after[key], before[key], "{key} changed with the erasure");
    }
    assert_eq!(after["personnes_formees"], json!(2 + 3));
    assert_eq!(after["participations"], json!(9));
    assert!(after["resultats_par_projet"].is_array(), "{after}");
    assert_eq!(
        after["resultats_par_projet"], before["resultats_par_projet"],
        "exits and outcomes per project"
    );
}

#[test]
fn no_fingerprint_of_the_erased_code_is_left_to_undo() {
    let sb = two_people();
    sb.ok(&["participant", "oublie", "P-0001", "--oui"]);
    let conn = db(&sb);
    let retired: i64 = conn
        .query_row("SELECT count(*) FROM code_retire", [], |r| r.get(0))
        .unwrap();
    assert_eq!(retired, 0, "a fingerprint of a retired code is kept");
    drop(conn);
    // Whoever holds the file tries every code, hashed the way the code hashes them:
    // nothing in the file or its log matches.
    let bytes = ledger_bytes(&sb);
    let hex_runs: BTreeSet<&[u8]> = bytes
        .split(|b| !b.is_ascii_hexdigit())
        .filter(|run| run.len() >= 16)
        .flat_map(|run| run.windows(16))
        .collect();
    for n in 0..=9999 {
        let code = format!("P-{n:04}");
        let hash = format!("{:016x}", ici::domain::fingerprint::fnv1a(code.as_bytes()));
        assert!(
            !hex_runs.contains(hash.as_bytes()),
            "{code} can be found by its hash"
        );
    }
    assert!(!contains(&bytes, "P-0001"));
    assert!(!contains(&bytes, "Martinez"));

    // And yet the code is never given again, typed or automatic.
    let err = sb.refused(&["participant", "add", "--code", "P-0001"], 2);
    assert!(
        err.starts_with("erreur : --code : le code P-0001 n'est plus attribué"),
        "{err}"
    );
    assert!(
        err.contains("sans --code, un code libre est donné"),
        "{err}"
    );
    assert_eq!(add_person(&sb, &[]), "P-0003");
    // A code above every code given is still free to type.
    assert_eq!(add_person(&sb, &["--code", "P-0010"]), "P-0010");
}

#[test]
fn a_gap_below_the_counter_is_filled_only_while_nobody_was_erased() {
    let sb = Sandbox::with_refs();
    add_person(&sb, &["--code", "P-0005"]);
    assert_eq!(add_person(&sb, &["--code", "P-0002"]), "P-0002");
    add_person(&sb, &["--code", "P-0003"]);
    sb.ok(&["participant", "oublie", "P-0003", "--oui"]);
    // P-0003 may not be typed again; neither may P-0004, since nothing tells which
    // codes below the counter were erased.
    for code in ["P-0003", "P-0004"] {
        let err = sb.refused(&["participant", "add", "--code", code], 2);
        assert!(
            err.contains(&format!("le code {code} n'est plus attribué")),
            "{err}"
        );
    }
    assert_eq!(add_person(&sb, &[]), "P-0006");
}

/// Logs an export the way the export side does, directly in the ledger.
fn log_export(sb: &Sandbox, fait_le: &str, quoi: &str, fichier: &str, personnel: bool) {
    db(sb)
        .execute(
            "INSERT INTO export_journal (fait_le, quoi, fichier, personnel)
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![fait_le, quoi, fichier, personnel],
        )
        .unwrap();
}

/// `2026-11-29T10:12:00` → `29/11/2026`.
fn day_fr(stamp: &str) -> String {
    format!("{}/{}/{}", &stamp[8..10], &stamp[5..7], &stamp[..4])
}

#[test]
fn oublie_lists_the_personal_exports_made_since_the_registration() {
    let sb = two_people();
    let conn = db(&sb);
    let registered: String = conn
        .query_row(
            "SELECT cree_le FROM participant WHERE code = 'P-0001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let later: String = conn
        .query_row("SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now')", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(conn);
    log_export(&sb, "2016-03-01T09:00:00", "fse", "fse-2016.csv", true);
    log_export(&sb, &later, "fse", "fse-net94.csv", true);
    log_export(&sb, &later, "sessions", "sessions-2017.csv", false);
    log_export(
        &sb,
        "2999-01-01T00:00:00",
        "sauvegarde",
        "copie.sqlite",
        true,
    );

    let out = sb.ok(&["participant", "oublie", "P-0001", "--oui"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(
        lines[1],
        format!(
            "Ces fichiers, faits depuis son inscription le {}, peuvent encore contenir ses données : fse-net94.csv (fse, le {}), copie.sqlite (sauvegarde, le 01/01/2999) ; effacez-les ou mettez-les à jour.",
            day_fr(&registered),
            day_fr(&later)
        )
    );
    assert!(
        !out.contains("fse-2016.csv"),
        "made before the registration"
    );
    assert!(!out.contains("sessions-2017.csv"), "no personal data in it");

    // Nothing logged since: said so.
    let out = sb.ok(&["participant", "oublie", "P-0002", "--oui"]);
    assert!(
        out.contains(
            "copie.sqlite (sauvegarde, le 01/01/2999) ; effacez-les ou mettez-les à jour."
        ),
        "{out}"
    );
    let sb = two_people();
    let out = sb.ok(&["participant", "oublie", "P-0002", "--oui"]);
    assert!(
        out.ends_with(&format!(
            "Aucun export ni sauvegarde de données personnelles n'est noté depuis son inscription le {}.\n",
            day_fr(&registered)
        )),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------
// Confirmations

const NO_TERMINAL: &str = "ajoutez --oui pour confirmer sans question";

#[test]
fn oublie_without_a_terminal_and_without_oui_does_nothing() {
    let sb = two_people();
    // stdin is not a terminal under the test harness (null, or a pipe).
    let err = sb.refused(&["participant", "oublie", "P-0001"], 2);
    assert!(
        err.starts_with(
            "erreur : Effacer P-0001 est définitif et demande une confirmation : rien n'a été fait."
        ),
        "{err}"
    );
    assert!(err.contains(NO_TERMINAL), "{err}");
    assert!(
        err.contains("`ici participant oublie P-0001 --oui`"),
        "{err}"
    );
    let out = sb
        .ici(&["participant", "oublie", "p-1"])
        .write_stdin("P-0001\n")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "typed on a pipe, not a terminal"
    );
    assert_eq!(
        sb.json(&["participant", "list"]).as_array().unwrap().len(),
        2
    );
    assert!(sb.ok(&["participant", "show", "P-0001"]).contains("P-0001"));
    // The code is checked before asking: a wrong code says so, not « --oui ».
    let err = sb.refused(&["participant", "oublie", "P-0009"], 2);
    assert!(err.contains("participant P-0009 inconnu"), "{err}");
    assert!(!err.contains("--oui"), "{err}");

    let out = sb.ok(&["participant", "oublie", "p-1", "--oui"]);
    assert!(
        out.starts_with("P-0001 effacé à sa demande : nom, coordonnées et profil sont supprimés du registre, de ses sorties ne restent que la situation et l'année. Ses 3 présence(s) restent comptées"),
        "{out}"
    );
    sb.fails(&["participant", "show", "P-0001"], 2);
}

#[test]
fn cloture_without_a_terminal_and_without_oui_does_nothing() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-09-15",
        "--montant",
        "20000",
        "--compte",
        "7413",
        "--libelle",
        "Subvention",
    ]);
    let err = sb.refused(&["cloture", "2017"], 2);
    assert!(
        err.starts_with(
            "erreur : Clôturer l'exercice 2017 est définitif et demande une confirmation : rien n'a été fait."
        ),
        "{err}"
    );
    assert!(err.contains(NO_TERMINAL), "{err}");
    assert!(err.contains("`ici cloture 2017 --oui`"), "{err}");
    assert_eq!(sb.json(&["cloture"]), Value::Array(vec![]));
    // A year that cannot be closed says why, before any question.
    let err = sb.refused(&["cloture", "2016"], 2);
    assert!(err.contains("aucune écriture"), "{err}");
    assert!(!err.contains("--oui"), "{err}");

    let out = plain_spaces(&sb.ok(&["cloture", "2017", "--oui"]));
    assert!(
        out.starts_with("Exercice 2017 clos : produits 20 000,00 €"),
        "{out}"
    );
    assert_eq!(sb.json(&["cloture"])[0]["annee"], json!(2017));
    let err = sb.refused(&["cloture", "2017", "--oui"], 2);
    assert!(err.contains("déjà clos"), "{err}");
}

/// Runs `ici --ledger L ARGS…` on a pseudo-terminal (util-linux `script`), typing
/// `typed`; returns the exit status and what the terminal showed, or None when
/// `timeout` or `script` is not installed.
fn on_a_terminal(sb: &Sandbox, args: &str, typed: &str) -> Option<(i32, String)> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let line = format!(
        "'{}' --ledger '{}' {args}",
        env!("CARGO_BIN_EXE_ici"),
        sb.ledger().display()
    );
    // `timeout` bounds the run should the terminal never see the end of the input.
    let child = Command::new("timeout")
        .args(["60", "script", "-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.path())
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("`timeout` is not installed: the terminal path is not tried");
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(127) {
        eprintln!("`script` is not installed: the terminal path is not tried");
        return None;
    }
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
    ))
}

#[test]
fn on_a_terminal_the_year_or_the_code_is_typed_to_confirm() {
    let sb = two_people();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-09-15",
        "--montant",
        "100",
        "--compte",
        "7413",
        "--libelle",
        "Subvention",
    ]);
    let before = sb.snapshot();
    let Some((code, shown)) = on_a_terminal(&sb, "cloture 2017", "2016\n") else {
        return;
    };
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("Tapez 2017 pour confirmer (autre chose annule) : "),
        "{shown}"
    );
    assert!(
        shown.contains(
            "erreur : Clôturer l'exercice 2017 : « 2016 » n'est pas 2017, rien n'a été fait"
        ),
        "{shown}"
    );
    sb.snapshot().assert_same(&before, &["cloture", "2017"]);
    let (code, shown) = on_a_terminal(&sb, "cloture 2017", "2017\n").unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("Exercice 2017 clos"), "{shown}");
    assert_eq!(sb.json(&["cloture"])[0]["annee"], json!(2017));

    let (code, shown) = on_a_terminal(&sb, "participant oublie P-0001", "\n").unwrap();
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("Effacer P-0001 : non confirmé, rien n'a été fait"),
        "{shown}"
    );
    let (code, shown) = on_a_terminal(&sb, "participant oublie P-0001", "p-0001\n").unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("P-0001 effacé à sa demande"), "{shown}");
    sb.fails(&["participant", "show", "P-0001"], 2);
}

// ---------------------------------------------------------------------------------------
// What the terminal is given

const TITLE: &str = "Atelier \u{1b}[31mROUGE\u{1b}[0m \u{202e}txt.exe\u{7}\u{9b}2J fin";

#[test]
fn escape_sequences_stored_in_a_title_are_shown_escaped_in_tables() {
    let sb = Sandbox::with_refs();
    let out = sb.ok(&[
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
        "--participants",
        "4",
        "--intitule",
        TITLE,
    ]);
    for (what, out) in [
        ("session add", out),
        ("session list", sb.ok(&["session", "list"])),
    ] {
        // Cut across lines by the table's width: compare without the frame.
        let flat: String = out
            .lines()
            .flat_map(|l| l.split(['│', '┆']).map(str::trim))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{what} printed a control character raw:\n{out:?}"
        );
        for part in [r"\u{1b}[31mROUGE\u{1b}[0m", r"\u{202e}txt.exe\u{7}\u{9b}2J"] {
            assert!(flat.contains(part), "{what}: no {part} in\n{out}");
        }
    }
    // Data stays data: the CSV and the JSON keep the title as stored.
    let csv = sb.ok(&["session", "list", "--format", "csv"]);
    assert!(csv.contains(TITLE), "{csv:?}");
    let json = sb.json(&["session", "list"]);
    assert_eq!(json[0]["intitule"], json!(TITLE));
}

#[test]
fn a_long_value_is_cut_in_an_error_message() {
    let sb = Sandbox::with_refs();
    let long = "a".repeat(120_000);
    let err = sb.refused(&["projet", "add", &long, "--theme", "emploi"], 2);
    assert!(err.len() < 300, "{} bytes of message", err.len());
    assert_eq!(
        plain_spaces(&err),
        format!(
            "erreur : nom de projet trop long (120 caractères au plus) : « {}… » (120 000 caractères)\n",
            "a".repeat(60)
        )
    );
}

#[test]
fn control_characters_in_an_error_message_are_escaped() {
    let sb = Sandbox::with_refs();
    let err = sb.refused(&["participant", "show", "\u{1b}]0;pwned\u{7}\u{1b}[2J"], 2);
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
    assert!(err.contains(r"\u{1b}]0;pwned\u{7}\u{1b}[2J"), "{err}");
    assert!(err.ends_with('\n') && err.starts_with("erreur : "), "{err}");
    // Usage errors too, where the value typed is echoed.
    let err = sb.refused(&["session", "list", "--format", "\u{1b}[2Jx"], 2);
    assert!(
        err.starts_with("erreur : valeur « \\u{1b}[2Jx » invalide pour --format"),
        "{err}"
    );
    let err = sb.refused(&["session", "list", "--\u{202e}x"], 2);
    assert!(
        err.starts_with("erreur : option inconnue : --\\u{202e}x\n"),
        "{err}"
    );
}
