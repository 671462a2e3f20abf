-- 0004: identified participants. A person is known by a pseudonymous code (P-0042)
-- and an optional profile; names and contact details sit in a table of their own,
-- which nothing exports unless asked. Attendance links people to sessions: a
-- session's headcount stays in session.participants, the named people are among
-- them and the rest are anonymous, so every session of an older ledger stays what
-- it was, fully anonymous. Exits (sorties) and a project's targets (objectifs)
-- give the outcome rates funders ask for. Erasing a person keeps their attendance
-- under an opaque code and logs the date only.

-- A person who attends. Each profile attribute is NULL when it was not asked and
-- 'nc' (non communiqué) when it was asked and not given. An erased person keeps
-- only an opaque code (X-…) and their attendance.
CREATE TABLE participant (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE
                     CHECK (code GLOB 'P-[0-9][0-9][0-9][0-9]*' OR code GLOB 'X-[0-9A-F]*'),
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
    cree_le          TEXT NOT NULL
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
