//! The home territory: the départements an association works in, and the communes
//! its ledger already names. They settle a name several communes share
//! (« Fresnes » in Val-de-Marne is Fresnes 94034) and put the likely communes first
//! among suggestions.

use super::index::{fold_into, index};
use super::{Commune, Resolution, commune, resolve};

/// Where an association works: its départements and the communes it has used.
#[derive(Debug, Clone, Default)]
pub struct Home {
    departements: Vec<&'static str>,
    used: Vec<&'static Commune>,
    /// The words of the names of the home territory's communes and of those used:
    /// the few a name's first words may designate.
    local: Vec<(Vec<String>, &'static Commune)>,
}

/// Why a shared name was taken as one commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The only one of the home territory.
    Home,
    /// No home territory decides, and the only one the ledger already names.
    Used,
}

impl Home {
    /// From département codes (checked by the caller) and INSEE codes used in the
    /// ledger (unknown ones are skipped).
    pub fn new(departements: &[String], used: &[String]) -> Home {
        let departements: Vec<&'static str> = departements
            .iter()
            .filter_map(|d| super::departement(d).map(|t| t.code))
            .collect();
        let used: Vec<&'static Commune> = used.iter().filter_map(|c| commune(c)).collect();
        let index = index();
        let mut local = Vec::new();
        if !departements.is_empty() {
            for i in index.range() {
                if departements.contains(&index.departement(i)) {
                    let c = index.commune(i);
                    local.push((words(c.nom), c));
                }
            }
        }
        for &c in &used {
            if !departements.contains(&c.departement) {
                local.push((words(c.nom), c));
            }
        }
        // In the table's order, as a scan of the whole table would give them.
        local.sort_by(|a, b| a.1.code.cmp(b.1.code));
        local.dedup_by(|a, b| a.1.code == b.1.code);
        Home {
            departements,
            used,
            local,
        }
    }

    /// The home départements, in the order given.
    pub fn departements(&self) -> &[&'static str] {
        &self.departements
    }

    fn in_home(&self, c: &Commune) -> bool {
        self.departements.contains(&c.departement)
    }

    fn is_used(&self, c: &Commune) -> bool {
        self.used.iter().any(|u| u.code == c.code)
    }

    /// 0 in the home territory, 1 used in the ledger, 2 elsewhere.
    fn rank(&self, c: &Commune) -> u8 {
        if self.in_home(c) {
            0
        } else if self.is_used(c) {
            1
        } else {
            2
        }
    }

    /// Orders a list of communes home territory first, then those the ledger uses,
    /// keeping the order within each group (the most populated first).
    pub fn sort(&self, list: &mut [&'static Commune]) {
        list.sort_by_key(|c| self.rank(c));
    }

    /// Among candidates, the only one in the home territory; without one there,
    /// the only one the ledger uses.
    pub fn settle(&self, candidates: &[&'static Commune]) -> Option<(&'static Commune, Settled)> {
        let only = |keep: &dyn Fn(&Commune) -> bool| {
            let mut it = candidates.iter().filter(|c| keep(c));
            match (it.next(), it.next()) {
                (Some(c), None) => Some(*c),
                _ => None,
            }
        };
        let home = candidates.iter().filter(|c| self.in_home(c)).count();
        if home > 0 {
            return only(&|c| self.in_home(c)).map(|c| (c, Settled::Home));
        }
        only(&|c| self.is_used(c)).map(|c| (c, Settled::Used))
    }

    /// Communes of the home territory or the ledger whose name starts with the
    /// typed words (« Champigny » → Champigny-sur-Marne), but not the arrondissements
    /// of a city among `exact`.
    fn by_first_words(&self, input: &str, exact: &[&'static Commune]) -> Vec<&'static Commune> {
        let typed = words(input);
        if typed.is_empty() {
            return Vec::new();
        }
        let starts = |name: &[String]| name.len() > typed.len() && name[..typed.len()] == typed[..];
        self.local
            .iter()
            .filter(|(name, c)| {
                let without_article = match name.first() {
                    Some(w) if super::keys::ARTICLES.contains(&w.as_str()) => &name[1..],
                    _ => &name[..],
                };
                (starts(name) || starts(without_article))
                    && !exact
                        .iter()
                        .any(|e| e.code == c.code || c.parent == Some(e.code))
            })
            .map(|(_, c)| *c)
            .collect()
    }

    /// Resolves a commune as typed, the home territory and the ledger settling a
    /// name several communes share; says when they did.
    pub fn resolve(&self, input: &str) -> (Resolution, Option<Settled>) {
        let resolution = resolve(input);
        // A code or a qualified name (`Saint-Denis (93)`) says which commune it is.
        let is_name = !input.chars().any(|c| c.is_ascii_digit() || c == '(');
        if !is_name {
            return (resolution, None);
        }
        let exact = match &resolution {
            Resolution::Found(c) => vec![*c],
            Resolution::Ambiguous(cs) => cs.clone(),
            Resolution::Unknown(_) => Vec::new(),
        };
        // A commune of the home territory with the very name typed comes before
        // those whose name only starts with it (Fresnes before Fresnes-sur-Marne).
        let exact_home: Vec<&'static Commune> =
            exact.iter().copied().filter(|c| self.in_home(c)).collect();
        match exact_home.len() {
            0 => {}
            1 if exact.len() == 1 => return (resolution, None),
            1 => return (Resolution::Found(exact_home[0]), Some(Settled::Home)),
            _ => {
                let mut all = exact;
                self.sort(&mut all);
                return (Resolution::Ambiguous(all), None);
            }
        }
        let mut candidates = exact.clone();
        for c in self.by_first_words(input, &exact) {
            if !candidates.iter().any(|k| k.code == c.code) {
                candidates.push(c);
            }
        }
        match (resolution, candidates.len()) {
            (Resolution::Found(c), 1) => (Resolution::Found(c), None),
            (Resolution::Unknown(mut near), 0) => {
                self.sort(&mut near);
                (Resolution::Unknown(near), None)
            }
            (_, _) => match self.settle(&candidates) {
                Some((c, why)) => (Resolution::Found(c), Some(why)),
                None => {
                    self.sort(&mut candidates);
                    (Resolution::Ambiguous(candidates), None)
                }
            },
        }
    }

    /// The sentence that says which commune a shared name was taken as, when the
    /// home territory or the ledger chose: « Fresnes : Fresnes (94034), la seule de
    /// ce nom dans votre territoire (94, 93, 75) ».
    pub fn note(&self, input: &str) -> Option<String> {
        let (Resolution::Found(c), Some(why)) = self.resolve(input) else {
            return None;
        };
        let input = input.trim();
        let which = if words(c.nom) == words(input) {
            "la seule de ce nom"
        } else {
            "la seule dont le nom commence ainsi"
        };
        let why = match why {
            Settled::Home => format!(
                "{which} dans votre territoire ({})",
                self.departements.join(", ")
            ),
            Settled::Used => format!("{which} déjà au registre"),
        };
        Some(format!(
            "Commune « {input} » : {} ({}), {why} ; pour une autre, tapez son code INSEE ou « {input} (DÉPARTEMENT) ».",
            c.nom, c.code
        ))
    }
}

/// The words of a name as compared: folded to lower-case ASCII, `st`/`ste` spelled
/// out (« St-Maur-des-Fossés » → saint maur des fosses).
fn words(name: &str) -> Vec<String> {
    let mut folded = String::new();
    fold_into(name, &mut folded);
    folded
        .split_ascii_whitespace()
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            w => w.to_string(),
        })
        .collect()
}
