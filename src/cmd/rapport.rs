//! `ici rapport ANNEE -o rapport.html`: the annual activity report as one
//! self-contained HTML file (laid out by `html::rapport`), and `ici rapport texte`:
//! its free sections, written in a small Markdown.

use crate::bail_user;
use crate::cmd::{Ctx, bilan, export, stats};
use crate::db::{association, financeurs, rapport, refs};
use crate::domain::date::parse_year;
use crate::domain::money::Money;
use crate::error::user;
use crate::html::{markdown, rapport::Donnees};
use crate::output::{self, Existing};
use anyhow::Result;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Le fichier est une seule page HTML autonome (aucun accès au réseau, aucun script) :
elle s'ouvre dans tout navigateur. Pour l'imprimer ou en faire un PDF : ouvrez-la dans le
navigateur, Fichier > Imprimer (Ctrl+P), destination « Enregistrer au format PDF », format A4,
marges par défaut, en cochant « Graphiques d'arrière-plan » pour garder les couleurs et en
décochant « En-têtes et pieds de page » (sinon la date et le chemin du fichier s'impriment) ;
chaque partie commence sur une nouvelle page. Sans fenêtre :
  chromium --headless --no-pdf-header-footer --print-to-pdf=rapport.pdf rapport.html

Les textes libres (édito, explication du résultat, perspectives) s'écrivent avant :
voir `ici rapport texte --help`.

Exemples :
  ici rapport 2017 -o rapport-2017.html
  ici rapport texte edito --annee 2017 --fichier edito.md
  ici demo --rapport rapport-demo-2017.html"
)]
pub struct Args {
    #[command(subcommand)]
    pub commande: Option<Commande>,
    /// Année du rapport (2017)
    #[arg(required = true)]
    pub annee: Option<String>,
    /// Fichier HTML à écrire (remplacé s'il existe), lisible par vous seul ; jamais le
    /// registre, une base SQLite ni un lien symbolique
    #[arg(short = 'o', long = "output", value_name = "FICHIER", required = true)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre le texte d'une partie libre du rapport (la version précédente est
    /// gardée au registre)
    Texte(TexteArgs),
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Markdown accepté : paragraphes séparés par une ligne vide ; *italique*, **gras** ;
listes « - » ou « 1. » ; titres #, ##, ### ; citations « > » ; liens [texte](adresse),
imprimés « texte (adresse) ». Le HTML est affiché tel quel (jamais interprété) ; les
images sont refusées.

Exemples :
  ici rapport texte edito --annee 2017 --fichier edito.md
  ici rapport texte resultat --annee 2017 --fichier explications.md
  ici rapport texte perspectives --annee 2017 --fichier perspectives.md"
)]
pub struct TexteArgs {
    /// La partie : edito, resultat (explication du résultat) ou perspectives
    #[arg(value_enum)]
    pub section: Section,
    /// Année du rapport (2017)
    #[arg(long)]
    pub annee: String,
    /// Le texte, en Markdown (UTF-8)
    #[arg(long, value_name = "FICHIER")]
    pub fichier: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    /// L'édito, en tête du rapport
    Edito,
    /// L'explication du résultat, dans le bilan financier
    Resultat,
    /// Les perspectives, après le bilan financier
    Perspectives,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Edito => "edito",
            Section::Resultat => "resultat",
            Section::Perspectives => "perspectives",
        }
    }
}

/// The biggest text accepted: a report's section is a few pages.
const MAX_TEXT_BYTES: u64 = 256 * 1024;

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    if let Some(Commande::Texte(t)) = a.commande {
        return run_texte(ctx, t, out);
    }
    let (Some(annee), Some(path)) = (a.annee, a.output) else {
        bail_user!("indiquez l'année et le fichier : ici rapport 2017 -o rapport-2017.html");
    };
    let annee = parse_year(&annee)?;
    let ledger_path = ctx.ledger_path()?;
    let mut ledger = ctx.open()?;
    let dest = output::check(&path, &ledger_path, Existing::Replace)?;
    let donnees = gather(ledger.conn(), annee)?;
    let html = crate::html::rapport::document(&donnees);
    let size = output::write_file(&dest, |w| {
        w.write_all(html.as_bytes())?;
        Ok(html.len())
    })?;
    // No participant is ever named; the association's own people (staff, board,
    // members, volunteers) are, as in the printed report.
    let personnel = crate::html::rapport::names_people(&donnees);
    export::note(&mut ledger, "rapport", Some(dest.absolute()), personnel);
    writeln!(
        out,
        "Rapport d'activité {annee} écrit : {} ({} octets). Ouvrez-le dans un navigateur ; pour le PDF : Imprimer > Enregistrer au format PDF (voir `ici rapport --help`).",
        dest.path().display(),
        crate::domain::money::group_thousands(size as u64)
    )?;
    Ok(())
}

/// Everything the report shows, read through the stats and bilan code.
pub fn gather(conn: &Connection, annee: i32) -> Result<Donnees> {
    let stats = stats::compute(conn, annee)?;
    let partenaires_projet = rapport::partenaires_par_projet(conn, annee)?;
    let projets = refs::projets(conn, None)?
        .into_iter()
        .map(|p| {
            let s = stats::compute_projet(conn, annee, &p.nom)?;
            Ok((p, s))
        })
        .collect::<Result<Vec<_>>>()?;
    let precedent = bilan::compute(conn, annee - 1)?;
    Ok(Donnees {
        annee,
        stats,
        projets,
        partenaires_projet,
        bilan: bilan::compute(conn, annee)?,
        subventions_par_type: financeurs::produits_par_type(conn, annee)?
            .into_iter()
            .map(|(t, cents)| (t, Money(cents)))
            .collect(),
        precedent: (!precedent.blocs.is_empty()).then_some(precedent),
        equipe: association::equipe(conn, Some(annee))?,
        gouvernance: association::gouvernance(conn, Some(annee))?,
        adherents: association::adherents(conn, Some(annee))?,
        benevoles: benevoles(conn, annee)?,
        evenements: association::evenements(conn, Some(annee))?,
        textes: rapport::texts(conn, annee)?,
        avertissement: None,
        note_sorties: None,
    })
}

/// The named volunteers with hours in the year (cancelled records aside), by name.
fn benevoles(conn: &Connection, annee: i32) -> Result<Vec<String>> {
    let mut names: Vec<String> = association::benevolat::benevolat(conn, Some(annee))?
        .into_iter()
        .filter(|b| !b.annule)
        .filter_map(|b| b.personne)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

fn run_texte(ctx: &Ctx, t: TexteArgs, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&t.annee)?;
    let texte = read_text(&t.fichier)?;
    markdown::check(&texte).map_err(|e| user(format!("{} : {e}", t.fichier.display())))?;
    let mut ledger = ctx.open()?;
    let section = t.section.key();
    let replaced = ledger.write(|tx| rapport::write_text(tx, annee, section, &texte))?;
    let versions = rapport::versions(ledger.conn(), annee, section)?;
    let titre = rapport::SECTIONS
        .iter()
        .find(|(k, _)| *k == section)
        .map_or(section, |(_, t)| t);
    if replaced {
        writeln!(
            out,
            "{titre} {annee} remplacé par {} ({} versions gardées au registre ; le rapport imprime la dernière).",
            t.fichier.display(),
            versions
        )?;
    } else {
        writeln!(
            out,
            "{titre} {annee} enregistré depuis {}.",
            t.fichier.display()
        )?;
    }
    Ok(())
}

/// A Markdown file: a plain file, not too big, UTF-8 (a BOM is dropped).
fn read_text(path: &Path) -> Result<String> {
    let name = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        user(format!(
            "lecture de {name} impossible : {}",
            crate::error::io_fr(&e)
        ))
    })?;
    if !meta.is_file() {
        bail_user!(
            "{name} n'est pas un fichier ordinaire : donnez le chemin du fichier Markdown du texte"
        );
    }
    if meta.len() > MAX_TEXT_BYTES {
        bail_user!(
            "{name} : {} octets, plus que la limite de {MAX_TEXT_BYTES} octets pour un texte du rapport ; raccourcissez-le",
            meta.len()
        );
    }
    let bytes = std::fs::read(path).map_err(|e| {
        user(format!(
            "lecture de {name} impossible : {}",
            crate::error::io_fr(&e)
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        user(format!(
            "{name} n'est pas en UTF-8 (octet invalide à la position {}) : enregistrez-le en UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}
