//! The in-memory index over the embedded tables: built once, then hash-map lookups
//! on normalised keys, and the similarity scan behind "did you mean".

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::OnceLock;

use deunicode::deunicode_char;

use super::{
    ARTICLES, COMMUNES_TSV, Commune, MAX_FUZZY_LEN, MAX_SUGGESTIONS, MIN_SIMILARITY, Qualifier,
    Resolution, TERRITOIRES_TSV, Territoire,
};

/// FxHash: much faster than the default SipHash on short keys. Every key
/// comes from the embedded data, so there is no flooding to defend against.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut word = [0; 8];
        let rest = chunks.remainder();
        word[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(word));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

pub(super) fn fast_map<K, V>(capacity: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default())
}

/// Indices of the communes sharing a key: almost always just one.
#[derive(Debug)]
pub(super) enum Ids {
    One(usize),
    Many(Vec<usize>),
}

impl Ids {
    fn as_slice(&self) -> &[usize] {
        match self {
            Self::One(i) => std::slice::from_ref(i),
            Self::Many(list) => list,
        }
    }
}

pub(super) fn add_id<K: Eq + Hash>(map: &mut FastMap<K, Ids>, key: K, i: usize) {
    match map.entry(key) {
        Entry::Vacant(slot) => {
            slot.insert(Ids::One(i));
        }
        Entry::Occupied(mut slot) => {
            let ids = slot.get_mut();
            match ids {
                Ids::One(j) if *j == i => {}
                Ids::One(j) => *ids = Ids::Many(vec![*j, i]),
                Ids::Many(list) => push_unique(list, i),
            }
        }
    }
}

pub(super) fn push_unique(list: &mut Vec<usize>, i: usize) {
    if !list.contains(&i) {
        list.push(i);
    }
}

/// The in-memory index over the embedded communes table.
pub(super) struct Index {
    pub(super) communes: Vec<Commune>,
    pub(super) population: Vec<u32>,
    /// Normalised name of each commune, with the length of its leading article.
    pub(super) keys: Vec<(&'static str, usize)>,
    pub(super) insee: FastMap<&'static str, usize>,
    pub(super) postal: FastMap<&'static str, Ids>,
    /// Full normalised names, plus `paris18`-like arrondissement aliases.
    pub(super) names: FastMap<&'static str, Ids>,
    /// Names without their leading article, for names that have one.
    pub(super) loose_names: FastMap<&'static str, Ids>,
}

pub(super) struct Territoires {
    pub(super) departements: HashMap<&'static str, Territoire>,
    pub(super) intercos: HashMap<&'static str, Territoire>,
}

pub(super) fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(Index::build)
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

pub(super) fn non_empty(s: &'static str) -> Option<&'static str> {
    (!s.is_empty()).then_some(s)
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

impl Index {
    pub(super) fn build() -> Self {
        let capacity = COMMUNES_TSV.len() / 40;
        let mut communes = Vec::with_capacity(capacity);
        let mut population = Vec::with_capacity(capacity);
        // Every normalised key is written into one arena, whose slices then
        // serve as hash-map keys without an allocation each.
        let mut arena = String::with_capacity(COMMUNES_TSV.len() / 3);
        let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(capacity);
        let mut alias_spans: Vec<(usize, usize, usize)> = Vec::new();
        let mut folded = String::new();
        for (n, line) in rows(COMMUNES_TSV) {
            let [code, nom, dep, parent, interco, cps, pop] = fields::<7>("communes.tsv", n, line);
            let i = communes.len();
            population.push(pop.parse().unwrap_or_else(|_| {
                panic!(
                    "communes.tsv, ligne {} : population illisible {pop:?}",
                    n + 1
                )
            }));
            fold_into(nom, &mut folded);
            let start = arena.len();
            let article = push_key(&folded, &mut arena);
            spans.push((start, arena.len(), article));
            if !parent.is_empty() {
                push_arrondissement_aliases(&folded, &mut arena, |start, end| {
                    alias_spans.push((start, end, i));
                });
            }
            communes.push(Commune {
                code,
                nom,
                departement: dep,
                parent: non_empty(parent),
                interco: non_empty(interco),
                codes_postaux: cps.split(',').filter(|p| !p.is_empty()).collect(),
            });
        }
        // Built once and kept for the whole run, like the index itself.
        let arena: &'static str = arena.leak();

        let mut insee = fast_map(communes.len());
        let mut postal = fast_map(communes.len() / 4);
        let mut names = fast_map(communes.len() + alias_spans.len());
        let mut loose_names = fast_map(communes.len() / 8);
        let mut keys = Vec::with_capacity(communes.len());
        for (i, (c, &(start, end, article))) in communes.iter().zip(&spans).enumerate() {
            let previous = insee.insert(c.code, i);
            assert!(
                previous.is_none(),
                "communes.tsv : code {} en double",
                c.code
            );
            for p in &c.codes_postaux {
                add_id(&mut postal, *p, i);
            }
            let key = &arena[start..end];
            add_id(&mut names, key, i);
            if article > 0 {
                add_id(&mut loose_names, &key[article..], i);
            }
            keys.push((key, article));
        }
        for &(start, end, i) in &alias_spans {
            add_id(&mut names, &arena[start..end], i);
        }
        // A postal code of both a city and one of its arrondissements
        // (75018: Paris and Paris 18e) designates the arrondissement.
        for ids in postal.values_mut() {
            if let Ids::Many(list) = ids {
                let parents: Vec<&str> = list.iter().filter_map(|&i| communes[i].parent).collect();
                list.retain(|&i| !parents.contains(&communes[i].code));
            }
        }
        Self {
            communes,
            population,
            keys,
            insee,
            postal,
            names,
            loose_names,
        }
    }

    pub(super) fn by_insee(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.insee
            .get(code)
            .or_else(|| self.insee.get(code.to_ascii_uppercase().as_str()))
            .copied()
    }

    pub(super) fn by_postal(&self, code: &str) -> &[usize] {
        self.postal.get(code).map_or(&[], Ids::as_slice)
    }

    /// The commune with this INSEE code first (and whether there is one),
    /// then those with this postal code.
    pub(super) fn by_any_code(&self, code: &str) -> (Vec<usize>, bool) {
        let mut found: Vec<usize> = self.by_insee(code).into_iter().collect();
        let by_insee = !found.is_empty();
        for &i in self.by_postal(code) {
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
        if let Some(found) = self.names.get(key.as_str()) {
            return found.as_slice().to_vec();
        }
        let loose = &key[article..];
        let mut found = self
            .names
            .get(loose)
            .map_or(Vec::new(), |ids| ids.as_slice().to_vec());
        for &i in self.loose_names.get(loose).map_or(&[][..], Ids::as_slice) {
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
                .filter(|&i| self.communes[i].departement == dep)
                .collect(),
            Qualifier::Postal(code) => self
                .by_postal(code)
                .iter()
                .copied()
                .filter(|&i| {
                    candidates.contains(&i)
                        || self.communes[i]
                            .parent
                            .is_some_and(|p| candidates.iter().any(|&j| self.communes[j].code == p))
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
            1 => Resolution::Found(&self.communes[candidates[0]]),
            _ => {
                let keep_first = keep_first.min(candidates.len());
                self.sort_by_population(&mut candidates[keep_first..]);
                Resolution::Ambiguous(self.commune_refs(&candidates))
            }
        }
    }

    pub(super) fn sort_by_population(&self, list: &mut [usize]) {
        list.sort_by(|&a, &b| {
            self.population[b]
                .cmp(&self.population[a])
                .then(self.communes[a].code.cmp(self.communes[b].code))
        });
    }

    /// The names closest to `text` (optionally within one département), best first.
    pub(super) fn nearest(&self, text: &str, dep: Option<&str>, limit: usize) -> Vec<usize> {
        let (key, article) = name_key(text);
        let in_dep = |i: usize| dep.is_none_or(|d| self.communes[i].departement == d);
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
                .then(self.population[b.1].cmp(&self.population[a.1]))
                .then(self.communes[a.1].code.cmp(self.communes[b.1].code))
        };
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(limit + 1);
        for (i, &(full, art)) in self.keys.iter().enumerate() {
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
        list.iter().map(|&i| &self.communes[i]).collect()
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

/// Writes `name` into `out` as ASCII lower-case letters and digits, every
/// other character (space, hyphen, apostrophe…) becoming a space.
pub(super) fn fold_into(name: &str, out: &mut String) {
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
pub(super) fn push_key(folded: &str, key: &mut String) -> usize {
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
pub(super) fn name_key(name: &str) -> (String, usize) {
    let mut folded = String::with_capacity(name.len());
    fold_into(name, &mut folded);
    let mut key = String::with_capacity(folded.len());
    let article = push_key(&folded, &mut key);
    (key, article)
}

/// Writes other keys of `paris 18e arrondissement` (folded) into `arena`:
/// `paris18`, `paris18e`, `paris18eme`, `paris18earr`…, and `lyon1er`,
/// `lyon1`, `lyon1e`…, reporting the span of each.
pub(super) fn push_arrondissement_aliases(
    folded: &str,
    arena: &mut String,
    mut span: impl FnMut(usize, usize),
) {
    let Some(at) = folded.find(|c: char| c.is_ascii_digit()) else {
        return;
    };
    let (base, rest) = folded.split_at(at);
    let digits = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or_default();
    let mut prefix = String::new();
    push_key(base, &mut prefix);
    prefix.push_str(digits);
    for suffix in ["", "e", "er", "ere", "eme", "ieme"] {
        for tail in ["", "arrondissement", "arrt", "arr", "ardt"] {
            let start = arena.len();
            arena.push_str(&prefix);
            arena.push_str(suffix);
            arena.push_str(tail);
            span(start, arena.len());
        }
    }
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
