//! The fault suite: imports killed with SIGKILL at random points, eight writers at once,
//! and writes cut short by a full disk (a file-size limit). After each fault the ledger
//! opens, `ici verifie` passes, and the file's rows are all there or none are.
//!
//! The random points come from a seeded generator: the seed is printed, and
//! `ICI_GRAINE=N cargo test --test pannes` replays a failing run.

mod common;

use common::{Sandbox, expect_code, file_size_limit, stderr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn rng() -> fastrand::Rng {
    let seed = std::env::var("ICI_GRAINE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_171_231);
    eprintln!("graine : {seed} (ICI_GRAINE={seed} pour rejouer)");
    fastrand::Rng::with_seed(seed)
}

/// A ledger with the 2017 projects, kept as bytes to start each trial from.
fn base(sb: &Sandbox) -> Vec<u8> {
    sb.ok(&[
        "import",
        "projets",
        &format!("{}/fixtures/2017/projets.csv", env!("CARGO_MANIFEST_DIR")),
    ]);
    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(c);
    std::fs::read(sb.ledger()).unwrap()
}

fn fresh_copy(sb: &Sandbox, base: &[u8], name: &str) -> PathBuf {
    let ledger = sb.path().join(name);
    std::fs::write(&ledger, base).unwrap();
    ledger
}

fn sessions_csv(rows: usize) -> String {
    let mut csv = String::from("date;projet;lieu;duree;participants;femmes;intitule\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "2017-{:02}-{:02};DEN-ROMAINVILLE;distance;2h;{};1;Atelier {i}\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 15 + 2
        ));
    }
    csv
}

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n";

/// A FEC of `entries` balanced entries of two lines each.
fn fec(entries: usize) -> String {
    let mut f = String::from(FEC_HEADER);
    for n in 1..=entries {
        let date = format!("2017{:02}{:02}", n % 12 + 1, n % 28 + 1);
        let amount = format!("{},{:02}", n % 900 + 10, n % 100);
        f.push_str(&format!(
            "VT\tVentes\t{n}\t{date}\t411000\tClients\t\t\tF{n}\t{date}\tFormation {n}\t{amount}\t0,00\t\t\t\t\t\n\
             VT\tVentes\t{n}\t{date}\t706000\tPrestations\t\t\tF{n}\t{date}\tFormation {n}\t0,00\t{amount}\t\t\t\t\t\n"
        ));
    }
    f
}

/// `ici verifie` passes on `ledger`, which opens.
fn assert_verified(sb: &Sandbox, ledger: &Path, what: &str) {
    let out = sb.process(&[], ledger, &["verifie"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: verifie failed\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// When a trial's SIGKILL is sent.
#[derive(Clone, Copy)]
enum Kill {
    /// At a random point within the time a whole run takes.
    Random,
    /// As soon as the log starts to grow: during the commit itself, the moment a
    /// torn write would show (a transaction's pages stay in memory until then).
    OnLogGrowth,
}

#[derive(Debug, Default)]
struct Outcome {
    none: usize,
    all: usize,
    /// Trials whose kill left frames in the `-wal` file, for SQLite to recover.
    log_left: usize,
}

/// An import and what it brings: `rows` rows of `table`.
struct Import<'a> {
    args: &'a [&'a str],
    table: &'a str,
    rows: i64,
}

/// Runs the import on fresh copies of `base` and kills it with SIGKILL, `trials` times;
/// after each, the ledger opens, `ici verifie` passes, and the table has none or all of
/// the rows the file brings.
fn kill_trials(
    sb: &Sandbox,
    base: &[u8],
    import: &Import,
    (kill, trials): (Kill, usize),
    rng: &mut fastrand::Rng,
) -> Outcome {
    let Import { args, table, rows } = *import;
    // One run to the end: how long it takes, and that it brings every row.
    let whole = fresh_copy(sb, base, "entier.sqlite");
    let start = Instant::now();
    let out = sb.process(&[], &whole, args).output().unwrap();
    let span = start.elapsed();
    expect_code(&out, 0, args);
    assert_eq!(sb.count(&whole, table), rows);
    let mut outcome = Outcome::default();
    for trial in 0..trials {
        let ledger = fresh_copy(sb, base, &format!("essai-{table}-{trial}.sqlite"));
        let mut wal = ledger.clone().into_os_string();
        wal.push("-wal");
        let mut child = sb
            .process(&[], &ledger, args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        match kill {
            Kill::Random => {
                std::thread::sleep(Duration::from_micros(rng.u64(0..=span.as_micros() as u64)));
            }
            Kill::OnLogGrowth => {
                while child.try_wait().unwrap().is_none()
                    && !std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0)
                    && started.elapsed() < common::TIMEOUT
                {
                    std::thread::sleep(Duration::from_micros(50));
                }
            }
        }
        let at = started.elapsed();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let what = format!("{table}, trial {trial}, SIGKILL after {at:?} (status {status})");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            outcome.log_left += 1;
        }
        assert_verified(sb, &ledger, &what);
        let n = sb.count(&ledger, table);
        assert!(n == 0 || n == rows, "{what}: {n} of {rows} rows");
        if status.success() {
            assert_eq!(n, rows, "{what}: finished yet incomplete");
        }
        if n == 0 {
            outcome.none += 1;
        } else {
            outcome.all += 1;
        }
    }
    outcome
}

#[test]
fn an_import_killed_at_any_point_leaves_all_or_nothing() {
    let sb = Sandbox::new();
    let base = base(&sb);
    let mut rng = rng();
    let csv = sb.file("sessions.csv", sessions_csv(2000));
    let file = sb.file("fec.txt", fec(1500));
    let imports = [
        Import {
            args: &["import", "sessions", &csv, "--doublon"],
            table: "session",
            rows: 2000,
        },
        Import {
            args: &["import", "fec", &file],
            table: "ecriture",
            rows: 1500,
        },
    ];
    let mut trials = 0;
    for import in &imports {
        for (kill, n) in [(Kill::Random, 8), (Kill::OnLogGrowth, 4)] {
            let o = kill_trials(&sb, &base, import, (kill, n), &mut rng);
            eprintln!("{} : {o:?}", import.table);
            trials += n;
        }
    }
    assert!(trials >= 20);
}

#[test]
fn eight_writers_at_once_lose_nothing() {
    const WRITERS: usize = 8;
    const EACH: usize = 12;
    let sb = Sandbox::new();
    sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    let ledger = sb.ledger();
    std::thread::scope(|s| {
        for w in 0..WRITERS {
            let sb = &sb;
            let ledger = &ledger;
            s.spawn(move || {
                for i in 0..EACH {
                    let title = format!("Écrivain {w} n° {i}");
                    let args = [
                        "session",
                        "add",
                        "--date",
                        "2017-03-01",
                        "--projet",
                        "NET94",
                        "--duree",
                        "2h",
                        "--participants",
                        "3",
                        "--lieu",
                        "distance",
                        "--intitule",
                        &title,
                        "--doublon",
                    ];
                    let out = sb.process(&[], ledger, &args).output().unwrap();
                    expect_code(&out, 0, &args);
                }
            });
        }
    });
    assert_eq!(sb.count(&ledger, "session"), (WRITERS * EACH) as i64);
    let c = rusqlite::Connection::open(&ledger).unwrap();
    let distinct: i64 = c
        .query_row("SELECT count(DISTINCT intitule) FROM session", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(distinct, (WRITERS * EACH) as i64);
    drop(c);
    assert_verified(&sb, &ledger, "after concurrent writers");
}

#[test]
fn a_full_disk_at_random_sizes_keeps_the_ledger_whole() {
    let sb = Sandbox::new();
    let base = base(&sb);
    let mut rng = rng();
    let file = sb.file("fec.txt", fec(400));
    let args = ["import", "fec", file.as_str()];
    let (mut failed, mut passed) = (0, 0);
    for trial in 0..8 {
        let ledger = fresh_copy(&sb, &base, &format!("plein-{trial}.sqlite"));
        let before = std::fs::read(&ledger).unwrap();
        let kib = rng.u64(16..=400);
        let out = sb
            .process(&file_size_limit(kib), &ledger, &args)
            .output()
            .unwrap();
        let what = format!("trial {trial}, file-size limit {kib} KiB");
        let unchanged = std::fs::read(&ledger).unwrap() == before;
        let n = sb.count(&ledger, "ecriture");
        match out.status.code() {
            Some(0) => {
                assert_eq!(n, 400, "{what}");
                passed += 1;
            }
            Some(1) => {
                let err = stderr(&out);
                assert!(err.contains("disque plein"), "{what}: {err}");
                assert!(err.contains("rien n'a été enregistré"), "{what}: {err}");
                assert!(
                    !err.contains("database") && !err.contains("disk"),
                    "{what}: {err}"
                );
                assert_eq!(n, 0, "{what}");
                assert!(unchanged, "{what}: the ledger file changed");
                failed += 1;
            }
            other => panic!("{what}: status {other:?}\n{}", stderr(&out)),
        }
        assert_verified(&sb, &ledger, &what);
    }
    eprintln!("disque plein : {failed} import(s) refusé(s), {passed} passé(s)");
    assert!(failed > 0, "no limit was small enough to fail");
}
