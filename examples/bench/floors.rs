//! Commands against their SQLite floor: each command of `ici` beside the query (or
//! the insert) that SQLite alone runs for the same figures on the same file, in the
//! same run, at every size of ledger the imports built. Before anything is timed, the
//! command's figures are checked against the floor's (same totals). Also the room a
//! ledger takes, against a plain table of the same columns with a date index.

use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::report::{fr, thousands};

/// A ledger filled by an import: its kind (`sessions`, `finances`), its rows.
pub(crate) struct Filled {
    pub(crate) kind: &'static str,
    pub(crate) rows: usize,
    pub(crate) path: PathBuf,
}

/// One command and its floor, measured alike.
struct Line {
    commande: String,
    taille: String,
    ici_ms: f64,
    floor: String,
    floor_ms: f64,
    ici_kib: Option<u64>,
    floor_kib: Option<u64>,
    check: String,
}

/// A program and its arguments.
type Argv = (PathBuf, Vec<OsString>);

struct Bench<'a> {
    bin: &'a Path,
    sqlite3: &'a Path,
    time: Option<&'a Path>,
    scratch: &'a Path,
}

impl Bench<'_> {
    fn output(&self, (program, args): &Argv) -> Result<String> {
        let out = Command::new(program)
            .args(args)
            .env_remove("ICI_LEDGER")
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("lancement de {}", program.display()))?;
        if !out.status.success() {
            bail!(
                "{} {:?} : {}",
                program.display(),
                args,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn wall_ms(&self, (program, args): &Argv) -> Result<f64> {
        let start = Instant::now();
        let status = Command::new(program)
            .args(args)
            .env_remove("ICI_LEDGER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if !status.success() {
            bail!("{} {:?} a échoué ({status})", program.display(), args);
        }
        Ok(ms)
    }

    /// Peak resident memory in KiB, from GNU time.
    fn rss_kib(&self, (program, args): &Argv) -> Option<u64> {
        let time = self.time?;
        let file = self.scratch.join("floor-time.txt");
        Command::new(time)
            .args(["-f", "%M", "-o"])
            .arg(&file)
            .arg(program)
            .args(args)
            .env_remove("ICI_LEDGER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        std::fs::read_to_string(&file)
            .ok()?
            .lines()
            .rev()
            .find_map(|l| l.trim().parse().ok())
    }

    /// One run of each to warm the caches, then `runs` rounds of both, interleaved so
    /// that any background load weighs on both alike; medians, then peak memory.
    fn pair(
        &self,
        runs: usize,
        mut ici: impl FnMut() -> Argv,
        mut floor: impl FnMut() -> Argv,
    ) -> Result<(f64, f64, Option<u64>, Option<u64>)> {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for round in 0..=runs {
            let (x, y) = (self.wall_ms(&ici())?, self.wall_ms(&floor())?);
            if round > 0 {
                a.push(x);
                b.push(y);
            }
        }
        Ok((
            median(&mut a),
            median(&mut b),
            self.rss_kib(&ici()),
            self.rss_kib(&floor()),
        ))
    }

    fn ici(&self, ledger: &Path, args: &[&str]) -> Argv {
        let mut v: Vec<OsString> = vec!["--ledger".into(), ledger.into()];
        v.extend(args.iter().map(OsString::from));
        (self.bin.to_path_buf(), v)
    }

    fn sql(&self, ledger: &Path, sql: &str) -> Argv {
        (self.sqlite3.to_path_buf(), vec![ledger.into(), sql.into()])
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

const YEAR: &str = "date >= '2017-01-01' AND date < '2018-01-01'";

/// The figures at the top of `ici stats`, as SQLite alone sums them.
fn stats_sql() -> String {
    format!(
        "SELECT count(*), sum(participants), sum(duree_minutes), total(femmes), total(qpv),
                total(jeunes_ml), total(demandeurs_emploi), total(rsa)
         FROM session WHERE {YEAR} AND annulee_le IS NULL"
    )
}

/// The bilan's sums by account, as SQLite alone computes them.
fn bilan_sql() -> String {
    format!(
        "SELECT l.compte, sum(l.debit), sum(l.credit)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.{YEAR} GROUP BY l.compte"
    )
}

/// The lines of the year in the FEC's order, as SQLite alone reads them.
fn fec_sql() -> String {
    format!(
        "SELECT e.id, e.date, e.libelle, e.piece, l.compte, l.debit, l.credit
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         WHERE e.{YEAR} ORDER BY e.date, e.id, l.id"
    )
}

fn json_i64(v: &serde_json::Value, key: &str) -> Result<i64> {
    v.get(key)
        .and_then(serde_json::Value::as_i64)
        .with_context(|| format!("clé {key} absente du JSON"))
}

/// Euros as `ici` writes them in JSON (`"1234.56"`), in cents.
fn json_cents(v: &serde_json::Value, key: &str) -> Result<i64> {
    let text = v
        .get(key)
        .and_then(serde_json::Value::as_str)
        .with_context(|| format!("clé {key} absente du JSON"))?;
    let (euros, cents) = text.split_once('.').unwrap_or((text, "0"));
    Ok(euros.parse::<i64>()? * 100 + cents.parse::<i64>()?)
}

fn fields(line: &str) -> Vec<i64> {
    line.split('|')
        .map(|x| x.parse::<f64>().map_or(0, |f| f as i64))
        .collect()
}

/// Every measure, and its Markdown section.
pub(crate) fn run(bin: &Path, scratch: &Path, filled: &[Filled], runs: usize) -> Result<String> {
    let mut md = String::new();
    writeln!(md, "#### Commandes face à SQLite seul\n")?;
    let Some(sqlite3) = crate::imports::which("sqlite3") else {
        writeln!(md, "> `sqlite3` introuvable : pas de plancher mesuré.\n")?;
        return Ok(md);
    };
    let time = Path::new("/usr/bin/time");
    let bench = Bench {
        bin,
        sqlite3: &sqlite3,
        time: time.exists().then_some(time),
        scratch,
    };
    let mut lines = Vec::new();
    let mut storage = Vec::new();

    eprintln!("• `ici --version` et `sqlite3 :memory:`");
    let (a, b, ka, kb) = bench.pair(
        runs,
        || (bin.to_path_buf(), vec!["--version".into()]),
        || (sqlite3.clone(), vec![":memory:".into(), "SELECT 1".into()]),
    )?;
    lines.push(Line {
        commande: "`ici --version`".into(),
        taille: "–".into(),
        ici_ms: a,
        floor: "`sqlite3 :memory: \"SELECT 1\"`".into(),
        floor_ms: b,
        ici_kib: ka,
        floor_kib: kb,
        check: "lancement seul".into(),
    });

    for f in filled {
        let runs = if f.rows >= 1_000_000 {
            3.min(runs)
        } else {
            runs
        };
        let ledger = f.path.as_path();
        let lignes: usize = bench
            .output(&bench.sql(ledger, "SELECT count(*) FROM ligne"))?
            .trim()
            .parse()?;
        let taille = match f.kind {
            "sessions" => format!("{} sessions", thousands(f.rows)),
            _ => format!("{} lignes", thousands(lignes)),
        };
        if f.kind == "sessions" {
            // stats: the figures at the top against the same sums by SQLite.
            eprintln!("• `ici stats 2017` ({taille})");
            let json: serde_json::Value = serde_json::from_str(
                &bench.output(&bench.ici(ledger, &["stats", "2017", "--format", "json"]))?,
            )?;
            let floor = fields(bench.output(&bench.sql(ledger, &stats_sql()))?.trim());
            let ours = (
                json_i64(&json, "sessions")?,
                json_i64(&json, "participations")?,
            );
            if ours != (floor[0], floor[1]) {
                bail!("stats 2017 : ici donne {ours:?}, SQLite seul {floor:?}");
            }
            let (a, b, ka, kb) = bench.pair(
                runs,
                || bench.ici(ledger, &["stats", "2017"]),
                || bench.sql(ledger, &stats_sql()),
            )?;
            lines.push(Line {
                commande: "`ici stats 2017`".into(),
                taille: taille.clone(),
                ici_ms: a,
                floor: "sommes de l'année (sessions, participations, heures, publics)".into(),
                floor_ms: b,
                ici_kib: ka,
                floor_kib: kb,
                check: format!(
                    "{} sessions, {} participations : identiques",
                    thousands(ours.0 as usize),
                    thousands(ours.1 as usize)
                ),
            });

            storage.push(room(&bench, ledger, "sessions", &taille, f.rows)?);

            // session add: the same row, typed, against its raw INSERT.
            eprintln!("• `ici session add --commune Villejuif` ({taille})");
            let add = |date: &str| {
                bench.ici(
                    ledger,
                    &[
                        "session",
                        "add",
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
                        "--femmes",
                        "7",
                        "--doublon",
                    ],
                )
            };
            let insert = |date: &str| {
                bench.sql(
                    ledger,
                    &format!(
                        "INSERT INTO session (date, projet_id, lieu, code_insee, duree_minutes,
                                              participants, femmes, cree_le)
                         VALUES ('{date}', (SELECT id FROM projet WHERE nom = 'NET94'), 'site',
                                 '94076', 180, 12, 7, strftime('%Y-%m-%dT%H:%M:%S', 'now'))"
                    ),
                )
            };
            let row_sql = "SELECT date, projet_id, lieu, code_insee, duree_minutes, participants, femmes FROM session ORDER BY id DESC LIMIT 1";
            bench.output(&add("2024-06-01"))?;
            let by_ici = bench.output(&bench.sql(ledger, row_sql))?;
            bench.output(&insert("2024-06-01"))?;
            let by_sql = bench.output(&bench.sql(ledger, row_sql))?;
            if by_ici != by_sql {
                bail!("session add : ici écrit {by_ici:?}, l'INSERT {by_sql:?}");
            }
            let mut k = 0;
            let mut l = 0;
            let day = |k: i32| {
                let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")
                    + chrono::Duration::days(i64::from(k % 365));
                d.format("%Y-%m-%d").to_string()
            };
            let (a, b, ka, kb) = bench.pair(
                runs,
                || {
                    k += 1;
                    add(&day(k))
                },
                || {
                    l += 1;
                    insert(&day(l))
                },
            )?;
            lines.push(Line {
                commande: "`ici session add --commune Villejuif …`".into(),
                taille: taille.clone(),
                ici_ms: a,
                floor: "`sqlite3 registre \"INSERT …\"` de la même ligne".into(),
                floor_ms: b,
                ici_kib: ka,
                floor_kib: kb,
                check: "même ligne écrite".into(),
            });
        } else {
            eprintln!("• `ici bilan 2017 --format json` ({taille})");
            let json: serde_json::Value = serde_json::from_str(
                &bench.output(&bench.ici(ledger, &["bilan", "2017", "--format", "json"]))?,
            )?;
            let (mut produits, mut charges) = (0, 0);
            for line in bench.output(&bench.sql(ledger, &bilan_sql()))?.lines() {
                let (compte, rest) = line.split_once('|').context("sortie de sqlite3")?;
                let sums = fields(rest);
                match compte.as_bytes().first() {
                    Some(b'7') => produits += sums[1] - sums[0],
                    Some(b'6') => charges += sums[0] - sums[1],
                    _ => {}
                }
            }
            let ours = (
                json_cents(&json, "total_produits")?,
                json_cents(&json, "total_charges")?,
            );
            if ours != (produits, charges) {
                bail!(
                    "bilan 2017 : ici donne {ours:?}, SQLite seul {:?}",
                    (produits, charges)
                );
            }
            let (a, b, ka, kb) = bench.pair(
                runs,
                || bench.ici(ledger, &["bilan", "2017", "--format", "json"]),
                || bench.sql(ledger, &bilan_sql()),
            )?;
            lines.push(Line {
                commande: "`ici bilan 2017 --format json`".into(),
                taille: taille.clone(),
                ici_ms: a,
                floor: "sommes de l'année par compte".into(),
                floor_ms: b,
                ici_kib: ka,
                floor_kib: kb,
                check: format!(
                    "produits {} €, charges {} € : identiques",
                    thousands((produits / 100) as usize),
                    thousands((charges / 100) as usize)
                ),
            });

            eprintln!("• `ici export fec 2017` ({taille})");
            let fec = scratch.join("floor-fec.txt");
            let fec_s = fec.to_string_lossy().into_owned();
            let export = || {
                bench.ici(
                    ledger,
                    &[
                        "export",
                        "fec",
                        "2017",
                        "--siren",
                        "123456782",
                        "-o",
                        &fec_s,
                    ],
                )
            };
            let _ = std::fs::remove_file(&fec);
            bench.output(&export())?;
            let written =
                std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&fec)?))
                    .count()
                    - 1;
            let counted: usize = bench
                .output(&bench.sql(ledger, &format!("SELECT count(*) FROM ({})", fec_sql())))?
                .trim()
                .parse()?;
            if written != counted {
                bail!("export fec 2017 : {written} lignes écrites, SQLite en lit {counted}");
            }
            let floor_out = scratch.join("floor-fec-sql.txt");
            let floor_out_s = floor_out.to_string_lossy().into_owned();
            let (a, b, ka, kb) = bench.pair(
                runs,
                || {
                    let _ = std::fs::remove_file(&fec);
                    export()
                },
                || {
                    (
                        sqlite3.clone(),
                        vec![
                            ledger.into(),
                            format!(".output {floor_out_s}").into(),
                            fec_sql().into(),
                        ],
                    )
                },
            )?;
            let _ = std::fs::remove_file(&floor_out);
            lines.push(Line {
                commande: "`ici export fec 2017`".into(),
                taille: taille.clone(),
                ici_ms: a,
                floor: "les lignes de l'année dans l'ordre, écrites dans un fichier".into(),
                floor_ms: b,
                ici_kib: ka,
                floor_kib: kb,
                check: format!("{} lignes : identiques", thousands(written)),
            });
            storage.push(room(&bench, ledger, "lignes", &taille, lignes)?);
        }
    }

    writeln!(
        md,
        "Plancher : la même requête (ou la même insertion) par `sqlite3` seul sur le même fichier, lancement du processus compris des deux côtés. Avant toute mesure, les chiffres de la commande sont comparés à ceux du plancher. {} exécutions chronométrées par mesure (3 à partir d'un million de lignes), en alternance ; médianes.\n",
        runs
    )?;
    writeln!(
        md,
        "| Commande | Registre | `ici` (ms) | Plancher | Plancher (ms) | Rapport | RSS `ici` (Mio) | RSS plancher (Mio) | Vérification |"
    )?;
    writeln!(md, "|---|---|--:|---|--:|--:|--:|--:|---|")?;
    let mib = |k: Option<u64>| k.map_or("–".to_string(), |k| fr(k as f64 / 1024.0, 1));
    for l in &lines {
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | ×{} | {} | {} | {} |",
            l.commande,
            l.taille,
            fr(l.ici_ms, 1),
            l.floor,
            fr(l.floor_ms, 1),
            fr(l.ici_ms / l.floor_ms, 2),
            mib(l.ici_kib),
            mib(l.floor_kib),
            l.check
        )?;
    }
    writeln!(md)?;
    writeln!(md, "#### Place occupée\n")?;
    writeln!(
        md,
        "Table simple : les mêmes colonnes copiées dans une base neuve (`CREATE TABLE … AS SELECT`), avec un index sur la date. Le registre est mesuré tel que l'import l'a laissé.\n"
    )?;
    writeln!(
        md,
        "| Registre | Octets par ligne (registre) | Octets par ligne (table simple) | Rapport |"
    )?;
    writeln!(md, "|---|--:|--:|--:|")?;
    for (taille, ours, plain) in &storage {
        writeln!(
            md,
            "| {taille} | {} | {} | ×{} |",
            fr(*ours, 0),
            fr(*plain, 0),
            fr(ours / plain, 2)
        )?;
    }
    writeln!(md)?;
    Ok(md)
}

/// Bytes per row of the ledger, and of a plain table with the same columns and a date
/// index (in a fresh file).
fn room(
    bench: &Bench<'_>,
    ledger: &Path,
    what: &str,
    taille: &str,
    rows: usize,
) -> Result<(String, f64, f64)> {
    let plain = bench.scratch.join("plain.sqlite");
    let _ = std::fs::remove_file(&plain);
    let copy = if what == "sessions" {
        "CREATE TABLE t AS SELECT * FROM l.session; CREATE INDEX t_date ON t (date);"
    } else {
        "CREATE TABLE t AS SELECT e.date, e.libelle, e.piece, e.tiers_id, e.projet_id, e.cree_le,
                                  e.journal, e.numero_source, e.annule_id, l.ecriture_id, l.compte,
                                  l.debit, l.credit
                           FROM l.ecriture e JOIN l.ligne l ON l.ecriture_id = e.id;
         CREATE INDEX t_date ON t (date);"
    };
    bench.output(&(
        bench.sqlite3.to_path_buf(),
        vec![
            plain.as_os_str().into(),
            format!("ATTACH '{}' AS l; {copy}", ledger.display()).into(),
        ],
    ))?;
    let size = |p: &Path| -> Result<f64> {
        let wal = PathBuf::from(format!("{}-wal", p.display()));
        Ok((std::fs::metadata(p)?.len() + std::fs::metadata(&wal).map_or(0, |m| m.len())) as f64)
    };
    let ours = size(ledger)? / rows as f64;
    let theirs = size(&plain)? / rows as f64;
    let _ = std::fs::remove_file(&plain);
    Ok((format!("{taille} ({what})"), ours, theirs))
}
