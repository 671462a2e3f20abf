//! « Définitions des chiffres » : how every figure of the report is counted, in the
//! words `ici stats` and `ici bilan` use.

use super::Donnees;
use crate::cmd::stats::{
    NOTE_EQUIPE, NOTE_HEURES, NOTE_INTERCOS, NOTE_PERSONNES, NOTE_PROFILS, NOTE_SORTIES,
    NOTE_VILLES,
};
use crate::html::{carte, escape};
use std::fmt::Write as _;

const DEFINITIONS: [(&str, &str); 10] = [
    (
        "Sessions",
        "Les ateliers et formations enregistrés dans l'année, hors sessions annulées.",
    ),
    ("Personnes formées", NOTE_PERSONNES),
    (
        "Heures de formation",
        "La somme des durées des sessions : le temps de formation donné, quel que soit le nombre de participants.",
    ),
    ("Heures-stagiaires", NOTE_HEURES),
    ("Villes et départements", NOTE_VILLES),
    ("Intercommunalités", NOTE_INTERCOS),
    (
        "Partenaires",
        "Les partenaires nommés sur une session de l'année, et ceux dont une écriture de l'année nomme le tiers (financeurs). Un fournisseur ou un prêteur qui n'est que tiers des comptes n'en est pas.",
    ),
    ("Publics", NOTE_PROFILS),
    ("Sorties positives", NOTE_SORTIES),
    (
        "Salariés, équivalent temps plein, bénévoles, adhérents",
        NOTE_EQUIPE,
    ),
];

const FINANCES: [(&str, &str); 4] = [
    (
        "Total des produits, total des charges",
        "Les comptes de produits (classe 7) et de charges (classe 6) de l'exercice, du 1er janvier au 31 décembre, tels que les écritures du registre les portent (celles du cabinet comptable comprises).",
    ),
    (
        "Résultat",
        "Total des produits moins total des charges : excédent s'il est positif, déficit sinon.",
    ),
    (
        "Emprunts",
        "Les emprunts reçus et remboursés (comptes 16) sont des dettes : ils n'entrent ni dans les produits ni dans le résultat.",
    ),
    (
        "Contributions volontaires en nature",
        "Le bénévolat et les biens ou services reçus gratuitement (comptes 86 et 87), montrés sous le résultat, jamais dedans.",
    ),
];

pub fn section(d: &Donnees) -> String {
    let mut out = String::from("<dl class=\"definitions\">");
    for (t, def) in DEFINITIONS.iter().chain(FINANCES.iter()) {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(t), escape(def));
    }
    out.push_str("</dl>");
    let _ = write!(
        out,
        "<p class=\"note\">Chiffres calculés par <code>ici stats {a}</code> et <code>ici bilan {a}</code> sur le registre de l'association. {}</p>",
        escape(carte::SOURCE),
        a = d.annee
    );
    if let Some(a) = &d.avertissement {
        let _ = write!(out, "<p class=\"avertissement\">{}</p>", escape(a));
    }
    super::section("definitions", "Définitions des chiffres", &out)
}
