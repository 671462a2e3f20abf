//! The books' yearly sums (`totaux_compte`) stay equal to the lines through every kind
//! of write, `bilan` reads them, and `ici verifie` catches a sum that no longer matches.

mod common;

use common::{Sandbox, expect_code, stderr, stdout};

/// (year, account, project, partner, line tiers, debit, credit, lines), sorted.
type Sums = Vec<(i64, String, i64, i64, i64, i64, i64, i64)>;

fn sums(sb: &Sandbox, sql: &str) -> Sums {
    let c = rusqlite::Connection::open(sb.ledger()).expect("open ledger");
    let mut st = c.prepare(sql).expect("prepare");
    st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })
    .expect("query")
    .map(Result::unwrap)
    .collect()
}

/// The table, and the same sums computed from the lines, are equal and not empty;
/// `verifie` says so too.
fn assert_totals_match(sb: &Sandbox, step: &str) -> Sums {
    let table = sums(
        sb,
        "SELECT annee, compte, projet_id, tiers_id, ligne_tiers_id, debit, credit, lignes
         FROM totaux_compte ORDER BY 1, 2, 3, 4, 5",
    );
    let lines = sums(
        sb,
        "SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
                coalesce(e.tiers_id, 0), coalesce(d.tiers_id, 0), sum(l.debit), sum(l.credit),
                count(*)
         FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
         LEFT JOIN ligne_detail d ON d.ligne_id = l.id
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
    );
    assert!(!table.is_empty(), "{step} : aucun total");
    assert_eq!(table, lines, "{step} : les totaux diffèrent des lignes");
    let out = sb.ok(&["verifie"]);
    assert!(out.contains("aucune anomalie"), "{step} : {out}");
    table
}

fn total(sums: &Sums, annee: i64, compte: &str) -> (i64, i64) {
    sums.iter()
        .filter(|s| s.0 == annee && s.1 == compte)
        .fold((0, 0), |(d, c), s| (d + s.5, c + s.6))
}

#[test]
fn totals_follow_every_write_and_verifie_catches_a_tampered_one() {
    let sb = Sandbox::with_refs();
    sb.ok(&[
        "produit",
        "add",
        "--date",
        "2017-03-01",
        "--montant",
        "1500,00",
        "--compte",
        "741",
        "--libelle",
        "Subvention",
        "--tiers",
        "Ville de Villejuif",
        "--projet",
        "BP-PARIS",
    ]);
    sb.ok(&[
        "charge",
        "add",
        "--date",
        "2017-03-02",
        "--montant",
        "200,50",
        "--compte",
        "606",
        "--libelle",
        "Fournitures",
    ]);
    let s = assert_totals_match(&sb, "ajouts");
    assert_eq!(total(&s, 2017, "741"), (0, 1500_00));
    assert_eq!(total(&s, 2017, "606"), (200_50, 0));

    let csv = sb.file(
        "finances.csv",
        "date;type;montant;compte;libelle;tiers;projet\n\
         2017-04-01;produit;300,00;706;Prestation;;NET94\n\
         2017-04-02;charge;45,10;626;Téléphone;;\n\
         2018-01-15;produit;1000,00;741;Subvention 2018;Département du Val-de-Marne;NET94\n",
    );
    sb.ok(&["import", "finances", &csv]);
    let s = assert_totals_match(&sb, "import");
    assert_eq!(total(&s, 2018, "741"), (0, 1000_00));

    // A correction writes a reversal and the corrected entry; a cancellation a reversal.
    sb.ok(&["ecriture", "corrige", "2", "--montant", "210,50"]);
    sb.ok(&["ecriture", "annule", "3", "--motif", "erreur de saisie"]);
    let s = assert_totals_match(&sb, "correction et contrepassation");
    assert_eq!(total(&s, 2017, "606"), (200_50 + 210_50, 200_50));
    assert_eq!(total(&s, 2017, "706"), (300_00, 300_00));

    let fec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/fec/824137954FEC20171231.txt"
    );
    sb.ok(&["import", "fec", fec]);
    assert_totals_match(&sb, "import FEC");

    // Merges move entries to another partner or project.
    sb.ok(&[
        "partenaire",
        "fusionne",
        "Ville de Villejuif",
        "--dans",
        "Département du Val-de-Marne",
    ]);
    sb.ok(&["projet", "fusionne", "BP-PARIS", "--dans", "NET94"]);
    let s = assert_totals_match(&sb, "fusions");
    // BP-PARIS (project 2) and the Ville de Villejuif (partner 2) are gone from the sums;
    // the subsidy now counts for NET94 (1) and the Département (1).
    assert!(s.iter().all(|r| r.2 != 2 && r.3 != 2), "{s:?}");
    assert!(
        s.iter()
            .any(|r| (r.0, r.1.as_str(), r.2, r.3, r.6) == (2017, "741", 1, 1, 1500_00)),
        "{s:?}"
    );

    // bilan reads the sums: a figure only the table holds shows up in it.
    let bilan = sb.json(&["bilan", "2018"]);
    assert_eq!(bilan["total_produits"], "1000.00", "{bilan}");

    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    let changed = c
        .execute(
            "UPDATE totaux_compte SET credit = credit + 1 WHERE annee = 2018 AND compte = '741'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(c);
    let out = sb.ici(&["verifie"]).output().unwrap();
    expect_code(&out, 1, &["verifie"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        text.contains("totaux par année et par compte égaux aux lignes"),
        "{text}"
    );
    assert!(
        text.contains("totaux 2018, compte 741")
            && text.contains("la table des totaux dit débit 0, crédit 100001")
            && text.contains("les lignes disent débit 0, crédit 100000"),
        "{text}"
    );
    let bilan = sb.json(&["bilan", "2018"]);
    assert_eq!(bilan["total_produits"], "1000.01", "{bilan}");
}
