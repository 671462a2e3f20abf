//! Plain types and rules of the field, with no I/O: money, durations, dates,
//! accounts, sessions, the bilan and the activity figures.

pub mod account;
pub mod actif_passif;
pub mod bilan;
pub mod chart;
pub mod date;
pub mod doublon;
pub mod duration;
pub mod fec;
pub mod finance;
pub mod fingerprint;
pub mod money;
pub mod participant;
pub mod session;
pub mod stats;
pub mod suggest;
pub mod text;
pub mod verifie;

/// An optional text field as typed: trimmed, and `None` when empty.
pub fn optional_text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}
