-- 0003: books a chartered accountant would sign. Entries keep the journal and the
-- number they had in the accountant's file (so importing the same FEC twice adds
-- nothing); nothing is ever edited or deleted: a mistake is reversed by a new entry
-- linked to the one it cancels; a closed year (after the general assembly) takes
-- no more entries, and neither does any year before it (the balance sheet of a closed
-- year starts from them). The triggers hold these rules even against a hand-made query.

ALTER TABLE ecriture ADD COLUMN journal TEXT;
ALTER TABLE ecriture ADD COLUMN numero_source TEXT;
ALTER TABLE ecriture ADD COLUMN annule_id INTEGER REFERENCES ecriture (id);

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

CREATE TRIGGER ecriture_non_modifiable BEFORE UPDATE ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se modifie pas : contrepassez-la');
END;

CREATE TRIGGER ecriture_non_supprimable BEFORE DELETE ON ecriture
BEGIN
    SELECT RAISE(ABORT, 'une écriture ne se supprime pas : contrepassez-la');
END;

CREATE TRIGGER ligne_non_modifiable BEFORE UPDATE ON ligne
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
