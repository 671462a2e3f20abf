//! The command line in French: help headings and templates, and clap's own errors
//! (unknown option, missing argument…) rewritten in French with exit status 2.

use crate::cmd::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;

const TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// French verbs accepted beside the English subcommand names, and shown in the help.
const FRENCH_VERBS: [(&str, &str); 3] = [("add", "ajoute"), ("list", "liste"), ("show", "montre")];

/// Short flags for the options typed most, wherever the option exists and the letter
/// is free in that command.
const SHORT_FLAGS: [(&str, char); 5] = [
    ("date", 'd'),
    ("projet", 'p'),
    ("commune", 'c'),
    ("participants", 'n'),
    ("duree", 't'),
];

/// The full command, with French help everywhere.
pub fn command() -> Command {
    localize(Cli::command())
        .disable_help_subcommand(true)
        .subcommand(
            Command::new("aide")
                .alias("help")
                .about("Affiche l'aide d'une commande : ici aide session add (ou : help)")
                .help_template(TEMPLATE)
                .disable_help_flag(true)
                .arg(
                    Arg::new("commande")
                        .value_name("COMMANDE")
                        .num_args(0..)
                        .help("La commande dont afficher l'aide"),
                ),
        )
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        )
}

/// The id of the `--excel` flag given to every command with a `--format`: it stands
/// for `--format excel` (see [`parse`]).
const EXCEL: &str = "excel_format";

fn localize(cmd: Command) -> Command {
    let cmd = short_flags(cmd);
    let has = |long: &str| cmd.get_arguments().any(|a| a.get_long() == Some(long));
    let cmd = if has("format") && !has("excel") {
        cmd.arg(
            Arg::new(EXCEL)
                .long("excel")
                .action(ArgAction::SetTrue)
                .help("CSV pour Excel en français : point-virgule, virgule décimale (= --format excel)"),
        )
    } else {
        cmd
    };
    let cmd = match FRENCH_VERBS.iter().find(|(en, _)| *en == cmd.get_name()) {
        Some((_, fr)) => {
            let about = cmd.get_about().map(ToString::to_string).unwrap_or_default();
            cmd.alias(*fr).about(format!("{about} (ou : {fr})"))
        }
        None => cmd,
    };
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

fn short_flags(mut cmd: Command) -> Command {
    for (long, short) in SHORT_FLAGS {
        let taken = cmd.get_arguments().any(|a| a.get_short() == Some(short));
        let id = cmd
            .get_arguments()
            .find(|a| a.get_long() == Some(long) && a.get_short().is_none())
            .map(|a| a.get_id().clone());
        if let (Some(id), false) = (id, taken) {
            cmd = cmd.mut_arg(id, |a| a.short(short));
        }
    }
    cmd
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
    let args = year_as_positional(args.into_iter().collect());
    let fail = |err| report(err, &args);
    let mut matches = command().try_get_matches_from(&args).map_err(fail)?;
    let mut leaf = &matches;
    while let Some((_, sub)) = leaf.subcommand() {
        leaf = sub;
    }
    if leaf.try_get_one::<bool>(EXCEL).ok().flatten() == Some(&true) {
        let rewritten = excel_as_format(&args);
        matches = command()
            .try_get_matches_from(&rewritten)
            .map_err(|err| report(err, &rewritten))?;
    }
    if let Some(("aide", m)) = matches.subcommand() {
        // `ici aide session add` is `ici session add --help`.
        let mut again: Vec<OsString> = vec!["ici".into()];
        again.extend(
            m.get_many::<String>("commande")
                .into_iter()
                .flatten()
                .map(OsString::from),
        );
        again.push("--help".into());
        return Err(match command().try_get_matches_from(&again) {
            Err(err) => fail(err),
            Ok(_) => 0,
        });
    }
    Cli::from_arg_matches(&matches).map_err(fail)
}

/// `--excel` as `--format excel`; it wins over a `--format` also given, as on the
/// accountant's reports.
fn excel_as_format(args: &[OsString]) -> Vec<OsString> {
    let mut rewritten: Vec<OsString> = Vec::with_capacity(args.len() + 1);
    let mut words = args.iter();
    while let Some(a) = words.next() {
        match a.to_str() {
            Some("--excel") => rewritten.extend(["--format".into(), "excel".into()]),
            Some("--format") => {
                words.next();
            }
            Some(f) if f.starts_with("--format=") => {}
            _ => rewritten.push(a.clone()),
        }
    }
    rewritten
}

/// Where each word of the command line stands: the indexes of the subcommand words
/// (`session`, `add`), skipping options and the value of `--ledger`.
fn subcommand_words(args: &[OsString]) -> Vec<usize> {
    let mut words = Vec::new();
    let mut skip = false;
    for (i, a) in args.iter().enumerate().skip(1) {
        let a = a.to_string_lossy();
        if skip {
            skip = false;
        } else if a == "--ledger" {
            skip = true;
        } else if a.starts_with('-') {
            break;
        } else {
            words.push(i);
            if words.len() == 2 {
                break;
            }
        }
    }
    words
}

/// `ici stats --annee 2017` as `ici stats 2017`, the same for `bilan` and the books
/// (`balance`, `grand-livre`, `journal`): the year is the subject of these reports, but
/// `--annee` is how every list takes it.
fn year_as_positional(mut args: Vec<OsString>) -> Vec<OsString> {
    let Some(&first) = subcommand_words(&args).first() else {
        return args;
    };
    if !matches!(
        args[first].to_str(),
        Some("stats" | "bilan" | "balance" | "grand-livre" | "journal")
    ) {
        return args;
    }
    let mut i = first + 1;
    while i < args.len() {
        let a = args[i].to_string_lossy().into_owned();
        if a == "--" {
            break;
        } else if a == "--annee" && i + 1 < args.len() {
            args.remove(i);
        } else if let Some(year) = a.strip_prefix("--annee=") {
            args[i] = year.into();
        }
        i += 1;
    }
    args
}

/// `--commune Le Kremlin-Bicêtre`: the shell cut the value in two, and clap sees an
/// unexpected word. When words follow an option's value, the fix is quotes.
fn quotes_hint(args: &[OsString], unexpected: &str) -> Option<String> {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if unexpected.starts_with('-') {
        return None;
    }
    let after_words = subcommand_words(&args.iter().map(OsString::from).collect::<Vec<_>>())
        .last()
        .map_or(1, |&i| i + 1);
    let at = args
        .iter()
        .skip(after_words)
        .position(|a| a == unexpected)?
        + after_words;
    let option_at = (after_words..at)
        .rev()
        .find(|&j| args[j].starts_with('-'))?;
    let option = &args[option_at];
    let (option, mut words) = match option.split_once('=') {
        Some((o, first)) if o.starts_with("--") => (o.to_string(), vec![first.to_string()]),
        _ if option.starts_with("--") && option_at + 1 < at => (option.clone(), Vec::new()),
        _ => return None,
    };
    words.extend(
        args[option_at + 1..]
            .iter()
            .take_while(|a| !a.starts_with('-'))
            .cloned(),
    );
    Some(format!(
        "mettez la valeur entre guillemets : {option} \"{}\"",
        words.join(" ")
    ))
}

fn report(err: clap::Error, args: &[OsString]) -> i32 {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            2
        }
        ErrorKind::UnknownArgument => {
            let arg = context(&err, ContextKind::InvalidArg).unwrap_or_default();
            match quotes_hint(args, &arg) {
                Some(hint) => {
                    eprintln!(
                        "erreur : {}",
                        crate::domain::text::for_message(&format!("« {arg} » en trop : {hint}"))
                    );
                    2
                }
                None => usage_error(&err, args),
            }
        }
        _ => usage_error(&err, args),
    }
}

fn usage_error(err: &clap::Error, args: &[OsString]) -> i32 {
    let words = subcommand_words(args);
    let command = words
        .first()
        .map(|&i| args[i].to_string_lossy().into_owned());
    let missing = context(err, ContextKind::InvalidArg).unwrap_or_default();
    if err.kind() == ErrorKind::MissingRequiredArgument
        && missing == "<ANNEE>"
        && let Some(command) = &command
    {
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
        eprintln!(
            "erreur : argument obligatoire manquant : <ANNEE> ; indiquez l'année : ici {command} {year}"
        );
        return 2;
    }
    eprintln!(
        "erreur : {}",
        crate::domain::text::for_message(&french(err))
    );
    if let Some(usage) = context(err, ContextKind::Usage) {
        let usage = usage.trim_start_matches("Usage:").trim();
        eprintln!("\nUtilisation : {usage}\nPlus d'aide avec --help.");
    }
    2
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
        // A required group (`session corrige` needs at least one field): its options,
        // without their value names.
        ErrorKind::MissingRequiredArgument if arg.starts_with("<--") && arg.contains('|') => {
            let options: Vec<&str> = arg
                .trim_start_matches('<')
                .trim_end_matches('>')
                .split('|')
                .filter_map(|o| o.split_whitespace().next())
                .collect();
            format!(
                "argument obligatoire manquant : au moins l'une de ces options : {}",
                options.join(", ")
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
    use super::*;

    fn args(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn command_is_well_formed() {
        super::command().debug_assert();
    }

    #[test]
    fn the_year_of_stats_and_bilan_may_be_an_option() {
        for (typed, want) in [
            ("ici stats --annee 2017", "ici stats 2017"),
            (
                "ici --ledger l stats --annee=2017 --format csv",
                "ici --ledger l stats 2017 --format csv",
            ),
            ("ici bilan --annee 2017 --detail", "ici bilan 2017 --detail"),
            ("ici grand-livre --annee 2017", "ici grand-livre 2017"),
            (
                "ici session list --annee 2017",
                "ici session list --annee 2017",
            ),
            (
                "ici export sessions --annee 2017",
                "ici export sessions --annee 2017",
            ),
        ] {
            assert_eq!(year_as_positional(args(typed)), args(want), "{typed}");
        }
    }

    #[test]
    fn quotes_hint_only_after_an_options_value() {
        let hint = |line: &str, word: &str| quotes_hint(&args(line), word);
        assert_eq!(
            hint(
                "ici session add --commune Le Kremlin-Bicêtre -t 3h",
                "Kremlin-Bicêtre"
            )
            .as_deref(),
            Some("mettez la valeur entre guillemets : --commune \"Le Kremlin-Bicêtre\"")
        );
        assert_eq!(
            hint("ici --ledger l session add --intitule=Atelier CV", "CV").as_deref(),
            Some("mettez la valeur entre guillemets : --intitule \"Atelier CV\"")
        );
        // A flag without value, an unknown option, extra numbers: no quotes to add.
        assert_eq!(hint("ici session list --annulees foo", "foo"), None);
        assert_eq!(hint("ici --ledger l session list --foo", "--foo"), None);
        assert_eq!(hint("ici session annule 4 5 --motif x", "5"), None);
    }
}
