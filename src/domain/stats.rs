//! The year's activity figures. The ledger supplies grouped sums; this module folds
//! them into totals and breakdowns without touching the database.

use crate::domain::session::PUBLICS;
use std::collections::BTreeMap;

/// Sums over a set of sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub sessions: i64,
    pub participants: i64,
    pub minutes: i64,
    /// Participants × minutes: the basis of heures-stagiaires.
    pub minutes_stagiaires: i64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.sessions += o.sessions;
        self.participants += o.participants;
        self.minutes += o.minutes;
        self.minutes_stagiaires += o.minutes_stagiaires;
    }
}

/// One public breakdown: people counted, and participants of the sessions where it was
/// recorded (the rest is "non renseigné").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Public {
    pub personnes: i64,
    pub renseigne: i64,
}

/// The ledger's sums for one (projet, month, commune) group of sessions.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub projet: String,
    pub theme: String,
    pub mois: u32,
    pub commune: String,
    pub counts: Counts,
    pub publics: [Public; 5],
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub annee: i32,
    pub total: Counts,
    pub villes: Vec<(String, Counts)>,
    pub partenaires: Vec<String>,
    pub publics: [Public; 5],
    pub par_theme: Vec<(String, Counts)>,
    pub par_projet: Vec<(String, String, Counts)>,
    pub par_mois: Vec<(u32, Counts)>,
    pub annulees: i64,
}

impl Stats {
    pub fn build(annee: i32, groups: &[Group], partenaires: Vec<String>, annulees: i64) -> Stats {
        let mut total = Counts::default();
        let mut villes: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut themes: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut projets: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
        let mut mois: BTreeMap<u32, Counts> = BTreeMap::new();
        let mut publics = [Public::default(); 5];
        for g in groups {
            total.add(&g.counts);
            villes.entry(&g.commune).or_default().add(&g.counts);
            themes.entry(&g.theme).or_default().add(&g.counts);
            projets
                .entry((&g.projet, &g.theme))
                .or_default()
                .add(&g.counts);
            mois.entry(g.mois).or_default().add(&g.counts);
            for (acc, p) in publics.iter_mut().zip(&g.publics) {
                acc.personnes += p.personnes;
                acc.renseigne += p.renseigne;
            }
        }
        Stats {
            annee,
            total,
            villes: villes.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            partenaires,
            publics,
            par_theme: themes.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            par_projet: projets
                .into_iter()
                .map(|((p, t), v)| (p.to_string(), t.to_string(), v))
                .collect(),
            par_mois: mois.into_iter().collect(),
            annulees,
        }
    }

    /// Until participants are identified, people trained is the sum of headcounts.
    pub fn personnes_formees(&self) -> i64 {
        self.total.participants
    }

    pub fn public_keys() -> impl Iterator<Item = &'static str> {
        PUBLICS.iter().map(|p| p.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(projet: &str, theme: &str, mois: u32, commune: &str, n: i64, min: i64) -> Group {
        Group {
            projet: projet.into(),
            theme: theme.into(),
            mois,
            commune: commune.into(),
            counts: Counts {
                sessions: 1,
                participants: n,
                minutes: min,
                minutes_stagiaires: n * min,
            },
            publics: [Public {
                personnes: n / 2,
                renseigne: n,
            }; 5],
        }
    }

    #[test]
    fn totals_equal_the_sum_of_each_breakdown() {
        let groups = [
            group("NET94", "emploi", 6, "Villejuif", 12, 180),
            group("NET94", "emploi", 7, "Cachan", 8, 120),
            group("BP-PARIS", "citoyennete", 1, "Paris", 10, 150),
        ];
        let s = Stats::build(2017, &groups, vec!["A".into()], 1);
        assert_eq!(s.total.sessions, 3);
        assert_eq!(s.personnes_formees(), 30);
        assert_eq!(s.total.minutes, 450);
        assert_eq!(s.total.minutes_stagiaires, 12 * 180 + 8 * 120 + 10 * 150);
        for breakdown in [
            s.villes.iter().map(|v| v.1).collect::<Vec<_>>(),
            s.par_theme.iter().map(|v| v.1).collect(),
            s.par_projet.iter().map(|v| v.2).collect(),
            s.par_mois.iter().map(|v| v.1).collect(),
        ] {
            let mut sum = Counts::default();
            breakdown.iter().for_each(|c| sum.add(c));
            assert_eq!(sum, s.total);
        }
        assert_eq!(s.villes.len(), 3);
        assert_eq!(s.publics[0].personnes, 6 + 4 + 5);
    }
}
