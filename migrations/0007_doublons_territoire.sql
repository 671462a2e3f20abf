-- Duplicates and home territory (0007).
-- The ledger's settings, one value per key: the home territory (`territoire`, the
-- départements the association works in, as `94,93,75`), which settles a commune
-- name shared by several communes.
CREATE TABLE parametre (
    cle    TEXT PRIMARY KEY,
    valeur TEXT NOT NULL
);

-- The communes a ledger already uses settle shared names too: read value by value
-- through this index, not by scanning every session.
CREATE INDEX session_commune ON session (code_insee) WHERE code_insee IS NOT NULL;

-- Codes of people recorded twice and merged into another code (`participant
-- fusionne`): never given again, since old attendance sheets may carry them. The
-- code alone, linked to nothing.
CREATE TABLE code_fusionne (
    code TEXT PRIMARY KEY CHECK (code GLOB 'P-[0-9][0-9][0-9][0-9]*')
);

-- Merging two partners or two projects re-points the entries that name them: an
-- entry's tiers and project may now change, its date, label, piece and lines never.
DROP TRIGGER ecriture_non_modifiable;
CREATE TRIGGER ecriture_non_modifiable
BEFORE UPDATE OF id, date, libelle, piece, cree_le, journal, numero_source, annule_id ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;
