//! The ledger file under faults: read-only file or folder, a file that is not a ledger,
//! an empty file, a full disk, a lock held too long — each a French message with the
//! file and what to do, the exit status the README gives, and the ledger unchanged —
//! and `ici verifie` on a sound, a corrupted and a tampered ledger.

mod common;

use common::{Sandbox, Snapshot, expect_code, file_size_limit, stderr, stdout};
use rusqlite::Connection;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

const SIREN: &str = "824137954";

/// Words of SQLite's, the OS's or the csv crate's English that must never reach the user.
fn assert_no_english(text: &str) {
    for english in [
        "database",
        "readonly",
        "attempt to",
        "disk I/O",
        "locked",
        "Error code",
        "constraint failed",
        "No such file",
        "Permission denied",
        "os error",
        "File too large",
    ] {
        assert!(!text.contains(english), "English « {english} » in:\n{text}");
    }
}

fn run(mut cmd: std::process::Command) -> Output {
    cmd.output().expect("ici runs")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn sidecar(ledger: &Path, suffix: &str) -> PathBuf {
    let mut s = ledger.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A folder made read-only for the life of the value (writable again even when a test
/// fails, so that its temporary folder can be removed).
struct ReadOnlyFolder(PathBuf);

impl ReadOnlyFolder {
    fn new(dir: &Path) -> ReadOnlyFolder {
        set_mode(dir, 0o555);
        ReadOnlyFolder(dir.to_path_buf())
    }
}

impl Drop for ReadOnlyFolder {
    fn drop(&mut self) {
        set_mode(&self.0, 0o755);
    }
}

/// How to run `ici` bound by file permissions: as it is, or — when the tests run as
/// root, whom permissions do not stop — through `setpriv` without the capabilities that
/// bypass them. `None` when neither is possible; the test then says so and stops.
fn unprivileged(sb: &Sandbox) -> Option<Vec<String>> {
    let probe = sb.path().join("sonde");
    std::fs::create_dir(&probe).expect("probe folder");
    set_mode(&probe, 0o555);
    let privileged = std::fs::write(probe.join("x"), b"").is_ok();
    let prefix = if !privileged {
        Some(Vec::new())
    } else {
        let prefix: Vec<String> = [
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--",
        ]
        .map(String::from)
        .to_vec();
        let dropped = std::process::Command::new(&prefix[0])
            .args(&prefix[1..])
            .arg("touch")
            .arg(probe.join("y"))
            .output()
            .is_ok_and(|o| !o.status.success());
        dropped.then_some(prefix)
    };
    set_mode(&probe, 0o755);
    if prefix.is_none() {
        eprintln!("permissions cannot be enforced here (root without setpriv): not checked");
    }
    prefix
}

const DISTANCE: [&str; 10] = [
    "--date",
    "2017-03-01",
    "--projet",
    "NET94",
    "--duree",
    "2h",
    "--participants",
    "5",
    "--lieu",
    "distance",
];

/// `session add` of one more identical session (`--doublon`: two groups the same day).
fn session_add() -> Vec<&'static str> {
    let mut args = vec!["session", "add"];
    args.extend(DISTANCE);
    args.push("--doublon");
    args
}

fn sessions_2017(out: &Output) -> i64 {
    let v: Value = serde_json::from_str(&stdout(out)).expect("stats JSON");
    v["sessions"].as_i64().expect("sessions")
}

#[test]
fn a_read_only_ledger_file_is_read_and_never_written() {
    let sb = Sandbox::with_refs();
    sb.session(&DISTANCE);
    let Some(prefix) = unprivileged(&sb) else {
        return;
    };
    let ledger = sb.ledger();
    set_mode(&ledger, 0o444);
    let before = sb.snapshot();

    let out = run(sb.process(&prefix, &ledger, &["stats", "2017", "--format", "json"]));
    expect_code(&out, 0, &["stats"]);
    assert_eq!(sessions_2017(&out), 1);
    let out = run(sb.process(&prefix, &ledger, &["session", "list"]));
    expect_code(&out, 0, &["session", "list"]);
    assert!(stdout(&out).contains("NET94"), "{}", stdout(&out));
    let out = run(sb.process(&prefix, &ledger, &["verifie"]));
    expect_code(&out, 0, &["verifie"]);

    let out = run(sb.process(&prefix, &ledger, &session_add()));
    expect_code(&out, 1, &session_add());
    let err = stderr(&out);
    assert!(err.contains("est en lecture seule"), "{err}");
    assert!(err.contains(&ledger.display().to_string()), "{err}");
    assert!(err.contains("rien n'a été enregistré"), "{err}");
    assert!(err.contains("chmod u+w"), "{err}");
    assert_no_english(&err);

    sb.snapshot().assert_same(&before, &session_add());
    // Nothing left next to the file that would block the next writer.
    assert!(!sidecar(&ledger, "-wal").exists() && !sidecar(&ledger, "-shm").exists());

    // Not even readable: said so, for readers and writers alike.
    set_mode(&ledger, 0o000);
    for args in [vec!["stats", "2017"], session_add()] {
        let out = run(sb.process(&prefix, &ledger, &args));
        expect_code(&out, 1, &args);
        let err = stderr(&out);
        assert!(
            err.contains(&format!(
                "accès refusé : vous n'avez pas le droit de lire le registre {}",
                ledger.display()
            )),
            "{err}"
        );
        assert_no_english(&err);
    }
    set_mode(&ledger, 0o600);
    sb.ok(&session_add());
    assert_eq!(sb.count(&ledger, "session"), 2);
}

#[test]
fn a_ledger_in_a_read_only_folder_is_read_and_never_written() {
    let sb = Sandbox::empty();
    let dir = sb.path().join("registre");
    std::fs::create_dir(&dir).unwrap();
    let ledger = dir.join("l.sqlite");
    for args in [
        vec!["init"],
        vec!["projet", "add", "NET94", "--theme", "emploi"],
        session_add(),
    ] {
        let out = run(sb.process(&[], &ledger, &args));
        expect_code(&out, 0, &args);
    }
    let Some(prefix) = unprivileged(&sb) else {
        return;
    };
    let before = Snapshot::of(&ledger);
    let read_only = ReadOnlyFolder::new(&dir);

    let out = run(sb.process(&prefix, &ledger, &["stats", "2017", "--format", "json"]));
    expect_code(&out, 0, &["stats"]);
    assert_eq!(sessions_2017(&out), 1);
    for args in [
        vec!["bilan", "2017"],
        vec!["projet", "list"],
        vec!["session", "list"],
        vec!["verifie"],
    ] {
        let out = run(sb.process(&prefix, &ledger, &args));
        expect_code(&out, 0, &args);
    }
    let out = run(sb.process(&prefix, &ledger, &session_add()));
    let listing: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    drop(read_only);
    expect_code(&out, 1, &session_add());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "le dossier {} n'est pas accessible en écriture",
            dir.display()
        )),
        "{err}"
    );
    assert!(err.contains("rien n'a été enregistré"), "{err}");
    assert_no_english(&err);
    Snapshot::of(&ledger).assert_same(&before, &session_add());
    assert_eq!(listing, vec![std::ffi::OsString::from("l.sqlite")]);
}

#[test]
fn a_file_that_is_not_a_ledger_is_refused_with_exit_2_and_left_alone() {
    let sb = Sandbox::empty();
    let text = sb.file("notes.sqlite", "Ceci n'est pas une base.\n".repeat(400));
    let other = sb.path().join("autre.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for file in [PathBuf::from(&text), other] {
        let bytes = std::fs::read(&file).unwrap();
        for args in [
            vec!["stats", "2017"],
            vec!["session", "list"],
            session_add(),
            vec!["verifie"],
            vec!["init"],
        ] {
            let out = run(sb.process(&[], &file, &args));
            expect_code(&out, 2, &args);
            let err = stderr(&out);
            assert!(
                err.contains(&format!("{} n'est pas un registre ici", file.display())),
                "{err}"
            );
            assert_no_english(&err);
            assert_eq!(std::fs::read(&file).unwrap(), bytes, "{}", file.display());
        }
    }
}

#[test]
fn an_empty_file_is_never_turned_into_a_ledger() {
    let sb = Sandbox::empty();
    let ledger = sb.ledger();
    std::fs::write(&ledger, b"").unwrap();
    set_mode(&ledger, 0o644);
    let err = sb.fails(&["init"], 2);
    assert!(
        err.contains(&format!(
            "{} : le fichier existe et est vide : ce n'est pas un registre ; supprimez-le ou choisissez un autre chemin",
            ledger.display()
        )),
        "{err}"
    );
    for args in [vec!["stats", "2017"], session_add(), vec!["verifie"]] {
        let err = sb.fails(&args, 2);
        assert!(
            err.contains("n'est pas un registre ici (le fichier est vide)"),
            "{err}"
        );
    }
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(&ledger).unwrap();
    assert_eq!(meta.len(), 0);
    assert_eq!(meta.permissions().mode() & 0o777, 0o644);
    assert!(!sidecar(&ledger, "-wal").exists());
}

#[test]
fn a_full_disk_stops_the_write_in_french_and_keeps_the_ledger() {
    let sb = Sandbox::with_refs();
    sb.session(&DISTANCE);
    let mut csv = String::from("date;projet;lieu;duree;participants;intitule\n");
    for i in 0..300 {
        csv.push_str(&format!(
            "2017-05-{:02};NET94;distance;2h;4;Atelier {i}\n",
            i % 28 + 1
        ));
    }
    let file = sb.file("sessions.csv", csv);
    let before = sb.snapshot();
    // 40 KiB: room for SQLite's 32 KiB index of the log, not for the log of 300 sessions.
    let args = ["import", "sessions", &file, "--doublon"];
    let out = run(sb.process(&file_size_limit(40), &sb.ledger(), &args));
    expect_code(&out, 1, &args);
    let err = stderr(&out);
    assert!(err.contains("disque plein"), "{err}");
    assert!(err.contains(&sb.ledger().display().to_string()), "{err}");
    assert!(err.contains("rien n'a été enregistré"), "{err}");
    assert_no_english(&err);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    sb.snapshot().assert_same(&before, &args);
    assert!(
        sb.ok(&["verifie"])
            .contains("Registre vérifié : aucune anomalie.")
    );
    assert_eq!(sb.count(&sb.ledger(), "session"), 1);
    // With room again, the same file goes in whole.
    sb.ok(&args);
    assert_eq!(sb.count(&sb.ledger(), "session"), 301);
}

#[test]
fn a_lock_held_too_long_is_reported_and_readers_are_not_blocked() {
    let sb = Sandbox::with_refs();
    let holder = Connection::open(sb.ledger()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let start = Instant::now();
    let out = sb
        .ici(&session_add())
        .env("ICI_ATTENTE_VERROU_MS", "300")
        .output()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "waited {:?}",
        start.elapsed()
    );
    expect_code(&out, 1, &session_add());
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "le registre {} est occupé par une autre commande ici depuis plus de 300 ms",
            sb.ledger().display()
        )),
        "{err}"
    );
    assert!(err.contains("rien n'a été enregistré"), "{err}");
    assert_no_english(&err);
    // Readers go on while a writer holds the lock.
    let out = sb
        .ici(&["stats", "2017"])
        .env("ICI_ATTENTE_VERROU_MS", "300")
        .output()
        .unwrap();
    expect_code(&out, 0, &["stats", "2017"]);
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    sb.ok(&session_add());
    assert_eq!(sb.count(&sb.ledger(), "session"), 1);
}

/// A ledger with sessions, presences and the 2017 accounts of the association.
fn sound_ledger() -> Sandbox {
    let sb = Sandbox::with_refs();
    sb.session(&DISTANCE);
    sb.ok(&["participant", "add", "--sexe", "f"]);
    let mut with_presents = session_add();
    with_presents.extend(["--presents", "P-0001"]);
    sb.ok(&with_presents);
    sb.ok(&["import", "fec", &fixture_fec(2017)]);
    sb
}

fn fixture_fec(year: i32) -> String {
    format!(
        "{}/fixtures/fec/{SIREN}FEC{year}1231.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn verifie_passes_a_sound_ledger() {
    let sb = sound_ledger();
    sb.ok(&["cloture", "2017", "--oui"]);
    let out = sb.ok(&["verifie"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 8, "{out}");
    assert!(lines[..7].iter().all(|l| l.starts_with("ok ")), "{out}");
    assert_eq!(lines[7], "Registre vérifié : aucune anomalie.");
    let v = sb.json(&["verifie"]);
    assert_eq!(v["ok"], Value::Bool(true));
    let checks = v["verifications"].as_array().unwrap();
    assert_eq!(checks.len(), 7);
    for c in checks {
        assert_eq!(c["ok"], Value::Bool(true), "{c}");
        assert_eq!(c["details"], Value::Array(vec![]), "{c}");
        assert!(!c["nom"].as_str().unwrap().is_empty());
    }
}

/// Flips one bit in the last byte of the first cell of the leftmost leaf page of `index`:
/// the entry then points to a row that does not exist.
fn corrupt_index(ledger: &Path, index: &str) {
    let c = Connection::open(ledger).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let root: u32 = c
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [index],
            |r| r.get(0),
        )
        .unwrap();
    drop(c);
    let mut b = std::fs::read(ledger).unwrap();
    let page_size = match u16::from_be_bytes([b[16], b[17]]) {
        1 => 65536,
        n => usize::from(n),
    };
    let be16 = |b: &[u8], at: usize| usize::from(u16::from_be_bytes([b[at], b[at + 1]]));
    let mut page = root as usize;
    loop {
        let start = (page - 1) * page_size;
        match b[start] {
            // Interior index page: follow the left child of its first cell.
            0x02 => {
                let cell = start + be16(&b, start + 12);
                page =
                    u32::from_be_bytes([b[cell], b[cell + 1], b[cell + 2], b[cell + 3]]) as usize;
            }
            0x0a => {
                let cell = start + be16(&b, start + 8);
                let payload = usize::from(b[cell]);
                assert!(payload < 0x80, "short cell expected");
                b[cell + payload] ^= 0x01;
                break;
            }
            t => panic!("page {page} of {index} has type {t:#x}"),
        }
    }
    std::fs::write(ledger, b).unwrap();
}

#[test]
fn verifie_finds_a_corrupted_index_and_names_it() {
    let sb = sound_ledger();
    corrupt_index(&sb.ledger(), "ligne_ecriture");
    let out = sb.ici(&["verifie"]).output().unwrap();
    expect_code(&out, 1, &["verifie"]);
    let report = stdout(&out);
    assert!(
        report.starts_with("ANOMALIE  intégrité du fichier (SQLite, index compris)\n"),
        "{report}"
    );
    assert!(
        report.contains("manque dans l'index ligne_ecriture (table ligne)"),
        "{report}"
    );
    assert!(!report.contains("aucune anomalie"), "{report}");
    assert_no_english(&report);
    let err = stderr(&out);
    assert!(err.contains("anomalie(s)"), "{err}");
    assert!(err.contains("Sauvegarde et restauration"), "{err}");

    let out = sb.ici(&["verifie", "--format", "json"]).output().unwrap();
    expect_code(&out, 1, &["verifie", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["ok"], Value::Bool(false));
    assert_eq!(v["verifications"][0]["ok"], Value::Bool(false));
    assert!(
        v["verifications"][0]["details"][0]
            .as_str()
            .unwrap()
            .contains("ligne_ecriture")
    );

    // Neither a closing nor a FEC on a damaged ledger.
    let err = sb.refused(&["cloture", "2017", "--oui"], 1);
    assert!(err.contains("exercice 2017 non clos"), "{err}");
    assert!(err.contains("ligne_ecriture"), "{err}");
    let dir = sb.path().join("fec");
    std::fs::create_dir(&dir).unwrap();
    let err = sb.refused(
        &[
            "export",
            "fec",
            "2017",
            "--siren",
            SIREN,
            "-o",
            dir.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("FEC 2017 non écrit"), "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// Changes a closed entry by hand, around the triggers that forbid it: both lines of
/// entry 1 doubled, so that it stays balanced and only the digest can tell.
fn tamper_with_entry_1(ledger: &Path) {
    let c = Connection::open(ledger).unwrap();
    c.execute_batch(
        "DROP TRIGGER ligne_non_modifiable;
         UPDATE ligne SET debit = debit * 2, credit = credit * 2 WHERE ecriture_id = 1;",
    )
    .unwrap();
}

#[test]
fn verifie_finds_a_closed_year_changed_by_hand_and_cloture_refuses() {
    let sb = sound_ledger();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2018-02-01",
        "--montant",
        "10",
        "--compte",
        "706",
        "--libelle",
        "Atelier",
    ]);
    sb.ok(&["cloture", "2017", "--oui"]);
    sb.ok(&["verifie"]);
    tamper_with_entry_1(&sb.ledger());

    let out = sb.ici(&["verifie"]).output().unwrap();
    expect_code(&out, 1, &["verifie"]);
    let report = stdout(&out);
    assert!(
        report.contains("ok        écritures équilibrées\n"),
        "{report}"
    );
    assert!(
        report.contains("ANOMALIE  exercices clos inchangés depuis leur clôture\n"),
        "{report}"
    );
    assert!(
        report.contains("exercice 2017 modifié depuis sa clôture"),
        "{report}"
    );

    let err = sb.refused(&["cloture", "2018", "--oui"], 1);
    assert!(err.contains("exercice 2018 non clos"), "{err}");
    assert!(
        err.contains("exercice 2017 modifié depuis sa clôture"),
        "{err}"
    );
    let closed = sb.json(&["cloture"]);
    assert_eq!(closed.as_array().unwrap().len(), 1, "{closed}");
}

#[test]
fn cloture_refuses_a_ledger_with_an_unbalanced_entry() {
    let sb = Sandbox::new();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-02-01",
        "--montant",
        "10",
        "--compte",
        "706",
        "--libelle",
        "Atelier",
    ]);
    // An entry with one line only, written by hand: the schema cannot see a balance.
    let c = Connection::open(sb.ledger()).unwrap();
    c.execute_batch(
        "INSERT INTO ecriture (date, libelle, cree_le) VALUES ('2017-06-01', 'Bancale', '2017-06-01T10:00:00');
         INSERT INTO ligne (ecriture_id, compte, debit) VALUES ((SELECT max(id) FROM ecriture), '606', 500);",
    )
    .unwrap();
    drop(c);
    let err = sb.refused(&["cloture", "2017", "--oui"], 1);
    assert!(err.contains("exercice 2017 non clos"), "{err}");
    assert!(
        err.contains("écriture n° 2 du 2017-06-01 déséquilibrée : débits 5,00"),
        "{err}"
    );
    assert_eq!(sb.json(&["cloture"]), Value::Array(vec![]));
}

#[test]
fn a_year_closed_before_digests_gets_one_when_the_ledger_is_updated() {
    let sb = Sandbox::empty();
    let ledger = sb.ledger();
    {
        let c = Connection::open(&ledger).unwrap();
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_communes_insee.sql"),
            include_str!("../migrations/0003_comptabilite.sql"),
            include_str!("../migrations/0004_participants.sql"),
            include_str!("../migrations/0005_imports.sql"),
        ] {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(
            "PRAGMA journal_mode = WAL;
             INSERT INTO ecriture (date, libelle, cree_le) VALUES ('2017-03-01', 'Atelier', '2017-03-01T10:00:00');
             INSERT INTO ligne (ecriture_id, compte, debit) VALUES (1, '512', 1000);
             INSERT INTO ligne (ecriture_id, compte, credit) VALUES (1, '706', 1000);
             INSERT INTO cloture (annee, cloture_le) VALUES (2017, '2018-06-01T10:00:00');
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let out = sb.ok(&["verifie"]);
    assert!(
        out.ends_with("Registre vérifié : aucune anomalie.\n"),
        "{out}"
    );
    let c = Connection::open(&ledger).unwrap();
    let (ecritures, lignes): (i64, i64) = c
        .query_row(
            "SELECT ecritures, lignes FROM cloture_empreinte WHERE annee = 2017",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((ecritures, lignes), (1, 2));
    drop(c);
    tamper_with_entry_1(&ledger);
    let out = sb.ici(&["verifie"]).output().unwrap();
    expect_code(&out, 1, &["verifie"]);
    assert!(
        stdout(&out).contains("exercice 2017 modifié depuis sa clôture"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_pending_log_is_read_in_a_read_only_folder_never_skipped() {
    let sb = Sandbox::with_refs();
    let Some(prefix) = unprivileged(&sb) else {
        return;
    };
    // A copy taken while a writer had a committed project only in its log.
    let writer = Connection::open(sb.ledger()).unwrap();
    writer
        .execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             INSERT INTO projet (nom, theme, cree_le) VALUES ('JOURNAL', 'emploi', '2017-01-01T09:00:00');",
        )
        .unwrap();
    let copy = sb.path().join("copie");
    std::fs::create_dir(&copy).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(
            sidecar(&sb.ledger(), suffix),
            sidecar(&copy.join("l.sqlite"), suffix),
        )
        .unwrap();
    }
    drop(writer);
    let ledger = copy.join("l.sqlite");
    assert!(std::fs::metadata(sidecar(&ledger, "-wal")).unwrap().len() > 0);

    let read_only = ReadOnlyFolder::new(&copy);
    let out = run(sb.process(&prefix, &ledger, &["projet", "list", "--format", "csv"]));
    expect_code(&out, 0, &["projet", "list"]);
    assert!(stdout(&out).contains("JOURNAL"), "{}", stdout(&out));
    drop(read_only);

    // Without the log's index, it cannot be read safely without write access: said so.
    std::fs::remove_file(sidecar(&ledger, "-shm")).unwrap();
    let _read_only = ReadOnlyFolder::new(&copy);
    let out = run(sb.process(&prefix, &ledger, &["projet", "list"]));
    expect_code(&out, 1, &["projet", "list"]);
    let err = stderr(&out);
    assert!(
        err.contains("a des écritures en attente dans son journal"),
        "{err}"
    );
    assert_no_english(&err);
}
