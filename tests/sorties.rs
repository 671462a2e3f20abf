//! Every file `ici` writes: exports and backups are written whole or not at all, never
//! over the ledger, a database or through a link, readable by their owner only, and
//! noted in the ledger's export log.

mod common;

use common::{Sandbox, Snapshot, expect_code, stderr, stdout};
use std::collections::BTreeSet;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const SIREN: &str = "824137954";
const FEC_NAME: &str = "824137954FEC20171231.txt";

/// A ledger with the association's 2017 records.
fn ledger_2017() -> Sandbox {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/2017");
    let sb = Sandbox::new();
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
    sb
}

/// The four exports, each writing to `dest`.
fn exports(dest: &str) -> Vec<Vec<String>> {
    let owned = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        owned(&["export", "sessions", "--annee", "2017", "-o", dest]),
        owned(&["export", "finances", "--annee", "2017", "-o", dest]),
        owned(&[
            "export",
            "fse",
            "--projet",
            "MEDNUM94",
            "--avec-identite",
            "-o",
            dest,
        ]),
        owned(&["export", "fec", "2017", "--siren", SIREN, "-o", dest]),
    ]
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The names in the sandbox folder: shows a leftover temporary or partial file.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `ici ARGS…` run with its file size limited to 32 KiB (enough to open the ledger,
/// too little for the 2017 exports). The signal is ignored so that the write fails
/// with EFBIG instead of killing the process; an ignored signal stays so across exec.
fn with_size_limit(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let limited = "trap '' XFSZ; ulimit -f 32; exec \"$0\" \"$@\"";
    std::process::Command::new("bash")
        .args(["-c", limited, env!("CARGO_BIN_EXE_ici"), "--ledger"])
        .arg(sb.ledger())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", sb.path())
        .env("TZ", "UTC")
        .current_dir(sb.path())
        .output()
        .unwrap()
}

/// Runs and asserts exit status 0; exports to a file report on stderr.
fn done<S: AsRef<str>>(sb: &Sandbox, args: &[S]) -> std::process::Output {
    let out = sb.ici(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "`{}`: {}",
        common::show(args),
        stderr(&out)
    );
    out
}

/// The rows of the export log, oldest first: (quoi, fichier, personnel).
fn journal(sb: &Sandbox) -> Vec<(String, String, i64)> {
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    let mut st = conn
        .prepare("SELECT fait_le, quoi, fichier, personnel FROM export_journal ORDER BY id")
        .unwrap();
    st.query_map([], |r| {
        let fait_le: String = r.get(0)?;
        assert!(
            chrono::NaiveDateTime::parse_from_str(&fait_le, "%Y-%m-%dT%H:%M:%S").is_ok(),
            "fait_le {fait_le}"
        );
        Ok((r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

// ---------------------------------------------------------------------------------
// What is never written over
// ---------------------------------------------------------------------------------

#[test]
fn no_export_writes_over_the_ledger_its_companions_or_any_database() {
    let sb = ledger_2017();
    let other = sb.path().join("autre.sqlite");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    conn.close().unwrap();
    let other_bytes = std::fs::read(&other).unwrap();
    let before_names = names(sb.path());
    let ledger = sb.ledger();
    let targets = [
        (ledger.clone(), "est le registre lui-même"),
        (with_suffix(&ledger, "-wal"), "journal du registre (-wal)"),
        (with_suffix(&ledger, "-shm"), "(-shm)"),
        (with_suffix(&ledger, "-journal"), "(-journal)"),
        // The same ledger spelt through another path.
        (
            sb.path().join(".").join("l.sqlite"),
            "est le registre lui-même",
        ),
        (other.clone(), "est une base SQLite"),
    ];
    for (target, says) in &targets {
        for args in exports(target.to_str().unwrap()) {
            let err = sb.refused(&args, 2);
            assert!(err.starts_with("erreur : "), "{err}");
            assert!(err.contains(says), "`{}`: {err}", args.join(" "));
            assert!(err.contains("Rien n'a été écrit"), "{err}");
        }
    }
    assert_eq!(std::fs::read(&other).unwrap(), other_bytes);
    // No companion file was made up, no temporary file left; the ledger still opens.
    assert_eq!(names(sb.path()), before_names);
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(stats["sessions"], serde_json::json!(237), "{stats}");
}

#[test]
fn a_symbolic_link_is_refused_never_followed() {
    let sb = ledger_2017();
    let target = sb.path().join("cible.csv");
    std::fs::write(&target, "à garder").unwrap();
    let link = sb.path().join("lien.csv");
    symlink(&target, &link).unwrap();
    let dangling = sb.path().join("lien-mort.csv");
    let nowhere = sb.path().join("nulle-part.csv");
    symlink(&nowhere, &dangling).unwrap();
    for l in [&link, &dangling] {
        for args in exports(l.to_str().unwrap()) {
            let err = sb.refused(&args, 2);
            assert!(err.contains("est un lien symbolique"), "{err}");
        }
        assert!(l.symlink_metadata().unwrap().file_type().is_symlink());
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "à garder");
    assert_eq!(mode(&target), 0o644);
    assert!(!nowhere.exists(), "the dangling link was followed");
    assert!(journal(&sb).is_empty());
}

#[test]
fn a_folder_a_device_or_a_missing_folder_is_refused_with_its_name() {
    let sb = ledger_2017();
    let missing = sb.path().join("absent").join("x.csv");
    for (dest, says) in [
        (sb.path().to_path_buf(), "est un dossier"),
        (PathBuf::from("/dev/null"), "n'est pas un fichier ordinaire"),
        (missing, "ce dossier n'existe pas"),
    ] {
        let dest = dest.to_str().unwrap();
        // The FEC takes a folder as where to put its official name.
        for args in exports(dest).into_iter().take(3) {
            let err = sb.refused(&args, 2);
            assert!(err.contains(says), "{err}");
        }
    }
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(!meta.is_file(), "/dev/null was replaced");
}

// ---------------------------------------------------------------------------------
// Private files, replaced whole
// ---------------------------------------------------------------------------------

#[test]
fn exports_are_0600_and_replace_an_existing_0644_file_with_the_right_content() {
    let sb = ledger_2017();
    let dest = sb.path().join("export.csv");
    let stdout_args = [
        vec!["export", "sessions", "--annee", "2017", "--excel"],
        vec!["export", "finances", "--annee", "2017"],
        vec!["export", "fse", "--projet", "MEDNUM94", "--avec-identite"],
    ];
    for args in stdout_args {
        std::fs::write(&dest, "ancien contenu").unwrap();
        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o644)).unwrap();
        let want = sb.ici(&args).output().unwrap().stdout;
        let mut with_file = args.clone();
        with_file.extend(["-o", dest.to_str().unwrap()]);
        let out = done(&sb, &with_file);
        assert!(stderr(&out).contains("ligne(s) exportée(s) vers"));
        assert!(want.len() > 100, "{}", String::from_utf8_lossy(&want));
        assert!(std::fs::read(&dest).unwrap() == want, "{with_file:?}");
        assert_eq!(mode(&dest), 0o600, "{with_file:?}");
    }
    // A new FEC is private too.
    let out = sb.ok(&["export", "fec", "2017", "--siren", SIREN]);
    assert!(out.contains("173 écriture(s), 346 ligne(s)"), "{out}");
    let fec = sb.path().join(FEC_NAME);
    assert_eq!(mode(&fec), 0o600);
    let text = std::fs::read_to_string(&fec).unwrap();
    assert_eq!(text.lines().count(), 347);
    assert!(text.starts_with("JournalCode\t"));
    let leftovers: Vec<String> = names(sb.path())
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------------------------
// Faults: a write that fails half-way
// ---------------------------------------------------------------------------------

#[test]
fn a_file_size_limit_leaves_no_partial_file_and_the_rerun_succeeds() {
    let sb = ledger_2017();
    let csv = sb.path().join("sessions.csv");
    std::fs::write(&csv, "ancien contenu").unwrap();
    let finances = sb.path().join("finances.csv");
    let fec = sb.path().join(FEC_NAME);
    let backup = sb.path().join("copie.sqlite");
    let cases: Vec<(Vec<&str>, &Path)> = vec![
        (
            vec![
                "export",
                "sessions",
                "--annee",
                "2017",
                "-o",
                csv.to_str().unwrap(),
            ],
            &csv,
        ),
        (
            vec!["export", "finances", "-o", finances.to_str().unwrap()],
            &finances,
        ),
        (vec!["export", "fec", "2017", "--siren", SIREN], &fec),
        (vec!["sauvegarde", "-o", backup.to_str().unwrap()], &backup),
    ];
    let before = names(sb.path());
    for (args, file) in &cases {
        let ledger = sb.snapshot();
        let out = with_size_limit(&sb, args);
        expect_code(&out, 1, args);
        let err = stderr(&out);
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("Rien n'a été écrit"), "{err}");
        assert!(
            err.contains("taille maximale de fichier"),
            "`{}`: {err}",
            args.join(" ")
        );
        assert!(
            !err.contains("os error") && !err.contains("too large") && !err.contains("disk I/O"),
            "{err}"
        );
        assert!(stdout(&out).is_empty());
        // Neither a partial file nor a temporary one; the file replaced is intact.
        assert_eq!(names(sb.path()), before, "`{}`", args.join(" "));
        Snapshot::of(&sb.ledger()).assert_same(&ledger, args);
    }
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "ancien contenu");
    assert!(journal(&sb).is_empty(), "a failed export was logged");

    // Without the limit, each runs through: the failed FEC left nothing in the way.
    for (args, file) in &cases {
        done(&sb, args);
        assert!(
            std::fs::metadata(file).unwrap().len() > 32 * 1024,
            "{file:?}"
        );
    }
    let fec_text = std::fs::read_to_string(&fec).unwrap();
    assert_eq!(fec_text.lines().count(), 347);
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().lines().count(),
        238,
        "237 sessions and the header"
    );
}

// ---------------------------------------------------------------------------------
// Backups
// ---------------------------------------------------------------------------------

#[test]
fn a_backup_is_a_private_full_ledger_named_by_date_next_to_the_ledger() {
    let sb = ledger_2017();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let out = sb.ok(&["sauvegarde"]);
    let copy = sb.path().join(format!("l-sauvegarde-{today}.sqlite"));
    assert!(copy.is_file(), "{out}");
    let size = std::fs::metadata(&copy).unwrap().len();
    assert!(
        common::plain_spaces(&out).starts_with(&format!(
            "Sauvegarde écrite : {} ({} octets",
            copy.display(),
            group(size)
        )),
        "{out}"
    );
    assert!(
        out.contains("237 session(s), 173 écriture(s), 40 participant(s)"),
        "{out}"
    );
    assert_eq!(mode(&copy), 0o600);
    // One self-contained file (opened as a ledger, it goes back to WAL).
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let mode_of_copy: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode_of_copy, "delete");
    drop(conn);
    let copy_args = |args: &[&str]| {
        let mut full = vec!["--ledger", copy.to_str().unwrap()];
        full.extend(args);
        full.extend(["--format", "json"]);
        let out = sb.bare().args(&full).output().unwrap();
        expect_code(&out, 0, &full);
        stdout(&out)
    };
    for report in [&["stats", "2017"][..], &["bilan", "2017"]] {
        let mut args = report.to_vec();
        args.extend(["--format", "json"]);
        assert_eq!(copy_args(report), sb.ok(&args), "{report:?}");
    }

    // A second one the same day does not replace the first.
    let first = std::fs::read(&copy).unwrap();
    let out = sb.ok(&["sauvegarde"]);
    let prefix = format!("l-sauvegarde-{today}-");
    let timed: Vec<String> = names(sb.path())
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
        .collect();
    assert_eq!(timed.len(), 1, "{timed:?}");
    let hhmmss = timed[0]
        .strip_prefix(&prefix)
        .and_then(|t| t.strip_suffix(".sqlite"))
        .unwrap();
    assert!(
        hhmmss.len() == 6 && hhmmss.bytes().all(|b| b.is_ascii_digit()),
        "{timed:?}"
    );
    assert!(out.contains(&timed[0]), "{out}");
    assert_eq!(std::fs::read(&copy).unwrap(), first);

    // Into a folder: the dated name there.
    let dir = sb.path().join("cle");
    std::fs::create_dir(&dir).unwrap();
    sb.ok(&["sauvegarde", "-o", dir.to_str().unwrap()]);
    assert!(dir.join(format!("l-sauvegarde-{today}.sqlite")).is_file());
}

/// `1 234 567` with plain spaces.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_backup_never_goes_over_the_ledger_a_database_or_through_a_link() {
    let sb = ledger_2017();
    let ledger = sb.ledger();
    let earlier = sb.path().join("ancienne.sqlite");
    sb.ok(&["sauvegarde", "-o", earlier.to_str().unwrap()]);
    let earlier_bytes = std::fs::read(&earlier).unwrap();
    let target = sb.path().join("cible");
    std::fs::write(&target, "à garder").unwrap();
    let link = sb.path().join("lien.sqlite");
    symlink(&target, &link).unwrap();
    let before = names(sb.path());
    for (dest, says) in [
        (ledger.clone(), "est le registre lui-même"),
        (with_suffix(&ledger, "-wal"), "(-wal)"),
        (earlier.clone(), "est une base SQLite"),
        (link.clone(), "est un lien symbolique"),
    ] {
        let err = sb.refused(&["sauvegarde", "-o", dest.to_str().unwrap()], 2);
        assert!(err.contains(says), "{err}");
    }
    assert_eq!(names(sb.path()), before);
    assert_eq!(std::fs::read(&earlier).unwrap(), earlier_bytes);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "à garder");
    // An existing file that is not a database is replaced, 0600.
    let plain = sb.path().join("notes.txt");
    std::fs::write(&plain, "x").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    sb.ok(&["sauvegarde", "-o", plain.to_str().unwrap()]);
    assert_eq!(mode(&plain), 0o600);
    assert!(
        std::fs::read(&plain)
            .unwrap()
            .starts_with(b"SQLite format 3\0")
    );
}

struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_backup_made_while_two_processes_write_is_whole() {
    const BACKUPS: usize = 12;
    let sb = ledger_2017();
    let sessions = |path: &Path| -> i64 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("SELECT count(*) FROM session", [], |r| r.get(0))
            .unwrap()
    };
    let initial = sessions(&sb.ledger());
    let done = AtomicBool::new(false);
    let written = AtomicUsize::new(0);
    let started = [AtomicBool::new(false), AtomicBool::new(false)];
    let copies: Vec<PathBuf> = (0..BACKUPS)
        .map(|i| sb.path().join(format!("copie-{i}.sqlite")))
        .collect();
    std::thread::scope(|scope| {
        for (w, flag) in started.iter().enumerate() {
            let (sb, done, written) = (&sb, &done, &written);
            scope.spawn(move || {
                let mut i = 0;
                while !done.load(Ordering::SeqCst) || i < 3 {
                    let title = format!("écrivain {w} n° {i}");
                    sb.ok(&[
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
                        "5",
                        "--intitule",
                        &title,
                        // The same workshop again and again: meant.
                        "--doublon",
                    ]);
                    written.fetch_add(1, Ordering::SeqCst);
                    flag.store(true, Ordering::SeqCst);
                    i += 1;
                }
            });
        }
        // The writers stop even if a backup fails the test.
        let _stop = StopOnDrop(&done);
        let start = std::time::Instant::now();
        while !started.iter().all(|s| s.load(Ordering::SeqCst)) {
            assert!(
                start.elapsed() < common::TIMEOUT,
                "the writers did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        for copy in &copies {
            sb.ok(&["sauvegarde", "-o", copy.to_str().unwrap()]);
        }
    });
    let total = written.load(Ordering::SeqCst) as i64;
    assert_eq!(sessions(&sb.ledger()), initial + total, "a write was lost");
    let mut seen = Vec::new();
    for copy in &copies {
        let conn = rusqlite::Connection::open(copy).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "{copy:?}");
        drop(conn);
        let n = sessions(copy);
        assert!((initial..=initial + total).contains(&n), "{n}");
        seen.push(n);
    }
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen[0] > initial, "the writers had started: {seen:?}");
}

// ---------------------------------------------------------------------------------
// The export log
// ---------------------------------------------------------------------------------

#[test]
fn each_export_and_backup_is_logged_with_its_kind_and_file_never_its_content() {
    let sb = ledger_2017();
    let dir = std::fs::canonicalize(sb.path()).unwrap();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    sb.ok(&["export", "sessions", "--annee", "2017"]);
    let runs: [&[&str]; 5] = [
        &["export", "sessions", "-o", "s.csv"],
        &["export", "finances", "-o", "f.csv"],
        &["export", "fse", "--projet", "MEDNUM94", "-o", "fse.csv"],
        &[
            "export",
            "fse",
            "--projet",
            "MEDNUM94",
            "--avec-identite",
            "-o",
            "fse-nominatif.csv",
        ],
        &["sauvegarde", "-o", "copie.sqlite"],
    ];
    for args in runs {
        done(&sb, args);
    }
    sb.ok(&["export", "fec", "2017", "--siren", SIREN]);
    // Refused exports are not logged.
    sb.fails(&["export", "sessions", "-o", "l.sqlite"], 2);
    sb.fails(&["export", "fec", "2017", "--siren", SIREN], 2);
    let want: Vec<(String, String, i64)> = [
        ("sessions", "(sortie standard)".to_string(), 0),
        ("sessions", file("s.csv"), 0),
        ("finances", file("f.csv"), 0),
        ("fse", file("fse.csv"), 1),
        ("fse", file("fse-nominatif.csv"), 1),
        ("sauvegarde", file("copie.sqlite"), 1),
        ("fec", file(FEC_NAME), 0),
    ]
    .into_iter()
    .map(|(q, f, p)| (q.to_string(), f, p))
    .collect();
    assert_eq!(journal(&sb), want);
    // Only when, what, which file and whether personal: no column for content.
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('export_journal') ORDER BY cid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(columns, ["id", "fait_le", "quoi", "fichier", "personnel"]);
    // The backup taken before its own note holds the notes made until then.
    let copy = rusqlite::Connection::open(dir.join("copie.sqlite")).unwrap();
    let in_copy: i64 = copy
        .query_row("SELECT count(*) FROM export_journal", [], |r| r.get(0))
        .unwrap();
    assert_eq!(in_copy, 5);
}

#[test]
fn an_export_that_cannot_be_logged_still_succeeds_with_a_warning() {
    let sb = ledger_2017();
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refus BEFORE INSERT ON export_journal BEGIN SELECT RAISE(ABORT, 'texte-brut-de-sqlite'); END;",
    )
    .unwrap();
    drop(conn);
    let dest = sb.path().join("s.csv");
    let out = done(&sb, &["export", "sessions", "-o", dest.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&dest).unwrap().lines().count(), 238);
    let err = stderr(&out);
    assert!(err.contains("237 ligne(s) exportée(s)"), "{err}");
    assert!(
        err.contains("attention : ")
            && err.contains("est bien écrit, mais cet export n'a pas pu être noté"),
        "{err}"
    );
    assert!(!err.contains("texte-brut"), "raw SQLite text: {err}");
    assert!(journal(&sb).is_empty());
}

#[test]
fn an_interrupted_backup_leaves_nothing_behind() {
    let sb = Sandbox::with_refs();
    // A ledger big enough for the copy to take a while (about 90 MB).
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000)
         INSERT INTO export_journal (fait_le, quoi, fichier, personnel)
         SELECT '2020-01-01T00:00:00', 'sessions', printf('/%0150d.csv', i), 0 FROM n;",
    )
    .unwrap();
    drop(conn);
    let before = names(sb.path());
    let dest = sb.path().join("copie.sqlite");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ici"))
        .arg("--ledger")
        .arg(sb.ledger())
        .args(["sauvegarde", "-o", dest.to_str().unwrap()])
        .env_clear()
        .env("HOME", sb.path())
        .env("TZ", "UTC")
        .current_dir(sb.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupted as soon as the temporary file is there.
    let start = std::time::Instant::now();
    while !names(sb.path()).iter().any(|n| n.ends_with(".tmp")) {
        assert!(start.elapsed() < common::TIMEOUT, "no temporary file");
        assert!(child.try_wait().unwrap().is_none(), "finished too soon");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrompu : rien n'a été écrit"));
    // The ledger's own log may stay, as after any interruption: SQLite reads it back.
    let left: BTreeSet<String> = names(sb.path())
        .into_iter()
        .filter(|n| !n.starts_with("l.sqlite-"))
        .collect();
    assert_eq!(left, before, "something was left behind");
    assert!(!dest.exists());
    sb.ok(&["projet", "list"]);
}

#[test]
fn the_accountants_reports_are_written_by_the_same_rules() {
    let sb = ledger_2017();
    let reports: [&[&str]; 5] = [
        &["balance", "2017"],
        &["grand-livre", "2017", "--excel"],
        &["journal", "2017", "--format", "json"],
        &["solde", "512", "--au", "2017-12-31", "--format", "json"],
        &["solde", "6", "--au", "2017-12-31"],
    ];
    let dest = sb.path().join("rapport.txt");
    let link = sb.path().join("lien.txt");
    symlink(&dest, &link).unwrap();
    for report in reports {
        let with = |o: &Path| {
            let mut args: Vec<String> = report.iter().map(|s| s.to_string()).collect();
            args.extend(["-o".to_string(), o.to_str().unwrap().to_string()]);
            args
        };
        for (bad, says) in [
            (sb.ledger(), "est le registre lui-même"),
            (with_suffix(&sb.ledger(), "-wal"), "(-wal)"),
            (link.clone(), "est un lien symbolique"),
        ] {
            let err = sb.refused(&with(&bad), 2);
            assert!(err.contains(says), "{report:?}: {err}");
        }
        assert!(!dest.exists(), "{report:?} followed the link");
        let want = sb.ok(report);
        assert!(want.len() > 50, "{report:?}: {want}");
        std::fs::write(&dest, "ancien").unwrap();
        std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o644)).unwrap();
        sb.ok(&with(&dest));
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), want, "{report:?}");
        assert_eq!(mode(&dest), 0o600, "{report:?}");
        std::fs::remove_file(&dest).unwrap();
    }
    let leftovers: Vec<String> = names(sb.path())
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_erasure_names_the_personal_files_written_since_the_registration() {
    let sb = ledger_2017();
    let dir = std::fs::canonicalize(sb.path()).unwrap();
    done(
        &sb,
        &["export", "fse", "--projet", "MEDNUM94", "-o", "fse.csv"],
    );
    done(&sb, &["export", "sessions", "-o", "sessions.csv"]);
    sb.ok(&["sauvegarde", "-o", "copie.sqlite"]);
    let out = sb.ok(&["participant", "oublie", "P-0001", "--oui"]);
    let fse = format!("{} (fse, le ", dir.join("fse.csv").display());
    let copy = format!("{} (sauvegarde, le ", dir.join("copie.sqlite").display());
    assert!(out.contains(&fse), "{out}");
    assert!(out.contains(&copy), "{out}");
    assert!(out.find(&fse) < out.find(&copy), "oldest first: {out}");
    assert!(
        !out.contains("sessions.csv"),
        "no personal data in it: {out}"
    );
}

#[test]
fn the_copy_with_codes_of_an_import_follows_the_same_rules() {
    let sb = Sandbox::new();
    let people = sb.file("personnes.csv", "sexe;naissance\nf;1983\nh;1990\n");
    let target = sb.path().join("cible.csv");
    let link = sb.path().join("lien.csv");
    symlink(&target, &link).unwrap();
    for (dest, says) in [
        (with_suffix(&sb.ledger(), "-wal"), "(-wal)"),
        (link.clone(), "est un lien symbolique"),
    ] {
        let args = [
            "import",
            "participants",
            &people,
            "--codes",
            dest.to_str().unwrap(),
        ];
        let err = sb.refused(&args, 2);
        assert!(err.contains(says), "{err}");
        // The fix names the option the file was given with.
        assert!(err.contains("avec --codes"), "{err}");
        assert!(!err.contains("-o "), "{err}");
    }
    assert!(!target.exists());
    assert!(!with_suffix(&sb.ledger(), "-wal").exists());
    let copy = sb.path().join("avec-codes.csv");
    sb.ok(&[
        "import",
        "participants",
        &people,
        "--codes",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        "sexe;naissance;code\nf;1983;P-0001\nh;1990;P-0002\n"
    );
    assert_eq!(mode(&copy), 0o600);
}
