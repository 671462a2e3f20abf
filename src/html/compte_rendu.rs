//! The compte rendu financier (Cerfa n° 15059*02) as an A4 document to print and
//! sign: the action and its agreements, the table of charges and products, the
//! annex, the qualitative account, and the certification block.

use crate::cmd::compte_rendu::{Rapport, date_fr, qualitatif, regle_en_mots};
use crate::domain::compte_rendu::{Ligne, pct_dixiemes, pct_fr};
use crate::domain::financeur::TypeFinanceur;
use crate::domain::money::Money;
use crate::html::{escape, page};
use std::fmt::Write as _;

const CSS: &str = r#"
.cerfa { font-size: 9pt; color: #444; margin: 0 0 3mm; }
table.cr td:first-child { width: 9mm; text-align: center; }
table.cr td, table.cr th { font-size: 9pt; }
tr.total td { font-weight: bold; background: var(--fond); }
tr.cv td { font-style: italic; }
td.alerte { color: #b35900; font-weight: bold; }
.signature { display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 6mm; }
td.periode { white-space: nowrap; }
table.ecarts td:first-child { width: 45mm; }
.signature div { border: 0.5pt solid var(--trait); height: 32mm; padding: 2mm; font-size: 9pt; }
dl.chiffres { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 4mm; margin: 0 0 3mm; }
dl.chiffres dt { font-weight: bold; }
dl.chiffres dd { margin: 0; }
"#;

fn money(cents: i64) -> String {
    escape(&Money(cents).to_string())
}

fn row(out: &mut String, l: &Ligne, class: &str) {
    let pct = l.ecart_dixiemes().map(pct_fr).unwrap_or_default();
    let alerte = if l.au_dela_du_seuil { " alerte" } else { "" };
    let _ = writeln!(
        out,
        "<tr class=\"{class}\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{alerte}\">{}</td></tr>",
        escape(&l.rubrique),
        escape(&l.libelle),
        money(l.prevision),
        money(l.realisation),
        money(l.ecart()),
        escape(&pct)
    );
}

fn total(out: &mut String, label: &str, (p, r): (i64, i64)) {
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td></td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        escape(label),
        money(p),
        money(r),
        money(r - p),
        escape(&pct_dixiemes(r - p, p).map(pct_fr).unwrap_or_default())
    );
}

/// The whole document.
pub fn render(r: &Rapport) -> String {
    let mut b = String::new();
    let titre = format!("Compte rendu financier {} — {}", r.annee, r.projet);
    let _ = writeln!(
        b,
        "<p class=\"cerfa\">Compte rendu financier de subvention — Cerfa n° 15059*02 (arrêté du 11 octobre 2006)</p>\n<h1>{}</h1>",
        escape(&titre)
    );
    if let Some(i) = &r.intitule {
        let _ = writeln!(b, "<p><strong>Action :</strong> {}</p>", escape(i));
    }
    let _ = writeln!(
        b,
        "<p><strong>Exercice :</strong> du 1<sup>er</sup> janvier au 31 décembre {} ({}).</p>",
        r.annee,
        escape(r.plan.name())
    );
    b.push_str("<h2>Conventions</h2>\n");
    if r.conventions.is_empty() {
        b.push_str("<p>Aucune convention enregistrée pour cette action et cette année : seuil d'écart significatif de 15 % par défaut.</p>\n");
    } else {
        b.push_str("<table><thead><tr><th>Financeur</th><th>Type</th><th>Référence</th><th>Période</th><th class=\"n\">Montant accordé</th><th class=\"n\">Seuil</th></tr></thead><tbody>\n");
        for c in &r.conventions {
            let _ = writeln!(
                b,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"periode\">du {}<br>au {}</td><td class=\"n\">{}</td><td class=\"n\">{} %</td></tr>",
                escape(&c.financeur),
                escape(
                    c.type_financeur
                        .map_or("non renseigné", TypeFinanceur::libelle)
                ),
                escape(c.reference.as_deref().unwrap_or("")),
                escape(&date_fr(&c.debut)),
                escape(&date_fr(&c.fin)),
                money(c.montant),
                c.seuil
            );
        }
        b.push_str("</tbody></table>\n");
    }

    b.push_str("<h2>Tableau de synthèse</h2>\n");
    let _ = writeln!(
        b,
        "<p class=\"note\">Prévision : {}. Réalisation : les comptes de l'exercice, charges directes de l'action et charges communes affectées ou réparties (voir l'annexe). Écart : réalisation moins prévision ; en gras, les écarts au-delà du seuil de {} %.</p>",
        escape(&match &r.budget {
            Some((v, f)) => format!("budget présenté, version {v} ({f})"),
            None => "aucun budget enregistré".into(),
        }),
        r.table.seuil
    );
    b.push_str("<table class=\"cr\"><thead><tr><th></th><th>Charges</th><th class=\"n\">Prévision</th><th class=\"n\">Réalisation</th><th class=\"n\">Écart</th><th class=\"n\">%</th></tr></thead><tbody>\n");
    for l in r.table.charges.iter().filter(|l| l.rubrique != "86") {
        row(&mut b, l, "");
    }
    total(&mut b, "Total des charges", r.table.total_charges());
    for l in r.table.charges.iter().filter(|l| l.rubrique == "86") {
        row(&mut b, l, "cv");
    }
    b.push_str("</tbody></table>\n");
    b.push_str("<table class=\"cr\"><thead><tr><th></th><th>Produits</th><th class=\"n\">Prévision</th><th class=\"n\">Réalisation</th><th class=\"n\">Écart</th><th class=\"n\">%</th></tr></thead><tbody>\n");
    for l in r.table.produits.iter().filter(|l| l.rubrique != "87") {
        row(&mut b, l, "");
    }
    total(&mut b, "Total des produits", r.table.total_produits());
    for l in r.table.produits.iter().filter(|l| l.rubrique == "87") {
        row(&mut b, l, "cv");
    }
    b.push_str("</tbody></table>\n");
    let (_, rc) = r.table.total_charges();
    let (_, rp) = r.table.total_produits();
    let _ = writeln!(
        b,
        "<p><strong>{} de l'action :</strong> {}. <strong>Part des subventions dans le total des produits :</strong> {}.</p>",
        if rp >= rc { "Excédent" } else { "Déficit" },
        money((rp - rc).abs()),
        escape(
            &r.table
                .part_subvention()
                .map(pct_fr)
                .unwrap_or_else(|| "sans objet".into())
        )
    );

    b.push_str("<h2>Annexe</h2>\n<h3>Règle de répartition des charges indirectes</h3>\n");
    let _ = writeln!(b, "<p>{}</p>", escape(&regle_en_mots(r)));
    b.push_str("<h3>Explication des écarts significatifs</h3>\n");
    let lines: Vec<&Ligne> = r.table.charges.iter().chain(&r.table.produits).collect();
    let significant: Vec<&&Ligne> = lines
        .iter()
        .filter(|l| l.au_dela_du_seuil || l.explication.is_some())
        .collect();
    if significant.is_empty() {
        let _ = writeln!(b, "<p>Aucun écart ne dépasse {} %.</p>", r.table.seuil);
    } else {
        b.push_str("<table class=\"ecarts\"><thead><tr><th>Ligne</th><th class=\"n\">Écart</th><th>Explication</th></tr></thead><tbody>\n");
        for l in significant {
            let _ = writeln!(
                b,
                "<tr><td>{} {}</td><td class=\"n\">{}<br>{}</td><td>{}</td></tr>",
                escape(&l.rubrique),
                escape(&l.libelle),
                money(l.ecart()),
                escape(
                    &l.ecart_dixiemes()
                        .map(pct_fr)
                        .unwrap_or_else(|| "non prévu".into())
                ),
                escape(l.explication.as_deref().unwrap_or("À EXPLIQUER"))
            );
        }
        b.push_str("</tbody></table>\n");
    }
    b.push_str("<h3>Contributions volontaires en nature</h3>\n");
    let cv: Vec<&&Ligne> = lines
        .iter()
        .filter(|l| {
            (l.rubrique == "86" || l.rubrique == "87") && (l.prevision != 0 || l.realisation != 0)
        })
        .collect();
    if cv.is_empty() {
        b.push_str("<p>Aucune contribution volontaire en nature n'est comptabilisée pour cette action.</p>\n");
    } else {
        b.push_str("<ul>\n");
        for l in cv {
            let _ = writeln!(
                b,
                "<li>{} {} : {} prévus, {} réalisés.</li>",
                escape(&l.rubrique),
                escape(&l.libelle),
                money(l.prevision),
                money(l.realisation)
            );
        }
        b.push_str("</ul>\n");
    }

    b.push_str("<h2>Compte rendu qualitatif</h2>\n<dl class=\"chiffres\">\n");
    for (k, v) in qualitatif(r) {
        let _ = writeln!(b, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
    }
    b.push_str("</dl>\n");

    b.push_str("<div class=\"garder\">\n<h2>Attestation</h2>\n<p>Je soussigné(e), représentant(e) légal(e) de l'association, certifie exactes les informations du présent compte rendu.</p>\n<div class=\"signature\"><div>Fait à ………………………, le ……………………<br>Nom, prénom et qualité :</div><div>Signature :</div></div>\n</div>\n");
    page(&titre, CSS, &b)
}
