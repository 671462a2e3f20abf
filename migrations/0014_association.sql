-- 0014: the people of the association — staff, board, members, volunteers — and the
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
