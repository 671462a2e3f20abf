-- 0012: several laptops, one ledger. Every record that may travel between ledgers
-- gets a global id (`gid`, a UUID v7 stored as 16 bytes): the numbers users type stay
-- short and local, the gid says which record it is on every laptop. SQLite adds a
-- column only nullable and without UNIQUE: the column is added, the ledger's rows get
-- theirs right after this file (in Rust, `db::gid`), a unique index holds them apart,
-- and every insert sets one (`ici verifie` reports a row without).
-- Participant codes may start with the ledger's own prefix (`ici init --poste AB`:
-- AB-0001), so that two laptops never give the same code: the participant table is
-- rebuilt with the wider check (existing codes keep their form).

ALTER TABLE projet ADD COLUMN gid BLOB;
ALTER TABLE partenaire ADD COLUMN gid BLOB;
ALTER TABLE session ADD COLUMN gid BLOB;
ALTER TABLE presence ADD COLUMN gid BLOB;
ALTER TABLE sortie ADD COLUMN gid BLOB;
ALTER TABLE tiers ADD COLUMN gid BLOB;
ALTER TABLE ecriture ADD COLUMN gid BLOB;
ALTER TABLE ligne ADD COLUMN gid BLOB;
ALTER TABLE session_correction ADD COLUMN gid BLOB;

CREATE TABLE participant_0012 (
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
INSERT INTO participant_0012 (id, code, sexe, annee_naissance, statut, qpv, rsa,
    mission_locale, diplome, handicap, code_insee, prescripteur_id, cree_le)
SELECT id, code, sexe, annee_naissance, statut, qpv, rsa, mission_locale, diplome,
    handicap, code_insee, prescripteur_id, cree_le
FROM participant;
DROP TABLE participant;
ALTER TABLE participant_0012 RENAME TO participant;
CREATE INDEX participant_prescripteur ON participant (prescripteur_id) WHERE prescripteur_id IS NOT NULL;

CREATE TABLE code_fusionne_0012 (
    code TEXT PRIMARY KEY CHECK (code GLOB '*-[0-9][0-9][0-9][0-9]*' AND code NOT GLOB 'X-*')
);
INSERT INTO code_fusionne_0012 (code) SELECT code FROM code_fusionne;
DROP TABLE code_fusionne;
ALTER TABLE code_fusionne_0012 RENAME TO code_fusionne;

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

-- An entry's gid is not among what may never change (restated as 0007 wrote it).
DROP TRIGGER ecriture_non_modifiable;
CREATE TRIGGER ecriture_non_modifiable
BEFORE UPDATE OF id, date, libelle, piece, cree_le, journal, numero_source, annule_id ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;

-- Lines and the session history are never changed: but a row without its gid may get
-- one, once.
DROP TRIGGER ligne_non_modifiable;
CREATE TRIGGER ligne_non_modifiable BEFORE UPDATE ON ligne
WHEN OLD.gid IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.ecriture_id IS NOT OLD.ecriture_id
     OR NEW.compte IS NOT OLD.compte OR NEW.debit IS NOT OLD.debit OR NEW.credit IS NOT OLD.credit
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;

DROP TRIGGER session_correction_definitive_modification;
CREATE TRIGGER session_correction_definitive_modification BEFORE UPDATE ON session_correction
WHEN OLD.gid IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.session_id IS NOT OLD.session_id
     OR NEW.fait_le IS NOT OLD.fait_le OR NEW.champ IS NOT OLD.champ
     OR NEW.avant IS NOT OLD.avant OR NEW.apres IS NOT OLD.apres OR NEW.motif IS NOT OLD.motif
BEGIN
    SELECT RAISE(ABORT, 'l''historique d''une session ne se modifie pas');
END;

-- Changes as records: every creation, correction, cancellation, erasure, rename or merge
-- of a record that travels between ledgers, with the record's gid, the time (UTC) and
-- the ledger it was made on (`origine`, the gid of that ledger, kept in `parametre`;
-- `numero`, its order there), so that it can be sent once and applied anywhere.
-- `donnees`: the fields written, as JSON (references as the referenced row's gid).
-- Written by the ledger itself in the same transaction as the change.
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
