-- The free texts of the annual report (édito, explanation of the result, perspectives),
-- one row per version: writing a section again adds a row, the latest is the one
-- printed and the earlier ones stay, so that a text replaced by mistake can be found.
CREATE TABLE rapport_texte (
    id       INTEGER PRIMARY KEY,
    gid      BLOB NOT NULL UNIQUE,
    annee    INTEGER NOT NULL CHECK (annee BETWEEN 1900 AND 2999),
    section  TEXT NOT NULL CHECK (section IN ('edito', 'resultat', 'perspectives')),
    texte    TEXT NOT NULL,
    ecrit_le TEXT NOT NULL
);
CREATE INDEX rapport_texte_section ON rapport_texte (annee, section, id);
CREATE TRIGGER rapport_texte_non_modifiable BEFORE UPDATE ON rapport_texte
BEGIN
    SELECT RAISE(ABORT, 'un texte du rapport ne se modifie pas : écrivez-en une nouvelle version');
END;
