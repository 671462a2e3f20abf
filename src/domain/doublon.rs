//! When two records are the same thing typed twice: names of projects and partners
//! that differ only by spelling, and people that share an identity. No I/O: the
//! ledger asks these rules about what it holds.

use crate::domain::participant::Identite;
use crate::domain::suggest;

/// A project or partner name reduced to what tells names apart: lower-case ASCII
/// letters and digits, without accents, spaces, hyphens or apostrophes
/// (« Pôle emploi Val-de-Marne » and « Pole emploi Val de Marne » give the same key).
pub fn name_key(name: &str) -> String {
    suggest::fold(name).replace(' ', "")
}

/// Shortest key that a single typo may be suspected in: below this, one letter is
/// too much of a short name for the two to be the same (CNAM, CNED).
const MIN_TYPO_LEN: usize = 5;

/// Whether two names designate the same actor: the same key, or keys one typo apart
/// (Damerau-Levenshtein distance 1, on keys of 5 characters or more). A difference
/// in digits is no typo but another number: NET93 is not NET94.
pub fn same_name(a: &str, b: &str) -> bool {
    let (ka, kb) = (name_key(a), name_key(b));
    if ka == kb {
        return true;
    }
    if ka.chars().count().min(kb.chars().count()) < MIN_TYPO_LEN {
        return false;
    }
    let digits = |k: &str| k.chars().filter(char::is_ascii_digit).collect::<String>();
    strsim::damerau_levenshtein(&ka, &kb) == 1 && digits(&ka) == digits(&kb)
}

/// A person's name as compared: case, accents, hyphens and spaces forgiven.
pub fn person_key(name: &str) -> String {
    suggest::fold(name)
}

/// A phone number as compared: its digits, `+33` read as the leading `0`.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("33") {
        Some(rest) if phone.trim_start().starts_with('+') && rest.len() == 9 => format!("0{rest}"),
        _ => digits,
    }
}

/// An e-mail address as compared: trimmed, case-insensitive.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// What makes two people the same person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKeys {
    /// Folded name and first name, when both are known.
    pub names: Option<(String, String)>,
    pub annee_naissance: Option<i32>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
}

/// Why two people are taken for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Identite,
    Telephone,
    Courriel,
}

impl Match {
    pub fn label(self) -> &'static str {
        match self {
            Match::Identite => "même nom, prénom et année de naissance",
            Match::Telephone => "même téléphone",
            Match::Courriel => "même courriel",
        }
    }
}

impl PersonKeys {
    pub fn of(identite: &Identite, annee_naissance: Option<i32>) -> PersonKeys {
        let key = |v: &Option<String>, f: fn(&str) -> String| {
            v.as_deref().map(f).filter(|k| !k.is_empty())
        };
        PersonKeys {
            names: key(&identite.nom, person_key).zip(key(&identite.prenom, person_key)),
            annee_naissance,
            telephone: key(&identite.telephone, phone_key),
            courriel: key(&identite.courriel, email_key),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_none() && self.telephone.is_none() && self.courriel.is_none()
    }

    /// Whether `other` is the same person, and by what. Two years of birth given and
    /// different tell two people apart; a year missing on either side does not.
    pub fn matches(&self, other: &PersonKeys) -> Option<Match> {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        let years_agree = match (self.annee_naissance, other.annee_naissance) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if self.names.is_some() && self.names == other.names && years_agree {
            Some(Match::Identite)
        } else if same(&self.telephone, &other.telephone) {
            Some(Match::Telephone)
        } else if same(&self.courriel, &other.courriel) {
            Some(Match::Courriel)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_equal_after_normalisation() {
        for (a, b) in [
            ("Pole emploi Val de Marne", "Pôle emploi Val-de-Marne"),
            ("NET-94", "NET94"),
            ("net 94", "NET94"),
            ("Mission locale d'Aulnay", "MISSION LOCALE D AULNAY"),
        ] {
            assert!(same_name(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn one_typo_on_long_names_only_and_never_in_digits() {
        assert!(same_name("MEDNUM94", "MEDNUN94"));
        assert!(same_name("Ville de Paris", "Vile de Paris"));
        // A transposition is one typo.
        assert!(same_name("Fondation Cetelem", "Fondation Ceteelm"));
        assert!(!same_name("NET93", "NET94"));
        assert!(!same_name("CNAM", "CNED"));
        assert!(!same_name("CNAM", "CNAS"));
        assert!(!same_name("MEDNUM94", "MEDNUM"));
        assert!(!same_name("Ville de Paris", "Ville de Pantin"));
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(phone_key("06 12 34 56 78"), "0612345678");
        assert_eq!(phone_key("06.12.34.56.78"), "0612345678");
        assert_eq!(phone_key("+33 6 12 34 56 78"), "0612345678");
        assert_eq!(
            email_key(" Awa.Diallo@Exemple.FR "),
            "awa.diallo@exemple.fr"
        );
    }

    fn person(nom: &str, prenom: &str, annee: Option<i32>, tel: &str) -> PersonKeys {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        PersonKeys::of(
            &Identite {
                nom: opt(nom),
                prenom: opt(prenom),
                telephone: opt(tel),
                courriel: None,
            },
            annee,
        )
    }

    #[test]
    fn same_person() {
        let awa = person("Diallo", "Awa", Some(1990), "");
        assert_eq!(
            awa.matches(&person("DIALLO", "awa", Some(1990), "")),
            Some(Match::Identite)
        );
        assert_eq!(
            awa.matches(&person("Diallo", "Awa", None, "")),
            Some(Match::Identite)
        );
        assert_eq!(awa.matches(&person("Diallo", "Awa", Some(1991), "")), None);
        assert_eq!(awa.matches(&person("Diallo", "", Some(1990), "")), None);
        assert_eq!(
            person("", "", None, "06 12 34 56 78").matches(&person("X", "Y", None, "0612345678")),
            Some(Match::Telephone)
        );
        assert_eq!(
            person("", "", None, "").matches(&person("", "", None, "")),
            None
        );
    }
}
