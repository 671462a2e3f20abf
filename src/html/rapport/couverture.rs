//! The cover with its contents, and the two free texts that open and close the
//! report: the édito and the perspectives.

use super::{ASSOCIATION, ASSOCIATION_NOM_LONG, Donnees, heures, n, section, texte};
use crate::html::escape;

pub fn cover(d: &Donnees) -> String {
    let mut sommaire = Vec::new();
    if d.textes.contains_key("edito") {
        sommaire.push(("edito", "Édito"));
    }
    sommaire.push(("chiffres", "Les chiffres"));
    if !d.evenements.is_empty() {
        sommaire.push(("agenda", "Agenda : les temps forts"));
    }
    sommaire.push(("actions", "Nos actions"));
    if !d.equipe.is_empty() {
        sommaire.push(("rh", "Les ressources humaines"));
    }
    if !(d.gouvernance.is_empty() && d.adherents.is_empty() && d.benevoles.is_empty()) {
        sommaire.push(("gouvernance", "La gouvernance"));
    }
    sommaire.push(("finances", "Bilan financier"));
    if d.textes.contains_key("perspectives") {
        sommaire.push(("perspectives", "Perspectives"));
    }
    sommaire.push(("definitions", "Définitions des chiffres"));
    let items: String = sommaire
        .iter()
        .map(|(id, t)| format!("<li><a href=\"#{id}\">{t}</a></li>"))
        .collect();
    let avertissement = d
        .avertissement
        .as_deref()
        .map(|a| format!("<p class=\"avertissement\">{}</p>", escape(a)))
        .unwrap_or_default();
    let s = &d.stats;
    let en_bref = format!(
        "<p class=\"en-bref\"><strong>{}</strong> personnes formées · <strong>{}</strong> heures de formation · <strong>{}</strong> villes · <strong>{}</strong> partenaires</p>",
        n(s.personnes_formees()),
        heures(s.total.minutes),
        n(s.villes.len() as i64),
        n(s.partenaires.len() as i64)
    );
    format!(
        "<section class=\"couverture\">\n<p class=\"surtitre\">Rapport d'activité</p>\n\
         <h1>{annee}</h1>\n<p class=\"association\">{ASSOCIATION}</p>\n\
         <p class=\"nom-long\">{ASSOCIATION_NOM_LONG}</p>\n{en_bref}\n\
         <nav aria-label=\"Sommaire\"><h2>Sommaire</h2><ol>{items}</ol></nav>\n{avertissement}</section>\n",
        annee = d.annee
    )
}

pub fn edito(d: &Donnees) -> String {
    texte(d, "edito")
        .map(|t| section("edito", "Édito", &t))
        .unwrap_or_default()
}

pub fn perspectives(d: &Donnees) -> String {
    texte(d, "perspectives")
        .map(|t| section("perspectives", "Perspectives", &t))
        .unwrap_or_default()
}
