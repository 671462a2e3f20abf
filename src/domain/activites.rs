//! The activity export of La Coop de la médiation numérique: one row per participation,
//! under the Coop's column names, with its labels. What a row says of a person comes
//! from the ledger alone, « Non communiqué » where it does not know; never a name or a
//! code. No I/O.

use crate::domain::duration::Minutes;
use crate::domain::participant::tranche_age;
use crate::domain::session::Place;
use crate::domain::vocabulaire::{MATERIELS, THEMATIQUES, Vocabulaire};

/// The columns, as the Coop names them in its activity export.
pub const HEADERS: [&str; 15] = [
    "Date",
    "Type",
    "Participants",
    "Canaux d'accompagnement",
    "Commune",
    "Code postal",
    "Code Insee",
    "Durée (min)",
    "Nom de l'atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d'accompagnement",
    "Niveau",
    "Genre",
    "Tranche d'âge",
    "Statut",
];

/// What the ledger does not know.
pub const NON_COMMUNIQUE: &str = "Non communiqué";

/// Every session of the ledger is a workshop.
pub const TYPE_ATELIER: &str = "Atelier collectif";

/// A named person present, as the export may describe them: no code, no name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Present {
    pub sexe: Option<&'static str>,
    pub annee_naissance: Option<i32>,
    pub statut: Option<&'static str>,
}

/// A session with what its rows need.
#[derive(Debug, Clone)]
pub struct Activite {
    /// ISO date.
    pub date: String,
    pub place: Place,
    pub duree: Minutes,
    /// The headcount: the named people and the anonymous participations.
    pub participants: u32,
    /// Breakdowns recorded on the session, of its anonymous participants.
    pub femmes: Option<u32>,
    pub demandeurs_emploi: Option<u32>,
    pub intitule: Option<String>,
    pub vocabulaire: Vocabulaire,
    /// The named people present, in a fixed order that says nothing of them.
    pub presents: Vec<Present>,
}

/// One participation's Genre, Tranche d'âge and Statut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beneficiaire {
    pub genre: &'static str,
    pub tranche_age: &'static str,
    pub statut: &'static str,
}

impl Activite {
    fn anonymes(&self) -> u32 {
        self.participants.saturating_sub(self.presents.len() as u32)
    }

    /// One entry per participation: the named people from their profile, then the
    /// anonymous ones. An anonymous participation is known only through the session's
    /// counts: the first `femmes` of them are « Féminin », the first
    /// `demandeurs_emploi` « Sans emploi », the rest « Non communiqué », and no age is
    /// known. Each column of these rows adds up to the session's count, as the
    /// Coop's own anonymous counts do; a combination across columns (women job
    /// seekers) is not recorded and must not be read from them.
    pub fn beneficiaires(&self) -> Vec<Beneficiaire> {
        let year: i32 = self.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        let mut out: Vec<Beneficiaire> = self
            .presents
            .iter()
            .map(|p| Beneficiaire {
                genre: genre(p.sexe),
                tranche_age: tranche(year, p.annee_naissance),
                statut: statut(p.statut),
            })
            .collect();
        let femmes = self.femmes.unwrap_or(0);
        let sans_emploi = self.demandeurs_emploi.unwrap_or(0);
        out.extend((0..self.anonymes()).map(|i| Beneficiaire {
            genre: if i < femmes {
                "Féminin"
            } else {
                NON_COMMUNIQUE
            },
            tranche_age: NON_COMMUNIQUE,
            statut: if i < sans_emploi {
                "Sans emploi"
            } else {
                NON_COMMUNIQUE
            },
        }));
        out
    }

    /// The Canaux d'accompagnement column: a place of the association is the Coop's
    /// « Lieu d'activité ».
    pub fn canal(&self) -> &'static str {
        match self.place {
            Place::Distance => "À distance",
            _ => "Lieu d'activité",
        }
    }

    pub fn commune(&self) -> Option<String> {
        match &self.place {
            Place::Commune(c) => Some(c.nom.to_string()),
            Place::Distance => None,
            Place::Inconnue(typed) => Some(typed.clone()),
        }
    }

    /// The commune's first postal code (a commune may have several).
    pub fn code_postal(&self) -> Option<&'static str> {
        match &self.place {
            Place::Commune(c) => c.codes_postaux.first().copied(),
            _ => None,
        }
    }

    pub fn materiel(&self) -> String {
        self.vocabulaire.materiel.labels(MATERIELS).join(", ")
    }

    pub fn thematiques(&self) -> String {
        self.vocabulaire.thematiques.labels(THEMATIQUES).join(", ")
    }
}

/// The Participants column: `1` for a session of one, `3 sur 12` for the third of
/// twelve. The Coop writes `3/12` in its own workbook; in a CSV file, French Excel
/// would read that as the 3rd of December.
pub fn participant_rank(rank: usize, total: usize) -> String {
    if total == 1 {
        "1".to_string()
    } else {
        format!("{rank} sur {total}")
    }
}

/// The Coop's genre of a recorded sex.
pub fn genre(sexe: Option<&str>) -> &'static str {
    match sexe {
        Some("f") => "Féminin",
        Some("h") => "Masculin",
        _ => NON_COMMUNIQUE,
    }
}

/// The Coop's age bracket, by age reached in the session's year (the ledger keeps
/// only the year of birth).
pub fn tranche(year: i32, birth: Option<i32>) -> &'static str {
    match tranche_age(year, birth) {
        "moins-12" => "Moins de 12 ans",
        "12-17" => "12 - 17 ans",
        "18-24" => "18 - 24 ans",
        "25-39" => "25 - 39 ans",
        "40-59" => "40 - 59 ans",
        "60-69" => "60 - 69 ans",
        "70-plus" => "70 ans et plus",
        _ => NON_COMMUNIQUE,
    }
}

/// The Coop's four statuses: job seekers and inactive people are « Sans emploi ».
pub fn statut(statut: Option<&str>) -> &'static str {
    match statut {
        Some("scolarise") => "Scolarisé",
        Some("en-emploi") => "En emploi",
        Some("retraite") => "Retraité",
        Some("demandeur-emploi" | "demandeur-emploi-longue-duree" | "inactif") => "Sans emploi",
        _ => NON_COMMUNIQUE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activite(participants: u32, presents: Vec<Present>) -> Activite {
        Activite {
            date: "2017-06-12".into(),
            place: Place::Commune(crate::territory::commune("75118").unwrap()),
            duree: Minutes(180),
            participants,
            femmes: Some(2),
            demandeurs_emploi: Some(1),
            intitule: None,
            vocabulaire: Vocabulaire::default(),
            presents,
        }
    }

    #[test]
    fn one_entry_per_participation_named_first() {
        let a = activite(
            4,
            vec![Present {
                sexe: Some("h"),
                annee_naissance: Some(1990),
                statut: Some("demandeur-emploi-longue-duree"),
            }],
        );
        let b = a.beneficiaires();
        assert_eq!(b.len(), 4);
        assert_eq!(
            b[0],
            Beneficiaire {
                genre: "Masculin",
                tranche_age: "25 - 39 ans",
                statut: "Sans emploi"
            }
        );
        let genres: Vec<&str> = b[1..].iter().map(|b| b.genre).collect();
        assert_eq!(genres, ["Féminin", "Féminin", NON_COMMUNIQUE]);
        let statuts: Vec<&str> = b[1..].iter().map(|b| b.statut).collect();
        assert_eq!(statuts, ["Sans emploi", NON_COMMUNIQUE, NON_COMMUNIQUE]);
        assert!(b[1..].iter().all(|b| b.tranche_age == NON_COMMUNIQUE));
        assert_eq!(a.code_postal(), Some("75018"));
        assert_eq!(a.canal(), "Lieu d'activité");
    }

    #[test]
    fn labels_of_the_coop() {
        assert_eq!(participant_rank(1, 1), "1");
        assert_eq!(participant_rank(3, 12), "3 sur 12");
        assert_eq!(genre(Some("nc")), NON_COMMUNIQUE);
        assert_eq!(genre(None), NON_COMMUNIQUE);
        assert_eq!(tranche(2017, Some(2006)), "Moins de 12 ans");
        assert_eq!(tranche(2017, Some(1947)), "70 ans et plus");
        assert_eq!(tranche(2017, None), NON_COMMUNIQUE);
        assert_eq!(statut(Some("inactif")), "Sans emploi");
        assert_eq!(statut(Some("retraite")), "Retraité");
        assert_eq!(statut(Some("nc")), NON_COMMUNIQUE);
    }
}
