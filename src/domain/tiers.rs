//! Third parties of the books (tiers): who an entry's line is with, apart from the
//! partners of the activity.

use crate::bail_user;
use crate::domain::suggest;
use anyhow::Result;

/// What a tiers is to the association.
pub const NATURES: [(&str, &str); 7] = [
    ("fournisseur", "fournisseur ou prestataire"),
    ("usager", "usager ou client"),
    ("financeur", "financeur (subventions)"),
    ("salarie", "salarié"),
    (
        "organisme-social",
        "organisme social (URSSAF, retraite, mutuelle…)",
    ),
    ("preteur", "prêteur"),
    ("autre", "autre"),
];

/// A nature as typed; accents and case are forgiven.
pub fn parse_nature(input: &str) -> Result<&'static str> {
    let folded = suggest::fold(input).replace(' ', "-");
    match NATURES.iter().find(|(c, _)| *c == folded) {
        Some((code, _)) => Ok(code),
        None => {
            let codes: Vec<&str> = NATURES.iter().map(|(c, _)| *c).collect();
            bail_user!(
                "nature « {input} » inconnue : choisissez parmi {}",
                codes.join(", ")
            )
        }
    }
}

/// The nature an account suggests for the tiers on its line: 401 a supplier, 411 a
/// user, 421 an employee, 43 a social body, 44/74 a funder, 16 a lender.
pub fn nature_for_account(compte: &str) -> &'static str {
    let starts = |p: &str| compte.starts_with(p);
    if starts("40") || starts("6") {
        "fournisseur"
    } else if starts("41") || starts("70") || starts("75") {
        "usager"
    } else if starts("42") {
        "salarie"
    } else if starts("43") {
        "organisme-social"
    } else if starts("44") || starts("74") {
        "financeur"
    } else if starts("16") {
        "preteur"
    } else {
        "autre"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natures_from_accounts_and_words() {
        assert_eq!(nature_for_account("401000"), "fournisseur");
        assert_eq!(nature_for_account("441000"), "financeur");
        assert_eq!(nature_for_account("164"), "preteur");
        assert_eq!(nature_for_account("431"), "organisme-social");
        assert_eq!(nature_for_account("512"), "autre");
        assert_eq!(parse_nature("Prêteur").unwrap(), "preteur");
        assert_eq!(
            parse_nature("organisme social").unwrap(),
            "organisme-social"
        );
        let err = format!("{:#}", parse_nature("banque").unwrap_err());
        assert!(
            err.contains("« banque »") && err.contains("fournisseur"),
            "{err}"
        );
    }
}
