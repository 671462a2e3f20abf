//! Imports against their SQLite floor: the same file loaded by `sqlite3 :memory:
//! .import`, in the same run. Each import's result is checked against the floor's (same
//! row count, same total) before anything is timed; peak memory of each import is read
//! through GNU time when it is there.

use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::{Rng, fr, group_thousands};
use crate::floors::Filled;

/// Communes typed in the generated sessions: names the resolver knows, one resolved per
/// import thanks to its cache however many rows name it.
const COMMUNES: [&str; 8] = [
    "Villejuif",
    "Cachan",
    "Arcueil",
    "Gentilly",
    "Ivry-sur-Seine",
    "Vitry-sur-Seine",
    "Créteil",
    "Le Kremlin-Bicêtre",
];

/// One measured import and its floor.
struct Measure {
    commande: String,
    lignes: usize,
    ici_ms: Option<f64>,
    floor_ms: Option<f64>,
    rss_kib: Option<u64>,
    verdict: String,
    /// The ledger the last run filled, kept for the measures against SQLite.
    filled: Option<PathBuf>,
}

/// What a load gave: rows and a total (participants, cents).
#[derive(Debug, PartialEq, Eq)]
struct Totals(i64, i64);

/// Runs every import measure and returns its Markdown section.
/// `fec`: a FEC of `fec_lines` lines already written by the bench.
pub fn run(
    bin: &Path,
    scratch: &Path,
    quick: bool,
    fec: &Path,
    fec_lines: usize,
) -> Result<(String, Vec<Filled>)> {
    let sqlite3 = which("sqlite3");
    let time = Path::new("/usr/bin/time");
    let time = time.exists().then_some(time);
    let sizes: &[usize] = if quick {
        &[10_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let template = scratch.join("import-modele.sqlite");
    ici(bin, &template, &["init"])?;
    ici(
        bin,
        &template,
        &["projet", "add", "NET94", "--theme", "emploi"],
    )?;
    let mut measures = Vec::new();
    for &n in sizes {
        let runs = if quick || n >= 1_000_000 { 1 } else { 3 };
        let file = scratch.join(format!("sessions-{n}.csv"));
        write_sessions(&file, n)?;
        eprintln!("• `ici import sessions` ({n} lignes)");
        measures.push(measure(
            bin,
            &template,
            &file,
            "sessions",
            sqlite3.as_deref(),
            time,
            runs,
            n,
        )?);
        let file = scratch.join(format!("finances-{n}.csv"));
        write_finances(&file, n)?;
        eprintln!("• `ici import finances` ({n} lignes)");
        measures.push(measure(
            bin,
            &template,
            &file,
            "finances",
            sqlite3.as_deref(),
            time,
            runs,
            n,
        )?);
        std::fs::remove_file(scratch.join(format!("sessions-{n}.csv")))?;
    }
    let file = fec.to_path_buf();
    eprintln!("• `ici import fec` ({fec_lines} lignes) et son plancher");
    measures.push(measure(
        bin,
        &template,
        &file,
        "fec",
        sqlite3.as_deref(),
        time,
        1,
        fec_lines,
    )?);

    let mut md = String::new();
    writeln!(md, "#### Imports face à SQLite seul\n")?;
    writeln!(
        md,
        "Plancher : le même fichier chargé par `sqlite3 :memory: .import` (sans contrôle, sans index). Chaque import est d'abord vérifié contre le plancher : même nombre de lignes, même total.\n"
    )?;
    writeln!(
        md,
        "| Commande | Lignes | `ici` (ms) | Plancher (ms) | Rapport | RSS max (Mio) | Vérification |"
    )?;
    writeln!(md, "|---|--:|--:|--:|--:|--:|---|")?;
    for m in &measures {
        let ms = |x: Option<f64>| x.map_or("–".to_string(), |x| fr(x, 0));
        let ratio = match (m.ici_ms, m.floor_ms) {
            (Some(a), Some(b)) if b > 0.0 => format!("×{}", fr(a / b, 1)),
            _ => "–".into(),
        };
        writeln!(
            md,
            "| {} | {} | {} | {} | {ratio} | {} | {} |",
            m.commande,
            group_thousands(m.lignes as u64),
            ms(m.ici_ms),
            ms(m.floor_ms),
            m.rss_kib
                .map_or("–".to_string(), |k| fr(k as f64 / 1024.0, 1)),
            m.verdict
        )?;
    }
    if sqlite3.is_none() {
        writeln!(md, "\n> `sqlite3` introuvable : pas de plancher mesuré.")?;
    }
    writeln!(md)?;
    let filled = measures
        .iter()
        .filter_map(|m| {
            let kind = ["sessions", "finances"]
                .into_iter()
                .find(|k| m.commande.contains(k))?;
            Some(Filled {
                kind,
                rows: m.lignes,
                path: m.filled.clone()?,
            })
        })
        .collect();
    Ok((md, filled))
}

#[allow(clippy::too_many_arguments)]
fn measure(
    bin: &Path,
    template: &Path,
    file: &Path,
    kind: &str,
    sqlite3: Option<&Path>,
    time: Option<&Path>,
    runs: usize,
    lignes: usize,
) -> Result<Measure> {
    let commande = format!("`ici import {kind}`");
    let ledger = template.with_file_name(format!("import-{kind}.sqlite"));
    let fresh = || -> Result<()> {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = ledger.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::copy(template, &ledger).context("copie du registre modèle")?;
        Ok(())
    };
    let import_args = |ledger: &Path| -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> = vec![
            "--ledger".into(),
            ledger.into(),
            "import".into(),
            kind.into(),
            file.into(),
        ];
        // Drawn at random, two rows may be the same session: both are meant.
        if kind == "sessions" {
            args.push("--doublon".into());
        }
        args
    };
    // The check run, also warming the caches.
    fresh()?;
    let status = Command::new(bin)
        .args(import_args(&ledger))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    if !status.status.success() {
        return Ok(Measure {
            commande,
            lignes,
            ici_ms: None,
            floor_ms: None,
            rss_kib: None,
            filled: None,
            verdict: format!(
                "échec : {}",
                String::from_utf8_lossy(&status.stderr)
                    .lines()
                    .next()
                    .map_or_else(|| status.status.to_string(), str::to_string)
            ),
        });
    }
    let ours = ledger_totals(&ledger, kind)?;
    let floor_sql = floor_sql(kind);
    let floor = match sqlite3 {
        Some(s) => Some(floor_totals(s, file, kind, floor_sql)?),
        None => None,
    };
    let verdict = match &floor {
        Some(f) if *f == ours => format!("{} lignes, total {} : identiques", ours.0, ours.1),
        Some(f) => bail!("{commande} : le registre donne {ours:?}, SQLite seul {f:?}"),
        None => format!("{} lignes, total {} (pas de plancher)", ours.0, ours.1),
    };
    let mut ici_times = Vec::new();
    let mut floor_times = Vec::new();
    for _ in 0..runs {
        fresh()?;
        let start = Instant::now();
        let ok = Command::new(bin)
            .args(import_args(&ledger))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?
            .success();
        if !ok {
            bail!("{commande} a échoué à la deuxième exécution");
        }
        ici_times.push(start.elapsed().as_secs_f64() * 1000.0);
        if let Some(s) = sqlite3 {
            let start = Instant::now();
            floor_totals(s, file, kind, floor_sql)?;
            floor_times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let rss_kib = match time {
        Some(time) => {
            fresh()?;
            let out = template.with_file_name("import-time.txt");
            Command::new(time)
                .args(["-f", "%M", "-o"])
                .arg(&out)
                .arg(bin)
                .args(import_args(&ledger))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            std::fs::read_to_string(&out)
                .ok()
                .and_then(|t| t.lines().rev().find_map(|l| l.trim().parse().ok()))
        }
        None => None,
    };
    let filled = template.with_file_name(format!("rempli-{kind}-{lignes}.sqlite"));
    std::fs::rename(&ledger, &filled).context("registre rempli par l'import")?;
    Ok(Measure {
        filled: Some(filled),
        commande,
        lignes,
        ici_ms: Some(median(&mut ici_times)),
        floor_ms: (!floor_times.is_empty()).then(|| median(&mut floor_times)),
        rss_kib,
        verdict,
    })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The floor's query: rows and the total the ledger must also give.
fn floor_sql(kind: &str) -> &'static str {
    match kind {
        "sessions" => "SELECT count(*) || ' ' || sum(participants) FROM t",
        "finances" => {
            "SELECT count(*) || ' ' || sum(CAST(replace(montant, ',', '') AS INTEGER)) FROM t"
        }
        _ => {
            "SELECT count(*) || ' ' || ((sum(CAST(replace(Debit, ',', '') AS INTEGER)) + sum(CAST(replace(Credit, ',', '') AS INTEGER))) / 2) FROM t"
        }
    }
}

/// `sqlite3 :memory:` importing the file, then the floor's query.
fn floor_totals(sqlite3: &Path, file: &Path, kind: &str, sql: &str) -> Result<Totals> {
    let mode = if kind == "fec" {
        ".mode tabs"
    } else {
        ".mode csv\n.separator ;"
    };
    let script = format!(
        "{mode}\n.import '{}' t\n.mode list\n{sql};\n",
        file.display()
    );
    let mut child = Command::new(sqlite3)
        .arg(":memory:")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .context("sqlite3 stdin")?
        .write_all(script.as_bytes())?;
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|x| x.parse::<i64>());
    match (it.next(), it.next()) {
        (Some(Ok(a)), Some(Ok(b))) => Ok(Totals(a, b)),
        _ => bail!(
            "sqlite3 .import de {} : sortie inattendue « {} » {}",
            file.display(),
            text.trim(),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// Rows and total as the ledger holds them after the import.
fn ledger_totals(ledger: &Path, kind: &str) -> Result<Totals> {
    let conn = rusqlite::Connection::open(ledger)?;
    let sql = match kind {
        "sessions" => "SELECT count(*), coalesce(sum(participants), 0) FROM session",
        "finances" => "SELECT (SELECT count(*) FROM ecriture), coalesce(sum(debit), 0) FROM ligne",
        _ => "SELECT count(*), coalesce(sum(debit), 0) FROM ligne",
    };
    Ok(conn.query_row(sql, [], |r| Ok(Totals(r.get(0)?, r.get(1)?)))?)
}

fn ici(bin: &Path, ledger: &Path, args: &[&str]) -> Result<()> {
    let out = Command::new(bin)
        .arg("--ledger")
        .arg(ledger)
        .args(args)
        .env_remove("ICI_LEDGER")
        .output()?;
    if !out.status.success() {
        bail!(
            "ici {} : {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

pub(crate) fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// Sessions of 2017 over eight communes, as a trainer's spreadsheet holds them.
fn write_sessions(path: &Path, n: usize) -> Result<()> {
    let mut rng = Rng(0x5E55);
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "date;projet;commune;duree;participants;femmes;intitule")?;
    for i in 0..n {
        let participants = 2 + rng.below(12);
        writeln!(
            w,
            "2017-{:02}-{:02};NET94;{};2h;{participants};{};Atelier numérique {i}",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.pick(&COMMUNES),
            rng.below(participants + 1),
        )?;
    }
    w.flush()?;
    Ok(())
}

/// Income and costs of 2017, amounts with a decimal comma.
fn write_finances(path: &Path, n: usize) -> Result<()> {
    let mut rng = Rng(0xF1_2017);
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "date;type;montant;compte;libelle")?;
    for i in 0..n {
        let (kind, compte) = if i % 3 == 0 {
            ("produit", "706")
        } else {
            ("charge", "606")
        };
        let cents = 100 + rng.below(500_000);
        writeln!(
            w,
            "2017-{:02}-{:02};{kind};{},{:02};{compte};Opération {i}",
            1 + rng.below(12),
            1 + rng.below(28),
            cents / 100,
            cents % 100
        )?;
    }
    w.flush()?;
    Ok(())
}
