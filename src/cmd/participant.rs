//! `ici participant add|list|show|corrige|sortie|oublie`: the people who attend,
//! under pseudonymous codes (their FSE export is in `export_fse`).

use crate::cmd::Ctx;
use crate::cmd::participant_oublie;
use crate::cmd::session::describe_place;
use crate::db::participants;
use crate::domain::date::parse_past_date;
use crate::domain::participant::{
    DIPLOMES, OUI_NON, Profile, ProfileDraft, SEXES, SITUATIONS, STATUTS, is_positive, label,
    parse_choice, tranche_age, tranche_label,
};
use crate::error::{field, with_flag};
use crate::render::{self, Cell, Format};
use crate::territory;
use anyhow::Result;
use chrono::Datelike;
use rusqlite::Connection;
use std::io::Write;

mod import_rows;
mod list;

pub use import_rows::{RowCode, RowOutcome, import_participant, report_import};

#[derive(Debug, clap::Subcommand)]
pub enum Commande {
    /// Enregistre une personne sous un code (P-0042) ; profil et identité facultatifs
    #[command(
        after_help = "Exemples :\n  ici participant add --sexe f --naissance 1996 --statut demandeur-emploi --qpv oui --commune Aulnay-sous-Bois --prescripteur \"Mission locale d'Aulnay-sous-Bois\"\n  ici participant add --code P-0042\n\nLe nom et les coordonnées (--nom, --prenom, --telephone, --courriel) sont gardés à part et ne sortent jamais du registre sans --avec-identite."
    )]
    Add(Box<AddArgs>),
    /// Liste les personnes, sans nom ni coordonnées (sauf --avec-identite)
    List(ListArgs),
    /// Fiche d'une personne : profil, présences, sorties
    Show {
        /// Code de la personne (P-0042)
        code: String,
        /// Afficher aussi le nom et les coordonnées
        #[arg(long)]
        avec_identite: bool,
    },
    /// Corrige le profil ou l'identité d'une personne (une valeur vide efface le champ)
    Corrige(Box<CorrigeArgs>),
    /// Note la situation d'une personne à la sortie d'un projet
    #[command(
        after_help = "Situations : emploi-durable (CDI ou CDD de 6 mois ou plus), emploi-court, formation-qualifiante, creation-activite, recherche-emploi, inactif, abandon, nc.\nSont des sorties positives : emploi-durable, formation-qualifiante, creation-activite.\nMots acceptés aussi : CDI → emploi-durable ; CDD, intérim → emploi-court (un CDD de 6 mois ou plus : « CDD long ») ; formation → formation-qualifiante ; création, auto-entrepreneur → creation-activite."
    )]
    Sortie {
        /// Code de la personne (P-0042)
        code: String,
        /// Date de sortie : 2017-12-20 ou 20/12/2017
        #[arg(long, allow_hyphen_values = true)]
        date: String,
        /// Situation à la sortie (voir plus bas)
        #[arg(long, allow_hyphen_values = true)]
        situation: String,
        /// Projet quitté (facultatif si la personne n'en a suivi qu'un)
        #[arg(long, allow_hyphen_values = true)]
        projet: Option<String>,
    },
    /// Réunit deux codes donnés à la même personne : présences, sorties et profil
    /// passent sur le second, le premier disparaît
    #[command(
        after_help = "Exemple :\n  ici participant fusionne P-0041 --dans P-0012\n\nLe nombre de personnes formées baisse d'une. À une session où les deux codes étaient notés présents, la même personne comptait deux fois dans l'effectif : elle n'y est plus nommée qu'une fois et l'effectif baisse d'une unité (les anonymes et leurs répartitions ne changent pas) ; ailleurs, les participations ne changent pas. Là où les deux codes ont une sortie pour le même projet, la plus récente est gardée. Le profil et l'identité de P-0012 sont complétés par ceux de P-0041 là où ils sont vides. Le code P-0041 n'est plus jamais attribué."
    )]
    Fusionne {
        /// Code à faire disparaître (P-0041)
        code: String,
        /// Code gardé (P-0012)
        #[arg(long, value_name = "CODE")]
        dans: String,
    },
    /// Efface une personne à sa demande : identité, profil et sorties supprimés,
    /// présences gardées sous un code anonyme
    Oublie {
        /// Code de la personne (P-0042)
        code: String,
        /// Confirmer sans question (pour un script) ; sinon, le code est à retaper
        #[arg(long)]
        oui: bool,
    },
}

/// The profile and identity options of `participant add` and `participant corrige`.
#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// Sexe : f, h ou nc (non communiqué)
    #[arg(long, allow_hyphen_values = true)]
    pub sexe: Option<String>,
    /// Année de naissance (1996) : seule l'année est gardée, pour la tranche d'âge
    #[arg(long, value_name = "ANNEE", allow_hyphen_values = true)]
    pub naissance: Option<String>,
    /// Statut : en-emploi, demandeur-emploi, demandeur-emploi-longue-duree, inactif,
    /// scolarise, retraite, nc (aussi : salarié, chômeur, DE, DELD, étudiant, retraité…)
    #[arg(long, allow_hyphen_values = true)]
    pub statut: Option<String>,
    /// Habite un quartier prioritaire de la politique de la ville : oui, non, nc
    #[arg(long, allow_hyphen_values = true)]
    pub qpv: Option<String>,
    /// Bénéficiaire du RSA ou d'un autre minimum social : oui, non, nc
    #[arg(long, allow_hyphen_values = true)]
    pub rsa: Option<String>,
    /// Suivi par une mission locale : oui, non, nc
    #[arg(long, allow_hyphen_values = true)]
    pub mission_locale: Option<String>,
    /// Niveau de diplôme (CITE/ISCED) : 0-2, 3-4, 5-8, nc (aussi : sans, brevet → 0-2 ;
    /// CAP, BEP, bac → 3-4 ; bac+2, BTS, licence, master → 5-8)
    #[arg(long, allow_hyphen_values = true)]
    pub diplome: Option<String>,
    /// Reconnaissance de handicap : oui, non, nc
    #[arg(long, allow_hyphen_values = true)]
    pub handicap: Option<String>,
    /// Commune de résidence : nom, code INSEE ou code postal
    #[arg(long, allow_hyphen_values = true)]
    pub commune: Option<String>,
    /// Prescripteur : le partenaire qui a orienté la personne (voir `ici partenaire list`)
    #[arg(long, allow_hyphen_values = true)]
    pub prescripteur: Option<String>,
    /// Nom (gardé à part, jamais exporté sans --avec-identite)
    #[arg(long, allow_hyphen_values = true)]
    pub nom: Option<String>,
    /// Prénom
    #[arg(long, allow_hyphen_values = true)]
    pub prenom: Option<String>,
    /// Téléphone
    #[arg(long, allow_hyphen_values = true)]
    pub telephone: Option<String>,
    /// Courriel
    #[arg(long, allow_hyphen_values = true)]
    pub courriel: Option<String>,
}

impl ProfileArgs {
    pub fn draft(&self) -> ProfileDraft<'_> {
        ProfileDraft {
            sexe: self.sexe.as_deref(),
            naissance: self.naissance.as_deref(),
            statut: self.statut.as_deref(),
            qpv: self.qpv.as_deref(),
            rsa: self.rsa.as_deref(),
            mission_locale: self.mission_locale.as_deref(),
            diplome: self.diplome.as_deref(),
            handicap: self.handicap.as_deref(),
            commune: self.commune.as_deref(),
            prescripteur: self.prescripteur.as_deref(),
            nom: self.nom.as_deref(),
            prenom: self.prenom.as_deref(),
            telephone: self.telephone.as_deref(),
            courriel: self.courriel.as_deref(),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Code à donner (P-0042) ; sans lui, le suivant est attribué
    #[arg(long, allow_hyphen_values = true)]
    pub code: Option<String>,
    /// Enregistrer même si une personne de même identité, téléphone ou courriel est
    /// déjà au registre (deux homonymes nés la même année)
    #[arg(long)]
    pub doublon: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Debug, clap::Args)]
pub struct CorrigeArgs {
    /// Code de la personne (P-0042)
    pub code: String,
    /// Corriger même si la personne devient semblable à une autre (même identité,
    /// téléphone ou courriel)
    #[arg(long)]
    pub doublon: bool,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Seulement les personnes venues cette année (2017), avec leurs présences de l'année
    #[arg(long)]
    pub annee: Option<String>,
    /// Seulement les personnes venues aux sessions de ce projet
    #[arg(long)]
    pub projet: Option<String>,
    /// Ajouter le nom et les coordonnées
    #[arg(long)]
    pub avec_identite: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A commune of residence whose name several communes share, settled by the home
/// territory or the ledger: its INSEE code, and the sentence that says which it is.
fn settle_residence(
    conn: &Connection,
    typed: Option<&str>,
) -> Result<(Option<String>, Option<String>)> {
    let Some(typed) = typed.filter(|t| !t.trim().is_empty()) else {
        return Ok((None, None));
    };
    let home = crate::db::territoire::home(conn)?;
    match home.resolve(typed) {
        (territory::Resolution::Found(c), Some(_)) => {
            Ok((Some(c.code.to_string()), home.note(typed)))
        }
        _ => Ok((None, None)),
    }
}

/// This year, for years of birth and ages when no year is asked.
fn this_year() -> i32 {
    chrono::Local::now().year()
}

pub fn run(ctx: &Ctx, cmd: Commande, out: &mut dyn Write) -> Result<()> {
    match cmd {
        Commande::Add(a) => {
            let mut ledger = ctx.open()?;
            let (settled, note) = settle_residence(ledger.conn(), a.profile.commune.as_deref())?;
            let mut draft = a.profile.draft();
            if settled.is_some() {
                draft.commune = settled.as_deref();
            }
            let changes = draft.check(this_year()).map_err(with_flag)?;
            let code = ledger
                .write(|tx| participants::add(tx, a.code.as_deref(), &changes, a.doublon))
                .map_err(with_flag)?;
            writeln!(
                out,
                "Participant {code} enregistré : notez ce code sur la feuille de présence."
            )?;
            if let Some(note) = note {
                writeln!(out, "{note}")?;
            }
            let p = participants::find(ledger.conn(), &code)?;
            print_profile(out, &code, &p.profile)
        }
        Commande::Corrige(a) => {
            let mut ledger = ctx.open()?;
            let (settled, note) = settle_residence(ledger.conn(), a.profile.commune.as_deref())?;
            let mut draft = a.profile.draft();
            if settled.is_some() {
                draft.commune = settled.as_deref();
            }
            let changes = draft.check(this_year()).map_err(with_flag)?;
            if changes.is_empty() {
                crate::bail_user!(
                    "rien à corriger : indiquez au moins une option (--sexe, --naissance, --statut, --qpv, --rsa, --mission-locale, --diplome, --handicap, --commune, --prescripteur, --nom, --prenom, --telephone, --courriel)"
                );
            }
            let p = ledger
                .write(|tx| participants::corrige(tx, &a.code, &changes, a.doublon))
                .map_err(with_flag)?;
            writeln!(out, "Participant {} corrigé.", p.code)?;
            if let Some(note) = note {
                writeln!(out, "{note}")?;
            }
            print_profile(out, &p.code, &p.profile)
        }
        Commande::List(a) => list::list(ctx, a, out),
        Commande::Show {
            code,
            avec_identite,
        } => list::show(ctx, &code, avec_identite, out),
        Commande::Sortie {
            code,
            date,
            situation,
            projet,
        } => {
            let date = field("date", parse_past_date(&date)).map_err(with_flag)?;
            let situation =
                field("situation", parse_choice(SITUATIONS, &situation)).map_err(with_flag)?;
            let mut ledger = ctx.open()?;
            let o = ledger
                .write(|tx| participants::set_sortie(tx, &code, projet.as_deref(), date, situation))
                .map_err(with_flag)?;
            writeln!(
                out,
                "Sortie de {} ({}) le {} : {}{}.",
                o.code,
                o.sortie.projet,
                o.sortie.date,
                label(SITUATIONS, Some(situation)),
                if is_positive(situation) {
                    " — sortie positive"
                } else {
                    ""
                }
            )?;
            if let Some(prev) = o.previous {
                writeln!(
                    out,
                    "Elle remplace la sortie notée le {} : {}.",
                    prev.date,
                    label(SITUATIONS, Some(prev.situation))
                )?;
            }
            Ok(())
        }
        Commande::Fusionne { code, dans } => {
            let mut ledger = ctx.open()?;
            let f = ledger.write(|tx| participants::fusion::merge(tx, &code, &dans))?;
            writeln!(
                out,
                "{} fusionné dans {} : {} présence(s) et {} sortie(s) passées sur {}.",
                f.from, f.into, f.presences, f.sorties, f.into
            )?;
            if !f.communes.is_empty() {
                let list: Vec<String> = f.communes.iter().map(|n| format!("n° {n}")).collect();
                writeln!(
                    out,
                    "Sessions où les deux codes étaient présents ({}) : {} y comptait deux fois ; il y est nommé une fois et l'effectif de chacune baisse d'une unité.",
                    list.join(", "),
                    f.into
                )?;
            }
            if f.sorties_ecartees > 0 {
                writeln!(
                    out,
                    "{} sortie(s) en double pour un même projet : la plus récente est gardée.",
                    f.sorties_ecartees
                )?;
            }
            writeln!(out, "Le code {} ne sera plus attribué.", f.from)?;
            Ok(())
        }
        Commande::Oublie { code, oui } => participant_oublie::run(ctx, &code, oui, out),
    }
}

/// The profile, one attribute per row; `year` gives the age bracket. With `all`
/// false, only the attributes recorded.
fn profile_rows(p: &Profile, year: i32, all: bool) -> Vec<Vec<Cell>> {
    let rows: [(&str, bool, String); 10] = [
        ("sexe", p.sexe.is_some(), label(SEXES, p.sexe).into()),
        (
            "naissance",
            p.annee_naissance.is_some(),
            match p.annee_naissance {
                Some(y) => format!(
                    "{y} ({} en {year})",
                    tranche_label(tranche_age(year, Some(y)))
                ),
                None => "non renseignée".into(),
            },
        ),
        (
            "statut",
            p.statut.is_some(),
            label(STATUTS, p.statut).into(),
        ),
        ("QPV", p.qpv.is_some(), label(OUI_NON, p.qpv).into()),
        (
            "RSA ou minima sociaux",
            p.rsa.is_some(),
            label(OUI_NON, p.rsa).into(),
        ),
        (
            "mission locale",
            p.mission_locale.is_some(),
            label(OUI_NON, p.mission_locale).into(),
        ),
        (
            "diplôme",
            p.diplome.is_some(),
            label(DIPLOMES, p.diplome).into(),
        ),
        (
            "handicap",
            p.handicap.is_some(),
            label(OUI_NON, p.handicap).into(),
        ),
        ("commune de résidence", p.residence.is_some(), residence(p)),
        (
            "prescripteur",
            p.prescripteur.is_some(),
            p.prescripteur.clone().unwrap_or_else(|| "aucun".into()),
        ),
    ];
    rows.into_iter()
        .filter(|(_, set, _)| all || *set)
        .map(|(k, _, v)| vec![Cell::text(k), Cell::text(v)])
        .collect()
}

/// After `add` or `corrige`: what the profile now holds.
fn print_profile(out: &mut dyn Write, code: &str, p: &Profile) -> Result<()> {
    let rows = profile_rows(p, this_year(), false);
    if rows.is_empty() {
        writeln!(
            out,
            "Aucun profil renseigné (il se complète avec `ici participant corrige {code} …`)."
        )?;
    } else {
        writeln!(out, "{}", render::table(&[], &rows))?;
    }
    Ok(())
}

fn residence(p: &Profile) -> String {
    match p.residence.as_deref() {
        Some(code) => match territory::commune(code) {
            Some(c) => describe_place(&crate::domain::session::Place::Commune(c)),
            None => code.to_string(),
        },
        None => "non renseignée".into(),
    }
}

fn residence_name(p: &Profile) -> Option<String> {
    p.residence
        .as_deref()
        .map(|code| territory::commune(code).map_or(code.to_string(), |c| c.nom.to_string()))
}

/// Columns of `ici import participants`: (column, required).
pub const PARTICIPANT_COLUMNS: &[(&str, bool)] = &[
    ("code", false),
    ("sexe", false),
    ("naissance", false),
    ("statut", false),
    ("qpv", false),
    ("rsa", false),
    ("mission_locale", false),
    ("diplome", false),
    ("handicap", false),
    ("commune", false),
    ("prescripteur", false),
    ("nom", false),
    ("prenom", false),
    ("telephone", false),
    ("courriel", false),
];

/// Columns of `ici import presences`: the session by number, or by date and project.
pub const PRESENCE_COLUMNS: &[(&str, bool)] = &[
    ("session", false),
    ("date", false),
    ("projet", false),
    ("code", true),
    ("duree", false),
];

/// One row of `ici import presences`: a named person at an existing session, in the
/// place of one of its anonymous participants.
pub fn import_presence<'a>(
    conn: &Connection,
    get: &dyn Fn(&str) -> Option<&'a str>,
    summary: &mut crate::cmd::import::Summary,
) -> Result<()> {
    let cell = |c: &str| get(c).map(str::trim).filter(|s| !s.is_empty());
    let numero = match cell("session") {
        Some(n) => match n.parse::<i64>() {
            Ok(n) if n > 0 => n,
            _ => {
                return field(
                    "session",
                    Err(crate::error::user(format!(
                        "« {n} » : attendu le numéro d'une session (voir `ici session list`)"
                    ))),
                );
            }
        },
        None => match (cell("date"), cell("projet")) {
            (Some(date), Some(projet)) => {
                let date = field("date", crate::domain::date::parse_date(date))?;
                participants::session_at(conn, date, projet)?
            }
            _ => {
                return field(
                    "session",
                    Err(crate::error::user(
                        "session manquante : indiquez son numéro (colonne session), ou sa date et son projet (colonnes date et projet)",
                    )),
                );
            }
        },
    };
    let code = get("code").unwrap_or("");
    let minutes = cell("duree")
        .map(|d| field("duree", crate::domain::duration::Minutes::parse(d)))
        .transpose()?;
    participants::add_presence(conn, numero, code, minutes)?;
    summary.sessions.insert(numero);
    summary
        .personnes
        .insert(crate::domain::participant::normalise_code(code)?);
    Ok(())
}

/// Columns of `ici import sorties`.
pub const SORTIE_COLUMNS: &[(&str, bool)] = &[
    ("code", true),
    ("projet", false),
    ("date", true),
    ("situation", true),
];

/// One row of `ici import sorties`: where a person went after a project.
pub fn import_sortie<'a>(conn: &Connection, get: &dyn Fn(&str) -> Option<&'a str>) -> Result<()> {
    let date = field("date", parse_past_date(get("date").unwrap_or("")))?;
    let situation = field(
        "situation",
        parse_choice(SITUATIONS, get("situation").unwrap_or("")),
    )?;
    participants::set_sortie(
        conn,
        get("code").unwrap_or(""),
        get("projet"),
        date,
        situation,
    )
    .map_err(|e| match crate::error::field_of(&e) {
        Some(_) => e,
        None => crate::error::in_field("code", e),
    })?;
    Ok(())
}
