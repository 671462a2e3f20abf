//! The ledger's role among several (`ici init --role`), kept in its settings.

use crate::domain::role::Role;
use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

/// The ledger's role (`ici init --role`), if it has one.
pub fn role(conn: &Connection) -> Result<Option<Role>> {
    let stored: Option<String> = conn
        .query_row("SELECT valeur FROM parametre WHERE cle = 'role'", [], |r| {
            r.get(0)
        })
        .optional()?;
    stored.as_deref().map(Role::parse).transpose()
}

/// Records the ledger's role.
pub fn set_role(conn: &Connection, role: Role) -> Result<()> {
    conn.execute(
        "INSERT INTO parametre (cle, valeur) VALUES ('role', ?1)
         ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        [role.code()],
    )?;
    Ok(())
}
