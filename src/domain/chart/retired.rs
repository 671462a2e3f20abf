//! The accounts règlement ANC 2022-06 took out of the chart for exercices opened from
//! 1 January 2025, and where their entries go instead. Sources: the règlement
//! (articles 941-79, 946-67 and 947-77 of the modified PCG: no more transfers of
//! charges, an exceptional result limited to major and unusual events, the share of
//! investment subsidies in 747).

use super::Plan;

/// (account, what replaces it), longest numbers first within a prefix family so that
/// the most precise advice wins.
const RETIRED_2025: &[(&str, &str)] = &[
    (
        "791",
        "plus de transfert de charges : créditez la charge d'origine, ou 649 (remboursements de charges de personnel), 708 (refacturations), 758 (indemnités d'assurance)",
    ),
    (
        "796",
        "plus de transfert de charges : créditez la charge financière d'origine, ou 481 (frais d'émission d'emprunts)",
    ),
    (
        "797",
        "plus de transfert de charges : créditez la charge d'origine",
    ),
    (
        "79",
        "plus de transfert de charges (classe 79 supprimée) : créditez la charge d'origine, ou 649, 708, 758",
    ),
    (
        "6712",
        "les pénalités et amendes vont en 6582 (groupe 658, résultat courant)",
    ),
    ("6713", "les dons et libéralités versés vont en 658"),
    ("6714", "les créances irrécouvrables vont en 654"),
    (
        "6717",
        "les rappels d'impôts vont au compte d'impôt concerné (63)",
    ),
    ("6718", "les autres charges de gestion vont en 658"),
    (
        "671",
        "les charges sur opérations de gestion vont en résultat courant (658)",
    ),
    (
        "672",
        "une charge d'un exercice antérieur va au compte de charge de sa nature ; 678 ne reçoit que les événements majeurs et inhabituels",
    ),
    (
        "675",
        "la valeur des immobilisations cédées va en résultat courant (657 du plan général ; 678 seulement pour un événement majeur et inhabituel)",
    ),
    (
        "7713",
        "les libéralités perçues vont en 75 (754 générosité du public)",
    ),
    ("7714", "les rentrées sur créances amorties vont en 758"),
    ("7715", "les subventions d'équilibre vont en 74"),
    (
        "7717",
        "les dégrèvements d'impôts vont au crédit du compte d'impôt (63)",
    ),
    ("7718", "les autres produits de gestion vont en 758"),
    (
        "771",
        "les produits sur opérations de gestion vont en résultat courant (758)",
    ),
    (
        "772",
        "un produit d'un exercice antérieur va au compte de produit de sa nature ; 778 ne reçoit que les événements majeurs et inhabituels",
    ),
    (
        "775",
        "les produits des cessions d'immobilisations vont en 757",
    ),
    (
        "777",
        "la quote-part des subventions d'investissement virée au résultat va en 747",
    ),
];

/// The refusal of an account that no longer exists in this chart, naming what
/// replaces it; `None` for an account the chart still has.
pub fn retired(plan: Plan, numero: &str) -> Option<String> {
    if plan != Plan::Anc2025 {
        return None;
    }
    let (compte, instead) = RETIRED_2025
        .iter()
        .filter(|(c, _)| numero.starts_with(c))
        .max_by_key(|(c, _)| c.len())?;
    let what = if *compte == numero {
        format!("le compte {numero}")
    } else {
        format!("le compte {numero} (sous-compte de {compte})")
    };
    Some(format!(
        "{what} n'existe plus depuis 2025 (règlement ANC 2022-06) : {instead}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chart::{check, find};

    #[test]
    fn retired_accounts_name_their_replacement() {
        let err = check(Plan::Anc2025, "791").unwrap_err();
        assert!(
            err.starts_with("le compte 791 n'existe plus depuis 2025 (règlement ANC 2022-06) : "),
            "{err}"
        );
        assert!(err.contains("649"), "{err}");
        let err = check(Plan::Anc2025, "7770").unwrap_err();
        assert!(err.contains("sous-compte de 777"), "{err}");
        assert!(err.contains("747"), "{err}");
        assert!(check(Plan::Anc2025, "6712").unwrap_err().contains("6582"));
        // The same accounts are still valid before 2025.
        for n in ["791", "777", "6712", "775"] {
            assert!(check(Plan::Anc2018, n).is_ok(), "{n}");
        }
        // Every replacement named by a number is in the 2025 chart, and no retired
        // account is.
        for (c, _) in RETIRED_2025 {
            assert!(
                find(Plan::Anc2025, c).is_none(),
                "{c} still in the 2025 chart"
            );
        }
        for n in [
            "747", "6582", "658", "757", "678", "778", "649", "708", "758", "654",
        ] {
            assert!(check(Plan::Anc2025, n).is_ok(), "{n}");
        }
    }
}
