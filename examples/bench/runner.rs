//! Running the release binary as a user would: one process per run, its wall time
//! and its peak memory.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::data::MANIFEST_DIR;

pub(crate) fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let start = Instant::now();
    let out = f()?;
    Ok((out, start.elapsed().as_secs_f64()))
}

// ---------------------------------------------------------------------------
// Running the binary

/// How the peak memory of a child is read.
pub(crate) enum RssMethod {
    /// GNU time's `%M`: the kernel's own maximum resident set size of the child.
    GnuTime(PathBuf),
    /// `VmHWM` of `/proc/<pid>/status`, sampled until the child exits: may miss a
    /// peak reached just before exit.
    ProcPolling,
}

impl RssMethod {
    pub(crate) fn detect(scratch: &Path) -> RssMethod {
        let time = PathBuf::from("/usr/bin/time");
        let out = scratch.join("time-probe.txt");
        let works = time.exists()
            && Command::new(&time)
                .args(["-f", "%M", "-o"])
                .arg(&out)
                .arg("true")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
            && read_time_output(&out).is_some();
        if works {
            RssMethod::GnuTime(time)
        } else {
            RssMethod::ProcPolling
        }
    }

    pub(crate) fn describe(&self) -> &'static str {
        match self {
            RssMethod::GnuTime(_) => {
                "`/usr/bin/time -f %M` (pic de mémoire résidente du processus, relevé par le noyau)"
            }
            RssMethod::ProcPolling => {
                "`VmHWM` de `/proc/<pid>/status` relevé toutes les 0,1 ms jusqu'à la fin du processus (approximatif : un pic atteint juste avant la sortie peut échapper)"
            }
        }
    }
}

pub(crate) fn read_time_output(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().rev().find_map(|l| l.trim().parse().ok())
}

pub(crate) fn failure(status: std::process::ExitStatus, stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(rien sur la sortie d'erreur)");
    format!("{status} : {first}")
}

pub(crate) struct Runner {
    pub(crate) bin: PathBuf,
    pub(crate) rss: RssMethod,
    pub(crate) scratch: PathBuf,
    pub(crate) runs: usize,
    pub(crate) rss_runs: usize,
}

impl Runner {
    pub(crate) fn command(&self, args: &[OsString]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env_remove("ICI_LEDGER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    /// Wall time of one run, from spawn to exit.
    pub(crate) fn time_once(&self, args: &[OsString]) -> Result<Duration, String> {
        let start = Instant::now();
        let out = self
            .command(args)
            .output()
            .map_err(|e| format!("lancement impossible : {e}"))?;
        let elapsed = start.elapsed();
        if !out.status.success() {
            return Err(failure(out.status, &out.stderr));
        }
        Ok(elapsed)
    }

    /// Peak resident memory of one run, in KiB.
    pub(crate) fn rss_once(&self, args: &[OsString]) -> Result<u64, String> {
        match &self.rss {
            RssMethod::GnuTime(time) => {
                let file = self.scratch.join("time.txt");
                let out = Command::new(time)
                    .args(["-f", "%M", "-o"])
                    .arg(&file)
                    .arg(&self.bin)
                    .args(args)
                    .env_remove("ICI_LEDGER")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .output()
                    .map_err(|e| format!("lancement impossible : {e}"))?;
                if !out.status.success() {
                    return Err(failure(out.status, &out.stderr));
                }
                read_time_output(&file).ok_or_else(|| "sortie de /usr/bin/time illisible".into())
            }
            RssMethod::ProcPolling => {
                let mut child = self
                    .command(args)
                    .spawn()
                    .map_err(|e| format!("lancement impossible : {e}"))?;
                let status_file = format!("/proc/{}/status", child.id());
                let mut peak = 0;
                let status = loop {
                    if let Some(hwm) = std::fs::read_to_string(&status_file)
                        .ok()
                        .as_deref()
                        .and_then(vm_hwm)
                    {
                        peak = peak.max(hwm);
                    }
                    match child.try_wait() {
                        Ok(Some(status)) => break status,
                        Ok(None) => std::thread::sleep(Duration::from_micros(100)),
                        Err(e) => return Err(format!("attente impossible : {e}")),
                    }
                };
                let out = child
                    .wait_with_output()
                    .map_err(|e| format!("attente impossible : {e}"))?;
                if !status.success() {
                    return Err(failure(status, &out.stderr));
                }
                Ok(peak)
            }
        }
    }

    /// One run to warm the caches, `runs` timed runs, then `rss_runs` runs for memory.
    /// `args` is called once per run (a write changes its arguments each time).
    pub(crate) fn measure(&self, mut args: impl FnMut() -> Vec<OsString>) -> Outcome {
        let mut outcomes = self.measure_interleaved(&mut [&mut args]);
        outcomes.pop().expect("one outcome per command")
    }

    /// Like [`Runner::measure`] for several commands, their runs interleaved (A, B, A,
    /// B…) so that any background load weighs on each of them alike.
    pub(crate) fn measure_interleaved(
        &self,
        commands: &mut [&mut dyn FnMut() -> Vec<OsString>],
    ) -> Vec<Outcome> {
        let n = commands.len();
        let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(self.runs); n];
        let mut errors: Vec<Option<String>> = vec![None; n];
        let mut rss = vec![0; n];
        for round in 0..=self.runs {
            for (i, args) in commands.iter_mut().enumerate() {
                if errors[i].is_some() {
                    continue;
                }
                match self.time_once(&args()) {
                    // Round 0 only warms the caches.
                    Ok(d) if round > 0 => times[i].push(d.as_secs_f64() * 1000.0),
                    Ok(_) => {}
                    Err(e) => errors[i] = Some(e),
                }
            }
        }
        for _ in 0..self.rss_runs {
            for (i, args) in commands.iter_mut().enumerate() {
                if errors[i].is_some() {
                    continue;
                }
                match self.rss_once(&args()) {
                    Ok(kib) => rss[i] = rss[i].max(kib),
                    Err(e) => errors[i] = Some(e),
                }
            }
        }
        times
            .into_iter()
            .zip(errors)
            .zip(rss)
            .map(|((mut t, error), rss_kib)| match error {
                Some(e) => Outcome::Failed(e),
                None => {
                    t.sort_by(f64::total_cmp);
                    Outcome::Done(Sample {
                        median_ms: median(&t),
                        max_ms: t[t.len() - 1],
                        rss_kib,
                    })
                }
            })
            .collect()
    }
}

pub(crate) fn vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Sample {
    pub(crate) median_ms: f64,
    pub(crate) max_ms: f64,
    pub(crate) rss_kib: u64,
}

pub(crate) enum Outcome {
    Done(Sample),
    Failed(String),
    Unavailable,
}

/// One line of the report.
pub(crate) struct Row {
    pub(crate) scenario: &'static str,
    pub(crate) commande: String,
    pub(crate) registre: String,
    pub(crate) outcome: Outcome,
}

/// A command measured on a small and a large ledger.
pub(crate) struct Pair {
    pub(crate) commande: String,
    pub(crate) small: Option<Sample>,
    pub(crate) large: Option<Sample>,
    pub(crate) note: &'static str,
}

/// The rows of the report, as they are measured.
pub(crate) struct Measures<'r> {
    pub(crate) runner: &'r Runner,
    pub(crate) rows: Vec<Row>,
    pub(crate) pairs: Vec<Pair>,
}

impl Measures<'_> {
    pub(crate) fn one(
        &mut self,
        scenario: &'static str,
        commande: &str,
        registre: &str,
        args: impl FnMut() -> Vec<OsString>,
    ) {
        eprintln!("• {commande} [{registre}]");
        let outcome = self.runner.measure(args);
        self.rows.push(Row {
            scenario,
            commande: commande.to_string(),
            registre: registre.to_string(),
            outcome,
        });
    }

    pub(crate) fn unavailable(&mut self, scenario: &'static str, commande: &str, registre: &str) {
        self.rows.push(Row {
            scenario,
            commande: commande.to_string(),
            registre: registre.to_string(),
            outcome: Outcome::Unavailable,
        });
    }

    /// The same command on a small and a large ledger, runs interleaved.
    pub(crate) fn pair<F: FnMut() -> Vec<OsString>>(
        &mut self,
        scenario: &'static str,
        commande: &str,
        note: &'static str,
        ledgers: [(&Path, &str); 2],
        mut args_for: impl FnMut(&Path) -> F,
    ) {
        let [(small_path, small_label), (large_path, large_label)] = ledgers;
        eprintln!("• {commande} [{small_label} / {large_label}]");
        let mut small = args_for(small_path);
        let mut large = args_for(large_path);
        let outcomes = self
            .runner
            .measure_interleaved(&mut [&mut small, &mut large]);
        let mut samples = [None, None];
        for ((outcome, registre), sample) in outcomes
            .into_iter()
            .zip([small_label, large_label])
            .zip(&mut samples)
        {
            if let Outcome::Done(s) = &outcome {
                *sample = Some(*s);
            }
            self.rows.push(Row {
                scenario,
                commande: commande.to_string(),
                registre: registre.to_string(),
                outcome,
            });
        }
        self.pairs.push(Pair {
            commande: commande.to_string(),
            small: samples[0],
            large: samples[1],
            note,
        });
    }
}

/// The same arguments on every run.
pub(crate) fn fixed(argv: Vec<OsString>) -> impl FnMut() -> Vec<OsString> {
    move || argv.clone()
}

pub(crate) fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

pub(crate) fn with_ledger(ledger: &Path, args: &[&str]) -> Vec<OsString> {
    let mut v = vec![OsString::from("--ledger"), ledger.into()];
    v.extend(os(args));
    v
}

/// `ici session add` with a new past date on each call.
pub(crate) fn session_add(
    ledger: &Path,
    projet: &str,
    commune: &str,
) -> impl FnMut() -> Vec<OsString> + use<> {
    let ledger = ledger.to_path_buf();
    let projet = projet.to_string();
    let commune = commune.to_string();
    let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    let mut k = 0;
    move || {
        let date = first + chrono::Duration::days(k % 600);
        k += 1;
        with_ledger(
            &ledger,
            &[
                "session",
                "add",
                "--date",
                &date.format("%Y-%m-%d").to_string(),
                "--projet",
                &projet,
                "--commune",
                &commune,
                "--duree",
                "3h",
                "--participants",
                "12",
                "--femmes",
                "7",
                "--demandeurs-emploi",
                "12",
            ],
        )
    }
}

/// Builds `target/release/ici` (a no-op when up to date) and returns its path.
pub(crate) fn release_binary() -> Result<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(MANIFEST_DIR).join("Cargo.toml");
    eprintln!("• cargo build --release --bin ici");
    let status = Command::new(&cargo)
        .args(["build", "--release", "--bin", "ici", "--manifest-path"])
        .arg(&manifest)
        .status();
    // target/release/examples/bench -> target/release/ici, whatever the target dir.
    let next_to_us = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("ici")));
    let bin = next_to_us
        .filter(|p| p.exists())
        .unwrap_or_else(|| Path::new(MANIFEST_DIR).join("target/release/ici"));
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => bail!("la compilation de target/release/ici a échoué ({s})"),
        Err(e) if bin.exists() => eprintln!(
            "  cargo introuvable ({e}) : le binaire existant est utilisé, sans garantie qu'il soit à jour"
        ),
        Err(e) => bail!(
            "cargo introuvable ({e}) et {} absent : lancez `cargo build --release` d'abord",
            bin.display()
        ),
    }
    if !bin.exists() {
        bail!("{} introuvable après la compilation", bin.display());
    }
    Ok(bin)
}
