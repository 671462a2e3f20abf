//! `ici stats ANNEE`: the activity figures of the year — sessions, people trained,
//! hours, cities, partners, publics — by theme, project and month.

use crate::cmd::Ctx;
use crate::db::{participants, refs, reports};
use crate::domain::date::parse_year;
use crate::domain::participant::{percent_fr, percent_json};
use crate::domain::session::PUBLICS;
use crate::domain::stats::{Counts, ProjetResultat, Stats, Territorial};
use crate::domain::vocabulaire::THEMATIQUES;
use crate::render::{self, Cell, Format, hours_json};
use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Map, Value, json};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Année (2017)
    pub annee: String,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Says how "personnes formées" is counted.
pub const NOTE_PERSONNES: &str = "« Personnes formées » compte une fois chaque personne nommée (code P-…) venue dans l'année, quel que soit son nombre de sessions, plus chaque participation anonyme comme une personne : une personne venue sans être nommée à plusieurs sessions y est comptée à chaque fois. Les participations comptent chaque personne à chaque session.";

/// How heures-stagiaires are counted.
pub const NOTE_HEURES: &str = "Heures-stagiaires : le temps de présence de chaque participant, la durée de la session pour un anonyme, le temps noté pour une personne nommée partie plus tôt.";

/// Who the profile breakdowns describe.
pub const NOTE_PROFILS: &str = "Profils comptés par personne nommée, une fois chacune ; l'âge est celui atteint dans l'année. Les publics ajoutent aux répartitions saisies pour les anonymes les personnes nommées d'après leur fiche.";

/// What a positive exit is.
pub const NOTE_SORTIES: &str = "Sorties positives : emploi durable (CDI ou CDD de 6 mois ou plus), formation qualifiante, création d'activité ; taux sur les sorties notées des personnes nommées venues dans l'année.";

/// How sessions with several thématiques are counted.
pub const NOTE_THEMATIQUES: &str = "Thématiques de la Coop de la médiation numérique : une session à plusieurs thématiques compte dans chacune, les lignes ne s'additionnent donc pas.";

/// How the association's people are counted.
pub const NOTE_EQUIPE: &str = "Salariés : personnes au statut salarié présentes au moins un jour de l'année (stagiaires, services civiques et mises à disposition à part) ; équivalent temps plein : jours sous contrat dans l'année × temps de travail ÷ jours de l'année ; arrivée ou départ : premier ou dernier jour du salarié dans l'année. Bénévoles : personnes nommées ayant des heures dans l'année ; adhérents : adhésions datées de l'année.";

/// How places are counted.
pub const NOTE_VILLES: &str = "Villes distinctes par code INSEE ; les arrondissements de Paris, Lyon et Marseille comptent pour leur ville ; une session à distance ne compte dans aucune.";
pub const NOTE_INTERCOS: &str = "Établissement public territorial (EPT) pour les communes de la Métropole du Grand Paris, EPCI ailleurs ; Paris n'appartient à aucun EPT.";

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let ledger = ctx.open_read()?;
    let stats = compute(ledger.conn(), annee)?;
    print(out, &stats, a.format)
}

pub fn compute(conn: &Connection, annee: i32) -> Result<Stats> {
    let mut stats = Stats::build(
        annee,
        &reports::session_groups(conn, annee)?,
        reports::partenaires_actifs(conn, annee)?,
        reports::sessions_annulees(conn, annee)?,
    )
    .with_people(
        &participants::attendees(conn, annee)?,
        &participants::objectifs(conn)?,
    )
    .with_thematiques(&reports::thematique_groups(conn, annee)?);
    stats.association = crate::db::association::chiffres(conn, annee)?;
    Ok(stats)
}

/// The figures of one project's year: its sessions, the named people who came to it
/// (their profiles and exits for this project only), its session partners.
pub fn compute_projet(conn: &Connection, annee: i32, projet: &str) -> Result<Stats> {
    let groups: Vec<_> = reports::session_groups(conn, annee)?
        .into_iter()
        .filter(|g| g.projet == projet)
        .collect();
    let attendees: Vec<_> = participants::attendees(conn, annee)?
        .into_iter()
        .filter_map(|mut a| {
            a.projets.retain(|(p, _)| p == projet);
            (!a.projets.is_empty()).then_some(a)
        })
        .collect();
    let objectifs: Vec<_> = participants::objectifs(conn)?
        .into_iter()
        .filter(|o| o.projet == projet)
        .collect();
    Ok(Stats::build(
        annee,
        &groups,
        crate::db::financeurs::partenaires_du_projet(conn, annee, projet)?,
        0,
    )
    .with_people(&attendees, &objectifs))
}

fn counts_json(c: &Counts) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("sessions".into(), c.sessions.into());
    m.insert("participants".into(), c.participants.into());
    m.insert("heures_formation".into(), hours_json(c.minutes));
    m.insert("heures_stagiaires".into(), hours_json(c.minutes_stagiaires));
    m
}

fn with(mut m: Map<String, Value>, key: &str, v: impl Into<Value>) -> Value {
    m.insert(key.into(), v.into());
    Value::Object(m)
}

/// Full-time equivalent as a JSON number with one decimal.
fn etp_json(dixiemes: i64) -> Value {
    Value::from(dixiemes as f64 / 10.0)
}

/// `3,9`: one decimal, French comma.
fn etp_fr(dixiemes: i64) -> String {
    format!("{},{}", dixiemes / 10, dixiemes % 10)
}

pub fn to_json(s: &Stats) -> Value {
    let publics: Map<String, Value> = PUBLICS
        .iter()
        .zip(&s.publics)
        .map(|((k, _, _), p)| (k.to_string(), p.personnes.into()))
        .collect();
    let renseignes: Map<String, Value> = PUBLICS
        .iter()
        .zip(&s.publics)
        .map(|((k, _, _), p)| (k.to_string(), p.renseigne.into()))
        .collect();
    let a = &s.association;
    let mut v = json!({
        "annee": s.annee,
        "sessions": s.total.sessions,
        "personnes_formees": s.personnes_formees(),
        "heures_formation": hours_json(s.total.minutes),
        "heures_stagiaires": hours_json(s.total.minutes_stagiaires),
        "villes": s.villes.iter().map(|v| v.nom.clone()).collect::<Vec<_>>(),
        "departements": s.departements.iter().map(|t| json!({"code": t.code, "nom": t.nom})).collect::<Vec<_>>(),
        "intercommunalites": s.intercommunalites.iter().map(|t| json!({"code": t.code, "nom": t.nom})).collect::<Vec<_>>(),
        "partenaires": s.partenaires,
        "publics": publics,
        "publics_renseignes": renseignes,
        "par_ville": territorial_json(&s.villes),
        "par_commune": territorial_json(&s.communes),
        "par_departement": territorial_json(&s.departements),
        "par_intercommunalite": territorial_json(&s.intercommunalites),
        "a_distance": Value::Object(counts_json(&s.distance)),
        "communes_non_reconnues": s.inconnues.iter().map(|(n, c)| with(counts_json(c), "saisie", n.as_str())).collect::<Vec<_>>(),
        "par_theme": s.par_theme.iter().map(|(t, c)| with(counts_json(c), "theme", t.as_str())).collect::<Vec<_>>(),
        "par_projet": s.par_projet.iter().map(|(p, t, c)| {
            let mut m = counts_json(c);
            m.insert("theme".into(), t.as_str().into());
            with(m, "projet", p.as_str())
        }).collect::<Vec<_>>(),
        "par_mois": s.par_mois.iter().map(|(mo, c)| with(counts_json(c), "mois", format!("{}-{mo:02}", s.annee))).collect::<Vec<_>>(),
        "sessions_annulees": s.annulees,
        "note": NOTE_PERSONNES,
        "participations": s.participations(),
        "personnes_nommees": s.nommees,
        "personnes_anonymes": s.total.anonymes(),
        "nouveaux": s.nouveaux,
        "deja_venus": s.deja_venus,
        "profils": s.profils.iter().map(|p| (p.cle.to_string(), json!(p.valeurs.iter().map(|v| json!({
            "code": v.code,
            "libelle": v.libelle,
            "personnes": v.personnes,
        })).collect::<Vec<_>>()))).collect::<Map<String, Value>>(),
        "resultats_par_projet": s.resultats.iter().map(resultat_json).collect::<Vec<_>>(),
        "par_thematique": s.par_thematique.iter().map(|(i, c)| {
            let (slug, label) = THEMATIQUES[*i];
            let mut m = counts_json(c);
            m.insert("thematique".into(), slug.into());
            with(m, "libelle", label)
        }).collect::<Vec<_>>(),
        "sans_thematique": Value::Object(counts_json(&s.sans_thematique)),
    });
    // The association's people (json! holds too many keys for one macro call).
    for (k, x) in [
        ("salaries", Value::from(a.salaries)),
        ("etp", etp_json(a.etp_dixiemes)),
        ("benevoles", Value::from(a.benevoles)),
        ("heures_benevolat", hours_json(a.minutes_benevolat)),
        ("adherents", Value::from(a.adherents)),
        ("arrivees", Value::from(a.arrivees)),
        ("departs", Value::from(a.departs)),
    ] {
        v[k] = x;
    }
    v
}

fn resultat_json(r: &ProjetResultat) -> Value {
    let objectif = r.objectif.as_ref();
    let cible_personnes = objectif.and_then(|o| o.participants);
    let cible_sorties = objectif.and_then(|o| o.sorties_positives);
    json!({
        "projet": r.projet,
        "personnes": r.personnes,
        "personnes_nommees": r.nommees,
        "sorties": r.sorties,
        "sorties_positives": r.positives,
        "sans_sortie": r.sans_sortie(),
        "taux_sorties_positives": r.taux_positives.map(percent_json),
        "situations": r.situations.iter().map(|(k, n)| (k.to_string(), Value::from(*n))).collect::<Map<String, Value>>(),
        "objectif_personnes": cible_personnes,
        "objectif_sorties_positives": cible_sorties.map(percent_json),
        "objectif_personnes_atteint": cible_personnes.map(|c| r.personnes >= c),
        "objectif_sorties_positives_atteint": cible_sorties.and_then(|c| r.taux_positives.map(|t| t >= c)),
    })
}

fn territorial_json(list: &[Territorial]) -> Vec<Value> {
    list.iter()
        .map(|t| {
            let mut m = counts_json(&t.counts);
            m.insert("code".into(), t.code.as_str().into());
            with(m, "nom", t.nom.as_str())
        })
        .collect()
}

fn count_cells(c: &Counts) -> [Cell; 4] {
    [
        Cell::Int(c.sessions),
        Cell::Int(c.participants),
        Cell::Hours(c.minutes),
        Cell::Hours(c.minutes_stagiaires),
    ]
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

pub fn print(out: &mut dyn Write, s: &Stats, format: Format) -> Result<()> {
    match format {
        Format::Json => render::json(out, &to_json(s)),
        Format::Csv | Format::Excel => {
            let mut rows = vec![row("total", "", &s.total)];
            for (rubrique, list) in [
                ("ville", &s.villes),
                ("commune", &s.communes),
                ("département", &s.departements),
                ("intercommunalité", &s.intercommunalites),
            ] {
                rows.extend(
                    list.iter()
                        .map(|t| row(rubrique, &format!("{} ({})", t.nom, t.code), &t.counts)),
                );
            }
            if s.distance.sessions > 0 {
                rows.push(row("à distance", "", &s.distance));
            }
            rows.extend(s.par_theme.iter().map(|(t, c)| row("thème", t, c)));
            rows.extend(
                s.par_thematique
                    .iter()
                    .map(|(i, c)| row("thématique", THEMATIQUES[*i].0, c)),
            );
            if s.sans_thematique.sessions > 0 {
                rows.push(row("thématique", "sans thématique", &s.sans_thematique));
            }
            rows.extend(s.par_projet.iter().map(|(p, _, c)| row("projet", p, c)));
            rows.extend(
                s.par_mois
                    .iter()
                    .map(|(m, c)| row("mois", &format!("{}-{m:02}", s.annee), c)),
            );
            for ((k, _, _), p) in PUBLICS.iter().zip(&s.publics) {
                rows.push(vec![
                    Cell::text("public"),
                    Cell::text(*k),
                    Cell::Empty,
                    Cell::Int(p.personnes),
                    Cell::Empty,
                    Cell::Empty,
                ]);
            }
            let count = |rubrique: &str, nom: String, n: i64| {
                vec![
                    Cell::text(rubrique),
                    Cell::text(nom),
                    Cell::Empty,
                    Cell::Int(n),
                    Cell::Empty,
                    Cell::Empty,
                ]
            };
            for (nom, n) in [
                ("formées", s.personnes_formees()),
                ("nommées", s.nommees),
                ("participations anonymes", s.total.anonymes()),
                ("nouvelles", s.nouveaux),
                ("déjà venues", s.deja_venus),
            ] {
                rows.push(count("personnes", nom.to_string(), n));
            }
            for p in &s.profils {
                for v in &p.valeurs {
                    rows.push(count(
                        "profil",
                        format!("{} : {}", p.titre, v.libelle),
                        v.personnes,
                    ));
                }
            }
            for r in &s.resultats {
                rows.push(count(
                    "sorties",
                    format!("{} : notées", r.projet),
                    r.sorties,
                ));
                rows.push(count(
                    "sorties",
                    format!("{} : positives", r.projet),
                    r.positives,
                ));
            }
            for p in &s.partenaires {
                rows.push(vec![
                    Cell::text("partenaire"),
                    Cell::text(p),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
            }
            // The association's people: counts in the participants column, volunteer
            // hours in the hours column, the ETP with one decimal.
            let a = &s.association;
            for (nom, n) in [
                ("salariés", a.salaries),
                ("arrivées", a.arrivees),
                ("départs", a.departs),
                ("bénévoles", a.benevoles),
                ("adhérents", a.adherents),
            ] {
                rows.push(count("association", nom.to_string(), n));
            }
            let etp = if format == Format::Excel {
                etp_fr(a.etp_dixiemes)
            } else {
                format!("{}.{}", a.etp_dixiemes / 10, a.etp_dixiemes % 10)
            };
            rows.push(vec![
                Cell::text("association"),
                Cell::text("équivalent temps plein"),
                Cell::Empty,
                Cell::text(etp),
                Cell::Empty,
                Cell::Empty,
            ]);
            rows.push(vec![
                Cell::text("association"),
                Cell::text("heures de bénévolat"),
                Cell::Empty,
                Cell::Empty,
                Cell::Hours(a.minutes_benevolat),
                Cell::Empty,
            ]);
            let headers = [
                "rubrique",
                "nom",
                "sessions",
                "participants",
                "heures_formation",
                "heures_stagiaires",
            ];
            render::rows(out, format, &headers, &rows)
        }
        Format::Table => print_table(out, s),
    }
}

fn row(rubrique: &str, nom: &str, c: &Counts) -> Vec<Cell> {
    let mut r = vec![Cell::text(rubrique), Cell::text(nom)];
    r.extend(count_cells(c));
    r
}

fn print_table(out: &mut dyn Write, s: &Stats) -> Result<()> {
    writeln!(out, "Activité {}", s.annee)?;
    let villes: Vec<&str> = s.villes.iter().map(|v| v.nom.as_str()).collect();
    let summary = vec![
        vec![Cell::text("Sessions"), Cell::Int(s.total.sessions)],
        vec![
            Cell::text("Personnes formées (1)"),
            Cell::Int(s.personnes_formees()),
        ],
        vec![Cell::text("  dont personnes nommées"), Cell::Int(s.nommees)],
        vec![
            Cell::text("    nouvelles / déjà venues"),
            Cell::text(format!("{} / {}", s.nouveaux, s.deja_venus)),
        ],
        vec![
            Cell::text("  dont participations anonymes"),
            Cell::Int(s.total.anonymes()),
        ],
        vec![Cell::text("Participations"), Cell::Int(s.participations())],
        vec![
            Cell::text("Heures de formation"),
            Cell::Hours(s.total.minutes),
        ],
        vec![
            Cell::text("Heures-stagiaires (4)"),
            Cell::Hours(s.total.minutes_stagiaires),
        ],
        vec![Cell::text("Villes (2)"), Cell::Int(villes.len() as i64)],
        vec![
            Cell::text("Départements"),
            Cell::Int(s.departements.len() as i64),
        ],
        vec![
            Cell::text("Intercommunalités (3)"),
            Cell::Int(s.intercommunalites.len() as i64),
        ],
        vec![
            Cell::text("Partenaires actifs"),
            Cell::Int(s.partenaires.len() as i64),
        ],
        vec![
            Cell::text("Salariés (8)"),
            Cell::Int(s.association.salaries),
        ],
        vec![
            Cell::text("  en équivalent temps plein"),
            Cell::text(etp_fr(s.association.etp_dixiemes)),
        ],
        vec![
            Cell::text("  arrivées / départs"),
            Cell::text(format!(
                "{} / {}",
                s.association.arrivees, s.association.departs
            )),
        ],
        vec![Cell::text("Bénévoles"), Cell::Int(s.association.benevoles)],
        vec![
            Cell::text("Heures de bénévolat"),
            Cell::Hours(s.association.minutes_benevolat),
        ],
        vec![Cell::text("Adhérents"), Cell::Int(s.association.adherents)],
    ];
    writeln!(
        out,
        "{}",
        render::table(&["indicateur", "valeur"], &summary)
    )?;
    writeln!(out, "Villes : {}", villes.join(", "))?;
    let deps: Vec<String> = s
        .departements
        .iter()
        .map(|d| format!("{} ({})", d.nom, d.code))
        .collect();
    writeln!(out, "Départements : {}", deps.join(", "))?;
    let intercos: Vec<&str> = s.intercommunalites.iter().map(|i| i.nom.as_str()).collect();
    writeln!(out, "Intercommunalités : {}", intercos.join(", "))?;
    writeln!(out, "Partenaires : {}", s.partenaires.join(", "))?;

    let publics: Vec<Vec<Cell>> = PUBLICS
        .iter()
        .zip(&s.publics)
        .map(|((_, label, _), p)| {
            vec![
                Cell::text(*label),
                Cell::Int(p.personnes),
                Cell::text(format!("{} sur {}", p.renseigne, s.personnes_formees())),
            ]
        })
        .collect();
    writeln!(out, "\nPublics (5)")?;
    writeln!(
        out,
        "{}",
        render::table(&["public", "personnes", "renseigné pour"], &publics)
    )?;

    let headers = |first: &'static str| {
        [
            first,
            "sessions",
            "participants",
            "heures",
            "heures-stagiaires",
        ]
    };
    let lines = |label: String, c: &Counts| {
        let mut r = vec![Cell::text(label)];
        r.extend(count_cells(c));
        r
    };
    let themes: Vec<Vec<Cell>> = s
        .par_theme
        .iter()
        .map(|(t, c)| lines(refs::theme_label(t).to_string(), c))
        .collect();
    writeln!(
        out,
        "\nPar thème\n{}",
        render::table(&headers("thème"), &themes)
    )?;
    // A ledger that records no thématique is spared a table of one line.
    if !s.par_thematique.is_empty() {
        let mut thematiques: Vec<Vec<Cell>> = s
            .par_thematique
            .iter()
            .map(|(i, c)| lines(THEMATIQUES[*i].1.to_string(), c))
            .collect();
        if s.sans_thematique.sessions > 0 {
            thematiques.push(lines("sans thématique".into(), &s.sans_thematique));
        }
        writeln!(
            out,
            "\nPar thématique (7)\n{}",
            render::table(&headers("thématique"), &thematiques)
        )?;
    }
    let projets: Vec<Vec<Cell>> = s
        .par_projet
        .iter()
        .map(|(p, _, c)| lines(p.clone(), c))
        .collect();
    writeln!(
        out,
        "\nPar projet\n{}",
        render::table(&headers("projet"), &projets)
    )?;
    let places = |list: &[Territorial]| -> Vec<Vec<Cell>> {
        list.iter()
            .map(|t| lines(format!("{} ({})", t.nom, t.code), &t.counts))
            .collect()
    };
    let mut villes = places(&s.villes);
    if s.distance.sessions > 0 {
        villes.push(lines("à distance".into(), &s.distance));
    }
    for (typed, c) in &s.inconnues {
        villes.push(lines(format!("{typed} (non reconnue)"), c));
    }
    writeln!(
        out,
        "\nPar ville\n{}",
        render::table(&headers("ville"), &villes)
    )?;
    writeln!(
        out,
        "\nPar département\n{}",
        render::table(&headers("département"), &places(&s.departements))
    )?;
    let mois: Vec<Vec<Cell>> = s
        .par_mois
        .iter()
        .map(|(m, c)| lines(MONTHS[(*m as usize).clamp(1, 12) - 1].to_string(), c))
        .collect();
    writeln!(
        out,
        "\nPar mois\n{}",
        render::table(&headers("mois"), &mois)
    )?;
    if s.annulees > 0 {
        writeln!(out, "{} session(s) annulée(s), hors chiffres.", s.annulees)?;
    }
    if !s.inconnues.is_empty() {
        writeln!(
            out,
            "Attention : {} commune(s) non reconnue(s), hors villes et départements ; voir `ici session list --commune-inconnue`.",
            s.inconnues.len()
        )?;
    }
    print_people(out, s)?;
    writeln!(out, "\n(1) {NOTE_PERSONNES}")?;
    writeln!(out, "(2) {NOTE_VILLES}")?;
    writeln!(out, "(3) {NOTE_INTERCOS}")?;
    writeln!(out, "(4) {NOTE_HEURES}")?;
    writeln!(out, "(5) {NOTE_PROFILS}")?;
    if !s.resultats.is_empty() {
        writeln!(out, "(6) {NOTE_SORTIES}")?;
    }
    if !s.par_thematique.is_empty() {
        writeln!(out, "(7) {NOTE_THEMATIQUES}")?;
    }
    writeln!(out, "(8) {NOTE_EQUIPE}")?;
    Ok(())
}

/// The named people's profiles and each project's exits against its targets.
fn print_people(out: &mut dyn Write, s: &Stats) -> Result<()> {
    if s.nommees > 0 {
        let mut rows = Vec::new();
        for p in &s.profils {
            // The zeros of the fixed lists are left to the JSON.
            for (i, v) in p.valeurs.iter().filter(|v| v.personnes > 0).enumerate() {
                rows.push(vec![
                    Cell::text(if i == 0 { p.titre } else { "" }),
                    Cell::text(&v.libelle),
                    Cell::Int(v.personnes),
                ]);
            }
        }
        writeln!(
            out,
            "\nProfils des {} personnes nommées (5)\n{}",
            s.nommees,
            render::table(&["profil", "valeur", "personnes"], &rows)
        )?;
    }
    if s.resultats.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Cell>> = s
        .resultats
        .iter()
        .map(|r| {
            let o = r.objectif.as_ref();
            vec![
                Cell::text(&r.projet),
                Cell::Int(r.personnes),
                Cell::opt_int(o.and_then(|o| o.participants)),
                Cell::Int(r.nommees),
                Cell::Int(r.sorties),
                Cell::Int(r.positives),
                Cell::opt(r.taux_positives.map(percent_fr)),
                Cell::opt(o.and_then(|o| o.sorties_positives).map(percent_fr)),
                Cell::text(
                    match (o.and_then(|o| o.sorties_positives), r.taux_positives) {
                        (Some(c), Some(t)) if t >= c => "atteint",
                        (Some(_), Some(_)) => "non atteint",
                        (Some(_), None) => "aucune sortie notée",
                        (None, _) => "",
                    },
                ),
            ]
        })
        .collect();
    writeln!(
        out,
        "\nSorties et objectifs par projet (6)\n{}",
        render::table(
            &[
                "projet",
                "personnes",
                "objectif personnes",
                "nommées",
                "sorties notées",
                "positives",
                "taux positives",
                "objectif",
                "résultat",
            ],
            &rows
        )
    )?;
    Ok(())
}
