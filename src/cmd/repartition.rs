//! `ici repartition ANNEE [--comptes 64,61,62 --cle …]`: the year's key for the
//! charges no entry gives to a project (salaries, rent…), from the year's sessions
//! per project or typed as percentages; stored with the figures used, so the
//! compte rendu can be computed again the same way whatever the sessions become.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::db::financeurs::analytique::{self, Base, pct};
use crate::db::refs;
use crate::domain::compte_rendu::parse_part;
use crate::domain::compte_rendu::repartition::parts_pct;
use crate::domain::date::parse_year;
use crate::domain::duration::hours_fr;
use crate::domain::money::Money;
use crate::render::{self, Cell, Format};
use anyhow::Result;
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici repartition 2017 --comptes 64 --cle heures\n  ici repartition 2017 --comptes 64,61,62 --cle participations\n  ici repartition 2017 --comptes 613 --cle NET94=40,MEDNUM94=60\n  ici repartition 2017\n\nClés : heures (durée des sessions de l'année par projet), participations, personnes (chaque personne nommée une fois, chaque participation anonyme comme une personne), ou des pourcentages par projet (100 % au plus ; le reste n'est affecté à aucun projet).\nLa clé s'applique aux charges de ces comptes qu'aucune écriture ni affectation ne donne à un projet. Une nouvelle clé pour la même année remplace la précédente, qui est gardée."
)]
pub struct Args {
    /// Année (2017)
    pub annee: String,
    /// Comptes de charges à répartir, séparés par des virgules (64,61,62)
    #[arg(long, value_name = "COMPTES", requires = "cle")]
    pub comptes: Option<String>,
    /// heures, participations, personnes, ou P1=40,P2=60
    #[arg(long, value_name = "CLE", requires = "comptes")]
    pub cle: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    if let (Some(comptes), Some(cle)) = (&a.comptes, &a.cle) {
        let comptes = parse_comptes(comptes)?;
        let mut ledger = ctx.open()?;
        let replaced = ledger.write(|tx| {
            let (code, parts) = match cle.trim() {
                "heures" | "participations" | "personnes" => {
                    let base = match cle.trim() {
                        "heures" => Base::Heures,
                        "participations" => Base::Participations,
                        _ => Base::Personnes,
                    };
                    let bases = analytique::bases(tx, annee, base)?;
                    if bases.is_empty() {
                        bail_user!(
                            "aucune session en {annee} : la clé {} se calcule sur les sessions de l'année ; donnez des pourcentages (--cle P1=40,P2=60)",
                            base.code()
                        );
                    }
                    let weights: Vec<u64> = bases.iter().map(|(_, b)| *b).collect();
                    let sum = weights.iter().sum();
                    let pcts = parts_pct(&weights, sum);
                    let parts: Vec<(String, u64, u32)> = bases
                        .into_iter()
                        .zip(pcts)
                        .map(|((p, b), s)| (p, b, s as u32))
                        .collect();
                    (base.code(), parts)
                }
                fixe => ("fixe", parse_fixe(tx, fixe)?),
            };
            analytique::enregistre(tx, annee, &comptes, code, &parts)
        })?;
        if replaced {
            writeln!(
                out,
                "Clé de répartition {annee} remplacée (la précédente est gardée)."
            )?;
        } else {
            writeln!(out, "Clé de répartition {annee} enregistrée.")?;
        }
        return show(ledger.conn(), annee, Format::Table, out);
    }
    let ledger = ctx.open_read()?;
    show(ledger.conn(), annee, a.format, out)
}

fn parse_comptes(input: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in input.split([',', ' ', ';']).filter(|s| !s.is_empty()) {
        if !c.starts_with('6') || !c.chars().all(|x| x.is_ascii_digit()) || c.len() > 10 {
            bail_user!(
                "--comptes : « {} » n'est pas un compte de charges (6…) ; écrivez par exemple --comptes 64,61,62",
                crate::domain::excerpt(c)
            );
        }
        if !out.iter().any(|x: &String| x == c) {
            out.push(c.to_string());
        }
    }
    if out.is_empty() {
        bail_user!("--comptes vide : écrivez par exemple --comptes 64,61,62");
    }
    Ok(out)
}

/// `P1=40,P2=60`: each project's share, 100 % at most in all.
fn parse_fixe(conn: &rusqlite::Connection, input: &str) -> Result<Vec<(String, u64, u32)>> {
    let mut parts: Vec<(String, u64, u32)> = Vec::new();
    for item in input.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((p, v)) = item.split_once('=') else {
            bail_user!(
                "--cle « {} » : attendu heures, participations, personnes, ou des parts PROJET=PCT séparées par des virgules (NET94=40,MEDNUM94=60)",
                crate::domain::excerpt(input)
            );
        };
        let id = refs::projet_id(conn, p.trim())?;
        let nom: String =
            conn.query_row("SELECT nom FROM projet WHERE id = ?1", [id], |r| r.get(0))?;
        if parts.iter().any(|(n, _, _)| *n == nom) {
            bail_user!("--cle : le projet {nom} est nommé deux fois");
        }
        let part = parse_part(v)?;
        parts.push((nom, u64::from(part), part));
    }
    let total: u32 = parts.iter().map(|(_, _, p)| p).sum();
    if total > 10_000 {
        bail_user!(
            "--cle : les parts font {} en tout, plus de 100 % ; réduisez-les",
            pct(total)
        );
    }
    if parts.is_empty() {
        bail_user!("--cle vide : heures, participations, personnes, ou NET94=40,MEDNUM94=60");
    }
    Ok(parts)
}

/// The key in words: « au prorata des heures de sessions de l'année par projet ».
pub fn en_mots(cle: &str) -> &'static str {
    match cle {
        "heures" => "au prorata des heures de sessions de l'année de chaque projet",
        "participations" => {
            "au prorata des participations aux sessions de l'année de chaque projet"
        }
        "personnes" => "au prorata des personnes venues aux sessions de l'année de chaque projet",
        _ => "selon des parts fixées par projet",
    }
}

/// A key's figure as people read it.
pub fn base_fr(cle: &str, base: u64) -> String {
    match cle {
        "heures" => format!("{} h", hours_fr(base as i64)),
        "fixe" => pct(base as u32),
        _ => crate::domain::money::group_thousands(base),
    }
}

fn show(
    conn: &rusqlite::Connection,
    annee: i32,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(r) = analytique::courante(conn, annee)? else {
        bail_user!(
            "aucune clé de répartition pour {annee} : `ici repartition {annee} --comptes 64 --cle heures`"
        );
    };
    let lignes = analytique::lignes(conn, annee)?;
    let aff = analytique::affectations(conn, annee)?;
    let couvert = analytique::montant_couvert(&lignes, &aff, &r.comptes);
    // Split account by account, as the compte rendu does, so the figures agree to the cent.
    let ventile =
        crate::domain::compte_rendu::repartition::ventile(&lignes, &aff, Some(&r.cle_domaine()));
    let parts: Vec<i64> = r
        .parts
        .iter()
        .map(|(p, _, _)| {
            ventile
                .iter()
                .filter(|x| {
                    x.projet.as_deref() == Some(p.as_str())
                        && x.origine
                            == Some(crate::domain::compte_rendu::repartition::Origine::Reparti)
                })
                .map(|x| x.montant)
                .sum()
        })
        .collect();
    if format == Format::Json {
        return render::json(
            out,
            &json!({
                "annee": annee,
                "comptes": r.comptes,
                "cle": r.cle,
                "enregistree_le": r.cree_le,
                "montant_reparti": couvert.plain(),
                "parts": r.parts.iter().zip(&parts).map(|((p, b, s), m)| json!({
                    "projet": p,
                    "base": b,
                    "part_pct": crate::domain::compte_rendu::pct_dixiemes(i64::from(*s), 10_000)
                        .map(crate::domain::compte_rendu::pct_json),
                    "part_centiemes": s,
                    "montant": Money(*m).plain(),
                })).collect::<Vec<_>>(),
            }),
        );
    }
    if format == Format::Table {
        writeln!(
            out,
            "Répartition {annee} des comptes {} {} (clé enregistrée le {}) : {} à répartir.",
            r.comptes.join(", "),
            en_mots(&r.cle),
            r.cree_le,
            couvert
        )?;
    }
    let rows: Vec<Vec<Cell>> = r
        .parts
        .iter()
        .zip(&parts)
        .map(|((p, b, s), m)| {
            vec![
                Cell::text(p),
                Cell::text(base_fr(&r.cle, *b)),
                Cell::text(pct(*s)),
                Cell::Money(Money(*m)),
            ]
        })
        .collect();
    render::rows(out, format, &["projet", "base", "part", "montant"], &rows)
}
