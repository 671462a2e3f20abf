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
use chrono::{Datelike, NaiveDate};
use ici::db::{Ledger, finances, refs, sessions};
use ici::domain::account::Operation;
use ici::domain::finance::FinanceDraft;
use ici::domain::money::group_thousands;
use ici::domain::session::SessionDraft;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "bench/imports.rs"]
mod imports;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
const REFERENCE_YEAR: i32 = 2017;
const SEED: u64 = 0x1C1_2017;

/// Communes as trainers type them: names, case and accent variants, postal codes.
/// Each is checked once before use; one the resolver refuses is left out and reported.
const COMMUNES: [&str; 36] = [
    "Villejuif",
    "villejuif",
    "VILLEJUIF ",
    "Cachan",
    "94230",
    "Arcueil",
    "Gentilly",
    "Le Kremlin-Bicêtre",
    "kremlin bicetre",
    "Ivry-sur-Seine",
    "ivry sur seine",
    "Vitry-sur-Seine",
    "Créteil",
    "Creteil",
    "Choisy-le-Roi",
    "Orly",
    "Thiais",
    "Chevilly-Larue",
    "L'Haÿ-les-Roses",
    "Alfortville",
    "Maisons-Alfort",
    "Champigny-sur-Marne",
    "Saint-Denis (93)",
    "Aubervilliers",
    "Pantin",
    "Bobigny",
    "Romainville",
    "Aulnay-sous-Bois",
    "Bondy",
    "Bagnolet",
    "Noisy-le-Sec",
    "Paris 18e",
    "Paris 13e",
    "75019",
    "Nanterre",
    "Toulouse",
];

const DUREES: [&str; 10] = [
    "1h", "1h30", "2h", "2h30", "3h", "3h30", "4h", "6h", "7h", "90min",
];

const INTITULES: [&str; 8] = [
    "Premiers pas sur l'ordinateur",
    "Inscription et espace personnel Pôle emploi",
    "Démarches en ligne : CAF, impots.gouv, ameli",
    "Messagerie et pièces jointes",
    "Sécurité et mots de passe",
    "Budget participatif : voter en ligne",
    "Communication en ligne de son association",
    "CV et lettre de motivation",
];

const FORMATEURS: [&str; 4] = [
    "Camille Martin",
    "Nora Benali",
    "Hugo Lefèvre",
    "Inès Moreau",
];

/// (account, label) of the synthetic income, then of the synthetic costs.
const PRODUITS: [(&str, &str); 3] = [
    ("706", "Prestation de formation"),
    ("7411", "Subvention"),
    ("756", "Cotisations des adhérents"),
];
const CHARGES: [(&str, &str); 4] = [
    ("6411", "Salaires"),
    ("645", "Charges sociales"),
    ("613", "Loyer du local"),
    ("622", "Honoraires"),
];

/// Used only when the reference year's projects and partners cannot be imported.
const FALLBACK_PROJETS: [(&str, &str); 12] = [
    ("NET94", "emploi"),
    ("MEDNUM94", "education-populaire"),
    ("DEN-ROMAINVILLE", "emploi"),
    ("BP-PARIS", "citoyennete"),
    ("CAP-PARIS", "citoyennete"),
    ("FRMJC", "education-populaire"),
    ("PIMMS", "emploi"),
    ("ML-AULNAY", "emploi"),
    ("CODEV", "citoyennete"),
    ("ATELIERS-93", "education-populaire"),
    ("SENIORS94", "education-populaire"),
    ("CONSEILS-CITOYENS", "citoyennete"),
];
const FALLBACK_PARTENAIRES: [&str; 8] = [
    "Département du Val-de-Marne",
    "Ville de Villejuif",
    "Ville de Romainville",
    "Ville de Paris",
    "Pôle emploi Val-de-Marne",
    "Mission locale Bièvre Val-de-Marne",
    "FRMJC Île-de-France",
    "Plaine Commune",
];

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

// ---------------------------------------------------------------------------
// Deterministic data

/// SplitMix64: small, fast, and the same ledgers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The days data is spread over: 2010-01-01 to the end of 2026, never in the future.
#[derive(Clone, Copy)]
struct Span {
    start: NaiveDate,
    days: i64,
}

impl Span {
    fn new() -> Span {
        let start = NaiveDate::from_ymd_opt(2010, 1, 1).expect("valid date");
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid date");
        let today = chrono::Local::now().date_naive();
        let last = end.min(today - chrono::Duration::days(1));
        Span {
            start,
            days: (last - start).num_days() + 1,
        }
    }

    fn pick(&self, rng: &mut Rng) -> NaiveDate {
        self.start + chrono::Duration::days((rng.next() % self.days as u64) as i64)
    }

    /// `count` random days in date order: a ledger is written as the year goes by,
    /// so one year's rows sit together in the file, as they would in real use.
    fn sorted_dates(&self, rng: &mut Rng, count: usize) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = (0..count).map(|_| self.pick(rng)).collect();
        dates.sort_unstable();
        dates
    }

    fn last_year(&self) -> i32 {
        (self.start + chrono::Duration::days(self.days - 1)).year()
    }
}

/// The names every ledger shares, read back from the first one built.
#[derive(Clone)]
struct Names {
    projets: Vec<String>,
    partenaires: Vec<String>,
    communes: Vec<&'static str>,
    reference: bool,
}

/// One synthetic session, as typed.
struct SessionRow {
    date: NaiveDate,
    iso: String,
    participants: String,
    publics: [Option<String>; 5],
    projet: usize,
    commune: usize,
    duree: usize,
    partenaire: Option<usize>,
    intitule: usize,
    formateur: usize,
}

impl SessionRow {
    fn generate(rng: &mut Rng, date: NaiveDate, names: &Names) -> SessionRow {
        let participants = 1 + rng.below(20) as u32;
        let mut publics: [Option<String>; 5] = Default::default();
        for (i, p) in publics.iter_mut().enumerate() {
            let recorded = [85, 40, 30, 60, 35][i];
            if rng.chance(recorded) {
                *p = Some(rng.below(participants as usize + 1).to_string());
            }
        }
        let partenaire = rng
            .chance(45)
            .then(|| rng.below(names.partenaires.len().min(6)));
        SessionRow {
            date,
            iso: date.format("%Y-%m-%d").to_string(),
            participants: participants.to_string(),
            publics,
            projet: rng.below(names.projets.len()),
            commune: rng.below(names.communes.len()),
            duree: rng.below(DUREES.len()),
            partenaire,
            intitule: rng.below(INTITULES.len()),
            formateur: rng.below(FORMATEURS.len()),
        }
    }

    fn draft<'a>(&'a self, names: &'a Names) -> SessionDraft<'a> {
        SessionDraft {
            date: &self.iso,
            projet: &names.projets[self.projet],
            commune: names.communes[self.commune],
            duree: DUREES[self.duree],
            participants: &self.participants,
            publics: [0, 1, 2, 3, 4].map(|i| self.publics[i].as_deref()),
            partenaire: self.partenaire.map(|i| names.partenaires[i].as_str()),
            intitule: Some(INTITULES[self.intitule]),
            formateur: Some(FORMATEURS[self.formateur]),
            ..Default::default()
        }
    }
}

/// One synthetic two-line entry (the account and the bank), as typed.
struct EcritureRow {
    date: NaiveDate,
    iso: String,
    produit: bool,
    compte: &'static str,
    montant: String,
    libelle: String,
    tiers: Option<usize>,
    projet: Option<usize>,
    piece: Option<String>,
}

impl EcritureRow {
    fn generate(rng: &mut Rng, date: NaiveDate, names: &Names, n: usize) -> EcritureRow {
        let produit = rng.chance(40);
        let (compte, label) = if produit {
            *rng.pick(&PRODUITS)
        } else {
            *rng.pick(&CHARGES)
        };
        let cents = 1_000 + rng.below(500_000);
        let tiers_chance = match compte {
            "7411" => 100,
            "706" => 50,
            "622" => 30,
            _ => 0,
        };
        let tiers = rng
            .chance(tiers_chance)
            .then(|| rng.below(names.partenaires.len().min(8)));
        let projet = rng.chance(30).then(|| rng.below(names.projets.len()));
        let piece = rng.chance(50).then(|| format!("BQ-{n:07}"));
        EcritureRow {
            date,
            iso: date.format("%Y-%m-%d").to_string(),
            produit,
            compte,
            montant: format!("{},{:02}", cents / 100, cents % 100),
            libelle: format!("{label} {}", date.format("%m/%Y")),
            tiers,
            projet,
            piece,
        }
    }

    fn draft<'a>(&'a self, names: &'a Names) -> FinanceDraft<'a> {
        FinanceDraft {
            date: &self.iso,
            montant: &self.montant,
            compte: self.compte,
            libelle: &self.libelle,
            tiers: self.tiers.map(|i| names.partenaires[i].as_str()),
            projet: self.projet.map(|i| names.projets[i].as_str()),
            piece: self.piece.as_deref(),
            ..Default::default()
        }
    }

    fn operation(&self) -> Operation {
        if self.produit {
            Operation::Produit
        } else {
            Operation::Charge
        }
    }
}

// ---------------------------------------------------------------------------
// Building the ledgers, through the library

fn fixture(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR)
        .join("fixtures")
        .join(REFERENCE_YEAR.to_string())
        .join(name)
}

/// Runs one `ici` command line inside this process (used for the fixture imports).
fn run_in_process(ledger: &Path, args: &[&str]) -> Result<()> {
    let mut argv: Vec<OsString> = vec!["ici".into(), "--ledger".into(), ledger.into()];
    argv.extend(args.iter().map(OsString::from));
    let cli = ici::cli::parse(argv).map_err(|code| anyhow!("arguments refusés (code {code})"))?;
    let mut sink = Vec::new();
    ici::cmd::run(cli, &mut sink)
}

fn import_fixture(ledger: &Path, kind: &str, file: &str) -> Result<()> {
    let path = fixture(file);
    if !path.exists() {
        bail!("{} absent", path.display());
    }
    // Synthetic rows may happen to match a reference row: both are kept.
    run_in_process(
        ledger,
        &["import", kind, &path.to_string_lossy(), "--doublon"],
    )
    .with_context(|| format!("import de {}", path.display()))
}

/// Creates a ledger with its projects and partners: those of the reference year,
/// or a fallback list if they cannot be imported.
fn create_ledger(path: &Path, notes: &mut Vec<String>) -> Result<Names> {
    Ledger::init(path).with_context(|| format!("création de {}", path.display()))?;
    let imported = import_fixture(path, "projets", "projets.csv")
        .and_then(|()| import_fixture(path, "partenaires", "partenaires.csv"));
    if let Err(err) = &imported {
        notes.push(format!(
            "Projets et partenaires {REFERENCE_YEAR} non importés ({err:#}) : liste de secours utilisée."
        ));
    }
    let mut ledger = Ledger::open(path)?;
    ledger.write(|tx| {
        if refs::projets(tx, None)?.is_empty() {
            for (nom, theme) in FALLBACK_PROJETS {
                refs::add_projet(tx, nom, theme, None, true)?;
            }
        }
        if refs::partenaires(tx, None)?.is_empty() {
            for nom in FALLBACK_PARTENAIRES {
                refs::add_partenaire(tx, nom, None, true)?;
            }
        }
        Ok(())
    })?;
    let conn = ledger.conn();
    Ok(Names {
        projets: refs::projets(conn, None)?
            .into_iter()
            .map(|p| p.nom)
            .collect(),
        partenaires: refs::partenaires(conn, None)?
            .into_iter()
            .map(|p| p.nom)
            .collect(),
        communes: Vec::new(),
        reference: imported.is_ok(),
    })
}

/// Keeps the communes the resolver accepts; reports the others.
fn check_communes(names: &mut Names, notes: &mut Vec<String>) -> Result<()> {
    let mut refused = Vec::new();
    for commune in COMMUNES {
        let draft = SessionDraft {
            date: "2017-06-12",
            projet: &names.projets[0],
            commune,
            duree: "2h",
            participants: "5",
            ..Default::default()
        };
        match draft.check() {
            Ok(_) => names.communes.push(commune),
            Err(err) => refused.push(format!("« {commune} » ({err})")),
        }
    }
    if !refused.is_empty() {
        notes.push(format!(
            "Communes écartées par le résolveur : {}.",
            refused.join(" ; ")
        ));
    }
    if names.communes.is_empty() {
        bail!("aucune commune de la liste n'est acceptée par `ici`");
    }
    Ok(())
}

/// What a build produced.
struct Built {
    label: String,
    contenu: String,
    path: PathBuf,
    seconds: f64,
}

impl Built {
    fn size(&self) -> u64 {
        let wal = self.path.with_extension("sqlite-wal");
        [self.path.as_path(), wal.as_path()]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }
}

/// Sessions ledger: `count` synthetic sessions (only those of the reference year when
/// `only_reference`), then the reference year's sessions.
fn build_sessions(
    path: &Path,
    names: &Names,
    span: &Span,
    count: usize,
    only_reference: bool,
    notes: &mut Vec<String>,
) -> Result<(usize, bool)> {
    let mut ledger = Ledger::open(path)?;
    let mut rng = Rng(SEED);
    let dates = span.sorted_dates(&mut rng, count);
    let written = ledger.write(|tx| {
        let mut written = 0;
        for date in dates {
            let row = SessionRow::generate(&mut rng, date, names);
            if only_reference && row.date.year() != REFERENCE_YEAR {
                continue;
            }
            let new = row
                .draft(names)
                .check()
                .with_context(|| format!("session synthétique du {}", row.iso))?;
            sessions::insert(tx, &new, true)?;
            written += 1;
        }
        Ok(written)
    })?;
    drop(ledger);
    let reference = names.reference && import_reference(path, "sessions", notes);
    Ok((written, reference))
}

/// Finances ledger: `count` two-line entries, then the reference year's entries.
fn build_finances(
    path: &Path,
    names: &Names,
    span: &Span,
    count: usize,
    only_reference: bool,
    notes: &mut Vec<String>,
) -> Result<(usize, bool)> {
    let mut ledger = Ledger::open(path)?;
    let mut rng = Rng(SEED ^ 0xF1);
    let dates = span.sorted_dates(&mut rng, count);
    let written = ledger.write(|tx| {
        let mut written = 0;
        for (n, date) in dates.into_iter().enumerate() {
            let row = EcritureRow::generate(&mut rng, date, names, n);
            if only_reference && row.date.year() != REFERENCE_YEAR {
                continue;
            }
            let new = row
                .draft(names)
                .check(row.operation())
                .with_context(|| format!("écriture synthétique du {}", row.iso))?;
            finances::insert(tx, &new, true)?;
            written += 1;
        }
        Ok(written)
    })?;
    drop(ledger);
    let reference = names.reference && import_reference(path, "finances", notes);
    Ok((written, reference))
}

fn import_reference(path: &Path, kind: &str, notes: &mut Vec<String>) -> bool {
    match import_fixture(path, kind, &format!("{kind}.csv")) {
        Ok(()) => true,
        Err(err) => {
            let note =
                format!("Année de référence {REFERENCE_YEAR} : {kind} non importées ({err:#}).");
            if !notes.contains(&note) {
                notes.push(note);
            }
            false
        }
    }
}

fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, f64)> {
    let start = Instant::now();
    let out = f()?;
    Ok((out, start.elapsed().as_secs_f64()))
}

// ---------------------------------------------------------------------------
// Running the binary

/// How the peak memory of a child is read.
enum RssMethod {
    /// GNU time's `%M`: the kernel's own maximum resident set size of the child.
    GnuTime(PathBuf),
    /// `VmHWM` of `/proc/<pid>/status`, sampled until the child exits: may miss a
    /// peak reached just before exit.
    ProcPolling,
}

impl RssMethod {
    fn detect(scratch: &Path) -> RssMethod {
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

    fn describe(&self) -> &'static str {
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

fn read_time_output(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().rev().find_map(|l| l.trim().parse().ok())
}

fn failure(status: std::process::ExitStatus, stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("(rien sur la sortie d'erreur)");
    format!("{status} : {first}")
}

struct Runner {
    bin: PathBuf,
    rss: RssMethod,
    scratch: PathBuf,
    runs: usize,
    rss_runs: usize,
}

impl Runner {
    fn command(&self, args: &[OsString]) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.args(args)
            .env_remove("ICI_LEDGER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    /// Wall time of one run, from spawn to exit.
    fn time_once(&self, args: &[OsString]) -> Result<Duration, String> {
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
    fn rss_once(&self, args: &[OsString]) -> Result<u64, String> {
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
    fn measure(&self, mut args: impl FnMut() -> Vec<OsString>) -> Outcome {
        let mut outcomes = self.measure_interleaved(&mut [&mut args]);
        outcomes.pop().expect("one outcome per command")
    }

    /// Like [`Runner::measure`] for several commands, their runs interleaved (A, B, A,
    /// B…) so that any background load weighs on each of them alike.
    fn measure_interleaved(
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

fn vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

#[derive(Clone, Copy)]
struct Sample {
    median_ms: f64,
    max_ms: f64,
    rss_kib: u64,
}

enum Outcome {
    Done(Sample),
    Failed(String),
    Unavailable,
}

/// One line of the report.
struct Row {
    scenario: &'static str,
    commande: String,
    registre: String,
    outcome: Outcome,
}

/// A command measured on a small and a large ledger.
struct Pair {
    commande: String,
    small: Option<Sample>,
    large: Option<Sample>,
    note: &'static str,
}

/// The rows of the report, as they are measured.
struct Measures<'r> {
    runner: &'r Runner,
    rows: Vec<Row>,
    pairs: Vec<Pair>,
}

impl Measures<'_> {
    fn one(
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

    fn unavailable(&mut self, scenario: &'static str, commande: &str, registre: &str) {
        self.rows.push(Row {
            scenario,
            commande: commande.to_string(),
            registre: registre.to_string(),
            outcome: Outcome::Unavailable,
        });
    }

    /// The same command on a small and a large ledger, runs interleaved.
    fn pair<F: FnMut() -> Vec<OsString>>(
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
fn fixed(argv: Vec<OsString>) -> impl FnMut() -> Vec<OsString> {
    move || argv.clone()
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn with_ledger(ledger: &Path, args: &[&str]) -> Vec<OsString> {
    let mut v = vec![OsString::from("--ledger"), ledger.into()];
    v.extend(os(args));
    v
}

/// `ici session add` with a new past date on each call.
fn session_add(
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

// ---------------------------------------------------------------------------
// Report

fn fr(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

fn thousands(n: usize) -> String {
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

fn mib(bytes: u64) -> String {
    fr(bytes as f64 / (1024.0 * 1024.0), 1)
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "modèle inconnu".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: u64 = m
                .lines()
                .find(|l| l.starts_with("MemTotal:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some(format!(
                ", {} Gio de mémoire",
                fr(kib as f64 / 1024.0 / 1024.0, 1)
            ))
        })
        .unwrap_or_default();
    format!("{cpus} cœur(s) (nproc), {model}{mem}")
}

/// The 1-minute load average: other processes running during the measures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| "inconnue".into(), |l| fr(l, 2))
}

fn git_revision() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(MANIFEST_DIR)
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(rev) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("commit {rev} + modifications locales")
            } else {
                format!("commit {rev}")
            }
        }
        None => "révision inconnue".into(),
    }
}

// ---------------------------------------------------------------------------
// Main

/// Builds `target/release/ici` (a no-op when up to date) and returns its path.
fn release_binary() -> Result<PathBuf> {
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
    let imports_md = imports::run(&bin, &scratch, config.quick, &fec_path, fec_lines)?;

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

/// A FEC of `lines` lines (two-line entries over 2018: invoices and salaries) written
/// with the library's own writer.
fn write_big_fec(path: &Path, lines: usize) -> Result<()> {
    use ici::domain::fec::{FecEntry, FecLine, write};
    let mut rng = Rng(2018);
    let first = NaiveDate::from_ymd_opt(2018, 1, 1).expect("valid date");
    let n = lines / 2;
    let line = |compte: &str, debit: i64, credit: i64| FecLine {
        line: 0,
        compte: compte.to_string(),
        compte_lib: None,
        aux_num: None,
        aux_lib: None,
        libelle: Some("Opération".to_string()),
        debit,
        credit,
        extra: Default::default(),
    };
    let entries: Vec<FecEntry> = (0..n)
        .map(|i| {
            let date = first + chrono::Duration::days((i * 365 / n) as i64);
            let amount = 100 + rng.below(500_000) as i64;
            let (journal, debit, credit) = match i % 4 {
                0 => ("VT", "411000", "706000"),
                1 => ("AC", "606400", "401000"),
                2 => ("SA", "641100", "421000"),
                _ => ("BQ", "512000", "411000"),
            };
            FecEntry {
                journal: journal.to_string(),
                journal_lib: None,
                numero: format!("{journal}{i:07}"),
                date,
                piece_ref: Some(format!("P{i}")),
                piece_date: Some(date),
                valid_date: None,
                lines: vec![line(debit, amount, 0), line(credit, 0, amount)],
            }
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write(&entries, &mut out)?;
    Ok(())
}
