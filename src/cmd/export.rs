//! `ici export sessions|finances`: one row per session or per transaction line, for a
//! funder. Nothing personal leaves: no trainer names, no participant data. `ici export
//! fse` (one row per participant, see `export_fse`) adds names only with
//! --avec-identite; `ici export activites` (one row per participation, see
//! `export_activites`) never has any.

use crate::cmd::{Ctx, finance, session};
use crate::db::{self, Ledger, finances, sessions};
use crate::domain::chart::{self, Plan};
use crate::domain::session::Place;
use crate::output::{self, Dest, Existing};
use crate::render::{Cell, CsvOut};
use anyhow::Result;
use rusqlite::{Connection, ErrorCode};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici export sessions --annee 2017 --projet NET94 --excel -o net94-2017.csv\n  ici export finances --annee 2017 --tiers \"Département du Val-de-Marne\" --excel -o cd94.csv\n  ici export fec 2017 --siren 123456782\n  ici export fse --projet MEDNUM94 --annee 2017 --excel -o mednum94-fse.csv\n  ici export activites --annee 2017 --format coop --excel -o activites-2017.csv"
)]
pub struct Args {
    /// Ce qu'on exporte
    #[arg(value_enum)]
    pub quoi: Kind,
    /// Année (2017) ; pour le FEC : l'exercice
    #[arg(value_name = "ANNEE")]
    pub exercice: Option<String>,
    /// Année (2017)
    #[arg(long, conflicts_with = "exercice")]
    pub annee: Option<String>,
    /// FEC : le SIREN de l'association (9 chiffres), qui nomme le fichier
    #[arg(long)]
    pub siren: Option<String>,
    /// FEC : utf-8 (par défaut) ou iso-8859-15
    #[arg(long, default_value = "utf-8")]
    pub encodage: String,
    /// Projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Partenaire (sessions) ou tiers (finances)
    #[arg(long)]
    pub tiers: Option<String>,
    /// Fichier à écrire (sinon la sortie standard), lisible par vous seul ; jamais le
    /// registre, une base SQLite ni un lien symbolique
    #[arg(short = 'o', long = "output", value_name = "FICHIER")]
    pub output: Option<PathBuf>,
    /// Pour Excel en français : « ; », BOM UTF-8, virgule décimale
    #[arg(long)]
    pub excel: bool,
    /// FSE : ajouter nom, prénom, téléphone et courriel (à ne remettre qu'à qui doit
    /// les connaître)
    #[arg(long)]
    pub avec_identite: bool,
    /// Activités : la disposition des colonnes (coop, par défaut : celle de la Coop de
    /// la médiation numérique)
    #[arg(long, value_enum)]
    pub format: Option<super::export_activites::Layout>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Une ligne par session
    Sessions,
    /// Une ligne par ligne d'écriture
    Finances,
    /// Le fichier des écritures comptables d'un exercice (FEC), pour le cabinet
    /// comptable ou l'administration
    Fec,
    /// Une ligne par participant d'un projet (--projet), avec les indicateurs du
    /// Fonds social européen
    Fse,
    /// Une ligne par participation (--annee), aux colonnes de l'export d'activités de
    /// la Coop de la médiation numérique
    Activites,
}

enum Filters {
    Sessions(sessions::Filter),
    Finances(finances::Filter),
}

const SESSION_HEADERS: [&str; 17] = [
    "numero",
    "date",
    "projet",
    "theme",
    "lieu",
    "commune",
    "code_insee",
    "departement",
    "duree_heures",
    "participants",
    "femmes",
    "qpv",
    "jeunes_ml",
    "demandeurs_emploi",
    "rsa",
    "partenaire",
    "intitule",
];

const FINANCE_HEADERS: [&str; 10] = [
    "ecriture",
    "date",
    "compte",
    "libelle_compte",
    "libelle",
    "tiers",
    "projet",
    "piece",
    "debit",
    "credit",
];

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let ledger_path = ctx.ledger_path()?;
    let mut ledger = ctx.open()?;
    let conn = ledger.conn();
    let annee = a.exercice.as_deref().or(a.annee.as_deref());
    if a.quoi == Kind::Fec {
        let written = super::export_fec::run(
            conn,
            &ledger_path,
            annee,
            a.siren.as_deref(),
            &a.encodage,
            a.output.as_deref(),
            out,
        )?;
        note(&mut ledger, "fec", Some(&written), false);
        return Ok(());
    }
    if a.format.is_some() && a.quoi != Kind::Activites {
        crate::bail_user!(
            "--format ne vaut que pour `ici export activites` (--format coop) : retirez-le"
        );
    }
    if a.avec_identite && a.quoi != Kind::Fse {
        crate::bail_user!(
            "--avec-identite ne vaut que pour `ici export fse` : les autres exports ne contiennent aucune donnée personnelle"
        );
    }
    let dest = a
        .output
        .as_deref()
        .map(|p| output::check(p, &ledger_path, Existing::Replace))
        .transpose()?;
    if a.quoi == Kind::Fse {
        super::export_fse::run(
            conn,
            a.projet.as_deref(),
            annee,
            a.avec_identite,
            a.excel,
            dest.as_ref(),
            out,
        )?;
        // With or without identity: codes, profiles and dates are personal data.
        note(&mut ledger, "fse", dest.as_ref().map(Dest::absolute), true);
        return Ok(());
    }
    // Filters are checked before the output file is created.
    let (projet, tiers) = (a.projet.as_deref(), a.tiers.as_deref());
    if a.quoi == Kind::Activites {
        if annee.is_none() {
            crate::bail_user!(
                "export activites : indiquez l'année avec --annee (par exemple --annee 2017)"
            );
        }
        let filter = session::filter(conn, annee, projet, tiers)?;
        super::export_activites::run(conn, &filter, a.excel, dest.as_ref(), out)?;
        // No name nor code, but each named person's genre, age bracket and status, row
        // by row: noted as personal, so that an erasure reminds of the file.
        note(
            &mut ledger,
            "activites",
            dest.as_ref().map(Dest::absolute),
            true,
        );
        return Ok(());
    }
    let filter = match a.quoi {
        Kind::Sessions => Filters::Sessions(session::filter(conn, annee, projet, tiers)?),
        Kind::Finances => Filters::Finances(finance::filter(conn, annee, projet, tiers)?),
        Kind::Fec => unreachable!("written by export_fec"),
        Kind::Fse => unreachable!("written by export_fse"),
        Kind::Activites => unreachable!("written by export_activites"),
    };
    let (rows, quoi) = output::write_to(dest.as_ref(), out, |sink| match filter {
        Filters::Sessions(f) => Ok((write_sessions(conn, &f, sink, a.excel)?, "sessions")),
        Filters::Finances(f) => Ok((write_finances(conn, &f, sink, a.excel)?, "finances")),
    })?;
    if let Some(dest) = &dest {
        eprintln!(
            "{rows} ligne(s) exportée(s) vers {}.",
            dest.path().display()
        );
    }
    note(&mut ledger, quoi, dest.as_ref().map(Dest::absolute), false);
    Ok(())
}

fn write_sessions(
    conn: &Connection,
    f: &sessions::Filter,
    sink: &mut dyn Write,
    excel: bool,
) -> Result<usize> {
    let mut csv = CsvOut::new(sink, excel, &SESSION_HEADERS)?;
    let mut n = 0;
    sessions::list(conn, f, |s| {
        n += 1;
        let mut cells = vec![
            Cell::Int(s.numero),
            Cell::text(s.date),
            Cell::text(s.projet),
            Cell::text(s.theme),
            Cell::text(if s.place == Place::Distance {
                "distance"
            } else {
                "site"
            }),
            match &s.place {
                Place::Commune(c) => Cell::text(c.nom),
                Place::Distance => Cell::Empty,
                Place::Inconnue(typed) => Cell::text(typed),
            },
            Cell::opt(s.place.code()),
            Cell::opt(s.place.departement()),
            Cell::Hours(s.duree.0.into()),
            Cell::Int(s.participants.into()),
        ];
        cells.extend(s.publics.values().map(Cell::opt_int));
        cells.push(Cell::opt(s.partenaire));
        cells.push(Cell::opt(s.intitule));
        csv.row(&cells)
    })?;
    csv.finish()?;
    Ok(n)
}

fn write_finances(
    conn: &Connection,
    f: &finances::Filter,
    sink: &mut dyn Write,
    excel: bool,
) -> Result<usize> {
    let mut csv = CsvOut::new(sink, excel, &FINANCE_HEADERS)?;
    let mut n = 0;
    finances::lines(conn, f, |l| {
        n += 1;
        let year = l.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2020);
        let compte_label = chart::label(Plan::for_year(year), &l.compte);
        csv.row(&[
            Cell::Int(l.numero),
            Cell::text(l.date),
            Cell::text(l.compte),
            Cell::text(compte_label),
            Cell::text(l.libelle),
            Cell::opt(l.tiers),
            Cell::opt(l.projet),
            Cell::opt(l.piece),
            Cell::Money(l.debit),
            Cell::Money(l.credit),
        ])
    })?;
    csv.finish()?;
    Ok(n)
}

/// Notes a file written out of the ledger in its export log (kind, file, whether it
/// can hold personal data; never the content), once the file is in place. The export
/// has succeeded by then: if the note cannot be written, a warning says so.
pub fn note(ledger: &mut Ledger, quoi: &str, fichier: Option<&Path>, personnel: bool) {
    let fichier = fichier.map_or_else(
        || "(sortie standard)".to_string(),
        |p| p.display().to_string(),
    );
    if let Err(e) = ledger.write(|tx| db::journal::log_export(tx, quoi, &fichier, personnel)) {
        let failure = e
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error);
        let why = match failure {
            Some(f) if f.code == ErrorCode::ReadOnly => "le registre est en lecture seule".into(),
            Some(f) if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                "le registre est occupé par un autre ici".into()
            }
            Some(f) if f.code == ErrorCode::DiskFull => "le disque du registre est plein".into(),
            Some(f) => format!("erreur SQLite n° {}", f.extended_code),
            None => "erreur inattendue".to_string(),
        };
        eprintln!(
            "attention : {fichier} est bien écrit, mais cet export n'a pas pu être noté dans le journal des exports du registre ({why}) ; notez-le vous-même s'il contient des données personnelles."
        );
    }
}
