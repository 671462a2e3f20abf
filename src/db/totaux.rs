//! The books' yearly sums (`totaux_compte`, migration 0013), kept by triggers in the
//! same transaction as every write: what `bilan` reads instead of a year of lines, and
//! the check `ici verifie` makes of them against the lines.

use crate::db::reports::Perimetre;
use crate::domain::bilan::Solde;
use anyhow::Result;
use rusqlite::{Connection, params};

/// Like [`crate::db::reports::soldes`], from the yearly sums: balances of the year by
/// account for classes 6, 7, 8 and loans (16); subsidies (74) and loans split by tiers.
pub fn soldes(conn: &Connection, annee: i32, perimetre: Perimetre) -> Result<Vec<Solde>> {
    let (all, projet, sans) = match perimetre {
        Perimetre::Tout => (true, 0, false),
        Perimetre::Projet(id) => (false, id, false),
        Perimetre::SansProjet => (false, 0, true),
    };
    let mut st = conn.prepare_cached(
        "SELECT g.compte, coalesce(lt.nom, t.nom), g.debit, g.credit
         FROM (SELECT compte,
                      CASE WHEN substr(compte, 1, 2) IN ('74', '16') THEN nullif(tiers_id, 0) END
                          AS tiers_id,
                      CASE WHEN substr(compte, 1, 2) IN ('74', '16') THEN nullif(ligne_tiers_id, 0) END
                          AS ligne_tiers,
                      sum(debit) AS debit, sum(credit) AS credit
               FROM totaux_compte
               WHERE annee = ?1
                 AND (substr(compte, 1, 1) IN ('6', '7', '8') OR substr(compte, 1, 2) = '16')
                 AND (?2 OR (NOT ?4 AND projet_id = ?3) OR (?4 AND projet_id = 0))
               GROUP BY 1, 2, 3) g
         LEFT JOIN partenaire t ON t.id = g.tiers_id
         LEFT JOIN tiers lt ON lt.id = g.ligne_tiers
         ORDER BY g.compte, coalesce(lt.nom, t.nom)",
    )?;
    let rows = st.query_map(params![annee, all, projet, sans], |r| {
        Ok(Solde {
            compte: r.get(0)?,
            tiers: r.get(1)?,
            debit: r.get(2)?,
            credit: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The keys whose sums differ between `totaux_compte` and the lines themselves, each
/// told in French: what the table says and what the lines say.
pub fn ecarts(conn: &Connection) -> Result<Vec<String>> {
    let detail = "SELECT CAST(substr(e.date, 1, 4) AS INTEGER) AS annee, l.compte AS compte,
                         coalesce(e.projet_id, 0) AS projet_id, coalesce(e.tiers_id, 0) AS tiers_id,
                         coalesce(d.tiers_id, 0) AS ligne_tiers_id, sum(l.debit) AS debit,
                         sum(l.credit) AS credit, count(*) AS lignes
                  FROM ligne l NOT INDEXED JOIN ecriture e ON e.id = l.ecriture_id
                  LEFT JOIN ligne_detail d ON d.ligne_id = l.id
                  GROUP BY 1, 2, 3, 4, 5";
    let sums = "SELECT annee, compte, projet_id, tiers_id, ligne_tiers_id, debit, credit, lignes
                FROM totaux_compte";
    let sql = format!(
        "SELECT 'table', * FROM ({sums} EXCEPT {detail})
         UNION ALL
         SELECT 'lignes', * FROM ({detail} EXCEPT {sums})
         ORDER BY 2, 3, 4, 5, 6, 1 DESC"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map([], |r| {
        let (source, annee, compte): (String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (debit, credit, lignes): (i64, i64, i64) = (r.get(6)?, r.get(7)?, r.get(8)?);
        let qui = match source.as_str() {
            "table" => "la table des totaux dit",
            _ => "les lignes disent",
        };
        Ok(format!(
            "totaux {annee}, compte {compte} (projet {}, tiers {}, tiers de ligne {}) : {qui} \
             débit {debit}, crédit {credit} en centimes, {lignes} ligne(s)",
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
