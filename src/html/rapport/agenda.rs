//! « Agenda — les temps forts » : the year's highlights, month by month, as
//! `ici evenement add` recorded them.

use super::{Donnees, MOIS};
use crate::html::escape;
use chrono::Datelike;
use std::fmt::Write as _;

pub fn section(d: &Donnees) -> String {
    if d.evenements.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"agenda\">");
    let mut month = 0;
    for e in &d.evenements {
        let m = e.date.month();
        if m != month {
            if month != 0 {
                out.push_str("</ul></div>");
            }
            month = m;
            let _ = write!(
                out,
                "<div class=\"mois\"><h3>{}</h3><ul>",
                capitalise(MOIS[m as usize - 1])
            );
        }
        let _ = write!(out, "<li><strong>{}</strong>", escape(&e.titre));
        if let Some(t) = &e.texte {
            let _ = write!(out, ". {}", escape(t));
        }
        if let Some(p) = &e.projet {
            let _ = write!(out, " <span class=\"note\">({})</span>", escape(p));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></div></div>");
    super::section(
        "agenda",
        &format!("Agenda : les temps forts de {}", d.annee),
        &out,
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
