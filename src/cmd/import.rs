//! `ici import sessions|finances|projets|partenaires|participants|presences|sorties
//! FICHIER.csv`: all or nothing.
//! One bad row rejects the file, naming its line, column and value; the ledger is
//! then exactly as it was.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::db::{finances, refs, sessions};
use crate::domain::account::Operation;
use crate::domain::duration::hours_fr;
use crate::domain::finance::{FinanceDraft, NewEcriture};
use crate::domain::money::Money;
use crate::domain::session::{NewSession, SessionDraft};
use crate::domain::suggest;
use crate::error::{field_of, user};
use crate::output::{self, Existing};
use anyhow::Result;
use rusqlite::Connection;
use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Colonnes (première ligne du fichier, séparateur « ; » ou « , », UTF-8 avec ou sans BOM) :
  sessions     date, projet, commune, duree, participants [, lieu (site ou distance), femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire, intitule, formateur, presents (codes P-0001 P-0002)]
  participants [code, sexe, naissance, statut, qpv, rsa, mission_locale, diplome, handicap, commune, prescripteur, nom, prenom, telephone, courriel]
  presences    code, et session (numéro) ou date et projet [, duree (temps présent, si moins que la session)]
  sorties      code, date, situation [, projet]
  finances     date, type (produit, charge, emprunt, remboursement), montant, compte, libelle [, tiers, projet, piece, via]
  ecritures    date, piece ou numero, compte, libelle, debit, credit [, journal, tiers, projet] (une ligne par ligne d'écriture)
  projets      nom, theme [, intitule]
  partenaires  nom"
)]
pub struct Args {
    /// Ce que contient le fichier
    #[arg(value_enum)]
    pub quoi: Kind,
    /// Le fichier CSV
    pub fichier: PathBuf,
    /// Importer même un fichier déjà importé (ses lignes compteront deux fois)
    #[arg(long)]
    pub encore: bool,
    /// Importer aussi les lignes semblables à ce que le registre contient déjà (ou à
    /// une autre ligne du fichier) : deux sessions le même jour au même endroit…
    #[arg(long)]
    pub doublon: bool,
    /// Participants : écrire une copie du fichier avec la colonne code remplie
    #[arg(long, value_name = "FICHIER")]
    pub codes: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Sessions (ateliers, formations)
    Sessions,
    /// Produits, charges et emprunts
    Finances,
    /// Projets
    Projets,
    /// Partenaires et financeurs
    Partenaires,
    /// Participants (codes et profils)
    Participants,
    /// Feuilles de présence : qui, à quelle session
    Presences,
    /// Sorties : la situation des participants à la fin d'un projet
    Sorties,
    /// Le fichier des écritures comptables (FEC) du cabinet comptable
    Fec,
    /// Écritures en partie double : une ligne par ligne d'écriture, regroupées par pièce
    Ecritures,
}

impl Kind {
    /// (column, required) in documented order.
    fn columns(self) -> &'static [(&'static str, bool)] {
        match self {
            Kind::Sessions => &[
                ("date", true),
                ("projet", true),
                ("commune", false),
                ("lieu", false),
                ("duree", true),
                ("participants", true),
                ("femmes", false),
                ("qpv", false),
                ("jeunes_ml", false),
                ("demandeurs_emploi", false),
                ("rsa", false),
                ("partenaire", false),
                ("intitule", false),
                ("formateur", false),
                ("presents", false),
            ],
            Kind::Participants => crate::cmd::participant::PARTICIPANT_COLUMNS,
            Kind::Presences => crate::cmd::participant::PRESENCE_COLUMNS,
            Kind::Sorties => crate::cmd::participant::SORTIE_COLUMNS,
            Kind::Finances => &[
                ("date", true),
                ("type", true),
                ("montant", true),
                ("compte", true),
                ("libelle", true),
                ("tiers", false),
                ("projet", false),
                ("piece", false),
                ("via", false),
            ],
            Kind::Projets => &[("nom", true), ("theme", true), ("intitule", false)],
            Kind::Partenaires => &[("nom", true)],
            // Read by their own parsers: see `import_fec` and `import_ecritures`.
            Kind::Fec | Kind::Ecritures => &[],
        }
    }
}

/// What an import wrote, for the closing message.
#[derive(Debug, Default)]
pub struct Summary {
    pub rows: usize,
    pub participants: i64,
    pub minutes: i64,
    pub produits: i64,
    pub charges: i64,
    pub note: Option<&'static str>,
    /// Sessions and people an attendance import touched.
    pub sessions: std::collections::BTreeSet<i64>,
    pub personnes: std::collections::BTreeSet<String>,
    /// Participants: the code each row got, in file order.
    pub codes: Vec<crate::cmd::participant::RowCode>,
    /// What this import added (sessions, entries or people, by id), with the line
    /// that added each: a row like an earlier one of the file is named by its line.
    pub added: std::collections::HashMap<i64, u64>,
    /// Participants: the register's identities, read at the first row.
    pub identities: Option<crate::db::participants::Identities>,
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let bytes = std::fs::read(&a.fichier).map_err(|e| {
        user(format!(
            "lecture de {} impossible : {}",
            a.fichier.display(),
            crate::error::io_fr(&e)
        ))
    })?;
    let name = a.fichier.display().to_string();
    if let Some(codes) = &a.codes {
        if a.quoi != Kind::Participants {
            bail_user!(
                "--codes ne sert qu'à `ici import participants` : retirez-le, ou importez un fichier de participants"
            );
        }
        if codes.exists() {
            bail_user!(
                "--codes {} : le fichier existe déjà ; donnez un nouveau nom, il ne sera pas écrasé",
                codes.display()
            );
        }
    }
    // Never the ledger, a database or through a link; written whole or not at all.
    let codes_dest = match &a.codes {
        Some(p) => Some(output::check(
            p,
            &ctx.ledger_path()?,
            Existing::Keep("donnez un nouveau nom, il ne sera pas écrasé"),
        )?),
        None => None,
    };
    let mut ledger = ctx.open()?;
    if a.quoi == Kind::Fec {
        return super::import_fec::run(&mut ledger, &name, &bytes, out);
    }
    let empreinte = fingerprint(&bytes);
    let quoi = format!("{:?}", a.quoi).to_lowercase();
    let summary = ledger.write(|tx| {
        if !a.encore
            && let Some((nom, le, lignes)) = already_imported(tx, &quoi, &empreinte)?
        {
            return Ok(Err((nom, le, lignes)));
        }
        // A file imported again on purpose has rows like those it imported the first
        // time: `--encore` says they are meant to count twice. People are the
        // exception: a participants file imported again matches them instead.
        let doublon = a.doublon || (a.encore && a.quoi != Kind::Participants);
        let summary = import_bytes(tx, a.quoi, &name, &bytes, doublon)?;
        // Written before the import is committed: a file that cannot be written
        // leaves the ledger as it was.
        if let Some(dest) = &codes_dest {
            write_codes(dest, &bytes, &summary.codes)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO import_fichier (empreinte, quoi, nom, lignes, importe_le)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![empreinte, quoi, name, summary.rows as i64, crate::db::now()],
        )?;
        Ok(Ok(summary))
    })?;
    match summary {
        Ok(summary) if a.quoi == Kind::Participants => {
            crate::cmd::participant::report_import(out, &name, &summary, a.codes.as_deref())
        }
        Ok(summary) => report(out, a.quoi, &name, &summary),
        Err((nom, le, lignes)) => {
            writeln!(
                out,
                "Rien n'a été importé : ce fichier a déjà été importé le {} ({nom}, {lignes} ligne(s)). L'importer encore compterait ses lignes deux fois ; si c'est voulu, ajoutez --encore.",
                le.replace('T', " à ")
            )?;
            Ok(())
        }
    }
}

/// The file's fingerprint: its FNV-1a and its length.
fn fingerprint(bytes: &[u8]) -> String {
    format!(
        "{:016x}-{}",
        crate::domain::fingerprint::fnv1a(bytes),
        bytes.len()
    )
}

/// When and under which name this content was imported, if it was.
fn already_imported(
    conn: &Connection,
    quoi: &str,
    empreinte: &str,
) -> Result<Option<(String, String, i64)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT nom, importe_le, lignes FROM import_fichier WHERE quoi = ?1 AND empreinte = ?2",
            [quoi, empreinte],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn report(out: &mut dyn Write, kind: Kind, name: &str, s: &Summary) -> Result<()> {
    if let Some(note) = s.note {
        writeln!(out, "{note}")?;
    }
    match kind {
        Kind::Sessions => writeln!(
            out,
            "{} session(s) importée(s) depuis {name} : {} participant(s), {} h de formation.",
            s.rows,
            s.participants,
            hours_fr(s.minutes)
        )?,
        Kind::Finances => writeln!(
            out,
            "{} écriture(s) importée(s) depuis {name} : produits {}, charges {}.",
            s.rows,
            Money(s.produits),
            Money(s.charges)
        )?,
        Kind::Projets => writeln!(out, "{} projet(s) importé(s) depuis {name}.", s.rows)?,
        Kind::Partenaires => writeln!(out, "{} partenaire(s) importé(s) depuis {name}.", s.rows)?,
        Kind::Participants => writeln!(out, "{} participant(s) importé(s) depuis {name}.", s.rows)?,
        Kind::Presences => writeln!(
            out,
            "{} présence(s) importée(s) depuis {name} : {} personne(s), {} session(s).",
            s.rows,
            s.personnes.len(),
            s.sessions.len()
        )?,
        Kind::Sorties => writeln!(out, "{} sortie(s) importée(s) depuis {name}.", s.rows)?,
        Kind::Ecritures => writeln!(
            out,
            "{} écriture(s) importée(s) depuis {name} : produits {}, charges {}.",
            s.rows,
            Money(s.produits),
            Money(s.charges)
        )?,
        Kind::Fec => {}
    }
    Ok(())
}

/// Decodes a CSV file as spreadsheets save it: UTF-8 with or without BOM; a file
/// that is not UTF-8 is read as Windows-1252, what French Excel writes by default.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<&'static str>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (
                s,
                Some("Fichier lu en Windows-1252 (il n'est pas en UTF-8)."),
            )
        }
    }
}

/// `;` when the header line has more of them than commas, else `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Header as written (`Durée`, `Jeunes ML`) to its column key (`duree`, `jeunes_ml`).
fn column_key(header: &str) -> String {
    suggest::fold(header).replace(' ', "_")
}

/// The 1-based line number of a byte offset. The csv crate's own line count is off
/// by one on CR LF files (what Excel writes on Windows), so lines are counted here.
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut end = (byte as usize).min(bytes.len());
    // A record's position may point at the line end that precedes it.
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// Parses, checks and writes a whole file inside the caller's transaction.
/// With `doublon`, rows like records already there (or like another row) are
/// imported too.
pub fn import_bytes(
    conn: &Connection,
    kind: Kind,
    name: &str,
    bytes: &[u8],
    doublon: bool,
) -> Result<Summary> {
    if kind == Kind::Ecritures {
        return super::import_ecritures::import_bytes(conn, name, bytes, doublon);
    }
    let (text, note) = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(&text))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| user(format!("{name} : en-tête illisible : {e}")))?
        .clone();
    let expected = kind.columns();
    let known: Vec<String> = expected.iter().map(|(c, _)| c.to_string()).collect();
    let mut index = vec![None; expected.len()];
    for (pos, h) in headers.iter().enumerate() {
        let key = column_key(h);
        match expected.iter().position(|(c, _)| *c == key) {
            Some(i) if index[i].is_some() => {
                bail_user!("{name} : la colonne « {h} » apparaît deux fois")
            }
            Some(i) => index[i] = Some(pos),
            None => bail_user!(
                "{name} : colonne « {h} » inconnue.{} Colonnes attendues : {}.",
                suggest::hint(&key, &known),
                known.join(", ")
            ),
        }
    }
    for ((col, required), idx) in expected.iter().zip(&index) {
        if *required && idx.is_none() {
            bail_user!("{name} : colonne obligatoire « {col} » absente de la première ligne");
        }
    }
    let mut summary = Summary {
        note,
        ..Summary::default()
    };
    // The home territory settles commune names several communes share.
    let home = if kind == Kind::Sessions {
        crate::db::territoire::home(conn)?
    } else {
        crate::territory::Home::default()
    };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(&text, p.byte()));
            user(format!("{name}, ligne {line} : ligne CSV illisible ({e})"))
        })?;
        let line = record.position().map_or(0, |p| line_at(&text, p.byte()));
        let get = |col: &str| -> Option<&str> {
            let i = expected.iter().position(|(c, _)| *c == col)?;
            index[i].and_then(|pos| record.get(pos))
        };
        let at_line = |e: anyhow::Error| -> anyhow::Error {
            let where_ = match field_of(&e) {
                Some(field) => {
                    let value = get(field).unwrap_or("");
                    format!("{name}, ligne {line}, colonne « {field} » (valeur « {value} »)")
                }
                None => format!("{name}, ligne {line}"),
            };
            if crate::error::exit_code(&e) == 2 {
                user(format!(
                    "{where_} : {e:#}\nRien n'a été importé : corrigez la ligne et relancez l'import."
                ))
            } else {
                e.context(where_)
            }
        };
        let row = Row {
            line,
            doublon,
            home: &home,
        };
        import_row(conn, kind, &get, &row, &mut summary).map_err(at_line)?;
        summary.rows += 1;
    }
    if summary.rows == 0 {
        bail_user!("{name} : aucune ligne de données après l'en-tête");
    }
    Ok(summary)
}

/// Where a row is and what applies to it.
struct Row<'h> {
    line: u64,
    /// Rows like records already there are imported too.
    doublon: bool,
    home: &'h crate::territory::Home,
}

fn import_row<'a>(
    conn: &Connection,
    kind: Kind,
    get: &dyn Fn(&str) -> Option<&'a str>,
    row: &Row,
    summary: &mut Summary,
) -> Result<()> {
    let Row {
        line,
        doublon,
        home,
    } = *row;
    let req = |c| get(c).unwrap_or("");
    match kind {
        Kind::Sessions => {
            let s: NewSession = SessionDraft {
                date: req("date"),
                projet: req("projet"),
                commune: req("commune"),
                lieu: get("lieu"),
                duree: req("duree"),
                participants: req("participants"),
                publics: [
                    get("femmes"),
                    get("qpv"),
                    get("jeunes_ml"),
                    get("demandeurs_emploi"),
                    get("rsa"),
                ],
                partenaire: get("partenaire"),
                intitule: get("intitule"),
                formateur: get("formateur"),
                presents: get("presents"),
                anonymes: None,
            }
            .check_in(home)?;
            if !doublon
                && let Some(first) = sessions::find_duplicate(conn, &s)?
                && let Some(line) = summary.added.get(&first.numero)
            {
                bail_user!(
                    "même session que la ligne {line} de ce fichier ({}, {}, {}, {}) ; si c'est voulu (deux groupes le même jour), ajoutez --doublon",
                    first.date,
                    first.projet,
                    first.place,
                    first.duree
                );
            }
            let id = sessions::insert(conn, &s, doublon)?;
            summary.added.insert(id, line);
            summary.participants += i64::from(s.participants);
            summary.minutes += i64::from(s.duree.0);
        }
        Kind::Finances => {
            let op =
                Operation::parse(req("type")).map_err(|e| crate::error::in_field("type", e))?;
            let e: NewEcriture = FinanceDraft {
                date: req("date"),
                montant: req("montant"),
                compte: req("compte"),
                libelle: req("libelle"),
                tiers: get("tiers"),
                projet: get("projet"),
                piece: get("piece"),
                via: get("via"),
            }
            .check(op)?;
            if !doublon
                && let Some(first) = finances::duplicate_of(conn, &e)?
                && let Some(line) = summary.added.get(&first)
            {
                bail_user!(
                    "même écriture que la ligne {line} de ce fichier ; si c'est voulu (deux paiements identiques), ajoutez --doublon"
                );
            }
            let id = finances::insert(conn, &e, doublon)?;
            summary.added.insert(id, line);
            let amount = e.lignes[0].debit.cents() + e.lignes[0].credit.cents();
            match op {
                Operation::Produit => summary.produits += amount,
                Operation::Charge => summary.charges += amount,
                _ => {}
            }
        }
        Kind::Projets => {
            let theme =
                refs::parse_theme(req("theme")).map_err(|e| crate::error::in_field("theme", e))?;
            refs::add_projet(conn, req("nom"), theme, get("intitule"), doublon)
                .map_err(|e| crate::error::in_field("nom", e))?;
        }
        Kind::Partenaires => {
            refs::add_partenaire(conn, req("nom"), doublon)
                .map_err(|e| crate::error::in_field("nom", e))?;
        }
        Kind::Participants => {
            crate::cmd::participant::import_participant(conn, get, line, doublon, summary)?;
        }
        Kind::Presences => crate::cmd::participant::import_presence(conn, get, summary)?,
        Kind::Sorties => crate::cmd::participant::import_sortie(conn, get)?,
        Kind::Fec => unreachable!("a FEC is read by import_fec"),
        Kind::Ecritures => unreachable!("read by import_ecritures"),
    }
    Ok(())
}

/// Writes the participants file again with its `code` column filled (added when
/// missing), each row with the code it got. The copy holds what the file held:
/// created new, whole or not at all, readable by its owner only (see `output`).
fn write_codes(
    dest: &output::Dest,
    bytes: &[u8],
    codes: &[crate::cmd::participant::RowCode],
) -> Result<()> {
    let (text, _) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut headers = reader.headers()?.clone();
    let column = match headers.iter().position(|h| column_key(h) == "code") {
        Some(i) => i,
        None => {
            headers.push_field("code");
            headers.len() - 1
        }
    };
    output::write_file(dest, |file| {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(file);
        writer.write_record(&headers)?;
        for record in reader.records() {
            let record = record?;
            let line = record.position().map_or(0, |p| line_at(&text, p.byte()));
            let code = codes
                .iter()
                .find(|c| c.line == line)
                .map(|c| c.code.as_str());
            let mut row: Vec<&str> = record.iter().collect();
            row.resize(headers.len(), "");
            if let Some(code) = code {
                row[column] = code;
            }
            writer.write_record(&row)?;
        }
        writer.flush()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_and_delimiters() {
        assert_eq!(column_key("Durée"), "duree");
        assert_eq!(column_key("Jeunes ML"), "jeunes_ml");
        assert_eq!(column_key("libellé"), "libelle");
        assert_eq!(sniff_delimiter("date;projet;commune"), b';');
        assert_eq!(sniff_delimiter("date,projet,commune"), b',');
        assert_eq!(line_at("a\r\nb\r\nc", 6), 3);
        // The csv crate places a record after a CR LF on the LF.
        assert_eq!(line_at("date;projet\r\na;1\r\nb;2", 12), 2);
        assert_eq!(line_at("a\nb", 0), 1);
    }

    #[test]
    fn decodes_bom_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFnom").0, "nom");
        let (s, note) = decode(b"Cr\xe9teil");
        assert_eq!(s, "Créteil");
        assert!(note.is_some());
    }
}
