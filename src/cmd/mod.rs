//! The subcommands, one file each, and the dispatch between them.

pub mod adherent;
pub mod affecte;
pub mod association;
pub mod association_csv;
pub mod balance;
pub mod benevolat;
pub mod bilan;
pub mod budget;
pub mod cloture;
pub mod commune;
pub mod completions;
pub mod compte;
pub mod compte_rendu;
pub mod confirm;
pub mod convention;
pub mod demo;
pub mod ecriture;
pub mod equipe;
pub mod evenement;
pub mod export;
pub mod export_activites;
pub mod export_fec;
pub mod export_fse;
pub mod finance;
pub mod gouvernance;
pub mod grand_livre;
pub mod import;
pub mod import_ecritures;
pub mod import_fec;
pub mod init;
pub mod journal;
pub mod lot;
pub mod partenaire;
pub mod participant;
pub mod participant_oublie;
pub mod projet;
pub mod rapport;
pub mod repartition;
pub mod sauvegarde;
pub mod session;
pub mod solde;
pub mod sortie;
pub mod stats;
pub mod territoire;
pub mod tiers;
pub mod verifie;

use crate::db::Ledger;
use anyhow::{Result, anyhow};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

/// Registre des ateliers numériques et des comptes de l'association : sessions,
/// personnes formées, heures, produits et charges, exports pour les financeurs.
#[derive(Debug, Parser)]
#[command(name = "ici", version, max_term_width = 100)]
pub struct Cli {
    /// Fichier du registre (par défaut : variable ICI_LEDGER, sinon
    /// ~/.local/share/ici/ledger.sqlite)
    #[arg(
        long,
        global = true,
        value_name = "FICHIER",
        env = "ICI_LEDGER",
        hide_env = true
    )]
    pub ledger: Option<PathBuf>,

    #[command(subcommand)]
    pub commande: Commande,
}

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Crée le registre (fichier lisible par vous seul)
    Init(init::Args),
    /// Projets (actions) : ajouter, lister, décrire, renommer, fusionner
    #[command(subcommand)]
    Projet(projet::Commande),
    /// Partenaires et financeurs : ajouter, lister, type de financeur, renommer, fusionner
    #[command(subcommand)]
    Partenaire(partenaire::Commande),
    /// Tiers des écritures (fournisseurs, financeurs, prêteurs…) : ajouter, lister, corriger
    #[command(subcommand)]
    Tiers(tiers::Commande),
    /// Sessions (ateliers, formations) : enregistrer, lister, montrer, corriger, annuler
    #[command(subcommand)]
    Session(session::Commande),
    /// Participants (codes pseudonymes) : enregistrer, lister, sorties, effacement
    #[command(subcommand)]
    Participant(participant::Commande),
    /// Équipe de l'association (salariés, stagiaires, services civiques, mises à
    /// disposition) : contrats, fins de contrat
    #[command(subcommand)]
    Equipe(equipe::Commande),
    /// Gouvernance : bureau et conseil d'administration
    #[command(subcommand)]
    Gouvernance(gouvernance::Commande),
    /// Adhérents : une adhésion par personne et par an
    #[command(subcommand)]
    Adherent(adherent::Commande),
    /// Bénévolat : heures données, valorisées en contributions volontaires (classe 8)
    #[command(subcommand)]
    Benevolat(benevolat::Commande),
    /// Temps forts de l'année (l'agenda du rapport d'activité)
    #[command(subcommand)]
    Evenement(evenement::Commande),
    /// Personnes de l'association (équipe, gouvernance, adhérents, bénévoles) :
    /// import CSV, effacement à leur demande
    #[command(subcommand)]
    Association(association::Commande),
    /// Produits (recettes : subventions, prestations, cotisations…)
    #[command(subcommand)]
    Produit(finance::Commande),
    /// Charges (dépenses : salaires, loyers, honoraires…)
    #[command(subcommand)]
    Charge(finance::Commande),
    /// Emprunts reçus et remboursés (hors résultat)
    #[command(subcommand)]
    Emprunt(finance::EmpruntCommande),
    /// Écritures en partie double sur tous comptes ; contrepassation, correction, liste
    #[command(subcommand)]
    Ecriture(ecriture::Commande),
    /// Clôture d'un exercice (après l'assemblée générale) ; liste des exercices clos
    Cloture(cloture::Args),
    /// Plan comptable des associations
    #[command(subcommand)]
    Compte(compte::Commande),
    /// Compte de résultat de l'année : produits, charges, excédent ou déficit
    Bilan(bilan::Args),
    /// Conventions de subvention : financeur, projet, période, montant, seuil d'écart
    #[command(subcommand)]
    Convention(convention::Commande),
    /// Budgets prévisionnels (Cerfa 12156) : importer, montrer
    #[command(subcommand)]
    Budget(budget::Commande),
    /// Affecte une écriture (ou une part) à un projet, sans la modifier
    Affecte(affecte::Args),
    /// Clé de répartition de l'année des charges communes entre projets
    Repartition(repartition::Args),
    /// Compte rendu financier d'une action subventionnée (Cerfa 15059)
    CompteRendu(compte_rendu::Args),
    /// Balance générale de l'année : débit, crédit et solde de chaque compte mouvementé
    Balance(balance::Args),
    /// Grand livre de l'année : chaque ligne, compte par compte, avec le solde progressif
    GrandLivre(grand_livre::Args),
    /// Journal de l'année : les écritures dans l'ordre, avec leurs lignes
    Journal(journal::Args),
    /// Solde d'un compte (et de ses sous-comptes) à une date
    Solde(solde::Args),
    /// Chiffres d'activité de l'année : sessions, personnes, heures, villes, publics
    Stats(stats::Args),
    /// Rapport d'activité de l'année en une page HTML à imprimer (A4, PDF) ; ses
    /// textes libres
    Rapport(rapport::Args),
    /// Territoire de l'association : les départements qui départagent les communes
    /// de même nom
    Territoire(territoire::Args),
    /// Communes françaises : chercher un nom, un code INSEE ou postal
    #[command(subcommand)]
    Commune(commune::Commande),
    /// Importe un fichier CSV (tout ou rien)
    Import(import::Args),
    /// Exporte sessions ou écritures en CSV pour un financeur
    Export(export::Args),
    /// Lots de changements entre les postes (formateurs, coordination) : export, import
    #[command(subcommand)]
    Lot(lot::Commande),
    /// Vérifie le registre : intégrité du fichier, écritures équilibrées, exercices clos
    /// inchangés…
    Verifie(verifie::Args),
    /// Copie complète et vérifiée du registre, à garder ailleurs
    Sauvegarde(sauvegarde::Args),
    /// Démonstration sur les données 2017 intégrées, sans toucher à votre registre
    Demo(demo::Args),
    /// Script de complétion pour votre shell
    Completions(completions::Args),
}

/// What every command may need: where the ledger is.
pub struct Ctx {
    ledger: Option<PathBuf>,
}

impl Ctx {
    pub fn new(ledger: Option<PathBuf>) -> Ctx {
        Ctx { ledger }
    }

    /// `--ledger`, else `ICI_LEDGER`, else the platform data directory.
    pub fn ledger_path(&self) -> Result<PathBuf> {
        if let Some(p) = &self.ledger {
            return Ok(p.clone());
        }
        let dirs = directories::ProjectDirs::from("", "", "ici").ok_or_else(|| {
            anyhow!("dossier personnel introuvable : indiquez le registre avec --ledger FICHIER")
        })?;
        Ok(dirs.data_dir().join("ledger.sqlite"))
    }

    /// Opens the ledger to write; what its migration has to say goes to standard error.
    pub fn open(&self) -> Result<Ledger> {
        let mut ledger = Ledger::open(&self.ledger_path()?)?;
        for note in ledger.take_notes() {
            eprintln!("{note}");
        }
        Ok(ledger)
    }

    /// Opens the ledger for a command that only reads: nothing can be written through
    /// it, and it works on a read-only file or folder (see [`Ledger::open_read`]).
    pub fn open_read(&self) -> Result<Ledger> {
        let mut ledger = Ledger::open_read(&self.ledger_path()?)?;
        for note in ledger.take_notes() {
            eprintln!("{note}");
        }
        Ok(ledger)
    }

    /// [`Ctx::open`] when the command writes, else [`Ctx::open_read`].
    pub fn open_for(&self, writes: bool) -> Result<Ledger> {
        if writes {
            self.open()
        } else {
            self.open_read()
        }
    }
}

/// The accounting commands, by name: refused on a ledger whose role keeps no books.
fn accounting(c: &Commande) -> Option<&'static str> {
    Some(match c {
        Commande::Produit(_) => "produit",
        Commande::Charge(_) => "charge",
        Commande::Emprunt(_) => "emprunt",
        Commande::Ecriture(_) => "ecriture",
        Commande::Tiers(_) => "tiers",
        Commande::Cloture(_) => "cloture",
        Commande::Bilan(_) => "bilan",
        Commande::Balance(_) => "balance",
        Commande::GrandLivre(_) => "grand-livre",
        Commande::Journal(_) => "journal",
        Commande::Solde(_) => "solde",
        Commande::Import(a) => match a.quoi {
            import::Kind::Finances => "import finances",
            import::Kind::Fec => "import fec",
            import::Kind::Ecritures => "import ecritures",
            _ => return None,
        },
        Commande::Export(a) => match a.quoi {
            export::Kind::Finances => "export finances",
            export::Kind::Fec => "export fec",
            _ => return None,
        },
        // Volunteer hours are booked in class 8 as they are recorded.
        Commande::Benevolat(b) => match b {
            benevolat::Commande::List { .. } | benevolat::Commande::Taux { montant: None, .. } => {
                return None;
            }
            _ => "benevolat",
        },
        Commande::Association(association::Commande::Import {
            quoi: association_csv::Quoi::Taux | association_csv::Quoi::Benevolat,
            ..
        }) => "association import benevolat",
        _ => return None,
    })
}

/// Refuses an accounting command on a trainer's or the coordination's ledger. A
/// ledger that cannot be read is left to the command itself to report.
fn check_role(ctx: &Ctx, c: &Commande) -> Result<()> {
    let Some(what) = accounting(c) else {
        return Ok(());
    };
    let Ok(path) = ctx.ledger_path() else {
        return Ok(());
    };
    let Ok(ledger) = Ledger::open_read(&path) else {
        return Ok(());
    };
    crate::domain::role::check_books(crate::db::role::role(ledger.conn())?, what)
}

pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Ctx { ledger: cli.ledger };
    check_role(&ctx, &cli.commande)?;
    match cli.commande {
        Commande::Init(a) => init::run(&ctx, a, out),
        Commande::Projet(c) => projet::run(&ctx, c, out),
        Commande::Partenaire(c) => partenaire::run(&ctx, c, out),
        Commande::Tiers(c) => tiers::run(&ctx, c, out),
        Commande::Session(c) => session::run(&ctx, c, out),
        Commande::Participant(c) => participant::run(&ctx, c, out),
        Commande::Equipe(c) => equipe::run(&ctx, c, out),
        Commande::Gouvernance(c) => gouvernance::run(&ctx, c, out),
        Commande::Adherent(c) => adherent::run(&ctx, c, out),
        Commande::Benevolat(c) => benevolat::run(&ctx, c, out),
        Commande::Evenement(c) => evenement::run(&ctx, c, out),
        Commande::Association(c) => association::run(&ctx, c, out),
        Commande::Produit(c) => {
            finance::run(&ctx, crate::domain::account::Operation::Produit, c, out)
        }
        Commande::Charge(c) => {
            finance::run(&ctx, crate::domain::account::Operation::Charge, c, out)
        }
        Commande::Emprunt(c) => finance::run_emprunt(&ctx, c, out),
        Commande::Ecriture(c) => ecriture::run(&ctx, c, out),
        Commande::Cloture(a) => cloture::run(&ctx, a, out),
        Commande::Compte(c) => compte::run(c, out),
        Commande::Bilan(a) => bilan::run(&ctx, a, out),
        Commande::Convention(c) => convention::run(&ctx, c, out),
        Commande::Budget(c) => budget::run(&ctx, c, out),
        Commande::Affecte(a) => affecte::run(&ctx, a, out),
        Commande::Repartition(a) => repartition::run(&ctx, a, out),
        Commande::CompteRendu(a) => compte_rendu::run(&ctx, a, out),
        Commande::Balance(a) => balance::run(&ctx, a, out),
        Commande::GrandLivre(a) => grand_livre::run(&ctx, a, out),
        Commande::Journal(a) => journal::run(&ctx, a, out),
        Commande::Solde(a) => solde::run(&ctx, a, out),
        Commande::Stats(a) => stats::run(&ctx, a, out),
        Commande::Rapport(a) => rapport::run(&ctx, a, out),
        Commande::Territoire(a) => territoire::run(&ctx, a, out),
        Commande::Commune(c) => commune::run(c, out),
        Commande::Import(a) => import::run(&ctx, a, out),
        Commande::Export(a) => export::run(&ctx, a, out),
        Commande::Lot(c) => lot::run(&ctx, c, out),
        Commande::Verifie(a) => verifie::run(&ctx, a, out),
        Commande::Sauvegarde(a) => sauvegarde::run(&ctx, a, out),
        Commande::Demo(a) => demo::run(&ctx, a, out),
        Commande::Completions(a) => completions::run(&ctx, a, out),
    }
}
