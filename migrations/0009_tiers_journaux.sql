-- 0009: third parties per line, the journal and number of every entry, and what an
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
    cree_le       TEXT NOT NULL
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

-- Existing ledgers: each partner named as the tiers of an entry becomes a tiers linked
-- to it, its nature read from the accounts of its entries.
INSERT INTO tiers (nom, nature, partenaire_id, cree_le)
SELECT p.nom,
       CASE
           WHEN EXISTS (SELECT 1 FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
                        WHERE e.tiers_id = p.id AND (l.compte LIKE '74%' OR l.compte LIKE '441%'))
               THEN 'financeur'
           WHEN EXISTS (SELECT 1 FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
                        WHERE e.tiers_id = p.id AND l.compte LIKE '16%') THEN 'preteur'
           WHEN EXISTS (SELECT 1 FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
                        WHERE e.tiers_id = p.id AND (l.compte LIKE '6%' OR l.compte LIKE '401%'))
               THEN 'fournisseur'
           WHEN EXISTS (SELECT 1 FROM ecriture e JOIN ligne l ON l.ecriture_id = e.id
                        WHERE e.tiers_id = p.id AND (l.compte LIKE '70%' OR l.compte LIKE '411%'))
               THEN 'usager'
           ELSE 'autre'
       END,
       p.id, p.cree_le
FROM partenaire p
WHERE p.id IN (SELECT tiers_id FROM ecriture WHERE tiers_id IS NOT NULL);

-- The tiers goes on the entry's third-party lines (4xx), or on all its lines if none.
INSERT INTO ligne_detail (ligne_id, tiers_id)
SELECT l.id, t.id
FROM ecriture e
JOIN tiers t ON t.partenaire_id = e.tiers_id
JOIN ligne l ON l.ecriture_id = e.id
WHERE l.compte LIKE '4%'
   OR NOT EXISTS (SELECT 1 FROM ligne x WHERE x.ecriture_id = e.id AND x.compte LIKE '4%');

-- Journals: imported entries keep theirs; typed ones get BQ (bank), CA (cash) or OD,
-- and a number per exercice and journal in recording order. Imported entries are not
-- renumbered.
INSERT INTO ecriture_journal (ecriture_id, journal, journal_lib, exercice, numero, piece_date,
                              valid_date)
SELECT id, journal, NULL, exercice,
       CASE WHEN numero_source IS NULL
            THEN row_number() OVER (PARTITION BY exercice, journal, numero_source IS NULL
                                    ORDER BY id)
       END,
       NULL, substr(cree_le, 1, 10)
FROM (SELECT e.id, e.numero_source, e.cree_le, CAST(substr(e.date, 1, 4) AS INTEGER) AS exercice,
             coalesce(e.journal,
                      CASE WHEN EXISTS (SELECT 1 FROM ligne x WHERE x.ecriture_id = e.id
                                        AND x.compte LIKE '512%') THEN 'BQ'
                           WHEN EXISTS (SELECT 1 FROM ligne x WHERE x.ecriture_id = e.id
                                        AND x.compte LIKE '53%') THEN 'CA'
                           ELSE 'OD' END) AS journal
      FROM ecriture e);
