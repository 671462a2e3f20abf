//! Plain types and rules of the field, with no I/O: money, durations, dates,
//! accounts, sessions, the bilan and the activity figures.

pub mod account;
pub mod actif_passif;
pub mod activites;
pub mod association;
pub mod bilan;
pub mod chart;
pub mod compte_rendu;
pub mod date;
pub mod doublon;
pub mod duration;
pub mod fec;
pub mod finance;
pub mod financeur;
pub mod fingerprint;
pub mod lot;
pub mod money;
pub mod participant;
pub mod role;
pub mod session;
pub mod stats;
pub mod suggest;
pub mod text;
pub mod tiers;
pub mod verifie;
pub mod vocabulaire;

/// An optional text field as typed: trimmed, and `None` when empty.
pub fn optional_text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// How many characters of a value a message shows before « … ».
pub const SHOWN_CHARS: usize = 60;

/// A value cut for a message: at most [`SHOWN_CHARS`] characters, then « … ».
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Longest name: project, partner, trainer, third party, person, prescriber, commune typed.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest text: a session's title, an entry's label.
pub const MAX_TEXT_CHARS: usize = 300;
/// Longest short value: a date, an amount, a duration, a count, a code, a piece number.
pub const MAX_SHORT_CHARS: usize = 60;

/// Refuses a value longer than `max` characters, before anything else reads it (a
/// value of megabytes would otherwise be searched, stored and echoed).
pub fn check_length(value: &str, max: usize) -> anyhow::Result<()> {
    // Bytes bound characters from above: most values need no count.
    if value.len() <= max {
        return Ok(());
    }
    let n = value.chars().count();
    if n > max {
        crate::bail_user!(
            "« {} » : {n} caractères, au plus {max} ; raccourcissez la valeur",
            excerpt(value)
        );
    }
    Ok(())
}

/// [`check_length`] on each (field, value, limit), the error naming its field.
pub fn check_lengths(fields: &[(&'static str, Option<&str>, usize)]) -> anyhow::Result<()> {
    for (name, value, max) in fields {
        if let Some(v) = value {
            crate::error::field(name, check_length(v, *max))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_and_lengths() {
        assert_eq!(excerpt("court"), "court");
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long).chars().count(), SHOWN_CHARS + 1);
        assert!(excerpt(&long).ends_with('…'));
        assert!(check_length(&"é".repeat(MAX_NAME_CHARS), MAX_NAME_CHARS).is_ok());
        let e = check_length(&"é".repeat(MAX_NAME_CHARS + 1), MAX_NAME_CHARS).unwrap_err();
        assert!(
            format!("{e}").contains("121 caractères, au plus 120"),
            "{e}"
        );
    }
}
