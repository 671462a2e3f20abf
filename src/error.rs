//! Errors a person can act on, and the exit status each kind of failure gives.

use rusqlite::ErrorCode;
use std::fmt;
use std::path::Path;
use std::time::Duration;

/// A mistake in what the user typed or supplied: bad value, unknown name, wrong file.
/// Nothing was written when this is returned. Exit status 2.
#[derive(Debug)]
pub struct UserError(pub String);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UserError {}

/// Builds a [`UserError`] wrapped in `anyhow`, to be returned with `?` or `Err(...)`.
pub fn user(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError(msg.into()))
}

/// Returns early with a [`UserError`] built from a format string.
#[macro_export]
macro_rules! bail_user {
    ($($arg:tt)*) => {
        return Err($crate::error::user(format!($($arg)*)))
    };
}

/// A user mistake in one named field (`duree`, `montant`…). The command line shows the
/// field as its option (`--duree`), an import as its column. Exit status 2.
#[derive(Debug)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// Attaches the field a user error is about; other errors pass through unchanged.
pub fn in_field(field: &'static str, err: anyhow::Error) -> anyhow::Error {
    if err.chain().any(|e| e.is::<UserError>()) && !err.chain().any(|e| e.is::<FieldError>()) {
        anyhow::Error::new(FieldError {
            field,
            message: format!("{err:#}"),
        })
    } else {
        err
    }
}

/// [`in_field`] applied to a result.
pub fn field<T>(name: &'static str, r: anyhow::Result<T>) -> anyhow::Result<T> {
    r.map_err(|e| in_field(name, e))
}

/// The field of a user error, if it is about one.
pub fn field_of(err: &anyhow::Error) -> Option<&'static str> {
    err.chain()
        .find_map(|e| e.downcast_ref::<FieldError>().map(|f| f.field))
}

/// On the command line, a field error names its option: `--duree : …`.
pub fn with_flag(err: anyhow::Error) -> anyhow::Error {
    match field_of(&err) {
        Some(field) => user(format!("--{} : {err:#}", field.replace('_', "-"))),
        None => err,
    }
}

/// Exit status for an error chain: 2 when a user mistake is anywhere in it (a file that is
/// not a ledger, data the schema refuses), else 1.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    let refused_by_sqlite = |e: &rusqlite::Error| {
        matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::NotADatabase | ErrorCode::ConstraintViolation)
        )
    };
    if err.chain().any(|e| {
        e.is::<UserError>()
            || e.is::<FieldError>()
            || e.downcast_ref::<rusqlite::Error>()
                .is_some_and(refused_by_sqlite)
    }) {
        2
    } else {
        1
    }
}

/// The message printed for a failure: the chain of contexts, each in French. An SQLite, I/O
/// or CSV error that no layer translated is put in French here, so that no English message
/// from a library reaches the user; its own sources are not shown. `ledger` names the file
/// in SQLite's messages.
pub fn render(err: &anyhow::Error, ledger: Option<&Path>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for e in err.chain() {
        if let Some(r) = e.downcast_ref::<rusqlite::Error>() {
            parts.push(sqlite_fr(r, ledger));
            break;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            parts.push(io_fr(io));
            break;
        }
        if let Some(c) = e.downcast_ref::<csv::Error>() {
            parts.push(csv_fr(c));
            break;
        }
        parts.push(e.to_string());
    }
    parts.join(" : ")
}

/// True for the SQLite failures that come from the file or the system rather than from
/// the data: they are reported with the file and what to do, whatever the command.
pub fn is_system_failure(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::ReadOnly
                | ErrorCode::CannotOpen
                | ErrorCode::NotADatabase
                | ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::PermissionDenied
                | ErrorCode::DatabaseCorrupt
                | ErrorCode::FileLockingProtocolFailed
                | ErrorCode::OutOfMemory
                | ErrorCode::NoLargeFileSupport
        )
    )
}

/// No room left to write the ledger: the disk, or the file size the process may write.
pub fn disk_full_fr(file: &str) -> String {
    format!(
        "disque plein (ou taille de fichier limitée, ulimit -f) : {file} n'a pas pu être écrit ; rien n'a été enregistré. Libérez de la place (ou levez la limite), puis relancez la commande"
    )
}

/// SQLite's extended code for a `RAISE(ABORT, …)` of a trigger, whose message is the
/// schema's own French sentence.
const CONSTRAINT_TRIGGER: i32 = 1811;
/// SQLite's extended code for a write refused because the folder is read-only (it cannot
/// create the `-wal` and `-shm` files next to the ledger).
const READONLY_DIRECTORY: i32 = 1544;

/// An SQLite error in French, naming the ledger file when it is known.
pub fn sqlite_fr(e: &rusqlite::Error, ledger: Option<&Path>) -> String {
    let file = match ledger {
        Some(p) => format!("le registre {}", p.display()),
        None => "le registre".to_string(),
    };
    let folder = ledger
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(
            || "son dossier".to_string(),
            |d| format!("le dossier {}", d.display()),
        );
    let (failure, msg) = match e {
        rusqlite::Error::SqliteFailure(failure, msg) => (failure, msg.as_deref()),
        rusqlite::Error::QueryReturnedNoRows => {
            return format!("donnée introuvable dans {file}");
        }
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..) => {
            return format!(
                "donnée illisible dans {file} : lancez `ici verifie` pour le contrôler"
            );
        }
        _ => {
            return format!(
                "erreur interne en lisant ou écrivant {file} ; rien n'a été modifié. Lancez `ici verifie` pour contrôler le registre"
            );
        }
    };
    match failure.code {
        ErrorCode::DiskFull => disk_full_fr(&file),
        ErrorCode::SystemIoFailure => format!(
            "erreur d'entrée-sortie sur {file} (disque plein ou défaillant, limite de taille de fichier, support débranché) : rien n'a été enregistré. Vérifiez la place libre et le support, puis lancez `ici verifie`"
        ),
        ErrorCode::ReadOnly if failure.extended_code == READONLY_DIRECTORY => format!(
            "{folder} n'est pas accessible en écriture : {file} ne peut pas y être modifié (SQLite y crée ses fichiers -wal et -shm) ; rien n'a été enregistré. Donnez le droit d'écriture sur le dossier, ou utilisez une commande de lecture"
        ),
        ErrorCode::ReadOnly => format!(
            "{file} est en lecture seule (fichier, dossier ou support protégé en écriture) : rien n'a été enregistré. Donnez le droit d'écriture sur le fichier et son dossier (chmod u+w), ou utilisez une commande de lecture"
        ),
        ErrorCode::CannotOpen => format!(
            "impossible d'ouvrir {file} : vérifiez que c'est un fichier, que vous avez le droit de le lire et d'écrire dans {folder}"
        ),
        ErrorCode::PermissionDenied => format!(
            "accès refusé : vous n'avez pas les droits sur {file} ; vérifiez ceux du fichier et de son dossier"
        ),
        ErrorCode::NotADatabase => format!(
            "{} n'est pas un registre ici (ce n'est pas une base SQLite) : il n'a pas été modifié. Indiquez le bon fichier avec --ledger",
            ledger.map_or_else(|| "le fichier".to_string(), |p| p.display().to_string())
        ),
        ErrorCode::DatabaseCorrupt => format!(
            "{file} est endommagé : rien n'a été modifié. Lancez `ici verifie` pour savoir où, puis restaurez la dernière sauvegarde (voir « Sauvegarde et restauration » dans le README)"
        ),
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => format!(
            "{file} est occupé par une autre commande ici depuis plus de {} : rien n'a été enregistré. Attendez qu'elle se termine, puis relancez la commande",
            wait_label()
        ),
        ErrorCode::FileLockingProtocolFailed => format!(
            "{file} ne peut pas être verrouillé (dossier réseau ?) : rien n'a été enregistré. Placez le registre sur un disque local"
        ),
        ErrorCode::OutOfMemory => "mémoire insuffisante : rien n'a été enregistré".to_string(),
        ErrorCode::NoLargeFileSupport | ErrorCode::TooBig => {
            format!("donnée ou fichier trop grand pour {file} : rien n'a été enregistré")
        }
        ErrorCode::ConstraintViolation => constraint_fr(failure.extended_code, msg),
        _ => format!(
            "erreur de SQLite (code {}) sur {file} : rien n'a été modifié. Lancez `ici verifie` pour contrôler le registre",
            failure.extended_code
        ),
    }
}

/// A rule of the schema that refused a write. A trigger's message is already the French
/// sentence; SQLite's own wording of the other rules is replaced.
fn constraint_fr(extended_code: i32, msg: Option<&str>) -> String {
    let msg = msg.unwrap_or_default();
    if extended_code == CONSTRAINT_TRIGGER && !msg.is_empty() {
        return msg.to_string();
    }
    let what = msg.split_once(": ").map_or("", |(_, what)| what);
    let (kind, fix) = if msg.starts_with("CHECK") {
        ("valeur hors des limites du registre", "corrigez la valeur")
    } else if msg.starts_with("UNIQUE") {
        ("valeur déjà enregistrée", "choisissez-en une autre")
    } else if msg.starts_with("NOT NULL") {
        ("valeur manquante", "indiquez-la")
    } else if msg.starts_with("FOREIGN KEY") {
        (
            "référence vers une donnée absente du registre",
            "vérifiez le nom ou le numéro",
        )
    } else {
        ("donnée refusée par le registre", "vérifiez la saisie")
    };
    if what.is_empty() {
        format!("{kind} ; rien n'a été enregistré : {fix}")
    } else {
        format!("{kind} ({what}) ; rien n'a été enregistré : {fix}")
    }
}

/// How long a writer waits for the lock held by another command, in words.
pub fn wait_label() -> String {
    let ms = lock_wait().as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// How long a writer waits for another process to finish before giving up: 30 s, or
/// `ICI_ATTENTE_VERROU_MS` milliseconds (meant for tests, so that a held lock fails fast).
pub fn lock_wait() -> Duration {
    std::env::var("ICI_ATTENTE_VERROU_MS")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(Duration::from_secs(30), Duration::from_millis)
}

/// A CSV error in French, with its line.
pub fn csv_fr(e: &csv::Error) -> String {
    let line = |pos: Option<&csv::Position>| {
        pos.map_or(String::new(), |p| format!("ligne {} : ", p.line()))
    };
    match e.kind() {
        csv::ErrorKind::Io(io) => io_fr(io),
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "{}texte qui n'est pas de l'UTF-8 valide ; enregistrez le fichier en UTF-8",
            line(pos.as_ref())
        ),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "{}{len} champ(s) au lieu de {expected_len} ; vérifiez les séparateurs et les guillemets",
            line(pos.as_ref())
        ),
        csv::ErrorKind::Deserialize { pos, .. } => {
            format!("{}valeur illisible ; vérifiez la ligne", line(pos.as_ref()))
        }
        _ => "fichier CSV illisible ou impossible à écrire".to_string(),
    }
}

/// An I/O error in French: what happened and what to do.
pub fn io_fr(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "fichier ou dossier introuvable ; vérifiez le chemin".into(),
        ErrorKind::PermissionDenied => "accès refusé ; vérifiez les droits du fichier".into(),
        ErrorKind::AlreadyExists => "le fichier existe déjà".into(),
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".into(),
        ErrorKind::NotADirectory => "un élément du chemin n'est pas un dossier ; vérifiez le chemin".into(),
        ErrorKind::StorageFull => "disque plein ; libérez de la place puis recommencez".into(),
        ErrorKind::FileTooLarge => {
            "fichier trop grand (limite de taille de fichier atteinte) ; libérez de la place ou levez la limite".into()
        }
        ErrorKind::ReadOnlyFilesystem => {
            "support en lecture seule ; choisissez un autre emplacement".into()
        }
        ErrorKind::InvalidData => "données illisibles (encodage ou format inattendu)".into(),
        ErrorKind::UnexpectedEof => "fichier tronqué : il se termine trop tôt".into(),
        ErrorKind::Interrupted => "opération interrompue ; recommencez".into(),
        ErrorKind::OutOfMemory => "mémoire insuffisante".into(),
        // An error built by this program carries a French message of its own.
        _ if e.raw_os_error().is_none() && e.get_ref().is_some() => {
            e.get_ref().map(ToString::to_string).unwrap_or_default()
        }
        _ => match e.raw_os_error() {
            Some(5) => "erreur d'entrée-sortie (disque ou support défaillant) ; vérifiez le support".into(),
            Some(code) => format!("erreur du système (code {code})"),
            None => "erreur du système".into(),
        },
    }
}

/// True when the failure is only the reader closing the pipe (`ici … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().is_some_and(broken)
            || e.downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if broken(io)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn failure(extended_code: i32, msg: Option<&str>) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(extended_code),
            msg.map(String::from),
        )
    }

    #[test]
    fn sqlite_failures_are_told_in_french_with_the_file() {
        let ledger = Path::new("/srv/ici/l.sqlite");
        for (code, expected) in [
            (13, "disque plein"),
            (
                778,
                "erreur d'entrée-sortie sur le registre /srv/ici/l.sqlite",
            ),
            (8, "le registre /srv/ici/l.sqlite est en lecture seule"),
            (1544, "le dossier /srv/ici n'est pas accessible en écriture"),
            (14, "impossible d'ouvrir le registre /srv/ici/l.sqlite"),
            (26, "/srv/ici/l.sqlite n'est pas un registre ici"),
            (11, "le registre /srv/ici/l.sqlite est endommagé"),
            (
                5,
                "le registre /srv/ici/l.sqlite est occupé par une autre commande ici",
            ),
            (
                3,
                "accès refusé : vous n'avez pas les droits sur le registre /srv/ici/l.sqlite",
            ),
        ] {
            let e = failure(code, Some("some English text"));
            let msg = sqlite_fr(&e, Some(ledger));
            assert!(msg.starts_with(expected), "{code}: {msg}");
            assert!(!msg.contains("English"), "{msg}");
        }
    }

    #[test]
    fn schema_rules_are_shown_as_their_french_sentence() {
        let trigger = failure(
            1811,
            Some("exercice clos : aucune écriture ne peut y être ajoutée"),
        );
        assert_eq!(
            sqlite_fr(&trigger, None),
            "exercice clos : aucune écriture ne peut y être ajoutée"
        );
        let check = failure(
            275,
            Some("CHECK constraint failed: debit BETWEEN 0 AND 100000000000"),
        );
        let msg = sqlite_fr(&check, None);
        assert!(
            msg.starts_with("valeur hors des limites du registre (debit BETWEEN"),
            "{msg}"
        );
        assert!(!msg.contains("constraint failed"), "{msg}");
        let unique = failure(2067, Some("UNIQUE constraint failed: projet.nom"));
        assert_eq!(
            sqlite_fr(&unique, None),
            "valeur déjà enregistrée (projet.nom) ; rien n'a été enregistré : choisissez-en une autre"
        );
        assert_eq!(exit_code(&anyhow::Error::new(check)), 2);
        assert_eq!(exit_code(&anyhow::Error::new(failure(26, None))), 2);
        assert_eq!(exit_code(&anyhow::Error::new(failure(13, None))), 1);
    }

    #[test]
    fn the_printer_translates_what_no_layer_did_and_keeps_the_context() {
        let err = Err::<(), _>(failure(13, Some("database or disk is full")))
            .context("import de sessions.csv")
            .unwrap_err();
        let shown = render(&err, Some(Path::new("l.sqlite")));
        assert!(
            shown.starts_with("import de sessions.csv : disque plein"),
            "{shown}"
        );
        assert!(shown.contains("le registre l.sqlite"), "{shown}");
        assert!(!shown.contains("database"), "{shown}");

        let io = std::io::Error::from_raw_os_error(27); // EFBIG
        let err = anyhow::Error::new(io).context("écriture de export.csv");
        let shown = render(&err, None);
        assert!(
            shown.starts_with("écriture de export.csv : fichier trop grand"),
            "{shown}"
        );
        assert!(!shown.contains("os error"), "{shown}");

        let mut reader = csv::ReaderBuilder::new().from_reader("a,b\n1,2\n3\n".as_bytes());
        let short = reader
            .records()
            .find_map(Result::err)
            .expect("a record of one field");
        let shown = render(&anyhow::Error::new(short), None);
        assert_eq!(
            shown,
            "ligne 3 : 1 champ(s) au lieu de 2 ; vérifiez les séparateurs et les guillemets"
        );

        let plain = user("--duree : durée « 13h » supérieure à 12 h");
        assert_eq!(
            render(&plain, None),
            "--duree : durée « 13h » supérieure à 12 h"
        );
    }
}
