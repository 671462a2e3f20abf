//! End-to-end tests of how `ici` names places: communes resolved to their INSEE code
//! (by code, postal code or a forgiving name), sessions held at a distance,
//! ambiguous and misspelt names refused without touching the ledger, `ici commune
//! cherche`, the roll-up of arrondissements and territories in `ici stats`, the
//! migration of a ledger written before INSEE codes, imports and exports.
//!
//! Each test runs the real binary on a ledger of its own, in a temporary directory
//! that is also `HOME`, with an environment cleared of everything but PATH. The
//! helpers live in this file on purpose (it does not share `tests/common`).

use assert_cmd::Command;
use ici::db::SCHEMA_VERSION;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A temporary directory that is also `HOME`, holding the ledger `l.sqlite`.
struct Env {
    dir: TempDir,
}

impl Env {
    /// No ledger yet.
    fn empty() -> Env {
        Env {
            dir: tempfile::Builder::new()
                .prefix("ici-territoires-")
                .tempdir()
                .expect("temporary directory"),
        }
    }

    /// An initialised ledger with one project, `P`.
    fn new() -> Env {
        let env = Env::empty();
        env.ok(&["init"]);
        env.ok(&["projet", "add", "P", "--theme", "emploi"]);
        env
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn ledger(&self) -> PathBuf {
        self.path().join("l.sqlite")
    }

    /// `ici --ledger <tmp>/l.sqlite ARGS`, with nothing of the user's environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("ici").expect("the ici binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .current_dir(self.path())
            .arg("--ledger")
            .arg(self.ledger())
            .args(args)
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("ici runs")
    }

    /// Runs and requires exit status 0; returns stdout and stderr.
    fn ok_both(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let (stdout, stderr) = texts(&out);
        assert_eq!(
            out.status.code(),
            Some(0),
            "ici {args:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        (stdout, stderr)
    }

    /// Runs and requires exit status 0 and a silent stderr; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let (stdout, stderr) = self.ok_both(args);
        assert_eq!(stderr, "", "ici {args:?}: nothing expected on stderr");
        stdout
    }

    /// Runs and requires this exit status; returns stderr.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let (stdout, stderr) = texts(&out);
        assert_eq!(
            out.status.code(),
            Some(code),
            "ici {args:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
        stderr
    }

    /// Runs, requires success, parses stdout as JSON.
    fn json(&self, args: &[&str]) -> Value {
        parse_json(&self.ok(args))
    }

    /// `ici session list --format json` (with any extra arguments).
    fn sessions(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["session", "list", "--format", "json"];
        args.extend_from_slice(extra);
        match self.json(&args) {
            Value::Array(items) => items,
            other => panic!("a JSON array expected, got {other}"),
        }
    }

    /// The `code_insee` of every session, in list order (`None` when null).
    fn codes(&self) -> Vec<Option<String>> {
        self.sessions(&[])
            .iter()
            .map(|s| s["code_insee"].as_str().map(String::from))
            .collect()
    }

    /// Records a session of project `P` on 2017-03-01 with these place options.
    fn add_args(&self, place: &[&str], participants: u32) -> Vec<String> {
        let mut args: Vec<String> = [
            "session",
            "add",
            "--date",
            "2017-03-01",
            "--projet",
            "P",
            "--duree",
            "2h",
            "--participants",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push(participants.to_string());
        args.extend(place.iter().map(|s| s.to_string()));
        args
    }

    /// Records a session in this commune; requires success.
    fn add(&self, commune: &str) -> String {
        self.add_with(&["--commune", commune], 3)
    }

    fn add_with(&self, place: &[&str], participants: u32) -> String {
        // The same place named in several ways, on the same day: meant, hence --doublon.
        let mut args = self.add_args(place, participants);
        args.push("--doublon".to_string());
        self.ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Records a session dated `date` in `commune` with `participants`.
    fn add_on(&self, date: &str, commune: &str, participants: u32) {
        let participants = participants.to_string();
        self.ok(&[
            "session",
            "add",
            "--date",
            date,
            "--projet",
            "P",
            "--commune",
            commune,
            "--duree",
            "2h",
            "--participants",
            &participants,
        ]);
    }

    /// Records one session per `(typed, code)` pair, then checks with a single list
    /// that each was stored with its code.
    fn add_each<T: AsRef<str>, C: AsRef<str>>(&self, cases: &[(T, C)]) {
        for (typed, _) in cases {
            self.add(typed.as_ref());
        }
        let codes = self.codes();
        let tail = &codes[codes.len() - cases.len()..];
        for ((typed, code), got) in cases.iter().zip(tail) {
            assert_eq!(
                got.as_deref(),
                Some(code.as_ref()),
                "--commune {:?}",
                typed.as_ref()
            );
        }
    }

    /// Tries to record a session with these place options; requires exit 2 and
    /// returns stderr.
    fn add_refused(&self, place: &[&str]) -> String {
        let args = self.add_args(place, 3);
        self.fails(2, &args.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Writes a file in the temporary directory; returns its path as text.
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write a test file");
        path.to_str().expect("UTF-8 path").to_string()
    }
}

fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8(out.stdout.clone()).expect("stdout in UTF-8"),
        String::from_utf8(out.stderr.clone()).expect("stderr in UTF-8"),
    )
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array expected, got {v}"))
        .iter()
        .map(|x| {
            x.as_str()
                .unwrap_or_else(|| panic!("a string expected, got {x}"))
        })
        .collect()
}

fn field<'a>(items: &'a Value, key: &str) -> Vec<&'a str> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("an array expected, got {items}"))
        .iter()
        .map(|x| x[key].as_str().unwrap_or_else(|| panic!("{key} in {x}")))
        .collect()
}

fn some(codes: &[&str]) -> Vec<Option<String>> {
    codes.iter().map(|c| Some(c.to_string())).collect()
}

/// The ledger as bytes, to prove a refused command wrote nothing.
///
/// Taken after `PRAGMA wal_checkpoint(TRUNCATE)` through a connection of our own:
/// everything committed so far is then in the main file and the write-ahead log is
/// empty (closing our connection, the last one, even deletes it). A command that
/// commits anything afterwards must either leave frames in `-wal` or, when its
/// connection closes, checkpoint them into the main file: either way the bytes
/// differ. The `-shm` file is left out: it is only the shared-memory index of the
/// log, rewritten by any reader, and holds no data. The session rows are compared
/// too (read in-process, which writes nothing), so that a failure shows what
/// changed and not only that something did.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    main: Vec<u8>,
    wal: Option<Vec<u8>>,
    rows: Vec<String>,
}

impl Env {
    fn snapshot(&self) -> Snapshot {
        let rows = {
            let conn = Connection::open(self.ledger()).expect("open the ledger");
            let busy: i64 = conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
                .expect("checkpoint");
            assert_eq!(busy, 0, "the checkpoint must not be blocked");
            session_rows(&conn)
        };
        Snapshot {
            rows,
            ..self.file_bytes()
        }
    }

    /// The bytes as they are, without checkpointing.
    fn file_bytes(&self) -> Snapshot {
        let wal = self.path().join("l.sqlite-wal");
        Snapshot {
            main: std::fs::read(self.ledger()).expect("read the ledger"),
            wal: wal
                .exists()
                .then(|| std::fs::read(&wal).expect("read the WAL")),
            rows: Vec::new(),
        }
    }

    /// The bytes (read first) and the session rows must be those of `before`.
    fn assert_unchanged(&self, before: &Snapshot) {
        let now = self.file_bytes();
        let rows = session_rows(&Connection::open(self.ledger()).expect("open the ledger"));
        assert_eq!(rows, before.rows, "the sessions changed");
        assert!(
            now.main == before.main,
            "the ledger file changed ({} bytes before, {} now)",
            before.main.len(),
            now.main.len()
        );
        assert_eq!(
            now.wal.as_ref().map(Vec::len),
            before.wal.as_ref().map(Vec::len),
            "the write-ahead log changed"
        );
        assert!(now.wal == before.wal, "the write-ahead log changed");
    }
}

/// Every session row, one line each, for the diagnostics of [`Env::assert_unchanged`].
fn session_rows(conn: &Connection) -> Vec<String> {
    let mut st = conn
        .prepare("SELECT * FROM session ORDER BY id")
        .expect("read the sessions");
    let columns = st.column_count();
    st.query_map([], |r| {
        let cells = (0..columns)
            .map(|i| Ok(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?)))
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(cells.join("|"))
    })
    .expect("query the sessions")
    .collect::<rusqlite::Result<_>>()
    .expect("the sessions")
}

/// `(label, code)` of each candidate an error lists as `« Label (dep) » (code)`.
fn candidates(stderr: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = stderr;
    while let Some(start) = rest.find('«') {
        let after = &rest[start + '«'.len_utf8()..];
        let Some(end) = after.find('»') else { break };
        let label = after[..end].trim().to_string();
        let tail = &after[end + '»'.len_utf8()..];
        if let Some(code) = tail
            .strip_prefix(" (")
            .and_then(|t| t.get(..6))
            .and_then(|t| t.strip_suffix(')'))
        {
            found.push((label, code.to_string()));
        }
        rest = tail;
    }
    found
}

// ---------------------------------------------------------------------------
// 1. Naming a commune on `ici session add`
// ---------------------------------------------------------------------------

#[test]
fn session_add_accepts_every_way_of_naming_a_commune() {
    let env = Env::new();
    let table = [
        ("94043", "94043"),              // INSEE code
        ("94270", "94043"),              // postal code
        ("kremlin bicetre", "94043"),    // no case, no accent, no hyphen
        ("LE KREMLIN-BICÊTRE", "94043"), // upper case
        ("Kremlin-Bicêtre", "94043"),    // leading article dropped
        ("l'hay les roses", "94038"),    // apostrophe, ÿ typed y
        ("St-Maur-des-Fossés", "94068"), // St- for Saint-
        ("Paris 18e", "75118"),          // arrondissement
        ("Paris 18", "75118"),           // arrondissement without its "e"
        ("75018", "75118"),              // postal code of an arrondissement
        ("Saint-Denis (93)", "93066"),   // homonym narrowed by département
        ("  Villejuif  ", "94076"),      // surrounding blanks
        ("Saint-Denis 93200", "93066"),  // homonym narrowed by postal code
        ("Fresnes (94)", "94034"),       // the fixture's own spelling
        ("Paris", "75056"),              // the city itself
        ("Paris 1er", "75101"),          // "1er", not "1e"
    ];
    for (i, (typed, code)) in table.iter().enumerate() {
        let stdout = env.add(typed);
        assert!(
            stdout.contains(&format!("Session n° {} enregistrée.", i + 1)),
            "{typed:?}: {stdout}"
        );
        assert!(
            stdout.contains(&format!("({code}, ")),
            "{typed:?}: {stdout}"
        );
    }
    let sessions = env.sessions(&[]);
    assert_eq!(sessions.len(), table.len());
    for ((typed, code), s) in table.iter().zip(&sessions) {
        assert_eq!(s["code_insee"], json!(code), "{typed:?}");
        assert_eq!(s["lieu"], json!("site"), "{typed:?}");
    }
    // The official names are stored, whatever was typed.
    assert_eq!(sessions[0]["commune"], json!("Le Kremlin-Bicêtre"));
    assert_eq!(sessions[3]["commune"], json!("Le Kremlin-Bicêtre"));
    assert_eq!(sessions[5]["commune"], json!("L'Haÿ-les-Roses"));
    assert_eq!(sessions[6]["commune"], json!("Saint-Maur-des-Fossés"));
    assert_eq!(sessions[7]["commune"], json!("Paris 18e Arrondissement"));
    assert_eq!(sessions[10]["commune"], json!("Saint-Denis"));
}

#[test]
fn session_at_a_distance_has_no_commune() {
    let env = Env::new();
    let stdout = env.add_with(&["--lieu", "distance"], 5);
    assert!(stdout.contains("Session n° 1 enregistrée."), "{stdout}");
    assert!(stdout.contains("à distance"), "{stdout}");
    // `--lieu site` is the default, spelt out.
    env.add_with(&["--lieu", "site", "--commune", "94043"], 4);
    let sessions = env.sessions(&[]);
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["lieu"], json!("distance"));
    assert_eq!(sessions[0]["code_insee"], Value::Null);
    assert_eq!(sessions[0]["commune"], json!("à distance"));
    assert_eq!(sessions[0]["participants"], json!(5));
    assert_eq!(sessions[1]["lieu"], json!("site"));
    assert_eq!(sessions[1]["code_insee"], json!("94043"));
}

// ---------------------------------------------------------------------------
// 2. Ambiguous and misspelt communes: exit 2, ledger unchanged
// ---------------------------------------------------------------------------

#[test]
fn ambiguous_name_lists_the_homonyms_and_how_to_pick_one() {
    let env = Env::new();
    env.add("Villejuif");
    let before = env.snapshot();
    let stderr = env.add_refused(&["--commune", "Saint-Denis"]);
    env.assert_unchanged(&before);
    assert!(stderr.starts_with("erreur : --commune : "), "{stderr}");
    assert!(stderr.contains("« Saint-Denis » ambiguë"), "{stderr}");
    for (label, code) in [
        ("Saint-Denis (93)", "93066"),
        ("Saint-Denis (974)", "97411"),
        ("Saint-Denis (11)", "11339"),
        ("Saint-Denis (30)", "30247"),
    ] {
        assert!(
            stderr.contains(&format!("« {label} » ({code})")),
            "{label} {code}: {stderr}"
        );
    }
    assert_eq!(candidates(&stderr).len(), 4, "{stderr}");
    // How to pick: type one of the labels listed, or `insee CODE`.
    assert!(stderr.contains("par exemple « Saint-Denis ("), "{stderr}");
    assert!(stderr.contains("« insee CODE »"), "{stderr}");
    // Every label listed, typed back, picks its commune; so does `insee CODE`; and
    // a bare code that is no other commune's postal code is enough.
    let mut cases: Vec<(String, String)> = Vec::new();
    for (label, code) in candidates(&stderr) {
        cases.push((format!("insee {code}"), code.clone()));
        cases.push((label, code));
    }
    cases.push(("93066".into(), "93066".into()));
    env.add_each(&cases);
    assert_eq!(env.codes().len(), 1 + 4 * 2 + 1);
}

/// 97411 is the INSEE code of Saint-Denis (974) and a postal code of Saint-Paul
/// (97415): typed bare it is ambiguous, and the error says how to settle it.
#[test]
fn insee_code_that_is_also_a_postal_code_is_settled_by_insee_or_cp() {
    let env = Env::new();
    env.add("Villejuif");
    let before = env.snapshot();
    let stderr = env.add_refused(&["--commune", "97411"]);
    env.assert_unchanged(&before);
    assert!(stderr.contains("« 97411 » ambiguë"), "{stderr}");
    assert_eq!(
        candidates(&stderr),
        [
            ("Saint-Denis (974)".to_string(), "97411".to_string()),
            ("Saint-Paul (974)".to_string(), "97415".to_string()),
        ],
        "the INSEE match first: {stderr}"
    );
    assert!(stderr.contains("« insee CODE »"), "{stderr}");
    env.add_each(&[
        ("insee 97411", "97411"),
        ("INSEE:97411", "97411"),
        ("cp 97411", "97415"),
        ("Saint-Paul (974)", "97415"),
    ]);
}

#[test]
fn postal_code_shared_by_two_communes_lists_both() {
    // 94520 is the postal code of Mandres-les-Roses (94047) and Périgny (94056),
    // and no commune's INSEE code (see data/communes.tsv).
    let env = Env::new();
    env.add("Villejuif");
    let before = env.snapshot();
    let stderr = env.add_refused(&["--commune", "94520"]);
    env.assert_unchanged(&before);
    assert!(stderr.contains("--commune"), "{stderr}");
    assert!(stderr.contains("« 94520 » ambiguë"), "{stderr}");
    assert!(
        stderr.contains("« Mandres-les-Roses (94) » (94047)"),
        "{stderr}"
    );
    assert!(stderr.contains("« Périgny (94) » (94056)"), "{stderr}");
    let mut codes: Vec<String> = candidates(&stderr).into_iter().map(|c| c.1).collect();
    codes.sort();
    assert_eq!(codes, ["94047", "94056"], "{stderr}");
    // Either label, either code, or the name with the postal code, picks one.
    env.add_each(&[
        ("Périgny (94)", "94056"),
        ("Mandres-les-Roses (94)", "94047"),
        ("94056", "94056"),
        ("94047", "94047"),
        ("Périgny 94520", "94056"),
        ("94520 Mandres-les-Roses", "94047"),
    ]);
}

#[test]
fn misspelt_names_are_refused_with_the_right_suggestion() {
    let env = Env::new();
    env.add("Villejuif");
    for (typed, suggestion) in [
        ("L'Haï-les-Roses", "« L'Haÿ-les-Roses (94) » (94038)"),
        ("Villejuiff", "« Villejuif (94) » (94076)"),
    ] {
        let before = env.snapshot();
        let stderr = env.add_refused(&["--commune", typed]);
        env.assert_unchanged(&before);
        assert!(stderr.starts_with("erreur : --commune : "), "{stderr}");
        assert!(
            stderr.contains(&format!("« {typed} » inconnue")),
            "{stderr}"
        );
        // The right commune is the first one proposed.
        assert!(
            stderr.contains(&format!("Vouliez-vous dire {suggestion}")),
            "{typed}: {stderr}"
        );
        assert!(stderr.contains("ici commune cherche"), "{stderr}");
    }
}

#[test]
fn distance_with_a_commune_and_unknown_lieu_are_refused() {
    let env = Env::new();
    env.add("Villejuif");
    let before = env.snapshot();

    let stderr = env.add_refused(&["--lieu", "distance", "--commune", "Villejuif"]);
    assert!(stderr.starts_with("erreur : --commune : "), "{stderr}");
    assert!(
        stderr.contains("une session à distance n'a pas de commune"),
        "{stderr}"
    );

    for place in [
        &["--lieu", "ailleurs"][..],
        &["--lieu", "ailleurs", "--commune", "Villejuif"][..],
    ] {
        let stderr = env.add_refused(place);
        assert!(
            stderr.starts_with("erreur : --lieu : "),
            "{place:?}: {stderr}"
        );
        assert!(stderr.contains("« ailleurs » inconnu"), "{stderr}");
        assert!(
            stderr.contains("site") && stderr.contains("distance"),
            "{stderr}"
        );
    }

    // On site, a commune is required.
    let stderr = env.add_refused(&["--lieu", "site"]);
    assert!(stderr.contains("--commune"), "{stderr}");
    // Neither a commune nor a lieu: clap's own usage error.
    let stderr = env.add_refused(&[]);
    assert!(stderr.contains("--commune"), "{stderr}");

    env.assert_unchanged(&before);
}

/// `--lieu` is a keyword like the theme of a project (`Éducation populaire` is
/// accepted) or the type of a finance line (`Produit`): a spreadsheet column typed
/// `Distance` should not reject the whole import.
#[test]
fn lieu_keyword_ignores_case() {
    let env = Env::new();
    env.add_with(&["--lieu", "Distance"], 3);
    env.add_with(&["--lieu", "DISTANCE"], 3);
    env.add_with(&["--lieu", "Site", "--commune", "Villejuif"], 3);
    let lieux: Vec<Value> = env
        .sessions(&[])
        .iter()
        .map(|s| s["lieu"].clone())
        .collect();
    assert_eq!(lieux, [json!("distance"), json!("distance"), json!("site")]);
}

// ---------------------------------------------------------------------------
// 3. `ici commune cherche`
// ---------------------------------------------------------------------------

#[test]
fn commune_cherche_by_name_postal_code_and_homonyms() {
    let env = Env::empty();

    let found = env.json(&["commune", "cherche", "kremlin", "--format", "json"]);
    let first = &found[0];
    assert_eq!(first["code"], json!("94043"));
    assert_eq!(first["nom"], json!("Le Kremlin-Bicêtre"));
    assert_eq!(first["saisie"], json!("Le Kremlin-Bicêtre (94)"));
    assert_eq!(first["departement"], json!("94"));
    assert_eq!(first["departement_nom"], json!("Val-de-Marne"));
    assert_eq!(first["intercommunalite"], json!("200058014"));
    assert_eq!(
        first["intercommunalite_nom"],
        json!("Grand-Orly Seine Bièvre")
    );
    assert_eq!(first["ville"], Value::Null);
    assert_eq!(first["codes_postaux"], json!(["94270"]));
    // Only Le Kremlin-Bicêtre contains "kremlin": no look-alikes pad the list.
    assert_eq!(field(&found, "code"), ["94043"]);

    // Nothing matches textually: look-alikes, the right one first, a handful.
    let found = env.json(&["commune", "cherche", "Villejuiff", "--format", "json"]);
    let codes = field(&found, "code");
    assert_eq!(codes.first(), Some(&"94076"), "{codes:?}");
    assert!(codes.len() <= 5, "{codes:?}");

    let found = env.json(&["commune", "cherche", "94270", "--format", "json"]);
    assert_eq!(found[0]["code"], json!("94043"));
    for c in found.as_array().expect("array") {
        assert!(
            strs(&c["codes_postaux"])
                .iter()
                .any(|p| p.starts_with("94270"))
                || c["code"].as_str().is_some_and(|p| p.starts_with("94270")),
            "{c}"
        );
    }

    let found = env.json(&["commune", "cherche", "Saint-Denis", "--format", "json"]);
    let codes = field(&found, "code");
    assert!(codes.len() > 4, "{codes:?}");
    let mut homonyms = codes[..4].to_vec();
    homonyms.sort_unstable();
    assert_eq!(homonyms, ["11339", "30247", "93066", "97411"]);
    assert_eq!(
        field(&found, "nom")[..4],
        ["Saint-Denis"; 4],
        "the homonyms come first"
    );

    // An arrondissement points to its city; Paris is in no EPT.
    let found = env.json(&["commune", "cherche", "Paris 18e", "--format", "json"]);
    assert_eq!(found[0]["code"], json!("75118"));
    assert_eq!(found[0]["ville"], json!("75056"));
    assert_eq!(found[0]["departement"], json!("75"));
    assert_eq!(found[0]["intercommunalite"], Value::Null);

    let found = env.json(&[
        "commune",
        "cherche",
        "Saint-Denis",
        "--limite",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(found.as_array().map(Vec::len), Some(2));

    // The reference is bundled: searching needs no ledger and creates none.
    assert!(!env.ledger().exists());
}

// ---------------------------------------------------------------------------
// 4. `ici stats`: arrondissements, départements, intercommunalités
// ---------------------------------------------------------------------------

#[test]
fn stats_roll_arrondissements_up_to_paris() {
    let env = Env::new();
    env.add_with(&["--commune", "Paris 18e"], 10);
    env.add_with(&["--commune", "Paris 13e"], 7);
    env.add_with(&["--commune", "Paris"], 4);
    env.add_with(&["--lieu", "distance"], 5);
    let s = env.json(&["stats", "2017", "--format", "json"]);

    assert_eq!(s["villes"], json!(["Paris"]));
    assert_eq!(s["departements"], json!([{"code": "75", "nom": "Paris"}]));
    assert_eq!(s["intercommunalites"], json!([]));
    assert_eq!(s["par_intercommunalite"], json!([]));
    // The distance session counts in the totals, not in any city.
    assert_eq!(s["sessions"], json!(4));
    assert_eq!(s["personnes_formees"], json!(10 + 7 + 4 + 5));
    assert_eq!(s["a_distance"]["sessions"], json!(1));
    assert_eq!(s["a_distance"]["participants"], json!(5));
    assert_eq!(s["communes_non_reconnues"], json!([]));

    let par_commune = &s["par_commune"];
    assert_eq!(field(par_commune, "code"), ["75056", "75113", "75118"]);
    assert_eq!(
        field(par_commune, "nom"),
        [
            "Paris",
            "Paris 13e Arrondissement",
            "Paris 18e Arrondissement"
        ]
    );
    let participants: Vec<i64> = par_commune
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["participants"].as_i64().expect("participants"))
        .collect();
    assert_eq!(participants, [4, 7, 10]);

    let par_ville = s["par_ville"].as_array().expect("array");
    assert_eq!(par_ville.len(), 1);
    assert_eq!(par_ville[0]["code"], json!("75056"));
    assert_eq!(par_ville[0]["sessions"], json!(3));
    assert_eq!(par_ville[0]["participants"], json!(21));
    let par_dep = s["par_departement"].as_array().expect("array");
    assert_eq!(par_dep.len(), 1);
    assert_eq!(par_dep[0]["sessions"], json!(3));
}

#[test]
fn stats_count_each_intercommunalite_once() {
    // Codes from data/territoires.tsv: EPT 200058014 Grand-Orly Seine Bièvre,
    // 200058097 Paris Terres d'Envol, 200057875 Est Ensemble.
    let env = Env::new();
    env.add_with(&["--commune", "Villejuif"], 12);
    env.add_with(&["--commune", "94800"], 3); // Villejuif again, by postal code
    env.add_with(&["--commune", "Aulnay-sous-Bois"], 8);
    env.add_with(&["--commune", "Romainville"], 6);
    let s = env.json(&["stats", "2017", "--format", "json"]);

    assert_eq!(
        s["villes"],
        json!(["Aulnay-sous-Bois", "Romainville", "Villejuif"])
    );
    assert_eq!(
        s["departements"],
        json!([
            {"code": "93", "nom": "Seine-Saint-Denis"},
            {"code": "94", "nom": "Val-de-Marne"},
        ])
    );
    assert_eq!(
        s["intercommunalites"],
        json!([
            {"code": "200057875", "nom": "Est Ensemble"},
            {"code": "200058014", "nom": "Grand-Orly Seine Bièvre"},
            {"code": "200058097", "nom": "Paris Terres d'Envol"},
        ])
    );
    let par_interco = s["par_intercommunalite"].as_array().expect("array");
    let sessions: Vec<(&str, i64)> = par_interco
        .iter()
        .map(|t| {
            (
                t["code"].as_str().expect("code"),
                t["sessions"].as_i64().expect("sessions"),
            )
        })
        .collect();
    assert_eq!(
        sessions,
        [("200057875", 1), ("200058014", 2), ("200058097", 1)]
    );
    assert_eq!(s["sessions"], json!(4));
    assert_eq!(s["personnes_formees"], json!(12 + 3 + 8 + 6));
}

// ---------------------------------------------------------------------------
// 5. Migration of a ledger written before INSEE codes (schema 1)
// ---------------------------------------------------------------------------

/// A schema-1 ledger as the previous version wrote it: communes as typed, in their
/// own table. Sessions 1-2 Villejuif, 3 Kremlin-Bicêtre, 4 "94270", 5 Paris 18e,
/// 6 Villejuiff, 7-8 Saint-Denis; participants 1 to 8 (session n has n).
fn schema_1_ledger(path: &Path) {
    let conn = Connection::open(path).expect("create the old ledger");
    conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
        .expect("schema 1");
    conn.pragma_update(None, "user_version", 1)
        .expect("user_version");
    conn.execute(
        "INSERT INTO projet (id, nom, theme, cree_le) VALUES (1, 'P', 'emploi', '2017-01-02T09:00:00')",
        [],
    )
    .expect("projet");
    let communes = [
        "Villejuif",
        "Kremlin-Bicêtre",
        "94270",
        "Paris 18e",
        "Villejuiff",
        "Saint-Denis",
    ];
    for (i, nom) in communes.iter().enumerate() {
        conn.execute(
            "INSERT INTO commune (id, nom) VALUES (?1, ?2)",
            rusqlite::params![i as i64 + 1, nom],
        )
        .expect("commune");
    }
    // Villejuif twice, Saint-Denis twice, each other once.
    let commune_of_session = [1, 1, 2, 3, 4, 5, 6, 6];
    for (i, commune_id) in commune_of_session.iter().enumerate() {
        let n = i as i64 + 1;
        conn.execute(
            "INSERT INTO session (id, date, projet_id, commune_id, duree_minutes, participants, cree_le)
             VALUES (?1, ?2, 1, ?3, 120, ?1, '2017-06-30T18:00:00')",
            rusqlite::params![n, format!("2017-03-{n:02}"), commune_id],
        )
        .expect("session");
    }
}

fn user_version(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open the ledger");
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version")
}

fn numeros(sessions: &[Value]) -> Vec<i64> {
    sessions
        .iter()
        .map(|s| s["numero"].as_i64().expect("numero"))
        .collect()
}

#[test]
fn migration_resolves_typed_communes_and_reports_the_others() {
    let env = Env::empty();
    schema_1_ledger(&env.ledger());
    assert_eq!(user_version(&env.ledger()), 1);

    // First open: migrated, with a report on stderr.
    let (stdout, stderr) = env.ok_both(&["session", "list", "--format", "json"]);
    assert_eq!(user_version(&env.ledger()), SCHEMA_VERSION);
    assert!(stderr.contains("« Villejuiff » : 1 session(s)"), "{stderr}");
    assert!(
        stderr.contains("« Saint-Denis » : 2 session(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("ici session corrige"), "{stderr}");
    assert!(
        stderr.contains("ici session list --commune-inconnue"),
        "{stderr}"
    );
    for resolved in [
        "« Villejuif »",
        "« Kremlin-Bicêtre »",
        "« 94270 »",
        "« Paris 18e »",
    ] {
        assert!(!stderr.contains(resolved), "{resolved} reported: {stderr}");
    }
    let sessions = match parse_json(&stdout) {
        Value::Array(items) => items,
        other => panic!("{other}"),
    };
    let codes: Vec<Option<&str>> = sessions.iter().map(|s| s["code_insee"].as_str()).collect();
    assert_eq!(
        codes,
        [
            Some("94076"),
            Some("94076"),
            Some("94043"),
            Some("94043"),
            Some("75118"),
            None,
            None,
            None
        ]
    );
    assert_eq!(sessions[2]["commune"], json!("Le Kremlin-Bicêtre"));
    assert_eq!(sessions[5]["commune"], json!("Villejuiff"));
    assert_eq!(sessions[5]["commune_reconnue"], json!(false));
    assert_eq!(sessions[6]["commune"], json!("Saint-Denis"));
    assert_eq!(sessions[6]["commune_reconnue"], json!(false));
    assert_eq!(sessions[5]["lieu"], json!("site"));
    assert_eq!(
        sessions
            .iter()
            .map(|s| s["participants"].clone())
            .collect::<Vec<_>>(),
        (1..=8).map(|n| json!(n)).collect::<Vec<_>>()
    );

    // Second open: no report any more.
    let (stdout, stderr) =
        env.ok_both(&["session", "list", "--commune-inconnue", "--format", "json"]);
    assert_eq!(stderr, "", "the migration report must be given once");
    let unknown = match parse_json(&stdout) {
        Value::Array(items) => items,
        other => panic!("{other}"),
    };
    assert_eq!(numeros(&unknown), [6, 7, 8]);
    assert_eq!(unknown[1]["commune"], json!("Saint-Denis"));

    // Stats count only the resolved cities; the others are reported apart.
    let s = env.json(&["stats", "2017", "--format", "json"]);
    assert_eq!(s["sessions"], json!(8));
    assert_eq!(s["personnes_formees"], json!(36));
    assert_eq!(
        s["villes"],
        json!(["Le Kremlin-Bicêtre", "Paris", "Villejuif"])
    );
    assert_eq!(field(&s["departements"], "code"), ["75", "94"]);
    let inconnues = s["communes_non_reconnues"].as_array().expect("array");
    assert_eq!(inconnues.len(), 2, "{inconnues:?}");
    assert_eq!(inconnues[0]["saisie"], json!("Saint-Denis"));
    assert_eq!(inconnues[0]["sessions"], json!(2));
    assert_eq!(inconnues[0]["participants"], json!(7 + 8));
    assert_eq!(inconnues[1]["saisie"], json!("Villejuiff"));
    assert_eq!(inconnues[1]["sessions"], json!(1));
    assert_eq!(inconnues[1]["participants"], json!(6));

    // The export keeps what was typed, without a code.
    let csv_text = env.ok(&["export", "sessions", "--annee", "2017"]);
    let rows = csv_rows(&csv_text);
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[5]["commune"], "Villejuiff");
    assert_eq!(rows[5]["code_insee"], "");
    assert_eq!(rows[5]["departement"], "");
    assert_eq!(rows[4]["code_insee"], "75118");

    // A refused correction changes nothing.
    let before = env.snapshot();
    let stderr = env.fails(2, &["session", "corrige", "7", "--commune", "Saint-Denis"]);
    assert!(stderr.contains("ambiguë"), "{stderr}");
    env.assert_unchanged(&before);

    // Corrected: the session leaves the list of unknown communes.
    let stdout = env.ok(&["session", "corrige", "7", "--commune", "Saint-Denis (93)"]);
    assert!(
        stdout.contains("lieu corrigé en Saint-Denis (93066, Seine-Saint-Denis)"),
        "{stdout}"
    );
    assert_eq!(numeros(&env.sessions(&["--commune-inconnue"])), [6, 8]);
    assert_eq!(env.codes()[6].as_deref(), Some("93066"));
    env.ok(&["session", "corrige", "6", "--commune", "Villejuif"]);
    env.ok(&["session", "corrige", "8", "--lieu", "distance"]);
    assert_eq!(
        numeros(&env.sessions(&["--commune-inconnue"])),
        Vec::<i64>::new()
    );
    let sessions = env.sessions(&[]);
    assert_eq!(sessions[5]["code_insee"], json!("94076"));
    assert_eq!(sessions[7]["lieu"], json!("distance"));
    assert_eq!(sessions[7]["code_insee"], Value::Null);

    let s = env.json(&["stats", "2017", "--format", "json"]);
    assert_eq!(s["communes_non_reconnues"], json!([]));
    assert_eq!(
        s["villes"],
        json!(["Le Kremlin-Bicêtre", "Paris", "Saint-Denis", "Villejuif"])
    );
    assert_eq!(s["a_distance"]["sessions"], json!(1));
    assert_eq!(s["sessions"], json!(8));
    assert_eq!(user_version(&env.ledger()), SCHEMA_VERSION);
}

/// A ledger every commune of which resolves is migrated without a word.
#[test]
fn migration_with_every_commune_resolved_reports_nothing() {
    let env = Env::empty();
    schema_1_ledger(&env.ledger());
    {
        let conn = Connection::open(env.ledger()).expect("open");
        conn.execute_batch(
            "UPDATE commune SET nom = 'Villejuif 94' WHERE id = 5;
             UPDATE commune SET nom = 'Saint-Denis (93)' WHERE id = 6;",
        )
        .expect("rename the unknown communes");
    }
    let (_, stderr) = env.ok_both(&["stats", "2017", "--format", "json"]);
    assert_eq!(stderr, "", "nothing to report");
    assert_eq!(user_version(&env.ledger()), SCHEMA_VERSION);
    assert_eq!(
        env.codes(),
        some(&[
            "94076", "94076", "94043", "94043", "75118", "94076", "93066", "93066"
        ])
    );
}

/// `ici init` on an existing old ledger: whatever it does, the user must learn which
/// communes were not recognised, and must not be told that nothing was modified
/// when the schema was in fact migrated.
#[test]
fn init_on_an_old_ledger_does_not_hide_the_migration_report() {
    let env = Env::empty();
    schema_1_ledger(&env.ledger());
    let (init_out, init_err) = env.ok_both(&["init"]);
    let migrated = user_version(&env.ledger()) == SCHEMA_VERSION;
    if migrated {
        assert!(
            !init_out.contains("Rien n'a été modifié"),
            "the ledger was migrated: {init_out}"
        );
    }
    let (_, list_err) = env.ok_both(&["session", "list", "--format", "json"]);
    let reported = format!("{init_err}{list_err}");
    assert!(
        reported.contains("« Villejuiff » : 1 session(s)"),
        "{reported}"
    );
    assert!(
        reported.contains("« Saint-Denis » : 2 session(s)"),
        "{reported}"
    );
}

/// A stored INSEE code the bundled reference does not know (a commune merged into
/// another when the reference is regenerated; here 94999, written by hand) makes the
/// session « non reconnue » in `ici stats`, which then sends the user to
/// `ici session list --commune-inconnue`: that list must show it.
#[test]
fn session_with_a_code_unknown_to_the_reference_is_listed_as_unknown() {
    let env = Env::new();
    env.add("Villejuif");
    {
        let conn = Connection::open(env.ledger()).expect("open the ledger");
        conn.execute(
            "INSERT INTO session (date, projet_id, lieu, code_insee, duree_minutes, participants, cree_le)
             VALUES ('2017-04-01', (SELECT id FROM projet WHERE nom = 'P'), 'site', '94999', 60, 2,
                     '2017-04-01T18:00:00')",
            [],
        )
        .expect("a session with an unknown code");
    }
    let s = env.json(&["stats", "2017", "--format", "json"]);
    assert_eq!(field(&s["communes_non_reconnues"], "saisie"), ["94999"]);
    let table = env.ok(&["stats", "2017"]);
    assert!(table.contains("--commune-inconnue"), "{table}");
    assert_eq!(numeros(&env.sessions(&["--commune-inconnue"])), [2]);
}

// ---------------------------------------------------------------------------
// 6. `ici import sessions`
// ---------------------------------------------------------------------------

#[test]
fn import_resolves_codes_postal_codes_names_and_distance() {
    let env = Env::new();
    let file = env.write(
        "sessions.csv",
        "date;projet;commune;lieu;duree;participants\n\
         2017-05-02;P;94043;;2h;4\n\
         2017-05-03;P;94270;site;2h;5\n\
         2017-05-04;P;l'hay les roses;;2h;6\n\
         2017-05-05;P;;distance;1h30;7\n\
         2017-05-06;P;Saint-Denis (93);;2h;8\n\
         2017-05-07;P;75018;;2h;9\n\
         2017-05-08;P;LE KREMLIN-BICÊTRE;;2h;10\n",
    );
    let stdout = env.ok(&["import", "sessions", &file]);
    assert!(stdout.contains("7 session(s) importée(s)"), "{stdout}");
    let sessions = env.sessions(&[]);
    let codes: Vec<Option<&str>> = sessions.iter().map(|s| s["code_insee"].as_str()).collect();
    assert_eq!(
        codes,
        [
            Some("94043"),
            Some("94043"),
            Some("94038"),
            None,
            Some("93066"),
            Some("75118"),
            Some("94043")
        ]
    );
    let lieux: Vec<&str> = sessions
        .iter()
        .map(|s| s["lieu"].as_str().expect("lieu"))
        .collect();
    assert_eq!(
        lieux,
        ["site", "site", "site", "distance", "site", "site", "site"]
    );
}

#[test]
fn import_with_an_ambiguous_commune_imports_nothing() {
    let env = Env::new();
    env.add("Villejuif");
    let cases = [
        // (file, line, column, what the message says)
        (
            "date;projet;commune;lieu;duree;participants\n\
             2017-05-02;P;94043;;2h;4\n\
             2017-05-03;P;;distance;2h;5\n\
             2017-05-04;P;Saint-Denis;;2h;6\n\
             2017-05-05;P;Villejuif;;2h;7\n",
            4,
            "commune",
            "valeur « Saint-Denis »",
        ),
        (
            "date,projet,commune,duree,participants\n\
             2017-05-02,P,Villejuif,2h,4\n\
             2017-05-03,P,94520,2h,5\n",
            3,
            "commune",
            "« Périgny (94) » (94056)",
        ),
        (
            "date;projet;commune;duree;participants\n\
             2017-05-02;P;Villejuiff;2h;4\n",
            2,
            "commune",
            "« Villejuif (94) » (94076)",
        ),
        (
            "date;projet;commune;lieu;duree;participants\n\
             2017-05-02;P;Villejuif;;2h;4\n\
             2017-05-03;P;Villejuif;distance;2h;4\n",
            3,
            "commune",
            "à distance n'a pas de commune",
        ),
        (
            "date;projet;commune;lieu;duree;participants\n\
             2017-05-02;P;Villejuif;ailleurs;2h;4\n",
            2,
            "lieu",
            "« ailleurs » inconnu",
        ),
    ];
    for (i, (text, line, column, says)) in cases.iter().enumerate() {
        let file = env.write(&format!("bad{i}.csv"), text);
        let before = env.snapshot();
        let stderr = env.fails(2, &["import", "sessions", &file]);
        env.assert_unchanged(&before);
        assert!(
            stderr.contains(&format!("bad{i}.csv, ligne {line}, colonne « {column} »")),
            "case {i}: {stderr}"
        );
        assert!(stderr.contains(says), "case {i}: {stderr}");
        assert!(
            stderr.contains("Rien n'a été importé"),
            "case {i}: {stderr}"
        );
    }
    assert_eq!(env.sessions(&[]).len(), 1);
}

// ---------------------------------------------------------------------------
// 7. `ici export sessions`
// ---------------------------------------------------------------------------

fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn export_sessions_has_code_insee_and_departement() {
    let env = Env::new();
    env.add_on("2016-12-31", "Villejuif", 2); // outside the year exported
    env.add_with(&["--commune", "Paris 18e"], 10);
    env.add_with(&["--lieu", "distance"], 5);
    env.add_with(&["--commune", "Saint-Denis (93)"], 6);
    env.add_with(&["--commune", "2A004"], 3); // Ajaccio, a Corsican département code
    let text = env.ok(&["export", "sessions", "--annee", "2017"]);
    let header = text.lines().next().expect("a header line");
    let columns: Vec<&str> = header.split(',').collect();
    assert!(columns.contains(&"code_insee"), "{header}");
    assert!(columns.contains(&"departement"), "{header}");
    let rows = csv_rows(&text);
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["lieu"].as_str(),
                r["commune"].as_str(),
                r["code_insee"].as_str(),
                r["departement"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("site", "Paris 18e Arrondissement", "75118", "75"),
            ("distance", "", "", ""),
            ("site", "Saint-Denis", "93066", "93"),
            ("site", "Ajaccio", "2A004", "2A"),
        ]
    );

    // The same through a file, for Excel: « ; » and a BOM.
    let out = env.path().join("export.csv");
    let out_text = out.to_str().expect("UTF-8 path");
    let (_, stderr) = env.ok_both(&[
        "export", "sessions", "--annee", "2017", "--excel", "-o", out_text,
    ]);
    assert!(stderr.contains("4 ligne(s) exportée(s)"), "{stderr}");
    let bytes = std::fs::read(&out).expect("the export");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let second = text.lines().nth(1).expect("a first row");
    assert!(second.contains(";75118;75;"), "{second}");
}

// ---------------------------------------------------------------------------
// 8. The bundled 2017 figures
// ---------------------------------------------------------------------------

#[test]
fn demo_2017_counts_ten_cities_three_departements_three_intercommunalites() {
    let env = Env::empty();
    let demo = env.json(&["demo", "--format", "json"]);
    let s = &demo["stats"];
    // Sorted by name as a French reader expects (accents folded).
    assert_eq!(
        strs(&s["villes"]),
        [
            "Arcueil",
            "Aulnay-sous-Bois",
            "Cachan",
            "Fresnes",
            "Gentilly",
            "L'Haÿ-les-Roses",
            "Le Kremlin-Bicêtre",
            "Paris",
            "Romainville",
            "Villejuif",
        ]
    );
    assert_eq!(field(&s["departements"], "code"), ["75", "93", "94"]);
    assert_eq!(
        field(&s["departements"], "nom"),
        ["Paris", "Seine-Saint-Denis", "Val-de-Marne"]
    );
    assert_eq!(
        field(&s["intercommunalites"], "nom"),
        [
            "Est Ensemble",
            "Grand-Orly Seine Bièvre",
            "Paris Terres d'Envol"
        ]
    );
    assert_eq!(
        field(&s["intercommunalites"], "code"),
        ["200057875", "200058014", "200058097"]
    );
    assert_eq!(s["communes_non_reconnues"], json!([]));
    assert_eq!(s["a_distance"]["sessions"], json!(0));
    // Paris 13e and 18e are communes of their own, rolled up into Paris.
    let par_commune = field(&s["par_commune"], "code");
    assert_eq!(par_commune.len(), 12, "{par_commune:?}");
    for code in ["75056", "75113", "75118", "94034"] {
        assert!(par_commune.contains(&code), "{code} in {par_commune:?}");
    }
    // `ici demo` reads and writes no ledger.
    assert!(!env.ledger().exists());
}
