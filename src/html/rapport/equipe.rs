//! « Les ressources humaines » (the staff of the year, its arrivals and departures,
//! its full-time equivalent) and « La gouvernance » (bureau, board, members and
//! volunteers), from `ici equipe`, `ici gouvernance`, `ici adherent` and
//! `ici benevolat`.

use super::{Donnees, enumeration, heures, n};
use crate::db::association::Membre;
use crate::domain::association::{is_bureau, label};
use crate::html::escape;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `3,9`: tenths with a French comma.
fn etp(dixiemes: i64) -> String {
    format!("{},{}", dixiemes / 10, dixiemes % 10)
}

fn date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// A salaried person's stay: first day of the first contract, last day of the last
/// (none while a contract runs), so that a CDD followed by a CDI is one arrival.
fn sejours(equipe: &[Membre]) -> BTreeMap<&str, (NaiveDate, Option<NaiveDate>, &str)> {
    let mut out: BTreeMap<&str, (NaiveDate, Option<NaiveDate>, &str)> = BTreeMap::new();
    for m in equipe.iter().filter(|m| m.statut == "salarie") {
        let e = out.entry(&m.nom).or_insert((m.debut, m.fin, &m.poste));
        e.0 = e.0.min(m.debut);
        e.1 = match (e.1, m.fin) {
            (None, _) | (_, None) => None,
            (Some(a), Some(b)) => Some(a.max(b)),
        };
        if m.fin.is_none() || m.fin == e.1 {
            e.2 = &m.poste;
        }
    }
    out
}

pub fn ressources_humaines(d: &Donnees) -> String {
    if d.equipe.is_empty() {
        return String::new();
    }
    let a = &d.stats.association;
    let annee = d.annee;
    let mut out = format!(
        "<p>En {annee}, l'association a employé <strong>{}</strong> salarié(e)s, soit <strong>{}</strong> équivalent(s) temps plein sur l'année ; {} arrivée(s), {} départ(s).</p>",
        n(a.salaries),
        etp(a.etp_dixiemes),
        n(a.arrivees),
        n(a.departs)
    );
    let in_year = |x: NaiveDate| x.year() == annee;
    let sejours = sejours(&d.equipe);
    let mut mouvements: Vec<(NaiveDate, String)> = Vec::new();
    for (nom, (debut, fin, poste)) in &sejours {
        if in_year(*debut) {
            mouvements.push((
                *debut,
                format!(
                    "Arrivée de <strong>{}</strong>, {}, le {}.",
                    escape(nom),
                    escape(poste),
                    date(*debut)
                ),
            ));
        }
        if let Some(f) = fin.filter(|f| in_year(*f)) {
            mouvements.push((
                f,
                format!(
                    "Départ de <strong>{}</strong>, {}, le {}.",
                    escape(nom),
                    escape(poste),
                    date(f)
                ),
            ));
        }
    }
    mouvements.sort();
    if !mouvements.is_empty() {
        out.push_str("<ul>");
        for (_, m) in &mouvements {
            let _ = write!(out, "<li>{m}</li>");
        }
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<h3>L'équipe en {annee}</h3><table><thead><tr><th scope=\"col\">nom</th><th scope=\"col\">poste</th>\
         <th scope=\"col\">statut</th><th scope=\"col\">contrat</th><th scope=\"col\">du</th><th scope=\"col\">au</th>\
         <th class=\"n\" scope=\"col\">temps</th></tr></thead><tbody>"
    );
    for m in &d.equipe {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{} %</td></tr>",
            escape(&m.nom),
            escape(&m.poste),
            escape(label(&m.statut)),
            escape(m.contrat.as_deref().unwrap_or("")),
            date(m.debut),
            m.fin.map(date).unwrap_or_default(),
            m.temps
        );
    }
    out.push_str("</tbody></table>");
    super::section("rh", "Les ressources humaines", &out)
}

pub fn gouvernance(d: &Donnees) -> String {
    if d.gouvernance.is_empty() && d.adherents.is_empty() && d.benevoles.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let bureau: Vec<_> = d
        .gouvernance
        .iter()
        .filter(|m| is_bureau(&m.fonction))
        .collect();
    if !bureau.is_empty() {
        out.push_str("<h3>Bureau</h3><dl class=\"faits\">");
        for m in bureau {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&capitalise(label(&m.fonction))),
                escape(&m.nom)
            );
        }
        out.push_str("</dl>");
    }
    let mut conseil: Vec<String> = Vec::new();
    for m in &d.gouvernance {
        if !conseil.contains(&m.nom) {
            conseil.push(m.nom.clone());
        }
    }
    if !conseil.is_empty() {
        let _ = write!(
            out,
            "<h3>Conseil d'administration</h3><p>{}</p>",
            enumeration(&conseil)
        );
    }
    let a = &d.stats.association;
    if !d.adherents.is_empty() {
        let mut noms: Vec<String> = d.adherents.iter().map(|x| x.nom.clone()).collect();
        noms.dedup();
        let _ = write!(
            out,
            "<h3>{} adhérent(e)s</h3><p>{}</p>",
            n(a.adherents),
            enumeration(&noms)
        );
    }
    if !d.benevoles.is_empty() {
        let _ = write!(
            out,
            "<h3>{} bénévoles engagé(e)s, {} heures</h3><p>{}</p>",
            n(a.benevoles),
            heures(a.minutes_benevolat),
            enumeration(&d.benevoles)
        );
    }
    super::section("gouvernance", "La gouvernance", &out)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
