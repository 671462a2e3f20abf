//! `ici import ecritures FICHIER.csv`: double-entry books from a spreadsheet, one row
//! per entry line, grouped into entries by `piece` or `numero` (and `journal`). Each
//! entry must balance; one bad row or one unbalanced entry rejects the whole file.
//!
//! This is how a treasurer's or an accountant's CSV carries what simple entries
//! cannot: customers and suppliers (411, 401), social bodies (431), depreciation
//! (28x), dedicated funds (19x), contributions in kind (86/87).

use crate::bail_user;
use crate::cmd::import::{Records, Summary, column_index};
use crate::db::{finances, refs};
use crate::domain::account::Compte;
use crate::domain::chart::{self, Plan};
use crate::domain::date::parse_past_date;
use crate::domain::finance::{Ligne, NewEcriture, check_class_8};
use crate::domain::money::Money;
use crate::domain::{MAX_NAME_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, check_length, excerpt};
use crate::error::{exit_code, user};
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

/// The columns, in documented order, and whether each is required. `piece` or
/// `numero` (at least one) groups the lines into entries.
pub const COLUMNS: [(&str, bool); 10] = [
    ("date", true),
    ("journal", false),
    ("numero", false),
    ("piece", false),
    ("compte", true),
    ("libelle", true),
    ("debit", true),
    ("credit", true),
    ("tiers", false),
    ("projet", false),
];

/// One entry being gathered from its lines.
struct Group {
    journal: Option<String>,
    key: String,
    piece: Option<String>,
    date: NaiveDate,
    libelle: String,
    tiers: Option<String>,
    projet: Option<String>,
    lines: Vec<u64>,
    lignes: Vec<Ligne>,
}

/// Checks and writes the records of a file, read strictly by `import`, inside the
/// caller's transaction. An entry like one already recorded (or one earlier in the
/// file) is refused unless `doublon`.
pub fn import_records<R: std::io::Read>(
    conn: &Connection,
    name: &str,
    records: &mut Records<'_, R>,
    note: Option<&'static str>,
    doublon: bool,
) -> Result<Summary> {
    let index = column_index(name, records.headers(), &COLUMNS)?;
    let col = |c: &str| {
        COLUMNS
            .iter()
            .position(|(k, _)| *k == c)
            .and_then(|i| index[i])
    };
    if col("piece").is_none() && col("numero").is_none() {
        bail_user!(
            "{name} : il faut une colonne « piece » ou « numero » pour regrouper les lignes en écritures"
        );
    }

    // Groups in the order of their first line; lines of one entry need not be adjacent.
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<(Option<String>, String), usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = records.next(&mut record)? {
        let get = |c: &str| -> &str { col(c).and_then(|i| record.get(i)).unwrap_or("") };
        let opt =
            |c: &str| -> Option<String> { Some(get(c).to_string()).filter(|s| !s.is_empty()) };
        let bad = |field: &str, e: anyhow::Error| -> anyhow::Error {
            let msg = format!(
                "{name}, ligne {line}, colonne « {field} » (valeur « {} ») : {e:#}",
                excerpt(get(field))
            );
            if exit_code(&e) == 2 {
                user(format!(
                    "{msg}\nRien n'a été importé : corrigez la ligne et relancez l'import."
                ))
            } else {
                e.context(msg)
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The limits of the commands, before any value is read.
        for (field, max) in [
            ("date", MAX_SHORT_CHARS),
            ("journal", MAX_SHORT_CHARS),
            ("numero", MAX_SHORT_CHARS),
            ("piece", MAX_SHORT_CHARS),
            ("compte", MAX_SHORT_CHARS),
            ("libelle", MAX_TEXT_CHARS),
            ("debit", MAX_SHORT_CHARS),
            ("credit", MAX_SHORT_CHARS),
            ("tiers", MAX_NAME_CHARS),
            ("projet", MAX_NAME_CHARS),
        ] {
            check_length(get(field), max).map_err(|e| bad(field, e))?;
        }
        let date = parse_past_date(get("date")).map_err(|e| bad("date", e))?;
        let compte = Compte::parse(get("compte")).map_err(|e| bad("compte", e))?;
        if let Err(msg) = chart::check(Plan::for_date(date), compte.as_str()) {
            return Err(bad("compte", user(msg)));
        }
        let amount = |c: &str| -> Result<Money> {
            match get(c) {
                "" | "0" | "0,00" | "0.00" => Ok(Money::default()),
                s => Money::parse_positive(s).map_err(|e| bad(c, e)),
            }
        };
        let (debit, credit) = (amount("debit")?, amount("credit")?);
        if (debit.cents() == 0) == (credit.cents() == 0) {
            return Err(bad(
                "debit",
                user(format!(
                    "une ligne porte un montant au débit ou au crédit, pas les deux ni aucun (débit « {} », crédit « {} »)",
                    get("debit"),
                    get("credit")
                )),
            ));
        }
        let libelle = get("libelle");
        if libelle.is_empty() {
            return Err(bad(
                "libelle",
                user("valeur manquante : décrivez la ligne (« Facture URSSAF T2 »…)"),
            ));
        }
        let journal = opt("journal");
        let key = opt("numero")
            .or_else(|| opt("piece"))
            .ok_or_else(|| {
                bad(
                    "piece",
                    user("valeur manquante : chaque ligne dit à quelle écriture elle appartient (colonne piece ou numero)"),
                )
            })?;
        let at = *by_key
            .entry((journal.clone(), key.clone()))
            .or_insert_with(|| {
                groups.push(Group {
                    journal: journal.clone(),
                    key: key.clone(),
                    piece: opt("piece").or_else(|| Some(key.clone())),
                    date,
                    libelle: libelle.to_string(),
                    tiers: None,
                    projet: None,
                    lines: Vec::new(),
                    lignes: Vec::new(),
                });
                groups.len() - 1
            });
        let g = &mut groups[at];
        if g.date != date {
            return Err(bad(
                "date",
                user(format!(
                    "l'écriture « {} » est datée du {} à la ligne {} : toutes ses lignes portent la même date",
                    g.key,
                    g.date.format("%d/%m/%Y"),
                    g.lines[0]
                )),
            ));
        }
        for (field, slot) in [("tiers", &mut g.tiers), ("projet", &mut g.projet)] {
            if let Some(v) = opt(field) {
                match slot {
                    Some(prev) if *prev != v => {
                        return Err(bad(
                            field,
                            user(format!(
                                "l'écriture « {} » a déjà le {field} « {prev} » : un seul {field} par écriture",
                                g.key
                            )),
                        ));
                    }
                    _ => *slot = Some(v),
                }
            }
        }
        g.lines.push(line);
        g.lignes.push(Ligne {
            compte,
            debit,
            credit,
        });
    }
    if groups.is_empty() {
        bail_user!("{name} : aucune ligne de données après l'en-tête");
    }

    let mut summary = Summary {
        note,
        ..Summary::default()
    };
    let stamp = crate::db::now();
    for g in groups {
        let lines = g
            .lines
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let which = match &g.journal {
            Some(j) => format!(
                "{name}, écriture « {} » du journal {j} (lignes {lines})",
                g.key
            ),
            None => format!("{name}, écriture « {} » (lignes {lines})", g.key),
        };
        let in_entry = |e: anyhow::Error| -> anyhow::Error {
            if exit_code(&e) == 2 {
                user(format!(
                    "{which} : {e:#}\nRien n'a été importé : corrigez le fichier et relancez l'import."
                ))
            } else {
                e.context(which.clone())
            }
        };
        let e = NewEcriture {
            date: g.date,
            libelle: g.libelle,
            piece: g.piece,
            tiers: g.tiers,
            projet: g.projet,
            journal: g.journal,
            numero_source: None,
            annule: None,
            lignes: g.lignes,
        };
        let (d, c) = e.totals();
        if d != c {
            return Err(in_entry(user(format!(
                "écriture déséquilibrée : débits {d}, crédits {c} (écart {})",
                Money((d.cents() - c.cents()).abs())
            ))));
        }
        if e.lignes.len() < 2 {
            return Err(in_entry(user(
                "une écriture a au moins deux lignes, une au débit et une au crédit",
            )));
        }
        check_class_8(&e).map_err(in_entry)?;
        // A tiers of the books or a partner (see `ici tiers`), as for `ecriture add`.
        let tiers = e
            .tiers
            .as_deref()
            .map(|t| {
                let compte = e
                    .lignes
                    .iter()
                    .map(|l| l.compte.as_str())
                    .find(|c| !c.starts_with("51") && !c.starts_with("53"))
                    .unwrap_or("");
                crate::db::tiers::for_entry(
                    conn,
                    t,
                    crate::domain::tiers::nature_for_account(compte),
                )
            })
            .transpose()
            .map_err(in_entry)?;
        let projet_id = e
            .projet
            .as_deref()
            .map(|p| refs::projet_id(conn, p))
            .transpose()
            .map_err(in_entry)?;
        finances::refuse_closed_year(conn, e.date.year()).map_err(in_entry)?;
        if !doublon && let Some(numero) = finances::duplicate_of(conn, &e)? {
            return Err(in_entry(user(format!(
                "cette écriture est déjà enregistrée (écriture n° {numero}, mêmes date, libellé et lignes) ; si c'est voulu, ajoutez --doublon"
            ))));
        }
        let placement = crate::domain::finance::Placement {
            tiers_id: tiers.map(|t| t.id),
            ..Default::default()
        };
        finances::insert_placed(
            conn,
            &e,
            tiers.and_then(|t| t.partenaire_id),
            projet_id,
            &stamp,
            &placement,
        )?;
        for l in &e.lignes {
            match l.compte.as_str().as_bytes()[0] {
                b'7' => summary.produits += l.credit.cents() - l.debit.cents(),
                b'6' => summary.charges += l.debit.cents() - l.credit.cents(),
                _ => {}
            }
        }
        summary.rows += 1;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::import::{Kind, import_bytes};
    use crate::db::Ledger;

    fn import(csv: &str) -> Result<Summary> {
        let mut l = Ledger::in_memory()?;
        l.write(|tx| import_bytes(tx, Kind::Ecritures, "e.csv", csv.as_bytes(), false))
    }

    #[test]
    fn groups_by_piece_and_balances() {
        let s = import(
            "date;piece;compte;libelle;debit;credit\n\
             2017-12-31;OD-1;6811;Dotation;1186,00;\n\
             2017-12-31;OD-2;194;Fonds dédiés;24403,48;\n\
             2017-12-31;OD-1;28183;Dotation;;1186,00\n\
             2017-12-31;OD-2;789;Fonds dédiés;;24403,48\n",
        )
        .unwrap();
        assert_eq!(s.rows, 2);
        assert_eq!(s.charges, 1186_00);
        assert_eq!(s.produits, 24403_48);
    }

    #[test]
    fn refusals_name_the_line() {
        let err = import(
            "date;piece;compte;libelle;debit;credit\n\
             2017-12-31;OD-1;6811;Dotation;1186,00;\n\
             2017-12-31;OD-1;28183;Dotation;;1168,00\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("écriture « OD-1 » (lignes 2, 3)"), "{err}");
        assert!(err.contains("déséquilibrée"), "{err}");
        let err = import("date;piece;compte;libelle;debit;credit\n2017-01-01;A;512;x;1;1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("ligne 2"), "{err}");
        let err = import(
            "date;piece;compte;libelle;debit;credit\n\
             2017-01-01;A;864;Bénévolat;100;\n2017-01-01;A;512;Bénévolat;;100\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("classe 8"), "{err}");
    }
}
