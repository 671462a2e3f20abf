-- 0011: what funders ask for. The funder type of a partner (the lines of the Cerfa's
-- table of subsidies), grant agreements, budgets kept with their earlier versions,
-- the analytic allocation of entries and of shared costs to projects (never an edit of
-- an entry), and the explanations of gaps written for a compte rendu financier.

-- The Cerfa 12156 / 15059 funder line a partner's subsidies go on; NULL: not a funder,
-- or not said yet.
ALTER TABLE partenaire ADD COLUMN type_financeur TEXT
    CHECK (type_financeur IN ('etat', 'region', 'departement', 'intercommunalite', 'commune',
                              'organisme-social', 'fonds-europeens', 'asp',
                              'etablissement-public', 'prive', 'autre'));

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
