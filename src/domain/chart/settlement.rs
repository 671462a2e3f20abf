//! Which accounts of classes 6 and 7 settle in money, so that a simple entry
//! (`produit add`, `charge add`, `import finances`) may book them against the bank or
//! the cash box; and, for the others, the double entry that records them.
//!
//! A dotation, a reprise, a report en fonds dédiés, a transfer of charges, a change
//! in stock, the book value of an asset sold or the share of an investment subsidy
//! moves no money: booking it against 512 or 530 would put money in the bank that
//! never came, or take out money that never left.

use super::Plan;

/// How an account of the result is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Paid or received: a simple entry against 512 or 530 is right.
    Money,
    /// Recorded against another account (the counterpart an entry usually takes),
    /// with what the account holds, for the message.
    Other {
        what: &'static str,
        counterpart: &'static str,
    },
}

/// (prefix, what it holds, usual counterpart). The longest matching prefix wins.
/// Counterparts are accounts of every chart (checked by the tests).
const NON_CASH: &[(&str, &str, &str)] = &[
    ("603", "une variation de stocks", "37"),
    (
        "675",
        "la valeur comptable d'un élément d'actif cédé",
        "2183",
    ),
    (
        "68",
        "une dotation aux amortissements, dépréciations ou provisions",
        "2818",
    ),
    ("686", "une dotation financière aux provisions", "151"),
    (
        "687",
        "une dotation exceptionnelle aux amortissements ou provisions",
        "151",
    ),
    ("689", "un report en fonds dédiés", "194"),
    ("713", "une variation de stocks", "35"),
    (
        "747",
        "la quote-part des subventions d'investissement virée au résultat",
        "139",
    ),
    ("775", "un produit de cession d'élément d'actif", "462"),
    (
        "777",
        "la quote-part des subventions d'investissement virée au résultat",
        "139",
    ),
    (
        "78",
        "une reprise sur amortissements, dépréciations ou provisions",
        "2818",
    ),
    ("786", "une reprise financière sur provisions", "151"),
    ("787", "une reprise exceptionnelle sur provisions", "151"),
    ("789", "une utilisation de fonds dédiés", "194"),
    ("79", "un transfert de charges", "467"),
];

/// Whether an account of the result settles in money. Class 8 never does (it is
/// valued, not paid); classes 1 to 5 are not accounts of the result.
pub fn settlement(compte: &str) -> Settlement {
    if compte.starts_with('8') {
        return Settlement::Other {
            what: "une contribution volontaire en nature (classe 8, qui ne s'équilibre qu'avec la classe 8)",
            counterpart: if compte.starts_with("86") {
                "875"
            } else {
                "864"
            },
        };
    }
    NON_CASH
        .iter()
        .filter(|(p, _, _)| compte.starts_with(p))
        .max_by_key(|(p, _, _)| p.len())
        .map_or(Settlement::Money, |(_, what, counterpart)| {
            Settlement::Other { what, counterpart }
        })
}

/// The usual counterpart of a non-cash account in this chart (`194` for 689 or 789:
/// fonds dédiés); `None` for an account that settles in money.
pub fn counterpart_hint(plan: Plan, compte: &str) -> Option<&'static str> {
    match settlement(compte) {
        Settlement::Money => None,
        // 1999: 870 bénévolat, 864 personnel bénévole; 2018: 875 bénévolat.
        Settlement::Other {
            counterpart: "875", ..
        } if plan == Plan::Crc1999 => Some("870"),
        Settlement::Other { counterpart, .. } => Some(counterpart),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chart::check;

    #[test]
    fn what_settles_in_money() {
        for cash in [
            "706", "7413", "756", "6411", "645", "613", "622", "768", "6611", "658",
        ] {
            assert_eq!(settlement(cash), Settlement::Money, "{cash}");
        }
        for other in [
            "6811", "6815", "686", "6871", "689", "6894", "781", "7815", "789", "7894", "791",
            "79", "603", "6037", "713", "675", "775", "777", "747", "864", "870", "875",
        ] {
            assert!(
                matches!(settlement(other), Settlement::Other { .. }),
                "{other}"
            );
        }
    }

    #[test]
    fn counterparts_exist_in_every_chart() {
        for plan in [Plan::Crc1999, Plan::Anc2018, Plan::Anc2025] {
            for (p, _, c) in NON_CASH {
                let hint = counterpart_hint(plan, p).unwrap();
                assert_eq!(hint, *c);
                assert!(check(plan, hint).is_ok(), "{plan:?} {p} → {hint}");
            }
        }
        assert_eq!(counterpart_hint(Plan::Crc1999, "864"), Some("870"));
        assert_eq!(counterpart_hint(Plan::Anc2018, "864"), Some("875"));
        assert_eq!(counterpart_hint(Plan::Anc2018, "870"), Some("864"));
    }
}
