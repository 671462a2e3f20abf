//! The year's activity figures. The ledger supplies grouped sums; this module folds
//! them into totals and breakdowns without touching the database.

use crate::domain::session::{PUBLICS, Place};
use crate::domain::suggest::fold;
use crate::territory;
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

/// The ledger's sums for one (projet, month, place) group of sessions.
#[derive(Debug, Clone)]
pub struct Group {
    pub projet: String,
    pub theme: String,
    pub mois: u32,
    pub place: Place,
    pub counts: Counts,
    pub publics: [Public; 5],
}

/// A territory (city, département, intercommunality) and what happened there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Territorial {
    pub code: String,
    pub nom: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub annee: i32,
    pub total: Counts,
    /// Cities, municipal arrondissements rolled up to their commune.
    pub villes: Vec<Territorial>,
    /// Communes and arrondissements as recorded.
    pub communes: Vec<Territorial>,
    pub departements: Vec<Territorial>,
    /// EPT in the Métropole du Grand Paris, EPCI elsewhere.
    pub intercommunalites: Vec<Territorial>,
    pub distance: Counts,
    /// Places typed in an older ledger and not yet resolved.
    pub inconnues: Vec<(String, Counts)>,
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
        let mut villes = Places::default();
        let mut communes = Places::default();
        let mut departements = Places::default();
        let mut intercos = Places::default();
        let mut distance = Counts::default();
        let mut inconnues: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut themes: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut projets: BTreeMap<(&str, &str), Counts> = BTreeMap::new();
        let mut mois: BTreeMap<u32, Counts> = BTreeMap::new();
        let mut publics = [Public::default(); 5];
        for g in groups {
            total.add(&g.counts);
            match &g.place {
                Place::Commune(c) => {
                    communes.add(c.code, c.nom, &g.counts);
                    let city = territory::city(c);
                    villes.add(city.code, city.nom, &g.counts);
                    if let Some(d) = territory::departement(c.departement) {
                        departements.add(d.code, d.nom, &g.counts);
                    }
                    if let Some(i) = city.interco.and_then(territory::interco) {
                        intercos.add(i.code, i.nom, &g.counts);
                    }
                }
                Place::Distance => distance.add(&g.counts),
                Place::Inconnue(s) => inconnues.entry(s).or_default().add(&g.counts),
            }
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
            villes: villes.by_name(),
            communes: communes.by_name(),
            departements: departements.by_code(),
            intercommunalites: intercos.by_name(),
            distance,
            inconnues: inconnues
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            partenaires,
            publics,
            par_theme: themes
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
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

/// Counts by territory code, with the territory's name.
#[derive(Default)]
struct Places(BTreeMap<&'static str, (&'static str, Counts)>);

impl Places {
    fn add(&mut self, code: &'static str, nom: &'static str, c: &Counts) {
        self.0
            .entry(code)
            .or_insert((nom, Counts::default()))
            .1
            .add(c);
    }

    fn by_code(self) -> Vec<Territorial> {
        self.0
            .into_iter()
            .map(|(code, (nom, counts))| Territorial {
                code: code.to_string(),
                nom: nom.to_string(),
                counts,
            })
            .collect()
    }

    /// Sorted as a French reader expects: accents and articles do not move a name.
    fn by_name(self) -> Vec<Territorial> {
        let mut v = self.by_code();
        v.sort_by_cached_key(|t| (fold(&t.nom), t.code.clone()));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(projet: &str, theme: &str, mois: u32, code: &str, n: i64, min: i64) -> Group {
        Group {
            projet: projet.into(),
            theme: theme.into(),
            mois,
            place: Place::Commune(territory::commune(code).unwrap()),
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
            group("NET94", "emploi", 6, "94076", 12, 180),
            group("NET94", "emploi", 7, "94016", 8, 120),
            group("BP-PARIS", "citoyennete", 1, "75118", 10, 150),
            group("BP-PARIS", "citoyennete", 2, "75113", 2, 60),
        ];
        let s = Stats::build(2017, &groups, vec!["A".into()], 1);
        assert_eq!(s.total.sessions, 4);
        assert_eq!(s.personnes_formees(), 32);
        assert_eq!(s.total.minutes, 510);
        assert_eq!(
            s.total.minutes_stagiaires,
            12 * 180 + 8 * 120 + 10 * 150 + 2 * 60
        );
        for breakdown in [
            s.villes.iter().map(|v| v.counts).collect::<Vec<_>>(),
            s.communes.iter().map(|v| v.counts).collect(),
            s.departements.iter().map(|v| v.counts).collect(),
            s.par_theme.iter().map(|v| v.1).collect(),
            s.par_projet.iter().map(|v| v.2).collect(),
            s.par_mois.iter().map(|v| v.1).collect(),
        ] {
            let mut sum = Counts::default();
            breakdown.iter().for_each(|c| sum.add(c));
            assert_eq!(sum, s.total);
        }
        let names = |v: &[Territorial]| v.iter().map(|t| t.nom.clone()).collect::<Vec<_>>();
        assert_eq!(names(&s.villes), ["Cachan", "Paris", "Villejuif"]);
        assert_eq!(s.communes.len(), 4);
        assert_eq!(s.villes[1].counts.sessions, 2);
        let codes: Vec<&str> = s.departements.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["75", "94"]);
        assert_eq!(names(&s.intercommunalites), ["Grand-Orly Seine Bièvre"]);
        assert_eq!(s.intercommunalites[0].counts.sessions, 2);
        assert_eq!(s.publics[0].personnes, 6 + 4 + 5 + 1);
    }
}
