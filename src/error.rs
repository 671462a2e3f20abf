//! Errors a person can act on, and the exit status each kind of failure gives.

use std::fmt;

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

/// Exit status for an error chain: 2 when a user mistake is anywhere in it, else 1.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err
        .chain()
        .any(|e| e.is::<UserError>() || e.is::<FieldError>())
    {
        2
    } else {
        1
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
        ErrorKind::StorageFull => "disque plein".into(),
        _ => format!("erreur du système ({e})"),
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
