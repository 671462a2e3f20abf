//! Text made safe to show on a terminal: what a ledger stores (titles, names, file
//! names) is shown, never run by the terminal, and never floods a message.
//!
//! The readable form chosen for a character that must not reach the terminal as is:
//! `\t`, `\r` and `\n` for tab, carriage return and line feed, and `\u{1b}` (the
//! character's code point in hexadecimal, as Rust and JavaScript write it) for the
//! others. A backslash typed by a user is left as it is: paths on Windows stay
//! readable, and what matters is that the terminal receives no control character.
//! Data files (CSV exports) keep the text as stored: they are data, not display.

use crate::domain::money::group_thousands;
use std::borrow::Cow;
use std::fmt::Write;

/// Characters a terminal may act on instead of showing: the C0 controls, DEL and the
/// C1 controls (which include ESC, the start of every escape sequence, and CSI), and
/// the Unicode bidirectional controls, which reorder what follows them on screen.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if !is_unsafe(c) || keep(c) => out.push(c),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// One value for a table cell: every unsafe character escaped, line feeds included.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// A value longer than this, inside « … » in a message, is cut.
const QUOTED_MAX: usize = 80;
/// What is kept of a value that is cut.
const QUOTED_KEEP: usize = 60;
/// A run of characters without a space longer than this, outside « … », is cut
/// too: a long value a message did not quote still does not flood the terminal.
const WORD_MAX: usize = 200;

/// The start of a long value, an ellipsis, and its length: `abc… » (120 000 caractères)`
/// is written by the caller around it.
fn cut(value: &str, out: &mut String) -> usize {
    out.extend(value.chars().take(QUOTED_KEEP));
    out.push('…');
    value.chars().count()
}

fn length(n: usize) -> String {
    format!("{} caractères", group_thousands(n as u64))
}

/// Cuts the long values of a message: inside « … » beyond 80 characters, elsewhere
/// a run without spaces beyond 200.
fn shorten(msg: &str) -> Cow<'_, str> {
    let long_quoted = msg.split('«').skip(1).any(|rest| {
        rest.split('»')
            .next()
            .is_some_and(|v| v.chars().count() > QUOTED_MAX + 2)
    });
    let long_word = msg
        .split(char::is_whitespace)
        .any(|w| w.chars().count() > WORD_MAX);
    if !long_quoted && !long_word {
        return Cow::Borrowed(msg);
    }
    let mut out = String::with_capacity(msg.len().min(4096));
    let mut rest = msg;
    while let Some(open) = rest.find('«') {
        shorten_words(&rest[..open], &mut out);
        let after = &rest[open + '«'.len_utf8()..];
        let Some(close) = after.find('»') else {
            out.push('«');
            rest = after;
            break;
        };
        let inner = &after[..close];
        let value = inner.strip_prefix(' ').unwrap_or(inner);
        let value = value.strip_suffix(' ').unwrap_or(value);
        if value.chars().count() > QUOTED_MAX {
            out.push_str("« ");
            let n = cut(value, &mut out);
            out.push_str(" » (");
            out.push_str(&length(n));
            out.push(')');
        } else {
            out.push('«');
            out.push_str(inner);
            out.push('»');
        }
        rest = &after[close + '»'.len_utf8()..];
    }
    shorten_words(rest, &mut out);
    Cow::Owned(out)
}

fn shorten_words(text: &str, out: &mut String) {
    let mut start = None;
    let end = std::iter::once((text.len(), ' '));
    for (i, c) in text.char_indices().chain(end) {
        if !c.is_whitespace() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let word = &text[s..i];
            if word.chars().count() > WORD_MAX {
                let n = cut(word, out);
                out.push_str(" (");
                out.push_str(&length(n));
                out.push(')');
            } else {
                out.push_str(word);
            }
        }
        if i < text.len() {
            out.push(c);
        }
    }
}

/// A message for the terminal: long values cut, every unsafe character escaped
/// except the line feeds that lay the message out.
pub fn for_message(msg: &str) -> Cow<'_, str> {
    match shorten(msg) {
        Cow::Borrowed(s) => escape_with(s, |c| c == '\n'),
        Cow::Owned(s) => Cow::Owned(escape_with(&s, |c| c == '\n').into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped() {
        let cases = [
            ("Bonjour", "Bonjour"),
            ("\u{1b}[31mrouge\u{1b}[0m", "\\u{1b}[31mrouge\\u{1b}[0m"),
            ("a\tb\r\nc", "a\\tb\\r\\nc"),
            ("nul\0", "nul\\u{0}"),
            ("del\u{7f}", "del\\u{7f}"),
            ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("\u{202e}abc\u{2066}", "\\u{202e}abc\\u{2066}"),
            ("\u{200f}\u{61c}", "\\u{200f}\\u{61c}"),
            (
                "Pôle emploi – Créteil « ok »",
                "Pôle emploi – Créteil « ok »",
            ),
            ("C:\\dossier", "C:\\dossier"),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape(raw), shown, "{raw:?}");
        }
        assert!(matches!(escape("Villejuif"), Cow::Borrowed(_)));
    }

    #[test]
    fn messages_keep_their_lines() {
        assert_eq!(
            for_message("ligne 1\nligne \u{1b}]0;titre\u{7}"),
            "ligne 1\nligne \\u{1b}]0;titre\\u{7}"
        );
    }

    #[test]
    fn long_quoted_values_are_cut_with_their_length() {
        let long = "a".repeat(120_000);
        let msg = format!("nom trop long (120 caractères au plus) : « {long} »");
        let shown = for_message(&msg);
        assert_eq!(
            shown,
            format!(
                "nom trop long (120 caractères au plus) : « {}… » (120\u{a0}000 caractères)",
                "a".repeat(60)
            )
        );
        let short = format!("thème « {} » inconnu", "é".repeat(80));
        assert_eq!(for_message(&short), short);
        let just_over = format!("« {} » puis « x »", "é".repeat(81));
        assert_eq!(
            for_message(&just_over),
            format!("« {}… » (81 caractères) puis « x »", "é".repeat(60))
        );
    }

    #[test]
    fn long_values_outside_quotes_are_cut_too() {
        let msg = format!("valeur {} refusée", "b".repeat(300));
        assert_eq!(
            for_message(&msg),
            format!("valeur {}… (300 caractères) refusée", "b".repeat(60))
        );
        let unclosed = format!("« {}", "c".repeat(250));
        assert_eq!(
            for_message(&unclosed),
            format!("« {}… (250 caractères)", "c".repeat(60))
        );
    }

    #[test]
    fn a_cut_value_is_escaped_as_well() {
        let msg = format!("« \u{1b}[2J{} »", "d".repeat(100));
        let shown = for_message(&msg);
        assert!(shown.starts_with("« \\u{1b}[2Jddd"), "{shown}");
        assert!(shown.ends_with("… » (104 caractères)"), "{shown}");
    }
}
