//! Every file `ici` writes — exports, the FEC, backups — goes through here.
//!
//! A file is written to a temporary file in its destination's folder (owner-only,
//! 0600), flushed and synced to disk, then renamed into place: a failure (full disk,
//! file-size limit, interrupted run) leaves neither a partial file nor the temporary
//! one, and a file being replaced stays whole until the new one is complete. What must
//! never be written over is refused before anything is written: the ledger and its
//! `-wal`, `-shm` and `-journal` files, any SQLite database, a symbolic link (never
//! followed, dangling or not), anything that is not a plain file.

use crate::error::user;
use anyhow::Result;
use std::fs::File;
use std::io::{self, BufWriter, ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};
use tempfile::NamedTempFile;

/// What to do when the destination already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it by a new 0600 file: the old file's permissions are not kept.
    Replace,
    /// Leave it and write nothing (the FEC: the accountant's file has the same name);
    /// the text says what the existing file may be.
    Keep(&'static str),
}

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// The files SQLite keeps beside a database.
const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// A destination that passed the checks: not the ledger, not a database, not a link.
#[derive(Debug, Clone)]
pub struct Dest {
    /// As the user typed it, for messages.
    path: PathBuf,
    /// Its folder resolved, for the export log and the temporary file.
    absolute: PathBuf,
    existing: Existing,
    /// The option the user gave it with, named in messages (`-o`, `--ecrire`…).
    option: &'static str,
}

impl Dest {
    /// The destination as typed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The destination with its folder resolved: what the export log records.
    pub fn absolute(&self) -> &Path {
        &self.absolute
    }

    fn dir(&self) -> &Path {
        self.absolute
            .parent()
            .expect("an absolute file path has a folder")
    }
}

/// Checks that `dest` may be written, `ledger` being the ledger in use; the
/// messages tell the user to give another file with `-o`.
pub fn check(dest: &Path, ledger: &Path, existing: Existing) -> Result<Dest> {
    check_for(dest, ledger, existing, "-o")
}

/// [`check`] for a destination given by another option (`--codes`, `--ecrire`…),
/// named in the messages so that the user knows what to change.
pub fn check_for(
    dest: &Path,
    ledger: &Path,
    existing: Existing,
    option: &'static str,
) -> Result<Dest> {
    let shown = dest.display();
    let Some(name) = dest.file_name() else {
        crate::bail_user!(
            "« {shown} » n'est pas un nom de fichier : indiquez un fichier avec {option}, par exemple {option} export.csv"
        );
    };
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(parent).map_err(|e| folder_error(dest, parent, &e, option))?;
    if !dir.is_dir() {
        crate::bail_user!(
            "{} n'est pas un dossier : rien n'a été écrit. Indiquez un chemin valide avec {option}.",
            parent.display()
        );
    }
    let absolute = dir.join(name);

    let meta = match std::fs::symlink_metadata(&absolute) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(folder_error(dest, parent, &e, option)),
    };
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        crate::bail_user!(
            "{shown} est un lien symbolique : ici n'écrit jamais à travers un lien, qui pourrait viser le registre ou le fichier de quelqu'un d'autre. Rien n'a été écrit ; indiquez un fichier ordinaire avec {option}."
        );
    }
    if let Some(which) = ledger_file(&absolute, ledger) {
        crate::bail_user!(
            "{shown} est {which} : l'écrire détruirait vos données. Rien n'a été écrit ; choisissez un autre nom avec {option}."
        );
    }
    if let Some(meta) = meta {
        if meta.is_dir() {
            crate::bail_user!(
                "{shown} est un dossier : rien n'a été écrit. Indiquez un nom de fichier avec {option}, par exemple {option} {}.",
                dest.join("export.csv").display()
            );
        }
        if !meta.is_file() {
            crate::bail_user!(
                "{shown} n'est pas un fichier ordinaire (périphérique, tube…) : rien n'a été écrit. Indiquez un fichier avec {option}."
            );
        }
        if is_sqlite(&absolute).map_err(|e| folder_error(dest, dest, &e, option))? {
            crate::bail_user!(
                "{shown} est une base SQLite (un registre ou une sauvegarde, peut-être) : ici ne l'écrase pas. Rien n'a été écrit ; choisissez un autre nom avec {option}."
            );
        }
        if let Existing::Keep(what) = existing {
            return Err(already_there(dest, what, option));
        }
    }
    Ok(Dest {
        path: dest.to_path_buf(),
        absolute,
        existing,
        option,
    })
}

/// Which of the ledger's files `dest` is, if it is one: by name (the file may not
/// exist yet: a stray `-wal` would be replayed into the ledger) or as the same file
/// under another name (a hard link).
fn ledger_file(dest: &Path, ledger: &Path) -> Option<&'static str> {
    let ledger_paths: Vec<PathBuf> = [
        std::fs::canonicalize(ledger).ok(),
        ledger
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .and_then(|p| std::fs::canonicalize(p).ok())
            .zip(ledger.file_name())
            .map(|(dir, name)| dir.join(name)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let with_suffix = |p: &Path, suffix: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    let same = |p: &Path| p == dest || same_inode(p, dest);
    for main in &ledger_paths {
        if same(main) {
            return Some("le registre lui-même");
        }
        for suffix in COMPANIONS {
            if same(&with_suffix(main, suffix)) {
                return Some(match suffix {
                    "-wal" => "le journal du registre (-wal)",
                    "-shm" => "l'index du journal du registre (-shm)",
                    _ => "le journal de transaction du registre (-journal)",
                });
            }
        }
    }
    None
}

/// Whether two paths name the same file, from their metadata only. Opening the
/// ledger's files here would be harmful: closing any descriptor of a file releases
/// every POSIX lock this process holds on it, SQLite's included, and other `ici`
/// processes would then take the open ledger for unused and reset its log under it.
#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without inode numbers, a hard link under another name goes unnoticed; the
/// ledger's own files are still recognised by name, and any database by its header.
#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

fn is_sqlite(path: &Path) -> io::Result<bool> {
    let mut head = [0u8; 16];
    let mut file = File::open(path)?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..])? {
            0 => return Ok(false),
            n => read += n,
        }
    }
    Ok(&head == SQLITE_MAGIC)
}

/// A file being written: a temporary file in the destination's folder until
/// [`Pending::commit`] renames it into place. Dropped before that, it leaves nothing.
pub struct Pending {
    dest: Dest,
    tmp: Option<NamedTempFile>,
    /// The temporary file's name, kept after the rename to be struck off the list.
    temp: PathBuf,
}

impl Pending {
    /// Creates the temporary file, 0600 (`tempfile` creates it so, and the rename keeps
    /// it: a replaced file's permissions are not carried over).
    pub fn create(dest: &Dest) -> Result<Pending> {
        let prefix = format!(
            ".{}.",
            dest.absolute.file_name().unwrap_or_default().display()
        );
        // Noted as in progress before an interrupt can see it exist.
        let mut in_progress = interruptible();
        let tmp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(dest.dir())
            .map_err(|e| create_error(dest, &e))?;
        in_progress.push(tmp.path().to_path_buf());
        Ok(Pending {
            dest: dest.clone(),
            temp: tmp.path().to_path_buf(),
            tmp: Some(tmp),
        })
    }

    /// The temporary file's path, for a writer that opens files itself (SQLite).
    pub fn temp_path(&self) -> &Path {
        self.tmp.as_ref().expect("not yet committed").path()
    }

    fn file(&self) -> &File {
        self.tmp.as_ref().expect("not yet committed").as_file()
    }

    /// Syncs the file to disk, renames it into place, syncs the folder; returns the
    /// file's size. Under [`Existing::Keep`] a file that appeared meanwhile is kept.
    pub fn commit(mut self) -> Result<u64> {
        let tmp = self.tmp.take().expect("committed once");
        let size = tmp
            .as_file()
            .sync_all()
            .and_then(|()| tmp.as_file().metadata())
            .map_err(|e| write_error(&self.dest, e.kind(), e.raw_os_error()))?
            .len();
        let persisted = match self.dest.existing {
            Existing::Replace => tmp.persist(&self.dest.absolute),
            Existing::Keep(_) => tmp.persist_noclobber(&self.dest.absolute),
        };
        // rename(2) replaces whatever is at the destination by this file and never
        // follows a link put there since the checks: no other file can be written.
        if let Err(e) = persisted {
            return Err(match self.dest.existing {
                Existing::Keep(what) if e.error.kind() == ErrorKind::AlreadyExists => {
                    already_there(&self.dest.path, what, self.dest.option)
                }
                _ => write_error(&self.dest, e.error.kind(), e.error.raw_os_error()),
            });
        }
        // The rename is durable once the folder itself is on disk; a folder that cannot
        // be opened for that (some network shares) still holds the complete file.
        if let Ok(dir) = File::open(self.dest.dir()) {
            let _ = dir.sync_all();
        }
        Ok(size)
    }
}

impl Drop for Pending {
    /// SQLite may leave its own files beside the temporary one when a backup fails.
    fn drop(&mut self) {
        remove_companions(&self.temp);
        untrack(&self.temp);
    }
}

fn remove_companions(path: &Path) {
    for suffix in COMPANIONS {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// The temporary files being written. An interrupt (Ctrl-C, `kill`, the terminal
/// closing) ends the process without running any destructor: its handler removes
/// them first. It is installed with the first file, so commands that write none keep
/// the default behaviour.
static IN_PROGRESS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Installs the interrupt handler once, and holds the list of files in progress.
fn interruptible() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static HANDLER: Once = Once::new();
    HANDLER.call_once(|| {
        // Should it fail to install, an interrupt behaves as before: a hidden
        // temporary file may be left, never a partial file under the real name.
        let _ = ctrlc::set_handler(|| {
            let files = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
            for f in files.iter() {
                let _ = std::fs::remove_file(f);
                remove_companions(f);
            }
            if files.is_empty() {
                eprintln!("interrompu.");
            } else {
                eprintln!("interrompu : rien n'a été écrit.");
            }
            std::process::exit(130);
        });
    });
    IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner())
}

fn untrack(path: &Path) {
    let mut files = IN_PROGRESS.lock().unwrap_or_else(|e| e.into_inner());
    files.retain(|f| f != path);
}

/// Writes `dest` safely with what `f` writes.
pub fn write_file<T>(dest: &Dest, f: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let pending = Pending::create(dest)?;
    let mut w = Recorder {
        inner: BufWriter::with_capacity(64 * 1024, pending.file()),
        failure: None,
    };
    let written = f(&mut w).and_then(|v| {
        w.flush()?;
        Ok(v)
    });
    let failure = w.failure.take();
    drop(w);
    let value = match (written, failure) {
        (Ok(v), _) => v,
        // The writer's own words would be English OS text: say it in French.
        (Err(_), Some((kind, raw))) => return Err(write_error(dest, kind, raw)),
        (Err(e), None) => return Err(e),
    };
    pending.commit()?;
    Ok(value)
}

/// Standard output, or the file `dest` written safely.
pub fn write_to<T>(
    dest: Option<&Dest>,
    out: &mut dyn Write,
    f: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    match dest {
        Some(dest) => write_file(dest, f),
        None => {
            let value = f(&mut *out)?;
            out.flush()?;
            Ok(value)
        }
    }
}

/// Where a report goes as it is computed: standard output, or a file written safely.
/// [`Sink::finish`] puts the file in place once everything is written; dropped
/// before (an error on the way), it leaves nothing.
pub enum Sink<'a> {
    Stdout(&'a mut dyn Write),
    File(Box<FileSink>),
}

/// The file side of a [`Sink`]. Fields drop in order: the buffer goes into the
/// temporary file, which is then removed.
pub struct FileSink {
    w: BufWriter<File>,
    dest: Dest,
    pending: Pending,
}

impl FileSink {
    /// The failure in French, kept an I/O error so that whatever wraps it shows it.
    fn french(&self, e: io::Error) -> io::Error {
        let msg = format!("{:#}", write_error(&self.dest, e.kind(), e.raw_os_error()));
        io::Error::new(e.kind(), msg)
    }
}

impl<'a> Sink<'a> {
    pub fn new(dest: Option<&Dest>, stdout: &'a mut dyn Write) -> Result<Sink<'a>> {
        let Some(dest) = dest else {
            return Ok(Sink::Stdout(stdout));
        };
        let pending = Pending::create(dest)?;
        let file = pending
            .file()
            .try_clone()
            .map_err(|e| write_error(dest, e.kind(), e.raw_os_error()))?;
        Ok(Sink::File(Box::new(FileSink {
            w: BufWriter::with_capacity(64 * 1024, file),
            dest: dest.clone(),
            pending,
        })))
    }

    /// Flushes; a file is then synced and renamed into place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(out) => Ok(out.flush()?),
            Sink::File(f) => {
                let FileSink {
                    mut w,
                    dest,
                    pending,
                } = *f;
                w.flush()
                    .map_err(|e| write_error(&dest, e.kind(), e.raw_os_error()))?;
                drop(w);
                pending.commit()?;
                Ok(())
            }
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(f) => f.w.write(buf).map_err(|e| f.french(e)),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(f) => f.w.flush().map_err(|e| f.french(e)),
        }
    }
}

/// A writer that remembers the first I/O failure, whatever wraps it on the way up.
struct Recorder<W: Write> {
    inner: W,
    failure: Option<(ErrorKind, Option<i32>)>,
}

impl<W: Write> Recorder<W> {
    fn record<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            self.failure.get_or_insert((e.kind(), e.raw_os_error()));
        }
        r
    }
}

impl<W: Write> Write for Recorder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.record(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.record(r)
    }
}

/// The refusal to write over an existing file kept under [`Existing::Keep`].
fn already_there(dest: &Path, what: &str, option: &str) -> anyhow::Error {
    user(format!(
        "{} existe déjà ({what}) : rien n'a été écrit. Choisissez un autre dossier ou nom avec {option}.",
        dest.display()
    ))
}

/// A folder that cannot be used for `dest`: the user chose it, so exit 2.
fn folder_error(dest: &Path, path: &Path, e: &io::Error, option: &str) -> anyhow::Error {
    let what = match e.kind() {
        ErrorKind::NotFound => {
            format!(
                "ce dossier n'existe pas ; créez-le ou choisissez un autre chemin avec {option}"
            )
        }
        ErrorKind::PermissionDenied => {
            format!(
                "accès refusé ; choisissez avec {option} un dossier où vous avez le droit d'écrire"
            )
        }
        ErrorKind::NotADirectory => {
            "un élément du chemin n'est pas un dossier ; vérifiez le chemin".into()
        }
        kind => system(kind, e.raw_os_error()),
    };
    user(format!(
        "{} : création impossible : {} : {what}. Rien n'a été écrit.",
        dest.display(),
        path.display()
    ))
}

/// The temporary file could not be created in the destination's folder.
fn create_error(dest: &Dest, e: &io::Error) -> anyhow::Error {
    match e.kind() {
        ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::NotADirectory => {
            folder_error(&dest.path, dest.dir(), e, dest.option)
        }
        ErrorKind::ReadOnlyFilesystem => user(format!(
            "{} : le disque est en lecture seule. Rien n'a été écrit ; écrivez ailleurs avec {}.",
            dest.path.display(),
            dest.option
        )),
        kind => write_error(dest, kind, e.raw_os_error()),
    }
}

/// Writing failed on the way: nothing is left at the destination (an existing file
/// there is untouched). Not the user's input: exit 1.
fn write_error(dest: &Dest, kind: ErrorKind, raw: Option<i32>) -> anyhow::Error {
    let what = match kind {
        ErrorKind::StorageFull => {
            format!(
                "disque plein. Libérez de la place ou écrivez sur un autre disque avec {}, puis relancez",
                dest.option
            )
        }
        ErrorKind::QuotaExceeded => {
            format!(
                "quota de disque dépassé. Libérez de la place ou écrivez ailleurs avec {}, puis relancez",
                dest.option
            )
        }
        ErrorKind::FileTooLarge => format!(
            "taille maximale de fichier atteinte (limite du système, `ulimit -f`, ou du disque : 4 Go sur une clé FAT32). Relevez la limite ou écrivez sur un autre disque avec {}, puis relancez",
            dest.option
        ),
        ErrorKind::ReadOnlyFilesystem => {
            format!(
                "le disque est en lecture seule. Écrivez ailleurs avec {}",
                dest.option
            )
        }
        ErrorKind::PermissionDenied => {
            format!(
                "accès refusé. Choisissez un dossier où vous avez le droit d'écrire, avec {}",
                dest.option
            )
        }
        kind => format!("{}. Vérifiez le disque, puis relancez", system(kind, raw)),
    };
    anyhow::anyhow!(
        "écriture de {} impossible : {what}. Rien n'a été écrit (un fichier qui portait déjà ce nom est intact).",
        dest.path.display()
    )
}

/// Any other system failure, without the system's English text.
fn system(kind: ErrorKind, raw: Option<i32>) -> String {
    match raw {
        Some(code) => format!("erreur du système (code {code})"),
        None => format!("erreur du système ({kind:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_a_good_one_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("l.sqlite");
        let dest = check(&dir.path().join("x.csv"), &ledger, Existing::Replace).unwrap();
        // A failure half-way leaves neither the file nor the temporary one.
        let err = write_file(&dest, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err::<(), _>(user("mauvais filtre"))
        })
        .unwrap_err();
        assert_eq!(format!("{err:#}"), "mauvais filtre");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        std::fs::write(dir.path().join("x.csv"), "ancien").unwrap();
        write_file(&dest, |w| Ok(w.write_all(b"nouveau")?)).unwrap();
        assert_eq!(std::fs::read(dir.path().join("x.csv")).unwrap(), b"nouveau");
        // Done, or failed: no longer a file an interrupt would have to remove.
        let in_progress = IN_PROGRESS.lock().unwrap();
        assert!(!in_progress.iter().any(|p| p.starts_with(dir.path())));
        drop(in_progress);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(dir.path().join("x.csv")).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }
    }

    /// Whatever wraps the writer's failure, the message is the French one.
    #[test]
    fn a_full_disk_is_said_in_french() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(ErrorKind::StorageFull))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = Recorder {
            inner: Full,
            failure: None,
        };
        assert!(w.write_all(b"x").is_err());
        let (kind, raw) = w.failure.unwrap();
        let dest = Dest {
            path: "x.csv".into(),
            absolute: "/tmp/x.csv".into(),
            existing: Existing::Replace,
            option: "-o",
        };
        let err = write_error(&dest, kind, raw);
        assert_eq!(crate::error::exit_code(&err), 1);
        let msg = format!("{err:#}");
        assert!(
            msg.starts_with("écriture de x.csv impossible : disque plein."),
            "{msg}"
        );
        assert!(msg.contains("Rien n'a été écrit"), "{msg}");
    }

    #[test]
    fn each_failure_is_named_in_french_without_the_system_text() {
        let dest = Dest {
            path: "x.csv".into(),
            absolute: "/tmp/x.csv".into(),
            existing: Existing::Replace,
            option: "-o",
        };
        for (kind, says) in [
            (ErrorKind::StorageFull, "disque plein"),
            (ErrorKind::QuotaExceeded, "quota de disque dépassé"),
            (
                ErrorKind::FileTooLarge,
                "taille maximale de fichier atteinte",
            ),
            (ErrorKind::ReadOnlyFilesystem, "lecture seule"),
            (ErrorKind::PermissionDenied, "accès refusé"),
            (ErrorKind::Other, "erreur du système (code 5)"),
        ] {
            let msg = format!("{:#}", write_error(&dest, kind, Some(5)));
            assert!(msg.starts_with("écriture de x.csv impossible : "), "{msg}");
            assert!(msg.contains(says), "{kind:?}: {msg}");
        }
        for (kind, says, code) in [
            (ErrorKind::NotFound, "ce dossier n'existe pas", 2),
            (ErrorKind::PermissionDenied, "accès refusé", 2),
            (ErrorKind::ReadOnlyFilesystem, "lecture seule", 2),
            (ErrorKind::StorageFull, "disque plein", 1),
        ] {
            let err = create_error(&dest, &io::Error::from(kind));
            assert_eq!(crate::error::exit_code(&err), code, "{kind:?}");
            assert!(format!("{err:#}").contains(says), "{kind:?}: {err:#}");
        }
    }

    #[test]
    fn the_ledger_and_its_companions_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("l.sqlite");
        std::fs::write(&ledger, b"x").unwrap();
        for name in [
            "l.sqlite",
            "l.sqlite-wal",
            "l.sqlite-shm",
            "l.sqlite-journal",
        ] {
            let err = check(&dir.path().join(name), &ledger, Existing::Replace).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 2, "{name}");
            assert!(format!("{err}").contains("registre"), "{name}: {err}");
        }
        // Through another spelling of the same folder.
        let other = dir.path().join(".").join("l.sqlite-wal");
        assert!(check(&other, &ledger, Existing::Replace).is_err());
        assert!(check(&dir.path().join("l.sqlite.csv"), &ledger, Existing::Replace).is_ok());
    }
}
