//! Volunteer time valued in cents, and the class 8 accounts of the chart of the year
//! it is booked to.

use crate::domain::account::Compte;
use crate::domain::chart::{self, Plan};
use crate::domain::finance::{Ligne, NewEcriture};
use crate::domain::money::Money;
use chrono::NaiveDate;

/// Minutes × rate per hour, to the nearest cent (half up).
pub fn valeur(minutes: u32, taux: Money) -> Money {
    let num = i64::from(minutes) * taux.cents();
    Money((num * 2 + 60) / 120)
}

/// The chart account of class `class` (86 or 87) whose label is `libelle`: 864
/// « Personnel bénévole »; 870 « Bénévolat » in the 1999 chart, 875 in the 2018 one.
fn by_meaning(plan: Plan, class: &str, libelle: &str) -> &'static str {
    chart::accounts(plan)
        .iter()
        .find(|a| a.numero.starts_with(class) && a.numero.len() == 3 && a.libelle == libelle)
        .map(|a| a.numero)
        // The shipped charts hold both accounts (a test checks it): a failure is a bug.
        .unwrap_or_else(|| panic!("{} : pas de compte « {libelle} »", plan.name()))
}

/// (emplois, ressources): the use of volunteer time (86, debit) and the contribution
/// (87, credit), in the chart in force on `date`.
pub fn comptes(date: NaiveDate) -> (&'static str, &'static str) {
    let plan = Plan::for_date(date);
    (
        by_meaning(plan, "86", "Personnel bénévole"),
        by_meaning(plan, "87", "Bénévolat"),
    )
}

/// The class 8 entry of one volunteering record: no name in it (the books are kept
/// ten years and cannot forget), the record's number instead.
pub fn ecriture(
    numero: i64,
    date: NaiveDate,
    minutes: u32,
    taux: Money,
    projet: Option<String>,
) -> NewEcriture {
    let montant = valeur(minutes, taux);
    let (emploi, ressource) = comptes(date);
    let compte = |n: &str| Compte::parse(n).expect("chart account");
    NewEcriture {
        date,
        libelle: format!(
            "Bénévolat n° {numero} : {} h à {taux} de l'heure",
            crate::domain::duration::hours_fr(i64::from(minutes))
        ),
        piece: None,
        tiers: None,
        projet,
        journal: None,
        numero_source: None,
        annule: None,
        lignes: vec![
            Ligne {
                compte: compte(emploi),
                debit: montant,
                credit: Money(0),
            },
            Ligne {
                compte: compte(ressource),
                debit: Money(0),
                credit: montant,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_follows_the_chart_of_the_year() {
        let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert_eq!(comptes(d(2017)), ("864", "870"));
        assert_eq!(comptes(d(2021)), ("864", "875"));
        assert_eq!(comptes(d(2025)), ("864", "875"));
    }

    #[test]
    fn valuation_in_cents() {
        // 10 h at 9,76 €: 97,60 €; 1 h 20 at 9,76 €: 13,013… → 13,01 €;
        // 30 min at 9,77 €: 4,885 → 4,89 € (half up).
        assert_eq!(valeur(600, Money(976)), Money(9760));
        assert_eq!(valeur(80, Money(976)), Money(1301));
        assert_eq!(valeur(30, Money(977)), Money(489));
    }

    #[test]
    fn the_entry_balances_in_class_8_and_names_nobody() {
        let e = ecriture(
            3,
            NaiveDate::from_ymd_opt(2017, 3, 1).unwrap(),
            150,
            Money(976),
            None,
        );
        assert!(e.is_balanced());
        crate::domain::finance::check_class_8(&e).unwrap();
        assert_eq!(e.totals().0, Money(2440));
        assert!(
            e.libelle.starts_with("Bénévolat n° 3 : 2,5 h"),
            "{}",
            e.libelle
        );
    }
}
