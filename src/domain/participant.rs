//! A participant (a person who attends sessions), known by a pseudonymous code
//! (`P-0042`), with an optional profile: what it may hold, how it is typed, the age
//! brackets derived from the year of birth, the categories of the European Social Fund
//! (FSE), exits (sorties) and a project's targets. No I/O.

use crate::bail_user;
use crate::domain::duration::Minutes;
use crate::domain::session::resolve_commune;
use crate::domain::suggest::fold;
use crate::domain::{MAX_NAME_CHARS, MAX_SHORT_CHARS, check_lengths};
use crate::error::{field, user};
use anyhow::Result;

/// A closed list of values: (code as stored and typed, French label).
pub type Choices = &'static [(&'static str, &'static str)];

pub const SEXES: Choices = &[("f", "femme"), ("h", "homme"), ("nc", "non communiqué")];

pub const STATUTS: Choices = &[
    ("en-emploi", "en emploi"),
    ("demandeur-emploi", "demandeur d'emploi"),
    (
        "demandeur-emploi-longue-duree",
        "demandeur d'emploi de longue durée",
    ),
    ("inactif", "inactif"),
    ("scolarise", "scolarisé ou étudiant"),
    ("retraite", "retraité"),
    ("nc", "non communiqué"),
];

pub const OUI_NON: Choices = &[("oui", "oui"), ("non", "non"), ("nc", "non communiqué")];

/// Highest level of education, as ISCED (CITE) groups.
pub const DIPLOMES: Choices = &[
    ("0-2", "CITE 0–2 : jusqu'au brevet"),
    ("3-4", "CITE 3–4 : CAP, BEP, baccalauréat"),
    ("5-8", "CITE 5–8 : bac + 2 et au-delà"),
    ("nc", "non communiqué"),
];

/// Where a person went after a project.
pub const SITUATIONS: Choices = &[
    (
        "emploi-durable",
        "emploi durable (CDI ou CDD de 6 mois ou plus)",
    ),
    ("emploi-court", "emploi de moins de 6 mois"),
    ("formation-qualifiante", "formation qualifiante"),
    ("creation-activite", "création d'activité"),
    ("recherche-emploi", "en recherche d'emploi"),
    ("inactif", "inactif"),
    ("abandon", "abandon"),
    ("nc", "non communiqué"),
];

/// The exits that count as positive: a job of six months or more, a qualifying
/// training, a business of one's own.
pub const SORTIES_POSITIVES: [&str; 3] = [
    "emploi-durable",
    "formation-qualifiante",
    "creation-activite",
];

pub fn is_positive(situation: &str) -> bool {
    SORTIES_POSITIVES.contains(&situation)
}

/// The French label of a stored code of `list`; "non renseigné" when there is none.
pub fn label(list: Choices, code: Option<&str>) -> &'static str {
    code.and_then(|code| list.iter().find(|(c, _)| *c == code))
        .map_or("non renseigné", |(_, l)| *l)
}

/// The stored code of `list` equal to `stored`, as a `'static` string.
pub fn stored(list: Choices, stored: Option<&str>) -> Option<&'static str> {
    let s = stored?;
    list.iter().find(|(c, _)| *c == s).map(|(c, _)| *c)
}

/// A value of `list` as typed: case, accents, spaces and underscores forgiven, and
/// the labels accepted as well as the codes (`Femme`, `non communiqué`).
pub fn parse_choice(list: Choices, input: &str) -> Result<&'static str> {
    let key = fold(input).replace(' ', "-");
    let key = key
        .strip_prefix("isced-")
        .or_else(|| key.strip_prefix("cite-"))
        .unwrap_or(&key);
    if let Some((code, _)) = list
        .iter()
        .find(|(c, l)| *c == key || fold(l).replace(' ', "-") == key)
    {
        return Ok(code);
    }
    // A synonym applies to the list that holds its code: `inactif` is both a status and
    // a situation, and means the same in both.
    if let Some(code) = SYNONYMS
        .iter()
        .find(|(word, _)| *word == key)
        .and_then(|(_, code)| list.iter().find(|(c, _)| c == code))
        .map(|(c, _)| *c)
    {
        return Ok(code);
    }
    if list == STATUTS && key == "rsa" {
        bail_user!(
            "« {} » n'est pas un statut : le RSA se note à part (--rsa oui) ; le statut dit la situation face à l'emploi : {}",
            input.trim(),
            list.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
        );
    }
    let codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
    bail_user!(
        "« {} » inconnu : valeurs possibles {}",
        input.trim(),
        codes.join(", ")
    )
}

/// Words people type for a value, folded as [`parse_choice`] folds them (`bac+2` →
/// `bac-2`), with the code they mean. A CDD is counted as a short job: a contract of
/// six months or more is a durable job and is typed `cdd-long` (or `emploi-durable`).
/// CAP and BEP are ISCED 3, like the baccalauréat; the brevet is ISCED 2.
const SYNONYMS: &[(&str, &str)] = &[
    // Situations after a project.
    ("cdi", "emploi-durable"),
    ("cdd-long", "emploi-durable"),
    ("cdd-6-mois", "emploi-durable"),
    ("fonctionnaire", "emploi-durable"),
    ("cdd", "emploi-court"),
    ("cdd-court", "emploi-court"),
    ("interim", "emploi-court"),
    ("mission-interim", "emploi-court"),
    ("formation", "formation-qualifiante"),
    ("creation", "creation-activite"),
    ("auto-entrepreneur", "creation-activite"),
    ("micro-entreprise", "creation-activite"),
    ("recherche", "recherche-emploi"),
    // Education, as ISCED groups.
    ("sans", "0-2"),
    ("sans-diplome", "0-2"),
    ("aucun", "0-2"),
    ("brevet", "0-2"),
    ("bepc", "0-2"),
    ("cfg", "0-2"),
    ("dnb", "0-2"),
    ("cap", "3-4"),
    ("bep", "3-4"),
    ("bac", "3-4"),
    ("bac-pro", "3-4"),
    ("baccalaureat", "3-4"),
    ("bac-2", "5-8"),
    ("bac-3", "5-8"),
    ("bac-5", "5-8"),
    ("bts", "5-8"),
    ("dut", "5-8"),
    ("but", "5-8"),
    ("licence", "5-8"),
    ("master", "5-8"),
    ("doctorat", "5-8"),
    ("superieur", "5-8"),
    // Status towards employment.
    ("chomeur", "demandeur-emploi"),
    ("chomeuse", "demandeur-emploi"),
    ("chomage", "demandeur-emploi"),
    ("de", "demandeur-emploi"),
    ("demandeur", "demandeur-emploi"),
    ("demandeuse", "demandeur-emploi"),
    ("demandeuse-d-emploi", "demandeur-emploi"),
    ("deld", "demandeur-emploi-longue-duree"),
    ("chomeur-longue-duree", "demandeur-emploi-longue-duree"),
    ("salarie", "en-emploi"),
    ("salariee", "en-emploi"),
    ("emploi", "en-emploi"),
    ("etudiant", "scolarise"),
    ("etudiante", "scolarise"),
    ("eleve", "scolarise"),
    ("scolarisee", "scolarise"),
    ("retraitee", "retraite"),
    ("inactive", "inactif"),
    // Yes and no.
    ("o", "oui"),
    ("n", "non"),
    ("femmes", "f"),
    ("hommes", "h"),
];

/// The code of the `n`th participant: `P-0042`.
pub fn format_code(n: u32) -> String {
    format_code_for(DEFAULT_PREFIX, n)
}

/// The code of the `n`th participant of a ledger whose codes start with `prefix`
/// (`ici init --poste AB`): `AB-0042`.
pub fn format_code_for(prefix: &str, n: u32) -> String {
    format!("{prefix}-{n:04}")
}

/// The prefix of codes on a ledger without a poste of its own.
pub const DEFAULT_PREFIX: &str = "P";

/// Largest participant number: six digits are more people than the association
/// will ever meet.
pub const MAX_NUMERO: u32 = 999_999;

/// A poste's prefix as typed (`ab`) to its stored form (`AB`): two or three letters,
/// so that it never reads as the default `P` nor an erased person's `X`.
pub fn parse_poste(input: &str) -> Result<String> {
    let t = input.trim().to_ascii_uppercase();
    if (2..=3).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        bail_user!(
            "poste « {} » invalide : deux ou trois lettres, par exemple --poste AB (les codes seront AB-0001, AB-0002…)",
            input.trim()
        )
    }
}

/// A participant code as typed (`P-0042`, `p42`, `AB 42`) to its prefix and number:
/// `P`, or a poste's two or three letters.
pub fn split_code(input: &str) -> Result<(String, u32)> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let letters = s.chars().take_while(char::is_ascii_alphabetic).count();
    let (prefix, digits) = s.split_at(letters);
    let prefix = prefix.to_ascii_uppercase();
    let prefix_ok = prefix == DEFAULT_PREFIX || (2..=3).contains(&letters);
    match digits.parse::<u32>() {
        Ok(n)
            if prefix_ok
                && n > 0
                && n <= MAX_NUMERO
                && digits.chars().all(|c| c.is_ascii_digit()) =>
        {
            Ok((prefix, n))
        }
        _ => bail_user!(
            "code « {} » invalide : un code de participant s'écrit P- suivi de chiffres, par exemple P-0042 (ou le préfixe du poste : AB-0042)",
            input.trim()
        ),
    }
}

/// A code as typed, written as stored (`p42` → `P-0042`); an erased person's opaque
/// code (`X-…`) is taken as it is.
pub fn normalise_code(input: &str) -> Result<String> {
    let t = input.trim();
    if t.len() > 2 && t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-")) {
        return Ok(t.to_ascii_uppercase());
    }
    split_code(t).map(|(prefix, n)| format_code_for(&prefix, n))
}

/// Up to three known codes a mistyped one was probably meant to be: one or two
/// characters away (P-0099 → P-0009), the closest number first.
pub fn nearest_codes<'a>(code: &str, known: &'a [String]) -> Vec<&'a str> {
    let number = |c: &str| {
        c.split_once('-')
            .and_then(|(_, d)| d.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let mut near: Vec<(usize, i64, &str)> = known
        .iter()
        .map(|k| (strsim::levenshtein(code, k), k.as_str()))
        .filter(|(d, _)| *d <= 2)
        .map(|(d, k)| (d, (number(k) - number(code)).abs(), k))
        .collect();
    near.sort();
    // Only the closest: a code one key away hides those two keys away.
    let best = near.first().map_or(0, |n| n.0);
    near.into_iter()
        .take_while(|n| n.0 == best)
        .take(3)
        .map(|(_, _, k)| k)
        .collect()
}

/// An opaque code is what is left of an erased person.
pub fn is_erased_code(code: &str) -> bool {
    code.starts_with("X-")
}

/// Age brackets of the national tool for digital mediators, by age reached in the
/// year: (code, label, lowest age, highest age).
pub const TRANCHES_AGE: [(&str, &str, i32, i32); 7] = [
    ("moins-12", "moins de 12 ans", 0, 11),
    ("12-17", "12 à 17 ans", 12, 17),
    ("18-24", "18 à 24 ans", 18, 24),
    ("25-39", "25 à 39 ans", 25, 39),
    ("40-59", "40 à 59 ans", 40, 59),
    ("60-69", "60 à 69 ans", 60, 69),
    ("70-plus", "70 ans et plus", 70, i32::MAX),
];

/// Age groups of the FSE indicators, by age reached in the year of entry.
pub const TRANCHES_FSE: [(&str, &str, i32, i32); 4] = [
    ("moins-18", "moins de 18 ans", 0, 17),
    ("18-29", "18 à 29 ans", 18, 29),
    ("30-54", "30 à 54 ans", 30, 54),
    ("55-plus", "55 ans et plus", 55, i32::MAX),
];

/// The age reached in `year` by a person born in `birth`: only the year of birth is
/// kept, so this is the age at the year's end.
pub fn age_in(year: i32, birth: Option<i32>) -> Option<i32> {
    birth.map(|b| year - b).filter(|a| *a >= 0)
}

fn bracket(table: &[(&'static str, &str, i32, i32)], age: Option<i32>) -> &'static str {
    age.and_then(|a| table.iter().find(|(_, _, lo, hi)| (*lo..=*hi).contains(&a)))
        .map_or("nc", |(code, _, _, _)| *code)
}

/// The age bracket (`25-39`…, `nc` when the year of birth is unknown).
pub fn tranche_age(year: i32, birth: Option<i32>) -> &'static str {
    bracket(&TRANCHES_AGE, age_in(year, birth))
}

/// The FSE age group (`moins-18`, `18-29`, `30-54`, `55-plus`, `nc`).
pub fn tranche_fse(year: i32, birth: Option<i32>) -> &'static str {
    bracket(&TRANCHES_FSE, age_in(year, birth))
}

/// The French label of an age bracket code of either table.
pub fn tranche_label(code: &str) -> &'static str {
    TRANCHES_AGE
        .iter()
        .chain(TRANCHES_FSE.iter())
        .find(|(c, _, _, _)| *c == code)
        .map_or("non communiqué", |(_, l, _, _)| *l)
}

/// The FSE labour-market status of a recorded one: employed, unemployed (long-term
/// apart), inactive (in education and retired included).
pub fn statut_fse(statut: Option<&str>) -> &'static str {
    match statut {
        Some("en-emploi") => "emploi",
        Some("demandeur-emploi") => "chomeur",
        Some("demandeur-emploi-longue-duree") => "chomeur-longue-duree",
        Some("inactif" | "scolarise" | "retraite") => "inactif",
        _ => "nc",
    }
}

/// A person's profile as stored; each attribute `None` when it was never asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub sexe: Option<&'static str>,
    pub annee_naissance: Option<i32>,
    pub statut: Option<&'static str>,
    pub qpv: Option<&'static str>,
    pub rsa: Option<&'static str>,
    pub mission_locale: Option<&'static str>,
    pub diplome: Option<&'static str>,
    pub handicap: Option<&'static str>,
    /// Commune of residence, by INSEE code.
    pub residence: Option<String>,
    pub prescripteur: Option<String>,
}

/// Names and contact details, kept apart from the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identite {
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
}

impl Identite {
    pub fn is_empty(&self) -> bool {
        self.values().iter().all(|v| v.is_none())
    }

    pub fn values(&self) -> [&Option<String>; 4] {
        [&self.nom, &self.prenom, &self.telephone, &self.courriel]
    }
}

/// The identity fields: (field, French label).
pub const IDENTITE: [(&str, &str); 4] = [
    ("nom", "nom"),
    ("prenom", "prénom"),
    ("telephone", "téléphone"),
    ("courriel", "courriel"),
];

/// One change asked for: `None` leaves a value as it is, `Some(None)` empties it.
pub type Change<T> = Option<Option<T>>;

/// Checked changes to a profile and an identity, for `participant add` (where
/// nothing given means nothing recorded) and `participant corrige`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileChanges {
    pub sexe: Change<&'static str>,
    pub annee_naissance: Change<i32>,
    pub statut: Change<&'static str>,
    pub qpv: Change<&'static str>,
    pub rsa: Change<&'static str>,
    pub mission_locale: Change<&'static str>,
    pub diplome: Change<&'static str>,
    pub handicap: Change<&'static str>,
    /// INSEE code of the commune of residence.
    pub residence: Change<&'static str>,
    /// A partner's name, resolved by the ledger.
    pub prescripteur: Change<String>,
    pub identite: [Change<String>; 4],
}

impl ProfileChanges {
    pub fn is_empty(&self) -> bool {
        *self == ProfileChanges::default()
    }

    /// The changes to the profile columns, `(column, new value)`, in table order.
    pub fn columns(&self) -> Vec<(&'static str, Option<String>)> {
        let mut out = Vec::new();
        let mut push = |col: &'static str, v: &Change<&'static str>| {
            if let Some(v) = v {
                out.push((col, v.map(String::from)));
            }
        };
        push("sexe", &self.sexe);
        push("statut", &self.statut);
        push("qpv", &self.qpv);
        push("rsa", &self.rsa);
        push("mission_locale", &self.mission_locale);
        push("diplome", &self.diplome);
        push("handicap", &self.handicap);
        push("code_insee", &self.residence);
        if let Some(v) = self.annee_naissance {
            out.push(("annee_naissance", v.map(|y| y.to_string())));
        }
        out
    }
}

/// A profile as typed, on the command line or in a CSV row: `None` is an option not
/// given (a column absent), an empty value empties the field.
#[derive(Debug, Default, Clone)]
pub struct ProfileDraft<'a> {
    pub sexe: Option<&'a str>,
    pub naissance: Option<&'a str>,
    pub statut: Option<&'a str>,
    pub qpv: Option<&'a str>,
    pub rsa: Option<&'a str>,
    pub mission_locale: Option<&'a str>,
    pub diplome: Option<&'a str>,
    pub handicap: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub prescripteur: Option<&'a str>,
    pub nom: Option<&'a str>,
    pub prenom: Option<&'a str>,
    pub telephone: Option<&'a str>,
    pub courriel: Option<&'a str>,
}

/// Longest identity value kept.
const MAX_TEXT: usize = 200;

impl ProfileDraft<'_> {
    /// Checks every given field; an error names the field it is about. `year` is the
    /// current year, the latest possible year of birth.
    pub fn check(&self, year: i32) -> Result<ProfileChanges> {
        check_lengths(&[
            ("sexe", self.sexe, MAX_SHORT_CHARS),
            ("naissance", self.naissance, MAX_SHORT_CHARS),
            ("statut", self.statut, MAX_SHORT_CHARS),
            ("qpv", self.qpv, MAX_SHORT_CHARS),
            ("rsa", self.rsa, MAX_SHORT_CHARS),
            ("mission_locale", self.mission_locale, MAX_SHORT_CHARS),
            ("diplome", self.diplome, MAX_SHORT_CHARS),
            ("handicap", self.handicap, MAX_SHORT_CHARS),
            ("commune", self.commune, MAX_NAME_CHARS),
            ("prescripteur", self.prescripteur, MAX_NAME_CHARS),
            ("nom", self.nom, MAX_TEXT),
            ("prenom", self.prenom, MAX_TEXT),
            ("telephone", self.telephone, MAX_TEXT),
            ("courriel", self.courriel, MAX_TEXT),
        ])?;
        let choice = |name: &'static str, list: Choices, v: Option<&str>| {
            field(name, change(v, |s| parse_choice(list, s)))
        };
        Ok(ProfileChanges {
            sexe: choice("sexe", SEXES, self.sexe)?,
            annee_naissance: field(
                "naissance",
                change(self.naissance, |s| parse_birth_year(s, year)),
            )?,
            statut: choice("statut", STATUTS, self.statut)?,
            qpv: choice("qpv", OUI_NON, self.qpv)?,
            rsa: choice("rsa", OUI_NON, self.rsa)?,
            mission_locale: choice("mission_locale", OUI_NON, self.mission_locale)?,
            diplome: choice("diplome", DIPLOMES, self.diplome)?,
            handicap: choice("handicap", OUI_NON, self.handicap)?,
            residence: field(
                "commune",
                change(self.commune, |s| resolve_commune(s).map(|c| c.code)),
            )?,
            prescripteur: change(self.prescripteur, |s| Ok(s.to_string()))?,
            identite: [
                field("nom", change(self.nom, text))?,
                field("prenom", change(self.prenom, text))?,
                field("telephone", change(self.telephone, text))?,
                field("courriel", change(self.courriel, courriel))?,
            ],
        })
    }
}

/// `None` → no change; empty → emptied; else the parsed value.
fn change<T>(v: Option<&str>, parse: impl FnOnce(&str) -> Result<T>) -> Result<Change<T>> {
    match v.map(str::trim) {
        None => Ok(None),
        Some("") => Ok(Some(None)),
        Some(s) => Ok(Some(Some(parse(s)?))),
    }
}

fn text(s: &str) -> Result<String> {
    if s.chars().count() > MAX_TEXT {
        bail_user!("valeur trop longue ({MAX_TEXT} caractères au plus)");
    }
    Ok(s.to_string())
}

fn courriel(s: &str) -> Result<String> {
    let s = text(s)?;
    match s.split_once('@') {
        Some((local, domain)) if !local.is_empty() && domain.contains('.') => Ok(s),
        _ => bail_user!("« {s} » n'est pas une adresse de courriel (nom@exemple.fr)"),
    }
}

/// A year of birth: four digits, at most `year`, at least 1900.
pub fn parse_birth_year(input: &str, year: i32) -> Result<i32> {
    match input.trim().parse::<i32>() {
        Ok(y) if (1900..=year).contains(&y) => Ok(y),
        _ => bail_user!(
            "année de naissance « {} » invalide : quatre chiffres, entre 1900 et {year} (seule l'année est gardée)",
            input.trim()
        ),
    }
}

/// A named person at a session, as typed: the code, and the time attended when it
/// is less than the whole session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub code: String,
    pub minutes: Option<Minutes>,
}

/// A list of codes as typed after `--presents`: separated by commas, semicolons or
/// spaces; `P-0003:2h` for someone who stayed two hours.
pub fn parse_presents(input: &str) -> Result<Vec<Present>> {
    let mut out: Vec<Present> = Vec::new();
    for item in input
        .split([',', ';', ' ', '\t', '\n'])
        .filter(|s| !s.trim().is_empty())
    {
        let (code, duree) = match item.split_once(':') {
            Some((c, d)) => (c, Some(d)),
            None => (item, None),
        };
        let code = normalise_code(code)?;
        if is_erased_code(&code) {
            bail_user!(
                "« {code} » : une personne effacée ne peut plus être inscrite ; enregistrez-la de nouveau avec `ici participant add`"
            );
        }
        let minutes = duree
            .map(|d| {
                Minutes::parse(d).map_err(|e| user(format!("{code} : {e:#} (temps de présence)")))
            })
            .transpose()?;
        if out.iter().any(|p| p.code == code) {
            bail_user!("{code} figure deux fois dans la liste des présents");
        }
        out.push(Present { code, minutes });
    }
    Ok(out)
}

/// A share typed as `60%`, `60 %`, `62,5` (percent) to tenths of a percent.
pub fn parse_percent(input: &str) -> Result<u32> {
    let s: String = input.trim().trim_end_matches('%').trim().replace(',', ".");
    // `0,6` is how a spreadsheet writes 60 %: ask rather than record 0,6 %.
    if !input.contains('%') && s.parse::<f64>().is_ok_and(|v| v > 0.0 && v < 1.0) {
        bail_user!(
            "« {} » : est-ce {} % ? Écrivez le pourcentage avec le signe %, par exemple 60%",
            input.trim(),
            (s.parse::<f64>().unwrap_or(0.0) * 100.0).round()
        );
    }
    let tenths = s
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=100.0).contains(v))
        .map(|v| v * 10.0)
        .filter(|t| (t - t.round()).abs() < 1e-9);
    match tenths {
        Some(t) => Ok(t.round() as u32),
        None => bail_user!(
            "« {} » : attendu un pourcentage entre 0 et 100, au dixième près (60%, 62,5 %)",
            input.trim()
        ),
    }
}

/// Tenths of a percent as French writes them: `62,5 %`, `60 %`.
pub fn percent_fr(tenths: i64) -> String {
    if tenths % 10 == 0 {
        format!("{} %", tenths / 10)
    } else {
        format!("{},{} %", tenths / 10, tenths % 10)
    }
}

/// Tenths of a percent as a JSON number: `62.5`, `60`.
pub fn percent_json(tenths: i64) -> serde_json::Value {
    if tenths % 10 == 0 {
        serde_json::Value::from(tenths / 10)
    } else {
        serde_json::Value::from(tenths as f64 / 10.0)
    }
}

/// `part` of `whole` in tenths of a percent, rounded half up; `None` when `whole` is 0.
pub fn rate(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (2 * whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(normalise_code("P-0042").unwrap(), "P-0042");
        assert_eq!(normalise_code(" p42 ").unwrap(), "P-0042");
        assert_eq!(normalise_code("P 7").unwrap(), "P-0007");
        assert_eq!(normalise_code("P-12345").unwrap(), "P-12345");
        assert_eq!(normalise_code("x-0a1b").unwrap(), "X-0A1B");
        for bad in [
            "",
            "P-",
            "P-0",
            "42",
            "Q-0042",
            "P-00a2",
            "P-1234567",
            "Dupont",
            "ABCD-0001",
        ] {
            assert!(normalise_code(bad).is_err(), "{bad}");
        }
        assert_eq!(normalise_code("ab 42").unwrap(), "AB-0042");
        assert_eq!(normalise_code("CDE-0001").unwrap(), "CDE-0001");
        assert_eq!(parse_poste(" ab ").unwrap(), "AB");
        for bad in ["P", "ABCD", "A1", ""] {
            assert!(parse_poste(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn choices_forgive_case_accents_and_labels() {
        assert_eq!(parse_choice(SEXES, "F").unwrap(), "f");
        assert_eq!(parse_choice(SEXES, "Femme").unwrap(), "f");
        assert_eq!(parse_choice(SEXES, "non communiqué").unwrap(), "nc");
        assert_eq!(parse_choice(STATUTS, "Scolarisé").unwrap(), "scolarise");
        assert_eq!(
            parse_choice(STATUTS, "demandeur_emploi_longue_duree").unwrap(),
            "demandeur-emploi-longue-duree"
        );
        assert_eq!(parse_choice(DIPLOMES, "ISCED 3-4").unwrap(), "3-4");
        assert_eq!(parse_choice(DIPLOMES, "5-8").unwrap(), "5-8");
        for (list, typed, code) in [
            (SITUATIONS, "CDI", "emploi-durable"),
            (SITUATIONS, "cdd", "emploi-court"),
            (SITUATIONS, "CDD long", "emploi-durable"),
            (SITUATIONS, "Formation", "formation-qualifiante"),
            (SITUATIONS, "inactif", "inactif"),
            (DIPLOMES, "bac", "3-4"),
            (DIPLOMES, "Bac+2", "5-8"),
            (DIPLOMES, "licence", "5-8"),
            (DIPLOMES, "Master", "5-8"),
            (DIPLOMES, "brevet", "0-2"),
            (DIPLOMES, "CAP", "3-4"),
            (DIPLOMES, "sans", "0-2"),
            (STATUTS, "chômeur", "demandeur-emploi"),
            (STATUTS, "DE", "demandeur-emploi"),
            (STATUTS, "Retraité", "retraite"),
            (STATUTS, "RETRAITÉE", "retraite"),
            (STATUTS, "Étudiante", "scolarise"),
            (STATUTS, "inactif", "inactif"),
        ] {
            assert_eq!(parse_choice(list, typed).unwrap(), code, "{typed}");
        }
        // A synonym of another list is not taken.
        assert!(parse_choice(STATUTS, "CDI").is_err());
        assert!(parse_choice(DIPLOMES, "DE").is_err());
        let err = parse_choice(STATUTS, "RSA").unwrap_err().to_string();
        assert!(err.contains("--rsa oui"), "{err}");
        let err = parse_choice(OUI_NON, "peut-être").unwrap_err().to_string();
        assert!(err.contains("oui, non, nc"), "{err}");
    }

    #[test]
    fn age_brackets_from_the_year_of_birth() {
        assert_eq!(tranche_age(2017, Some(2006)), "moins-12");
        assert_eq!(tranche_age(2017, Some(2005)), "12-17");
        assert_eq!(tranche_age(2017, Some(1999)), "18-24");
        assert_eq!(tranche_age(2017, Some(1993)), "18-24");
        assert_eq!(tranche_age(2017, Some(1992)), "25-39");
        assert_eq!(tranche_age(2017, Some(1958)), "40-59");
        assert_eq!(tranche_age(2017, Some(1957)), "60-69");
        assert_eq!(tranche_age(2017, Some(1947)), "70-plus");
        assert_eq!(tranche_age(2017, None), "nc");
        assert_eq!(tranche_age(2017, Some(2020)), "nc");
        assert_eq!(tranche_fse(2017, Some(2000)), "moins-18");
        assert_eq!(tranche_fse(2017, Some(1999)), "18-29");
        assert_eq!(tranche_fse(2017, Some(1988)), "18-29");
        assert_eq!(tranche_fse(2017, Some(1987)), "30-54");
        assert_eq!(tranche_fse(2017, Some(1962)), "55-plus");
        assert_eq!(statut_fse(Some("scolarise")), "inactif");
        assert_eq!(
            statut_fse(Some("demandeur-emploi-longue-duree")),
            "chomeur-longue-duree"
        );
        assert_eq!(statut_fse(None), "nc");
    }

    #[test]
    fn profile_drafts() {
        let d = ProfileDraft {
            sexe: Some("f"),
            naissance: Some("1990"),
            commune: Some("Villejuif"),
            qpv: Some(""),
            nom: Some(" Exemple "),
            ..Default::default()
        };
        let c = d.check(2017).unwrap();
        assert_eq!(c.sexe, Some(Some("f")));
        assert_eq!(c.annee_naissance, Some(Some(1990)));
        assert_eq!(c.residence, Some(Some("94076")));
        assert_eq!(c.qpv, Some(None));
        assert_eq!(c.rsa, None);
        assert_eq!(c.identite[0], Some(Some("Exemple".to_string())));
        for (bad, field_name) in [
            (
                ProfileDraft {
                    naissance: Some("2020"),
                    ..Default::default()
                },
                "naissance",
            ),
            (
                ProfileDraft {
                    mission_locale: Some("peut-être"),
                    ..Default::default()
                },
                "mission_locale",
            ),
            (
                ProfileDraft {
                    courriel: Some("pas-une-adresse"),
                    ..Default::default()
                },
                "courriel",
            ),
            (
                ProfileDraft {
                    commune: Some("Atlantide"),
                    ..Default::default()
                },
                "commune",
            ),
        ] {
            let err = bad.check(2017).unwrap_err();
            assert_eq!(crate::error::field_of(&err), Some(field_name), "{err}");
            assert_eq!(crate::error::exit_code(&err), 2);
        }
    }

    #[test]
    fn presents_lists() {
        let p = parse_presents("P-0001, p2;P-0003:2h30  P-0004").unwrap();
        let codes: Vec<&str> = p.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["P-0001", "P-0002", "P-0003", "P-0004"]);
        assert_eq!(p[2].minutes, Some(Minutes(150)));
        assert_eq!(p[0].minutes, None);
        assert!(parse_presents("P-0001,P-1").is_err(), "twice");
        assert!(parse_presents("P-0001:13h").is_err());
        assert!(parse_presents("Dupont").is_err());
        assert!(parse_presents("").unwrap().is_empty());
    }

    #[test]
    fn percents_and_rates() {
        assert_eq!(parse_percent("60%").unwrap(), 600);
        assert_eq!(parse_percent("62,5 %").unwrap(), 625);
        assert_eq!(parse_percent("100").unwrap(), 1000);
        for bad in ["101%", "-1", "soixante", "62,55"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
        assert_eq!(rate(2, 3), Some(667));
        assert_eq!(rate(1, 8), Some(125));
        assert_eq!(rate(0, 0), None);
        assert_eq!(percent_fr(625), "62,5 %");
        assert_eq!(percent_fr(600), "60 %");
        assert!(is_positive("emploi-durable") && !is_positive("emploi-court"));
    }
}
