//! The command line in French: help headings and templates, and clap's own errors
//! (unknown option, missing argument…) rewritten in French with exit status 2.

use crate::cmd::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;

const TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// The full command, with French help everywhere.
pub fn command() -> Command {
    localize(Cli::command())
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        )
}

fn localize(cmd: Command) -> Command {
    cmd.mut_args(french_values)
        .help_template(TEMPLATE)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        )
        .mut_subcommands(localize)
}

/// clap writes « Possible values » and « [default: …] » in English: the values and
/// the default go into the argument's own help, in French.
fn french_values(a: Arg) -> Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    let default: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let mut extra = Vec::new();
    if !values.is_empty() {
        extra.push(format!("valeurs : {}", values.join(", ")));
    }
    if !default.is_empty() {
        extra.push(format!("par défaut : {}", default.join(", ")));
    }
    if extra.is_empty() {
        return a;
    }
    let help = match a.get_help() {
        Some(h) => h.to_string(),
        None if a.get_id() == "format" => "Présentation du résultat".to_string(),
        None => String::new(),
    };
    let help = if help.is_empty() {
        extra.join(" ; ")
    } else {
        format!("{help} ({})", extra.join(" ; "))
    };
    a.help(help)
        .hide_possible_values(true)
        .hide_default_value(true)
}

/// Parses the arguments; on help, version or a usage error, prints and returns the
/// exit status instead.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, i32> {
    let matches = command().try_get_matches_from(args).map_err(report)?;
    Cli::from_arg_matches(&matches).map_err(report)
}

fn report(err: clap::Error) -> i32 {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            2
        }
        _ => {
            eprintln!(
                "erreur : {}",
                crate::domain::text::for_message(&french(&err))
            );
            if let Some(usage) = context(&err, ContextKind::Usage) {
                let usage = usage.trim_start_matches("Usage:").trim();
                eprintln!("\nUtilisation : {usage}\nPlus d'aide avec --help.");
            }
            2
        }
    }
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    Some(match err.get(kind)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => return None,
    })
}

fn french(err: &clap::Error) -> String {
    let get = |k| context(err, k).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut msg = match err.kind() {
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} attend une valeur")
            } else if valid.is_empty() {
                format!("valeur « {value} » invalide pour {arg}")
            } else {
                format!("valeur « {value} » invalide pour {arg} ; valeurs possibles : {valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .map(ToString::to_string)
                .unwrap_or_default();
            format!("valeur « {value} » invalide pour {arg} : {why}")
        }
        ErrorKind::UnknownArgument => format!("option inconnue : {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "commande inconnue : {}",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!("argument obligatoire manquant : {arg}")
        }
        ErrorKind::MissingSubcommand => "commande manquante".to_string(),
        ErrorKind::ArgumentConflict if arg == get(ContextKind::PriorArg) => {
            format!("{arg} est donné deux fois : gardez-en un seul")
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} ne peut pas être utilisé avec {}",
            get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        ErrorKind::InvalidUtf8 => "argument qui n'est pas du texte UTF-8".to_string(),
        _ => err.render().to_string(),
    };
    for (kind, prefix) in [
        (ContextKind::SuggestedArg, "vouliez-vous dire"),
        (ContextKind::SuggestedSubcommand, "vouliez-vous dire"),
        (ContextKind::SuggestedValue, "vouliez-vous dire"),
    ] {
        if let Some(s) = context(err, kind) {
            msg.push_str(&format!(" ({prefix} « {s} » ?)"));
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_is_well_formed() {
        super::command().debug_assert();
    }
}
