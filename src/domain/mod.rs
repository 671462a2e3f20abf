//! Plain types and rules of the field, with no I/O: money, durations, dates,
//! accounts, sessions, the bilan and the activity figures.

pub mod account;
pub mod actif_passif;
pub mod bilan;
pub mod chart;
pub mod date;
pub mod duration;
pub mod fec;
pub mod finance;
pub mod fingerprint;
pub mod money;
pub mod participant;
pub mod session;
pub mod stats;
pub mod suggest;
