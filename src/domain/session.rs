//! A workshop session as recorded by a trainer, checked before it reaches the ledger.

use crate::bail_user;
use crate::domain::date::parse_past_date;
use crate::domain::duration::Minutes;
use crate::error::{field, user};
use crate::territory::{self, Commune, Resolution};
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
    pub participants: u32,
    pub publics: Publics,
    pub partenaire: Option<String>,
    pub intitule: Option<String>,
    pub formateur: Option<String>,
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
    pub participants: &'a str,
    pub publics: [Option<&'a str>; 5],
    pub partenaire: Option<&'a str>,
    pub intitule: Option<&'a str>,
    pub formateur: Option<&'a str>,
}

/// Largest group accepted for one session: above this, a headcount is a typo.
pub const MAX_PARTICIPANTS: u32 = 10_000;

impl SessionDraft<'_> {
    /// Checks every field; an error names the field it is about (see [`in_field`]).
    pub fn check(&self) -> Result<NewSession> {
        let date = field("date", parse_past_date(self.date))?;
        let projet = field(
            "projet",
            required(self.projet, "le projet (voir `ici projet list`)"),
        )?;
        let lieu = parse_lieu(self.lieu, self.commune)?;
        let duree = field("duree", Minutes::parse(self.duree))?;
        let participants = field("participants", parse_participants(self.participants))?;
        let mut values = [None; 5];
        for (i, raw) in self.publics.iter().enumerate() {
            let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
                continue;
            };
            values[i] = Some(field(PUBLICS[i].0, parse_breakdown(raw, participants))?);
        }
        Ok(NewSession {
            date,
            projet,
            lieu,
            duree,
            participants,
            publics: Publics::from_values(values),
            partenaire: optional(self.partenaire),
            intitule: optional(self.intitule),
            formateur: optional(self.formateur),
        })
    }
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
            field("commune", resolve_commune(commune).map(Lieu::Site))
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
    let describe = |cs: &[&'static Commune]| -> String {
        cs.iter()
            .map(|c| format!("« {} » ({})", territory::label(c), c.code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match territory::resolve(input) {
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

fn optional(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
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
}
