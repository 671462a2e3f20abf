-- The ledger's schema as it stands: the readable truth. A ledger reaches it through
-- the numbered files of migrations/, applied in order on open and recorded in
-- PRAGMA user_version; a test checks that both give the same tables and indexes.
-- Money is in integer cents; dates are ISO text (YYYY-MM-DD), compared as text.

CREATE TABLE projet (
    id         INTEGER PRIMARY KEY,
    nom        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    theme      TEXT NOT NULL CHECK (theme IN ('citoyennete', 'education-populaire', 'emploi')),
    intitule   TEXT,
    cree_le    TEXT NOT NULL,
    gid        BLOB
);

-- Partners and funders: the actors the association works with. A transaction's
-- tiers is a partner, so a subsidy and a workshop name the same actor. type_financeur
-- (0011): the Cerfa line its subsidies go on; NULL: not a funder, or not said.
CREATE TABLE partenaire (
    id         INTEGER PRIMARY KEY,
    nom        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    cree_le    TEXT NOT NULL,
    type_financeur TEXT
        CHECK (type_financeur IN ('etat', 'region', 'departement', 'intercommunalite', 'commune',
                                  'organisme-social', 'fonds-europeens', 'asp',
                                  'etablissement-public', 'prive', 'autre')),
    gid        BLOB
);

-- A workshop. Its place is a commune by INSEE code (a municipal arrondissement
-- rolls up to its city in the figures) or "distance" (remote, in no city).
-- 0010: thematiques, materiel and niveau, the national vocabulary of digital
-- mediation: one bit per thématique and per kind of equipment, in the order of
-- src/domain/vocabulaire.rs (0: nothing recorded); the level 1 to 3, NULL when not
-- recorded.
CREATE TABLE session (
    id                INTEGER PRIMARY KEY,
    date              TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    projet_id         INTEGER NOT NULL REFERENCES projet (id),
    lieu              TEXT NOT NULL DEFAULT 'site' CHECK (lieu IN ('site', 'distance')),
    -- INSEE code of the commune or municipal arrondissement; NULL when remote or not
    -- yet resolved.
    code_insee        TEXT CHECK (code_insee GLOB '[0-9][0-9AB][0-9][0-9][0-9]'),
    -- The place as typed, kept only while it is not resolved to a code.
    commune_saisie    TEXT,
    duree_minutes     INTEGER NOT NULL CHECK (duree_minutes > 0 AND duree_minutes <= 720),
    participants      INTEGER NOT NULL CHECK (participants > 0),
    -- Breakdowns of the participants; NULL means "not recorded".
    femmes            INTEGER CHECK (femmes BETWEEN 0 AND participants),
    qpv               INTEGER CHECK (qpv BETWEEN 0 AND participants),
    jeunes_ml         INTEGER CHECK (jeunes_ml BETWEEN 0 AND participants),
    demandeurs_emploi INTEGER CHECK (demandeurs_emploi BETWEEN 0 AND participants),
    rsa               INTEGER CHECK (rsa BETWEEN 0 AND participants),
    partenaire_id     INTEGER REFERENCES partenaire (id),
    intitule          TEXT,
    formateur         TEXT,
    -- A cancelled session stays in the ledger and leaves every figure.
    annulee_le        TEXT,
    motif_annulation  TEXT,
    cree_le           TEXT NOT NULL,
    thematiques       INTEGER NOT NULL DEFAULT 0
        CHECK (thematiques BETWEEN 0 AND 1073741823),
    materiel          INTEGER NOT NULL DEFAULT 0
        CHECK (materiel BETWEEN 0 AND 31),
    niveau            INTEGER CHECK (niveau BETWEEN 1 AND 3),
    gid               BLOB,
    CHECK ((annulee_le IS NULL) = (motif_annulation IS NULL)),
    CHECK (CASE lieu
             WHEN 'distance' THEN code_insee IS NULL AND commune_saisie IS NULL
             ELSE (code_insee IS NULL) <> (commune_saisie IS NULL)
           END)
);

CREATE INDEX session_date ON session (date);
CREATE INDEX session_projet ON session (projet_id, date);
CREATE INDEX session_partenaire ON session (partenaire_id, date);
-- Sessions still waiting for their commune to be resolved.
CREATE INDEX session_commune_saisie ON session (commune_saisie) WHERE commune_saisie IS NOT NULL;

-- A transaction (écriture): one date, one label, lines whose debits equal credits.
-- journal and numero_source: the journal code and entry number of the
-- accountant's file it came from (NULL for entries typed in ici); annule_id: the
-- entry this one reverses.
CREATE TABLE ecriture (
    id             INTEGER PRIMARY KEY,
    date           TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    libelle        TEXT NOT NULL CHECK (length(trim(libelle)) > 0),
    piece          TEXT,
    tiers_id       INTEGER REFERENCES partenaire (id),
    projet_id      INTEGER REFERENCES projet (id),
    cree_le        TEXT NOT NULL,
    journal        TEXT,
    numero_source  TEXT,
    annule_id      INTEGER REFERENCES ecriture (id),
    gid            BLOB
);
-- The date index holds the normalised label too (0016): the duplicate check of an entry.
CREATE INDEX ecriture_date ON ecriture (date, lower(trim(libelle)));
CREATE INDEX ecriture_tiers ON ecriture (tiers_id, date);
CREATE INDEX ecriture_projet ON ecriture (projet_id);

-- Amounts in integer cents; exactly one side of a line is non-zero.
CREATE TABLE ligne (
    id           INTEGER PRIMARY KEY,
    ecriture_id  INTEGER NOT NULL REFERENCES ecriture (id),
    compte       TEXT NOT NULL CHECK (compte GLOB '[1-8][0-9]*' AND length(compte) BETWEEN 2 AND 10),
    debit        INTEGER NOT NULL DEFAULT 0 CHECK (debit BETWEEN 0 AND 100000000000),
    credit       INTEGER NOT NULL DEFAULT 0 CHECK (credit BETWEEN 0 AND 100000000000),
    gid          BLOB,
    CHECK ((debit = 0) <> (credit = 0))
);
-- Covers the yearly aggregates: the sums read the index, not the table.
CREATE INDEX ligne_ecriture ON ligne (ecriture_id, compte, debit, credit);

-- Books: an entry is never edited or deleted (it is reversed), and a closed year
-- takes no more entries.
CREATE UNIQUE INDEX ecriture_source ON ecriture (journal, numero_source, date)
    WHERE numero_source IS NOT NULL;
CREATE UNIQUE INDEX ecriture_annulee ON ecriture (annule_id) WHERE annule_id IS NOT NULL;

CREATE TABLE cloture (
    annee      INTEGER PRIMARY KEY CHECK (annee BETWEEN 1900 AND 2999),
    cloture_le TEXT NOT NULL
);

CREATE TRIGGER ecriture_exercice_clos BEFORE INSERT ON ecriture
WHEN CAST(substr(NEW.date, 1, 4) AS INTEGER) <= (SELECT max(annee) FROM cloture)
BEGIN
    SELECT RAISE(ABORT, 'exercice clos : aucune écriture ne peut y être ajoutée');
END;

CREATE TRIGGER ligne_exercice_clos BEFORE INSERT ON ligne
WHEN (SELECT CAST(substr(e.date, 1, 4) AS INTEGER) FROM ecriture e WHERE e.id = NEW.ecriture_id)
     <= (SELECT max(annee) FROM cloture)
BEGIN
    SELECT RAISE(ABORT, 'exercice clos : aucune écriture ne peut y être ajoutée');
END;

-- Lines are written right after their entry: an entry already recorded takes no more.
CREATE TRIGGER ligne_ecriture_enregistree BEFORE INSERT ON ligne
WHEN NEW.ecriture_id <> (SELECT max(id) FROM ecriture)
BEGIN
    SELECT RAISE(ABORT, 'une écriture enregistrée ne reçoit plus de ligne : contrepassez-la');
END;

-- An entry's tiers and project follow a merge of partners or projects (0007).
CREATE TRIGGER ecriture_non_modifiable
BEFORE UPDATE OF id, date, libelle, piece, cree_le, journal, numero_source, annule_id ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;

CREATE TRIGGER ecriture_non_supprimable BEFORE DELETE ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se supprime pas : contrepassez-la');
END;

-- A line without its global id may get one, once (0012).
CREATE TRIGGER ligne_non_modifiable BEFORE UPDATE ON ligne
WHEN OLD.gid IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.ecriture_id IS NOT OLD.ecriture_id
     OR NEW.compte IS NOT OLD.compte OR NEW.debit IS NOT OLD.debit OR NEW.credit IS NOT OLD.credit
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;

CREATE TRIGGER ligne_non_supprimable BEFORE DELETE ON ligne
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se supprime pas : contrepassez-la');
END;

CREATE TRIGGER cloture_definitive_modification BEFORE UPDATE ON cloture
BEGIN
    SELECT RAISE(ABORT, 'une clôture est définitive');
END;

CREATE TRIGGER cloture_definitive_suppression BEFORE DELETE ON cloture
BEGIN
    SELECT RAISE(ABORT, 'une clôture est définitive');
END;


-- Participants (0004)
-- Identified people under pseudonymous codes, their attendance, exits and the
-- projects' targets; identity apart, erasure logged by date only.

-- A person who attends. Each profile attribute is NULL when it was not asked and
-- 'nc' (non communiqué) when it was asked and not given. An erased person keeps
-- only an opaque code (X-…) and their attendance. A ledger with a poste of its own
-- gives codes with its prefix (AB-0001, 0012).
CREATE TABLE participant (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE
                     CHECK (code GLOB 'P-[0-9][0-9][0-9][0-9]*' OR code GLOB 'X-[0-9A-F]*'
                            OR code GLOB '[A-Z][A-Z]-[0-9][0-9][0-9][0-9]*'
                            OR code GLOB '[A-Z][A-Z][A-Z]-[0-9][0-9][0-9][0-9]*'),
    sexe             TEXT CHECK (sexe IN ('f', 'h', 'nc')),
    -- The year only: the age bracket is derived from it.
    annee_naissance  INTEGER CHECK (annee_naissance BETWEEN 1900 AND 2100),
    statut           TEXT CHECK (statut IN ('en-emploi', 'demandeur-emploi',
                         'demandeur-emploi-longue-duree', 'inactif', 'scolarise', 'retraite', 'nc')),
    qpv              TEXT CHECK (qpv IN ('oui', 'non', 'nc')),
    -- RSA or another minimum social benefit.
    rsa              TEXT CHECK (rsa IN ('oui', 'non', 'nc')),
    mission_locale   TEXT CHECK (mission_locale IN ('oui', 'non', 'nc')),
    -- Highest level of education, as ISCED groups.
    diplome          TEXT CHECK (diplome IN ('0-2', '3-4', '5-8', 'nc')),
    handicap         TEXT CHECK (handicap IN ('oui', 'non', 'nc')),
    -- Commune of residence, by INSEE code.
    code_insee       TEXT CHECK (code_insee GLOB '[0-9][0-9AB][0-9][0-9][0-9]'),
    -- Who sent the person (prescripteur).
    prescripteur_id  INTEGER REFERENCES partenaire (id),
    cree_le          TEXT NOT NULL,
    gid              BLOB
);
CREATE INDEX participant_prescripteur ON participant (prescripteur_id) WHERE prescripteur_id IS NOT NULL;

-- The highest participant number given so far: a code is never given twice, not
-- even after its holder was erased.
CREATE TABLE participant_compteur (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    dernier  INTEGER NOT NULL CHECK (dernier >= 0)
);

-- Names and contact details, apart from the profile: deleted on erasure, never
-- exported unless asked with --avec-identite.
CREATE TABLE participant_identite (
    participant_id  INTEGER PRIMARY KEY REFERENCES participant (id),
    nom             TEXT,
    prenom          TEXT,
    telephone       TEXT,
    courriel        TEXT
);

-- A named person at a session. The session's other participants are anonymous.
CREATE TABLE presence (
    session_id      INTEGER NOT NULL REFERENCES session (id),
    participant_id  INTEGER NOT NULL REFERENCES participant (id),
    -- Time actually attended when less than the session; NULL: the whole session.
    minutes         INTEGER CHECK (minutes > 0 AND minutes <= 720),
    gid             BLOB,
    PRIMARY KEY (session_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX presence_participant ON presence (participant_id, session_id);

-- The named people of a session are among its headcount.
CREATE TRIGGER presence_dans_effectif BEFORE INSERT ON presence
WHEN (SELECT count(*) FROM presence WHERE session_id = NEW.session_id)
     >= (SELECT participants FROM session WHERE id = NEW.session_id)
BEGIN
    SELECT RAISE(ABORT, 'une présence de plus que l''effectif de la session');
END;

-- Where a person went after a project: one exit per person and project.
CREATE TABLE sortie (
    participant_id  INTEGER NOT NULL REFERENCES participant (id),
    projet_id       INTEGER NOT NULL REFERENCES projet (id),
    date            TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    situation       TEXT NOT NULL CHECK (situation IN ('emploi-durable', 'emploi-court',
                        'formation-qualifiante', 'creation-activite', 'recherche-emploi',
                        'inactif', 'abandon', 'nc')),
    cree_le         TEXT NOT NULL,
    gid             BLOB,
    PRIMARY KEY (participant_id, projet_id)
) WITHOUT ROWID;
CREATE INDEX sortie_projet ON sortie (projet_id);

-- A project's targets: people reached, and the share of positive exits in tenths
-- of a percent (600 = 60 %).
CREATE TABLE objectif (
    projet_id          INTEGER PRIMARY KEY REFERENCES projet (id),
    participants       INTEGER CHECK (participants > 0),
    sorties_positives  INTEGER CHECK (sorties_positives BETWEEN 0 AND 1000)
);

-- That an erasure happened, and when: nothing else, not even the opaque code.
CREATE TABLE effacement (
    id         INTEGER PRIMARY KEY,
    efface_le  TEXT NOT NULL CHECK (efface_le GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
);

-- Codes of erased people, never given again: a hash of each, linked to nothing.
CREATE TABLE code_retire (
    empreinte TEXT PRIMARY KEY
);

-- Imports (0005): files already imported, by fingerprint.
CREATE TABLE import_fichier (
    empreinte  TEXT NOT NULL,
    quoi       TEXT NOT NULL,
    nom        TEXT NOT NULL,
    lignes     INTEGER NOT NULL,
    importe_le TEXT NOT NULL,
    PRIMARY KEY (quoi, empreinte)
);

-- Safety (0006): digests of closed years, and the log of exports and backups.
CREATE TABLE cloture_empreinte (
    annee     INTEGER PRIMARY KEY REFERENCES cloture (annee),
    empreinte TEXT NOT NULL,
    ecritures INTEGER NOT NULL,
    lignes    INTEGER NOT NULL
);

CREATE TRIGGER cloture_empreinte_definitive_modification BEFORE UPDATE ON cloture_empreinte
BEGIN
    SELECT RAISE(ABORT, 'une clôture est définitive');
END;

CREATE TRIGGER cloture_empreinte_definitive_suppression BEFORE DELETE ON cloture_empreinte
BEGIN
    SELECT RAISE(ABORT, 'une clôture est définitive');
END;

CREATE TABLE export_journal (
    id        INTEGER PRIMARY KEY,
    fait_le   TEXT NOT NULL,
    quoi      TEXT NOT NULL,
    fichier   TEXT NOT NULL,
    personnel INTEGER NOT NULL DEFAULT 0 CHECK (personnel IN (0, 1))
);
CREATE INDEX export_journal_date ON export_journal (fait_le);

-- Duplicates and home territory (0007): the ledger's settings (the home territory),
-- and the communes sessions use, read value by value.
CREATE TABLE parametre (
    cle    TEXT PRIMARY KEY,
    valeur TEXT NOT NULL
);
CREATE INDEX session_commune ON session (code_insee) WHERE code_insee IS NOT NULL;
-- Codes merged into another by `participant fusionne`, never given again; linked
-- to nothing.
CREATE TABLE code_fusionne (
    code TEXT PRIMARY KEY CHECK (code GLOB '*-[0-9][0-9][0-9][0-9]*' AND code NOT GLOB 'X-*')
);

-- Session history (0008): each field changed by `ici session corrige`, with the old
-- and the new value, when and why; never changed nor deleted. Sessions by recording
-- time, for `session list --saisies-depuis`.
CREATE INDEX session_cree_le ON session (cree_le);

CREATE TABLE session_correction (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES session (id),
    fait_le     TEXT NOT NULL,
    champ       TEXT NOT NULL,
    avant       TEXT,
    apres       TEXT,
    motif       TEXT,
    gid         BLOB
);
CREATE INDEX session_correction_session ON session_correction (session_id, id);

CREATE TRIGGER session_correction_definitive_modification BEFORE UPDATE ON session_correction
WHEN OLD.gid IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.session_id IS NOT OLD.session_id
     OR NEW.fait_le IS NOT OLD.fait_le OR NEW.champ IS NOT OLD.champ
     OR NEW.avant IS NOT OLD.avant OR NEW.apres IS NOT OLD.apres OR NEW.motif IS NOT OLD.motif
BEGIN
    SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
END;

CREATE TRIGGER session_correction_definitive_suppression BEFORE DELETE ON session_correction
BEGIN
    SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
END;

-- Books (0009): third parties per line, the journal and number of every entry, and what an
-- accountant's file says of each line (so that its FEC can be written back whole).
-- Entries and lines stay as they were (a closed year's digest does not move): what is
-- new lives in tables of its own, one row per entry or per line.

-- Third parties of the books (a supplier, a funder, a lender…), apart from the
-- partners of the activity; one may be linked to the partner it is.
CREATE TABLE tiers (
    id            INTEGER PRIMARY KEY,
    nom           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    nature        TEXT NOT NULL CHECK (nature IN ('fournisseur', 'usager', 'financeur', 'salarie',
                                                 'organisme-social', 'preteur', 'autre')),
    partenaire_id INTEGER UNIQUE REFERENCES partenaire (id),
    cree_le       TEXT NOT NULL,
    gid           BLOB
);

-- Every entry's journal; `numero` is continuous per exercice and journal for the
-- entries typed in ici, in recording order (imported ones keep their EcritureNum).
CREATE TABLE ecriture_journal (
    ecriture_id INTEGER PRIMARY KEY REFERENCES ecriture (id),
    journal     TEXT NOT NULL,
    journal_lib TEXT,
    exercice    INTEGER NOT NULL,
    numero      INTEGER CHECK (numero > 0),
    piece_date  TEXT,
    valid_date  TEXT NOT NULL,
    -- 1 when it came from an accountant's file with every column kept, to write back as read.
    tel_quel    INTEGER NOT NULL DEFAULT 0 CHECK (tel_quel IN (0, 1))
);
CREATE UNIQUE INDEX ecriture_journal_numero ON ecriture_journal (exercice, journal, numero)
    WHERE numero IS NOT NULL;
CREATE TRIGGER ecriture_journal_non_modifiable BEFORE UPDATE ON ecriture_journal
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;
CREATE TRIGGER ecriture_journal_non_supprimable BEFORE DELETE ON ecriture_journal
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se supprime pas : contrepassez-la');
END;

-- Per line: its tiers and auxiliary account, and the FEC's columns kept as read.
CREATE TABLE ligne_detail (
    ligne_id       INTEGER PRIMARY KEY REFERENCES ligne (id),
    tiers_id       INTEGER REFERENCES tiers (id),
    compte_aux     TEXT,
    libelle        TEXT,
    compte_lib     TEXT,
    lettrage       TEXT,
    date_lettrage  TEXT,
    montant_devise TEXT,
    devise         TEXT
);
CREATE INDEX ligne_detail_tiers ON ligne_detail (tiers_id);
CREATE TRIGGER ligne_detail_non_supprimable BEFORE DELETE ON ligne_detail
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se supprime pas : contrepassez-la');
END;

-- Funders (0011): grant agreements, budgets and their versions, the allocation of
-- entries and shared costs to projects, explanations of a compte rendu's gaps.

-- A grant agreement: who funds which project, over which period, how much, and the gap
-- (in percent) beyond which the compte rendu must explain a line.
CREATE TABLE convention (
    id            INTEGER PRIMARY KEY,
    gid           BLOB NOT NULL UNIQUE,
    partenaire_id INTEGER NOT NULL REFERENCES partenaire (id),
    projet_id     INTEGER NOT NULL REFERENCES projet (id),
    debut         TEXT NOT NULL CHECK (debut GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    fin           TEXT NOT NULL CHECK (fin GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    montant       INTEGER NOT NULL CHECK (montant > 0),
    reference     TEXT,
    seuil_pct     INTEGER NOT NULL DEFAULT 15 CHECK (seuil_pct BETWEEN 1 AND 100),
    cree_le       TEXT NOT NULL,
    CHECK (fin >= debut)
);
CREATE INDEX convention_projet ON convention (projet_id, debut);

-- A budget of one year, for one project or (projet_id NULL) the whole association. A new
-- import for the same year and project becomes the current version; earlier ones stay,
-- marked with the date they were replaced.
CREATE TABLE budget (
    id          INTEGER PRIMARY KEY,
    gid         BLOB NOT NULL UNIQUE,
    annee       INTEGER NOT NULL CHECK (annee BETWEEN 1900 AND 2999),
    projet_id   INTEGER REFERENCES projet (id),
    version     INTEGER NOT NULL CHECK (version > 0),
    fichier     TEXT NOT NULL,
    importe_le  TEXT NOT NULL,
    remplace_le TEXT
);
CREATE UNIQUE INDEX budget_version ON budget (annee, coalesce(projet_id, 0), version);

-- One line of a budget: an account (or a group, "64") and its planned amount; a
-- subsidy line (74) may name its funder.
CREATE TABLE budget_ligne (
    id            INTEGER PRIMARY KEY,
    gid           BLOB NOT NULL UNIQUE,
    budget_id     INTEGER NOT NULL REFERENCES budget (id),
    compte        TEXT NOT NULL CHECK (compte GLOB '[678][0-9]*'),
    montant       INTEGER NOT NULL CHECK (montant >= 0),
    partenaire_id INTEGER REFERENCES partenaire (id)
);
CREATE INDEX budget_ligne_budget ON budget_ligne (budget_id);

-- A share of an entry given to a project (10000 = 100 %). The entry itself is not
-- touched: a closed year's digest stays what it was.
CREATE TABLE affectation (
    id          INTEGER PRIMARY KEY,
    gid         BLOB NOT NULL UNIQUE,
    ecriture_id INTEGER NOT NULL REFERENCES ecriture (id),
    projet_id   INTEGER NOT NULL REFERENCES projet (id),
    part        INTEGER NOT NULL CHECK (part BETWEEN 1 AND 10000),
    cree_le     TEXT NOT NULL,
    UNIQUE (ecriture_id, projet_id)
);
CREATE INDEX affectation_projet ON affectation (projet_id);

-- A year's key for the charges no entry or allocation gives to a project: the accounts
-- it spreads, how, and (in repartition_part) each project's figure and share, kept so
-- that the result can be computed again whatever the sessions become. A new key for the
-- same year replaces the old one, which stays marked.
CREATE TABLE repartition (
    id          INTEGER PRIMARY KEY,
    gid         BLOB NOT NULL UNIQUE,
    annee       INTEGER NOT NULL CHECK (annee BETWEEN 1900 AND 2999),
    comptes     TEXT NOT NULL,
    cle         TEXT NOT NULL CHECK (cle IN ('heures', 'participations', 'personnes', 'fixe')),
    cree_le     TEXT NOT NULL,
    remplacee_le TEXT
);
CREATE UNIQUE INDEX repartition_courante ON repartition (annee) WHERE remplacee_le IS NULL;

CREATE TABLE repartition_part (
    gid            BLOB NOT NULL UNIQUE,
    repartition_id INTEGER NOT NULL REFERENCES repartition (id),
    projet_id      INTEGER NOT NULL REFERENCES projet (id),
    -- The figure the share comes from: minutes, participations, people, or the
    -- percentage typed (in hundredths).
    base           INTEGER NOT NULL CHECK (base >= 0),
    part           INTEGER NOT NULL CHECK (part BETWEEN 0 AND 10000),
    PRIMARY KEY (repartition_id, projet_id)
);

-- Why a line of a project's compte rendu is off its budget. `rubrique` is the line's group
-- ("64", "74"…); a subsidy line also names its funder.
CREATE TABLE explication (
    id            INTEGER PRIMARY KEY,
    gid           BLOB NOT NULL UNIQUE,
    projet_id     INTEGER NOT NULL REFERENCES projet (id),
    annee         INTEGER NOT NULL CHECK (annee BETWEEN 1900 AND 2999),
    rubrique      TEXT NOT NULL,
    partenaire_id INTEGER REFERENCES partenaire (id),
    texte         TEXT NOT NULL CHECK (length(trim(texte)) > 0),
    ecrit_le      TEXT NOT NULL
);
CREATE UNIQUE INDEX explication_ligne
    ON explication (projet_id, annee, rubrique, coalesce(partenaire_id, 0));

-- Global ids (0012): every record's `gid` (a UUID v7, 16 bytes), the same on every
-- ledger it travels to; set by every insert, checked by `ici verifie`.
CREATE UNIQUE INDEX projet_gid ON projet (gid);
CREATE UNIQUE INDEX partenaire_gid ON partenaire (gid);
CREATE UNIQUE INDEX session_gid ON session (gid);
CREATE UNIQUE INDEX presence_gid ON presence (gid);
CREATE UNIQUE INDEX participant_gid ON participant (gid);
CREATE UNIQUE INDEX sortie_gid ON sortie (gid);
CREATE UNIQUE INDEX tiers_gid ON tiers (gid);
CREATE UNIQUE INDEX ecriture_gid ON ecriture (gid);
CREATE UNIQUE INDEX ligne_gid ON ligne (gid);
CREATE UNIQUE INDEX session_correction_gid ON session_correction (gid);

-- Changes as records (0012): each change of a travelling record, with its gid, time
-- (UTC) and origin ledger; `donnees` holds the fields written, as JSON.
CREATE TABLE changement (
    origine  TEXT NOT NULL,
    numero   INTEGER NOT NULL CHECK (numero > 0),
    fait_le  TEXT NOT NULL,
    quoi     TEXT NOT NULL,
    cible    BLOB NOT NULL,
    genre    TEXT NOT NULL CHECK (genre IN ('ecrit', 'supprime')),
    donnees  TEXT,
    PRIMARY KEY (origine, numero)
) WITHOUT ROWID;
CREATE INDEX changement_cible ON changement (cible);

-- A project, partner, presence or exit recorded on two ledgers is one record: the
-- global id not kept points to the one kept.
CREATE TABLE gid_alias (
    alias BLOB PRIMARY KEY,
    gid   BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX gid_alias_gid ON gid_alias (gid);

-- What was sent to whom (`ici lot export --pour NOM`): per origin ledger, the highest
-- change number sent, so that the next batch starts after it.
CREATE TABLE lot_envoi (
    destination TEXT NOT NULL,
    origine     TEXT NOT NULL,
    jusqu_a     INTEGER NOT NULL,
    PRIMARY KEY (destination, origine)
) WITHOUT ROWID;

-- 0013: what makes the yearly reports cheap. A partial index of the cancelled
-- sessions, so that counting a year's cancellations reads only those. IF NOT EXISTS:
-- a ledger brought back to an older schema by hand keeps its indexes.
CREATE INDEX IF NOT EXISTS session_annulee ON session (date) WHERE annulee_le IS NOT NULL;

-- The next number of a typed entry is the greatest of its exercice and journal plus
-- one: the unique index of migration 0009 holds numbered entries only, which that query cannot use
-- (it does not say `numero IS NOT NULL`), so each entry read every number of its
-- journal and an import of n entries cost n². This index answers it in one step.
CREATE INDEX IF NOT EXISTS ecriture_journal_suite ON ecriture_journal (exercice, journal, numero);

-- The books' sums per year, account, project and tiers, kept by the triggers below in
-- the same transaction as every write (an entry, an import, a reversal, a merge), so
-- that a year's compte de résultat reads a few hundred rows instead of a year of
-- lines. A cache of `ligne`: `ici verifie` checks it against the lines. 0 stands for
-- no project or no tiers (a NULL would not be one key in the primary key).
CREATE TABLE IF NOT EXISTS totaux_compte (
    annee          INTEGER NOT NULL,
    compte         TEXT NOT NULL,
    projet_id      INTEGER NOT NULL,
    -- The entry's partner (`ecriture.tiers_id`) and the line's tiers (`ligne_detail`).
    tiers_id       INTEGER NOT NULL,
    ligne_tiers_id INTEGER NOT NULL,
    debit          INTEGER NOT NULL,
    credit         INTEGER NOT NULL,
    lignes         INTEGER NOT NULL,
    PRIMARY KEY (annee, compte, projet_id, tiers_id, ligne_tiers_id)
) WITHOUT ROWID;

-- Made from the lines, whatever the table held (IF NOT EXISTS, as above: a ledger
-- brought back to an older schema by hand runs this migration again).
DELETE FROM totaux_compte;
INSERT INTO totaux_compte
SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
       coalesce(e.tiers_id, 0), coalesce(d.tiers_id, 0), sum(l.debit), sum(l.credit), count(*)
FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
LEFT JOIN ligne_detail d ON d.ligne_id = l.id
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER IF NOT EXISTS totaux_ligne AFTER INSERT ON ligne
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), NEW.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), 0, NEW.debit, NEW.credit, 1
    FROM ecriture e WHERE e.id = NEW.ecriture_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + 1;
END;

-- A line's tiers is written after the line, and may be corrected or merged: its sums
-- move from the key without (or with the former) tiers to the key with the new one.
CREATE TRIGGER IF NOT EXISTS totaux_ligne_tiers AFTER INSERT ON ligne_detail
WHEN NEW.tiers_id IS NOT NULL
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), t.tiers, l.debit * t.sens, l.credit * t.sens, t.sens
    FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
    JOIN (SELECT 0 AS tiers, -1 AS sens UNION ALL SELECT NEW.tiers_id, 1) t
    WHERE l.id = NEW.ligne_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;

CREATE TRIGGER IF NOT EXISTS totaux_ligne_tiers_change AFTER UPDATE OF tiers_id ON ligne_detail
WHEN OLD.tiers_id IS NOT NEW.tiers_id
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), t.tiers, l.debit * t.sens, l.credit * t.sens, t.sens
    FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
    JOIN (SELECT coalesce(OLD.tiers_id, 0) AS tiers, -1 AS sens
          UNION ALL SELECT coalesce(NEW.tiers_id, 0), 1) t
    WHERE l.id = NEW.ligne_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;

-- An entry moved to another project or partner (a correction, a merge) moves its lines.
CREATE TRIGGER IF NOT EXISTS totaux_ecriture_change AFTER UPDATE OF projet_id, tiers_id ON ecriture
WHEN OLD.projet_id IS NOT NEW.projet_id OR OLD.tiers_id IS NOT NEW.tiers_id
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(NEW.date, 1, 4) AS INTEGER), l.compte, k.projet, k.tiers,
           coalesce(d.tiers_id, 0), sum(l.debit) * k.sens, sum(l.credit) * k.sens,
           count(*) * k.sens
    FROM ligne l LEFT JOIN ligne_detail d ON d.ligne_id = l.id
    JOIN (SELECT coalesce(OLD.projet_id, 0) AS projet, coalesce(OLD.tiers_id, 0) AS tiers,
                 -1 AS sens
          UNION ALL SELECT coalesce(NEW.projet_id, 0), coalesce(NEW.tiers_id, 0), 1) k
    WHERE l.ecriture_id = NEW.id
    GROUP BY l.compte, k.projet, k.tiers, coalesce(d.tiers_id, 0), k.sens
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;

-- Association (0014): the people of the association — staff, board, members, volunteers — and the
-- agenda of the year, for the annual report. They are not beneficiaries: they live
-- apart from the participant register, in tables of their own. Volunteer hours are
-- valued at a rate per hour and booked in class 8 (see `benevolat.ecriture_id`).

-- Salaried staff, interns, civic-service volunteers and people put at the
-- association's disposal; one row per contract (a CDD followed by a CDI is two rows).
CREATE TABLE equipe (
    id      INTEGER PRIMARY KEY,
    gid     BLOB NOT NULL UNIQUE,
    nom     TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    statut  TEXT NOT NULL CHECK (statut IN ('salarie', 'stagiaire', 'service-civique',
                                            'mis-a-disposition')),
    poste   TEXT NOT NULL,
    debut   TEXT NOT NULL,
    fin     TEXT CHECK (fin IS NULL OR fin >= debut),
    -- Working time in percent of full time.
    temps   INTEGER NOT NULL DEFAULT 100 CHECK (temps BETWEEN 1 AND 100),
    contrat TEXT,
    cree_le TEXT NOT NULL
);
CREATE INDEX equipe_nom ON equipe (nom);

-- The bureau and the board: one row per person and office.
CREATE TABLE gouvernance (
    id       INTEGER PRIMARY KEY,
    gid      BLOB NOT NULL UNIQUE,
    nom      TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    fonction TEXT NOT NULL CHECK (fonction IN ('president', 'vice-president', 'tresorier',
                                               'secretaire', 'administrateur')),
    debut    TEXT NOT NULL,
    fin      TEXT CHECK (fin IS NULL OR fin >= debut),
    cree_le  TEXT NOT NULL
);
CREATE INDEX gouvernance_nom ON gouvernance (nom);

-- Memberships: one per person and year. The fee noted here is not booked: the
-- treasurer books fees in 756 (see the README), once.
CREATE TABLE adherent (
    id         INTEGER PRIMARY KEY,
    gid        BLOB NOT NULL UNIQUE,
    nom        TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    date       TEXT NOT NULL,
    cotisation INTEGER CHECK (cotisation IS NULL OR cotisation > 0),
    cree_le    TEXT NOT NULL
);
CREATE UNIQUE INDEX adherent_annee ON adherent (nom, substr(date, 1, 4));

-- Valuation rates of volunteer time, in cents per hour: one per year, and a default
-- (annee NULL) for years without their own; each with its source.
CREATE TABLE benevolat_taux (
    id      INTEGER PRIMARY KEY,
    gid     BLOB NOT NULL UNIQUE,
    annee   INTEGER CHECK (annee IS NULL OR annee BETWEEN 1900 AND 2999),
    montant INTEGER NOT NULL CHECK (montant > 0),
    source  TEXT NOT NULL CHECK (length(trim(source)) > 0),
    cree_le TEXT NOT NULL
);
CREATE UNIQUE INDEX benevolat_taux_annee ON benevolat_taux (coalesce(annee, 0));

-- Volunteer time. Each record is booked at once as one class 8 entry (86 personnel
-- bénévole / 87 bénévolat) at the rate it was valued at; cancelling a record reverses
-- its entry, and a new rate re-books the records of open years only.
CREATE TABLE benevolat (
    id          INTEGER PRIMARY KEY,
    gid         BLOB NOT NULL UNIQUE,
    date        TEXT NOT NULL,
    minutes     INTEGER NOT NULL CHECK (minutes > 0),
    personne    TEXT COLLATE NOCASE,
    projet_id   INTEGER REFERENCES projet (id),
    taux        INTEGER NOT NULL CHECK (taux > 0),
    ecriture_id INTEGER NOT NULL REFERENCES ecriture (id),
    annule_le   TEXT,
    cree_le     TEXT NOT NULL
);
CREATE INDEX benevolat_date ON benevolat (date);

-- The agenda: the highlights of the year, month by month.
CREATE TABLE evenement (
    id        INTEGER PRIMARY KEY,
    gid       BLOB NOT NULL UNIQUE,
    date      TEXT NOT NULL,
    titre     TEXT NOT NULL CHECK (length(trim(titre)) > 0),
    projet_id INTEGER REFERENCES projet (id),
    texte     TEXT,
    cree_le   TEXT NOT NULL
);
CREATE INDEX evenement_date ON evenement (date);

-- What a project is about, for the report's « Nos actions ».
ALTER TABLE projet ADD COLUMN description TEXT;

-- 0015: the free texts of the annual report, every version kept.
CREATE TABLE rapport_texte (
    id       INTEGER PRIMARY KEY,
    gid      BLOB NOT NULL UNIQUE,
    annee    INTEGER NOT NULL CHECK (annee BETWEEN 1900 AND 2999),
    section  TEXT NOT NULL CHECK (section IN ('edito', 'resultat', 'perspectives')),
    texte    TEXT NOT NULL,
    ecrit_le TEXT NOT NULL
);
CREATE INDEX rapport_texte_section ON rapport_texte (annee, section, id);
CREATE TRIGGER rapport_texte_non_modifiable BEFORE UPDATE ON rapport_texte
BEGIN
    SELECT RAISE(ABORT, 'un texte du rapport ne se modifie pas : écrivez-en une nouvelle version');
END;
