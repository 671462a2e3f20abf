//! What funders ask for: funder types, grant agreements, budgets, the analytic
//! allocation of entries and shared costs, and the explanations of a compte rendu.

pub mod analytique;
pub mod budget;
pub mod conventions;

use crate::domain::date::year_bounds;
use crate::domain::financeur::TypeFinanceur;
use anyhow::Result;
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// The year's subsidies (class 74, credit minus debit) per funder type. A line's funder
/// is the partner of its tiers (the tiers of the line, else the entry's); a line whose
/// funder is unknown or has no type is counted under `None`. Types without a subsidy
/// are left out; the order is the form's.
pub fn produits_par_type(
    conn: &Connection,
    annee: i32,
) -> Result<Vec<(Option<TypeFinanceur>, i64)>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare_cached(
        "SELECT p.type_financeur, sum(l.credit - l.debit)
         FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
         LEFT JOIN ligne_detail d ON d.ligne_id = l.id
         LEFT JOIN tiers t ON t.id = d.tiers_id
         LEFT JOIN partenaire p ON p.id = coalesce(t.partenaire_id, e.tiers_id)
         WHERE e.date >= ?1 AND e.date < ?2 AND substr(l.compte, 1, 2) = '74'
         GROUP BY p.type_financeur",
    )?;
    let mut out: Vec<(Option<TypeFinanceur>, i64)> = st
        .query_map(params![start, end], |r| {
            let code: Option<String> = r.get(0)?;
            Ok((
                code.as_deref().and_then(TypeFinanceur::from_code),
                r.get(1)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    out.retain(|(_, cents)| *cents != 0);
    // None (unknown) last.
    out.sort_by_key(|(t, _)| (t.is_none(), *t));
    Ok(out)
}

/// Every partner's funder type, by name.
pub fn types_financeurs(conn: &Connection) -> Result<BTreeMap<String, Option<TypeFinanceur>>> {
    let mut st = conn.prepare_cached("SELECT nom, type_financeur FROM partenaire")?;
    let rows = st.query_map([], |r| {
        let code: Option<String> = r.get(1)?;
        Ok((
            r.get::<_, String>(0)?,
            code.as_deref().and_then(TypeFinanceur::from_code),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The partners named on a project's sessions of the year.
pub fn partenaires_du_projet(conn: &Connection, annee: i32, projet: &str) -> Result<Vec<String>> {
    let (start, end) = year_bounds(annee);
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT p.nom FROM session s JOIN partenaire p ON p.id = s.partenaire_id
         JOIN projet j ON j.id = s.projet_id
         WHERE j.nom = ?3 AND s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL
         ORDER BY p.nom",
    )?;
    let rows = st.query_map(params![start, end, projet], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first and last dates of a project's sessions in the year.
pub fn periode_sessions(
    conn: &Connection,
    annee: i32,
    projet: &str,
) -> Result<Option<(String, String)>> {
    let (start, end) = year_bounds(annee);
    let (a, b): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(s.date), max(s.date) FROM session s JOIN projet j ON j.id = s.projet_id
         WHERE j.nom = ?3 AND s.date >= ?1 AND s.date < ?2 AND s.annulee_le IS NULL",
        params![start, end, projet],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(a.zip(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Ledger;

    #[test]
    fn subsidies_are_summed_per_funder_type_of_the_entry_tiers() {
        let ledger = Ledger::in_memory().unwrap();
        let c = ledger.conn();
        c.execute_batch(
            "INSERT INTO partenaire (id, nom, cree_le, type_financeur) VALUES
                 (1, 'Département', '2017-01-01', 'departement'),
                 (2, 'Fondation', '2017-01-01', 'prive'),
                 (3, 'Sans type', '2017-01-01', NULL);
             INSERT INTO ecriture (id, date, libelle, tiers_id, cree_le)
                 VALUES (1, '2017-03-01', 'a', 1, '2017-03-01');
             INSERT INTO ligne (ecriture_id, compte, debit, credit)
                 VALUES (1, '512', 100000, 0), (1, '7413', 0, 100000);
             INSERT INTO ecriture (id, date, libelle, tiers_id, cree_le)
                 VALUES (2, '2017-04-01', 'b', 1, '2017-04-01');
             INSERT INTO ligne (ecriture_id, compte, debit, credit)
                 VALUES (2, '512', 40000, 0), (2, '7413', 0, 40000);
             INSERT INTO ecriture (id, date, libelle, tiers_id, cree_le)
                 VALUES (3, '2017-05-01', 'c', 2, '2017-05-01');
             INSERT INTO ligne (ecriture_id, compte, debit, credit)
                 VALUES (3, '512', 50000, 0), (3, '7418', 0, 50000);
             INSERT INTO ecriture (id, date, libelle, tiers_id, cree_le)
                 VALUES (4, '2017-06-01', 'd', 3, '2017-06-01');
             INSERT INTO ligne (ecriture_id, compte, debit, credit)
                 VALUES (4, '512', 700, 0), (4, '74', 0, 700);
             INSERT INTO ecriture (id, date, libelle, tiers_id, cree_le)
                 VALUES (5, '2018-01-10', 'e', 1, '2018-01-10');
             INSERT INTO ligne (ecriture_id, compte, debit, credit)
                 VALUES (5, '512', 999, 0), (5, '7413', 0, 999);",
        )
        .unwrap();
        assert_eq!(
            produits_par_type(c, 2017).unwrap(),
            vec![
                (Some(TypeFinanceur::Departement), 140000),
                (Some(TypeFinanceur::Prive), 50000),
                (None, 700),
            ]
        );
    }
}
