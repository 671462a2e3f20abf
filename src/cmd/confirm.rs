//! Confirming an act that cannot be undone (closing a year, erasing a person): on a
//! terminal the user types what the act is about; a script says `--oui`.

use crate::bail_user;
use anyhow::Result;
use std::io::{BufRead, IsTerminal, Write};

/// An act to confirm: what it does, in words, and what to type to confirm it.
pub struct Act<'a> {
    /// « Clôturer l'exercice 2017 », as the start of a sentence.
    pub what: &'a str,
    /// What the act makes final, shown before the question.
    pub consequence: &'a str,
    /// The text to type: the year, the code.
    pub expected: &'a str,
    /// The command to run again with `--oui`.
    pub command: &'a str,
}

/// Goes on only when the act is confirmed: by `--oui`, or by the user typing the
/// expected text on a terminal. Without a terminal and without `--oui`, nothing is
/// done (exit 2): a script must say that it means it.
pub fn confirm(oui: bool, act: &Act) -> Result<()> {
    if oui {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail_user!(
            "{} est définitif et demande une confirmation : rien n'a été fait. Sans terminal, ajoutez --oui pour confirmer sans question : `{} --oui`",
            act.what,
            act.command
        );
    }
    ask(&mut stdin.lock(), &mut std::io::stderr(), act, |typed| {
        typed.eq_ignore_ascii_case(act.expected)
    })
}

/// Asks on `prompt` and reads one line from `input`; `matches` says whether what was
/// typed (trimmed) confirms. Anything else, an empty line or the end of input
/// included, is a refusal: nothing is done (exit 2).
pub fn ask(
    input: &mut dyn BufRead,
    prompt: &mut dyn Write,
    act: &Act,
    matches: impl Fn(&str) -> bool,
) -> Result<()> {
    write!(
        prompt,
        "{} : {}\nTapez {} pour confirmer (autre chose annule) : ",
        act.what, act.consequence, act.expected
    )?;
    prompt.flush()?;
    let mut line = String::new();
    input.read_line(&mut line)?;
    let typed = line.trim();
    if matches(typed) {
        return Ok(());
    }
    if typed.is_empty() {
        bail_user!("{} : non confirmé, rien n'a été fait", act.what);
    }
    bail_user!(
        "{} : « {typed} » n'est pas {}, rien n'a été fait",
        act.what,
        act.expected
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::exit_code;

    const ACT: Act = Act {
        what: "Clôturer l'exercice 2017",
        consequence: "aucune écriture de 2017 ne pourra plus être ajoutée.",
        expected: "2017",
        command: "ici cloture 2017",
    };

    fn answer(typed: &str) -> (Result<()>, String) {
        let mut prompt = Vec::new();
        let r = ask(&mut typed.as_bytes(), &mut prompt, &ACT, |t| t == "2017");
        (r, String::from_utf8(prompt).unwrap())
    }

    #[test]
    fn typing_the_expected_text_confirms() {
        for typed in ["2017\n", "  2017  \r\n", "2017"] {
            let (r, prompt) = answer(typed);
            assert!(r.is_ok(), "{typed:?}");
            assert_eq!(
                prompt,
                "Clôturer l'exercice 2017 : aucune écriture de 2017 ne pourra plus être ajoutée.\nTapez 2017 pour confirmer (autre chose annule) : "
            );
        }
    }

    #[test]
    fn anything_else_is_a_refusal_with_exit_2() {
        for (typed, said) in [
            ("2016\n", "« 2016 » n'est pas 2017, rien n'a été fait"),
            ("oui\n", "« oui » n'est pas 2017"),
            ("\n", "non confirmé, rien n'a été fait"),
            ("", "non confirmé"),
        ] {
            let err = answer(typed).0.unwrap_err();
            assert_eq!(exit_code(&err), 2, "{typed:?}");
            let msg = format!("{err:#}");
            assert!(msg.starts_with("Clôturer l'exercice 2017 : "), "{msg}");
            assert!(msg.contains(said), "{typed:?}: {msg}");
        }
    }

    #[test]
    fn oui_confirms_without_asking() {
        assert!(confirm(true, &ACT).is_ok());
    }
}
