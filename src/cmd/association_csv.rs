//! CSV files of the association's people and agenda: `ici association import QUOI
//! FICHIER`, and the demonstration's `fixtures/2017/`. Read as `ici import` reads
//! (`crate::input`: encoding, line ends, strict records), all or nothing; each row goes
//! through the same checks as the command that records one.

use crate::cmd::import::{Records, column_index};
use crate::db::association::{self, NewMembre, benevolat};
use crate::domain::association::{parse_fonction, parse_heures, parse_statut, parse_temps};
use crate::domain::date::{parse_date, parse_past_date, parse_year};
use crate::domain::excerpt;
use crate::domain::money::Money;
use crate::error::{field, field_of, user};
use crate::input::{self, Encoding, Progress};
use anyhow::Result;
use rusqlite::Connection;
use std::io::Read;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Quoi {
    /// Contrats de l'équipe : nom, statut, poste, debut, fin, temps, contrat
    Equipe,
    /// Mandats : nom, fonction, debut, fin
    Gouvernance,
    /// Adhésions : nom, date, cotisation
    Adherents,
    /// Taux de valorisation du bénévolat : annee (vide pour le taux par défaut),
    /// montant, source
    Taux,
    /// Bénévolat : date, heures, personne, projet
    Benevolat,
    /// Temps forts : date, titre, projet, texte
    Evenements,
    /// Descriptions des projets : projet, description
    Descriptions,
}

impl Quoi {
    /// (column, required), in documented order.
    fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Quoi::Equipe => &[
                ("nom", true),
                ("statut", true),
                ("poste", true),
                ("debut", true),
                ("fin", false),
                ("temps", false),
                ("contrat", false),
            ],
            Quoi::Gouvernance => &[
                ("nom", true),
                ("fonction", true),
                ("debut", true),
                ("fin", false),
            ],
            Quoi::Adherents => &[("nom", true), ("date", true), ("cotisation", false)],
            Quoi::Taux => &[("annee", false), ("montant", true), ("source", true)],
            Quoi::Benevolat => &[
                ("date", true),
                ("heures", true),
                ("personne", false),
                ("projet", false),
            ],
            Quoi::Evenements => &[
                ("date", true),
                ("titre", true),
                ("projet", false),
                ("texte", false),
            ],
            Quoi::Descriptions => &[("projet", true), ("description", true)],
        }
    }
}

/// Loads text already in memory, in UTF-8 (the demonstration's fixtures); returns
/// the rows read.
pub fn load_bytes(conn: &Connection, quoi: Quoi, name: &str, bytes: &[u8]) -> Result<usize> {
    let (text, lines) = input::text(bytes, Encoding::Utf8, Progress::none());
    let mut records = Records::open(name, text, &lines)?;
    load(conn, quoi, name, &mut records)
}

/// Loads a file checked by [`input::open`].
pub fn load_file(conn: &Connection, quoi: Quoi, input: &input::Input) -> Result<usize> {
    let (text, lines) = input.text(Progress::none())?;
    let mut records = Records::open(&input.name, text, &lines)?;
    load(conn, quoi, &input.name, &mut records)
}

fn load<R: Read>(
    conn: &Connection,
    quoi: Quoi,
    name: &str,
    records: &mut Records<'_, R>,
) -> Result<usize> {
    let expected = quoi.columns();
    let index = column_index(name, records.headers(), expected)?;
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    while let Some(line) = records.next(&mut record)? {
        let get = |col: &str| -> Option<&str> {
            let i = expected.iter().position(|(c, _)| *c == col)?;
            index[i]
                .and_then(|pos| record.get(pos))
                .filter(|v| !v.is_empty())
        };
        row(conn, quoi, &get).map_err(|e| {
            let where_ = match field_of(&e) {
                Some(f) => format!(
                    "{name}, ligne {line}, colonne « {f} » (valeur « {} »)",
                    excerpt(get(f).unwrap_or(""))
                ),
                None => format!("{name}, ligne {line}"),
            };
            if crate::error::exit_code(&e) == 2 {
                user(format!(
                    "{where_} : {e:#}\nRien n'a été importé : corrigez la ligne et relancez l'import."
                ))
            } else {
                e.context(where_)
            }
        })?;
        rows += 1;
    }
    if rows == 0 {
        crate::bail_user!("{name} : aucune ligne de données après l'en-tête");
    }
    Ok(rows)
}

/// Records one row, checked as the command that records one checks it.
fn row<'a>(conn: &Connection, quoi: Quoi, get: &dyn Fn(&str) -> Option<&'a str>) -> Result<()> {
    let req = |col: &'static str| -> Result<&str> {
        get(col).ok_or_else(|| crate::error::in_field(col, user("valeur obligatoire manquante")))
    };
    let date = |col: &'static str| field(col, parse_date(req(col)?));
    let opt_date = |col: &'static str| get(col).map(|d| field(col, parse_date(d))).transpose();
    match quoi {
        Quoi::Equipe => {
            association::add_membre(
                conn,
                &NewMembre {
                    nom: req("nom")?,
                    statut: field("statut", parse_statut(req("statut")?))?,
                    poste: req("poste")?,
                    debut: date("debut")?,
                    fin: opt_date("fin")?,
                    temps: field("temps", parse_temps(get("temps").unwrap_or("100")))?,
                    contrat: get("contrat"),
                },
            )?;
        }
        Quoi::Gouvernance => {
            association::add_mandat(
                conn,
                req("nom")?,
                field("fonction", parse_fonction(req("fonction")?))?,
                date("debut")?,
                opt_date("fin")?,
            )?;
        }
        Quoi::Adherents => {
            let cotisation = get("cotisation")
                .map(|c| field("cotisation", Money::parse_positive(c)))
                .transpose()?;
            association::add_adherent(conn, req("nom")?, date("date")?, cotisation)?;
        }
        Quoi::Taux => {
            let annee = get("annee")
                .map(|a| field("annee", parse_year(a)))
                .transpose()?;
            let montant = field("montant", Money::parse_positive(req("montant")?))?;
            benevolat::set_taux(conn, annee, montant, req("source")?)?;
        }
        Quoi::Benevolat => {
            let d = field("date", parse_past_date(req("date")?))?;
            let minutes = field("heures", parse_heures(req("heures")?))?;
            benevolat::add(conn, d, minutes, get("personne"), get("projet"))?;
        }
        Quoi::Evenements => {
            association::add_evenement(
                conn,
                date("date")?,
                req("titre")?,
                get("projet"),
                get("texte"),
            )?;
        }
        Quoi::Descriptions => {
            association::set_description(conn, req("projet")?, req("description")?)?;
        }
    }
    Ok(())
}
