//! « Les chiffres » : the key figures of the year, the territories named, then the
//! charts — sessions and hours by month, publics, participants by commune — and the
//! map.

use super::{Donnees, MOIS, enumeration, heures, n};
use crate::domain::session::PUBLICS;
use crate::html::carte::{self, Lieu};
use crate::html::charts::{self, Bar};
use crate::html::escape;
use std::fmt::Write as _;

pub fn section(d: &Donnees) -> String {
    let s = &d.stats;
    let names = |list: &[crate::domain::stats::Territorial]| -> Vec<String> {
        list.iter().map(|t| t.nom.clone()).collect()
    };
    let mut out = String::from("<div class=\"tuiles\">");
    let tuile = |out: &mut String, chiffre: String, libelle: &str, detail: String| {
        let _ = write!(
            out,
            "<div class=\"tuile\"><span class=\"chiffre\">{chiffre}</span><span class=\"libelle\">{}</span>{}</div>",
            escape(libelle),
            if detail.is_empty() {
                String::new()
            } else {
                format!("<span class=\"detail\">{detail}</span>")
            }
        );
    };
    tuile(
        &mut out,
        n(s.personnes_formees()),
        "personnes formées",
        format!("{} participations", n(s.participations())),
    );
    tuile(
        &mut out,
        n(s.total.minutes / 60),
        "heures de formation",
        format!("{} heures-stagiaires", heures(s.total.minutes_stagiaires)),
    );
    tuile(&mut out, n(s.total.sessions), "sessions", String::new());
    tuile(
        &mut out,
        n(s.villes.len() as i64),
        "villes",
        enumeration(&names(&s.villes)),
    );
    tuile(
        &mut out,
        n(s.departements.len() as i64),
        "départements",
        enumeration(
            &s.departements
                .iter()
                .map(|t| format!("{} ({})", t.nom, t.code))
                .collect::<Vec<_>>(),
        ),
    );
    tuile(
        &mut out,
        n(s.intercommunalites.len() as i64),
        "intercommunalités",
        enumeration(&names(&s.intercommunalites)),
    );
    tuile(
        &mut out,
        n(s.partenaires.len() as i64),
        "partenaires",
        "acteurs avec lesquels nous avons travaillé".into(),
    );
    tuile(
        &mut out,
        n(d.projets
            .iter()
            .filter(|(_, p)| p.total.sessions > 0)
            .count() as i64),
        "actions menées",
        "projets ayant eu au moins une session".into(),
    );
    let a = &s.association;
    if a.salaries > 0 {
        tuile(
            &mut out,
            n(a.salaries),
            "salarié(e)s",
            format!(
                "{},{} équivalent(s) temps plein sur l'année",
                a.etp_dixiemes / 10,
                a.etp_dixiemes % 10
            ),
        );
    }
    if a.benevoles > 0 {
        tuile(
            &mut out,
            n(a.benevoles),
            "bénévoles engagé(e)s",
            format!("{} heures de bénévolat", heures(a.minutes_benevolat)),
        );
    }
    if a.adherents > 0 {
        tuile(&mut out, n(a.adherents), "adhérent(e)s", String::new());
    }
    out.push_str("</div>\n");

    let months: Vec<Bar> = (1..=12u32)
        .map(|m| {
            let c = s
                .par_mois
                .iter()
                .find(|(mo, _)| *mo == m)
                .map(|(_, c)| *c)
                .unwrap_or_default();
            (m, c)
        })
        .map(|(m, c)| Bar::new(abbrev(MOIS[m as usize - 1]), c.sessions, n(c.sessions)))
        .collect();
    out.push_str(&charts::columns(
        &format!("Sessions par mois en {}", d.annee),
        "sessions",
        &months,
        0,
    ));
    let hours: Vec<Bar> = (1..=12u32)
        .map(|m| {
            let minutes = s
                .par_mois
                .iter()
                .find(|(mo, _)| *mo == m)
                .map_or(0, |(_, c)| c.minutes);
            Bar::new(abbrev(MOIS[m as usize - 1]), minutes, heures(minutes))
        })
        .collect();
    out.push_str(&charts::columns(
        &format!("Heures de formation par mois en {}", d.annee),
        "heures",
        &hours,
        2,
    ));

    let total = s.personnes_formees();
    let publics: Vec<Bar> = PUBLICS
        .iter()
        .zip(&s.publics)
        .map(|((_, label, _), p)| Bar::new(*label, p.personnes, n(p.personnes)))
        .collect();
    out.push_str(&charts::bars(
        &format!("Publics des {} personnes formées", n(total)),
        "personnes",
        &publics,
        3,
    ));
    let renseigne: Vec<String> = PUBLICS
        .iter()
        .zip(&s.publics)
        .map(|((_, label, _), p)| {
            format!(
                "{} : {} sur {}",
                label.to_lowercase(),
                n(p.renseigne),
                n(total)
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "<p class=\"note\">Chaque public n'est connu que pour une partie des personnes (renseigné pour {}) : le reste est « non renseigné », pas zéro.</p>",
        renseigne.join(" ; ")
    );

    let communes: Vec<Bar> = s
        .villes
        .iter()
        .map(|v| Bar::new(&v.nom, v.counts.participants, n(v.counts.participants)))
        .collect();
    out.push_str(&charts::bars(
        "Participations par ville",
        "participations",
        &communes,
        0,
    ));
    let lieux: Vec<Lieu> = s
        .villes
        .iter()
        .map(|v| Lieu {
            code: v.code.clone(),
            nom: v.nom.clone(),
            participants: v.counts.participants,
            sessions: v.counts.sessions,
            heures: heures(v.counts.minutes),
        })
        .collect();
    out.push_str("<div class=\"nouvelle-page\"></div>");
    out.push_str(&carte::map(
        &format!("Les villes de nos sessions en {}", d.annee),
        &lieux,
    ));
    if s.distance.sessions > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">Et {} session(s) à distance ({} participations), dans aucune ville.</p>",
            n(s.distance.sessions),
            n(s.distance.participants)
        );
    }
    super::section("chiffres", &format!("Les chiffres en {}", d.annee), &out)
}

/// The month's short name on a chart's axis.
fn abbrev(mois: &str) -> String {
    const COURT: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    MOIS.iter()
        .position(|m| *m == mois)
        .map_or(mois, |i| COURT[i])
        .to_string()
}
