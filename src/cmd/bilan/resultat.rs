//! Writing the compte de résultat in the rubriques of the chart's model (see
//! `domain::bilan::modele`): the rows of the table and of the CSV, with the previous
//! year restated in this year's model when compared, and the JSON of the layout.

use crate::domain::bilan::modele::{self, Contribution, Cote, Modele, Partie};
use crate::domain::bilan::{Bilan, Poste, TIERS_NON_PRECISE};
use crate::domain::money::Money;
use crate::render::Cell;
use serde_json::{Value, json};

/// Writes one row: part, account, label, amount, previous amount.
type LineFn<'a> = dyn Fn(&mut Vec<Vec<Cell>>, &str, &str, &str, Money, Option<Money>) + 'a;

/// The layout of `b` (and of the year before, restated) as rows: part key (for CSV),
/// account, label, amount, and with a previous year its amount and the change.
pub fn rows(b: &Bilan, precedent: Option<&Bilan>, detail: bool, csv: bool) -> Vec<Vec<Cell>> {
    let now = &b.modele;
    let before: Option<Modele> = precedent.map(|p| p.restated(b.plan));
    let before = before.as_ref();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let line = |rows: &mut Vec<Vec<Cell>>,
                part: &str,
                compte: &str,
                libelle: &str,
                n: Money,
                p: Option<Money>| {
        let mut r = vec![Cell::text(part), Cell::text(compte), Cell::text(libelle)];
        r.push(Cell::Money(n));
        if before.is_some() {
            let p = p.unwrap_or_default();
            r.push(Cell::Money(p));
            r.push(Cell::Money(Money(n.cents() - p.cents())));
        }
        rows.push(r);
    };
    let heading = |rows: &mut Vec<Vec<Cell>>, libelle: &str| {
        if !csv {
            rows.push(vec![Cell::Empty, Cell::Empty, Cell::text(libelle)]);
        }
    };
    let prev = |f: &dyn Fn(&Modele) -> Money| before.map(f);

    for &partie in now.parties() {
        let has = |m: &Modele| {
            m.rubriques
                .iter()
                .any(|r| r.partie == partie && r.montant.cents() != 0)
        };
        let shown = has(now) || before.is_some_and(has);
        if !shown && partie != Partie::Exploitation {
            if partie == Partie::Financier {
                courant(&mut rows, now, before, &line);
            }
            continue;
        }
        let (numero_p, numero_c) = partie.numeros(now.plan);
        for cote in [Cote::Produit, Cote::Charge] {
            let (titre_p, titre_c) = partie.titres();
            let (titre, numero) = match cote {
                Cote::Produit => (titre_p, numero_p),
                Cote::Charge => (titre_c, numero_c),
            };
            let lines: Vec<_> = now
                .rubriques
                .iter()
                .filter(|r| r.partie == partie && r.cote == cote)
                .filter(|r| {
                    r.montant.cents() != 0
                        || before
                            .and_then(|m| m.rubrique(r.cle))
                            .is_some_and(|x| x.montant.cents() != 0)
                })
                .collect();
            if lines.is_empty() && (partie != Partie::Exploitation || titre.is_empty()) {
                continue;
            }
            let part = format!(
                "{}_{}",
                if cote == Cote::Produit {
                    "produits"
                } else {
                    "charges"
                },
                partie.cle()
            );
            if !titre.is_empty() && partie != Partie::Impots {
                heading(&mut rows, titre);
            }
            for r in &lines {
                let p = before.and_then(|m| m.rubrique(r.cle)).map(|x| x.montant);
                line(
                    &mut rows,
                    &part,
                    "",
                    r.libelle,
                    r.montant,
                    p.or(before.map(|_| Money::default())),
                );
                sous_lignes(&mut rows, (b, precedent), detail, r.cle, cote, &part, &line);
            }
            if partie == Partie::Impots || partie == Partie::FondsDedies {
                continue;
            }
            let total = format!("Total des {} ({numero})", titre.to_lowercase());
            line(
                &mut rows,
                "total",
                "",
                &total,
                now.total(partie, cote),
                prev(&|m| m.total(partie, cote)),
            );
        }
        if let Some(nom) = partie.resultat_nom() {
            let (a, c) = partie.numeros(now.plan);
            line(
                &mut rows,
                "resultat",
                "",
                &format!("{nom} ({a} − {c})"),
                now.resultat_de(partie),
                prev(&|m| m.resultat_de(partie)),
            );
        }
        if partie == Partie::Financier {
            courant(&mut rows, now, before, &line);
        }
    }
    line(
        &mut rows,
        "total",
        "",
        "Total des produits",
        b.total_produits(),
        precedent.map(Bilan::total_produits),
    );
    line(
        &mut rows,
        "total",
        "",
        "Total des charges",
        b.total_charges(),
        precedent.map(Bilan::total_charges),
    );
    line(
        &mut rows,
        "total",
        "",
        &format!("Résultat : {}", b.resultat_nom().to_lowercase()),
        b.resultat(),
        precedent.map(Bilan::resultat),
    );
    let any = |m: &Modele| !m.emplois.is_empty() || !m.contributions.is_empty();
    if any(now) || before.is_some_and(any) {
        heading(
            &mut rows,
            "Contributions volontaires en nature (hors résultat)",
        );
        for (titre, part, list, prev_list, total, prev_total) in [
            (
                "Emplois des contributions volontaires en nature (86)",
                "emplois_contributions_volontaires",
                &now.emplois,
                before.map(|m| &m.emplois),
                now.total_emplois(),
                prev(&Modele::total_emplois),
            ),
            (
                "Contributions volontaires en nature (87)",
                "contributions_volontaires",
                &now.contributions,
                before.map(|m| &m.contributions),
                now.total_contributions(),
                prev(&Modele::total_contributions),
            ),
        ] {
            heading(&mut rows, titre);
            let mut keys: Vec<&Contribution> = list.iter().collect();
            for c in prev_list.into_iter().flatten() {
                if !keys.iter().any(|k| k.cle == c.cle) {
                    keys.push(c);
                }
            }
            for c in keys {
                let find =
                    |l: &[Contribution]| l.iter().find(|x| x.cle == c.cle).map(|x| x.montant);
                line(
                    &mut rows,
                    part,
                    "",
                    c.libelle,
                    find(list).unwrap_or_default(),
                    prev_list.map(|l| find(l).unwrap_or_default()),
                );
            }
            line(
                &mut rows,
                "total",
                "",
                &format!("Total {}", &titre[..titre.len() - 5].to_lowercase()),
                total,
                prev_total,
            );
        }
        let ecart = |m: &Modele| Money(m.total_emplois().cents() - m.total_contributions().cents());
        let libelle = if ecart(now).cents() == 0 {
            "Emplois (86) = contributions (87) : écart nul"
        } else {
            "Écart entre emplois (86) et contributions (87) : à corriger, ils doivent être égaux"
        };
        line(&mut rows, "controle", "", libelle, ecart(now), prev(&ecart));
    }
    if csv {
        // The indentation of the table means nothing in a spreadsheet.
        for r in &mut rows {
            if let Some(Cell::Text(t)) = r.get_mut(2) {
                *t = t.trim_start().to_string();
            }
        }
    }
    rows
}

/// « 3. Résultat courant avant impôts », shown whether or not there is a financial
/// line.
fn courant(rows: &mut Vec<Vec<Cell>>, now: &Modele, before: Option<&Modele>, line: &LineFn<'_>) {
    let numeros = match now.plan {
        crate::domain::chart::Plan::Crc1999 => "I − II + V − VI",
        _ => "I − II + III − IV",
    };
    line(
        rows,
        "resultat",
        "",
        &format!("3. Résultat courant avant impôts ({numeros})"),
        now.resultat_courant(),
        before.map(Modele::resultat_courant),
    );
}

/// Under a rubrique, its accounts (`--detail`) or, for subsidies, each funder.
fn sous_lignes(
    rows: &mut Vec<Vec<Cell>>,
    (b, precedent): (&Bilan, Option<&Bilan>),
    detail: bool,
    cle: &str,
    cote: Cote,
    part: &str,
    line: &LineFn<'_>,
) {
    let plan = b.plan;
    let postes = |x: &Bilan| -> Vec<Poste> {
        let list = if cote == Cote::Produit {
            x.produits()
        } else {
            x.charges()
        };
        list.into_iter()
            .filter(|p| modele::cle_of(plan, &p.compte) == Some(cle))
            .collect()
    };
    let now = postes(b);
    let before = precedent.map(postes);
    // Without --detail, lines are groups: only the subsidies' split by funder says
    // more than the rubrique, when a funder is named.
    let named = now
        .iter()
        .chain(before.iter().flatten())
        .any(|p| p.tiers.is_some());
    if !(detail || cle == "subventions" && named) {
        return;
    }
    let mut keys: Vec<&Poste> = now.iter().collect();
    for p in before.iter().flatten() {
        if !keys
            .iter()
            .any(|k| k.compte == p.compte && k.tiers == p.tiers)
        {
            keys.push(p);
        }
    }
    keys.sort_by(|a, b| {
        (&a.compte, a.tiers.is_none(), &a.tiers).cmp(&(&b.compte, b.tiers.is_none(), &b.tiers))
    });
    for k in keys {
        let find = |l: &[Poste]| {
            l.iter()
                .find(|p| p.compte == k.compte && p.tiers == k.tiers)
                .map(|p| p.montant)
        };
        line(
            rows,
            part,
            &k.compte,
            &match (&k.tiers, detail) {
                (Some(t), false) => format!("  dont {t}"),
                (None, false) => format!("  dont {TIERS_NON_PRECISE}"),
                _ => format!("  dont {}", k.libelle),
            },
            find(&now).unwrap_or_default(),
            before.as_deref().map(|l| find(l).unwrap_or_default()),
        );
    }
}

/// The layout as JSON, added to the earlier keys of `bilan --format json`.
pub fn json(m: &Modele) -> Value {
    let rubriques: Vec<Value> = m
        .rubriques
        .iter()
        .filter(|r| r.montant.cents() != 0)
        .map(|r| {
            json!({
                "cle": r.cle,
                "libelle": r.libelle,
                "partie": r.partie.cle(),
                "cote": if r.cote == Cote::Produit { "produit" } else { "charge" },
                "montant": r.montant.plain(),
            })
        })
        .collect();
    let totaux: Vec<Value> = m
        .parties()
        .iter()
        .map(|&p| {
            json!({
                "partie": p.cle(),
                "total_produits": m.total(p, Cote::Produit).plain(),
                "total_charges": m.total(p, Cote::Charge).plain(),
                "resultat": m.resultat_de(p).plain(),
            })
        })
        .collect();
    json!({
        "modele": m.plan.name(),
        "rubriques": rubriques,
        "parties": totaux,
        "resultat_courant_avant_impots": m.resultat_courant().plain(),
    })
}

/// The contributions volontaires by nature, and whether 86 = 87.
pub fn contributions_json(m: &Modele) -> Value {
    json!({
        "emplois": m.emplois,
        "contributions": m.contributions,
        "total_emplois": m.total_emplois().plain(),
        "total_contributions": m.total_contributions().plain(),
        "equilibre": m.total_emplois() == m.total_contributions(),
    })
}
