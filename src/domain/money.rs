//! Money in integer cents: parsing what people type, writing it the French way.

use crate::bail_user;
use anyhow::Result;
use std::fmt;

/// The largest amount one entry may carry: 10 million euros. Anything above is a typo
/// for an association of this size (an extra zero, a pasted account number).
pub const MAX_CENTS: i64 = 1_000_000_000;

/// The largest amount one line of the books may carry, as the ledger stores it: one
/// milliard euros. Lines read from an accountant's file are held to it.
pub const MAX_LINE_CENTS: i64 = 100_000_000_000;

/// An amount in cents. Signed, because results and balances can be negative;
/// amounts typed by users are always positive (see [`Money::parse_positive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Money(pub i64);

impl Money {
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses a positive amount as users write it: `1234.56`, `1234,56`, `1 234,56 €`,
    /// `176512`, `12,5`. Zero, negative, more than two decimals and absurd amounts are refused.
    pub fn parse_positive(input: &str) -> Result<Money> {
        let cleaned: String = input
            .trim()
            .trim_end_matches('€')
            .trim_end_matches("EUR")
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        let hint = "écrivez par exemple 1234,56 ou 1234.56 (en euros, deux décimales au plus)";
        if cleaned.is_empty() {
            bail_user!("montant vide : {hint}");
        }
        if cleaned.starts_with('-') {
            bail_user!(
                "montant « {input} » négatif : saisissez un montant positif ; le sens (produit ou charge) vient de la commande"
            );
        }
        let (units, decimals) = match cleaned.find([',', '.']) {
            Some(pos) => (&cleaned[..pos], &cleaned[pos + 1..]),
            None => (cleaned.as_str(), ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if units.is_empty() || !digits_only(units) || !digits_only(decimals) {
            bail_user!("montant « {input} » illisible : {hint}");
        }
        if decimals.len() > 2 {
            bail_user!("montant « {input} » : plus de deux décimales ; {hint}");
        }
        if units.len() > 12 {
            bail_user!(
                "montant « {input} » démesuré : le maximum par écriture est {}",
                Money(MAX_CENTS)
            );
        }
        let units: i64 = units.parse()?;
        let mut frac: i64 = if decimals.is_empty() {
            0
        } else {
            decimals.parse()?
        };
        if decimals.len() == 1 {
            frac *= 10;
        }
        let cents = units * 100 + frac;
        if cents == 0 {
            bail_user!("montant « {input} » nul : une écriture porte un montant supérieur à zéro");
        }
        if cents > MAX_CENTS {
            bail_user!(
                "montant « {input} » démesuré : le maximum par écriture est {} ; vérifiez le nombre de chiffres",
                Money(MAX_CENTS)
            );
        }
        Ok(Money(cents))
    }

    /// `-15435.00`: dot, two decimals, no grouping. For JSON and plain CSV.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// `-15435,00`: decimal comma, no grouping. What French Excel reads as a number.
    pub fn excel(self) -> String {
        self.plain().replace('.', ",")
    }
}

/// Serializes a [`Money`] as its plain string (`"-15435.00"`): JSON carries amounts
/// as text so that no reader turns cents into a float.
pub fn serialize_plain<S: serde::Serializer>(m: &Money, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.plain())
}

/// `176 512,00 €`, `-15 435,00 €`: French writing with a no-break space between thousands.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(
            f,
            "{sign}{},{:02}\u{a0}€",
            group_thousands(abs / 100),
            abs % 100
        )
    }
}

/// `1143` → `1 143`, with a no-break space so a figure never splits across lines.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_ways_people_write_amounts() {
        for (input, cents) in [
            ("1234.56", 123_456),
            ("1234,56", 123_456),
            ("1 234,56 €", 123_456),
            ("1\u{a0}234,56\u{a0}€", 123_456),
            ("176512", 17_651_200),
            ("12,5", 1_250),
            ("0,01", 1),
            ("30 000 €", 3_000_000),
            ("10000000", MAX_CENTS),
        ] {
            assert_eq!(
                Money::parse_positive(input).unwrap(),
                Money(cents),
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_bad_amounts() {
        for input in [
            "",
            "0",
            "0,00",
            "-12",
            "12,345",
            "1.234,56",
            "abc",
            "12€50",
            "10000000,01",
            "99999999999999",
        ] {
            let err = Money::parse_positive(input).unwrap_err();
            assert!(crate::error::exit_code(&err) == 2, "{input}: {err}");
        }
    }

    #[test]
    fn writes_french_and_plain() {
        assert_eq!(Money(17_651_200).to_string(), "176\u{a0}512,00\u{a0}€");
        assert_eq!(Money(-1_543_500).to_string(), "-15\u{a0}435,00\u{a0}€");
        assert_eq!(Money(-1_543_500).plain(), "-15435.00");
        assert_eq!(Money(5).plain(), "0.05");
        assert_eq!(Money(123_456).excel(), "1234,56");
        assert_eq!(group_thousands(1_143), "1\u{a0}143");
        assert_eq!(group_thousands(831), "831");
        assert_eq!(group_thousands(1_000_000), "1\u{a0}000\u{a0}000");
    }
}
