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
use crate::domain::session::{CommuneCache, NewSession, SessionDraft};
use crate::domain::{excerpt, suggest};
use crate::error::{field_of, user};
use crate::input::{self, Encoding, Input, Lines, MAX_RECORD_BYTES, Progress, RecordTooLong};
use crate::output::{self, Existing};
use anyhow::Result;
use rusqlite::Connection;
use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Colonnes (première ligne du fichier, séparateur « ; » ou « , », UTF-8 avec ou sans BOM) :
  sessions     date, projet, commune, duree, participants [, lieu (site ou distance), femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire, intitule, formateur, presents (codes P-0001 P-0002), thematiques, materiel (plusieurs valeurs séparées par « | »), niveau]
  participants [code, sexe, naissance, statut, qpv, rsa, mission_locale, diplome, handicap, commune, prescripteur, nom, prenom, telephone, courriel]
  presences    code, et session (numéro) ou date et projet [, duree (temps présent, si moins que la session)]
  sorties      code, date, situation [, projet]
  finances     date, type (produit, charge, emprunt, remboursement), montant, compte, libelle [, tiers, projet, piece, via]
  ecritures    date, piece ou numero, compte, libelle, debit, credit [, journal, tiers, projet] (une ligne par ligne d'écriture)
  projets      nom, theme [, intitule]
  partenaires  nom [, type (etat, region, departement, intercommunalite, commune, organisme-social, fonds-europeens, asp, etablissement-public, prive, autre)]"
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
                ("thematiques", false),
                ("materiel", false),
                ("niveau", false),
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
            Kind::Partenaires => &[("nom", true), ("type", false)],
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
    let input = input::open(&a.fichier)?;
    let name = input.name.clone();
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
        Some(p) => Some(output::check_for(
            p,
            &ctx.ledger_path()?,
            Existing::Keep("donnez un nouveau nom, il ne sera pas écrasé"),
            "--codes",
        )?),
        None => None,
    };
    let mut ledger = ctx.open()?;
    if a.quoi == Kind::Fec {
        return super::import_fec::run(&mut ledger, &input, out);
    }
    let quoi = format!("{:?}", a.quoi).to_lowercase();
    let summary = ledger.write(|tx| {
        if !a.encore
            && let Some((nom, le, lignes)) = already_imported(tx, &quoi, &input.fingerprint)?
        {
            return Ok(Err((nom, le, lignes)));
        }
        // A file imported again on purpose has rows like those it imported the first
        // time: `--encore` says they are meant to count twice. People are the
        // exception: a participants file imported again matches them instead.
        let doublon = a.doublon || (a.encore && a.quoi != Kind::Participants);
        let summary = import_file(tx, a.quoi, &input, doublon)?;
        // Written before the import is committed: a file that cannot be written
        // leaves the ledger as it was.
        if let Some(dest) = &codes_dest {
            write_codes(dest, &input, &summary.codes)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO import_fichier (empreinte, quoi, nom, lignes, importe_le)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                input.fingerprint,
                quoi,
                name,
                summary.rows as i64,
                crate::db::now()
            ],
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

/// Header as written (`Durée`, `Jeunes ML`) to its column key (`duree`, `jeunes_ml`).
fn column_key(header: &str) -> String {
    suggest::fold(header).replace(' ', "_")
}

/// Page cache of an import, in Kio.
const IMPORT_CACHE_KIB: u32 = 64 * 1024;

/// Parses, checks and writes a whole file inside the caller's transaction.
/// With `doublon`, rows like records already there (or like another row) are
/// imported too.
pub fn import_file(conn: &Connection, kind: Kind, input: &Input, doublon: bool) -> Result<Summary> {
    // Rows land at random places of the date and project indexes: with SQLite's default
    // 2 Mio of cache, a big file spends its time writing pages out and reading them back.
    // 64 Mio hold the indexes of a million sessions.
    conn.execute_batch(&format!("PRAGMA cache_size = -{}", IMPORT_CACHE_KIB))?;
    let progress = Progress::new(input.len, "import");
    let (text, lines) = input.text(progress)?;
    import_text(conn, kind, &input.name, text, &lines, input.note(), doublon)
}

/// [`import_file`] for text already in memory, in UTF-8 (the demonstration's fixtures).
pub fn import_bytes(
    conn: &Connection,
    kind: Kind,
    name: &str,
    bytes: &[u8],
    doublon: bool,
) -> Result<Summary> {
    let (text, lines) = input::text(bytes, Encoding::Utf8, Progress::none());
    import_text(conn, kind, name, text, &lines, None, doublon)
}

/// Reads the CSV records of `text` (UTF-8, LF line ends) one at a time: a million rows
/// take a million steps, in the memory of one row.
fn import_text(
    conn: &Connection,
    kind: Kind,
    name: &str,
    text: impl Read,
    lines: &Lines,
    note: Option<&'static str>,
    doublon: bool,
) -> Result<Summary> {
    let mut records = Records::open(name, text, lines)?;
    if kind == Kind::Ecritures {
        return super::import_ecritures::import_records(conn, name, &mut records, note, doublon);
    }
    let headers = records.headers().clone();
    let expected = kind.columns();
    let index = column_index(name, &headers, expected)?;
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
    let mut communes = CommuneCache::default();
    let mut record = csv::StringRecord::new();
    while let Some(line) = records.next(&mut record)? {
        let get = |col: &str| -> Option<&str> {
            let i = expected.iter().position(|(c, _)| *c == col)?;
            index[i].and_then(|pos| record.get(pos))
        };
        let at_line = |e: anyhow::Error| -> anyhow::Error {
            let where_ = match field_of(&e) {
                Some(field) => {
                    let value = get(field).unwrap_or("");
                    format!(
                        "{name}, ligne {line}, colonne « {field} » (valeur « {} »)",
                        excerpt(value)
                    )
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
        import_row(conn, kind, &get, &row, &mut communes, &mut summary).map_err(at_line)?;
        summary.rows += 1;
    }
    if summary.rows == 0 {
        bail_user!("{name} : aucune ligne de données après l'en-tête");
    }
    Ok(summary)
}

/// A CSV file read strictly, one record at a time: the header first, then each record
/// with its line, checked by [`check_record`].
pub struct Records<'l, R: Read> {
    reader: csv::Reader<std::io::BufReader<R>>,
    /// `;` or `,`, guessed from the header.
    pub delimiter: u8,
    lines: &'l Lines,
    name: String,
    headers: csv::StringRecord,
}

impl<'l, R: Read> Records<'l, R> {
    /// Reads the header of `text` (UTF-8 with LF line ends, as [`input::text`] gives).
    pub fn open(name: &str, text: R, lines: &'l Lines) -> Result<Self> {
        let mut text = std::io::BufReader::with_capacity(64 * 1024, text);
        let start = text.fill_buf().map_err(|e| {
            user(format!(
                "lecture de {name} impossible : {}",
                crate::error::io_fr(&e)
            ))
        })?;
        let delimiter = sniff_delimiter(start);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .trim(csv::Trim::All)
            .flexible(true)
            .has_headers(false)
            .from_reader(text);
        let mut headers = csv::StringRecord::new();
        let found = reader
            .read_record(&mut headers)
            .map_err(|e| csv_error(name, e, lines))?;
        if !found {
            bail_user!("{name} : fichier vide, pas même la ligne des noms de colonnes");
        }
        let line = headers.position().map_or(1, |p| lines.line_of(p.byte()));
        check_record(name, line, &headers, None)?;
        Ok(Records {
            reader,
            delimiter,
            lines,
            name: name.to_owned(),
            headers,
        })
    }

    pub fn headers(&self) -> &csv::StringRecord {
        &self.headers
    }

    /// The next record and its line, None at the end of the file.
    pub fn next(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>> {
        let found = self
            .reader
            .read_record(record)
            .map_err(|e| csv_error(&self.name, e, self.lines))?;
        if !found {
            return Ok(None);
        }
        let line = record
            .position()
            .map_or(0, |p| self.lines.line_of(p.byte()));
        check_record(&self.name, line, record, Some(&self.headers))?;
        Ok(Some(line))
    }
}

/// Where each expected column is in the header; an unknown or doubled column, or a
/// required one missing, is refused.
pub fn column_index(
    name: &str,
    headers: &csv::StringRecord,
    expected: &[(&str, bool)],
) -> Result<Vec<Option<usize>>> {
    let known: Vec<String> = expected.iter().map(|(c, _)| c.to_string()).collect();
    let mut index = vec![None; expected.len()];
    for (pos, h) in headers.iter().enumerate() {
        let key = column_key(h);
        match expected.iter().position(|(c, _)| *c == key) {
            Some(i) if index[i].is_some() => {
                bail_user!("{name} : la colonne « {} » apparaît deux fois", excerpt(h))
            }
            Some(i) => index[i] = Some(pos),
            None => bail_user!(
                "{name} : colonne « {} » inconnue.{} Colonnes attendues : {}.",
                excerpt(h),
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
    Ok(index)
}

/// `;` when the header line has more of them than commas, else `,`.
fn sniff_delimiter(start: &[u8]) -> u8 {
    let header = start.split(|&b| b == b'\n').next().unwrap_or(b"");
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}

/// A csv error in French, with its line.
fn csv_error(name: &str, e: csv::Error, lines: &Lines) -> anyhow::Error {
    let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
    if let csv::ErrorKind::Io(io) = e.kind()
        && io
            .get_ref()
            .is_some_and(|inner| inner.is::<RecordTooLong>())
    {
        return user(format!(
            "{name}, ligne {line} : une ligne de plus de {MAX_RECORD_BYTES} octets ; un guillemet ouvert ligne {line} n'est sans doute jamais refermé. Rien n'a été importé."
        ));
    }
    match e.into_kind() {
        csv::ErrorKind::Io(io) => user(format!(
            "lecture de {name} impossible, ligne {line} : {}",
            crate::error::io_fr(&io)
        )),
        other => user(format!(
            "{name}, ligne {line} : ligne CSV illisible ({})",
            excerpt(&format!("{:?}", other))
        )),
    }
}

/// A record read strictly: no line break inside a field (a quote left open swallows the
/// lines after it), no control character, as many fields as the header.
fn check_record(
    name: &str,
    line: u64,
    record: &csv::StringRecord,
    headers: Option<&csv::StringRecord>,
) -> Result<()> {
    let column = |i: usize| -> String {
        match headers.and_then(|h| h.get(i)) {
            Some(h) => format!("colonne « {} »", excerpt(h)),
            None => format!("champ {}", i + 1),
        }
    };
    for (i, field) in record.iter().enumerate() {
        if field.contains('\n') {
            let before = field.split('\n').next().unwrap_or("");
            bail_user!(
                "{name}, ligne {line}, {} : un guillemet ouvert (« \"{} ») n'est pas refermé sur la ligne ; il avale les lignes suivantes. Fermez-le, ou doublez les guillemets à l'intérieur d'un texte (\"\"). Rien n'a été importé.",
                column(i),
                excerpt(before)
            );
        }
        if let Some((at, c)) = field.chars().enumerate().find(|(_, c)| c.is_control()) {
            bail_user!(
                "{name}, ligne {line}, {}, caractère {} : caractère de contrôle {} interdit dans un fichier importé ; retirez-le (le fichier vient-il d'un autre logiciel ?). Rien n'a été importé.",
                column(i),
                at + 1,
                control_name(c)
            );
        }
    }
    if let Some(h) = headers
        && record.len() != h.len()
    {
        bail_user!(
            "{name}, ligne {line} : {} champ(s) alors que l'en-tête nomme {} colonnes ; un texte contient-il le séparateur sans guillemets autour ? Rien n'a été importé.",
            record.len(),
            h.len()
        );
    }
    Ok(())
}

/// `U+0000 (NUL)`, `U+0009 (tabulation)`.
fn control_name(c: char) -> String {
    let what = match c {
        '\0' => " (NUL)",
        '\t' => " (tabulation)",
        '\u{1b}' => " (échappement)",
        _ => "",
    };
    format!("U+{:04X}{what}", c as u32)
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
    communes: &mut CommuneCache,
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
                vocabulaire: [get("thematiques"), get("materiel"), get("niveau")],
            }
            .check_with(home, communes)?;
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
            let type_financeur = match get("type").map(str::trim).filter(|t| !t.is_empty()) {
                None => None,
                Some(t) => Some(
                    crate::domain::financeur::TypeFinanceur::parse(t)
                        .ok_or_else(|| {
                            user(format!(
                                "type de financeur « {} » inconnu : etat, region, departement, intercommunalite, commune, organisme-social, fonds-europeens, asp, etablissement-public, prive ou autre",
                                crate::domain::excerpt(t)
                            ))
                        })
                        .map_err(|e| crate::error::in_field("type", e))?,
                ),
            };
            refs::add_partenaire(conn, req("nom"), type_financeur, doublon)
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
    input: &Input,
    codes: &[crate::cmd::participant::RowCode],
) -> Result<()> {
    let (text, lines) = input.text(Progress::none())?;
    let mut records = Records::open(&input.name, text, &lines)?;
    let delimiter = records.delimiter;
    let mut headers = records.headers().clone();
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
        let mut record = csv::StringRecord::new();
        while let Some(line) = records.next(&mut record)? {
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
        assert_eq!(sniff_delimiter(b"date;projet;commune\na,b"), b';');
        assert_eq!(sniff_delimiter(b"date,projet,commune"), b',');
    }

    /// The line of each record, whatever the line ends, blank lines included.
    #[test]
    fn record_lines_with_every_line_end() {
        for eol in ["\n", "\r\n", "\r"] {
            let file = ["a;b", "1;2", "", "3;4", "\"5\";6", "", ""].join(eol);
            let (text, lines) = input::text(file.as_bytes(), Encoding::Utf8, Progress::none());
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .from_reader(text);
            let mut record = csv::StringRecord::new();
            let mut seen = Vec::new();
            while reader.read_record(&mut record).unwrap() {
                let line = lines.line_of(record.position().unwrap().byte());
                seen.push((line, record.get(0).unwrap().to_string()));
            }
            let expected: Vec<(u64, String)> = [(1, "a"), (2, "1"), (4, "3"), (5, "5")]
                .iter()
                .map(|(l, v)| (*l, v.to_string()))
                .collect();
            assert_eq!(seen, expected, "{eol:?}");
        }
    }

    #[test]
    fn windows_1252_is_decoded() {
        let (mut text, _) = input::text(
            &b"\xEF\xBB\xBFnom\r\nCr\xe9teil"[3..],
            Encoding::Windows1252,
            Progress::none(),
        );
        let mut s = String::new();
        text.read_to_string(&mut s).unwrap();
        assert_eq!(s, "nom\nCréteil");
    }
}
