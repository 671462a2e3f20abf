//! « Nos actions » : by theme, then each project that had sessions in the year — its
//! title, sessions, people, hours, publics, communes, partners, and its results
//! against its targets.

use super::{Donnees, enumeration, heures, n};
use crate::db::refs::{Projet, THEMES, theme_label};
use crate::domain::participant::percent_fr;
use crate::domain::session::PUBLICS;
use crate::domain::stats::Stats;
use crate::html::escape;
use std::fmt::Write as _;

pub fn section(d: &Donnees) -> String {
    let mut out = String::new();
    for (i, (theme, _)) in THEMES.iter().enumerate() {
        let projets: Vec<_> = d
            .projets
            .iter()
            .filter(|(p, s)| p.theme == *theme && s.total.sessions > 0)
            .collect();
        if projets.is_empty() {
            continue;
        }
        let totals = d
            .stats
            .par_theme
            .iter()
            .find(|(t, _)| t == theme)
            .map(|(_, c)| *c)
            .unwrap_or_default();
        let _ = write!(
            out,
            "<div class=\"theme\"><h3>{} · Thématique : {}</h3>\
             <p>{} action(s), {} sessions, {} participations, {} heures de formation.</p>",
            i + 1,
            escape(theme_label(theme)),
            projets.len(),
            n(totals.sessions),
            n(totals.participants),
            heures(totals.minutes),
        );
        for (p, s) in projets {
            out.push_str(&projet(d, p, s));
        }
        out.push_str("</div>\n");
    }
    super::section("actions", "Nos actions", &out)
}

fn projet(d: &Donnees, p: &Projet, s: &Stats) -> String {
    let nom = p.nom.as_str();
    let mut out = format!("<article class=\"projet\"><h4>{}</h4>", escape(nom));
    if let Some(t) = &p.intitule {
        let _ = write!(out, "<p class=\"intitule\">{}</p>", escape(t));
    }
    if let Some(t) = &p.description {
        let _ = write!(out, "<p class=\"description\">{}</p>", escape(t));
    }
    out.push_str("<dl class=\"faits\">");
    let mut fait = |dt: &str, dd: String| {
        let _ = write!(out, "<dt>{}</dt><dd>{dd}</dd>", escape(dt));
    };
    fait(
        "Sessions",
        format!(
            "{} sessions, {} heures de formation, {} heures-stagiaires",
            n(s.total.sessions),
            heures(s.total.minutes),
            heures(s.total.minutes_stagiaires)
        ),
    );
    fait(
        "Personnes",
        format!(
            "{} personnes formées ({} participations)",
            n(s.personnes_formees()),
            n(s.participations())
        ),
    );
    let publics: Vec<String> = PUBLICS
        .iter()
        .zip(&s.publics)
        .filter(|(_, p)| p.renseigne > 0)
        .map(|((_, label, _), p)| format!("{} : {}", label.to_lowercase(), n(p.personnes)))
        .collect();
    if !publics.is_empty() {
        fait("Publics", escape(&publics.join(" ; ")));
    }
    let villes: Vec<String> = s.villes.iter().map(|v| v.nom.clone()).collect();
    if !villes.is_empty() {
        fait("Villes", enumeration(&villes));
    }
    if s.distance.sessions > 0 {
        fait(
            "À distance",
            format!("{} session(s)", n(s.distance.sessions)),
        );
    }
    if let Some(partenaires) = d.partenaires_projet.get(nom) {
        fait("Partenaires", enumeration(partenaires));
    }
    if let Some(r) = s.resultats.iter().find(|r| r.projet == nom) {
        let mut parts = Vec::new();
        if let Some(o) = &r.objectif {
            if let Some(c) = o.participants {
                parts.push(format!(
                    "{} personnes pour un objectif de {} : {}",
                    n(r.personnes),
                    n(c),
                    if r.personnes >= c {
                        "atteint"
                    } else {
                        "non atteint"
                    }
                ));
            }
            if let Some(c) = o.sorties_positives {
                parts.push(match r.taux_positives {
                    Some(t) => format!(
                        "{} de sorties positives ({} sur {} sorties notées) pour un objectif de {} : {}",
                        percent_fr(t),
                        n(r.positives),
                        n(r.sorties),
                        percent_fr(c),
                        if t >= c { "atteint" } else { "non atteint" }
                    ),
                    None => format!(
                        "objectif de {} de sorties positives ; aucune sortie notée",
                        percent_fr(c)
                    ),
                });
            }
        } else if r.sorties > 0 {
            parts.push(format!(
                "{} sorties positives sur {} sorties notées",
                n(r.positives),
                n(r.sorties)
            ));
        }
        if !parts.is_empty() {
            let mut dd = escape(&parts.join(" ; "));
            if let Some(a) = &d.note_sorties {
                let _ = write!(dd, " <span class=\"note\">({})</span>", escape(a));
            }
            fait("Résultats", dd);
        }
    }
    out.push_str("</dl></article>\n");
    out
}
