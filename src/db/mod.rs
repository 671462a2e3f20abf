//! The ledger file: opening, creating, migrating, and write transactions.
//! All SQL lives in this module and its children; they speak in domain types.

pub mod activites;
pub mod association;
pub mod backup;
pub mod fec_export;
pub mod fec_stage;
pub mod finances;
pub mod financeurs;
pub mod gid;
pub mod journal;
pub mod livres;
pub mod lot;
pub mod participants;
pub mod rapport;
pub mod refs;
pub mod reports;
pub mod role;
pub mod sessions;
pub mod territoire;
pub mod tiers;
pub mod totaux;
pub mod verifie;

use crate::bail_user;
use crate::error::{is_system_failure, sqlite_fr, user};
use anyhow::{Context, Result, anyhow, bail};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

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
    include_str!("../../migrations/0010_vocabulaire.sql"),
    include_str!("../../migrations/0011_financeurs.sql"),
    include_str!("../../migrations/0012_identite_globale.sql"),
    include_str!("../../migrations/0013_totaux.sql"),
    include_str!("../../migrations/0014_association.sql"),
    include_str!("../../migrations/0015_rapport_textes.sql"),
    include_str!("../../migrations/0016_doublons_ecritures.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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
            if is_empty_file(path) {
                bail_user!(
                    "{} : le fichier existe et est vide : ce n'est pas un registre ; supprimez-le ou choisissez un autre chemin",
                    path.display()
                );
            }
            // Brought up to date when it may be written; a read-only one is reported as is.
            let mut ledger = Ledger::open_read(path)?;
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
        let created = (|| {
            let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            let mut ledger = Ledger::new(conn, Some(path))?;
            ledger.migrate()
        })();
        if let Err(e) = created {
            // An empty file left behind would be refused by every command: nothing was
            // in it, so it goes.
            let _ = std::fs::remove_file(path);
            return Err(fault(Some(path), e));
        }
        Ok(InitOutcome::Created)
    }

    /// Opens an existing ledger for writing, bringing its schema up to date.
    ///
    /// A file or folder without write access is refused before SQLite opens it: SQLite
    /// would fall back to reading and leave behind `-wal` and `-shm` files with the
    /// file's read-only mode, which would then block every later writer.
    pub fn open(path: &Path) -> Result<Ledger> {
        refuse_missing_or_empty(path)?;
        if !is_writable(path) {
            bail!(
                "le registre {} est en lecture seule : rien n'a été enregistré. Donnez-vous le droit d'écriture (chmod u+w {}), ou utilisez une commande de lecture (stats, bilan, list…)",
                path.display(),
                path.display()
            );
        }
        let dir = effective_dir(path.parent().unwrap_or(Path::new("")));
        if !is_writable(dir) {
            bail!(
                "le dossier {} n'est pas accessible en écriture : le registre {} ne peut pas y être modifié (SQLite y crée ses fichiers -wal et -shm) ; rien n'a été enregistré. Donnez le droit d'écriture sur le dossier, ou utilisez une commande de lecture (stats, bilan, list…)",
                dir.display(),
                path.display()
            );
        }
        Ledger::open_read_write(path).map_err(|e| fault(Some(path), e))
    }

    fn open_read_write(path: &Path) -> Result<Ledger> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let mut ledger = Ledger::new(conn, Some(path))?;
        ledger.migrate()?;
        lot::install_triggers(&ledger.conn)?;
        Ok(ledger)
    }

    /// Opens an existing ledger for reading only: nothing can be written through it.
    ///
    /// When the file and its folder are writable, the connection is an ordinary one
    /// made read-only by `PRAGMA query_only`: SQLite keeps its `-wal` and `-shm` files
    /// as for any other command (and removes them when the last one closes), readers
    /// see every committed write, and an older ledger is brought up to date first, as
    /// any command with write access would.
    ///
    /// When the file or its folder is not writable, nobody with these rights can be
    /// writing it: if no write-ahead log is pending, the whole ledger is in the main
    /// file and SQLite reads it as `immutable`, without the `-shm` it could not create.
    /// A pending log is read through SQLite's read-only mode, which needs its `-shm`
    /// readable. Such an open never migrates: an older ledger is refused with what to do.
    pub fn open_read(path: &Path) -> Result<Ledger> {
        refuse_missing_or_empty(path)?;
        if is_writable(path) && is_writable(effective_dir(path.parent().unwrap_or(Path::new("")))) {
            let ledger = Ledger::open_read_write(path).map_err(|e| fault(Some(path), e))?;
            ledger
                .conn
                .pragma_update(None, "query_only", true)
                .map_err(|e| fault(Some(path), e.into()))?;
            return Ok(ledger);
        }
        let wal_pending = std::fs::metadata(sidecar(path, "-wal")).is_ok_and(|m| m.len() > 0);
        let opened = if wal_pending {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        } else {
            Connection::open_with_flags(
                immutable_uri(path),
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        }
        .map_err(anyhow::Error::from)
        .and_then(|conn| Ledger::new(conn, Some(path)))
        .and_then(|ledger| Ok((ledger.version()?, ledger)));
        let (version, ledger) = opened.map_err(|e| {
            if wal_pending && !is_not_a_database(&e) {
                anyhow!(
                    "le registre {} a des écritures en attente dans son journal ({}) et ne peut pas être lu sans droit d'écriture : lancez une fois une commande ici avec le droit d'écrire sur le fichier et son dossier",
                    path.display(),
                    sidecar(path, "-wal").display()
                )
            } else {
                fault(Some(path), e)
            }
        })?;
        ledger.check_version(version)?;
        if version < SCHEMA_VERSION {
            bail!(
                "le registre {} a été écrit par une version antérieure d'ici (schéma {version}, celle-ci lit le schéma {SCHEMA_VERSION}) et n'est pas accessible en écriture : lancez une fois `ici verifie` (ou une commande qui écrit) avec le droit d'écrire sur le fichier et son dossier, pour le mettre à jour",
                path.display()
            );
        }
        Ok(ledger)
    }

    /// A throw-away ledger in memory, for `ici demo` and tests.
    pub fn in_memory() -> Result<Ledger> {
        let mut ledger = Ledger::new(Connection::open_in_memory()?, None)?;
        ledger.migrate()?;
        lot::install_triggers(&ledger.conn)?;
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
        self.conn.busy_timeout(crate::error::lock_wait())?;
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

    /// Refuses a file that is another SQLite database, or a ledger newer than this build.
    fn check_version(&self, current: i64) -> Result<()> {
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
        Ok(())
    }

    /// Refuses a ledger this build must not write, then brings the schema up to date.
    fn migrate(&mut self) -> Result<()> {
        let current = self.version()?;
        self.check_version(current)?;
        self.enable_wal()?;
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        // A migration may rebuild a table others point to (0012): foreign keys are
        // checked once, at the end, as SQLite's own procedure for it does.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let migrated = self.migrate_locked();
        self.conn.pragma_update(None, "foreign_keys", true)?;
        let current = migrated?;
        if current > 0 {
            self.migrated_from = Some(current);
        }
        Ok(())
    }

    /// Applies the missing migrations in one transaction; returns the version found.
    fn migrate_locked(&mut self) -> Result<i64> {
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
            // Years closed before digests were kept get one now, so that
            // `ici verifie` proves them unchanged from here on.
            if i + 1 == 6 {
                verifie::store_missing_digests(&tx)?;
            }
            // Rows recorded before global ids get theirs.
            if i + 1 == 12 {
                gid::backfill(&tx)?;
                lot::start_journal(&tx)?;
            }
        }
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            bail!("migration du registre : une référence de la table {table} ne mène nulle part");
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(current)
    }

    /// Runs `f` in one write transaction, taken at once so that concurrent writers queue
    /// behind the busy timeout instead of failing; nothing is kept if `f` fails.
    /// A failure of the file or the system (disk full, read-only, lock held too long…)
    /// is reported in French with the ledger's name.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let run = || -> Result<T> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run().map_err(|e| fault(path.as_deref(), e))
    }
}

/// Replaces a failure of the file or the system, anywhere in the chain, by its French
/// message naming the ledger (a user error for a file that is not a database); other
/// errors pass unchanged, to keep their context.
pub fn fault(path: Option<&Path>, e: anyhow::Error) -> anyhow::Error {
    let Some(r) = e
        .chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>())
        .filter(|r| is_system_failure(r))
    else {
        return e;
    };
    // SQLite reports a write refused for lack of room as an I/O error unless the
    // system said ENOSPC; the cause is looked for here, where the file is known.
    let msg = match path {
        Some(p)
            if r.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
                && no_room_to_write(p) =>
        {
            crate::error::disk_full_fr(&format!("le registre {}", p.display()))
        }
        _ => sqlite_fr(r, path),
    };
    if r.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
        user(msg)
    } else {
        anyhow!(msg)
    }
}

fn is_not_a_database(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<rusqlite::Error>()
            .is_some_and(|r| r.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase))
    })
}

/// A missing ledger, or an empty file where one should be, is a mistake in the path; a
/// ledger this user may not read is said so before SQLite tries.
fn refuse_missing_or_empty(path: &Path) -> Result<()> {
    if !path.exists() {
        bail_user!(
            "registre introuvable : {}\nCréez-le avec `ici init` (ou indiquez le bon fichier avec --ledger ou la variable ICI_LEDGER).",
            path.display()
        );
    }
    if path.is_file() && !is_readable(path) {
        bail!(
            "accès refusé : vous n'avez pas le droit de lire le registre {} ; vérifiez ses droits (chmod u+rw {})",
            path.display(),
            path.display()
        );
    }
    if is_empty_file(path) {
        bail_user!(
            "{} n'est pas un registre ici (le fichier est vide) : il n'a pas été modifié. Indiquez le bon fichier avec --ledger ; un fichier vide laissé là par erreur peut être supprimé.",
            path.display()
        );
    }
    Ok(())
}

fn is_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// `ledger.sqlite` → `ledger.sqlite-wal`.
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The folder a relative ledger path is in: `l.sqlite` is in `.`.
fn effective_dir(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// Whether this process may write the file or create files in the folder: the kernel's
/// own answer for the effective user (owner, group, capabilities, read-only mounts).
#[cfg(unix)]
fn is_writable(path: &Path) -> bool {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    accessat(CWD, path, Access::WRITE_OK, AtFlags::EACCESS).is_ok()
}

#[cfg(not(unix))]
fn is_writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Whether this process may read the file, asked the same way.
#[cfg(unix)]
fn is_readable(path: &Path) -> bool {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    accessat(CWD, path, Access::READ_OK, AtFlags::EACCESS).is_ok()
}

#[cfg(not(unix))]
fn is_readable(path: &Path) -> bool {
    std::fs::File::open(path).is_ok()
}

/// Whether a failed write can be for lack of room: a file-size limit on this process
/// (`ulimit -f`), or less than 1 MiB free where the ledger is.
#[cfg(unix)]
fn no_room_to_write(path: &Path) -> bool {
    use rustix::process::{Resource, getrlimit};
    if getrlimit(Resource::Fsize).current.is_some() {
        return true;
    }
    let dir = effective_dir(path.parent().unwrap_or(Path::new("")));
    rustix::fs::statvfs(dir).is_ok_and(|s| s.f_bavail.saturating_mul(s.f_frsize) < 1 << 20)
}

#[cfg(not(unix))]
fn no_room_to_write(_path: &Path) -> bool {
    false
}

/// `file:` URI opening the ledger as immutable (no locks, no `-shm`). SQLite's URI syntax
/// reserves `%`, `?` and `#`; they are percent-encoded. Hand-written: three characters do
/// not justify a URL crate.
fn immutable_uri(path: &Path) -> String {
    let raw = path.to_string_lossy();
    let mut uri = String::from("file:");
    for c in raw.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    uri
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

    #[test]
    fn immutable_uri_escapes_what_sqlite_reserves() {
        assert_eq!(
            immutable_uri(Path::new("/a b/100%?#/l.sqlite")),
            "file:/a b/100%25%3f%23/l.sqlite?immutable=1"
        );
    }

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
