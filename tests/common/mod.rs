//! Helpers for the `ici` integration tests: a sandbox per test (its own temporary
//! directory, its own ledger, an environment with nothing of the user's), commands
//! that assert their exit status, and byte snapshots of the ledger.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;
use tempfile::TempDir;

/// No single `ici` run of these tests should take more than this.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// A fresh temporary directory that is also `HOME`, with a ledger path inside it.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    /// An empty sandbox: no ledger yet.
    pub fn empty() -> Sandbox {
        Sandbox {
            dir: tempfile::Builder::new()
                .prefix("ici-test-")
                .tempdir()
                .expect("temporary directory"),
        }
    }

    /// A sandbox with an initialised, empty ledger.
    pub fn new() -> Sandbox {
        let sb = Sandbox::empty();
        sb.ok(&["init"]);
        sb
    }

    /// A ledger with two projects and three partners, the names most tests use.
    pub fn with_refs() -> Sandbox {
        let sb = Sandbox::new();
        sb.ok(&[
            "projet",
            "add",
            "NET94",
            "--theme",
            "emploi",
            "--intitule",
            "Numérique et emploi en Val-de-Marne",
        ]);
        sb.ok(&["projet", "add", "BP-PARIS", "--theme", "citoyennete"]);
        sb.ok(&["partenaire", "add", "Département du Val-de-Marne"]);
        sb.ok(&["partenaire", "add", "Ville de Villejuif"]);
        sb.ok(&["partenaire", "add", "Pôle emploi Cachan"]);
        sb
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn ledger(&self) -> PathBuf {
        self.path().join("l.sqlite")
    }

    /// `ici` with an environment reduced to PATH, HOME (the sandbox) and TZ, run from
    /// the sandbox, without any `--ledger`. TZ is pinned to UTC so that "today", for
    /// the refusal of future dates, is the same day for the tests and the binary.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("ici").expect("the ici binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("TZ", "UTC")
            .current_dir(self.path())
            .timeout(TIMEOUT);
        cmd
    }

    /// `ici --ledger <sandbox>/l.sqlite ARGS…`.
    pub fn ici<S: AsRef<str>>(&self, args: &[S]) -> Command {
        let mut cmd = self.bare();
        cmd.arg("--ledger")
            .arg(self.ledger())
            .args(args.iter().map(AsRef::as_ref));
        cmd
    }

    /// Runs and asserts exit status 0 and an empty stderr; returns stdout.
    pub fn ok<S: AsRef<str>>(&self, args: &[S]) -> String {
        let out = self.ici(args).output().expect("ici runs");
        expect_code(&out, 0, args);
        stdout(&out)
    }

    /// Runs and asserts the exit status; returns stderr.
    pub fn fails<S: AsRef<str>>(&self, args: &[S], code: i32) -> String {
        let out = self.ici(args).output().expect("ici runs");
        expect_code(&out, code, args);
        assert!(
            out.stdout.is_empty(),
            "`ici {}` failed but wrote to stdout:\n{}",
            show(args),
            stdout(&out)
        );
        stderr(&out)
    }

    /// Runs with `--format json` appended and parses stdout.
    pub fn json<S: AsRef<str>>(&self, args: &[S]) -> Value {
        let mut args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
        args.extend(["--format", "json"]);
        let out = self.ok(&args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("`ici {}` is not JSON ({e}):\n{out}", show(&args)))
    }

    /// The ledger's bytes as they are now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.ledger())
    }

    /// Runs a command that must be refused with `code` and must leave the ledger
    /// byte-for-byte as it was; returns stderr.
    pub fn refused<S: AsRef<str>>(&self, args: &[S], code: i32) -> String {
        let before = self.snapshot();
        let err = self.fails(args, code);
        self.snapshot().assert_same(&before, args);
        err
    }

    /// Writes a file in the sandbox and returns its path as a string.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.path().join(name);
        std::fs::write(&p, bytes).expect("write sample file");
        p.to_str().expect("UTF-8 path").to_string()
    }

    /// Adds a session from `--flag value` pairs and returns its number.
    pub fn session<S: AsRef<str>>(&self, args: &[S]) -> i64 {
        let mut full = vec!["session", "add"];
        full.extend(args.iter().map(AsRef::as_ref));
        let out = self.ok(&full);
        session_number(&out)
    }
}

/// The ledger's content: the main file and its write-ahead log.
///
/// The ledger runs in WAL mode, so a committed write may sit in `l.sqlite-wal` rather
/// than in `l.sqlite`. Each `ici` process closes its connection before exiting, and
/// the last connection to close checkpoints the log into the main file and deletes
/// it; by the time a command has returned, the data is normally all in the main file.
/// To be safe whatever happened, a snapshot keeps both the main file and the `-wal`
/// file (or its absence): a write shows up in one or the other. The `-shm` file is
/// left out on purpose: it is only an index of the log, rewritten by mere readers.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    main: Vec<u8>,
    wal: Option<Vec<u8>>,
}

impl Snapshot {
    pub fn of(ledger: &Path) -> Snapshot {
        let main = std::fs::read(ledger)
            .unwrap_or_else(|e| panic!("read ledger {}: {e}", ledger.display()));
        let mut wal_path = ledger.as_os_str().to_owned();
        wal_path.push("-wal");
        let wal = std::fs::read(PathBuf::from(wal_path)).ok();
        Snapshot { main, wal }
    }

    pub fn assert_same<S: AsRef<str>>(&self, before: &Snapshot, args: &[S]) {
        assert!(
            self.main == before.main,
            "`ici {}` changed the ledger file ({} bytes → {} bytes, digest {:016x} → {:016x})",
            show(args),
            before.main.len(),
            self.main.len(),
            digest(&before.main),
            digest(&self.main)
        );
        assert!(
            self.wal == before.wal,
            "`ici {}` changed the ledger's write-ahead log ({:?} → {:?} bytes)",
            show(args),
            before.wal.as_ref().map(Vec::len),
            self.wal.as_ref().map(Vec::len)
        );
    }
}

/// A short digest (FNV-1a) to name file contents in failure messages.
pub fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

pub fn expect_code<S: AsRef<str>>(out: &Output, code: i32, args: &[S]) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "`ici {}`: expected exit status {code}\n--- stdout\n{}--- stderr\n{}",
        show(args),
        stdout(out),
        stderr(out)
    );
    if code == 0 {
        assert!(
            out.stderr.is_empty(),
            "`ici {}` succeeded but wrote to stderr:\n{}",
            show(args),
            stderr(out)
        );
    }
}

/// A command line for messages.
pub fn show<S: AsRef<str>>(args: &[S]) -> String {
    args.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(" ")
}

/// `Session n° 12 enregistrée.` → 12.
pub fn session_number(out: &str) -> i64 {
    let rest = out
        .strip_prefix("Session n° ")
        .unwrap_or_else(|| panic!("no « Session n° » at the start of:\n{out}"));
    let (n, tail) = rest.split_once(' ').expect("number then text");
    assert!(tail.starts_with("enregistrée"), "{out}");
    n.parse().expect("session number")
}

/// French figures use no-break spaces (U+00A0, U+202F) between thousands and before
/// `€`; tests compare them as plain spaces.
pub fn plain_spaces(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

/// The field `key` of every object of a JSON array.
pub fn column(v: &Value, key: &str) -> Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|o| o[key].clone())
        .collect()
}

/// A JSON array of strings, sorted.
pub fn sorted_strings(v: &Value) -> Vec<String> {
    let mut names: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("not a string: {s}"))
                .to_string()
        })
        .collect();
    names.sort();
    names
}

/// A JSON number as f64, so that `7` and `7.0` compare equal.
pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The `ici` binary under test.
pub fn ici_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ici"))
}

/// The shell line that runs a program with a file-size limit of `kib` KiB, the way a full
/// disk looks to a writer: SIGXFSZ is ignored (an ignored signal stays ignored across
/// `exec`), so the write fails with EFBIG instead of killing the process.
pub fn file_size_limit(kib: u64) -> Vec<String> {
    vec![
        "bash".to_string(),
        "-c".to_string(),
        format!("trap '' XFSZ; ulimit -f {kib}; exec \"$0\" \"$@\""),
    ]
}

impl Sandbox {
    /// `ici --ledger LEDGER ARGS…` as a plain process with the sandbox's environment, run
    /// through `prefix` (a program and its arguments placed before `ici`, such as
    /// [`file_size_limit`]); empty `prefix`: `ici` itself.
    pub fn process<S: AsRef<std::ffi::OsStr>>(
        &self,
        prefix: &[String],
        ledger: &Path,
        args: &[S],
    ) -> std::process::Command {
        let mut cmd = match prefix.split_first() {
            Some((program, rest)) => {
                let mut c = std::process::Command::new(program);
                c.args(rest).arg(ici_bin());
                c
            }
            None => std::process::Command::new(ici_bin()),
        };
        cmd.arg("--ledger")
            .arg(ledger)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("TZ", "UTC")
            .current_dir(self.path());
        cmd
    }

    /// The number of rows of `table` in `ledger`, read by a connection of the test's own
    /// (an ordinary one: it leaves no `-wal` behind when it closes).
    pub fn count(&self, ledger: &Path, table: &str) -> i64 {
        let c = rusqlite::Connection::open(ledger).expect("open ledger");
        c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    }
}

/// SQL taking a ledger back to before its global ids and change journal (migration
/// 12), for tests that rebuild an older ledger.
pub fn without_global_ids() -> String {
    let mut sql = String::from(
        "DROP TABLE changement; DROP TABLE gid_alias; DROP TABLE lot_envoi;
         DROP TRIGGER ligne_non_modifiable;
         CREATE TRIGGER ligne_non_modifiable BEFORE UPDATE ON ligne
         BEGIN
             SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
         END;
         DROP TRIGGER session_correction_definitive_modification;
         CREATE TRIGGER session_correction_definitive_modification BEFORE UPDATE ON session_correction
         BEGIN
             SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
         END;
         DELETE FROM parametre WHERE cle IN ('origine', 'poste');\n",
    );
    for table in [
        "projet",
        "partenaire",
        "session",
        "session_correction",
        "participant",
        "presence",
        "sortie",
        "tiers",
        "ecriture",
        "ligne",
    ] {
        sql.push_str(&format!(
            "DROP INDEX IF EXISTS {table}_gid; ALTER TABLE {table} DROP COLUMN gid;\n"
        ));
    }
    sql
}

/// SQL taking a ledger of the current schema back to just after migration `version`
/// (9 or later): what each later migration added is removed, the latest first. A
/// test rebuilding an older ledger runs this, then undoes the migrations up to
/// `version` it cares about itself, then sets `user_version`.
pub fn undo_migrations_after(version: u32) -> String {
    assert!(version >= 9, "migrations up to 9 are undone by each test");
    let mut sql = String::new();
    for m in (version + 1..=ici::db::SCHEMA_VERSION as u32).rev() {
        match m {
            16 => sql.push_str(
                "DROP INDEX ecriture_date; CREATE INDEX ecriture_date ON ecriture (date);\n",
            ),
            15 => sql.push_str("DROP TABLE rapport_texte;\n"),
            14 => sql.push_str(
                "DROP TABLE evenement; DROP TABLE benevolat; DROP TABLE benevolat_taux;
                 DROP TABLE adherent; DROP TABLE gouvernance; DROP TABLE equipe;
                 ALTER TABLE projet DROP COLUMN description;\n",
            ),
            13 => sql.push_str(
                "DROP TRIGGER totaux_ligne; DROP TRIGGER totaux_ligne_tiers;
                 DROP TRIGGER totaux_ligne_tiers_change; DROP TRIGGER totaux_ecriture_change;
                 DROP TABLE totaux_compte;
                 DROP INDEX session_annulee; DROP INDEX ecriture_journal_suite;\n",
            ),
            12 => sql.push_str(&without_global_ids()),
            11 => sql.push_str(
                "DROP TABLE explication; DROP TABLE repartition_part; DROP TABLE repartition;
                 DROP TABLE affectation; DROP TABLE budget_ligne; DROP TABLE budget;
                 DROP TABLE convention; ALTER TABLE partenaire DROP COLUMN type_financeur;\n",
            ),
            10 => sql.push_str(
                "ALTER TABLE session DROP COLUMN thematiques;
                 ALTER TABLE session DROP COLUMN materiel;
                 ALTER TABLE session DROP COLUMN niveau;\n",
            ),
            _ => panic!("migration {m}: add what it created to undo_migrations_after"),
        }
    }
    sql
}
