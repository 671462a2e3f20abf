-- 0013: what makes the yearly reports cheap. A partial index of the cancelled
-- sessions, so that counting a year's cancellations reads only those. IF NOT EXISTS:
-- a ledger brought back to an older schema by hand keeps its indexes.
CREATE INDEX IF NOT EXISTS session_annulee ON session (date) WHERE annulee_le IS NOT NULL;

-- The next number of a typed entry is the greatest of its exercice and journal plus
-- one: the unique index of migration 0009 holds numbered entries only, which that query cannot use
-- (it does not say `numero IS NOT NULL`), so each entry read every number of its
-- journal and an import of n entries cost n². This index answers it in one step.
CREATE INDEX IF NOT EXISTS ecriture_journal_suite ON ecriture_journal (exercice, journal, numero);

-- The books' sums per year, account, project and tiers, kept by the triggers below in
-- the same transaction as every write (an entry, an import, a reversal, a merge), so
-- that a year's compte de résultat reads a few hundred rows instead of a year of
-- lines. A cache of `ligne`: `ici verifie` checks it against the lines. 0 stands for
-- no project or no tiers (a NULL would not be one key in the primary key).
CREATE TABLE IF NOT EXISTS totaux_compte (
    annee          INTEGER NOT NULL,
    compte         TEXT NOT NULL,
    projet_id      INTEGER NOT NULL,
    -- The entry's partner (`ecriture.tiers_id`) and the line's tiers (`ligne_detail`).
    tiers_id       INTEGER NOT NULL,
    ligne_tiers_id INTEGER NOT NULL,
    debit          INTEGER NOT NULL,
    credit         INTEGER NOT NULL,
    lignes         INTEGER NOT NULL,
    PRIMARY KEY (annee, compte, projet_id, tiers_id, ligne_tiers_id)
) WITHOUT ROWID;

-- Made from the lines, whatever the table held (IF NOT EXISTS, as above: a ledger
-- brought back to an older schema by hand runs this migration again).
DELETE FROM totaux_compte;
INSERT INTO totaux_compte
SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
       coalesce(e.tiers_id, 0), coalesce(d.tiers_id, 0), sum(l.debit), sum(l.credit), count(*)
FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
LEFT JOIN ligne_detail d ON d.ligne_id = l.id
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER IF NOT EXISTS totaux_ligne AFTER INSERT ON ligne
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), NEW.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), 0, NEW.debit, NEW.credit, 1
    FROM ecriture e WHERE e.id = NEW.ecriture_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + 1;
END;

-- A line's tiers is written after the line, and may be corrected or merged: its sums
-- move from the key without (or with the former) tiers to the key with the new one.
CREATE TRIGGER IF NOT EXISTS totaux_ligne_tiers AFTER INSERT ON ligne_detail
WHEN NEW.tiers_id IS NOT NULL
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), t.tiers, l.debit * t.sens, l.credit * t.sens, t.sens
    FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
    JOIN (SELECT 0 AS tiers, -1 AS sens UNION ALL SELECT NEW.tiers_id, 1) t
    WHERE l.id = NEW.ligne_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;

CREATE TRIGGER IF NOT EXISTS totaux_ligne_tiers_change AFTER UPDATE OF tiers_id ON ligne_detail
WHEN OLD.tiers_id IS NOT NEW.tiers_id
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(e.date, 1, 4) AS INTEGER), l.compte, coalesce(e.projet_id, 0),
           coalesce(e.tiers_id, 0), t.tiers, l.debit * t.sens, l.credit * t.sens, t.sens
    FROM ligne l JOIN ecriture e ON e.id = l.ecriture_id
    JOIN (SELECT coalesce(OLD.tiers_id, 0) AS tiers, -1 AS sens
          UNION ALL SELECT coalesce(NEW.tiers_id, 0), 1) t
    WHERE l.id = NEW.ligne_id
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;

-- An entry moved to another project or partner (a correction, a merge) moves its lines.
CREATE TRIGGER IF NOT EXISTS totaux_ecriture_change AFTER UPDATE OF projet_id, tiers_id ON ecriture
WHEN OLD.projet_id IS NOT NEW.projet_id OR OLD.tiers_id IS NOT NEW.tiers_id
BEGIN
    INSERT INTO totaux_compte
    SELECT CAST(substr(NEW.date, 1, 4) AS INTEGER), l.compte, k.projet, k.tiers,
           coalesce(d.tiers_id, 0), sum(l.debit) * k.sens, sum(l.credit) * k.sens,
           count(*) * k.sens
    FROM ligne l LEFT JOIN ligne_detail d ON d.ligne_id = l.id
    JOIN (SELECT coalesce(OLD.projet_id, 0) AS projet, coalesce(OLD.tiers_id, 0) AS tiers,
                 -1 AS sens
          UNION ALL SELECT coalesce(NEW.projet_id, 0), coalesce(NEW.tiers_id, 0), 1) k
    WHERE l.ecriture_id = NEW.id
    GROUP BY l.compte, k.projet, k.tiers, coalesce(d.tiers_id, 0), k.sens
    ON CONFLICT DO UPDATE SET debit = debit + excluded.debit, credit = credit + excluded.credit,
                              lignes = lignes + excluded.lignes;
    DELETE FROM totaux_compte WHERE lignes = 0;
END;
