-- The ledger's schema as it stands: the readable truth. A ledger reaches it through
-- the numbered files of migrations/, applied in order on open and recorded in
-- PRAGMA user_version; a test checks that both give the same tables and indexes.
-- Money is in integer cents; dates are ISO text (YYYY-MM-DD), compared as text.

CREATE TABLE projet (
    id         INTEGER PRIMARY KEY,
    nom        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    theme      TEXT NOT NULL CHECK (theme IN ('citoyennete', 'education-populaire', 'emploi')),
    intitule   TEXT,
    cree_le    TEXT NOT NULL
);

-- Partners and funders: the actors the association works with. A transaction's
-- tiers is a partner, so a subsidy and a workshop name the same actor.
CREATE TABLE partenaire (
    id         INTEGER PRIMARY KEY,
    nom        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(nom)) > 0),
    cree_le    TEXT NOT NULL
);

-- A workshop. Its place is a commune by INSEE code (a municipal arrondissement
-- rolls up to its city in the figures) or "distance" (remote, in no city).
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
CREATE TABLE ecriture (
    id             INTEGER PRIMARY KEY,
    date           TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    libelle        TEXT NOT NULL CHECK (length(trim(libelle)) > 0),
    piece          TEXT,
    tiers_id       INTEGER REFERENCES partenaire (id),
    projet_id      INTEGER REFERENCES projet (id),
    cree_le        TEXT NOT NULL
);
CREATE INDEX ecriture_date ON ecriture (date);
CREATE INDEX ecriture_tiers ON ecriture (tiers_id, date);
CREATE INDEX ecriture_projet ON ecriture (projet_id);

-- Amounts in integer cents; exactly one side of a line is non-zero.
CREATE TABLE ligne (
    id           INTEGER PRIMARY KEY,
    ecriture_id  INTEGER NOT NULL REFERENCES ecriture (id),
    compte       TEXT NOT NULL CHECK (compte GLOB '[1-8][0-9]*' AND length(compte) BETWEEN 2 AND 10),
    debit        INTEGER NOT NULL DEFAULT 0 CHECK (debit BETWEEN 0 AND 100000000000),
    credit       INTEGER NOT NULL DEFAULT 0 CHECK (credit BETWEEN 0 AND 100000000000),
    CHECK ((debit = 0) <> (credit = 0))
);
-- Covers the yearly aggregates: the sums read the index, not the table.
CREATE INDEX ligne_ecriture ON ligne (ecriture_id, compte, debit, credit);
