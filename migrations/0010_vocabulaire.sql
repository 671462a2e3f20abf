-- 0010: the national vocabulary of digital mediation (La Coop de la médiation
-- numérique) on each session, so that the association's figures read like the
-- national ones: its thématiques, the equipment used and the workshop's level.
-- Stored compactly, decoded by the domain (src/domain/vocabulaire.rs): one bit per
-- thématique (30 bits) and per kind of equipment (5 bits), the bit being the value's
-- place in its list, which never changes; 0 means nothing recorded. The level is 1
-- (débutant), 2 (intermédiaire) or 3 (avancé), NULL when not recorded. Columns are
-- added: the session table is not rebuilt.

ALTER TABLE session ADD COLUMN thematiques INTEGER NOT NULL DEFAULT 0
    CHECK (thematiques BETWEEN 0 AND 1073741823);
ALTER TABLE session ADD COLUMN materiel INTEGER NOT NULL DEFAULT 0
    CHECK (materiel BETWEEN 0 AND 31);
ALTER TABLE session ADD COLUMN niveau INTEGER CHECK (niveau BETWEEN 1 AND 3);
