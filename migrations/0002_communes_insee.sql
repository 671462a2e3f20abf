-- 0002: sessions name their place by INSEE code, so that "Villejuif", "villejuif "
-- and "94076" are one city and départements and intercommunalités can be counted.
-- A session is on a site (a commune) or remote ("distance", in no city). What an
-- older ledger typed is kept in commune_saisie until it is resolved: right after
-- this file, the program resolves each typed name against the bundled reference
-- and reports those it cannot (they stay as typed until `ici session corrige`).
-- SQLite cannot drop a NOT NULL column in place: the table is rebuilt.

CREATE TABLE session_0002 (
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

INSERT INTO session_0002 (id, date, projet_id, lieu, code_insee, commune_saisie, duree_minutes,
    participants, femmes, qpv, jeunes_ml, demandeurs_emploi, rsa, partenaire_id, intitule,
    formateur, annulee_le, motif_annulation, cree_le)
SELECT s.id, s.date, s.projet_id, 'site', NULL, c.nom, s.duree_minutes,
    s.participants, s.femmes, s.qpv, s.jeunes_ml, s.demandeurs_emploi, s.rsa, s.partenaire_id,
    s.intitule, s.formateur, s.annulee_le, s.motif_annulation, s.cree_le
FROM session s JOIN commune c ON c.id = s.commune_id;

DROP TABLE session;
DROP TABLE commune;
ALTER TABLE session_0002 RENAME TO session;

CREATE INDEX session_date ON session (date);
CREATE INDEX session_projet ON session (projet_id, date);
CREATE INDEX session_partenaire ON session (partenaire_id, date);
-- Sessions still waiting for their commune to be resolved.
CREATE INDEX session_commune_saisie ON session (commune_saisie) WHERE commune_saisie IS NOT NULL;
