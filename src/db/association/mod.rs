//! The people of the association and its agenda in the ledger: staff ([`equipe`]),
//! board ([`gouvernance`]), members ([`adherents`]), volunteer time ([`benevolat`])
//! and the highlights of the year ([`evenements`]). Apart from the participant
//! register; personal data all the same: [`oublie`] erases a person who asks.
//!
//! The read functions take a year and return plain rows, for `ici … list` and the
//! annual report.

pub mod benevolat;

use crate::bail_user;
use crate::db::{gid, now, refs};
use crate::domain::association::etp::{self, Contrat};
use crate::domain::association::{Chiffres, check_period};
use crate::domain::money::Money;
use crate::domain::{MAX_NAME_CHARS, MAX_TEXT_CHARS, check_lengths};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

pub use benevolat::{Benevolat, ParProjet, Taux, benevolat, par_projet};

/// `2017-06-01`, as dates are stored.
fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A stored date; the schema only ever holds ISO dates.
fn date_of(s: String) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// First and last day of a year, as stored.
fn bounds(annee: i32) -> (String, String) {
    (format!("{annee:04}-01-01"), format!("{annee:04}-12-31"))
}

/// A date in JSON: `"2017-06-01"`.
pub fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*d))
}

/// An optional date in JSON: `"2017-06-01"` or null.
pub fn iso_opt_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&iso(*d)),
        None => s.serialize_none(),
    }
}

/// An optional amount as JSON carries amounts: plain text, or null.
fn opt_plain<S: serde::Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => s.serialize_str(&m.plain()),
        None => s.serialize_none(),
    }
}

/// A person's name as typed: trimmed, not empty, not too long.
fn check_nom(nom: &str) -> Result<String> {
    let nom = nom.trim();
    if nom.is_empty() {
        bail_user!("nom vide : écrivez le prénom et le nom de la personne");
    }
    // The name is an argument, not an option: the message names no flag.
    crate::domain::check_length(nom, MAX_NAME_CHARS)?;
    Ok(nom.to_string())
}

/// One contract of a member of the team.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Membre {
    pub nom: String,
    pub statut: String,
    pub poste: String,
    #[serde(serialize_with = "crate::db::association::iso_date")]
    pub debut: NaiveDate,
    #[serde(serialize_with = "crate::db::association::iso_opt_date")]
    pub fin: Option<NaiveDate>,
    /// Percent of full time.
    pub temps: u32,
    pub contrat: Option<String>,
}

/// A contract to record.
pub struct NewMembre<'a> {
    pub nom: &'a str,
    pub statut: &'static str,
    pub poste: &'a str,
    pub debut: NaiveDate,
    pub fin: Option<NaiveDate>,
    pub temps: u32,
    pub contrat: Option<&'a str>,
}

/// Records a contract; the name as stored is returned.
pub fn add_membre(conn: &Connection, m: &NewMembre) -> Result<String> {
    let nom = check_nom(m.nom)?;
    crate::error::field("fin", check_period(m.debut, m.fin))?;
    let poste = m.poste.trim();
    if poste.is_empty() {
        bail_user!("--poste vide : écrivez l'intitulé du poste, par exemple « Chargé de projet »");
    }
    check_lengths(&[
        ("poste", Some(poste), MAX_TEXT_CHARS),
        ("contrat", m.contrat, MAX_NAME_CHARS),
    ])?;
    // Two contracts of one person cannot overlap: the same contract typed twice, or a
    // new one before the end of the current one (`ici equipe fin` first).
    let overlap: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT debut, fin FROM equipe WHERE nom = ?1
               AND debut <= coalesce(?3, '9999-12-31') AND (fin IS NULL OR fin >= ?2)",
            params![nom, iso(m.debut), m.fin.map(iso)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((debut, fin)) = overlap {
        bail_user!(
            "« {nom} » a déjà un contrat à ces dates (du {debut}{}) : voyez `ici equipe list` ; pour un nouveau contrat, terminez d'abord l'autre avec `ici equipe fin`",
            fin.map_or(", en cours".to_string(), |f| format!(" au {f}"))
        );
    }
    conn.execute(
        "INSERT INTO equipe (gid, nom, statut, poste, debut, fin, temps, contrat, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            gid::new(),
            nom,
            m.statut,
            poste,
            iso(m.debut),
            m.fin.map(iso),
            m.temps,
            crate::domain::optional_text(m.contrat),
            now()
        ],
    )?;
    Ok(nom)
}

/// Ends the open contract of `nom` on `date` (its last day worked).
pub fn fin_membre(conn: &Connection, nom: &str, date: NaiveDate) -> Result<Membre> {
    let open: Vec<(i64, NaiveDate)> = conn
        .prepare("SELECT id, debut FROM equipe WHERE nom = ?1 AND fin IS NULL")?
        .query_map([nom.trim()], |r| Ok((r.get(0)?, date_of(r.get(1)?)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (id, debut) = match open.as_slice() {
        [one] => *one,
        [] => bail_user!(
            "« {} » n'a pas de contrat en cours dans l'équipe : voyez `ici equipe list`",
            nom.trim()
        ),
        _ => bail_user!(
            "« {} » a plusieurs contrats en cours : voyez `ici equipe list`",
            nom.trim()
        ),
    };
    crate::error::field("date", check_period(debut, Some(date)))?;
    conn.execute(
        "UPDATE equipe SET fin = ?1 WHERE id = ?2",
        params![iso(date), id],
    )?;
    Ok(conn.query_row(
        "SELECT nom, statut, poste, debut, fin, temps, contrat FROM equipe WHERE id = ?1",
        [id],
        membre_row,
    )?)
}

fn membre_row(r: &rusqlite::Row) -> rusqlite::Result<Membre> {
    Ok(Membre {
        nom: r.get(0)?,
        statut: r.get(1)?,
        poste: r.get(2)?,
        debut: date_of(r.get(3)?)?,
        fin: r.get::<_, Option<String>>(4)?.map(date_of).transpose()?,
        temps: r.get(5)?,
        contrat: r.get(6)?,
    })
}

/// The team: every contract, or those with at least one day in `annee`; by start.
pub fn equipe(conn: &Connection, annee: Option<i32>) -> Result<Vec<Membre>> {
    let (start, end) = annee.map(bounds).unzip();
    let mut st = conn.prepare(
        "SELECT nom, statut, poste, debut, fin, temps, contrat FROM equipe
         WHERE ?1 IS NULL OR (debut <= ?2 AND (fin IS NULL OR fin >= ?1))
         ORDER BY debut, nom, id",
    )?;
    let rows = st.query_map(params![start, end], membre_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One office of the bureau or the board.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mandat {
    pub nom: String,
    pub fonction: String,
    #[serde(serialize_with = "crate::db::association::iso_date")]
    pub debut: NaiveDate,
    #[serde(serialize_with = "crate::db::association::iso_opt_date")]
    pub fin: Option<NaiveDate>,
}

/// Records an office.
pub fn add_mandat(
    conn: &Connection,
    nom: &str,
    fonction: &'static str,
    debut: NaiveDate,
    fin: Option<NaiveDate>,
) -> Result<String> {
    let nom = check_nom(nom)?;
    crate::error::field("fin", check_period(debut, fin))?;
    let same: Option<String> = conn
        .query_row(
            "SELECT debut FROM gouvernance WHERE nom = ?1 AND fonction = ?2
               AND debut <= coalesce(?4, '9999-12-31') AND (fin IS NULL OR fin >= ?3)",
            params![nom, fonction, iso(debut), fin.map(iso)],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(d) = same {
        bail_user!(
            "« {nom} » est déjà {} à ces dates (depuis le {d}) : voyez `ici gouvernance list`",
            crate::domain::association::label(fonction)
        );
    }
    conn.execute(
        "INSERT INTO gouvernance (gid, nom, fonction, debut, fin, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![gid::new(), nom, fonction, iso(debut), fin.map(iso), now()],
    )?;
    Ok(nom)
}

/// Ends the open office of `nom` on `date` (its last day); `fonction` chooses among
/// several open ones.
pub fn fin_mandat(
    conn: &Connection,
    nom: &str,
    fonction: Option<&'static str>,
    date: NaiveDate,
) -> Result<Mandat> {
    let open: Vec<(i64, String, NaiveDate)> = conn
        .prepare(
            "SELECT id, fonction, debut FROM gouvernance
             WHERE nom = ?1 AND fin IS NULL AND (?2 IS NULL OR fonction = ?2)",
        )?
        .query_map(params![nom.trim(), fonction], |r| {
            Ok((r.get(0)?, r.get(1)?, date_of(r.get(2)?)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (id, debut) = match open.as_slice() {
        [(id, _, debut)] => (*id, *debut),
        [] => bail_user!(
            "« {} » n'a pas de mandat en cours{} : voyez `ici gouvernance list`",
            nom.trim(),
            fonction.map_or(String::new(), |f| format!(
                " de {}",
                crate::domain::association::label(f)
            ))
        ),
        several => {
            let list: Vec<&str> = several.iter().map(|(_, f, _)| f.as_str()).collect();
            bail_user!(
                "« {} » a plusieurs mandats en cours ({}) : précisez --fonction",
                nom.trim(),
                list.join(", ")
            )
        }
    };
    crate::error::field("date", check_period(debut, Some(date)))?;
    conn.execute(
        "UPDATE gouvernance SET fin = ?1 WHERE id = ?2",
        params![iso(date), id],
    )?;
    Ok(conn.query_row(
        "SELECT nom, fonction, debut, fin FROM gouvernance WHERE id = ?1",
        [id],
        |r| {
            Ok(Mandat {
                nom: r.get(0)?,
                fonction: r.get(1)?,
                debut: date_of(r.get(2)?)?,
                fin: r.get::<_, Option<String>>(3)?.map(date_of).transpose()?,
            })
        },
    )?)
}

/// The offices held at least one day of `annee` (all of them without a year): the
/// bureau first in the order of [`crate::domain::association::FONCTIONS`], then the board.
pub fn gouvernance(conn: &Connection, annee: Option<i32>) -> Result<Vec<Mandat>> {
    let (start, end) = annee.map(bounds).unzip();
    let mut st = conn.prepare(
        "SELECT nom, fonction, debut, fin FROM gouvernance
         WHERE ?1 IS NULL OR (debut <= ?2 AND (fin IS NULL OR fin >= ?1))
         ORDER BY CASE fonction WHEN 'president' THEN 1 WHEN 'vice-president' THEN 2
                  WHEN 'tresorier' THEN 3 WHEN 'secretaire' THEN 4 ELSE 5 END, debut, id",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok(Mandat {
            nom: r.get(0)?,
            fonction: r.get(1)?,
            debut: date_of(r.get(2)?)?,
            fin: r.get::<_, Option<String>>(3)?.map(date_of).transpose()?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A membership.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Adherent {
    pub nom: String,
    #[serde(serialize_with = "crate::db::association::iso_date")]
    pub date: NaiveDate,
    /// The fee noted, if any (not booked: see the README).
    #[serde(serialize_with = "opt_plain")]
    pub cotisation: Option<Money>,
}

/// Records a membership: one per person and year.
pub fn add_adherent(
    conn: &Connection,
    nom: &str,
    date: NaiveDate,
    cotisation: Option<Money>,
) -> Result<String> {
    let nom = check_nom(nom)?;
    let year = iso(date)[..4].to_string();
    let known: Option<String> = conn
        .query_row(
            "SELECT date FROM adherent WHERE nom = ?1 AND substr(date, 1, 4) = ?2",
            params![nom, year],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(d) = known {
        bail_user!(
            "« {nom} » est déjà adhérent(e) en {year} (adhésion du {d}) : une adhésion par personne et par an"
        );
    }
    conn.execute(
        "INSERT INTO adherent (gid, nom, date, cotisation, cree_le) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            gid::new(),
            nom,
            iso(date),
            cotisation.map(Money::cents),
            now()
        ],
    )?;
    Ok(nom)
}

/// The memberships of `annee` (all without a year), by name.
pub fn adherents(conn: &Connection, annee: Option<i32>) -> Result<Vec<Adherent>> {
    let (start, end) = annee.map(bounds).unzip();
    let mut st = conn.prepare(
        "SELECT nom, date, cotisation FROM adherent
         WHERE ?1 IS NULL OR date BETWEEN ?1 AND ?2 ORDER BY date, nom",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok(Adherent {
            nom: r.get(0)?,
            date: date_of(r.get(1)?)?,
            cotisation: r.get::<_, Option<i64>>(2)?.map(Money),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the books hold in 756 (cotisations) for `annee`: credit minus debit.
pub fn cotisations_comptables(conn: &Connection, annee: i32) -> Result<Money> {
    let (start, end) = bounds(annee);
    Ok(Money(conn.query_row(
        "SELECT coalesce(sum(l.credit - l.debit), 0) FROM ligne l
         JOIN ecriture e ON e.id = l.ecriture_id
         WHERE l.compte LIKE '756%' AND e.date BETWEEN ?1 AND ?2",
        params![start, end],
        |r| r.get(0),
    )?))
}

/// One highlight of the year.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Evenement {
    pub numero: i64,
    #[serde(serialize_with = "crate::db::association::iso_date")]
    pub date: NaiveDate,
    pub titre: String,
    pub projet: Option<String>,
    pub texte: Option<String>,
}

/// Records a highlight; its number is returned.
pub fn add_evenement(
    conn: &Connection,
    date: NaiveDate,
    titre: &str,
    projet: Option<&str>,
    texte: Option<&str>,
) -> Result<i64> {
    let titre = titre.trim();
    if titre.is_empty() {
        bail_user!("--titre vide : écrivez ce qui s'est passé, en quelques mots");
    }
    check_lengths(&[("titre", Some(titre), MAX_TEXT_CHARS)])?;
    // A paragraph of the report: longer than a label.
    check_lengths(&[("texte", texte, 4 * MAX_TEXT_CHARS)])?;
    let projet_id = projet
        .map(|p| refs::projet_id(conn, p))
        .transpose()
        .map_err(|e| crate::error::in_field("projet", e))?;
    conn.execute(
        "INSERT INTO evenement (gid, date, titre, projet_id, texte, cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            gid::new(),
            iso(date),
            titre,
            projet_id,
            crate::domain::optional_text(texte),
            now()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Deletes highlight `numero` (a highlight is no record of the books: it goes whole).
pub fn supprime_evenement(conn: &Connection, numero: i64) -> Result<Evenement> {
    let Some(e) = evenements(conn, None)?
        .into_iter()
        .find(|e| e.numero == numero)
    else {
        bail_user!("temps fort n° {numero} introuvable : voyez `ici evenement list`");
    };
    conn.execute("DELETE FROM evenement WHERE id = ?1", [numero])?;
    Ok(e)
}

/// The agenda of `annee` (all without a year), in date order.
pub fn evenements(conn: &Connection, annee: Option<i32>) -> Result<Vec<Evenement>> {
    let (start, end) = annee.map(bounds).unzip();
    let mut st = conn.prepare(
        "SELECT e.id, e.date, e.titre, p.nom, e.texte FROM evenement e
         LEFT JOIN projet p ON p.id = e.projet_id
         WHERE ?1 IS NULL OR e.date BETWEEN ?1 AND ?2 ORDER BY e.date, e.id",
    )?;
    let rows = st.query_map(params![start, end], |r| {
        Ok(Evenement {
            numero: r.get(0)?,
            date: date_of(r.get(1)?)?,
            titre: r.get(2)?,
            projet: r.get(3)?,
            texte: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets a project's description (what the report's « Nos actions » says of it).
pub fn set_description(conn: &Connection, projet: &str, description: &str) -> Result<String> {
    let id = refs::projet_id(conn, projet).map_err(|e| crate::error::in_field("projet", e))?;
    let text = description.trim();
    if text.is_empty() {
        bail_user!("--description vide : écrivez ce que fait le projet, en un paragraphe");
    }
    check_lengths(&[("description", Some(text), 10 * MAX_TEXT_CHARS)])?;
    conn.execute(
        "UPDATE projet SET description = ?1 WHERE id = ?2",
        params![text, id],
    )?;
    Ok(conn.query_row("SELECT nom FROM projet WHERE id = ?1", [id], |r| r.get(0))?)
}

/// Each project's description, by name (projects without one are left out).
pub fn descriptions(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare(
        "SELECT nom, description FROM projet WHERE description IS NOT NULL ORDER BY nom",
    )?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The figures of `annee` for `ici stats`.
pub fn chiffres(conn: &Connection, annee: i32) -> Result<Chiffres> {
    let contrats: Vec<Contrat> = conn
        .prepare("SELECT nom, debut, fin, temps FROM equipe WHERE statut = 'salarie'")?
        .query_map([], |r| {
            Ok(Contrat {
                nom: r.get(0)?,
                debut: date_of(r.get(1)?)?,
                fin: r.get::<_, Option<String>>(2)?.map(date_of).transpose()?,
                temps: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (arrivees, departs) = etp::arrivees_departs(&contrats, annee);
    let (start, end) = bounds(annee);
    let (benevoles, minutes): (i64, i64) = conn.query_row(
        "SELECT count(DISTINCT personne), coalesce(sum(minutes), 0) FROM benevolat
         WHERE date BETWEEN ?1 AND ?2 AND annule_le IS NULL",
        params![start, end],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let adherents: i64 = conn.query_row(
        "SELECT count(DISTINCT nom) FROM adherent WHERE date BETWEEN ?1 AND ?2",
        params![start, end],
        |r| r.get(0),
    )?;
    Ok(Chiffres {
        salaries: etp::presents(&contrats, annee),
        etp_dixiemes: etp::etp_dixiemes(&contrats, annee),
        benevoles,
        minutes_benevolat: minutes,
        adherents,
        arrivees,
        departs,
    })
}

/// What [`oublie`] removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Oubli {
    pub contrats: usize,
    pub mandats: usize,
    pub adhesions: usize,
    /// Volunteering records kept for their hours, the name removed.
    pub benevolat: usize,
}

impl Oubli {
    pub fn is_empty(&self) -> bool {
        *self == Oubli::default()
    }
}

/// Erases a person of the association at their request: their contracts, offices and
/// memberships are deleted; their volunteering keeps its hours and its entry in the
/// books (which never held their name), the name replaced by a placeholder.
pub fn oublie(conn: &Connection, nom: &str) -> Result<Oubli> {
    let nom = nom.trim();
    let o = Oubli {
        contrats: conn.execute("DELETE FROM equipe WHERE nom = ?1", [nom])?,
        mandats: conn.execute("DELETE FROM gouvernance WHERE nom = ?1", [nom])?,
        adhesions: conn.execute("DELETE FROM adherent WHERE nom = ?1", [nom])?,
        // A placeholder of their own, so that the year's count of volunteers stays.
        benevolat: conn.execute(
            "UPDATE benevolat SET personne = ?2 WHERE personne = ?1",
            params![
                nom,
                format!("(effacé {})", &gid::new().simple().to_string()[24..])
            ],
        )?,
    };
    if o.is_empty() {
        bail_user!(
            "« {nom} » n'est ni dans l'équipe, ni dans la gouvernance, ni parmi les adhérents ou les bénévoles : rien n'a été effacé (l'orthographe compte, la casse non)"
        );
    }
    Ok(o)
}
