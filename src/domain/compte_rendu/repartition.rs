//! Allocation arithmetic in cents: an amount split by weights so that the parts add
//! up exactly, and the analytic layer that gives each line of the books to projects
//! (directly, by an allocation of its entry, or by the year's key) without touching it.

use std::collections::BTreeMap;

/// Splits `total` cents by `weights` out of `denom` (`denom` ≥ the sum of the
/// weights; what the weights leave stays unallocated). The parts are rounded by the
/// largest remainder, so that they add up to the rounded share of the whole:
/// `total × Σweights / denom`, exactly `total` when the weights cover `denom`.
/// Ties go to the earlier weight, so the result depends only on the input.
pub fn split(total: i64, weights: &[u64], denom: u64) -> Vec<i64> {
    let sum: u64 = weights.iter().sum();
    if denom == 0 || sum == 0 {
        return vec![0; weights.len()];
    }
    let denom = u128::from(denom.max(sum));
    let negative = total < 0;
    let t = u128::from(total.unsigned_abs());
    // Exact quotas t·w/denom: floors, then the missing cents to the largest remainders.
    let mut parts: Vec<u128> = weights.iter().map(|w| t * u128::from(*w) / denom).collect();
    let target = (t * u128::from(sum) * 2 + denom) / (2 * denom);
    let given: u128 = parts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(t * u128::from(weights[i]) % denom));
    for &i in order.iter().take((target - given) as usize) {
        parts[i] += 1;
    }
    parts
        .into_iter()
        .map(|p| {
            let p = p as i64;
            if negative { -p } else { p }
        })
        .collect()
}

/// Where a project's amount comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origine {
    /// The entry names the project.
    Direct,
    /// A share of the entry was given to the project (`ici affecte`).
    Affecte,
    /// The year's key spread the account over the projects (`ici repartition`).
    Reparti,
}

/// One line of the books of the year, in classes 6, 7 or 8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneLivre {
    pub ecriture: i64,
    pub compte: String,
    /// Charges and uses (6, 86) positive at the debit; products and resources (7, 87)
    /// positive at the credit.
    pub montant: i64,
    pub projet: Option<String>,
    /// The partner the line's tiers is, for subsidies.
    pub financeur: Option<String>,
}

/// A year's key: the account prefixes it spreads and each project's weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cle {
    pub comptes: Vec<String>,
    pub poids: Vec<(String, u64)>,
    /// What the weights are out of: their sum, or 10 000 for a key typed in
    /// percentages (what they leave stays unallocated).
    pub denominateur: u64,
}

/// An amount given to a project (`None`: to none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub projet: Option<String>,
    pub compte: String,
    pub financeur: Option<String>,
    pub origine: Option<Origine>,
    pub montant: i64,
}

/// Gives each line to projects: wholly to the project its entry names; else by the
/// allocations of its entry (shares in hundredths of a percent, the rest unallocated);
/// else, for a charge whose account the key covers, by the key, account by account
/// (the account's total is split, so rounding happens once per account). What is left
/// is returned with no project.
pub fn ventile(
    lignes: &[LigneLivre],
    affectations: &BTreeMap<i64, Vec<(String, u32)>>,
    cle: Option<&Cle>,
) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut a_repartir: BTreeMap<(String, Option<String>), i64> = BTreeMap::new();
    for l in lignes {
        if let Some(p) = &l.projet {
            parts.push(Part {
                projet: Some(p.clone()),
                compte: l.compte.clone(),
                financeur: l.financeur.clone(),
                origine: Some(Origine::Direct),
                montant: l.montant,
            });
            continue;
        }
        if let Some(shares) = affectations.get(&l.ecriture) {
            let weights: Vec<u64> = shares.iter().map(|(_, s)| u64::from(*s)).collect();
            let amounts = split(l.montant, &weights, 10_000);
            let mut given = 0;
            for ((projet, _), m) in shares.iter().zip(amounts) {
                given += m;
                parts.push(Part {
                    projet: Some(projet.clone()),
                    compte: l.compte.clone(),
                    financeur: l.financeur.clone(),
                    origine: Some(Origine::Affecte),
                    montant: m,
                });
            }
            if l.montant != given {
                parts.push(Part {
                    projet: None,
                    compte: l.compte.clone(),
                    financeur: l.financeur.clone(),
                    origine: None,
                    montant: l.montant - given,
                });
            }
            continue;
        }
        let covered = cle.is_some_and(|k| {
            l.compte.starts_with('6') && k.comptes.iter().any(|c| l.compte.starts_with(c.as_str()))
        });
        if covered {
            *a_repartir
                .entry((l.compte.clone(), l.financeur.clone()))
                .or_default() += l.montant;
        } else {
            parts.push(Part {
                projet: None,
                compte: l.compte.clone(),
                financeur: l.financeur.clone(),
                origine: None,
                montant: l.montant,
            });
        }
    }
    if let Some(k) = cle {
        let weights: Vec<u64> = k.poids.iter().map(|(_, w)| *w).collect();
        for ((compte, financeur), total) in a_repartir {
            let amounts = split(total, &weights, k.denominateur);
            let mut given = 0;
            for ((projet, _), m) in k.poids.iter().zip(amounts) {
                given += m;
                parts.push(Part {
                    projet: Some(projet.clone()),
                    compte: compte.clone(),
                    financeur: financeur.clone(),
                    origine: Some(Origine::Reparti),
                    montant: m,
                });
            }
            if total != given {
                parts.push(Part {
                    projet: None,
                    compte,
                    financeur,
                    origine: None,
                    montant: total - given,
                });
            }
        }
    }
    parts
}

/// Shares in hundredths of a percent from weights: what [`split`] gives 10 000.
pub fn parts_pct(weights: &[u64], denom: u64) -> Vec<i64> {
    split(10_000, weights, denom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_to_the_total_by_largest_remainder() {
        // 100,00 € in three equal parts: 33,34 + 33,33 + 33,33.
        assert_eq!(split(10_000, &[1, 1, 1], 3), vec![3334, 3333, 3333]);
        // Hours 30 / 50 / 20 of 1 234,57 €.
        let p = split(123_457, &[30, 50, 20], 100);
        assert_eq!(p, vec![37_037, 61_729, 24_691]);
        assert_eq!(p.iter().sum::<i64>(), 123_457);
        // A key typed as 40 % + 35 %: 75 % of the amount given, the rest not.
        assert_eq!(split(1_001, &[4_000, 3_500], 10_000), vec![401, 350]);
        // Negative amounts (a refund) split the same way.
        assert_eq!(split(-10_000, &[1, 1, 1], 3), vec![-3334, -3333, -3333]);
        assert_eq!(split(500, &[0, 0], 0), vec![0, 0]);
    }

    #[test]
    fn split_is_exact_for_many_totals_and_weights() {
        for total in [1_i64, 7, 99, 100, 12_345, 9_999_999] {
            for weights in [vec![1_u64, 2, 3], vec![5, 5], vec![7, 11, 13, 17], vec![1]] {
                let sum = weights.iter().sum();
                assert_eq!(split(total, &weights, sum).iter().sum::<i64>(), total);
            }
        }
    }

    fn ligne(ecriture: i64, compte: &str, montant: i64, projet: Option<&str>) -> LigneLivre {
        LigneLivre {
            ecriture,
            compte: compte.into(),
            montant,
            projet: projet.map(String::from),
            financeur: None,
        }
    }

    #[test]
    fn lines_go_direct_then_by_allocation_then_by_key() {
        let lignes = vec![
            ligne(1, "6411", 100_000, Some("A")),
            ligne(2, "6411", 30_000, None),
            ligne(3, "613", 9_000, None),
            ligne(4, "6411", 60_001, None),
            ligne(5, "7413", 50_000, None),
        ];
        let mut aff = BTreeMap::new();
        aff.insert(3, vec![("A".to_string(), 5_000), ("B".to_string(), 2_500)]);
        let cle = Cle {
            comptes: vec!["64".into()],
            poids: vec![("A".into(), 2), ("B".into(), 1)],
            denominateur: 3,
        };
        let parts = ventile(&lignes, &aff, Some(&cle));
        let sum = |p: Option<&str>, o: Option<Origine>| -> i64 {
            parts
                .iter()
                .filter(|x| x.projet.as_deref() == p && x.origine == o)
                .map(|x| x.montant)
                .sum()
        };
        assert_eq!(sum(Some("A"), Some(Origine::Direct)), 100_000);
        assert_eq!(sum(Some("A"), Some(Origine::Affecte)), 4_500);
        assert_eq!(sum(Some("B"), Some(Origine::Affecte)), 2_250);
        // 6411 unallocated: 30 000 + 60 001 = 90 001, two thirds and one third.
        assert_eq!(sum(Some("A"), Some(Origine::Reparti)), 60_001);
        assert_eq!(sum(Some("B"), Some(Origine::Reparti)), 30_000);
        // Left: a quarter of the rent, and the subsidy (no key for class 7).
        assert_eq!(sum(None, None), 2_250 + 50_000);
        let total: i64 = parts.iter().map(|p| p.montant).sum();
        assert_eq!(total, lignes.iter().map(|l| l.montant).sum::<i64>());
    }
}
