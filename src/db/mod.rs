//! The ledger file: opening, creating, migrating, and write transactions.
//! All SQL lives in this module and its children; they speak in domain types.

pub mod backup;
pub mod fec_export;
pub mod fec_stage;
pub mod finances;
pub mod journal;
pub mod livres;
pub mod participants;
pub mod refs;
pub mod reports;
pub mod sessions;
pub mod territoire;
pub mod tiers;

use crate::bail_user;
use anyhow::{Context, Result, bail};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Numbered migrations, applied in order; `PRAGMA user_version` is the number applied.
/// Each file only adds, and says why in its first lines. `schema.sql` is their sum.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_initial.sql"),
    include_str!("../../migrations/0002_communes_insee.sql"),
    include_str!("../../migrations/0003_comptabilite.sql"),
    include_str!("../../migrations/0004_participants.sql"),
    include_str!("../../migrations/0005_imports.sql"),
    include_str!("../../migrations/0006_surete.sql"),
    include_str!("../../migrations/0007_doublons_territoire.sql"),
    include_str!("../../migrations/0008_historique_sessions.sql"),
    include_str!("../../migrations/0009_tiers_journaux.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Ledger {
    conn: Connection,
    path: Option<PathBuf>,
    /// What the last migration has to tell the user (communes it could not resolve).
    notes: Vec<String>,
    /// The schema version found on opening, when a migration ran.
    migrated_from: Option<i64>,
}

/// What `ici init` found.
pub enum InitOutcome {
    Created,
    /// The ledger was there; `migrated_from` is its schema before this opening
    /// brought it up to date, if it did.
    AlreadyThere {
        version: i64,
        migrated_from: Option<i64>,
        notes: Vec<String>,
    },
}

impl Ledger {
    /// Creates the ledger file with owner-only permissions (it holds personal data),
    /// or leaves an existing one untouched.
    pub fn init(path: &Path) -> Result<InitOutcome> {
        if path.exists() {
            let mut ledger = Ledger::open(path)?;
            return Ok(InitOutcome::AlreadyThere {
                version: ledger.version()?,
                migrated_from: ledger.migrated_from,
                notes: ledger.take_notes(),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        create_private_file(path)?;
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .with_context(|| format!("ouverture du registre {}", path.display()))?;
        let mut ledger = Ledger::new(conn, Some(path))?;
        ledger.migrate()?;
        Ok(InitOutcome::Created)
    }

    /// Opens an existing ledger, bringing its schema up to date.
    pub fn open(path: &Path) -> Result<Ledger> {
        if !path.exists() {
            bail_user!(
                "registre introuvable : {}\nCréez-le avec `ici init` (ou indiquez le bon fichier avec --ledger ou la variable ICI_LEDGER).",
                path.display()
            );
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("ouverture du registre {}", path.display()))?;
        let mut ledger = Ledger::new(conn, Some(path))?;
        ledger.migrate().map_err(|e| not_a_ledger(path, e))?;
        Ok(ledger)
    }

    /// A throw-away ledger in memory, for `ici demo` and tests.
    pub fn in_memory() -> Result<Ledger> {
        let mut ledger = Ledger::new(Connection::open_in_memory()?, None)?;
        ledger.migrate()?;
        Ok(ledger)
    }

    fn new(conn: Connection, path: Option<&Path>) -> Result<Ledger> {
        let mut ledger = Ledger {
            conn,
            path: path.map(Path::to_path_buf),
            notes: Vec::new(),
            migrated_from: None,
        };
        ledger.configure()?;
        Ok(ledger)
    }

    /// Messages for the user left by opening the ledger (a migration's report).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Connection settings; nothing here writes to the file.
    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Deleted personal data is overwritten, not left in free pages.
        self.conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = NORMAL;",
        )?;
        Ok(())
    }

    /// WAL lets readers work while a trainer writes; the mode is stored in the file,
    /// so it is set only once the file is known to be a ledger this build may write.
    fn enable_wal(&mut self) -> Result<()> {
        if self.path.is_none() {
            return Ok(());
        }
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            bail!("le registre n'a pas pu passer en journal WAL (mode {mode})");
        }
        Ok(())
    }

    pub fn version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Refuses a ledger this build must not write, then brings the schema up to date.
    fn migrate(&mut self) -> Result<()> {
        let current = self.version()?;
        if current > SCHEMA_VERSION {
            bail!(
                "ce registre a été écrit par une version plus récente d'ici (schéma {current}, cette version connaît le schéma {SCHEMA_VERSION}) : il n'est pas modifié. Mettez ici à jour pour l'utiliser."
            );
        }
        if current == 0 {
            let objects: i64 =
                self.conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            if objects > 0 {
                let path = self.path.as_deref().unwrap_or(Path::new(":memory:"));
                bail_user!(
                    "{} n'est pas un registre ici (c'est une autre base SQLite) : il n'est pas modifié. Indiquez le bon fichier avec --ledger, ou un nouveau chemin pour `ici init`.",
                    path.display()
                );
            }
        }
        self.enable_wal()?;
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            tx.execute_batch(sql)
                .with_context(|| format!("migration {} du registre", i + 1))?;
            if i + 1 == 2 {
                let unresolved = sessions::resolve_typed_communes(&tx)?;
                if !unresolved.is_empty() {
                    self.notes.push(unresolved_report(&unresolved));
                }
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        if current > 0 {
            self.migrated_from = Some(current);
        }
        Ok(())
    }

    /// Runs `f` in one write transaction, taken at once so that concurrent writers queue
    /// behind the busy timeout instead of failing; nothing is kept if `f` fails.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// SQLite's « file is not a database » in words a user can act on.
fn not_a_ledger(path: &Path, e: anyhow::Error) -> anyhow::Error {
    let not_db = e.chain().any(|c| {
        c.downcast_ref::<rusqlite::Error>()
            .is_some_and(|r| r.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase))
    });
    if not_db {
        crate::error::user(format!(
            "{} n'est pas un registre ici (ce n'est pas une base SQLite) : il n'a pas été modifié. Indiquez le bon fichier avec --ledger.",
            path.display()
        ))
    } else {
        e
    }
}

/// The migration's report on communes it could not resolve.
fn unresolved_report(unresolved: &[(String, i64)]) -> String {
    let list: Vec<String> = unresolved
        .iter()
        .map(|(nom, n)| format!("  « {nom} » : {n} session(s)"))
        .collect();
    format!(
        "Mise à jour du registre : les communes ont été reconnues par leur code INSEE, sauf celles-ci, gardées telles que saisies :\n{}\nLa liste des sessions concernées : `ici session list --commune-inconnue` ; pour corriger : `ici session corrige N --commune …`.",
        list.join("\n")
    )
}

/// The current time, as stored in `cree_le` columns.
pub fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("création du registre {}", path.display()))?;
    Ok(())
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("création du registre {}", path.display()))?;
    Ok(())
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("création du dossier {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("création du dossier {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema.sql` must describe exactly what the migrations build.
    #[test]
    fn schema_sql_is_the_sum_of_the_migrations() {
        let migrated = Ledger::in_memory().unwrap();
        let fresh = Connection::open_in_memory().unwrap();
        fresh
            .execute_batch(include_str!("../../schema.sql"))
            .unwrap();
        let dump = |c: &Connection| -> Vec<(String, String)> {
            let mut st = c
                .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
                .unwrap();
            // A table rebuilt by a migration is stored renamed, with its name quoted, and
            // a column added by ALTER TABLE is spliced in with its own spacing: compare
            // the statements without quotes and white space.
            let normalise = |sql: String| -> String {
                sql.chars()
                    .filter(|c| *c != '"' && !c.is_whitespace())
                    .collect()
            };
            st.query_map([], |r| Ok((r.get(0)?, normalise(r.get(1)?))))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(dump(migrated.conn()), dump(&fresh));
    }
}
