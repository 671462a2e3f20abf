//! The annual activity report: one self-contained HTML page, printable on A4, with
//! the sections of the printed report in its order — cover, édito, « Les chiffres »,
//! « Nos actions » by theme then project, bilan financier, perspectives, and the
//! definitions of every figure. Every figure comes from the ledger through the
//! stats and bilan code ([`Donnees`] is filled by `ici rapport`); this module only
//! lays them out. Each section has its own file.

mod actions;
mod agenda;
mod chiffres;
mod couverture;
mod definitions;
mod equipe;
mod finances;

use crate::db::association::{Adherent, Evenement, Mandat, Membre};
use crate::db::refs::Projet;
use crate::domain::bilan::Bilan;
use crate::domain::financeur::TypeFinanceur;
use crate::domain::money::Money;
use crate::domain::money::group_thousands;
use crate::domain::stats::Stats;
use crate::html::{self, carte, charts, escape, markdown};
use std::collections::BTreeMap;

/// The association the report is about, as its cover names it.
pub const ASSOCIATION: &str = "Association ICI";
pub const ASSOCIATION_NOM_LONG: &str = "Innovons pour la Citoyenneté sur Internet";

/// Everything the report shows, read from the ledger.
pub struct Donnees {
    pub annee: i32,
    /// The year's activity figures.
    pub stats: Stats,
    /// The projects, and each one's figures for the year (same code, its sessions only).
    pub projets: Vec<(Projet, Stats)>,
    /// Per project, the partners of its sessions and entries.
    pub partenaires_projet: BTreeMap<String, Vec<String>>,
    pub bilan: Bilan,
    /// The year's subsidies (74) per funder type (`None`: funder without a type).
    pub subventions_par_type: Vec<(Option<TypeFinanceur>, Money)>,
    /// The year before, for the comparison; `None` when it has no entry.
    pub precedent: Option<Bilan>,
    /// The staff contracts with a day in the year.
    pub equipe: Vec<Membre>,
    /// The offices of the bureau and the board held in the year.
    pub gouvernance: Vec<Mandat>,
    /// The year's memberships.
    pub adherents: Vec<Adherent>,
    /// The named volunteers with hours in the year, by name.
    pub benevoles: Vec<String>,
    /// The year's highlights, by date.
    pub evenements: Vec<Evenement>,
    /// The free texts (édito, resultat, perspectives), Markdown.
    pub textes: BTreeMap<String, String>,
    /// Said on the cover and beside the figures it concerns (the demonstration's data).
    pub avertissement: Option<String>,
    /// Said beside the projects' exits when they are not real records.
    pub note_sorties: Option<String>,
}

/// The whole document.
pub fn document(d: &Donnees) -> String {
    let mut body = String::with_capacity(256 * 1024);
    body.push_str(&couverture::cover(d));
    body.push_str(&couverture::edito(d));
    body.push_str(&chiffres::section(d));
    body.push_str(&agenda::section(d));
    body.push_str(&actions::section(d));
    body.push_str(&equipe::ressources_humaines(d));
    body.push_str(&equipe::gouvernance(d));
    body.push_str(&finances::section(d));
    body.push_str(&couverture::perspectives(d));
    body.push_str(&definitions::section(d));
    let css = format!("{CSS}{}{}", charts::CSS, carte::CSS);
    html::page(
        &format!("Rapport d'activité {} — {ASSOCIATION}", d.annee),
        &css,
        &body,
    )
}

/// A section that starts on a new page when printed.
fn section(id: &str, titre: &str, inner: &str) -> String {
    format!(
        "<section id=\"{id}\" class=\"nouvelle-page\">\n<h2>{}</h2>\n{inner}</section>\n",
        escape(titre)
    )
}

/// A free text, if written.
fn texte(d: &Donnees, key: &str) -> Option<String> {
    d.textes
        .get(key)
        .map(|t| format!("<div class=\"texte\">{}</div>", markdown::to_html(t)))
}

/// `1 143`, with a no-break space.
fn n(v: i64) -> String {
    let s = group_thousands(v.unsigned_abs());
    if v < 0 { format!("-{s}") } else { s }
}

/// Minutes as hours: `1 143`, or `12,5` when not whole.
fn heures(minutes: i64) -> String {
    if minutes % 60 == 0 {
        n(minutes / 60)
    } else {
        let tenths = (minutes * 10 + 30) / 60;
        format!("{},{}", n(tenths / 10), tenths % 10)
    }
}

/// A list of names written out: `Paris, Romainville et Villejuif`.
fn enumeration(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => escape(one),
        [rest @ .., last] => format!(
            "{} et {}",
            rest.iter()
                .map(|s| escape(s))
                .collect::<Vec<_>>()
                .join(", "),
            escape(last)
        ),
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Whether the report names people of the association (staff, board, members,
/// volunteers): the export log then records it as holding personal data.
pub fn names_people(d: &Donnees) -> bool {
    !(d.equipe.is_empty()
        && d.gouvernance.is_empty()
        && d.adherents.is_empty()
        && d.benevoles.is_empty())
}

/// The report's own styles, on top of the shared frame.
const CSS: &str = "
.couverture { min-height: 230mm; display: flex; flex-direction: column; justify-content: center; }
.couverture .surtitre { font-size: 14pt; letter-spacing: 0.08em; text-transform: uppercase; color: #0072B2; margin: 0; }
.couverture h1 { font-size: 40pt; margin: 2mm 0 8mm; line-height: 1.1; }
.couverture .association { font-size: 16pt; margin: 0; }
.couverture .nom-long { font-size: 13pt; font-style: italic; margin: 1mm 0 8mm; }
.couverture .en-bref { font-size: 12pt; margin: 0 0 12mm; padding: 3mm 0; border-top: 0.8pt solid #0072B2; border-bottom: 0.8pt solid #0072B2; }
.couverture .en-bref strong { color: #0072B2; font-size: 14pt; }
.couverture nav ol { padding-left: 6mm; font-size: 11pt; }
.avertissement { border-left: 3pt solid #D55E00; padding: 1.5mm 3mm; background: #fbf3ee; font-size: 9.5pt; }
.tuiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; margin: 4mm 0 6mm; }
.tuile { border: 0.8pt solid #0072B2; border-radius: 2mm; padding: 2.5mm 3mm; break-inside: avoid; }
.tuile .chiffre { display: block; font-size: 22pt; font-weight: bold; color: #0072B2; line-height: 1.1; }
.tuile .libelle { display: block; font-size: 10pt; }
.tuile .detail { display: block; font-size: 8.5pt; color: #444; margin-top: 1mm; }
.projet { break-inside: avoid-page; margin-bottom: 6mm; }
.projet h4 { margin: 0 0 1mm; font-size: 11.5pt; }
.projet .intitule { font-style: italic; margin-bottom: 2mm; }
dl.faits { display: grid; grid-template-columns: 38mm 1fr; gap: 0.8mm 3mm; margin: 0 0 2mm; }
dl.faits dt { font-weight: bold; }
dl.faits dd { margin: 0; }
.texte blockquote { margin: 2mm 0 2mm 4mm; padding-left: 3mm; border-left: 2pt solid #9a9a9a; }
.adresse { overflow-wrap: anywhere; }
.resultat-annonce { font-size: 13pt; margin: 3mm 0 5mm; }
.theme { break-before: page; }
.theme:first-of-type { break-before: auto; }
.agenda { columns: 2; column-gap: 8mm; }
.agenda .mois { break-inside: avoid; }
.agenda h3 { margin-top: 0; color: #0072B2; text-transform: uppercase; font-size: 10.5pt; }
.agenda ul { padding-left: 4mm; margin: 0 0 4mm; }
.agenda li { margin-bottom: 1.5mm; }
dl.definitions dt { font-weight: bold; margin-top: 2mm; }
dl.definitions dd { margin: 0 0 1mm; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_the_french_way() {
        assert_eq!(n(1143), "1\u{a0}143");
        assert_eq!(n(-15435), "-15\u{a0}435");
        assert_eq!(heures(1143 * 60), "1\u{a0}143");
        assert_eq!(heures(90), "1,5");
        assert_eq!(
            enumeration(&["Paris".into(), "Arcueil".into(), "L'Haÿ".into()]),
            "Paris, Arcueil et L&#39;Haÿ"
        );
    }
}
