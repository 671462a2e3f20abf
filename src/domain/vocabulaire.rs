//! The national vocabulary of digital mediation (La Coop de la médiation numérique):
//! a session's thématiques, the equipment used and the workshop's level. Typed as
//! French slugs, stored as bit sets in INTEGER columns, shown with the Coop's labels.
//! No I/O.

use crate::bail_user;
use crate::domain::suggest::{closest, fold};
use crate::domain::{MAX_SHORT_CHARS, MAX_TEXT_CHARS, check_lengths};
use crate::error::field;
use anyhow::Result;

/// A closed list: (slug as typed and shown, the Coop's label).
pub type List = &'static [(&'static str, &'static str)];

/// The 30 thématiques of the Coop's activity model: 18 of médiation numérique, then 12
/// of démarches administratives. A thématique's bit is its position here: the order
/// is stored in every ledger and never changes; a new one takes the next bit.
pub const THEMATIQUES: List = &[
    ("diagnostic-numerique", "Diagnostic numérique"),
    ("prendre-en-main-materiel", "Prendre en main du matériel"),
    ("maintenance-materiel", "Maintenance de matériel"),
    ("gerer-contenus", "Gérer ses contenus numériques"),
    ("navigation-internet", "Navigation sur internet"),
    ("e-mail", "E-mail"),
    ("bureautique", "Bureautique"),
    ("reseaux-sociaux", "Réseaux sociaux communication"),
    ("sante", "Santé"),
    ("banque-achats", "Banque et achats en ligne"),
    ("accompagner-professionnel", "Accompagner un professionnel"),
    ("insertion-professionnelle", "Insertion professionnelle"),
    ("securite-numerique", "Prévention en sécurité numérique"),
    ("parentalite", "Parentalité"),
    ("scolarite-numerique", "Scolarité et numérique"),
    ("creer-avec-numerique", "Créer avec le numérique"),
    ("culture-numerique", "Culture numérique"),
    (
        "intelligence-artificielle",
        "Intelligence artificielle (IA)",
    ),
    ("aide-demarches", "Aide aux démarches administratives"),
    ("papiers-citoyennete", "Papiers - Élections - Citoyenneté"),
    ("famille-scolarite", "Famille - Scolarité"),
    ("social-sante", "Social - Santé"),
    ("travail-formation", "Travail - Formation - Entreprise"),
    ("logement", "Logement"),
    ("transports-mobilite", "Transports - Mobilité"),
    ("argent-impots", "Argent - Impôts"),
    ("justice", "Justice"),
    ("etrangers-europe", "Étrangers - Europe"),
    ("loisirs-sports-culture", "Loisirs - Sports - Culture"),
    ("associations", "Associations"),
];

/// Equipment used during the session; the bit is the position, as for thématiques.
pub const MATERIELS: List = &[
    ("ordinateur", "Ordinateur"),
    ("telephone", "Téléphone"),
    ("tablette", "Tablette"),
    ("autre", "Autre"),
    ("aucun", "Pas de matériel"),
];

/// A workshop's level; stored as its position plus one (1 to 3).
pub const NIVEAUX: List = &[
    ("debutant", "Débutant"),
    ("intermediaire", "Intermédiaire"),
    ("avance", "Avancé"),
];

/// Separators between several values: `|` always (it is in no CSV separator), `;` and
/// `,` too when the value is quoted or the file uses the other separator.
pub const SEPARATORS: [char; 3] = ['|', ';', ','];

/// A set of values of a [`List`], one bit per position.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bits(pub u32);

impl Bits {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn contains(self, position: usize) -> bool {
        self.0 & (1 << position) != 0
    }

    /// The positions set, in list order.
    pub fn positions(self, list: List) -> impl Iterator<Item = usize> {
        (0..list.len()).filter(move |i| self.contains(*i))
    }

    pub fn slugs(self, list: List) -> Vec<&'static str> {
        self.positions(list).map(|i| list[i].0).collect()
    }

    pub fn labels(self, list: List) -> Vec<&'static str> {
        self.positions(list).map(|i| list[i].1).collect()
    }

    /// A stored column read back; bits beyond the list (none, the schema checks) are
    /// dropped.
    pub fn from_column(v: i64, list: List) -> Bits {
        let mask = (1u32 << list.len()) - 1;
        Bits(u32::try_from(v).unwrap_or(0) & mask)
    }

    pub fn column(self) -> i64 {
        i64::from(self.0)
    }
}

/// What a session says of the national vocabulary; empty when nothing was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Vocabulaire {
    pub thematiques: Bits,
    pub materiel: Bits,
    /// Position in [`NIVEAUX`].
    pub niveau: Option<usize>,
}

impl Vocabulaire {
    /// The three values as typed (`None`: not given); an error names its field.
    pub fn parse(
        thematiques: Option<&str>,
        materiel: Option<&str>,
        niveau: Option<&str>,
    ) -> Result<Vocabulaire> {
        lengths(thematiques, materiel, niveau)?;
        Ok(Vocabulaire {
            thematiques: field(
                "thematiques",
                parse_set(THEMATIQUES, thematiques.unwrap_or(""), THEMATIQUE),
            )?,
            materiel: field("materiel", parse_materiel(materiel.unwrap_or("")))?,
            niveau: field("niveau", parse_niveau(niveau.unwrap_or("")))?,
        })
    }

    /// The three niveau columns: thématiques, materiel, niveau (1 to 3 or NULL).
    pub fn columns(&self) -> (i64, i64, Option<i64>) {
        (
            self.thematiques.column(),
            self.materiel.column(),
            self.niveau.map(|n| n as i64 + 1),
        )
    }

    pub fn from_columns(thematiques: i64, materiel: i64, niveau: Option<i64>) -> Vocabulaire {
        Vocabulaire {
            thematiques: Bits::from_column(thematiques, THEMATIQUES),
            materiel: Bits::from_column(materiel, MATERIELS),
            niveau: niveau
                .and_then(|n| usize::try_from(n - 1).ok())
                .filter(|n| *n < NIVEAUX.len()),
        }
    }

    pub fn niveau_slug(&self) -> Option<&'static str> {
        self.niveau.map(|n| NIVEAUX[n].0)
    }

    pub fn niveau_label(&self) -> Option<&'static str> {
        self.niveau.map(|n| NIVEAUX[n].1)
    }
}

/// A correction: `None` leaves a value as it is; an empty set or `Some(None)` clears it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VocabulaireChange {
    pub thematiques: Option<Bits>,
    pub materiel: Option<Bits>,
    pub niveau: Option<Option<usize>>,
}

impl VocabulaireChange {
    /// The three values as typed for `session corrige`: `""` clears, `None` keeps.
    pub fn parse(
        thematiques: Option<&str>,
        materiel: Option<&str>,
        niveau: Option<&str>,
    ) -> Result<VocabulaireChange> {
        lengths(thematiques, materiel, niveau)?;
        Ok(VocabulaireChange {
            thematiques: thematiques
                .map(|t| field("thematiques", parse_set(THEMATIQUES, t, THEMATIQUE)))
                .transpose()?,
            materiel: materiel
                .map(|m| field("materiel", parse_materiel(m)))
                .transpose()?,
            niveau: niveau
                .map(|n| field("niveau", parse_niveau(n)))
                .transpose()?,
        })
    }

    /// `v` with the changes applied.
    pub fn apply(&self, v: Vocabulaire) -> Vocabulaire {
        Vocabulaire {
            thematiques: self.thematiques.unwrap_or(v.thematiques),
            materiel: self.materiel.unwrap_or(v.materiel),
            niveau: self.niveau.unwrap_or(v.niveau),
        }
    }
}

fn lengths(thematiques: Option<&str>, materiel: Option<&str>, niveau: Option<&str>) -> Result<()> {
    check_lengths(&[
        // Thirty slugs and their separators fit.
        ("thematiques", thematiques, 2 * MAX_TEXT_CHARS),
        ("materiel", materiel, MAX_SHORT_CHARS),
        ("niveau", niveau, MAX_SHORT_CHARS),
    ])
}

/// The position of a value of `list` as typed: its slug, its label, or the Coop's own
/// code (`navigation_sur_internet`), case and accents forgiven.
pub fn find(list: List, input: &str) -> Option<usize> {
    let key = fold(input).replace(' ', "-");
    let compact = key.replace('-', "");
    let bare = |s: &str| {
        s.chars()
            .filter(|c| *c != '-' && *c != ' ')
            .eq(compact.chars())
    };
    // Slugs first: what an import of many rows holds, found without folding labels.
    list.iter()
        .position(|(slug, _)| *slug == key || bare(slug))
        .or_else(|| list.iter().position(|(_, label)| bare(&fold(label))))
}

/// What a value is called in a message, and « inconnu » agreed with it.
pub type Noun = (&'static str, &'static str);

const THEMATIQUE: Noun = ("thématique", "inconnue");

/// Several values of `list` separated by `|`, `;` or `,`; empty input, the empty set.
pub fn parse_set(list: List, input: &str, what: Noun) -> Result<Bits> {
    let mut bits = 0u32;
    for item in input
        .split(SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match find(list, item) {
            Some(i) => bits |= 1 << i,
            None => return Err(unknown(list, item, what)),
        }
    }
    Ok(Bits(bits))
}

/// Equipment: `aucun` (no equipment) goes with nothing else.
fn parse_materiel(input: &str) -> Result<Bits> {
    let bits = parse_set(MATERIELS, input, ("matériel", "inconnu"))?;
    let aucun = MATERIELS.len() - 1;
    if bits.contains(aucun) && bits.0 != 1 << aucun {
        bail_user!(
            "« {} » : « aucun » dit qu'aucun matériel n'a servi ; retirez-le ou retirez les autres",
            input.trim()
        );
    }
    Ok(bits)
}

/// A level, or nothing (empty input).
fn parse_niveau(input: &str) -> Result<Option<usize>> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match find(NIVEAUX, t) {
        Some(i) => Ok(Some(i)),
        None => Err(unknown(NIVEAUX, t, ("niveau", "inconnu"))),
    }
}

/// « navigaton » inconnue, with the closest slugs, or the whole list when none is close.
fn unknown(list: List, item: &str, (what, inconnu): Noun) -> anyhow::Error {
    let slugs: Vec<String> = list.iter().map(|(s, _)| s.to_string()).collect();
    let near = closest(item, &slugs, 3);
    let shown = crate::domain::excerpt(item);
    let msg = if near.is_empty() {
        format!(
            "{what} « {shown} » {inconnu}. Valeurs possibles : {}.",
            slugs.join(", ")
        )
    } else {
        let quoted: Vec<String> = near.iter().map(|n| format!("« {n} »")).collect();
        format!(
            "{what} « {shown} » {inconnu}. Vouliez-vous dire {} ? La liste : `ici session add --help`.",
            quoted.join(", ")
        )
    };
    crate::error::user(msg)
}

/// The slugs of a list, separated by commas.
pub fn help_list(list: List) -> String {
    list.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
}

/// The help of `--thematiques`: every slug with the Coop's label.
pub fn thematiques_help() -> String {
    let mut help = String::from(
        "Thématiques de la Coop de la médiation numérique, plusieurs séparées par « | » (ou « , ») :",
    );
    for (i, (slug, label)) in THEMATIQUES.iter().enumerate() {
        if i == 0 {
            help.push_str("\n  médiation numérique :");
        } else if i == 18 {
            help.push_str("\n  démarches administratives :");
        }
        help.push_str(&format!("\n    {slug} ({label})"));
    }
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_thematiques_fit_in_their_column() {
        assert_eq!(THEMATIQUES.len(), 30);
        assert_eq!(MATERIELS.len(), 5);
        let mut slugs: Vec<&str> = THEMATIQUES.iter().map(|(s, _)| *s).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 30, "slugs are unique");
        // Every slug and label finds itself, and nothing else.
        for (i, (slug, label)) in THEMATIQUES.iter().enumerate() {
            assert_eq!(find(THEMATIQUES, slug), Some(i), "{slug}");
            assert_eq!(find(THEMATIQUES, label), Some(i), "{label}");
        }
    }

    #[test]
    fn sets_are_typed_with_slugs_labels_or_coop_codes() {
        let b = parse_set(
            THEMATIQUES,
            "navigation-internet | E-mail;email,  ",
            THEMATIQUE,
        )
        .unwrap();
        assert_eq!(b.0, (1 << 4) | (1 << 5));
        assert_eq!(b.slugs(THEMATIQUES), ["navigation-internet", "e-mail"]);
        assert_eq!(b.labels(THEMATIQUES), ["Navigation sur internet", "E-mail"]);
        let b = parse_set(
            THEMATIQUES,
            "Papiers - Élections - Citoyenneté|navigation_sur_internet",
            THEMATIQUE,
        )
        .unwrap();
        assert_eq!(
            b.slugs(THEMATIQUES),
            ["navigation-internet", "papiers-citoyennete"]
        );
        assert!(parse_set(THEMATIQUES, "", THEMATIQUE).unwrap().is_empty());
        let all = parse_set(THEMATIQUES, &help_list(THEMATIQUES), THEMATIQUE).unwrap();
        assert_eq!(all.column(), (1 << 30) - 1);
        assert_eq!(Bits::from_column(all.column(), THEMATIQUES), all);
    }

    #[test]
    fn unknown_values_get_the_closest_slugs() {
        let err = parse_set(THEMATIQUES, "e-mail|navigaton", THEMATIQUE)
            .unwrap_err()
            .to_string();
        assert!(err.contains("thématique « navigaton » inconnue"), "{err}");
        assert!(err.contains("« navigation-internet »"), "{err}");
        let err = parse_set(THEMATIQUES, "zzz", THEMATIQUE)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("diagnostic-numerique, prendre-en-main-materiel"),
            "{err}"
        );
        let err = Vocabulaire::parse(None, None, Some("expert")).unwrap_err();
        assert_eq!(crate::error::field_of(&err), Some("niveau"));
        assert_eq!(crate::error::exit_code(&err), 2);
    }

    #[test]
    fn equipment_and_level() {
        let v = Vocabulaire::parse(Some("sante"), Some("telephone|tablette"), Some("Débutant"))
            .unwrap();
        assert_eq!(v.columns(), (1 << 8, 0b110, Some(1)));
        assert_eq!(Vocabulaire::from_columns(1 << 8, 0b110, Some(1)), v);
        assert_eq!(v.niveau_slug(), Some("debutant"));
        let err = Vocabulaire::parse(None, Some("aucun,ordinateur"), None).unwrap_err();
        assert_eq!(crate::error::field_of(&err), Some("materiel"));
        assert!(Vocabulaire::parse(None, Some("aucun"), None).is_ok());
        let change = VocabulaireChange::parse(Some(""), None, Some("avance")).unwrap();
        let after = change.apply(v);
        assert!(after.thematiques.is_empty());
        assert_eq!(after.materiel, v.materiel);
        assert_eq!(after.niveau_label(), Some("Avancé"));
    }
}
