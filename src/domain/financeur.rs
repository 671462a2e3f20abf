//! Funder types: the lines of the Cerfa 12156 / 15059 tables of subsidies (74), one
//! per kind of funder.

use serde::Serialize;

/// A funder's line on the Cerfa forms. Stored as its slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeFinanceur {
    /// État (ministères, préfecture, politique de la ville…)
    Etat,
    /// Région(s)
    Region,
    /// Département(s)
    Departement,
    /// Intercommunalité(s) : EPCI, EPT
    Intercommunalite,
    /// Commune(s)
    Commune,
    /// Organismes sociaux (CAF, CPAM…)
    OrganismeSocial,
    /// Fonds européens (FSE, FEDER…)
    FondsEuropeens,
    /// Agence de services et de paiement (emplois aidés)
    Asp,
    /// Autres établissements publics
    EtablissementPublic,
    /// Aides privées (fondations, entreprises)
    Prive,
    /// Autres
    Autre,
}

impl TypeFinanceur {
    pub const ALL: [TypeFinanceur; 11] = [
        TypeFinanceur::Etat,
        TypeFinanceur::Region,
        TypeFinanceur::Departement,
        TypeFinanceur::Intercommunalite,
        TypeFinanceur::Commune,
        TypeFinanceur::OrganismeSocial,
        TypeFinanceur::FondsEuropeens,
        TypeFinanceur::Asp,
        TypeFinanceur::EtablissementPublic,
        TypeFinanceur::Prive,
        TypeFinanceur::Autre,
    ];

    /// The slug stored in the ledger and typed after `--type`.
    pub fn code(self) -> &'static str {
        match self {
            TypeFinanceur::Etat => "etat",
            TypeFinanceur::Region => "region",
            TypeFinanceur::Departement => "departement",
            TypeFinanceur::Intercommunalite => "intercommunalite",
            TypeFinanceur::Commune => "commune",
            TypeFinanceur::OrganismeSocial => "organisme-social",
            TypeFinanceur::FondsEuropeens => "fonds-europeens",
            TypeFinanceur::Asp => "asp",
            TypeFinanceur::EtablissementPublic => "etablissement-public",
            TypeFinanceur::Prive => "prive",
            TypeFinanceur::Autre => "autre",
        }
    }

    /// The line's wording on the form.
    pub fn libelle(self) -> &'static str {
        match self {
            TypeFinanceur::Etat => "État",
            TypeFinanceur::Region => "Région(s)",
            TypeFinanceur::Departement => "Département(s)",
            TypeFinanceur::Intercommunalite => "Intercommunalité(s) : EPCI",
            TypeFinanceur::Commune => "Commune(s)",
            TypeFinanceur::OrganismeSocial => "Organismes sociaux",
            TypeFinanceur::FondsEuropeens => "Fonds européens",
            TypeFinanceur::Asp => "ASP (emplois aidés)",
            TypeFinanceur::EtablissementPublic => "Autres établissements publics",
            TypeFinanceur::Prive => "Aides privées",
            TypeFinanceur::Autre => "Autres",
        }
    }

    pub fn from_code(code: &str) -> Option<TypeFinanceur> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// A type as typed in a file: accents, case and spaces forgiven (« Fonds européens »).
    pub fn parse(input: &str) -> Option<TypeFinanceur> {
        let folded = crate::domain::suggest::fold(input).replace(' ', "-");
        Self::from_code(&folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_typed_forms_are_forgiven() {
        for t in TypeFinanceur::ALL {
            assert_eq!(TypeFinanceur::from_code(t.code()), Some(t));
            let v = clap::ValueEnum::to_possible_value(&t).unwrap();
            assert_eq!(v.get_name(), t.code());
        }
        assert_eq!(
            TypeFinanceur::parse("Fonds européens"),
            Some(TypeFinanceur::FondsEuropeens)
        );
        assert_eq!(TypeFinanceur::parse("État"), Some(TypeFinanceur::Etat));
        assert_eq!(TypeFinanceur::parse("mairie"), None);
    }
}
