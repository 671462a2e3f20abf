-- 0006: what lets `ici verifie` prove a closed year unchanged, and what lets
-- `ici participant oublie` say where a person's data may still be outside the ledger.
-- A year's digest is taken when it is closed (and, for years closed before this
-- version, when this migration first runs); the export log keeps the date, the kind
-- and the file name of each export or backup, never its content.

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
