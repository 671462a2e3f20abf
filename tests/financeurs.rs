//! What funders ask for: funder types, agreements, budgets, allocation of shared
//! costs and the compte rendu financier (Cerfa 15059), through the real binary.

mod common;

use common::Sandbox;
use serde_json::json;

#[test]
fn partners_carry_a_funder_type_in_list_csv_and_json() {
    let sb = Sandbox::with_refs();
    let out = sb.ok(&["partenaire", "add", "Fondation Cetelem", "--type", "prive"]);
    assert_eq!(
        out,
        "Partenaire « Fondation Cetelem » ajouté (financeur : Aides privées).\n"
    );
    let out = sb.ok(&[
        "partenaire",
        "corrige",
        "département du val-de-marne",
        "--type",
        "departement",
    ]);
    assert_eq!(
        out,
        "Partenaire « Département du Val-de-Marne » : type de financeur departement (avant : aucun).\n"
    );
    let list = sb.json(&["partenaire", "list"]);
    let types: Vec<(String, serde_json::Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["nom"].as_str().unwrap().to_string(), p["type"].clone()))
        .collect();
    assert_eq!(
        types,
        vec![
            ("Département du Val-de-Marne".into(), json!("departement")),
            ("Fondation Cetelem".into(), json!("prive")),
            ("Pôle emploi Cachan".into(), json!(null)),
            ("Ville de Villejuif".into(), json!(null)),
        ]
    );
    let csv = sb.ok(&["partenaire", "list", "--format", "csv"]);
    assert!(csv.starts_with("partenaire,type\n"), "{csv}");
    assert!(csv.contains("Fondation Cetelem,prive\n"), "{csv}");
    // A type that is not a Cerfa line is refused, the ledger unchanged.
    let err = sb.refused(
        &[
            "partenaire",
            "corrige",
            "Ville de Villejuif",
            "--type",
            "mairie",
        ],
        2,
    );
    assert!(err.contains("mairie") && err.contains("commune"), "{err}");
    // An import reads the optional type column; the one-column form still works.
    let f = sb.file(
        "p.csv",
        "nom;type\nVille de Romainville;Commune\nMEIFE 93;\n",
    );
    sb.ok(&["import", "partenaires", &f]);
    let f = sb.file("q.csv", "nom\nCNAM\n");
    sb.ok(&["import", "partenaires", &f]);
    let list = sb.json(&["partenaire", "list"]);
    let romainville = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nom"] == "Ville de Romainville")
        .unwrap();
    assert_eq!(romainville["type"], json!("commune"));
    let f = sb.file("r.csv", "nom;type\nCAF 94;caisse\n");
    let err = sb.refused(&["import", "partenaires", &f], 2);
    assert!(
        err.contains("ligne 2") && err.contains("caisse") && err.contains("organisme-social"),
        "{err}"
    );
}
