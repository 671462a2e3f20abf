//! `ici session add|list|show|corrige|annule`: what a trainer records right after a
//! workshop, and how it is put right.

use crate::cmd::Ctx;
use crate::db::sessions::{self, Filter, Session};
use crate::db::{participants, refs};
use crate::domain::date::{parse_date, parse_month, parse_year, today, year_bounds};
use crate::domain::duration::Minutes;
use crate::domain::session::{CorrectionDraft, PUBLICS, Place, SessionDraft, parse_lieu_in};
use crate::domain::vocabulaire::{MATERIELS, THEMATIQUES, Vocabulaire, thematiques_help};
use crate::error::with_flag;
use crate::render::{self, Cell, Format};
use crate::territory;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une session qui vient d'avoir lieu
    #[command(
        after_help = "Exemples :\n  ici session add --date 2017-06-12 --projet NET94 --commune Villejuif --duree 3h --participants 12 --femmes 7 --demandeurs-emploi 12\n  ici session ajoute -p NET94 -c \"Le Kremlin-Bicêtre\" -t 14h-17h -n 8      (sans date : aujourd'hui)"
    )]
    Add(Box<AddArgs>),
    /// Liste les sessions
    #[command(
        after_help = "Exemples :\n  ici session list --mois 2017-06\n  ici session list --depuis 01/09/2017 --jusqu-au 31/12/2017 --formateur Karim\n  ici session list --saisies-depuis aujourd'hui      (ce que j'ai saisi aujourd'hui)"
    )]
    List(ListArgs),
    /// Affiche une session : ses champs, ses présents nommés, son historique de
    /// corrections et son annulation
    Show {
        /// Numéro de la session (voir `ici session list`)
        #[arg(value_parser = parse_numero)]
        numero: i64,
    },
    /// Corrige une session : date, durée, projet, effectif, lieu, intitulé, formateur,
    /// partenaire, répartitions ; l'historique garde l'ancienne valeur
    Corrige(Box<CorrigeArgs>),
    /// Annule une ou plusieurs sessions : elles restent au registre mais sortent de tous
    /// les chiffres
    Annule {
        /// Numéros des sessions (voir `ici session list`) : toutes ou aucune
        #[arg(value_parser = parse_numero, required = true, num_args = 1..)]
        numeros: Vec<i64>,
        /// Pourquoi elles sont annulées
        #[arg(long, allow_hyphen_values = true)]
        motif: String,
    },
}

#[derive(Debug, clap::Args)]
#[command(
    group(
        clap::ArgGroup::new("correction")
            .required(true)
            .multiple(true)
            .args(["date", "duree", "projet", "participants", "commune", "lieu", "intitule", "formateur", "partenaire", "femmes", "qpv", "jeunes_ml", "demandeurs_emploi", "rsa", "thematiques", "materiel", "niveau"])
    ),
    override_usage = "ici session corrige <NUMERO> <OPTION VALEUR>… [--motif <MOTIF>]",
    after_help = "Exemples :\n  ici session corrige 18 --participants 12 --motif \"deux retardataires\"\n  ici session corrige 18 --date hier --duree 14h-17h\n  ici session corrige 18 --intitule \"\"      (vide l'intitulé)\nL'ancienne valeur de chaque champ corrigé reste dans l'historique : ici session show 18."
)]
pub struct CorrigeArgs {
    /// Numéro de la session (voir `ici session list`)
    #[arg(value_parser = parse_numero)]
    pub numero: i64,
    /// Date : 2017-06-12, 12/06/2017, 12/06, hier…
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Durée : 3h, 2h30, 90min, 1,5, 14h-17h
    #[arg(long, allow_hyphen_values = true)]
    pub duree: Option<String>,
    /// Projet (voir `ici projet list`)
    #[arg(long, allow_hyphen_values = true)]
    pub projet: Option<String>,
    /// Nombre de participants, présents nommés et anonymes ensemble
    #[arg(long, allow_hyphen_values = true)]
    pub participants: Option<String>,
    /// Commune : nom, code INSEE ou code postal
    #[arg(long, allow_hyphen_values = true)]
    pub commune: Option<String>,
    /// site (par défaut) ou distance
    #[arg(long)]
    pub lieu: Option<String>,
    /// Intitulé de l'atelier ("" pour le retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub intitule: Option<String>,
    /// Formateur ou formatrice ("" pour le retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub formateur: Option<String>,
    /// Partenaire (voir `ici partenaire list` ; "" pour le retirer)
    #[arg(long, allow_hyphen_values = true)]
    pub partenaire: Option<String>,
    /// Femmes parmi les participants anonymes (nc : non renseigné)
    #[arg(long, allow_hyphen_values = true)]
    pub femmes: Option<String>,
    /// Habitants d'un QPV parmi les anonymes (nc : non renseigné)
    #[arg(long, allow_hyphen_values = true)]
    pub qpv: Option<String>,
    /// Jeunes suivis en mission locale parmi les anonymes (nc : non renseigné)
    #[arg(long, allow_hyphen_values = true)]
    pub jeunes_ml: Option<String>,
    /// Demandeurs d'emploi parmi les anonymes (nc : non renseigné)
    #[arg(long, allow_hyphen_values = true)]
    pub demandeurs_emploi: Option<String>,
    /// Bénéficiaires du RSA parmi les anonymes (nc : non renseigné)
    #[arg(long, allow_hyphen_values = true)]
    pub rsa: Option<String>,
    /// Thématiques, séparées par « | » ; remplacent les précédentes ("" pour les retirer)
    #[arg(long, long_help = thematiques_help(), value_name = "THEMATIQUES")]
    pub thematiques: Option<String>,
    /// Matériel utilisé : ordinateur, telephone, tablette, autre, aucun ; remplace le
    /// précédent ("" pour le retirer)
    #[arg(long)]
    pub materiel: Option<String>,
    /// Niveau de l'atelier : debutant, intermediaire, avance ("" pour le retirer)
    #[arg(long)]
    pub niveau: Option<String>,
    /// Pourquoi (gardé dans l'historique)
    #[arg(long, allow_hyphen_values = true)]
    pub motif: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Date : 2017-06-12, 12/06/2017, 12/06, hier… (par défaut : aujourd'hui)
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Projet (voir `ici projet list`)
    #[arg(long, allow_hyphen_values = true)]
    pub projet: String,
    /// Commune où la session a eu lieu : nom, code INSEE (94043) ou code postal (94270)
    #[arg(long, required_unless_present = "lieu", allow_hyphen_values = true)]
    pub commune: Option<String>,
    /// site (par défaut) ou distance : une session à distance ne compte dans aucune ville
    #[arg(long, allow_hyphen_values = true)]
    pub lieu: Option<String>,
    /// Durée : 3h, 2h30, 90min, 1,5, 14h-17h
    #[arg(long, allow_hyphen_values = true)]
    pub duree: String,
    /// Nombre de participants, présents nommés et anonymes ensemble
    #[arg(
        long,
        required_unless_present_any = ["presents", "anonymes"],
        allow_hyphen_values = true
    )]
    pub participants: Option<String>,
    /// Codes des présents nommés, séparés par des virgules (P-0001,P-0002) ; P-0003:2h
    /// pour quelqu'un resté deux heures
    #[arg(long, allow_hyphen_values = true)]
    pub presents: Option<String>,
    /// Nombre de participants anonymes, en plus des présents nommés
    #[arg(long, allow_hyphen_values = true)]
    pub anonymes: Option<String>,
    /// Dont femmes (avec des présents nommés : parmi les anonymes)
    #[arg(long, allow_hyphen_values = true)]
    pub femmes: Option<String>,
    /// Dont habitants d'un quartier prioritaire (QPV)
    #[arg(long, allow_hyphen_values = true)]
    pub qpv: Option<String>,
    /// Dont jeunes suivis par une mission locale
    #[arg(long, allow_hyphen_values = true)]
    pub jeunes_ml: Option<String>,
    /// Dont demandeurs d'emploi
    #[arg(long, allow_hyphen_values = true)]
    pub demandeurs_emploi: Option<String>,
    /// Dont bénéficiaires du RSA
    #[arg(long, allow_hyphen_values = true)]
    pub rsa: Option<String>,
    /// Partenaire de la session (voir `ici partenaire list`)
    #[arg(long, allow_hyphen_values = true)]
    pub partenaire: Option<String>,
    /// Intitulé de l'atelier
    #[arg(long, allow_hyphen_values = true)]
    pub intitule: Option<String>,
    /// Formateur ou formatrice
    #[arg(long, allow_hyphen_values = true)]
    pub formateur: Option<String>,
    /// Thématiques de la Coop de la médiation numérique, séparées par « | » (liste :
    /// --help)
    #[arg(long, long_help = thematiques_help(), value_name = "THEMATIQUES")]
    pub thematiques: Option<String>,
    /// Matériel utilisé, plusieurs séparés par « | » : ordinateur, telephone, tablette,
    /// autre, aucun
    #[arg(long)]
    pub materiel: Option<String>,
    /// Niveau de l'atelier : debutant, intermediaire, avance
    #[arg(long)]
    pub niveau: Option<String>,
    /// Enregistrer même si une session du même projet, le même jour, au même endroit
    /// et de même durée est déjà au registre (deux groupes)
    #[arg(long)]
    pub doublon: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Année (2017)
    #[arg(long)]
    pub annee: Option<String>,
    /// Projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Inclure les sessions annulées
    #[arg(long)]
    pub annulees: bool,
    /// Seulement les sessions dont la commune n'a pas été reconnue
    #[arg(long)]
    pub commune_inconnue: bool,
    /// Sessions à partir de cette date (incluse)
    #[arg(long, value_name = "DATE")]
    pub depuis: Option<String>,
    /// Sessions jusqu'à cette date (incluse)
    #[arg(long = "jusqu-au", value_name = "DATE")]
    pub jusqu_au: Option<String>,
    /// Sessions d'un mois : 2017-06
    #[arg(long, value_name = "MOIS")]
    pub mois: Option<String>,
    /// Sessions d'un formateur ou d'une formatrice (majuscules indifférentes)
    #[arg(long, value_name = "NOM")]
    pub formateur: Option<String>,
    /// Sessions saisies depuis cette date, quelle que soit leur date : « aujourd'hui »
    /// pour ce que vous avez saisi aujourd'hui
    #[arg(long, value_name = "DATE")]
    pub saisies_depuis: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A session number as typed: a positive whole number.
fn parse_numero(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(
            "attendu le numéro d'une session, un nombre entier positif (voir `ici session list`)"
                .into(),
        ),
    }
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add(a) => add(ctx, *a, out),
        Commande::List(a) => list(ctx, a, out),
        Commande::Annule { numeros, motif } => {
            let mut numeros = numeros;
            numeros.sort_unstable();
            numeros.dedup();
            let mut ledger = ctx.open()?;
            let cancelled = ledger.write(|tx| {
                numeros
                    .iter()
                    .map(|n| sessions::cancel(tx, *n, &motif))
                    .collect::<Result<Vec<_>>>()
            })?;
            for s in &cancelled {
                writeln!(
                    out,
                    "Session n° {} du {} ({}, {}) annulée : elle ne compte plus dans les chiffres.",
                    s.numero, s.date, s.projet, s.place
                )?;
            }
            Ok(())
        }
        Commande::Corrige(a) => corrige(ctx, *a, out),
        Commande::Show { numero } => show(ctx, numero, out),
    }
}

fn corrige(ctx: &Ctx, a: CorrigeArgs, out: &mut dyn Write) -> Result<()> {
    let numero = a.numero;
    let mut ledger = ctx.open()?;
    let home = crate::db::territoire::home(ledger.conn())?;
    let mut correction = CorrectionDraft {
        date: a.date.as_deref(),
        projet: a.projet.as_deref(),
        commune: None,
        lieu: None,
        duree: a.duree.as_deref(),
        participants: a.participants.as_deref(),
        publics: [
            a.femmes.as_deref(),
            a.qpv.as_deref(),
            a.jeunes_ml.as_deref(),
            a.demandeurs_emploi.as_deref(),
            a.rsa.as_deref(),
        ],
        partenaire: a.partenaire.as_deref(),
        intitule: a.intitule.as_deref(),
        formateur: a.formateur.as_deref(),
        vocabulaire: [
            a.thematiques.as_deref(),
            a.materiel.as_deref(),
            a.niveau.as_deref(),
        ],
    }
    .check()
    .map_err(with_flag)?;
    // The place resolves as in `session add`: the home territory settles shared names.
    if a.commune.is_some() || a.lieu.is_some() {
        let commune = a.commune.as_deref().unwrap_or("");
        correction.lieu =
            Some(parse_lieu_in(a.lieu.as_deref(), commune, &home).map_err(with_flag)?);
    }
    let (s, changes) = ledger
        .write(|tx| sessions::correct(tx, numero, &correction, a.motif.as_deref()))
        .map_err(with_flag)?;
    if changes.is_empty() {
        writeln!(
            out,
            "Session n° {numero} du {} : rien à corriger, les valeurs données sont déjà celles-là.",
            s.date
        )?;
        return Ok(());
    }
    writeln!(out, "Session n° {numero} corrigée :")?;
    let rows: Vec<Vec<Cell>> = changes
        .iter()
        .map(|c| {
            vec![
                Cell::text(&c.champ),
                Cell::text(c.avant.as_deref().unwrap_or("—")),
                Cell::text(c.apres.as_deref().unwrap_or("—")),
            ]
        })
        .collect();
    writeln!(
        out,
        "{}",
        render::table(&["champ", "avant", "après"], &rows)
    )?;
    if a.commune.is_some() || a.lieu.is_some() {
        writeln!(
            out,
            "Session n° {numero} du {} : lieu corrigé en {}.",
            s.date,
            describe_place(&s.place)
        )?;
    }
    if correction.publics.iter().any(Option::is_some) || correction.participants.is_some() {
        let list: Vec<String> = PUBLICS
            .iter()
            .zip(s.publics.values())
            .map(|((_, label, _), v)| {
                format!(
                    "{} {}",
                    label.to_lowercase(),
                    v.map_or("non renseigné".to_string(), |n| n.to_string())
                )
            })
            .collect();
        writeln!(
            out,
            "Session n° {numero} du {} : répartitions des {} participant(s) anonyme(s) : {}.",
            s.date,
            s.participants - s.nommes,
            list.join(", ")
        )?;
    }
    Ok(())
}

fn show(ctx: &Ctx, numero: i64, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let conn = ledger.conn();
    let s = sessions::must_exist(conn, numero)?;
    let codes = participants::session_codes(conn, numero)?;
    writeln!(out, "Session n° {numero}")?;
    let mut rows = detail(&s, &codes);
    if let Some(cree) = sessions::recorded_at(conn, numero)? {
        rows.push(vec![
            Cell::text("saisie le"),
            Cell::text(cree.replace('T', " ")),
        ]);
    }
    if let (Some(le), Some(motif)) = (&s.annulee_le, &s.motif_annulation) {
        rows.push(vec![
            Cell::text("annulée le"),
            Cell::text(format!("{} : {motif}", le.replace('T', " "))),
        ]);
    }
    writeln!(out, "{}", render::table(&[], &rows))?;
    let history = sessions::history(conn, numero)?;
    if history.is_empty() {
        writeln!(out, "Aucune correction.")?;
    } else {
        writeln!(out, "Corrections :")?;
        let rows: Vec<Vec<Cell>> = history
            .iter()
            .map(|h| {
                vec![
                    Cell::text(h.fait_le.replace('T', " ")),
                    Cell::text(&h.change.champ),
                    Cell::text(h.change.avant.as_deref().unwrap_or("—")),
                    Cell::text(h.change.apres.as_deref().unwrap_or("—")),
                    Cell::opt(h.motif.as_deref()),
                ]
            })
            .collect();
        writeln!(
            out,
            "{}",
            render::table(&["le", "champ", "avant", "après", "motif"], &rows)
        )?;
    }
    Ok(())
}

fn add(ctx: &Ctx, a: AddArgs, out: &mut dyn Write) -> Result<()> {
    let today = today().format("%Y-%m-%d").to_string();
    let draft = SessionDraft {
        date: a.date.as_deref().unwrap_or(&today),
        projet: &a.projet,
        commune: a.commune.as_deref().unwrap_or(""),
        lieu: a.lieu.as_deref(),
        duree: &a.duree,
        participants: a.participants.as_deref().unwrap_or(""),
        presents: a.presents.as_deref(),
        anonymes: a.anonymes.as_deref(),
        publics: [
            a.femmes.as_deref(),
            a.qpv.as_deref(),
            a.jeunes_ml.as_deref(),
            a.demandeurs_emploi.as_deref(),
            a.rsa.as_deref(),
        ],
        partenaire: a.partenaire.as_deref(),
        intitule: a.intitule.as_deref(),
        formateur: a.formateur.as_deref(),
        vocabulaire: [
            a.thematiques.as_deref(),
            a.materiel.as_deref(),
            a.niveau.as_deref(),
        ],
    };
    let mut ledger = ctx.open()?;
    let home = crate::db::territoire::home(ledger.conn())?;
    let new = draft.check_in(&home).map_err(with_flag)?;
    let numero = ledger
        .write(|tx| sessions::insert(tx, &new, a.doublon))
        .map_err(with_flag)?;
    let s = sessions::get(ledger.conn(), numero)?.expect("session just written");
    let codes = participants::session_codes(ledger.conn(), numero)?;
    if a.date.is_none() {
        writeln!(
            out,
            "Session n° {numero} enregistrée à la date d'aujourd'hui, {} (sinon : ici session corrige {numero} --date …).",
            new.date.format("%d/%m/%Y")
        )?;
    } else {
        writeln!(out, "Session n° {numero} enregistrée.")?;
    }
    if let Some(note) = a.commune.as_deref().and_then(|c| home.note(c)) {
        writeln!(out, "{note}")?;
    }
    writeln!(out, "{}", render::table(&[], &detail(&s, &codes)))?;
    Ok(())
}

/// The fields of one session, one per row, with the codes of its named people.
fn detail(s: &Session, codes: &[(String, Option<u32>)]) -> Vec<Vec<Cell>> {
    let mut rows = vec![
        vec![Cell::text("date"), Cell::text(&s.date)],
        vec![Cell::text("projet"), Cell::text(&s.projet)],
        vec![Cell::text("lieu"), Cell::text(describe_place(&s.place))],
        vec![Cell::text("durée"), Cell::text(s.duree.to_string())],
        vec![Cell::text("participants"), Cell::Int(s.participants.into())],
    ];
    if !codes.is_empty() {
        let list: Vec<String> = codes
            .iter()
            .map(|(c, m)| match m {
                Some(m) => format!("{c} ({})", Minutes(*m)),
                None => c.clone(),
            })
            .collect();
        rows.push(vec![
            Cell::text(format!("dont nommés ({})", codes.len())),
            Cell::text(list.join(", ")),
        ]);
        rows.push(vec![
            Cell::text("dont anonymes"),
            Cell::Int((s.participants - s.nommes).into()),
        ]);
    }
    let among = if codes.is_empty() { "dont" } else { "anonymes" };
    for ((_, label, _), v) in PUBLICS.iter().zip(s.publics.values()) {
        if let Some(v) = v {
            rows.push(vec![
                Cell::text(format!("{among} {}", label.to_lowercase())),
                Cell::Int(v.into()),
            ]);
        }
    }
    for (k, v) in [
        ("partenaire", &s.partenaire),
        ("intitulé", &s.intitule),
        ("formateur", &s.formateur),
    ] {
        if let Some(v) = v {
            rows.push(vec![Cell::text(k), Cell::text(v)]);
        }
    }
    rows.extend(vocabulaire_rows(&s.vocabulaire));
    rows
}

/// The thématiques, equipment and level of a session, with the Coop's labels; none
/// when not recorded.
fn vocabulaire_rows(v: &Vocabulaire) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for (k, labels) in [
        ("thématiques", v.thematiques.labels(THEMATIQUES)),
        ("matériel", v.materiel.labels(MATERIELS)),
    ] {
        if !labels.is_empty() {
            rows.push(vec![Cell::text(k), Cell::text(labels.join(", "))]);
        }
    }
    if let Some(n) = v.niveau_label() {
        rows.push(vec![Cell::text("niveau"), Cell::text(n)]);
    }
    rows
}

/// Filters shared by `session list` and `export sessions`.
pub fn filter(
    conn: &rusqlite::Connection,
    annee: Option<&str>,
    projet: Option<&str>,
    partenaire: Option<&str>,
) -> Result<Filter> {
    Ok(Filter {
        period: annee.map(parse_year).transpose()?.map(year_bounds),
        projet_id: projet.map(|p| refs::projet_id(conn, p)).transpose()?,
        partenaire_id: partenaire
            .map(|p| refs::partenaire_id(conn, p))
            .transpose()?,
        ..Filter::default()
    })
}

/// `Villejuif (94076, Val-de-Marne)`, `à distance`.
pub fn describe_place(p: &Place) -> String {
    match p {
        Place::Commune(c) => {
            let dep = territory::departement(c.departement).map_or(c.departement, |d| d.nom);
            format!("{} ({}, {dep})", c.nom, c.code)
        }
        other => other.to_string(),
    }
}

#[derive(serde::Serialize)]
struct SessionJson<'a> {
    numero: i64,
    date: &'a str,
    projet: &'a str,
    lieu: &'static str,
    /// The official name, "à distance", or the place as typed when not recognised.
    commune: String,
    commune_reconnue: bool,
    code_insee: Option<&'static str>,
    duree_minutes: u32,
    participants: u32,
    /// Of the participants, the named ones and the anonymous ones.
    nommes: u32,
    anonymes: u32,
    femmes: Option<u32>,
    qpv: Option<u32>,
    jeunes_ml: Option<u32>,
    demandeurs_emploi: Option<u32>,
    rsa: Option<u32>,
    partenaire: Option<&'a str>,
    intitule: Option<&'a str>,
    formateur: Option<&'a str>,
    annulee_le: Option<&'a str>,
    motif_annulation: Option<&'a str>,
    /// Slugs, in the order of the national list; empty when not recorded.
    thematiques: Vec<&'static str>,
    materiel: Vec<&'static str>,
    niveau: Option<&'static str>,
}

fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let ledger = ctx.open_read()?;
    let mut f = filter(ledger.conn(), a.annee.as_deref(), a.projet.as_deref(), None)?;
    f.with_cancelled = a.annulees;
    f.commune_inconnue = a.commune_inconnue;
    f.formateur = a.formateur.clone();
    f.saisies_depuis = a
        .saisies_depuis
        .as_deref()
        .map(|d| crate::error::field("saisies_depuis", parse_date(d)))
        .transpose()
        .map_err(with_flag)?
        .map(|d| d.format("%Y-%m-%d").to_string());
    let mut bounds = Vec::new();
    if let Some(m) = &a.mois {
        bounds.push(crate::error::field("mois", parse_month(m)).map_err(with_flag)?);
    }
    let day = |flag: &'static str, d: &Option<String>| -> Result<Option<NaiveDate>> {
        d.as_deref()
            .map(|d| crate::error::field(flag, parse_date(d)).map_err(with_flag))
            .transpose()
    };
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(d) = day("depuis", &a.depuis)? {
        bounds.push((iso(d), "9999-99-99".into()));
    }
    if let Some(d) = day("jusqu_au", &a.jusqu_au)? {
        bounds.push(("0000-00-00".into(), iso(d + chrono::Duration::days(1))));
    }
    for (start, end) in bounds {
        f.period = Some(match f.period.take() {
            Some((s, e)) => (s.max(start), e.min(end)),
            None => (start, end),
        });
    }
    let mut all = Vec::new();
    sessions::list(ledger.conn(), &f, |s| {
        all.push(s);
        Ok(())
    })?;
    if a.format == Format::Json {
        let items: Vec<SessionJson> = all
            .iter()
            .map(|s| SessionJson {
                numero: s.numero,
                date: &s.date,
                projet: &s.projet,
                lieu: if s.place == Place::Distance {
                    "distance"
                } else {
                    "site"
                },
                commune: match &s.place {
                    Place::Inconnue(typed) => typed.clone(),
                    other => other.to_string(),
                },
                commune_reconnue: !matches!(s.place, Place::Inconnue(_)),
                code_insee: s.place.code(),
                duree_minutes: s.duree.0,
                participants: s.participants,
                nommes: s.nommes,
                anonymes: s.participants - s.nommes,
                femmes: s.publics.femmes,
                qpv: s.publics.qpv,
                jeunes_ml: s.publics.jeunes_ml,
                demandeurs_emploi: s.publics.demandeurs_emploi,
                rsa: s.publics.rsa,
                partenaire: s.partenaire.as_deref(),
                intitule: s.intitule.as_deref(),
                formateur: s.formateur.as_deref(),
                annulee_le: s.annulee_le.as_deref(),
                motif_annulation: s.motif_annulation.as_deref(),
                thematiques: s.vocabulaire.thematiques.slugs(THEMATIQUES),
                materiel: s.vocabulaire.materiel.slugs(MATERIELS),
                niveau: s.vocabulaire.niveau_slug(),
            })
            .collect();
        return render::json(out, &items);
    }
    let rows: Vec<Vec<Cell>> = all
        .iter()
        .map(|s| {
            let mut row = vec![
                Cell::Int(s.numero),
                Cell::text(&s.date),
                Cell::text(&s.projet),
                Cell::text(s.place.to_string()),
                match a.format {
                    Format::Table => Cell::text(s.duree.to_string()),
                    _ => Cell::Hours(s.duree.0.into()),
                },
                Cell::Int(s.participants.into()),
                Cell::opt(s.partenaire.as_deref()),
                Cell::opt(s.intitule.as_deref()),
                Cell::opt(
                    s.motif_annulation
                        .as_ref()
                        .map(|m| format!("annulée : {m}")),
                ),
            ];
            // The spreadsheet columns stay as they were; the terminal shows the slugs.
            if a.format == Format::Table {
                let slugs = s.vocabulaire.thematiques.slugs(THEMATIQUES);
                row.push(Cell::text(slugs.join(", ")));
            }
            row
        })
        .collect();
    let mut headers = vec![
        "n°",
        "date",
        "projet",
        "lieu",
        "durée",
        "participants",
        "partenaire",
        "intitulé",
        "état",
    ];
    if a.format == Format::Table {
        headers.push("thématiques");
    }
    render::rows(out, a.format, &headers, &rows)?;
    if a.format == Format::Table {
        let n: u32 = all
            .iter()
            .filter(|s| s.annulee_le.is_none())
            .map(|s| s.participants)
            .sum();
        writeln!(out, "{} session(s), {n} participant(s).", all.len())?;
    }
    Ok(())
}
