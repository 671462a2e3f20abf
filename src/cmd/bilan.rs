//! `ici bilan ANNEE`: the year's compte de résultat in the association layout —
//! exploitation, financier, exceptionnel, impôts, total and excédent or déficit,
//! then volunteer contributions — by group or by account, for the whole
//! association, one project or each project, compared with the year before; and
//! with `--actif-passif`, the balance sheet at 31 December.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::db::{refs, reports};
use crate::domain::actif_passif::ActifPassif;
use crate::domain::bilan::{Bilan, Bloc, Poste, Section};
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::money::Money;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exemples :
  ici bilan 2017
  ici bilan 2017 --detail --comparer
  ici bilan 2017 --projet NET94
  ici bilan 2017 --par projet
  ici bilan 2017 --actif-passif")]
pub struct Args {
    /// Année de l'exercice (2017)
    pub annee: String,
    /// Compte par compte, avec les libellés du plan comptable
    #[arg(long)]
    pub detail: bool,
    /// Ajoute l'exercice précédent et l'écart
    #[arg(long)]
    pub comparer: bool,
    /// Le résultat d'une seule action
    #[arg(long, conflicts_with_all = ["par", "actif_passif"])]
    pub projet: Option<String>,
    /// Un résultat par projet (et « non affecté »)
    #[arg(long, value_enum, conflicts_with = "actif_passif")]
    pub par: Option<Par>,
    /// Le bilan au 31 décembre : actif (banque, caisse, créances) et passif (fonds
    /// propres, résultat, emprunts, dettes)
    #[arg(long)]
    pub actif_passif: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Par {
    /// Un résultat par projet
    Projet,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let ledger = ctx.open_read()?;
    let conn = ledger.conn();
    if a.actif_passif {
        return print_actif_passif(out, &actif_passif(conn, annee)?, a.format);
    }
    if a.par == Some(Par::Projet) {
        return print_par_projet(
            out,
            annee,
            &reports::resultats_par_projet(conn, annee)?,
            a.format,
        );
    }
    let perimetre = match &a.projet {
        Some(nom) => reports::Perimetre::Projet(refs::projet_id(conn, nom)?),
        None => reports::Perimetre::Tout,
    };
    let bilan = compute_in(conn, annee, perimetre, a.detail)?;
    let precedent = if a.comparer {
        Some(compute_in(conn, annee - 1, perimetre, a.detail)?)
    } else {
        None
    };
    let titre = match &a.projet {
        Some(p) => format!("Compte de résultat {annee} — projet {p}"),
        None => format!("Compte de résultat {annee}"),
    };
    print_with(
        out,
        &bilan,
        precedent.as_ref(),
        &titre,
        a.projet.as_deref(),
        a.format,
    )
}

/// The whole association's compte de résultat by group.
pub fn compute(conn: &Connection, annee: i32) -> Result<Bilan> {
    compute_in(conn, annee, reports::Perimetre::Tout, false)
}

fn compute_in(conn: &Connection, annee: i32, p: reports::Perimetre, detail: bool) -> Result<Bilan> {
    Ok(Bilan::build(
        annee,
        &reports::soldes(conn, annee, p)?,
        detail,
    ))
}

/// The balance sheet at the end of `annee`. Balances start from the latest year up to
/// `annee` that opens with « à nouveaux » (they restate everything before), else from
/// the first entry; results of the years in between, which no entry has carried into
/// the funds yet, are shown as such.
pub fn actif_passif(conn: &Connection, annee: i32) -> Result<ActifPassif> {
    let (start, end) = year_bounds(annee);
    let resultat = reports::resultat_entre(conn, &start, &end)?;
    let from = match reports::derniere_ouverture(conn, annee)? {
        Some(y) => year_bounds(y).0,
        None => "0000-00-00".to_string(),
    };
    let soldes = reports::soldes_bilan(conn, &from, &end)?;
    let anterieurs = reports::resultat_entre(conn, &from, &start)?;
    Ok(ActifPassif::build(annee, &soldes, resultat, anterieurs))
}

/// The layout as JSON: the earlier keys (`produits`, `charges`, totals, `resultat`)
/// plus each block and its result.
pub fn bilan_json(b: &Bilan) -> Value {
    let sections: Vec<Value> = b
        .blocs
        .iter()
        .map(|bl| {
            json!({
                "section": bl.section.key(),
                "libelle": bl.section.titre(),
                "produits": bl.produits,
                "charges": bl.charges,
                "total_produits": bl.total_produits().plain(),
                "total_charges": bl.total_charges().plain(),
                "resultat": bl.resultat().plain(),
            })
        })
        .collect();
    let mut v = json!({
        "annee": b.annee,
        "plan_comptable": b.plan.name(),
        "total_produits": b.total_produits().plain(),
        "total_charges": b.total_charges().plain(),
        "resultat": b.resultat().plain(),
        "resultat_nom": b.resultat_nom(),
        "produits": b.produits(),
        "charges": b.charges(),
        "resultat_exploitation": b.resultat_de(Section::Exploitation).plain(),
        "resultat_financier": b.resultat_de(Section::Financier).plain(),
        "resultat_courant": b.resultat_courant().plain(),
        "resultat_exceptionnel": b.resultat_de(Section::Exceptionnel).plain(),
        "impots_sur_les_benefices": Money(-b.resultat_de(Section::Impots).cents()).plain(),
        "sections": sections,
        "contributions_volontaires": b.contributions,
        "emprunts_recus": b.emprunts_recus.plain(),
        "emprunts_rembourses": b.emprunts_rembourses.plain(),
    });
    if b.bloc(Section::FondsDedies).is_some() {
        v["solde_ressources_affectees"] = b.resultat_de(Section::FondsDedies).plain().into();
    }
    v
}

pub fn print(out: &mut dyn Write, b: &Bilan, format: Format) -> Result<()> {
    print_with(
        out,
        b,
        None,
        &format!("Compte de résultat {}", b.annee),
        None,
        format,
    )
}

fn print_with(
    out: &mut dyn Write,
    b: &Bilan,
    precedent: Option<&Bilan>,
    titre: &str,
    projet: Option<&str>,
    format: Format,
) -> Result<()> {
    match format {
        Format::Json => {
            let mut v = bilan_json(b);
            if let Some(p) = projet {
                v["projet"] = p.into();
            }
            if let Some(prev) = precedent {
                v["precedent"] = bilan_json(prev);
            }
            render::json(out, &v)
        }
        Format::Csv => {
            let mut headers = vec!["rubrique", "compte", "libellé", "montant"];
            if precedent.is_some() {
                headers.extend(["montant_precedent", "ecart"]);
            }
            render::rows(out, Format::Csv, &headers, &layout_rows(b, precedent, true))
        }
        Format::Table => {
            writeln!(out, "{titre} — {}", b.plan.name())?;
            if b.blocs.is_empty() && b.contributions.is_empty() {
                writeln!(
                    out,
                    "Aucune écriture de produit ou de charge en {} dans le registre.",
                    b.annee
                )?;
            }
            let mut headers = vec!["compte".to_string(), "libellé".into(), b.annee.to_string()];
            if let Some(p) = precedent {
                headers.extend([p.annee.to_string(), "écart".into()]);
            }
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let rows: Vec<Vec<Cell>> = layout_rows(b, precedent, false)
                .into_iter()
                .map(|mut r| {
                    r.remove(0);
                    r
                })
                .collect();
            writeln!(out, "{}", render::table(&headers, &rows))?;
            writeln!(
                out,
                "{} : {}",
                b.resultat_nom(),
                Money(b.resultat().cents().abs())
            )?;
            if b.emprunts_recus.cents() != 0 || b.emprunts_rembourses.cents() != 0 {
                writeln!(
                    out,
                    "Hors résultat : emprunts reçus {}, remboursés {} (une dette n'est ni un produit ni une charge).",
                    b.emprunts_recus, b.emprunts_rembourses
                )?;
            }
            Ok(())
        }
    }
}

/// The rows of the layout: a first column naming the part (for CSV), then account,
/// label, amount, and with a previous year its amount and the change.
fn layout_rows(b: &Bilan, precedent: Option<&Bilan>, csv: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let empty = Bloc {
        section: Section::Exploitation,
        produits: Vec::new(),
        charges: Vec::new(),
    };
    let money_cells = |n: Money, p: Option<Money>| -> Vec<Cell> {
        let mut v = vec![Cell::Money(n)];
        if precedent.is_some() {
            let p = p.unwrap_or_default();
            v.push(Cell::Money(p));
            v.push(Cell::Money(Money(n.cents() - p.cents())));
        }
        v
    };
    let line = |rows: &mut Vec<Vec<Cell>>,
                part: &str,
                compte: &str,
                libelle: &str,
                n: Money,
                p: Option<Money>| {
        let mut r = vec![Cell::text(part), Cell::text(compte), Cell::text(libelle)];
        r.extend(money_cells(n, p));
        rows.push(r);
    };
    let heading = |rows: &mut Vec<Vec<Cell>>, libelle: String| {
        if !csv {
            rows.push(vec![Cell::Empty, Cell::Empty, Cell::text(libelle)]);
        }
    };
    let postes = |rows: &mut Vec<Vec<Cell>>, part: &str, now: &[Poste], before: &[Poste]| {
        let mut keys: Vec<(&str, &str, Option<&String>)> = now
            .iter()
            .map(|p| (p.compte.as_str(), p.libelle.as_str(), p.tiers.as_ref()))
            .collect();
        for p in before {
            if !keys
                .iter()
                .any(|k| k.0 == p.compte && k.2 == p.tiers.as_ref())
            {
                keys.push((&p.compte, &p.libelle, p.tiers.as_ref()));
            }
        }
        keys.sort_by(|a, b| (a.0, a.2.is_none(), a.2).cmp(&(b.0, b.2.is_none(), b.2)));
        for (compte, libelle, tiers) in keys {
            let find = |list: &[Poste]| {
                list.iter()
                    .find(|p| p.compte == compte && p.tiers.as_ref() == tiers)
                    .map(|p| p.montant)
            };
            line(
                rows,
                part,
                compte,
                libelle,
                find(now).unwrap_or_default(),
                find(before),
            );
        }
    };
    let mut sections: Vec<Section> = b.blocs.iter().map(|x| x.section).collect();
    if let Some(p) = precedent {
        sections.extend(p.blocs.iter().map(|x| x.section));
    }
    sections.sort();
    sections.dedup();
    let prev_bloc = |s: Section| precedent.and_then(|p| p.bloc(s));
    let prev_money = |f: &dyn Fn(&Bilan) -> Money| precedent.map(f);
    for s in sections {
        let now = b.bloc(s).unwrap_or(&empty);
        let before = prev_bloc(s).unwrap_or(&empty);
        let part = s.key();
        let (titre_produits, titre_charges) = s.titres();
        if !now.produits.is_empty() || !before.produits.is_empty() {
            heading(&mut rows, titre_produits.to_string());
            postes(
                &mut rows,
                &format!("produits_{part}"),
                &now.produits,
                &before.produits,
            );
        }
        if !now.charges.is_empty() || !before.charges.is_empty() {
            heading(&mut rows, titre_charges.to_string());
            postes(
                &mut rows,
                &format!("charges_{part}"),
                &now.charges,
                &before.charges,
            );
        }
        line(
            &mut rows,
            "resultat",
            "",
            s.resultat_nom(),
            now.resultat(),
            prev_bloc(s)
                .map(Bloc::resultat)
                .or(precedent.map(|_| Money::default())),
        );
        if s == Section::Financier {
            line(
                &mut rows,
                "resultat",
                "",
                "Résultat courant avant impôts",
                b.resultat_courant(),
                prev_money(&|p| p.resultat_courant()),
            );
        }
    }
    line(
        &mut rows,
        "total",
        "",
        "Total des produits",
        b.total_produits(),
        prev_money(&|p| p.total_produits()),
    );
    line(
        &mut rows,
        "total",
        "",
        "Total des charges",
        b.total_charges(),
        prev_money(&|p| p.total_charges()),
    );
    line(
        &mut rows,
        "total",
        "",
        &format!("Résultat : {}", b.resultat_nom().to_lowercase()),
        b.resultat(),
        prev_money(&|p| p.resultat()),
    );
    if !b.contributions.is_empty() || precedent.is_some_and(|p| !p.contributions.is_empty()) {
        heading(
            &mut rows,
            "Contributions volontaires en nature (hors résultat)".into(),
        );
        let before = precedent.map_or(&[][..], |p| &p.contributions[..]);
        postes(
            &mut rows,
            "contributions_volontaires",
            &b.contributions,
            before,
        );
    }
    rows
}

fn print_par_projet(
    out: &mut dyn Write,
    annee: i32,
    resultats: &[(Option<String>, i64, i64)],
    format: Format,
) -> Result<()> {
    let name = |p: &Option<String>| p.clone().unwrap_or_else(|| "non affecté".into());
    if format == Format::Json {
        let projets: Vec<Value> = resultats
            .iter()
            .map(|(p, pr, ch)| {
                json!({
                    "projet": p,
                    "libelle": name(p),
                    "total_produits": Money(*pr).plain(),
                    "total_charges": Money(*ch).plain(),
                    "resultat": Money(pr - ch).plain(),
                })
            })
            .collect();
        return render::json(out, &json!({ "annee": annee, "projets": projets }));
    }
    let mut rows: Vec<Vec<Cell>> = resultats
        .iter()
        .map(|(p, pr, ch)| {
            vec![
                Cell::text(name(p)),
                Cell::Money(Money(*pr)),
                Cell::Money(Money(*ch)),
                Cell::Money(Money(pr - ch)),
            ]
        })
        .collect();
    let (tp, tc): (i64, i64) = resultats
        .iter()
        .fold((0, 0), |(a, b), r| (a + r.1, b + r.2));
    rows.push(vec![
        Cell::text("Total"),
        Cell::Money(Money(tp)),
        Cell::Money(Money(tc)),
        Cell::Money(Money(tp - tc)),
    ]);
    if format == Format::Table {
        writeln!(out, "Résultat par projet {annee}")?;
    }
    render::rows(
        out,
        format,
        &["projet", "produits", "charges", "résultat"],
        &rows,
    )
}

fn print_actif_passif(out: &mut dyn Write, ap: &ActifPassif, format: Format) -> Result<()> {
    if ap.total_actif() != ap.total_passif() {
        bail_user!(
            "le bilan au 31/12/{} ne s'équilibre pas (actif {}, passif {}) : une écriture du registre est incomplète",
            ap.annee,
            ap.total_actif(),
            ap.total_passif()
        );
    }
    match format {
        Format::Json => render::json(
            out,
            &json!({
                "annee": ap.annee,
                "date": format!("{}-12-31", ap.annee),
                "actif": ap.actif,
                "passif": ap.passif,
                "total_actif": ap.total_actif().plain(),
                "total_passif": ap.total_passif().plain(),
            }),
        ),
        format => {
            let side =
                |name: &str, lines: &[crate::domain::actif_passif::Ligne]| -> Vec<Vec<Cell>> {
                    lines
                        .iter()
                        .map(|l| {
                            vec![
                                Cell::text(name),
                                Cell::text(&l.compte),
                                Cell::text(&l.libelle),
                                Cell::Money(l.montant),
                            ]
                        })
                        .collect()
                };
            let mut rows = side("actif", &ap.actif);
            rows.push(vec![
                Cell::text("actif"),
                Cell::Empty,
                Cell::text("Total de l'actif"),
                Cell::Money(ap.total_actif()),
            ]);
            rows.extend(side("passif", &ap.passif));
            rows.push(vec![
                Cell::text("passif"),
                Cell::Empty,
                Cell::text("Total du passif"),
                Cell::Money(ap.total_passif()),
            ]);
            if format == Format::Table {
                writeln!(out, "Bilan au 31 décembre {}", ap.annee)?;
            }
            render::rows(
                out,
                format,
                &["côté", "compte", "libellé", "montant"],
                &rows,
            )?;
            // Cash or a bank account with a credit balance is an overdraft at best, and
            // usually a payment recorded without the money that came in.
            for l in ap.passif.iter().filter(|l| l.compte.starts_with('5')) {
                eprintln!(
                    "Attention : le compte {} ({}) est créditeur de {} au 31/12/{} ; pour une caisse, des dépenses ont sans doute été saisies sans l'entrée d'argent correspondante.",
                    l.compte, l.libelle, l.montant, ap.annee
                );
            }
            Ok(())
        }
    }
}
