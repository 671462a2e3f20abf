//! `ici demo`: a throw-away ledger in memory, filled from the 2017 data bundled in
//! the binary — the activity records of `fixtures/2017/` and the accountant's books,
//! the FEC of 2016 and 2017, the association's people and agenda — and its bilan and activity figures. The user's ledger
//! is not touched; `--ecrire FICHIER` keeps a copy of the demo ledger in a new file.

use crate::bail_user;
use crate::cmd::association_csv::{self, Quoi};
use crate::cmd::{Ctx, bilan, compte_rendu, import, import_fec, stats};
use crate::db::{Ledger, backup};
use crate::domain::money::group_thousands;
use crate::output::{self, Existing, Pending};
use crate::render::Format;
use anyhow::{Context, Result, bail};
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

mod financeurs;

/// The 2017 activity data, in the order they must be loaded: the partners come before
/// the books so that the FEC's third parties find them by name.
pub const FIXTURES_2017: [(import::Kind, &str, &str); 6] = [
    (
        import::Kind::Projets,
        "fixtures/2017/projets.csv",
        include_str!("../../fixtures/2017/projets.csv"),
    ),
    (
        import::Kind::Partenaires,
        "fixtures/2017/partenaires.csv",
        include_str!("../../fixtures/2017/partenaires.csv"),
    ),
    // Pseudonymous codes and profiles only: no names in the bundled data.
    (
        import::Kind::Participants,
        "fixtures/2017/participants.csv",
        include_str!("../../fixtures/2017/participants.csv"),
    ),
    (
        import::Kind::Sessions,
        "fixtures/2017/sessions.csv",
        include_str!("../../fixtures/2017/sessions.csv"),
    ),
    (
        import::Kind::Presences,
        "fixtures/2017/presences.csv",
        include_str!("../../fixtures/2017/presences.csv"),
    ),
    // Illustrative: the 2017 report says the exit data were not usable.
    (
        import::Kind::Sorties,
        "fixtures/2017/sorties.csv",
        include_str!("../../fixtures/2017/sorties.csv"),
    ),
];

/// The association's people, its agenda and its projects' descriptions in 2017, as
/// the printed report gives them (what it leaves out is said in
/// `fixtures/2017/README.md`). Loaded after the books: volunteer hours are booked in
/// class 8 at the 2017 rate, after the accountant's entries.
pub const ASSOCIATION_2017: [(Quoi, &str, &str); 7] = [
    (
        Quoi::Descriptions,
        "fixtures/2017/descriptions.csv",
        include_str!("../../fixtures/2017/descriptions.csv"),
    ),
    (
        Quoi::Equipe,
        "fixtures/2017/equipe.csv",
        include_str!("../../fixtures/2017/equipe.csv"),
    ),
    (
        Quoi::Gouvernance,
        "fixtures/2017/gouvernance.csv",
        include_str!("../../fixtures/2017/gouvernance.csv"),
    ),
    (
        Quoi::Adherents,
        "fixtures/2017/adherents.csv",
        include_str!("../../fixtures/2017/adherents.csv"),
    ),
    (
        Quoi::Taux,
        "fixtures/2017/benevolat_taux.csv",
        include_str!("../../fixtures/2017/benevolat_taux.csv"),
    ),
    (
        Quoi::Benevolat,
        "fixtures/2017/benevolat.csv",
        include_str!("../../fixtures/2017/benevolat.csv"),
    ),
    (
        Quoi::Evenements,
        "fixtures/2017/evenements.csv",
        include_str!("../../fixtures/2017/evenements.csv"),
    ),
];

/// The books: the accountant's FEC of 2016 (the opening balances of 2017, and a
/// year for `bilan 2017 --comparer`) and of 2017, loaded as `ici import fec` loads them.
pub const FEC: [(&str, &[u8]); 2] = [
    (
        "fixtures/fec/824137954FEC20161231.txt",
        include_bytes!("../../fixtures/fec/824137954FEC20161231.txt"),
    ),
    (
        "fixtures/fec/824137954FEC20171231.txt",
        include_bytes!("../../fixtures/fec/824137954FEC20171231.txt"),
    ),
];

/// The one thing the demo adds to the accountant's books: the lender of the 2017
/// loan. The cabinet's 168000 line has no auxiliary account; the association's own
/// records name France Active (`tiers` of the loan in `fixtures/2017/finances.csv`),
/// one of the report's 24 partners. Amounts, accounts and dates are untouched.
const LOAN_LINE: (&str, &str) = (
    "\t168000\tEmprunt France Active (prêt d'honneur et part Crédit Agricole)\t\t\t",
    "\t168000\tEmprunt France Active (prêt d'honneur et part Crédit Agricole)\tP0001\tFrance Active\t",
);

/// The report's target for #MedNum94: 60 % of positive exits (tenths of a
/// percent), as `ici projet objectif MEDNUM94 --sorties-positives 60%` records it.
pub const MEDNUM94: (&str, u32) = ("MEDNUM94", 600);

/// Said wherever the demo shows exits.
pub const SORTIES_ILLUSTRATIVES: &str = "Les sorties de #MedNum94 (fixtures/2017/sorties.csv) sont illustratives : le rapport 2017 indique que les données de sorties n'étaient pas exploitables ; seul l'objectif de 60 % de sorties positives vient du rapport.";

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici demo\n  ici demo --format json\n  ici demo --ecrire demo-2017.sqlite\n  ici --ledger demo-2017.sqlite bilan 2017 --actif-passif"
)]
pub struct Args {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Écrit aussi le registre de démonstration dans ce NOUVEAU fichier (jamais sur un
    /// fichier existant), pour l'interroger ensuite avec --ledger
    #[arg(long, value_name = "FICHIER")]
    pub ecrire: Option<PathBuf>,
    /// Écrit le rapport d'activité 2017 de la démonstration dans ce fichier HTML (comme
    /// `ici rapport 2017 -o FICHIER`), au lieu d'afficher les chiffres
    #[arg(long, value_name = "FICHIER", conflicts_with = "format")]
    pub rapport: Option<PathBuf>,
}

/// The free texts of the 2017 report, quoted from the printed report.
pub const TEXTES_2017: [(&str, &str); 3] = [
    (
        "edito",
        include_str!("../../fixtures/2017/rapport/edito.md"),
    ),
    (
        "resultat",
        include_str!("../../fixtures/2017/rapport/resultat.md"),
    ),
    (
        "perspectives",
        include_str!("../../fixtures/2017/rapport/perspectives.md"),
    ),
];

/// Said on the demonstration's report.
pub const AVERTISSEMENT_RAPPORT: &str = "Démonstration : ce rapport est produit par « ici demo --rapport » à partir des données 2017 intégrées au programme (sessions et participants reconstitués, comptes du cabinet). Les textes sont cités du rapport imprimé de 2017.";

/// A ledger in memory holding the bundled 2017 data.
pub fn ledger_2017() -> Result<Ledger> {
    let mut ledger = Ledger::in_memory()?;
    ledger.write(|tx| {
        for (kind, name, text) in FIXTURES_2017 {
            import::import_bytes(tx, kind, name, text.as_bytes(), false)
                .with_context(|| format!("chargement de {name}"))?;
        }
        // The report's target for #MedNum94: 60 % of positive exits.
        crate::db::participants::set_objectif(tx, MEDNUM94.0, None, Some(MEDNUM94.1))?;
        for (section, texte) in TEXTES_2017 {
            crate::db::rapport::write_text(tx, 2017, section, texte)?;
        }
        Ok(())
    })?;
    for (name, bytes) in FEC {
        load_fec(&mut ledger, name, &with_lender(name, bytes)?)
            .with_context(|| format!("chargement de {name}"))?;
    }
    ledger.write(|tx| financeurs::load(tx))?;
    ledger.write(|tx| {
        for (quoi, name, text) in ASSOCIATION_2017 {
            association_csv::load_bytes(tx, quoi, name, text.as_bytes())
                .with_context(|| format!("chargement de {name}"))?;
        }
        Ok(())
    })?;
    Ok(ledger)
}

/// One FEC, through the same path as `ici import fec` (its report is not printed).
/// That path streams a file from disk, so the embedded bytes go through a private
/// temporary file first.
fn load_fec(ledger: &mut Ledger, name: &str, bytes: &[u8]) -> Result<()> {
    let mut file = tempfile::NamedTempFile::new()?;
    std::io::Write::write_all(&mut file, bytes)?;
    let mut input = crate::input::open(file.path())?;
    input.name = name.to_string();
    import_fec::run(ledger, &input, &mut std::io::sink())
}

/// The FEC with the loan's lender named (see [`LOAN_LINE`]).
fn with_lender<'a>(name: &str, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>> {
    let (before, after) = LOAN_LINE;
    let text = std::str::from_utf8(bytes).with_context(|| format!("{name} n'est pas en UTF-8"))?;
    Ok(match text.matches(before).count() {
        0 => Cow::Borrowed(bytes),
        1 => Cow::Owned(text.replacen(before, after, 1).into_bytes()),
        n => bail!("{name} : {n} lignes d'emprunt France Active au lieu d'une"),
    })
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let ledger = ledger_2017()?;
    if let Some(path) = &a.rapport {
        return write_report(ctx, &ledger, path, a.ecrire.as_deref(), out);
    }
    // Written before anything is printed: a refused file stops the command whole.
    let written = match &a.ecrire {
        Some(path) => Some(write_ledger(ctx, &ledger, path)?),
        None => None,
    };
    let bilan = bilan::compute(ledger.conn(), 2017)?;
    let stats = stats::compute(ledger.conn(), 2017)?;
    let rendu = compte_rendu::compute(ledger.conn(), MEDNUM94.0, 2017)?;
    let written_note = written.map(|(path, size)| {
        format!(
            "Registre de démonstration écrit : {} ({} octets, lisible par vous seul). Interrogez-le avec --ledger, par exemple : ici --ledger {} bilan 2017 --actif-passif",
            path.display(),
            group_thousands(size),
            path.display()
        )
    });
    match a.format {
        Format::Json => {
            // The keys stay `bilan` and `stats` (the README says the exits are
            // illustrative); `registre_ecrit` only when a file was written.
            let mut v = serde_json::json!({
                "bilan": bilan_json(&bilan)?,
                "stats": stats_json(&stats)?,
                "compte_rendu": compte_rendu::to_json(&rendu),
            });
            if let Some((path, size)) = written {
                v["registre_ecrit"] = serde_json::json!({
                    "fichier": path.display().to_string(),
                    "octets": size,
                });
            }
            crate::render::json(out, &v)
        }
        Format::Table => {
            writeln!(
                out,
                "Démonstration : registre temporaire en mémoire, chargé des données 2017 de l'association ICI\n(activité de fixtures/2017/, comptabilité du FEC 2016 et 2017 du cabinet, fixtures/fec/).\nVotre registre n'est ni lu ni modifié.\n"
            )?;
            bilan::print(out, &bilan, Format::Table)?;
            writeln!(out)?;
            stats::print(out, &stats, Format::Table)?;
            writeln!(out, "\n{SORTIES_ILLUSTRATIVES}")?;
            writeln!(out)?;
            compte_rendu::print_table(out, &rendu)?;
            writeln!(out, "\n{}", financeurs::NOTE)?;
            if let Some(note) = written_note {
                writeln!(out, "\n{note}")?;
            }
            Ok(())
        }
        format @ (Format::Csv | Format::Excel) => {
            bilan::print(out, &bilan, format)?;
            writeln!(out)?;
            stats::print(out, &stats, format)?;
            writeln!(out)?;
            compte_rendu::print(out, &rendu, format)?;
            // The CSV tables stay data only; what must be said goes beside them.
            eprintln!("{SORTIES_ILLUSTRATIVES}");
            eprintln!("{}", financeurs::NOTE);
            if let Some(note) = written_note {
                eprintln!("{note}");
            }
            Ok(())
        }
    }
}

/// The 2017 report of the demo ledger, written as `ici rapport` writes one (the
/// user's ledger is not opened, so nothing is logged in it).
fn write_report(
    ctx: &Ctx,
    ledger: &Ledger,
    path: &Path,
    ecrire: Option<&Path>,
    out: &mut dyn Write,
) -> Result<()> {
    let ledger_path = ctx.ledger_path().unwrap_or_default();
    let dest = output::check(path, &ledger_path, Existing::Replace).map_err(for_rapport)?;
    let written = match ecrire {
        Some(p) => Some(write_ledger(ctx, ledger, p)?),
        None => None,
    };
    let mut donnees = crate::cmd::rapport::gather(ledger.conn(), 2017)?;
    donnees.avertissement = Some(AVERTISSEMENT_RAPPORT.to_string());
    donnees.note_sorties = Some(SORTIES_ILLUSTRATIVES.to_string());
    let html = crate::html::rapport::document(&donnees);
    output::write_file(&dest, |w| Ok(w.write_all(html.as_bytes())?))?;
    writeln!(
        out,
        "Rapport d'activité 2017 de la démonstration écrit : {} ({} octets). Ouvrez-le dans un navigateur ; pour le PDF, voir `ici rapport --help`.",
        dest.path().display(),
        group_thousands(html.len() as u64)
    )?;
    if let Some((p, size)) = written {
        writeln!(
            out,
            "Registre de démonstration écrit : {} ({} octets, lisible par vous seul).",
            p.display(),
            group_thousands(size)
        )?;
    }
    Ok(())
}

/// The safe writer's messages name `-o`; here the file is given with `--rapport`.
fn for_rapport(e: anyhow::Error) -> anyhow::Error {
    let text = format!("{e:#}").replace("-o ", "--rapport ");
    if crate::error::exit_code(&e) == 2 {
        crate::error::user(text)
    } else {
        anyhow::anyhow!(text)
    }
}

/// Copies the demo ledger into a new file, through a temporary file renamed into place
/// (0600), checked once written. An existing file is never replaced.
fn write_ledger<'a>(ctx: &Ctx, ledger: &Ledger, path: &'a Path) -> Result<(&'a Path, u64)> {
    if path.symlink_metadata().is_ok() {
        bail_user!(
            "{} existe déjà : `ici demo --ecrire` n'écrit que dans un nouveau fichier, pour ne jamais remplacer un registre. Rien n'a été écrit ; choisissez un autre nom, par exemple --ecrire demo-2017.sqlite.",
            path.display()
        );
    }
    // The user's ledger is only named, never opened: its files are refused by name.
    let ledger_path = ctx.ledger_path().unwrap_or_default();
    let written = || -> Result<u64> {
        let dest = output::check_for(
            path,
            &ledger_path,
            Existing::Keep("créé pendant l'écriture de la démonstration"),
            "--ecrire",
        )?;
        let pending = Pending::create(&dest)?;
        let contents = backup::copy(ledger.conn(), pending.temp_path())?;
        backup::verify(pending.temp_path(), &contents)?;
        pending.commit()
    };
    let size = written()?;
    Ok((path, size))
}

fn bilan_json(b: &crate::domain::bilan::Bilan) -> Result<serde_json::Value> {
    let mut buf = Vec::new();
    bilan::print(&mut buf, b, Format::Json)?;
    Ok(serde_json::from_slice(&buf)?)
}

fn stats_json(s: &crate::domain::stats::Stats) -> Result<serde_json::Value> {
    let mut buf = Vec::new();
    stats::print(&mut buf, s, Format::Json)?;
    Ok(serde_json::from_slice(&buf)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the loan line of 2017 gains its lender; every other byte is the cabinet's.
    #[test]
    fn the_lender_is_the_only_change_to_the_fec() {
        let (name16, fec16) = FEC[0];
        assert!(matches!(
            with_lender(name16, fec16).unwrap(),
            Cow::Borrowed(_)
        ));
        let (name17, fec17) = FEC[1];
        let patched = with_lender(name17, fec17).unwrap();
        let (before, after) = LOAN_LINE;
        let original = std::str::from_utf8(fec17).unwrap();
        let patched = std::str::from_utf8(&patched).unwrap();
        assert_eq!(original.lines().count(), patched.lines().count());
        let changed: Vec<(&str, &str)> = original
            .lines()
            .zip(patched.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        let (a, b) = changed[0];
        assert!(a.contains(before) && b.contains(after), "{b}");
        assert!(b.contains("\t0,00\t30000,00\t"), "amounts untouched: {b}");
        // Twice the line: the bundled file is not what the demo expects.
        let twice = format!("{original}{original}");
        let err = with_lender(name17, twice.as_bytes()).unwrap_err();
        assert!(format!("{err}").contains("2 lignes"), "{err}");
    }

    #[test]
    fn the_demo_ledger_balances_at_the_accountants_figures() {
        let ledger = ledger_2017().unwrap();
        let b = bilan::compute(ledger.conn(), 2017).unwrap();
        assert_eq!(b.total_produits().cents(), 176_512_00);
        assert_eq!(b.total_charges().cents(), 191_947_00);
        assert_eq!(b.resultat().cents(), -15_435_00);
    }
}
