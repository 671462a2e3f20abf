//! Participants in the ledger: the register and its identities, attendance, exits and
//! projects' targets. Erasure and the per-person rows behind the figures live in the
//! child modules.

mod erasure;
mod figures;

pub use erasure::{Erasure, ExportLog, checkpoint, effacements, erasable, erase};
pub use figures::{FseRow, attendees, fse_rows};

use crate::bail_user;
use crate::db::sessions::place_from_columns;
use crate::db::{now, refs, sessions};
use crate::domain::duration::Minutes;
use crate::domain::participant::{
    Change, DEFAULT_PREFIX, DIPLOMES, Identite, MAX_NUMERO, OUI_NON, Present, Profile,
    ProfileChanges, SEXES, SITUATIONS, STATUTS, format_code_for, is_erased_code, nearest_codes,
    normalise_code, split_code, stored,
};
use crate::domain::session::{PUBLICS, Place};
use crate::domain::stats::Objectif;
use crate::error::{in_field, user};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

mod doublons;
pub mod fusion;
mod rows;

pub use doublons::{Identities, SamePerson, keys_of, same_person};
pub use rows::{ListFilter, ListRow, list};

/// A person of the register.
#[derive(Debug, Clone)]
pub struct Participant {
    pub id: i64,
    pub code: String,
    pub profile: Profile,
}

impl Participant {
    /// Erased at their request: only an opaque code and the attendance are left.
    pub fn erased(&self) -> bool {
        is_erased_code(&self.code)
    }
}

/// The profile columns, read by [`profile_at`]; the query joins `partenaire pr` on
/// the prescriber.
const PROFILE: &str = "pa.sexe, pa.annee_naissance, pa.statut, pa.qpv, pa.rsa, pa.mission_locale,
    pa.diplome, pa.handicap, pa.code_insee, pr.nom";

fn profile_at(r: &Row, i: usize) -> rusqlite::Result<Profile> {
    let choice = |k: usize, list| -> rusqlite::Result<Option<&'static str>> {
        Ok(stored(list, r.get::<_, Option<String>>(i + k)?.as_deref()))
    };
    Ok(Profile {
        sexe: choice(0, SEXES)?,
        annee_naissance: r.get(i + 1)?,
        statut: choice(2, STATUTS)?,
        qpv: choice(3, OUI_NON)?,
        rsa: choice(4, OUI_NON)?,
        mission_locale: choice(5, OUI_NON)?,
        diplome: choice(6, DIPLOMES)?,
        handicap: choice(7, OUI_NON)?,
        residence: r.get(i + 8)?,
        prescripteur: r.get(i + 9)?,
    })
}

fn identite_at(r: &Row, i: usize) -> rusqlite::Result<Identite> {
    Ok(Identite {
        nom: r.get(i)?,
        prenom: r.get(i + 1)?,
        telephone: r.get(i + 2)?,
        courriel: r.get(i + 3)?,
    })
}

/// Codes in the order people read them: P-0002 before P-0010, erased ones last.
const CODE_ORDER: &str = "(pa.code GLOB 'X-*'), length(pa.code), pa.code";

/// Adds a person; the code is the one given, or the next free one. Returns the code.
/// Someone with the same identity, phone or e-mail as a person already recorded is
/// refused unless `doublon` says they are two people.
pub fn add(
    conn: &Connection,
    code: Option<&str>,
    changes: &ProfileChanges,
    doublon: bool,
) -> Result<String> {
    if !doublon && let Some(same) = same_person(conn, &keys_of(changes), None)? {
        return Err(doublons::refusal(&same));
    }
    let prefix = poste(conn)?.unwrap_or_else(|| DEFAULT_PREFIX.to_string());
    let numero = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            let (typed, n) = split_code(c).map_err(|e| in_field("code", e))?;
            if typed != prefix {
                return Err(in_field(
                    "code",
                    user(format!(
                        "le code {} n'est pas de ce registre, dont les codes commencent par {prefix}- ; sans --code, un code libre est donné",
                        format_code_for(&typed, n)
                    )),
                ));
            }
            if code_taken(conn, &format_code_for(&prefix, n))? {
                return Err(in_field(
                    "code",
                    user(format!(
                        "le code {} est déjà attribué (voir `ici participant show {}`) ; sans --code, un code libre est donné",
                        format_code_for(&prefix, n),
                        format_code_for(&prefix, n)
                    )),
                ));
            }
            if doublons::code_merged(conn, &format_code_for(&prefix, n))? {
                return Err(in_field(
                    "code",
                    user(format!(
                        "le code {} n'est plus attribué : il a été réuni à un autre par `ici participant fusionne` ; sans --code, un code libre est donné",
                        format_code_for(&prefix, n)
                    )),
                ));
            }
            if erasure::code_reserved(conn, n)? {
                return Err(in_field(
                    "code",
                    user(format!(
                        "le code {} n'est plus attribué : il est inférieur au plus haut code déjà donné, et depuis qu'une personne a été effacée à sa demande, un code ancien a pu être le sien ; sans --code, un code libre est donné",
                        format_code_for(&prefix, n)
                    )),
                ));
            }
            n
        }
        None => next_numero(conn, &prefix)?,
    };
    let code = format_code_for(&prefix, numero);
    let prescripteur_id = prescripteur(conn, &changes.prescripteur)?;
    conn.execute(
        "INSERT INTO participant (code, cree_le, gid) VALUES (?1, ?2, ?3)",
        params![code, now(), crate::db::gid::new()],
    )?;
    let id = conn.last_insert_rowid();
    apply(conn, id, changes, prescripteur_id)?;
    conn.execute(
        "INSERT INTO participant_compteur (id, dernier) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET dernier = max(dernier, excluded.dernier)",
        [numero],
    )?;
    Ok(code)
}

fn code_taken(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM participant WHERE code = ?1")?
        .exists([code])?)
}

/// The number after the highest ever given, erased people's included.
fn next_numero(conn: &Connection, prefix: &str) -> Result<u32> {
    let last: i64 = conn.query_row(
        "SELECT max(coalesce((SELECT dernier FROM participant_compteur WHERE id = 1), 0),
                    coalesce((SELECT max(CAST(substr(code, length(?1) + 2) AS INTEGER))
                                FROM participant WHERE code GLOB ?1 || '-[0-9]*'), 0))",
        [prefix],
        |r| r.get(0),
    )?;
    match u32::try_from(last + 1) {
        Ok(n) if n <= MAX_NUMERO => Ok(n),
        _ => bail_user!("plus de code de participant libre ({prefix}-{MAX_NUMERO} atteint)"),
    }
}

/// Records the ledger's own code prefix: codes given from now on start with it.
pub fn set_poste(conn: &Connection, prefix: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO parametre (cle, valeur) VALUES ('poste', ?1)
         ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        [prefix],
    )?;
    Ok(())
}

/// The ledger's own code prefix (`ici init --poste AB`), if it has one.
pub fn poste(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT valeur FROM parametre WHERE cle = 'poste'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// The prescriber's id for a change of prescriber: `None` leaves it, `Some(None)`
/// empties it.
fn prescripteur(conn: &Connection, change: &Change<String>) -> Result<Change<i64>> {
    match change {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(nom)) => refs::partenaire_id(conn, nom)
            .map(|id| Some(Some(id)))
            .map_err(|e| in_field("prescripteur", e)),
    }
}

/// Writes the changes of a profile and of an identity.
fn apply(
    conn: &Connection,
    id: i64,
    changes: &ProfileChanges,
    prescripteur_id: Change<i64>,
) -> Result<()> {
    for (column, value) in changes.columns() {
        // Column names come from a fixed list, never from what was typed.
        conn.execute(
            &format!("UPDATE participant SET {column} = ?1 WHERE id = ?2"),
            params![value, id],
        )?;
    }
    if let Some(p) = prescripteur_id {
        conn.execute(
            "UPDATE participant SET prescripteur_id = ?1 WHERE id = ?2",
            params![p, id],
        )?;
    }
    if changes.identite.iter().all(Option::is_none) {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO participant_identite (participant_id) VALUES (?1) ON CONFLICT DO NOTHING",
        [id],
    )?;
    for (column, value) in ["nom", "prenom", "telephone", "courriel"]
        .iter()
        .zip(&changes.identite)
    {
        if let Some(v) = value {
            conn.execute(
                &format!("UPDATE participant_identite SET {column} = ?1 WHERE participant_id = ?2"),
                params![v, id],
            )?;
        }
    }
    conn.execute(
        "DELETE FROM participant_identite WHERE participant_id = ?1 AND nom IS NULL
           AND prenom IS NULL AND telephone IS NULL AND courriel IS NULL",
        [id],
    )?;
    Ok(())
}

/// A person by code, or an error proposing the nearest codes.
pub fn find(conn: &Connection, input: &str) -> Result<Participant> {
    let code = normalise_code(input)?;
    let sql = format!(
        "SELECT pa.id, pa.code, {PROFILE} FROM participant pa
         LEFT JOIN partenaire pr ON pr.id = pa.prescripteur_id WHERE pa.code = ?1"
    );
    let found = conn
        .query_row(&sql, [&code], |r| {
            Ok(Participant {
                id: r.get(0)?,
                code: r.get(1)?,
                profile: profile_at(r, 2)?,
            })
        })
        .optional()?;
    match found {
        Some(p) => Ok(p),
        None => bail_user!("{}. {UNKNOWN_HINT}", unknown_code(conn, &code)?),
    }
}

/// "participant P-0099 inconnu (vouliez-vous dire « P-0009 » ?)".
fn unknown_code(conn: &Connection, code: &str) -> Result<String> {
    let known: Vec<String> = conn
        .prepare_cached("SELECT code FROM participant WHERE code NOT GLOB 'X-*'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let near: Vec<String> = nearest_codes(code, &known)
        .iter()
        .map(|c| format!("« {c} »"))
        .collect();
    Ok(if near.is_empty() {
        format!("participant {code} inconnu")
    } else {
        format!(
            "participant {code} inconnu (vouliez-vous dire {} ?)",
            near.join(", ")
        )
    })
}

/// Where to look after an unknown code.
const UNKNOWN_HINT: &str =
    "La liste : `ici participant list` ; pour enregistrer une personne : `ici participant add`.";

/// A person who may still be changed: not erased.
fn find_live(conn: &Connection, input: &str) -> Result<Participant> {
    let p = find(conn, input)?;
    if p.erased() {
        bail_user!(
            "{} : cette personne a été effacée à sa demande ; il ne reste que sa présence aux sessions, qui ne se modifie plus",
            p.code
        );
    }
    Ok(p)
}

/// Changes a person's profile or identity; returns the person as they now are.
/// A correction that makes the person the same as another (identity, phone, e-mail)
/// is refused unless `doublon`; `participant fusionne` joins two records of one person.
pub fn corrige(
    conn: &Connection,
    input: &str,
    changes: &ProfileChanges,
    doublon: bool,
) -> Result<Participant> {
    let p = find_live(conn, input)?;
    let prescripteur_id = prescripteur(conn, &changes.prescripteur)?;
    apply(conn, p.id, changes, prescripteur_id)?;
    let p = find(conn, &p.code)?;
    let touched = changes.identite.iter().any(Option::is_some) || changes.annee_naissance.is_some();
    if touched && !doublon {
        let keys = crate::domain::doublon::PersonKeys::of(
            &identite(conn, p.id)?,
            p.profile.annee_naissance,
        );
        if let Some(same) = same_person(conn, &keys, Some(p.id))? {
            return Err(user(format!(
                "après cette correction, {} serait la même personne que {} ({}) : s'il s'agit bien d'une seule personne, réunissez les deux codes avec `ici participant fusionne {} --dans {}` ; si ce sont deux personnes, ajoutez --doublon",
                p.code,
                same.code,
                same.why.label(),
                p.code,
                same.code
            )));
        }
    }
    Ok(p)
}

/// A person's names and contact details (empty when none were given).
pub fn identite(conn: &Connection, id: i64) -> Result<Identite> {
    Ok(conn
        .query_row(
            "SELECT nom, prenom, telephone, courriel FROM participant_identite
             WHERE participant_id = ?1",
            [id],
            |r| identite_at(r, 0),
        )
        .optional()?
        .unwrap_or_default())
}

/// A named person resolved for a session: (participant id, minutes when not the whole).
pub type Resolved = (i64, Option<u32>);

/// Resolves the codes of the named people of a session; every unknown code is named
/// with the nearest known ones.
pub fn resolve_presents(conn: &Connection, presents: &[Present]) -> Result<Vec<Resolved>> {
    let mut out = Vec::with_capacity(presents.len());
    let mut unknown = Vec::new();
    for p in presents {
        let id: Option<i64> = conn
            .prepare_cached("SELECT id FROM participant WHERE code = ?1")?
            .query_row([&p.code], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => out.push((id, p.minutes.map(|m| m.0))),
            None => unknown.push(unknown_code(conn, &p.code)?),
        }
    }
    if !unknown.is_empty() {
        bail_user!("{}. {UNKNOWN_HINT}", unknown.join(" ; "));
    }
    Ok(out)
}

/// Writes the named people of a new session.
pub fn add_presences(conn: &Connection, session_id: i64, presents: &[Resolved]) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO presence (session_id, participant_id, minutes, gid) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (id, minutes) in presents {
        st.execute(params![session_id, id, minutes, crate::db::gid::new()])?;
    }
    Ok(())
}

/// The named people of a session: (code, minutes when not the whole session).
pub fn session_codes(conn: &Connection, session_id: i64) -> Result<Vec<(String, Option<u32>)>> {
    let sql = format!(
        "SELECT pa.code, p.minutes FROM presence p JOIN participant pa ON pa.id = p.participant_id
         WHERE p.session_id = ?1 ORDER BY {CODE_ORDER}"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([session_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The one session of a project on a date, for an attendance sheet that names its
/// session that way.
pub fn session_at(conn: &Connection, date: NaiveDate, projet: &str) -> Result<i64> {
    let projet_id = refs::projet_id(conn, projet).map_err(|e| in_field("projet", e))?;
    let iso = date.format("%Y-%m-%d").to_string();
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM session WHERE projet_id = ?1 AND date = ?2 AND annulee_le IS NULL
             ORDER BY id",
        )?
        .query_map(params![projet_id, iso], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [id] => Ok(*id),
        [] => Err(in_field(
            "date",
            user(format!(
                "aucune session {projet} le {iso} (voir `ici session list --projet {projet}`)"
            )),
        )),
        many => {
            let list: Vec<String> = many.iter().map(|n| format!("n° {n}")).collect();
            Err(in_field(
                "date",
                user(format!(
                    "{} sessions {projet} le {iso} ({}) : indiquez laquelle dans une colonne « session »",
                    many.len(),
                    list.join(", ")
                )),
            ))
        }
    }
}

/// Adds one named person to an existing session, from an attendance sheet: they take
/// the place of one of its anonymous participants, so its headcount does not change.
pub fn add_presence(
    conn: &Connection,
    numero: i64,
    code: &str,
    minutes: Option<Minutes>,
) -> Result<()> {
    let Some(s) = sessions::get(conn, numero)? else {
        return Err(in_field(
            "session",
            user(format!(
                "session n° {numero} introuvable (voir `ici session list`)"
            )),
        ));
    };
    if s.annulee_le.is_some() {
        return Err(in_field(
            "session",
            user(format!(
                "la session n° {numero} du {} est annulée : on n'y note pas de présence",
                s.date
            )),
        ));
    }
    let p = find_live(conn, code).map_err(|e| in_field("code", e))?;
    let already: bool = conn
        .query_row(
            "SELECT 1 FROM presence WHERE session_id = ?1 AND participant_id = ?2",
            params![numero, p.id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if already {
        return Err(in_field(
            "code",
            user(format!(
                "{} est déjà noté présent à la session n° {numero} du {}",
                p.code, s.date
            )),
        ));
    }
    if s.nommes >= s.participants {
        return Err(in_field(
            "code",
            user(format!(
                "la session n° {numero} du {} compte {} participant(s), tous déjà nommés : {} serait de trop. Vérifiez la feuille de présence ou l'effectif de la session",
                s.date, s.participants, p.code
            )),
        ));
    }
    let anonymes = s.participants - s.nommes - 1;
    // The breakdowns were typed over the people still anonymous; the person named now
    // was among them: where their profile says they were counted (a woman in
    // `femmes`…), they leave that count, and are described by their profile instead.
    let matches = publics_of(&p.profile);
    let adjusted: Vec<Option<u32>> = s
        .publics
        .values()
        .iter()
        .zip(matches)
        .map(|(v, m)| v.map(|n| if m && n > 0 { n - 1 } else { n }))
        .collect();
    let over: Vec<String> = PUBLICS
        .iter()
        .zip(&adjusted)
        .filter_map(|((key, _, _), v)| v.filter(|n| *n > anonymes).map(|n| format!("{key} {n}")))
        .collect();
    if !over.is_empty() {
        return Err(in_field(
            "code",
            user(format!(
                "nommer {} ne laisserait que {anonymes} participant(s) anonyme(s) à la session n° {numero} du {}, moins que ses répartitions ({}) : les répartitions d'une session ne comptent que ses anonymes. Corrigez-les d'abord : `ici session corrige {numero} --{} …`",
                p.code,
                s.date,
                over.join(", "),
                over[0]
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .replace('_', "-")
            )),
        ));
    }
    let minutes = match minutes {
        Some(m) if m > s.duree => {
            return Err(in_field(
                "duree",
                user(format!(
                    "{} présent {m}, plus que la durée de la session n° {numero} ({})",
                    p.code, s.duree
                )),
            ));
        }
        Some(m) if m == s.duree => None,
        m => m.map(|m| m.0),
    };
    conn.execute(
        "UPDATE session SET femmes = ?1, qpv = ?2, jeunes_ml = ?3, demandeurs_emploi = ?4, rsa = ?5
         WHERE id = ?6",
        params![
            adjusted[0],
            adjusted[1],
            adjusted[2],
            adjusted[3],
            adjusted[4],
            numero
        ],
    )?;
    add_presences(conn, numero, &[(p.id, minutes)])
}

/// Which public breakdowns (in the order of `PUBLICS`) a person's profile puts them in.
fn publics_of(p: &Profile) -> [bool; 5] {
    [
        p.sexe == Some("f"),
        p.qpv == Some("oui"),
        p.mission_locale == Some("oui"),
        p.statut.is_some_and(|s| s.starts_with("demandeur-emploi")),
        p.rsa == Some("oui"),
    ]
}

/// One session a person attended.
#[derive(Debug, Clone)]
pub struct Attendance {
    pub numero: i64,
    pub date: String,
    pub projet: String,
    pub place: Place,
    pub duree: Minutes,
    /// Time present when less than the whole session.
    pub minutes: Option<u32>,
    pub annulee: bool,
}

impl Attendance {
    pub fn minutes_present(&self) -> u32 {
        self.minutes.unwrap_or(self.duree.0)
    }
}

/// The sessions a person attended, in date order, cancelled ones included.
pub fn attendance(conn: &Connection, id: i64) -> Result<Vec<Attendance>> {
    let rows = conn
        .prepare(
            "SELECT s.id, s.date, pj.nom, s.lieu, s.code_insee, s.commune_saisie, s.duree_minutes,
                    p.minutes, s.annulee_le IS NOT NULL
             FROM presence p JOIN session s ON s.id = p.session_id
             JOIN projet pj ON pj.id = s.projet_id
             WHERE p.participant_id = ?1 ORDER BY s.date, s.id",
        )?
        .query_map([id], |r| {
            Ok(Attendance {
                numero: r.get(0)?,
                date: r.get(1)?,
                projet: r.get(2)?,
                place: place_from_columns(&r.get::<_, String>(3)?, r.get(4)?, r.get(5)?),
                duree: Minutes(r.get(6)?),
                minutes: r.get(7)?,
                annulee: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// An exit as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sortie {
    pub projet: String,
    pub date: String,
    pub situation: &'static str,
}

/// A person's exits, one per project.
pub fn sorties(conn: &Connection, id: i64) -> Result<Vec<Sortie>> {
    let rows = conn
        .prepare(
            "SELECT pj.nom, so.date, so.situation FROM sortie so JOIN projet pj ON pj.id = so.projet_id
             WHERE so.participant_id = ?1 ORDER BY so.date, pj.nom",
        )?
        .query_map([id], |r| {
            Ok(Sortie {
                projet: r.get(0)?,
                date: r.get(1)?,
                situation: stored(SITUATIONS, Some(r.get::<_, String>(2)?.as_str())).unwrap_or("nc"),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What recording an exit did.
#[derive(Debug, Clone)]
pub struct SortieOutcome {
    pub code: String,
    pub sortie: Sortie,
    /// The exit it replaced, if one was recorded for that project.
    pub previous: Option<Sortie>,
}

/// Records where a person went after a project; the project may be left out when
/// the person attended only one. One exit per person and project: a new one replaces.
pub fn set_sortie(
    conn: &Connection,
    input: &str,
    projet: Option<&str>,
    date: NaiveDate,
    situation: &'static str,
) -> Result<SortieOutcome> {
    let p = find_live(conn, input)?;
    // (id, name, first attendance) of each project the person came to.
    let attended: Vec<(i64, String, String)> = conn
        .prepare(
            "SELECT pj.id, pj.nom, min(s.date) FROM presence pr
             JOIN session s ON s.id = pr.session_id AND s.annulee_le IS NULL
             JOIN projet pj ON pj.id = s.projet_id
             WHERE pr.participant_id = ?1 GROUP BY pj.id ORDER BY pj.nom",
        )?
        .query_map([p.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let names = || {
        attended
            .iter()
            .map(|(_, n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (projet_id, projet_nom, entree) = match projet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(nom) => {
            let id = refs::projet_id(conn, nom).map_err(|e| in_field("projet", e))?;
            match attended.iter().find(|(i, _, _)| *i == id) {
                Some(a) => a.clone(),
                None if attended.is_empty() => bail_user!(
                    "{} n'a encore assisté à aucune session : une sortie se note après au moins une présence",
                    p.code
                ),
                None => {
                    return Err(in_field(
                        "projet",
                        user(format!(
                            "{} n'a assisté à aucune session de {nom} (ses projets : {})",
                            p.code,
                            names()
                        )),
                    ));
                }
            }
        }
        None => match attended.as_slice() {
            [one] => one.clone(),
            [] => bail_user!(
                "{} n'a encore assisté à aucune session : une sortie se note après au moins une présence",
                p.code
            ),
            _ => {
                return Err(in_field(
                    "projet",
                    user(format!(
                        "{} a suivi plusieurs projets ({}) : indiquez celui que la personne quitte avec --projet",
                        p.code,
                        names()
                    )),
                ));
            }
        },
    };
    let iso = date.format("%Y-%m-%d").to_string();
    if iso < entree {
        return Err(in_field(
            "date",
            user(format!(
                "{iso} : avant la première présence de {} à {projet_nom} ({entree})",
                p.code
            )),
        ));
    }
    let previous = conn
        .query_row(
            "SELECT date, situation FROM sortie WHERE participant_id = ?1 AND projet_id = ?2",
            params![p.id, projet_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
        .map(|(d, s)| Sortie {
            projet: projet_nom.clone(),
            date: d,
            situation: stored(SITUATIONS, Some(&s)).unwrap_or("nc"),
        });
    conn.execute(
        "INSERT INTO sortie (participant_id, projet_id, date, situation, cree_le, gid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (participant_id, projet_id)
         DO UPDATE SET date = excluded.date, situation = excluded.situation, cree_le = excluded.cree_le",
        params![p.id, projet_id, iso, situation, now(), crate::db::gid::new()],
    )?;
    Ok(SortieOutcome {
        code: p.code,
        sortie: Sortie {
            projet: projet_nom,
            date: iso,
            situation,
        },
        previous,
    })
}

/// Sets a project's targets; a target not given stays as it was.
pub fn set_objectif(
    conn: &Connection,
    projet: &str,
    participants: Option<u32>,
    sorties_positives: Option<u32>,
) -> Result<Objectif> {
    let projet_id = refs::projet_id(conn, projet)?;
    conn.execute(
        "INSERT INTO objectif (projet_id, participants, sorties_positives) VALUES (?1, ?2, ?3)
         ON CONFLICT (projet_id) DO UPDATE SET
             participants = coalesce(excluded.participants, participants),
             sorties_positives = coalesce(excluded.sorties_positives, sorties_positives)",
        params![projet_id, participants, sorties_positives],
    )?;
    Ok(objectifs(conn)?
        .into_iter()
        .find(|o| o.projet.eq_ignore_ascii_case(projet.trim()))
        .expect("target just written"))
}

/// Every project's targets.
pub fn objectifs(conn: &Connection) -> Result<Vec<Objectif>> {
    let rows = conn
        .prepare(
            "SELECT pj.nom, o.participants, o.sorties_positives FROM objectif o
             JOIN projet pj ON pj.id = o.projet_id ORDER BY pj.nom",
        )?
        .query_map([], |r| {
            Ok(Objectif {
                projet: r.get(0)?,
                participants: r.get(1)?,
                sorties_positives: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
