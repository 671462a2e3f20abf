//! Volunteer time and its valuation in the books.
//!
//! How the entries stay in step with the hours: each record is booked, in the same
//! transaction, as one class 8 entry at the rate of its year (86 personnel bénévole
//! debit, 87 bénévolat credit, on the record's project). Cancelling a record reverses
//! its entry. A new rate for a year re-books that year's records (reversal, then a new
//! entry at the new rate); a new default rate re-books the records of the years that
//! have no rate of their own. A closed year's records and entries never move: its
//! rate cannot change, its records cannot be cancelled.

use super::{bounds, date_of, iso};
use crate::bail_user;
use crate::db::finances::{self, cloture, day};
use crate::db::{gid, now, refs};
use crate::domain::association::valorisation;
use crate::domain::money::Money;
use crate::domain::{MAX_NAME_CHARS, MAX_TEXT_CHARS, check_lengths};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};

/// A valuation rate: of one year, or the default (`annee` None).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Taux {
    pub annee: Option<i32>,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub montant: Money,
    pub source: String,
}

/// One record of volunteer time.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Benevolat {
    pub numero: i64,
    #[serde(serialize_with = "crate::db::association::iso_date")]
    pub date: NaiveDate,
    pub minutes: i64,
    pub personne: Option<String>,
    pub projet: Option<String>,
    /// The rate it was valued at, per hour.
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub taux: Money,
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub valeur: Money,
    /// Its class 8 entry.
    pub ecriture: i64,
    pub annule: bool,
}

/// The rates: the default first, then by year.
pub fn taux(conn: &Connection) -> Result<Vec<Taux>> {
    let mut st = conn
        .prepare("SELECT annee, montant, source FROM benevolat_taux ORDER BY coalesce(annee, 0)")?;
    let rows = st.query_map([], |r| {
        Ok(Taux {
            annee: r.get(0)?,
            montant: Money(r.get(1)?),
            source: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rate that values the hours of `annee`: its own, else the default.
pub fn taux_de(conn: &Connection, annee: i32) -> Result<Option<Money>> {
    Ok(conn
        .query_row(
            "SELECT montant FROM benevolat_taux WHERE annee = ?1 OR annee IS NULL
             ORDER BY annee IS NULL LIMIT 1",
            [annee],
            |r| r.get(0),
        )
        .optional()?
        .map(Money))
}

fn refuse_closed(conn: &Connection, annee: i32, what: &str) -> Result<()> {
    if let Some(le) = cloture(conn, annee)? {
        bail_user!(
            "l'exercice {annee} est clos depuis le {} : {what} ; ses écritures de bénévolat ne bougent plus",
            day(&le)
        );
    }
    Ok(())
}

/// Sets the rate of `annee` (the default when None) and re-books the records it values
/// in open years. Returns how many records were re-booked.
pub fn set_taux(
    conn: &Connection,
    annee: Option<i32>,
    montant: Money,
    source: &str,
) -> Result<usize> {
    let source = source.trim();
    if source.is_empty() {
        bail_user!(
            "--source vide : dites d'où vient le taux, par exemple « SMIC horaire brut 2017 (décret n° 2016-1818) »"
        );
    }
    check_lengths(&[("source", Some(source), MAX_TEXT_CHARS)])?;
    // The records this rate values: those of the year, or of every year without a rate.
    let affected: Vec<(i64, i32)> = conn
        .prepare(
            "SELECT b.id, CAST(substr(b.date, 1, 4) AS INTEGER) AS y FROM benevolat b
             WHERE b.annule_le IS NULL
               AND CASE WHEN ?1 IS NULL
                        THEN NOT EXISTS (SELECT 1 FROM benevolat_taux t
                                         WHERE t.annee = CAST(substr(b.date, 1, 4) AS INTEGER))
                        ELSE y = ?1 END
             ORDER BY b.id",
        )?
        .query_map([annee], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if let Some(y) = annee {
        refuse_closed(conn, y, "son taux de valorisation ne change plus")?;
    }
    // A rate that changes keeps its row (and global id).
    let updated = conn.execute(
        "UPDATE benevolat_taux SET montant = ?2, source = ?3
         WHERE coalesce(annee, 0) = coalesce(?1, 0)",
        params![annee, montant.cents(), source],
    )?;
    if updated == 0 {
        conn.execute(
            "INSERT INTO benevolat_taux (gid, annee, montant, source, cree_le)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![gid::new(), annee, montant.cents(), source, now()],
        )?;
    }
    let mut rebooked = 0;
    for (id, y) in affected {
        // A new default leaves closed years as they were valued.
        if cloture(conn, y)?.is_some() {
            continue;
        }
        let current: i64 =
            conn.query_row("SELECT taux FROM benevolat WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if current == montant.cents() {
            continue;
        }
        rebook(conn, id, montant)?;
        rebooked += 1;
    }
    Ok(rebooked)
}

/// Reverses the entry of record `id` and books it again at `taux`.
fn rebook(conn: &Connection, id: i64, taux: Money) -> Result<()> {
    let (ecriture, date, minutes, projet): (i64, String, u32, Option<String>) = conn.query_row(
        "SELECT b.ecriture_id, b.date, b.minutes, p.nom FROM benevolat b
         LEFT JOIN projet p ON p.id = b.projet_id WHERE b.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    finances::reverse(
        conn,
        ecriture,
        None,
        &format!("bénévolat n° {id} revalorisé à {taux} de l'heure"),
    )?;
    let date = date_of(date)?;
    let entry = book(conn, id, date, minutes, taux, projet)?;
    conn.execute(
        "UPDATE benevolat SET taux = ?1, ecriture_id = ?2 WHERE id = ?3",
        params![taux.cents(), entry, id],
    )?;
    Ok(())
}

fn book(
    conn: &Connection,
    id: i64,
    date: NaiveDate,
    minutes: u32,
    taux: Money,
    projet: Option<String>,
) -> Result<i64> {
    let projet_id = projet
        .as_deref()
        .map(|p| refs::projet_id(conn, p))
        .transpose()?;
    let e = valorisation::ecriture(id, date, minutes, taux, projet);
    finances::insert_resolved(conn, &e, None, projet_id)
}

/// Records volunteer time and books its class 8 entry; returns the record's number and
/// its value.
pub fn add(
    conn: &Connection,
    date: NaiveDate,
    minutes: u32,
    personne: Option<&str>,
    projet: Option<&str>,
) -> Result<(i64, Money)> {
    check_lengths(&[("personne", personne, MAX_NAME_CHARS)])?;
    let personne = crate::domain::optional_text(personne);
    let annee = date.year();
    refuse_closed(
        conn,
        annee,
        "aucune heure de bénévolat ne peut y être ajoutée",
    )?;
    let Some(taux) = taux_de(conn, annee)? else {
        bail_user!(
            "aucun taux de valorisation du bénévolat pour {annee} : fixez-le d'abord, par exemple `ici benevolat taux {annee} --montant 9,76 --source \"SMIC horaire brut {annee}\"` (ou un taux par défaut : `ici benevolat taux --defaut --montant … --source …`)"
        );
    };
    // The project's name as stored, checked before anything is written.
    let projet: Option<String> = projet
        .map(|p| -> Result<String> {
            let id = refs::projet_id(conn, p)?;
            Ok(conn.query_row("SELECT nom FROM projet WHERE id = ?1", [id], |r| r.get(0))?)
        })
        .transpose()
        .map_err(|e| crate::error::in_field("projet", e))?;
    // The entry names its record: the record takes the next number (records are never
    // deleted, and the write transaction holds the ledger), booked first, then written.
    let id: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM benevolat", [], |r| {
        r.get(0)
    })?;
    let projet_id = projet
        .as_deref()
        .map(|p| refs::projet_id(conn, p))
        .transpose()?;
    let entry = book(conn, id, date, minutes, taux, projet)?;
    conn.execute(
        "INSERT INTO benevolat (id, gid, date, minutes, personne, projet_id, taux, ecriture_id,
                                cree_le)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            gid::new(),
            iso(date),
            minutes,
            personne,
            projet_id,
            taux.cents(),
            entry,
            now()
        ],
    )?;
    Ok((id, valorisation::valeur(minutes, taux)))
}

/// Cancels record `numero`: its entry is reversed, its hours no longer count.
pub fn annule(conn: &Connection, numero: i64) -> Result<Benevolat> {
    let Some(b) = one(conn, numero)? else {
        bail_user!("bénévolat n° {numero} introuvable : voyez `ici benevolat list`");
    };
    if b.annule {
        bail_user!("le bénévolat n° {numero} est déjà annulé");
    }
    refuse_closed(
        conn,
        b.date.year(),
        "ses heures de bénévolat ne peuvent plus être annulées",
    )?;
    // An entry already reversed by hand (`ici ecriture annule`) is not reversed twice.
    let reversed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM ecriture WHERE annule_id = ?1)",
        [b.ecriture],
        |r| r.get(0),
    )?;
    if !reversed {
        finances::reverse(
            conn,
            b.ecriture,
            None,
            &format!("annulation du bénévolat n° {numero}"),
        )?;
    }
    conn.execute(
        "UPDATE benevolat SET annule_le = ?1 WHERE id = ?2",
        params![now(), numero],
    )?;
    Ok(b)
}

const SELECT: &str = "SELECT b.id, b.date, b.minutes, b.personne, p.nom, b.taux, b.ecriture_id,
                             b.annule_le IS NOT NULL
                      FROM benevolat b LEFT JOIN projet p ON p.id = b.projet_id";

fn row(r: &rusqlite::Row) -> rusqlite::Result<Benevolat> {
    let minutes: i64 = r.get(2)?;
    let taux = Money(r.get(5)?);
    Ok(Benevolat {
        numero: r.get(0)?,
        date: date_of(r.get(1)?)?,
        minutes,
        personne: r.get(3)?,
        projet: r.get(4)?,
        taux,
        valeur: valorisation::valeur(u32::try_from(minutes).unwrap_or(u32::MAX), taux),
        ecriture: r.get(6)?,
        annule: r.get(7)?,
    })
}

fn one(conn: &Connection, numero: i64) -> Result<Option<Benevolat>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE b.id = ?1"), [numero], row)
        .optional()?)
}

/// The volunteering of `annee` (all without a year), cancelled records included, by date.
pub fn benevolat(conn: &Connection, annee: Option<i32>) -> Result<Vec<Benevolat>> {
    let (start, end) = annee.map(bounds).unzip();
    let mut st = conn.prepare(&format!(
        "{SELECT} WHERE ?1 IS NULL OR b.date BETWEEN ?1 AND ?2 ORDER BY b.date, b.id"
    ))?;
    let rows = st.query_map(params![start, end], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What `ici verifie` finds out of step between the records and their entries: a live
/// record whose entry was reversed by hand, a cancelled one whose entry was not, an
/// entry whose amount is not hours × rate.
pub fn verifie(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT b.id, b.ecriture_id, b.minutes, b.taux, b.annule_le IS NOT NULL,
                EXISTS (SELECT 1 FROM ecriture r WHERE r.annule_id = b.ecriture_id),
                (SELECT coalesce(sum(l.debit), 0) FROM ligne l
                  WHERE l.ecriture_id = b.ecriture_id AND l.compte LIKE '86%')
           FROM benevolat b ORDER BY b.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, u32>(2)?,
            Money(r.get(3)?),
            r.get::<_, bool>(4)?,
            r.get::<_, bool>(5)?,
            Money(r.get(6)?),
        ))
    })?;
    let mut found = Vec::new();
    for row in rows {
        let (n, e, minutes, taux, annule, reversed, booked) = row?;
        if annule && !reversed {
            found.push(format!(
                "bénévolat n° {n} annulé, mais son écriture n° {e} n'est pas contrepassée"
            ));
        } else if !annule && reversed {
            found.push(format!(
                "bénévolat n° {n} : son écriture n° {e} est contrepassée mais ses heures comptent encore ; annulez-le avec `ici benevolat annule {n}`"
            ));
        } else if !annule && booked != valorisation::valeur(minutes, taux) {
            found.push(format!(
                "bénévolat n° {n} : écriture n° {e} de {booked} au lieu de {} (heures × taux)",
                valorisation::valeur(minutes, taux)
            ));
        }
    }
    Ok(found)
}

/// Volunteer time of one project in a year (`projet` None: given to no project).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParProjet {
    pub projet: Option<String>,
    pub minutes: i64,
    /// What it is valued at in the books: the sum of its records' values.
    #[serde(serialize_with = "crate::domain::money::serialize_plain")]
    pub valeur: Money,
}

/// The volunteering of `annee` per project (records not cancelled), projects by name,
/// the time given to no project last.
pub fn par_projet(conn: &Connection, annee: i32) -> Result<Vec<ParProjet>> {
    let mut out: Vec<ParProjet> = Vec::new();
    for b in benevolat(conn, Some(annee))?
        .into_iter()
        .filter(|b| !b.annule)
    {
        match out.iter_mut().find(|p| p.projet == b.projet) {
            Some(p) => {
                p.minutes += b.minutes;
                p.valeur = Money(p.valeur.cents() + b.valeur.cents());
            }
            None => out.push(ParProjet {
                projet: b.projet,
                minutes: b.minutes,
                valeur: b.valeur,
            }),
        }
    }
    out.sort_by(|a, b| (a.projet.is_none(), &a.projet).cmp(&(b.projet.is_none(), &b.projet)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn time_per_project_sums_live_records_at_their_value() {
        let mut ledger = Ledger::in_memory().unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        ledger
            .write(|tx| {
                refs::add_projet(tx, "NET94", "emploi", None, false)?;
                set_taux(tx, Some(2017), Money(976), "SMIC horaire brut 2017")?;
                add(tx, d("2017-03-01"), 600, Some("A"), Some("NET94"))?;
                add(tx, d("2017-04-01"), 90, None, Some("net94"))?;
                add(tx, d("2017-05-01"), 60, Some("B"), None)?;
                add(tx, d("2017-06-01"), 60, Some("C"), None)?;
                annule(tx, 4)?;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            par_projet(ledger.conn(), 2017).unwrap(),
            [
                ParProjet {
                    projet: Some("NET94".into()),
                    minutes: 690,
                    valeur: Money(9760 + 1464),
                },
                ParProjet {
                    projet: None,
                    minutes: 60,
                    valeur: Money(976),
                },
            ]
        );
    }
}
