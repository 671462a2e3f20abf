//! « Bilan financier » : total produits and charges, the result, its explanation,
//! the compte de résultat by block against the year before, charges by nature and
//! products by origin, loans (outside the result) and volunteer contributions.

use super::{Donnees, n, texte};
use crate::domain::bilan::{Bilan, Poste, Section};
use crate::domain::money::Money;
use crate::html::charts::{self, Bar};
use crate::html::escape;
use std::fmt::Write as _;

pub fn section(d: &Donnees) -> String {
    let b = &d.bilan;
    let mut out = String::new();
    let resultat = b.resultat();
    let _ = write!(
        out,
        "<div class=\"tuiles\">\
         <div class=\"tuile\"><span class=\"chiffre\">{}</span><span class=\"libelle\">total des produits</span></div>\
         <div class=\"tuile\"><span class=\"chiffre\">{}</span><span class=\"libelle\">total des charges</span></div>\
         <div class=\"tuile\"><span class=\"chiffre\">{}</span><span class=\"libelle\">{}</span></div></div>",
        euros(b.total_produits()),
        euros(b.total_charges()),
        euros(Money(resultat.cents().abs())),
        if resultat.cents() >= 0 {
            "excédent"
        } else {
            "déficit"
        },
    );
    let _ = write!(
        out,
        "<p class=\"resultat-annonce\">Total des produits : {} ; total des charges : {} ; soit {} de {}.</p>",
        b.total_produits(),
        b.total_charges(),
        if resultat.cents() >= 0 {
            "un excédent"
        } else {
            "un déficit"
        },
        Money(resultat.cents().abs()),
    );
    if let Some(t) = texte(d, "resultat") {
        let _ = write!(out, "<h3>Explications</h3>{t}");
    }
    out.push_str(&compte_de_resultat(b, d.precedent.as_ref()));
    let charges: Vec<Bar> = b.charges().iter().map(bar).collect();
    out.push_str(&charts::bars(
        &format!("Charges par nature en {}", d.annee),
        "montant",
        &charges,
        5,
    ));
    // Subsidies by funder type, then the other products by group: the bars add up
    // to the total of the products.
    let mut produits: Vec<Bar> = d
        .subventions_par_type
        .iter()
        .map(|(t, m)| {
            let label = t.map_or("financeur sans type", |t| t.libelle());
            Bar::new(format!("Subventions : {label}"), m.cents(), euros(*m))
        })
        .collect();
    produits.extend(
        b.produits()
            .iter()
            .filter(|p| !p.compte.starts_with("74"))
            .map(bar),
    );
    out.push_str(&charts::bars(
        &format!("Produits par type de financeur en {}", d.annee),
        "montant",
        &produits,
        2,
    ));
    if b.emprunts_recus.cents() != 0 || b.emprunts_rembourses.cents() != 0 {
        let _ = write!(
            out,
            "<h3>Emprunts (hors résultat)</h3><p>Emprunts reçus en {} : {} ; remboursés : {}. Un emprunt est une dette à rembourser, jamais un produit : il n'entre pas dans le résultat.</p>",
            d.annee, b.emprunts_recus, b.emprunts_rembourses
        );
    }
    if !b.contributions.is_empty() {
        out.push_str("<h3>Contributions volontaires en nature (hors résultat)</h3><table><tbody>");
        for p in &b.contributions {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td></tr>",
                escape(&p.libelle),
                p.montant
            );
        }
        out.push_str("</tbody></table>");
    }
    super::section("finances", "Bilan financier", &out)
}

/// The compte de résultat by block, with the year before and the gap.
fn compte_de_resultat(b: &Bilan, precedent: Option<&Bilan>) -> String {
    let mut out = format!(
        "<h3>Compte de résultat {annee}</h3><table class=\"compte\"><thead><tr><th scope=\"col\"></th>\
         <th class=\"n\" scope=\"col\">{annee}</th>",
        annee = b.annee
    );
    if let Some(p) = precedent {
        let _ = write!(
            out,
            "<th class=\"n\" scope=\"col\">{}</th><th class=\"n\" scope=\"col\">écart</th>",
            p.annee
        );
    }
    out.push_str("</tr></thead><tbody>");
    let mut line = |label: String, now: Money, before: Option<Money>, strong: bool| {
        let (o, c) = if strong {
            ("<strong>", "</strong>")
        } else {
            ("", "")
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{o}{}{c}</th><td class=\"n\">{o}{now}{c}</td>",
            escape(&label)
        );
        if let Some(before) = before {
            let _ = write!(
                out,
                "<td class=\"n\">{before}</td><td class=\"n\">{}</td>",
                Money(now.cents() - before.cents())
            );
        }
        out.push_str("</tr>");
    };
    for section in Section::ALL {
        let Some(bloc) = b.bloc(section) else {
            continue;
        };
        let prev = precedent.map(|p| p.bloc(section));
        let (tp, tc) = section.titres();
        if !tp.is_empty() {
            line(
                tp.to_string(),
                bloc.total_produits(),
                prev.map(|p| p.map_or(Money::default(), |x| x.total_produits())),
                false,
            );
        }
        line(
            tc.to_string(),
            bloc.total_charges(),
            prev.map(|p| p.map_or(Money::default(), |x| x.total_charges())),
            false,
        );
        if section == Section::Impots {
            continue;
        }
        line(
            section.resultat_nom().to_string(),
            bloc.resultat(),
            precedent.map(|p| p.resultat_de(section)),
            true,
        );
    }
    line(
        "Total des produits".into(),
        b.total_produits(),
        precedent.map(Bilan::total_produits),
        true,
    );
    line(
        "Total des charges".into(),
        b.total_charges(),
        precedent.map(Bilan::total_charges),
        true,
    );
    line(
        format!("Résultat ({})", b.resultat_nom().to_lowercase()),
        b.resultat(),
        precedent.map(Bilan::resultat),
        true,
    );
    out.push_str("</tbody></table>");
    out
}

/// A line of the compte de résultat as a bar: a subsidy by its funder, any other
/// line by its group's number and name.
fn bar(p: &Poste) -> Bar {
    let label = match &p.tiers {
        Some(t) => format!("Subvention : {t}"),
        None => format!(
            "{} {}",
            p.compte,
            p.libelle.split(" — ").next().unwrap_or("")
        ),
    };
    Bar::new(label, p.montant.cents(), euros(p.montant))
}

/// Whole euros for the charts and the headline figures: `176 512 €` (the exact
/// amounts are in the table).
fn euros(m: Money) -> String {
    let c = m.cents();
    let rounded = (c.abs() + 50) / 100;
    format!("{}{}\u{a0}€", if c < 0 { "-" } else { "" }, n(rounded))
}
