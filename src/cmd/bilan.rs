//! `ici bilan ANNEE`: the year's compte de résultat in the association layout —
//! exploitation, financier, exceptionnel, impôts, total and excédent or déficit,
//! then volunteer contributions — by group or by account, for the whole
//! association, one project or each project, compared with the year before; and
//! with `--actif-passif`, the balance sheet at 31 December.

use crate::cmd::Ctx;
use crate::db::{refs, reports, totaux};
use crate::domain::actif_passif::ActifPassif;
use crate::domain::bilan::{Bilan, Section};
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::money::Money;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::io::Write;

mod actif_passif_rendu;
pub mod analytique;
mod resultat;

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
        return actif_passif_rendu::print(out, &actif_passif(conn, annee)?, a.format);
    }
    if a.par == Some(Par::Projet) {
        return print_par_projet(out, annee, &analytique::ventilation(conn, annee)?, a.format);
    }
    if let Some(nom) = &a.projet {
        return print_projet(out, conn, annee, nom, &a);
    }
    let perimetre = reports::Perimetre::Tout;
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
        a.detail,
        a.format,
    )
}

/// One project's compte de résultat: its entries, the shares allocated to it and its
/// part of the year's key (loans stay those its entries name).
fn compute_projet(
    conn: &Connection,
    annee: i32,
    projet_id: i64,
    nom: &str,
    detail: bool,
) -> Result<(Bilan, analytique::Ventilation)> {
    let v = analytique::ventilation(conn, annee)?;
    let mut soldes: Vec<_> = reports::soldes(conn, annee, reports::Perimetre::Projet(projet_id))?
        .into_iter()
        .filter(|s| s.compte.starts_with("16"))
        .collect();
    soldes.extend(v.soldes(nom));
    Ok((Bilan::build(annee, &soldes, detail), v))
}

fn print_projet(
    out: &mut dyn Write,
    conn: &Connection,
    annee: i32,
    nom: &str,
    a: &Args,
) -> Result<()> {
    let projet_id = refs::projet_id(conn, nom)?;
    let nom: String = conn.query_row("SELECT nom FROM projet WHERE id = ?1", [projet_id], |r| {
        r.get(0)
    })?;
    let (bilan, v) = compute_projet(conn, annee, projet_id, &nom, a.detail)?;
    let precedent = if a.comparer {
        Some(compute_projet(conn, annee - 1, projet_id, &nom, a.detail)?.0)
    } else {
        None
    };
    let totaux = v
        .par_projet()
        .into_iter()
        .find(|(p, _)| p.as_deref() == Some(nom.as_str()))
        .map(|(_, t)| t)
        .unwrap_or_default();
    let titre = format!("Compte de résultat {annee} — projet {nom}");
    if a.format == Format::Json {
        let mut buf = Vec::new();
        print_with(
            &mut buf,
            &bilan,
            precedent.as_ref(),
            &titre,
            Some(&nom),
            a.detail,
            a.format,
        )?;
        let mut j: Value = serde_json::from_slice(&buf)?;
        j["charges_directes"] = Money(totaux.charges_directes).plain().into();
        j["charges_affectees"] = Money(totaux.charges_affectees).plain().into();
        j["charges_reparties"] = Money(totaux.charges_reparties).plain().into();
        j["produits_directs"] = Money(totaux.produits_directs).plain().into();
        j["produits_affectes"] = Money(totaux.produits_affectes).plain().into();
        j["repartition"] = v.repartition_json();
        return render::json(out, &j);
    }
    print_with(
        out,
        &bilan,
        precedent.as_ref(),
        &titre,
        Some(&nom),
        a.detail,
        a.format,
    )?;
    if a.format == Format::Table {
        writeln!(
            out,
            "Charges : {} directes, {} affectées (`ici affecte`), {} réparties par la clé. {}",
            Money(totaux.charges_directes),
            Money(totaux.charges_affectees),
            Money(totaux.charges_reparties),
            v.repartition_fr(annee)
        )?;
        if let Some(w) = v.alerte(annee) {
            writeln!(out, "{w}")?;
        }
    }
    Ok(())
}

/// The whole association's compte de résultat by group.
pub fn compute(conn: &Connection, annee: i32) -> Result<Bilan> {
    compute_in(conn, annee, reports::Perimetre::Tout, false)
}

fn compute_in(conn: &Connection, annee: i32, p: reports::Perimetre, detail: bool) -> Result<Bilan> {
    Ok(Bilan::build(
        annee,
        &totaux::soldes(conn, annee, p)?,
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
    v["compte_de_resultat"] = resultat::json(&b.modele);
    v["contributions_volontaires_detail"] = resultat::contributions_json(&b.modele);
    v
}

pub fn print(out: &mut dyn Write, b: &Bilan, format: Format) -> Result<()> {
    print_with(
        out,
        b,
        None,
        &format!("Compte de résultat {}", b.annee),
        None,
        false,
        format,
    )
}

fn print_with(
    out: &mut dyn Write,
    b: &Bilan,
    precedent: Option<&Bilan>,
    titre: &str,
    projet: Option<&str>,
    detail: bool,
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
                // The year before in this year's model, as the table shows it.
                let restated = prev.restated(b.plan);
                v["precedent_retraite"] = json!({
                    "annee": prev.annee,
                    "compte_de_resultat": resultat::json(&restated),
                    "contributions_volontaires_detail": resultat::contributions_json(&restated),
                });
            }
            render::json(out, &v)
        }
        Format::Csv | Format::Excel => {
            let mut headers = vec!["rubrique", "compte", "libellé", "montant"];
            if precedent.is_some() {
                headers.extend(["montant_precedent", "ecart"]);
            }
            render::rows(
                out,
                format,
                &headers,
                &resultat::rows(b, precedent, detail, true),
            )
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
            let rows: Vec<Vec<Cell>> = resultat::rows(b, precedent, detail, false)
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

fn print_par_projet(
    out: &mut dyn Write,
    annee: i32,
    v: &analytique::Ventilation,
    format: Format,
) -> Result<()> {
    let resultats = v.par_projet();
    let name = |p: &Option<String>| p.clone().unwrap_or_else(|| "non affecté".into());
    if format == Format::Json {
        let projets: Vec<Value> = resultats
            .iter()
            .map(|(p, t)| {
                json!({
                    "projet": p,
                    "libelle": name(p),
                    "total_produits": Money(t.produits()).plain(),
                    "total_charges": Money(t.charges()).plain(),
                    "resultat": Money(t.produits() - t.charges()).plain(),
                    "produits_directs": Money(t.produits_directs).plain(),
                    "produits_affectes": Money(t.produits_affectes).plain(),
                    "charges_directes": Money(t.charges_directes).plain(),
                    "charges_affectees": Money(t.charges_affectees).plain(),
                    "charges_reparties": Money(t.charges_reparties).plain(),
                })
            })
            .collect();
        let (left, share) = v.non_affecte();
        return render::json(
            out,
            &json!({
                "annee": annee,
                "projets": projets,
                "repartition": v.repartition_json(),
                "charges_non_affectees": Money(left).plain(),
                "charges_non_affectees_pct": share.map(crate::domain::compte_rendu::pct_json),
            }),
        );
    }
    let mut rows: Vec<Vec<Cell>> = resultats
        .iter()
        .map(|(p, t)| {
            vec![
                Cell::text(name(p)),
                Cell::Money(Money(t.produits())),
                Cell::Money(Money(t.charges())),
                Cell::Money(Money(t.produits() - t.charges())),
                Cell::Money(Money(t.charges_directes)),
                Cell::Money(Money(t.charges_affectees + t.charges_reparties)),
            ]
        })
        .collect();
    let (tp, tc, td, ti) = resultats.iter().fold((0, 0, 0, 0), |(a, b, c, d), (_, t)| {
        (
            a + t.produits(),
            b + t.charges(),
            c + t.charges_directes,
            d + t.charges_affectees + t.charges_reparties,
        )
    });
    rows.push(vec![
        Cell::text("Total"),
        Cell::Money(Money(tp)),
        Cell::Money(Money(tc)),
        Cell::Money(Money(tp - tc)),
        Cell::Money(Money(td)),
        Cell::Money(Money(ti)),
    ]);
    if format == Format::Table {
        writeln!(out, "Résultat par projet {annee}")?;
    }
    render::rows(
        out,
        format,
        &[
            "projet",
            "produits",
            "charges",
            "résultat",
            "dont charges directes",
            "dont affectées ou réparties",
        ],
        &rows,
    )?;
    if format == Format::Table {
        writeln!(out, "{}", v.repartition_fr(annee))?;
        if let Some(w) = v.alerte(annee) {
            writeln!(out, "{w}")?;
        }
    }
    Ok(())
}
