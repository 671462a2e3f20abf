//! The commune index, built at build time by `build.rs` and embedded in the
//! binary: records sorted by INSEE code and (key, commune) pairs sorted by key,
//! all searched by binary search, so that a command pays nothing for the table it
//! does not read. A commune is turned into a [`Commune`] the first time it is
//! asked for, and kept. Also the similarity scan behind "did you mean".

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

pub(super) use super::keys::{fold_into, name_key};
use super::{
    Commune, MAX_FUZZY_LEN, MAX_SUGGESTIONS, MIN_SIMILARITY, Qualifier, Resolution,
    TERRITOIRES_TSV, Territoire,
};

include!(concat!(env!("OUT_DIR"), "/communes_count.rs"));

/// Every name, key and code of the table, concatenated; spans point into it.
static TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/communes.txt"));
/// [`RECORD`] words per commune, sorted by INSEE code (see `build.rs`).
static RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/communes.bin"));
/// (key span, commune) sorted by key: full names and arrondissement aliases.
static NAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/names.bin"));
/// (key span, commune) sorted by key: names without their leading article.
static LOOSE_NAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/loose.bin"));
/// (postal code span, commune) sorted by code.
static POSTAL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/postal.bin"));

const RECORD: usize = 9;
const CODE: usize = 0;
const NOM: usize = 1;
const DEPARTEMENT: usize = 2;
const PARENT: usize = 3;
const INTERCO: usize = 4;
const POSTAUX: usize = 5;
const POPULATION: usize = 6;
const KEY: usize = 7;
const ARTICLE: usize = 8;

fn word(bytes: &[u8], n: usize) -> u32 {
    let at = n * 4;
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn text(span: u32) -> &'static str {
    let start = (span >> 8) as usize;
    &TEXT[start..start + (span & 0xff) as usize]
}

pub(super) fn push_unique(list: &mut Vec<usize>, i: usize) {
    if !list.contains(&i) {
        list.push(i);
    }
}

/// The embedded commune index; every method is a lookup in static data.
pub(super) struct Index {
    /// Communes already turned into [`Commune`]s, by record number.
    communes: [OnceLock<Commune>; COUNT],
}

pub(super) struct Territoires {
    pub(super) departements: HashMap<&'static str, Territoire>,
    pub(super) intercos: HashMap<&'static str, Territoire>,
}

pub(super) fn index() -> &'static Index {
    static INDEX: Index = Index {
        communes: [const { OnceLock::new() }; COUNT],
    };
    &INDEX
}

pub(super) fn territoires() -> &'static Territoires {
    static TERRITOIRES: OnceLock<Territoires> = OnceLock::new();
    TERRITOIRES.get_or_init(Territoires::build)
}

/// The tab-separated fields of one data row; panics on a malformed row.
pub(super) fn fields<const N: usize>(
    file: &str,
    number: usize,
    line: &'static str,
) -> [&'static str; N] {
    let mut row = [""; N];
    let mut count = 0;
    let mut start = 0;
    for (at, byte) in line.bytes().enumerate() {
        if byte == b'\t' {
            assert!(
                count + 1 < N,
                "{file}, ligne {} : plus de {N} colonnes : {line:?}",
                number + 1
            );
            row[count] = &line[start..at];
            count += 1;
            start = at + 1;
        }
    }
    assert!(
        count + 1 == N,
        "{file}, ligne {} : moins de {N} colonnes : {line:?}",
        number + 1
    );
    row[count] = &line[start..];
    row
}

/// Data rows of an embedded table, with their line numbers.
pub(super) fn rows(text: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

impl Territoires {
    pub(super) fn build() -> Self {
        let mut departements = HashMap::new();
        let mut intercos = HashMap::new();
        for (n, line) in rows(TERRITOIRES_TSV) {
            let [kind, code, nom] = fields::<3>("territoires.tsv", n, line);
            let map = match kind {
                "DEP" => &mut departements,
                "EPT" | "EPCI" => &mut intercos,
                _ => panic!("territoires.tsv, ligne {} : type inconnu {kind:?}", n + 1),
            };
            map.insert(code, Territoire { code, nom });
        }
        Self {
            departements,
            intercos,
        }
    }
}

/// The records of a sorted pair table whose key equals `key`.
fn pairs_equal(table: &'static [u8], key: &str) -> impl Iterator<Item = usize> {
    let count = table.len() / 8;
    let key_at = |n: usize| text(word(table, 2 * n));
    let start = partition(count, |n| key_at(n) < key);
    let end = start + partition(count - start, |n| key_at(start + n) <= key);
    (start..end).map(move |n| word(table, 2 * n + 1) as usize)
}

/// The first of `0..count` for which `before` is false (`before` holds on a prefix).
fn partition(count: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, count);
    while low < high {
        let mid = low + (high - low) / 2;
        if before(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

impl Index {
    fn field(&self, i: usize, f: usize) -> u32 {
        word(RECORDS, i * RECORD + f)
    }

    fn str_field(&self, i: usize, f: usize) -> &'static str {
        text(self.field(i, f))
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        COUNT
    }

    pub(super) fn range(&self) -> Range<usize> {
        0..COUNT
    }

    pub(super) fn code(&self, i: usize) -> &'static str {
        self.str_field(i, CODE)
    }

    pub(super) fn departement(&self, i: usize) -> &'static str {
        self.str_field(i, DEPARTEMENT)
    }

    pub(super) fn population(&self, i: usize) -> u32 {
        self.field(i, POPULATION)
    }

    /// The postal codes of a commune, joined by commas.
    pub(super) fn postal_codes(&self, i: usize) -> &'static str {
        self.str_field(i, POSTAUX)
    }

    /// The normalised name of a commune, with the length of its leading article.
    pub(super) fn key(&self, i: usize) -> (&'static str, usize) {
        (self.str_field(i, KEY), self.field(i, ARTICLE) as usize)
    }

    pub(super) fn keys(&self) -> impl Iterator<Item = (&'static str, usize)> + '_ {
        self.range().map(|i| self.key(i))
    }

    /// The commune of record `i`, made once.
    pub(super) fn commune(&'static self, i: usize) -> &'static Commune {
        self.communes[i].get_or_init(|| {
            let optional = |f| Some(self.str_field(i, f)).filter(|s| !s.is_empty());
            Commune {
                code: self.code(i),
                nom: self.str_field(i, NOM),
                departement: self.departement(i),
                parent: optional(PARENT),
                interco: optional(INTERCO),
                codes_postaux: self
                    .postal_codes(i)
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .collect(),
            }
        })
    }

    /// Every commune, in INSEE code order.
    #[cfg(test)]
    pub(super) fn communes(&'static self) -> impl Iterator<Item = &'static Commune> {
        self.range().map(|i| self.commune(i))
    }

    pub(super) fn by_insee(&self, code: &str) -> Option<usize> {
        let find = |code: &str| {
            let at = partition(COUNT, |i| self.code(i) < code);
            (at < COUNT && self.code(at) == code).then_some(at)
        };
        let code = code.trim();
        find(code).or_else(|| find(code.to_ascii_uppercase().as_str()))
    }

    pub(super) fn by_postal(&self, code: &str) -> Vec<usize> {
        pairs_equal(POSTAL, code).collect()
    }

    /// The commune with this INSEE code first (and whether there is one),
    /// then those with this postal code.
    pub(super) fn by_any_code(&self, code: &str) -> (Vec<usize>, bool) {
        let mut found: Vec<usize> = self.by_insee(code).into_iter().collect();
        let by_insee = !found.is_empty();
        for i in self.by_postal(code) {
            push_unique(&mut found, i);
        }
        (found, by_insee)
    }

    /// Communes whose name matches, exactly or but for the leading article.
    pub(super) fn by_name(&self, name: &str) -> Vec<usize> {
        let (key, article) = name_key(name);
        if key.is_empty() {
            return Vec::new();
        }
        let found: Vec<usize> = pairs_equal(NAMES, &key).collect();
        if !found.is_empty() {
            return found;
        }
        let loose = &key[article..];
        let mut found: Vec<usize> = pairs_equal(NAMES, loose).collect();
        for i in pairs_equal(LOOSE_NAMES, loose) {
            push_unique(&mut found, i);
        }
        found
    }

    pub(super) fn resolve_qualified(
        &'static self,
        name: &str,
        qualifier: Qualifier<'_>,
    ) -> Resolution {
        let candidates = self.by_name(name);
        let matching: Vec<usize> = match qualifier {
            Qualifier::Departement(dep) => candidates
                .iter()
                .copied()
                .filter(|&i| self.departement(i) == dep)
                .collect(),
            Qualifier::Postal(code) => self
                .by_postal(code)
                .into_iter()
                .filter(|&i| {
                    candidates.contains(&i) || {
                        let parent = self.str_field(i, PARENT);
                        !parent.is_empty() && candidates.iter().any(|&j| self.code(j) == parent)
                    }
                })
                .collect(),
        };
        if !matching.is_empty() {
            return self.resolution(matching, 0);
        }
        let suggestions = if candidates.is_empty() {
            let dep = match qualifier {
                Qualifier::Departement(dep) => Some(dep),
                Qualifier::Postal(_) => None,
            };
            let near = self.nearest(name, dep, MAX_SUGGESTIONS);
            if near.is_empty() {
                self.nearest(name, None, MAX_SUGGESTIONS)
            } else {
                near
            }
        } else {
            let mut sorted = candidates;
            self.sort_by_population(&mut sorted);
            sorted.truncate(MAX_SUGGESTIONS);
            sorted
        };
        Resolution::Unknown(self.commune_refs(&suggestions))
    }

    /// Found, Ambiguous (most populated first, except the first `keep_first`
    /// which stay in front) or, for no candidate, Unknown without suggestion.
    pub(super) fn resolution(
        &'static self,
        mut candidates: Vec<usize>,
        keep_first: usize,
    ) -> Resolution {
        match candidates.len() {
            0 => Resolution::Unknown(Vec::new()),
            1 => Resolution::Found(self.commune(candidates[0])),
            _ => {
                let keep_first = keep_first.min(candidates.len());
                self.sort_by_population(&mut candidates[keep_first..]);
                Resolution::Ambiguous(self.commune_refs(&candidates))
            }
        }
    }

    pub(super) fn sort_by_population(&self, list: &mut [usize]) {
        list.sort_by(|&a, &b| {
            self.population(b)
                .cmp(&self.population(a))
                .then(self.code(a).cmp(self.code(b)))
        });
    }

    /// The names closest to `text` (optionally within one département), best first.
    pub(super) fn nearest(&self, text: &str, dep: Option<&str>, limit: usize) -> Vec<usize> {
        let (key, article) = name_key(text);
        let in_dep = |i: usize| dep.is_none_or(|d| self.departement(i) == d);
        self.fuzzy(&key, article, in_dep, limit)
    }

    /// The `limit` communes accepted by `keep` whose names are the most
    /// similar to a typed key (Jaro-Winkler, at least [`MIN_SIMILARITY`]),
    /// best first, the most populated first among equals. A bound computed
    /// from letter counts skips most names without scoring them.
    pub(super) fn fuzzy(
        &self,
        key: &str,
        article: usize,
        keep: impl Fn(usize) -> bool,
        limit: usize,
    ) -> Vec<usize> {
        if key.is_empty() || key.len() > MAX_FUZZY_LEN || limit == 0 {
            return Vec::new();
        }
        let loose = &key[article..];
        let (key_counts, loose_counts) = (letter_counts(key), letter_counts(loose));
        let better = |a: &(f64, usize), b: &(f64, usize)| {
            b.0.total_cmp(&a.0)
                .then(self.population(b.1).cmp(&self.population(a.1)))
                .then(self.code(a.1).cmp(self.code(b.1)))
        };
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(limit + 1);
        for (i, (full, art)) in self.keys().enumerate() {
            if !keep(i) {
                continue;
            }
            let floor = if best.len() < limit {
                MIN_SIMILARITY
            } else {
                best[limit - 1].0
            };
            let full_counts = letter_counts(full);
            let mut own_loose_counts = full_counts;
            for b in full[..art].bytes() {
                if let Some(slot) = letter_slot(b) {
                    own_loose_counts[slot] -= 1;
                }
            }
            let bound = similarity_bound(key, full, &key_counts, &full_counts).max(
                similarity_bound(loose, &full[art..], &loose_counts, &own_loose_counts),
            );
            // The margin absorbs rounding, so that ties are still scored.
            if bound + 1e-9 < floor {
                continue;
            }
            let score = similarity(key, loose, full, art);
            if score < floor {
                continue;
            }
            let candidate = (score, i);
            let at = best.partition_point(|b| better(b, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(limit);
        }
        best.into_iter().map(|(_, i)| i).collect()
    }

    pub(super) fn commune_refs(&'static self, list: &[usize]) -> Vec<&'static Commune> {
        list.iter().map(|&i| self.commune(i)).collect()
    }
}

/// Similarity of a typed key (and its article-less form) to a commune's key.
pub(super) fn similarity(key: &str, loose: &str, full: &str, article: usize) -> f64 {
    let whole = strsim::jaro_winkler(key, full);
    let without_article = strsim::jaro_winkler(loose, &full[article..]);
    whole.max(without_article)
}

/// How many times each letter and digit occurs in a key.
pub(super) type LetterCounts = [u16; 36];

pub(super) fn letter_slot(byte: u8) -> Option<usize> {
    match byte {
        b'a'..=b'z' => Some(usize::from(byte - b'a')),
        b'0'..=b'9' => Some(26 + usize::from(byte - b'0')),
        _ => None,
    }
}

pub(super) fn letter_counts(key: &str) -> LetterCounts {
    let mut counts = [0u16; 36];
    for slot in key.bytes().filter_map(letter_slot) {
        counts[slot] = counts[slot].saturating_add(1);
    }
    counts
}

/// An upper bound of `strsim::jaro_winkler(a, b)` for ASCII keys: Jaro
/// counts at most as many matches as the letters the two keys share, and
/// Winkler adds a tenth of the remaining gap per common leading letter.
pub(super) fn similarity_bound(
    a: &str,
    b: &str,
    a_counts: &LetterCounts,
    b_counts: &LetterCounts,
) -> f64 {
    let shared: u32 = a_counts
        .iter()
        .zip(b_counts)
        .map(|(x, y)| u32::from(*x.min(y)))
        .sum();
    if shared == 0 || a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = f64::from(shared);
    let jaro =
        ((shared / a.len() as f64).min(1.0) + (shared / b.len() as f64).min(1.0) + 1.0) / 3.0;
    let prefix = a
        .bytes()
        .zip(b.bytes())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// `insee 01400`, `INSEE:01400`, `code insee 01400` → (true, `01400`);
/// `cp 01400`, `code postal 01400` → (false, `01400`).
pub(super) fn split_code_kind(text: &str) -> Option<(bool, &str)> {
    let kinds = [
        ("code insee", true),
        ("insee", true),
        ("code postal", false),
        ("cp", false),
    ];
    kinds.into_iter().find_map(|(prefix, insee)| {
        let head = text.get(..prefix.len())?;
        if !head.eq_ignore_ascii_case(prefix) {
            return None;
        }
        let code = text[prefix.len()..].trim_start_matches([' ', '\t', ':']);
        let valid = if insee {
            is_code_like(code)
        } else {
            code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
        };
        valid.then_some((insee, code))
    })
}

/// Five characters that can only be a code: digits, or `2A`/`2B` then digits.
pub(super) fn is_code_like(text: &str) -> bool {
    text.len() == 5 && is_code_prefix(text)
}

pub(super) fn is_code_prefix(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes {
        [b'2', b'a' | b'A' | b'b' | b'B', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit),
    }
}

/// `Saint-Denis (93)` → (`Saint-Denis`, `93`).
pub(super) fn split_parenthesised(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_suffix(')')?;
    let (name, qualifier) = inner.rsplit_once('(')?;
    let name = name.trim();
    (!name.is_empty()).then_some((name, qualifier))
}
