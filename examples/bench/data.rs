//! The deterministic data of the bench: seeded generators, and the ledgers built
//! through the library (one transaction each).

use anyhow::{Context, Result, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use ici::db::{Ledger, finances, refs, sessions};
use ici::domain::account::Operation;
use ici::domain::finance::FinanceDraft;
use ici::domain::session::SessionDraft;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub(crate) const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
pub(crate) const REFERENCE_YEAR: i32 = 2017;
pub(crate) const SEED: u64 = 0x1C1_2017;

/// Communes as trainers type them: names, case and accent variants, postal codes.
/// Each is checked once before use; one the resolver refuses is left out and reported.
pub(crate) const COMMUNES: [&str; 36] = [
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

pub(crate) const DUREES: [&str; 10] = [
    "1h", "1h30", "2h", "2h30", "3h", "3h30", "4h", "6h", "7h", "90min",
];

pub(crate) const INTITULES: [&str; 8] = [
    "Premiers pas sur l'ordinateur",
    "Inscription et espace personnel Pôle emploi",
    "Démarches en ligne : CAF, impots.gouv, ameli",
    "Messagerie et pièces jointes",
    "Sécurité et mots de passe",
    "Budget participatif : voter en ligne",
    "Communication en ligne de son association",
    "CV et lettre de motivation",
];

pub(crate) const FORMATEURS: [&str; 4] = [
    "Camille Martin",
    "Nora Benali",
    "Hugo Lefèvre",
    "Inès Moreau",
];

/// (account, label) of the synthetic income, then of the synthetic costs.
pub(crate) const PRODUITS: [(&str, &str); 3] = [
    ("706", "Prestation de formation"),
    ("7411", "Subvention"),
    ("756", "Cotisations des adhérents"),
];
pub(crate) const CHARGES: [(&str, &str); 4] = [
    ("6411", "Salaires"),
    ("645", "Charges sociales"),
    ("613", "Loyer du local"),
    ("622", "Honoraires"),
];

/// Used only when the reference year's projects and partners cannot be imported.
pub(crate) const FALLBACK_PROJETS: [(&str, &str); 12] = [
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
pub(crate) const FALLBACK_PARTENAIRES: [&str; 8] = [
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
// Deterministic data

/// SplitMix64: small, fast, and the same ledgers on every machine.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The days data is spread over: 2010-01-01 to the end of 2026, never in the future.
#[derive(Clone, Copy)]
pub(crate) struct Span {
    pub(crate) start: NaiveDate,
    pub(crate) days: i64,
}

impl Span {
    pub(crate) fn new() -> Span {
        let start = NaiveDate::from_ymd_opt(2010, 1, 1).expect("valid date");
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).expect("valid date");
        let today = chrono::Local::now().date_naive();
        let last = end.min(today - chrono::Duration::days(1));
        Span {
            start,
            days: (last - start).num_days() + 1,
        }
    }

    pub(crate) fn pick(&self, rng: &mut Rng) -> NaiveDate {
        self.start + chrono::Duration::days((rng.next() % self.days as u64) as i64)
    }

    /// `count` random days in date order: a ledger is written as the year goes by,
    /// so one year's rows sit together in the file, as they would in real use.
    pub(crate) fn sorted_dates(&self, rng: &mut Rng, count: usize) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = (0..count).map(|_| self.pick(rng)).collect();
        dates.sort_unstable();
        dates
    }

    pub(crate) fn last_year(&self) -> i32 {
        (self.start + chrono::Duration::days(self.days - 1)).year()
    }
}

/// The names every ledger shares, read back from the first one built.
#[derive(Clone)]
pub(crate) struct Names {
    pub(crate) projets: Vec<String>,
    pub(crate) partenaires: Vec<String>,
    pub(crate) communes: Vec<&'static str>,
    pub(crate) reference: bool,
}

/// One synthetic session, as typed.
pub(crate) struct SessionRow {
    pub(crate) date: NaiveDate,
    pub(crate) iso: String,
    pub(crate) participants: String,
    pub(crate) publics: [Option<String>; 5],
    pub(crate) projet: usize,
    pub(crate) commune: usize,
    pub(crate) duree: usize,
    pub(crate) partenaire: Option<usize>,
    pub(crate) intitule: usize,
    pub(crate) formateur: usize,
}

impl SessionRow {
    pub(crate) fn generate(rng: &mut Rng, date: NaiveDate, names: &Names) -> SessionRow {
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

    pub(crate) fn draft<'a>(&'a self, names: &'a Names) -> SessionDraft<'a> {
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
pub(crate) struct EcritureRow {
    pub(crate) date: NaiveDate,
    pub(crate) iso: String,
    pub(crate) produit: bool,
    pub(crate) compte: &'static str,
    pub(crate) montant: String,
    pub(crate) libelle: String,
    pub(crate) tiers: Option<usize>,
    pub(crate) projet: Option<usize>,
    pub(crate) piece: Option<String>,
}

impl EcritureRow {
    pub(crate) fn generate(rng: &mut Rng, date: NaiveDate, names: &Names, n: usize) -> EcritureRow {
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

    pub(crate) fn draft<'a>(&'a self, names: &'a Names) -> FinanceDraft<'a> {
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

    pub(crate) fn operation(&self) -> Operation {
        if self.produit {
            Operation::Produit
        } else {
            Operation::Charge
        }
    }
}

// ---------------------------------------------------------------------------
// Building the ledgers, through the library

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR)
        .join("fixtures")
        .join(REFERENCE_YEAR.to_string())
        .join(name)
}

/// Runs one `ici` command line inside this process (used for the fixture imports).
pub(crate) fn run_in_process(ledger: &Path, args: &[&str]) -> Result<()> {
    let mut argv: Vec<OsString> = vec!["ici".into(), "--ledger".into(), ledger.into()];
    argv.extend(args.iter().map(OsString::from));
    let cli = ici::cli::parse(argv).map_err(|code| anyhow!("arguments refusés (code {code})"))?;
    let mut sink = Vec::new();
    ici::cmd::run(cli, &mut sink)
}

pub(crate) fn import_fixture(ledger: &Path, kind: &str, file: &str) -> Result<()> {
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
pub(crate) fn create_ledger(path: &Path, notes: &mut Vec<String>) -> Result<Names> {
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
pub(crate) fn check_communes(names: &mut Names, notes: &mut Vec<String>) -> Result<()> {
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
pub(crate) struct Built {
    pub(crate) label: String,
    pub(crate) contenu: String,
    pub(crate) path: PathBuf,
    pub(crate) seconds: f64,
}

impl Built {
    pub(crate) fn size(&self) -> u64 {
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
pub(crate) fn build_sessions(
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
pub(crate) fn build_finances(
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

pub(crate) fn import_reference(path: &Path, kind: &str, notes: &mut Vec<String>) -> bool {
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

/// A FEC of `lines` lines (two-line entries over 2018: invoices and salaries) written
/// with the library's own writer.
pub(crate) fn write_big_fec(path: &Path, lines: usize) -> Result<()> {
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
