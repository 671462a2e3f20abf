//! `ici compte-rendu PROJET ANNEE`: the compte rendu financier of a subsidised action
//! (Cerfa n° 15059*02) — the table of charges and products, budgeted against actual
//! (direct plus allocated), the gaps against the agreements' threshold, the
//! explanations, the annex and the qualitative account from the ledger — as a table,
//! CSV, JSON, or an A4 document to print and sign.

use crate::bail_user;
use crate::cmd::Ctx;
use crate::db::financeurs::{self, analytique, budget, conventions};
use crate::db::refs;
use crate::domain::chart::Plan;
use crate::domain::compte_rendu::repartition::ventile;
use crate::domain::compte_rendu::{
    CompteRendu, Ligne, SEUIL_PAR_DEFAUT, pct_dixiemes, pct_fr, pct_json,
};
use crate::domain::date::parse_year;
use crate::domain::financeur::TypeFinanceur;
use crate::domain::money::Money;
use crate::domain::{MAX_TEXT_CHARS, check_length};
use crate::output::{self, Existing};
use crate::render::{self, Cell, Format};
use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exemples :\n  ici compte-rendu MEDNUM94 2017\n  ici compte-rendu MEDNUM94 2017 --explique 64=\"Deux formateurs au lieu d'un à partir de mai\"\n  ici compte-rendu MEDNUM94 2017 --explique \"74:Fondation Cetelem=Le solde est versé en 2018\"\n  ici compte-rendu MEDNUM94 2017 --html compte-rendu-mednum94-2017.html\n\nPrévision : le budget du projet (`ici budget import`). Réalisation : les écritures du projet, les parts affectées (`ici affecte`) et la clé de l'année (`ici repartition`). Une ligne dont l'écart passe le seuil de la convention (15 % par défaut) doit être expliquée : --explique RUBRIQUE=\"texte\", RUBRIQUE étant 60…68, 70…79, 86, 87, ou 74:FINANCEUR pour une subvention."
)]
pub struct Args {
    /// Le projet (l'action financée)
    pub projet: String,
    /// L'année (2017)
    pub annee: String,
    /// Explique l'écart d'une ligne : RUBRIQUE="texte" (enregistré)
    #[arg(long, value_name = "RUBRIQUE=TEXTE")]
    pub explique: Vec<String>,
    /// Écrit le compte rendu en document HTML à imprimer (A4) dans ce fichier
    #[arg(long, value_name = "FICHIER")]
    pub html: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Everything a compte rendu shows.
pub struct Rapport {
    pub projet: String,
    pub intitule: Option<String>,
    pub annee: i32,
    pub plan: Plan,
    pub table: CompteRendu,
    pub conventions: Vec<conventions::Convention>,
    pub budget: Option<(i64, String)>,
    pub repartition: Option<analytique::Repartition>,
    /// The charges allocations of entries and the year's key gave the project, in cents.
    pub affecte: i64,
    pub reparti: i64,
    pub stats: crate::domain::stats::Stats,
    pub periode: Option<(String, String)>,
}

pub fn compute(conn: &Connection, projet: &str, annee: i32) -> Result<Rapport> {
    let projet_id = refs::projet_id(conn, projet)?;
    let (projet, intitule): (String, Option<String>) = conn.query_row(
        "SELECT nom, intitule FROM projet WHERE id = ?1",
        [projet_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let plan = Plan::for_year(annee);
    let budget = budget::current(conn, annee, Some(projet_id))?;
    let lignes = analytique::lignes(conn, annee)?;
    let aff = analytique::affectations(conn, annee)?;
    let repartition = analytique::courante(conn, annee)?;
    let parts: Vec<_> = ventile(
        &lignes,
        &aff,
        repartition.as_ref().map(|r| r.cle_domaine()).as_ref(),
    )
    .into_iter()
    .filter(|p| p.projet.as_deref() == Some(projet.as_str()))
    .collect();
    let conventions = conventions::list(conn, Some(projet_id), Some(annee))?;
    let seuil = conventions
        .iter()
        .map(|c| c.seuil)
        .min()
        .unwrap_or(SEUIL_PAR_DEFAUT);
    let table = CompteRendu::build(
        plan,
        budget.as_ref().map_or(&[][..], |b| &b.lignes),
        &parts,
        &financeurs::types_financeurs(conn)?,
        seuil,
        &conventions::explications(conn, projet_id, annee)?,
    );
    let charges = table.charges.iter().filter(|l| l.rubrique != "86");
    let affecte = charges.clone().map(|l| l.affecte).sum();
    let reparti = charges.map(|l| l.reparti).sum();
    Ok(Rapport {
        stats: crate::cmd::stats::compute_projet(conn, annee, &projet)?,
        periode: financeurs::periode_sessions(conn, annee, &projet)?,
        projet,
        intitule,
        annee,
        plan,
        table,
        conventions,
        budget: budget.map(|b| (b.version, b.fichier)),
        repartition,
        affecte,
        reparti,
    })
}

pub fn run(ctx: &Ctx, a: Args, out: &mut dyn Write) -> Result<()> {
    let annee = parse_year(&a.annee)?;
    let html_dest = match &a.html {
        Some(p) => Some(output::check_for(
            p,
            &ctx.ledger_path()?,
            Existing::Replace,
            "--html",
        )?),
        None => None,
    };
    if !a.explique.is_empty() {
        let mut ledger = ctx.open()?;
        let said = ledger.write(|tx| {
            let r = compute(tx, &a.projet, annee)?;
            let projet_id = refs::projet_id(tx, &r.projet)?;
            let mut said = Vec::new();
            for e in &a.explique {
                let (key, texte) = parse_explique(e)?;
                let line = find_line(&r.table, &key)?;
                let financeur = line
                    .financeur
                    .as_ref()
                    .map(|f| refs::partenaire_id(tx, &f.nom))
                    .transpose()?;
                conventions::explique(tx, projet_id, annee, &line.rubrique, financeur, &texte)?;
                said.push(line.cle());
            }
            Ok(said)
        })?;
        let said = format!("Explication enregistrée : {}.", said.join(", "));
        if a.format == Format::Table && html_dest.is_none() {
            writeln!(out, "{said}")?;
        } else {
            eprintln!("{said}");
        }
    }
    // Written to note the document in the export log (figures only, nothing personal).
    let mut ledger = ctx.open_for(html_dest.is_some())?;
    let r = compute(ledger.conn(), &a.projet, annee)?;
    if let Some(dest) = &html_dest {
        let doc = crate::html::compte_rendu::render(&r);
        output::write_file(dest, |w| Ok(w.write_all(doc.as_bytes())?))?;
        crate::cmd::export::note(&mut ledger, "compte-rendu", Some(dest.absolute()), false);
        writeln!(
            out,
            "Compte rendu financier {} {} écrit : {} ({} octets), à imprimer et signer.",
            r.projet,
            r.annee,
            dest.path().display(),
            crate::domain::money::group_thousands(doc.len() as u64)
        )?;
        return Ok(());
    }
    print(out, &r, a.format)
}

pub fn print(out: &mut dyn Write, r: &Rapport, format: Format) -> Result<()> {
    match format {
        Format::Json => render::json(out, &to_json(r)),
        Format::Csv | Format::Excel => {
            render::rows(out, format, &HEADERS, &rows_of(&r.table, true))
        }
        Format::Table => print_table(out, r),
    }
}

/// `64="texte"`, `74:Fondation Cetelem=texte`: the line key and the text.
fn parse_explique(input: &str) -> Result<(String, String)> {
    let Some((key, texte)) = input.split_once('=') else {
        bail_user!(
            "--explique « {} » : écrivez RUBRIQUE=\"texte\", par exemple --explique 64=\"Un formateur de plus à partir de mai\"",
            crate::domain::excerpt(input)
        );
    };
    let texte = texte.trim().trim_matches('"').trim();
    if texte.is_empty() {
        bail_user!("--explique {key} : le texte de l'explication est vide");
    }
    check_length(texte, MAX_TEXT_CHARS)?;
    Ok((key.trim().to_string(), texte.to_string()))
}

fn find_line<'a>(cr: &'a CompteRendu, key: &str) -> Result<&'a Ligne> {
    let lines: Vec<&Ligne> = cr.charges.iter().chain(&cr.produits).collect();
    let folded = crate::domain::suggest::fold(key);
    if let Some(l) = lines
        .iter()
        .find(|l| crate::domain::suggest::fold(&l.cle()) == folded)
    {
        return Ok(l);
    }
    let same: Vec<&&Ligne> = lines.iter().filter(|l| l.rubrique == key).collect();
    match same.as_slice() {
        [one] => Ok(one),
        [] => {
            let keys: Vec<String> = lines.iter().map(|l| l.cle()).collect();
            bail_user!(
                "--explique : pas de ligne « {} » dans ce compte rendu ; les lignes : {}",
                crate::domain::excerpt(key),
                keys.join(", ")
            )
        }
        // 86/87 by nature: one explanation for the group.
        [first, ..] if first.financeur.is_none() => Ok(first),
        several => {
            let keys: Vec<String> = several.iter().map(|l| l.cle()).collect();
            bail_user!(
                "--explique {key} : plusieurs lignes de subvention ; nommez le financeur : {}",
                keys.join(", ")
            )
        }
    }
}

const HEADERS: [&str; 9] = [
    "rubrique",
    "libellé",
    "financeur",
    "prévision",
    "réalisation",
    "écart",
    "écart %",
    "au-delà du seuil",
    "explication",
];

/// The table's rows: with the réalisation and gaps, or (a budget) the forecast only.
pub fn rows_of(cr: &CompteRendu, realise: bool) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let line = |l: &Ligne| -> Vec<Cell> {
        if !realise {
            return vec![
                Cell::text(&l.rubrique),
                Cell::text(&l.libelle),
                Cell::Money(Money(l.prevision)),
            ];
        }
        vec![
            Cell::text(&l.rubrique),
            Cell::text(&l.libelle),
            Cell::opt(l.financeur.as_ref().map(|f| f.nom.clone())),
            Cell::Money(Money(l.prevision)),
            Cell::Money(Money(l.realisation)),
            Cell::Money(Money(l.ecart())),
            Cell::opt(l.ecart_dixiemes().map(pct_fr)),
            Cell::text(if l.au_dela_du_seuil { "oui" } else { "" }),
            Cell::opt(l.explication.clone()),
        ]
    };
    let total = |label: &str, (p, r): (i64, i64)| -> Vec<Cell> {
        if !realise {
            return vec![Cell::Empty, Cell::text(label), Cell::Money(Money(p))];
        }
        vec![
            Cell::Empty,
            Cell::text(label),
            Cell::Empty,
            Cell::Money(Money(p)),
            Cell::Money(Money(r)),
            Cell::Money(Money(r - p)),
            Cell::opt(pct_dixiemes(r - p, p).map(pct_fr)),
            Cell::Empty,
            Cell::Empty,
        ]
    };
    for l in cr.charges.iter().filter(|l| l.rubrique != "86") {
        rows.push(line(l));
    }
    rows.push(total("TOTAL DES CHARGES", cr.total_charges()));
    for l in cr.charges.iter().filter(|l| l.rubrique == "86") {
        rows.push(line(l));
    }
    for l in cr.produits.iter().filter(|l| l.rubrique != "87") {
        rows.push(line(l));
    }
    rows.push(total("TOTAL DES PRODUITS", cr.total_produits()));
    for l in cr.produits.iter().filter(|l| l.rubrique == "87") {
        rows.push(line(l));
    }
    rows
}

fn line_json(l: &Ligne) -> Value {
    json!({
        "rubrique": l.rubrique,
        "libelle": l.libelle,
        "financeur": l.financeur.as_ref().map(|f| f.nom.clone()),
        "prevision": Money(l.prevision).plain(),
        "realisation": Money(l.realisation).plain(),
        "ecart": Money(l.ecart()).plain(),
        "ecart_pct": l.ecart_dixiemes().map(pct_json),
        "au_dela_du_seuil": l.au_dela_du_seuil,
        "explication": l.explication,
    })
}

pub fn to_json(r: &Rapport) -> Value {
    let (pc, rc) = r.table.total_charges();
    let (pp, rp) = r.table.total_produits();
    let mut beneficiaires = crate::cmd::stats::to_json(&r.stats);
    beneficiaires["premiere_session"] = r.periode.as_ref().map(|p| p.0.clone()).into();
    beneficiaires["derniere_session"] = r.periode.as_ref().map(|p| p.1.clone()).into();
    json!({
        "projet": r.projet,
        "annee": r.annee,
        "conventions": r.conventions.iter().map(|c| json!({
            "financeur": c.financeur,
            "type": c.type_financeur.map(TypeFinanceur::code),
            "montant": Money(c.montant).plain(),
            "reference": c.reference,
            "seuil": c.seuil,
        })).collect::<Vec<_>>(),
        "charges": r.table.charges.iter().map(line_json).collect::<Vec<_>>(),
        "produits": r.table.produits.iter().map(line_json).collect::<Vec<_>>(),
        "total_charges": {"prevision": Money(pc).plain(), "realisation": Money(rc).plain()},
        "total_produits": {"prevision": Money(pp).plain(), "realisation": Money(rp).plain()},
        "part_subvention_pct": r.table.part_subvention().map(pct_json),
        "repartition": r.repartition.as_ref().map(|k| json!({
            "comptes": k.comptes,
            "cle": k.cle,
            "parts": k.parts.iter().map(|(p, b, s)| json!({
                "projet": p,
                "base": b,
                "part_pct": pct_dixiemes(i64::from(*s), 10_000).map(pct_json),
            })).collect::<Vec<_>>(),
        })),
        "beneficiaires": beneficiaires,
    })
}

/// The allocation rule in words, for the annex.
pub fn regle_en_mots(r: &Rapport) -> String {
    let mut s = String::from(
        "Sont comptées au projet les écritures qui le nomment, et les parts d'écritures qui lui sont affectées.",
    );
    if let Some(k) = &r.repartition {
        let share = k
            .parts
            .iter()
            .find(|(p, _, _)| *p == r.projet)
            .map_or(0, |(_, _, s)| *s);
        s.push_str(&format!(
            " Les charges des comptes {} qui ne sont à aucun projet sont réparties {} ({} de {} : {} pour ce projet).",
            k.comptes.join(", "),
            crate::cmd::repartition::en_mots(&k.cle),
            k.parts
                .iter()
                .map(|(p, b, _)| format!("{p} {}", crate::cmd::repartition::base_fr(&k.cle, *b)))
                .collect::<Vec<_>>()
                .join(", "),
            r.annee,
            analytique::pct(share)
        ));
    }
    s.push_str(&format!(
        " Charges de l'action venues d'écritures affectées : {} ; réparties par la clé : {}.",
        Money(r.affecte),
        Money(r.reparti)
    ));
    s
}

/// `2017-09-12` as French writes it: `12/09/2017`.
pub fn date_fr(iso: &str) -> String {
    match (iso.get(..4), iso.get(5..7), iso.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// The qualitative account, from the ledger's figures for the project and year:
/// (heading, text) pairs.
pub fn qualitatif(r: &Rapport) -> Vec<(&'static str, String)> {
    let s = &r.stats;
    let mut out = vec![
        (
            "Sessions",
            match &r.periode {
                Some((a, z)) => {
                    format!("{}, du {} au {}", s.total.sessions, date_fr(a), date_fr(z))
                }
                None => "aucune".into(),
            },
        ),
        ("Personnes formées", s.personnes_formees().to_string()),
        ("Participations", s.participations().to_string()),
        (
            "Heures de formation",
            format!("{} h", crate::domain::duration::hours_fr(s.total.minutes)),
        ),
        (
            "Heures-stagiaires",
            format!(
                "{} h",
                crate::domain::duration::hours_fr(s.total.minutes_stagiaires)
            ),
        ),
        (
            "Communes",
            if s.villes.is_empty() {
                "aucune".into()
            } else {
                s.villes
                    .iter()
                    .map(|v| format!("{} ({} session(s))", v.nom, v.counts.sessions))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
    ];
    let publics: Vec<String> = crate::domain::session::PUBLICS
        .iter()
        .zip(&s.publics)
        .filter(|(_, p)| p.renseigne > 0)
        .map(|((_, label, _), p)| {
            format!("{label} : {} sur {} renseignés", p.personnes, p.renseigne)
        })
        .collect();
    out.push((
        "Publics",
        if publics.is_empty() {
            "non renseignés".into()
        } else {
            publics.join(" ; ")
        },
    ));
    if !s.partenaires.is_empty() {
        out.push(("Partenaires", s.partenaires.join(", ")));
    }
    for res in &s.resultats {
        let cible = res.objectif.as_ref();
        if let Some(n) = cible.and_then(|o| o.participants) {
            out.push((
                "Objectif de personnes",
                format!("{n} prévues, {} atteintes", res.personnes),
            ));
        }
        if let Some(t) = cible.and_then(|o| o.sorties_positives) {
            out.push((
                "Objectif de sorties positives",
                format!(
                    "{} prévues ; {} sur {} sorties notées ({})",
                    pct_fr(t),
                    res.positives,
                    res.sorties,
                    res.taux_positives.map_or("sans objet".into(), pct_fr)
                ),
            ));
        }
    }
    out
}

pub fn print_table(out: &mut dyn Write, r: &Rapport) -> Result<()> {
    writeln!(
        out,
        "Compte rendu financier {} — {} (Cerfa n° 15059*02)",
        r.annee,
        r.intitule
            .as_deref()
            .map_or(r.projet.clone(), |i| format!("{} : {i}", r.projet))
    )?;
    for c in &r.conventions {
        writeln!(
            out,
            "Convention : {} ({}), {}{} ; seuil d'écart significatif {} %.",
            c.financeur,
            c.type_financeur
                .map_or("type non renseigné", TypeFinanceur::libelle),
            Money(c.montant),
            c.reference
                .as_deref()
                .map_or(String::new(), |x| format!(", réf. {x}")),
            c.seuil
        )?;
    }
    if r.conventions.is_empty() {
        writeln!(
            out,
            "Aucune convention pour ce projet en {} : seuil d'écart significatif {} % par défaut.",
            r.annee, SEUIL_PAR_DEFAUT
        )?;
    }
    match &r.budget {
        Some((v, f)) => writeln!(out, "Prévision : budget version {v} ({f}).")?,
        None => writeln!(
            out,
            "Pas de budget pour ce projet en {} : la prévision est vide (`ici budget import`).",
            r.annee
        )?,
    }
    let headers = [
        "rubrique",
        "libellé",
        "prévision",
        "réalisation",
        "écart",
        "écart %",
        "seuil",
    ];
    let rows: Vec<Vec<Cell>> = rows_of(&r.table, true)
        .into_iter()
        .map(|mut row| {
            row.remove(8);
            row.remove(2);
            row
        })
        .collect();
    writeln!(out, "{}", render::table(&headers, &rows))?;
    let (_, rc) = r.table.total_charges();
    let (_, rp) = r.table.total_produits();
    let nom = if rp >= rc { "Excédent" } else { "Déficit" };
    writeln!(out, "{nom} de l'action : {}.", Money((rp - rc).abs()))?;
    if let Some(p) = r.table.part_subvention() {
        writeln!(
            out,
            "Part des subventions dans les produits de l'action : {}.",
            pct_fr(p)
        )?;
    }
    let open = r.table.inexpliquees();
    if open.is_empty() {
        writeln!(
            out,
            "Chaque écart au-delà de {} % est expliqué.",
            r.table.seuil
        )?;
    } else {
        let keys: Vec<String> = open.iter().map(|l| l.cle()).collect();
        writeln!(
            out,
            "À expliquer (écart au-delà de {} %) : {} — `ici compte-rendu {} {} --explique RUBRIQUE=\"texte\"`.",
            r.table.seuil,
            keys.join(", "),
            r.projet,
            r.annee
        )?;
    }
    writeln!(
        out,
        "\nAnnexe — règle de répartition : {}",
        regle_en_mots(r)
    )?;
    for l in r.table.charges.iter().chain(&r.table.produits) {
        if let Some(e) = &l.explication {
            writeln!(out, "Explication {} : {e}", l.cle())?;
        }
    }
    writeln!(out, "\nL'action en {} :", r.annee)?;
    for (k, v) in qualitatif(r) {
        writeln!(out, "  {k} : {v}")?;
    }
    Ok(())
}
