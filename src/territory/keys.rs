//! Matching keys of commune names: folded to ASCII, words glued, `st` spelled out,
//! the leading article measured. Shared by the resolver and by `build.rs`, which
//! computes the keys of the bundled table once, at build time; so this file uses
//! nothing but `std` and `deunicode`.

use deunicode::deunicode_char;

/// Leading articles that may be omitted or changed when typing a name.
pub const ARTICLES: [&str; 4] = ["le", "la", "les", "l"];

/// Writes `name` into `out` as ASCII lower-case letters and digits, every
/// other character (space, hyphen, apostrophe…) becoming a space.
pub fn fold_into(name: &str, out: &mut String) {
    fn push(out: &mut String, c: char) {
        out.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            ' '
        });
    }
    out.clear();
    for c in name.chars() {
        if c.is_ascii() {
            push(out, c);
        } else {
            deunicode_char(c)
                .unwrap_or(" ")
                .chars()
                .for_each(|a| push(out, a));
        }
    }
}

/// Appends the matching key of a folded name to `key`: its words glued
/// together, `st`/`ste` spelled out. Returns the byte length of a leading
/// article (`le`, `la`, `les`, `l'`), zero when there is none.
pub fn push_key(folded: &str, key: &mut String) -> usize {
    let start = key.len();
    let mut article = 0;
    for (n, word) in folded.split_ascii_whitespace().enumerate() {
        key.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            _ => word,
        });
        if n == 0 && ARTICLES.contains(&word) {
            article = word.len();
        }
    }
    if start + article == key.len() {
        article = 0; // a lone article is a name, not an article
    }
    article
}

/// The matching key of a name, and the length of its leading article:
/// `L'Haÿ-les-Roses` → (`lhaylesroses`, 1).
pub fn name_key(name: &str) -> (String, usize) {
    let mut folded = String::with_capacity(name.len());
    fold_into(name, &mut folded);
    let mut key = String::with_capacity(folded.len());
    let article = push_key(&folded, &mut key);
    (key, article)
}

/// Other keys of `paris 18e arrondissement` (folded): `paris18`, `paris18e`,
/// `paris18eme`, `paris18earr`…, and `lyon1er`, `lyon1`, `lyon1e`…
#[allow(dead_code)] // for build.rs: the index holds the aliases it computed
pub fn arrondissement_aliases(folded: &str) -> Vec<String> {
    let Some(at) = folded.find(|c: char| c.is_ascii_digit()) else {
        return Vec::new();
    };
    let (base, rest) = folded.split_at(at);
    let digits = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    let mut prefix = String::new();
    push_key(base, &mut prefix);
    prefix.push_str(digits);
    let mut aliases = Vec::new();
    for suffix in ["", "e", "er", "ere", "eme", "ieme"] {
        for tail in ["", "arrondissement", "arrt", "arr", "ardt"] {
            aliases.push(format!("{prefix}{suffix}{tail}"));
        }
    }
    aliases
}
