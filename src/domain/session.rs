//! A workshop session as recorded by a trainer, checked before it reaches the ledger.

use crate::bail_user;
use crate::domain::date::parse_past_date;
use crate::domain::duration::Minutes;
use crate::domain::participant::{Present, parse_presents};
use crate::domain::vocabulaire::{Vocabulaire, VocabulaireChange};
use crate::domain::{
    MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, check_lengths, optional_text,
};
use crate::error::{field, user};
use crate::territory::{self, Commune, Home, Resolution};
use anyhow::Result;
use chrono::NaiveDate;

/// The public breakdowns of a session's participants, each optional ("non renseigné").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Publics {
    pub femmes: Option<u32>,
    pub qpv: Option<u32>,
    pub jeunes_ml: Option<u32>,
    pub demandeurs_emploi: Option<u32>,
    pub rsa: Option<u32>,
}

/// The breakdowns in display order: (JSON and CSV key, French label, option flag).
pub const PUBLICS: [(&str, &str, &str); 5] = [
    ("femmes", "Femmes", "--femmes"),
    ("qpv", "Habitants QPV", "--qpv"),
    (
        "jeunes_ml",
        "Jeunes suivis en mission locale",
        "--jeunes-ml",
    ),
    (
        "demandeurs_emploi",
        "Demandeurs d'emploi",
        "--demandeurs-emploi",
    ),
    ("rsa", "Bénéficiaires du RSA", "--rsa"),
];

impl Publics {
    /// The values in the order of [`PUBLICS`].
    pub fn values(&self) -> [Option<u32>; 5] {
        [
            self.femmes,
            self.qpv,
            self.jeunes_ml,
            self.demandeurs_emploi,
            self.rsa,
        ]
    }

    pub fn from_values(v: [Option<u32>; 5]) -> Publics {
        Publics {
            femmes: v[0],
            qpv: v[1],
            jeunes_ml: v[2],
            demandeurs_emploi: v[3],
            rsa: v[4],
        }
    }
}

/// Where a session took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lieu {
    /// In a commune or municipal arrondissement, by INSEE code.
    Site(&'static Commune),
    /// Remote: counts in no city.
    Distance,
}

/// Where a recorded session took place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Commune(&'static Commune),
    Distance,
    /// Typed in an older ledger and not recognised; waits for `ici session corrige`.
    Inconnue(String),
}

impl Place {
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Place::Commune(c) => Some(c.code),
            _ => None,
        }
    }

    pub fn departement(&self) -> Option<&'static str> {
        match self {
            Place::Commune(c) => Some(c.departement),
            _ => None,
        }
    }
}

/// `Villejuif`, `Paris 18e Arrondissement`, `à distance`, `Villejuiff (non reconnue)`.
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Commune(c) => f.write_str(c.nom),
            Place::Distance => f.write_str("à distance"),
            Place::Inconnue(s) => write!(f, "{s} (non reconnue)"),
        }
    }
}

/// A session ready to be written: every value checked, its place resolved;
/// project and partner names are resolved by the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub date: NaiveDate,
    pub projet: String,
    pub lieu: Lieu,
    pub duree: Minutes,
    /// The headcount: named people and anonymous ones.
    pub participants: u32,
    /// The named people, by code; the other participants are anonymous.
    pub presents: Vec<Present>,
    /// Breakdowns of the anonymous participants (named people have their profile).
    pub publics: Publics,
    pub partenaire: Option<String>,
    pub intitule: Option<String>,
    pub formateur: Option<String>,
    pub vocabulaire: Vocabulaire,
}

/// A session as typed, field by field, on the command line or in a CSV row.
#[derive(Debug, Default)]
pub struct SessionDraft<'a> {
    pub date: &'a str,
    pub projet: &'a str,
    pub commune: &'a str,
    /// `site` (default) or `distance`.
    pub lieu: Option<&'a str>,
    pub duree: &'a str,
    /// The headcount; empty when given as named + anonymous instead.
    pub participants: &'a str,
    /// Codes of the named people (`P-0001,P-0002`).
    pub presents: Option<&'a str>,
    /// How many came besides the named people.
    pub anonymes: Option<&'a str>,
    pub publics: [Option<&'a str>; 5],
    pub partenaire: Option<&'a str>,
    pub intitule: Option<&'a str>,
    pub formateur: Option<&'a str>,
    /// Thématiques, equipment and level (see `vocabulaire`).
    pub vocabulaire: [Option<&'a str>; 3],
}

/// Largest group accepted for one session: above this, a headcount is a typo.
pub const MAX_PARTICIPANTS: u32 = 10_000;

impl SessionDraft<'_> {
    /// Checks every field; an error names the field it is about (see [`in_field`]).
    pub fn check(&self) -> Result<NewSession> {
        self.check_in(&Home::default())
    }

    /// [`Self::check`], a commune name several communes share being settled by the
    /// home territory and the communes the ledger uses.
    pub fn check_in(&self, home: &Home) -> Result<NewSession> {
        self.check_with(home, &mut CommuneCache::default())
    }

    /// [`Self::check_in`], communes resolved through `communes`: an import resolves each
    /// name it meets once.
    pub fn check_with(&self, home: &Home, communes: &mut CommuneCache) -> Result<NewSession> {
        self.check_lengths()?;
        let date = field("date", parse_past_date(self.date))?;
        let projet = field(
            "projet",
            required(self.projet, "le projet (voir `ici projet list`)"),
        )?;
        let lieu = parse_lieu_with(self.lieu, self.commune, home, communes)?;
        let duree = field("duree", Minutes::parse(self.duree))?;
        let presents = field(
            "presents",
            parse_presents(self.presents.unwrap_or("")).and_then(|p| within(p, duree)),
        )?;
        let (participants, anonymes) = self.headcount(presents.len() as u32)?;
        let mut values = [None; 5];
        for (i, raw) in self.publics.iter().enumerate() {
            let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            let n = if presents.is_empty() {
                parse_breakdown(raw, participants)
            } else {
                parse_anonymous_breakdown(raw, anonymes)
            };
            values[i] = Some(field(PUBLICS[i].0, n)?);
        }
        let [thematiques, materiel, niveau] = self.vocabulaire;
        let vocabulaire = Vocabulaire::parse(thematiques, materiel, niveau)?;
        Ok(NewSession {
            date,
            projet,
            lieu,
            duree,
            participants,
            presents,
            publics: Publics::from_values(values),
            partenaire: optional_text(self.partenaire),
            intitule: optional_text(self.intitule),
            formateur: optional_text(self.formateur),
            vocabulaire,
        })
    }

    /// Every value within its limit, before any is read.
    fn check_lengths(&self) -> Result<()> {
        let [femmes, qpv, jeunes_ml, demandeurs_emploi, rsa] = self.publics;
        check_lengths(&[
            ("date", Some(self.date), MAX_SHORT_CHARS),
            ("projet", Some(self.projet), MAX_NAME_CHARS),
            ("commune", Some(self.commune), MAX_NAME_CHARS),
            ("lieu", self.lieu, MAX_SHORT_CHARS),
            ("duree", Some(self.duree), MAX_SHORT_CHARS),
            ("participants", Some(self.participants), MAX_SHORT_CHARS),
            // A list of codes: a few hundred people at most.
            ("presents", self.presents, 100 * MAX_SHORT_CHARS),
            ("anonymes", self.anonymes, MAX_SHORT_CHARS),
            ("femmes", femmes, MAX_SHORT_CHARS),
            ("qpv", qpv, MAX_SHORT_CHARS),
            ("jeunes_ml", jeunes_ml, MAX_SHORT_CHARS),
            ("demandeurs_emploi", demandeurs_emploi, MAX_SHORT_CHARS),
            ("rsa", rsa, MAX_SHORT_CHARS),
            ("partenaire", self.partenaire, MAX_NAME_CHARS),
            ("intitule", self.intitule, MAX_TEXT_CHARS),
            ("formateur", self.formateur, MAX_NAME_CHARS),
        ])
    }

    /// The headcount and its anonymous part, from the number of participants, the
    /// named people and the number of anonymous ones: two of them give the third,
    /// and when all three are given they must agree. A session with only a number of
    /// participants is fully anonymous, as sessions always were.
    fn headcount(&self, named: u32) -> Result<(u32, u32)> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|s| !s.is_empty())
        }
        let participants = given(Some(self.participants))
            .map(|p| field("participants", parse_participants(p)))
            .transpose()?;
        let anonymes = given(self.anonymes)
            .map(|a| field("anonymes", parse_count(a)))
            .transpose()?;
        let total = match (participants, anonymes) {
            (Some(n), None) if n < named => {
                return field(
                    "participants",
                    Err(user(format!(
                        "« {n} » : moins que les {named} présents nommés ; le nombre de participants compte les présents nommés et les anonymes"
                    ))),
                );
            }
            (Some(n), Some(a)) if u64::from(n) != u64::from(named) + u64::from(a) => {
                return field(
                    "participants",
                    Err(user(format!(
                        "« {n} » ne fait pas {named} présent(s) nommé(s) + {a} anonyme(s) : donnez le nombre de participants ou celui des anonymes, pas les deux"
                    ))),
                );
            }
            (Some(n), _) => n,
            (None, Some(a)) => named.saturating_add(a),
            (None, None) if named > 0 => named,
            (None, None) => {
                return field(
                    "participants",
                    Err(user(
                        "valeur manquante : indiquez le nombre de participants, ou les présents nommés (--presents) et le nombre d'anonymes (--anonymes)",
                    )),
                );
            }
        };
        if total == 0 {
            return field(
                "anonymes",
                Err(user(
                    "« 0 » et aucun présent nommé : une session sans participant ne s'enregistre pas",
                )),
            );
        }
        if total > MAX_PARTICIPANTS {
            return field(
                "anonymes",
                Err(user(format!(
                    "« {total} » participants : plus de {MAX_PARTICIPANTS} personnes pour une session, vérifiez le nombre"
                ))),
            );
        }
        Ok((total, total - named))
    }
}

/// A correction as typed: `None` leaves a field as it is; an empty partner, title or
/// trainer empties it.
#[derive(Debug, Default)]
pub struct CorrectionDraft<'a> {
    pub date: Option<&'a str>,
    pub projet: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub lieu: Option<&'a str>,
    pub duree: Option<&'a str>,
    pub participants: Option<&'a str>,
    pub publics: [Option<&'a str>; 5],
    pub partenaire: Option<&'a str>,
    pub intitule: Option<&'a str>,
    pub formateur: Option<&'a str>,
    pub vocabulaire: [Option<&'a str>; 3],
}

/// A checked correction: each value parsed as `session add` parses it. What depends on
/// the session (its named people, its breakdowns) is checked by the ledger.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: Option<NaiveDate>,
    pub projet: Option<String>,
    pub lieu: Option<Lieu>,
    pub duree: Option<Minutes>,
    pub participants: Option<u32>,
    /// `Some(None)`: the breakdown becomes "non renseigné".
    pub publics: [Option<Option<u32>>; 5],
    pub partenaire: Option<Option<String>>,
    pub intitule: Option<Option<String>>,
    pub formateur: Option<Option<String>>,
    pub vocabulaire: VocabulaireChange,
}

impl CorrectionDraft<'_> {
    pub fn check(&self) -> Result<Correction> {
        let lieu = if self.commune.is_some() || self.lieu.is_some() {
            Some(parse_lieu(self.lieu, self.commune.unwrap_or(""))?)
        } else {
            None
        };
        let mut publics = [None; 5];
        for (i, raw) in self.publics.iter().enumerate() {
            if let Some(raw) = raw {
                publics[i] = Some(field(PUBLICS[i].0, parse_breakdown_change(raw))?);
            }
        }
        let text = |v: Option<&str>| v.map(|v| optional_text(Some(v)));
        let [thematiques, materiel, niveau] = self.vocabulaire;
        Ok(Correction {
            vocabulaire: VocabulaireChange::parse(thematiques, materiel, niveau)?,
            date: self
                .date
                .map(|d| field("date", parse_past_date(d)))
                .transpose()?,
            projet: self
                .projet
                .map(|p| field("projet", required(p, "le projet (voir `ici projet list`)")))
                .transpose()?,
            lieu,
            duree: self
                .duree
                .map(|d| field("duree", Minutes::parse(d)))
                .transpose()?,
            participants: self
                .participants
                .map(|n| field("participants", parse_participants(n)))
                .transpose()?,
            publics,
            partenaire: text(self.partenaire),
            intitule: text(self.intitule),
            formateur: text(self.formateur),
        })
    }
}

impl Correction {
    pub fn is_empty(&self) -> bool {
        *self == Correction::default()
    }
}

/// The named people's time present, checked against the session: a time equal to the
/// session's is the whole session.
fn within(presents: Vec<Present>, duree: Minutes) -> Result<Vec<Present>> {
    presents
        .into_iter()
        .map(|p| match p.minutes {
            Some(m) if m > duree => bail_user!(
                "{} présent {m}, plus que la durée de la session ({duree})",
                p.code
            ),
            Some(m) if m == duree => Ok(Present { minutes: None, ..p }),
            _ => Ok(p),
        })
        .collect()
}

/// A corrected breakdown: a number, or `nc` (or nothing) for "non renseigné". The
/// ledger checks it against the session's anonymous participants.
pub fn parse_breakdown_change(raw: &str) -> Result<Option<u32>> {
    match raw.trim() {
        "" => Ok(None),
        s if s.eq_ignore_ascii_case("nc") => Ok(None),
        s => parse_count(s).map(Some),
    }
}

fn parse_anonymous_breakdown(raw: &str, anonymes: u32) -> Result<u32> {
    let n = parse_count(raw)?;
    if n > anonymes {
        bail_user!(
            "« {n} » dépasse le nombre de participants anonymes ({anonymes}) : avec des présents nommés, une répartition ne compte que les anonymes (les présents nommés sont décrits par leur fiche)"
        );
    }
    Ok(n)
}

fn required(value: &str, what: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        bail_user!("valeur manquante : indiquez {what}");
    }
    Ok(v.to_string())
}

/// The place of a session: a commune resolved to its INSEE code, or remote.
pub fn parse_lieu(lieu: Option<&str>, commune: &str) -> Result<Lieu> {
    parse_lieu_in(lieu, commune, &Home::default())
}

/// [`parse_lieu`] with a home territory to settle shared names.
pub fn parse_lieu_in(lieu: Option<&str>, commune: &str, home: &Home) -> Result<Lieu> {
    check_lengths(&[
        ("lieu", lieu, MAX_SHORT_CHARS),
        ("commune", Some(commune), MAX_NAME_CHARS),
    ])?;
    parse_lieu_with(lieu, commune, home, &mut CommuneCache::default())
}

/// Communes already resolved, by the text typed: an import of a million sessions held in
/// a few communes resolves each name once (with one home territory).
#[derive(Debug, Default)]
pub struct CommuneCache(std::collections::HashMap<String, &'static Commune>);

impl CommuneCache {
    /// [`resolve_commune_in`], remembered when found.
    pub fn resolve(&mut self, input: &str, home: &Home) -> Result<&'static Commune> {
        if let Some(c) = self.0.get(input) {
            return Ok(c);
        }
        let c = resolve_commune_in(input, home)?;
        self.0.insert(input.to_owned(), c);
        Ok(c)
    }

    /// Names resolved so far.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn parse_lieu_with(
    lieu: Option<&str>,
    commune: &str,
    home: &Home,
    communes: &mut CommuneCache,
) -> Result<Lieu> {
    let commune = commune.trim();
    let lieu = lieu.map(|l| l.trim().to_lowercase());
    match lieu.as_deref().filter(|s| !s.is_empty()) {
        None | Some("site") => {
            if commune.is_empty() {
                return field(
                    "commune",
                    Err(user(
                        "valeur manquante : indiquez la commune où s'est tenue la session (ou --lieu distance)",
                    )),
                );
            }
            field("commune", communes.resolve(commune, home).map(Lieu::Site))
        }
        Some("distance") if commune.is_empty() => Ok(Lieu::Distance),
        Some("distance") => field(
            "commune",
            Err(user(format!(
                "« {commune} » : une session à distance n'a pas de commune ; retirez la commune ou le lieu « distance »"
            ))),
        ),
        Some(other) => field(
            "lieu",
            Err(user(format!(
                "« {other} » inconnu : site (par défaut) ou distance"
            ))),
        ),
    }
}

/// A commune as typed (code, postal code, name) to one commune, or an error that
/// lists the candidates or the nearest names.
pub fn resolve_commune(input: &str) -> Result<&'static Commune> {
    resolve_commune_in(input, &Home::default())
}

/// [`resolve_commune`], the home territory settling a name several communes share
/// and putting its communes first among suggestions.
pub fn resolve_commune_in(input: &str, home: &Home) -> Result<&'static Commune> {
    let describe = |cs: &[&'static Commune]| -> String {
        cs.iter()
            .map(|c| format!("« {} » ({})", territory::label(c), c.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let resolution = match home.resolve(input).0 {
        // The search ranks names that start with the text first (vitry → Vitry-sur-Seine),
        // which is what a person who typed half a name meant.
        Resolution::Unknown(near) => {
            let mut found = territory::search(input, 10);
            home.sort(&mut found);
            found.truncate(3);
            Resolution::Unknown(if found.is_empty() { near } else { found })
        }
        other => other,
    };
    match resolution {
        Resolution::Found(c) => Ok(c),
        Resolution::Ambiguous(cs) => bail_user!(
            "commune « {input} » ambiguë : {}. Tapez l'une de ces désignations, par exemple « {} », ou « insee CODE ».",
            describe(&cs),
            cs.first().map(|c| territory::label(c)).unwrap_or_default()
        ),
        Resolution::Unknown(cs) if cs.is_empty() => bail_user!(
            "commune « {input} » inconnue. Cherchez-la avec `ici commune cherche TEXTE`."
        ),
        Resolution::Unknown(cs) => bail_user!(
            "commune « {input} » inconnue. Vouliez-vous dire {} ? Cherchez avec `ici commune cherche TEXTE`.",
            describe(&cs[..cs.len().min(3)])
        ),
    }
}

fn parse_count(raw: &str) -> Result<u32> {
    match raw.trim().parse::<u32>() {
        Ok(n) => Ok(n),
        Err(_) => bail_user!("« {raw} » : attendu un nombre entier de personnes, 0 ou plus"),
    }
}

fn parse_participants(raw: &str) -> Result<u32> {
    let n = parse_count(raw)?;
    if n == 0 {
        bail_user!(
            "« 0 » : une session sans participant ne s'enregistre pas ; si elle n'a pas eu lieu, ne la saisissez pas ou annulez-la"
        );
    }
    if n > MAX_PARTICIPANTS {
        bail_user!(
            "« {n} » : plus de {MAX_PARTICIPANTS} personnes pour une session, vérifiez le nombre"
        );
    }
    Ok(n)
}

fn parse_breakdown(raw: &str, participants: u32) -> Result<u32> {
    let n = parse_count(raw)?;
    if n > participants {
        bail_user!(
            "« {n} » dépasse le nombre de participants ({participants}) : une répartition va de 0 au nombre de participants"
        );
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_resolves_each_commune_name_once() {
        let mut cache = CommuneCache::default();
        let home = Home::default();
        let first = cache.resolve("Villejuif", &home).unwrap();
        for _ in 0..100_000 {
            assert_eq!(cache.resolve("Villejuif", &home).unwrap().code, first.code);
        }
        assert_eq!(cache.len(), 1);
        assert!(cache.resolve("Atlantide", &home).is_err());
        assert_eq!(cache.len(), 1, "a name not found is not kept");
    }

    fn draft() -> SessionDraft<'static> {
        SessionDraft {
            date: "12/06/2017",
            projet: "NET94",
            commune: " Villejuif ",
            duree: "3h",
            participants: "12",
            publics: [Some("7"), None, Some(""), Some("12"), Some("3")],
            ..Default::default()
        }
    }

    #[test]
    fn checks_a_good_session() {
        let s = draft().check().unwrap();
        assert_eq!(s.lieu, Lieu::Site(territory::commune("94076").unwrap()));
        assert_eq!(s.duree, Minutes(180));
        assert_eq!(s.publics.femmes, Some(7));
        assert_eq!(s.publics.jeunes_ml, None);
        assert_eq!(s.publics.rsa, Some(3));
    }

    #[test]
    fn places() {
        let mut d = draft();
        d.commune = "";
        d.lieu = Some("distance");
        assert_eq!(d.check().unwrap().lieu, Lieu::Distance);
        for (typed, code) in [
            ("94043", "94043"),
            ("94270", "94043"),
            ("kremlin bicetre", "94043"),
            ("Paris 18e", "75118"),
            ("Saint-Denis (93)", "93066"),
        ] {
            let mut d = draft();
            d.commune = typed;
            match d.check().unwrap().lieu {
                Lieu::Site(c) => assert_eq!(c.code, code, "{typed}"),
                Lieu::Distance => panic!("{typed}"),
            }
        }
        let err = resolve_commune("L'Haï-les-Roses").unwrap_err().to_string();
        assert!(err.contains("L'Haÿ-les-Roses (94) » (94038)"), "{err}");
    }

    #[test]
    fn refuses_bad_sessions() {
        type Change = Box<dyn Fn(&mut SessionDraft<'static>)>;
        let cases: Vec<Change> = vec![
            Box::new(|d| d.participants = "0"),
            Box::new(|d| d.participants = "-3"),
            Box::new(|d| d.participants = "douze"),
            Box::new(|d| d.publics[0] = Some("13")),
            Box::new(|d| d.publics[4] = Some("-1")),
            Box::new(|d| d.duree = "13h"),
            Box::new(|d| d.date = "2999-01-01"),
            Box::new(|d| d.projet = " "),
            Box::new(|d| d.commune = ""),
            Box::new(|d| d.commune = "Villejuiff"),
            Box::new(|d| d.commune = "Saint-Denis"),
            Box::new(|d| d.lieu = Some("distance")),
            Box::new(|d| d.lieu = Some("ailleurs")),
        ];
        for (i, change) in cases.iter().enumerate() {
            let mut d = draft();
            change(&mut d);
            let err = d.check().unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 2, "case {i}: {err}");
            assert!(crate::error::field_of(&err).is_some(), "case {i}: {err}");
        }
    }

    #[test]
    fn corrections_are_checked_like_new_sessions() {
        let c = CorrectionDraft {
            date: Some("28/11/2026"),
            duree: Some("14h-17h"),
            participants: Some("12"),
            publics: [Some("nc"), Some("3"), None, None, None],
            intitule: Some(" "),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(c.date, NaiveDate::from_ymd_opt(2026, 11, 28));
        assert_eq!(c.duree, Some(Minutes(180)));
        assert_eq!(c.participants, Some(12));
        assert_eq!(c.publics[..3], [Some(None), Some(Some(3)), None]);
        assert_eq!(c.intitule, Some(None));
        assert_eq!(c.formateur, None);
        assert!(CorrectionDraft::default().check().unwrap().is_empty());
        for (draft, key) in [
            (
                CorrectionDraft {
                    participants: Some("0"),
                    ..Default::default()
                },
                "participants",
            ),
            (
                CorrectionDraft {
                    duree: Some("17h-14h"),
                    ..Default::default()
                },
                "duree",
            ),
            (
                CorrectionDraft {
                    date: Some("demain"),
                    ..Default::default()
                },
                "date",
            ),
            (
                CorrectionDraft {
                    projet: Some(""),
                    ..Default::default()
                },
                "projet",
            ),
            (
                CorrectionDraft {
                    commune: Some("Villejuiff"),
                    ..Default::default()
                },
                "commune",
            ),
        ] {
            let err = draft.check().unwrap_err();
            assert_eq!(crate::error::field_of(&err), Some(key), "{err}");
        }
    }

    #[test]
    fn headcount_from_participants_named_and_anonymous() {
        // (participants, presents, anonymes) → (headcount, named) or the field refused.
        type Case = (
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            Result<(u32, usize), &'static str>,
        );
        let cases: [Case; 8] = [
            ("12", None, None, Ok((12, 0))),
            ("", Some("P-1,P-2"), None, Ok((2, 2))),
            ("", Some("P-1,P-2"), Some("3"), Ok((5, 2))),
            ("5", Some("P-1"), None, Ok((5, 1))),
            ("5", Some("P-1"), Some("4"), Ok((5, 1))),
            ("5", Some("P-1"), Some("3"), Err("participants")),
            ("1", Some("P-1,P-2"), None, Err("participants")),
            ("", None, Some("0"), Err("anonymes")),
        ];
        for (participants, presents, anonymes, want) in cases {
            let d = SessionDraft {
                participants,
                presents,
                anonymes,
                publics: [None; 5],
                ..draft()
            };
            let got = d
                .check()
                .map(|s| (s.participants, s.presents.len()))
                .map_err(|e| crate::error::field_of(&e).unwrap_or("?"));
            assert_eq!(got, want, "{participants:?} {presents:?} {anonymes:?}");
        }
        // With named people, a breakdown counts the anonymous ones only.
        let mut d = draft();
        d.participants = "12";
        d.presents = Some("P-1,P-2,P-3");
        d.publics = [Some("9"), None, None, None, None];
        assert_eq!(d.check().unwrap().publics.femmes, Some(9));
        d.publics = [Some("10"), None, None, None, None];
        let err = d.check().unwrap_err();
        assert_eq!(crate::error::field_of(&err), Some("femmes"));
        assert!(err.to_string().contains("anonymes (9)"), "{err}");
    }
}
