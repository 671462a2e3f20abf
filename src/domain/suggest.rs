//! "Did you mean…": the known names closest to a mistyped one.

use deunicode::deunicode;

/// Lower-case ASCII with punctuation folded to spaces, for comparing names.
pub fn fold(s: &str) -> String {
    let ascii = deunicode(s).to_lowercase();
    let mapped: String = ascii
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to `limit` candidates, closest first, that are plausibly what was meant.
pub fn closest<'a>(input: &str, candidates: &'a [String], limit: usize) -> Vec<&'a str> {
    let key = fold(input);
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .map(|c| {
            let folded = fold(c);
            let mut score = strsim::jaro_winkler(&key, &folded);
            if !key.is_empty() && (folded.contains(&key) || key.contains(&folded)) {
                score = score.max(0.9);
            }
            (score, c.as_str())
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// The French sentence that ends an "unknown name" error.
pub fn hint(input: &str, candidates: &[String]) -> String {
    let near = closest(input, candidates, 3);
    if near.is_empty() {
        String::new()
    } else {
        let quoted: Vec<String> = near.iter().map(|n| format!("« {n} »")).collect();
        format!(" Vouliez-vous dire {} ?", quoted.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposes_close_names() {
        let known: Vec<String> = ["NET94", "MEDNUM94", "TOUS-NUMERIK", "BP-PARIS"]
            .map(String::from)
            .to_vec();
        assert_eq!(closest("net 94", &known, 3)[0], "NET94");
        assert_eq!(closest("mednum", &known, 3)[0], "MEDNUM94");
        assert_eq!(closest("tous numérik", &known, 3)[0], "TOUS-NUMERIK");
        assert!(closest("zzz", &known, 3).is_empty());
        assert_eq!(fold("L'Haÿ-les-Roses"), "l hay les roses");
    }
}
