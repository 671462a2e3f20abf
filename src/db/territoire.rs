//! The home territory in the ledger: its départements (a setting), and the
//! communes the ledger already names.

use crate::bail_user;
use crate::territory::{self, Home};
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

const KEY: &str = "territoire";

/// Checks a list of départements as typed (`94,93,75`, `94 93 75`, `2A`): each one
/// known, none twice; returns their codes in the order given.
pub fn parse_departements(input: &str) -> Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for part in input
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some(d) = territory::departement(part) else {
            bail_user!(
                "--territoire : « {part} » n'est pas un département : donnez des numéros de département séparés par des virgules, par exemple 94,93,75"
            );
        };
        if !codes.iter().any(|c| c == d.code) {
            codes.push(d.code.to_string());
        }
    }
    if codes.is_empty() {
        bail_user!(
            "--territoire : aucun département donné ; par exemple `ici territoire 94,93,75`"
        );
    }
    Ok(codes)
}

/// The home départements, in the order given (none when not set).
pub fn departements(conn: &Connection) -> Result<Vec<String>> {
    let value: Option<String> = conn
        .query_row("SELECT valeur FROM parametre WHERE cle = ?1", [KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(value
        .map(|v| v.split(',').map(String::from).collect())
        .unwrap_or_default())
}

/// Sets the home départements.
pub fn set_departements(conn: &Connection, codes: &[String]) -> Result<()> {
    conn.execute(
        "INSERT INTO parametre (cle, valeur) VALUES (?1, ?2)
         ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        params![KEY, codes.join(",")],
    )?;
    Ok(())
}

/// The home territory and the communes already used by sessions and as residences.
pub fn home(conn: &Connection) -> Result<Home> {
    // Each distinct code of sessions is found by one index search from the previous
    // one: a few dozen searches, not a scan of every session.
    let used: Vec<String> = conn
        .prepare(
            "WITH RECURSIVE used (code) AS (
                 SELECT min(code_insee) FROM session WHERE code_insee IS NOT NULL
                 UNION ALL
                 SELECT (SELECT min(code_insee) FROM session
                         WHERE code_insee IS NOT NULL AND code_insee > used.code)
                 FROM used WHERE used.code IS NOT NULL)
             SELECT code FROM used WHERE code IS NOT NULL
             UNION SELECT code_insee FROM participant WHERE code_insee IS NOT NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Home::new(&departements(conn)?, &used))
}
