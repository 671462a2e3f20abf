//! The resolver and the search against the bundled reference.

use super::index::*;
use super::*;

fn found(input: &str) -> Option<&'static str> {
    match resolve(input) {
        Resolution::Found(c) => Some(c.code),
        _ => None,
    }
}

fn codes(list: &[&'static Commune]) -> Vec<&'static str> {
    list.iter().map(|c| c.code).collect()
}

fn ambiguous(input: &str) -> Vec<&'static str> {
    match resolve(input) {
        Resolution::Ambiguous(list) => codes(&list),
        other => panic!("{input:?} : Ambiguous attendu, obtenu {other:?}"),
    }
}

fn unknown(input: &str) -> Vec<&'static str> {
    match resolve(input) {
        Resolution::Unknown(list) => codes(&list),
        other => panic!("{input:?} : Unknown attendu, obtenu {other:?}"),
    }
}

#[test]
fn whole_table_parses_and_is_consistent() {
    let index = index();
    let arrondissements = index.communes().filter(|c| c.parent.is_some()).count();
    assert_eq!(arrondissements, 20 + 9 + 16);
    assert!(index.len() > 34_000, "{}", index.len());
    assert_eq!(index.len(), index.keys().count());
    for c in index.communes() {
        assert_eq!(commune(c.code), Some(c));
        assert!(departement(c.departement).is_some(), "{}", c.code);
        assert!(c.code.len() == 5 && is_code_like(c.code), "{}", c.code);
        if let Some(code) = c.interco {
            assert!(interco(code).is_some(), "{} : interco {code}", c.code);
        }
        if let Some(parent) = c.parent {
            let city = commune(parent).expect("commune parente");
            assert!(city.parent.is_none());
            assert_eq!(city.departement, c.departement);
            assert_eq!(city.interco, c.interco);
        }
        for p in &c.codes_postaux {
            assert!(p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()), "{p}");
        }
        let (key, article) = index.key(index.by_insee(c.code).expect("code"));
        assert!(!key.is_empty() && article < key.len(), "{}", c.nom);
        assert_eq!((key.to_owned(), article), name_key(c.nom), "{}", c.nom);
    }
    let t = territoires();
    assert!(t.departements.len() >= 101);
    assert!(t.intercos.len() > 1_000);
    for (_, line) in rows(TERRITOIRES_TSV) {
        let [kind, _, nom] = fields::<3>("territoires.tsv", 0, line);
        assert!(["DEP", "EPT", "EPCI"].contains(&kind));
        assert!(!nom.is_empty());
    }
}

#[test]
#[should_panic(expected = "communes.tsv, ligne 3 : moins de 7 colonnes")]
fn malformed_row_panics_clearly() {
    fields::<7>("communes.tsv", 2, "94043\tLe Kremlin-Bicêtre\t94");
}

#[test]
fn fields_split_on_tabs() {
    let row = fields::<7>(
        "communes.tsv",
        0,
        "75118\tParis 18e Arrondissement\t75\t75056\t\t75018\t1",
    );
    assert_eq!(
        row,
        [
            "75118",
            "Paris 18e Arrondissement",
            "75",
            "75056",
            "",
            "75018",
            "1"
        ]
    );
}

#[test]
fn fixture_cities() {
    let gosb = Some("Grand-Orly Seine Bièvre");
    let table: [(&str, &str, &str, Option<&str>); 10] = [
        ("Paris", "75056", "75", None),
        ("Arcueil", "94003", "94", gosb),
        ("Romainville", "93063", "93", Some("Est Ensemble")),
        ("Cachan", "94016", "94", gosb),
        ("Le Kremlin-Bicêtre", "94043", "94", gosb),
        ("L'Haÿ-les-Roses", "94038", "94", gosb),
        ("Villejuif", "94076", "94", gosb),
        ("Fresnes", "94034", "94", gosb),
        (
            "Aulnay-sous-Bois",
            "93005",
            "93",
            Some("Paris Terres d'Envol"),
        ),
        ("Gentilly", "94037", "94", gosb),
    ];
    for (nom, code, dep, interco_nom) in table {
        let c = commune(code).unwrap_or_else(|| panic!("{code} absent"));
        assert_eq!(c.nom, nom);
        assert_eq!(c.departement, dep);
        assert_eq!(c.parent, None);
        assert_eq!(city(c), c);
        assert_eq!(
            c.interco.and_then(interco).map(|t| t.nom),
            interco_nom,
            "{nom}"
        );
        if nom == "Fresnes" {
            // Four communes bear this name: only the label picks ours.
            assert_eq!(ambiguous(nom).len(), 4);
            assert!(ambiguous(nom).contains(&code));
        } else {
            assert_eq!(found(nom), Some(code), "{nom}");
        }
        assert_eq!(found(&label(c)), Some(code), "{nom}");
        if code != "75056" {
            assert_eq!(found(c.codes_postaux[0]), Some(code), "{nom}");
        }
    }
    let names = [
        ("75", "Paris"),
        ("93", "Seine-Saint-Denis"),
        ("94", "Val-de-Marne"),
    ];
    for (code, nom) in names {
        assert_eq!(departement(code).map(|d| d.nom), Some(nom));
    }
    assert_eq!(
        commune("94043").map(|c| c.codes_postaux.clone()),
        Some(vec!["94270"])
    );
}

#[test]
fn territories_by_code() {
    assert_eq!(departement("2a").map(|d| d.nom), Some("Corse-du-Sud"));
    assert_eq!(departement(" 974 ").map(|d| d.nom), Some("La Réunion"));
    assert_eq!(departement("96"), None);
    assert_eq!(departement(""), None);
    assert_eq!(interco("200058014").map(|t| t.code), Some("200058014"));
    assert_eq!(interco("000000000"), None);
    // The Métropole du Grand Paris itself is listed, though no commune points to it.
    assert!(interco("200054781").is_some());
    let mgp = index()
        .communes()
        .filter(|c| c.interco == Some("200054781"));
    assert_eq!(mgp.count(), 0);
}

#[test]
fn insee_codes() {
    let table = [
        ("94043", "94043"),
        ("2A004", "2A004"),
        ("2a004", "2A004"),
        ("75118", "75118"),
        (" 75056 ", "75056"),
        ("69383", "69383"),
        ("13208", "13208"),
        ("97415", "97415"),
    ];
    for (input, code) in table {
        assert_eq!(found(input), Some(code), "{input:?}");
        assert_eq!(commune(input).map(|c| c.code), Some(code), "{input:?}");
    }
    assert_eq!(commune("99999"), None);
    assert_eq!(commune("Paris"), None);
    assert_eq!(unknown("99999"), Vec::<&str>::new());
    assert_eq!(unknown("2C004"), Vec::<&str>::new());
    // An INSEE code that is also another commune's postal code is
    // ambiguous, the INSEE match first: 97411 is Saint-Denis (La Réunion)
    // and a postal code of Saint-Paul; 69003 is Albigny-sur-Saône and the
    // postal code of Lyon 3e.
    assert_eq!(ambiguous("97411"), ["97411", "97415"]);
    assert_eq!(ambiguous("69003"), ["69003", "69383"]);
    // Saying which kind of code settles it.
    let table = [
        ("insee 97411", Some("97411")),
        ("INSEE:69003", Some("69003")),
        ("code INSEE 2a004", Some("2A004")),
        ("cp 69003", Some("69383")),
        ("CP: 97411", Some("97415")),
        ("code postal 94270", Some("94043")),
        ("insee 94270", None),
        ("cp 94043", None),
    ];
    for (input, code) in table {
        assert_eq!(found(input), code, "{input:?}");
    }
    assert_eq!(ambiguous("cp 01400").len(), 10);
}

#[test]
fn postal_codes() {
    let table = [
        ("94270", "94043"),
        ("94240", "94038"),
        ("94800", "94076"),
        ("93600", "93005"),
        ("75018", "75118"),
        ("75001", "75101"),
        ("75016", "75116"),
        ("75116", "75116"),
    ];
    for (input, code) in table {
        assert_eq!(found(input), Some(code), "{input:?}");
    }
    assert_eq!(unknown("75000"), Vec::<&str>::new());
    // The postal codes of Lyon and Marseille are also INSEE codes of
    // other communes of their départements.
    assert_eq!(ambiguous("69008"), ["69008", "69388"]);
    assert_eq!(ambiguous("13008"), ["13008", "13208"]);
}

#[test]
fn shared_postal_code_is_ambiguous() {
    // 01400 is the postal code of ten communes of the Ain, and the INSEE
    // code of Seillonnaz: the INSEE match comes first, then the others.
    let list = ambiguous("01400");
    assert_eq!(list.len(), 11, "{list:?}");
    assert_eq!(list[0], "01400");
    for code in ["01093", "01001", "01328"] {
        assert!(list.contains(&code), "{code} dans {list:?}");
    }
    // Most populated first after the INSEE match.
    assert_eq!(list[1], "01093");
}

#[test]
fn arrondissements() {
    let table = [
        ("Paris 18e", "75118"),
        ("Paris 18", "75118"),
        ("paris 18eme", "75118"),
        ("Paris 18ème arrondissement", "75118"),
        ("Paris 18e Arrondissement", "75118"),
        ("Paris 1er", "75101"),
        ("Paris 1", "75101"),
        ("Paris 16e", "75116"),
        ("Lyon 3e", "69383"),
        ("Lyon 1er", "69381"),
        ("Marseille 8e", "13208"),
        ("marseille 13", "13213"),
        ("Paris 18e (75)", "75118"),
        ("Paris 75018", "75118"),
        ("Paris", "75056"),
        ("paris", "75056"),
        ("Paris (75)", "75056"),
        ("Paris 75", "75056"),
        ("Lyon", "69123"),
        ("Marseille", "13055"),
        ("Marseille (13)", "13055"),
    ];
    for (input, code) in table {
        assert_eq!(found(input), Some(code), "{input:?}");
    }
    let table = [
        ("75118", "75056"),
        ("69383", "69123"),
        ("13208", "13055"),
        ("94043", "94043"),
    ];
    for (code, city_code) in table {
        let c = commune(code).expect("code connu");
        assert_eq!(city(c).code, city_code);
    }
    assert_eq!(commune("75118").and_then(|c| c.parent), Some("75056"));
    assert_eq!(commune("75118").and_then(|c| c.interco), None);
    assert_eq!(unknown("Paris 21e").first(), Some(&"75056"));
}

#[test]
fn names_forgive_spelling() {
    let table = [
        ("kremlin bicetre", "94043"),
        ("Kremlin-Bicêtre", "94043"),
        ("LE KREMLIN BICETRE", "94043"),
        ("le-kremlin-bicêtre", "94043"),
        ("La Kremlin Bicetre", "94043"),
        ("  Le   Kremlin  Bicêtre  ", "94043"),
        ("lhay les roses", "94038"),
        ("L'Haÿ-les-Roses", "94038"),
        ("L’Haÿ-les-Roses", "94038"),
        ("l hay les roses", "94038"),
        ("Haÿ-les-Roses", "94038"),
        ("L'HAY LES ROSES", "94038"),
        ("aulnay sous bois", "93005"),
        ("villejuif", "94076"),
        ("VILLEJUIF", "94076"),
        ("Le Villejuif", "94076"),
        ("St-Maur-des-Fossés", "94068"),
        ("saint maur des fosses", "94068"),
        ("St Ouen sur Seine", "93070"),
        ("Ste-Geneviève-des-Bois (91)", "91549"),
        ("Sainte Genevieve des Bois 91", "91549"),
        ("Courneuve", "93027"),
        ("La Courneuve", "93027"),
        ("Lilas", "93045"),
        ("Les Lilas", "93045"),
        ("l'ile saint denis", "93039"),
        ("Île-Saint-Denis", "93039"),
    ];
    for (input, code) in table {
        assert_eq!(found(input), Some(code), "{input:?}");
    }
}

#[test]
fn homonyms_are_ambiguous_until_qualified() {
    let list = ambiguous("Saint-Denis");
    let mut sorted = list.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["11339", "30247", "93066", "97411"]);
    assert_eq!(ambiguous("st denis").len(), 4);
    let table = [
        ("Saint-Denis (93)", "93066"),
        ("Saint-Denis 93", "93066"),
        ("saint denis(974)", "97411"),
        ("St-Denis (11)", "11339"),
        ("Saint-Denis 93200", "93066"),
        ("93200 Saint-Denis", "93066"),
        ("Saint-Denis (93200)", "93066"),
        ("94270 Le Kremlin-Bicêtre", "94043"),
        ("Villejuif 94", "94076"),
    ];
    for (input, code) in table {
        assert_eq!(found(input), Some(code), "{input:?}");
    }
    // A name outside the given département: the homonyms are proposed.
    let near = unknown("Saint-Denis (75)");
    assert_eq!(near.len(), 4, "{near:?}");
    assert_eq!(unknown("Villejuif (93)"), ["94076"]);
    assert_eq!(unknown("Villejuif 75001"), ["94076"]);
}

#[test]
fn unknown_names_get_suggestions() {
    let table = [
        ("L'Haï-les-Roses", "94038"),
        ("Villejuiff", "94076"),
        ("Kremlin Bicetr", "94043"),
        ("Romainvile", "93063"),
        ("Aulnay sous bois 93", "93005"),
        ("Aulnay-sou-Bois (93)", "93005"),
        ("Gentily", "94037"),
    ];
    for (input, code) in table {
        if input == "Aulnay sous bois 93" {
            assert_eq!(found(input), Some(code));
            continue;
        }
        let near = unknown(input);
        assert!(
            !near.is_empty() && near.len() <= MAX_SUGGESTIONS,
            "{input:?}"
        );
        assert_eq!(near[0], code, "{input:?} : {near:?}");
    }
    assert!(unknown("zzzzqqqxxw").is_empty());
    assert!(unknown("").is_empty());
    assert!(unknown("   ").is_empty());
    assert!(unknown("!!!").is_empty());
    assert!(unknown("()").is_empty());
    assert!(unknown(&"Villejuif".repeat(200)).is_empty());
    assert!(search(&"a".repeat(10_000), 5).len() <= 5);
}

#[test]
fn every_label_resolves_back() {
    for c in index().communes() {
        let label = label(c);
        assert_eq!(found(&label), Some(c.code), "{label}");
    }
    assert_eq!(
        label(commune("93066").expect("Saint-Denis")),
        "Saint-Denis (93)"
    );
    assert_eq!(label(commune("2A004").expect("Ajaccio")), "Ajaccio (2A)");
}

#[test]
fn search_ranks_matches() {
    let first = |text: &str| search(text, 5).first().map(|c| c.code);
    assert_eq!(first("Villejuif"), Some("94076"));
    assert_eq!(first("villejui"), Some("94076"));
    assert_eq!(first("kremlin"), Some("94043"));
    assert_eq!(first("bicetre"), Some("94043"));
    assert_eq!(first("Villejuiff"), Some("94076"));
    assert_eq!(first("94270"), Some("94043"));
    assert_eq!(first("Paris 18"), Some("75118"));
    assert_eq!(first("Saint-Denis (93)"), Some("93066"));
    let denis = codes(&search("Saint-Denis", 10));
    assert_eq!(denis.len(), 10);
    let mut homonyms = denis[..4].to_vec();
    homonyms.sort_unstable();
    assert_eq!(homonyms, ["11339", "30247", "93066", "97411"]);
    // Then names starting with it (Saint-Denis-de-…), the most populated first.
    assert!(denis[4..].iter().all(|code| {
        let c = commune(code).expect("code connu");
        name_key(c.nom).0.starts_with("saintdenis")
    }));
    let roses = codes(&search("les roses", 20));
    assert!(roses.contains(&"94038"), "{roses:?}");
    let dep = search("9404", 20);
    assert!(dep.iter().all(
        |c| c.code.starts_with("9404") || c.codes_postaux.iter().any(|p| p.starts_with("9404"))
    ));
    assert!(codes(&dep).contains(&"94043"));
    assert!(search("", 5).is_empty());
    assert!(search("Paris", 0).is_empty());
    assert_eq!(search("Paris", 3).len(), 3);
    assert!(search("zzzzqqqxxw", 5).is_empty());
    let no_duplicates = codes(&search("Paris", 50));
    let mut dedup = no_duplicates.clone();
    dedup.sort_unstable();
    dedup.dedup();
    assert_eq!(dedup.len(), no_duplicates.len());
}

#[test]
fn pruned_fuzzy_scan_equals_exhaustive_scan() {
    let index = index();
    for text in [
        "L'Haï-les-Roses",
        "Villejuiff",
        "pari",
        "St Deni",
        "Le Gentily",
        "xyz",
    ] {
        let (key, article) = name_key(text);
        let loose = &key[article..];
        let (key_counts, loose_counts) = (letter_counts(&key), letter_counts(loose));
        let mut all: Vec<(f64, usize)> = Vec::new();
        for (i, (full, art)) in index.keys().enumerate() {
            let score = similarity(&key, loose, full, art);
            let bound = similarity_bound(&key, full, &key_counts, &letter_counts(full)).max(
                similarity_bound(
                    loose,
                    &full[art..],
                    &loose_counts,
                    &letter_counts(&full[art..]),
                ),
            );
            assert!(
                bound + 1e-9 >= score,
                "{text:?} / {full} : {bound} < {score}"
            );
            if score >= MIN_SIMILARITY {
                all.push((score, i));
            }
        }
        all.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(index.population(b.1).cmp(&index.population(a.1)))
                .then(index.code(a.1).cmp(index.code(b.1)))
        });
        let expected: Vec<usize> = all.into_iter().take(7).map(|(_, i)| i).collect();
        assert_eq!(
            index.fuzzy(&key, article, |_| true, 7),
            expected,
            "{text:?}"
        );
    }
}

#[test]
fn name_key_normalises() {
    let table = [
        ("L'Haÿ-les-Roses", "lhaylesroses", 1),
        ("L’Haÿ-les-Roses", "lhaylesroses", 1),
        ("Le Kremlin-Bicêtre", "lekremlinbicetre", 2),
        ("LES LILAS", "leslilas", 3),
        ("St-Maur", "saintmaur", 0),
        ("Ste Geneviève", "saintegenevieve", 0),
        ("Œuilly", "oeuilly", 0),
        ("Paris 18e", "paris18e", 0),
        ("Le", "le", 0),
        ("", "", 0),
    ];
    for (name, key, article) in table {
        assert_eq!(name_key(name), (key.to_owned(), article), "{name:?}");
    }
}

fn home(deps: &[&str], used: &[&str]) -> Home {
    let s = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    Home::new(&s(deps), &s(used))
}

#[test]
fn the_home_territory_settles_shared_names() {
    let val_de_marne = home(&["94", "93", "75"], &[]);
    for (input, code, why) in [
        ("Fresnes", "94034", Some(Settled::Home)),
        ("fresnes", "94034", Some(Settled::Home)),
        ("Saint-Denis", "93066", Some(Settled::Home)),
        ("St Denis", "93066", Some(Settled::Home)),
        ("Champigny", "94017", Some(Settled::Home)),
        ("Vitry", "94081", Some(Settled::Home)),
        // A name that designates one commune stays that commune.
        ("Villejuif", "94076", None),
        ("Paris", "75056", None),
        ("Paris 18e", "75118", None),
    ] {
        match val_de_marne.resolve(input) {
            (Resolution::Found(c), w) => assert_eq!((c.code, w), (code, why), "{input}"),
            other => panic!("{input}: {other:?}"),
        }
    }
    // Codes and qualified names are never settled.
    assert_eq!(val_de_marne.resolve("Saint-Denis (974)").1, None);
    match val_de_marne.resolve("Saint-Denis (974)").0 {
        Resolution::Found(c) => assert_eq!(c.code, "97411"),
        other => panic!("{other:?}"),
    }
    // Nothing in the home territory: the ledger's communes settle, else it stays
    // ambiguous.
    let paris = home(&["75"], &["94034"]);
    match paris.resolve("Fresnes") {
        (Resolution::Found(c), Some(Settled::Used)) => assert_eq!(c.code, "94034"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        home(&["75"], &[]).resolve("Fresnes").0,
        Resolution::Ambiguous(_)
    ));
    // Without anything, as before: the most populated first.
    match Home::default().resolve("Saint-Denis").0 {
        Resolution::Ambiguous(cs) => assert_eq!(cs[0].code, "97411"),
        other => panic!("{other:?}"),
    }
    match home(&[], &["93066"]).resolve("Saint-Denis") {
        (Resolution::Found(c), Some(Settled::Used)) => assert_eq!(c.code, "93066"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_home_territory_comes_first_in_lists() {
    let mut list = search("Saint-Denis", 4);
    assert_eq!(
        list[0].code, "97411",
        "population first without a territory"
    );
    home(&["93"], &[]).sort(&mut list);
    assert_eq!(list[0].code, "93066");
    let mut list = search("Fresnes", 6);
    home(&["89"], &["94034"]).sort(&mut list);
    assert_eq!(
        (list[0].departement, list[1].code),
        ("89", "94034"),
        "{list:?}"
    );
}

#[test]
fn an_exact_name_at_home_comes_before_names_that_start_like_it() {
    // Paris 75: « Paris » is Paris, not one of its arrondissements.
    match home(&["75"], &[]).resolve("Paris") {
        (Resolution::Found(c), None) => assert_eq!(c.code, "75056"),
        other => panic!("{other:?}"),
    }
    // Two homonyms at home stay ambiguous, home first.
    let both = home(&["94", "89"], &[]);
    match both.resolve("Fresnes").0 {
        Resolution::Ambiguous(cs) => {
            let deps: Vec<&str> = cs.iter().map(|c| c.departement).collect();
            assert!(
                deps[..2].contains(&"94") && deps[..2].contains(&"89"),
                "{deps:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}
