//! What a ledger is for, when several work together: a trainer's laptop, the
//! coordination's ledger, the treasurer's. Accounts are written on the treasurer's
//! ledger only, so that books never need merging; a ledger without a role does
//! everything, as a single ledger always has.

use crate::bail_user;
use anyhow::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Formateur,
    Coordination,
    Tresorerie,
}

impl Role {
    /// As typed after `--role`.
    pub fn parse(input: &str) -> Result<Role> {
        match input.trim().to_lowercase().as_str() {
            "formateur" | "formatrice" => Ok(Role::Formateur),
            "coordination" | "coordinateur" | "coordinatrice" => Ok(Role::Coordination),
            "tresorerie" | "trésorerie" | "tresorier" | "trésorier" | "tresoriere"
            | "trésorière" => Ok(Role::Tresorerie),
            _ => bail_user!(
                "rôle « {} » inconnu : formateur, coordination ou tresorerie (sans --role, le registre fait tout)",
                input.trim()
            ),
        }
    }

    /// As stored in the ledger's settings.
    pub fn code(self) -> &'static str {
        match self {
            Role::Formateur => "formateur",
            Role::Coordination => "coordination",
            Role::Tresorerie => "tresorerie",
        }
    }

    /// « le registre d'un formateur », for messages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Formateur => "le registre d'un formateur",
            Role::Coordination => "le registre de la coordination",
            Role::Tresorerie => "le registre de la trésorerie",
        }
    }

    /// Whether this ledger keeps the books.
    pub fn keeps_books(self) -> bool {
        self == Role::Tresorerie
    }
}

/// Refuses an accounting command (`what`) on a ledger whose role does not keep books.
pub fn check_books(role: Option<Role>, what: &str) -> Result<()> {
    match role {
        Some(r) if !r.keeps_books() => bail_user!(
            "`ici {what}` relève de la comptabilité, tenue sur le registre de la trésorerie seulement : ce registre est {} (rôle {}), rien n'a été fait. Transmettez la pièce au trésorier, ou, si ce registre doit tenir les comptes : `ici init --role tresorerie`",
            r.label(),
            r.code()
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_only_the_treasury_keeps_books() {
        assert_eq!(Role::parse(" Trésorerie ").unwrap(), Role::Tresorerie);
        assert_eq!(Role::parse("formatrice").unwrap(), Role::Formateur);
        assert!(Role::parse("admin").is_err());
        assert!(check_books(None, "charge add").is_ok());
        assert!(check_books(Some(Role::Tresorerie), "charge add").is_ok());
        let e = check_books(Some(Role::Formateur), "charge add")
            .unwrap_err()
            .to_string();
        assert!(e.contains("charge add") && e.contains("formateur"), "{e}");
        assert!(check_books(Some(Role::Coordination), "bilan").is_err());
    }
}
