//! Several laptops, one ledger: batches of changes (`ici lot export`, `ici lot import`)
//! between two trainers and a coordinator, merged in every order.

mod common;

use common::Sandbox;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A ledger of its own with a poste prefix.
fn poste(prefix: &str) -> Sandbox {
    let sb = Sandbox::empty();
    let out = sb.ok(&["init", "--poste", prefix]);
    assert!(
        out.contains(&format!("{prefix}-0001, {prefix}-0002")),
        "{out}"
    );
    sb
}

/// Exports a batch to `name` in the sandbox; returns its path.
fn export(sb: &Sandbox, name: &str, extra: &[&str]) -> String {
    let path = sb.path().join(name).to_str().unwrap().to_string();
    let mut args = vec!["lot", "export", "-o", &path];
    args.extend(extra);
    sb.ok(&args);
    path
}

/// Every travelling record by global id, references as global ids, local numbers left
/// out: what two ledgers must agree on.
fn dump(ledger: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let c = Connection::open(ledger).unwrap();
    let mut out = BTreeMap::new();
    for table in [
        "projet",
        "partenaire",
        "session",
        "session_correction",
        "participant",
        "presence",
        "sortie",
    ] {
        let fks: Vec<(String, String)> = c
            .prepare(&format!("PRAGMA foreign_key_list({table})"))
            .unwrap()
            .query_map([], |r| Ok((r.get(3)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let cols: Vec<String> = c
            .prepare(&format!("PRAGMA table_info({table})"))
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(Result::unwrap)
            .filter(|n: &String| n != "id" && n != "gid")
            .collect();
        let fields: Vec<String> = cols
            .iter()
            .map(|col| match fks.iter().find(|(f, _)| f == col) {
                Some((_, p)) => format!("'{col}', (SELECT hex(gid) FROM {p} WHERE id = t.{col})"),
                None => format!("'{col}', t.{col}"),
            })
            .collect();
        let rows: Vec<(String, String)> = c
            .prepare(&format!(
                "SELECT hex(t.gid), json_object({}) FROM {table} t ORDER BY t.gid",
                fields.join(", ")
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.insert(table.to_string(), rows);
    }
    let identities: Vec<(String, String)> = c
        .prepare(
            "SELECT hex(p.gid), json_array(i.nom, i.prenom, i.telephone, i.courriel)
               FROM participant_identite i JOIN participant p ON p.id = i.participant_id
              ORDER BY p.gid",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    out.insert("participant_identite".into(), identities);
    out
}

fn count(dump: &BTreeMap<String, Vec<(String, String)>>, table: &str) -> usize {
    dump[table].len()
}

/// Two trainers and a coordinator working in turn; returns their sandboxes and the
/// batches of everything each holds at the end.
struct Team {
    fa: Sandbox,
    fb: Sandbox,
    co: Sandbox,
}

fn session(sb: &Sandbox, args: &[&str]) -> i64 {
    sb.session(args)
}

fn team_at_work() -> Team {
    let (fa, fb, co) = (poste("FA"), poste("FB"), poste("CO"));
    // Each laptop set up on its own: the same project and partner typed twice.
    fa.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    fb.ok(&["projet", "add", "Net 94", "--theme", "emploi"]);
    co.ok(&["projet", "add", "BP-PARIS", "--theme", "citoyennete"]);
    fa.ok(&["partenaire", "add", "Pôle emploi Val-de-Marne"]);
    fb.ok(&["partenaire", "add", "Pole emploi Val de Marne"]);

    // Trainer A: two people, a workshop with both.
    fa.ok(&[
        "participant",
        "add",
        "--nom",
        "Dupontel",
        "--prenom",
        "Alicia",
        "--telephone",
        "0611223344",
        "--sexe",
        "f",
    ]);
    fa.ok(&[
        "participant",
        "add",
        "--nom",
        "Martinez",
        "--prenom",
        "Bruno",
        "--courriel",
        "bruno.martinez@example.org",
        "--sexe",
        "h",
    ]);
    let s1 = session(
        &fa,
        &[
            "-d",
            "2017-03-01",
            "-p",
            "NET94",
            "-c",
            "Villejuif",
            "--duree",
            "2h",
            "--participants",
            "6",
            "--presents",
            "FA-0001,FA-0002",
            "--partenaire",
            "Pôle emploi Val-de-Marne",
        ],
    );
    session(
        &fa,
        &[
            "-d",
            "2017-03-08",
            "-p",
            "NET94",
            "-c",
            "Villejuif",
            "--duree",
            "3h",
            "--participants",
            "4",
        ],
    );
    // B types the same workshop as A's first one (a duplicate, to be listed).
    session(
        &fb,
        &[
            "-d",
            "2017-03-01",
            "-p",
            "Net 94",
            "-c",
            "Villejuif",
            "--duree",
            "2h",
            "--participants",
            "5",
        ],
    );
    // Then B receives A's work (with identities, to run its own workshops).
    let a0 = export(&fa, "a0.lot", &["--pour", "FB", "--avec-identite"]);
    let out = fb.ok(&["lot", "import", &a0]);
    assert!(out.contains("importé"), "{out}");
    assert!(out.contains("saisies sur deux postes"), "{out}");
    let out = fb.ok(&["participant", "list"]);
    assert!(out.contains("FA-0001") && out.contains("FA-0002"), "{out}");

    // B's own workshop, with a person of its own and one of A's.
    fb.ok(&[
        "participant",
        "add",
        "--nom",
        "Nguyen",
        "--prenom",
        "Chloé",
        "--sexe",
        "f",
    ]);
    session(
        &fb,
        &[
            "-d",
            "2017-04-05",
            "-p",
            "Net 94",
            "-c",
            "Villejuif",
            "--duree",
            "2h",
            "--participants",
            "3",
            "--presents",
            "FB-0001,FA-0002",
        ],
    );
    // The same field corrected on both laptops: B's correction is the later one.
    let s1_on_b = 2; // B's duplicate is its n° 1
    fa.ok(&["session", "corrige", &s1.to_string(), "--participants", "8"]);
    std::thread::sleep(std::time::Duration::from_millis(20));
    fb.ok(&[
        "session",
        "corrige",
        &s1_on_b.to_string(),
        "--participants",
        "9",
    ]);
    // A cancels its second workshop, then erases Bruno at his request.
    fa.ok(&["session", "annule", "2", "--motif", "pluie"]);
    fa.ok(&["participant", "oublie", "FA-0002", "--oui"]);

    // The coordinator's own workshop.
    co.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    session(
        &co,
        &[
            "-d",
            "2017-05-10",
            "-p",
            "BP-PARIS",
            "-c",
            "Villejuif",
            "--duree",
            "1h30",
            "--participants",
            "7",
        ],
    );
    Team { fa, fb, co }
}

#[test]
fn three_ledgers_merged_in_every_order_agree() {
    let t = team_at_work();
    let batches = [
        export(&t.fa, "a.lot", &["--tout"]),
        export(&t.fb, "b.lot", &["--tout"]),
        export(&t.co, "c.lot", &["--tout"]),
    ];
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut results = Vec::new();
    for order in orders {
        let sb = poste("ZZ");
        let mut said = String::new();
        for i in order {
            said.push_str(&sb.ok(&["lot", "import", &batches[i]]));
        }
        // A's and B's first workshops, the same one typed twice: both kept, listed.
        assert!(
            said.contains("saisies sur deux postes"),
            "{order:?}: {said}"
        );
        // A batch imported a second time adds nothing.
        let before = dump(&sb.ledger());
        let again = sb.ok(&["lot", "import", &batches[order[0]]]);
        assert!(again.contains("rien de nouveau"), "{again}");
        assert_eq!(dump(&sb.ledger()), before);
        results.push((sb.json(&["stats", "2017"]), before, order));
    }
    // The coordinator's own ledger, after both trainers' batches, holds the same.
    t.co.ok(&["lot", "import", &batches[1]]);
    t.co.ok(&["lot", "import", &batches[0]]);
    results.push((
        t.co.json(&["stats", "2017"]),
        dump(&t.co.ledger()),
        [2, 1, 0],
    ));

    let (stats0, dump0, _) = &results[0];
    for (stats, d, order) in &results[1..] {
        assert_eq!(stats, stats0, "stats differ for order {order:?}");
        assert_eq!(d, dump0, "contents differ for order {order:?}");
    }
    // What they agree on: one project NET94 from three laptops (BP-PARIS apart), one
    // partner from two spellings; A's 2 sessions, B's 2, the coordinator's 1.
    assert_eq!(count(dump0, "projet"), 2, "{:?}", dump0["projet"]);
    assert_eq!(count(dump0, "partenaire"), 1, "{:?}", dump0["partenaire"]);
    assert_eq!(count(dump0, "session"), 5);
    // Alicia, Chloé, and Bruno's opaque row; Bruno's name nowhere.
    assert_eq!(count(dump0, "participant"), 3);
    let people = format!("{:?}", dump0["participant"]);
    assert!(
        !people.contains("FA-0002") && people.contains("X-"),
        "{people}"
    );
    // Presences: Alicia and Bruno (now opaque) at A's first workshop; Chloé at B's
    // workshop, where Bruno's presence, recorded before B knew of the erasure, is gone.
    assert_eq!(count(dump0, "presence"), 3, "{:?}", dump0["presence"]);
    // The later correction won, both stay in the history.
    let s1 = dump0["session"]
        .iter()
        .find(|(_, j)| j.contains("\"date\":\"2017-03-01\"") && j.contains("\"participants\":9"));
    assert!(s1.is_some(), "{:?}", dump0["session"]);
    assert_eq!(count(dump0, "session_correction"), 2);
    // The figures: 4 sessions not cancelled, 9 + 5 + 3 + 7 participants.
    let v = &stats0;
    assert_eq!(v["sessions"], Value::from(4), "{v}");
    assert_eq!(v["participations"], Value::from(24), "{v}");
}

#[test]
fn an_erasure_reaches_the_other_laptops() {
    let t = team_at_work();
    // B still knows Bruno, with his e-mail.
    let out =
        t.fb.ok(&["participant", "show", "FA-0002", "--avec-identite"]);
    assert!(out.contains("bruno.martinez@example.org"), "{out}");
    let a = export(&t.fa, "a.lot", &["--pour", "FB"]);
    let out = t.fb.ok(&["lot", "import", &a]);
    assert!(out.contains("importé"), "{out}");
    let err = t.fb.fails(&["participant", "show", "FA-0002"], 2);
    assert!(err.contains("FA-0002"), "{err}");
    // Nothing of him is left in B's ledger file, journal included.
    t.fb.ok(&["verifie"]);
    let c = Connection::open(t.fb.ledger()).unwrap();
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(c);
    let bytes = std::fs::read(t.fb.ledger()).unwrap();
    for needle in ["Martinez", "bruno.martinez", "FA-0002"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle} still in B's ledger"
        );
    }
    // A second batch to B starts after the first: nothing new.
    let again = export(&t.fa, "a2.lot", &["--pour", "FB"]);
    let out = t.fb.ok(&["lot", "import", &again]);
    assert!(out.contains("rien de nouveau"), "{out}");
}

#[test]
fn a_batch_carries_identity_only_when_asked() {
    let t = team_at_work();
    let plain = std::fs::read(export(&t.fa, "p.lot", &["--tout"])).unwrap();
    let with = std::fs::read(export(&t.fa, "i.lot", &["--tout", "--avec-identite"])).unwrap();
    let has = |bytes: &[u8], s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    for needle in ["Dupontel", "Alicia", "0611223344"] {
        assert!(
            !has(&plain, needle),
            "{needle} in a batch without --avec-identite"
        );
        assert!(has(&with, needle), "{needle} missing with --avec-identite");
    }
    // The erased person is in neither.
    for needle in ["Martinez", "bruno.martinez"] {
        assert!(!has(&with, needle), "{needle}");
    }
    // Both exports are logged as holding personal data.
    let c = Connection::open(t.fa.ledger()).unwrap();
    let logged: i64 = c
        .query_row(
            "SELECT count(*) FROM export_journal WHERE quoi = 'lot' AND personnel = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, 3); // a0, and the two here
}

#[test]
fn a_batch_cut_short_or_altered_is_refused_whole() {
    let t = team_at_work();
    let a = export(&t.fa, "a.lot", &["--tout"]);
    let bytes = std::fs::read(&a).unwrap();
    let cut = t.co.file("coupe.lot", &bytes[..bytes.len() * 2 / 3]);
    let err = t.co.refused(&["lot", "import", &cut], 2);
    assert!(
        err.contains("coupe.lot") && err.contains("incomplet"),
        "{err}"
    );
    assert!(err.contains("rien n'a été importé"), "{err}");
    let text = String::from_utf8(bytes).unwrap();
    let altered = t.co.file(
        "change.lot",
        text.replacen("\"participants\":6", "\"participants\":60", 1),
    );
    let err = t.co.refused(&["lot", "import", &altered], 2);
    assert!(
        err.contains("change.lot") && err.contains("modifié ou abîmé"),
        "{err}"
    );
    let other = t.co.file("autre.lot", "date;montant\n2017-01-01;10\n");
    let err = t.co.refused(&["lot", "import", &other], 2);
    assert!(err.contains("n'est pas un lot ici"), "{err}");
    // The whole batch still imports.
    let out = t.co.ok(&["lot", "import", &a]);
    assert!(out.contains("importé"), "{out}");
}

#[test]
fn a_trainers_ledger_keeps_no_books() {
    let sb = Sandbox::empty();
    let out = sb.ok(&["init", "--poste", "FA", "--role", "formateur"]);
    assert!(out.contains("Rôle : formateur"), "{out}");
    sb.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    sb.ok(&["participant", "add", "--sexe", "f"]);
    sb.session(&[
        "-d",
        "2017-03-01",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "--duree",
        "2h",
        "--participants",
        "3",
        "--presents",
        "FA-0001",
    ]);
    for args in [
        vec![
            "charge",
            "add",
            "--date",
            "2017-02-01",
            "--montant",
            "30",
            "--compte",
            "626",
            "--libelle",
            "Timbres",
            "--via",
            "530",
        ],
        vec!["bilan", "2017"],
        vec!["cloture", "2017", "--oui"],
        vec!["export", "fec", "2017"],
    ] {
        let err = sb.refused(&args, 2);
        assert!(
            err.contains(&format!("`ici {}", args[0]))
                && err.contains("rôle formateur")
                && err.contains("registre de la trésorerie")
                && err.contains("ici init --role tresorerie"),
            "{err}"
        );
    }
    // Changing the role asks first; a script says --oui.
    let err = sb.refused(&["init", "--role", "tresorerie"], 2);
    assert!(err.contains("--oui"), "{err}");
    let out = sb.ok(&["init", "--role", "tresorerie", "--oui"]);
    assert!(out.contains("Rôle : tresorerie"), "{out}");
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-02-01",
        "--montant",
        "30",
        "--compte",
        "626",
        "--libelle",
        "Timbres",
        "--via",
        "530",
    ]);
    let err = sb.refused(&["init", "--role", "comptable"], 2);
    assert!(err.contains("« comptable »"), "{err}");
}

#[test]
fn twins_recorded_on_one_laptop_are_not_listed_as_duplicates() {
    let fa = poste("FA");
    fa.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    let twin = [
        "-d",
        "2017-03-01",
        "-p",
        "NET94",
        "-c",
        "Villejuif",
        "--duree",
        "2h",
        "--participants",
        "4",
    ];
    fa.session(&twin);
    let mut again = twin.to_vec();
    again.push("--doublon");
    fa.session(&again);
    let a = export(&fa, "a.lot", &[]);
    let co = poste("CO");
    let out = co.ok(&["lot", "import", &a]);
    assert!(out.contains("Ajouté(s) : projet 1, session 2."), "{out}");
    assert!(!out.contains("À regarder"), "{out}");
    // Typed again on the coordination's laptop: listed.
    co.ok(&["lot", "import", &a]);
    let b = poste("FB");
    b.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    b.session(&twin);
    let out = co.ok(&["lot", "import", &export(&b, "b.lot", &[])]);
    assert!(
        out.contains("À regarder (1)") && out.contains("saisies sur deux postes"),
        "{out}"
    );
}

/// The presences a ledger holds, as (session date, participant code), sorted.
fn presences(sb: &Sandbox) -> Vec<(String, String)> {
    let c = Connection::open(sb.ledger()).unwrap();
    c.prepare(
        "SELECT s.date, p.code FROM presence x JOIN session s ON s.id = x.session_id
           JOIN participant p ON p.id = x.participant_id ORDER BY 1, 2",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn presences_recorded_before_a_merge_was_known_follow_it() {
    let (fa, co) = (poste("FA"), poste("CO"));
    fa.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    fa.ok(&["participant", "add", "--sexe", "f", "--naissance", "1980"]);
    fa.ok(&["participant", "add", "--sexe", "f"]);
    let workshop = |date: &str, present: &str| {
        session(
            &fa,
            &[
                "-d",
                date,
                "-p",
                "NET94",
                "-c",
                "Villejuif",
                "--duree",
                "2h",
                "--participants",
                "4",
                "--presents",
                present,
            ],
        )
    };
    workshop("2017-03-01", "FA-0001");
    workshop("2017-03-02", "FA-0002");
    let a0 = export(&fa, "a0.lot", &["--pour", "CO"]);
    co.ok(&["lot", "import", &a0]);
    // The coordinator finds one person under two codes and merges them...
    co.ok(&["participant", "fusionne", "FA-0002", "--dans", "FA-0001"]);
    // ...while the trainer, not knowing it yet, notes FA-0002 at two more workshops.
    workshop("2017-03-08", "FA-0002");
    workshop("2017-03-15", "FA-0001,FA-0002");
    let a1 = export(&fa, "a1.lot", &["--pour", "CO"]);
    let out = co.ok(&["lot", "import", &a1]);
    assert!(out.contains("presence 3"), "{out}");
    let merged: Vec<(String, String)> = [
        ("2017-03-01", "FA-0001"),
        ("2017-03-02", "FA-0001"),
        ("2017-03-08", "FA-0001"),
        ("2017-03-15", "FA-0001"),
    ]
    .iter()
    .map(|(d, c)| (d.to_string(), c.to_string()))
    .collect();
    assert_eq!(presences(&co), merged);
    // The merge reaches the trainer: FA-0002 is gone there too, its presences moved.
    let c0 = export(&co, "c0.lot", &["--pour", "FA"]);
    fa.ok(&["lot", "import", &c0]);
    assert_eq!(presences(&fa), merged);
    let err = fa.fails(&["participant", "show", "FA-0002"], 2);
    assert!(err.contains("FA-0002"), "{err}");
    // And both ledgers agree, whatever else travels afterwards.
    let a2 = export(&fa, "a2.lot", &["--pour", "CO"]);
    co.ok(&["lot", "import", &a2]);
    let (dfa, dco) = (dump(&fa.ledger()), dump(&co.ledger()));
    for table in ["participant", "presence", "session"] {
        assert_eq!(dfa[table], dco[table], "{table}");
    }
    assert_eq!(count(&dco, "participant"), 1);
}

/// The rows of `table` in a ledger, as JSON objects of the given columns, sorted.
fn rows(sb: &Sandbox, table: &str, columns: &str) -> Vec<String> {
    let c = Connection::open(sb.ledger()).unwrap();
    c.prepare(&format!(
        "SELECT json_array({columns}) FROM {table} ORDER BY 1"
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn the_associations_records_from_a_trainers_laptop_reach_the_coordinator_once() {
    let (fa, fb, co) = (poste("FA"), poste("FB"), poste("CO"));
    fa.ok(&["init", "--role", "formateur", "--oui"]);
    fb.ok(&["init", "--role", "formateur", "--oui"]);
    co.ok(&["init", "--role", "coordination", "--oui"]);
    fa.ok(&["projet", "add", "NET94", "--theme", "emploi"]);
    co.ok(&["projet", "add", "Net 94", "--theme", "emploi"]);
    fa.ok(&[
        "evenement",
        "add",
        "--date",
        "2017-06-01",
        "--titre",
        "Lancement",
        "--projet",
        "NET94",
        "--texte",
        "Premiers ateliers.",
    ]);
    fa.ok(&[
        "adherent",
        "add",
        "Annick Babise",
        "--date",
        "2017-01-15",
        "--cotisation",
        "20",
    ]);
    // The same membership noted at the coordinator too: one record once merged.
    co.ok(&["adherent", "add", "annick babise", "--date", "2017-03-01"]);
    // Volunteer hours are booked as they are recorded: not on a trainer's laptop.
    let err = fa.fails(
        &["benevolat", "add", "--date", "2017-06-01", "--heures", "3"],
        2,
    );
    assert!(err.contains("benevolat"), "{err}");

    // The batch reaches the coordinator directly, and again through the other trainer.
    let a = export(&fa, "a.lot", &["--pour", "CO"]);
    fb.ok(&["lot", "import", &a]);
    let b = export(&fb, "b.lot", &["--pour", "CO"]);
    let out = co.ok(&["lot", "import", &a]);
    assert!(
        out.contains("adherent 1, evenement 1, projet 1")
            && out.contains("Ajouté(s) : evenement 1."),
        "{out}"
    );
    for again in [&a, &b] {
        let out = co.ok(&["lot", "import", again]);
        assert!(out.contains("rien de nouveau"), "{out}");
    }
    // Once, under the coordinator's own project.
    assert_eq!(
        rows(
            &co,
            "evenement",
            "date, titre, texte, (SELECT nom FROM projet WHERE id = projet_id)"
        ),
        vec![r#"["2017-06-01","Lancement","Premiers ateliers.","Net 94"]"#]
    );
    assert_eq!(rows(&co, "adherent", "nom").len(), 1);
    assert_eq!(rows(&co, "projet", "nom").len(), 1);
    // And the coordinator's batch back to the trainer brings nothing twice there.
    let c = export(&co, "c.lot", &["--pour", "FA"]);
    fa.ok(&["lot", "import", &c]);
    assert_eq!(
        rows(&fa, "evenement", "hex(gid)"),
        rows(&co, "evenement", "hex(gid)")
    );
    assert_eq!(
        rows(&fa, "adherent", "hex(gid), nom, date"),
        rows(&co, "adherent", "hex(gid), nom, date")
    );
}
