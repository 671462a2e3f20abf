//! Sessions in the ledger: writing, listing, cancelling.

use crate::bail_user;
use crate::db::{now, participants, refs};
use crate::domain::duration::Minutes;
use crate::domain::session::{Correction, Lieu, NewSession, PUBLICS, Place, Publics};
use crate::domain::vocabulaire::{MATERIELS, THEMATIQUES, Vocabulaire};
use crate::error::in_field;
use crate::territory::{self, Resolution};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Row, params};

/// A session as stored, with its names resolved.
#[derive(Debug, Clone)]
pub struct Session {
    pub numero: i64,
    pub date: String,
    pub projet: String,
    pub theme: String,
    pub place: Place,
    pub duree: Minutes,
    pub participants: u32,
    pub publics: Publics,
    pub partenaire: Option<String>,
    pub intitule: Option<String>,
    pub formateur: Option<String>,
    pub annulee_le: Option<String>,
    pub motif_annulation: Option<String>,
    /// Of the participants, how many are named (the rest are anonymous).
    pub nommes: u32,
    pub vocabulaire: Vocabulaire,
}

/// Reads the place columns (lieu, code_insee, commune_saisie).
pub fn place_from_columns(lieu: &str, code: Option<String>, saisie: Option<String>) -> Place {
    match (lieu, code.as_deref().and_then(territory::commune), saisie) {
        ("distance", _, _) => Place::Distance,
        (_, Some(c), _) => Place::Commune(c),
        (_, None, saisie) => Place::Inconnue(saisie.or(code).unwrap_or_default()),
    }
}

/// The place columns (lieu, code_insee) of a checked place.
fn place_columns(lieu: &Lieu) -> (&'static str, Option<&'static str>) {
    match lieu {
        Lieu::Site(c) => ("site", Some(c.code)),
        Lieu::Distance => ("distance", None),
    }
}

/// Resolves the names of a checked session and writes it; returns its number. A
/// session like one already recorded is refused unless `doublon` says it is meant.
pub fn insert(conn: &Connection, s: &NewSession, doublon: bool) -> Result<i64> {
    let projet_id = refs::projet_id(conn, &s.projet).map_err(|e| in_field("projet", e))?;
    let partenaire_id = s
        .partenaire
        .as_deref()
        .map(|p| refs::partenaire_id(conn, p))
        .transpose()
        .map_err(|e| in_field("partenaire", e))?;
    // Every code is checked before anything is written.
    let presents =
        participants::resolve_presents(conn, &s.presents).map_err(|e| in_field("presents", e))?;
    if !doublon && let Some(existing) = duplicate_of(conn, s, projet_id)? {
        bail_user!(
            "cette session est déjà enregistrée : session {} du {}, {}, {}, {} ({} participant(s)) ; si c'est voulu (deux groupes le même jour), ajoutez --doublon",
            existing.numero,
            existing.date,
            existing.projet,
            existing.place,
            existing.duree,
            existing.participants
        );
    }
    let (lieu, code) = place_columns(&s.lieu);
    let p = s.publics;
    let (thematiques, materiel, niveau) = s.vocabulaire.columns();
    conn.prepare_cached(
        "INSERT INTO session (date, projet_id, lieu, code_insee, duree_minutes, participants,
             femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire_id, intitule, formateur, cree_le,
             thematiques, materiel, niveau, gid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        s.date.format("%Y-%m-%d").to_string(),
        projet_id,
        lieu,
        code,
        s.duree.0,
        s.participants,
        p.femmes,
        p.qpv,
        p.jeunes_ml,
        p.demandeurs_emploi,
        p.rsa,
        partenaire_id,
        s.intitule,
        s.formateur,
        now(),
        thematiques,
        materiel,
        niveau,
        super::gid::new(),
    ])?;
    let id = conn.last_insert_rowid();
    participants::add_presences(conn, id, &presents)?;
    Ok(id)
}

/// The session already recorded that `s` would repeat, if any (see [`insert`]); none
/// when its project is unknown, which [`insert`] reports.
pub fn find_duplicate(conn: &Connection, s: &NewSession) -> Result<Option<Session>> {
    match refs::projet_id(conn, &s.projet) {
        Ok(projet_id) => duplicate_of(conn, s, projet_id),
        Err(_) => Ok(None),
    }
}

/// A recorded session, not cancelled, with the same date, project, place and
/// duration. Read through the (projet, date) index: a handful of rows at most.
fn duplicate_of(conn: &Connection, s: &NewSession, projet_id: i64) -> Result<Option<Session>> {
    let (lieu, code) = place_columns(&s.lieu);
    let numero: Option<i64> = conn
        .prepare_cached(
            // The values come in through `p`, not as `date = ?2`: compared with a
            // column of a table that has partial indexes, a bound value makes SQLite
            // prepare the statement again for each new value.
            "WITH p (projet_id, jour, lieu, code, duree) AS (SELECT ?1, ?2, ?3, ?4, ?5)
             SELECT s.id FROM p, session s
             WHERE s.projet_id = p.projet_id AND s.date = p.jour AND s.annulee_le IS NULL
               AND s.lieu = p.lieu AND s.code_insee IS p.code AND s.duree_minutes = p.duree
             ORDER BY s.id LIMIT 1",
        )?
        .query_row(
            params![
                projet_id,
                s.date.format("%Y-%m-%d").to_string(),
                lieu,
                code,
                s.duree.0
            ],
            |r| r.get(0),
        )
        .optional()?;
    numero.map_or(Ok(None), |n| get(conn, n))
}

const SELECT: &str = "SELECT s.id, s.date, p.nom, p.theme, s.lieu, s.code_insee, s.commune_saisie,
        s.duree_minutes, s.participants,
        s.femmes, s.qpv, s.jeunes_ml, s.demandeurs_emploi, s.rsa, pa.nom, s.intitule, s.formateur,
        s.annulee_le, s.motif_annulation,
        (SELECT count(*) FROM presence pr WHERE pr.session_id = s.id),
        s.thematiques, s.materiel, s.niveau
    FROM session s
    JOIN projet p ON p.id = s.projet_id
    LEFT JOIN partenaire pa ON pa.id = s.partenaire_id";

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        numero: r.get(0)?,
        date: r.get(1)?,
        projet: r.get(2)?,
        theme: r.get(3)?,
        place: place_from_columns(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?),
        duree: Minutes(r.get(7)?),
        participants: r.get(8)?,
        publics: Publics::from_values([r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?]),
        partenaire: r.get(14)?,
        intitule: r.get(15)?,
        formateur: r.get(16)?,
        annulee_le: r.get(17)?,
        motif_annulation: r.get(18)?,
        nommes: r.get(19)?,
        vocabulaire: Vocabulaire::from_columns(r.get(20)?, r.get(21)?, r.get(22)?),
    })
}

pub fn get(conn: &Connection, numero: i64) -> Result<Option<Session>> {
    let sql = format!("{SELECT} WHERE s.id = ?1");
    Ok(conn.query_row(&sql, [numero], from_row).optional()?)
}

/// Which sessions a list or an export reads.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// `[start, end)` ISO dates.
    pub period: Option<(String, String)>,
    pub projet_id: Option<i64>,
    pub partenaire_id: Option<i64>,
    pub with_cancelled: bool,
    /// Only sessions whose commune is still as typed, not resolved.
    pub commune_inconnue: bool,
    /// Only this trainer's sessions (case ignored).
    pub formateur: Option<String>,
    /// Only sessions recorded at or after this ISO date (`cree_le`).
    pub saisies_depuis: Option<String>,
}

/// Sessions in date order, reading only the filtered range through the date index.
pub fn list(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(Session) -> Result<()>,
) -> Result<()> {
    let (start, end) = f
        .period
        .clone()
        .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
    // "What did I enter today" over all dates reads the recording-time index; the
    // unary plus keeps SQLite from taking the date index for the open date range.
    let date = if f.saisies_depuis.is_some() && f.period.is_none() {
        "+s.date"
    } else {
        "s.date"
    };
    let sql = format!(
        "{SELECT} WHERE {date} >= ?1 AND {date} < ?2
           AND (?3 IS NULL OR s.projet_id = ?3)
           AND (?4 IS NULL OR s.partenaire_id = ?4)
           AND (?5 OR s.annulee_le IS NULL)
           AND (NOT ?6 OR s.commune_saisie IS NOT NULL OR s.lieu = 'site')
           AND (?7 IS NULL OR lower(trim(s.formateur)) = lower(trim(?7)))
           AND s.cree_le >= coalesce(?8, '')
         ORDER BY {date}, s.id"
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query(params![
        start,
        end,
        f.projet_id,
        f.partenaire_id,
        f.with_cancelled,
        f.commune_inconnue,
        f.formateur,
        f.saisies_depuis,
    ])?;
    while let Some(row) = rows.next()? {
        let session = from_row(row)?;
        // A code the bundled reference no longer knows (communes merge) is unknown
        // too; only the reference can tell, so that case is filtered here.
        if f.commune_inconnue && !matches!(session.place, Place::Inconnue(_)) {
            continue;
        }
        each(session)?;
    }
    Ok(())
}

/// Marks a session cancelled: it stays in the ledger and leaves every figure.
pub fn cancel(conn: &Connection, numero: i64, motif: &str) -> Result<Session> {
    let motif = motif.trim();
    if motif.is_empty() {
        bail_user!("--motif vide : dites pourquoi la session est annulée");
    }
    let session = existing(conn, numero)?;
    if let Some(le) = &session.annulee_le {
        bail_user!("la session n° {numero} est déjà annulée depuis le {le}");
    }
    conn.execute(
        "UPDATE session SET annulee_le = ?1, motif_annulation = ?2 WHERE id = ?3",
        params![now(), motif, numero],
    )?;
    Ok(get(conn, numero)?.expect("session just updated"))
}

fn existing(conn: &Connection, numero: i64) -> Result<Session> {
    match get(conn, numero)? {
        Some(s) => Ok(s),
        None => bail_user!("session n° {numero} introuvable (voir `ici session list`)"),
    }
}

/// One field changed by a correction, as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub champ: String,
    pub avant: Option<String>,
    pub apres: Option<String>,
}

/// A row of a session's history.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub fait_le: String,
    pub change: FieldChange,
    pub motif: Option<String>,
}

/// The fields of a session as people read them, for its history.
fn readable(s: &Session) -> Vec<(String, Option<String>)> {
    let place = match &s.place {
        Place::Commune(c) => format!("{} ({})", c.nom, c.code),
        other => other.to_string(),
    };
    let mut out = vec![
        ("date".into(), Some(s.date.clone())),
        ("projet".into(), Some(s.projet.clone())),
        ("lieu".into(), Some(place)),
        ("durée".into(), Some(s.duree.to_string())),
        ("participants".into(), Some(s.participants.to_string())),
    ];
    for ((_, label, _), v) in PUBLICS.iter().zip(s.publics.values()) {
        out.push((label.to_lowercase(), v.map(|n| n.to_string())));
    }
    out.push(("partenaire".into(), s.partenaire.clone()));
    out.push(("intitulé".into(), s.intitule.clone()));
    out.push(("formateur".into(), s.formateur.clone()));
    let v = &s.vocabulaire;
    let list = |l: Vec<&str>| Some(l.join(", ")).filter(|l| !l.is_empty());
    out.push(("thématiques".into(), list(v.thematiques.slugs(THEMATIQUES))));
    out.push(("matériel".into(), list(v.materiel.slugs(MATERIELS))));
    out.push(("niveau".into(), v.niveau_slug().map(String::from)));
    out
}

/// Applies a correction in the caller's transaction, with the checks of `session add`
/// that depend on the session: the headcount holds its named people, a breakdown of
/// anonymous people stays within them, a time present within the duration. Each
/// changed field goes to the history. Returns the session as corrected and the
/// changes (none when every value was already the same).
pub fn correct(
    conn: &Connection,
    numero: i64,
    c: &Correction,
    motif: Option<&str>,
) -> Result<(Session, Vec<FieldChange>)> {
    let before = existing(conn, numero)?;
    let user = crate::error::user;
    let projet_id = match &c.projet {
        Some(p) => Some(refs::projet_id(conn, p).map_err(|e| in_field("projet", e))?),
        None => None,
    };
    let partenaire_id = match &c.partenaire {
        Some(Some(p)) => Some(Some(
            refs::partenaire_id(conn, p).map_err(|e| in_field("partenaire", e))?,
        )),
        Some(None) => Some(None),
        None => None,
    };
    let participants = c.participants.unwrap_or(before.participants);
    if participants < before.nommes {
        return Err(in_field(
            "participants",
            user(format!(
                "« {participants} » : moins que les {} présents nommés de la session n° {numero} ; retirez d'abord des présences ou gardez au moins {} participants",
                before.nommes, before.nommes
            )),
        ));
    }
    let anonymes = participants - before.nommes;
    let mut values = before.publics.values();
    for (i, change) in c.publics.iter().enumerate() {
        if let Some(v) = change {
            values[i] = *v;
        }
    }
    for (i, v) in values.iter().enumerate() {
        let Some(n) = v.filter(|n| *n > anonymes) else {
            continue;
        };
        let (key, label, flag) = PUBLICS[i];
        let whom = if before.nommes == 0 {
            format!("les {anonymes} participant(s)")
        } else {
            format!(
                "les {anonymes} participant(s) anonyme(s) ({participants} dont {} nommé(s))",
                before.nommes
            )
        };
        let msg = if c.publics[i].is_some() {
            format!(
                "« {n} » dépasse {whom} de la session n° {numero} : une répartition va de 0 au nombre de participants anonymes"
            )
        } else {
            return Err(in_field(
                "participants",
                user(format!(
                    "« {participants} » : la session n° {numero} compte {n} {} ; corrigez aussi {flag} (ou {flag} nc) dans la même commande",
                    label.to_lowercase()
                )),
            ));
        };
        return Err(in_field(key, user(msg)));
    }
    let duree = c.duree.unwrap_or(before.duree);
    if c.duree.is_some() {
        let longer: Vec<String> = participants::session_codes(conn, numero)?
            .into_iter()
            .filter(|(_, m)| m.is_some_and(|m| m > duree.0))
            .map(|(code, m)| format!("{code} ({})", Minutes(m.unwrap_or(0))))
            .collect();
        if !longer.is_empty() {
            return Err(in_field(
                "duree",
                user(format!(
                    "« {duree} » : moins que le temps de présence noté de {} ; corrigez d'abord ces présences",
                    longer.join(", ")
                )),
            ));
        }
        // A time present equal to the new duration is the whole session.
        conn.execute(
            "UPDATE presence SET minutes = NULL WHERE session_id = ?1 AND minutes >= ?2",
            params![numero, duree.0],
        )?;
    }
    let p = Publics::from_values(values);
    let (thematiques, materiel, niveau) = c.vocabulaire.apply(before.vocabulaire).columns();
    conn.execute(
        "UPDATE session SET
             date = coalesce(?2, date),
             projet_id = coalesce(?3, projet_id),
             duree_minutes = ?4, participants = ?5,
             femmes = ?6, qpv = ?7, jeunes_ml = ?8, demandeurs_emploi = ?9, rsa = ?10,
             partenaire_id = CASE WHEN ?11 THEN ?12 ELSE partenaire_id END,
             intitule = CASE WHEN ?13 THEN ?14 ELSE intitule END,
             formateur = CASE WHEN ?15 THEN ?16 ELSE formateur END,
             thematiques = ?17, materiel = ?18, niveau = ?19
         WHERE id = ?1",
        params![
            numero,
            c.date.map(|d| d.format("%Y-%m-%d").to_string()),
            projet_id,
            duree.0,
            participants,
            p.femmes,
            p.qpv,
            p.jeunes_ml,
            p.demandeurs_emploi,
            p.rsa,
            partenaire_id.is_some(),
            partenaire_id.flatten(),
            c.intitule.is_some(),
            c.intitule.clone().flatten(),
            c.formateur.is_some(),
            c.formateur.clone().flatten(),
            thematiques,
            materiel,
            niveau,
        ],
    )?;
    if let Some(lieu) = &c.lieu {
        let (lieu, code) = place_columns(lieu);
        conn.execute(
            "UPDATE session SET lieu = ?1, code_insee = ?2, commune_saisie = NULL WHERE id = ?3",
            params![lieu, code, numero],
        )?;
    }
    let after = existing(conn, numero)?;
    let changes: Vec<FieldChange> = readable(&before)
        .into_iter()
        .zip(readable(&after))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((champ, avant), (_, apres))| FieldChange {
            champ,
            avant,
            apres,
        })
        .collect();
    let motif = motif.map(str::trim).filter(|m| !m.is_empty());
    let fait_le = now();
    for ch in &changes {
        conn.prepare_cached(
            "INSERT INTO session_correction (session_id, fait_le, champ, avant, apres, motif, gid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            numero,
            fait_le,
            ch.champ,
            ch.avant,
            ch.apres,
            motif,
            super::gid::new()
        ])?;
    }
    Ok((after, changes))
}

/// The corrections of a session, oldest first.
pub fn history(conn: &Connection, numero: i64) -> Result<Vec<HistoryRow>> {
    let rows = conn
        .prepare(
            "SELECT fait_le, champ, avant, apres, motif FROM session_correction
             WHERE session_id = ?1 ORDER BY id",
        )?
        .query_map([numero], |r| {
            Ok(HistoryRow {
                fait_le: r.get(0)?,
                change: FieldChange {
                    champ: r.get(1)?,
                    avant: r.get(2)?,
                    apres: r.get(3)?,
                },
                motif: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When a session was recorded.
pub fn recorded_at(conn: &Connection, numero: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT cree_le FROM session WHERE id = ?1", [numero], |r| {
            r.get(0)
        })
        .optional()?)
}

/// A session that must exist, or the error that says how to find its number.
pub fn must_exist(conn: &Connection, numero: i64) -> Result<Session> {
    existing(conn, numero)
}

/// Resolves the communes still as typed against the reference; returns those it
/// could not, with their number of sessions. Run by the migration to INSEE codes.
pub fn resolve_typed_communes(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let typed: Vec<(String, i64)> = conn
        .prepare(
            "SELECT commune_saisie, count(*) FROM session
             WHERE commune_saisie IS NOT NULL GROUP BY commune_saisie ORDER BY commune_saisie",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut unresolved = Vec::new();
    for (saisie, n) in typed {
        match territory::resolve(&saisie) {
            Resolution::Found(c) => {
                conn.execute(
                    "UPDATE session SET code_insee = ?1, commune_saisie = NULL WHERE commune_saisie = ?2",
                    params![c.code, saisie],
                )?;
            }
            _ => unresolved.push((saisie, n)),
        }
    }
    Ok(unresolved)
}
