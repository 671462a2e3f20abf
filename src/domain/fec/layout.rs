//! The header of a FEC and its data lines: where each column is, and each field read.

use super::{COLUMNS, normalise};
use crate::domain::date::check_past;
use crate::domain::money::{MAX_LINE_CENTS, Money};
use chrono::NaiveDate;

/// Integer part limit of one amount: 10 000 milliards d'euros. Beyond, it is not an amount.
pub(super) const MAX_UNITS: i64 = 10_000_000_000_000;
#[derive(Clone, Copy)]
pub(super) enum Amounts {
    DebitCredit { debit: usize, credit: usize },
    MontantSens { montant: usize, sens: usize },
}

/// Where each column is, from the header line.
pub struct Layout {
    pub(super) separator: char,
    /// Column names as written in the header, for messages.
    pub(super) names: Vec<String>,
    pub(super) journal_code: usize,
    pub(super) journal_lib: usize,
    pub(super) ecriture_num: usize,
    pub(super) ecriture_date: usize,
    pub(super) compte_num: usize,
    pub(super) compte_lib: usize,
    pub(super) comp_aux_num: usize,
    pub(super) comp_aux_lib: usize,
    pub(super) piece_ref: usize,
    pub(super) piece_date: usize,
    pub(super) ecriture_lib: usize,
    pub(super) amounts: Amounts,
    pub(super) valid_date: Option<usize>,
    /// EcritureLet, DateLet, Montantdevise, Idevise: optional columns, kept as written.
    pub(super) extra: [Option<usize>; 4],
    /// Fields a line must have: one past the last required column.
    pub(super) min_fields: usize,
}

/// One data line, borrowed from the text, fields trimmed.
pub struct Row<'a> {
    pub journal: &'a str,
    pub journal_lib: &'a str,
    pub numero: &'a str,
    pub date: NaiveDate,
    pub compte: &'a str,
    pub compte_lib: &'a str,
    pub aux_num: &'a str,
    pub aux_lib: &'a str,
    pub piece_ref: &'a str,
    pub piece_date: Option<NaiveDate>,
    pub valid_date: Option<NaiveDate>,
    pub libelle: &'a str,
    pub debit: i64,
    pub credit: i64,
    /// EcritureLet, DateLet, Montantdevise, Idevise as written (empty when absent).
    pub extra: [&'a str; 4],
}

impl Layout {
    pub fn read(header: &str) -> std::result::Result<Layout, String> {
        let tabs = header.matches('\t').count();
        let pipes = header.matches('|').count();
        let separator = if tabs == 0 && pipes == 0 {
            let hint = if header.contains(';') {
                "les colonnes semblent séparées par des points-virgules (un CSV de tableur) ; "
            } else {
                ""
            };
            return Err(format!(
                "séparateur introuvable : {hint}la première ligne d'un FEC nomme ses colonnes séparées par des tabulations ou des barres verticales « | » (JournalCode, JournalLib, EcritureNum…)"
            ));
        } else if tabs >= pipes {
            '\t'
        } else {
            '|'
        };
        let names: Vec<String> = header
            .split(separator)
            .map(|n| unquote(n.trim()).to_owned())
            .collect();
        let keys: Vec<String> = names.iter().map(|n| column_key(n)).collect();
        let mut duplicated = Vec::new();
        let find = |wanted: &str, duplicated: &mut Vec<String>| -> Option<usize> {
            let key = column_key(wanted);
            let mut at = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == key)
                .map(|(i, _)| i);
            let first = at.next();
            if let (Some(a), Some(b)) = (first, at.next()) {
                duplicated.push(format!("{wanted} (colonnes {} et {})", a + 1, b + 1));
            }
            first
        };
        // The first eleven official columns, up to EcritureLib; amounts come after.
        let required: [&str; 11] = COLUMNS[..11].try_into().expect("18 columns");
        let mut missing = Vec::new();
        let mut at = [0usize; 11];
        for (slot, name) in at.iter_mut().zip(required) {
            match find(name, &mut duplicated) {
                Some(i) => *slot = i,
                None => missing.push(name.to_owned()),
            }
        }
        let debit = find("Debit", &mut duplicated);
        let credit = find("Credit", &mut duplicated);
        let montant = find("Montant", &mut duplicated);
        let sens = find("Sens", &mut duplicated);
        let amounts = match (debit, credit, montant, sens) {
            (Some(debit), Some(credit), _, _) => Some(Amounts::DebitCredit { debit, credit }),
            (_, _, Some(montant), Some(sens)) => Some(Amounts::MontantSens { montant, sens }),
            (Some(_), None, _, _) => {
                missing.push("Credit".into());
                None
            }
            (None, Some(_), _, _) => {
                missing.push("Debit".into());
                None
            }
            (None, None, Some(_), None) => {
                missing.push("Sens".into());
                None
            }
            (None, None, None, Some(_)) => {
                missing.push("Montant".into());
                None
            }
            (None, None, None, None) => {
                missing.push("Debit et Credit (ou Montant et Sens)".into());
                None
            }
        };
        let valid_date = find("ValidDate", &mut duplicated);
        let extra = ["EcritureLet", "DateLet", "Montantdevise", "Idevise"]
            .map(|name| find(name, &mut duplicated));
        if !duplicated.is_empty() {
            return Err(format!(
                "colonne en double dans l'en-tête : {}",
                duplicated.join(", ")
            ));
        }
        if missing.len() > 11 {
            return Err(format!(
                "la première ligne ne ressemble pas à un en-tête de FEC : on attend les noms des colonnes ({}), on lit « {} »",
                COLUMNS.join(", "),
                shorten(header, 80)
            ));
        }
        let Some(amounts) = amounts.filter(|_| missing.is_empty()) else {
            let (s, verb) = if missing.len() > 1 {
                ("s", "manquent")
            } else {
                ("", "manque")
            };
            return Err(format!(
                "colonne{s} {} {verb} dans l'en-tête ; un FEC nomme sur sa première ligne les colonnes {}",
                missing.join(", "),
                COLUMNS.join(", ")
            ));
        };
        let amount_cols = match amounts {
            Amounts::DebitCredit { debit, credit } => [debit, credit],
            Amounts::MontantSens { montant, sens } => [montant, sens],
        };
        let min_fields = at.iter().chain(&amount_cols).max().copied().unwrap_or(0) + 1;
        Ok(Layout {
            separator,
            names,
            journal_code: at[0],
            journal_lib: at[1],
            ecriture_num: at[2],
            ecriture_date: at[3],
            compte_num: at[4],
            compte_lib: at[5],
            comp_aux_num: at[6],
            comp_aux_lib: at[7],
            piece_ref: at[8],
            piece_date: at[9],
            ecriture_lib: at[10],
            amounts,
            valid_date,
            extra,
            min_fields,
        })
    }

    /// Reads one data line (already split). The error names the line, the column, the value.
    /// When the line has more fields than the header, the error says a label may hold
    /// the separator: every column after it is then shifted.
    pub(super) fn row<'a>(
        &self,
        fields: &[&'a str],
        line: usize,
    ) -> std::result::Result<Row<'a>, String> {
        let sep_name = self.separator_name();
        if fields.len() < self.min_fields {
            return Err(format!(
                "ligne {line} : {} champs seulement, il en faut {} (séparateur : {sep_name}) ; un libellé contient-il un retour à la ligne ?",
                fields.len(),
                self.min_fields
            ));
        }
        if fields.len() > self.names.len()
            && fields[self.names.len()..]
                .iter()
                .any(|f| !f.trim().is_empty())
        {
            return Err(format!(
                "ligne {line} : {} champs alors que l'en-tête nomme {} colonnes ; un libellé contient-il le séparateur ({sep_name}) ?",
                fields.len(),
                self.names.len()
            ));
        }
        self.row_fields(fields, line).map_err(|message| {
            if fields.len() > self.names.len() {
                format!(
                    "{message} ; la ligne a {} champs pour {} colonnes : un libellé contient-il le séparateur ({}) ?",
                    fields.len(),
                    self.names.len(),
                    sep_name
                )
            } else {
                message
            }
        })
    }

    /// Reads one line of the file, its line end removed: None when it is blank (nothing
    /// but spaces and separators). The error names the line, the column, the value.
    pub fn record<'a>(
        &self,
        l: &'a str,
        line: usize,
        fields: &mut Vec<&'a str>,
    ) -> std::result::Result<Option<Row<'a>>, String> {
        let sep = self.separator as u8;
        if l.bytes().all(|b| b == sep || b.is_ascii_whitespace()) {
            return Ok(None);
        }
        if let Some((at, c)) = control_char(l, sep) {
            return Err(format!(
                "ligne {line}, caractère {at} : caractère de contrôle U+{:04X} interdit dans un FEC (seul le séparateur, {}, sépare les colonnes) ; retirez-le",
                c as u32,
                self.separator_name()
            ));
        }
        fields.clear();
        let mut start = 0;
        for (at, &b) in l.as_bytes().iter().enumerate() {
            if b == sep {
                fields.push(&l[start..at]);
                start = at + 1;
            }
        }
        fields.push(&l[start..]);
        self.row(fields, line).map(Some)
    }

    /// `'\t'` or `'|'`.
    pub fn separator(&self) -> char {
        self.separator
    }

    fn separator_name(&self) -> &'static str {
        if self.separator == '\t' {
            "la tabulation"
        } else {
            "« | »"
        }
    }

    fn row_fields<'a>(
        &self,
        fields: &[&'a str],
        line: usize,
    ) -> std::result::Result<Row<'a>, String> {
        let get = |i: usize| -> &'a str { fields.get(i).map_or("", |f| unquote(f.trim_ascii())) };
        let at = |i: usize, msg: String| format!("ligne {line}, colonne {} : {msg}", self.names[i]);
        let required = |i: usize| -> std::result::Result<&'a str, String> {
            let v = get(i);
            if v.is_empty() {
                Err(at(i, "valeur vide, elle est obligatoire".into()))
            } else {
                Ok(v)
            }
        };
        let opt_date = |i: usize| -> std::result::Result<Option<NaiveDate>, String> {
            let v = get(i);
            if matches!(v, "" | "-" | "/" | "00000000") {
                return Ok(None);
            }
            parse_date(v).map(Some).ok_or_else(|| {
                at(
                    i,
                    format!("date « {v} » illisible : attendu AAAAMMJJ, par exemple 20240131"),
                )
            })
        };
        let amount = |i: usize| -> std::result::Result<i64, String> {
            let v = get(i);
            parse_amount(v).map_err(|why| at(i, format!("montant « {v} » {why}")))
        };

        let journal = required(self.journal_code)?;
        let numero = required(self.ecriture_num)?;
        let date = opt_date(self.ecriture_date)?.ok_or_else(|| {
            at(
                self.ecriture_date,
                format!(
                    "date « {} » absente, elle est obligatoire (AAAAMMJJ)",
                    get(self.ecriture_date)
                ),
            )
        })?;
        // The rule of the commands: an entry is recorded once made, from 2000 on.
        check_past(date, get(self.ecriture_date))
            .map_err(|e| at(self.ecriture_date, format!("{e:#}")))?;
        // PieceDate and ValidDate often repeat EcritureDate: no need to parse them again.
        let date_text = get(self.ecriture_date);
        let same_or = |i: usize| -> std::result::Result<Option<NaiveDate>, String> {
            if get(i) == date_text {
                Ok(Some(date))
            } else {
                opt_date(i)
            }
        };
        let compte = required(self.compte_num)?;
        if !compte.bytes().all(|b| b.is_ascii_digit()) {
            return Err(at(
                self.compte_num,
                format!(
                    "numéro de compte « {compte} » invalide : des chiffres seulement (plan comptable), par exemple 512000"
                ),
            ));
        }
        let amount_cols = match self.amounts {
            Amounts::DebitCredit { debit, credit } => [(debit, "débit"), (credit, "crédit")],
            Amounts::MontantSens { montant, .. } => [(montant, "débit"), (montant, "crédit")],
        };
        let (debit, credit) = match self.amounts {
            Amounts::DebitCredit { debit, credit } => (amount(debit)?, amount(credit)?),
            Amounts::MontantSens { montant, sens } => {
                let m = amount(montant)?;
                match get(sens) {
                    "D" | "d" | "+1" | "1" => (m, 0),
                    "C" | "c" | "-1" => (0, m),
                    other => {
                        return Err(at(
                            sens,
                            format!(
                                "sens « {other} » inconnu : attendu D (débit) ou C (crédit), ou +1 / -1"
                            ),
                        ));
                    }
                }
            }
        };
        let (debit, credit) = normalise(debit, credit);
        for (amount, (col, side)) in [(debit, amount_cols[0]), (credit, amount_cols[1])] {
            if amount > MAX_LINE_CENTS {
                return Err(at(
                    col,
                    format!(
                        "montant {} au {side} : plus que la limite d'une ligne du registre, {} ; vérifiez la virgule ou le montant",
                        Money(amount),
                        Money(MAX_LINE_CENTS)
                    ),
                ));
            }
        }
        Ok(Row {
            journal,
            journal_lib: get(self.journal_lib),
            numero,
            date,
            compte,
            compte_lib: get(self.compte_lib),
            aux_num: get(self.comp_aux_num),
            aux_lib: get(self.comp_aux_lib),
            piece_ref: get(self.piece_ref),
            piece_date: same_or(self.piece_date)?,
            valid_date: match self.valid_date {
                Some(i) => same_or(i)?,
                None => None,
            },
            extra: self.extra.map(|i| i.map_or("", get)),
            libelle: get(self.ecriture_lib),
            debit,
            credit,
        })
    }
}
/// `AAAAMMJJ`, also `AAAA-MM-JJ` and `JJ/MM/AAAA`; years 1900 to 2199.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    let (y, m, d) = match b.len() {
        8 => (num(&b[0..4])?, num(&b[4..6])?, num(&b[6..8])?),
        10 if b[4] == b'-' && b[7] == b'-' => (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?),
        10 if b[2] == b'/' && b[5] == b'/' => (num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?),
        _ => return None,
    };
    if !(1900..2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// An amount in cents: optional sign, digits, optional `,` or `.` and at most two
/// significant decimals. Empty is 0. The error completes « montant « X » … ».
pub(super) fn parse_amount(s: &str) -> std::result::Result<i64, &'static str> {
    const HINT: &str = "illisible : attendu des chiffres avec une virgule décimale, sans séparateur de milliers, par exemple 1234,50";
    let b = s.as_bytes();
    let (negative, digits) = match b.first() {
        None => return Ok(0),
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        Some(_) => (false, b),
    };
    let mut units: i64 = 0;
    let mut cents: i64 = 0;
    let mut decimals = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                let d = (c - b'0') as i64;
                seen_digit = true;
                if !seen_point {
                    units = units * 10 + d;
                    if units >= MAX_UNITS {
                        return Err("démesuré : plus de treize chiffres avant la virgule");
                    }
                } else {
                    decimals += 1;
                    if decimals <= 2 {
                        cents = cents * 10 + d;
                    } else if d != 0 {
                        return Err("a plus de deux décimales : un montant se compte en centimes");
                    }
                }
            }
            b',' | b'.' if !seen_point => seen_point = true,
            _ => return Err(HINT),
        }
    }
    if !seen_digit {
        return Err(HINT);
    }
    if decimals == 1 {
        cents *= 10;
    }
    let value = units * 100 + cents;
    Ok(if negative { -value } else { value })
}

/// A negative debit is a credit, a negative credit a debit: both ≥ 0 afterwards.
/// Strips one pair of surrounding double quotes, and the spaces inside them.
pub(super) fn unquote(s: &str) -> &str {
    match s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.trim(),
        None => s,
    }
}

/// Text as a FEC writes it; empty, `-` and `/` mean nothing.
pub(super) fn text_of(s: &str) -> Option<String> {
    match s {
        "" | "-" | "/" => None,
        _ => Some(s.to_owned()),
    }
}

/// A column name reduced for comparison: `Débit`, `debit`, `DEBIT` are one.
pub(super) fn column_key(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub(super) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The first control character of a line (1-based position) other than its separator.
fn control_char(line: &str, sep: u8) -> Option<(usize, char)> {
    let ascii_ok = line
        .bytes()
        .all(|b| (b >= 0x20 && b != 0x7F && b < 0x80) || b == sep);
    if ascii_ok {
        return None;
    }
    line.chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && c != char::from(sep))
        .map(|(i, c)| (i + 1, c))
}
