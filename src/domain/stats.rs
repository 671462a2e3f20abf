//! The year's activity figures. The ledger supplies grouped sums; this module folds
//! them into totals and breakdowns without touching the database.

use crate::domain::participant::{
    Choices, DIPLOMES, OUI_NON, Profile, SEXES, SITUATIONS, STATUTS, TRANCHES_AGE, is_positive,
    rate, tranche_age,
};
use crate::domain::session::Place;
use crate::domain::suggest::fold;
use crate::domain::vocabulaire::{Bits, THEMATIQUES};
use crate::territory;
use std::collections::BTreeMap;

/// Sums over a set of sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub sessions: i64,
    /// Participations: each person at each session, named or anonymous.
    pub participants: i64,
    /// Of the participations, those of named people (the rest are anonymous).
    pub nommes: i64,
    pub minutes: i64,
    /// Minutes of presence summed over the participants: the basis of
    /// heures-stagiaires (a named person who left early counts the time they stayed).
    pub minutes_stagiaires: i64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.sessions += o.sessions;
        self.participants += o.participants;
        self.nommes += o.nommes;
        self.minutes += o.minutes;
        self.minutes_stagiaires += o.minutes_stagiaires;
    }

    /// Anonymous participations: each one counts as one person.
    pub fn anonymes(&self) -> i64 {
        self.participants - self.nommes
    }
}

/// One public breakdown: people counted, and people for whom it is known (the rest
/// is "non renseigné"): anonymous participants of the sessions where it was recorded,
/// plus named people whose profile says yes or no.
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
    /// Distinct named people who attended in the year.
    pub nommees: i64,
    /// Of the named people, those who first came this year and those who had come
    /// before (anonymous people cannot be told apart).
    pub nouveaux: i64,
    pub deja_venus: i64,
    /// The named people's profiles, one count per person.
    pub profils: Vec<Profil>,
    /// Per project: people reached and exits, against the project's targets.
    pub resultats: Vec<ProjetResultat>,
    /// Per thématique (its position in [`THEMATIQUES`]), in the national list's order:
    /// a session with several thématiques counts in each.
    pub par_thematique: Vec<(usize, Counts)>,
    /// Sessions recorded without a thématique.
    pub sans_thematique: Counts,
    /// The association's people: staff, full-time equivalent, volunteers, members.
    pub association: crate::domain::association::Chiffres,
}

/// A named person who attended in the year, with what the figures need.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub profile: Profile,
    /// Came to a session before the year began.
    pub deja_venu: bool,
    /// Projects attended in the year, each with the exit recorded for it, if any.
    pub projets: Vec<(String, Option<&'static str>)>,
}

/// A project's targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Objectif {
    pub projet: String,
    pub participants: Option<i64>,
    /// Share of positive exits, in tenths of a percent.
    pub sorties_positives: Option<i64>,
}

/// One profile breakdown of the named people: sex, age bracket, status…
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profil {
    /// JSON key (`sexe`, `tranche_age`…).
    pub cle: &'static str,
    /// French heading.
    pub titre: &'static str,
    pub valeurs: Vec<Valeur>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valeur {
    pub code: String,
    pub libelle: String,
    pub personnes: i64,
}

/// A project's year: people and exits, against its targets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjetResultat {
    pub projet: String,
    /// Distinct named people plus anonymous participations.
    pub personnes: i64,
    pub nommees: i64,
    /// Named people with an exit recorded for this project.
    pub sorties: i64,
    pub positives: i64,
    /// Exits by situation, in the order of [`SITUATIONS`].
    pub situations: Vec<(&'static str, i64)>,
    /// Positive exits over recorded exits, in tenths of a percent.
    pub taux_positives: Option<i64>,
    pub objectif: Option<Objectif>,
}

impl ProjetResultat {
    /// Named people still without a recorded exit.
    pub fn sans_sortie(&self) -> i64 {
        self.nommees - self.sorties
    }
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
            ..Stats::default()
        }
    }

    /// Adds what the named people of the year tell: distinct people, new and returning,
    /// the publics completed from their profiles, profiles counted per person, and
    /// each project's outcomes against its targets.
    pub fn with_people(mut self, attendees: &[Attendee], objectifs: &[Objectif]) -> Stats {
        self.nommees = attendees.len() as i64;
        self.deja_venus = attendees.iter().filter(|a| a.deja_venu).count() as i64;
        self.nouveaux = self.nommees - self.deja_venus;
        for a in attendees {
            for (acc, (has, known)) in self.publics.iter_mut().zip(publics_of(&a.profile)) {
                acc.personnes += i64::from(has);
                acc.renseigne += i64::from(known);
            }
        }
        self.profils = profils(self.annee, attendees);
        self.resultats = resultats(&self.par_projet, attendees, objectifs);
        self
    }

    /// Adds the figures per thématique, from the sums of each stored set of thématiques.
    pub fn with_thematiques(mut self, groups: &[(i64, Counts)]) -> Stats {
        let mut per = vec![Counts::default(); THEMATIQUES.len()];
        for (bits, counts) in groups {
            let bits = Bits::from_column(*bits, THEMATIQUES);
            if bits.is_empty() {
                self.sans_thematique.add(counts);
            }
            for i in bits.positions(THEMATIQUES) {
                per[i].add(counts);
            }
        }
        self.par_thematique = per
            .into_iter()
            .enumerate()
            .filter(|(_, c)| c.sessions > 0)
            .collect();
        self
    }

    /// People trained: distinct named people, plus each anonymous participation
    /// counted as one person (an anonymous person cannot be recognised from one
    /// session to the next).
    pub fn personnes_formees(&self) -> i64 {
        self.nommees + self.total.anonymes()
    }

    /// Participations: each person at each session.
    pub fn participations(&self) -> i64 {
        self.total.participants
    }
}

/// A named person in the five publics, in the order of [`PUBLICS`](crate::domain::session::PUBLICS): (counts in it,
/// known either way).
fn publics_of(p: &Profile) -> [(bool, bool); 5] {
    let yes_no = |v: Option<&str>| (v == Some("oui"), matches!(v, Some("oui" | "non")));
    [
        (p.sexe == Some("f"), matches!(p.sexe, Some("f" | "h"))),
        yes_no(p.qpv),
        yes_no(p.mission_locale),
        (
            matches!(
                p.statut,
                Some("demandeur-emploi" | "demandeur-emploi-longue-duree")
            ),
            p.statut.is_some_and(|s| s != "nc"),
        ),
        yes_no(p.rsa),
    ]
}

/// The profile breakdowns of the named people, one count per person; an attribute
/// never asked counts as "non communiqué".
fn profils(annee: i32, attendees: &[Attendee]) -> Vec<Profil> {
    let fixed = |cle, titre, list: Choices, get: fn(&Profile) -> Option<&'static str>| Profil {
        cle,
        titre,
        valeurs: list
            .iter()
            .map(|(code, libelle)| Valeur {
                code: code.to_string(),
                libelle: libelle.to_string(),
                personnes: attendees
                    .iter()
                    .filter(|a| get(&a.profile).unwrap_or("nc") == *code)
                    .count() as i64,
            })
            .collect(),
    };
    let mut ages: Vec<(&str, &str)> = TRANCHES_AGE.iter().map(|(c, l, _, _)| (*c, *l)).collect();
    ages.push(("nc", "non communiqué"));
    let tranche = Profil {
        cle: "tranche_age",
        titre: "Tranche d'âge",
        valeurs: ages
            .iter()
            .map(|(code, libelle)| Valeur {
                code: code.to_string(),
                libelle: libelle.to_string(),
                personnes: attendees
                    .iter()
                    .filter(|a| tranche_age(annee, a.profile.annee_naissance) == *code)
                    .count() as i64,
            })
            .collect(),
    };
    let counted = |cle, titre, key: &dyn Fn(&Profile) -> (String, String)| {
        let mut by: BTreeMap<(String, String), i64> = BTreeMap::new();
        for a in attendees {
            *by.entry(key(&a.profile)).or_default() += 1;
        }
        let mut valeurs: Vec<Valeur> = by
            .into_iter()
            .map(|((code, libelle), personnes)| Valeur {
                code,
                libelle,
                personnes,
            })
            .collect();
        // Most people first; the unknown last.
        valeurs.sort_by_key(|v| (v.code.is_empty(), -v.personnes, fold(&v.libelle)));
        Profil {
            cle,
            titre,
            valeurs,
        }
    };
    vec![
        fixed("sexe", "Sexe", SEXES, |p| p.sexe),
        tranche,
        fixed("statut", "Statut", STATUTS, |p| p.statut),
        fixed("diplome", "Niveau de diplôme", DIPLOMES, |p| p.diplome),
        fixed("qpv", "Habitant d'un QPV", OUI_NON, |p| p.qpv),
        fixed("rsa", "RSA ou minima sociaux", OUI_NON, |p| p.rsa),
        fixed(
            "mission_locale",
            "Suivi par une mission locale",
            OUI_NON,
            |p| p.mission_locale,
        ),
        fixed("handicap", "Reconnaissance de handicap", OUI_NON, |p| {
            p.handicap
        }),
        counted("residence", "Commune de résidence", &|p| match p
            .residence
            .as_deref()
            .and_then(territory::commune)
        {
            Some(c) => (c.code.to_string(), c.nom.to_string()),
            None => (String::new(), "non renseignée".to_string()),
        }),
        counted("prescripteur", "Prescripteur", &|p| match &p.prescripteur {
            Some(nom) => (nom.clone(), nom.clone()),
            None => (String::new(), "sans prescripteur".to_string()),
        }),
    ]
}

/// Each project of the year that has named people or targets: its people and exits.
fn resultats(
    par_projet: &[(String, String, Counts)],
    attendees: &[Attendee],
    objectifs: &[Objectif],
) -> Vec<ProjetResultat> {
    let mut out = Vec::new();
    for (projet, _, counts) in par_projet {
        let objectif = objectifs.iter().find(|o| &o.projet == projet).cloned();
        let exits: Vec<Option<&str>> = attendees
            .iter()
            .filter_map(|a| a.projets.iter().find(|(p, _)| p == projet))
            .map(|(_, situation)| *situation)
            .collect();
        if exits.is_empty() && objectif.is_none() {
            continue;
        }
        let recorded: Vec<&str> = exits.iter().flatten().copied().collect();
        let positives = recorded.iter().filter(|s| is_positive(s)).count() as i64;
        let sorties = recorded.len() as i64;
        out.push(ProjetResultat {
            projet: projet.clone(),
            personnes: exits.len() as i64 + counts.anonymes(),
            nommees: exits.len() as i64,
            sorties,
            positives,
            situations: SITUATIONS
                .iter()
                .map(|(code, _)| (*code, recorded.iter().filter(|s| *s == code).count() as i64))
                .collect(),
            taux_positives: rate(positives, sorties),
            objectif,
        });
    }
    out
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
                nommes: 0,
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

    fn attendee(
        sexe: &'static str,
        naissance: i32,
        projets: &[(&str, Option<&'static str>)],
    ) -> Attendee {
        Attendee {
            profile: Profile {
                sexe: Some(sexe),
                annee_naissance: Some(naissance),
                qpv: Some("oui"),
                ..Profile::default()
            },
            deja_venu: naissance < 1980,
            projets: projets.iter().map(|(p, s)| (p.to_string(), *s)).collect(),
        }
    }

    #[test]
    fn named_people_count_once_and_anonymous_participations_each_count() {
        // 10 participations in NET94, 4 of them by two named people; 3 anonymous in BP-PARIS.
        let mut net = group("NET94", "emploi", 6, "94076", 10, 60);
        net.counts.nommes = 4;
        let bp = group("BP-PARIS", "citoyennete", 2, "75113", 3, 60);
        let people = [
            attendee("f", 1990, &[("NET94", Some("emploi-durable"))]),
            attendee("h", 1970, &[("NET94", Some("abandon")), ("BP-PARIS", None)]),
        ];
        let objectifs = [Objectif {
            projet: "NET94".into(),
            participants: Some(20),
            sorties_positives: Some(600),
        }];
        let s = Stats::build(2017, &[net, bp], vec![], 0).with_people(&people, &objectifs);
        assert_eq!(s.participations(), 13);
        assert_eq!(s.personnes_formees(), 2 + 6 + 3);
        assert_eq!((s.nouveaux, s.deja_venus), (1, 1));
        let sexe = &s.profils[0];
        assert_eq!(sexe.cle, "sexe");
        let count = |p: &Profil, code: &str| {
            p.valeurs
                .iter()
                .find(|v| v.code == code)
                .map(|v| v.personnes)
        };
        assert_eq!(count(sexe, "f"), Some(1));
        assert_eq!(count(sexe, "h"), Some(1));
        assert_eq!(count(sexe, "nc"), Some(0));
        assert_eq!(count(&s.profils[1], "25-39"), Some(1));
        assert_eq!(count(&s.profils[1], "40-59"), Some(1));
        // Publics: the named people added to the anonymous breakdowns of the groups
        // (group() records 10 / 2 = 5 femmes and 3 / 2 = 1 for the anonymous).
        assert_eq!(s.publics[0].personnes, 5 + 1 + 1);
        assert_eq!(
            s.publics[1].personnes,
            5 + 1 + 2,
            "both named live in a QPV"
        );
        assert_eq!(s.publics[1].renseigne, 10 + 3 + 2);
        let names: Vec<&str> = s.resultats.iter().map(|r| r.projet.as_str()).collect();
        assert_eq!(names, ["BP-PARIS", "NET94"]);
        let net = &s.resultats[1];
        assert_eq!(
            (net.personnes, net.nommees, net.sorties, net.positives),
            (8, 2, 2, 1)
        );
        assert_eq!(net.taux_positives, Some(500));
        assert_eq!(net.objectif.as_ref().unwrap().sorties_positives, Some(600));
        let bp = &s.resultats[0];
        assert_eq!((bp.personnes, bp.sorties, bp.sans_sortie()), (1 + 3, 0, 1));
        assert_eq!(bp.taux_positives, None);
    }

    #[test]
    fn a_session_counts_in_each_of_its_thematiques() {
        let c = |sessions, participants, minutes| Counts {
            sessions,
            participants,
            nommes: 0,
            minutes,
            minutes_stagiaires: participants * minutes,
        };
        // navigation-internet (4) and e-mail (5); e-mail alone; nothing.
        let groups = [
            ((1 << 4) | (1 << 5), c(2, 20, 360)),
            (1 << 5, c(1, 5, 60)),
            (0, c(3, 9, 90)),
        ];
        let s = Stats::default().with_thematiques(&groups);
        let got: Vec<(&str, i64, i64, i64)> = s
            .par_thematique
            .iter()
            .map(|(i, c)| (THEMATIQUES[*i].0, c.sessions, c.participants, c.minutes))
            .collect();
        assert_eq!(
            got,
            [("navigation-internet", 2, 20, 360), ("e-mail", 3, 25, 420)]
        );
        assert_eq!(s.sans_thematique, c(3, 9, 90));
    }
}
