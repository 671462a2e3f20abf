//! No silent duplicates (sessions, entries, people, names), re-importing a
//! participants file, rename and merge, and the home territory.

mod common;

use common::{Sandbox, column, plain_spaces, session_number};
use serde_json::json;
use std::path::Path;

const SESSION: [&str; 12] = [
    "session",
    "add",
    "--date",
    "2017-06-12",
    "--projet",
    "NET94",
    "--commune",
    "Villejuif",
    "--duree",
    "3h",
    "--participants",
    "12",
];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

/// `session add` with some of [`SESSION`]'s options given other values.
fn session<'a>(changes: &[(&'a str, &'a str)]) -> Vec<&'a str> {
    let mut args: Vec<&str> = SESSION[..2].to_vec();
    for pair in SESSION[2..].chunks(2) {
        let value = changes
            .iter()
            .find(|(f, _)| *f == pair[0])
            .map_or(pair[1], |(_, v)| *v);
        args.extend([pair[0], value]);
    }
    for (flag, value) in changes {
        if !SESSION.contains(flag) {
            args.extend([*flag, *value]);
        }
    }
    args
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/2017")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

// ---------------------------------------------------------------------------------
// Sessions and entries

#[test]
fn the_same_session_twice_is_refused_naming_the_first_unless_doublon() {
    let sb = Sandbox::with_refs();
    assert_eq!(session_number(&sb.ok(&SESSION)), 1);
    // Another form of the same date and duration is the same session.
    let again = session(&[
        ("--date", "12/06/2017"),
        ("--duree", "180min"),
        ("--intitule", "x"),
    ]);
    let err = sb.refused(&again, 2);
    assert_eq!(
        err,
        "erreur : cette session est déjà enregistrée : session 1 du 2017-06-12, NET94, Villejuif, 3 h (12 participant(s)) ; si c'est voulu (deux groupes le même jour), ajoutez --doublon\n"
    );
    // Another duration, place or project is another session.
    let other = session(&[("--duree", "2h")]);
    assert_eq!(session_number(&sb.ok(&other)), 2);
    // Meant: two groups the same day.
    let meant = with(&SESSION, &["--doublon"]);
    assert_eq!(session_number(&sb.ok(&meant)), 3);
    // A cancelled session is no longer one to repeat.
    for n in ["1", "3"] {
        sb.ok(&["session", "annule", n, "--motif", "saisie en double"]);
    }
    assert_eq!(session_number(&sb.ok(&SESSION)), 4);
}

#[test]
fn the_same_entry_twice_is_refused_unless_doublon_or_reversed() {
    let sb = Sandbox::with_refs();
    let entry = [
        "charge",
        "add",
        "--date",
        "2017-03-01",
        "--montant",
        "312,40",
        "--compte",
        "616",
        "--libelle",
        "Assurance MAIF",
    ];
    sb.ok(&entry);
    let same = with(
        &entry[..4],
        &[
            "--montant",
            "312.40 €",
            "--compte",
            "616",
            "--libelle",
            "assurance maif",
        ],
    );
    let err = plain_spaces(&sb.refused(&same, 2));
    assert_eq!(
        err,
        "erreur : cette écriture est déjà enregistrée : écriture n° 1 du 01/03/2017, « assurance maif », 312,40 € au compte 616 ; voyez-la avec `ici ecriture show 1`. Si c'est voulu (deux paiements identiques), ajoutez --doublon\n"
    );
    // Another amount is another entry.
    sb.ok(&with(
        &entry[..4],
        &[
            "--montant",
            "312,41",
            "--compte",
            "616",
            "--libelle",
            "Assurance MAIF",
        ],
    ));
    // The double entry of ecriture add is compared line by line.
    let double = [
        "ecriture",
        "add",
        "--date",
        "2017-03-01",
        "--libelle",
        "Assurance MAIF",
        "--debit",
        "616=312,40",
        "--credit",
        "512=312,40",
    ];
    assert!(
        sb.refused(&double, 2)
            .contains("écriture n° 1 du 01/03/2017")
    );
    assert!(
        sb.ok(&with(&double, &["--doublon"]))
            .starts_with("Écriture n° 3 enregistrée.")
    );
    // Once reversed, an entry may be entered again (that is how it is corrected).
    sb.ok(&["ecriture", "annule", "1", "--motif", "erreur"]);
    sb.ok(&["ecriture", "annule", "3", "--motif", "erreur"]);
    assert!(sb.ok(&entry).contains("écriture n° 6"));
}

#[test]
fn an_import_refuses_a_row_like_the_ledger_or_like_another_row() {
    let sb = Sandbox::with_refs();
    sb.ok(&SESSION);
    let header = "date;projet;commune;duree;participants\n";
    let like_ledger = sb.file(
        "a.csv",
        format!("{header}2017-06-13;NET94;Villejuif;2h;5\n2017-06-12;NET94;Villejuif;3h;12\n"),
    );
    let err = sb.refused(&["import", "sessions", &like_ledger], 2);
    assert!(
        err.contains(
            "a.csv, ligne 3 : cette session est déjà enregistrée : session 1 du 2017-06-12"
        ),
        "{err}"
    );
    let twice = sb.file(
        "b.csv",
        format!("{header}2017-06-14;NET94;Villejuif;2h;5\n2017-06-15;NET94;Cachan;2h;5\n14/06/2017;NET94;Villejuif;2 h;6\n"),
    );
    let err = sb.refused(&["import", "sessions", &twice], 2);
    assert!(
        err.contains("b.csv, ligne 4 : même session que la ligne 2 de ce fichier (2017-06-14, NET94, Villejuif, 2 h) ; si c'est voulu (deux groupes le même jour), ajoutez --doublon"),
        "{err}"
    );
    assert!(err.contains("Rien n'a été importé"), "{err}");
    let entries = sb.file(
        "f.csv",
        "date;type;montant;compte;libelle\n2017-03-01;charge;312,40;616;Assurance\n01/03/2017;charge;312.40;616;assurance\n",
    );
    let err = sb.refused(&["import", "finances", &entries], 2);
    assert!(
        err.contains("f.csv, ligne 3 : même écriture que la ligne 2 de ce fichier ; si c'est voulu (deux paiements identiques), ajoutez --doublon"),
        "{err}"
    );
    let double = sb.file(
        "e.csv",
        "date;piece;compte;libelle;debit;credit\n2017-03-01;F1;616;Assurance;312,40;\n2017-03-01;F1;512;Assurance;;312,40\n2017-03-01;F2;616;Assurance;312,40;\n2017-03-01;F2;512;Assurance;;312,40\n",
    );
    let err = sb.refused(&["import", "ecritures", &double], 2);
    assert!(
        err.contains("cette écriture est déjà enregistrée (écriture n° 1, mêmes date, libellé et lignes) ; si c'est voulu, ajoutez --doublon"),
        "{err}"
    );
    let out = sb.ok(&["import", "sessions", &twice, "--doublon"]);
    assert!(out.starts_with("3 session(s) importée(s)"), "{out}");
    assert_eq!(sb.json(&["session", "list"]).as_array().unwrap().len(), 4);
}

// ---------------------------------------------------------------------------------
// People

#[test]
fn the_same_person_twice_is_refused_by_identity_phone_or_email() {
    let sb = Sandbox::new();
    sb.ok(&[
        "participant",
        "add",
        "--nom",
        "Diallo",
        "--prenom",
        "Aïssatou",
        "--naissance",
        "1990",
        "--telephone",
        "06 12 34 56 78",
        "--courriel",
        "a.diallo@exemple.fr",
    ]);
    let cases: [&[&str]; 4] = [
        &[
            "--nom",
            "DIALLO",
            "--prenom",
            "aissatou",
            "--naissance",
            "1990",
        ],
        &["--nom", "Diallo", "--prenom", "Aïssatou"],
        &["--telephone", "+33 6 12 34 56 78"],
        &["--courriel", "A.Diallo@Exemple.FR"],
    ];
    let why = [
        "même nom, prénom et année de naissance",
        "même nom, prénom et année de naissance",
        "même téléphone",
        "même courriel",
    ];
    for (args, why) in cases.iter().zip(why) {
        let err = sb.refused(&with(&["participant", "add"], args), 2);
        assert_eq!(
            err,
            format!(
                "erreur : cette personne est déjà enregistrée : P-0001 ({why}) ; voyez sa fiche avec `ici participant show P-0001 --avec-identite`. Si ce sont deux personnes différentes, ajoutez --doublon\n"
            )
        );
    }
    // Born another year: another person.
    let other = sb.ok(&[
        "participant",
        "add",
        "--nom",
        "Diallo",
        "--prenom",
        "Aïssatou",
        "--naissance",
        "1985",
    ]);
    assert!(
        other.starts_with("Participant P-0002 enregistré"),
        "{other}"
    );
    let meant = sb.ok(&[
        "participant",
        "add",
        "--telephone",
        "0612345678",
        "--doublon",
    ]);
    assert!(
        meant.starts_with("Participant P-0003 enregistré"),
        "{meant}"
    );
    // A correction that makes two people one is refused too, pointing to fusionne.
    let err = sb.refused(
        &["participant", "corrige", "P-0002", "--naissance", "1990"],
        2,
    );
    assert_eq!(
        err,
        "erreur : après cette correction, P-0002 serait la même personne que P-0001 (même nom, prénom et année de naissance) : s'il s'agit bien d'une seule personne, réunissez les deux codes avec `ici participant fusionne P-0002 --dans P-0001` ; si ce sont deux personnes, ajoutez --doublon\n"
    );
    sb.ok(&["participant", "corrige", "P-0002", "--statut", "inactif"]);
    sb.ok(&[
        "participant",
        "corrige",
        "P-0002",
        "--naissance",
        "1990",
        "--doublon",
    ]);
}

#[test]
fn reimporting_the_fixtures_participants_adds_nobody() {
    let sb = Sandbox::new();
    sb.ok(&["import", "partenaires", &fixture("partenaires.csv")]);
    let file = fixture("participants.csv");
    let first = sb.ok(&["import", "participants", &file]);
    assert!(
        first.starts_with("40 participant(s) ajouté(s) depuis"),
        "{first}"
    );
    let again = sb.ok(&["import", "participants", &file, "--encore"]);
    assert!(
        again.starts_with(&format!(
            "0 participant(s) ajouté(s) depuis {file}, 40 déjà au registre (rien n'y est changé).\nCode de chaque ligne :\n  ligne 2 → P-0001 : déjà au registre\n"
        )),
        "{again}"
    );
    assert!(
        again.contains("  ligne 41 → P-0040 : déjà au registre\n"),
        "{again}"
    );
    assert!(!again.contains("profil différent"), "{again}");
    assert_eq!(
        sb.json(&["participant", "list"]).as_array().unwrap().len(),
        40
    );
}

#[test]
fn an_updated_participants_file_adds_the_new_people_and_reports_the_rest() {
    let sb = Sandbox::new();
    let v1 = sb.file(
        "v1.csv",
        "nom;prenom;naissance;statut\nDiallo;Awa;1990;demandeur-emploi\nMartin;Léa;1985;en-emploi\n",
    );
    let out = sb.ok(&["import", "participants", &v1]);
    assert!(
        out.contains("  ligne 2 → P-0001 : ajouté\n  ligne 3 → P-0002 : ajouté\n"),
        "{out}"
    );
    // The file comes back with a new person, Léa's status changed and a code column.
    let v2 = sb.file(
        "v2.csv",
        "code;nom;prenom;naissance;statut\nP-0001;Diallo;Awa;1990;demandeur-emploi\n;MARTIN;Lea;1985;demandeur-emploi\n;Nguyen;Minh;2001;scolarise\n",
    );
    let out = sb.ok(&["import", "participants", &v2]);
    assert_eq!(
        out,
        format!(
            "1 participant(s) ajouté(s) depuis {v2}, 2 déjà au registre (rien n'y est changé).\nCode de chaque ligne :\n  ligne 2 → P-0001 : déjà au registre\n  ligne 3 → P-0002 : déjà au registre (même nom, prénom et année de naissance)\n  ligne 4 → P-0003 : ajouté\nligne 3 : P-0002 existe déjà, profil différent (statut) : ignoré ; pour le changer : `ici participant corrige P-0002 …`\n"
        )
    );
    let list = sb.json(&["participant", "list"]);
    assert_eq!(column(&list, "statut")[1], json!("en-emploi"));
    // Two rows for one new person in one file: refused unless --doublon.
    let twice = sb.file(
        "v3.csv",
        "nom;prenom;telephone\nSow;Ali;0611111111\nSOW;Ali;06 11 11 11 11\n",
    );
    let err = sb.refused(&["import", "participants", &twice], 2);
    assert!(
        err.contains("v3.csv, ligne 3 : même personne que la ligne 2 de ce fichier (P-0004, même nom, prénom et année de naissance)"),
        "{err}"
    );
    // --codes writes the file back with its codes, readable by its owner only.
    let codes = sb.path().join("codes.csv");
    let out = sb.ok(&[
        "import",
        "participants",
        &v1,
        "--encore",
        "--codes",
        codes.to_str().unwrap(),
    ]);
    assert!(
        out.contains("Le code de chaque ligne est écrit dans"),
        "{out}"
    );
    assert!(!out.contains("ligne 2 →"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&codes).unwrap(),
        "nom;prenom;naissance;statut;code\nDiallo;Awa;1990;demandeur-emploi;P-0001\nMartin;Léa;1985;en-emploi;P-0002\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&codes).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A copy that cannot be written: nothing is imported.
    let nowhere = sb.path().join("absent/codes.csv");
    let err = sb.refused(
        &[
            "import",
            "participants",
            &twice,
            "--doublon",
            "--codes",
            nowhere.to_str().unwrap(),
        ],
        2,
    );
    assert!(
        err.contains("absent : ce dossier n'existe pas") && err.contains("Rien n'a été écrit."),
        "{err}"
    );
    // An existing file is never overwritten.
    let err = sb.refused(
        &[
            "import",
            "participants",
            &v1,
            "--encore",
            "--codes",
            codes.to_str().unwrap(),
        ],
        2,
    );
    assert!(err.contains("le fichier existe déjà"), "{err}");
}

#[test]
fn merging_two_codes_of_one_person_keeps_the_figures_right() {
    let sb = Sandbox::with_refs();
    for _ in 0..2 {
        sb.ok(&["participant", "add", "--sexe", "f", "--doublon"]);
    }
    sb.ok(&[
        "participant",
        "add",
        "--naissance",
        "1990",
        "--statut",
        "inactif",
    ]);
    // Session 1: P-0001 and P-0003 (one person) and 4 anonymous; session 2: P-0003.
    sb.ok(&session(&[
        ("--participants", "6"),
        ("--presents", "P-0001,P-0003"),
        ("--femmes", "2"),
    ]));
    sb.ok(&session(&[
        ("--date", "2017-06-19"),
        ("--participants", "1"),
        ("--presents", "P-0003"),
    ]));
    // Both codes have an exit from NET94: the later one is kept.
    sb.ok(&[
        "participant",
        "sortie",
        "P-0001",
        "--date",
        "2017-07-01",
        "--situation",
        "emploi-court",
    ]);
    sb.ok(&[
        "participant",
        "sortie",
        "P-0003",
        "--date",
        "2017-09-01",
        "--situation",
        "emploi-durable",
    ]);
    let before = sb.json(&["stats", "2017"]);
    assert_eq!(before["personnes_formees"], json!(6));
    let out = sb.ok(&["participant", "fusionne", "P-0003", "--dans", "P-0001"]);
    assert!(
        out.starts_with("P-0003 fusionné dans P-0001 : 1 présence(s) et 1 sortie(s) passées sur P-0001.\nSessions où les deux codes étaient présents (n° 1) : P-0001 y comptait deux fois"),
        "{out}"
    );
    assert!(
        out.contains("1 sortie(s) en double pour un même projet : la plus récente est gardée."),
        "{out}"
    );
    let after = sb.json(&["stats", "2017"]);
    assert_eq!(after["personnes_formees"], json!(5));
    let sessions = sb.json(&["session", "list"]);
    assert_eq!(column(&sessions, "participants"), vec![json!(5), json!(1)]);
    assert_eq!(column(&sessions, "anonymes"), vec![json!(4), json!(0)]);
    assert_eq!(column(&sessions, "femmes"), vec![json!(2), json!(null)]);
    // P-0001 took the year of birth it lacked; P-0003 is gone for good.
    let show = sb.ok(&["participant", "show", "P-0001"]);
    assert!(show.contains("1990"), "{show}");
    assert!(show.contains("2017-09-01"), "{show}");
    assert!(!show.contains("2017-07-01"), "{show}");
    assert!(
        sb.refused(&["participant", "show", "P-0003"], 2)
            .contains("P-0003 inconnu")
    );
    let err = sb.refused(&["participant", "add", "--code", "P-0003"], 2);
    assert!(
        err.contains("le code P-0003 n'est plus attribué : il a été réuni à un autre"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------
// Names

#[test]
fn a_name_like_an_existing_one_is_refused_unless_nouveau() {
    let sb = Sandbox::new();
    sb.ok(&["partenaire", "add", "Pôle emploi Val-de-Marne"]);
    sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    for (args, existing) in [
        (
            vec!["partenaire", "add", "Pole emploi Val de Marne"],
            "« Pôle emploi Val-de-Marne »",
        ),
        (
            vec!["partenaire", "add", "Pôle emploi Val-de-Mrane"],
            "« Pôle emploi Val-de-Marne »",
        ),
        (
            vec!["projet", "add", "NET-94", "--theme", "emploi"],
            "« NET94 »",
        ),
        (
            vec!["projet", "add", "net 94", "--theme", "emploi"],
            "« NET94 »",
        ),
    ] {
        let err = sb.refused(&args, 2);
        assert!(err.contains("ressemble trop au"), "{err}");
        assert!(err.contains(existing), "{err}");
        assert!(err.contains("ajoutez --nouveau"), "{err}");
    }
    // Another number is another project; --nouveau says a look-alike is another.
    sb.ok(&["projet", "add", "NET93", "--theme", "emploi"]);
    sb.ok(&["partenaire", "add", "Pole emploi Val de Marne", "--nouveau"]);
    let list = sb.json(&["partenaire", "list"]);
    assert_eq!(column(&list, "nom").len(), 2);
    // An import applies the same rule to each row.
    let f = sb.file("p.csv", "nom;theme\nCNAM;emploi\nNET 93;emploi\n");
    let err = sb.refused(&["import", "projets", &f], 2);
    assert!(err.contains("ligne 3"), "{err}");
}

#[test]
fn renaming_and_merging_partners_and_projects() {
    let sb = Sandbox::with_refs();
    sb.ok(&["partenaire", "add", "Pole emploi Cachan", "--nouveau"]);
    sb.ok(&with(&SESSION, &["--partenaire", "Pôle emploi Cachan"]));
    sb.ok(&session(&[
        ("--partenaire", "Pole emploi Cachan"),
        ("--duree", "2h"),
    ]));
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-05-02",
        "--montant",
        "500",
        "--compte",
        "706",
        "--libelle",
        "Prestation",
        "--tiers",
        "Pole emploi Cachan",
    ]);
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(stats["partenaires"].as_array().unwrap().len(), 2);
    let out = sb.ok(&[
        "partenaire",
        "fusionne",
        "Pole emploi Cachan",
        "--dans",
        "Pôle emploi Cachan",
    ]);
    assert_eq!(
        out,
        "Partenaire « Pole emploi Cachan » fusionné dans « Pôle emploi Cachan » : 1 session(s), 1 écriture(s), 0 participant(s) orienté(s) passé(e)s sur « Pôle emploi Cachan ». « Pole emploi Cachan » n'existe plus.\n"
    );
    let stats = sb.json(&["stats", "2017"]);
    assert_eq!(stats["partenaires"], json!(["Pôle emploi Cachan"]));
    let list = sb.json(&["partenaire", "list", "--annee", "2017"]);
    let cachan = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nom"] == "Pôle emploi Cachan")
        .unwrap();
    assert_eq!(
        (cachan["sessions"].clone(), cachan["ecritures"].clone()),
        (json!(2), json!(1))
    );
    // An entry of a closed year never changes: a merge that would is refused.
    sb.ok(&["partenaire", "add", "Ville de Vilejuif", "--nouveau"]);
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2016-05-02",
        "--montant",
        "80",
        "--compte",
        "706",
        "--libelle",
        "Atelier",
        "--tiers",
        "Ville de Vilejuif",
    ]);
    let conn = rusqlite::Connection::open(sb.ledger()).unwrap();
    conn.execute(
        "INSERT INTO cloture (annee, cloture_le) VALUES (2016, '2017-06-30')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = sb.refused(
        &[
            "partenaire",
            "fusionne",
            "Ville de Vilejuif",
            "--dans",
            "Ville de Villejuif",
        ],
        2,
    );
    assert!(err.contains("exercice clos 2016"), "{err}");

    let out = sb.ok(&[
        "partenaire",
        "renomme",
        "Pôle emploi Cachan",
        "France Travail Cachan",
    ]);
    assert_eq!(
        out,
        "Partenaire « Pôle emploi Cachan » renommé « France Travail Cachan » : ses sessions et écritures suivent.\n"
    );
    let sessions = sb.json(&["session", "list"]);
    assert_eq!(
        column(&sessions, "partenaire"),
        vec![json!("France Travail Cachan"); 2]
    );
    let err = sb.refused(
        &[
            "partenaire",
            "renomme",
            "Ville de Villejuif",
            "France Travail Cachan",
        ],
        2,
    );
    assert!(
        err.contains(
            "`ici partenaire fusionne \"Ville de Villejuif\" --dans \"France Travail Cachan\"`"
        ),
        "{err}"
    );

    sb.ok(&["projet", "add", "NET-94", "--theme", "emploi", "--nouveau"]);
    sb.ok(&session(&[("--projet", "NET-94"), ("--duree", "1h")]));
    let out = sb.ok(&["projet", "fusionne", "NET-94", "--dans", "NET94"]);
    assert!(
        out.starts_with(
            "Projet « NET-94 » fusionné dans « NET94 » : 1 session(s), 0 écriture(s), 0 sortie(s)"
        ),
        "{out}"
    );
    let sessions = sb.json(&["session", "list"]);
    assert_eq!(column(&sessions, "projet"), vec![json!("NET94"); 3]);
    assert!(
        sb.refused(&["projet", "fusionne", "NET94", "--dans", "net94"], 2)
            .contains("le même projet")
    );
}

// ---------------------------------------------------------------------------------
// Home territory

#[test]
fn the_home_territory_settles_fresnes_and_says_so() {
    let sb = Sandbox::empty();
    let out = sb.ok(&["init", "--territoire", "94,93,75"]);
    assert!(
        out.ends_with("Territoire : 94 (Val-de-Marne), 93 (Seine-Saint-Denis), 75 (Paris).\n"),
        "{out}"
    );
    sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    let out = sb.ok(&session(&[("--commune", "Fresnes")]));
    assert!(
        out.starts_with("Session n° 1 enregistrée.\nCommune « Fresnes » : Fresnes (94034), la seule de ce nom dans votre territoire (94, 93, 75)"),
        "{out}"
    );
    assert!(out.contains("Fresnes (94034, Val-de-Marne)"), "{out}");
    // Saint-Denis is the one of Seine-Saint-Denis; Champigny is Champigny-sur-Marne.
    for (commune, code, date) in [
        ("Saint-Denis", "93066", "2017-06-13"),
        ("Champigny", "94017", "2017-06-14"),
    ] {
        let out = sb.ok(&session(&[("--commune", commune), ("--date", date)]));
        assert!(out.contains(&format!("({code})")), "{out}");
        let how = if commune == "Champigny" {
            "la seule dont le nom commence ainsi dans votre territoire"
        } else {
            "la seule de ce nom dans votre territoire"
        };
        assert!(out.contains(how), "{out}");
    }
    let sessions = sb.json(&["session", "list"]);
    assert_eq!(
        column(&sessions, "code_insee"),
        vec![json!("94034"), json!("93066"), json!("94017")]
    );
    // The commune of residence too.
    let out = sb.ok(&["participant", "add", "--commune", "Fresnes"]);
    assert!(
        out.contains("Commune « Fresnes » : Fresnes (94034), la seule de ce nom"),
        "{out}"
    );
    let list = sb.json(&["participant", "list"]);
    assert_eq!(column(&list, "code_insee_residence"), vec![json!("94034")]);
    // Shown, changed, refused when wrong (the setting unchanged).
    assert_eq!(
        sb.ok(&["territoire"]),
        "Territoire : 94 (Val-de-Marne), 93 (Seine-Saint-Denis), 75 (Paris).\n"
    );
    sb.ok(&["territoire", "75,92,93,94"]);
    let err = sb.refused(&["territoire", "94,100"], 2);
    assert!(err.contains("« 100 » n'est pas un département"), "{err}");
    assert!(
        sb.ok(&["territoire"])
            .starts_with("Territoire : 75 (Paris), 92 (Hauts-de-Seine)")
    );
}

#[test]
fn without_a_home_territory_the_ledger_settles_ties_and_suggestions_favour_home() {
    let sb = Sandbox::with_refs();
    assert!(sb.ok(&["territoire"]).starts_with("Aucun territoire"));
    let fresnes = session(&[("--commune", "Fresnes")]);
    let err = sb.refused(&fresnes, 2);
    assert!(err.contains("commune « Fresnes » ambiguë"), "{err}");
    sb.ok(&session(&[("--commune", "94034"), ("--duree", "2h")]));
    let out = sb.ok(&fresnes);
    assert!(
        out.contains("Commune « Fresnes » : Fresnes (94034), la seule de ce nom déjà au registre"),
        "{out}"
    );
    // A bad --territoire creates nothing.
    let empty = Sandbox::empty();
    let err = empty.fails(&["init", "--territoire", "94,ZZ"], 2);
    assert!(err.contains("« ZZ » n'est pas un département"), "{err}");
    assert!(!empty.ledger().exists());
    // Suggestions list the home territory first: Saint-Denis of Seine-Saint-Denis
    // before the more populated one of La Réunion.
    let typo = session(&[("--commune", "Saint-Deni")]);
    empty.ok(&["init", "--territoire", "93"]);
    empty.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    let err = empty.fails(&typo, 2);
    assert!(
        err.contains("Vouliez-vous dire « Saint-Denis (93) » (93066), « Saint-Denis (974) »"),
        "{err}"
    );
}
