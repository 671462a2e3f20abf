//! `ici budget import|show`: the budgets presented to funders (Cerfa 12156), one per
//! year and project or for the whole association. An import is all or nothing, each
//! budget must balance, and a new import for the same year and project becomes the
//! current version while the earlier one is kept.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::cmd::compte_rendu::rows_of;
use crate::cmd::import::{Records, column_index};
use crate::db::financeurs::budget::{self, Row};
use crate::db::refs;
use crate::domain::chart::{self, Plan};
use crate::domain::compte_rendu::{CompteRendu, SEUIL_PAR_DEFAUT};
use crate::domain::date::parse_year;
use crate::domain::money::Money;
use crate::domain::{MAX_NAME_CHARS, MAX_SHORT_CHARS, check_length, excerpt};
use crate::error::{exit_code, user};
use crate::input::{self, Progress};
use crate::render::{self, Format};
use anyhow::Result;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Importe des budgets depuis un CSV (tout ou rien)
    #[command(
        after_help = "Colonnes (première ligne, séparateur « ; » ou « , ») : annee, projet (vide : toute l'association), compte (641, 64, 7413…), montant [, financeur (sur les lignes 74)]\n\nChaque budget (une année, un projet) doit être équilibré : charges (6) + emplois des contributions (86) = produits (7) + contributions volontaires (87). Un nouvel import pour la même année et le même projet devient la version en cours ; la précédente est gardée.\n\nExemple :\n  ici budget import budget-2017.csv"
    )]
    Import {
        /// Le fichier CSV
        fichier: PathBuf,
    },
    /// Montre un budget dans la présentation du Cerfa 12156
    #[command(
        after_help = "Exemples :\n  ici budget show 2017 --projet MEDNUM94\n  ici budget show 2017"
    )]
    Show {
        /// Année (2017)
        annee: String,
        /// Le budget d'un projet (sans : celui de l'association)
        #[arg(long, value_name = "P")]
        projet: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

const COLUMNS: [(&str, bool); 5] = [
    ("annee", true),
    ("projet", false),
    ("compte", true),
    ("montant", true),
    ("financeur", false),
];

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Import { fichier } => import(ctx, &fichier, out),
        Commande::Show {
            annee,
            projet,
            format,
        } => show(ctx, &annee, projet.as_deref(), format, out),
    }
}

/// Reads every row through the strict reader, then writes in one transaction.
fn import(ctx: &Ctx, fichier: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    let input = input::open(fichier)?;
    let name = input.name.clone();
    let (text, lines) = input.text(Progress::none())?;
    let rows = read_rows(&name, text, &lines)?;
    let mut ledger = ctx.open()?;
    let written = ledger.write(|tx| budget::import(tx, &name, &rows))?;
    for w in written {
        let what = match &w.projet {
            Some(p) => format!("Budget {} du projet {p}", w.annee),
            None => format!("Budget {} de l'association", w.annee),
        };
        let version = if w.replaced {
            format!("version {} (la précédente est gardée)", w.version)
        } else {
            format!("version {}", w.version)
        };
        writeln!(
            out,
            "{what} importé depuis {name}, {version} : {} de charges et emplois, {} de produits et contributions, équilibré.",
            Money(w.charges),
            Money(w.produits)
        )?;
    }
    Ok(())
}

/// A budget file held in memory (the demonstration's), through the same reader.
pub fn import_bytes(conn: &rusqlite::Connection, name: &str, bytes: &[u8]) -> Result<()> {
    let (text, lines) = input::text(bytes, input::Encoding::Utf8, Progress::none());
    let rows = read_rows(name, text, &lines)?;
    budget::import(conn, name, &rows)?;
    Ok(())
}

/// The checked rows of a budget file; the first bad one refuses the file.
fn read_rows(name: &str, text: impl std::io::Read, lines: &input::Lines) -> Result<Vec<Row>> {
    let mut records = Records::open(name, text, lines)?;
    let index = column_index(name, records.headers(), &COLUMNS)?;
    let col = |c: &str| {
        COLUMNS
            .iter()
            .position(|(k, _)| *k == c)
            .and_then(|i| index[i])
    };
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = records.next(&mut record)? {
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: &str| -> &str { col(c).and_then(|i| record.get(i)).unwrap_or("").trim() };
        let bad = |field: &str, e: anyhow::Error| -> anyhow::Error {
            let msg = format!(
                "{name}, ligne {line}, colonne « {field} » (valeur « {} ») : {e:#}",
                excerpt(get(field))
            );
            if exit_code(&e) == 2 {
                user(format!(
                    "{msg}\nRien n'a été importé : corrigez la ligne et relancez l'import."
                ))
            } else {
                e.context(msg)
            }
        };
        for (field, max) in [
            ("annee", MAX_SHORT_CHARS),
            ("projet", MAX_NAME_CHARS),
            ("compte", MAX_SHORT_CHARS),
            ("montant", MAX_SHORT_CHARS),
            ("financeur", MAX_NAME_CHARS),
        ] {
            check_length(get(field), max).map_err(|e| bad(field, e))?;
        }
        let annee = parse_year(get("annee")).map_err(|e| bad("annee", e))?;
        let compte = get("compte");
        if !compte.starts_with(['6', '7', '8']) || compte.starts_with("69") {
            return Err(bad(
                "compte",
                user(
                    "un budget porte des charges (60 à 68), des produits (70 à 79) et des contributions volontaires (86, 87)",
                ),
            ));
        }
        if let Err(msg) = chart::check(Plan::for_year(annee), compte) {
            return Err(bad("compte", user(msg)));
        }
        let montant = Money::parse_positive(get("montant")).map_err(|e| bad("montant", e))?;
        let financeur = Some(get("financeur").to_string()).filter(|s| !s.is_empty());
        if financeur.is_some() && !compte.starts_with("74") {
            return Err(bad(
                "financeur",
                user(
                    "un financeur se nomme sur une ligne de subvention (74) : videz la colonne ou corrigez le compte",
                ),
            ));
        }
        rows.push(Row {
            line,
            annee,
            projet: Some(get("projet").to_string()).filter(|s| !s.is_empty()),
            compte: compte.to_string(),
            montant: montant.cents(),
            financeur,
        });
    }
    if rows.is_empty() {
        bail_user!("{name} : aucune ligne de budget (l'en-tête seul ?)");
    }
    Ok(rows)
}

fn show(
    ctx: &Ctx,
    annee: &str,
    projet: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let annee = parse_year(annee)?;
    let ledger = ctx.open_read()?;
    let conn = ledger.conn();
    let projet_id = projet.map(|p| refs::projet_id(conn, p)).transpose()?;
    let what = match projet {
        Some(p) => format!("du projet {p}"),
        None => "de l'association".to_string(),
    };
    let Some(b) = budget::current(conn, annee, projet_id)? else {
        bail_user!(
            "aucun budget {annee} {what} : importez-le avec `ici budget import FICHIER.csv` (colonnes annee, projet, compte, montant, financeur)"
        );
    };
    let financeurs = crate::db::financeurs::types_financeurs(conn)?;
    let cr = CompteRendu::build(
        Plan::for_year(annee),
        &b.lignes,
        &[],
        &financeurs,
        SEUIL_PAR_DEFAUT,
        &BTreeMap::new(),
    );
    let ((e86, _), (c87, _)) = cr.contributions();
    match format {
        Format::Json => {
            let line = |l: &crate::domain::compte_rendu::Ligne| {
                json!({
                    "rubrique": l.rubrique,
                    "libelle": l.libelle,
                    "financeur": l.financeur.as_ref().map(|f| f.nom.clone()),
                    "montant": Money(l.prevision).plain(),
                })
            };
            render::json(
                out,
                &json!({
                    "annee": annee,
                    "projet": projet,
                    "version": b.version,
                    "fichier": b.fichier,
                    "importe_le": b.importe_le,
                    "charges": cr.charges.iter().map(line).collect::<Vec<_>>(),
                    "produits": cr.produits.iter().map(line).collect::<Vec<_>>(),
                    "total_charges": Money(cr.total_charges().0).plain(),
                    "total_produits": Money(cr.total_produits().0).plain(),
                    "total_general": Money(cr.total_charges().0 + e86).plain(),
                }),
            )
        }
        _ => {
            if format == Format::Table {
                writeln!(
                    out,
                    "Budget prévisionnel {annee} {what} (présentation du Cerfa 12156), version {} importée de {} le {}",
                    b.version, b.fichier, b.importe_le
                )?;
            }
            let rows = rows_of(&cr, false);
            render::rows(out, format, &["rubrique", "libellé", "montant"], &rows)?;
            if format == Format::Table {
                writeln!(
                    out,
                    "Total des charges {} ; avec les contributions volontaires {} = total des produits {} avec les contributions {}.",
                    Money(cr.total_charges().0),
                    Money(cr.total_charges().0 + e86),
                    Money(cr.total_produits().0),
                    Money(cr.total_produits().0 + c87)
                )?;
                let earlier = budget::earlier(conn, annee, projet_id)?;
                if !earlier.is_empty() {
                    let v: Vec<String> = earlier
                        .iter()
                        .map(|(v, f, le)| format!("version {v} ({f}, remplacée le {le})"))
                        .collect();
                    writeln!(out, "Versions précédentes gardées : {}.", v.join(", "))?;
                }
            }
            Ok(())
        }
    }
}
