//! Account numbers of the association chart, and the kinds of operation a treasurer
//! records with them. Group labels follow the 1999 association chart (CRC 99-01).

use crate::bail_user;
use anyhow::Result;

/// An account number: 2 to 10 digits, first digit 1 to 8.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Compte(String);

impl Compte {
    pub fn parse(input: &str) -> Result<Compte> {
        let s = input.trim();
        if s.starts_with('9') && s.chars().all(|c| c.is_ascii_digit()) {
            bail_user!(
                "compte « {input} » : la classe 9 (comptabilité analytique) n'est pas tenue par ici ; rattachez plutôt l'écriture à un projet (--projet)"
            );
        }
        let ok = (2..=10).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_digit())
            && matches!(s.as_bytes()[0], b'1'..=b'8');
        if !ok {
            bail_user!(
                "compte « {input} » invalide : un numéro de compte a 2 à 10 chiffres (706, 741, 6411…)"
            );
        }
        Ok(Compte(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit group (`74` for `7412`), the level at which the bilan totals.
    pub fn group(&self) -> &str {
        &self.0[..2]
    }
}

/// The bank account the other side of an entry goes to unless `--via 530` (cash).
pub const BANQUE: &str = "512";
pub const CAISSE: &str = "530";

/// What a simple entry records, which fixes the account class it accepts and the side
/// the money moves on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Income (class 7), credited; the bank is debited.
    Produit,
    /// A cost (class 6), debited; the bank is credited.
    Charge,
    /// A loan received (class 16), credited; never income.
    Emprunt,
    /// A loan repaid (class 16), debited; never a cost.
    Remboursement,
}

impl Operation {
    pub fn parse(input: &str) -> Result<Operation> {
        Ok(match input.trim().to_lowercase().as_str() {
            "produit" => Operation::Produit,
            "charge" => Operation::Charge,
            "emprunt" => Operation::Emprunt,
            "remboursement" => Operation::Remboursement,
            _ => bail_user!("type « {input} » inconnu : produit, charge, emprunt ou remboursement"),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Operation::Produit => "produit",
            Operation::Charge => "charge",
            Operation::Emprunt => "emprunt",
            Operation::Remboursement => "remboursement",
        }
    }

    /// True when the account number is of the class this operation takes.
    fn accepts(self, compte: &Compte) -> bool {
        match self {
            Operation::Produit => compte.as_str().starts_with('7'),
            Operation::Charge => compte.as_str().starts_with('6'),
            Operation::Emprunt | Operation::Remboursement => compte.as_str().starts_with("16"),
        }
    }

    /// The account is credited (income, loan received) rather than debited.
    pub fn credits_account(self) -> bool {
        matches!(self, Operation::Produit | Operation::Emprunt)
    }

    /// Parses an account number and checks it is of the class this operation takes.
    pub fn compte(self, input: &str) -> Result<Compte> {
        let compte = Compte::parse(input)?;
        if !self.accepts(&compte) {
            let expected = match self {
                Operation::Produit => {
                    "de la classe 7 (706 prestations, 74 subventions, 756 cotisations…)"
                }
                Operation::Charge => {
                    "de la classe 6 (6411 salaires, 613 locations, 622 honoraires…)"
                }
                Operation::Emprunt | Operation::Remboursement => {
                    "d'emprunt, en 16 (164 emprunts bancaires, 168 autres emprunts)"
                }
            };
            bail_user!(
                "compte « {input} » refusé pour {} : il faut un compte {expected}",
                match self {
                    Operation::Produit => "un produit",
                    Operation::Charge => "une charge",
                    Operation::Emprunt => "un emprunt",
                    Operation::Remboursement => "un remboursement",
                }
            );
        }
        Ok(compte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_operation() {
        assert!(Operation::Produit.compte("741").is_ok());
        assert!(Operation::Produit.compte("706").is_ok());
        assert!(Operation::Charge.compte("6411").is_ok());
        assert!(Operation::Emprunt.compte("168").is_ok());
        assert!(Operation::Produit.compte("6411").is_err());
        assert!(Operation::Charge.compte("741").is_err());
        assert!(Operation::Produit.compte("168").is_err());
        assert!(Operation::Emprunt.compte("512").is_err());
        for bad in ["7", "0741", "9", "74a", "12345678901", ""] {
            assert!(Compte::parse(bad).is_err(), "{bad}");
        }
    }
}
