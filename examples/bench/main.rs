//! Benchmark of the `ici` release binary on large ledgers.
//!
//! Run with `cargo run --release --example bench` (add `-- --quick` for a small size,
//! `-- --runs N` to change the number of timed runs). The report is Markdown in French
//! on stdout; progress goes to stderr. See `bench/README.md`.
//!
//! Each command is run as a separate process, as a user would run it: the wall time
//! covers process start, opening the ledger, the query and the output. Every command
//! is measured on a small ledger and on a large one holding the same year 2017, so
//! that any cost growing with the size of the ledger shows up as a ratio.

use anyhow::{Context, Result, anyhow, bail};
use ici::db::Ledger;
use ici::domain::money::group_thousands;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::Instant;

mod data;
mod floors;
mod imports;
mod report;
mod runner;

use data::{
    Built, REFERENCE_YEAR, Rng, Span, build_finances, build_sessions, check_communes,
    create_ledger, write_big_fec,
};
use report::{fr, git_revision, load_average, machine, mib, thousands};
use runner::{
    Measures, Outcome, Row, RssMethod, Runner, fixed, os, release_binary, session_add, timed,
    with_ledger,
};

// ---------------------------------------------------------------------------
// Configuration

struct Config {
    quick: bool,
    keep: bool,
    sessions: usize,
    ecritures: usize,
    runs: usize,
    rss_runs: usize,
}

impl Config {
    fn from_args() -> Result<Config> {
        let mut quick = false;
        let mut keep = false;
        let mut runs = None;
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => quick = true,
                "--keep" => keep = true,
                "--runs" => {
                    let n: usize = args
                        .next()
                        .ok_or_else(|| anyhow!("--runs attend un nombre"))?
                        .parse()
                        .context("--runs attend un nombre")?;
                    if n == 0 {
                        bail!("--runs attend un nombre supérieur à 0");
                    }
                    runs = Some(n);
                }
                "-h" | "--help" => {
                    println!(
                        "Banc d'essai d'ici : cargo run --release --example bench [-- [--quick] [--runs N] [--keep]]\n  --quick   petits registres (10 000 sessions, 100 000 lignes), 5 exécutions\n  --runs N  nombre d'exécutions chronométrées par commande (20 par défaut)\n  --keep    garde les registres construits et affiche leur dossier"
                    );
                    std::process::exit(0);
                }
                other => bail!("option inconnue : {other} (voir --help)"),
            }
        }
        Ok(if quick {
            Config {
                quick,
                keep,
                sessions: 10_000,
                ecritures: 50_000,
                runs: runs.unwrap_or(5),
                rss_runs: 1,
            }
        } else {
            Config {
                quick,
                keep,
                sessions: 100_000,
                ecritures: 500_000,
                runs: runs.unwrap_or(20),
                rss_runs: 3,
            }
        })
    }
}

fn main() -> Result<()> {
    let config = Config::from_args()?;
    let started = Instant::now();
    let load_before = load_average();
    let bin = release_binary()?;
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "version inconnue".into());

    let dir = tempfile::Builder::new().prefix("ici-bench-").tempdir()?;
    let scratch = dir.path().to_path_buf();
    let rss = RssMethod::detect(&scratch);
    let runner = Runner {
        bin: bin.clone(),
        rss,
        scratch: scratch.clone(),
        runs: config.runs,
        rss_runs: config.rss_runs,
    };
    let span = Span::new();
    let mut notes = Vec::new();

    // --- Ledgers -----------------------------------------------------------
    let ledger = |name: &str| scratch.join(format!("{name}.sqlite"));
    let mut builds: Vec<Built> = Vec::new();

    eprintln!("• registre vide");
    let empty = ledger("vide");
    let (mut names, secs) = timed(|| create_ledger(&empty, &mut notes))?;
    check_communes(&mut names, &mut notes)?;
    builds.push(Built {
        label: "vide".into(),
        contenu: format!(
            "{} projets et {} partenaires, aucune session",
            names.projets.len(),
            names.partenaires.len()
        ),
        path: empty.clone(),
        seconds: secs,
    });

    let reference_label = |imported: bool, what: &str| {
        if imported {
            format!(" + année de référence {REFERENCE_YEAR} ({what})")
        } else {
            String::new()
        }
    };

    let mut sessions_ledgers = Vec::new();
    for (name, only_reference) in [("sessions-2017", true), ("sessions", false)] {
        eprintln!("• registre {name}");
        let path = ledger(name);
        let ((written, reference), secs) = timed(|| {
            create_ledger(&path, &mut Vec::new())?;
            build_sessions(
                &path,
                &names,
                &span,
                config.sessions,
                only_reference,
                &mut notes,
            )
        })?;
        let label = if only_reference {
            format!("{REFERENCE_YEAR} seul")
        } else {
            format!("{} sessions", thousands(config.sessions))
        };
        let contenu = if only_reference {
            format!(
                "les {} sessions {REFERENCE_YEAR} du grand registre{}",
                thousands(written),
                reference_label(reference, "fixtures/2017/sessions.csv")
            )
        } else {
            format!(
                "{} sessions 2010–{}, {} projets, {} partenaires, {} communes saisies{}",
                thousands(written),
                span.last_year(),
                names.projets.len(),
                names.partenaires.len().min(6),
                names.communes.len(),
                reference_label(reference, "fixtures/2017/sessions.csv")
            )
        };
        sessions_ledgers.push((path.clone(), label.clone()));
        builds.push(Built {
            label,
            contenu,
            path,
            seconds: secs,
        });
    }

    let mut finances_ledgers = Vec::new();
    for (name, only_reference) in [("finances-2017", true), ("finances", false)] {
        eprintln!("• registre {name}");
        let path = ledger(name);
        let ((written, reference), secs) = timed(|| {
            create_ledger(&path, &mut Vec::new())?;
            build_finances(
                &path,
                &names,
                &span,
                config.ecritures,
                only_reference,
                &mut notes,
            )
        })?;
        let label = if only_reference {
            format!("{REFERENCE_YEAR} seul")
        } else {
            format!("{} lignes", thousands(2 * config.ecritures))
        };
        let contenu = if only_reference {
            format!(
                "les {} écritures {REFERENCE_YEAR} du grand registre{}",
                thousands(written),
                reference_label(reference, "fixtures/2017/finances.csv")
            )
        } else {
            format!(
                "{} écritures à deux lignes 2010–{} ({} lignes), comptes 706, 7411, 756, 6411, 645, 613, 622{}",
                thousands(written),
                span.last_year(),
                thousands(2 * written),
                reference_label(reference, "fixtures/2017/finances.csv")
            )
        };
        finances_ledgers.push((path.clone(), label.clone()));
        builds.push(Built {
            label,
            contenu,
            path,
            seconds: secs,
        });
    }
    let sizes: Vec<u64> = builds.iter().map(Built::size).collect();

    // --- Measures ----------------------------------------------------------
    let mut m = Measures {
        runner: &runner,
        rows: Vec::new(),
        pairs: Vec::new(),
    };
    let projet = names.projets[0].clone();
    let export_sessions = scratch.join("export-sessions.csv");
    let export_sessions = export_sessions.to_string_lossy();
    let export_finances = scratch.join("export-finances.csv");
    let export_finances = export_finances.to_string_lossy();
    let (s_small, s_small_label) = (&sessions_ledgers[0].0, sessions_ledgers[0].1.as_str());
    let (s_large, s_large_label) = (&sessions_ledgers[1].0, sessions_ledgers[1].1.as_str());
    let (f_small, f_small_label) = (&finances_ledgers[0].0, finances_ledgers[0].1.as_str());
    let (f_large, f_large_label) = (&finances_ledgers[1].0, finances_ledgers[1].1.as_str());

    m.one("0", "`ici --version` (lancement seul)", "aucun", || {
        os(&["--version"])
    });

    // Scenario 1: sessions. A write: each run adds one session.
    m.pair(
        "1",
        &format!(
            "`ici session add --date … --projet {projet} --commune Villejuif --duree 3h --participants 12 …`"
        ),
        "écriture : doit rester constante",
        [(&empty, "vide"), (s_large, s_large_label)],
        |p| session_add(p, &projet, "Villejuif"),
    );
    let reads: [(&str, Vec<&str>, &'static str); 7] = [
        ("`ici stats 2017`", vec!["stats", "2017"], ""),
        (
            "`ici session list --annee 2017 --format csv`",
            vec!["session", "list", "--annee", "2017", "--format", "csv"],
            "",
        ),
        (
            "`ici export sessions --annee 2017 --excel -o …`",
            vec![
                "export",
                "sessions",
                "--annee",
                "2017",
                "--excel",
                "-o",
                &export_sessions,
            ],
            "",
        ),
        ("`ici projet list`", vec!["projet", "list"], ""),
        (
            "`ici projet list --annee 2017`",
            vec!["projet", "list", "--annee", "2017"],
            "compte les sessions de 2017",
        ),
        ("`ici partenaire list`", vec!["partenaire", "list"], ""),
        (
            "`ici partenaire list --annee 2017`",
            vec!["partenaire", "list", "--annee", "2017"],
            "compte sessions et écritures de 2017",
        ),
    ];
    for (label, args, note) in &reads {
        m.pair(
            "1",
            label,
            note,
            [(s_small, s_small_label), (s_large, s_large_label)],
            |p| fixed(with_ledger(p, args)),
        );
    }

    // Scenario 2: finances.
    let finance_reads: [(&str, Vec<&str>); 2] = [
        (
            "`ici bilan 2017 --format json`",
            vec!["bilan", "2017", "--format", "json"],
        ),
        (
            "`ici export finances --annee 2017 -o …`",
            vec![
                "export",
                "finances",
                "--annee",
                "2017",
                "-o",
                &export_finances,
            ],
        ),
    ];
    for (label, args) in &finance_reads {
        m.pair(
            "2",
            label,
            "",
            [(f_small, f_small_label), (f_large, f_large_label)],
            |p| fixed(with_ledger(p, args)),
        );
    }

    // Scenario 3: the commune resolver, measured once it is wired.
    let cherche_ok = Command::new(&bin)
        .args(["commune", "cherche", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let cherche = "`ici commune cherche villejuif`";
    let kremlin = format!("`ici session add … --projet {projet} --commune \"Kremlin-Bicêtre\" …`");
    if cherche_ok {
        m.one("3", cherche, s_large_label, || {
            with_ledger(s_large, &["commune", "cherche", "villejuif"])
        });
        m.one(
            "3",
            &kremlin,
            s_large_label,
            session_add(s_large, &projet, "Kremlin-Bicêtre"),
        );
    } else {
        m.unavailable("3", cherche, s_large_label);
        m.unavailable("3", &kremlin, s_large_label);
    }
    // Scenario 4: the accountant's file. Each run imports a generated FEC into a fresh
    // copy of an empty ledger (one transaction); then the same file again, which must
    // add nothing; then the bilan of the year it filled.
    let fec_lines = if config.quick { 100_000 } else { 1_000_000 };
    let fec_path = scratch.join("grand-fec.txt");
    let (_, fec_secs) = timed(|| write_big_fec(&fec_path, fec_lines))?;
    notes.push(format!(
        "FEC de {} lignes généré en {:.1} s ({:.1} Mio)",
        group_thousands(fec_lines as u64),
        fec_secs,
        std::fs::metadata(&fec_path)?.len() as f64 / 1_048_576.0
    ));
    let heavy = Runner {
        bin: bin.clone(),
        rss: RssMethod::detect(&scratch),
        scratch: scratch.clone(),
        runs: if config.quick { 1 } else { 3 },
        rss_runs: 1,
    };
    let empty_ledger = scratch.join("vide-fec.sqlite");
    Ledger::init(&empty_ledger)?;
    let fec_label = format!(
        "`ici import fec` ({} lignes)",
        group_thousands(fec_lines as u64)
    );
    eprintln!("• {fec_label}");
    let mut k = 0;
    let fec_arg = fec_path.clone();
    let outcome = heavy.measure(|| {
        k += 1;
        let fresh = scratch.join(format!("fec-{k}.sqlite"));
        std::fs::copy(&empty_ledger, &fresh).expect("copy of the empty ledger");
        let mut v = vec![OsString::from("--ledger"), fresh.into()];
        v.extend(os(&["import", "fec"]));
        v.push(fec_arg.clone().into());
        v
    });
    m.rows.push(Row {
        scenario: "4",
        commande: fec_label,
        registre: "vide".into(),
        outcome,
    });
    let filled = scratch.join(format!("fec-{k}.sqlite"));
    let again = "`ici import fec` du même fichier (n'ajoute rien)";
    m.one("4", again, "rempli par l'import", || {
        let mut v = with_ledger(&filled, &["import", "fec"]);
        v.push(fec_path.clone().into());
        v
    });
    m.one(
        "4",
        "`ici bilan 2018 --format json`",
        "rempli par l'import",
        || with_ledger(&filled, &["bilan", "2018", "--format", "json"]),
    );
    let Measures { rows, pairs, .. } = m;
    // Scenario 5: each import beside SQLite alone loading the same file.
    let (imports_md, filled) = imports::run(&bin, &scratch, config.quick, &fec_path, fec_lines)?;
    // Scenario 6: commands beside SQLite alone on the ledgers the imports filled.
    let floors_md = floors::run(&bin, &scratch, &filled, config.runs.min(10))?;

    // --- Report ------------------------------------------------------------
    let load_after = load_average();
    let mut md = String::new();
    let now = chrono::Local::now();
    writeln!(md, "### Banc d'essai d'`ici`\n")?;
    writeln!(md, "- Date : {}", now.format("%Y-%m-%d %H:%M %Z"))?;
    writeln!(md, "- Machine : {}", machine())?;
    writeln!(
        md,
        "- Binaire : `target/release/ici` ({version}, {})",
        git_revision()
    )?;
    writeln!(
        md,
        "- Mode : {} ; chaque commande est un processus à part : 1 exécution à blanc, puis {} exécutions chronométrées (temps réel, du lancement à la sortie)",
        if config.quick {
            "rapide (`--quick`)"
        } else {
            "complet"
        },
        config.runs
    )?;
    writeln!(
        md,
        "- Mémoire : pic de RSS du processus sur {} exécution(s) de plus, par {}",
        config.rss_runs,
        runner.rss.describe()
    )?;
    writeln!(
        md,
        "- Charge de la machine (loadavg sur 1 min) : {load_before} au début, {load_after} à la fin"
    )?;
    writeln!(md)?;

    writeln!(
        md,
        "#### Registres (construits par la bibliothèque, une transaction chacun)\n"
    )?;
    writeln!(
        md,
        "| Registre | Contenu | Construction | Taille du fichier |"
    )?;
    writeln!(md, "|---|---|--:|--:|")?;
    for (b, size) in builds.iter().zip(&sizes) {
        writeln!(
            md,
            "| {} | {} | {} s | {} Mio |",
            b.label,
            b.contenu,
            fr(b.seconds, 1),
            mib(*size)
        )?;
    }
    writeln!(md)?;

    writeln!(md, "#### Temps et mémoire\n")?;
    writeln!(
        md,
        "| Scénario | Commande | Registre | Médiane (ms) | Max (ms) | RSS max (Mio) |"
    )?;
    writeln!(md, "|:-:|---|---|--:|--:|--:|")?;
    for r in &rows {
        let cells = match &r.outcome {
            Outcome::Done(s) => format!(
                "{} | {} | {}",
                fr(s.median_ms, 1),
                fr(s.max_ms, 1),
                fr(s.rss_kib as f64 / 1024.0, 1)
            ),
            Outcome::Failed(e) => format!("échec : {} | – | –", e.replace('|', "\\|")),
            Outcome::Unavailable => "non disponible | – | –".into(),
        };
        writeln!(
            md,
            "| {} | {} | {} | {cells} |",
            r.scenario, r.commande, r.registre
        )?;
    }
    writeln!(md)?;

    md.push_str(&floors_md);
    md.push_str(&imports_md);
    writeln!(md, "#### Effet de la taille du registre (médianes)\n")?;
    writeln!(
        md,
        "| Commande | Petit registre | Grand registre | Rapport | Verdict |"
    )?;
    writeln!(md, "|---|--:|--:|--:|---|")?;
    let mut grew = Vec::new();
    for p in &pairs {
        let (Some(small), Some(large)) = (p.small, p.large) else {
            writeln!(md, "| {} | – | – | – | non mesuré |", p.commande)?;
            continue;
        };
        let ratio = large.median_ms / small.median_ms;
        let delta = large.median_ms - small.median_ms;
        let verdict = if ratio < 1.5 || delta < 2.0 {
            "stable".to_string()
        } else {
            grew.push(p.commande.clone());
            if p.note.is_empty() {
                format!("**croît** (+{} ms)", fr(delta, 1))
            } else {
                format!("croît (+{} ms) : {}", fr(delta, 1), p.note)
            }
        };
        writeln!(
            md,
            "| {} | {} ms | {} ms | ×{} | {verdict} |",
            p.commande,
            fr(small.median_ms, 1),
            fr(large.median_ms, 1),
            fr(ratio, 2)
        )?;
    }
    writeln!(md)?;
    writeln!(
        md,
        "Petit registre : vide pour `session add`, l'année {REFERENCE_YEAR} seule pour les lectures. « stable » : moins de ×1,5 ou moins de 2 ms d'écart."
    )?;
    for note in &notes {
        writeln!(md, "\n> {note}")?;
    }
    writeln!(
        md,
        "\nDurée totale du banc d'essai : {} s.",
        fr(started.elapsed().as_secs_f64(), 0)
    )?;
    print!("{md}");
    if config.keep {
        eprintln!("\nRegistres gardés dans {}", dir.keep().display());
    }
    if !grew.is_empty() {
        eprintln!(
            "\nCommandes dont le temps croît avec le registre : {}",
            grew.join(", ")
        );
    }
    Ok(())
}
