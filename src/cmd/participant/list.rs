//! `ici participant list` and `ici participant show`: the register, one row per
//! person, and one person's record.

use super::{ListArgs, profile_rows, residence_name, this_year};
use crate::cmd::Ctx;
use crate::db::participants::{self, ListFilter, ListRow};
use crate::db::refs;
use crate::domain::date::{parse_year, year_bounds};
use crate::domain::participant::{
    IDENTITE, Identite, OUI_NON, SEXES, SITUATIONS, STATUTS, is_positive, label, tranche_age,
    tranche_label,
};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use std::io::Write;

#[derive(serde::Serialize)]
struct ListJson<'a> {
    code: &'a str,
    sexe: Option<&'a str>,
    annee_naissance: Option<i32>,
    tranche_age: &'a str,
    statut: Option<&'a str>,
    qpv: Option<&'a str>,
    rsa: Option<&'a str>,
    mission_locale: Option<&'a str>,
    diplome: Option<&'a str>,
    handicap: Option<&'a str>,
    code_insee_residence: Option<&'a str>,
    prescripteur: Option<&'a str>,
    sessions: i64,
    heures: serde_json::Value,
    premiere_presence: Option<&'a str>,
    derniere_presence: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identite: Option<IdentiteJson<'a>>,
}

#[derive(serde::Serialize)]
struct IdentiteJson<'a> {
    nom: Option<&'a str>,
    prenom: Option<&'a str>,
    telephone: Option<&'a str>,
    courriel: Option<&'a str>,
}

impl<'a> From<&'a Identite> for IdentiteJson<'a> {
    fn from(i: &'a Identite) -> Self {
        IdentiteJson {
            nom: i.nom.as_deref(),
            prenom: i.prenom.as_deref(),
            telephone: i.telephone.as_deref(),
            courriel: i.courriel.as_deref(),
        }
    }
}

pub(super) fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let conn = ledger.conn();
    let annee = a.annee.as_deref().map(parse_year).transpose()?;
    let filter = ListFilter {
        period: annee.map(year_bounds),
        projet_id: a
            .projet
            .as_deref()
            .map(|p| refs::projet_id(conn, p))
            .transpose()?,
        avec_identite: a.avec_identite,
    };
    let rows = participants::list(conn, &filter)?;
    let year = annee.unwrap_or_else(this_year);
    if a.format == Format::Json {
        let items: Vec<ListJson> = rows
            .iter()
            .map(|r| ListJson {
                code: &r.code,
                sexe: r.profile.sexe,
                annee_naissance: r.profile.annee_naissance,
                tranche_age: tranche_age(year, r.profile.annee_naissance),
                statut: r.profile.statut,
                qpv: r.profile.qpv,
                rsa: r.profile.rsa,
                mission_locale: r.profile.mission_locale,
                diplome: r.profile.diplome,
                handicap: r.profile.handicap,
                code_insee_residence: r.profile.residence.as_deref(),
                prescripteur: r.profile.prescripteur.as_deref(),
                sessions: r.sessions,
                heures: render::hours_json(r.minutes),
                premiere_presence: r.premiere.as_deref(),
                derniere_presence: r.derniere.as_deref(),
                identite: r.identite.as_ref().map(IdentiteJson::from),
            })
            .collect();
        return render::json(out, &items);
    }
    let table = a.format == Format::Table;
    let choice = |list, v: Option<&'static str>| -> Cell {
        if table {
            Cell::text(label(list, v))
        } else {
            Cell::opt(v)
        }
    };
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r: &ListRow| {
            let p = &r.profile;
            let mut row = vec![Cell::text(&r.code)];
            if let Some(i) = &r.identite {
                row.extend(i.values().iter().map(|v| Cell::opt(v.as_deref())));
            }
            row.extend([
                choice(SEXES, p.sexe),
                if table {
                    Cell::text(tranche_label(tranche_age(year, p.annee_naissance)))
                } else {
                    Cell::text(tranche_age(year, p.annee_naissance))
                },
                choice(STATUTS, p.statut),
                choice(OUI_NON, p.qpv),
                Cell::opt(residence_name(p)),
                Cell::opt(p.prescripteur.as_deref()),
                Cell::Int(r.sessions),
                Cell::Hours(r.minutes),
                Cell::opt(r.premiere.as_deref()),
                Cell::opt(r.derniere.as_deref()),
            ]);
            row
        })
        .collect();
    let mut headers = vec!["code"];
    if a.avec_identite {
        headers.extend(IDENTITE.iter().map(|(k, l)| if table { *l } else { *k }));
    }
    headers.extend([
        "sexe",
        if table { "âge" } else { "tranche_age" },
        "statut",
        "qpv",
        if table {
            "commune"
        } else {
            "commune_residence"
        },
        "prescripteur",
        "sessions",
        "heures",
        if table {
            "première"
        } else {
            "premiere_presence"
        },
        if table {
            "dernière"
        } else {
            "derniere_presence"
        },
    ]);
    render::rows(out, a.format, &headers, &cells)?;
    if table {
        let erased = participants::effacements(conn)?;
        writeln!(out, "{} personne(s).", rows.len())?;
        if !erased.is_empty() {
            writeln!(
                out,
                "{} personne(s) effacée(s) à leur demande (codes X-…), le {}.",
                erased.len(),
                erased.join(", le ")
            )?;
        }
        if annee.is_some() {
            writeln!(out, "Âge atteint en {year}, d'après l'année de naissance.")?;
        }
    }
    Ok(())
}

pub(super) fn show(ctx: &Ctx, code: &str, avec_identite: bool, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let conn = ledger.conn();
    let p = participants::find(conn, code)?;
    let year = this_year();
    writeln!(out, "Participant {}", p.code)?;
    if p.erased() {
        writeln!(
            out,
            "Effacé à sa demande : il ne reste que ses présences, sous ce code anonyme."
        )?;
    } else {
        writeln!(
            out,
            "{}",
            render::table(&[], &profile_rows(&p.profile, year, true))
        )?;
        let identite = participants::identite(conn, p.id)?;
        if avec_identite {
            let rows: Vec<Vec<Cell>> = IDENTITE
                .iter()
                .zip(identite.values())
                .map(|((_, l), v)| vec![Cell::text(*l), Cell::opt(v.as_deref())])
                .collect();
            writeln!(out, "Identité\n{}", render::table(&[], &rows))?;
        } else if identite.is_empty() {
            writeln!(out, "Identité : aucune enregistrée.")?;
        } else {
            writeln!(
                out,
                "Identité : enregistrée, affichée seulement avec --avec-identite."
            )?;
        }
    }
    let attendance = participants::attendance(conn, p.id)?;
    let rows: Vec<Vec<Cell>> = attendance
        .iter()
        .map(|a| {
            vec![
                Cell::Int(a.numero),
                Cell::text(&a.date),
                Cell::text(&a.projet),
                Cell::text(a.place.to_string()),
                Cell::text(a.duree.to_string()),
                Cell::Hours(a.minutes_present().into()),
                Cell::text(if a.annulee { "annulée" } else { "" }),
            ]
        })
        .collect();
    let counted: Vec<_> = attendance.iter().filter(|a| !a.annulee).collect();
    writeln!(
        out,
        "Présences : {} session(s), {} h\n{}",
        counted.len(),
        crate::domain::duration::hours_fr(
            counted.iter().map(|a| i64::from(a.minutes_present())).sum()
        ),
        render::table(
            &[
                "n°",
                "date",
                "projet",
                "lieu",
                "durée",
                "heures présentes",
                "état"
            ],
            &rows
        )
    )?;
    let sorties = participants::sorties(conn, p.id)?;
    if !sorties.is_empty() {
        let rows: Vec<Vec<Cell>> = sorties
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.projet),
                    Cell::text(&s.date),
                    Cell::text(label(SITUATIONS, Some(s.situation))),
                    Cell::text(if is_positive(s.situation) {
                        "oui"
                    } else {
                        "non"
                    }),
                ]
            })
            .collect();
        writeln!(
            out,
            "Sorties\n{}",
            render::table(&["projet", "date", "situation", "positive"], &rows)
        )?;
    }
    Ok(())
}
